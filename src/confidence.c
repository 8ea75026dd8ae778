/*
 * confidence.c: fmgr layer of the confidence functions on count rates
 * (kpi-spec section 6): rate_ci, its scalar twins rate_ci_low and
 * rate_ci_high, and rate_diff_pvalue, each from a rate_summary or from counts.
 *
 * The arithmetic is in core/confidence.c; this file reads arguments, raises
 * the errors and builds the rate_interval composite.
 */
#include "b2bkpi.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "core/confidence.h"
#include "core/rate.h"

typedef enum IntervalPart
{
	INTERVAL_BOTH,				/* rate_ci: the composite (low, high) */
	INTERVAL_LOW,				/* rate_ci_low */
	INTERVAL_HIGH				/* rate_ci_high */
} IntervalPart;

static inline void
check_status(KpiStatus status, const KpiCall *call, int64 hits, int64 trials)
{
	if (unlikely(status != KPI_OK))
		kpi_raise(status, call, hits, trials);
}

static void
check_confidence(double confidence, const char *function)
{
	if (!confidence_level_valid(confidence))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"confidence\" of %s must be strictly between 0 and 1",
						function),
				 errdetail("The confidence level given is %s.",
						   DatumGetCString(DirectFunctionCall1(float8out,
															   Float8GetDatum(confidence)))),
				 errhint("Give the level as a fraction: 0.95 for a 95%% interval.")));
}

/* A rate_summary argument as the core's struct (checked again by the core). */
static RateSummary
rate_summary_argument(FunctionCallInfo fcinfo, int argno)
{
	SummaryHeader *summary = summary_arg(fcinfo, argno, &rate_summary_shape);

	return *(RateSummary *) summary_payload(summary);
}

static Datum
rate_ci_body(FunctionCallInfo fcinfo, const char *function, bool from_summary,
			 IntervalPart part)
{
	KpiCall		call = {function, "hits", "trials"};
	RateSummary counts;
	double		confidence;
	bool		defined;
	RateInterval interval;

	if (from_summary)
	{
		counts = rate_summary_argument(fcinfo, 0);
		confidence = PG_GETARG_FLOAT8(1);
	}
	else
	{
		counts.hits = PG_GETARG_INT64(0);
		counts.trials = PG_GETARG_INT64(1);
		confidence = PG_GETARG_FLOAT8(2);
	}
	check_confidence(confidence, function);
	check_status(wilson_interval(counts.hits, counts.trials,
								 confidence_z(confidence), &defined, &interval),
				 &call, counts.hits, counts.trials);
	if (!defined)
		PG_RETURN_NULL();

	switch (part)
	{
		case INTERVAL_LOW:
			PG_RETURN_FLOAT8(interval.low);
		case INTERVAL_HIGH:
			PG_RETURN_FLOAT8(interval.high);
		case INTERVAL_BOTH:
			break;
	}

	{
		TupleDesc	tupdesc;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
			tupdesc->natts != 2)
			elog(ERROR, "%s must return rate_interval", function);
		values[0] = Float8GetDatum(interval.low);
		values[1] = Float8GetDatum(interval.high);
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
														  values, nulls)));
	}
}

#define RATE_CI_ENTRY(name, function, from_summary, part) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) \
{ return rate_ci_body(fcinfo, function, from_summary, part); }

RATE_CI_ENTRY(b2bkpi_rate_ci_summary, "rate_ci", true, INTERVAL_BOTH)
RATE_CI_ENTRY(b2bkpi_rate_ci_counts, "rate_ci", false, INTERVAL_BOTH)
RATE_CI_ENTRY(b2bkpi_rate_ci_low_summary, "rate_ci_low", true, INTERVAL_LOW)
RATE_CI_ENTRY(b2bkpi_rate_ci_low_counts, "rate_ci_low", false, INTERVAL_LOW)
RATE_CI_ENTRY(b2bkpi_rate_ci_high_summary, "rate_ci_high", true, INTERVAL_HIGH)
RATE_CI_ENTRY(b2bkpi_rate_ci_high_counts, "rate_ci_high", false, INTERVAL_HIGH)

/*
 * rate_diff_pvalue: each side is checked on its own first, so that an error
 * names the argument the analyst wrote (hits_b, say).
 */
static bool
rate_diff_pvalue_result(const RateSummary *a, const RateSummary *b,
						const KpiCall *call_a, const KpiCall *call_b,
						double *pvalue)
{
	bool		defined;
	double		z;

	check_status(rate_check(a), call_a, a->hits, a->trials);
	check_status(rate_check(b), call_b, b->hits, b->trials);
	check_status(two_proportion_z(a, b, &defined, &z), call_a, a->hits, a->trials);
	if (defined)
		*pvalue = normal_two_sided_pvalue(z);
	return defined;
}

PG_FUNCTION_INFO_V1(b2bkpi_rate_diff_pvalue_summary);
Datum
b2bkpi_rate_diff_pvalue_summary(PG_FUNCTION_ARGS)
{
	static const KpiCall call_a = {"rate_diff_pvalue", "a.hits", "a.trials"};
	static const KpiCall call_b = {"rate_diff_pvalue", "b.hits", "b.trials"};
	RateSummary a = rate_summary_argument(fcinfo, 0);
	RateSummary b = rate_summary_argument(fcinfo, 1);
	double		pvalue;

	if (!rate_diff_pvalue_result(&a, &b, &call_a, &call_b, &pvalue))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pvalue);
}

PG_FUNCTION_INFO_V1(b2bkpi_rate_diff_pvalue_counts);
Datum
b2bkpi_rate_diff_pvalue_counts(PG_FUNCTION_ARGS)
{
	static const KpiCall call_a = {"rate_diff_pvalue", "hits_a", "trials_a"};
	static const KpiCall call_b = {"rate_diff_pvalue", "hits_b", "trials_b"};
	RateSummary a = {PG_GETARG_INT64(0), PG_GETARG_INT64(1)};
	RateSummary b = {PG_GETARG_INT64(2), PG_GETARG_INT64(3)};
	double		pvalue;

	if (!rate_diff_pvalue_result(&a, &b, &call_a, &call_b, &pvalue))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pvalue);
}
