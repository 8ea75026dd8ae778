/*
 * test_lift.c: engagement_lift's core (lift.h, lift.c): the quartile result
 * against a brute-force reference (a full sort, explicit ntile(4) numbering
 * and Shewchuk's exact summation), order independence, merge, the sliding
 * frame's remove-front, the growth policy, selection, the exact sum, and the
 * text and binary codecs.
 */
#include "tests.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lift.h"

/* ---------- references, written from the definitions ---------- */

/*
 * Shewchuk's exactly rounded sum (as Python's math.fsum): non-overlapping
 * partials, then a correctly rounded total. Independent of the core's
 * fixed-point accumulator.
 */
static double
ref_fsum(const double *x, size_t n)
{
	double	   *p = malloc((n + 2) * sizeof(double));
	size_t		np = 0;
	double		hi = 0.0;

	for (size_t k = 0; k < n; k++)
	{
		double		v = x[k];
		size_t		i = 0;

		for (size_t j = 0; j < np; j++)
		{
			double		y = p[j];
			double		h;
			double		lo;

			if (fabs(v) < fabs(y))
			{
				double		t = v;

				v = y;
				y = t;
			}
			h = v + y;
			lo = y - (h - v);
			if (lo != 0.0)
				p[i++] = lo;
			v = h;
		}
		p[i] = v;
		np = i + 1;
	}
	if (np > 0)
	{
		size_t		k = np;
		double		lo = 0.0;

		hi = p[--k];
		while (k > 0)
		{
			double		a = hi;
			double		y = p[--k];

			hi = a + y;
			lo = y - (hi - a);
			if (lo != 0.0)
				break;
		}
		if (k > 0 && ((lo < 0.0 && p[k - 1] < 0.0) || (lo > 0.0 && p[k - 1] > 0.0)))
		{
			double		y = lo * 2.0;
			double		a = hi + y;

			if (y == a - hi)
				hi = a;
		}
	}
	free(p);
	return hi;
}

static int
ref_compare(const void *a, const void *b)
{
	const LiftPair *x = a;
	const LiftPair *y = b;

	if (x->engagement < y->engagement)
		return -1;
	if (x->engagement > y->engagement)
		return 1;
	if (x->outcome < y->outcome)
		return -1;
	if (x->outcome > y->outcome)
		return 1;
	return 0;
}

/*
 * avg(outcome) FILTER (WHERE q = 4) / avg(outcome) FILTER (WHERE q = 1) - 1
 * with q = ntile(4) OVER (ORDER BY engagement, outcome): sort, number the
 * rows into 4 buckets the way ntile does (the first n mod 4 buckets one row
 * larger), average buckets 1 and 4. False where SQL gives NULL: an empty
 * bucket (n < 4) or a bottom mean of 0 (nullif).
 */
static bool
ref_lift(const LiftPair *pairs, int64_t n, double *out)
{
	LiftPair   *sorted = malloc((size_t) (n + 1) * sizeof(LiftPair));
	double	   *q1 = malloc((size_t) (n + 1) * sizeof(double));
	double	   *q4 = malloc((size_t) (n + 1) * sizeof(double));
	size_t		n1 = 0;
	size_t		n4 = 0;
	int64_t		row = 0;
	bool		defined = false;

	memcpy(sorted, pairs, (size_t) n * sizeof(LiftPair));
	qsort(sorted, (size_t) n, sizeof(LiftPair), ref_compare);
	for (int bucket = 1; bucket <= 4; bucket++)
	{
		int64_t		size = n / 4 + (bucket <= n % 4 ? 1 : 0);

		for (int64_t i = 0; i < size; i++, row++)
		{
			if (bucket == 1)
				q1[n1++] = sorted[row].outcome;
			if (bucket == 4)
				q4[n4++] = sorted[row].outcome;
		}
	}
	if (row != n)
		abort();
	if (n1 > 0 && n4 > 0)
	{
		double		bottom = ref_fsum(q1, n1) / (double) n1;
		double		top = ref_fsum(q4, n4) / (double) n4;

		if (bottom != 0.0)
		{
			*out = top / bottom - 1.0;
			defined = true;
		}
	}
	free(sorted);
	free(q1);
	free(q4);
	return defined;
}

/* ---------- a state grown the way the PostgreSQL layer grows it ---------- */

static void
state_init(LiftPairs *p)
{
	memset(p, 0, sizeof(*p));
}

static void
state_free(LiftPairs *p)
{
	free(p->pairs);
	memset(p, 0, sizeof(*p));
}

static void
state_reserve(LiftPairs *p, int64_t more)
{
	int64_t		room;
	LiftPair   *grown;

	if (lift_make_room(p, more))
		return;
	room = lift_grown_room(p->room, p->count + more, LIFT_HEADER_BYTES);
	if (room < p->count + more)
		abort();
	grown = malloc((size_t) room * sizeof(LiftPair));
	if (p->count > 0)
		memcpy(grown, p->pairs + p->head, (size_t) p->count * sizeof(LiftPair));
	free(p->pairs);
	p->pairs = grown;
	p->head = 0;
	p->room = room;
}

static void
state_add(LiftPairs *p, double engagement, double outcome)
{
	state_reserve(p, 1);
	lift_append(p, engagement, outcome);
}

static void
state_merge(LiftPairs *into, const LiftPairs *from)
{
	if (from->count == 0)
		return;
	state_reserve(into, from->count);
	lift_append_all(into, from->pairs + from->head, from->count);
}

/* The core's lift of a state's live pairs, on a copy. */
static KpiStatus
state_lift(const LiftPairs *p, double *lift, bool *defined)
{
	LiftPair   *copy = malloc((size_t) (p->count + 1) * sizeof(LiftPair));
	KpiStatus	status;

	if (p->count > 0)
		memcpy(copy, p->pairs + p->head, (size_t) p->count * sizeof(LiftPair));
	status = lift_value(copy, p->count, lift, defined);
	free(copy);
	return status;
}

/* ---------- generated groups ---------- */

static double
random_double(Prng *prng, int kind)
{
	switch (kind)
	{
		case 0:					/* heavy ties, signed zeros, zero bottom means */
			{
				static const double values[] = {0.0, -0.0, 1.0, 2.0, -1.0, 3.0};

				return values[prng_below(prng, 6)];
			}
		case 1:					/* small integers, as engagement minutes and days */
			return (double) prng_below(prng, 21);
		case 2:					/* any magnitude from 2^-60 to 2^60, either sign */
			{
				double		m = (double) (prng_next(prng) >> 11) / 9007199254740992.0;

				return ldexp(prng_below(prng, 2) ? -m : m, (int) prng_below(prng, 121) - 60);
			}
		default:				/* cancellation: large values of both signs and small ones */
			{
				static const double values[] = {1e15, -1e15, 0.1, 0.2, -0.3, 1e-300, 7.0};

				return values[prng_below(prng, 7)];
			}
	}
}

static void
random_pairs(Prng *prng, LiftPair *pairs, int64_t n, int kind)
{
	for (int64_t i = 0; i < n; i++)
	{
		pairs[i].engagement = random_double(prng, kind == 3 ? 1 : kind);
		pairs[i].outcome = random_double(prng, kind);
	}
}

static void
shuffle(Prng *prng, LiftPair *pairs, int64_t n)
{
	for (int64_t i = n - 1; i > 0; i--)
	{
		int64_t		j = (int64_t) prng_below(prng, (uint64_t) i + 1);
		LiftPair	t = pairs[i];

		pairs[i] = pairs[j];
		pairs[j] = t;
	}
}

/* The core and the reference agree, to the bit. */
static bool
check_against_reference(const LiftPair *pairs, int64_t n)
{
	LiftPair   *work = malloc((size_t) (n + 1) * sizeof(LiftPair));
	double		lift = 0;
	double		expected = 0;
	bool		defined;
	bool		expected_defined = ref_lift(pairs, n, &expected);
	bool		ok;

	memcpy(work, pairs, (size_t) n * sizeof(LiftPair));
	if (expected_defined && !isfinite(expected))
		/* Means too far apart for their ratio to be a double: an error, not infinity. */
		ok = CHECK_KPI(lift_value(work, n, &lift, &defined), KPI_OVERFLOW);
	else
	{
		ok = CHECK_KPI(lift_value(work, n, &lift, &defined), KPI_OK);
		ok = ok && CHECK_INT(defined, expected_defined);
		if (ok && defined)
			ok = CHECK_DOUBLE(lift, expected);
	}
	/* The state is rearranged, never changed: the same multiset. */
	qsort(work, (size_t) n, sizeof(LiftPair), ref_compare);
	{
		LiftPair   *sorted = malloc((size_t) (n + 1) * sizeof(LiftPair));

		memcpy(sorted, pairs, (size_t) n * sizeof(LiftPair));
		qsort(sorted, (size_t) n, sizeof(LiftPair), ref_compare);
		for (int64_t i = 0; ok && i < n; i++)
			ok = CHECK(ref_compare(&work[i], &sorted[i]) == 0);
		free(sorted);
	}
	free(work);
	return ok;
}

/* ---------- the result ---------- */

TEST_CASE(lift_quartile_sizes)
{
	/* ntile(4) of n rows: the first n mod 4 buckets get the extra row. */
	static const int64_t bottom[] = {0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
	static const int64_t top[] = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3};

	for (int64_t n = 0; n <= 12; n++)
	{
		CHECK_INT(lift_bottom_rows(n), bottom[n]);
		CHECK_INT(lift_top_rows(n), top[n]);
	}
	CHECK_INT(lift_bottom_rows(10000001), 2500001);
	CHECK_INT(lift_top_rows(10000003), 2500000);
}

TEST_CASE(lift_worked_example)
{
	/*
	 * The docs' example, by hand: 6 accounts ordered by (engagement, outcome)
	 * are (1,60) (2,50) | (2,55) (3,40) | (4,35) | (5,30): ntile 1 is the
	 * first 2 rows (6 mod 4 = 2 buckets of 2), ntile 4 the last 1. Bottom
	 * mean 55, top mean 30: 30/55 - 1.
	 */
	LiftPair	pairs[] = {{5, 30}, {2, 55}, {4, 35}, {1, 60}, {3, 40}, {2, 50}};
	double		lift;
	bool		defined;

	CHECK_KPI(lift_value(pairs, 6, &lift, &defined), KPI_OK);
	CHECK(defined);
	CHECK_DOUBLE(lift, 30.0 / 55.0 - 1.0);
}

TEST_CASE(lift_undefined_and_errors)
{
	LiftPair	three[] = {{1, 1}, {2, 2}, {3, 3}};
	LiftPair	zero_bottom[] = {{1, 0}, {2, 5}, {3, 5}, {4, 5}};
	LiftPair	cancelling_bottom[] = {{1, -2}, {1, 2}, {2, 5}, {3, 5}, {4, 5}, {5, 5}, {6, 5}, {7, 5}};
	LiftPair	negative_bottom[] = {{1, -10}, {2, 0}, {3, 0}, {4, 5}};
	LiftPair	nan_pair[] = {{1, 1}, {2, NAN}, {3, 3}, {4, 4}};
	LiftPair	inf_pair[] = {{INFINITY, 1}};
	LiftPair	huge[] = {{1, DBL_MAX}, {1, DBL_MAX}, {2, 1}, {3, 1}, {4, DBL_MAX}, {5, DBL_MAX},
	{6, DBL_MAX}, {7, DBL_MAX}};
	LiftPair	tiny_bottom[] = {{1, 1e-300}, {2, 0}, {3, 0}, {4, 1e300}};
	double		lift;
	bool		defined;

	CHECK_KPI(lift_value(NULL, 0, &lift, &defined), KPI_OK);
	CHECK(!defined);
	CHECK_KPI(lift_value(three, 3, &lift, &defined), KPI_OK);
	CHECK(!defined);
	CHECK_KPI(lift_value(zero_bottom, 4, &lift, &defined), KPI_OK);
	CHECK(!defined);
	/* -2 and 2 tie on engagement: the bottom quartile is both, mean exactly 0. */
	CHECK_KPI(lift_value(cancelling_bottom, 8, &lift, &defined), KPI_OK);
	CHECK(!defined);
	/* A negative bottom mean flips the sign: top 5 over bottom -10. */
	CHECK_KPI(lift_value(negative_bottom, 4, &lift, &defined), KPI_OK);
	CHECK(defined);
	CHECK_DOUBLE(lift, -1.5);
	CHECK_KPI(lift_value(nan_pair, 4, &lift, &defined), KPI_INCONSISTENT);
	CHECK_KPI(lift_value(inf_pair, 1, &lift, &defined), KPI_INCONSISTENT);
	/* The top sum is 2 DBL_MAX: exact inside, beyond the range once rounded. */
	CHECK_KPI(lift_value(huge, 8, &lift, &defined), KPI_OVERFLOW);
	CHECK_KPI(lift_value(tiny_bottom, 4, &lift, &defined), KPI_OVERFLOW);
}

TEST_CASE(lift_against_reference_small_groups)
{
	Prng		prng = {1};
	LiftPair	pairs[12];
	int			failures = 0;

	/* Every n from 0 to 12, 400 groups per kind of data: 20,800 groups. */
	for (int kind = 0; kind < 4; kind++)
		for (int64_t n = 0; n <= 12; n++)
			for (int rep = 0; rep < 400 && failures < 5; rep++)
			{
				random_pairs(&prng, pairs, n, kind);
				if (!check_against_reference(pairs, n))
					failures++;
			}
}

TEST_CASE(lift_against_reference_larger_groups)
{
	Prng		prng = {2};
	LiftPair   *pairs = malloc(5000 * sizeof(LiftPair));
	int			failures = 0;

	/* 2,000 groups of 13 to 400 rows, and a few of up to 5,000. */
	for (int rep = 0; rep < 2000 && failures < 5; rep++)
	{
		int64_t		n = 13 + (int64_t) prng_below(&prng, 388);

		random_pairs(&prng, pairs, n, rep % 4);
		if (!check_against_reference(pairs, n))
			failures++;
	}
	for (int rep = 0; rep < 8 && failures < 5; rep++)
	{
		int64_t		n = 1000 + (int64_t) prng_below(&prng, 4001);

		random_pairs(&prng, pairs, n, rep % 4);
		if (!check_against_reference(pairs, n))
			failures++;
	}
	free(pairs);
}

TEST_CASE(lift_order_independence)
{
	Prng		prng = {3};
	LiftPair	pairs[300];
	LiftPair	work[300];
	int			failures = 0;

	for (int rep = 0; rep < 1500 && failures < 5; rep++)
	{
		int64_t		n = (int64_t) prng_below(&prng, 301);
		double		first;
		double		again;
		bool		d1;
		bool		d2;
		KpiStatus	status;

		random_pairs(&prng, pairs, n, rep % 4);
		memcpy(work, pairs, sizeof(pairs));
		status = lift_value(work, n, &first, &d1);
		for (int s = 0; s < 3; s++)
		{
			shuffle(&prng, pairs, n);
			memcpy(work, pairs, sizeof(pairs));
			if (!CHECK_KPI(lift_value(work, n, &again, &d2), status) ||
				!CHECK_INT(d2, d1) || (d1 && !CHECK_DOUBLE(again, first)))
			{
				failures++;
				break;
			}
		}
	}
}

/* ---------- the state ---------- */

TEST_CASE(lift_merge_equals_sequential)
{
	Prng		prng = {4};
	int			failures = 0;

	for (int rep = 0; rep < 500 && failures < 5; rep++)
	{
		int64_t		n = (int64_t) prng_below(&prng, 3000);
		int			nparts = 1 + (int) prng_below(&prng, 5);
		LiftPair   *pairs = malloc((size_t) (n + 1) * sizeof(LiftPair));
		LiftPairs	whole;
		LiftPairs	merged;
		LiftPairs	part;
		int64_t		at = 0;
		double		a = 0;
		double		b = 0;
		bool		da;
		bool		db;
		bool		ok = true;

		random_pairs(&prng, pairs, n, rep % 4);
		state_init(&whole);
		state_init(&merged);
		for (int64_t i = 0; i < n; i++)
			state_add(&whole, pairs[i].engagement, pairs[i].outcome);
		/* Parts as parallel workers make them, merged in order. */
		for (int k = 0; k < nparts; k++)
		{
			int64_t		end = k == nparts - 1 ? n : at + (int64_t) prng_below(&prng, (uint64_t) (n - at + 1));

			state_init(&part);
			for (; at < end; at++)
				state_add(&part, pairs[at].engagement, pairs[at].outcome);
			state_merge(&merged, &part);
			state_free(&part);
		}
		ok = ok && CHECK_INT(merged.count, n);
		ok = ok && CHECK_INT(whole.count, n);
		if (ok && n > 0)
			ok = CHECK(memcmp(merged.pairs + merged.head, whole.pairs + whole.head,
							  (size_t) n * sizeof(LiftPair)) == 0);
		ok = ok && CHECK_KPI(state_lift(&merged, &b, &db), state_lift(&whole, &a, &da));
		ok = ok && CHECK_INT(db, da);
		if (ok && da)
			ok = CHECK_DOUBLE(b, a);
		if (!ok)
			failures++;
		state_free(&whole);
		state_free(&merged);
		free(pairs);
	}
}

TEST_CASE(lift_sliding_frame_equals_rebuilt)
{
	Prng		prng = {5};
	int			failures = 0;

	for (int rep = 0; rep < 60 && failures < 3; rep++)
	{
		int64_t		n = 200 + (int64_t) prng_below(&prng, rep % 3 == 0 ? 1300 : 3000);
		int64_t		width = 1 + (int64_t) prng_below(&prng, rep % 3 == 0 ? 1000 : 40);
		LiftPair   *pairs = malloc((size_t) n * sizeof(LiftPair));
		LiftPairs	frame;
		int64_t		max_room = 0;

		random_pairs(&prng, pairs, n, rep % 4);
		state_init(&frame);
		for (int64_t i = 0; i < n && failures < 3; i++)
		{
			LiftPairs	rebuilt;
			int64_t		start = i - width + 1 < 0 ? 0 : i - width + 1;
			double		a = 0;
			double		b = 0;
			bool		da;
			bool		db;
			bool		ok;

			/* The frame [i - width + 1, i]: its oldest row leaves, row i comes in. */
			if (i - width >= 0)
				CHECK(lift_remove_front(&frame, pairs[i - width].engagement,
										pairs[i - width].outcome));
			state_add(&frame, pairs[i].engagement, pairs[i].outcome);
			if (frame.room > max_room)
				max_room = frame.room;

			state_init(&rebuilt);
			for (int64_t j = start; j <= i; j++)
				state_add(&rebuilt, pairs[j].engagement, pairs[j].outcome);
			ok = CHECK_INT(frame.count, rebuilt.count) &&
				CHECK(memcmp(frame.pairs + frame.head, rebuilt.pairs,
							 (size_t) rebuilt.count * sizeof(LiftPair)) == 0);
			ok = ok && CHECK_KPI(state_lift(&frame, &a, &da), state_lift(&rebuilt, &b, &db));
			ok = ok && CHECK_INT(da, db);
			if (ok && da)
				ok = CHECK_DOUBLE(a, b);
			if (!ok)
				failures++;
			state_free(&rebuilt);
		}
		/* Compaction keeps a sliding state near its frame: at most 2.5 times it, and 64 pairs. */
		CHECK(max_room <= (width * 5) / 2 + 64);
		state_free(&frame);
		free(pairs);
	}
}

TEST_CASE(lift_remove_front_mismatch)
{
	LiftPairs	p;
	LiftPairs	before;

	state_init(&p);
	CHECK(!lift_remove_front(&p, 0, 0));	/* empty */
	state_add(&p, 1, 2);
	state_add(&p, 3, 4);
	state_add(&p, 0.0, 5);
	before = p;
	CHECK(!lift_remove_front(&p, 3, 4));	/* not the head: the frame is recomputed */
	CHECK(!lift_remove_front(&p, 1, 2.0000000000000004));
	CHECK(!lift_remove_front(&p, -0.0 + 1, -2));
	CHECK_INT(p.count, before.count);
	CHECK_INT(p.head, before.head);
	CHECK(lift_remove_front(&p, 1, 2));
	CHECK(lift_remove_front(&p, 3, 4));
	/* Bitwise: -0 is not the 0 that was added. */
	CHECK(!lift_remove_front(&p, -0.0, 5));
	CHECK(lift_remove_front(&p, 0.0, 5));
	CHECK_INT(p.count, 0);
	CHECK_INT(p.head, 0);
	state_free(&p);
}

TEST_CASE(lift_growth_policy)
{
	LiftPairs	p;
	LiftPair	buf[16];
	int64_t		room;

	/* Small states fill a power of two bytes with the 24-byte header. */
	CHECK_INT(lift_grown_room(0, 14, LIFT_HEADER_BYTES), 14);	/* 256 bytes */
	CHECK_INT(lift_grown_room(14, 15, LIFT_HEADER_BYTES), 30);	/* 512 */
	CHECK_INT(lift_grown_room(30, 31, LIFT_HEADER_BYTES), 62);
	CHECK_INT(lift_grown_room(510, 511, LIFT_HEADER_BYTES), 1022);	/* 16 kB */
	CHECK_INT(lift_grown_room(1022, 1023, LIFT_HEADER_BYTES), 2046);
	/* Large ones grow by a quarter, or to what is needed. */
	CHECK_INT(lift_grown_room(2046, 2047, 0), 2046 + 511);
	CHECK_INT(lift_grown_room(4000, 9000, 0), 9000);
	/* Never past the 1 GB limit; nothing beyond it. */
	CHECK_INT(lift_grown_room(60000000, 60000001, 0), LIFT_MAX_PAIRS);
	CHECK_INT(lift_grown_room(LIFT_MAX_PAIRS, LIFT_MAX_PAIRS + 1, 0), 0);
	CHECK_INT(LIFT_MAX_PAIRS, 67108862);
	CHECK(24 + 16 * LIFT_MAX_PAIRS <= 0x3FFFFFFF);
	CHECK(24 + 16 * (LIFT_MAX_PAIRS + 1) > 0x3FFFFFFF);
	/* Copies add up to a constant per row: 1M appends, rooms summed. */
	room = 14;
	{
		int64_t		copied = 0;

		while (room < 1000000)
		{
			copied += room;
			room = lift_grown_room(room, room + 1, room < LIFT_DOUBLING_LIMIT ? LIFT_HEADER_BYTES : 0);
		}
		CHECK(copied < 5 * room);
	}

	/* lift_make_room moves the live pairs only when the dead ones are a quarter of them. */
	p.pairs = buf;
	p.room = 16;
	p.head = 2;
	p.count = 14;
	for (int i = 0; i < 16; i++)
		buf[i].engagement = buf[i].outcome = i;
	CHECK(!lift_make_room(&p, 1));	/* 2 dead < 14 / 4 */
	CHECK_INT(p.head, 2);
	p.head = 4;
	p.count = 12;
	CHECK(lift_make_room(&p, 4));	/* 4 dead >= 12 / 4: moved */
	CHECK_INT(p.head, 0);
	CHECK_DOUBLE(buf[0].engagement, 4);
	CHECK_DOUBLE(buf[11].outcome, 15);
	CHECK(!lift_make_room(&p, 5));	/* 12 + 5 > 16 */
	p.count = 10;
	CHECK(lift_make_room(&p, 6));	/* fits at the end */
}

/* ---------- selection ---------- */

static bool
check_selected(const LiftPair *orig, LiftPair *a, int64_t n, int64_t k)
{
	LiftPair   *x = malloc((size_t) (n + 1) * sizeof(LiftPair));
	LiftPair   *y = malloc((size_t) (n + 1) * sizeof(LiftPair));
	bool		ok = true;

	/* Everything before k is <= everything from k on. */
	if (k > 0 && k < n)
	{
		LiftPair	max_low = a[0];
		LiftPair	min_high = a[k];

		for (int64_t i = 1; i < k; i++)
			if (ref_compare(&a[i], &max_low) > 0)
				max_low = a[i];
		for (int64_t i = k + 1; i < n; i++)
			if (ref_compare(&a[i], &min_high) < 0)
				min_high = a[i];
		ok = CHECK(ref_compare(&max_low, &min_high) <= 0);
	}
	/* Only rearranged. */
	memcpy(x, orig, (size_t) n * sizeof(LiftPair));
	memcpy(y, a, (size_t) n * sizeof(LiftPair));
	qsort(x, (size_t) n, sizeof(LiftPair), ref_compare);
	qsort(y, (size_t) n, sizeof(LiftPair), ref_compare);
	for (int64_t i = 0; ok && i < n; i++)
		ok = CHECK(memcmp(&x[i], &y[i], sizeof(LiftPair)) == 0 ||
				   ref_compare(&x[i], &y[i]) == 0);
	free(x);
	free(y);
	return ok;
}

TEST_CASE(lift_select_property)
{
	Prng		prng = {6};
	int64_t		n = 20000;
	LiftPair   *orig = malloc((size_t) n * sizeof(LiftPair));
	LiftPair   *a = malloc((size_t) n * sizeof(LiftPair));
	int			failures = 0;

	for (int shape = 0; shape < 8 && failures < 3; shape++)
	{
		for (int64_t i = 0; i < n; i++)
		{
			switch (shape)
			{
				case 0:			/* sorted */
					orig[i].engagement = (double) i;
					break;
				case 1:			/* reversed */
					orig[i].engagement = (double) (n - i);
					break;
				case 2:			/* all equal */
					orig[i].engagement = 5;
					break;
				case 3:			/* organ pipe */
					orig[i].engagement = (double) (i < n / 2 ? i : n - i);
					break;
				case 4:			/* two values */
					orig[i].engagement = (double) (i % 2);
					break;
				case 5:			/* sawtooth */
					orig[i].engagement = (double) (i % 97);
					break;
				default:
					orig[i].engagement = random_double(&prng, shape == 6 ? 2 : 0);
					break;
			}
			orig[i].outcome = shape == 2 ? (double) (i % 3) : random_double(&prng, 0);
		}
		for (int rep = 0; rep < 6; rep++)
		{
			int64_t		k = rep == 0 ? 1 : rep == 1 ? n - 1 : (int64_t) prng_below(&prng, (uint64_t) n + 1);

			memcpy(a, orig, (size_t) n * sizeof(LiftPair));
			lift_select(a, n, k);
			if (!check_selected(orig, a, n, k))
				failures++;
		}
	}
	/* Small arrays, every k. */
	for (int64_t m = 0; m <= 40 && failures < 3; m++)
		for (int64_t k = 0; k <= m; k++)
		{
			random_pairs(&prng, orig, m, 0);
			memcpy(a, orig, (size_t) m * sizeof(LiftPair));
			lift_select(a, m, k);
			if (!check_selected(orig, a, m, k))
				failures++;
		}
	free(orig);
	free(a);
}

TEST_CASE(lift_sort_fallback)
{
	Prng		prng = {7};
	LiftPair	a[500];
	LiftPair	b[500];

	for (int rep = 0; rep < 50; rep++)
	{
		int64_t		n = (int64_t) prng_below(&prng, 501);

		random_pairs(&prng, a, n, rep % 3);
		memcpy(b, a, sizeof(a));
		lift_sort(a, n);
		qsort(b, (size_t) n, sizeof(LiftPair), ref_compare);
		for (int64_t i = 0; i < n; i++)
			if (!CHECK(ref_compare(&a[i], &b[i]) == 0))
				break;
	}
}

/* ---------- the exact sum ---------- */

static double
core_sum(const double *x, size_t n)
{
	LiftExactSum s;

	lift_sum_init(&s);
	for (size_t i = 0; i < n; i++)
		lift_sum_add(&s, x[i]);
	return lift_sum_value(&s);
}

TEST_CASE(lift_exact_sum_known)
{
	double		tenths[10];
	double		cancel[] = {1.0, 1e100, 1.0, -1e100};
	double		big[] = {1e308, 1e308, -1e308};
	double		subnormal[] = {5e-324, 5e-324};
	double		tie_even[] = {1.0, 0x1p-53};
	double		tie_sticky[] = {1.0, 0x1p-53, 0x1p-105};
	double		tie_up[] = {1.0 + 0x1p-52, 0x1p-53};
	double		over[] = {DBL_MAX, DBL_MAX};
	double		under_over[] = {-DBL_MAX, -DBL_MAX};
	double		zeros[] = {-0.0, -0.0};
	double		round_trip[] = {3.0, -3.0, 0.5, -1e-310};

	for (int i = 0; i < 10; i++)
		tenths[i] = 0.1;
	CHECK_DOUBLE(core_sum(tenths, 10), 1.0);
	CHECK_DOUBLE(core_sum(cancel, 4), 2.0);
	CHECK_DOUBLE(core_sum(big, 3), 1e308);
	CHECK_DOUBLE(core_sum(subnormal, 2), 1e-323);
	CHECK_DOUBLE(core_sum(tie_even, 2), 1.0);
	CHECK_DOUBLE(core_sum(tie_sticky, 3), 1.0 + 0x1p-52);
	CHECK_DOUBLE(core_sum(tie_up, 2), 1.0 + 0x1p-51);
	CHECK(isinf(core_sum(over, 2)) && core_sum(over, 2) > 0);
	CHECK(isinf(core_sum(under_over, 2)) && core_sum(under_over, 2) < 0);
	CHECK_DOUBLE(core_sum(zeros, 2), 0.0);
	CHECK_DOUBLE(core_sum(round_trip, 4), 0.5 - 1e-310);
	CHECK_DOUBLE(core_sum(NULL, 0), 0.0);
}

TEST_CASE(lift_exact_sum_against_reference)
{
	Prng		prng = {8};
	double		x[600];
	int			failures = 0;

	for (int rep = 0; rep < 3000 && failures < 5; rep++)
	{
		size_t		n = (size_t) prng_below(&prng, 600);

		for (size_t i = 0; i < n; i++)
		{
			/* Exponents from the subnormals to 2^900, so some sums cancel deeply. */
			double		m = (double) (prng_next(&prng) >> 11) / 9007199254740992.0;
			int			e = rep % 3 == 0 ? (int) prng_below(&prng, 1950) - 1074
				: (int) prng_below(&prng, 200) - 100;

			x[i] = ldexp(prng_below(&prng, 2) ? -m : m, e);
			if (rep % 5 == 0 && i > 0 && prng_below(&prng, 3) == 0)
				x[i] = -x[prng_below(&prng, i)];
		}
		if (!CHECK_DOUBLE(core_sum(x, n), ref_fsum(x, n)))
			failures++;
	}
}

/* ---------- text form ---------- */

static DecodeStatus
parse_lift_text(const char *text, size_t len, LiftPair **pairs, int64_t *rows,
				DecodeError *error)
{
	char	   *copy = (char *) exact_copy(text, len);
	int64_t		capacity;
	DecodeStatus status = lift_parse_text_rows(copy, len, rows, &capacity, error);

	*pairs = NULL;
	if (status == DECODE_OK)
	{
		/* Exactly capacity, so that AddressSanitizer sees any write past it. */
		*pairs = malloc((size_t) (capacity > 0 ? capacity : 1) * sizeof(LiftPair));
		status = lift_parse_text(copy, len, *pairs, *rows, capacity, error);
	}
	free(copy);
	return status;
}

#define PARSE_LIFT(literal, pairs, rows, error) \
	parse_lift_text((literal), sizeof(literal) - 1, (pairs), (rows), (error))

TEST_CASE(lift_text_known)
{
	LiftPair	pairs[] = {{12.5, 30}, {40, 21}, {7, 45}};
	LiftPair	odd[] = {{0.1, -0.0}, {1e300, -2.5e-7}, {5e-324, DBL_MAX}, {-DBL_MIN, 1.0 / 3}};
	char		buf[512];
	LiftPair   *back;
	int64_t		rows;
	DecodeError error;

	CHECK_INT(lift_format_text(pairs, 3, buf, sizeof(buf)), strlen("v1 rows=3 pairs=12.5:30,40:21,7:45"));
	CHECK_STR(buf, "v1 rows=3 pairs=12.5:30,40:21,7:45");
	lift_format_text(NULL, 0, buf, sizeof(buf));
	CHECK_STR(buf, "v1 rows=0 pairs=none");
	lift_format_text(odd, 4, buf, sizeof(buf));
	CHECK_STR(buf, "v1 rows=4 pairs=0.1:-0,1e+300:-2.5e-07,4.94065645841247e-324:1.7976931348623157e+308,-2.2250738585072014e-308:0.3333333333333333");
	/* Too small a buffer: 0, never a cut text. */
	CHECK_INT(lift_format_text(pairs, 3, buf, 20), 0);
	CHECK_INT(lift_format_text(pairs, 3, buf, 34), 0);
	CHECK_INT(lift_format_text(pairs, 3, buf, 35), 34);

	CHECK_DECODE(PARSE_LIFT(" v1\trows=3  pairs=12.5:30,40:21,7:45\n", &back, &rows, &error), DECODE_OK);
	CHECK_INT(rows, 3);
	CHECK(memcmp(back, pairs, sizeof(pairs)) == 0);
	free(back);
	CHECK_DECODE(PARSE_LIFT("v1 rows=0 pairs=none", &back, &rows, &error), DECODE_OK);
	CHECK_INT(rows, 0);
	free(back);
	CHECK_DECODE(PARSE_LIFT("v1 rows=2 pairs=-1E+2:3.25e-3,0:-0", &back, &rows, &error), DECODE_OK);
	CHECK_DOUBLE(back[0].engagement, -100);
	CHECK_DOUBLE(back[0].outcome, 0.00325);
	CHECK(signbit(back[1].outcome));
	free(back);
}

TEST_CASE(lift_text_round_trip)
{
	Prng		prng = {9};
	LiftPair	pairs[200];
	int			failures = 0;

	for (int rep = 0; rep < 400 && failures < 5; rep++)
	{
		int64_t		n = (int64_t) prng_below(&prng, 200);
		size_t		size = lift_text_max(n);
		char	   *buf = malloc(size);
		size_t		len;
		LiftPair   *back = NULL;
		int64_t		rows;
		DecodeError error;

		for (int64_t i = 0; i < n; i++)
		{
			uint64_t	bits[2] = {prng_next(&prng), prng_next(&prng)};

			/* Any finite double: random bits, exponent all ones replaced. */
			for (int k = 0; k < 2; k++)
				if (((bits[k] >> 52) & 0x7ff) == 0x7ff)
					bits[k] &= ~(UINT64_C(1) << 62);
			memcpy(&pairs[i].engagement, &bits[0], 8);
			memcpy(&pairs[i].outcome, &bits[1], 8);
			if (rep % 4 == 0)
				pairs[i].outcome = random_double(&prng, 0);
		}
		len = lift_format_text(pairs, n, buf, size);
		if (!CHECK(len > 0 && len < size) ||
			!CHECK_DECODE(parse_lift_text(buf, len, &back, &rows, &error), DECODE_OK) ||
			!CHECK_INT(rows, n) ||
			!CHECK(n == 0 || memcmp(back, pairs, (size_t) n * sizeof(LiftPair)) == 0))
			failures++;
		free(back);
		free(buf);
	}
}

TEST_CASE(lift_text_rejects)
{
	static const struct
	{
		const char *text;
		DecodeStatus status;
	}			cases[] = {
		{"", DECODE_SYNTAX},
		{"rows=1 pairs=1:2", DECODE_SYNTAX},
		{"v2 rows=1 pairs=1:2", DECODE_VERSION},
		{"v0 rows=1 pairs=1:2", DECODE_VERSION},
		{"v1 rows=1", DECODE_SYNTAX},
		{"v1 pairs=1:2 rows=1", DECODE_SYNTAX},
		{"v1 rows=-1 pairs=1:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=", DECODE_SYNTAX},
		{"v1 rows=0 pairs=", DECODE_SYNTAX},
		{"v1 rows=3 pairs=1:2,3:4", DECODE_INVARIANT},
		{"v1 rows=1 pairs=1:2,3:4", DECODE_INVARIANT},
		{"v1 rows=0 pairs=1:2", DECODE_INVARIANT},
		{"v1 rows=1 pairs=none", DECODE_INVARIANT},
		{"v1 rows=1000000 pairs=1:2", DECODE_INVARIANT},
		{"v1 rows=67108863 pairs=1:2", DECODE_OUT_OF_RANGE},
		{"v1 rows=99999999999999999999 pairs=1:2", DECODE_OUT_OF_RANGE},
		{"v1 rows=1 pairs=nan:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1:NaN", DECODE_SYNTAX},
		{"v1 rows=1 pairs=inf:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1:-Infinity", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1e309:2", DECODE_OUT_OF_RANGE},
		{"v1 rows=1 pairs=1:-1e309", DECODE_OUT_OF_RANGE},
		{"v1 rows=1 pairs=1:000000000000000000000000000000000000000000000000000000000000000000001", DECODE_OUT_OF_RANGE},
		{"v1 rows=1 pairs=--1:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=+1:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1.:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=.5:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1e:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=0x1p3:2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1:2:3", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1;2", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1:2,", DECODE_SYNTAX},
		{"v1 rows=1 pairs=,1:2", DECODE_SYNTAX},
		{"v1 rows=2 pairs=1:2,,3:4", DECODE_SYNTAX},
		{"v1 rows=2 pairs=1:2, 3:4", DECODE_SYNTAX},
		{"v1 rows=1 pairs=1:2 x", DECODE_SYNTAX},
		{"v1 rows=1 pairs=nonE", DECODE_SYNTAX},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		LiftPair   *pairs;
		int64_t		rows;
		DecodeError error;

		if (!CHECK_DECODE(parse_lift_text(cases[i].text, strlen(cases[i].text), &pairs, &rows, &error),
						  cases[i].status))
			fprintf(stderr, "    text: %s\n", cases[i].text);
		free(pairs);
	}

	/* An embedded NUL ends nothing: it is a bad character. */
	{
		LiftPair   *pairs;
		int64_t		rows;
		DecodeError error;

		CHECK_DECODE(PARSE_LIFT("v1 rows=1 pairs=1:2\0", &pairs, &rows, &error), DECODE_SYNTAX);
		free(pairs);
		CHECK_DECODE(PARSE_LIFT("v1 rows=1 pairs=1\0:2", &pairs, &rows, &error), DECODE_SYNTAX);
		free(pairs);
	}

	/* Every proper prefix of a valid text fails (exact-length copies: no over-read). */
	{
		static const char valid[] = "v1 rows=3 pairs=12.5:-30,4e+1:21,7:4";

		for (size_t len = 0; len < sizeof(valid) - 1; len++)
		{
			LiftPair   *pairs;
			int64_t		rows;
			DecodeError error;

			if (!CHECK(parse_lift_text(valid, len, &pairs, &rows, &error) != DECODE_OK))
				fprintf(stderr, "    prefix of length %zu\n", len);
			free(pairs);
		}
	}
}

/* ---------- binary form ---------- */

TEST_CASE(lift_binary_known)
{
	LiftPair	pairs[] = {{1.0, -2.0}};
	static const unsigned char expected[] = {
		1,
		0, 0, 0, 0, 0, 0, 0, 1,
		0x3f, 0xf0, 0, 0, 0, 0, 0, 0,	/* 1.0 */
		0xc0, 0x00, 0, 0, 0, 0, 0, 0	/* -2.0 */
	};
	unsigned char out[sizeof(expected)];
	LiftPair	back[1];
	int64_t		n;
	DecodeError error;

	CHECK_INT(lift_binary_size(1), sizeof(expected));
	lift_encode_binary(pairs, 1, out);
	CHECK_BYTES(out, expected, sizeof(expected));
	CHECK_DECODE(lift_decode_binary_count(expected, sizeof(expected), &n, &error), DECODE_OK);
	CHECK_INT(n, 1);
	CHECK_DECODE(lift_decode_binary(expected, sizeof(expected), back, 1, &error), DECODE_OK);
	CHECK_DOUBLE(back[0].engagement, 1.0);
	CHECK_DOUBLE(back[0].outcome, -2.0);
	lift_encode_binary(NULL, 0, out);
	CHECK_DECODE(lift_decode_binary_count(out, LIFT_BINARY_HEADER, &n, &error), DECODE_OK);
	CHECK_INT(n, 0);
}

TEST_CASE(lift_binary_round_trip_and_rejects)
{
	Prng		prng = {10};
	LiftPair	pairs[64];
	LiftPair	back[64];
	unsigned char bytes[LIFT_BINARY_HEADER + 64 * LIFT_BINARY_PAIR + 1];
	int64_t		n = 5;
	size_t		size = lift_binary_size(n);
	int64_t		count;
	DecodeError error;

	for (int rep = 0; rep < 200; rep++)
	{
		int64_t		m = (int64_t) prng_below(&prng, 65);

		random_pairs(&prng, pairs, m, 2);
		lift_encode_binary(pairs, m, bytes);
		CHECK_DECODE(lift_decode_binary(bytes, lift_binary_size(m), back, m, &error), DECODE_OK);
		if (!CHECK(m == 0 || memcmp(back, pairs, (size_t) m * sizeof(LiftPair)) == 0))
			break;
	}

	random_pairs(&prng, pairs, n, 1);
	lift_encode_binary(pairs, n, bytes);
	/* Truncations, and one byte too many. */
	for (size_t len = 0; len < size; len++)
	{
		unsigned char *copy = exact_copy(bytes, len);

		CHECK_DECODE(lift_decode_binary_count(copy, len, &count, &error), DECODE_LENGTH);
		free(copy);
	}
	bytes[size] = 0;
	CHECK_DECODE(lift_decode_binary_count(bytes, size + 1, &count, &error), DECODE_LENGTH);
	/* Versions. */
	bytes[0] = 2;
	CHECK_DECODE(lift_decode_binary_count(bytes, size, &count, &error), DECODE_VERSION);
	CHECK_INT(error.version, 2);
	bytes[0] = 1;
	/* Counts: more than the bytes, negative, past the limit. */
	summary_put_be64(bytes + 1, 6);
	CHECK_DECODE(lift_decode_binary_count(bytes, size, &count, &error), DECODE_LENGTH);
	summary_put_be64(bytes + 1, UINT64_C(0x8000000000000005));
	CHECK_DECODE(lift_decode_binary_count(bytes, size, &count, &error), DECODE_OUT_OF_RANGE);
	summary_put_be64(bytes + 1, (uint64_t) LIFT_MAX_PAIRS + 1);
	CHECK_DECODE(lift_decode_binary_count(bytes, size, &count, &error), DECODE_OUT_OF_RANGE);
	summary_put_be64(bytes + 1, 5);
	CHECK_DECODE(lift_decode_binary(bytes, size, back, 5, &error), DECODE_OK);
	/* NaN and infinities in either place. */
	{
		static const uint64_t bad[] = {
			UINT64_C(0x7ff8000000000000), UINT64_C(0xfff0000000000000),
			UINT64_C(0x7ff0000000000000), UINT64_C(0x7ff0000000000001)
		};

		for (int b = 0; b < 4; b++)
			for (int at = 0; at < 2; at++)
			{
				unsigned char copy[sizeof(bytes)];

				memcpy(copy, bytes, size);
				summary_put_be64(copy + LIFT_BINARY_HEADER + 3 * LIFT_BINARY_PAIR + 8 * at, bad[b]);
				CHECK_DECODE(lift_decode_binary(copy, size, back, 5, &error), DECODE_INVARIANT);
			}
	}
}
