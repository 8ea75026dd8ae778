/*
 * test_engagement.c: the account_engagement state (engagement.h,
 * engagement.c): the half-life of an interval, decay against a plain pow()
 * reference, add/remove sequences, merging, parameter checks, the text and
 * binary forms, and the limits.
 */
#include "tests.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engagement.h"

/* PostgreSQL's timestamp limits, in microseconds from 2000-01-01 (END exclusive). */
#define PG_MIN_TIMESTAMP INT64_C(-211813488000000000)
#define PG_END_TIMESTAMP INT64_C(9223371331200000000)
#define USECS_PER_SECOND INT64_C(1000000)
#define USECS_PER_DAY INT64_C(86400000000)
/* 2024-07-01 00:00 UTC: 8948 days after 2000-01-01. */
#define JULY_2024 (INT64_C(8948) * USECS_PER_DAY)

static const char unset_text[] =
	"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none";

/* |actual - expected| <= rel * |expected| (or both zero), printing both on failure. */
static bool
check_close(double actual, double expected, double rel, const char *expr,
			const char *file, int line)
{
	bool		ok = actual == expected || fabs(actual - expected) <= rel * fabs(expected);

	if (!ok)
		printf("%s:%d: %s = %.17g, expected %.17g within %g relative\n",
			   file, line, expr, actual, expected, rel);
	return test_check(ok, expr, file, line);
}
#define CHECK_CLOSE(actual, expected, rel) \
	check_close((actual), (expected), (rel), #actual, __FILE__, __LINE__)

static EngagementSummary
empty_summary(void)
{
	EngagementSummary s;

	memset(&s, 0, sizeof(s));
	return s;
}

/* A summary that holds parameters and no counted touch, built by hand. */
static EngagementSummary
parameters_only(int64_t as_of, int64_t half_life)
{
	EngagementSummary s = empty_summary();

	s.parameters_set = true;
	s.as_of = as_of;
	s.half_life = half_life;
	return s;
}

static double
value_of(const EngagementSummary *s)
{
	double		v = -1;

	return engagement_value(s, &v) ? v : NAN;
}

/*
 * The reference: the definition written out with pow(), from seconds as
 * extract(epoch ...) gives them, summed in long double.
 */
typedef struct Touch
{
	int64_t		ts;
	double		minutes;
} Touch;

static long double
reference_engagement(const Touch *touches, int from, int to, int64_t as_of,
					 int64_t half_life, int64_t *counted)
{
	long double total = 0;

	*counted = 0;
	for (int i = from; i < to; i++)
	{
		double		age_seconds;

		if (touches[i].ts > as_of)
			continue;
		age_seconds = (double) ((__int128) as_of - touches[i].ts) / 1e6;
		total += touches[i].minutes * pow(0.5, age_seconds / ((double) half_life / 1e6));
		(*counted)++;
	}
	return total;
}

static Touch
random_touch(Prng *prng, int64_t as_of)
{
	Touch		t;

	/* Up to two years before as_of, and one in eight up to 30 days after it. */
	if (prng_below(prng, 8) == 0)
		t.ts = as_of + (int64_t) prng_below(prng, (uint64_t) (30 * USECS_PER_DAY)) + 1;
	else
		t.ts = as_of - (int64_t) prng_below(prng, (uint64_t) (730 * USECS_PER_DAY));
	/* Minutes from 0 to 600, with fractions, and some exact zeros. */
	t.minutes = prng_below(prng, 10) == 0 ? 0.0 :
		(double) prng_below(prng, 600000001) / 1e6;
	return t;
}

static int64_t
random_half_life(Prng *prng)
{
	/* From one hour to a year, to the microsecond. */
	return 3600 * USECS_PER_SECOND +
		(int64_t) prng_below(prng, (uint64_t) (365 * USECS_PER_DAY));
}

/* ---------- the half-life of an interval ---------- */

TEST_CASE(engagement_half_life_of_interval)
{
	int64_t		us = 0;

	/* Values that PostgreSQL 15's extract(epoch FROM interval) printed. */
	CHECK(engagement_half_life(13, -3, 5 * 3600 * USECS_PER_SECOND, &us));
	CHECK_INT(us, INT64_C(33908400) * USECS_PER_SECOND);
	CHECK(engagement_half_life(-13, 0, 0, &us));
	CHECK_INT(us, INT64_C(-34149600) * USECS_PER_SECOND);
	CHECK(engagement_half_life(12, 0, 0, &us));
	CHECK_INT(us, INT64_C(31557600) * USECS_PER_SECOND);
	CHECK(engagement_half_life(25, 0, 1, &us));
	CHECK_INT(us, INT64_C(65707200000001));
	/* A month is 30 days and a day 24 hours: '1 mon -30 days' is 0, '1 day' is '24 hours'. */
	CHECK(engagement_half_life(1, -30, 0, &us));
	CHECK_INT(us, 0);
	CHECK(engagement_half_life(0, 1, 0, &us));
	CHECK_INT(us, USECS_PER_DAY);
	CHECK(engagement_half_life(0, 0, 24 * 3600 * USECS_PER_SECOND, &us));
	CHECK_INT(us, USECS_PER_DAY);
	CHECK(engagement_half_life(0, 0, -1, &us));
	CHECK_INT(us, -1);
	/* The bigint limits of the time part alone, and just past them. */
	CHECK(engagement_half_life(0, 0, INT64_MAX, &us));
	CHECK_INT(us, INT64_MAX);
	CHECK(!engagement_half_life(0, 1, INT64_MAX, &us));
	CHECK(engagement_half_life(0, 1, INT64_MIN, &us));
	CHECK_INT(us, INT64_MIN + USECS_PER_DAY);
	CHECK(!engagement_half_life(0, -1, INT64_MIN, &us));
	CHECK(!engagement_half_life(INT32_MAX, 0, 0, &us));
	CHECK(!engagement_half_life(INT32_MIN, INT32_MIN, INT64_MIN, &us));
	/* 292,000 years fit; 293,000 do not (2^63 microseconds is about 292,271 years). */
	CHECK(engagement_half_life(292000 * 12, 0, 0, &us));
	CHECK_INT(us, INT64_C(292000) * 31557600 * USECS_PER_SECOND);
	CHECK(!engagement_half_life(293000 * 12, 0, 0, &us));

	/* Random intervals against the seconds formula: 365.25 days a year of months. */
	{
		Prng		prng = {UINT64_C(0x4a1f11fe)};

		for (int i = 0; i < 10000; i++)
		{
			int32_t		months = (int32_t) prng_below(&prng, 200001) - 100000;
			int32_t		days = (int32_t) prng_below(&prng, 2000001) - 1000000;
			int64_t		time = (int64_t) (prng_next(&prng) >> 12) - (INT64_C(1) << 51);
			__int128	expected_seconds_x4 = (__int128) (months / 12) * 1461 * 86400 +
				(__int128) (months % 12) * 4 * 30 * 86400 + (__int128) days * 4 * 86400;
			__int128	expected = expected_seconds_x4 / 4 * 1000000 + time;

			if (!CHECK(engagement_half_life(months, days, time, &us)) ||
				!CHECK_INT128(us, expected))
				return;
		}
	}
}

/* ---------- decay ---------- */

TEST_CASE(engagement_decay_values)
{
	const int64_t day = USECS_PER_DAY;

	CHECK_DOUBLE(engagement_decay(0, day), 1.0);
	CHECK_DOUBLE(engagement_decay((uint64_t) day, day), 0.5);
	CHECK_DOUBLE(engagement_decay((uint64_t) (3 * day), day), 0.125);
	CHECK_CLOSE(engagement_decay((uint64_t) (day / 2), day), sqrt(0.5), 1e-15);
	CHECK_DOUBLE(engagement_decay((uint64_t) (1075 * day), day), 0.0);
	/* Ages past INT64_MAX: the whole timestamp range. */
	CHECK_DOUBLE(engagement_decay(UINT64_MAX, 1), 0.0);
	CHECK_CLOSE(engagement_decay(UINT64_MAX, INT64_MAX), 0.25, 1e-15);
	CHECK_CLOSE(engagement_decay((uint64_t) PG_END_TIMESTAMP - (uint64_t) PG_MIN_TIMESTAMP,
								 INT64_MAX),
				pow(0.5, ((double) PG_END_TIMESTAMP - (double) PG_MIN_TIMESTAMP) /
					(double) INT64_MAX), 1e-15);
}

/* Random groups against the pow() reference. */
TEST_CASE(engagement_matches_reference)
{
	Prng		prng = {UINT64_C(0xe1ea6e)};

	for (int round = 0; round < 300; round++)
	{
		Touch		touches[200];
		int			n = 1 + (int) prng_below(&prng, 200);
		int64_t		as_of = JULY_2024 + (int64_t) prng_below(&prng, (uint64_t) (365 * USECS_PER_DAY));
		int64_t		half_life = random_half_life(&prng);
		EngagementSummary s = empty_summary();
		int64_t		counted;
		long double expected;

		for (int i = 0; i < n; i++)
		{
			touches[i] = random_touch(&prng, as_of);
			if (!CHECK_KPI(engagement_add(&s, touches[i].ts, touches[i].minutes, as_of,
										  half_life), KPI_OK))
				return;
		}
		expected = reference_engagement(touches, 0, n, as_of, half_life, &counted);
		if (!CHECK_INT(s.rows, counted) || !CHECK(s.parameters_set) ||
			!CHECK_INT(s.as_of, as_of) || !CHECK_INT(s.half_life, half_life))
			return;
		if (counted == 0)
		{
			if (!CHECK(isnan(value_of(&s))))
				return;
		}
		else if (!CHECK_CLOSE(value_of(&s), (double) expected, 1e-12))
			return;
	}
}

/* Touches at as_of count in full; touches after it not at all. */
TEST_CASE(engagement_as_of_bound)
{
	EngagementSummary s = empty_summary();
	const int64_t day = USECS_PER_DAY;

	CHECK_KPI(engagement_add(&s, JULY_2024 + 1, 1000.0, JULY_2024, day), KPI_OK);
	CHECK(s.parameters_set);
	CHECK_INT(s.rows, 0);
	CHECK(isnan(value_of(&s)));
	CHECK_KPI(engagement_add(&s, JULY_2024, 7.25, JULY_2024, day), KPI_OK);
	CHECK_KPI(engagement_add(&s, JULY_2024 - 2 * day, 8.0, JULY_2024, day), KPI_OK);
	CHECK_INT(s.rows, 2);
	CHECK_DOUBLE(value_of(&s), 9.25);
	/* Removing the ignored touch changes nothing. */
	CHECK_KPI(engagement_remove(&s, JULY_2024 + 1, 1000.0, JULY_2024, day), KPI_OK);
	CHECK_INT(s.rows, 2);
	CHECK_DOUBLE(value_of(&s), 9.25);
}

/* ---------- add and remove ---------- */

/*
 * Sliding windows over random touches: after each step the state equals the
 * reference over the rows in the window, and emptying the window returns
 * exactly the state of parameters alone.
 */
TEST_CASE(engagement_add_remove_sequences)
{
	Prng		prng = {UINT64_C(0x51d1e)};

	for (int round = 0; round < 200; round++)
	{
		Touch		touches[128];
		int64_t		as_of = JULY_2024;
		int64_t		half_life = random_half_life(&prng);
		EngagementSummary s = empty_summary();
		EngagementSummary expected_empty = parameters_only(as_of, half_life);
		int			n = 0;
		int			start = 0;
		double		largest_ever = 0;

		for (int step = 0; step < 128; step++)
		{
			bool		add = n == start || (n < 128 && prng_below(&prng, 3) != 0);
			int64_t		counted;
			long double expected;

			if (add && n < 128)
			{
				touches[n] = random_touch(&prng, as_of);
				/* Some large values, so that removal has rounding to undo. */
				if (prng_below(&prng, 16) == 0)
					touches[n].minutes *= 1e12;
				if (!CHECK_KPI(engagement_add(&s, touches[n].ts, touches[n].minutes, as_of,
											  half_life), KPI_OK))
					return;
				if (touches[n].minutes > largest_ever)
					largest_ever = touches[n].minutes;
				n++;
			}
			else
			{
				if (!CHECK_KPI(engagement_remove(&s, touches[start].ts, touches[start].minutes,
												 as_of, half_life), KPI_OK))
					return;
				start++;
			}
			expected = reference_engagement(touches, start, n, as_of, half_life, &counted);
			if (!CHECK_INT(s.rows, counted))
				return;
			/*
			 * Every term is not negative, so the reference bounds the rounding
			 * of the terms; removals of large terms may leave only a residue of
			 * the order of eps^2 times the largest term ever added (a plain
			 * double sum would leave eps times it).
			 */
			if (counted > 0 &&
				!CHECK(fabsl((long double) value_of(&s) - expected) <=
					   1e-14L * expected + 1e-25L * largest_ever))
				return;
			if (counted == 0 && !CHECK(isnan(value_of(&s))))
				return;
		}
		while (start < n)
		{
			if (!CHECK_KPI(engagement_remove(&s, touches[start].ts, touches[start].minutes,
											 as_of, half_life), KPI_OK))
				return;
			start++;
		}
		if (!CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &expected_empty,
						 sizeof(s)) ||
			!CHECK_KPI(engagement_check(&s), KPI_OK))
			return;
	}
}

TEST_CASE(engagement_remove_rejects)
{
	EngagementSummary s = empty_summary();
	EngagementSummary before;
	const int64_t day = USECS_PER_DAY;

	/* Nothing was added to an unset state. */
	CHECK_KPI(engagement_remove(&s, JULY_2024 - day, 1.0, JULY_2024, day), KPI_NOT_IN_STATE);
	CHECK_KPI(engagement_remove(&s, JULY_2024 + day, 1.0, JULY_2024, day), KPI_NOT_IN_STATE);
	/* Parameters but no counted touch. */
	s = parameters_only(JULY_2024, day);
	before = s;
	CHECK_KPI(engagement_remove(&s, JULY_2024 - day, 1.0, JULY_2024, day), KPI_NOT_IN_STATE);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &before, sizeof(s));
	/* A touch after as_of can always leave: it was never counted. */
	CHECK_KPI(engagement_remove(&s, JULY_2024 + day, 1.0, JULY_2024, day), KPI_OK);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &before, sizeof(s));
}

/* ---------- parameters ---------- */

TEST_CASE(engagement_parameter_mismatch)
{
	const int64_t day = USECS_PER_DAY;
	EngagementSummary s = empty_summary();
	EngagementSummary before;

	CHECK_KPI(engagement_add(&s, JULY_2024 - day, 4.0, JULY_2024, day), KPI_OK);
	before = s;
	/* Another as_of or half-life, counted or not, adding or removing: refused, nothing changed. */
	CHECK_KPI(engagement_add(&s, JULY_2024 - day, 1.0, JULY_2024 + 1, day), KPI_PERIOD_CHANGED);
	CHECK_KPI(engagement_add(&s, JULY_2024 - day, 1.0, JULY_2024, day + 1), KPI_PERIOD_CHANGED);
	CHECK_KPI(engagement_add(&s, JULY_2024 + 2 * day, 1.0, JULY_2024 + day, day), KPI_PERIOD_CHANGED);
	CHECK_KPI(engagement_remove(&s, JULY_2024 - day, 4.0, JULY_2024 - 1, day), KPI_PERIOD_CHANGED);
	CHECK_KPI(engagement_remove(&s, JULY_2024 - day, 4.0, JULY_2024, 2 * day), KPI_PERIOD_CHANGED);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &before, sizeof(s));
	CHECK(engagement_parameters_match(&s, JULY_2024, day));
	CHECK(!engagement_parameters_match(&s, JULY_2024, day - 1));
	CHECK(engagement_parameters_match(&(EngagementSummary) {0}, 5, 7));
	/* The parameters outlive the last counted touch, and are still checked. */
	CHECK_KPI(engagement_remove(&s, JULY_2024 - day, 4.0, JULY_2024, day), KPI_OK);
	CHECK_INT(s.rows, 0);
	CHECK(s.parameters_set);
	CHECK_KPI(engagement_add(&s, JULY_2024 - day, 1.0, JULY_2024, 2 * day), KPI_PERIOD_CHANGED);
	CHECK_KPI(engagement_add(&s, JULY_2024 - day, 1.0, JULY_2024, day), KPI_OK);
	CHECK_DOUBLE(value_of(&s), 0.5);

	/* Validity of arguments, as the PostgreSQL layer checks them. */
	CHECK(engagement_minutes_valid(0.0));
	CHECK(engagement_minutes_valid(-0.0));
	CHECK(engagement_minutes_valid(DBL_MAX));
	CHECK(!engagement_minutes_valid(-DBL_MIN));
	CHECK(!engagement_minutes_valid(NAN));
	CHECK(!engagement_minutes_valid(INFINITY));
	CHECK(!engagement_minutes_valid(-INFINITY));
	CHECK(engagement_parameters_valid(JULY_2024, 1));
	CHECK(!engagement_parameters_valid(JULY_2024, 0));
	CHECK(!engagement_parameters_valid(JULY_2024, -1));
	CHECK(engagement_parameters_valid(PG_MIN_TIMESTAMP, INT64_MAX));
	CHECK(engagement_parameters_valid(PG_END_TIMESTAMP - 1, 1));
	CHECK(!engagement_parameters_valid(PG_END_TIMESTAMP, 1));
	CHECK(!engagement_parameters_valid(PG_MIN_TIMESTAMP - 1, 1));
	CHECK(!engagement_parameters_valid(INT64_MAX, 1));
}

/* ---------- merge ---------- */

TEST_CASE(engagement_merge_equals_sequential)
{
	Prng		prng = {UINT64_C(0x3e49e)};

	for (int round = 0; round < 200; round++)
	{
		Touch		touches[150];
		int			n = (int) prng_below(&prng, 151);
		int			parts = 1 + (int) prng_below(&prng, 5);
		int64_t		as_of = JULY_2024 - (int64_t) prng_below(&prng, (uint64_t) (100 * USECS_PER_DAY));
		int64_t		half_life = random_half_life(&prng);
		EngagementSummary sequential = empty_summary();
		EngagementSummary merged = empty_summary();
		int			from = 0;

		for (int i = 0; i < n; i++)
		{
			touches[i] = random_touch(&prng, as_of);
			if (!CHECK_KPI(engagement_add(&sequential, touches[i].ts, touches[i].minutes,
										  as_of, half_life), KPI_OK))
				return;
		}
		/* Contiguous parts, some of them empty (an unset worker state). */
		for (int p = 0; p < parts; p++)
		{
			int			to = p == parts - 1 ? n : from + (int) prng_below(&prng, (uint64_t) (n - from + 1));
			EngagementSummary part = empty_summary();

			for (int i = from; i < to; i++)
				if (!CHECK_KPI(engagement_add(&part, touches[i].ts, touches[i].minutes,
											  as_of, half_life), KPI_OK))
					return;
			if (!CHECK_KPI(engagement_merge(&merged, &part), KPI_OK))
				return;
			from = to;
		}
		if (!CHECK_INT(merged.rows, sequential.rows) ||
			!CHECK_INT(merged.parameters_set, n > 0) ||
			!CHECK_INT(merged.as_of, sequential.as_of) ||
			!CHECK_INT(merged.half_life, sequential.half_life))
			return;
		if (sequential.rows > 0 && !CHECK_CLOSE(value_of(&merged), value_of(&sequential), 1e-15))
			return;
	}
}

TEST_CASE(engagement_merge_cases)
{
	const int64_t day = USECS_PER_DAY;
	EngagementSummary unset = empty_summary();
	EngagementSummary a = empty_summary();
	EngagementSummary b = empty_summary();
	EngagementSummary into;
	EngagementSummary before;

	CHECK_KPI(engagement_add(&a, JULY_2024 - day, 8.0, JULY_2024, day), KPI_OK);
	CHECK_KPI(engagement_add(&b, JULY_2024 - 2 * day, 8.0, JULY_2024, day), KPI_OK);

	/* Unset into unset stays unset; unset takes the other's parameters and rows. */
	into = unset;
	CHECK_KPI(engagement_merge(&into, &unset), KPI_OK);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &unset, sizeof(into));
	CHECK_KPI(engagement_merge(&into, &a), KPI_OK);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &a, sizeof(into));
	CHECK_KPI(engagement_merge(&into, &unset), KPI_OK);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &a, sizeof(into));
	CHECK_KPI(engagement_merge(&into, &b), KPI_OK);
	CHECK_INT(into.rows, 2);
	CHECK_DOUBLE(value_of(&into), 6.0);

	/* Parameters without rows (a frame emptied, or only future touches) still count. */
	into = unset;
	CHECK_KPI(engagement_merge(&into, &(EngagementSummary) {.parameters_set = true,
															.as_of = JULY_2024,
															.half_life = 2 * day}), KPI_OK);
	CHECK(into.parameters_set);
	CHECK_INT(into.half_life, 2 * day);
	CHECK(isnan(value_of(&into)));
	before = into;
	CHECK_KPI(engagement_merge(&into, &a), KPI_PERIOD_CHANGED);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &before, sizeof(into));

	/* Different as_of. */
	into = a;
	b = parameters_only(JULY_2024 + 1, day);
	CHECK_KPI(engagement_merge(&into, &b), KPI_PERIOD_CHANGED);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &a, sizeof(into));

	/* Limits: rows and the double sum. */
	into = a;
	b = a;
	b.rows = INT64_MAX;
	CHECK_KPI(engagement_merge(&into, &b), KPI_TOO_MANY_ROWS);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &a, sizeof(into));
	into = a;
	into.engagement.sum = DBL_MAX;
	b = into;
	before = into;
	CHECK_KPI(engagement_merge(&into, &b), KPI_OVERFLOW);
	CHECK_BYTES((const unsigned char *) &into, (const unsigned char *) &before, sizeof(into));
}

/* ---------- limits ---------- */

TEST_CASE(engagement_extremes)
{
	EngagementSummary s = empty_summary();
	EngagementSummary before;

	/* The oldest touch against the latest as_of with the shortest half-life: 0, counted. */
	CHECK_KPI(engagement_add(&s, PG_MIN_TIMESTAMP, DBL_MAX, PG_END_TIMESTAMP - 1, 1), KPI_OK);
	CHECK_INT(s.rows, 1);
	CHECK_DOUBLE(value_of(&s), 0.0);
	CHECK_KPI(engagement_remove(&s, PG_MIN_TIMESTAMP, DBL_MAX, PG_END_TIMESTAMP - 1, 1), KPI_OK);
	CHECK_INT(s.rows, 0);

	/* At as_of a touch counts exactly; twice DBL_MAX overflows and changes nothing. */
	s = empty_summary();
	CHECK_KPI(engagement_add(&s, 0, DBL_MAX, 0, INT64_MAX), KPI_OK);
	CHECK_DOUBLE(value_of(&s), DBL_MAX);
	before = s;
	CHECK_KPI(engagement_add(&s, 0, DBL_MAX, 0, INT64_MAX), KPI_OVERFLOW);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &before, sizeof(s));
	/* The smallest minutes survive at age 0. */
	s = empty_summary();
	CHECK_KPI(engagement_add(&s, 5, ldexp(1.0, -1074), 5, 1), KPI_OK);
	CHECK_DOUBLE(value_of(&s), ldexp(1.0, -1074));
	CHECK_KPI(engagement_add(&s, 5, 0.0, 5, 1), KPI_OK);
	CHECK_INT(s.rows, 2);

	/* Row count limit. */
	s = parameters_only(0, 1);
	s.rows = INT64_MAX;
	s.engagement.sum = 1;
	before = s;
	CHECK_KPI(engagement_add(&s, -1, 1.0, 0, 1), KPI_TOO_MANY_ROWS);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &before, sizeof(s));
	/* ... but an ignored touch is no row. */
	CHECK_KPI(engagement_add(&s, 1, 1.0, 0, 1), KPI_OK);

	/* A residue below zero reads and normalizes as 0. */
	s = parameters_only(0, 1);
	s.rows = 2;
	s.engagement.sum = 1.0;
	s.engagement.error = -1.5;
	CHECK_DOUBLE(value_of(&s), 0.0);
	CHECK(!signbit(value_of(&s)));
	CHECK_KPI(engagement_normalize(&s), KPI_OK);
	CHECK_DOUBLE(s.engagement.sum, 0.0);
	CHECK(!signbit(s.engagement.sum));
	CHECK_KPI(engagement_check(&s), KPI_OK);
}

/* ---------- check ---------- */

TEST_CASE(engagement_check_states)
{
	EngagementSummary s;
	const int64_t day = USECS_PER_DAY;

	s = empty_summary();
	CHECK_KPI(engagement_check(&s), KPI_OK);
	s.rows = 1;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);		/* rows without parameters */
	s = empty_summary();
	s.as_of = 1;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s = empty_summary();
	s.half_life = day;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s = parameters_only(JULY_2024, day);
	CHECK_KPI(engagement_check(&s), KPI_OK);
	s.engagement.sum = 1;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);		/* a sum without rows */
	s.rows = 1;
	CHECK_KPI(engagement_check(&s), KPI_OK);
	s.engagement.error = 0.5;								/* not normalized */
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.error = 1e-17;
	CHECK_KPI(engagement_check(&s), KPI_OK);
	s.engagement.sum = -1;
	s.engagement.error = 0;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.sum = -0.0;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.sum = INFINITY;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.sum = NAN;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.sum = 1;
	s.engagement.error = NAN;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.engagement.error = 0;
	s.rows = -1;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.rows = 1;
	s.half_life = 0;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.half_life = -day;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.half_life = day;
	s.as_of = PG_END_TIMESTAMP;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
	s.as_of = JULY_2024;
	s.padding[6] = 1;
	CHECK_KPI(engagement_check(&s), KPI_INCONSISTENT);
}

/* ---------- text form ---------- */

/* Scans text (an exact-length copy) and builds a summary; the status of the first failing step. */
static DecodeStatus
engagement_parse(const char *text, size_t len, EngagementSummary *s, DecodeError *error)
{
	TextFieldValue values[ENGAGEMENT_NFIELDS];
	char	   *copy = (char *) exact_copy(text, len);
	DecodeStatus status = summary_text_scan(copy, len, engagement_summary_fields,
											ENGAGEMENT_NFIELDS, values, error);

	if (status == DECODE_OK)
		status = engagement_from_fields(s, copy, values, error);
	free(copy);
	return status;
}

static DecodeStatus
parse_text(const char *text, EngagementSummary *s)
{
	DecodeError error;

	return engagement_parse(text, strlen(text), s, &error);
}

/*
 * The text form as the PostgreSQL layer writes it, with %.17g for the
 * doubles (which reads back exactly) instead of the shortest form.
 */
static void
format_text(const EngagementSummary *s, char *buf, size_t bufsize)
{
	char		as_of[ENGAGEMENT_WORD_MAX];
	char		half_life[ENGAGEMENT_WORD_MAX];

	if (!CHECK(engagement_format_as_of(s, as_of, sizeof(as_of)) > 0) ||
		!CHECK(engagement_format_half_life(s, half_life, sizeof(half_life)) > 0))
		return;
	snprintf(buf, bufsize,
			 "v1 rows=%lld engagement_minutes=%.17g engagement_minutes_error=%.17g "
			 "as_of=%s half_life_seconds=%s",
			 (long long) s->rows, s->engagement.sum, s->engagement.error, as_of, half_life);
}

TEST_CASE(engagement_text_known)
{
	EngagementSummary s;
	char		buf[ENGAGEMENT_WORD_MAX];

	CHECK_DECODE(parse_text(unset_text, &s), DECODE_OK);
	CHECK_BYTES((const unsigned char *) &s, (const unsigned char *) &(EngagementSummary) {0},
				sizeof(s));
	CHECK_UINT(engagement_format_as_of(&s, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "none");
	CHECK_UINT(engagement_format_half_life(&s, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "none");

	CHECK_DECODE(parse_text("  v1 rows=2  engagement_minutes=47.5 engagement_minutes_error=1e-20\t"
							"as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000 ", &s),
				 DECODE_OK);
	CHECK_INT(s.rows, 2);
	CHECK_DOUBLE(s.engagement.sum, 47.5);
	CHECK_DOUBLE(s.engagement.error, 1e-20);
	CHECK(s.parameters_set);
	CHECK_INT(s.as_of, JULY_2024);
	CHECK_INT(s.half_life, 30 * USECS_PER_DAY);
	CHECK(engagement_format_as_of(&s, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "2024-07-01T00:00:00.000000Z");
	CHECK(engagement_format_half_life(&s, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "2592000.000000");

	/* Fractions of a second, and times before 2000 and before year 1. */
	CHECK_DECODE(parse_text("v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 "
							"as_of=1999-12-31T23:59:59.999999Z half_life_seconds=0.000001", &s),
				 DECODE_OK);
	CHECK_INT(s.as_of, -1);
	CHECK_INT(s.half_life, 1);
	CHECK(engagement_format_half_life(&s, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "0.000001");
	CHECK_DECODE(parse_text("v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 "
							"as_of=-4713-11-24T00:00:00.000000Z half_life_seconds=9223372036854.775807", &s),
				 DECODE_OK);
	CHECK_INT(s.as_of, PG_MIN_TIMESTAMP);
	CHECK_INT(s.half_life, INT64_MAX);
	CHECK(engagement_format_as_of(&s, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "-4713-11-24T00:00:00.000000Z");

	/* Too small buffers are refused, never overrun. */
	CHECK_UINT(engagement_format_as_of(&s, buf, 10), 0);
	CHECK_UINT(engagement_format_half_life(&s, buf, 10), 0);
	CHECK_UINT(engagement_format_as_of(&(EngagementSummary) {0}, buf, 4), 0);
}

TEST_CASE(engagement_text_rejects)
{
	static const struct
	{
		const char *text;
		DecodeStatus status;
		int			field;
	}			cases[] = {
		{"", DECODE_SYNTAX, -1},
		{"v2 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_VERSION, -1},
		{"v1 rows=-1 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_ROWS},
		{"v1 rows=x engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_ROWS},
		{"v1 rows=9223372036854775808 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_OUT_OF_RANGE, ENGAGEMENT_FIELD_ROWS},
		{"v1 rows=0 engagement_minutes=nan engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_MINUTES},
		{"v1 rows=0 engagement_minutes=Infinity engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_MINUTES},
		{"v1 rows=0 engagement_minutes=1e999 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_OUT_OF_RANGE, ENGAGEMENT_FIELD_MINUTES},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=- as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_MINUTES_ERROR},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of= half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=infinity half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01 half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000 half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Zx half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-02-30T00:00:00.000000Z half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=294277-01-01T00:00:00.000000Z half_life_seconds=1", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=None half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1.0000001", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=9223372036854.775808", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=100000000000000000000000000000000000000000", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1e3", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1.", DECODE_SYNTAX, ENGAGEMENT_FIELD_HALF_LIFE},
		/* Well formed, but impossible. */
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=0", DECODE_INVARIANT, -1},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=-1", DECODE_INVARIANT, -1},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=none", DECODE_INVARIANT, -1},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=1", DECODE_INVARIANT, -1},
		{"v1 rows=1 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none", DECODE_INVARIANT, -1},
		{"v1 rows=0 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1", DECODE_INVARIANT, -1},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=1e-300 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1", DECODE_INVARIANT, -1},
		{"v1 rows=1 engagement_minutes=-1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1", DECODE_INVARIANT, -1},
		{"v1 rows=1 engagement_minutes=-0 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1", DECODE_INVARIANT, -1},
		{"v1 rows=1 engagement_minutes=1 engagement_minutes_error=0.5 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1", DECODE_INVARIANT, -1},
		/* Fields out of order, missing, or followed by more. */
		{"v1 rows=0 engagement_minutes_error=0 engagement_minutes=0 as_of=none half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_MINUTES},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 half_life_seconds=none", DECODE_SYNTAX, ENGAGEMENT_FIELD_AS_OF},
		{"v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none x=1", DECODE_SYNTAX, -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		EngagementSummary s;
		DecodeError error;
		DecodeStatus status = engagement_parse(cases[i].text, strlen(cases[i].text), &s, &error);

		if (!CHECK_DECODE(status, cases[i].status))
			printf("  text: %s\n", cases[i].text);
		else if (!CHECK_INT(error.field, cases[i].field))
			printf("  text: %s\n", cases[i].text);
	}
}

/*
 * Every prefix of a valid text fails, up to the start of the last value
 * (whose own prefixes may be valid half-lives, such as "2592000.0").
 */
TEST_CASE(engagement_text_truncations)
{
	static const char *const texts[] = {
		"v1 rows=12 engagement_minutes=47.5 engagement_minutes_error=-1.3877787807814457e-17 "
		"as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000.000000",
		unset_text,
	};

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
	{
		const char *text = texts[t];
		size_t		last_value = (size_t) (strrchr(text, '=') - text) + 1;
		EngagementSummary s;
		DecodeError error;

		if (!CHECK_DECODE(engagement_parse(text, strlen(text), &s, &error), DECODE_OK))
			return;
		for (size_t len = 0; len < last_value + (t == 1 ? 4 : 1); len++)
			if (!CHECK(engagement_parse(text, len, &s, &error) != DECODE_OK))
			{
				printf("  prefix of %zu bytes accepted\n", len);
				return;
			}
	}
}

/* Random summaries, reached by real adds and removes, survive text and binary round trips. */
TEST_CASE(engagement_codec_round_trips)
{
	Prng		prng = {UINT64_C(0xc0dec)};

	for (int round = 0; round < 500; round++)
	{
		EngagementSummary s = empty_summary();
		EngagementSummary back;
		int64_t		as_of = (int64_t) ((uint64_t) PG_MIN_TIMESTAMP +
									   prng_below(&prng, (uint64_t) PG_END_TIMESTAMP -
												  (uint64_t) PG_MIN_TIMESTAMP));
		int64_t		half_life = prng_below(&prng, 4) == 0 ? 1 + (int64_t) prng_below(&prng, INT64_MAX) :
			random_half_life(&prng);
		int			n = (int) prng_below(&prng, 20);
		char		text[256];
		unsigned char bytes[ENGAGEMENT_BINARY_SIZE];
		DecodeError error;

		for (int i = 0; i < n; i++)
		{
			/* Anywhere from the start of the range to just after as_of. */
			uint64_t	span = (uint64_t) as_of - (uint64_t) PG_MIN_TIMESTAMP;
			uint64_t	back = prng_below(&prng, 2) == 0 ? prng_below(&prng, span + 1) :
				prng_below(&prng, span < (uint64_t) half_life ? span + 1 : (uint64_t) half_life);
			int64_t		ts = prng_below(&prng, 8) == 0 ? as_of + 1 :
				(int64_t) ((uint64_t) as_of - back);

			if (!CHECK_KPI(engagement_add(&s, ts, ldexp((double) prng_below(&prng, 1u << 30),
														(int) prng_below(&prng, 80) - 40),
										  as_of, half_life), KPI_OK))
				return;
		}
		if (s.rows > 0 && prng_below(&prng, 2) == 0)
			s.rows = 1 + (int64_t) prng_below(&prng, (uint64_t) s.rows);	/* a shorter history, same sums */
		if (!CHECK_KPI(engagement_normalize(&s), KPI_OK) ||
			!CHECK_KPI(engagement_check(&s), KPI_OK))
			return;

		format_text(&s, text, sizeof(text));
		if (!CHECK_DECODE(engagement_parse(text, strlen(text), &back, &error), DECODE_OK) ||
			!CHECK_BYTES((const unsigned char *) &back, (const unsigned char *) &s, sizeof(s)))
		{
			printf("  text: %s\n", text);
			return;
		}

		engagement_encode_binary(&s, bytes);
		{
			unsigned char *copy = exact_copy(bytes, sizeof(bytes));
			DecodeStatus status = engagement_decode_binary(copy, sizeof(bytes), &back, &error);

			free(copy);
			if (!CHECK_DECODE(status, DECODE_OK) ||
				!CHECK_BYTES((const unsigned char *) &back, (const unsigned char *) &s, sizeof(s)))
				return;
		}
	}
}

/* ---------- binary form ---------- */

TEST_CASE(engagement_binary_known)
{
	EngagementSummary s = parameters_only(JULY_2024, 30 * USECS_PER_DAY);
	unsigned char bytes[ENGAGEMENT_BINARY_SIZE];
	/* Written out by hand: 47.5 is 0x4047C00000000000; as_of and the half-life follow. */
	unsigned char expected[ENGAGEMENT_BINARY_SIZE] = {
		1,
		0, 0, 0, 0, 0, 0, 0, 2,
		0x40, 0x47, 0xC0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		1,
	};
	uint64_t	as_of = (uint64_t) JULY_2024;
	uint64_t	half_life = (uint64_t) (30 * USECS_PER_DAY);

	for (int b = 0; b < 8; b++)
	{
		expected[26 + b] = (unsigned char) (as_of >> (56 - 8 * b));
		expected[34 + b] = (unsigned char) (half_life >> (56 - 8 * b));
	}
	s.rows = 2;
	s.engagement.sum = 47.5;
	CHECK_UINT(ENGAGEMENT_BINARY_SIZE, 42);
	engagement_encode_binary(&s, bytes);
	CHECK_BYTES(bytes, expected, sizeof(bytes));

	memset(bytes, 0xff, sizeof(bytes));
	engagement_encode_binary(&(EngagementSummary) {0}, bytes);
	CHECK_INT(bytes[0], 1);
	for (size_t i = 1; i < sizeof(bytes); i++)
		if (!CHECK_INT(bytes[i], 0))
			break;
}

static DecodeStatus
decode_bytes(const unsigned char *bytes, size_t len, EngagementSummary *s)
{
	unsigned char *copy = exact_copy(bytes, len);
	DecodeError error;
	DecodeStatus status = engagement_decode_binary(copy, len, s, &error);

	free(copy);
	return status;
}

TEST_CASE(engagement_binary_rejects)
{
	EngagementSummary s = parameters_only(JULY_2024, USECS_PER_DAY);
	EngagementSummary back;
	unsigned char good[ENGAGEMENT_BINARY_SIZE];
	unsigned char bad[ENGAGEMENT_BINARY_SIZE + 1];

	s.rows = 3;
	s.engagement.sum = 2.0;
	s.engagement.error = 1e-17;
	engagement_encode_binary(&s, good);
	CHECK_DECODE(decode_bytes(good, sizeof(good), &back), DECODE_OK);

	/* Every truncation, and one byte too many. */
	for (size_t len = 0; len < sizeof(good); len++)
		if (!CHECK_DECODE(decode_bytes(good, len, &back), DECODE_LENGTH))
			break;
	memcpy(bad, good, sizeof(good));
	bad[sizeof(good)] = 0;
	CHECK_DECODE(decode_bytes(bad, sizeof(bad), &back), DECODE_LENGTH);

	/* Version. */
	memcpy(bad, good, sizeof(good));
	bad[0] = 2;
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_VERSION);
	bad[0] = 0;
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_VERSION);

	/* Each field made impossible, one at a time. */
	{
		static const struct
		{
			size_t		offset;
			uint64_t	value;		/* written big-endian at offset (8 bytes), or one byte */
			bool		one_byte;
		}			mutations[] = {
			{1, UINT64_C(0xffffffffffffffff), false},	/* rows -1 */
			{1, 0, false},				/* no rows, yet a sum */
			{9, UINT64_C(0x7ff8000000000000), false},	/* sum NaN */
			{9, UINT64_C(0x7ff0000000000000), false},	/* sum infinity */
			{9, UINT64_C(0xbff0000000000000), false},	/* sum -1 */
			{9, UINT64_C(0x8000000000000000), false},	/* sum -0 */
			{17, UINT64_C(0x3fe0000000000000), false},	/* error 0.5: not normalized */
			{17, UINT64_C(0x7ff0000000000000), false},	/* error infinity */
			{25, 0, true},				/* unset, with rows and parameters */
			{25, 2, true},				/* neither 0 nor 1 */
			{25, 0xff, true},
			{26, (uint64_t) PG_END_TIMESTAMP, false},	/* as_of past the range */
			{26, (uint64_t) INT64_MIN, false},	/* -infinity */
			{34, 0, false},				/* half-life 0 */
			{34, UINT64_C(0xffffffffffffffff), false},	/* half-life -1 */
		};

		for (size_t m = 0; m < sizeof(mutations) / sizeof(mutations[0]); m++)
		{
			memcpy(bad, good, sizeof(good));
			if (mutations[m].one_byte)
				bad[mutations[m].offset] = (unsigned char) mutations[m].value;
			else
				summary_put_be64(bad + mutations[m].offset, mutations[m].value);
			if (!CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_INVARIANT))
				printf("  mutation %zu\n", m);
		}
	}

	/* An unset summary must be all zeros after the flag too. */
	engagement_encode_binary(&(EngagementSummary) {0}, bad);
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_OK);
	bad[25] = 2;			/* a flag byte that is neither 0 nor 1, on an otherwise empty summary */
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_INVARIANT);
	bad[25] = 0;
	bad[41] = 1;
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_INVARIANT);
	bad[41] = 0;
	bad[33] = 1;
	CHECK_DECODE(decode_bytes(bad, sizeof(good), &back), DECODE_INVARIANT);
}
