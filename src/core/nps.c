/*
 * nps.c: merge and result of the NPS state, and its codec shape.
 */
#include "nps.h"

#include <stddef.h>

KpiStatus
nps_check(const NpsSummary *s)
{
	if (s->promoters < 0 || s->passives < 0 || s->detractors < 0)
		return KPI_NEGATIVE_TRIALS;
	/* The number of responses must fit in int64. */
	if (s->promoters > INT64_MAX - s->passives ||
		s->promoters + s->passives > INT64_MAX - s->detractors)
		return KPI_OVERFLOW;
	return KPI_OK;
}

static KpiStatus
nps_check_any(const void *summary)
{
	return nps_check((const NpsSummary *) summary);
}

const CountSummaryShape nps_summary_shape = {
	.type_name = "nps_summary",
	.struct_size = sizeof(NpsSummary),
	.nfields = 3,
	.field_names = {"promoters", "passives", "detractors"},
	.field_offsets = {offsetof(NpsSummary, promoters),
					  offsetof(NpsSummary, passives),
					  offsetof(NpsSummary, detractors)},
	.check = nps_check_any,
};

KpiStatus
nps_merge(NpsSummary *into, const NpsSummary *from)
{
	KpiStatus	st = nps_check(from);

	if (st != KPI_OK)
		return st;
	if (nps_responses(into) > INT64_MAX - nps_responses(from))
		return KPI_OVERFLOW;
	into->promoters += from->promoters;
	into->passives += from->passives;
	into->detractors += from->detractors;
	return KPI_OK;
}

KpiStatus
nps_subtract(NpsSummary *into, const NpsSummary *from)
{
	KpiStatus	st = nps_check(from);

	if (st != KPI_OK)
		return st;
	if (from->promoters > into->promoters || from->passives > into->passives ||
		from->detractors > into->detractors)
		return KPI_NOT_IN_STATE;
	into->promoters -= from->promoters;
	into->passives -= from->passives;
	into->detractors -= from->detractors;
	return KPI_OK;
}

bool
nps_value(const NpsSummary *s, double *value)
{
	int64_t		responses = nps_responses(s);

	if (responses == 0)
		return false;

	/*
	 * promoters - detractors is exact in int64; scaling by 100 in double is
	 * exact below 2^53 / 100 responses, so the division rounds only once.
	 */
	*value = 100.0 * (double) (s->promoters - s->detractors) / (double) responses;
	return true;
}
