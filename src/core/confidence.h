/*
 * confidence.h: how sure a count rate is (kpi-spec section 6): the Wilson score
 * interval of one rate, and the two-sided two-proportion z-test of whether two
 * rates differ, with the standard normal quantile both need.
 *
 * Pure C over <math.h>: no PostgreSQL headers. Counts are validated here as
 * everywhere (0 <= hits <= trials); the confidence level is validated by
 * confidence_level_valid(), and the PostgreSQL layer raises the errors.
 */
#ifndef B2BKPI_CONFIDENCE_H
#define B2BKPI_CONFIDENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "kpi_status.h"
#include "rate.h"

typedef struct RateInterval
{
	double		low;
	double		high;
} RateInterval;

/*
 * The standard normal quantile: the x with P(Z <= x) = p, for 0 < p < 1.
 * Accurate to a few units in the last place of erfc() for p down to 1e-300
 * (and 1 - p likewise); NaN outside (0, 1).
 */
double		normal_quantile(double p);

/* The x with P(Z > x) = tail, 0 < tail < 1: accurate for tiny tails too. */
double		normal_upper_quantile(double tail);

/* Two-sided p-value of a standard normal statistic: P(|Z| >= |z|) = erfc(|z| / sqrt 2). */
double		normal_two_sided_pvalue(double z);

/* A two-sided confidence level must lie strictly between 0 and 1 (not NaN). */
bool		confidence_level_valid(double confidence);

/*
 * The critical value of a valid two-sided level: the z with
 * P(|Z| <= z) = confidence, e.g. 1.959963984540054 for 0.95.
 */
double		confidence_z(double confidence);

/*
 * The Wilson score interval of hits / trials for critical value z >= 0.
 * Returns the count check's status (KPI_NEGATIVE_HITS, ...); on KPI_OK,
 * *defined is false when trials = 0 (no interval, SQL NULL), else *interval
 * holds 0 <= low <= hits / trials <= high <= 1, with low exactly 0 when
 * hits = 0 and high exactly 1 when hits = trials.
 */
KpiStatus	wilson_interval(int64_t hits, int64_t trials, double z,
							bool *defined, RateInterval *interval);

/*
 * The pooled two-proportion z statistic of a against b:
 * (ha/ta - hb/tb) / sqrt(P (1 - P) (1/ta + 1/tb)), P = (ha + hb) / (ta + tb).
 * Returns the status of the first invalid side; on KPI_OK, *defined is false
 * when either trials is 0 or P is 0 or 1 (the statistic is 0/0).
 * z(b, a) = -z(a, b) exactly.
 */
KpiStatus	two_proportion_z(const RateSummary *a, const RateSummary *b,
							 bool *defined, double *z);

#endif
