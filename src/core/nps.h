/*
 * nps.h: Net Promoter Score state (kpi-spec section 1).
 *
 * NPS = 100 * (promoters - detractors) / responses, where a score of 9-10 is a
 * promoter, 7-8 a passive and 0-6 a detractor. The state keeps the three
 * counts; their sum, the number of responses, never exceeds INT64_MAX.
 */
#ifndef B2BKPI_NPS_H
#define B2BKPI_NPS_H

#include <stdbool.h>
#include <stdint.h>

#include "count_summary.h"

#define NPS_MIN_SCORE 0
#define NPS_MAX_SCORE 10

typedef struct NpsSummary
{
	int64_t		promoters;
	int64_t		passives;
	int64_t		detractors;
} NpsSummary;

extern const CountSummaryShape nps_summary_shape;

static inline int64_t *
nps_bucket(NpsSummary *s, int32_t score)
{
	if (score >= 9)
		return &s->promoters;
	if (score >= 7)
		return &s->passives;
	return &s->detractors;
}

static inline int64_t
nps_responses(const NpsSummary *s)
{
	/* Cannot overflow: the invariant bounds the sum. */
	return s->promoters + s->passives + s->detractors;
}

static inline KpiStatus
nps_add_score(NpsSummary *s, int32_t score)
{
	if (score < NPS_MIN_SCORE || score > NPS_MAX_SCORE)
		return KPI_SCORE_OUT_OF_RANGE;
	if (nps_responses(s) == INT64_MAX)
		return KPI_OVERFLOW;
	(*nps_bucket(s, score))++;
	return KPI_OK;
}

static inline KpiStatus
nps_remove_score(NpsSummary *s, int32_t score)
{
	int64_t    *bucket;

	if (score < NPS_MIN_SCORE || score > NPS_MAX_SCORE)
		return KPI_SCORE_OUT_OF_RANGE;
	bucket = nps_bucket(s, score);
	if (*bucket <= 0)
		return KPI_NOT_IN_STATE;
	(*bucket)--;
	return KPI_OK;
}

KpiStatus	nps_check(const NpsSummary *s);
KpiStatus	nps_merge(NpsSummary *into, const NpsSummary *from);

/* Undoes nps_merge(into, from): KPI_NOT_IN_STATE unless each count of into covers from's. */
KpiStatus	nps_subtract(NpsSummary *into, const NpsSummary *from);

/* The score, -100..100; false (SQL NULL) when there are no responses. */
bool		nps_value(const NpsSummary *s, double *value);

#endif
