/*
 * count_summary.c: text and binary codecs for count-shaped summaries.
 */
#include "count_summary.h"

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

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
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

/* Records where and why decoding stopped; returns the status for tail calls. */
static DecodeStatus
fail(DecodeError *error, DecodeStatus status, size_t position, int field)
{
	error->status = status;
	error->position = position;
	error->field = field;
	return status;
}

static DecodeStatus
check_invariants(const CountSummaryShape *shape, const void *summary,
				 size_t position, DecodeError *error)
{
	KpiStatus	st = shape->check(summary);

	if (st != KPI_OK)
	{
		error->invariant = st;
		return fail(error, DECODE_INVARIANT, position, -1);
	}
	return DECODE_OK;
}

static void
reset_error(DecodeError *error)
{
	memset(error, 0, sizeof(*error));
	error->field = -1;
}

DecodeStatus
count_summary_parse_text(const CountSummaryShape *shape, const char *text,
						 size_t len, void *summary, DecodeError *error)
{
	const unsigned char *s = (const unsigned char *) text;
	size_t		pos = 0;
	unsigned	version = 0;

	reset_error(error);

	while (pos < len && is_space(s[pos]))
		pos++;

	/* Version tag: 'v' and one or more digits. */
	if (pos >= len || s[pos] != 'v')
		return fail(error, DECODE_SYNTAX, pos, -1);
	pos++;
	if (pos >= len || !is_digit(s[pos]))
		return fail(error, DECODE_SYNTAX, pos, -1);
	while (pos < len && is_digit(s[pos]))
	{
		/* Saturate: any large number is simply an unknown version. */
		if (version < 1000000)
			version = version * 10 + (unsigned) (s[pos] - '0');
		pos++;
	}
	if (version != COUNT_SUMMARY_VERSION)
	{
		error->version = version;
		return fail(error, DECODE_VERSION, pos, -1);
	}

	for (int i = 0; i < shape->nfields; i++)
	{
		const char *name = shape->field_names[i];
		size_t		namelen = strlen(name);
		uint64_t	value = 0;
		size_t		digits_start;

		/* At least one space before each field. */
		if (pos >= len || !is_space(s[pos]))
			return fail(error, DECODE_SYNTAX, pos, i);
		while (pos < len && is_space(s[pos]))
			pos++;

		if (len - pos < namelen + 1 ||
			memcmp(s + pos, name, namelen) != 0 ||
			s[pos + namelen] != '=')
			return fail(error, DECODE_SYNTAX, pos, i);
		pos += namelen + 1;

		digits_start = pos;
		while (pos < len && is_digit(s[pos]))
		{
			unsigned	digit = (unsigned) (s[pos] - '0');

			if (value > ((uint64_t) INT64_MAX - digit) / 10)
				return fail(error, DECODE_OUT_OF_RANGE, digits_start, i);
			value = value * 10 + digit;
			pos++;
		}
		if (pos == digits_start)
			return fail(error, DECODE_SYNTAX, pos, i);
		set_field(shape, summary, i, (int64_t) value);
	}

	while (pos < len && is_space(s[pos]))
		pos++;
	if (pos != len)
		return fail(error, DECODE_SYNTAX, pos, -1);

	return check_invariants(shape, summary, pos, error);
}

void
count_summary_encode_binary(const CountSummaryShape *shape, const void *summary,
							unsigned char *out)
{
	out[0] = (unsigned char) COUNT_SUMMARY_VERSION;
	for (int i = 0; i < shape->nfields; i++)
	{
		uint64_t	v = (uint64_t) get_field(shape, summary, i);

		for (int b = 0; b < 8; b++)
			out[1 + 8 * i + b] = (unsigned char) (v >> (56 - 8 * b));
	}
}

DecodeStatus
count_summary_decode_binary(const CountSummaryShape *shape,
							const unsigned char *bytes, size_t len,
							void *summary, DecodeError *error)
{
	reset_error(error);

	if (len < 1)
		return fail(error, DECODE_LENGTH, 0, -1);
	if (bytes[0] != COUNT_SUMMARY_VERSION)
	{
		error->version = bytes[0];
		return fail(error, DECODE_VERSION, 0, -1);
	}
	if (len != count_summary_binary_size(shape))
		return fail(error, DECODE_LENGTH, len, -1);

	for (int i = 0; i < shape->nfields; i++)
	{
		uint64_t	v = 0;

		for (int b = 0; b < 8; b++)
			v = (v << 8) | bytes[1 + 8 * i + b];
		if (v > (uint64_t) INT64_MAX)
			return fail(error, DECODE_OUT_OF_RANGE, 1 + 8 * (size_t) i, i);
		set_field(shape, summary, i, (int64_t) v);
	}
	return check_invariants(shape, summary, len, error);
}
