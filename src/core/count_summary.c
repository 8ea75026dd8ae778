/*
 * count_summary.c: text and binary codecs for count-shaped summaries.
 */
#include "count_summary.h"

#include "summary_text.h"

#include <stdio.h>
#include <string.h>

static int64_t
get_field(const CountSummaryShape *shape, const void *summary, int i)
{
	int64_t		v;

	memcpy(&v, (const char *) summary + shape->field_offsets[i], sizeof(v));
	return v;
}

static void
set_field(const CountSummaryShape *shape, void *summary, int i, int64_t v)
{
	memcpy((char *) summary + shape->field_offsets[i], &v, sizeof(v));
}

size_t
count_summary_format_text(const CountSummaryShape *shape, const void *summary,
						  char *buf, size_t bufsize)
{
	size_t		used;
	int			n;

	n = snprintf(buf, bufsize, "v%d", COUNT_SUMMARY_VERSION);
	used = (n < 0) ? 0 : (size_t) n;
	for (int i = 0; i < shape->nfields && used < bufsize; i++)
	{
		n = snprintf(buf + used, bufsize - used, " %s=%lld",
					 shape->field_names[i],
					 (long long) get_field(shape, summary, i));
		if (n < 0)
			break;
		used += (size_t) n;
	}
	return used < bufsize ? used : bufsize - 1;
}

static DecodeStatus
check_invariants(const CountSummaryShape *shape, const void *summary,
				 size_t position, DecodeError *error)
{
	KpiStatus	st = shape->check(summary);

	if (st != KPI_OK)
	{
		error->invariant = st;
		return decode_fail(error, DECODE_INVARIANT, position, -1);
	}
	return DECODE_OK;
}

DecodeStatus
count_summary_parse_text(const CountSummaryShape *shape, const char *text,
						 size_t len, void *summary, DecodeError *error)
{
	TextField	fields[COUNT_SUMMARY_MAX_FIELDS];
	TextFieldValue values[COUNT_SUMMARY_MAX_FIELDS];
	DecodeStatus status;

	for (int i = 0; i < shape->nfields; i++)
		fields[i] = (TextField) {shape->field_names[i], TEXT_FIELD_COUNT};
	status = summary_text_scan(text, len, fields, shape->nfields, values, error);
	if (status != DECODE_OK)
		return status;
	for (int i = 0; i < shape->nfields; i++)
		set_field(shape, summary, i, values[i].count);
	return check_invariants(shape, summary, len, error);
}

void
count_summary_encode_binary(const CountSummaryShape *shape, const void *summary,
							unsigned char *out)
{
	out[0] = (unsigned char) COUNT_SUMMARY_VERSION;
	for (int i = 0; i < shape->nfields; i++)
		summary_put_be64(out + 1 + 8 * i, (uint64_t) get_field(shape, summary, i));
}

DecodeStatus
count_summary_decode_binary(const CountSummaryShape *shape,
							const unsigned char *bytes, size_t len,
							void *summary, DecodeError *error)
{
	decode_error_reset(error);

	if (len < 1)
		return decode_fail(error, DECODE_LENGTH, 0, -1);
	if (bytes[0] != COUNT_SUMMARY_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	if (len != count_summary_binary_size(shape))
		return decode_fail(error, DECODE_LENGTH, len, -1);

	for (int i = 0; i < shape->nfields; i++)
	{
		uint64_t	v = summary_get_be64(bytes + 1 + 8 * i);

		if (v > (uint64_t) INT64_MAX)
			return decode_fail(error, DECODE_OUT_OF_RANGE, 1 + 8 * (size_t) i, i);
		set_field(shape, summary, i, (int64_t) v);
	}
	return check_invariants(shape, summary, len, error);
}
