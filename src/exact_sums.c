/*
 * exact_sums.c: summary datums made of exact decimal sums; see exact_sums.h.
 */
#include "exact_sums.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

/* ---------- datums ---------- */

ExactSpillFlags
exact_spill_flags(const ExactSumsShape *shape, SummaryHeader *summary)
{
	ExactSpillFlags flags;

	for (int i = 0; i < shape->nsums; i++)
		flags.spilled[i] = exact_sum(shape, summary_payload(summary), i)->spilled != 0;
	return flags;
}

ExactSpills
exact_spills_as_built(const ExactSumsShape *shape, SummaryHeader *summary,
					  const ExactSpillFlags *flags)
{
	ExactSpills spills;
	Size		size = VARSIZE(summary);
	Size		end = sizeof(SummaryHeader) + shape->struct_size;

	for (int i = 0; i < shape->nsums; i++)
	{
		Size		offset = MAXALIGN(end);
		struct varlena *spill = (struct varlena *) ((char *) summary + offset);

		spills.spill[i] = NULL;
		if (!flags->spilled[i])
			continue;
		if (offset + VARHDRSZ > size || !VARATT_IS_4B_U(spill) ||
			VARSIZE(spill) < VARHDRSZ + sizeof(uint16) ||
			VARSIZE(spill) > size - offset)
			goto corrupt;
		spills.spill[i] = (Numeric) spill;
		end = offset + VARSIZE(spill);
	}
	if (end == size)
		return spills;
corrupt:
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value has an unknown layout", shape->type_name),
			 errdetail("Its size, %zu bytes, does not match the parts it says it has.", size)));
	pg_unreachable();
}

SummaryHeader *
exact_sums_arg(const ExactSumsShape *shape, FunctionCallInfo fcinfo, int argno,
			   ExactSpills *spills)
{
	SummaryHeader *summary = summary_arg_sized(fcinfo, argno, shape->type_name,
											   shape->struct_size, true);
	ExactSpillFlags flags = exact_spill_flags(shape, summary);
	ExactSpills found = exact_spills_as_built(shape, summary, &flags);

	if (spills)
		*spills = found;
	return summary;
}

SummaryHeader *
exact_sums_build(const ExactSumsShape *shape, const void *payload, const ExactSpills *spills)
{
	Size		offset[EXACT_SUMS_MAX];
	Size		end = sizeof(SummaryHeader) + shape->struct_size;
	SummaryHeader *summary;

	for (int i = 0; i < shape->nsums; i++)
	{
		Assert(!!exact_sum(shape, (void *) payload, i)->spilled == (spills->spill[i] != NULL));
		if (spills->spill[i])
		{
			offset[i] = MAXALIGN(end);
			end = offset[i] + VARSIZE(spills->spill[i]);
		}
	}
	summary = (SummaryHeader *) palloc0(end);
	SET_VARSIZE(summary, end);
	summary->layout_version = SUMMARY_LAYOUT_VERSION;
	memcpy(summary_payload(summary), payload, shape->struct_size);
	for (int i = 0; i < shape->nsums; i++)
		if (spills->spill[i])
			memcpy((char *) summary + offset[i], spills->spill[i], VARSIZE(spills->spill[i]));
	return summary;
}

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

SummaryHeader *
exact_sums_merge(const ExactSumsShape *shape, SummaryHeader *state, SummaryHeader *other)
{
	ExactSpillFlags flags = exact_spill_flags(shape, state);
	ExactSpillFlags other_flags = exact_spill_flags(shape, other);
	ExactSpills from_spills = exact_spills_as_built(shape, other, &other_flags);
	bool		merge_spill[EXACT_SUMS_MAX];
	bool		rebuild = false;

	for (int i = 0; i < shape->nsums; i++)
	{
		merge_spill[i] = decimal_sum_merge(exact_sum(shape, summary_payload(state), i),
										   exact_sum(shape, summary_payload(other), i)) == DECIMAL_SPILL;
		rebuild |= merge_spill[i] || from_spills.spill[i] != NULL;
	}
	if (rebuild)
	{
		ExactSpills spills = exact_spills_as_built(shape, state, &flags);

		for (int i = 0; i < shape->nsums; i++)
		{
			const DecimalSum *from = exact_sum(shape, summary_payload(other), i);

			/* What could not be folded into the held part joins the spill. */
			if (merge_spill[i])
				spills.spill[i] = numeric_plus(spills.spill[i],
											   held_numeric(from->held, from->held_scale,
															from->scale));
			if (from_spills.spill[i])
				spills.spill[i] = numeric_plus(spills.spill[i], from_spills.spill[i]);
		}
		state = exact_sums_build(shape, summary_payload(state), &spills);
	}
	return state;
}

/* The two sums are equal in value, display scale and the rows that carry it. */
static bool
same_sum(const DecimalSum *a, Numeric a_spill, const DecimalSum *b, Numeric b_spill)
{
	return a->scale == b->scale && a->scale_rows == b->scale_rows &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp,
										  NumericGetDatum(decimal_sum_numeric(a, a_spill)),
										  NumericGetDatum(decimal_sum_numeric(b, b_spill)))) == 0;
}

static bool spills_have_allowed_signs(const ExactSumsShape *shape, const ExactSpills *spills);

SummaryHeader *
exact_sums_subtract(const ExactSumsShape *shape, SummaryHeader *state, SummaryHeader *other)
{
	void	   *payload = summary_payload(state);
	void	   *other_payload = summary_payload(other);
	int64	   *rows = (int64 *) payload;
	int64		other_rows = *(int64 *) other_payload;
	ExactSpillFlags flags = exact_spill_flags(shape, state);
	ExactSpillFlags other_flags = exact_spill_flags(shape, other);
	ExactSpills spills = exact_spills_as_built(shape, state, &flags);
	ExactSpills other_spills = exact_spills_as_built(shape, other, &other_flags);
	bool		rebuild = false;

	if (other_rows < 0 || other_rows > *rows)
		raise_not_in_rollup(shape->type_name);
	if (other_rows == *rows)
	{
		/* Nothing remains, whatever the scales: other is all of state. */
		for (int i = 0; i < shape->nsums; i++)
			if (!same_sum(exact_sum(shape, payload, i), spills.spill[i],
						  exact_sum(shape, other_payload, i), other_spills.spill[i]))
				raise_not_in_rollup(shape->type_name);
		return summary_alloc(shape->struct_size);
	}

	for (int i = 0; i < shape->nsums; i++)
	{
		DecimalSum *sum = exact_sum(shape, payload, i);
		const DecimalSum *from = exact_sum(shape, other_payload, i);

		switch (decimal_sum_subtract(sum, from))
		{
			case DECIMAL_DONE:
				break;
			case DECIMAL_SPILL:
				/* What could not come out of the held part comes out of the spill. */
				spills.spill[i] = numeric_minus(spills.spill[i],
												held_numeric(from->held, from->held_scale,
															 from->scale));
				rebuild = true;
				break;
			case DECIMAL_RESTART:
				return NULL;
			case DECIMAL_NOT_IN_SUM:
				raise_not_in_rollup(shape->type_name);
		}
		if (other_spills.spill[i])
		{
			spills.spill[i] = numeric_minus(spills.spill[i], other_spills.spill[i]);
			rebuild = true;
		}
	}
	*rows -= other_rows;

	/*
	 * A sum that no remaining row reaches is exactly zero at scale 0, as one
	 * no row ever reached: its spill, if any, must have come back to zero.
	 */
	for (int i = 0; i < shape->nsums; i++)
	{
		DecimalSum *sum = exact_sum(shape, payload, i);

		if (sum->scale_rows != 0)
			continue;
		if (sum->scale != 0 || !decimal_sum_is_zero(sum, spills.spill[i]))
			raise_not_in_rollup(shape->type_name);
		rebuild |= spills.spill[i] != NULL;
		memset(sum, 0, sizeof(*sum));
		spills.spill[i] = NULL;
	}
	if (shape->check(payload) != KPI_OK || !spills_have_allowed_signs(shape, &spills))
		raise_not_in_rollup(shape->type_name);
	return rebuild ? exact_sums_build(shape, payload, &spills) : state;
}

Numeric
numeric_plus(Numeric a, Numeric b)
{
	if (a == NULL)
		return b;
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
numeric_minus(Numeric a, Numeric b)
{
	if (a == NULL)
		a = int64_to_numeric(0);
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(a),
											   NumericGetDatum(b)));
}

Numeric
decimal_sum_numeric(const DecimalSum *sum, Numeric spill)
{
	Numeric		held = held_numeric(sum->held, sum->held_scale, sum->scale);

	/* numeric_add keeps the larger display scale, and the spill's is no larger. */
	return spill ? numeric_plus(held, spill) : held;
}

bool
decimal_sum_is_zero(const DecimalSum *sum, Numeric spill)
{
	if (spill == NULL)
		return sum->held == 0;
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp,
											 NumericGetDatum(decimal_sum_numeric(sum, spill)),
											 NumericGetDatum(int64_to_numeric(0)))) == 0;
}

/* ---------- arguments ---------- */

void
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

void
raise_not_in_summary(const KpiCall *call)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot remove a row that %s does not hold", call->function),
			 errdetail("The summary holds no rows, or the row has more decimal places than any row the summary holds.")));
}

/* ---------- text form ---------- */

void
raise_fields_text_error(const char *type_name, const TextField *fields,
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
	char	   *digits = pnstrdup(text + field->text_offset, field->text_len);

	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*
 * The core checks the sign of each held part; a spill is a numeric it never
 * sees, so the sign of a sum that must not be negative is checked here.
 */
static bool
spills_have_allowed_signs(const ExactSumsShape *shape, const ExactSpills *spills)
{
	for (int i = 0; i < shape->nsums; i++)
		if (spills->spill[i] && (shape->nonnegative_sums & (1u << i)) &&
			DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(spills->spill[i]),
											 NumericGetDatum(int64_to_numeric(0)))))
			return false;
	return true;
}

SummaryHeader *
exact_sums_in(const ExactSumsShape *shape, const char *text)
{
	int			nfields = 1 + 2 * shape->nsums;
	TextFieldValue *values = palloc(sizeof(TextFieldValue) * nfields);
	void	   *payload = palloc0(shape->struct_size);
	DecodeError error;
	ExactSpills spills;

	if (summary_text_scan(text, strlen(text), shape->fields, nfields, values,
						  &error) != DECODE_OK)
		raise_fields_text_error(shape->type_name, shape->fields, text, &error,
								shape->invariant);
	if (shape->from_fields(payload, values) != KPI_OK)
	{
		error.status = DECODE_INVARIANT;
		error.field = -1;
		raise_fields_text_error(shape->type_name, shape->fields, text, &error,
								shape->invariant);
	}
	for (int i = 0; i < shape->nsums; i++)
		spills.spill[i] = exact_sum(shape, payload, i)->spilled ?
			spill_from_text(text, &values[1 + 2 * i]) : NULL;
	if (!spills_have_allowed_signs(shape, &spills))
	{
		error.status = DECODE_INVARIANT;
		error.field = -1;
		raise_fields_text_error(shape->type_name, shape->fields, text, &error,
								shape->invariant);
	}
	return exact_sums_build(shape, payload, &spills);
}

/* A sum as plain decimal text with its display scale. */
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

static inline int64
rows_of(SummaryHeader *summary)
{
	return *(int64 *) summary_payload(summary);
}

char *
exact_sums_out(const ExactSumsShape *shape, FunctionCallInfo fcinfo)
{
	ExactSpills spills;
	SummaryHeader *summary = exact_sums_arg(shape, fcinfo, 0, &spills);
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfo(&out, "v%d %s=" INT64_FORMAT, SUMMARY_TEXT_VERSION,
					 shape->fields[0].name, rows_of(summary));
	for (int i = 0; i < shape->nsums; i++)
	{
		const DecimalSum *sum = exact_sum(shape, summary_payload(summary), i);

		appendStringInfo(&out, " %s=", shape->fields[1 + 2 * i].name);
		append_decimal_sum(&out, sum, spills.spill[i]);
		appendStringInfo(&out, " %s=" INT64_FORMAT, shape->fields[2 + 2 * i].name,
						 sum->scale_rows);
	}
	return out.data;
}

/* ---------- binary form ---------- */

void
raise_binary_error(const char *type_name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s value", type_name),
			 errdetail_internal("%s", detail)));
}

void
check_binary_version(const char *type_name, StringInfo buf)
{
	int			version;

	if (buf->cursor >= buf->len)
		raise_binary_error(type_name, "The value is empty.");
	version = pq_getmsgbyte(buf);
	if (version != SUMMARY_TEXT_VERSION)
		summary_binary_version_error(type_name, (unsigned) version);
}

static void
send_decimal_sum(StringInfo buf, const DecimalSum *sum, Numeric spill)
{
	bytea	   *bytes = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															NumericGetDatum(decimal_sum_numeric(sum, spill))));

	pq_sendbytes(buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
}

/* A sum read back from numeric's binary form, held where it fits. */
static Numeric
recv_decimal_sum(const char *type_name, StringInfo buf, DecimalSum *sum, int64 scale_rows)
{
	Numeric		value;
	NumericView view;
	int			ndigits;

	/* numeric's binary form: ndigits, weight, sign, dscale, then the digits. */
	if (buf->len - buf->cursor < 8)
		raise_binary_error(type_name, "A sum is cut short.");
	ndigits = (int16) pg_ntoh16(*(uint16 *) (buf->data + buf->cursor));
	if (ndigits < 0 || buf->len - buf->cursor < 8 + 2 * ndigits)
		raise_binary_error(type_name, "A sum is cut short.");
	/* numeric_recv reports any other malformation, as 22P03. */
	value = DatumGetNumeric(DirectFunctionCall3(numeric_recv,
												PointerGetDatum(buf),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1)));
	if (numeric_view_decode(VARDATA(value), VARSIZE(value) - VARHDRSZ, &view) != DECODE_OK ||
		view.kind != NUMERIC_KIND_FINITE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", type_name),
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

bytea *
exact_sums_send(const ExactSumsShape *shape, FunctionCallInfo fcinfo)
{
	ExactSpills spills;
	SummaryHeader *summary = exact_sums_arg(shape, fcinfo, 0, &spills);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SUMMARY_TEXT_VERSION);
	pq_sendint64(&buf, rows_of(summary));
	for (int i = 0; i < shape->nsums; i++)
		pq_sendint64(&buf, exact_sum(shape, summary_payload(summary), i)->scale_rows);
	for (int i = 0; i < shape->nsums; i++)
		send_decimal_sum(&buf, exact_sum(shape, summary_payload(summary), i), spills.spill[i]);
	return pq_endtypsend(&buf);
}

SummaryHeader *
exact_sums_recv(const ExactSumsShape *shape, StringInfo buf)
{
	void	   *payload = palloc0(shape->struct_size);
	int64		scale_rows[EXACT_SUMS_MAX];
	ExactSpills spills;

	check_binary_version(shape->type_name, buf);
	if (buf->len - buf->cursor < (1 + shape->nsums) * (int) sizeof(int64))
		raise_binary_error(shape->type_name, "The value is too short.");
	*(int64 *) payload = pq_getmsgint64(buf);
	for (int i = 0; i < shape->nsums; i++)
		scale_rows[i] = pq_getmsgint64(buf);
	for (int i = 0; i < shape->nsums; i++)
		spills.spill[i] = recv_decimal_sum(shape->type_name, buf,
										   exact_sum(shape, payload, i), scale_rows[i]);
	if (buf->cursor != buf->len)
		raise_binary_error(shape->type_name, "The value has bytes after its last field.");
	if (*(int64 *) payload < 0 || shape->check(payload) != KPI_OK ||
		!spills_have_allowed_signs(shape, &spills))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", shape->type_name),
				 errdetail("%s", shape->invariant)));
	return exact_sums_build(shape, payload, &spills);
}
