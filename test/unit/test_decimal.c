/*
 * test_decimal.c: numeric views, exact decimal sums and decimal text
 * (decimal.h, decimal.c).
 *
 * Numeric values are fed to the core as PostgreSQL's on-disk bytes, made by
 * the test-only encoder numeric_encode() (test_util.c) or written out by hand
 * for malformed input. The property tests compare the core with a 256-bit
 * two's complement model at a fixed scale of 6, written independently of it.
 */
#include "tests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

typedef __int128 int128;
typedef unsigned __int128 uint128;

#define I128_MAX TEST_INT128_MAX
#define I128_MIN TEST_INT128_MIN
#define I128_MAX_TEXT "170141183460469231731687303715884105727"
#define I128_MIN_TEXT "-170141183460469231731687303715884105728"

/* Decodes hand-written bytes from an exact-length heap copy. */
static DecodeStatus
decode_bytes(const void *bytes, size_t len, NumericView *view, unsigned char **copy)
{
	*copy = exact_copy(bytes, len);
	return numeric_view_decode(*copy, len, view);
}

/* The i-th base-10000 digit of a view, read as the core must (unaligned). */
static unsigned
view_digit(const NumericView *v, int i)
{
	uint16_t	d;

	memcpy(&d, v->digits + 2 * i, sizeof(d));
	return d;
}

/* Checks a finite view's fields and digits in one go. */
static bool
check_view(const NumericView *v, bool negative, int weight, int dscale,
		   int ndigits, const unsigned *digits, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_int(v->kind, NUMERIC_KIND_FINITE, "view.kind", "FINITE", file, line);
	ok &= test_check_int(v->negative, negative, "view.negative", "expected negative", file, line);
	ok &= test_check_int(v->weight, weight, "view.weight", "expected weight", file, line);
	ok &= test_check_int(v->dscale, dscale, "view.dscale", "expected dscale", file, line);
	ok &= test_check_int(v->ndigits, ndigits, "view.ndigits", "expected ndigits", file, line);
	for (int i = 0; ok && i < ndigits; i++)
		ok &= test_check_int(view_digit(v, i), digits[i], "view digit", "expected digit",
							 file, line);
	return ok;
}

#define CHECK_VIEW(v, negative, weight, dscale, ...) \
	do { \
		static const unsigned digits_[] = {0, __VA_ARGS__}; \
		check_view((v), (negative), (weight), (dscale), \
				   (int) (sizeof(digits_) / sizeof(digits_[0])) - 1, digits_ + 1, \
				   __FILE__, __LINE__); \
	} while (0)

/* Formats a sum's held part at its display scale, as the SQL layer shows it. */
static const char *
held_text(const DecimalSum *s, char *buf, size_t size)
{
	if (decimal_format(s->held, s->held_scale, s->scale, buf, size) == 0)
		snprintf(buf, size, "(format failed)");
	return buf;
}

#define CHECK_HELD(s, expected) \
	do { \
		char		text_[DECIMAL_TEXT_MAX(64)]; \
		CHECK_STR(held_text(&(s), text_, sizeof(text_)), (expected)); \
	} while (0)

/* ---- the test encoder itself, against bytes worked out by hand ---- */

TEST_CASE(numeric_encode_known_bytes)
{
	static const struct
	{
		const char *text;
		uint16_t	words[4];
		int			nwords;
	}			cases[] = {
		{"0", {0x8000}, 1},
		{"0.00", {0x8100}, 1},
		{"-0.000", {0x8180}, 1},	/* zero is never negative */
		{"123.45", {0x8100, 123, 4500}, 3},
		{"-12345678.9", {0xA081, 1234, 5678, 9000}, 4},
		{"10000", {0x8001, 1}, 2},
		{"0.0001", {0x827F, 1}, 2},
		{"-0.00000001", {0xA47E, 1}, 2},
		{"0007.50", {0x8100, 7, 5000}, 3},
	};
	unsigned char out[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size_t		len = numeric_encode(cases[i].text, out, sizeof(out));

		if (CHECK_UINT(len, 2 * (size_t) cases[i].nwords))
			CHECK_BYTES(out, (const unsigned char *) cases[i].words, len);
	}

	/* Long form: a dscale above 63, a weight above 63. */
	{
		char		text[80] = "-0.";
		uint16_t	words[] = {0x4000 | 64, (uint16_t) -16, 1};
		size_t		len;

		memset(text + 3, '0', 63);
		strcpy(text + 66, "1");
		len = numeric_encode(text, out, sizeof(out));
		if (CHECK_UINT(len, sizeof(words)))
			CHECK_BYTES(out, (const unsigned char *) words, len);
	}
	{
		char		text[300] = "1";
		uint16_t	words[] = {0x0000, 64, 1};
		size_t		len;

		memset(text + 1, '0', 256);
		text[257] = '\0';
		len = numeric_encode(text, out, sizeof(out));
		if (CHECK_UINT(len, sizeof(words)))
			CHECK_BYTES(out, (const unsigned char *) words, len);
	}

	/* Not decimals, or no room. */
	CHECK_UINT(numeric_encode("", out, sizeof(out)), 0);
	CHECK_UINT(numeric_encode("1.", out, sizeof(out)), 0);
	CHECK_UINT(numeric_encode(".5", out, sizeof(out)), 0);
	CHECK_UINT(numeric_encode("123.45", out, 5), 0);
}

/* ---- numeric_view_decode ---- */

TEST_CASE(numeric_decode_short_form)
{
	TestNumeric n;
	const NumericView *v;

	v = NUMERIC(&n, "123.45");
	CHECK_VIEW(v, false, 0, 2, 123, 4500);
	CHECK(v->digits == n.bytes + 2);

	v = NUMERIC(&n, "-12345678.9");
	CHECK_VIEW(v, true, 1, 1, 1234, 5678, 9000);

	v = NUMERIC(&n, "99990000");
	CHECK_VIEW(v, false, 1, 0, 9999);

	/* The largest short weight and dscale. */
	{
		uint16_t	words[] = {0x8000 | (63 << 7) | 63, 1};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, false, 63, 63, 1);
		free(copy);
	}
	/* Every short header bit: sign, dscale, weight sign. */
	{
		uint16_t	words[] = {0xFFFF & ~0x4000, 1};	/* 0xBFFF */
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, true, -1, 63, 1);
		free(copy);
	}
}

TEST_CASE(numeric_decode_long_form)
{
	TestNumeric n;
	const NumericView *v;
	char		text[300];

	/* dscale 64: one past the short form. */
	strcpy(text, "0.");
	memset(text + 2, '0', 63);
	strcpy(text + 65, "25");
	v = NUMERIC(&n, text);
	CHECK_VIEW(v, false, -16, 65, 2, 5000);
	CHECK(v->digits == n.bytes + 4);

	/* Weight 64, negative. */
	strcpy(text, "-12");
	memset(text + 3, '0', 256);
	text[259] = '\0';
	v = NUMERIC(&n, text);
	CHECK_VIEW(v, true, 64, 0, 12);

	/* The long form of a value PostgreSQL would write short reads the same. */
	{
		uint16_t	words[] = {0x0002, 0, 123, 4500};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, false, 0, 2, 123, 4500);
		free(copy);
	}
	/* The largest dscale, the most negative and the largest weights. */
	{
		uint16_t	words[] = {0x4000 | 0x3FFF, 0x8000, 7};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, true, -32768, 0x3FFF, 7);
		free(copy);
	}
	{
		uint16_t	words[] = {0x0000, 0x7FFF};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, false, 32767, 0);
		free(copy);
	}
}

TEST_CASE(numeric_decode_negative_weights)
{
	TestNumeric n;
	const NumericView *v;

	v = NUMERIC(&n, "0.0001");
	CHECK_VIEW(v, false, -1, 4, 1);
	v = NUMERIC(&n, "0.00000001");
	CHECK_VIEW(v, false, -2, 8, 1);
	v = NUMERIC(&n, "-0.00012345");
	CHECK_VIEW(v, true, -1, 8, 1, 2345);
	v = NUMERIC(&n, "0.5");
	CHECK_VIEW(v, false, -1, 1, 5000);

	/* The most negative short weight, written by hand. */
	{
		uint16_t	words[] = {0x8000 | 0x40, 3};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, false, -64, 0, 3);
		free(copy);
	}
}

TEST_CASE(numeric_decode_zero)
{
	TestNumeric n;
	const NumericView *v;
	kpi_int128	x = 99;

	v = NUMERIC(&n, "0");
	CHECK_VIEW(v, false, 0, 0);
	CHECK_UINT(n.len, 2);
	v = NUMERIC(&n, "-0.00");
	CHECK_VIEW(v, false, 0, 2);
	CHECK(numeric_view_scaled(v, 2, &x));
	CHECK_INT128(x, 0);
	x = 99;
	CHECK(numeric_view_scaled(v, 0, &x));
	CHECK_INT128(x, 0);

	/* A long-form zero too. */
	{
		uint16_t	words[] = {0x0050, 0};
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(words, sizeof(words), &view, &copy), DECODE_OK);
		CHECK_VIEW(&view, false, 0, 0x50);
		free(copy);
	}
}

TEST_CASE(numeric_decode_specials)
{
	static const struct
	{
		uint16_t	header;
		NumericKind kind;
		bool		negative;
	}			cases[] = {
		{0xC000, NUMERIC_KIND_NAN, false},
		{0xD000, NUMERIC_KIND_POS_INFINITY, false},
		{0xF000, NUMERIC_KIND_NEG_INFINITY, true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		NumericView view;
		unsigned char *copy;
		uint16_t	words[2] = {cases[i].header, 0};

		memset(&view, 0x5a, sizeof(view));
		CHECK_DECODE(decode_bytes(words, 2, &view, &copy), DECODE_OK);
		CHECK_INT(view.kind, cases[i].kind);
		CHECK_INT(view.negative, cases[i].negative);
		CHECK_INT(view.ndigits, 0);
		free(copy);

		/*
		 * The header alone says which special value it is: a NaN written
		 * before PostgreSQL 14 carries a weight too, 4 bytes in all.
		 */
		CHECK_DECODE(decode_bytes(words, 4, &view, &copy), DECODE_OK);
		CHECK_INT(view.kind, cases[i].kind);
		CHECK_INT(view.ndigits, 0);
		free(copy);
	}
}

TEST_CASE(numeric_decode_bad_special)
{
	static const uint16_t bad[] = {0xE000, 0xE123};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		NumericView view;
		unsigned char *copy;

		CHECK_DECODE(decode_bytes(&bad[i], 2, &view, &copy), DECODE_SYNTAX);
		free(copy);
	}
}

TEST_CASE(numeric_decode_length)
{
	static const uint16_t short_words[] = {0x8100, 123, 4500};
	static const uint16_t long_words[] = {0x0002, 0, 123, 4500};
	NumericView view;
	unsigned char *copy;

	/* Nothing, or half a header. */
	CHECK_DECODE(decode_bytes(short_words, 0, &view, &copy), DECODE_LENGTH);
	free(copy);
	CHECK_DECODE(decode_bytes(short_words, 1, &view, &copy), DECODE_LENGTH);
	free(copy);

	/* Short form: every odd length is a half digit. */
	for (size_t len = 2; len <= sizeof(short_words); len++)
	{
		DecodeStatus status = decode_bytes(short_words, len, &view, &copy);

		if (len % 2 == 0)
		{
			CHECK_DECODE(status, DECODE_OK);
			CHECK_INT(view.ndigits, (int) (len - 2) / 2);
		}
		else
			CHECK_DECODE(status, DECODE_LENGTH);
		free(copy);
	}

	/* Long form: the weight is part of the header. */
	for (size_t len = 2; len <= sizeof(long_words); len++)
	{
		DecodeStatus status = decode_bytes(long_words, len, &view, &copy);

		if (len >= 4 && len % 2 == 0)
		{
			CHECK_DECODE(status, DECODE_OK);
			CHECK_INT(view.ndigits, (int) (len - 4) / 2);
		}
		else
			CHECK_DECODE(status, DECODE_LENGTH);
		free(copy);
	}
}

/* ---- numeric_view_scaled ---- */

/* Scales the numeric text spells; checks the outcome and, if any, the value. */
static bool
check_scaled(const char *text, int scale, bool fits, int128 expected,
			 const char *file, int line)
{
	TestNumeric n;
	const NumericView *v = test_numeric(&n, text, file, line);
	kpi_int128	x = 12345;
	bool		ok;
	char		what[200];

	snprintf(what, sizeof(what), "numeric_view_scaled(%.100s, %d) is %s", text, scale,
			 fits ? "true" : "false");
	ok = test_check(numeric_view_scaled(v, scale, &x) == fits, what, file, line);
	if (ok && fits)
		ok = test_check_int128(x, expected, "scaled value", "expected", file, line);
	return ok;
}

#define CHECK_SCALED(text, scale, expected) \
	check_scaled((text), (scale), true, (expected), __FILE__, __LINE__)
#define CHECK_NOT_SCALED(text, scale) \
	check_scaled((text), (scale), false, 0, __FILE__, __LINE__)

TEST_CASE(numeric_scaled_exact)
{
	CHECK_SCALED("123.45", 2, 12345);
	CHECK_SCALED("123.45", 5, 12345000);
	CHECK_SCALED("-123.45", 2, -12345);
	CHECK_SCALED("10000", 0, 10000);
	CHECK_SCALED("12345678.9", 1, 123456789);
	CHECK_SCALED("0.0001", 4, 1);
	CHECK_SCALED("0.00000001", 8, 1);
	CHECK_SCALED("0.00000001", 10, 100);
	CHECK_SCALED("0.0001", 38, decimal_pow10(34));
	CHECK_SCALED("1", 38, decimal_pow10(38));
	CHECK_SCALED("0", 1000, 0);

	/* Fewer places than the dscale: fine when the dropped digits are zeros. */
	CHECK_SCALED("123.40", 1, 1234);
	CHECK_SCALED("123.4000", 1, 1234);
	CHECK_SCALED("123.000", 0, 123);
	CHECK_SCALED("-5.5000", 1, -55);
	CHECK_SCALED("0.12", 2, 12);
	CHECK_SCALED("0.12", 3, 120);
}

TEST_CASE(numeric_scaled_drops_digits)
{
	CHECK_NOT_SCALED("123.45", 1);
	CHECK_NOT_SCALED("123.45", 0);
	CHECK_NOT_SCALED("0.0001", 3);
	CHECK_NOT_SCALED("0.0001", 0);
	CHECK_NOT_SCALED("0.00000001", 7);
	CHECK_NOT_SCALED("-0.5", 0);
	CHECK_NOT_SCALED("12345678.9", 0);
	/* A nonzero digit in every position of the last base-10000 digit. */
	CHECK_NOT_SCALED("1.0001", 3);
	CHECK_NOT_SCALED("1.0010", 2);
	CHECK_NOT_SCALED("1.0100", 1);
	CHECK_NOT_SCALED("1.1000", 0);
	CHECK_SCALED("1.0010", 3, 1001);
	/* Long numbers take the other path. */
	CHECK_NOT_SCALED("1234567890123456789012.345", 2);
	CHECK_SCALED("1234567890123456789012.340", 2, int128_from_text("123456789012345678901234"));
}

TEST_CASE(numeric_scaled_large_money)
{
	/* 10^15 with six places: the magnitudes the money KPIs are sized for. */
	CHECK_SCALED("1000000000000000.000000", 6, int128_from_text("1000000000000000000000"));
	CHECK_SCALED("999999999999999.999999", 6, int128_from_text("999999999999999999999"));
	CHECK_SCALED("-999999999999999.999999", 6, int128_from_text("-999999999999999999999"));
	CHECK_SCALED("123456789012345.678901", 6, int128_from_text("123456789012345678901"));
	CHECK_SCALED("-123456789012345.678901", 8, int128_from_text("-12345678901234567890100"));
	CHECK_SCALED("1000000000000000.000001", 6, int128_from_text("1000000000000000000001"));
}

TEST_CASE(numeric_scaled_int128_limit)
{
	kpi_int128	x;
	TestNumeric n;

	CHECK_SCALED(I128_MAX_TEXT, 0, I128_MAX);
	CHECK_NOT_SCALED("170141183460469231731687303715884105728", 0);
	CHECK_SCALED("-" I128_MAX_TEXT, 0, -I128_MAX);
	/* INT128_MIN fits, though the core may refuse it (the value then spills). */
	if (numeric_view_scaled(NUMERIC(&n, I128_MIN_TEXT), 0, &x))
		CHECK_INT128(x, I128_MIN);

	CHECK_SCALED("17014118346046923173168730371588410.5727", 4, I128_MAX);
	CHECK_NOT_SCALED("17014118346046923173168730371588410.5728", 4);
	CHECK_SCALED("17014118346046923173168730371588410572.7", 1, I128_MAX);
	CHECK_NOT_SCALED("17014118346046923173168730371588410572.7", 2);
	CHECK_SCALED("1.70141183460469231731687303715884105727", 38, I128_MAX);
	CHECK_NOT_SCALED("1.70141183460469231731687303715884105727", 39);
	CHECK_NOT_SCALED("1.70141183460469231731687303715884105728", 38);
	CHECK_SCALED("17014118346046923173168730371588410572", 1,
				 int128_from_text("170141183460469231731687303715884105720"));
	CHECK_NOT_SCALED("17014118346046923173168730371588410573", 1);
	CHECK_SCALED("1" "00000000000000000000000000000000000000", 0, decimal_pow10(38));
	CHECK_NOT_SCALED("1" "00000000000000000000000000000000000000", 1);
	CHECK_NOT_SCALED("1" "000000000000000000000000000000000000000", 0);
	CHECK_NOT_SCALED("99999999999999999999999999999999999999999999", 0);
	/* Few digits, large weight: the scaling itself overflows. */
	CHECK_NOT_SCALED("2" "00000000000000000000000000000000000000", 0);
	CHECK_SCALED("0.1", 38, decimal_pow10(37));
	CHECK_NOT_SCALED("2", 38);
	CHECK_NOT_SCALED("1", 39);
	CHECK_NOT_SCALED("1", 10000);
}

TEST_CASE(numeric_scaled_bad_digits)
{
	/* Base-10000 digits above 9999 are no numeric, wherever they are. */
	static const struct
	{
		uint16_t	words[8];
		int			nwords;
	}			cases[] = {
		{{0x8000, 10000}, 2},
		{{0x8000, 0xFFFF}, 2},
		{{0x8001, 10000, 1}, 3},
		{{0x8001, 1, 10000}, 3},
		{{0x8102, 1, 2, 3, 4, 10000}, 6},
		{{0x8005, 1, 2, 3, 4, 5, 10000}, 7},
		{{0x8005, 1, 2, 10000, 4, 5, 6}, 7},
		{{0x8005, 0xFFFF, 2, 3, 4, 5, 6}, 7},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		NumericView view;
		unsigned char *copy;
		kpi_int128	x;

		if (CHECK_DECODE(decode_bytes(cases[i].words, 2 * (size_t) cases[i].nwords,
									  &view, &copy), DECODE_OK))
		{
			CHECK(!numeric_view_scaled(&view, 4, &x));
			CHECK(!numeric_view_scaled(&view, 20, &x));
		}
		free(copy);
	}
}

TEST_CASE(decimal_pow10_table)
{
	int128		p = 1;

	for (int i = 0; i <= DECIMAL_MAX_POW10; i++)
	{
		if (!CHECK_INT128(decimal_pow10(i), p))
			break;
		if (i < DECIMAL_MAX_POW10)
			p *= 10;
	}
}

/* ---- DecimalSum ---- */

/*
 * The held scale is the core's choice (a multiple of 4 today); these tests
 * check the held part by value (CHECK_HELD_VALUE) or as shown at the display
 * scale (CHECK_HELD), never its representation.
 */

static DecimalStep
add_text(DecimalSum *s, const char *text)
{
	TestNumeric n;

	return decimal_sum_add(s, NUMERIC(&n, text));
}

static DecimalStep
remove_text(DecimalSum *s, const char *text)
{
	TestNumeric n;

	return decimal_sum_remove(s, NUMERIC(&n, text));
}

#define CHECK_STEP(actual, expected) CHECK_INT((actual), (expected))

static bool
same_sum(const DecimalSum *a, const DecimalSum *b)
{
	return a->held == b->held && a->scale_rows == b->scale_rows &&
		a->scale == b->scale && a->held_scale == b->held_scale &&
		a->spilled == b->spilled;
}

TEST_CASE(decimal_sum_carries)
{
	DecimalSum	s = {0};

	CHECK_STEP(add_text(&s, "0.9999"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "0.0001"), DECIMAL_DONE);
	CHECK_HELD(s, "1.0000");
	CHECK_STEP(add_text(&s, "9998.9999"), DECIMAL_DONE);
	CHECK_HELD(s, "9999.9999");
	CHECK_STEP(add_text(&s, "0.0001"), DECIMAL_DONE);
	CHECK_HELD(s, "10000.0000");
	CHECK_STEP(add_text(&s, "99999999.9999"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "0.0001"), DECIMAL_DONE);
	CHECK_HELD(s, "100010000.0000");
	/* Borrows too. */
	CHECK_STEP(add_text(&s, "-0.0001"), DECIMAL_DONE);
	CHECK_HELD(s, "100009999.9999");
	CHECK_STEP(add_text(&s, "-100009999.9999"), DECIMAL_DONE);
	CHECK_HELD(s, "0.0000");
	CHECK_INT(s.spilled, 0);
	CHECK_INT(s.scale, 4);
	CHECK_INT(s.scale_rows, 8);
}

TEST_CASE(decimal_sum_rescales)
{
	DecimalSum	s = {0};

	CHECK_STEP(add_text(&s, "1.5"), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "1.5");
	CHECK_INT(s.scale, 1);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "2.25"), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "3.75");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "3"), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "6.75");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 1);
	CHECK_HELD(s, "6.75");
	CHECK(s.held_scale >= 2);

	/* A display scale larger than the digits need still shows. */
	CHECK_STEP(add_text(&s, "0.000"), DECIMAL_DONE);
	CHECK_INT(s.scale, 3);
	CHECK_HELD(s, "6.750");
	/* Scales past a multiple of 4, and far from the first. */
	CHECK_STEP(add_text(&s, "0.00001"), DECIMAL_DONE);
	CHECK_HELD(s, "6.75001");
	CHECK_STEP(add_text(&s, "-0.000000000001"), DECIMAL_DONE);
	CHECK_HELD(s, "6.750009999999");
	CHECK_INT(s.scale, 12);
	CHECK_INT(s.spilled, 0);
}

TEST_CASE(decimal_sum_scale_rows)
{
	DecimalSum	s = {0};

	CHECK_INT(s.scale_rows, 0);
	CHECK_STEP(add_text(&s, "7"), DECIMAL_DONE);
	CHECK_INT(s.scale, 0);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "1.10"), DECIMAL_DONE);
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "2.2"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "3.30"), DECIMAL_DONE);
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(add_text(&s, "4.000"), DECIMAL_DONE);
	CHECK_INT(s.scale, 3);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "-5.000"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "0.000"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "6"), DECIMAL_DONE);
	CHECK_INT(s.scale_rows, 3);
	CHECK_HELD(s, "18.600");
	/* Integers count at scale 0 only. */
	CHECK_STEP(decimal_sum_add_int64(&s, 1), DECIMAL_DONE);
	CHECK_INT(s.scale_rows, 3);
}

TEST_CASE(decimal_sum_negative)
{
	DecimalSum	s = {0};

	/* A sale and its refund. */
	CHECK_STEP(add_text(&s, "100.00"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "-100.00"), DECIMAL_DONE);
	CHECK_INT128(s.held, 0);
	CHECK_HELD(s, "0.00");
	CHECK_STEP(add_text(&s, "-0.01"), DECIMAL_DONE);
	CHECK_HELD(s, "-0.01");
	CHECK_STEP(add_text(&s, "19.99"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "-5.00"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "-14.98"), DECIMAL_DONE);
	CHECK_HELD(s, "0.00");
	CHECK_INT128(s.held, 0);
	CHECK_STEP(add_text(&s, "-123456789.5"), DECIMAL_DONE);
	CHECK_HELD(s, "-123456789.50");
	CHECK_STEP(remove_text(&s, "-123456789.5"), DECIMAL_DONE);
	CHECK_HELD(s, "0.00");
	CHECK_INT(s.spilled, 0);
}

TEST_CASE(decimal_sum_spill)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	/* The held part cannot be raised to the value's scale. */
	CHECK_STEP(add_text(&s, "1" "000000000000000000000000000000000"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "0.1"), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "1000000000000000000000000000000000.1");
	before = s;
	CHECK_STEP(add_text(&s, "0.000000001"), DECIMAL_SPILL);
	CHECK_INT(s.spilled, 1);
	CHECK_INT128(s.held, before.held);
	CHECK_INT(s.held_scale, before.held_scale);
	CHECK_INT(s.scale, 9);
	CHECK_INT(s.scale_rows, 1);
	/* Still exact: the caller shows held + spill at scale 9. */
	CHECK_HELD(s, "1000000000000000000000000000000000.100000000");
	/* Values of the held scale still go in. */
	CHECK_STEP(add_text(&s, "0.2"), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "1000000000000000000000000000000000.3");

	/* The value alone has too many digits. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "12.5"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "1" "000000000000000000000000000000000000000"), DECIMAL_SPILL);
	CHECK_HELD_VALUE(s, "12.5");
	CHECK_INT(s.spilled, 1);
	CHECK_INT(s.scale, 1);
	CHECK_INT(s.scale_rows, 1);
	/* Removing it takes it back out of the spill. */
	CHECK_STEP(remove_text(&s, "1" "000000000000000000000000000000000000000"), DECIMAL_SPILL);
	CHECK_HELD_VALUE(s, "12.5");
	CHECK_INT(s.spilled, 1);

	/* A value fits, but not at the held scale. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "0.00000001"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "10000000000000000000000000000000000"), DECIMAL_SPILL);
	CHECK_HELD_VALUE(s, "0.00000001");
}

TEST_CASE(decimal_sum_overflow_keeps_held)
{
	DecimalSum	s = {0};

	/*
	 * When held + x overflows, the value goes to the spill and the held part
	 * must stay as it was: the total is held + spill.
	 */
	CHECK_STEP(add_text(&s, I128_MAX_TEXT), DECIMAL_DONE);
	CHECK_INT128(s.held, I128_MAX);
	CHECK_INT(s.spilled, 0);
	CHECK_STEP(add_text(&s, "1"), DECIMAL_SPILL);
	CHECK_INT128(s.held, I128_MAX);
	CHECK_INT(s.spilled, 1);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(add_text(&s, "-1"), DECIMAL_DONE);
	CHECK_INT128(s.held, I128_MAX - 1);
	CHECK_INT(s.scale_rows, 3);

	/* Downwards. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "-" I128_MAX_TEXT), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "-1"), DECIMAL_DONE);
	CHECK_INT128(s.held, I128_MIN);
	CHECK_STEP(add_text(&s, "-1"), DECIMAL_SPILL);
	CHECK_INT128(s.held, I128_MIN);
	CHECK_INT(s.spilled, 1);

	/* Integers. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, I128_MAX_TEXT), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, 1), DECIMAL_SPILL);
	CHECK_INT128(s.held, I128_MAX);
	CHECK_STEP(decimal_sum_remove_int64(&s, 1), DECIMAL_DONE);
	CHECK_INT128(s.held, I128_MAX - 1);

	/* Removals. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "-" I128_MAX_TEXT), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "3"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "-3"), DECIMAL_DONE);
	CHECK_INT128(s.held, -I128_MAX);
	CHECK_STEP(remove_text(&s, "3"), DECIMAL_SPILL);
	CHECK_INT128(s.held, -I128_MAX);
	CHECK_STEP(decimal_sum_remove_int64(&s, -3), DECIMAL_DONE);
	CHECK_INT128(s.held, -I128_MAX + 3);
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "-" I128_MAX_TEXT), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, 2), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, -2), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_int64(&s, 2), DECIMAL_SPILL);
	CHECK_INT128(s.held, -I128_MAX);
}

TEST_CASE(decimal_sum_remove_restart)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	CHECK_STEP(add_text(&s, "1.5"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "2.25"), DECIMAL_DONE);
	before = s;
	/* The only value at scale 2: the remaining scale would be unknown. */
	CHECK_STEP(remove_text(&s, "2.25"), DECIMAL_RESTART);
	CHECK(same_sum(&s, &before));

	CHECK_STEP(add_text(&s, "3.75"), DECIMAL_DONE);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(remove_text(&s, "2.25"), DECIMAL_DONE);
	CHECK_HELD(s, "5.25");
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(remove_text(&s, "1.5"), DECIMAL_DONE);
	CHECK_HELD(s, "3.75");
	CHECK_INT(s.scale_rows, 1);
	before = s;
	CHECK_STEP(remove_text(&s, "3.75"), DECIMAL_RESTART);
	CHECK(same_sum(&s, &before));

	/* Trailing zeros count: 2.50 has scale 2 like 3.75. */
	CHECK_STEP(add_text(&s, "2.50"), DECIMAL_DONE);
	CHECK_STEP(remove_text(&s, "3.75"), DECIMAL_DONE);
	CHECK_HELD(s, "2.50");
	CHECK_STEP(remove_text(&s, "2.50"), DECIMAL_RESTART);
}

TEST_CASE(decimal_sum_remove_not_in_sum)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	CHECK_STEP(remove_text(&s, "0.1"), DECIMAL_NOT_IN_SUM);
	CHECK_STEP(add_text(&s, "1.5"), DECIMAL_DONE);
	CHECK_STEP(add_text(&s, "4.5"), DECIMAL_DONE);
	before = s;
	CHECK_STEP(remove_text(&s, "2.25"), DECIMAL_NOT_IN_SUM);
	CHECK_STEP(remove_text(&s, "0.000"), DECIMAL_NOT_IN_SUM);
	CHECK(same_sum(&s, &before));
	CHECK_STEP(remove_text(&s, "4.5"), DECIMAL_DONE);
	CHECK_HELD(s, "1.5");
}

TEST_CASE(decimal_sum_int64)
{
	DecimalSum	s = {0};

	CHECK_STEP(decimal_sum_add_int64(&s, 5), DECIMAL_DONE);
	CHECK_INT(s.scale, 0);
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(add_text(&s, "1.25"), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, -3), DECIMAL_DONE);
	CHECK_HELD(s, "3.25");
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(decimal_sum_remove_int64(&s, 5), DECIMAL_DONE);
	CHECK_HELD(s, "-1.75");
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MAX), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MIN), DECIMAL_DONE);
	CHECK_HELD(s, "-2.75");
	CHECK_STEP(decimal_sum_remove_int64(&s, INT64_MIN), DECIMAL_DONE);
	CHECK_HELD(s, "9223372036854775805.25");

	/*
	 * Integers only: scale 0 is the lowest there is, so even the last one
	 * leaves without a restart (as in PostgreSQL), and the sum is empty again.
	 */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_int64(&s, 7), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, 8), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_int64(&s, 7), DECIMAL_DONE);
	CHECK_HELD(s, "8");
	CHECK_INT(s.scale_rows, 1);
	CHECK_STEP(decimal_sum_remove_int64(&s, 8), DECIMAL_DONE);
	CHECK_HELD(s, "0");
	CHECK_INT(s.scale_rows, 0);
	CHECK_STEP(add_text(&s, "0.5"), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, 8), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_int64(&s, 8), DECIMAL_DONE);
	CHECK_HELD(s, "0.5");

	/* An integer that cannot be raised to the held scale spills. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(add_text(&s, "0.0000000000000000000000000001"), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, 1000000000), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MAX), DECIMAL_SPILL);
	CHECK_INT(s.spilled, 1);
	CHECK_HELD(s, "1000000000.0000000000000000000000000001");
	CHECK_STEP(decimal_sum_remove_int64(&s, INT64_MAX), DECIMAL_SPILL);
	CHECK_STEP(decimal_sum_remove_int64(&s, 1000000000), DECIMAL_DONE);
	CHECK_HELD(s, "0.0000000000000000000000000001");
}

TEST_CASE(decimal_sum_hold)
{
	DecimalSum	s = {0};

	CHECK(decimal_sum_hold(&s, 12345, 2));
	CHECK_HELD_VALUE(s, "123.45");
	CHECK(decimal_sum_hold(&s, -7, 0));
	CHECK_HELD_VALUE(s, "-7");
	CHECK(decimal_sum_hold(&s, I128_MAX, 0));
	CHECK_HELD_VALUE(s, I128_MAX_TEXT);
	CHECK(decimal_sum_hold(&s, I128_MAX, 4));
	CHECK_HELD_VALUE(s, "17014118346046923173168730371588410.5727");
	CHECK(decimal_sum_hold(&s, 0, 9));
	CHECK_HELD_VALUE(s, "0");
	/* -2^127 needs no scaling at scales 0 and 4, so it is held as it is (fuzzer find). */
	CHECK(decimal_sum_hold(&s, I128_MIN, 0));
	CHECK_HELD_VALUE(s, I128_MIN_TEXT);
	CHECK(decimal_sum_hold(&s, I128_MIN, 4));
	CHECK_HELD_VALUE(s, "-17014118346046923173168730371588410.5728");
	CHECK(!decimal_sum_hold(&s, I128_MIN, 3));
	CHECK(decimal_sum_raise_held_scale(&s, 4));
	/* A value that fits but not at a held scale: refused, and nothing changes. */
	memset(&s, 0, sizeof(s));
	CHECK(decimal_sum_hold(&s, 5, 1));
	CHECK(!decimal_sum_hold(&s, I128_MAX, 1));
	CHECK_HELD_VALUE(s, "0.5");
}

TEST_CASE(decimal_sum_merge)
{
	DecimalSum	a = {0};
	DecimalSum	b = {0};
	DecimalSum	empty = {0};

	add_text(&a, "1.5");
	add_text(&b, "2.25");
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_DONE);
	CHECK_HELD_VALUE(a, "3.75");
	CHECK_INT(a.scale, 2);
	CHECK_INT(a.scale_rows, 1);

	/* The other way round: into has the larger scale. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&a, "1.5");
	add_text(&b, "2.25");
	CHECK_STEP(decimal_sum_merge(&b, &a), DECIMAL_DONE);
	CHECK_HELD_VALUE(b, "3.75");
	CHECK_INT(b.scale, 2);
	CHECK_INT(b.scale_rows, 1);

	/* Different held scales. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&a, "100");
	add_text(&b, "0.000000001");
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_DONE);
	CHECK_HELD(a, "100.000000001");
	CHECK_INT(a.scale, 9);
	CHECK_INT(a.scale_rows, 1);

	/* Equal scales: the rows at that scale add up. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&a, "1.10");
	add_text(&a, "-3");
	add_text(&b, "2.20");
	add_text(&b, "4.40");
	add_text(&b, "0.5");
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_DONE);
	CHECK_INT(a.scale, 2);
	CHECK_INT(a.scale_rows, 3);
	CHECK_HELD(a, "5.20");

	/* Empty on either side. */
	b = a;
	CHECK_STEP(decimal_sum_merge(&a, &empty), DECIMAL_DONE);
	CHECK_HELD(a, "5.20");
	CHECK_INT(a.scale_rows, 3);
	memset(&b, 0, sizeof(b));
	CHECK_STEP(decimal_sum_merge(&b, &a), DECIMAL_DONE);
	CHECK_HELD(b, "5.20");
	CHECK_INT(b.scale, 2);
	CHECK_INT(b.scale_rows, 3);

	/* The spilled flag travels. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&b, "1" "000000000000000000000000000000000000000");
	CHECK_INT(b.spilled, 1);
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_DONE);
	CHECK_INT(a.spilled, 1);
}

TEST_CASE(decimal_sum_merge_spill)
{
	DecimalSum	a = {0};
	DecimalSum	b = {0};
	DecimalSum	before;

	/* The sum of the held parts overflows. */
	add_text(&a, I128_MAX_TEXT);
	add_text(&b, "1");
	before = a;
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_SPILL);
	CHECK_INT128(a.held, before.held);
	CHECK_INT(a.held_scale, before.held_scale);
	CHECK_INT(a.spilled, 1);
	CHECK_INT(a.scale_rows, 2);

	/* into's held part cannot be raised to from's scale. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&a, "1" "0000000000000000000000000000000000000");
	add_text(&b, "0.01");
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_SPILL);
	CHECK_HELD_VALUE(a, "1" "0000000000000000000000000000000000000");
	CHECK_INT(a.scale, 2);
	CHECK_INT(a.scale_rows, 1);
	CHECK_INT(a.spilled, 1);

	/* from's held part cannot be raised to into's scale. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	add_text(&a, "0.01");
	add_text(&b, "1" "0000000000000000000000000000000000000");
	CHECK_STEP(decimal_sum_merge(&a, &b), DECIMAL_SPILL);
	CHECK_HELD_VALUE(a, "0.01");
	CHECK_INT(a.scale, 2);
	CHECK_INT(a.scale_rows, 1);
	CHECK_INT(a.spilled, 1);
}

TEST_CASE(decimal_sum_largest_scale)
{
	/* numeric's largest display scale, in a sum that shows it. */
	char	   *text = malloc(3 + DECIMAL_MAX_SCALE);
	char	   *out = malloc(DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE));
	DecimalSum	s = {0};
	TestNumeric *n = malloc(sizeof(TestNumeric));
	size_t		len;

	memcpy(text, "0.", 2);
	memset(text + 2, '0', DECIMAL_MAX_SCALE);
	text[2 + DECIMAL_MAX_SCALE] = '\0';
	CHECK_STEP(decimal_sum_add(&s, test_numeric(n, text, __FILE__, __LINE__)), DECIMAL_DONE);
	CHECK_INT(s.scale, DECIMAL_MAX_SCALE);
	len = decimal_format(s.held, s.held_scale, s.scale, out,
						 DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE));
	if (CHECK_UINT(len, 2 + DECIMAL_MAX_SCALE))
		CHECK(strcmp(out, text) == 0);

	/* The same from text. */
	memset(&s, 0, sizeof(s));
	if (decimal_sum_hold(&s, 0, DECIMAL_MAX_SCALE))
		CHECK_UINT(decimal_format(s.held, s.held_scale, DECIMAL_MAX_SCALE, out,
								  DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE)), 2 + DECIMAL_MAX_SCALE);
	free(n);
	free(out);
	free(text);
}

/* ---- decimal_format, decimal_parse ---- */

static bool
check_format(int128 value, int value_scale, int scale, const char *expected,
			 const char *file, int line)
{
	char	   *buf = malloc(DECIMAL_TEXT_MAX(scale));
	size_t		len = decimal_format(value, value_scale, scale, buf, DECIMAL_TEXT_MAX(scale));
	bool		ok;

	ok = test_check_uint(len, strlen(expected), "length", "strlen(expected)", file, line);
	if (ok)
		ok = test_check_str(buf, expected, "decimal_format()", "expected", file, line);
	free(buf);
	return ok;
}

#define CHECK_FORMAT(value, value_scale, scale, expected) \
	check_format((value), (value_scale), (scale), (expected), __FILE__, __LINE__)

TEST_CASE(decimal_format_values)
{
	CHECK_FORMAT(12345, 2, 2, "123.45");
	CHECK_FORMAT(-12345, 2, 2, "-123.45");
	CHECK_FORMAT(5, 2, 2, "0.05");
	CHECK_FORMAT(-5, 2, 4, "-0.0500");
	CHECK_FORMAT(0, 0, 0, "0");
	CHECK_FORMAT(0, 0, 3, "0.000");
	CHECK_FORMAT(0, 5, 5, "0.00000");
	CHECK_FORMAT(7, 0, 2, "7.00");
	CHECK_FORMAT(1000, 3, 3, "1.000");
	CHECK_FORMAT(1000, 0, 0, "1000");
	CHECK_FORMAT(I128_MAX, 0, 0, I128_MAX_TEXT);
	CHECK_FORMAT(I128_MIN, 0, 0, I128_MIN_TEXT);
	CHECK_FORMAT(I128_MAX, 0, 1, I128_MAX_TEXT ".0");
	CHECK_FORMAT(I128_MAX, 38, 38, "1.70141183460469231731687303715884105727");
	CHECK_FORMAT(I128_MIN, 39, 39, "-0.170141183460469231731687303715884105728");
	CHECK_FORMAT(I128_MIN, 40, 41, "-0.01701411834604692317316873037158841057280");
	CHECK_FORMAT(1, 60, 60, "0.000000000000000000000000000000000000000000000000000000000001");

	/* More places in the value than shown: they must be zeros, and go. */
	CHECK_FORMAT(1200, 4, 2, "0.12");
	CHECK_FORMAT(-100, 4, 2, "-0.01");
	CHECK_FORMAT(-10000, 4, 0, "-1");
	CHECK_FORMAT(0, 8, 2, "0.00");
	CHECK_FORMAT(67500, 4, 2, "6.75");
	CHECK_FORMAT(I128_MAX - 7, 1, 0, "17014118346046923173168730371588410572");

	/* The largest scale, and the buffer DECIMAL_TEXT_MAX says is enough. */
	{
		char	   *buf = malloc(DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE));
		size_t		len = decimal_format(I128_MIN, DECIMAL_MAX_SCALE, DECIMAL_MAX_SCALE,
										 buf, DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE));

		CHECK_UINT(len, 3 + DECIMAL_MAX_SCALE);
		CHECK_STR(buf + len - 39, "170141183460469231731687303715884105728");
		CHECK(strncmp(buf, "-0.000", 6) == 0);
		len = decimal_format(I128_MIN, 0, DECIMAL_MAX_SCALE, buf,
							 DECIMAL_TEXT_MAX(DECIMAL_MAX_SCALE));
		CHECK_UINT(len, 41 + DECIMAL_MAX_SCALE);
		free(buf);
	}
}

TEST_CASE(decimal_format_errors)
{
	char		buf[64];

	/* Nonzero digits below the scale would be lost. */
	CHECK_UINT(decimal_format(1, 3, 2, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(1230, 4, 2, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(-5000, 4, 0, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(I128_MAX, 1, 0, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(1, -1, 2, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(1, 0, DECIMAL_MAX_SCALE + 1, buf, sizeof(buf)), 0);
	CHECK_UINT(decimal_format(1, DECIMAL_MAX_SCALE + 1, DECIMAL_MAX_SCALE + 1, buf,
							  sizeof(buf)), 0);

	/* The buffer: the text and its NUL, not a byte less. */
	for (size_t size = 0; size <= 8; size++)
	{
		char	   *exact = malloc(size > 0 ? size : 1);

		CHECK_UINT(decimal_format(-12345, 2, 3, exact, size), 0);
		free(exact);
	}
	{
		char	   *exact = malloc(9);

		CHECK_UINT(decimal_format(-12345, 2, 3, exact, 9), 8);
		CHECK_STR(exact, "-123.450");
		free(exact);
	}
}

/* Parses an exact-length copy of text; checks the length used and the outcome. */
static bool
check_parse(const char *text, size_t expected_used, int128 expected, int expected_scale,
			bool expected_fits, const char *file, int line)
{
	size_t		len = strlen(text);
	unsigned char *copy = exact_copy(text, len);
	kpi_int128	value = 777;
	int			scale = -1;
	bool		fits = !expected_fits;
	size_t		used = decimal_parse((const char *) copy, len, &value, &scale, &fits);
	bool		ok;

	free(copy);
	ok = test_check_uint(used, expected_used, "decimal_parse()", "expected length", file, line);
	if (ok && used > 0)
	{
		ok &= test_check_int(scale, expected_scale, "scale", "expected scale", file, line);
		ok &= test_check_int(fits, expected_fits, "fits", "expected fits", file, line);
		if (ok && fits)
			ok &= test_check_int128(value, expected, "value", "expected", file, line);
	}
	return ok;
}

#define CHECK_PARSE(text, value, scale) \
	check_parse((text), strlen(text), (value), (scale), true, __FILE__, __LINE__)
#define CHECK_PARSE_PREFIX(text, used, value, scale) \
	check_parse((text), (used), (value), (scale), true, __FILE__, __LINE__)
#define CHECK_PARSE_TOO_BIG(text, scale) \
	check_parse((text), strlen(text), 0, (scale), false, __FILE__, __LINE__)
#define CHECK_PARSE_SYNTAX(text) \
	check_parse((text), 0, 0, 0, false, __FILE__, __LINE__)

TEST_CASE(decimal_parse_values)
{
	CHECK_PARSE("123.45", 12345, 2);
	CHECK_PARSE("-123.45", -12345, 2);
	CHECK_PARSE("-0.0500", -500, 4);
	CHECK_PARSE("0", 0, 0);
	CHECK_PARSE("-0", 0, 0);
	CHECK_PARSE("-0.00", 0, 2);
	CHECK_PARSE("007", 7, 0);
	CHECK_PARSE("000.100", 100, 3);
	CHECK_PARSE("1000000000000000.000000", int128_from_text("1000000000000000000000"), 6);
	CHECK_PARSE(I128_MAX_TEXT, I128_MAX, 0);
	CHECK_PARSE("-" I128_MAX_TEXT, -I128_MAX, 0);
	CHECK_PARSE("0000000000" I128_MAX_TEXT, I128_MAX, 0);
	CHECK_PARSE("1.70141183460469231731687303715884105727", I128_MAX, 38);
	CHECK_PARSE("17014118346046923173168730371588410572.7", I128_MAX, 1);

	/* Valid decimals that do not fit: the caller reads them some other way. */
	CHECK_PARSE_TOO_BIG("170141183460469231731687303715884105728", 0);
	CHECK_PARSE_TOO_BIG("-170141183460469231731687303715884105729", 0);
	CHECK_PARSE_TOO_BIG("1.70141183460469231731687303715884105728", 38);
	CHECK_PARSE_TOO_BIG("99999999999999999999999999999999999999999999999999.5", 1);
	CHECK_PARSE("0.0000000000000000000000000000000000000000000000000000000001", 1, 58);
	CHECK_PARSE_TOO_BIG("1000000000000000000000000000000000000000", 0);

	/* A decimal followed by something else: its length says where it ends. */
	CHECK_PARSE_PREFIX("12.5 rest", 4, 125, 1);
	CHECK_PARSE_PREFIX("1.2.3", 3, 12, 1);
	CHECK_PARSE_PREFIX("7e5", 1, 7, 0);
	CHECK_PARSE_PREFIX("-3,5", 2, -3, 0);
}

TEST_CASE(decimal_parse_int128_min)
{
	/*
	 * INT128_MIN fits in kpi_int128, and decimal_format() writes it (a held
	 * sum can reach it), so its text must read back as fitting.
	 */
	CHECK_PARSE(I128_MIN_TEXT, I128_MIN, 0);
	CHECK_PARSE("-1.70141183460469231731687303715884105728", I128_MIN, 38);
}

TEST_CASE(decimal_parse_syntax)
{
	static const char *const bad[] = {
		"", "-", "--1", ".5", "-.5", "1..2", "+1", " 1", "x", "-x", ".", "1.x", "1. ",
		"\xff", "1.-2",
	};
	kpi_int128	value;
	int			scale;
	bool		fits;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_PARSE_SYNTAX(bad[i]);

	/* "1." is not a whole decimal: at most the "1" is. */
	{
		unsigned char *copy = exact_copy("1.", 2);

		CHECK(decimal_parse((const char *) copy, 2, &value, &scale, &fits) < 2);
		free(copy);
		copy = exact_copy("-1.", 3);
		CHECK(decimal_parse((const char *) copy, 3, &value, &scale, &fits) < 3);
		free(copy);
	}

	/* The length bounds the text, NUL or not. */
	{
		unsigned char *copy = exact_copy("12.5", 4);

		CHECK_UINT(decimal_parse((const char *) copy, 0, &value, &scale, &fits), 0);
		CHECK_UINT(decimal_parse((const char *) copy, 1, &value, &scale, &fits), 1);
		CHECK_INT128(value, 1);
		CHECK(decimal_parse((const char *) copy, 3, &value, &scale, &fits) < 3);
		CHECK_UINT(decimal_parse((const char *) copy, 4, &value, &scale, &fits), 4);
		CHECK_INT128(value, 125);
		free(copy);
	}
}

TEST_CASE(decimal_parse_scale_limit)
{
	size_t		len = 2 + DECIMAL_MAX_SCALE + 1;
	char	   *text = malloc(len);
	kpi_int128	value = 0;
	int			scale = 0;
	bool		fits = false;

	/* 0.000...01 with exactly DECIMAL_MAX_SCALE places: valid, and fits. */
	memcpy(text, "0.", 2);
	memset(text + 2, '0', DECIMAL_MAX_SCALE);
	text[len - 2] = '1';
	CHECK_UINT(decimal_parse(text, len - 1, &value, &scale, &fits), len - 1);
	CHECK_INT(scale, DECIMAL_MAX_SCALE);
	CHECK(fits);
	CHECK_INT128(value, 1);

	/* One place more is out of range, and *scale says so. */
	text[len - 1] = '5';
	scale = 0;
	CHECK_UINT(decimal_parse(text, len, &value, &scale, &fits), 0);
	CHECK(scale > DECIMAL_MAX_SCALE);
	free(text);
}

TEST_CASE(decimal_text_round_trip)
{
	static const struct
	{
		const char *text;
		int			scale;
	}			cases[] = {
		{"0", 0}, {"0.00", 2}, {"-0.01", 2}, {"123.45", 2}, {"-99999999999999.999999", 6},
		{I128_MAX_TEXT, 0}, {"-" I128_MAX_TEXT, 0},
		{"1.70141183460469231731687303715884105727", 38},
		{"-0.000000000000000000000000000000000000000000000000000000000000000000000000001", 75},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const char *text = cases[i].text;
		kpi_int128	value;
		int			scale;
		bool		fits;
		char		buf[DECIMAL_TEXT_MAX(80)];

		if (!CHECK_UINT(decimal_parse(text, strlen(text), &value, &scale, &fits), strlen(text)))
			continue;
		CHECK_INT(scale, cases[i].scale);
		if (!CHECK(fits))
		{
			printf("    %s\n", text);
			continue;
		}
		CHECK_UINT(decimal_format(value, scale, scale, buf, sizeof(buf)), strlen(text));
		CHECK_STR(buf, text);
	}
}

/* ---- a 256-bit two's complement model ---- */

#define BIG_LIMBS 12

typedef struct Big
{
	uint32_t	limb[BIG_LIMBS];	/* least significant first */
} Big;

static const Big big_zero;

static void
big_from_int128(Big *b, int128 v)
{
	uint128		u = (uint128) v;

	for (int i = 0; i < BIG_LIMBS; i++)
	{
		b->limb[i] = i < 4 ? (uint32_t) u : (v < 0 ? UINT32_MAX : 0);
		u >>= 32;
	}
}

static bool
big_is_negative(const Big *b)
{
	return (b->limb[BIG_LIMBS - 1] >> 31) != 0;
}

static void
big_add(Big *a, const Big *b)
{
	uint64_t	carry = 0;

	for (int i = 0; i < BIG_LIMBS; i++)
	{
		uint64_t	s = (uint64_t) a->limb[i] + b->limb[i] + carry;

		a->limb[i] = (uint32_t) s;
		carry = s >> 32;
	}
}

static void
big_negate(Big *a)
{
	Big			one;

	for (int i = 0; i < BIG_LIMBS; i++)
		a->limb[i] = ~a->limb[i];
	big_from_int128(&one, 1);
	big_add(a, &one);
}

static void
big_sub(Big *a, const Big *b)
{
	Big			neg = *b;

	big_negate(&neg);
	big_add(a, &neg);
}

static void
big_mul_small(Big *a, uint32_t m)
{
	uint64_t	carry = 0;

	for (int i = 0; i < BIG_LIMBS; i++)
	{
		uint64_t	p = (uint64_t) a->limb[i] * m + carry;

		a->limb[i] = (uint32_t) p;
		carry = p >> 32;
	}
}

static void
big_mul_pow10(Big *a, int n)
{
	for (int i = 0; i < n; i++)
		big_mul_small(a, 10);
}

/* Divides a non-negative a by d; returns the remainder. */
static uint32_t
big_divmod_small(Big *a, uint32_t d)
{
	uint64_t	rem = 0;

	for (int i = BIG_LIMBS - 1; i >= 0; i--)
	{
		uint64_t	cur = (rem << 32) | a->limb[i];

		a->limb[i] = (uint32_t) (cur / d);
		rem = cur % d;
	}
	return (uint32_t) rem;
}

static bool
big_equal(const Big *a, const Big *b)
{
	return memcmp(a, b, sizeof(Big)) == 0;
}

static bool
big_is_zero(const Big *a)
{
	return big_equal(a, &big_zero);
}

/* |a| < 10^n */
static bool
big_abs_below_pow10(const Big *a, int n)
{
	Big			m = *a;

	if (big_is_negative(&m))
		big_negate(&m);
	for (int i = 0; i < n; i++)
		big_divmod_small(&m, 10);
	return big_is_zero(&m);
}

/* Whether a fits in an int128, and its value if so. */
static bool
big_to_int128(const Big *a, int128 *out)
{
	uint32_t	fill = big_is_negative(a) ? UINT32_MAX : 0;
	uint128		u = 0;

	for (int i = 4; i < BIG_LIMBS; i++)
		if (a->limb[i] != fill)
			return false;
	if ((a->limb[3] >> 31) != (fill & 1))
		return false;
	for (int i = 3; i >= 0; i--)
		u = (u << 32) | a->limb[i];
	*out = (int128) u;
	return true;
}

/*
 * Writes a (a value times 10^value_scale) with scale <= value_scale places,
 * as decimal_format() would; "(inexact)" if nonzero places would be lost.
 * buf needs 120 bytes.
 */
static const char *
big_format(const Big *a, int value_scale, int scale, char *buf, size_t size)
{
	Big			m = *a;
	bool		negative = big_is_negative(a);
	char		digits[120];
	int			n = 0;
	size_t		used = 0;

	if (negative)
		big_negate(&m);
	for (int i = scale; i < value_scale; i++)
		if (big_divmod_small(&m, 10) != 0)
		{
			snprintf(buf, size, "(inexact)");
			return buf;
		}
	do
		digits[n++] = (char) ('0' + big_divmod_small(&m, 10));
	while (!big_is_zero(&m));
	while (n <= scale)
		digits[n++] = '0';
	if (negative)
		buf[used++] = '-';
	for (int i = n - 1; i >= 0; i--)
	{
		buf[used++] = digits[i];
		if (i == scale && scale > 0)
			buf[used++] = '.';
	}
	buf[used] = '\0';
	return buf;
}

/*
 * The model's scale: every value is kept times 10^8, above both the scales
 * generated (GEN_SCALE) and the held scales the core picks for them.
 */
#define MODEL_SCALE 8
#define GEN_SCALE 6

/* The value text spells, times 10^MODEL_SCALE (its scale must be at most that). */
static void
big_from_text(Big *b, const char *text)
{
	bool		negative = *text == '-';
	int			places = -1;
	Big			digit;

	*b = big_zero;
	for (text += negative; *text != '\0'; text++)
	{
		if (*text == '.')
		{
			places = 0;
			continue;
		}
		big_mul_small(b, 10);
		big_from_int128(&digit, *text - '0');
		big_add(b, &digit);
		if (places >= 0)
			places++;
	}
	big_mul_pow10(b, MODEL_SCALE - (places < 0 ? 0 : places));
	if (negative)
		big_negate(b);
}

/*
 * held * 10^-held_scale, times 10^MODEL_SCALE; false if that is no integer
 * (a held part more precise than any value that went in).
 */
static bool
big_from_held(Big *b, const DecimalSum *s)
{
	bool		negative = s->held < 0;
	bool		exact = true;

	big_from_int128(b, s->held);
	if (s->held_scale <= MODEL_SCALE)
	{
		big_mul_pow10(b, MODEL_SCALE - s->held_scale);
		return true;
	}
	if (negative)
		big_negate(b);
	for (int i = MODEL_SCALE; i < s->held_scale; i++)
		exact &= big_divmod_small(b, 10) == 0;
	if (negative)
		big_negate(b);
	return exact;
}

/* ---- property tests ---- */

#define SEQUENCES 100000

/* A random decimal of scale 0..max_scale, mostly money-sized, now and then huge. */
static int
random_decimal_text(Prng *prng, char *buf, int max_scale, int max_huge_digits)
{
	int			scale = (int) prng_below(prng, (uint64_t) max_scale + 1);
	int			int_digits;
	size_t		used = 0;
	int			kind = (int) prng_below(prng, 64);

	if (kind == 0 && max_huge_digits > 15)
		int_digits = 16 + (int) prng_below(prng, (uint64_t) max_huge_digits - 15);
	else
		int_digits = (int) prng_below(prng, 16);
	if (prng_below(prng, 3) == 0)
		buf[used++] = '-';
	if (int_digits == 0)
		buf[used++] = '0';
	for (int i = 0; i < int_digits; i++)
		buf[used++] = (char) ('0' + prng_below(prng, 10));
	if (scale > 0)
	{
		bool		zeros = prng_below(prng, 8) == 0;

		buf[used++] = '.';
		for (int i = 0; i < scale; i++)
			buf[used++] = zeros ? '0' : (char) ('0' + prng_below(prng, 10));
	}
	buf[used] = '\0';
	return scale;
}

TEST_CASE(property_numeric_scaled)
{
	Prng		prng = {20250101};

	/* Against the model, for scales around and far from the dscale. */
	for (int i = 0; i < SEQUENCES; i++)
	{
		char		text[128];
		int			dscale = random_decimal_text(&prng, text, GEN_SCALE, 44);
		int			scale = (int) prng_below(&prng, 41);
		TestNumeric n;
		const NumericView *v = NUMERIC(&n, text);
		Big			expected;
		int128		expected_value = 0;
		bool		expected_fits;
		kpi_int128	x = 0;
		bool		fits;
		bool		ok = true;

		big_from_text(&expected, text);
		if (scale <= MODEL_SCALE)
		{
			Big			m = expected;
			bool		exact = true;

			if (big_is_negative(&m))
				big_negate(&m);
			for (int k = scale; k < MODEL_SCALE; k++)
				exact &= big_divmod_small(&m, 10) == 0;
			if (big_is_negative(&expected))
				big_negate(&m);
			expected = m;
			expected_fits = exact && big_to_int128(&expected, &expected_value);
		}
		else
		{
			big_mul_pow10(&expected, scale - MODEL_SCALE);
			expected_fits = big_to_int128(&expected, &expected_value);
		}
		/* INT128_MIN may go either way; see numeric_scaled_int128_limit. */
		if (expected_fits && expected_value == I128_MIN)
			continue;

		fits = numeric_view_scaled(v, scale, &x);
		ok &= CHECK_INT(fits, expected_fits);
		if (ok && fits)
			ok &= CHECK_INT128(x, expected_value);
		(void) dscale;
		if (!ok)
		{
			printf("    iteration %d: %s at scale %d\n", i, text, scale);
			return;
		}
	}
}

/* One value in the model's multiset. */
typedef struct Entry
{
	char		text[64];
	int			scale;
	bool		is_int64;
	int64_t		int64;
	Big			scaled;			/* times 10^MODEL_SCALE */
} Entry;

#define MAX_ENTRIES 48

/* The core's sum as the PostgreSQL layer holds it: a DecimalSum and a spill. */
typedef struct SumWithSpill
{
	DecimalSum	sum;
	Big			spill;			/* times 10^MODEL_SCALE */
} SumWithSpill;

static void
random_entry(Prng *prng, Entry *e, bool near_limit)
{
	memset(e, 0, sizeof(*e));
	if (near_limit && prng_below(prng, 2) == 0)
	{
		/*
		 * Integers of 37 to 39 digits: a held part at scale 0 overflows after
		 * a few of them, and the largest do not fit at all.
		 */
		int			ndigits = 37 + (int) prng_below(prng, 3);
		size_t		used = 0;

		if (prng_below(prng, 2) == 0)
			e->text[used++] = '-';
		e->text[used++] = (char) ('1' + prng_below(prng, ndigits == 39 ? 2 : 9));
		for (int i = 1; i < ndigits; i++)
			e->text[used++] = (char) ('0' + prng_below(prng, 10));
		e->text[used] = '\0';
		e->scale = 0;
	}
	else if (prng_below(prng, 8) == 0 || near_limit)
	{
		e->is_int64 = true;
		switch (prng_below(prng, 4))
		{
			case 0:
				e->int64 = prng_below(prng, 2) ? INT64_MAX : INT64_MIN;
				break;
			case 1:
				e->int64 = -prng_count(prng);
				break;
			default:
				e->int64 = (int64_t) prng_below(prng, 2000) - 1000;
				break;
		}
		snprintf(e->text, sizeof(e->text), "%" PRId64, e->int64);
		e->scale = 0;
	}
	else
		e->scale = random_decimal_text(prng, e->text, GEN_SCALE, 38);
	big_from_text(&e->scaled, e->text);
}

/* Adds or removes e the way the PostgreSQL layer will: a spill goes aside. */
static DecimalStep
apply_entry(SumWithSpill *s, const Entry *e, bool add)
{
	DecimalStep step;

	if (e->is_int64)
		step = add ? decimal_sum_add_int64(&s->sum, e->int64)
			: decimal_sum_remove_int64(&s->sum, e->int64);
	else
	{
		TestNumeric n;
		const NumericView *v = NUMERIC(&n, e->text);

		step = add ? decimal_sum_add(&s->sum, v) : decimal_sum_remove(&s->sum, v);
	}
	if (step == DECIMAL_SPILL)
	{
		if (add)
			big_add(&s->spill, &e->scaled);
		else
			big_sub(&s->spill, &e->scaled);
	}
	return step;
}

/* Held part plus spill, times 10^MODEL_SCALE. */
static bool
total_of(const SumWithSpill *s, Big *total)
{
	bool		exact = big_from_held(total, &s->sum);

	big_add(total, &s->spill);
	return exact;
}

/* Checks a sum against the multiset it should hold. */
static bool
check_against_model(const SumWithSpill *s, const Entry *entries, int n)
{
	Big			reference = big_zero;
	Big			total;
	int			max_scale = 0;
	int64_t		at_max = 0;
	bool		ok = true;
	char		want[120];
	char		got[120];

	for (int i = 0; i < n; i++)
	{
		big_add(&reference, &entries[i].scaled);
		if (entries[i].scale > max_scale)
		{
			max_scale = entries[i].scale;
			at_max = 0;
		}
		if (entries[i].scale == max_scale)
			at_max++;
	}
	ok &= CHECK_INT(s->sum.scale, max_scale);
	ok &= CHECK_INT(s->sum.scale_rows, at_max);
	ok &= CHECK(s->sum.held_scale >= 0 && s->sum.held_scale <= MODEL_SCALE);
	if (!big_is_zero(&s->spill))
		ok &= CHECK(s->sum.spilled);

	ok &= CHECK(total_of(s, &total));
	big_format(&reference, MODEL_SCALE, max_scale, want, sizeof(want));
	big_format(&total, MODEL_SCALE, max_scale, got, sizeof(got));
	ok &= CHECK_STR(got, want);
	ok &= CHECK(big_equal(&total, &reference));
	/* The held part shows at the display scale: it has no finer digits. */
	{
		char		text[DECIMAL_TEXT_MAX(MODEL_SCALE)];
		Big			held;

		ok &= CHECK(decimal_format(s->sum.held, s->sum.held_scale, s->sum.scale,
								   text, sizeof(text)) > 0);
		if (!s->sum.spilled)
			ok &= CHECK_STR(text, want);
		else if (big_from_held(&held, &s->sum))
		{
			big_format(&held, MODEL_SCALE, max_scale, want, sizeof(want));
			ok &= CHECK_STR(text, want);
		}
	}
	return ok;
}

static void
print_entries(const Entry *entries, int n)
{
	printf("    values:");
	for (int i = 0; i < n; i++)
		printf(" %s", entries[i].text);
	printf("\n");
}

/* Rebuilds a sum from scratch, as the window machinery does after a restart. */
static bool
rebuild(SumWithSpill *s, const Entry *entries, int n)
{
	bool		ok = true;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++)
	{
		DecimalStep step = apply_entry(s, &entries[i], true);

		ok &= CHECK(step == DECIMAL_DONE || step == DECIMAL_SPILL);
	}
	return ok;
}

TEST_CASE(property_decimal_sum_sequences)
{
	Prng		prng = {8675309};
	long		seen[DECIMAL_NOT_IN_SUM + 1] = {0};

	/* About 12 operations a sequence: some 300k checked steps. */
	for (int seq = 0; seq < SEQUENCES / 4; seq++)
	{
		Entry		entries[MAX_ENTRIES];
		int			n = 0;
		SumWithSpill s;
		int			nops = 1 + (int) prng_below(&prng, 24);
		/* One sequence in four near the 128-bit limit, at scale 0. */
		bool		near_limit = prng_below(&prng, 4) == 0;

		memset(&s, 0, sizeof(s));
		for (int op = 0; op < nops; op++)
		{
			int			kind = (int) prng_below(&prng, 10);
			SumWithSpill before = s;
			Entry		e;
			int			at = -1;
			bool		add;
			DecimalStep expected = DECIMAL_DONE;
			DecimalStep step;
			bool		ok = true;
			bool		must_hold;
			Big			held;

			if (n == 0 || (kind < 5 && n < MAX_ENTRIES))
			{
				random_entry(&prng, &e, near_limit);
				add = true;
			}
			else if (kind < 9 || s.sum.scale >= GEN_SCALE)
			{
				int			at_scale = 0;

				at = (int) prng_below(&prng, (uint64_t) n);
				e = entries[at];
				add = false;
				for (int i = 0; i < n; i++)
					at_scale += entries[i].scale == s.sum.scale;
				if (e.scale == s.sum.scale && at_scale <= 1 && s.sum.scale > 0)
					expected = DECIMAL_RESTART;
			}
			else
			{
				/* A value never added, more precise than the sum. */
				do
					random_entry(&prng, &e, false);
				while (e.scale <= s.sum.scale);
				add = false;
				expected = DECIMAL_NOT_IN_SUM;
			}

			/* A small value on a small held part must not spill. */
			ok &= CHECK(big_from_held(&held, &s.sum));
			must_hold = big_abs_below_pow10(&e.scaled, 30) &&
				big_abs_below_pow10(&held, 36) &&
				(add || e.scale <= s.sum.held_scale);

			step = apply_entry(&s, &e, add);
			seen[step]++;
			if (expected == DECIMAL_DONE)
			{
				ok &= CHECK(step == DECIMAL_DONE || step == DECIMAL_SPILL);
				if (must_hold)
					ok &= CHECK_STEP(step, DECIMAL_DONE);
				if (step == DECIMAL_SPILL)
					ok &= CHECK(s.sum.spilled);
			}
			else
			{
				ok &= CHECK_STEP(step, expected);
				ok &= CHECK(same_sum(&s.sum, &before.sum));
			}

			if (step == DECIMAL_RESTART)
			{
				entries[at] = entries[--n];
				ok &= rebuild(&s, entries, n);
			}
			else if (add)
				entries[n++] = e;
			else if (at >= 0)
				entries[at] = entries[--n];

			ok &= check_against_model(&s, entries, n);
			if (!ok)
			{
				printf("    sequence %d, operation %d: %s %s\n", seq, op,
					   add ? "add" : "remove", e.text);
				print_entries(entries, n);
				return;
			}
		}
	}
	/* Every outcome was reached. */
	for (int step = DECIMAL_DONE; step <= DECIMAL_NOT_IN_SUM; step++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "the generator reached step %d", step);
		test_check(seen[step] > 0, what, __FILE__, __LINE__);
	}
}

TEST_CASE(property_decimal_sum_merge)
{
	Prng		prng = {1234567};
	long		spills = 0;

	/* Any split of the rows, merged, holds the same total as the whole. */
	for (int i = 0; i < SEQUENCES / 4; i++)
	{
		Entry		entries[MAX_ENTRIES];
		int			n = (int) prng_below(&prng, 24);
		int			nparts = 1 + (int) prng_below(&prng, 4);
		bool		near_limit = prng_below(&prng, 4) == 0;
		SumWithSpill whole;
		SumWithSpill parts[4];
		bool		ok = true;

		memset(&whole, 0, sizeof(whole));
		memset(parts, 0, sizeof(parts));
		for (int k = 0; k < n; k++)
		{
			int			part = (int) prng_below(&prng, (uint64_t) nparts);

			random_entry(&prng, &entries[k], near_limit);
			apply_entry(&whole, &entries[k], true);
			apply_entry(&parts[part], &entries[k], true);
		}
		for (int p = 1; p < nparts; p++)
		{
			DecimalStep step = decimal_sum_merge(&parts[0].sum, &parts[p].sum);

			big_add(&parts[0].spill, &parts[p].spill);
			if (step == DECIMAL_SPILL)
			{
				Big			held;

				spills++;
				ok &= CHECK(big_from_held(&held, &parts[p].sum));
				big_add(&parts[0].spill, &held);
				ok &= CHECK(parts[0].sum.spilled);
			}
			else
				ok &= CHECK_STEP(step, DECIMAL_DONE);
		}
		ok &= check_against_model(&parts[0], entries, n);
		ok &= CHECK_INT(parts[0].sum.scale, whole.sum.scale);
		ok &= CHECK_INT(parts[0].sum.scale_rows, whole.sum.scale_rows);
		if (!ok)
		{
			printf("    iteration %d, %d parts\n", i, nparts);
			print_entries(entries, n);
			return;
		}
	}
	CHECK(spills > 0);
}

TEST_CASE(property_decimal_text_round_trip)
{
	Prng		prng = {42};

	for (int i = 0; i < SEQUENCES; i++)
	{
		unsigned	bits = (unsigned) prng_below(&prng, 128);
		int128		value = bits == 0 ? 0 : (int128) (((uint128) prng_next(&prng) << 64 |
													  prng_next(&prng)) >> (128 - bits));
		int			value_scale = (int) prng_below(&prng, 45);
		int			scale = value_scale + (int) prng_below(&prng, 3);
		char		text[DECIMAL_TEXT_MAX(48)];
		char		want[120];
		Big			b;
		size_t		len;
		kpi_int128	parsed = 0;
		int			parsed_scale = -1;
		bool		fits = false;
		bool		ok = true;

		if (prng_below(&prng, 2) == 0)
			value = -value;
		if (prng_below(&prng, 64) == 0)
			value = prng_below(&prng, 2) ? I128_MAX : I128_MIN + 1;

		len = decimal_format(value, value_scale, scale, text, sizeof(text));
		big_from_int128(&b, value);
		big_mul_pow10(&b, scale - value_scale);
		big_format(&b, scale, scale, want, sizeof(want));
		ok &= CHECK_STR(text, want);
		ok &= CHECK_UINT(len, strlen(want));
		ok &= CHECK_UINT(decimal_parse(text, len, &parsed, &parsed_scale, &fits), len);
		ok &= CHECK_INT(parsed_scale, scale);
		if (scale == value_scale)
		{
			ok &= CHECK(fits);
			ok &= CHECK_INT128(parsed, value);
		}
		else
		{
			int128		expected;
			bool		expected_fits = big_to_int128(&b, &expected);

			ok &= CHECK_INT(fits, expected_fits);
			if (fits && expected_fits)
				ok &= CHECK_INT128(parsed, expected);
		}
		if (!ok)
		{
			printf("    iteration %d: %s\n", i, text);
			return;
		}
	}
}
