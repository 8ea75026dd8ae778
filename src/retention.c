/*
 * retention.c: fmgr layer of the retention family (kpi-spec section 3):
 * churn_rate over daterange and tstzrange activity (state churn_summary),
 * net_revenue_retention, gross_revenue_retention, revenue_churn_rate and
 * mrr_movements (state mrr_summary), and the scalar ltv. The pre-aggregated
 * churn_rate(bigint, bigint) is a count rate, in funnel_rates.c.
 */
#include "exact_sums.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "core/retention.h"

#define CHURN_TYPE "churn_summary"
#define MRR_TYPE "mrr_summary"

#define CHURN_INVARIANT "The counts must satisfy 0 <= churned <= customers_at_start, and the period must be a valid period, or none for an empty summary."
#define MRR_INVARIANT "Each sum's scale must be carried by at most \"rows\" rows, a sum no row reached must be 0, only net_mrr_change can be negative, every row reaches net_mrr_change, and start_mrr, end_mrr and retained_mrr are reached together."

/* ---------- churn_rate over activity ranges ---------- */

static const KpiCall churn_call = {"churn_rate", "active", "period"};
static const KpiCall summarize_churn_call = {"summarize_churn", "active", "period"};

static inline ChurnSummary *
churn_of(SummaryHeader *summary)
{
	return (ChurnSummary *) summary_payload(summary);
}

static SummaryHeader *
churn_arg(FunctionCallInfo fcinfo, int argno)
{
	SummaryHeader *summary = summary_arg_sized(fcinfo, argno, CHURN_TYPE,
											   sizeof(ChurnSummary), false);

	if (churn_check(churn_of(summary)) != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value is damaged", CHURN_TYPE),
				 errdetail("%s", CHURN_INVARIANT)));
	return summary;
}

static inline SummaryHeader *
churn_state_for_update(FunctionCallInfo fcinfo)
{
	if (called_as_aggregate(fcinfo))
		return (SummaryHeader *) PG_GETARG_POINTER(0);
	return summary_copy(churn_arg(fcinfo, 0));
}

/* A bound's value in the period's unit, infinities mapped to the sentinels. */
static int64
bound_value(const RangeBound *bound, ChurnUnit unit)
{
	if (bound->infinite)
		return bound->lower ? CHURN_NO_START : CHURN_NO_END;
	if (unit == CHURN_UNIT_DAY)
	{
		DateADT		day = DatumGetDateADT(bound->val);

		return DATE_IS_NOBEGIN(day) ? CHURN_NO_START :
			DATE_IS_NOEND(day) ? CHURN_NO_END : (int64) day;
	}
	else
	{
		TimestampTz instant = DatumGetTimestampTz(bound->val);

		return TIMESTAMP_IS_NOBEGIN(instant) ? CHURN_NO_START :
			TIMESTAMP_IS_NOEND(instant) ? CHURN_NO_END : (int64) instant;
	}
}

/* The range type's cache entry, kept for the query in fn_extra. */
static TypeCacheEntry *
range_cache(FunctionCallInfo fcinfo, Oid range_type)
{
	TypeCacheEntry *typcache = (TypeCacheEntry *) fcinfo->flinfo->fn_extra;

	if (typcache == NULL || typcache->type_id != range_type)
	{
		typcache = lookup_type_cache(range_type, TYPECACHE_RANGE_INFO);
		if (typcache->rngelemtype == NULL)
			elog(ERROR, "type %u is not a range type", range_type);
		fcinfo->flinfo->fn_extra = typcache;
	}
	return typcache;
}

/*
 * A daterange or tstzrange argument. Read in place when it is stored plainly
 * (nearly always); otherwise detoasted and read through PostgreSQL's range
 * functions.
 */
static pg_attribute_always_inline void
range_arg(FunctionCallInfo fcinfo, int argno, ChurnUnit unit, ActiveRange *range)
{
	struct varlena *value = (struct varlena *) PG_GETARG_POINTER(argno);
	Oid			expected = unit == CHURN_UNIT_DAY ? DATERANGEOID : TSTZRANGEOID;
	uint32		range_type;
	RangeType  *detoasted;
	RangeBound	lower;
	RangeBound	upper;

	if (likely((!VARATT_IS_EXTENDED(value) || VARATT_IS_SHORT(value)) &&
			   activity_range_decode((const unsigned char *) VARDATA_ANY(value),
									 VARSIZE_ANY_EXHDR(value), unit, &range_type,
									 range) == DECODE_OK &&
			   range_type == expected))
		return;
	detoasted = PG_GETARG_RANGE_P(argno);
	range_deserialize(range_cache(fcinfo, RangeTypeGetOid(detoasted)), detoasted,
					  &lower, &upper, &range->empty);
	if (range->empty)
		return;
	range->lower = bound_value(&lower, unit);
	range->upper = bound_value(&upper, unit);
	range->lower_inclusive = lower.inclusive;
	range->upper_inclusive = upper.inclusive;
}

static void
raise_bad_period(const KpiCall *call, const char *problem, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"period\" of %s %s", call->function, problem),
			 errhint("%s", hint)));
}

static pg_attribute_always_inline void
period_arg(FunctionCallInfo fcinfo, const KpiCall *call, ChurnUnit unit, ChurnPeriod *period)
{
	ActiveRange range = {0};

	range_arg(fcinfo, 2, unit, &range);
	if (unlikely(range.empty))
		raise_bad_period(call, "must not be empty",
						 "A period needs a first day: write it as [start, end) with start < end.");
	if (unlikely(range.lower == CHURN_NO_START || range.lower == CHURN_NO_END))
		raise_bad_period(call, "must have a finite lower bound",
						 "The base of a churn rate is the customers active on the period's first day, so the period must start on a real date.");
	if (unlikely(!range.lower_inclusive))
		raise_bad_period(call, "must include its lower bound",
						 "The base of a churn rate is the customers active at the period's start: write the period as [start, end).");
	period->unit = unit;
	period->start = range.lower;
	period->end = range.upper;
	period->end_inclusive = range.upper != CHURN_NO_END && range.upper_inclusive;
}

static char *
period_text(const ChurnPeriod *period)
{
	char	   *buf = palloc(CHURN_PERIOD_TEXT_MAX);

	if (churn_period_format(period, buf, CHURN_PERIOD_TEXT_MAX) == 0)
		elog(ERROR, "cannot format a churn period");
	return buf;
}

static void
raise_period_changed(const KpiCall *call, const ChurnPeriod *a, const ChurnPeriod *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"period\" of %s must be the same in every row of a group",
					call->function),
			 errdetail("The group has rows for period %s and for period %s.",
					   period_text(a), period_text(b)),
			 errhint("Group by the period too, for example GROUP BY month.")));
}

/* call: churn_rate or summarize_churn, the aggregate whose row this is, for errors. */
static pg_attribute_always_inline Datum
churn_step(FunctionCallInfo fcinfo, const KpiCall *call, ChurnUnit unit, bool add)
{
	SummaryHeader *state = churn_state_for_update(fcinfo);
	ChurnSummary *s = churn_of(state);
	ChurnPeriod period = {0};
	ActiveRange active = {0};
	KpiStatus	status;

	period_arg(fcinfo, call, unit, &period);
	range_arg(fcinfo, 1, unit, &active);
	status = add ? churn_add(s, &period, &active) : churn_remove(s, &period, &active);
	if (unlikely(status != KPI_OK))
	{
		if (status == KPI_PERIOD_CHANGED)
			raise_period_changed(call, &s->period, &period);
		if (status == KPI_NOT_IN_STATE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a customer that %s does not hold", call->function),
					 errdetail("The summary has no customer of this period counted as the row would be.")));
		kpi_raise(status, call, 0, 0);
	}
	PG_RETURN_POINTER(state);
}

/* The entry points of churn_rate and of summarize_churn, per range type. */
#define CHURN_TRANSITIONS(name, call, range, unit) \
PG_FUNCTION_INFO_V1(b2bkpi_##name##_add_##range); \
Datum b2bkpi_##name##_add_##range(PG_FUNCTION_ARGS) \
{ return churn_step(fcinfo, &call, unit, true); } \
PG_FUNCTION_INFO_V1(b2bkpi_##name##_remove_##range); \
Datum b2bkpi_##name##_remove_##range(PG_FUNCTION_ARGS) \
{ return churn_step(fcinfo, &call, unit, false); }

CHURN_TRANSITIONS(churn, churn_call, daterange, CHURN_UNIT_DAY)
CHURN_TRANSITIONS(churn, churn_call, tstzrange, CHURN_UNIT_MICROSECOND)
CHURN_TRANSITIONS(summarize_churn, summarize_churn_call, daterange, CHURN_UNIT_DAY)
CHURN_TRANSITIONS(summarize_churn, summarize_churn_call, tstzrange, CHURN_UNIT_MICROSECOND)

/* Merges two churn summaries; by_rollup: the error names rollup, not churn_rate. */
static Datum
churn_merge_step(FunctionCallInfo fcinfo, bool by_rollup)
{
	SummaryHeader *state = churn_state_for_update(fcinfo);
	ChurnSummary *other = churn_of(churn_arg(fcinfo, 1));
	ChurnSummary *into = churn_of(state);
	KpiStatus	status = churn_merge(into, other);

	if (status == KPI_PERIOD_CHANGED)
	{
		if (!by_rollup)
			raise_period_changed(&churn_call, &into->period, &other->period);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"summary\" of rollup must be for the same period in every row of a group"),
				 errdetail("The group has churn_summary values for period %s and for period %s.",
						   period_text(&into->period), period_text(&other->period)),
				 errhint("Group by the period too, for example GROUP BY month.")));
	}
	if (status != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("customers_at_start of %s is out of range for type bigint",
						by_rollup ? "rollup" : "churn_rate")));
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_churn_combine);
Datum
b2bkpi_churn_combine(PG_FUNCTION_ARGS)
{
	return churn_merge_step(fcinfo, false);
}

/* rollup(churn_summary)'s transition and combine function. */
PG_FUNCTION_INFO_V1(b2bkpi_churn_rollup);
Datum
b2bkpi_churn_rollup(PG_FUNCTION_ARGS)
{
	return churn_merge_step(fcinfo, true);
}

/*
 * rollup's inverse transition. NULL, so that the executor recomputes the
 * frame, when no customer would remain (see churn_subtract).
 */
PG_FUNCTION_INFO_V1(b2bkpi_churn_subtract);
Datum
b2bkpi_churn_subtract(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = churn_state_for_update(fcinfo);
	ChurnSummary *other = churn_of(churn_arg(fcinfo, 1));
	bool		restart;

	if (churn_subtract(churn_of(state), other, &restart) != KPI_OK)
		raise_not_in_rollup(CHURN_TYPE);
	if (restart)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_churn_final);
Datum
b2bkpi_churn_final(PG_FUNCTION_ARGS)
{
	double		value;

	if (!churn_value(churn_of(churn_arg(fcinfo, 0)), &value))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(value);
}

/* ---------- churn_summary I/O ---------- */

PG_FUNCTION_INFO_V1(churn_summary_in);
Datum
churn_summary_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	TextFieldValue values[CHURN_NFIELDS];
	DecodeError error;
	SummaryHeader *summary = summary_alloc(sizeof(ChurnSummary));

	if (summary_text_scan(text, strlen(text), churn_summary_fields, CHURN_NFIELDS,
						  values, &error) != DECODE_OK ||
		churn_from_fields(churn_of(summary), text, values, &error) != DECODE_OK)
	{
		if (error.status == DECODE_SYNTAX && error.field == CHURN_FIELD_PERIOD)
			summary_text_error(CHURN_TYPE, text, &error, "period",
							   "A period is none, or [START,END) or [START,END] with ISO dates (2024-01-01) or UTC timestamps (2024-01-01T00:00:00.000000Z), START before END, and END possibly infinity.");
		raise_fields_text_error(CHURN_TYPE, churn_summary_fields, text, &error,
								CHURN_INVARIANT);
	}
	PG_RETURN_POINTER(summary);
}

PG_FUNCTION_INFO_V1(churn_summary_out);
Datum
churn_summary_out(PG_FUNCTION_ARGS)
{
	ChurnSummary *s = churn_of(churn_arg(fcinfo, 0));

	PG_RETURN_CSTRING(psprintf("v%d %s=" INT64_FORMAT " %s=" INT64_FORMAT " %s=%s",
							   SUMMARY_TEXT_VERSION,
							   churn_summary_fields[CHURN_FIELD_CUSTOMERS_AT_START].name,
							   s->customers_at_start,
							   churn_summary_fields[CHURN_FIELD_CHURNED].name, s->churned,
							   churn_summary_fields[CHURN_FIELD_PERIOD].name,
							   period_text(&s->period)));
}

PG_FUNCTION_INFO_V1(churn_summary_send);
Datum
churn_summary_send(PG_FUNCTION_ARGS)
{
	ChurnSummary *s = churn_of(churn_arg(fcinfo, 0));
	bytea	   *result = palloc(VARHDRSZ + CHURN_BINARY_SIZE);

	SET_VARSIZE(result, VARHDRSZ + CHURN_BINARY_SIZE);
	churn_encode_binary(s, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(churn_summary_recv);
Datum
churn_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SummaryHeader *summary = summary_alloc(sizeof(ChurnSummary));
	DecodeError error;
	const unsigned char *bytes = (const unsigned char *) buf->data + buf->cursor;
	DecodeStatus status = churn_decode_binary(bytes, buf->len - buf->cursor,
											  churn_of(summary), &error);

	if (status == DECODE_VERSION)
		summary_binary_version_error(CHURN_TYPE, error.version);
	if (status == DECODE_LENGTH)
		raise_binary_error(CHURN_TYPE,
						   psprintf("A binary %s is %d bytes long, not %d.", CHURN_TYPE,
									CHURN_BINARY_SIZE, buf->len - buf->cursor));
	if (status != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", CHURN_TYPE),
				 errdetail("%s", CHURN_INVARIANT)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(summary);
}

/* ---------- revenue retention over (mrr_start, mrr_end) ---------- */

static inline MrrSummary *
mrr_of(SummaryHeader *summary)
{
	return (MrrSummary *) summary_payload(summary);
}

static KpiStatus
mrr_payload_from_fields(void *payload, const TextFieldValue *values)
{
	return mrr_from_fields((MrrSummary *) payload, values);
}

static KpiStatus
mrr_payload_check(const void *payload)
{
	return mrr_check((const MrrSummary *) payload);
}

#define MRR_SUM_OFFSET(id) (offsetof(MrrSummary, sums) + (id) * sizeof(DecimalSum))

static const ExactSumsShape mrr_shape = {
	MRR_TYPE, sizeof(MrrSummary), MRR_NSUMS,
	{MRR_SUM_OFFSET(0), MRR_SUM_OFFSET(1), MRR_SUM_OFFSET(2), MRR_SUM_OFFSET(3),
	MRR_SUM_OFFSET(4), MRR_SUM_OFFSET(5), MRR_SUM_OFFSET(6), MRR_SUM_OFFSET(7)},
	mrr_summary_fields, mrr_payload_from_fields, mrr_payload_check, MRR_INVARIANT,
	((1u << MRR_NSUMS) - 1) & ~(1u << MRR_NET)
};

StaticAssertDecl(MRR_NSUMS == 8, "mrr_shape lists every sum");

static void
raise_negative_mrr(FunctionCallInfo fcinfo, const KpiCall *call, int argno)
{
	const char *arg = argno == 1 ? call->denominator_arg : call->numerator_arg;

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"%s\" of %s must not be negative", arg, call->function),
			 errdetail("A row has %s = %s.", arg,
					   DatumGetCString(DirectFunctionCall1(numeric_out,
														   PG_GETARG_DATUM(argno)))),
			 errhint("MRR is never negative; correct or exclude the row.")));
}

/* The numeric value a spilled sum takes from this row. */
static Numeric
row_value(FunctionCallInfo fcinfo, MrrValue value)
{
	Numeric		start = PG_GETARG_NUMERIC(1);
	Numeric		end = PG_GETARG_NUMERIC(2);

	switch (value)
	{
		case MRR_VALUE_START:
			return start;
		case MRR_VALUE_END:
			return end;
		case MRR_VALUE_GROWTH:
			return numeric_minus(end, start);
		case MRR_VALUE_LOSS:
			return numeric_minus(start, end);
		case MRR_VALUE_NONE:
			break;
	}
	elog(ERROR, "no MRR value to spill");
	pg_unreachable();
}

/*
 * Adds (or removes) one customer row. Returns NULL from a removal that would
 * leave the display scale of a sum unknown: the executor then recomputes the
 * frame, as it does for sum(numeric).
 */
static pg_attribute_always_inline Datum
mrr_step_row(FunctionCallInfo fcinfo, const KpiCall *call, bool add)
{
	SummaryHeader *state = exact_sums_state_for_update(&mrr_shape, fcinfo);
	ExactSpillFlags flags = exact_spill_flags(&mrr_shape, state);
	NumericView start;
	NumericView end;
	MrrRowSteps steps;
	KpiStatus	status;
	bool		spill = false;

	numeric_arg(fcinfo, 1, call, call->denominator_arg, &start);
	numeric_arg(fcinfo, 2, call, call->numerator_arg, &end);
	status = mrr_step(mrr_of(state), &start, &end, add, &steps);
	if (unlikely(status != KPI_OK))
	{
		if (status == KPI_NEGATIVE_TRIALS || status == KPI_NEGATIVE_HITS)
			raise_negative_mrr(fcinfo, call, status == KPI_NEGATIVE_TRIALS ? 1 : 2);
		if (status == KPI_NOT_IN_STATE)
			raise_not_in_summary(call);
		kpi_raise(status, call, 0, 0);
	}
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		if (steps.value[i] == MRR_VALUE_NONE)
			continue;
		if (steps.step[i] == DECIMAL_RESTART)
			PG_RETURN_NULL();
		if (steps.step[i] == DECIMAL_NOT_IN_SUM)
			raise_not_in_summary(call);
		spill |= steps.step[i] == DECIMAL_SPILL;
	}
	if (unlikely(spill))
	{
		ExactSpills spills = exact_spills_as_built(&mrr_shape, state, &flags);
		Numeric		(*apply) (Numeric, Numeric) = add ? numeric_plus : numeric_minus;

		for (int i = 0; i < MRR_NSUMS; i++)
			if (steps.value[i] != MRR_VALUE_NONE && steps.step[i] == DECIMAL_SPILL)
				spills.spill[i] = apply(spills.spill[i], row_value(fcinfo, steps.value[i]));
		state = exact_sums_build(&mrr_shape, mrr_of(state), &spills);
	}
	PG_RETURN_POINTER(state);
}

/* Each KPI has its own entry points only so that an error names it. */
#define MRR_TRANSITIONS(kpi) \
static const KpiCall kpi##_call = {#kpi, "mrr_end", "mrr_start"}; \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_add); \
Datum b2bkpi_##kpi##_add(PG_FUNCTION_ARGS) \
{ return mrr_step_row(fcinfo, &kpi##_call, true); } \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_remove); \
Datum b2bkpi_##kpi##_remove(PG_FUNCTION_ARGS) \
{ return mrr_step_row(fcinfo, &kpi##_call, false); }

MRR_TRANSITIONS(net_revenue_retention)
MRR_TRANSITIONS(gross_revenue_retention)
MRR_TRANSITIONS(revenue_churn_rate)
MRR_TRANSITIONS(mrr_movements)
MRR_TRANSITIONS(summarize_mrr)

static const KpiCall mrr_summary_call = {MRR_TYPE, "mrr_end", "mrr_start"};

PG_FUNCTION_INFO_V1(b2bkpi_mrr_combine);
Datum
b2bkpi_mrr_combine(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&mrr_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&mrr_shape, fcinfo, 1, NULL);
	MrrSummary *into = mrr_of(state);

	if (into->rows > PG_INT64_MAX - mrr_of(other)->rows)
		kpi_raise(KPI_TOO_MANY_ROWS, &mrr_summary_call, 0, 0);
	into->rows += mrr_of(other)->rows;
	PG_RETURN_POINTER(exact_sums_merge(&mrr_shape, state, other));
}

/* rollup's inverse transition; NULL when a sum's remaining display scale is unknown. */
PG_FUNCTION_INFO_V1(b2bkpi_mrr_subtract);
Datum
b2bkpi_mrr_subtract(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&mrr_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&mrr_shape, fcinfo, 1, NULL);

	state = exact_sums_subtract(&mrr_shape, state, other);
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/* ---------- results ---------- */

static Numeric
mrr_sum(SummaryHeader *state, const ExactSpills *spills, MrrSumId id)
{
	return decimal_sum_numeric(&mrr_of(state)->sums[id], spills->spill[id]);
}

static Datum
numeric_ratio(Numeric numerator, Numeric denominator)
{
	return DirectFunctionCall2(numeric_div, NumericGetDatum(numerator),
							   NumericGetDatum(denominator));
}

typedef enum RetentionKind
{
	RETENTION_NET,				/* sum(end) / sum(start) */
	RETENTION_GROSS,			/* sum(least(start, end)) / sum(start) */
	RETENTION_REVENUE_CHURN		/* 1 - gross */
} RetentionKind;

/* Over customers with mrr_start > 0; NULL when there are none. */
static Datum
retention_result(FunctionCallInfo fcinfo, RetentionKind kind)
{
	ExactSpills spills;
	SummaryHeader *state = exact_sums_arg(&mrr_shape, fcinfo, 0, &spills);
	MrrSummary *m = mrr_of(state);
	Datum		gross;

	if (decimal_sum_is_zero(&m->sums[MRR_START], spills.spill[MRR_START]))
		PG_RETURN_NULL();
	if (kind == RETENTION_NET)
		return numeric_ratio(mrr_sum(state, &spills, MRR_END),
							 mrr_sum(state, &spills, MRR_START));
	gross = numeric_ratio(mrr_sum(state, &spills, MRR_RETAINED),
						  mrr_sum(state, &spills, MRR_START));
	if (kind == RETENTION_GROSS)
		return gross;
	return NumericGetDatum(numeric_minus(int64_to_numeric(1), DatumGetNumeric(gross)));
}

PG_FUNCTION_INFO_V1(b2bkpi_net_revenue_retention_final);
Datum
b2bkpi_net_revenue_retention_final(PG_FUNCTION_ARGS)
{
	return retention_result(fcinfo, RETENTION_NET);
}

PG_FUNCTION_INFO_V1(b2bkpi_gross_revenue_retention_final);
Datum
b2bkpi_gross_revenue_retention_final(PG_FUNCTION_ARGS)
{
	return retention_result(fcinfo, RETENTION_GROSS);
}

PG_FUNCTION_INFO_V1(b2bkpi_revenue_churn_rate_final);
Datum
b2bkpi_revenue_churn_rate_final(PG_FUNCTION_ARGS)
{
	return retention_result(fcinfo, RETENTION_REVENUE_CHURN);
}

/* The composite mrr_movement_totals; NULL for a group of no rows. */
PG_FUNCTION_INFO_V1(b2bkpi_mrr_movements_final);
Datum
b2bkpi_mrr_movements_final(PG_FUNCTION_ARGS)
{
	static const MrrSumId parts[] = {MRR_NEW, MRR_EXPANSION, MRR_CONTRACTION,
	MRR_CHURNED, MRR_NET};
	ExactSpills spills;
	SummaryHeader *state = exact_sums_arg(&mrr_shape, fcinfo, 0, &spills);
	TupleDesc	tupdesc;
	Datum		values[lengthof(parts)];
	bool		nulls[lengthof(parts)] = {false};

	if (mrr_of(state)->rows == 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
		tupdesc->natts != lengthof(parts))
		elog(ERROR, "mrr_movements must return mrr_movement_totals");
	for (int i = 0; i < lengthof(parts); i++)
		values[i] = NumericGetDatum(mrr_sum(state, &spills, parts[i]));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/* ---------- mrr_summary I/O ---------- */

EXACT_SUMS_TYPE_IO(mrr_summary, mrr_shape)

/* ---------- ltv ---------- */

static double
fraction_arg(FunctionCallInfo fcinfo, int argno, const char *arg)
{
	double		value = PG_GETARG_FLOAT8(argno);

	if (isnan(value) || value < 0.0 || value > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"%s\" of ltv must be between 0 and 1", arg),
				 errdetail("The call has %s = %s.", arg,
						   DatumGetCString(DirectFunctionCall1(float8out,
															   PG_GETARG_DATUM(argno)))),
				 errhint("Rates are fractions: 0.75 means 75 %%.")));
	return value;
}

/*
 * arpa * gross_margin / churn_rate in numeric, the two fractions converted as
 * a cast to numeric does: equal to arpa * gross_margin::numeric /
 * churn_rate::numeric.
 */
PG_FUNCTION_INFO_V1(b2bkpi_ltv);
Datum
b2bkpi_ltv(PG_FUNCTION_ARGS)
{
	Numeric		arpa = PG_GETARG_NUMERIC(0);
	Datum		margin;

	if (numeric_is_nan(arpa) || numeric_is_inf(arpa))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"arpa\" of ltv must be a finite number"),
				 errdetail("The call has arpa = %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(0))))));
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, PG_GETARG_DATUM(0),
										 NumericGetDatum(int64_to_numeric(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"arpa\" of ltv must not be negative"),
				 errdetail("The call has arpa = %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(0)))),
				 errhint("Average revenue per account is never negative.")));
	fraction_arg(fcinfo, 1, "gross_margin");
	if (fraction_arg(fcinfo, 2, "churn_rate") == 0.0)
		PG_RETURN_NULL();
	margin = DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(0),
								 DirectFunctionCall1(float8_numeric, PG_GETARG_DATUM(1)));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, margin,
										DirectFunctionCall1(float8_numeric,
															PG_GETARG_DATUM(2))));
}
