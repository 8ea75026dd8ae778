/*
 * test_confidence.c: the confidence functions (confidence.h, confidence.c):
 * the normal quantile, the Wilson score interval and the pooled two-proportion
 * z-test, against published worked values and against independent references
 * computed here by other means (bisection, the textbook formulas in long
 * double, Pearson's chi-square of the 2x2 table).
 *
 * Published values (the sources are named again in docs/confidence.md):
 *  - Wilson intervals: Newcombe R.G. (1998), "Two-sided confidence intervals
 *    for the single proportion: comparison of seven methods", Statistics in
 *    Medicine 17:857-872, Table I, score method without continuity
 *    correction, 95 %: 81/263 -> 0.2553, 0.3662; 15/148 -> 0.0624, 0.1605;
 *    0/20 -> 0, 0.1611; 1/29 -> 0.0061, 0.1718.
 *  - z-tests: Penn State STAT 414/415, "Comparing two proportions" (also on
 *    Statistics How To, "Two-proportion z-test"): 351/605 against 41/195,
 *    pooled 0.49, Z = 8.99, p < 0.0001. Prentice Hall TI-83 technology page
 *    "2-PropZTest": n1 = 200, p1 = .22, n2 = 300, p2 = .18, p-value .270.
 *    OpenIntro Statistics (3rd ed., section 6.2.3) mammogram example: the
 *    two-sided p-value of Z = -0.17 is 2 x 0.4325 = 0.8650.
 */
#include "tests.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "core/confidence.h"

/* |actual - expected| <= tolerance, printing both values when it fails. */
static bool
check_near(double actual, double expected, double tolerance,
		   const char *what, const char *file, int line)
{
	bool		ok = fabs(actual - expected) <= tolerance;

	if (!ok)
		printf("    %s: got %.17g, expected %.17g (difference %.3g, tolerance %.3g)\n",
			   what, actual, expected, actual - expected, tolerance);
	return test_check(ok, what, file, line);
}
#define CHECK_NEAR(actual, expected, tolerance) \
	check_near((actual), (expected), (tolerance), #actual, __FILE__, __LINE__)

/* A value rounded to `decimals` places, as a published table prints it. */
static long
rounded(double value, int decimals)
{
	return lround(value * pow(10.0, decimals));
}

/* P(Z > x), written out here so the tests do not lean on the core's helper. */
static double
reference_upper_tail(double x)
{
	return 0.5 * erfc(x / sqrt(2.0));
}

/* Trials for a random case: usually funnel-sized, one case in `every` huge. */
static int64_t
random_trials(Prng *prng, int i, int every, uint64_t small)
{
	int64_t		trials = i % every == 0 ? prng_count(prng)
		: (int64_t) prng_below(prng, small);

	return trials > 0 ? trials : 1;
}

static RateInterval
interval_of(int64_t hits, int64_t trials, double confidence)
{
	bool		defined = false;
	RateInterval interval = {NAN, NAN};

	CHECK_KPI(wilson_interval(hits, trials, confidence_z(confidence),
							  &defined, &interval), KPI_OK);
	CHECK(defined);
	return interval;
}

static bool
z_of(int64_t ha, int64_t ta, int64_t hb, int64_t tb, double *z)
{
	RateSummary a = {ha, ta};
	RateSummary b = {hb, tb};
	bool		defined = false;

	CHECK_KPI(two_proportion_z(&a, &b, &defined, z), KPI_OK);
	return defined;
}

/* ---- the normal quantile ---- */

TEST_CASE(confidence_quantile_known)
{
	/* The values of the brief, each to the digits it gives. */
	CHECK_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-15);
	CHECK_NEAR(normal_quantile(0.995), 2.5758293035489, 1e-13);
	CHECK_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-15);
	CHECK_NEAR(normal_quantile(0.025), -1.959963984540054, 1e-15);
	CHECK_NEAR(normal_quantile(0.005), -2.5758293035489, 1e-13);
	CHECK_DOUBLE(normal_quantile(0.5), 0.0);

	/* Two-sided levels: 95 %, 99 %, 90 %. */
	CHECK_NEAR(confidence_z(0.95), 1.959963984540054, 1e-15);
	CHECK_NEAR(confidence_z(0.99), 2.5758293035489, 1e-13);
	CHECK_NEAR(confidence_z(0.90), 1.6448536269514722, 1e-15);

	/* Outside (0, 1) there is no quantile. */
	CHECK(isnan(normal_quantile(0.0)));
	CHECK(isnan(normal_quantile(1.0)));
	CHECK(isnan(normal_quantile(-0.5)));
	CHECK(isnan(normal_quantile(NAN)));
	CHECK(isnan(normal_upper_quantile(0.0)));
	CHECK(isnan(normal_upper_quantile(1.0)));
}

/*
 * Round trip through erfc on thousands of points: a uniform grid of p, and
 * tails from 0.5 down to 1e-300. The tail is compared relatively, which is
 * what a p-value or a deep tail needs.
 */
TEST_CASE(confidence_quantile_round_trip)
{
	const int	grid = 5000;
	int			points = 0;
	double		previous = -INFINITY;

	for (int i = 1; i < grid; i++)
	{
		double		p = (double) i / grid;
		double		x = normal_quantile(p);
		double		tail = p < 0.5 ? p : 1.0 - p;
		double		back = reference_upper_tail(fabs(x));

		points++;
		if (!CHECK(fabs(back - tail) <= 1e-12 * tail) ||
			!CHECK(x > previous) ||
			/* symmetry: the quantile of 1 - p is minus that of p */
			!CHECK(fabs(normal_quantile(1.0 - p) + x) <= 1e-12 * fmax(1.0, fabs(x))))
		{
			printf("    at p = %.17g: x = %.17g, tail back %.17g\n", p, x, back);
			break;
		}
		previous = x;
	}
	for (int exponent = 1; exponent <= 300; exponent++)
	{
		for (int mantissa = 1; mantissa <= 9; mantissa += 2)
		{
			double		tail = mantissa * pow(10.0, -exponent);
			double		x = normal_upper_quantile(tail);
			double		back = reference_upper_tail(x);

			points++;
			if (!CHECK(fabs(back - tail) <= 1e-12 * tail) ||
				!CHECK(normal_quantile(tail) == -x))
			{
				printf("    at tail = %.17g: x = %.17g, tail back %.17g\n", tail, x, back);
				exponent = 301;
				break;
			}
		}
	}
	CHECK(points > 6000);
}

/* Against plain bisection on erfc: a second, independent inversion. */
TEST_CASE(confidence_quantile_bisection)
{
	for (int i = 0; i < 400; i++)
	{
		/* tails from 0.5 down to about 1e-40, log-spaced */
		double		tail = 0.5 * pow(10.0, -i / 10.0);
		double		lo = 0.0,
					hi = 40.0;

		for (int step = 0; step < 200 && hi - lo > 0.0; step++)
		{
			double		mid = 0.5 * (lo + hi);

			if (mid == lo || mid == hi)
				break;
			if (reference_upper_tail(mid) > tail)
				lo = mid;
			else
				hi = mid;
		}
		if (!CHECK_NEAR(normal_upper_quantile(tail), 0.5 * (lo + hi),
						4e-15 * fmax(1.0, lo)))
			break;
	}
}

TEST_CASE(confidence_level_validity)
{
	CHECK(confidence_level_valid(0.95));
	CHECK(confidence_level_valid(0.5));
	CHECK(confidence_level_valid(1e-300));
	CHECK(confidence_level_valid(1.0 - DBL_EPSILON / 2));
	CHECK(!confidence_level_valid(0.0));
	CHECK(!confidence_level_valid(-0.0));
	CHECK(!confidence_level_valid(1.0));
	CHECK(!confidence_level_valid(-0.5));
	CHECK(!confidence_level_valid(1.5));
	CHECK(!confidence_level_valid(95.0));
	CHECK(!confidence_level_valid(NAN));
	CHECK(!confidence_level_valid(INFINITY));
	CHECK(!confidence_level_valid(-INFINITY));

	/* The extremes of the valid range give finite critical values. */
	CHECK(confidence_z(1e-300) == 0.0);
	CHECK(isfinite(confidence_z(1.0 - DBL_EPSILON / 2)));
	CHECK(confidence_z(1.0 - DBL_EPSILON / 2) > 8.0);
}

/* ---- the Wilson score interval ---- */

TEST_CASE(wilson_newcombe_published)
{
	static const struct
	{
		int64_t		hits,
					trials;
		long		low,
					high;			/* Table I, times 10^4 */
	}			table[] = {
		{81, 263, 2553, 3662},
		{15, 148, 624, 1605},
		{0, 20, 0, 1611},
		{1, 29, 61, 1718},
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
	{
		RateInterval ci = interval_of(table[i].hits, table[i].trials, 0.95);

		CHECK_INT(rounded(ci.low, 4), table[i].low);
		CHECK_INT(rounded(ci.high, 4), table[i].high);
	}
	/* 0/20: the lower bound is exactly 0, not a rounding residue. */
	CHECK_DOUBLE(interval_of(0, 20, 0.95).low, 0.0);
}

/*
 * The Wilson interval is the set of p the score test does not reject:
 * (x - n p)^2 <= z^2 n p (1 - p). Its ends are found here by bisection on
 * that inequality in long double, and compared with the core's closed form.
 */
static long double
score_excess(long double x, long double n, long double z, long double p)
{
	return (x - n * p) * (x - n * p) - z * z * n * p * (1.0L - p);
}

static long double
bisect_bound(long double x, long double n, long double z,
			 long double inside, long double outside)
{
	for (int step = 0; step < 200; step++)
	{
		long double mid = 0.5L * (inside + outside);

		if (mid == inside || mid == outside)
			break;
		if (score_excess(x, n, z, mid) <= 0.0L)
			inside = mid;
		else
			outside = mid;
	}
	return 0.5L * (inside + outside);
}

TEST_CASE(wilson_matches_score_test_inversion)
{
	static const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
	Prng		prng = {20260705};

	for (int i = 0; i < 3000; i++)
	{
		/* mostly funnel-sized counts, sometimes huge ones */
		int64_t		trials = random_trials(&prng, i, 10, 5000);
		int64_t		hits = prng_count_upto(&prng, trials);
		double		level = levels[prng_below(&prng, 6)];
		double		z = confidence_z(level);
		long double x = (long double) hits,
					n = (long double) trials,
					rate = x / n;
		RateInterval ci = interval_of(hits, trials, level);
		double		low = (double) (hits == 0 ? 0.0L
									: bisect_bound(x, n, z, rate, 0.0L));
		double		high = (double) (hits == trials ? 1.0L
									 : bisect_bound(x, n, z, rate, 1.0L));

		if (!CHECK_NEAR(ci.low, low, 1e-12) || !CHECK_NEAR(ci.high, high, 1e-12))
		{
			printf("    at hits = %lld, trials = %lld, level %g\n",
				   (long long) hits, (long long) trials, level);
			break;
		}
	}
}

TEST_CASE(wilson_properties)
{
	static const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.999999};
	const int	nlevels = sizeof(levels) / sizeof(levels[0]);
	Prng		prng = {777};

	for (int i = 0; i < 5000; i++)
	{
		int64_t		trials = random_trials(&prng, i, 7, 300);
		int64_t		hits = prng_count_upto(&prng, trials);
		double		rate = (double) hits / (double) trials;
		RateInterval previous = {rate, rate};
		bool		ok = true;

		for (int l = 0; l < nlevels && ok; l++)
		{
			RateInterval ci = interval_of(hits, trials, levels[l]);
			RateInterval mirror = interval_of(trials - hits, trials, levels[l]);

			ok = CHECK(0.0 <= ci.low && ci.low <= rate &&
					   rate <= ci.high && ci.high <= 1.0) &&
			/* a higher level never narrows the interval */
				CHECK(ci.low <= previous.low && ci.high >= previous.high) &&
			/* hits <-> misses mirrors it */
				CHECK(fabs(ci.high - (1.0 - mirror.low)) <= 4 * DBL_EPSILON) &&
				CHECK(fabs(ci.low - (1.0 - mirror.high)) <= 4 * DBL_EPSILON) &&
				CHECK(hits != 0 || ci.low == 0.0) &&
				CHECK(hits != trials || ci.high == 1.0) &&
			/* away from the ends the interval is not degenerate */
				CHECK(hits == 0 || ci.low < rate) &&
				CHECK(hits == trials || ci.high > rate);
			previous = ci;
		}
		if (!ok)
		{
			printf("    at hits = %lld, trials = %lld\n",
				   (long long) hits, (long long) trials);
			break;
		}
	}

	/* The same rate on ten times the trials gives a narrower interval. */
	for (int64_t hits = 0; hits <= 40; hits++)
	{
		RateInterval small = interval_of(hits, 40, 0.95);
		RateInterval large = interval_of(10 * hits, 400, 0.95);

		if (!CHECK(large.high - large.low < small.high - small.low))
			break;
	}
}

TEST_CASE(wilson_edges)
{
	bool		defined = true;
	RateInterval ci = {-1, -1};
	double		z95 = confidence_z(0.95);

	/* No trials: no interval. */
	CHECK_KPI(wilson_interval(0, 0, z95, &defined, &ci), KPI_OK);
	CHECK(!defined);

	/* Impossible counts. */
	defined = true;
	CHECK_KPI(wilson_interval(-1, 10, z95, &defined, &ci), KPI_NEGATIVE_HITS);
	CHECK(!defined);
	CHECK_KPI(wilson_interval(0, -1, z95, &defined, &ci), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(wilson_interval(11, 10, z95, &defined, &ci), KPI_HITS_EXCEED_TRIALS);
	CHECK_KPI(wilson_interval(INT64_MIN, INT64_MAX, z95, &defined, &ci), KPI_NEGATIVE_HITS);

	/* All or nothing: the textbook ends n / (n + z^2) and z^2 / (n + z^2). */
	ci = interval_of(29, 29, 0.95);
	CHECK_DOUBLE(ci.high, 1.0);
	CHECK_NEAR(ci.low, 29.0 / (29.0 + z95 * z95), 1e-15);
	ci = interval_of(0, 29, 0.95);
	CHECK_DOUBLE(ci.low, 0.0);
	CHECK_NEAR(ci.high, z95 * z95 / (29.0 + z95 * z95), 1e-15);

	/* One trial. */
	ci = interval_of(1, 1, 0.95);
	CHECK_DOUBLE(ci.high, 1.0);
	CHECK_NEAR(ci.low, 1.0 / (1.0 + z95 * z95), 1e-15);

	/* The largest counts: finite, ordered, and very narrow. */
	ci = interval_of(INT64_MAX / 2, INT64_MAX, 0.95);
	CHECK(ci.low < 0.5 && ci.high > 0.5 && ci.high - ci.low < 1e-8);
	ci = interval_of(INT64_MAX, INT64_MAX, 0.999999);
	CHECK_DOUBLE(ci.high, 1.0);
	CHECK(ci.low <= 1.0 && ci.low > 1.0 - 1e-15);
	ci = interval_of(1, INT64_MAX, 0.95);
	CHECK(ci.low > 0.0 && ci.low < 1.0 / 9.2e18 && ci.high > 1.0 / 9.3e18);

	/* A vanishing level collapses the interval onto the rate. */
	ci = interval_of(3, 7, 1e-300);
	CHECK_DOUBLE(ci.low, 3.0 / 7.0);
	CHECK_DOUBLE(ci.high, 3.0 / 7.0);
	ci = interval_of(0, 7, 1e-300);
	CHECK_DOUBLE(ci.low, 0.0);
	CHECK_DOUBLE(ci.high, 0.0);
	ci = interval_of(7, 7, 1e-300);
	CHECK_DOUBLE(ci.low, 1.0);
	CHECK_DOUBLE(ci.high, 1.0);
}

/* ---- the two-proportion z-test ---- */

TEST_CASE(ztest_published)
{
	double		z;

	/* Penn State STAT 414/415 (and Statistics How To): Z = 8.99, p < 0.0001. */
	CHECK(z_of(351, 605, 41, 195, &z));
	CHECK_INT(rounded(z, 2), 899);
	CHECK(normal_two_sided_pvalue(z) < 0.0001);
	CHECK(z_of(41, 195, 351, 605, &z));
	CHECK_INT(rounded(z, 2), -899);

	/* Prentice Hall, TI-83 2-PropZTest: 44/200 against 54/300, p-value .270. */
	CHECK(z_of(44, 200, 54, 300, &z));
	CHECK_INT(rounded(normal_two_sided_pvalue(z), 3), 270);

	/* OpenIntro Statistics 6.2.3: Z = -0.17 has two-sided p-value 0.8650. */
	CHECK_INT(rounded(normal_two_sided_pvalue(-0.17), 4), 8650);
	CHECK_INT(rounded(normal_two_sided_pvalue(0.17), 4), 8650);
	/* Textbook 95 % critical value: p = 0.05 exactly at z = 1.959963984540054. */
	CHECK_NEAR(normal_two_sided_pvalue(1.959963984540054), 0.05, 1e-15);
}

TEST_CASE(ztest_independent_formula)
{
	Prng		prng = {4242};

	for (int i = 0; i < 20000; i++)
	{
		int64_t		ta = random_trials(&prng, i, 10, 2000);
		int64_t		tb = random_trials(&prng, i + 1, 10, 2000);
		int64_t		ha = prng_count_upto(&prng, ta);
		int64_t		hb = prng_count_upto(&prng, tb);
		long double na = ta,
					nb = tb,
					pooled = ((long double) ha + hb) / (na + nb);
		double		z,
					z_swapped,
					p;
		bool		defined = z_of(ha, ta, hb, tb, &z);

		if (!CHECK(defined == (pooled > 0.0L && pooled < 1.0L)))
			break;
		if (!defined)
			continue;
		CHECK(z_of(hb, tb, ha, ta, &z_swapped));
		p = normal_two_sided_pvalue(z);

		{
			/* The textbook statistic, in long double. */
			long double se = sqrtl(pooled * (1.0L - pooled) * (1.0L / na + 1.0L / nb));
			long double reference = ((long double) ha / na - (long double) hb / nb) / se;

			/*
			 * Pearson's chi-square of the 2x2 table equals z^2: an
			 * independent route through expected counts.
			 */
			long double observed[4] = {ha, ta - ha, hb, tb - hb};
			long double expected[4] = {na * pooled, na * (1 - pooled),
			nb * pooled, nb * (1 - pooled)};
			long double chi_square = 0.0L;

			for (int c = 0; c < 4; c++)
				chi_square += (observed[c] - expected[c]) * (observed[c] - expected[c]) /
					expected[c];

			if (!CHECK(fabsl(z - reference) <= 1e-12L * fmaxl(1.0L, fabsl(reference))) ||
				!CHECK(ta > 1000000000 || tb > 1000000000 ||
					   fabsl((long double) z * z - chi_square) <=
					   1e-9L * fmaxl(1.0L, chi_square)) ||
				!CHECK(z_swapped == -z) ||
				!CHECK(p >= 0.0 && p <= 1.0) ||
				!CHECK(p == normal_two_sided_pvalue(z_swapped)))
			{
				printf("    at %lld/%lld against %lld/%lld: z = %.17g, reference %.17Lg\n",
					   (long long) ha, (long long) ta, (long long) hb, (long long) tb,
					   z, reference);
				break;
			}
		}
	}
}

TEST_CASE(ztest_edges)
{
	RateSummary a = {3, 10};
	RateSummary b = {5, 10};
	bool		defined = true;
	double		z = 0;

	/* Undefined: no trials on a side, or a pooled rate of 0 or 1. */
	CHECK(!z_of(0, 0, 5, 10, &z));
	CHECK(!z_of(5, 10, 0, 0, &z));
	CHECK(!z_of(0, 10, 0, 20, &z));
	CHECK(!z_of(10, 10, 20, 20, &z));

	/* All against nothing is defined: z^2 = n (chi-square of the table). */
	CHECK(z_of(5, 5, 0, 5, &z));
	CHECK_NEAR(z, sqrt(10.0), 1e-15);

	/* Equal rates: z = 0, p = 1 exactly. */
	CHECK(z_of(3, 10, 30, 100, &z));
	CHECK_DOUBLE(z, 0.0);
	CHECK_DOUBLE(normal_two_sided_pvalue(z), 1.0);

	/* Impossible counts on either side. */
	b.hits = -1;
	CHECK_KPI(two_proportion_z(&a, &b, &defined, &z), KPI_NEGATIVE_HITS);
	CHECK(!defined);
	b.hits = 11;
	CHECK_KPI(two_proportion_z(&a, &b, &defined, &z), KPI_HITS_EXCEED_TRIALS);
	a.trials = -1;
	CHECK_KPI(two_proportion_z(&a, &b, &defined, &z), KPI_NEGATIVE_TRIALS);

	/* The largest counts: no overflow in the sums or the cross products. */
	CHECK(z_of(INT64_MAX, INT64_MAX, 0, INT64_MAX, &z));
	CHECK(isfinite(z) && z > 1e9);
	CHECK(z_of(INT64_MAX / 2, INT64_MAX, INT64_MAX / 2 + 1, INT64_MAX, &z));
	CHECK(isfinite(z) && fabs(z) < 1e-8);
	CHECK_DOUBLE(normal_two_sided_pvalue(1e10), 0.0);
}
