/*
 * test_util.c: helpers shared by the unit tests.
 */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DecodeStatus
parse_exact(const CountSummaryShape *shape, const char *text, size_t len,
			void *summary, DecodeError *error)
{
	char	   *copy = malloc(len);
	DecodeStatus status;

	/* malloc(0) may return NULL; the parser must not touch it then anyway. */
	if (len > 0)
		memcpy(copy, text, len);
	status = count_summary_parse_text(shape, copy, len, summary, error);
	free(copy);
	return status;
}

DecodeStatus
decode_exact(const CountSummaryShape *shape, const unsigned char *bytes,
			 size_t len, void *summary, DecodeError *error)
{
	unsigned char *copy = malloc(len);
	DecodeStatus status;

	if (len > 0)
		memcpy(copy, bytes, len);
	status = count_summary_decode_binary(shape, copy, len, summary, error);
	free(copy);
	return status;
}

bool
check_decode_error(const DecodeError *error, DecodeStatus status,
				   size_t position, int field, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_decode(error->status, status, "error.status", file, line);
	ok &= test_check_uint(error->position, position, "error.position",
						  "expected position", file, line);
	ok &= test_check_int(error->field, field, "error.field",
						 "expected field", file, line);
	return ok;
}

int64_t
prng_count(Prng *prng)
{
	unsigned	bits = (unsigned) prng_below(prng, 64);

	if (bits == 0)
		return 0;
	return (int64_t) (prng_next(prng) >> (64 - bits));
}

int64_t
prng_count_upto(Prng *prng, int64_t bound)
{
	/* bound + 1 fits in uint64 even when bound is INT64_MAX. */
	return (int64_t) prng_below(prng, (uint64_t) bound + 1);
}

unsigned char *
exact_copy(const void *bytes, size_t len)
{
	/* One byte at least, so the result is never NULL; ASan still sees len. */
	unsigned char *copy = malloc(len > 0 ? len : 1);

	if (copy == NULL)
		abort();
	if (len > 0)
		memcpy(copy, bytes, len);
	return copy;
}

DecodeStatus
scan_exact(const char *text, size_t len, const TextField *fields, int nfields,
		   TextFieldValue *values, DecodeError *error)
{
	unsigned char *copy = exact_copy(text, len);
	DecodeStatus status;

	status = summary_text_scan((const char *) copy, len, fields, nfields,
							   values, error);
	free(copy);
	return status;
}

static void
put_u16(unsigned char *out, uint16_t v)
{
	memcpy(out, &v, sizeof(v));
}

size_t
numeric_encode(const char *text, unsigned char *out, size_t outsize)
{
	const char *p = text;
	bool		negative = false;
	const char *int_start;
	size_t		int_len;
	const char *frac_start = "";
	size_t		frac_len = 0;
	char	   *aligned;
	size_t		pad;
	size_t		ngroups;
	int			weight;
	int		   *groups;
	size_t		first = 0;
	size_t		last;
	size_t		used;

	if (*p == '-')
	{
		negative = true;
		p++;
	}
	int_start = p;
	while (*p >= '0' && *p <= '9')
		p++;
	int_len = (size_t) (p - int_start);
	if (*p == '.')
	{
		frac_start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		frac_len = (size_t) (p - frac_start);
		if (frac_len == 0)
			return 0;
	}
	if (*p != '\0' || int_len == 0 || frac_len > 0x3FFF)
		return 0;

	/* Digits aligned so that the point falls between groups of four. */
	pad = (4 - int_len % 4) % 4;
	aligned = malloc(pad + int_len + frac_len + 4);
	if (aligned == NULL)
		abort();
	memset(aligned, '0', pad);
	memcpy(aligned + pad, int_start, int_len);
	memcpy(aligned + pad + int_len, frac_start, frac_len);
	used = pad + int_len + frac_len;
	while (used % 4 != 0)
		aligned[used++] = '0';
	ngroups = used / 4;
	groups = malloc(sizeof(int) * (ngroups + 1));
	if (groups == NULL)
		abort();
	for (size_t g = 0; g < ngroups; g++)
	{
		groups[g] = 0;
		for (int k = 0; k < 4; k++)
			groups[g] = groups[g] * 10 + (aligned[4 * g + (size_t) k] - '0');
	}
	weight = (int) ((pad + int_len) / 4) - 1;

	/* Strip zero digits at both ends. */
	while (first < ngroups && groups[first] == 0)
	{
		first++;
		weight--;
	}
	last = ngroups;
	while (last > first && groups[last - 1] == 0)
		last--;
	if (first == last)
	{
		weight = 0;
		negative = false;
	}

	used = 0;
	if (frac_len <= 63 && weight >= -64 && weight <= 63)
	{
		if (outsize < 2)
			goto too_small;
		put_u16(out, (uint16_t) (0x8000 | (negative ? 0x2000 : 0) |
								 (frac_len << 7) | ((unsigned) weight & 0x7F)));
		used = 2;
	}
	else
	{
		if (outsize < 4 || weight < INT16_MIN || weight > INT16_MAX)
			goto too_small;
		put_u16(out, (uint16_t) ((negative ? 0x4000 : 0) | frac_len));
		put_u16(out + 2, (uint16_t) (int16_t) weight);
		used = 4;
	}
	for (size_t g = first; g < last; g++)
	{
		if (used + 2 > outsize)
			goto too_small;
		put_u16(out + used, (uint16_t) groups[g]);
		used += 2;
	}
	free(groups);
	free(aligned);
	return used;

too_small:
	free(groups);
	free(aligned);
	return 0;
}

const NumericView *
test_numeric(TestNumeric *n, const char *text, const char *file, int line)
{
	char		what[160];
	DecodeStatus status;

	n->len = numeric_encode(text, n->bytes, sizeof(n->bytes));
	snprintf(what, sizeof(what), "numeric_encode(\"%.100s\") > 0", text);
	if (!test_check(n->len > 0, what, file, line))
	{
		memset(&n->view, 0, sizeof(n->view));
		return &n->view;
	}
	status = numeric_view_decode(n->bytes, n->len, &n->view);
	snprintf(what, sizeof(what), "numeric_view_decode(\"%.100s\")", text);
	if (!test_check_decode(status, DECODE_OK, what, file, line))
		memset(&n->view, 0, sizeof(n->view));
	return &n->view;
}

__int128
int128_from_text(const char *text)
{
	bool		negative = *text == '-';
	unsigned __int128 m = 0;

	for (text += negative; *text != '\0'; text++)
		m = m * 10 + (unsigned) (*text - '0');
	return negative ? (__int128) - m : (__int128) m;
}

bool
check_held_value(const DecimalSum *s, const char *expected, const char *file, int line)
{
	const char *point = strchr(expected, '.');
	int			expected_scale = point ? (int) strlen(point + 1) : 0;
	int			scale = s->held_scale > expected_scale ? s->held_scale : expected_scale;
	char	   *got;
	char	   *want;
	size_t		used;
	bool		ok;

	if (!test_check(s->held_scale >= 0 && s->held_scale <= DECIMAL_MAX_SCALE + 3,
					"0 <= held_scale <= DECIMAL_MAX_SCALE + 3", file, line))
		return false;
	got = malloc(DECIMAL_TEXT_MAX(scale));
	want = malloc(strlen(expected) + (size_t) scale + 2);
	if (got == NULL || want == NULL)
		abort();
	if (decimal_format(s->held, s->held_scale, scale, got, DECIMAL_TEXT_MAX(scale)) == 0)
		strcpy(got, "(decimal_format failed)");
	strcpy(want, expected);
	used = strlen(want);
	if (point == NULL && scale > 0)
		want[used++] = '.';
	for (int i = expected_scale; i < scale; i++)
		want[used++] = '0';
	want[used] = '\0';
	ok = test_check_str(got, want, "held part", "expected", file, line);
	free(got);
	free(want);
	return ok;
}
