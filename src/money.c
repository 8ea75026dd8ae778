/*
 * money.c: fmgr layer of the money family (kpi-spec section 2): cpl, cac,
 * cost_per, roas, marketing_roi and marketing_cac_share, for numeric and for
 * double precision, and their state types money_summary and
 * float8_money_summary.
 *
 * A money_summary datum is the core's MoneySummary with the spills of its two
 * sums, laid out and read by exact_sums.c.
 */
#include "exact_sums.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "core/money.h"

#define MONEY_TYPE "money_summary"
#define FLOAT_MONEY_TYPE "float8_money_summary"

#define MONEY_INVARIANT "An empty summary (rows=0) must have zero sums, and each sum's scale must be carried by between 1 and \"rows\" rows."
#define FLOAT_MONEY_INVARIANT "The row count must not be negative, an empty summary (rows=0) must have zero sums, the sums must be finite, and each error term must be below half a unit in the last place of its sum."

/* What the second argument of a money KPI is. */
typedef enum DenominatorKind
{
	DENOMINATOR_COUNT,			/* bigint: leads, new customers, units */
	DENOMINATOR_MONEY			/* the same type as the numerator */
} DenominatorKind;

/* ---------- money_summary datums ---------- */

static inline MoneySummary *
money_of(SummaryHeader *summary)
{
	return (MoneySummary *) summary_payload(summary);
}

enum
{
	NUMERATOR,
	DENOMINATOR
};

static KpiStatus
money_payload_from_fields(void *payload, const TextFieldValue *values)
{
	return money_from_fields((MoneySummary *) payload, values);
}

static KpiStatus
money_payload_check(const void *payload)
{
	return money_check((const MoneySummary *) payload);
}

static const ExactSumsShape money_shape = {
	MONEY_TYPE, sizeof(MoneySummary), 2,
	{offsetof(MoneySummary, numerator), offsetof(MoneySummary, denominator)},
	money_summary_fields, money_payload_from_fields, money_payload_check, MONEY_INVARIANT,
	0							/* revenue and costs can be negative (refunds) */
};

/* ---------- arguments ---------- */

static void
raise_negative_count(const KpiCall *call, int64 count)
{
	kpi_raise(KPI_NEGATIVE_TRIALS, call, 0, count);
}

static inline double
float8_arg(FunctionCallInfo fcinfo, int argno, const KpiCall *call, const char *arg)
{
	double		value = PG_GETARG_FLOAT8(argno);

	if (unlikely(!isfinite(value)))
		raise_not_finite(call, arg, isnan(value) ? "NaN" :
						 value < 0 ? "-Infinity" : "Infinity");
	return value;
}

/* ---------- numeric transitions ---------- */

/*
 * Adds (or removes) one row. Returns NULL from a removal that would leave the
 * display scale of a sum unknown: the executor then recomputes the frame, as
 * it does for PostgreSQL's own sum(numeric). Inlined into each entry point,
 * so that kind and add are constants there.
 */
static pg_attribute_always_inline Datum
money_numeric_step(FunctionCallInfo fcinfo, const KpiCall *call,
				   DenominatorKind kind, bool add)
{
	SummaryHeader *state = exact_sums_state_for_update(&money_shape, fcinfo);
	MoneySummary *m = money_of(state);
	NumericView numerator;
	NumericView denominator;
	int64		count = 0;
	DecimalStep numerator_step;
	DecimalStep denominator_step;
	/* The core sets these flags as it spills; the datum is laid out by the old ones. */
	ExactSpillFlags flags = exact_spill_flags(&money_shape, state);

	numeric_arg(fcinfo, 1, call, call->numerator_arg, &numerator);
	if (kind == DENOMINATOR_COUNT)
	{
		count = PG_GETARG_INT64(2);
		if (unlikely(count < 0))
			raise_negative_count(call, count);
	}
	else
		numeric_arg(fcinfo, 2, call, call->denominator_arg, &denominator);

	if (add)
	{
		if (unlikely(m->rows == PG_INT64_MAX))
			kpi_raise(KPI_TOO_MANY_ROWS, call, 0, 0);
		m->rows++;
		numerator_step = decimal_sum_add(&m->numerator, &numerator);
		denominator_step = kind == DENOMINATOR_COUNT ?
			decimal_sum_add_int64(&m->denominator, count) :
			decimal_sum_add(&m->denominator, &denominator);
	}
	else
	{
		if (unlikely(m->rows <= 0))
			raise_not_in_summary(call);
		m->rows--;
		numerator_step = decimal_sum_remove(&m->numerator, &numerator);
		denominator_step = kind == DENOMINATOR_COUNT ?
			decimal_sum_remove_int64(&m->denominator, count) :
			decimal_sum_remove(&m->denominator, &denominator);
		if (numerator_step == DECIMAL_RESTART || denominator_step == DECIMAL_RESTART)
			PG_RETURN_NULL();
		if (numerator_step == DECIMAL_NOT_IN_SUM || denominator_step == DECIMAL_NOT_IN_SUM)
			raise_not_in_summary(call);
	}

	if (unlikely(numerator_step == DECIMAL_SPILL || denominator_step == DECIMAL_SPILL))
	{
		ExactSpills spills = exact_spills_as_built(&money_shape, state, &flags);
		Numeric		(*apply) (Numeric, Numeric) = add ? numeric_plus : numeric_minus;

		if (numerator_step == DECIMAL_SPILL)
			spills.spill[NUMERATOR] = apply(spills.spill[NUMERATOR], PG_GETARG_NUMERIC(1));
		if (denominator_step == DECIMAL_SPILL)
			spills.spill[DENOMINATOR] = apply(spills.spill[DENOMINATOR],
											  kind == DENOMINATOR_COUNT ? int64_to_numeric(count) :
											  PG_GETARG_NUMERIC(2));
		/* The executor copies a new state into its own context and frees the old one. */
		state = exact_sums_build(&money_shape, m, &spills);
	}
	PG_RETURN_POINTER(state);
}

/* ---------- double precision transitions ---------- */

static inline FloatMoneySummary *
float_money_of(SummaryHeader *summary)
{
	return (FloatMoneySummary *) summary_payload(summary);
}

static SummaryHeader *
float_money_arg(FunctionCallInfo fcinfo, int argno)
{
	return summary_arg_sized(fcinfo, argno, FLOAT_MONEY_TYPE,
							 sizeof(FloatMoneySummary), false);
}

static void
raise_float_status(KpiStatus status, const KpiCall *call)
{
	if (status == KPI_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of \"%s\" or \"%s\" in %s is out of range for type double precision",
						call->numerator_arg, call->denominator_arg, call->function)));
	if (status == KPI_NOT_IN_STATE)
		raise_not_in_summary(call);
	kpi_raise(status, call, 0, 0);
}

static pg_attribute_always_inline Datum
money_float8_step(FunctionCallInfo fcinfo, const KpiCall *call,
				  DenominatorKind kind, bool add)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_MONEY_TYPE, sizeof(FloatMoneySummary));
	double		numerator = float8_arg(fcinfo, 1, call, call->numerator_arg);
	double		denominator;
	KpiStatus	status;

	if (kind == DENOMINATOR_COUNT)
	{
		int64		count = PG_GETARG_INT64(2);

		if (unlikely(count < 0))
			raise_negative_count(call, count);
		denominator = (double) count;
	}
	else
		denominator = float8_arg(fcinfo, 2, call, call->denominator_arg);

	status = add ? float_money_add(float_money_of(state), numerator, denominator)
		: float_money_remove(float_money_of(state), numerator, denominator);
	if (unlikely(status != KPI_OK))
		raise_float_status(status, call);
	PG_RETURN_POINTER(state);
}

/*
 * Each KPI gets its own entry points only so that an error names the
 * function and the argument the analyst wrote.
 */
#define MONEY_TRANSITIONS(kpi, numerator_name, denominator_name, kind) \
static const KpiCall kpi##_call = {#kpi, numerator_name, denominator_name}; \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_add_numeric); \
Datum b2bkpi_##kpi##_add_numeric(PG_FUNCTION_ARGS) \
{ return money_numeric_step(fcinfo, &kpi##_call, kind, true); } \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_remove_numeric); \
Datum b2bkpi_##kpi##_remove_numeric(PG_FUNCTION_ARGS) \
{ return money_numeric_step(fcinfo, &kpi##_call, kind, false); } \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_add_float8); \
Datum b2bkpi_##kpi##_add_float8(PG_FUNCTION_ARGS) \
{ return money_float8_step(fcinfo, &kpi##_call, kind, true); } \
PG_FUNCTION_INFO_V1(b2bkpi_##kpi##_remove_float8); \
Datum b2bkpi_##kpi##_remove_float8(PG_FUNCTION_ARGS) \
{ return money_float8_step(fcinfo, &kpi##_call, kind, false); }

MONEY_TRANSITIONS(cpl, "spend", "leads", DENOMINATOR_COUNT)
MONEY_TRANSITIONS(cac, "spend", "new_customers", DENOMINATOR_COUNT)
MONEY_TRANSITIONS(cost_per, "spend", "units", DENOMINATOR_COUNT)
MONEY_TRANSITIONS(roas, "revenue", "spend", DENOMINATOR_MONEY)
MONEY_TRANSITIONS(marketing_roi, "revenue", "cost", DENOMINATOR_MONEY)
MONEY_TRANSITIONS(marketing_cac_share, "marketing_spend", "acquisition_spend", DENOMINATOR_MONEY)

/*
 * The summary aggregate of kpi-spec section 6. One (numerator, denominator)
 * form serves every money KPI: a bigint count converted to numeric is a value
 * of display scale 0, exactly what the count forms above add, so the summary
 * equals the state of cpl(spend, leads) as well as that of roas(revenue, spend).
 */
MONEY_TRANSITIONS(summarize_money, "numerator", "denominator", DENOMINATOR_MONEY)

static const KpiCall money_summary_call = {MONEY_TYPE, "numerator", "denominator"};
static const KpiCall float_money_summary_call = {FLOAT_MONEY_TYPE, "numerator", "denominator"};

/* ---------- combine ---------- */

PG_FUNCTION_INFO_V1(b2bkpi_money_combine_numeric);
Datum
b2bkpi_money_combine_numeric(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&money_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&money_shape, fcinfo, 1, NULL);
	MoneySummary *into = money_of(state);

	if (into->rows > PG_INT64_MAX - money_of(other)->rows)
		kpi_raise(KPI_TOO_MANY_ROWS, &money_summary_call, 0, 0);
	into->rows += money_of(other)->rows;
	PG_RETURN_POINTER(exact_sums_merge(&money_shape, state, other));
}

PG_FUNCTION_INFO_V1(b2bkpi_money_combine_float8);
Datum
b2bkpi_money_combine_float8(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_MONEY_TYPE, sizeof(FloatMoneySummary));
	SummaryHeader *other = float_money_arg(fcinfo, 1);
	KpiStatus	status = float_money_merge(float_money_of(state), float_money_of(other));

	if (status != KPI_OK)
		raise_float_status(status, &float_money_summary_call);
	PG_RETURN_POINTER(state);
}

/* ---------- rollup's inverse transition ---------- */

PG_FUNCTION_INFO_V1(b2bkpi_money_subtract_numeric);
Datum
b2bkpi_money_subtract_numeric(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&money_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&money_shape, fcinfo, 1, NULL);

	state = exact_sums_subtract(&money_shape, state, other);
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * As the KPIs' own inverse: compensated sums, exactly zero once no row
 * remains. NULL (recompute the frame) if a sum would leave the doubles.
 */
PG_FUNCTION_INFO_V1(b2bkpi_money_subtract_float8);
Datum
b2bkpi_money_subtract_float8(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_MONEY_TYPE, sizeof(FloatMoneySummary));
	SummaryHeader *other = float_money_arg(fcinfo, 1);
	KpiStatus	status = float_money_subtract(float_money_of(state), float_money_of(other));

	if (status == KPI_OVERFLOW)
		PG_RETURN_NULL();
	if (status != KPI_OK)
		raise_not_in_rollup(FLOAT_MONEY_TYPE);
	PG_RETURN_POINTER(state);
}

/* ---------- results ---------- */

/*
 * numerator / denominator, or (numerator - denominator) / denominator for
 * marketing_roi, through numeric_div itself: the result then has exactly the
 * value and display scale of the SQL idiom over the same sums.
 */
static Datum
money_numeric_result(FunctionCallInfo fcinfo, bool roi)
{
	ExactSpills spills;
	SummaryHeader *state = exact_sums_arg(&money_shape, fcinfo, 0, &spills);
	MoneySummary *m = money_of(state);
	Numeric		numerator;
	Numeric		denominator;

	if (m->rows == 0 || decimal_sum_is_zero(&m->denominator, spills.spill[DENOMINATOR]))
		PG_RETURN_NULL();
	numerator = decimal_sum_numeric(&m->numerator, spills.spill[NUMERATOR]);
	denominator = decimal_sum_numeric(&m->denominator, spills.spill[DENOMINATOR]);
	if (roi)
		numerator = numeric_minus(numerator, denominator);
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, NumericGetDatum(numerator),
										NumericGetDatum(denominator)));
}

PG_FUNCTION_INFO_V1(b2bkpi_money_ratio_numeric);
Datum
b2bkpi_money_ratio_numeric(PG_FUNCTION_ARGS)
{
	return money_numeric_result(fcinfo, false);
}

PG_FUNCTION_INFO_V1(b2bkpi_marketing_roi_numeric);
Datum
b2bkpi_marketing_roi_numeric(PG_FUNCTION_ARGS)
{
	return money_numeric_result(fcinfo, true);
}

static Datum
money_float8_result(FunctionCallInfo fcinfo, bool roi)
{
	FloatMoneySummary *m = float_money_of(float_money_arg(fcinfo, 0));
	double		numerator = float_sum_value(&m->numerator);
	double		denominator = float_sum_value(&m->denominator);

	if (m->rows == 0 || denominator == 0.0)
		PG_RETURN_NULL();
	if (roi)
		numerator -= denominator;
	PG_RETURN_FLOAT8(numerator / denominator);
}

PG_FUNCTION_INFO_V1(b2bkpi_money_ratio_float8);
Datum
b2bkpi_money_ratio_float8(PG_FUNCTION_ARGS)
{
	return money_float8_result(fcinfo, false);
}

PG_FUNCTION_INFO_V1(b2bkpi_marketing_roi_float8);
Datum
b2bkpi_marketing_roi_float8(PG_FUNCTION_ARGS)
{
	return money_float8_result(fcinfo, true);
}

/* ---------- money_summary I/O ---------- */

EXACT_SUMS_TYPE_IO(money_summary, money_shape)

/* ---------- float8_money_summary I/O ---------- */

PG_FUNCTION_INFO_V1(float8_money_summary_in);
Datum
float8_money_summary_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	TextFieldValue values[FLOAT_MONEY_NFIELDS];
	DecodeError error;
	SummaryHeader *summary = summary_alloc(sizeof(FloatMoneySummary));

	if (summary_text_scan(text, strlen(text), float_money_summary_fields,
						  FLOAT_MONEY_NFIELDS, values, &error) != DECODE_OK)
		raise_fields_text_error(FLOAT_MONEY_TYPE, float_money_summary_fields, text,
							   &error, FLOAT_MONEY_INVARIANT);
	if (float_money_from_fields(float_money_of(summary), values) != KPI_OK)
	{
		error.status = DECODE_INVARIANT;
		raise_fields_text_error(FLOAT_MONEY_TYPE, float_money_summary_fields, text,
							   &error, FLOAT_MONEY_INVARIANT);
	}
	PG_RETURN_POINTER(summary);
}

static void
append_float(StringInfo out, const char *name, double value)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, buf);
	appendStringInfo(out, " %s=%s", name, buf);
}

PG_FUNCTION_INFO_V1(float8_money_summary_out);
Datum
float8_money_summary_out(PG_FUNCTION_ARGS)
{
	FloatMoneySummary m = *float_money_of(float_money_arg(fcinfo, 0));
	const TextField *f = float_money_summary_fields;
	StringInfoData out;

	/* Normalized, each sum prints as the sum rounded once plus its residue. */
	if (float_money_normalize(&m) != KPI_OK)
		raise_float_status(KPI_OVERFLOW, &float_money_summary_call);
	initStringInfo(&out);
	appendStringInfo(&out, "v%d %s=" INT64_FORMAT, SUMMARY_TEXT_VERSION,
					 f[FLOAT_MONEY_FIELD_ROWS].name, m.rows);
	append_float(&out, f[FLOAT_MONEY_FIELD_NUMERATOR].name, m.numerator.sum);
	append_float(&out, f[FLOAT_MONEY_FIELD_NUMERATOR_ERROR].name, m.numerator.error);
	append_float(&out, f[FLOAT_MONEY_FIELD_DENOMINATOR].name, m.denominator.sum);
	append_float(&out, f[FLOAT_MONEY_FIELD_DENOMINATOR_ERROR].name, m.denominator.error);
	PG_RETURN_CSTRING(out.data);
}

/* Binary form: version byte, rows as int64, then the four doubles. */
PG_FUNCTION_INFO_V1(float8_money_summary_send);
Datum
float8_money_summary_send(PG_FUNCTION_ARGS)
{
	FloatMoneySummary m = *float_money_of(float_money_arg(fcinfo, 0));
	StringInfoData buf;

	if (float_money_normalize(&m) != KPI_OK)
		raise_float_status(KPI_OVERFLOW, &float_money_summary_call);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_TEXT_VERSION);
	pq_sendint64(&buf, m.rows);
	pq_sendfloat8(&buf, m.numerator.sum);
	pq_sendfloat8(&buf, m.numerator.error);
	pq_sendfloat8(&buf, m.denominator.sum);
	pq_sendfloat8(&buf, m.denominator.error);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(float8_money_summary_recv);
Datum
float8_money_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SummaryHeader *summary = summary_alloc(sizeof(FloatMoneySummary));
	FloatMoneySummary *m = float_money_of(summary);
	const int	payload = sizeof(int64) + 4 * sizeof(double);

	check_binary_version(FLOAT_MONEY_TYPE, buf);
	if (buf->len - buf->cursor != payload)
		raise_binary_error(FLOAT_MONEY_TYPE,
						   psprintf("A binary %s is %d bytes long, not %d.",
									FLOAT_MONEY_TYPE, 1 + payload,
									1 + buf->len - buf->cursor));
	m->rows = pq_getmsgint64(buf);
	m->numerator.sum = pq_getmsgfloat8(buf);
	m->numerator.error = pq_getmsgfloat8(buf);
	m->denominator.sum = pq_getmsgfloat8(buf);
	m->denominator.error = pq_getmsgfloat8(buf);
	if (m->rows < 0 ||
		!isfinite(m->numerator.sum) || !isfinite(m->numerator.error) ||
		!isfinite(m->denominator.sum) || !isfinite(m->denominator.error) ||
		float_money_check(m) != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", FLOAT_MONEY_TYPE),
				 errdetail("%s", FLOAT_MONEY_INVARIANT)));
	PG_RETURN_POINTER(summary);
}
