/*
 * summaries.c: what the stored summaries of kpi-spec section 6 share across
 * the KPI families. The summary aggregates (summarize_*), rollup's combine
 * and inverse functions, and the KPIs read off a summary are each family's
 * own transition, combine, subtract and final functions (funnel_rates.c,
 * money.c, retention.c, sales_velocity.c); this file holds their common
 * error.
 */
#include "b2bkpi.h"

void
raise_not_in_rollup(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rollup cannot remove a summary that the roll-up does not hold"),
			 errdetail("Both are %s values; the second one has counts or sums that the first one does not hold.",
					   type_name),
			 errhint("rollup's inverse transition only takes out a summary that it merged before; subtract a summary only from a roll-up that contains it.")));
}
