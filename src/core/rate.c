/*
 * rate.c: merge and result of the count-ratio state, and its codec shape.
 */
#include "rate.h"

#include <stddef.h>

KpiStatus
rate_check(const RateSummary *s)
{
	return rate_check_counts(s->hits, s->trials);
}

static KpiStatus
rate_check_any(const void *summary)
{
	return rate_check((const RateSummary *) summary);
}

const CountSummaryShape rate_summary_shape = {
	.type_name = "rate_summary",
	.struct_size = sizeof(RateSummary),
	.nfields = 2,
	.field_names = {"hits", "trials"},
	.field_offsets = {offsetof(RateSummary, hits), offsetof(RateSummary, trials)},
	.check = rate_check_any,
};

KpiStatus
rate_merge(RateSummary *into, const RateSummary *from)
{
	KpiStatus	st = rate_check(from);

	if (st != KPI_OK)
		return st;
	if (into->trials > INT64_MAX - from->trials)
		return KPI_OVERFLOW;
	into->trials += from->trials;
	into->hits += from->hits;
	return KPI_OK;
}

KpiStatus
rate_subtract(RateSummary *into, const RateSummary *from)
{
	KpiStatus	st = rate_check(from);

	if (st != KPI_OK)
		return st;
	/* into's hits and misses each cover from's: what remains keeps 0 <= hits <= trials. */
	if (from->hits > into->hits || from->trials - from->hits > into->trials - into->hits)
		return KPI_NOT_IN_STATE;
	into->trials -= from->trials;
	into->hits -= from->hits;
	return KPI_OK;
}

bool
rate_value(const RateSummary *s, double *value)
{
	if (s->trials == 0)
		return false;
	/* Each conversion rounds once, exactly as count(...)::float8 does in SQL. */
	*value = (double) s->hits / (double) s->trials;
	return true;
}
