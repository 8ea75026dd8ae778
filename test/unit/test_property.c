/*
 * test_property.c: randomised tests with a fixed seed, so a failure repeats.
 *
 * Each compares the core with a naive model written independently of it:
 * rate rows as separate counts of hits and misses, NPS responses bucketed by
 * a lookup table, sums and bounds in 128-bit arithmetic.
 */
#include "tests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nps.h"
#include "core/rate.h"

#define SEQUENCES 100000
#define ITERATIONS 100000

typedef __int128 int128;

/* Statuses seen, so a test can prove its generator reaches every outcome. */
typedef struct StatusTally
{
	long		seen[KPI_INCONSISTENT + 1];
} StatusTally;

static void
check_tally(const StatusTally *tally, const KpiStatus *expected, int nexpected,
			const char *file, int line)
{
	for (int i = 0; i < nexpected; i++)
	{
		char		what[128];

		snprintf(what, sizeof(what), "the generator reached %s",
				 kpi_status_name(expected[i]));
		test_check(tally->seen[expected[i]] > 0, what, file, line);
	}
}

/* A count for one row: mostly small, sometimes extreme or negative. */
static int64_t
random_row_count(Prng *prng)
{
	switch (prng_below(prng, 10))
	{
		case 0:
			return -1 - (int64_t) prng_below(prng, 3);
		case 1:
			return INT64_MIN + (int64_t) prng_below(prng, 3);
		case 2:
			return INT64_MAX - (int64_t) prng_below(prng, 3);
		case 3:
		case 4:
			return prng_count(prng);
		default:
			return (int64_t) prng_below(prng, 10);
	}
}

/* A non-negative count of any size, often at the very top of the range. */
static int64_t
random_wide_count(Prng *prng)
{
	switch (prng_below(prng, 8))
	{
		case 0:
			return INT64_MAX - (int64_t) prng_below(prng, 4);
		case 1:
			return (int64_t) prng_below(prng, 4);
		default:
			return prng_count(prng);
	}
}

/* ---- rate_summary ---- */

typedef struct RateModel
{
	int64_t		hits;
	int64_t		misses;			/* trials that are not hits */
} RateModel;

static KpiStatus
model_rate_row(int64_t hits, int64_t trials)
{
	if (hits < 0)
		return KPI_NEGATIVE_HITS;
	if (trials < 0)
		return KPI_NEGATIVE_TRIALS;
	if (hits > trials)
		return KPI_HITS_EXCEED_TRIALS;
	return KPI_OK;
}

static KpiStatus
model_rate_add(RateModel *m, int64_t hits, int64_t trials)
{
	KpiStatus	st = model_rate_row(hits, trials);

	if (st != KPI_OK)
		return st;
	if ((int128) m->hits + m->misses + trials > INT64_MAX)
		return KPI_OVERFLOW;
	m->hits += hits;
	m->misses += trials - hits;
	return KPI_OK;
}

static KpiStatus
model_rate_remove(RateModel *m, int64_t hits, int64_t trials)
{
	KpiStatus	st = model_rate_row(hits, trials);

	if (st != KPI_OK)
		return st;
	/* The row's hits and its misses must each have been added. */
	if (hits > m->hits || trials - hits > m->misses)
		return KPI_NOT_IN_STATE;
	m->hits -= hits;
	m->misses -= trials - hits;
	return KPI_OK;
}

static void
random_rate_start(Prng *prng, RateModel *m)
{
	int64_t		trials;

	switch (prng_below(prng, 4))
	{
		case 0:
			trials = INT64_MAX - (int64_t) prng_below(prng, 16);
			break;
		case 1:
			trials = prng_count(prng);
			break;
		default:
			trials = 0;
			break;
	}
	m->hits = prng_count_upto(prng, trials);
	m->misses = trials - m->hits;
}

TEST_CASE(property_rate_sequences)
{
	static const char *const op_names[] = {
		"rate_add_flag", "rate_remove_flag", "rate_add_counts", "rate_remove_counts"
	};
	static const KpiStatus reachable[] = {
		KPI_OK, KPI_NEGATIVE_HITS, KPI_NEGATIVE_TRIALS, KPI_HITS_EXCEED_TRIALS,
		KPI_OVERFLOW, KPI_NOT_IN_STATE
	};
	Prng		prng = {20240601};
	StatusTally tally;

	memset(&tally, 0, sizeof(tally));
	for (int seq = 0; seq < SEQUENCES; seq++)
	{
		RateModel	model;
		RateSummary s;
		int			nops = 1 + (int) prng_below(&prng, 32);

		random_rate_start(&prng, &model);
		s.hits = model.hits;
		s.trials = model.hits + model.misses;

		for (int op = 0; op < nops; op++)
		{
			int			kind = (int) prng_below(&prng, 4);
			RateSummary before = s;
			int64_t		hits = 0;
			int64_t		trials = 1;
			KpiStatus	expected;
			KpiStatus	actual;
			double		value = 0;
			bool		ok = true;

			switch (kind)
			{
				case 0:
				case 1:
					hits = (int64_t) prng_below(&prng, 2);
					break;
				case 2:
					if (prng_below(&prng, 2) == 0)
					{
						trials = random_row_count(&prng);
						hits = trials < 0 ? random_row_count(&prng)
							: prng_count_upto(&prng, trials);
					}
					else
					{
						hits = random_row_count(&prng);
						trials = random_row_count(&prng);
					}
					break;
				case 3:
					if (prng_below(&prng, 2) == 0)
					{
						/* A row that is in the state, so removals succeed too. */
						hits = prng_count_upto(&prng, model.hits);
						trials = hits + prng_count_upto(&prng, model.misses);
					}
					else
					{
						hits = random_row_count(&prng);
						trials = random_row_count(&prng);
					}
					break;
			}

			/* A flag is a row of one trial. */
			if (kind == 0 || kind == 2)
				expected = model_rate_add(&model, hits, trials);
			else
				expected = model_rate_remove(&model, hits, trials);

			if (kind == 0)
				actual = rate_add_flag(&s, hits == 1);
			else if (kind == 1)
				actual = rate_remove_flag(&s, hits == 1);
			else if (kind == 2)
				actual = rate_add_counts(&s, hits, trials);
			else
				actual = rate_remove_counts(&s, hits, trials);
			tally.seen[actual]++;

			ok &= CHECK_KPI(actual, expected);
			ok &= CHECK_INT(s.hits, model.hits);
			ok &= CHECK_INT(s.trials, model.hits + model.misses);
			ok &= CHECK_KPI(rate_check(&s), KPI_OK);
			if (model.hits + model.misses == 0)
				ok &= CHECK(!rate_value(&s, &value));
			else
			{
				ok &= CHECK(rate_value(&s, &value));
				ok &= CHECK_DOUBLE(value, (double) model.hits /
								   (double) (model.hits + model.misses));
			}
			if (!ok)
			{
				printf("    sequence %d, operation %d: %s(hits=%" PRId64 ", trials=%" PRId64
					   ") on {hits=%" PRId64 ", trials=%" PRId64 "}\n",
					   seq, op, op_names[kind], hits, trials, before.hits, before.trials);
				return;
			}
		}
	}
	check_tally(&tally, reachable, (int) (sizeof(reachable) / sizeof(reachable[0])),
				__FILE__, __LINE__);
}

static void
random_rate(Prng *prng, RateSummary *s)
{
	s->trials = random_wide_count(prng);
	s->hits = prng_below(prng, 4) == 0 ? s->trials : prng_count_upto(prng, s->trials);
}

TEST_CASE(property_rate_merge)
{
	static const KpiStatus reachable[] = {
		KPI_OK, KPI_NEGATIVE_HITS, KPI_NEGATIVE_TRIALS, KPI_HITS_EXCEED_TRIALS,
		KPI_OVERFLOW
	};
	Prng		prng = {77};
	StatusTally tally;

	memset(&tally, 0, sizeof(tally));
	for (int i = 0; i < ITERATIONS; i++)
	{
		RateSummary into;
		RateSummary from;
		RateSummary before;
		KpiStatus	expected;
		KpiStatus	actual;
		bool		ok = true;

		random_rate(&prng, &into);
		if (prng_below(&prng, 4) != 0)
			random_rate(&prng, &from);
		else
		{
			from.hits = random_row_count(&prng);
			from.trials = random_row_count(&prng);
		}
		before = into;

		expected = model_rate_row(from.hits, from.trials);
		if (expected == KPI_OK && (int128) into.trials + from.trials > INT64_MAX)
			expected = KPI_OVERFLOW;
		actual = rate_merge(&into, &from);
		tally.seen[actual]++;

		ok &= CHECK_KPI(actual, expected);
		if (expected == KPI_OK)
		{
			ok &= CHECK_INT(into.hits, before.hits + from.hits);
			ok &= CHECK_INT(into.trials, before.trials + from.trials);
		}
		else
		{
			ok &= CHECK_INT(into.hits, before.hits);
			ok &= CHECK_INT(into.trials, before.trials);
		}
		if (!ok)
		{
			printf("    iteration %d: {hits=%" PRId64 ", trials=%" PRId64 "} + {hits=%"
				   PRId64 ", trials=%" PRId64 "}\n",
				   i, before.hits, before.trials, from.hits, from.trials);
			return;
		}
	}
	check_tally(&tally, reachable, (int) (sizeof(reachable) / sizeof(reachable[0])),
				__FILE__, __LINE__);
}

/* ---- nps_summary ---- */

enum
{
	DETRACTOR, PASSIVE, PROMOTER
};

/* The bucket of each score 0..10, spelled out rather than computed. */
static const int bucket_of_score[11] = {
	DETRACTOR, DETRACTOR, DETRACTOR, DETRACTOR, DETRACTOR, DETRACTOR, DETRACTOR,
	PASSIVE, PASSIVE,
	PROMOTER, PROMOTER
};

typedef struct NpsModel
{
	int64_t		count[3];		/* indexed by bucket */
} NpsModel;

static int128
model_nps_responses(const NpsModel *m)
{
	return (int128) m->count[DETRACTOR] + m->count[PASSIVE] + m->count[PROMOTER];
}

static KpiStatus
model_nps_add(NpsModel *m, int32_t score)
{
	if (score < 0 || score > 10)
		return KPI_SCORE_OUT_OF_RANGE;
	if (model_nps_responses(m) + 1 > INT64_MAX)
		return KPI_OVERFLOW;
	m->count[bucket_of_score[score]]++;
	return KPI_OK;
}

static KpiStatus
model_nps_remove(NpsModel *m, int32_t score)
{
	if (score < 0 || score > 10)
		return KPI_SCORE_OUT_OF_RANGE;
	if (m->count[bucket_of_score[score]] == 0)
		return KPI_NOT_IN_STATE;
	m->count[bucket_of_score[score]]--;
	return KPI_OK;
}

static int32_t
random_score(Prng *prng)
{
	switch (prng_below(prng, 32))
	{
		case 0:
			return INT32_MIN;
		case 1:
			return INT32_MAX;
		default:
			return (int32_t) prng_below(prng, 15) - 2;
	}
}

/* Splits a number of responses into three random buckets. */
static void
random_nps_split(Prng *prng, int64_t responses, int64_t *a, int64_t *b, int64_t *c)
{
	*a = prng_count_upto(prng, responses);
	*b = prng_count_upto(prng, responses - *a);
	*c = responses - *a - *b;
}

TEST_CASE(property_nps_sequences)
{
	static const KpiStatus reachable[] = {
		KPI_OK, KPI_SCORE_OUT_OF_RANGE, KPI_OVERFLOW, KPI_NOT_IN_STATE
	};
	Prng		prng = {31337};
	StatusTally tally;

	memset(&tally, 0, sizeof(tally));
	for (int seq = 0; seq < SEQUENCES; seq++)
	{
		NpsModel	model = {{0, 0, 0}};
		NpsSummary	s;
		int			nops = 1 + (int) prng_below(&prng, 32);

		switch (prng_below(&prng, 4))
		{
			case 0:
				random_nps_split(&prng, INT64_MAX - (int64_t) prng_below(&prng, 8),
								 &model.count[DETRACTOR], &model.count[PASSIVE],
								 &model.count[PROMOTER]);
				break;
			case 1:
				for (int b = 0; b < 3; b++)
					model.count[b] = (int64_t) prng_below(&prng, 4);
				break;
			default:
				break;
		}
		s.promoters = model.count[PROMOTER];
		s.passives = model.count[PASSIVE];
		s.detractors = model.count[DETRACTOR];

		for (int op = 0; op < nops; op++)
		{
			bool		add = prng_below(&prng, 2) == 0;
			int32_t		score = random_score(&prng);
			NpsSummary	before = s;
			KpiStatus	expected;
			KpiStatus	actual;
			int128		responses;
			double		value = 0;
			bool		ok = true;

			expected = add ? model_nps_add(&model, score) : model_nps_remove(&model, score);
			actual = add ? nps_add_score(&s, score) : nps_remove_score(&s, score);
			tally.seen[actual]++;
			responses = model_nps_responses(&model);

			ok &= CHECK_KPI(actual, expected);
			ok &= CHECK_INT(s.promoters, model.count[PROMOTER]);
			ok &= CHECK_INT(s.passives, model.count[PASSIVE]);
			ok &= CHECK_INT(s.detractors, model.count[DETRACTOR]);
			ok &= CHECK_KPI(nps_check(&s), KPI_OK);
			if (responses == 0)
				ok &= CHECK(!nps_value(&s, &value));
			else
			{
				ok &= CHECK(nps_value(&s, &value));
				ok &= CHECK(value >= -100.0 && value <= 100.0);

				/*
				 * While 100 * (promoters - detractors) is exact in int64 and in a
				 * double, the score must be that over responses, rounded once.
				 */
				if (responses < ((int128) 1 << 40))
				{
					int64_t		net = 100 * (model.count[PROMOTER] -
											 model.count[DETRACTOR]);

					ok &= CHECK_DOUBLE(value, (double) net / (double) (int64_t) responses);
				}
			}
			if (!ok)
			{
				printf("    sequence %d, operation %d: %s(%" PRId32 ") on {promoters=%"
					   PRId64 ", passives=%" PRId64 ", detractors=%" PRId64 "}\n",
					   seq, op, add ? "nps_add_score" : "nps_remove_score", score,
					   before.promoters, before.passives, before.detractors);
				return;
			}
		}
	}
	check_tally(&tally, reachable, (int) (sizeof(reachable) / sizeof(reachable[0])),
				__FILE__, __LINE__);
}

static void
random_nps(Prng *prng, NpsSummary *s)
{
	random_nps_split(prng, random_wide_count(prng),
					 &s->promoters, &s->passives, &s->detractors);
}

TEST_CASE(property_nps_merge)
{
	static const KpiStatus reachable[] = {
		KPI_OK, KPI_NEGATIVE_TRIALS, KPI_OVERFLOW
	};
	Prng		prng = {4242};
	StatusTally tally;

	memset(&tally, 0, sizeof(tally));
	for (int i = 0; i < ITERATIONS; i++)
	{
		NpsSummary	into;
		NpsSummary	from;
		NpsSummary	before;
		KpiStatus	expected;
		KpiStatus	actual;
		int128		from_responses;
		bool		ok = true;

		random_nps(&prng, &into);
		if (prng_below(&prng, 4) != 0)
			random_nps(&prng, &from);
		else
		{
			from.promoters = random_row_count(&prng);
			from.passives = random_row_count(&prng);
			from.detractors = random_row_count(&prng);
		}
		before = into;

		from_responses = (int128) from.promoters + from.passives + from.detractors;
		if (from.promoters < 0 || from.passives < 0 || from.detractors < 0)
			expected = KPI_NEGATIVE_TRIALS;
		else if (from_responses > INT64_MAX)
			expected = KPI_OVERFLOW;
		else if ((int128) into.promoters + into.passives + into.detractors +
				 from_responses > INT64_MAX)
			expected = KPI_OVERFLOW;
		else
			expected = KPI_OK;
		actual = nps_merge(&into, &from);
		tally.seen[actual]++;

		ok &= CHECK_KPI(actual, expected);
		if (expected == KPI_OK)
		{
			ok &= CHECK_INT(into.promoters, before.promoters + from.promoters);
			ok &= CHECK_INT(into.passives, before.passives + from.passives);
			ok &= CHECK_INT(into.detractors, before.detractors + from.detractors);
		}
		else
		{
			ok &= CHECK_INT(into.promoters, before.promoters);
			ok &= CHECK_INT(into.passives, before.passives);
			ok &= CHECK_INT(into.detractors, before.detractors);
		}
		if (!ok)
		{
			printf("    iteration %d: {%" PRId64 ", %" PRId64 ", %" PRId64 "} + {%"
				   PRId64 ", %" PRId64 ", %" PRId64 "}\n", i,
				   before.promoters, before.passives, before.detractors,
				   from.promoters, from.passives, from.detractors);
			return;
		}
	}
	check_tally(&tally, reachable, (int) (sizeof(reachable) / sizeof(reachable[0])),
				__FILE__, __LINE__);
}

TEST_CASE(property_merge_of_parts_equals_whole)
{
	Prng		prng = {99};

	/* Any split of a group's rows, merged, gives the state of the whole group. */
	for (int i = 0; i < ITERATIONS / 10; i++)
	{
		RateSummary rate_whole = {0, 0};
		RateSummary rate_parts[2] = {{0, 0}, {0, 0}};
		NpsSummary	nps_whole = {0, 0, 0};
		NpsSummary	nps_parts[2] = {{0, 0, 0}, {0, 0, 0}};
		int			nrows = (int) prng_below(&prng, 64);
		bool		ok = true;

		for (int row = 0; row < nrows; row++)
		{
			int			part = (int) prng_below(&prng, 2);
			bool		hit = prng_below(&prng, 3) == 0;
			int32_t		score = (int32_t) prng_below(&prng, 11);
			int64_t		trials = (int64_t) prng_below(&prng, 1000);
			int64_t		hits = prng_count_upto(&prng, trials);

			ok &= CHECK_KPI(rate_add_flag(&rate_whole, hit), KPI_OK);
			ok &= CHECK_KPI(rate_add_flag(&rate_parts[part], hit), KPI_OK);
			ok &= CHECK_KPI(rate_add_counts(&rate_whole, hits, trials), KPI_OK);
			ok &= CHECK_KPI(rate_add_counts(&rate_parts[part], hits, trials), KPI_OK);
			ok &= CHECK_KPI(nps_add_score(&nps_whole, score), KPI_OK);
			ok &= CHECK_KPI(nps_add_score(&nps_parts[part], score), KPI_OK);
		}
		ok &= CHECK_KPI(rate_merge(&rate_parts[0], &rate_parts[1]), KPI_OK);
		ok &= CHECK_INT(rate_parts[0].hits, rate_whole.hits);
		ok &= CHECK_INT(rate_parts[0].trials, rate_whole.trials);
		ok &= CHECK_KPI(nps_merge(&nps_parts[1], &nps_parts[0]), KPI_OK);
		ok &= CHECK_INT(nps_parts[1].promoters, nps_whole.promoters);
		ok &= CHECK_INT(nps_parts[1].passives, nps_whole.passives);
		ok &= CHECK_INT(nps_parts[1].detractors, nps_whole.detractors);
		if (!ok)
		{
			printf("    iteration %d\n", i);
			return;
		}
	}
}

/* ---- codecs ---- */

/* Room for either shape, addressed through the shape's offsets. */
typedef union AnySummary
{
	RateSummary rate;
	NpsSummary	nps;
} AnySummary;

static int64_t
field_of(const CountSummaryShape *shape, const AnySummary *s, int i)
{
	int64_t		v;

	memcpy(&v, (const char *) s + shape->field_offsets[i], sizeof(v));
	return v;
}

static void
random_valid(Prng *prng, const CountSummaryShape *shape, AnySummary *s)
{
	if (shape == &rate_summary_shape)
		random_rate(prng, &s->rate);
	else
		random_nps(prng, &s->nps);
}

/* The text form built by other means than the codec's own loop. */
static void
expected_text(const CountSummaryShape *shape, const AnySummary *s, char *buf, size_t size)
{
	if (shape == &rate_summary_shape)
		snprintf(buf, size, "v1 hits=%" PRId64 " trials=%" PRId64,
				 s->rate.hits, s->rate.trials);
	else
		snprintf(buf, size, "v1 promoters=%" PRId64 " passives=%" PRId64
				 " detractors=%" PRId64,
				 s->nps.promoters, s->nps.passives, s->nps.detractors);
}

/* Appends 0..max ASCII space characters of random kinds. */
static size_t
append_spaces(Prng *prng, char *buf, size_t used, int min, int max)
{
	static const char spaces[] = " \t\n\r\f\v";
	int			n = min + (int) prng_below(prng, (uint64_t) (max - min + 1));

	for (int i = 0; i < n; i++)
		buf[used++] = spaces[prng_below(prng, sizeof(spaces) - 1)];
	return used;
}

/* The text form with random whitespace wherever the syntax allows it. */
static size_t
spaced_text(Prng *prng, const CountSummaryShape *shape, const AnySummary *s,
			char *buf)
{
	size_t		used = append_spaces(prng, buf, 0, 0, 3);

	used += (size_t) sprintf(buf + used, "v1");
	for (int i = 0; i < shape->nfields; i++)
	{
		used = append_spaces(prng, buf, used, 1, 3);
		used += (size_t) sprintf(buf + used, "%s=%" PRId64,
								 shape->field_names[i], field_of(shape, s, i));
	}
	return append_spaces(prng, buf, used, 0, 3);
}

static bool
check_same_fields(const CountSummaryShape *shape, const AnySummary *actual,
				  const AnySummary *expected)
{
	bool		ok = true;

	for (int i = 0; i < shape->nfields; i++)
		ok &= CHECK_INT(field_of(shape, actual, i), field_of(shape, expected, i));
	return ok;
}

static void
codec_round_trips(const CountSummaryShape *shape, uint64_t seed)
{
	Prng		prng = {seed};
	char	   *text = malloc(COUNT_SUMMARY_TEXT_MAX);

	for (int i = 0; i < ITERATIONS; i++)
	{
		AnySummary	in;
		AnySummary	out;
		char		expected[COUNT_SUMMARY_TEXT_MAX];
		char		spaced[COUNT_SUMMARY_TEXT_MAX + 64];
		unsigned char bytes[COUNT_SUMMARY_MAX_BINARY];
		unsigned char expected_bytes[COUNT_SUMMARY_MAX_BINARY];
		size_t		len;
		DecodeError error;
		bool		ok = true;

		random_valid(&prng, shape, &in);

		len = count_summary_format_text(shape, &in, text, COUNT_SUMMARY_TEXT_MAX);
		expected_text(shape, &in, expected, sizeof(expected));
		ok &= CHECK_STR(text, expected);
		ok &= CHECK_UINT(len, strlen(expected));
		memset(&out, 0xa5, sizeof(out));
		ok &= CHECK_DECODE(parse_exact(shape, text, len, &out, &error), DECODE_OK);
		ok &= check_same_fields(shape, &out, &in);

		len = spaced_text(&prng, shape, &in, spaced);
		memset(&out, 0xa5, sizeof(out));
		ok &= CHECK_DECODE(parse_exact(shape, spaced, len, &out, &error), DECODE_OK);
		ok &= check_same_fields(shape, &out, &in);

		/* Big-endian by division, not by shifting as the codec does. */
		expected_bytes[0] = 1;
		for (int f = 0; f < shape->nfields; f++)
		{
			uint64_t	v = (uint64_t) field_of(shape, &in, f);

			for (int b = 7; b >= 0; b--)
			{
				expected_bytes[1 + 8 * f + b] = (unsigned char) (v % 256);
				v /= 256;
			}
		}
		count_summary_encode_binary(shape, &in, bytes);
		ok &= CHECK_BYTES(bytes, expected_bytes, count_summary_binary_size(shape));
		memset(&out, 0xa5, sizeof(out));
		ok &= CHECK_DECODE(decode_exact(shape, bytes, count_summary_binary_size(shape),
										&out, &error), DECODE_OK);
		ok &= check_same_fields(shape, &out, &in);

		if (!ok)
		{
			printf("    iteration %d: %s\n", i, expected);
			break;
		}
	}
	free(text);
}

TEST_CASE(property_rate_codec_round_trip)
{
	codec_round_trips(&rate_summary_shape, 1);
}

TEST_CASE(property_nps_codec_round_trip)
{
	codec_round_trips(&nps_summary_shape, 2);
}

TEST_CASE(property_codec_rejects_invalid_states)
{
	Prng		prng = {3};

	for (int i = 0; i < ITERATIONS; i++)
	{
		bool		rate = prng_below(&prng, 2) == 0;
		const CountSummaryShape *shape = rate ? &rate_summary_shape : &nps_summary_shape;
		AnySummary	in;
		AnySummary	out;
		char		text[COUNT_SUMMARY_TEXT_MAX];
		unsigned char bytes[COUNT_SUMMARY_MAX_BINARY];
		KpiStatus	invariant;
		size_t		len;
		DecodeError error;
		bool		ok = true;

		if (rate)
		{
			/* More hits than trials, at any magnitude. */
			in.rate.trials = prng_count_upto(&prng, INT64_MAX - 1);
			in.rate.hits = in.rate.trials + 1 +
				prng_count_upto(&prng, INT64_MAX - in.rate.trials - 1);
			invariant = KPI_HITS_EXCEED_TRIALS;
		}
		else
		{
			/* Buckets that each fit but whose sum does not. */
			in.nps.promoters = 1 + prng_count_upto(&prng, INT64_MAX - 1);
			in.nps.passives = INT64_MAX - in.nps.promoters + 1 +
				prng_count_upto(&prng, in.nps.promoters - 1);
			in.nps.detractors = prng_count(&prng);
			invariant = KPI_OVERFLOW;
		}

		len = count_summary_format_text(shape, &in, text, sizeof(text));
		ok &= CHECK_DECODE(parse_exact(shape, text, len, &out, &error), DECODE_INVARIANT);
		ok &= CHECK_KPI(error.invariant, invariant);
		ok &= CHECK_UINT(error.position, len);
		count_summary_encode_binary(shape, &in, bytes);
		ok &= CHECK_DECODE(decode_exact(shape, bytes, count_summary_binary_size(shape),
										&out, &error), DECODE_INVARIANT);
		ok &= CHECK_KPI(error.invariant, invariant);
		if (!ok)
		{
			printf("    iteration %d: %s\n", i, text);
			return;
		}
	}
}

/* A byte that is likely to matter to the parser, or any byte at all. */
static unsigned char
random_mutation_byte(Prng *prng)
{
	static const char interesting[] = " \t\nv=0123456789-+xe.";

	if (prng_below(prng, 4) == 0)
		return (unsigned char) prng_below(prng, 256);
	return (unsigned char) interesting[prng_below(prng, sizeof(interesting) - 1)];
}

TEST_CASE(property_codec_mutations)
{
	Prng		prng = {5};
	long		accepted = 0;

	/*
	 * Damaged encodings must be rejected or decode to a valid summary, whose
	 * own encoding decodes back to it: never a crash, never a bad state.
	 */
	for (int i = 0; i < ITERATIONS; i++)
	{
		const CountSummaryShape *shape = prng_below(&prng, 2) == 0
			? &rate_summary_shape : &nps_summary_shape;
		bool		binary = prng_below(&prng, 2) == 0;
		AnySummary	in;
		AnySummary	out;
		AnySummary	again;
		unsigned char buf[COUNT_SUMMARY_TEXT_MAX + 8];
		size_t		len;
		int			nmutations = 1 + (int) prng_below(&prng, 3);
		DecodeError error;
		DecodeStatus status;
		bool		ok = true;

		random_valid(&prng, shape, &in);
		if (binary)
		{
			count_summary_encode_binary(shape, &in, buf);
			len = count_summary_binary_size(shape);
		}
		else
			len = count_summary_format_text(shape, &in, (char *) buf, COUNT_SUMMARY_TEXT_MAX);

		for (int m = 0; m < nmutations; m++)
		{
			size_t		at = (size_t) prng_below(&prng, len + 1);

			switch (prng_below(&prng, 4))
			{
				case 0:			/* cut */
					len = at;
					break;
				case 1:			/* insert */
					if (len < sizeof(buf))
					{
						memmove(buf + at + 1, buf + at, len - at);
						buf[at] = random_mutation_byte(&prng);
						len++;
					}
					break;
				default:		/* overwrite */
					if (at < len)
						buf[at] = random_mutation_byte(&prng);
					break;
			}
		}

		status = binary
			? decode_exact(shape, buf, len, &out, &error)
			: parse_exact(shape, (const char *) buf, len, &out, &error);
		ok &= CHECK_DECODE(error.status, status);
		ok &= CHECK(error.position <= len);
		ok &= CHECK(error.field >= -1 && error.field < shape->nfields);
		if (status == DECODE_OK)
		{
			char		text[COUNT_SUMMARY_TEXT_MAX];
			size_t		textlen;

			accepted++;
			ok &= CHECK_KPI(shape->check(&out), KPI_OK);
			textlen = count_summary_format_text(shape, &out, text, sizeof(text));
			ok &= CHECK_DECODE(parse_exact(shape, text, textlen, &again, &error), DECODE_OK);
			ok &= check_same_fields(shape, &again, &out);
		}
		if (!ok)
		{
			printf("    iteration %d\n", i);
			return;
		}
	}
	/* Some damage is harmless (a digit for a digit); make sure that path ran. */
	CHECK(accepted > 0);
}
