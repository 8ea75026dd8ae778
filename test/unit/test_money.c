/*
 * test_money.c: the shared text scanner (summary_text.c) with decimal and
 * float fields, and the money-KPI states (money.h, money.c).
 *
 * Every scan goes through scan_exact(), so each case is also an over-read
 * test under AddressSanitizer.
 */
#include "tests.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/summary_text.h"

typedef __int128 int128;

/* A count, a decimal and a float: one field of each kind. */
static const TextField mixed_fields[] = {
	{"n", TEXT_FIELD_COUNT},
	{"amount", TEXT_FIELD_DECIMAL},
	{"x", TEXT_FIELD_FLOAT},
};

/* Scans a literal with the mixed fields; checks the outcome in one line. */
#define CHECK_SCAN_ERROR(literal, status, position, field) \
	do { \
		TextFieldValue values_[3]; \
		DecodeError error_; \
		CHECK_DECODE(SCAN_LITERAL(literal, mixed_fields, 3, values_, &error_), (status)); \
		CHECK_DECODE_ERROR(&error_, (status), (position), (field)); \
	} while (0)

/* ---- summary_text_scan ---- */

TEST_CASE(summary_text_decimal_fields)
{
	TextFieldValue values[3];
	DecodeError error;
	static const char text[] = "v1 n=3 amount=-12.50 x=1.5";
	static const char big[] = "v1 n=0 amount=1000000000000000000000000000000000000000.5 x=0";

	CHECK_DECODE(SCAN_LITERAL(text, mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_DECODE_ERROR(&error, DECODE_OK, sizeof(text) - 1, -1);
	CHECK_INT(values[0].count, 3);
	CHECK_INT128(values[1].decimal, -1250);
	CHECK_INT(values[1].decimal_scale, 2);
	CHECK(values[1].decimal_fits);
	CHECK_UINT(values[1].text_offset, 14);
	CHECK_UINT(values[1].text_len, 6);
	CHECK_DOUBLE(values[2].number, 1.5);

	/* A decimal too large to hold is still valid: the caller reads its text. */
	CHECK_DECODE(SCAN_LITERAL(big, mixed_fields, 3, values, &error), DECODE_OK);
	CHECK(!values[1].decimal_fits);
	CHECK_INT(values[1].decimal_scale, 1);
	CHECK_UINT(values[1].text_offset, 14);
	CHECK_UINT(values[1].text_len, 42);

	CHECK_DECODE(SCAN_LITERAL("v1 n=0 amount=-0.000 x=0", mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_INT128(values[1].decimal, 0);
	CHECK_INT(values[1].decimal_scale, 3);
	CHECK_DECODE(SCAN_LITERAL("v1 n=0 amount=0007 x=0", mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_INT128(values[1].decimal, 7);
	CHECK_UINT(values[1].text_len, 4);
}

TEST_CASE(summary_text_decimal_scale_limit)
{
	/* "v1 n=0 amount=0.<places> x=0" */
	size_t		places = DECIMAL_MAX_SCALE + 1;
	size_t		len = 16 + places + 4;
	char	   *text = malloc(len);
	TextFieldValue values[3];
	DecodeError error;

	memcpy(text, "v1 n=0 amount=0.", 16);
	memset(text + 16, '0', places);
	memcpy(text + 16 + places, " x=0", 4);
	CHECK_DECODE(scan_exact(text, len, mixed_fields, 3, values, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 14, 1);

	/* One place fewer is fine. */
	memmove(text + 16, text + 17, len - 17);
	CHECK_DECODE(scan_exact(text, len - 1, mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_INT(values[1].decimal_scale, DECIMAL_MAX_SCALE);
	free(text);
}

TEST_CASE(summary_text_float_fields)
{
	static const struct
	{
		const char *text;
		double		value;
	}			cases[] = {
		{"v1 n=0 amount=0 x=0", 0.0},
		{"v1 n=0 amount=0 x=-0", -0.0},
		{"v1 n=0 amount=0 x=1.5e-07", 1.5e-07},
		{"v1 n=0 amount=0 x=1E+3", 1000.0},
		{"v1 n=0 amount=0 x=123.456e2", 12345.6},
		{"v1 n=0 amount=0 x=0.1", 0.1},
		{"v1 n=0 amount=0 x=-2.5e-3", -0.0025},
		{"v1 n=0 amount=0 x=1.7976931348623157e308", DBL_MAX},
		{"v1 n=0 amount=0 x=-1.7976931348623157e+308", -DBL_MAX},
		{"v1 n=0 amount=0 x=2.2250738585072014e-308", DBL_MIN},
		{"v1 n=0 amount=0 x=0.30000000000000004", 0.30000000000000004},
		{"v1 n=0 amount=0 x=00012", 12.0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		TextFieldValue values[3];
		DecodeError error;

		if (CHECK_DECODE(scan_exact(cases[i].text, strlen(cases[i].text), mixed_fields, 3,
									values, &error), DECODE_OK))
		{
			CHECK_DOUBLE(values[2].number, cases[i].value);
			CHECK_INT(signbit(values[2].number), signbit(cases[i].value));
		}
	}
}

TEST_CASE(summary_text_whitespace)
{
	TextFieldValue values[3];
	DecodeError error;
	static const char text[] = "\t v1 \n n=1\r\n  amount=2.5\f\vx=3  \n";

	CHECK_DECODE(SCAN_LITERAL(text, mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_DECODE_ERROR(&error, DECODE_OK, sizeof(text) - 1, -1);
	CHECK_INT(values[0].count, 1);
	CHECK_INT128(values[1].decimal, 25);
	CHECK_UINT(values[1].text_offset, 21);
	CHECK_DOUBLE(values[2].number, 3.0);

	/* At least one space before each field, and none inside one. */
	CHECK_SCAN_ERROR("v1n=1 amount=2 x=3", DECODE_SYNTAX, 2, 0);
	CHECK_SCAN_ERROR("v1 n=1amount=2 x=3", DECODE_SYNTAX, 6, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=2x=3", DECODE_SYNTAX, 15, 2);
	CHECK_SCAN_ERROR("v1 n =1 amount=2 x=3", DECODE_SYNTAX, 3, 0);
	CHECK_SCAN_ERROR("v1 n= 1 amount=2 x=3", DECODE_SYNTAX, 5, 0);
	CHECK_SCAN_ERROR("v1 n=1 amount= 2 x=3", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=2 x= 3", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=- 2 x=3", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=2 x=- 3", DECODE_SYNTAX, 19, 2);
}

TEST_CASE(summary_text_field_order)
{
	CHECK_SCAN_ERROR("v1 amount=1 n=1 x=1", DECODE_SYNTAX, 3, 0);
	CHECK_SCAN_ERROR("v1 n=1 x=1 amount=1", DECODE_SYNTAX, 7, 1);
	/* Missing and extra fields. */
	CHECK_SCAN_ERROR("v1 n=1 amount=2", DECODE_SYNTAX, 15, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=2 ", DECODE_SYNTAX, 16, 2);
	CHECK_SCAN_ERROR("v1", DECODE_SYNTAX, 2, 0);
	CHECK_SCAN_ERROR("v1 n=1 amount=2 x=3 y=4", DECODE_SYNTAX, 20, -1);
	/* A name is matched whole. */
	CHECK_SCAN_ERROR("v1 nn=1 amount=2 x=3", DECODE_SYNTAX, 3, 0);
	CHECK_SCAN_ERROR("v1 n=1 amounts=2 x=3", DECODE_SYNTAX, 7, 1);
	CHECK_SCAN_ERROR("v1 n=1 amoun=2 x=3", DECODE_SYNTAX, 7, 1);
	CHECK_SCAN_ERROR("v1 n=1 amoun", DECODE_SYNTAX, 7, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount", DECODE_SYNTAX, 7, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 AMOUNT=2 x=3", DECODE_SYNTAX, 7, 1);
}

TEST_CASE(summary_text_syntax_errors)
{
	CHECK_SCAN_ERROR("", DECODE_SYNTAX, 0, -1);
	CHECK_SCAN_ERROR("   ", DECODE_SYNTAX, 3, -1);
	CHECK_SCAN_ERROR("v", DECODE_SYNTAX, 1, -1);
	CHECK_SCAN_ERROR("x1 n=1 amount=2 x=3", DECODE_SYNTAX, 0, -1);
	{
		TextFieldValue values[3];
		DecodeError error;

		CHECK_DECODE(SCAN_LITERAL("v2 n=1 amount=2 x=3", mixed_fields, 3, values, &error),
					 DECODE_VERSION);
		CHECK_DECODE_ERROR(&error, DECODE_VERSION, 2, -1);
		CHECK_UINT(error.version, 2);
	}

	/* Decimals. */
	CHECK_SCAN_ERROR("v1 n=1 amount=abc x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=1. x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=.5 x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=+1 x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=1..2 x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=- x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=--1 x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=1e5 x=1", DECODE_SYNTAX, 15, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1.2.3 x=1", DECODE_SYNTAX, 17, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1,5 x=1", DECODE_SYNTAX, 15, 2);
	/* "1." at the very end: rejected, wherever the parser notices. */
	{
		static const TextField two[] = {{"n", TEXT_FIELD_COUNT}, {"amount", TEXT_FIELD_DECIMAL}};
		TextFieldValue values[2];
		DecodeError error;

		CHECK_DECODE(SCAN_LITERAL("v1 n=1 amount=1.", two, 2, values, &error), DECODE_SYNTAX);
		CHECK(error.position == 14 || error.position == 15);
		CHECK_DECODE(SCAN_LITERAL("v1 n=1 amount=-", two, 2, values, &error), DECODE_SYNTAX);
		CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 14, 1);
	}

	/* Floats. */
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1.", DECODE_SYNTAX, 20, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1.e5", DECODE_SYNTAX, 20, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1e", DECODE_SYNTAX, 20, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1e+", DECODE_SYNTAX, 21, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1e-x", DECODE_SYNTAX, 21, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=.5", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=+5", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=-", DECODE_SYNTAX, 19, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=--5", DECODE_SYNTAX, 19, 2);
	/* strtod never sees more than the checked token. */
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=0x10", DECODE_SYNTAX, 19, -1);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1.5e3.2", DECODE_SYNTAX, 23, -1);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1 e3", DECODE_SYNTAX, 20, -1);

	/* Counts. */
	CHECK_SCAN_ERROR("v1 n=-1 amount=1 x=1", DECODE_SYNTAX, 5, 0);
	CHECK_SCAN_ERROR("v1 n=1.5 amount=1 x=1", DECODE_SYNTAX, 6, 1);
	CHECK_SCAN_ERROR("v1 n=+1 amount=1 x=1", DECODE_SYNTAX, 5, 0);
}

TEST_CASE(summary_text_float_range)
{
	char		text[160];
	TextFieldValue values[3];
	DecodeError error;

	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1e999", DECODE_OUT_OF_RANGE, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=-1e309", DECODE_OUT_OF_RANGE, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1.7976931348623159e308", DECODE_OUT_OF_RANGE, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=99999999999999999999e300", DECODE_OUT_OF_RANGE, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=1e99999999999999999999", DECODE_OUT_OF_RANGE, 18, 2);

	/* SUMMARY_FLOAT_TEXT_MAX characters are accepted, one more is not. */
	strcpy(text, "v1 n=1 amount=1 x=0.");
	memset(text + 20, '0', SUMMARY_FLOAT_TEXT_MAX - 3);
	strcpy(text + 20 + SUMMARY_FLOAT_TEXT_MAX - 3, "1");
	CHECK_UINT(strlen(text) - 18, SUMMARY_FLOAT_TEXT_MAX);
	CHECK_DECODE(scan_exact(text, strlen(text), mixed_fields, 3, values, &error), DECODE_OK);
	CHECK_DOUBLE(values[2].number, 1e-62);
	strcpy(text + 20 + SUMMARY_FLOAT_TEXT_MAX - 3, "01");
	CHECK_DECODE(scan_exact(text, strlen(text), mixed_fields, 3, values, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 18, 2);
}

TEST_CASE(summary_text_nonfinite_words)
{
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=nan", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=NaN", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=-nan", DECODE_SYNTAX, 19, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=inf", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=-inf", DECODE_SYNTAX, 19, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=Infinity", DECODE_SYNTAX, 18, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=1 x=-Infinity", DECODE_SYNTAX, 19, 2);
	CHECK_SCAN_ERROR("v1 n=1 amount=NaN x=1", DECODE_SYNTAX, 14, 1);
	CHECK_SCAN_ERROR("v1 n=1 amount=Infinity x=1", DECODE_SYNTAX, 14, 1);
}

TEST_CASE(summary_text_count_overflow)
{
	TextFieldValue values[3];
	DecodeError error;

	CHECK_DECODE(SCAN_LITERAL("v1 n=9223372036854775807 amount=1 x=1", mixed_fields, 3, values, &error),
				 DECODE_OK);
	CHECK_INT(values[0].count, INT64_MAX);
	CHECK_DECODE(SCAN_LITERAL("v1 n=000000000009223372036854775807 amount=1 x=1", mixed_fields, 3,
							  values, &error), DECODE_OK);
	CHECK_INT(values[0].count, INT64_MAX);
	CHECK_SCAN_ERROR("v1 n=9223372036854775808 amount=1 x=1", DECODE_OUT_OF_RANGE, 5, 0);
	CHECK_SCAN_ERROR("v1 n=18446744073709551616 amount=1 x=1", DECODE_OUT_OF_RANGE, 5, 0);
	CHECK_SCAN_ERROR("v1 n=99999999999999999999999 amount=1 x=1", DECODE_OUT_OF_RANGE, 5, 0);
}

TEST_CASE(summary_text_prefixes)
{
	static const char text[] = "v1 n=12 amount=-3.25 x=4.5e1";
	size_t		len = sizeof(text) - 1;

	/* Every prefix is rejected, or is itself a valid text; none is read past. */
	for (size_t cut = 0; cut <= len; cut++)
	{
		TextFieldValue values[3];
		DecodeError error;
		DecodeStatus status = scan_exact(text, cut, mixed_fields, 3, values, &error);

		CHECK_DECODE(error.status, status);
		CHECK(error.position <= cut);
		CHECK(error.field >= -1 && error.field < 3);
		/* "x=4", "x=4.5" and "x=4.5e1" are the only complete ends. */
		if (cut == len || cut == len - 2 || cut == len - 4)
			CHECK_DECODE(status, DECODE_OK);
		else
			CHECK(status != DECODE_OK);
	}
}

/* ---- money_summary fields ---- */

/* Scans text with money_summary_fields; the scan itself must succeed. */
static bool
money_fields(const char *text, TextFieldValue *values, const char *file, int line)
{
	DecodeError error;
	DecodeStatus status = scan_exact(text, strlen(text), money_summary_fields,
									 MONEY_NFIELDS, values, &error);

	return test_check_decode(status, DECODE_OK, text, file, line);
}

static KpiStatus
money_check_text(const char *text, const char *file, int line)
{
	TextFieldValue values[MONEY_NFIELDS];
	MoneySummary m;

	if (!money_fields(text, values, file, line))
		return KPI_OK;			/* already reported */
	return money_from_fields(&m, values);
}

#define CHECK_MONEY_FIELDS(text, expected) \
	CHECK_KPI(money_check_text((text), __FILE__, __LINE__), (expected))

TEST_CASE(money_from_fields_empty)
{
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 "
					   "denominator_scale_rows=0", KPI_OK);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=-0 numerator_scale_rows=0 denominator=000 "
					   "denominator_scale_rows=0", KPI_OK);
	/* An empty summary is all zeros, display scale included. */
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0.00 numerator_scale_rows=0 denominator=0 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0.0 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=1 numerator_scale_rows=0 denominator=0 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=-1 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0 numerator_scale_rows=1 denominator=0 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 "
					   "denominator_scale_rows=1", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=0 numerator=1000000000000000000000000000000000000000 "
					   "numerator_scale_rows=0 denominator=0 denominator_scale_rows=0",
					   KPI_INCONSISTENT);
}

TEST_CASE(money_from_fields_scale_rows)
{
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=1 denominator=3 "
					   "denominator_scale_rows=3", KPI_OK);
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=3 denominator=0 "
					   "denominator_scale_rows=1", KPI_OK);
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=0 denominator=3 "
					   "denominator_scale_rows=3", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=4 denominator=3 "
					   "denominator_scale_rows=3", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=2 denominator=3 "
					   "denominator_scale_rows=0", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=3 numerator=12.50 numerator_scale_rows=2 denominator=3 "
					   "denominator_scale_rows=4", KPI_INCONSISTENT);
	CHECK_MONEY_FIELDS("v1 rows=9223372036854775807 numerator=-1 "
					   "numerator_scale_rows=9223372036854775807 denominator=1.5 "
					   "denominator_scale_rows=1", KPI_OK);
	/* A sum too large to hold is no inconsistency. */
	CHECK_MONEY_FIELDS("v1 rows=1 numerator=-1000000000000000000000000000000000000000.25 "
					   "numerator_scale_rows=1 denominator=1 denominator_scale_rows=1",
					   KPI_OK);
}

TEST_CASE(money_sum_from_text)
{
	TextFieldValue values[MONEY_NFIELDS];
	DecimalSum	s;
	TestNumeric n;
	char		text[DECIMAL_TEXT_MAX(8)];

	if (!money_fields("v1 rows=2 numerator=-12.50 numerator_scale_rows=2 "
					  "denominator=1000000000000000000000000000000000000000.5 "
					  "denominator_scale_rows=1", values, __FILE__, __LINE__))
		return;

	/* A sum that fits is held, at its display scale. */
	memset(&s, 0x5a, sizeof(s));
	money_sum_from_text(&s, &values[MONEY_FIELD_NUMERATOR], 2);
	CHECK_HELD_VALUE(s, "-12.50");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 2);
	CHECK_INT(s.spilled, 0);
	/* ... and goes on summing from there. */
	CHECK_INT(decimal_sum_add(&s, NUMERIC(&n, "0.125")), DECIMAL_DONE);
	CHECK_INT(s.scale, 3);
	CHECK_INT(s.scale_rows, 1);
	decimal_format(s.held, s.held_scale, s.scale, text, sizeof(text));
	CHECK_STR(text, "-12.375");

	/* One that does not fit is all spill: held is zero. */
	memset(&s, 0x5a, sizeof(s));
	money_sum_from_text(&s, &values[MONEY_FIELD_DENOMINATOR], 1);
	CHECK_HELD_VALUE(s, "0");
	CHECK_INT(s.scale, 1);
	CHECK_INT(s.scale_rows, 1);
	CHECK_INT(s.spilled, 1);
	CHECK_INT(decimal_sum_add(&s, NUMERIC(&n, "2.25")), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "2.25");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.spilled, 1);
}

TEST_CASE(money_text_round_trip)
{
	static const char *const rows[] = {"19.99", "-5.00", "0.125", "1000", "-0.001"};
	DecimalSum	s = {0};
	DecimalSum	again;
	MoneySummary parsed;
	TextFieldValue values[MONEY_NFIELDS];
	char		numerator[DECIMAL_TEXT_MAX(8)];
	char		text[256];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
	{
		TestNumeric n;

		CHECK_INT(decimal_sum_add(&s, NUMERIC(&n, rows[i])), DECIMAL_DONE);
	}
	decimal_format(s.held, s.held_scale, s.scale, numerator, sizeof(numerator));
	CHECK_STR(numerator, "1015.114");
	snprintf(text, sizeof(text), "v1 rows=5 numerator=%s numerator_scale_rows=%" PRId64
			 " denominator=5 denominator_scale_rows=5", numerator, s.scale_rows);
	if (!money_fields(text, values, __FILE__, __LINE__))
		return;
	CHECK_KPI(money_from_fields(&parsed, values), KPI_OK);
	again = parsed.numerator;
	CHECK_HELD_VALUE(again, numerator);
	CHECK_INT(again.scale, s.scale);
	CHECK_INT(again.scale_rows, s.scale_rows);
	CHECK_INT(again.spilled, 0);
}

/* ---- FloatSum, FloatMoneySummary ---- */

TEST_CASE(float_sum_two_sum)
{
	FloatSum	s = {0.0, 0.0};
	volatile double big = 1e16;
	volatile double naive = (big + 1.0) - big;

	CHECK_KPI(float_sum_add(&s, 1e16), KPI_OK);
	CHECK_KPI(float_sum_add(&s, 1.0), KPI_OK);
	/* The 1 is lost to rounding in the sum, and kept exactly in the error. */
	CHECK_DOUBLE(s.sum, 1e16);
	CHECK_DOUBLE(s.error, 1.0);
	CHECK_KPI(float_sum_add(&s, -1e16), KPI_OK);
	CHECK_DOUBLE(float_sum_value(&s), 1.0);
	CHECK_DOUBLE(naive, 0.0);

	/* 0.1 + 0.2 - 0.3 over doubles is exactly 2^-55. */
	memset(&s, 0, sizeof(s));
	float_sum_add(&s, 0.1);
	float_sum_add(&s, 0.2);
	float_sum_add(&s, -0.3);
	CHECK_DOUBLE(float_sum_value(&s), 0x1p-55);

	/* Order does not matter when the errors are exact. */
	memset(&s, 0, sizeof(s));
	float_sum_add(&s, 1.0);
	float_sum_add(&s, 1e100);
	float_sum_add(&s, 1.0);
	float_sum_add(&s, -1e100);
	CHECK_DOUBLE(float_sum_value(&s), 2.0);
}

TEST_CASE(float_sum_many_tenths)
{
	FloatSum	s = {0.0, 0.0};
	double		naive = 0.0;

	/*
	 * 10^7 times the double nearest 0.1 is 1000000.0000000000555..., which
	 * rounds to 1000000 exactly; a plain running sum is off by about 1.6e-4.
	 */
	for (int i = 0; i < 10000000; i++)
	{
		float_sum_add(&s, 0.1);
		naive += 0.1;
	}
	CHECK_DOUBLE(float_sum_value(&s), 1000000.0);
	CHECK(naive != 1000000.0);
	CHECK(fabs(naive - 1000000.0) > 1e-5);
}

#define CHECK_FLOAT_MONEY(s, expected_rows, expected_numerator, expected_denominator) \
	do { \
		CHECK_INT((s).rows, (expected_rows)); \
		CHECK_DOUBLE(float_sum_value(&(s).numerator), (expected_numerator)); \
		CHECK_DOUBLE(float_sum_value(&(s).denominator), (expected_denominator)); \
	} while (0)

TEST_CASE(float_money_add_remove)
{
	FloatMoneySummary s;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_money_remove(&s, 1.0, 1.0), KPI_NOT_IN_STATE);
	CHECK_FLOAT_MONEY(s, 0, 0.0, 0.0);

	CHECK_KPI(float_money_add(&s, 100.5, 2.0), KPI_OK);
	CHECK_KPI(float_money_add(&s, 100.5, 2.0), KPI_OK);
	CHECK_KPI(float_money_add(&s, 100.5, 2.0), KPI_OK);
	CHECK_FLOAT_MONEY(s, 3, 301.5, 6.0);
	CHECK_KPI(float_money_remove(&s, 100.5, 2.0), KPI_OK);
	CHECK_FLOAT_MONEY(s, 2, 201.0, 4.0);

	/* A removed row leaves no residue. */
	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_money_add(&s, 0.1, 0.7), KPI_OK);
	CHECK_KPI(float_money_add(&s, 0.2, 0.3), KPI_OK);
	CHECK_KPI(float_money_remove(&s, 0.1, 0.7), KPI_OK);
	CHECK_FLOAT_MONEY(s, 1, 0.2, 0.3);

	/* An empty frame is exactly zero, whatever was rounded before. */
	CHECK_KPI(float_money_add(&s, 1e300, -1e-300), KPI_OK);
	CHECK_KPI(float_money_remove(&s, 0.2, 0.3), KPI_OK);
	CHECK_KPI(float_money_remove(&s, 12345.0, 0.5), KPI_OK);
	CHECK_INT(s.rows, 0);
	CHECK_DOUBLE(s.numerator.sum, 0.0);
	CHECK_DOUBLE(s.numerator.error, 0.0);
	CHECK_DOUBLE(s.denominator.sum, 0.0);
	CHECK_DOUBLE(s.denominator.error, 0.0);
	CHECK_KPI(float_money_remove(&s, 0.0, 0.0), KPI_NOT_IN_STATE);

	/* Negative amounts (refunds) are just values. */
	CHECK_KPI(float_money_add(&s, -19.99, 1.0), KPI_OK);
	CHECK_KPI(float_money_add(&s, 19.99, 1.0), KPI_OK);
	CHECK_FLOAT_MONEY(s, 2, 0.0, 2.0);
}

TEST_CASE(float_money_overflow)
{
	FloatMoneySummary s;
	FloatMoneySummary before;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_money_add(&s, DBL_MAX, 1.0), KPI_OK);
	before = s;
	CHECK_KPI(float_money_add(&s, DBL_MAX, 1.0), KPI_OVERFLOW);
	CHECK_INT(s.rows, 1);
	CHECK_DOUBLE(s.numerator.sum, before.numerator.sum);
	CHECK_DOUBLE(s.numerator.error, before.numerator.error);
	CHECK(isfinite(s.denominator.sum));

	/* The denominator too, and removals. */
	CHECK_KPI(float_money_add(&s, 1.0, DBL_MAX), KPI_OK);
	CHECK_KPI(float_money_add(&s, -1.0, DBL_MAX), KPI_OVERFLOW);
	CHECK_INT(s.rows, 2);
	CHECK(isfinite(s.denominator.sum));
	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_money_add(&s, -DBL_MAX, 0.0), KPI_OK);
	CHECK_KPI(float_money_add(&s, 0.0, 0.0), KPI_OK);
	CHECK_KPI(float_money_remove(&s, DBL_MAX, 0.0), KPI_OVERFLOW);
	CHECK(isfinite(s.numerator.sum));

	/* The row count. */
	memset(&s, 0, sizeof(s));
	s.rows = INT64_MAX;
	CHECK_KPI(float_money_add(&s, 1.0, 1.0), KPI_TOO_MANY_ROWS);
	CHECK_FLOAT_MONEY(s, INT64_MAX, 0.0, 0.0);
}

TEST_CASE(float_money_merge)
{
	FloatMoneySummary whole;
	FloatMoneySummary a;
	FloatMoneySummary b;
	FloatMoneySummary before;
	static const double rows[][2] = {
		{1e16, 0.5}, {1.0, 0.25}, {1.0, 0.125}, {-3.5, 1e-3}, {0.1, 7.0}
	};

	memset(&whole, 0, sizeof(whole));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < 5; i++)
	{
		CHECK_KPI(float_money_add(&whole, rows[i][0], rows[i][1]), KPI_OK);
		CHECK_KPI(float_money_add(i == 0 ? &a : &b, rows[i][0], rows[i][1]), KPI_OK);
	}
	CHECK_KPI(float_money_merge(&a, &b), KPI_OK);
	CHECK_INT(a.rows, 5);
	CHECK_DOUBLE(float_sum_value(&a.numerator), float_sum_value(&whole.numerator));
	CHECK_DOUBLE(float_sum_value(&a.denominator), float_sum_value(&whole.denominator));
	CHECK_DOUBLE(float_sum_value(&a.numerator), 1e16 - 2.0);

	/* Empty on either side. */
	before = a;
	memset(&b, 0, sizeof(b));
	CHECK_KPI(float_money_merge(&a, &b), KPI_OK);
	CHECK_FLOAT_MONEY(a, before.rows, float_sum_value(&before.numerator),
					  float_sum_value(&before.denominator));
	CHECK_KPI(float_money_merge(&b, &a), KPI_OK);
	CHECK_FLOAT_MONEY(b, before.rows, float_sum_value(&before.numerator),
					  float_sum_value(&before.denominator));

	/* Overflow of the rows, then of a sum. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.rows = INT64_MAX - 1;
	b.rows = 2;
	CHECK_KPI(float_money_merge(&a, &b), KPI_TOO_MANY_ROWS);
	CHECK_INT(a.rows, INT64_MAX - 1);
	b.rows = 1;
	CHECK_KPI(float_money_merge(&a, &b), KPI_OK);
	CHECK_INT(a.rows, INT64_MAX);

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	float_money_add(&a, 1.0, DBL_MAX);
	float_money_add(&b, 1.0, DBL_MAX);
	CHECK_KPI(float_money_merge(&a, &b), KPI_OVERFLOW);
	CHECK_INT(a.rows, 1);
}

TEST_CASE(float_money_normalize)
{
	FloatMoneySummary s;

	memset(&s, 0, sizeof(s));
	float_money_add(&s, 1e16, 1.0);
	float_money_add(&s, 1.0, 1e-20);
	float_money_add(&s, 1.0, 0.0);
	/* 1e16 + 2 is a double: the sum is not rounded once until normalized. */
	CHECK_DOUBLE(s.numerator.sum, 1e16);
	CHECK_DOUBLE(s.numerator.error, 2.0);
	CHECK_KPI(float_money_normalize(&s), KPI_OK);
	CHECK_DOUBLE(s.numerator.sum, 1e16 + 2.0);
	CHECK_DOUBLE(s.numerator.error, 0.0);
	CHECK_DOUBLE(s.denominator.sum, 1.0);
	CHECK_DOUBLE(s.denominator.error, 1e-20);
	CHECK_INT(s.rows, 3);

	/* Normalizing twice changes nothing. */
	CHECK_KPI(float_money_normalize(&s), KPI_OK);
	CHECK_DOUBLE(s.numerator.sum, 1e16 + 2.0);
	CHECK_DOUBLE(s.numerator.error, 0.0);
	CHECK_DOUBLE(s.denominator.sum, 1.0);
	CHECK_DOUBLE(s.denominator.error, 1e-20);

	/* A sum whose error carries it past DBL_MAX. */
	memset(&s, 0, sizeof(s));
	s.rows = 2;
	s.numerator.sum = DBL_MAX;
	s.numerator.error = 0x1.8p970;
	CHECK_KPI(float_money_normalize(&s), KPI_OVERFLOW);
	CHECK_DOUBLE(s.numerator.sum, DBL_MAX);
	CHECK_DOUBLE(s.numerator.error, 0x1.8p970);
}

/* Scans text with float_money_summary_fields and builds a summary from it. */
static KpiStatus
float_money_text(const char *text, FloatMoneySummary *s, const char *file, int line)
{
	TextFieldValue values[FLOAT_MONEY_NFIELDS];
	DecodeError error;
	DecodeStatus status = scan_exact(text, strlen(text), float_money_summary_fields,
									 FLOAT_MONEY_NFIELDS, values, &error);

	if (!test_check_decode(status, DECODE_OK, text, file, line))
		return KPI_OK;
	return float_money_from_fields(s, values);
}

#define CHECK_FLOAT_MONEY_TEXT(text, expected) \
	do { \
		FloatMoneySummary s_; \
		CHECK_KPI(float_money_text((text), &s_, __FILE__, __LINE__), (expected)); \
	} while (0)

TEST_CASE(float_money_from_fields)
{
	FloatMoneySummary s;

	CHECK_KPI(float_money_text("v1 rows=3 numerator=301.5 numerator_error=0 denominator=6 "
							   "denominator_error=0", &s, __FILE__, __LINE__), KPI_OK);
	CHECK_FLOAT_MONEY(s, 3, 301.5, 6.0);
	CHECK_KPI(float_money_text("v1 rows=2 numerator=10000000000000000 numerator_error=1 "
							   "denominator=1.5 denominator_error=1e-17", &s,
							   __FILE__, __LINE__), KPI_OK);
	CHECK_DOUBLE(s.numerator.sum, 1e16);
	CHECK_DOUBLE(s.numerator.error, 1.0);
	CHECK_DOUBLE(s.denominator.error, 1e-17);

	/* Normalized pairs only: the sum must be the sum rounded once. */
	CHECK_FLOAT_MONEY_TEXT("v1 rows=2 numerator=10000000000000000 numerator_error=2 "
						   "denominator=1 denominator_error=0", KPI_INCONSISTENT);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=2 numerator=1 numerator_error=0 "
						   "denominator=1 denominator_error=1e-15", KPI_INCONSISTENT);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=2 numerator=0 numerator_error=1e-300 "
						   "denominator=1 denominator_error=0", KPI_INCONSISTENT);

	/* An empty summary is all zeros. */
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=0 numerator_error=0 "
						   "denominator=0 denominator_error=0", KPI_OK);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=-0 numerator_error=0 "
						   "denominator=0 denominator_error=-0", KPI_OK);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=1 numerator_error=0 "
						   "denominator=0 denominator_error=0", KPI_INCONSISTENT);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=0 numerator_error=0 "
						   "denominator=-2.5 denominator_error=0", KPI_INCONSISTENT);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=1e300 numerator_error=1 "
						   "denominator=0 denominator_error=0", KPI_INCONSISTENT);
	CHECK_FLOAT_MONEY_TEXT("v1 rows=0 numerator=0 numerator_error=0 "
						   "denominator=1e16 denominator_error=1", KPI_INCONSISTENT);
}

/* ---- property tests ---- */

#define ITERATIONS 100000

/* An amount in cents, as a double, up to 10^8 in magnitude. */
static double
random_cents(Prng *prng)
{
	int64_t		cents = (int64_t) prng_below(prng, UINT64_C(10000000000));

	if (prng_below(prng, 4) == 0)
		cents %= 1000;
	if (prng_below(prng, 3) == 0)
		cents = -cents;
	return (double) cents / 100.0;
}

/* x * 2^64 exactly; every |x| >= 0.01 or 0 here is a multiple of 2^-59. */
static int128
fixed_of(double x)
{
	return (int128) ldexp(x, 64);
}

/* The exact fixed-point sum, rounded once to a double. */
static double
rounded_once(int128 fixed)
{
	return ldexp((double) fixed, -64);
}

TEST_CASE(property_float_money_rounded_once)
{
	Prng		prng = {271828};

	/*
	 * For everyday amounts every rounding error is exact, so the value is the
	 * exact sum of the rows rounded once, whatever their order, removals and
	 * merges.
	 */
	for (int i = 0; i < ITERATIONS / 4; i++)
	{
		double		rows[64][2];
		int			n = 0;
		int			nops = 1 + (int) prng_below(&prng, 40);
		FloatMoneySummary s;
		bool		ok = true;

		memset(&s, 0, sizeof(s));
		for (int op = 0; op < nops; op++)
		{
			int128		num = 0;
			int128		den = 0;

			if (n == 0 || (n < 64 && prng_below(&prng, 3) != 0))
			{
				rows[n][0] = random_cents(&prng);
				rows[n][1] = random_cents(&prng);
				ok &= CHECK_KPI(float_money_add(&s, rows[n][0], rows[n][1]), KPI_OK);
				n++;
			}
			else
			{
				int			at = (int) prng_below(&prng, (uint64_t) n);

				ok &= CHECK_KPI(float_money_remove(&s, rows[at][0], rows[at][1]), KPI_OK);
				rows[at][0] = rows[n - 1][0];
				rows[at][1] = rows[n - 1][1];
				n--;
			}
			for (int k = 0; k < n; k++)
			{
				num += fixed_of(rows[k][0]);
				den += fixed_of(rows[k][1]);
			}
			ok &= CHECK_INT(s.rows, n);
			ok &= CHECK_DOUBLE(float_sum_value(&s.numerator), rounded_once(num));
			ok &= CHECK_DOUBLE(float_sum_value(&s.denominator), rounded_once(den));
			if (!ok)
			{
				printf("    sequence %d, operation %d\n", i, op);
				return;
			}
		}

		/* The same rows split in two, then merged, then normalized. */
		{
			FloatMoneySummary parts[2];
			int128		num = 0;

			memset(parts, 0, sizeof(parts));
			for (int k = 0; k < n; k++)
			{
				ok &= CHECK_KPI(float_money_add(&parts[prng_below(&prng, 2)],
												rows[k][0], rows[k][1]), KPI_OK);
				num += fixed_of(rows[k][0]);
			}
			ok &= CHECK_KPI(float_money_merge(&parts[1], &parts[0]), KPI_OK);
			ok &= CHECK_DOUBLE(float_sum_value(&parts[1].numerator), rounded_once(num));
			ok &= CHECK_KPI(float_money_normalize(&parts[1]), KPI_OK);
			ok &= CHECK_DOUBLE(parts[1].numerator.sum, rounded_once(num));
			if (!ok)
			{
				printf("    sequence %d, merge\n", i);
				return;
			}
		}
	}
}

TEST_CASE(property_float_money_text_round_trip)
{
	Prng		prng = {161803};

	for (int i = 0; i < ITERATIONS; i++)
	{
		FloatMoneySummary s;
		FloatMoneySummary again;
		int			nrows = (int) prng_below(&prng, 8);
		char		text[512];
		bool		ok = true;

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < nrows; k++)
		{
			double		num = prng_below(&prng, 2) ? random_cents(&prng)
				: ldexp((double) (int64_t) prng_next(&prng), (int) prng_below(&prng, 200) - 100);
			double		den = random_cents(&prng);

			ok &= CHECK_KPI(float_money_add(&s, num, den), KPI_OK);
		}
		ok &= CHECK_KPI(float_money_normalize(&s), KPI_OK);
		snprintf(text, sizeof(text), "v1 rows=%" PRId64 " numerator=%.17g numerator_error=%.17g"
				 " denominator=%.17g denominator_error=%.17g", s.rows,
				 s.numerator.sum, s.numerator.error, s.denominator.sum, s.denominator.error);
		ok &= CHECK_KPI(float_money_text(text, &again, __FILE__, __LINE__), KPI_OK);
		ok &= CHECK_INT(again.rows, s.rows);
		ok &= CHECK_DOUBLE(again.numerator.sum, s.numerator.sum);
		ok &= CHECK_DOUBLE(again.numerator.error, s.numerator.error);
		ok &= CHECK_DOUBLE(again.denominator.sum, s.denominator.sum);
		ok &= CHECK_DOUBLE(again.denominator.error, s.denominator.error);
		if (!ok)
		{
			printf("    iteration %d: %s\n", i, text);
			return;
		}
	}
}

/* A byte that is likely to matter to the scanner, or any byte at all. */
static unsigned char
random_mutation_byte(Prng *prng)
{
	static const char interesting[] = " \t\nv=0123456789-+.eExn";

	if (prng_below(prng, 4) == 0)
		return (unsigned char) prng_below(prng, 256);
	return (unsigned char) interesting[prng_below(prng, sizeof(interesting) - 1)];
}

TEST_CASE(property_money_text_mutations)
{
	Prng		prng = {6};
	long		accepted = 0;

	/*
	 * Damaged money texts are rejected with a sane error, or scan to fields
	 * whose decimals re-read to the same values and whose checks do not crash.
	 */
	for (int i = 0; i < ITERATIONS; i++)
	{
		bool		is_float = prng_below(&prng, 2) == 0;
		const TextField *fields = is_float ? float_money_summary_fields : money_summary_fields;
		char		buf[300];
		size_t		len;
		int			nmutations = 1 + (int) prng_below(&prng, 3);
		TextFieldValue values[MONEY_NFIELDS];
		DecodeError error;
		DecodeStatus status;
		bool		ok = true;

		if (is_float)
			len = (size_t) snprintf(buf, sizeof(buf), "v1 rows=%d numerator=%.17g "
									"numerator_error=0 denominator=%.17g denominator_error=0",
									(int) prng_below(&prng, 5), random_cents(&prng),
									random_cents(&prng));
		else
			len = (size_t) snprintf(buf, sizeof(buf), "v1 rows=%d numerator=%.2f "
									"numerator_scale_rows=%d denominator=%d "
									"denominator_scale_rows=%d",
									(int) prng_below(&prng, 5), random_cents(&prng),
									(int) prng_below(&prng, 5), (int) prng_below(&prng, 1000),
									(int) prng_below(&prng, 5));
		for (int m = 0; m < nmutations; m++)
		{
			size_t		at = (size_t) prng_below(&prng, len + 1);

			switch (prng_below(&prng, 4))
			{
				case 0:
					len = at;
					break;
				case 1:
					if (len < sizeof(buf))
					{
						memmove(buf + at + 1, buf + at, len - at);
						buf[at] = (char) random_mutation_byte(&prng);
						len++;
					}
					break;
				default:
					if (at < len)
						buf[at] = (char) random_mutation_byte(&prng);
					break;
			}
		}

		status = scan_exact(buf, len, fields, MONEY_NFIELDS, values, &error);
		ok &= CHECK_DECODE(error.status, status);
		ok &= CHECK(error.position <= len);
		ok &= CHECK(error.field >= -1 && error.field < MONEY_NFIELDS);
		if (status == DECODE_OK && is_float)
		{
			FloatMoneySummary s;

			accepted++;
			for (int f = 1; f < FLOAT_MONEY_NFIELDS; f++)
				ok &= CHECK(isfinite(values[f].number));
			if (float_money_from_fields(&s, values) == KPI_OK)
				ok &= CHECK_KPI(float_money_normalize(&s), KPI_OK);
		}
		else if (status == DECODE_OK)
		{
			accepted++;
			{
				MoneySummary parsed;

				money_from_fields(&parsed, values);
			}
			for (int f = MONEY_FIELD_NUMERATOR; f <= MONEY_FIELD_DENOMINATOR; f += 2)
			{
				const TextFieldValue *v = &values[f];
				kpi_int128	value;
				int			scale;
				bool		fits;

				ok &= CHECK(v->text_offset + v->text_len <= len);
				ok &= CHECK_UINT(decimal_parse(buf + v->text_offset, v->text_len,
											   &value, &scale, &fits), v->text_len);
				ok &= CHECK_INT(scale, v->decimal_scale);
				ok &= CHECK_INT(fits, v->decimal_fits);
				if (fits)
				{
					char		text[DECIMAL_TEXT_MAX(sizeof(buf))];
					size_t		tlen = decimal_format(value, scale, scale, text, sizeof(text));

					ok &= CHECK_INT128(value, v->decimal);
					ok &= CHECK(tlen > 0);
					ok &= CHECK_UINT(decimal_parse(text, tlen, &value, &scale, &fits), tlen);
					ok &= CHECK_INT128(value, v->decimal);
				}
			}
		}
		if (!ok)
		{
			printf("    iteration %d: %.*s\n", i, (int) len, buf);
			return;
		}
	}
	CHECK(accepted > 0);
}
