/*
 * summary_types.c: the public summary types (rate_summary, nps_summary): text
 * and binary I/O, and the errors every KPI family raises from a core status.
 */
#include "b2bkpi.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "core/nps.h"
#include "core/rate.h"
#include "core/summary_text.h"

PG_MODULE_MAGIC;

void
kpi_raise(KpiStatus status, const KpiCall *call, int64 hits, int64 trials)
{
	switch (status)
	{
		case KPI_NEGATIVE_HITS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%s\" of %s must not be negative",
							call->numerator_arg, call->function),
					 errdetail("A row has %s = " INT64_FORMAT ".", call->numerator_arg, hits),
					 errhint("Counts cannot be negative; correct or exclude the row.")));
			break;
		case KPI_NEGATIVE_TRIALS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%s\" of %s must not be negative",
							call->denominator_arg, call->function),
					 errdetail("A row has %s = " INT64_FORMAT ".", call->denominator_arg, trials),
					 errhint("Counts cannot be negative; correct or exclude the row.")));
			break;
		case KPI_HITS_EXCEED_TRIALS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%s\" of %s must not exceed argument \"%s\"",
							call->numerator_arg, call->function, call->denominator_arg),
					 errdetail("A row has %s = " INT64_FORMAT " and %s = " INT64_FORMAT ".",
							   call->numerator_arg, hits, call->denominator_arg, trials),
					 errhint("Each row must satisfy 0 <= %s <= %s.",
							 call->numerator_arg, call->denominator_arg)));
			break;
		case KPI_SCORE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("argument \"%s\" of %s must be between 0 and 10",
							call->numerator_arg, call->function),
					 errdetail("A row has %s = " INT64_FORMAT ".", call->numerator_arg, hits),
					 errhint("NPS answers are on a 0 to 10 scale; rescale other survey scales first.")));
			break;
		case KPI_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("sum of \"%s\" in %s is out of range for type bigint",
							call->denominator_arg, call->function)));
			break;
		case KPI_NOT_IN_STATE:
			/* An aggregate never does this; a direct call of a *_remove function can. */
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a row that %s does not hold",
							call->function),
					 errdetail("The summary has fewer %s than the row removes.",
							   call->denominator_arg)));
			break;
		case KPI_TOO_MANY_ROWS:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s cannot aggregate more than 9223372036854775807 rows",
							call->function)));
			break;
		case KPI_OK:
		case KPI_INCONSISTENT:
		case KPI_PERIOD_CHANGED:	/* retention.c reports it, naming both periods */
			break;
	}
	elog(ERROR, "unexpected status %d in %s", (int) status, call->function);
}

SummaryHeader *
summary_arg_sized(FunctionCallInfo fcinfo, int argno, const char *type_name,
				  Size struct_size, bool variable)
{
	SummaryHeader *summary = (SummaryHeader *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	Size		size = VARSIZE(summary);
	Size		fixed = sizeof(SummaryHeader) + struct_size;

	if ((variable ? size < fixed : size != fixed) ||
		summary->layout_version != SUMMARY_LAYOUT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value has an unknown layout", type_name),
				 errdetail("Its size is %zu bytes and its layout version %u; this build of b2bkpi reads layout version %d.",
						   size, (unsigned) summary->layout_version,
						   SUMMARY_LAYOUT_VERSION)));
	return summary;
}

SummaryHeader *
summary_alloc(Size struct_size)
{
	Size		size = sizeof(SummaryHeader) + struct_size;
	SummaryHeader *summary = (SummaryHeader *) palloc0(size);

	SET_VARSIZE(summary, size);
	summary->layout_version = SUMMARY_LAYOUT_VERSION;
	return summary;
}

SummaryHeader *
summary_copy(const SummaryHeader *src)
{
	SummaryHeader *copy = (SummaryHeader *) palloc(VARSIZE(src));

	memcpy(copy, src, VARSIZE(src));
	return copy;
}

/* Turns an invariant failure of a decoded summary into a sentence. */
static const char *
invariant_detail(const CountSummaryShape *shape, KpiStatus invariant)
{
	switch (invariant)
	{
		case KPI_HITS_EXCEED_TRIALS:
			return psprintf("\"%s\" must not exceed \"%s\".",
							shape->field_names[0], shape->field_names[1]);
		case KPI_OVERFLOW:
			return pstrdup("The counts add up to more than 9223372036854775807.");
		default:
			return pstrdup("The counts are impossible for this summary.");
	}
}

/* The form a text value must take, spelled out from the shape. */
static const char *
text_form(const CountSummaryShape *shape)
{
	StringInfoData form;

	initStringInfo(&form);
	appendStringInfo(&form, "v%d", COUNT_SUMMARY_VERSION);
	for (int i = 0; i < shape->nfields; i++)
		appendStringInfo(&form, " %s=N", shape->field_names[i]);
	return form.data;
}

void
summary_text_error(const char *type_name, const char *text,
				   const DecodeError *error, const char *field_name,
				   const char *detail)
{
	switch (error->status)
	{
		case DECODE_VERSION:
			{
				/* Quote the digits as written: a huge version saturates in the core. */
				const char *digits = strchr(text, 'v') + 1;

				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("unsupported %s format version %.*s", type_name,
								(int) (text + error->position - digits), digits),
						 errdetail("This build of b2bkpi reads version %d.",
								   SUMMARY_TEXT_VERSION),
						 errhint("A value written by a newer b2bkpi needs that version of the extension to be read.")));
			}
			break;
		case DECODE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value of \"%s\" is out of range for type %s",
							field_name, type_name),
					 detail ? errdetail_internal("%s", detail) : 0));
			break;
		case DECODE_INVARIANT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("impossible %s value: \"%s\"", type_name, text),
					 detail ? errdetail_internal("%s", detail) : 0));
			break;
		case DECODE_OK:
		case DECODE_SYNTAX:
		case DECODE_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", type_name, text),
					 detail ? errdetail_internal("%s", detail) : 0));
			break;
	}
	pg_unreachable();
}

void
summary_binary_version_error(const char *type_name, unsigned version)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("unsupported binary %s format version %u", type_name, version),
			 errdetail("This build of b2bkpi reads version %d.", SUMMARY_TEXT_VERSION)));
}

Datum
summary_in(const CountSummaryShape *shape, const char *text)
{
	SummaryHeader *summary = summary_alloc(shape->struct_size);
	DecodeError error;
	const char *detail;

	switch (count_summary_parse_text(shape, text, strlen(text),
									 summary_payload(summary), &error))
	{
		case DECODE_OK:
			return PointerGetDatum(summary);
		case DECODE_OUT_OF_RANGE:
			detail = "Counts are limited to 9223372036854775807.";
			break;
		case DECODE_INVARIANT:
			detail = invariant_detail(shape, error.invariant);
			break;
		default:
			detail = psprintf("The expected form is \"%s\", with each N a non-negative integer; reading stopped at character %zu.",
							  text_form(shape), error.position + 1);
			break;
	}
	summary_text_error(shape->type_name, text, &error,
					   error.field >= 0 ? shape->field_names[error.field] : NULL,
					   detail);
}

char *
summary_out(const CountSummaryShape *shape, SummaryHeader *summary)
{
	char	   *buf = palloc(COUNT_SUMMARY_TEXT_MAX);

	count_summary_format_text(shape, summary_payload(summary), buf,
							  COUNT_SUMMARY_TEXT_MAX);
	return buf;
}

Datum
summary_recv(const CountSummaryShape *shape, StringInfo buf)
{
	SummaryHeader *summary = summary_alloc(shape->struct_size);
	size_t		len = (size_t) (buf->len - buf->cursor);
	DecodeError error;
	DecodeStatus status;

	status = count_summary_decode_binary(shape,
										 (const unsigned char *) buf->data + buf->cursor,
										 len, summary_payload(summary), &error);
	buf->cursor = buf->len;

	switch (status)
	{
		case DECODE_OK:
			return PointerGetDatum(summary);
		case DECODE_VERSION:
			summary_binary_version_error(shape->type_name, error.version);
			break;
		case DECODE_LENGTH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary %s value", shape->type_name),
					 errdetail("A binary %s is %zu bytes long, not %zu.",
							   shape->type_name, count_summary_binary_size(shape), len)));
			break;
		case DECODE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("impossible binary %s value", shape->type_name),
					 errdetail("Count \"%s\" is negative.",
							   shape->field_names[error.field])));
			break;
		case DECODE_INVARIANT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("impossible binary %s value", shape->type_name),
					 errdetail_internal("%s", invariant_detail(shape, error.invariant))));
			break;
		case DECODE_SYNTAX:
			break;
	}
	elog(ERROR, "unexpected binary decode status %d", (int) status);
	pg_unreachable();
}

bytea *
summary_send(const CountSummaryShape *shape, SummaryHeader *summary)
{
	unsigned char bytes[COUNT_SUMMARY_MAX_BINARY];
	StringInfoData buf;

	count_summary_encode_binary(shape, summary_payload(summary), bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) bytes, (int) count_summary_binary_size(shape));
	return pq_endtypsend(&buf);
}

/* SQL-callable I/O functions of each summary type. */
#define SUMMARY_TYPE_IO(type, shape) \
PG_FUNCTION_INFO_V1(type##_in); \
Datum type##_in(PG_FUNCTION_ARGS) \
{ return summary_in(&shape, PG_GETARG_CSTRING(0)); } \
PG_FUNCTION_INFO_V1(type##_out); \
Datum type##_out(PG_FUNCTION_ARGS) \
{ PG_RETURN_CSTRING(summary_out(&shape, summary_arg(fcinfo, 0, &shape))); } \
PG_FUNCTION_INFO_V1(type##_recv); \
Datum type##_recv(PG_FUNCTION_ARGS) \
{ return summary_recv(&shape, (StringInfo) PG_GETARG_POINTER(0)); } \
PG_FUNCTION_INFO_V1(type##_send); \
Datum type##_send(PG_FUNCTION_ARGS) \
{ PG_RETURN_BYTEA_P(summary_send(&shape, summary_arg(fcinfo, 0, &shape))); }

SUMMARY_TYPE_IO(rate_summary, rate_summary_shape)
SUMMARY_TYPE_IO(nps_summary, nps_summary_shape)
