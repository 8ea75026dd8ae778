/*
 * money.c: fmgr layer of the money family (kpi-spec section 2): cpl, cac,
 * cost_per, roas, marketing_roi and marketing_cac_share, for numeric and for
 * double precision, and their state types money_summary and
 * float8_money_summary.
 *
 * A money_summary datum is the SummaryHeader, the core's MoneySummary, then
 * the spill of each sum that has one: a numeric holding what did not fit the
 * 128-bit part, MAXALIGNed. Spills are rare (values beyond about 10^20 at
 * their scale), so a state that gains one is rebuilt, and every other row is
 * added in place.
 */
#include "b2bkpi.h"

#include <math.h>

#include "common/int.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

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

/* The two spills of a money_summary, NULL where a sum has none. */
typedef struct MoneySpills
{
	Numeric		numerator;
	Numeric		denominator;
} MoneySpills;

/* Where the first spill starts; each next one starts MAXALIGNed after the last. */
#define MONEY_FIXED_SIZE MAXALIGN(sizeof(SummaryHeader) + sizeof(MoneySummary))

/*
 * Finds the spills a datum holds, given which sums had one when it was
 * built, and checks that they fill it exactly, so that a damaged value is an
 * error, never a read past its end.
 */
static MoneySpills
money_spills_as_built(SummaryHeader *summary, bool numerator_spilled,
					  bool denominator_spilled)
{
	MoneySpills spills = {NULL, NULL};
	Numeric    *slot[2] = {&spills.numerator, &spills.denominator};
	bool		spilled[2] = {numerator_spilled, denominator_spilled};
	Size		size = VARSIZE(summary);
	Size		end = sizeof(SummaryHeader) + sizeof(MoneySummary);

	for (int i = 0; i < 2; i++)
	{
		Size		offset = MAXALIGN(end);
		struct varlena *spill = (struct varlena *) ((char *) summary + offset);

		if (!spilled[i])
			continue;
		if (offset + VARHDRSZ > size || !VARATT_IS_4B_U(spill) ||
			VARSIZE(spill) < VARHDRSZ + sizeof(uint16) ||
			VARSIZE(spill) > size - offset)
			goto corrupt;
		*slot[i] = (Numeric) spill;
		end = offset + VARSIZE(spill);
	}
	if (end == size)
		return spills;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value has an unknown layout", MONEY_TYPE),
			 errdetail("Its size, %zu bytes, does not match the parts it says it has.", size)));
	pg_unreachable();
}

static MoneySpills
money_spills(SummaryHeader *summary)
{
	MoneySummary *m = money_of(summary);

	return money_spills_as_built(summary, m->numerator.spilled, m->denominator.spilled);
}

/* A money_summary argument, its layout checked; spills, if wanted, found. */
static SummaryHeader *
money_arg(FunctionCallInfo fcinfo, int argno, MoneySpills *spills)
{
	SummaryHeader *summary = summary_arg_sized(fcinfo, argno, MONEY_TYPE,
											   sizeof(MoneySummary), true);
	MoneySpills found = money_spills(summary);

	if (spills)
		*spills = found;
	return summary;
}

/* As summary_state_for_update(): the aggregate's own state, or a checked copy. */
static inline SummaryHeader *
money_state_for_update(FunctionCallInfo fcinfo)
{
	if (called_as_aggregate(fcinfo))
		return (SummaryHeader *) PG_GETARG_POINTER(0);
	return summary_copy(money_arg(fcinfo, 0, NULL));
}

/* A new money_summary from a core struct and its spills (4-byte headers). */
static SummaryHeader *
money_build(const MoneySummary *m, Numeric numerator_spill, Numeric denominator_spill)
{
	Numeric		spill[2] = {numerator_spill, denominator_spill};
	Size		offset[2] = {0, 0};
	Size		end = sizeof(SummaryHeader) + sizeof(MoneySummary);
	SummaryHeader *summary;

	Assert(!!m->numerator.spilled == (numerator_spill != NULL));
	Assert(!!m->denominator.spilled == (denominator_spill != NULL));
	for (int i = 0; i < 2; i++)
		if (spill[i])
		{
			offset[i] = MAXALIGN(end);
			end = offset[i] + VARSIZE(spill[i]);
		}
	summary = (SummaryHeader *) palloc0(end);
	SET_VARSIZE(summary, end);
	summary->layout_version = SUMMARY_LAYOUT_VERSION;
	*money_of(summary) = *m;
	for (int i = 0; i < 2; i++)
		if (spill[i])
			memcpy((char *) summary + offset[i], spill[i], VARSIZE(spill[i]));
	return summary;
}

/* held * 10^-held_scale as a numeric with display scale `scale`. */
/*
 * held * 10^-held_scale as a numeric with display scale `scale`; the held
 * part has no nonzero digits below 10^-scale.
 */
static Numeric
held_numeric(kpi_int128 held, int held_scale, int scale)
{
	char	   *buf;

	/* The common case, without text: the value fits int64 at the display scale. */
	if (held_scale >= scale && held_scale - scale <= DECIMAL_MAX_POW10)
	{
		kpi_int128	at_scale = held / decimal_pow10(held_scale - scale);

		if (at_scale >= PG_INT64_MIN && at_scale <= PG_INT64_MAX)
			return int64_div_fast_to_numeric((int64) at_scale, scale);
	}

	buf = palloc(DECIMAL_TEXT_MAX(scale));
	if (decimal_format(held, held_scale, scale, buf, DECIMAL_TEXT_MAX(scale)) == 0)
		elog(ERROR, "cannot format a decimal sum at scale %d", scale);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

static Numeric
numeric_plus(Numeric a, Numeric b)
{
	if (a == NULL)
		return b;
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

static Numeric
numeric_minus(Numeric a, Numeric b)
{
	if (a == NULL)
		a = int64_to_numeric(0);
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

/* The whole sum: held part plus spill, with the sum's display scale. */
static Numeric
decimal_sum_numeric(const DecimalSum *sum, Numeric spill)
{
	Numeric		held = held_numeric(sum->held, sum->held_scale, sum->scale);

	/* numeric_add keeps the larger display scale, and the spill's is no larger. */
	return spill ? numeric_plus(held, spill) : held;
}

static bool
decimal_sum_is_zero(const DecimalSum *sum, Numeric spill)
{
	if (spill == NULL)
		return sum->held == 0;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(decimal_sum_numeric(sum, spill)),
											 NumericGetDatum(int64_to_numeric(0)))) == 0;
}

/* ---------- arguments ---------- */

/* value is "NaN", "Infinity" or "-Infinity", as PostgreSQL prints them. */
static void
raise_not_finite(const KpiCall *call, const char *arg, const char *value)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 value[0] == 'N' ?
			 errmsg("argument \"%s\" of %s must not be NaN", arg, call->function) :
			 errmsg("argument \"%s\" of %s must be finite", arg, call->function),
			 errdetail("A row has %s = %s.", arg, value),
			 errhint("Money amounts must be real numbers; correct or exclude the row.")));
}

/* An aggregate never does this; a direct call of a *_remove function can. */
static void
raise_not_in_summary(const KpiCall *call)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot remove a row that %s does not hold", call->function),
			 errdetail("The summary holds no rows, or the row has more decimal places than any row the summary holds.")));
}

static void
raise_negative_count(const KpiCall *call, int64 count)
{
	kpi_raise(KPI_NEGATIVE_TRIALS, call, 0, count);
}

/*
 * A numeric argument read in place. A value stored with a short header is
 * not copied, as PG_GETARG_NUMERIC would; only toasted values are detoasted.
 */
static pg_attribute_always_inline void
numeric_arg(FunctionCallInfo fcinfo, int argno, const KpiCall *call,
			const char *arg, NumericView *view)
{
	struct varlena *value = (struct varlena *) PG_GETARG_POINTER(argno);

	if (unlikely(VARATT_IS_EXTENDED(value) && !VARATT_IS_SHORT(value)))
		value = pg_detoast_datum_packed(value);

	if (unlikely(numeric_view_decode(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value),
									 view) != DECODE_OK))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("argument \"%s\" of %s is not a valid numeric value",
						arg, call->function)));
	if (unlikely(view->kind != NUMERIC_KIND_FINITE))
		raise_not_finite(call, arg, view->kind == NUMERIC_KIND_NAN ? "NaN" :
						 view->negative ? "-Infinity" : "Infinity");
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
	SummaryHeader *state = money_state_for_update(fcinfo);
	MoneySummary *m = money_of(state);
	NumericView numerator;
	NumericView denominator;
	int64		count = 0;
	DecimalStep numerator_step;
	DecimalStep denominator_step;
	/* The core sets these flags as it spills; the datum is laid out by the old ones. */
	bool		numerator_spilled = m->numerator.spilled;
	bool		denominator_spilled = m->denominator.spilled;

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
		MoneySpills spills = money_spills_as_built(state, numerator_spilled,
												   denominator_spilled);
		Numeric		(*apply) (Numeric, Numeric) = add ? numeric_plus : numeric_minus;

		if (numerator_step == DECIMAL_SPILL)
			spills.numerator = apply(spills.numerator, PG_GETARG_NUMERIC(1));
		if (denominator_step == DECIMAL_SPILL)
			spills.denominator = apply(spills.denominator,
									   kind == DENOMINATOR_COUNT ? int64_to_numeric(count) :
									   PG_GETARG_NUMERIC(2));
		/* The executor copies a new state into its own context and frees the old one. */
		state = money_build(m, spills.numerator, spills.denominator);
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

static inline SummaryHeader *
float_money_state_for_update(FunctionCallInfo fcinfo)
{
	if (called_as_aggregate(fcinfo))
		return (SummaryHeader *) PG_GETARG_POINTER(0);
	return summary_copy(float_money_arg(fcinfo, 0));
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
	SummaryHeader *state = float_money_state_for_update(fcinfo);
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

static const KpiCall money_summary_call = {MONEY_TYPE, "numerator", "denominator"};
static const KpiCall float_money_summary_call = {FLOAT_MONEY_TYPE, "numerator", "denominator"};

/* ---------- combine ---------- */

PG_FUNCTION_INFO_V1(b2bkpi_money_combine_numeric);
Datum
b2bkpi_money_combine_numeric(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = money_state_for_update(fcinfo);
	MoneySpills from_spills;
	SummaryHeader *other = money_arg(fcinfo, 1, &from_spills);
	MoneySummary *into = money_of(state);
	MoneySummary *from = money_of(other);
	bool		numerator_spill;
	bool		denominator_spill;
	bool		numerator_spilled = into->numerator.spilled;
	bool		denominator_spilled = into->denominator.spilled;

	if (into->rows > PG_INT64_MAX - from->rows)
		kpi_raise(KPI_TOO_MANY_ROWS, &money_summary_call, 0, 0);
	into->rows += from->rows;
	numerator_spill = decimal_sum_merge(&into->numerator, &from->numerator) == DECIMAL_SPILL;
	denominator_spill = decimal_sum_merge(&into->denominator, &from->denominator) == DECIMAL_SPILL;

	if (numerator_spill || denominator_spill ||
		from_spills.numerator || from_spills.denominator)
	{
		MoneySpills spills = money_spills_as_built(state, numerator_spilled,
												   denominator_spilled);

		/* What could not be folded into the held part joins the spill. */
		if (numerator_spill)
			spills.numerator = numeric_plus(spills.numerator,
											held_numeric(from->numerator.held,
														 from->numerator.held_scale,
														 from->numerator.scale));
		if (denominator_spill)
			spills.denominator = numeric_plus(spills.denominator,
											  held_numeric(from->denominator.held,
														   from->denominator.held_scale,
														   from->denominator.scale));
		if (from_spills.numerator)
			spills.numerator = numeric_plus(spills.numerator, from_spills.numerator);
		if (from_spills.denominator)
			spills.denominator = numeric_plus(spills.denominator, from_spills.denominator);
		state = money_build(into, spills.numerator, spills.denominator);
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(b2bkpi_money_combine_float8);
Datum
b2bkpi_money_combine_float8(PG_FUNCTION_ARGS)
{
	SummaryHeader *state = float_money_state_for_update(fcinfo);
	SummaryHeader *other = float_money_arg(fcinfo, 1);
	KpiStatus	status = float_money_merge(float_money_of(state), float_money_of(other));

	if (status != KPI_OK)
		raise_float_status(status, &float_money_summary_call);
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
	MoneySpills spills;
	SummaryHeader *state = money_arg(fcinfo, 0, &spills);
	MoneySummary *m = money_of(state);
	Numeric		numerator;
	Numeric		denominator;

	if (m->rows == 0 || decimal_sum_is_zero(&m->denominator, spills.denominator))
		PG_RETURN_NULL();
	numerator = decimal_sum_numeric(&m->numerator, spills.numerator);
	denominator = decimal_sum_numeric(&m->denominator, spills.denominator);
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

/* Text that is no summary: the shared report, with this family's details. */
static void
raise_money_text_error(const char *type_name, const TextField *fields,
					   const char *text, const DecodeError *error,
					   const char *invariant)
{
	const char *field = error->field >= 0 ? fields[error->field].name : NULL;
	const char *detail = NULL;

	if (error->status == DECODE_INVARIANT)
		detail = invariant;
	else if (error->status == DECODE_SYNTAX)
		detail = field ?
			psprintf("Reading stopped at character %zu, in field \"%s\".",
					 error->position + 1, field) :
			psprintf("Reading stopped at character %zu.", error->position + 1);
	summary_text_error(type_name, text, error, field, detail);
}

/* The numeric a decimal field spells, for one too wide for the held part. */
static Numeric
spill_from_text(const char *text, const TextFieldValue *field)
{
	char	   *digits = pnstrdup(text + field->decimal_offset, field->decimal_len);

	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

PG_FUNCTION_INFO_V1(money_summary_in);
Datum
money_summary_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	TextFieldValue values[MONEY_NFIELDS];
	DecodeError error;
	MoneySummary m;

	if (summary_text_scan(text, strlen(text), money_summary_fields, MONEY_NFIELDS,
						  values, &error) != DECODE_OK)
		raise_money_text_error(MONEY_TYPE, money_summary_fields, text, &error,
							   MONEY_INVARIANT);
	if (money_from_fields(&m, values) != KPI_OK)
	{
		error.status = DECODE_INVARIANT;
		raise_money_text_error(MONEY_TYPE, money_summary_fields, text, &error,
							   MONEY_INVARIANT);
	}
	PG_RETURN_POINTER(money_build(&m,
								  m.numerator.spilled ?
								  spill_from_text(text, &values[MONEY_FIELD_NUMERATOR]) : NULL,
								  m.denominator.spilled ?
								  spill_from_text(text, &values[MONEY_FIELD_DENOMINATOR]) : NULL));
}

static void
append_decimal_sum(StringInfo out, const DecimalSum *sum, Numeric spill)
{
	if (spill)
		appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(numeric_out,
																		NumericGetDatum(decimal_sum_numeric(sum, spill)))));
	else
	{
		char	   *buf = palloc(DECIMAL_TEXT_MAX(sum->scale));

		if (decimal_format(sum->held, sum->held_scale, sum->scale, buf,
						   DECIMAL_TEXT_MAX(sum->scale)) == 0)
			elog(ERROR, "cannot format a decimal sum at scale %d", sum->scale);
		appendStringInfoString(out, buf);
	}
}

PG_FUNCTION_INFO_V1(money_summary_out);
Datum
money_summary_out(PG_FUNCTION_ARGS)
{
	MoneySpills spills;
	SummaryHeader *summary = money_arg(fcinfo, 0, &spills);
	MoneySummary *m = money_of(summary);
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfo(&out, "v%d %s=" INT64_FORMAT " %s=", SUMMARY_TEXT_VERSION,
					 money_summary_fields[MONEY_FIELD_ROWS].name, m->rows,
					 money_summary_fields[MONEY_FIELD_NUMERATOR].name);
	append_decimal_sum(&out, &m->numerator, spills.numerator);
	appendStringInfo(&out, " %s=" INT64_FORMAT " %s=",
					 money_summary_fields[MONEY_FIELD_NUMERATOR_SCALE_ROWS].name,
					 m->numerator.scale_rows,
					 money_summary_fields[MONEY_FIELD_DENOMINATOR].name);
	append_decimal_sum(&out, &m->denominator, spills.denominator);
	appendStringInfo(&out, " %s=" INT64_FORMAT,
					 money_summary_fields[MONEY_FIELD_DENOMINATOR_SCALE_ROWS].name,
					 m->denominator.scale_rows);
	PG_RETURN_CSTRING(out.data);
}

/*
 * Binary form: version byte; rows, numerator_scale_rows and
 * denominator_scale_rows as int64; then the two sums in numeric's own binary
 * form, whose display scale is the sum's.
 */
PG_FUNCTION_INFO_V1(money_summary_send);
Datum
money_summary_send(PG_FUNCTION_ARGS)
{
	MoneySpills spills;
	SummaryHeader *summary = money_arg(fcinfo, 0, &spills);
	MoneySummary *m = money_of(summary);
	StringInfoData buf;
	bytea	   *numerator;
	bytea	   *denominator;

	numerator = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
													NumericGetDatum(decimal_sum_numeric(&m->numerator, spills.numerator))));
	denominator = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
													  NumericGetDatum(decimal_sum_numeric(&m->denominator, spills.denominator))));
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_TEXT_VERSION);
	pq_sendint64(&buf, m->rows);
	pq_sendint64(&buf, m->numerator.scale_rows);
	pq_sendint64(&buf, m->denominator.scale_rows);
	pq_sendbytes(&buf, VARDATA_ANY(numerator), VARSIZE_ANY_EXHDR(numerator));
	pq_sendbytes(&buf, VARDATA_ANY(denominator), VARSIZE_ANY_EXHDR(denominator));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
raise_binary_error(const char *type_name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s value", type_name),
			 errdetail_internal("%s", detail)));
}

static void
check_binary_version(const char *type_name, StringInfo buf)
{
	int			version;

	if (buf->cursor >= buf->len)
		raise_binary_error(type_name, "The value is empty.");
	version = pq_getmsgbyte(buf);
	if (version != SUMMARY_TEXT_VERSION)
		summary_binary_version_error(type_name, (unsigned) version);
}

/* A sum read back from numeric's binary form, held where it fits. */
static Numeric
recv_decimal_sum(StringInfo buf, DecimalSum *sum, int64 scale_rows)
{
	Numeric		value;
	NumericView view;
	int			ndigits;

	/* numeric's binary form: ndigits, weight, sign, dscale, then the digits. */
	if (buf->len - buf->cursor < 8)
		raise_binary_error(MONEY_TYPE, "A sum is cut short.");
	ndigits = (int16) pg_ntoh16(*(uint16 *) (buf->data + buf->cursor));
	if (ndigits < 0 || buf->len - buf->cursor < 8 + 2 * ndigits)
		raise_binary_error(MONEY_TYPE, "A sum is cut short.");
	/* numeric_recv reports any other malformation, as 22P03. */
	value = DatumGetNumeric(DirectFunctionCall3(numeric_recv,
															PointerGetDatum(buf),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	if (numeric_view_decode(VARDATA(value), VARSIZE(value) - VARHDRSZ, &view) != DECODE_OK ||
		view.kind != NUMERIC_KIND_FINITE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", MONEY_TYPE),
				 errdetail("A sum is NaN or infinite.")));
	memset(sum, 0, sizeof(*sum));
	sum->scale = (int16) view.dscale;
	sum->scale_rows = scale_rows;
	if (numeric_view_scaled(&view, decimal_held_scale_for(view.dscale), &sum->held))
	{
		sum->held_scale = (int16) decimal_held_scale_for(view.dscale);
		return NULL;
	}
	sum->spilled = 1;
	return value;
}

PG_FUNCTION_INFO_V1(money_summary_recv);
Datum
money_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	MoneySummary m;
	int64		numerator_scale_rows;
	int64		denominator_scale_rows;
	Numeric		numerator_spill;
	Numeric		denominator_spill;

	check_binary_version(MONEY_TYPE, buf);
	if (buf->len - buf->cursor < 3 * (int) sizeof(int64))
		raise_binary_error(MONEY_TYPE, "The value is too short.");
	m.rows = pq_getmsgint64(buf);
	numerator_scale_rows = pq_getmsgint64(buf);
	denominator_scale_rows = pq_getmsgint64(buf);
	numerator_spill = recv_decimal_sum(buf, &m.numerator, numerator_scale_rows);
	denominator_spill = recv_decimal_sum(buf, &m.denominator, denominator_scale_rows);
	if (buf->cursor != buf->len)
		raise_binary_error(MONEY_TYPE, "The value has bytes after its last field.");
	if (m.rows < 0 || money_check(&m) != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", MONEY_TYPE),
				 errdetail("%s", MONEY_INVARIANT)));
	PG_RETURN_POINTER(money_build(&m, numerator_spill, denominator_spill));
}

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
		raise_money_text_error(FLOAT_MONEY_TYPE, float_money_summary_fields, text,
							   &error, FLOAT_MONEY_INVARIANT);
	if (float_money_from_fields(float_money_of(summary), values) != KPI_OK)
	{
		error.status = DECODE_INVARIANT;
		raise_money_text_error(FLOAT_MONEY_TYPE, float_money_summary_fields, text,
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
