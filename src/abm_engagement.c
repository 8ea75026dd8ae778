/*
 * abm_engagement.c: fmgr layer of account_engagement (kpi-spec section 5),
 * time-decayed engagement minutes over timestamptz or timestamp touches, and
 * its state type engagement_summary (the core's EngagementSummary).
 */
#include "exact_sums.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "core/engagement.h"

#define ENGAGEMENT_TYPE "engagement_summary"
#define ENGAGEMENT_FUNCTION "account_engagement"

#define ENGAGEMENT_INVARIANT "The count \"rows\" must not be negative; engagement_minutes must be finite and not negative, zero when rows is, with an error term below half a unit in its last place; as_of and half_life_seconds are both none (then rows is 0) or both set, as_of a UTC timestamp within PostgreSQL's range and half_life_seconds positive with at most 6 decimal places."

#define HALF_LIFE_COMPARISON "Half-lives are compared by their length in seconds as extract(epoch FROM half_life) measures it (a month is 30 days, a year 365.25 days, a day 86400 seconds), so '1 day' equals '24 hours'."

static const KpiCall engagement_call = {ENGAGEMENT_FUNCTION, "minutes", "ts"};

static inline EngagementSummary *
engagement_of(SummaryHeader *summary)
{
	return (EngagementSummary *) summary_payload(summary);
}

/*
 * A summary argument, checked: a state handed over by a parallel worker is
 * not normalized, so a copy is normalized first and then checked.
 */
static SummaryHeader *
engagement_arg(FunctionCallInfo fcinfo, int argno)
{
	SummaryHeader *summary = summary_arg_sized(fcinfo, argno, ENGAGEMENT_TYPE,
											   sizeof(EngagementSummary), false);
	EngagementSummary normalized = *engagement_of(summary);

	if (engagement_normalize(&normalized) != KPI_OK || engagement_check(&normalized) != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value is damaged", ENGAGEMENT_TYPE),
				 errdetail("%s", ENGAGEMENT_INVARIANT)));
	return summary;
}

/* ---------- text of values, for messages ---------- */

static char *
timestamp_text(int64 value, bool with_time_zone)
{
	return DatumGetCString(DirectFunctionCall1(with_time_zone ? timestamptz_out : timestamp_out,
											   Int64GetDatum(value)));
}

/* A UTC timestamp as the text form writes it: no session setting changes it. */
static char *
utc_text(int64 value)
{
	char	   *buf = palloc(ENGAGEMENT_WORD_MAX);

	if (calendar_point_format(value, CALENDAR_MICROSECOND, buf, ENGAGEMENT_WORD_MAX) == 0)
		elog(ERROR, "cannot format as_of of %s", ENGAGEMENT_TYPE);
	return buf;
}

/* Microseconds as seconds, without trailing zero places: "86400", "0.5". */
static char *
seconds_text(int64 microseconds)
{
	char	   *buf = palloc(ENGAGEMENT_WORD_MAX);
	size_t		len = engagement_format_seconds(microseconds, buf, ENGAGEMENT_WORD_MAX);

	if (len == 0)
		elog(ERROR, "cannot format half_life of %s", ENGAGEMENT_TYPE);
	while (buf[len - 1] == '0')
		len--;
	if (buf[len - 1] == '.')
		len--;
	buf[len] = '\0';
	return buf;
}

static char *
interval_text(Interval *value)
{
	return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value)));
}

/* ---------- arguments ---------- */

static void
raise_infinite_timestamp(const char *arg, int64 value, bool with_time_zone)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"%s\" of %s must be finite", arg, ENGAGEMENT_FUNCTION),
			 errdetail("A row has %s = %s.", arg, timestamp_text(value, with_time_zone)),
			 strcmp(arg, "as_of") == 0 ?
			 errhint("Engagement decays from a real date: pass one, such as now() or a report date.") :
			 errhint("A touch happens at a real date; correct or exclude the row.")));
}

static void
raise_bad_minutes(double minutes)
{
	if (isnan(minutes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"minutes\" of %s must not be NaN", ENGAGEMENT_FUNCTION),
				 errdetail("A row has minutes = NaN."),
				 errhint("Minutes of engagement must be real numbers; correct or exclude the row.")));
	if (isinf(minutes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"minutes\" of %s must be finite", ENGAGEMENT_FUNCTION),
				 errdetail("A row has minutes = %s.", minutes < 0 ? "-Infinity" : "Infinity"),
				 errhint("Minutes of engagement must be real numbers; correct or exclude the row.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"minutes\" of %s must not be negative", ENGAGEMENT_FUNCTION),
			 errdetail("A row has minutes = %s.", float8out_internal(minutes)),
			 errhint("A touch adds engagement time, or nothing: a touch worth nothing has minutes = 0.")));
}

/* The half-life's exact length in microseconds, positive. */
static pg_attribute_always_inline int64
half_life_arg(Interval *half_life)
{
	int64		microseconds;

	if (unlikely(!engagement_half_life(half_life->month, half_life->day, half_life->time,
									   &microseconds)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("argument \"half_life\" of %s is out of range", ENGAGEMENT_FUNCTION),
				 errdetail("A row has half_life = '%s'; its length in microseconds must fit in a bigint (about 292,000 years).",
						   interval_text(half_life))));
	if (unlikely(microseconds <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"half_life\" of %s must be positive", ENGAGEMENT_FUNCTION),
				 errdetail("A row has half_life = '%s', which is %s seconds as extract(epoch FROM half_life) measures it.",
						   interval_text(half_life), seconds_text(microseconds)),
				 errhint("The half-life is the age at which a touch counts half, such as '30 days'.")));
	return microseconds;
}

/* Rows of one group name other parameters than the state holds. */
static void
raise_row_parameters_changed(const EngagementSummary *s, int64 as_of, Interval *half_life,
							 int64 half_life_us, bool with_time_zone)
{
	if (s->as_of != as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"as_of\" of %s must be the same in every row of a group",
						ENGAGEMENT_FUNCTION),
				 errdetail("The group has rows with as_of = %s and with as_of = %s.",
						   timestamp_text(s->as_of, with_time_zone),
						   timestamp_text(as_of, with_time_zone)),
				 errhint("Pass one as_of for the whole query, such as a constant or a parameter, or group by it too.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"half_life\" of %s must be the same in every row of a group",
					ENGAGEMENT_FUNCTION),
			 errdetail("The group has rows with half_life_seconds = %s and a row with half_life = '%s' (half_life_seconds = %s).",
					   seconds_text(s->half_life), interval_text(half_life),
					   seconds_text(half_life_us)),
			 errhint("%s", HALF_LIFE_COMPARISON)));
}

/* Two states to combine hold different parameters. */
static void
raise_states_parameters_changed(const EngagementSummary *a, const EngagementSummary *b)
{
	if (a->as_of != b->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"as_of\" of %s must be the same in every row of a group",
						ENGAGEMENT_FUNCTION),
				 errdetail("The %s values to combine have as_of = %s and as_of = %s (UTC).",
						   ENGAGEMENT_TYPE, utc_text(a->as_of), utc_text(b->as_of)),
				 errhint("Pass one as_of for the whole query, such as a constant or a parameter, or group by it too.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("argument \"half_life\" of %s must be the same in every row of a group",
					ENGAGEMENT_FUNCTION),
			 errdetail("The %s values to combine have half_life_seconds = %s and half_life_seconds = %s.",
					   ENGAGEMENT_TYPE, seconds_text(a->half_life), seconds_text(b->half_life)),
			 errhint("%s", HALF_LIFE_COMPARISON)));
}

static void
raise_status(KpiStatus status)
{
	if (status == KPI_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of decayed \"minutes\" in %s is out of range", ENGAGEMENT_FUNCTION),
				 errdetail("The sum of the decayed minutes must stay within double precision.")));
	if (status == KPI_NOT_IN_STATE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a touch that %s does not hold", ENGAGEMENT_FUNCTION),
				 errdetail("The summary holds no counted touch, or has no as_of and half_life yet.")));
	kpi_raise(status, &engagement_call, 0, 0);
}

/* ---------- transitions ---------- */

/*
 * Adds (or removes) one touch: arguments ts, minutes, as_of, half_life.
 * timestamp and timestamptz are both int64 microseconds, and their
 * difference is the same; only the text of an error differs.
 */
static pg_attribute_always_inline Datum
engagement_step(FunctionCallInfo fcinfo, bool with_time_zone, bool add)
{
	SummaryHeader *state = summary_state_for_update_sized(fcinfo, ENGAGEMENT_TYPE,
														   sizeof(EngagementSummary));
	EngagementSummary *s = engagement_of(state);
	int64		ts = PG_GETARG_INT64(1);
	double		minutes = PG_GETARG_FLOAT8(2);
	int64		as_of = PG_GETARG_INT64(3);
	Interval   *half_life = PG_GETARG_INTERVAL_P(4);
	int64		half_life_us;
	KpiStatus	status;

	if (unlikely(TIMESTAMP_NOT_FINITE(ts)))
		raise_infinite_timestamp("ts", ts, with_time_zone);
	if (unlikely(!engagement_minutes_valid(minutes)))
		raise_bad_minutes(minutes);
	if (unlikely(TIMESTAMP_NOT_FINITE(as_of)))
		raise_infinite_timestamp("as_of", as_of, with_time_zone);
	half_life_us = half_life_arg(half_life);
	if (unlikely(!engagement_parameters_match(s, as_of, half_life_us)))
		raise_row_parameters_changed(s, as_of, half_life, half_life_us, with_time_zone);

	status = add ? engagement_add(s, ts, minutes, as_of, half_life_us)
		: engagement_remove(s, ts, minutes, as_of, half_life_us);
	if (unlikely(status != KPI_OK))
		raise_status(status);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_add_tstz);
Datum
b2bkpi_account_engagement_add_tstz(PG_FUNCTION_ARGS)
{
	return engagement_step(fcinfo, true, true);
}

PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_remove_tstz);
Datum
b2bkpi_account_engagement_remove_tstz(PG_FUNCTION_ARGS)
{
	return engagement_step(fcinfo, true, false);
}

PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_add_ts);
Datum
b2bkpi_account_engagement_add_ts(PG_FUNCTION_ARGS)
{
	return engagement_step(fcinfo, false, true);
}

PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_remove_ts);
Datum
b2bkpi_account_engagement_remove_ts(PG_FUNCTION_ARGS)
{
	return engagement_step(fcinfo, false, false);
}

/*
 * Merges two states (parallel plans). Either may have no parameters yet (a
 * worker that saw no rows, or the aggregate's initial state): it takes the
 * other's.
 */
PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_combine);
Datum
b2bkpi_account_engagement_combine(PG_FUNCTION_ARGS)
{
	SummaryHeader *state;
	EngagementSummary *into;
	EngagementSummary *other;
	KpiStatus	status;

	if (!called_as_aggregate(fcinfo))
		(void) engagement_arg(fcinfo, 0);
	state = summary_state_for_update_sized(fcinfo, ENGAGEMENT_TYPE, sizeof(EngagementSummary));
	into = engagement_of(state);
	other = engagement_of(engagement_arg(fcinfo, 1));
	status = engagement_merge(into, other);
	if (status == KPI_PERIOD_CHANGED)
		raise_states_parameters_changed(into, other);
	if (status != KPI_OK)
		raise_status(status);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_account_engagement_final);
Datum
b2bkpi_account_engagement_final(PG_FUNCTION_ARGS)
{
	double		value;

	if (!engagement_value(engagement_of(engagement_arg(fcinfo, 0)), &value))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(value);
}

/* ---------- engagement_summary I/O ---------- */

PG_FUNCTION_INFO_V1(engagement_summary_in);
Datum
engagement_summary_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	TextFieldValue values[ENGAGEMENT_NFIELDS];
	DecodeError error;
	SummaryHeader *summary = summary_alloc(sizeof(EngagementSummary));

	if (summary_text_scan(text, strlen(text), engagement_summary_fields, ENGAGEMENT_NFIELDS,
						  values, &error) != DECODE_OK ||
		engagement_from_fields(engagement_of(summary), text, values, &error) != DECODE_OK)
	{
		if (error.status == DECODE_SYNTAX && error.field == ENGAGEMENT_FIELD_AS_OF)
			summary_text_error(ENGAGEMENT_TYPE, text, &error, "as_of",
							   "as_of is none, or a UTC timestamp such as 2024-07-01T00:00:00.000000Z.");
		if (error.status == DECODE_SYNTAX && error.field == ENGAGEMENT_FIELD_HALF_LIFE)
			summary_text_error(ENGAGEMENT_TYPE, text, &error, "half_life_seconds",
							   "half_life_seconds is none, or a number of seconds with at most 6 decimal places, such as 2592000.000000.");
		raise_fields_text_error(ENGAGEMENT_TYPE, engagement_summary_fields, text, &error,
								ENGAGEMENT_INVARIANT);
	}
	PG_RETURN_POINTER(summary);
}

/* The summary argument, normalized as its text and binary forms require. */
static EngagementSummary
engagement_normalized(FunctionCallInfo fcinfo)
{
	EngagementSummary s = *engagement_of(engagement_arg(fcinfo, 0));

	if (engagement_normalize(&s) != KPI_OK)
		raise_status(KPI_OVERFLOW);
	return s;
}

static void
append_float(StringInfo out, const char *name, double value)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(value, buf);
	appendStringInfo(out, " %s=%s", name, buf);
}

PG_FUNCTION_INFO_V1(engagement_summary_out);
Datum
engagement_summary_out(PG_FUNCTION_ARGS)
{
	EngagementSummary s = engagement_normalized(fcinfo);
	const TextField *f = engagement_summary_fields;
	char		as_of[ENGAGEMENT_WORD_MAX];
	char		half_life[ENGAGEMENT_WORD_MAX];
	StringInfoData out;

	if (engagement_format_as_of(&s, as_of, sizeof(as_of)) == 0 ||
		engagement_format_half_life(&s, half_life, sizeof(half_life)) == 0)
		elog(ERROR, "cannot format the parameters of %s", ENGAGEMENT_TYPE);
	initStringInfo(&out);
	appendStringInfo(&out, "v%d %s=" INT64_FORMAT, SUMMARY_TEXT_VERSION,
					 f[ENGAGEMENT_FIELD_ROWS].name, s.rows);
	append_float(&out, f[ENGAGEMENT_FIELD_MINUTES].name, s.engagement.sum);
	append_float(&out, f[ENGAGEMENT_FIELD_MINUTES_ERROR].name, s.engagement.error);
	appendStringInfo(&out, " %s=%s %s=%s", f[ENGAGEMENT_FIELD_AS_OF].name, as_of,
					 f[ENGAGEMENT_FIELD_HALF_LIFE].name, half_life);
	PG_RETURN_CSTRING(out.data);
}

PG_FUNCTION_INFO_V1(engagement_summary_send);
Datum
engagement_summary_send(PG_FUNCTION_ARGS)
{
	EngagementSummary s = engagement_normalized(fcinfo);
	bytea	   *result = palloc(VARHDRSZ + ENGAGEMENT_BINARY_SIZE);

	SET_VARSIZE(result, VARHDRSZ + ENGAGEMENT_BINARY_SIZE);
	engagement_encode_binary(&s, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(engagement_summary_recv);
Datum
engagement_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SummaryHeader *summary = summary_alloc(sizeof(EngagementSummary));
	DecodeError error;
	const unsigned char *bytes = (const unsigned char *) buf->data + buf->cursor;
	int			len = buf->len - buf->cursor;
	DecodeStatus status = engagement_decode_binary(bytes, len, engagement_of(summary), &error);

	if (status == DECODE_VERSION)
		summary_binary_version_error(ENGAGEMENT_TYPE, error.version);
	if (status == DECODE_LENGTH)
		raise_binary_error(ENGAGEMENT_TYPE,
						   psprintf("A binary %s is %d bytes long, not %d.", ENGAGEMENT_TYPE,
									ENGAGEMENT_BINARY_SIZE, len));
	if (status != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", ENGAGEMENT_TYPE),
				 errdetail("%s", ENGAGEMENT_INVARIANT)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(summary);
}
