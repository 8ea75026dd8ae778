/*
 * rate.h: the count-ratio state behind every funnel rate (kpi-spec section 1).
 *
 * A rate is hits / trials over a group: conversions over trials, MQLs over
 * visits, SQLs over MQLs, won deals over closed ones. The state is the two sums,
 * so that merging two groups and removing a row are exact.
 *
 * Invariant: 0 <= hits <= trials <= INT64_MAX.
 */
#ifndef B2BKPI_RATE_H
#define B2BKPI_RATE_H

#include <stdbool.h>
#include <stdint.h>

#include "count_summary.h"

typedef struct RateSummary
{
	int64_t		hits;
	int64_t		trials;
} RateSummary;

extern const CountSummaryShape rate_summary_shape;

/* One row of a boolean rate: a trial, and a hit if flag is true. */
static inline KpiStatus
rate_add_flag(RateSummary *s, bool hit)
{
	if (s->trials == INT64_MAX)
		return KPI_OVERFLOW;
	s->trials++;
	s->hits += hit;
	return KPI_OK;
}

static inline KpiStatus
rate_remove_flag(RateSummary *s, bool hit)
{
	/* A miss can only be removed if some trial is not a hit. */
	if (s->trials <= 0 || s->hits < (int64_t) hit ||
		(!hit && s->hits >= s->trials))
		return KPI_NOT_IN_STATE;
	s->trials--;
	s->hits -= hit;
	return KPI_OK;
}

/* Validates one pre-aggregated row: 0 <= hits <= trials. */
static inline KpiStatus
rate_check_counts(int64_t hits, int64_t trials)
{
	if (hits < 0)
		return KPI_NEGATIVE_HITS;
	if (trials < 0)
		return KPI_NEGATIVE_TRIALS;
	if (hits > trials)
		return KPI_HITS_EXCEED_TRIALS;
	return KPI_OK;
}

/* Adds a validated row. hits <= trials, so trials is the only sum that can overflow. */
static inline KpiStatus
rate_add_counts(RateSummary *s, int64_t hits, int64_t trials)
{
	KpiStatus	st = rate_check_counts(hits, trials);

	if (st != KPI_OK)
		return st;
	if (s->trials > INT64_MAX - trials)
		return KPI_OVERFLOW;
	s->trials += trials;
	s->hits += hits;
	return KPI_OK;
}

static inline KpiStatus
rate_remove_counts(RateSummary *s, int64_t hits, int64_t trials)
{
	KpiStatus	st = rate_check_counts(hits, trials);

	if (st != KPI_OK)
		return st;
	if (trials > s->trials || hits > s->hits ||
		s->hits - hits > s->trials - trials)
		return KPI_NOT_IN_STATE;
	s->trials -= trials;
	s->hits -= hits;
	return KPI_OK;
}

KpiStatus	rate_merge(RateSummary *into, const RateSummary *from);

/*
 * Undoes rate_merge(into, from), for rollup's inverse transition:
 * KPI_NOT_IN_STATE unless into holds from (at least its hits and its misses).
 */
KpiStatus	rate_subtract(RateSummary *into, const RateSummary *from);
KpiStatus	rate_check(const RateSummary *s);

/* hits / trials; false (undefined, SQL NULL) when there are no trials. */
bool		rate_value(const RateSummary *s, double *value);

#endif
