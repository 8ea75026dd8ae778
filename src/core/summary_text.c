/*
 * summary_text.c: the shared "v1 name=value ..." scanner.
 */
#include "summary_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void
decode_error_reset(DecodeError *error)
{
	memset(error, 0, sizeof(*error));
	error->field = -1;
}

DecodeStatus
decode_fail(DecodeError *error, DecodeStatus status, size_t position, int field)
{
	error->status = status;
	error->position = position;
	error->field = field;
	return status;
}

static size_t
skip_digits(const unsigned char *s, size_t pos, size_t len)
{
	while (pos < len && is_digit(s[pos]))
		pos++;
	return pos;
}

/* Scans a count at pos; returns the end, or 0 with error filled in. */
static size_t
scan_count(const unsigned char *s, size_t pos, size_t len, int field,
		   int64_t *out, DecodeError *error)
{
	size_t		start = pos;
	uint64_t	value = 0;

	for (; pos < len && is_digit(s[pos]); pos++)
	{
		unsigned	digit = (unsigned) (s[pos] - '0');

		if (value > ((uint64_t) INT64_MAX - digit) / 10)
		{
			decode_fail(error, DECODE_OUT_OF_RANGE, start, field);
			return 0;
		}
		value = value * 10 + digit;
	}
	if (pos == start)
	{
		decode_fail(error, DECODE_SYNTAX, pos, field);
		return 0;
	}
	*out = (int64_t) value;
	return pos;
}

static size_t
scan_float(const unsigned char *s, size_t pos, size_t len, int field,
		   double *out, DecodeError *error)
{
	size_t		start = pos;
	size_t		mark;
	char		copy[SUMMARY_FLOAT_TEXT_MAX + 1];
	double		value;

	/* The syntax is checked here; strtod then only converts. */
	if (pos < len && s[pos] == '-')
		pos++;
	mark = pos;
	pos = skip_digits(s, pos, len);
	if (pos == mark)
		goto syntax;
	if (pos < len && s[pos] == '.')
	{
		mark = ++pos;
		pos = skip_digits(s, pos, len);
		if (pos == mark)
			goto syntax;
	}
	if (pos < len && (s[pos] == 'e' || s[pos] == 'E'))
	{
		pos++;
		if (pos < len && (s[pos] == '+' || s[pos] == '-'))
			pos++;
		mark = pos;
		pos = skip_digits(s, pos, len);
		if (pos == mark)
			goto syntax;
	}
	if (pos - start > SUMMARY_FLOAT_TEXT_MAX)
	{
		decode_fail(error, DECODE_OUT_OF_RANGE, start, field);
		return 0;
	}
	memcpy(copy, s + start, pos - start);
	copy[pos - start] = '\0';
	value = strtod(copy, NULL);
	if (!isfinite(value))
	{
		decode_fail(error, DECODE_OUT_OF_RANGE, start, field);
		return 0;
	}
	*out = value;
	return pos;

syntax:
	decode_fail(error, DECODE_SYNTAX, pos, field);
	return 0;
}

static size_t
scan_decimal(const unsigned char *s, size_t pos, size_t len, int field,
			 TextFieldValue *value, DecodeError *error)
{
	size_t		used = decimal_parse((const char *) s + pos, len - pos,
									 &value->decimal, &value->decimal_scale,
									 &value->decimal_fits);

	if (used == 0)
	{
		decode_fail(error, value->decimal_scale > DECIMAL_MAX_SCALE ?
					DECODE_OUT_OF_RANGE : DECODE_SYNTAX, pos, field);
		return 0;
	}
	value->text_offset = pos;
	value->text_len = used;
	return pos + used;
}

static size_t
scan_word(const unsigned char *s, size_t pos, size_t len, int field,
		  TextFieldValue *value, DecodeError *error)
{
	size_t		start = pos;

	while (pos < len && s[pos] > ' ' && s[pos] < 0x7f)
		pos++;
	if (pos == start)
	{
		decode_fail(error, DECODE_SYNTAX, pos, field);
		return 0;
	}
	value->text_offset = start;
	value->text_len = pos - start;
	return pos;
}

DecodeStatus
summary_text_scan(const char *text, size_t len, const TextField *fields,
				  int nfields, TextFieldValue *values, DecodeError *error)
{
	const unsigned char *s = (const unsigned char *) text;
	size_t		pos = 0;
	unsigned	version = 0;

	decode_error_reset(error);
	memset(values, 0, sizeof(*values) * (size_t) nfields);

	while (pos < len && is_space(s[pos]))
		pos++;

	/* Version tag: 'v' and one or more digits. */
	if (pos >= len || s[pos] != 'v')
		return decode_fail(error, DECODE_SYNTAX, pos, -1);
	pos++;
	if (pos >= len || !is_digit(s[pos]))
		return decode_fail(error, DECODE_SYNTAX, pos, -1);
	for (; pos < len && is_digit(s[pos]); pos++)
	{
		/* Saturate: any large number is simply an unknown version. */
		if (version < 1000000)
			version = version * 10 + (unsigned) (s[pos] - '0');
	}
	if (version != SUMMARY_TEXT_VERSION)
	{
		error->version = version;
		return decode_fail(error, DECODE_VERSION, pos, -1);
	}

	for (int i = 0; i < nfields; i++)
	{
		size_t		namelen = strlen(fields[i].name);

		/* At least one space before each field. */
		if (pos >= len || !is_space(s[pos]))
			return decode_fail(error, DECODE_SYNTAX, pos, i);
		while (pos < len && is_space(s[pos]))
			pos++;

		if (len - pos < namelen + 1 ||
			memcmp(s + pos, fields[i].name, namelen) != 0 ||
			s[pos + namelen] != '=')
			return decode_fail(error, DECODE_SYNTAX, pos, i);
		pos += namelen + 1;

		switch (fields[i].kind)
		{
			case TEXT_FIELD_COUNT:
				pos = scan_count(s, pos, len, i, &values[i].count, error);
				break;
			case TEXT_FIELD_DECIMAL:
				pos = scan_decimal(s, pos, len, i, &values[i], error);
				break;
			case TEXT_FIELD_FLOAT:
				pos = scan_float(s, pos, len, i, &values[i].number, error);
				break;
			case TEXT_FIELD_WORD:
				pos = scan_word(s, pos, len, i, &values[i], error);
				break;
		}
		if (pos == 0)
			return error->status;
	}

	while (pos < len && is_space(s[pos]))
		pos++;
	if (pos != len)
		return decode_fail(error, DECODE_SYNTAX, pos, -1);
	error->position = pos;
	return DECODE_OK;
}
