/*
 * test_rollup.c: the subtract functions behind rollup's inverse transition
 * (kpi-spec section 6): decimal_sum_subtract, rate_subtract, nps_subtract,
 * churn_subtract, float_money_subtract and float_velocity_subtract.
 *
 * The property tests build a summary of rows A + B, a summary of B, and
 * (independently) a summary of A alone, or count A by brute force; taking B
 * out of A + B must give A, or say why it cannot.
 */
#include "tests.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/nps.h"
#include "core/rate.h"
#include "core/retention.h"
#include "core/velocity.h"

#define CHECK_STEP(actual, expected) CHECK_INT((actual), (expected))

static DecimalStep
add_text(DecimalSum *s, const char *text)
{
	TestNumeric n;

	return decimal_sum_add(s, NUMERIC(&n, text));
}

/* The held part at scale 8 (every held scale in these tests is at most 8). */
static __int128
held_at_8(const DecimalSum *s)
{
	__int128	v = s->held;

	for (int i = s->held_scale; i < 8; i++)
		v *= 10;
	return v;
}

/* ---- decimal_sum_subtract, by hand ---- */

TEST_CASE(rollup_decimal_subtract_known)
{
	DecimalSum	ab = {0};
	DecimalSum	b = {0};
	DecimalSum	empty = {0};
	DecimalSum	before;

	/*
	 * 1.5 + 2.25 + 3, then 2.25 out: the only value of scale 2 leaves, and
	 * the sum cannot know that 1.5 gives the rest scale 1: restart.
	 */
	add_text(&ab, "1.5");
	add_text(&ab, "2.25");
	add_text(&ab, "3");
	add_text(&b, "2.25");
	before = ab;
	CHECK_STEP(decimal_sum_subtract(&ab, &b), DECIMAL_RESTART);
	/* Unchanged on a restart. */
	CHECK(memcmp(&ab, &before, sizeof(ab)) == 0);

	/* Two values at scale 2, one leaves: the scale stays, one row carries it. */
	memset(&ab, 0, sizeof(ab));
	memset(&b, 0, sizeof(b));
	add_text(&ab, "1.10");
	add_text(&ab, "-3");
	add_text(&ab, "2.20");
	add_text(&b, "2.20");
	CHECK_STEP(decimal_sum_subtract(&ab, &b), DECIMAL_DONE);
	CHECK_HELD_VALUE(ab, "-1.90");
	CHECK_INT(ab.scale, 2);
	CHECK_INT(ab.scale_rows, 1);

	/* A value below the sum's scale leaves without touching the bookkeeping. */
	memset(&b, 0, sizeof(b));
	add_text(&b, "-3");
	CHECK_STEP(decimal_sum_subtract(&ab, &b), DECIMAL_DONE);
	CHECK_HELD_VALUE(ab, "1.10");
	CHECK_INT(ab.scale, 2);
	CHECK_INT(ab.scale_rows, 1);

	/* Scale 0: the last rows may leave; nothing is left to carry it. */
	memset(&ab, 0, sizeof(ab));
	memset(&b, 0, sizeof(b));
	add_text(&ab, "7");
	add_text(&ab, "5");
	add_text(&b, "7");
	add_text(&b, "5");
	CHECK_STEP(decimal_sum_subtract(&ab, &b), DECIMAL_DONE);
	CHECK_HELD_VALUE(ab, "0");
	CHECK_INT(ab.scale, 0);
	CHECK_INT(ab.scale_rows, 0);

	/* An empty sum leaves anything unchanged, and can be taken from itself. */
	memset(&ab, 0, sizeof(ab));
	add_text(&ab, "0.125");
	before = ab;
	CHECK_STEP(decimal_sum_subtract(&ab, &empty), DECIMAL_DONE);
	CHECK_HELD_VALUE(ab, "0.125");
	CHECK_INT(ab.scale_rows, before.scale_rows);
	memset(&b, 0, sizeof(b));
	CHECK_STEP(decimal_sum_subtract(&b, &empty), DECIMAL_DONE);
	CHECK_INT(b.scale_rows, 0);
}

TEST_CASE(rollup_decimal_subtract_not_in_sum)
{
	DecimalSum	into = {0};
	DecimalSum	from = {0};
	DecimalSum	before;

	/* from has a larger display scale than into holds. */
	add_text(&into, "1.5");
	add_text(&from, "0.25");
	before = into;
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_NOT_IN_SUM);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);

	/* More values at the scale than into has. */
	memset(&from, 0, sizeof(from));
	add_text(&from, "0.5");
	add_text(&from, "0.5");
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_NOT_IN_SUM);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);
}

TEST_CASE(rollup_decimal_subtract_spill)
{
	DecimalSum	into = {0};
	DecimalSum	from = {0};
	DecimalSum	before;

	/* -2^127 + 1 minus 2: the held difference does not fit; into keeps its held part. */
	into.held = TEST_INT128_MIN + 1;
	into.scale_rows = 3;
	from.held = 2;
	from.scale_rows = 1;
	before = into;
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_SPILL);
	CHECK_INT128(into.held, before.held);
	CHECK_INT(into.spilled, 1);
	CHECK_INT(into.scale_rows, 2);

	/* into's held part cannot be raised to from's held scale. */
	memset(&into, 0, sizeof(into));
	memset(&from, 0, sizeof(from));
	into.held = (__int128) 1 << 120;
	into.scale = 0;
	into.scale_rows = 2;
	add_text(&from, "0.5");
	/* from's scale 1 is above into's 0: not in the sum, whatever the held parts. */
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_NOT_IN_SUM);
	into.scale = 1;
	into.scale_rows = 2;
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_SPILL);
	CHECK_INT128(into.held, (__int128) 1 << 120);
	CHECK_INT(into.held_scale, 0);
	CHECK_INT(into.scale_rows, 1);

	/* A spilled from marks into spilled: the caller subtracts from's spill. */
	memset(&into, 0, sizeof(into));
	memset(&from, 0, sizeof(from));
	add_text(&into, "10");
	add_text(&into, "4");
	add_text(&from, "4");
	from.spilled = 1;
	CHECK_STEP(decimal_sum_subtract(&into, &from), DECIMAL_DONE);
	CHECK_INT(into.spilled, 1);
	CHECK_HELD_VALUE(into, "10");
}

/* One random value: up to 12 digits, display scale 0..6, as text and at scale 6. */
static void
random_value(Prng *prng, char *text, size_t size, int *dscale, __int128 *at_6)
{
	int64_t		unscaled = (int64_t) prng_below(prng, UINT64_C(1000000000000)) -
		(int64_t) 500000000000;
	int			scale = (int) prng_below(prng, 7);
	int64_t		magnitude = unscaled < 0 ? -unscaled : unscaled;
	int64_t		unit = 1;
	__int128	v = unscaled;

	for (int i = 0; i < scale; i++)
		unit *= 10;
	if (scale == 0)
		snprintf(text, size, "%lld", (long long) unscaled);
	else
		snprintf(text, size, "%s%lld.%0*lld", unscaled < 0 ? "-" : "",
				 (long long) (magnitude / unit), scale, (long long) (magnitude % unit));
	for (int i = scale; i < 6; i++)
		v *= 10;
	*dscale = scale;
	*at_6 = v;
}

/*
 * Random rows split into A and B: (A + B) - B is A, value, display scale and
 * the rows that carry it, against a brute-force count; or a restart exactly
 * when B takes every value of a positive display scale.
 */
TEST_CASE(property_rollup_decimal_subtract)
{
	Prng		prng = {20260601};
	int			restarts = 0;
	int			done = 0;

	for (int trial = 0; trial < 20000; trial++)
	{
		DecimalSum	ab = {0};
		DecimalSum	a = {0};
		DecimalSum	b = {0};
		DecimalSum	merged = {0};
		int			n = (int) prng_below(&prng, 10);
		int			scale_ab = 0;
		int			scale_a = 0;
		int			rows_ab = 0;
		int			rows_b = 0;
		int			rows_a = 0;
		__int128	value_a = 0;
		int			dscales[10];
		bool		in_b[10];
		DecimalStep step;

		for (int i = 0; i < n; i++)
		{
			char		text[40];
			__int128	at_6;

			random_value(&prng, text, sizeof(text), &dscales[i], &at_6);
			in_b[i] = prng_below(&prng, 2) == 0;
			add_text(&ab, text);
			add_text(in_b[i] ? &b : &a, text);
			if (!in_b[i])
				value_a += at_6;
		}
		for (int i = 0; i < n; i++)
		{
			scale_ab = dscales[i] > scale_ab ? dscales[i] : scale_ab;
			if (!in_b[i])
				scale_a = dscales[i] > scale_a ? dscales[i] : scale_a;
		}
		for (int i = 0; i < n; i++)
		{
			rows_ab += dscales[i] == scale_ab;
			rows_b += in_b[i] && dscales[i] == scale_ab;
			rows_a += !in_b[i] && dscales[i] == scale_a;
		}

		/* Merging A and B is A + B; the subtraction starts from either. */
		CHECK_STEP(decimal_sum_merge(&merged, &a), DECIMAL_DONE);
		CHECK_STEP(decimal_sum_merge(&merged, &b), DECIMAL_DONE);
		if (prng_below(&prng, 2))
			ab = merged;

		step = decimal_sum_subtract(&ab, &b);
		if (scale_ab > 0 && rows_b == rows_ab)
		{
			restarts++;
			if (!CHECK_STEP(step, DECIMAL_RESTART))
				break;
			continue;
		}
		done++;
		if (!CHECK_STEP(step, DECIMAL_DONE) ||
			!CHECK_INT128(held_at_8(&ab), value_a * 100) ||
			!CHECK_INT(ab.scale, scale_a) ||
			!CHECK_INT(ab.scale_rows, rows_a) ||
			!CHECK_INT(ab.spilled, 0) ||
			!CHECK_INT128(held_at_8(&ab), held_at_8(&a)) ||
			!CHECK_INT(ab.scale_rows, a.scale_rows))
			break;
	}
	/* Both outcomes were exercised. */
	CHECK(restarts > 1000);
	CHECK(done > 10000);
}

/* ---- counts ---- */

TEST_CASE(rollup_rate_subtract)
{
	RateSummary into = {.hits = 3, .trials = 10};
	RateSummary from = {.hits = 1, .trials = 4};
	RateSummary bad = {.hits = 3, .trials = 2};

	CHECK_KPI(rate_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.hits, 2);
	CHECK_INT(into.trials, 6);

	/* Hits or misses that into does not have. */
	from = (RateSummary) {.hits = 3, .trials = 3};
	CHECK_KPI(rate_subtract(&into, &from), KPI_NOT_IN_STATE);
	from = (RateSummary) {.hits = 0, .trials = 5};
	CHECK_KPI(rate_subtract(&into, &from), KPI_NOT_IN_STATE);
	CHECK_KPI(rate_subtract(&into, &bad), KPI_HITS_EXCEED_TRIALS);
	CHECK_INT(into.hits, 2);
	CHECK_INT(into.trials, 6);

	/* All of it. */
	CHECK_KPI(rate_subtract(&into, &into), KPI_OK);
	CHECK_INT(into.hits, 0);
	CHECK_INT(into.trials, 0);
}

TEST_CASE(property_rollup_counts_subtract)
{
	Prng		prng = {77};

	for (int trial = 0; trial < 20000; trial++)
	{
		RateSummary a = {0};
		RateSummary b = {0};
		RateSummary ab;
		NpsSummary	na = {0};
		NpsSummary	nb = {0};
		NpsSummary	nab;
		int64_t		trials_a = prng_count_upto(&prng, INT64_MAX / 4);
		int64_t		trials_b = prng_count_upto(&prng, INT64_MAX / 4);

		CHECK_KPI(rate_add_counts(&a, prng_count_upto(&prng, trials_a), trials_a), KPI_OK);
		CHECK_KPI(rate_add_counts(&b, prng_count_upto(&prng, trials_b), trials_b), KPI_OK);
		ab = a;
		CHECK_KPI(rate_merge(&ab, &b), KPI_OK);
		if (!CHECK_KPI(rate_subtract(&ab, &b), KPI_OK) ||
			!CHECK_INT(ab.hits, a.hits) || !CHECK_INT(ab.trials, a.trials))
			break;

		na = (NpsSummary) {prng_count_upto(&prng, INT64_MAX / 8),
			prng_count_upto(&prng, INT64_MAX / 8), prng_count_upto(&prng, INT64_MAX / 8)};
		nb = (NpsSummary) {prng_count_upto(&prng, INT64_MAX / 8),
			prng_count_upto(&prng, INT64_MAX / 8), prng_count_upto(&prng, INT64_MAX / 8)};
		nab = na;
		CHECK_KPI(nps_merge(&nab, &nb), KPI_OK);
		if (!CHECK_KPI(nps_subtract(&nab, &nb), KPI_OK) ||
			!CHECK(memcmp(&nab, &na, sizeof(na)) == 0))
			break;
		/* B is not in A unless each of its counts is (or it is empty). */
		if (nb.promoters > na.promoters || nb.passives > na.passives ||
			nb.detractors > na.detractors)
		{
			if (!CHECK_KPI(nps_subtract(&nab, &nb), KPI_NOT_IN_STATE) ||
				!CHECK(memcmp(&nab, &na, sizeof(na)) == 0))
				break;
		}
	}
}

TEST_CASE(rollup_nps_subtract)
{
	NpsSummary	into = {5, 3, 2};
	NpsSummary	from = {1, 3, 0};
	NpsSummary	negative = {-1, 0, 0};

	CHECK_KPI(nps_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.promoters, 4);
	CHECK_INT(into.passives, 0);
	CHECK_INT(into.detractors, 2);
	CHECK_KPI(nps_subtract(&into, &from), KPI_NOT_IN_STATE);
	CHECK_KPI(nps_subtract(&into, &negative), KPI_NEGATIVE_TRIALS);
	CHECK_INT(into.promoters, 4);
}

TEST_CASE(rollup_churn_subtract)
{
	ChurnPeriod january = {.start = 9131, .end = 9162, .unit = CHURN_UNIT_DAY};
	ChurnPeriod february = {.start = 9162, .end = 9190, .unit = CHURN_UNIT_DAY};
	ChurnSummary into = {.customers_at_start = 10, .churned = 3, .period = january};
	ChurnSummary from = {.customers_at_start = 4, .churned = 1, .period = january};
	ChurnSummary none = {0};
	ChurnSummary before;
	bool		restart;

	CHECK_KPI(churn_subtract(&into, &from, &restart), KPI_OK);
	CHECK(!restart);
	CHECK_INT(into.customers_at_start, 6);
	CHECK_INT(into.churned, 2);

	/* An empty summary (period none) leaves anything as it is. */
	CHECK_KPI(churn_subtract(&into, &none, &restart), KPI_OK);
	CHECK(!restart);
	CHECK_INT(into.customers_at_start, 6);
	CHECK_KPI(churn_subtract(&none, &from, &restart), KPI_NOT_IN_STATE);

	/* Another period, or more churned (retained) customers than into has. */
	before = into;
	from.period = february;
	CHECK_KPI(churn_subtract(&into, &from, &restart), KPI_PERIOD_CHANGED);
	from = (ChurnSummary) {.customers_at_start = 3, .churned = 3, .period = january};
	CHECK_KPI(churn_subtract(&into, &from, &restart), KPI_NOT_IN_STATE);
	from = (ChurnSummary) {.customers_at_start = 5, .churned = 0, .period = january};
	CHECK_KPI(churn_subtract(&into, &from, &restart), KPI_NOT_IN_STATE);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);

	/* No customer would remain: recompute, into unchanged. */
	from = into;
	CHECK_KPI(churn_subtract(&into, &from, &restart), KPI_OK);
	CHECK(restart);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);
}

/* ---- double precision ---- */

TEST_CASE(rollup_float_money_subtract)
{
	FloatMoneySummary into = {0};
	FloatMoneySummary from = {0};
	FloatMoneySummary before;

	CHECK_KPI(float_money_add(&into, 0.1, 2), KPI_OK);
	CHECK_KPI(float_money_add(&into, 0.2, 3), KPI_OK);
	CHECK_KPI(float_money_add(&into, 1e16, 1), KPI_OK);
	CHECK_KPI(float_money_add(&from, 1e16, 1), KPI_OK);
	CHECK_KPI(float_money_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.rows, 2);
	/* The compensated sum keeps 0.1 + 0.2 under 1e16 and gets it back. */
	CHECK_DOUBLE(float_sum_value(&into.numerator), 0.1 + 0.2);
	CHECK_DOUBLE(float_sum_value(&into.denominator), 5.0);

	/* More rows than into has. */
	from.rows = 3;
	before = into;
	CHECK_KPI(float_money_subtract(&into, &from), KPI_NOT_IN_STATE);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);

	/* All rows: exactly zero, whatever rounding came before. */
	from = into;
	from.numerator.sum += 1e-3;
	CHECK_KPI(float_money_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.rows, 0);
	CHECK_DOUBLE(into.numerator.sum, 0.0);
	CHECK_DOUBLE(into.numerator.error, 0.0);
	CHECK_DOUBLE(into.denominator.sum, 0.0);

	/* Leaving the doubles: the caller recomputes; into unchanged. */
	memset(&into, 0, sizeof(into));
	memset(&from, 0, sizeof(from));
	into.rows = 2;
	into.numerator.sum = DBL_MAX;
	from.rows = 1;
	from.numerator.sum = -DBL_MAX;
	before = into;
	CHECK_KPI(float_money_subtract(&into, &from), KPI_OVERFLOW);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);
}

/*
 * Money in quarters is exact in double precision: (A + B) - B must be the
 * exact sum of A. Money in cents is not: it must equal A summed on its own,
 * the guarantee of the KPIs' own inverse.
 */
TEST_CASE(property_rollup_float_money_subtract)
{
	Prng		prng = {4242};

	for (int trial = 0; trial < 5000; trial++)
	{
		FloatMoneySummary quarters_ab = {0};
		FloatMoneySummary quarters_b = {0};
		FloatMoneySummary cents_ab = {0};
		FloatMoneySummary cents_a = {0};
		FloatMoneySummary cents_b = {0};
		int			n = 1 + (int) prng_below(&prng, 40);
		int64_t		exact_quarters_a = 0;
		int64_t		count_a = 0;
		int			rows_a = 0;

		for (int i = 0; i < n; i++)
		{
			int64_t		q = (int64_t) prng_below(&prng, 8000000) - 4000000;
			int64_t		cents = (int64_t) prng_below(&prng, 2000000) - 1000000;
			int64_t		count = (int64_t) prng_below(&prng, 50);
			bool		in_b = prng_below(&prng, 3) == 0;

			CHECK_KPI(float_money_add(&quarters_ab, q / 4.0, (double) count), KPI_OK);
			CHECK_KPI(float_money_add(&cents_ab, cents / 100.0, (double) count), KPI_OK);
			if (in_b)
			{
				CHECK_KPI(float_money_add(&quarters_b, q / 4.0, (double) count), KPI_OK);
				CHECK_KPI(float_money_add(&cents_b, cents / 100.0, (double) count), KPI_OK);
			}
			else
			{
				exact_quarters_a += q;
				count_a += count;
				rows_a++;
				CHECK_KPI(float_money_add(&cents_a, cents / 100.0, (double) count), KPI_OK);
			}
		}
		if (!CHECK_KPI(float_money_subtract(&quarters_ab, &quarters_b), KPI_OK) ||
			!CHECK_KPI(float_money_subtract(&cents_ab, &cents_b), KPI_OK) ||
			!CHECK_INT(quarters_ab.rows, rows_a) ||
			!CHECK_DOUBLE(float_sum_value(&quarters_ab.numerator), exact_quarters_a / 4.0) ||
			!CHECK_DOUBLE(float_sum_value(&quarters_ab.denominator), (double) count_a) ||
			!CHECK_DOUBLE(float_sum_value(&cents_ab.numerator), float_sum_value(&cents_a.numerator)) ||
			!CHECK_DOUBLE(float_sum_value(&cents_ab.denominator), float_sum_value(&cents_a.denominator)))
			break;
	}
}

TEST_CASE(rollup_float_velocity_subtract)
{
	FloatVelocitySummary into = {0};
	FloatVelocitySummary from = {0};
	FloatVelocitySummary before;

	CHECK_KPI(float_velocity_add(&into, 100.5, true, 10), KPI_OK);
	CHECK_KPI(float_velocity_add(&into, 7.25, false, 20), KPI_OK);
	CHECK_KPI(float_velocity_add(&into, 0.1, true, 30), KPI_OK);
	CHECK_KPI(float_velocity_add(&from, 100.5, true, 10), KPI_OK);
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.rows, 2);
	CHECK_INT(into.won_rows, 1);
	CHECK_DOUBLE(float_sum_value(&into.won_amount), 0.1);
	CHECK_INT128(into.cycle_microseconds, 50);

	/* The last won row leaves: the won sum is exactly zero again. */
	memset(&from, 0, sizeof(from));
	CHECK_KPI(float_velocity_add(&from, 0.1, true, 30), KPI_OK);
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.rows, 1);
	CHECK_INT(into.won_rows, 0);
	CHECK_DOUBLE(into.won_amount.sum, 0.0);
	CHECK_DOUBLE(into.won_amount.error, 0.0);
	CHECK_INT128(into.cycle_microseconds, 20);
	CHECK_KPI(float_velocity_check(&into), KPI_OK);

	/* What into does not hold: a won row, a lost row too many, a longer cycle. */
	before = into;
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_NOT_IN_STATE);
	memset(&from, 0, sizeof(from));
	CHECK_KPI(float_velocity_add(&from, 1, false, 1), KPI_OK);
	CHECK_KPI(float_velocity_add(&from, 1, false, 1), KPI_OK);
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_NOT_IN_STATE);
	memset(&from, 0, sizeof(from));
	CHECK_KPI(float_velocity_add(&from, 1, false, 21), KPI_OK);
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_NOT_IN_STATE);
	CHECK(memcmp(&into, &before, sizeof(into)) == 0);

	/* All of it: exactly zero. */
	from = into;
	CHECK_KPI(float_velocity_subtract(&into, &from), KPI_OK);
	CHECK_INT(into.rows, 0);
	CHECK_INT128(into.cycle_microseconds, 0);
	CHECK_KPI(float_velocity_check(&into), KPI_OK);
}

/* (A + B) - B against A summed on its own: rows, won rows, won sum and the exact cycles. */
TEST_CASE(property_rollup_float_velocity_subtract)
{
	Prng		prng = {1999};

	for (int trial = 0; trial < 5000; trial++)
	{
		FloatVelocitySummary ab = {0};
		FloatVelocitySummary a = {0};
		FloatVelocitySummary b = {0};
		int			n = 1 + (int) prng_below(&prng, 30);

		for (int i = 0; i < n; i++)
		{
			double		amount = ((int64_t) prng_below(&prng, 100000000) - 20000000) / 100.0;
			bool		won = prng_below(&prng, 2) == 0;
			kpi_int128	cycle = (kpi_int128) prng_below(&prng, UINT64_C(1) << 50);
			FloatVelocitySummary *part = prng_below(&prng, 2) ? &a : &b;

			CHECK_KPI(float_velocity_add(&ab, amount, won, cycle), KPI_OK);
			CHECK_KPI(float_velocity_add(part, amount, won, cycle), KPI_OK);
		}
		if (!CHECK_KPI(float_velocity_subtract(&ab, &b), KPI_OK) ||
			!CHECK_INT(ab.rows, a.rows) ||
			!CHECK_INT(ab.won_rows, a.won_rows) ||
			!CHECK_INT128(ab.cycle_microseconds, a.cycle_microseconds) ||
			!CHECK_DOUBLE(float_sum_value(&ab.won_amount), float_sum_value(&a.won_amount)))
			break;
		if (a.won_rows == 0 && !CHECK_DOUBLE(ab.won_amount.sum, 0.0))
			break;
	}
}
