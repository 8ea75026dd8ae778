/*
 * confidence.c: the normal quantile, the Wilson score interval and the pooled
 * two-proportion z-test (see confidence.h).
 */
#include "confidence.h"

#include <math.h>

/* 1 / sqrt(2) and 1 / sqrt(2 pi), spelled out: M_SQRT1_2 is not ISO C. */
#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

/* P(Z > x), from erfc, which keeps full relative accuracy in the upper tail. */
static double
upper_tail(double x)
{
	return 0.5 * erfc(x * INV_SQRT2);
}

double
normal_upper_quantile(double tail)
{
	double		t;
	double		x;

	if (!(tail > 0.0 && tail < 1.0))
		return NAN;
	/* 1 - tail is exact here (Sterbenz), so the symmetry costs nothing. */
	if (tail > 0.5)
		return -normal_upper_quantile(1.0 - tail);
	if (tail == 0.5)
		return 0.0;

	/*
	 * Start from Abramowitz and Stegun 26.2.23 (absolute error < 4.5e-4),
	 * then refine by Newton steps on log P(Z > x) - log tail: in log space
	 * the step stays well scaled deep in the tail, and each step roughly
	 * doubles the correct digits, so three or four reach erfc's accuracy.
	 */
	t = sqrt(-2.0 * log(tail));
	x = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
		(1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
	for (int i = 0; i < 8; i++)
	{
		double		q = upper_tail(x);
		double		density = INV_SQRT_2PI * exp(-0.5 * x * x);
		double		step;

		if (!(q > 0.0 && density > 0.0))
			break;				/* beyond double range: keep the estimate */
		step = log(q / tail) * q / density;
		if (!isfinite(step))
			break;
		x += step;
		if (fabs(step) <= 1e-17 * fabs(x) || step == 0.0)
			break;
	}
	return x;
}

double
normal_quantile(double p)
{
	if (!(p > 0.0 && p < 1.0))
		return NAN;
	/* For p >= 0.5, 1 - p is exact; below, work from the lower tail p itself. */
	if (p < 0.5)
		return -normal_upper_quantile(p);
	return normal_upper_quantile(1.0 - p);
}

double
normal_two_sided_pvalue(double z)
{
	return erfc(fabs(z) * INV_SQRT2);
}

bool
confidence_level_valid(double confidence)
{
	/* NaN fails both comparisons. */
	return confidence > 0.0 && confidence < 1.0;
}

double
confidence_z(double confidence)
{
	/* Each tail holds (1 - confidence) / 2; 1 - confidence is exact above 0.5. */
	return normal_upper_quantile(0.5 * (1.0 - confidence));
}

/*
 * The Wilson bounds of a count k of n, written so that neither cancels:
 * with r = sqrt(k (n - k) / n + z^2 / 4), the upper bound is
 * (k + z^2/2 + z r) / (n + z^2), and the lower bound, the same root with the
 * other sign, is rewritten through the product of the two roots as
 * k^2 / (n (k + z^2/2 + z r)). r is the same for k and n - k.
 */
static double
wilson_lower(double k, double n, double z, double r)
{
	if (k == 0.0)
		return 0.0;				/* also when z = 0, where the form is 0/0 */
	return k * k / (n * (k + 0.5 * z * z + z * r));
}

static double
wilson_upper(double k, double n, double z, double r)
{
	return (k + 0.5 * z * z + z * r) / (n + z * z);
}

KpiStatus
wilson_interval(int64_t hits, int64_t trials, double z,
				bool *defined, RateInterval *interval)
{
	KpiStatus	st = rate_check_counts(hits, trials);
	double		x,
				f,
				n,
				r,
				rate;

	*defined = false;
	if (st != KPI_OK)
		return st;
	if (trials == 0)
		return KPI_OK;

	x = (double) hits;
	f = (double) (trials - hits);
	n = (double) trials;
	r = sqrt(x * f / n + 0.25 * z * z);
	rate = x / n;

	/*
	 * Each bound is taken from the side whose formula has no subtraction
	 * near 1: the smaller count's own bound, or 1 minus the other count's
	 * opposite bound. So hits <-> trials - hits mirrors the interval.
	 */
	interval->low = hits <= trials - hits ? wilson_lower(x, n, z, r)
		: 1.0 - wilson_upper(f, n, z, r);
	interval->high = hits >= trials - hits ? 1.0 - wilson_lower(f, n, z, r)
		: wilson_upper(x, n, z, r);

	/* Rounding must not push a bound past the rate or out of [0, 1]. */
	interval->low = fmax(0.0, fmin(interval->low, rate));
	interval->high = fmin(1.0, fmax(interval->high, rate));
	*defined = true;
	return KPI_OK;
}

KpiStatus
two_proportion_z(const RateSummary *a, const RateSummary *b,
				 bool *defined, double *z)
{
	KpiStatus	st;
	__int128	difference;
	double		pooled_hits,
				pooled_misses,
				pooled_trials;

	*defined = false;
	if ((st = rate_check(a)) != KPI_OK || (st = rate_check(b)) != KPI_OK)
		return st;
	if (a->trials == 0 || b->trials == 0)
		return KPI_OK;

	/*
	 * The sums fit in uint64 (each term <= INT64_MAX); the cross products fit
	 * in int128, so the numerator ha tb - hb ta is exact and flips sign
	 * exactly when a and b swap.
	 */
	pooled_hits = (double) ((uint64_t) a->hits + (uint64_t) b->hits);
	pooled_misses = (double) ((uint64_t) (a->trials - a->hits) +
							  (uint64_t) (b->trials - b->hits));
	pooled_trials = (double) ((uint64_t) a->trials + (uint64_t) b->trials);
	if (pooled_hits == 0.0 || pooled_misses == 0.0)
		return KPI_OK;			/* pooled rate 0 or 1: the statistic is 0/0 */
	difference = (__int128) a->hits * b->trials - (__int128) b->hits * a->trials;

	/*
	 * (ha/ta - hb/tb) / sqrt(P (1 - P) (1/ta + 1/tb)) with P = X / N and
	 * 1 - P = F / N simplifies to (ha tb - hb ta) / sqrt(ta tb X F / N).
	 */
	*z = (double) difference /
		sqrt((double) a->trials * (double) b->trials *
			 (pooled_hits * pooled_misses) / pooled_trials);
	*defined = true;
	return KPI_OK;
}
