/*
 * funnel_rates.c: fmgr layer of the funnel-rate family (kpi-spec section 1):
 * conversion_rate, mql_rate, mql_to_sql_rate, win_rate and nps.
 *
 * Every aggregate here keeps a public summary type as its state, updates it in
 * place, merges partial states in a combine function and undoes rows in an
 * inverse transition, so one C path serves GROUP BY, parallel plans and
 * sliding window frames.
 */
#include "b2bkpi.h"

#include "core/nps.h"
#include "core/rate.h"

static const KpiCall rate_summary_call = {"rate_summary", "hits", "trials"};
static const KpiCall nps_call = {"nps", "score", "responses"};

static inline RateSummary *
rate_of(SummaryHeader *summary)
{
	return (RateSummary *) summary_payload(summary);
}

static inline NpsSummary *
nps_of(SummaryHeader *summary)
{
	return (NpsSummary *) summary_payload(summary);
}

static inline void
check_status(KpiStatus status, const KpiCall *call, int64 hits, int64 trials)
{
	if (unlikely(status != KPI_OK))
		kpi_raise(status, call, hits, trials);
}

/* conversion_rate(boolean), mql_rate(boolean), win_rate(boolean) */

PG_FUNCTION_INFO_V1(b2bkpi_rate_add);
Datum
b2bkpi_rate_add(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);

	check_status(rate_add_flag(rate_of(state), PG_GETARG_BOOL(1)),
				 &rate_summary_call, 0, 0);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_rate_remove);
Datum
b2bkpi_rate_remove(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);

	check_status(rate_remove_flag(rate_of(state), PG_GETARG_BOOL(1)),
				 &rate_summary_call, 0, 0);
	PG_RETURN_POINTER(state);
}

/*
 * mql_to_sql_rate(is_mql boolean, is_sql boolean): only MQL rows are trials,
 * and an MQL row that is also an SQL is a hit.
 */
PG_FUNCTION_INFO_V1(b2bkpi_mql_to_sql_rate_add_flags);
Datum
b2bkpi_mql_to_sql_rate_add_flags(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);

	if (PG_GETARG_BOOL(1))
		check_status(rate_add_flag(rate_of(state), PG_GETARG_BOOL(2)),
					 &rate_summary_call, 0, 0);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_mql_to_sql_rate_remove_flags);
Datum
b2bkpi_mql_to_sql_rate_remove_flags(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);

	if (PG_GETARG_BOOL(1))
		check_status(rate_remove_flag(rate_of(state), PG_GETARG_BOOL(2)),
					 &rate_summary_call, 0, 0);
	PG_RETURN_POINTER(state);
}

/*
 * The pre-aggregated (bigint, bigint) forms differ only in the names an error
 * must show, so each gets a pair of thin entry points over one body.
 */
static inline Datum
rate_counts_step(FunctionCallInfo fcinfo, const KpiCall *call, bool add,
				 int hits_argno, int trials_argno)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);
	int64		hits = PG_GETARG_INT64(hits_argno);
	int64		trials = PG_GETARG_INT64(trials_argno);

	check_status(add ? rate_add_counts(rate_of(state), hits, trials)
				 : rate_remove_counts(rate_of(state), hits, trials),
				 call, hits, trials);
	PG_RETURN_POINTER(state);
}

/* The hits come first, as in (conversions, trials); argument numbers count the state. */
#define RATE_COUNTS_TRANSITIONS(kpi, hits_name, trials_name, hits_argno, trials_argno) \
static const KpiCall kpi##_call = {#kpi, hits_name, trials_name}; \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_add_counts); \
Datum b2bkpi_##kpi##_add_counts(PG_FUNCTION_ARGS) \
{ return rate_counts_step(fcinfo, &kpi##_call, true, hits_argno, trials_argno); } \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_remove_counts); \
Datum b2bkpi_##kpi##_remove_counts(PG_FUNCTION_ARGS) \
{ return rate_counts_step(fcinfo, &kpi##_call, false, hits_argno, trials_argno); }

RATE_COUNTS_TRANSITIONS(conversion_rate, "conversions", "trials", 1, 2)
RATE_COUNTS_TRANSITIONS(mql_rate, "mqls", "visits", 1, 2)
RATE_COUNTS_TRANSITIONS(mql_to_sql_rate, "sqls", "mqls", 1, 2)
/* churn_rate(customers_at_start, churned): the base comes first. */
RATE_COUNTS_TRANSITIONS(churn_rate, "churned", "customers_at_start", 2, 1)
/* The summary aggregates of the same rows (kpi-spec section 6). */
RATE_COUNTS_TRANSITIONS(summarize_rate, "conversions", "trials", 1, 2)
RATE_COUNTS_TRANSITIONS(summarize_churn, "churned", "customers_at_start", 2, 1)

PG_FUNCTION_INFO_V1(b2bkpi_rate_combine);
Datum
b2bkpi_rate_combine(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);
	SummaryHeader *other = summary_arg(fcinfo, 1, &rate_summary_shape);

	check_status(rate_merge(rate_of(state), rate_of(other)),
				 &rate_summary_call, rate_of(other)->hits, rate_of(other)->trials);
	PG_RETURN_POINTER(state);
}

/* rollup's inverse transition: takes a summary merged before back out. */
PG_FUNCTION_INFO_V1(b2bkpi_rate_subtract);
Datum
b2bkpi_rate_subtract(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &rate_summary_shape);
	SummaryHeader *other = summary_arg(fcinfo, 1, &rate_summary_shape);

	if (rate_subtract(rate_of(state), rate_of(other)) != KPI_OK)
		raise_not_in_rollup(rate_summary_shape.type_name);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_rate_final);
Datum
b2bkpi_rate_final(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_arg(fcinfo, 0, &rate_summary_shape);
	double		value;

	if (!rate_value(rate_of(state), &value))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(value);
}

/* nps(score integer) */

/* One body for nps and summarize_nps, which differ only in the name an error shows. */
static inline Datum
nps_step(FunctionCallInfo fcinfo, const KpiCall *call, bool add)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &nps_summary_shape);
	int32		score = PG_GETARG_INT32(1);

	check_status(add ? nps_add_score(nps_of(state), score)
				 : nps_remove_score(nps_of(state), score), call, score, 0);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_nps_add);
Datum
b2bkpi_nps_add(PG_FUNCTION_ARGS)
{
	return nps_step(fcinfo, &nps_call, true);
}

PG_FUNCTION_INFO_V1(b2bkpi_nps_remove);
Datum
b2bkpi_nps_remove(PG_FUNCTION_ARGS)
{
	return nps_step(fcinfo, &nps_call, false);
}

static const KpiCall summarize_nps_call = {"summarize_nps", "score", "responses"};

PG_FUNCTION_INFO_V1(b2bkpi_summarize_nps_add);
Datum
b2bkpi_summarize_nps_add(PG_FUNCTION_ARGS)
{
	return nps_step(fcinfo, &summarize_nps_call, true);
}

PG_FUNCTION_INFO_V1(b2bkpi_summarize_nps_remove);
Datum
b2bkpi_summarize_nps_remove(PG_FUNCTION_ARGS)
{
	return nps_step(fcinfo, &summarize_nps_call, false);
}

PG_FUNCTION_INFO_V1(b2bkpi_nps_combine);
Datum
b2bkpi_nps_combine(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &nps_summary_shape);
	SummaryHeader *other = summary_arg(fcinfo, 1, &nps_summary_shape);

	check_status(nps_merge(nps_of(state), nps_of(other)), &nps_call, 0, 0);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_nps_subtract);
Datum
b2bkpi_nps_subtract(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update(fcinfo, &nps_summary_shape);
	SummaryHeader *other = summary_arg(fcinfo, 1, &nps_summary_shape);

	if (nps_subtract(nps_of(state), nps_of(other)) != KPI_OK)
		raise_not_in_rollup(nps_summary_shape.type_name);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_nps_final);
Datum
b2bkpi_nps_final(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_arg(fcinfo, 0, &nps_summary_shape);
	double		value;

	if (!nps_value(nps_of(state), &value))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(value);
}
