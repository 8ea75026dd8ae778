/*
 * sales_velocity.c: fmgr layer of sales_velocity (kpi-spec section 4), for
 * numeric and double precision amounts and for timestamptz and timestamp
 * dates, and its state types velocity_summary and float8_velocity_summary.
 *
 * A velocity_summary datum is the core's VelocitySummary with the spills of
 * its two sums, laid out and read by exact_sums.c.
 */
#include "exact_sums.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "core/velocity.h"

#define VELOCITY_TYPE "velocity_summary"
#define FLOAT_VELOCITY_TYPE "float8_velocity_summary"

#define VELOCITY_INVARIANT "An empty summary (rows=0) must have zero sums; won_amount_scale_rows must be at most \"rows\", and a won_amount that no row reached must be 0; cycle_seconds must not be negative, must have 6 decimal places, and every row carries that scale."
#define FLOAT_VELOCITY_INVARIANT "The counts must satisfy 0 <= won_rows <= rows, a summary without won rows must have a zero won_amount, the error term must be below half a unit in the last place of won_amount, and cycle_seconds must be a non-negative decimal of at most 6 places, zero when rows is."

static const KpiCall velocity_call = {"sales_velocity", "amount", "closed_at"};
static const KpiCall summarize_velocity_call = {"summarize_velocity", "amount", "closed_at"};

/* ---------- velocity_summary datums ---------- */

enum
{
	WON_AMOUNT,
	CYCLE_SECONDS
};

static inline VelocitySummary *
velocity_of(SummaryHeader *summary)
{
	return (VelocitySummary *) summary_payload(summary);
}

static KpiStatus
velocity_payload_from_fields(void *payload, const TextFieldValue *values)
{
	return velocity_from_fields((VelocitySummary *) payload, values);
}

static KpiStatus
velocity_payload_check(const void *payload)
{
	return velocity_check((const VelocitySummary *) payload);
}

static const ExactSumsShape velocity_shape = {
	VELOCITY_TYPE, sizeof(VelocitySummary), 2,
	{offsetof(VelocitySummary, won_amount), offsetof(VelocitySummary, cycle_seconds)},
	velocity_summary_fields, velocity_payload_from_fields, velocity_payload_check,
	VELOCITY_INVARIANT,
	1u << CYCLE_SECONDS			/* won amounts can be negative (credits) */
};

/* ---------- arguments ---------- */

static char *
timestamp_text(Datum value, bool with_time_zone)
{
	return DatumGetCString(DirectFunctionCall1(with_time_zone ? timestamptz_out : timestamp_out,
											   value));
}

static void
raise_infinite_timestamp(const KpiCall *call, const char *arg, Datum value, bool with_time_zone)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"%s\" of %s must be finite", arg, call->function),
			 errdetail("A row has %s = %s.", arg, timestamp_text(value, with_time_zone)),
			 strcmp(arg, "closed_at") == 0 ?
			 errhint("An open opportunity has no closed_at: leave it NULL and the row is skipped.") :
			 errhint("A cycle is measured from a real date; correct or exclude the row.")));
}

static void
raise_closed_before_created(FunctionCallInfo fcinfo, const KpiCall *call, bool with_time_zone)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"closed_at\" of %s must not be earlier than argument \"created_at\"",
					call->function),
			 errdetail("A row has created_at = %s and closed_at = %s.",
					   timestamp_text(PG_GETARG_DATUM(3), with_time_zone),
					   timestamp_text(PG_GETARG_DATUM(4), with_time_zone)),
			 errhint("An opportunity closes after it is created; correct or exclude the row.")));
}

/*
 * The row's cycle, closed_at - created_at in microseconds: arguments 3 and 4.
 * timestamp and timestamptz are both int64 microseconds, and their
 * difference is the same; only the text of an error differs.
 */
static pg_attribute_always_inline kpi_int128
cycle_arg(FunctionCallInfo fcinfo, const KpiCall *call, bool with_time_zone)
{
	int64		created_at = PG_GETARG_INT64(3);
	int64		closed_at = PG_GETARG_INT64(4);
	kpi_int128	microseconds;

	if (unlikely(TIMESTAMP_NOT_FINITE(created_at)))
		raise_infinite_timestamp(call, "created_at", PG_GETARG_DATUM(3), with_time_zone);
	if (unlikely(TIMESTAMP_NOT_FINITE(closed_at)))
		raise_infinite_timestamp(call, "closed_at", PG_GETARG_DATUM(4), with_time_zone);
	if (unlikely(!velocity_cycle(created_at, closed_at, &microseconds)))
		raise_closed_before_created(fcinfo, call, with_time_zone);
	return microseconds;
}

static inline double
float8_amount_arg(FunctionCallInfo fcinfo, const KpiCall *call)
{
	double		value = PG_GETARG_FLOAT8(1);

	if (unlikely(!isfinite(value)))
		raise_not_finite(call, "amount", isnan(value) ? "NaN" :
						 value < 0 ? "-Infinity" : "Infinity");
	return value;
}

/* Microseconds as a numeric of seconds with display scale 6. */
static Numeric
cycle_numeric(kpi_int128 microseconds)
{
	char		buf[VELOCITY_CYCLE_TEXT_MAX];

	if (microseconds >= PG_INT64_MIN && microseconds <= PG_INT64_MAX)
		return int64_div_fast_to_numeric((int64) microseconds, VELOCITY_CYCLE_SCALE);
	if (velocity_format_cycle(microseconds, buf, sizeof(buf)) == 0)
		elog(ERROR, "cannot format a cycle of sales_velocity");
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* ---------- numeric transitions ---------- */

/*
 * Adds (or removes) one closed opportunity. Returns NULL from a removal that
 * would leave the display scale of a sum unknown, or empty the cycle sum: the
 * executor then recomputes the frame, as it does for sum(numeric).
 */
static pg_attribute_always_inline Datum
velocity_numeric_step(FunctionCallInfo fcinfo, const KpiCall *call, bool with_time_zone,
					  bool add)
{
	SummaryHeader *state = exact_sums_state_for_update(&velocity_shape, fcinfo);
	VelocitySummary *v = velocity_of(state);
	/* The core sets these flags as it spills; the datum is laid out by the old ones. */
	ExactSpillFlags flags = exact_spill_flags(&velocity_shape, state);
	NumericView amount;
	bool		won = PG_GETARG_BOOL(2);
	kpi_int128	cycle;
	DecimalStep won_step = DECIMAL_DONE;
	DecimalStep cycle_step;

	numeric_arg(fcinfo, 1, call, "amount", &amount);
	cycle = cycle_arg(fcinfo, call, with_time_zone);

	if (add)
	{
		if (unlikely(v->rows == PG_INT64_MAX))
			kpi_raise(KPI_TOO_MANY_ROWS, call, 0, 0);
		v->rows++;
		if (won)
			won_step = decimal_sum_add(&v->won_amount, &amount);
		cycle_step = velocity_cycle_add(&v->cycle_seconds, cycle);
	}
	else
	{
		if (unlikely(v->rows <= 0))
			raise_not_in_summary(call);
		v->rows--;
		if (won)
			won_step = decimal_sum_remove(&v->won_amount, &amount);
		cycle_step = velocity_cycle_remove(&v->cycle_seconds, cycle);
		if (won_step == DECIMAL_RESTART || cycle_step == DECIMAL_RESTART)
			PG_RETURN_NULL();
		if (won_step == DECIMAL_NOT_IN_SUM || cycle_step == DECIMAL_NOT_IN_SUM)
			raise_not_in_summary(call);
	}

	if (unlikely(won_step == DECIMAL_SPILL || cycle_step == DECIMAL_SPILL))
	{
		ExactSpills spills = exact_spills_as_built(&velocity_shape, state, &flags);
		Numeric		(*apply) (Numeric, Numeric) = add ? numeric_plus : numeric_minus;

		if (won_step == DECIMAL_SPILL)
			spills.spill[WON_AMOUNT] = apply(spills.spill[WON_AMOUNT], PG_GETARG_NUMERIC(1));
		if (cycle_step == DECIMAL_SPILL)
			spills.spill[CYCLE_SECONDS] = apply(spills.spill[CYCLE_SECONDS],
												cycle_numeric(cycle));
		/* The executor copies a new state into its own context and frees the old one. */
		state = exact_sums_build(&velocity_shape, v, &spills);
	}
	PG_RETURN_POINTER(state);
}

/*
 * The entry points of sales_velocity and of summarize_velocity, which differ
 * only in the name an error shows: kind is numeric or float8, and dates are
 * timestamptz (tstz) or timestamp (ts).
 */
#define VELOCITY_TRANSITIONS(name, call, kind, dates, with_time_zone) \
PG_FUNCTION_INFO_V1(b2bkpi_##name##_add_##kind##_##dates); \
Datum b2bkpi_##name##_add_##kind##_##dates(PG_FUNCTION_ARGS) \
{ return velocity_##kind##_step(fcinfo, &call, with_time_zone, true); } \
PG_FUNCTION_INFO_V1(b2bkpi_##name##_remove_##kind##_##dates); \
Datum b2bkpi_##name##_remove_##kind##_##dates(PG_FUNCTION_ARGS) \
{ return velocity_##kind##_step(fcinfo, &call, with_time_zone, false); }

VELOCITY_TRANSITIONS(sales_velocity, velocity_call, numeric, tstz, true)
VELOCITY_TRANSITIONS(sales_velocity, velocity_call, numeric, ts, false)
VELOCITY_TRANSITIONS(summarize_velocity, summarize_velocity_call, numeric, tstz, true)
VELOCITY_TRANSITIONS(summarize_velocity, summarize_velocity_call, numeric, ts, false)

PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_combine_numeric);
Datum
b2bkpi_sales_velocity_combine_numeric(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&velocity_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&velocity_shape, fcinfo, 1, NULL);
	VelocitySummary *into = velocity_of(state);
	static const KpiCall combine_call = {VELOCITY_TYPE, "amount", "closed_at"};

	if (into->rows > PG_INT64_MAX - velocity_of(other)->rows)
		kpi_raise(KPI_TOO_MANY_ROWS, &combine_call, 0, 0);
	into->rows += velocity_of(other)->rows;
	PG_RETURN_POINTER(exact_sums_merge(&velocity_shape, state, other));
}

/* rollup's inverse transition; NULL when a sum's remaining display scale is unknown. */
PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_subtract_numeric);
Datum
b2bkpi_sales_velocity_subtract_numeric(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = exact_sums_state_for_update(&velocity_shape, fcinfo);
	SummaryHeader *other = exact_sums_arg(&velocity_shape, fcinfo, 1, NULL);

	state = exact_sums_subtract(&velocity_shape, state, other);
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * coalesce(sum(amount) FILTER (WHERE is_won), 0) * count(*) * 86400
 *     / nullif(sum(extract(epoch FROM closed_at - created_at)), 0)
 *
 * with numeric_mul and numeric_div themselves, in that order, on sums of the
 * same value and display scale: the result equals the idiom's, value and
 * display scale. A summary without won rows holds 0 at scale 0, as coalesce
 * gives it.
 */
PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_final_numeric);
Datum
b2bkpi_sales_velocity_final_numeric(PG_FUNCTION_ARGS)
{
	ExactSpills spills;
	SummaryHeader *state = exact_sums_arg(&velocity_shape, fcinfo, 0, &spills);
	VelocitySummary *v = velocity_of(state);
	Datum		revenue;

	if (v->rows == 0 || decimal_sum_is_zero(&v->cycle_seconds, spills.spill[CYCLE_SECONDS]))
		PG_RETURN_NULL();
	revenue = NumericGetDatum(decimal_sum_numeric(&v->won_amount, spills.spill[WON_AMOUNT]));
	revenue = DirectFunctionCall2(numeric_mul, revenue,
								  NumericGetDatum(int64_to_numeric(v->rows)));
	revenue = DirectFunctionCall2(numeric_mul, revenue,
								  NumericGetDatum(int64_to_numeric(VELOCITY_SECONDS_PER_DAY)));
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, revenue,
										NumericGetDatum(decimal_sum_numeric(&v->cycle_seconds,
																			spills.spill[CYCLE_SECONDS]))));
}

EXACT_SUMS_TYPE_IO(velocity_summary, velocity_shape)

/* ---------- double precision ---------- */

static const KpiCall float_velocity_summary_call = {FLOAT_VELOCITY_TYPE, "amount", "closed_at"};

static inline FloatVelocitySummary *
float_velocity_of(SummaryHeader *summary)
{
	return (FloatVelocitySummary *) summary_payload(summary);
}

static SummaryHeader *
float_velocity_arg(FunctionCallInfo fcinfo, int argno)
{
	return summary_arg_sized(fcinfo, argno, FLOAT_VELOCITY_TYPE,
							 sizeof(FloatVelocitySummary), false);
}

static void
raise_float_status(KpiStatus status, const KpiCall *call)
{
	if (status == KPI_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of \"amount\" or of the cycles in %s is out of range",
						call->function),
				 errdetail("The sum of the won amounts must stay within double precision, and the sum of closed_at - created_at within 2^127 microseconds.")));
	if (status == KPI_NOT_IN_STATE)
		raise_not_in_summary(call);
	kpi_raise(status, call, 0, 0);
}

static pg_attribute_always_inline Datum
velocity_float8_step(FunctionCallInfo fcinfo, const KpiCall *call, bool with_time_zone,
					 bool add)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_VELOCITY_TYPE,
															   sizeof(FloatVelocitySummary));
	double		amount = float8_amount_arg(fcinfo, call);
	bool		won = PG_GETARG_BOOL(2);
	kpi_int128	cycle = cycle_arg(fcinfo, call, with_time_zone);
	KpiStatus	status;

	status = add ? float_velocity_add(float_velocity_of(state), amount, won, cycle)
		: float_velocity_remove(float_velocity_of(state), amount, won, cycle);
	if (unlikely(status != KPI_OK))
		raise_float_status(status, call);
	PG_RETURN_POINTER(state);
}

VELOCITY_TRANSITIONS(sales_velocity, velocity_call, float8, tstz, true)
VELOCITY_TRANSITIONS(sales_velocity, velocity_call, float8, ts, false)
VELOCITY_TRANSITIONS(summarize_velocity, summarize_velocity_call, float8, tstz, true)
VELOCITY_TRANSITIONS(summarize_velocity, summarize_velocity_call, float8, ts, false)

PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_combine_float8);
Datum
b2bkpi_sales_velocity_combine_float8(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_VELOCITY_TYPE,
															   sizeof(FloatVelocitySummary));
	SummaryHeader *other = float_velocity_arg(fcinfo, 1);
	KpiStatus	status = float_velocity_merge(float_velocity_of(state),
											  float_velocity_of(other));

	if (status != KPI_OK)
		raise_float_status(status, &float_velocity_summary_call);
	PG_RETURN_POINTER(state);
}

/*
 * As the KPI's own inverse: an exact cycle sum, a compensated won sum, exact
 * zeros once no (won) row remains. NULL (recompute the frame) if the won sum
 * would leave the doubles.
 */
PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_subtract_float8);
Datum
b2bkpi_sales_velocity_subtract_float8(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, FLOAT_VELOCITY_TYPE,
															   sizeof(FloatVelocitySummary));
	SummaryHeader *other = float_velocity_arg(fcinfo, 1);
	KpiStatus	status = float_velocity_subtract(float_velocity_of(state),
												 float_velocity_of(other));

	if (status == KPI_OVERFLOW)
		PG_RETURN_NULL();
	if (status != KPI_OK)
		raise_not_in_rollup(FLOAT_VELOCITY_TYPE);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_sales_velocity_final_float8);
Datum
b2bkpi_sales_velocity_final_float8(PG_FUNCTION_ARGS)
{
	double		velocity;

	if (!float_velocity_value(float_velocity_of(float_velocity_arg(fcinfo, 0)), &velocity))
		PG_RETURN_NULL();
	if (!isfinite(velocity))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value of sales_velocity is out of range for type double precision")));
	PG_RETURN_FLOAT8(velocity);
}

/* ---------- float8_velocity_summary I/O ---------- */

PG_FUNCTION_INFO_V1(float8_velocity_summary_in);
Datum
float8_velocity_summary_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	TextFieldValue values[FLOAT_VELOCITY_NFIELDS];
	DecodeError error;
	SummaryHeader *summary = summary_alloc(sizeof(FloatVelocitySummary));

	if (summary_text_scan(text, strlen(text), float_velocity_summary_fields,
						  FLOAT_VELOCITY_NFIELDS, values, &error) != DECODE_OK)
		raise_fields_text_error(FLOAT_VELOCITY_TYPE, float_velocity_summary_fields, text,
								&error, FLOAT_VELOCITY_INVARIANT);
	if (float_velocity_from_fields(float_velocity_of(summary), values) != KPI_OK)
	{
		error.status = DECODE_INVARIANT;
		error.field = -1;
		raise_fields_text_error(FLOAT_VELOCITY_TYPE, float_velocity_summary_fields, text,
								&error, FLOAT_VELOCITY_INVARIANT);
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

/* The summary, normalized as its text and binary forms require. */
static FloatVelocitySummary
float_velocity_normalized(FunctionCallInfo fcinfo)
{
	FloatVelocitySummary s = *float_velocity_of(float_velocity_arg(fcinfo, 0));

	if (float_velocity_normalize(&s) != KPI_OK)
		raise_float_status(KPI_OVERFLOW, &float_velocity_summary_call);
	return s;
}

PG_FUNCTION_INFO_V1(float8_velocity_summary_out);
Datum
float8_velocity_summary_out(PG_FUNCTION_ARGS)
{
	FloatVelocitySummary s = float_velocity_normalized(fcinfo);
	const TextField *f = float_velocity_summary_fields;
	char		cycle[VELOCITY_CYCLE_TEXT_MAX];
	StringInfoData out;

	if (velocity_format_cycle(s.cycle_microseconds, cycle, sizeof(cycle)) == 0)
		elog(ERROR, "cannot format a cycle of sales_velocity");
	initStringInfo(&out);
	appendStringInfo(&out, "v%d %s=" INT64_FORMAT " %s=" INT64_FORMAT, SUMMARY_TEXT_VERSION,
					 f[FLOAT_VELOCITY_FIELD_ROWS].name, s.rows,
					 f[FLOAT_VELOCITY_FIELD_WON_ROWS].name, s.won_rows);
	append_float(&out, f[FLOAT_VELOCITY_FIELD_WON_AMOUNT].name, s.won_amount.sum);
	append_float(&out, f[FLOAT_VELOCITY_FIELD_WON_AMOUNT_ERROR].name, s.won_amount.error);
	appendStringInfo(&out, " %s=%s", f[FLOAT_VELOCITY_FIELD_CYCLE_SECONDS].name, cycle);
	PG_RETURN_CSTRING(out.data);
}

/*
 * Binary form: version byte, rows and won_rows as int64, the won sum and its
 * error as float8, then the cycle microseconds as a 128-bit two's complement
 * integer, high int64 first.
 */
#define FLOAT_VELOCITY_BINARY_PAYLOAD (2 * sizeof(int64) + 2 * sizeof(double) + 2 * sizeof(int64))

PG_FUNCTION_INFO_V1(float8_velocity_summary_send);
Datum
float8_velocity_summary_send(PG_FUNCTION_ARGS)
{
	FloatVelocitySummary s = float_velocity_normalized(fcinfo);
	kpi_uint128 cycle = (kpi_uint128) s.cycle_microseconds;
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_TEXT_VERSION);
	pq_sendint64(&buf, s.rows);
	pq_sendint64(&buf, s.won_rows);
	pq_sendfloat8(&buf, s.won_amount.sum);
	pq_sendfloat8(&buf, s.won_amount.error);
	pq_sendint64(&buf, (int64) (uint64) (cycle >> 64));
	pq_sendint64(&buf, (int64) (uint64) cycle);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(float8_velocity_summary_recv);
Datum
float8_velocity_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SummaryHeader *summary = summary_alloc(sizeof(FloatVelocitySummary));
	FloatVelocitySummary *s = float_velocity_of(summary);
	const int	payload = (int) FLOAT_VELOCITY_BINARY_PAYLOAD;
	kpi_uint128 high;
	kpi_uint128 low;

	check_binary_version(FLOAT_VELOCITY_TYPE, buf);
	if (buf->len - buf->cursor != payload)
		raise_binary_error(FLOAT_VELOCITY_TYPE,
						   psprintf("A binary %s is %d bytes long, not %d.",
									FLOAT_VELOCITY_TYPE, 1 + payload,
									1 + buf->len - buf->cursor));
	s->rows = pq_getmsgint64(buf);
	s->won_rows = pq_getmsgint64(buf);
	s->won_amount.sum = pq_getmsgfloat8(buf);
	s->won_amount.error = pq_getmsgfloat8(buf);
	high = (uint64) pq_getmsgint64(buf);
	low = (uint64) pq_getmsgint64(buf);
	s->cycle_microseconds = (kpi_int128) ((high << 64) | low);
	if (float_velocity_check(s) != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", FLOAT_VELOCITY_TYPE),
				 errdetail("%s", FLOAT_VELOCITY_INVARIANT)));
	PG_RETURN_POINTER(summary);
}
