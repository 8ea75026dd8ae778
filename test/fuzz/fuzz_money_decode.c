/*
 * fuzz_money_decode.c: libFuzzer target for the money-KPI decoders: numeric
 * on-disk bytes (NumericView), decimal text, and the money_summary and
 * float_money_summary text forms.
 *
 * Input: one selector byte, then the payload.
 *   selector bits 0-1: 0 = numeric bytes (numeric_view_decode, _scaled, and
 *                          a DecimalSum fed with the value)
 *                      1 = money_summary text
 *                      2 = float_money_summary text
 *                      3 = one decimal (decimal_parse)
 *   selector bits 2-7: numeric bytes only: an extra scale to try, 0..63
 * ASCII '0'..'3' select the four modes, which keeps text seeds readable.
 *
 * Everything is checked against a slow model written here (decimal strings),
 * never against the core itself; a mismatch is reported with abort().
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TARGET "fuzz_money_decode"
#include "fuzz_util.h"

#include "core/decimal.h"
#include "core/money.h"
#include "core/summary_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef unsigned __int128 u128;

#define I128_MAX_DIGITS "170141183460469231731687303715884105727"
#define I128_MIN_DIGITS "170141183460469231731687303715884105728"

/* ---- a slow model: decimals as digit strings ---- */

/*
 * The canonical text of the decimal "[-]int[.frac]" (len bytes): leading
 * zeros of the integer part dropped (one kept) and no sign on zero, as
 * decimal_format() writes it. out needs len + 2 bytes.
 */
static size_t
canonical_decimal(const char *text, size_t len, char *out)
{
	size_t		pos = 0;
	size_t		used = 0;
	bool		negative = false;
	bool		nonzero = false;
	size_t		int_start;

	if (pos < len && text[pos] == '-')
	{
		negative = true;
		pos++;
	}
	for (size_t i = pos; i < len; i++)
		if (text[i] >= '1' && text[i] <= '9')
			nonzero = true;
	if (negative && nonzero)
		out[used++] = '-';
	int_start = pos;
	while (pos + 1 < len && text[pos] == '0' && text[pos + 1] != '.')
		pos++;
	(void) int_start;
	memcpy(out + used, text + pos, len - pos);
	used += len - pos;
	out[used] = '\0';
	return used;
}

/*
 * Compares the magnitude spelled by digits (no sign, no point, leading zeros
 * allowed) with a 39-digit bound: <0, 0 or >0.
 */
static int
compare_magnitude(const char *digits, size_t n, const char *bound)
{
	size_t		blen = strlen(bound);

	while (n > 0 && *digits == '0')
	{
		digits++;
		n--;
	}
	if (n != blen)
		return n < blen ? -1 : 1;
	return memcmp(digits, bound, n);
}

/* Digits of a decimal token without sign and point. */
static size_t
token_digits(const char *text, size_t len, char *out)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
		if (text[i] >= '0' && text[i] <= '9')
			out[n++] = text[i];
	return n;
}

/* Writes v in decimal (no leading zeros, '-' if negative). buf: 41 bytes. */
static size_t
int128_text(kpi_int128 v, char *buf)
{
	u128		m = v < 0 ? -(u128) v : (u128) v;
	char		digits[40];
	int			n = 0;
	size_t		used = 0;

	do
	{
		digits[n++] = (char) ('0' + (int) (m % 10));
		m /= 10;
	} while (m != 0);
	if (v < 0)
		buf[used++] = '-';
	while (n > 0)
		buf[used++] = digits[--n];
	buf[used] = '\0';
	return used;
}

/*
 * Checks one decimal token the scanner or decimal_parse accepted: it parses
 * again to the same result, and when it fits, its value is the token's own
 * (decimal_format writes the token's canonical text) and reads back.
 */
static void
check_decimal_token(const char *token, size_t len, kpi_int128 value, int scale, bool fits)
{
	char	   *canonical = xmalloc(len + 2);
	char	   *digits = xmalloc(len + 1);
	char	   *text = xmalloc(DECIMAL_TEXT_MAX(scale));
	size_t		ndigits = token_digits(token, len, digits);
	bool		negative = len > 0 && token[0] == '-';
	kpi_int128	again;
	int			again_scale;
	bool		again_fits;
	size_t		clen = canonical_decimal(token, len, canonical);
	int			cmp;

	if (decimal_parse(token, len, &again, &again_scale, &again_fits) != len)
		fail("a decimal token does not parse again to its own length");
	if (again_scale != scale || again_fits != fits || (fits && again != value))
		fail("a decimal token parses differently twice");
	if (scale < 0 || scale > DECIMAL_MAX_SCALE)
		fail("a decimal scale out of range");

	/* Whether it fits is decided by its digits alone. */
	cmp = compare_magnitude(digits, ndigits, negative ? I128_MIN_DIGITS : I128_MAX_DIGITS);
	if (fits && cmp > 0)
		fail("a decimal past the 128-bit range claims to fit");
	if (!fits && cmp < 0)
		fail("a decimal within the 128-bit range does not fit");
	/* cmp == 0 for a negative: INT128_MIN, which a parser may refuse. */
	if (!fits && cmp == 0 && !negative)
		fail("INT128_MAX does not fit");

	if (fits)
	{
		size_t		tlen = decimal_format(value, scale, scale, text, DECIMAL_TEXT_MAX(scale));

		if (tlen == 0 || tlen != strlen(text))
			fail("decimal_format failed on a parsed decimal");
		if (tlen != clen || memcmp(text, canonical, clen) != 0)
			fail("decimal_format does not give back the token's canonical text");
		if (decimal_parse(text, tlen, &again, &again_scale, &again_fits) != tlen ||
			again_scale != scale || !again_fits || again != value)
			fail("decimal_format's text does not parse back to the value");
	}
	free(text);
	free(digits);
	free(canonical);
}

/* ---- mode 0: numeric bytes ---- */

typedef enum ModelResult
{
	MODEL_INTEGER,				/* *out is the value's digits */
	MODEL_NOT_INTEGER,			/* nonzero places below 10^0 */
	MODEL_BAD_DIGIT,			/* a base-10000 digit above 9999 */
	MODEL_SKIPPED				/* too long to bother with */
} ModelResult;

/*
 * The exact decimal text of v * 10^scale if that is an integer: digits with
 * no leading zeros ("0" for zero), in *out, which the caller frees.
 */
static ModelResult
model_scaled(const NumericView *v, int scale, char **out_text)
{
	/* Digit i covers decimal exponents 4 * (weight - i) .. + 3. */
	long		low = 4L * (v->weight - v->ndigits + 1) + scale;	/* exponent of the last place */
	size_t		ndec = 4 * (size_t) v->ndigits;
	char	   *dec;
	char	   *out;
	size_t		used = 0;
	size_t		first = 0;

	*out_text = NULL;
	for (int i = 0; i < v->ndigits; i++)
		if (decimal_read_u16(v->digits + 2 * i) > 9999)
			return MODEL_BAD_DIGIT;
	if (low > 200 || low < -(long) ndec - 200 || ndec > 4000)
		return MODEL_SKIPPED;

	dec = xmalloc(ndec + 1);
	for (int i = 0; i < v->ndigits; i++)
		snprintf(dec + 4 * i, 5, "%04u", (unsigned) decimal_read_u16(v->digits + 2 * i));

	/* Places below 10^0 must be zeros. */
	if (low < 0)
	{
		size_t		below = (size_t) -low;

		for (size_t i = 0; i < below; i++)
			if (i < ndec && dec[ndec - 1 - i] != '0')
			{
				free(dec);
				return MODEL_NOT_INTEGER;
			}
		ndec = below >= ndec ? 0 : ndec - below;
		low = 0;
	}
	out = xmalloc(ndec + (size_t) low + 2);
	while (first < ndec && dec[first] == '0')
		first++;
	memcpy(out, dec + first, ndec - first);
	used = ndec - first;
	if (used > 0)
		for (long i = 0; i < low; i++)
			out[used++] = '0';
	if (used == 0)
		out[used++] = '0';
	out[used] = '\0';
	free(dec);
	*out_text = out;
	return MODEL_INTEGER;
}

static void
check_scaled(const NumericView *v, int scale)
{
	kpi_int128	x = 0;
	bool		ok = numeric_view_scaled(v, scale, &x);
	char	   *expected;
	ModelResult model = model_scaled(v, scale, &expected);
	char		text[48];

	if (ok && model == MODEL_BAD_DIGIT)
		fail("numeric_view_scaled accepted a digit above 9999");
	if (ok && model == MODEL_NOT_INTEGER)
		fail("numeric_view_scaled dropped nonzero places");
	if (ok)
	{
		char	   *round;
		size_t		len;
		kpi_int128	back;
		int			back_scale;
		bool		fits;

		/* The value read must be the model's. */
		int128_text(x, text);
		if (model == MODEL_INTEGER && strcmp(text + (x < 0), expected) != 0)
			fail("numeric_view_scaled disagrees with the model");
		if (x != 0 && (x < 0) != v->negative)
			fail("numeric_view_scaled lost the sign");

		/* format, then parse: the same value at the same scale. */
		if (scale > DECIMAL_MAX_SCALE)
		{
			free(expected);
			return;
		}
		round = xmalloc(DECIMAL_TEXT_MAX(scale));
		len = decimal_format(x, scale, scale, round, DECIMAL_TEXT_MAX(scale));
		if (len == 0)
			fail("decimal_format failed on a scaled value");
		if (decimal_parse(round, len, &back, &back_scale, &fits) != len ||
			back_scale != scale || !fits || back != x)
			fail("a scaled value does not round-trip through text");
		free(round);
	}
	else if (model == MODEL_INTEGER)
	{
		/* The model says it is an integer: only out of range may refuse it. */
		size_t		n = strlen(expected);
		int			cmp = compare_magnitude(expected, n, v->negative ? I128_MIN_DIGITS
											: I128_MAX_DIGITS);
		bool		canonical = v->ndigits > 0 &&
			decimal_read_u16(v->digits + 2 * (v->ndigits - 1)) != 0;

		if (cmp < 0 && canonical)
			fail("numeric_view_scaled refused an integer that fits");
	}
	free(expected);
}

/* held * 10^-held_scale, written out at scale; NULL if that fails. */
static char *
held_text(const DecimalSum *s, int scale)
{
	char	   *buf = xmalloc(DECIMAL_TEXT_MAX(scale));

	if (decimal_format(s->held, s->held_scale, scale, buf, DECIMAL_TEXT_MAX(scale)) == 0)
	{
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Whether v's digits stop at or above 10^-dscale, as in every numeric that
 * PostgreSQL stores (numeric_recv truncates the others).
 */
static bool
well_formed(const NumericView *v)
{
	int			k = v->ndigits - 1;
	long		exponent;
	unsigned	last;

	for (int i = 0; i < v->ndigits; i++)
		if (decimal_read_u16(v->digits + 2 * i) > 9999)
			return false;
	while (k >= 0 && decimal_read_u16(v->digits + 2 * k) == 0)
		k--;
	if (k < 0)
		return true;
	exponent = 4L * (v->weight - k);
	for (last = decimal_read_u16(v->digits + 2 * k); last % 10 == 0; last /= 10)
		exponent++;
	return exponent >= 0 || -exponent <= v->dscale;
}

static void
check_sum_with(const NumericView *v)
{
	DecimalSum	s;
	DecimalSum	before;
	DecimalStep step;
	kpi_int128	x;

	/* One value: held, or spilled with the held part untouched. */
	memset(&s, 0, sizeof(s));
	step = decimal_sum_add(&s, v);
	if (s.scale != v->dscale || s.scale_rows != 1)
		fail("display scale bookkeeping of one value");
	if (step == DECIMAL_DONE)
	{
		if (!numeric_view_scaled(v, s.held_scale, &x) || x != s.held)
			fail("the held part is not the value added");
		/* A held part always shows at its display scale. */
		if (well_formed(v))
		{
			char	   *t = held_text(&s, s.scale);

			if (t == NULL)
				fail("a held sum cannot be written at its display scale");
			free(t);
		}
	}
	else if (step == DECIMAL_SPILL)
	{
		if (!s.spilled || s.held != 0)
			fail("a spilled first value changed the held part");
	}
	else
		fail("decimal_sum_add returned a removal step");

	/* Twice, then once out: the held part plus the spill is still v. */
	before = s;
	step = decimal_sum_add(&s, v);
	if (step == DECIMAL_SPILL && s.held != before.held)
		fail("a spilled value changed the held part");
	before = s;
	step = decimal_sum_remove(&s, v);
	if (step == DECIMAL_SPILL && s.held != before.held)
		fail("a spilled removal changed the held part");
	if (step == DECIMAL_RESTART || step == DECIMAL_NOT_IN_SUM)
		fail("removing one of two equal values asked for a restart");
	if (s.scale_rows != 1)
		fail("display scale rows after add, add, remove");
	before = s;
	step = decimal_sum_remove(&s, v);
	if (v->dscale > 0)
	{
		if (step != DECIMAL_RESTART || memcmp(&s, &before, sizeof(s)) != 0)
			fail("removing the last value at the display scale must restart, unchanged");
	}
	else if (step == DECIMAL_RESTART || step == DECIMAL_NOT_IN_SUM || s.scale_rows != 0)
		fail("removing the last value at scale 0 must leave no row at that scale");

	/* Merging a sum with itself doubles it, or spills leaving it alone. */
	memset(&s, 0, sizeof(s));
	if (decimal_sum_add(&s, v) == DECIMAL_DONE)
	{
		DecimalSum	copy = s;

		before = s;
		step = decimal_sum_merge(&s, &copy);
		if (s.scale_rows != 2 || s.scale != v->dscale)
			fail("display scale bookkeeping of a merge");
		if (step == DECIMAL_SPILL && (s.held != before.held || s.held_scale != before.held_scale))
			fail("a spilled merge changed the held part");
	}
}

static void
fuzz_numeric(const unsigned char *payload, size_t len, int extra_scale)
{
	NumericView v;
	DecodeStatus status;

	memset(&v, 0x5a, sizeof(v));
	status = numeric_view_decode(payload, len, &v);
	if (status != DECODE_OK)
	{
		if (status != DECODE_LENGTH && status != DECODE_SYNTAX)
			fail("numeric_view_decode returned an odd status");
		return;
	}
	if (v.kind != NUMERIC_KIND_FINITE)
	{
		if (v.ndigits != 0)
			fail("a special value with digits");
		return;
	}
	if (v.ndigits < 0 || v.digits < payload || v.digits + 2 * (size_t) v.ndigits != payload + len)
		fail("the digits are not the rest of the input");
	if (v.dscale < 0 || v.dscale > DECIMAL_MAX_SCALE)
		fail("dscale out of range");

	check_scaled(&v, 0);
	check_scaled(&v, 4);
	check_scaled(&v, 8);
	check_scaled(&v, extra_scale);
	if (v.dscale <= 2 * DECIMAL_MAX_POW10)
		check_scaled(&v, v.dscale);
	check_scaled(&v, decimal_held_scale_for(v.dscale));
	check_sum_with(&v);
}

/* ---- modes 1 and 2: summary texts ---- */

static void
fuzz_money_text(const char *text, size_t len)
{
	TextFieldValue values[MONEY_NFIELDS];
	MoneySummary m;
	DecodeError error;
	DecodeStatus status = summary_text_scan(text, len, money_summary_fields, MONEY_NFIELDS,
											values, &error);

	check_decode_error(status, &error, len, MONEY_NFIELDS);
	if (status != DECODE_OK)
		return;
	for (int f = MONEY_FIELD_NUMERATOR; f <= MONEY_FIELD_DENOMINATOR; f += 2)
	{
		const TextFieldValue *d = &values[f];

		if (d->text_offset + d->text_len > len || d->text_len == 0)
			fail("a decimal field outside the text");
		check_decimal_token(text + d->text_offset, d->text_len, d->decimal,
							d->decimal_scale, d->decimal_fits);
	}
	if (values[MONEY_FIELD_ROWS].count < 0)
		fail("a negative count");

	if (money_from_fields(&m, values) == KPI_OK)
	{
		if (money_check(&m) != KPI_OK)
			fail("money_check disagrees with money_from_fields");
		for (int i = 0; i < 2; i++)
		{
			const DecimalSum *s = i == 0 ? &m.numerator : &m.denominator;
			const TextFieldValue *d = &values[i == 0 ? MONEY_FIELD_NUMERATOR
											  : MONEY_FIELD_DENOMINATOR];

			if (s->scale != d->decimal_scale)
				fail("a sum from text lost its display scale");
			if (!s->spilled)
			{
				/* A held sum writes back the text it came from. */
				char	   *canonical = xmalloc(d->text_len + 2);
				size_t		clen = canonical_decimal(text + d->text_offset,
													 d->text_len, canonical);
				char	   *again = held_text(s, s->scale);

				if (!d->decimal_fits)
					fail("a sum from text holds a decimal that does not fit");
				if (again == NULL || strlen(again) != clen || memcmp(again, canonical, clen) != 0)
					fail("a held sum from text does not write back its text");
				free(again);
				free(canonical);
			}
			else if (s->held != 0)
				fail("a spilled sum from text holds something");
		}
		/* Merging the two must not crash, and a spill leaves into alone. */
		{
			DecimalSum	before = m.numerator;

			if (decimal_sum_merge(&m.numerator, &m.denominator) == DECIMAL_SPILL &&
				(m.numerator.held != before.held ||
				 m.numerator.held_scale != before.held_scale))
				fail("a spilled merge changed the held part");
		}
	}
}

static bool
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
fuzz_float_money_text(const char *text, size_t len)
{
	TextFieldValue values[FLOAT_MONEY_NFIELDS];
	DecodeError error;
	DecodeStatus status = summary_text_scan(text, len, float_money_summary_fields,
											FLOAT_MONEY_NFIELDS, values, &error);
	FloatMoneySummary s;
	FloatMoneySummary normalized;
	FloatMoneySummary again;
	char		buf[512];
	int			n;

	check_decode_error(status, &error, len, FLOAT_MONEY_NFIELDS);
	if (status != DECODE_OK)
		return;
	for (int f = FLOAT_MONEY_FIELD_NUMERATOR; f < FLOAT_MONEY_NFIELDS; f++)
		if (!isfinite(values[f].number))
			fail("a non-finite float was accepted");
	if (float_money_from_fields(&s, values) != KPI_OK)
		return;

	/* A normalized summary normalizes to itself. */
	normalized = s;
	if (float_money_normalize(&normalized) != KPI_OK ||
		normalized.numerator.sum != s.numerator.sum ||
		normalized.numerator.error != s.numerator.error ||
		normalized.denominator.sum != s.denominator.sum ||
		normalized.denominator.error != s.denominator.error)
		fail("an accepted summary is not normalized");

	/* %.17g and back: the same doubles. */
	n = snprintf(buf, sizeof(buf), "v1 rows=%lld numerator=%.17g numerator_error=%.17g "
				 "denominator=%.17g denominator_error=%.17g", (long long) s.rows,
				 s.numerator.sum, s.numerator.error, s.denominator.sum, s.denominator.error);
	if (n <= 0 || (size_t) n >= sizeof(buf))
		fail("text form too long");
	status = summary_text_scan(buf, (size_t) n, float_money_summary_fields,
							   FLOAT_MONEY_NFIELDS, values, &error);
	if (status != DECODE_OK || float_money_from_fields(&again, values) != KPI_OK)
		fail("own text form rejected");
	if (again.rows != s.rows ||
		!same_double(again.numerator.sum, s.numerator.sum) ||
		!same_double(again.numerator.error, s.numerator.error) ||
		!same_double(again.denominator.sum, s.denominator.sum) ||
		!same_double(again.denominator.error, s.denominator.error))
		fail("text round trip changed a float");

	/* Merging with itself and adding a row must not crash. */
	again = s;
	(void) float_money_merge(&again, &s);
	again = s;
	if (float_money_add(&again, 1.0, 1.0) == KPI_OK &&
		float_money_remove(&again, 1.0, 1.0) != KPI_OK)
		fail("a row just added cannot be removed");
}

/* ---- mode 3: one decimal ---- */

static void
fuzz_decimal(const char *text, size_t len)
{
	kpi_int128	value = 0;
	int			scale = -1;
	bool		fits = false;
	size_t		used = decimal_parse(text, len, &value, &scale, &fits);

	if (used > len)
		fail("decimal_parse consumed more than the input");
	if (used == 0)
		return;
	if (used < len && text[used] >= '0' && text[used] <= '9')
		fail("decimal_parse stopped before a digit");
	check_decimal_token(text, used, value, scale, fits);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *payload;
	size_t		len;

	if (size < 1)
		return 0;
	/* Exactly len bytes on the heap, so any read past them is reported. */
	len = size - 1;
	payload = exact_copy(data + 1, len);

	switch (data[0] & 3)
	{
		case 0:
			fuzz_numeric(payload, len, data[0] >> 2);
			break;
		case 1:
			fuzz_money_text((const char *) payload, len);
			break;
		case 2:
			fuzz_float_money_text((const char *) payload, len);
			break;
		case 3:
			fuzz_decimal((const char *) payload, len);
			break;
	}
	free(payload);
	return 0;
}
