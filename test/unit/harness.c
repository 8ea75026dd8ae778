/*
 * harness.c: check reporting and the test-case runner.
 */
#include "harness.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The case being run, for messages, and how many of its checks failed. */
static const char *current_test = "(none)";
static int	current_failures = 0;

const char *
kpi_status_name(KpiStatus status)
{
	switch (status)
	{
		case KPI_OK:
			return "KPI_OK";
		case KPI_NEGATIVE_HITS:
			return "KPI_NEGATIVE_HITS";
		case KPI_NEGATIVE_TRIALS:
			return "KPI_NEGATIVE_TRIALS";
		case KPI_HITS_EXCEED_TRIALS:
			return "KPI_HITS_EXCEED_TRIALS";
		case KPI_SCORE_OUT_OF_RANGE:
			return "KPI_SCORE_OUT_OF_RANGE";
		case KPI_OVERFLOW:
			return "KPI_OVERFLOW";
		case KPI_NOT_IN_STATE:
			return "KPI_NOT_IN_STATE";
		case KPI_INCONSISTENT:
			return "KPI_INCONSISTENT";
		case KPI_TOO_MANY_ROWS:
			return "KPI_TOO_MANY_ROWS";
		case KPI_PERIOD_CHANGED:
			return "KPI_PERIOD_CHANGED";
	}
	return "(unknown KpiStatus)";
}

const char *
decode_status_name(DecodeStatus status)
{
	switch (status)
	{
		case DECODE_OK:
			return "DECODE_OK";
		case DECODE_SYNTAX:
			return "DECODE_SYNTAX";
		case DECODE_VERSION:
			return "DECODE_VERSION";
		case DECODE_OUT_OF_RANGE:
			return "DECODE_OUT_OF_RANGE";
		case DECODE_LENGTH:
			return "DECODE_LENGTH";
		case DECODE_INVARIANT:
			return "DECODE_INVARIANT";
	}
	return "(unknown DecodeStatus)";
}

/*
 * Whether an expected expression is a plain literal, whose text would only
 * repeat its value in a message.
 */
static bool
is_literal(const char *expr)
{
	while (*expr == '(' || *expr == '-' || *expr == ' ')
		expr++;
	return (*expr >= '0' && *expr <= '9') || *expr == '"';
}

/* Describes the expected side: "5", or "limit = 5" when it is an expression. */
static void
describe_expected(char *out, size_t outsize, const char *expr, const char *value)
{
	if (is_literal(expr))
		snprintf(out, outsize, "%s", value);
	else
		snprintf(out, outsize, "%s = %s", expr, value);
}

/* Every failure goes through here, so the output format is in one place. */
static bool
report(bool ok, const char *file, int line, const char *what)
{
	if (!ok)
	{
		current_failures++;
		printf("%s:%d: %s: %s\n", file, line, current_test, what);
		fflush(stdout);
	}
	return ok;
}

bool
test_check(bool ok, const char *expr, const char *file, int line)
{
	char		msg[512];

	if (ok)
		return true;
	snprintf(msg, sizeof(msg), "CHECK(%s) failed", expr);
	return report(false, file, line, msg);
}

bool
test_check_int(int64_t actual, int64_t expected,
			   const char *actual_expr, const char *expected_expr,
			   const char *file, int line)
{
	char		msg[512];
	char		value[32];
	char		want[256];

	if (actual == expected)
		return true;
	snprintf(value, sizeof(value), "%" PRId64, expected);
	describe_expected(want, sizeof(want), expected_expr, value);
	snprintf(msg, sizeof(msg), "%s is %" PRId64 ", expected %s",
			 actual_expr, actual, want);
	return report(false, file, line, msg);
}

bool
test_check_uint(uint64_t actual, uint64_t expected,
				const char *actual_expr, const char *expected_expr,
				const char *file, int line)
{
	char		msg[512];
	char		value[32];
	char		want[256];

	if (actual == expected)
		return true;
	snprintf(value, sizeof(value), "%" PRIu64, expected);
	describe_expected(want, sizeof(want), expected_expr, value);
	snprintf(msg, sizeof(msg), "%s is %" PRIu64 ", expected %s",
			 actual_expr, actual, want);
	return report(false, file, line, msg);
}

/* Writes v in decimal; out needs 41 bytes (sign and 39 digits). */
static void
int128_text(char *out, __int128 v)
{
	unsigned __int128 m = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;
	char		digits[40];
	int			n = 0;
	size_t		used = 0;

	do
	{
		digits[n++] = (char) ('0' + (int) (m % 10));
		m /= 10;
	} while (m != 0);
	if (v < 0)
		out[used++] = '-';
	while (n > 0)
		out[used++] = digits[--n];
	out[used] = '\0';
}

bool
test_check_int128(__int128 actual, __int128 expected,
				  const char *actual_expr, const char *expected_expr,
				  const char *file, int line)
{
	char		msg[512];
	char		value[48];
	char		got[48];
	char		want[256];

	if (actual == expected)
		return true;
	int128_text(value, expected);
	int128_text(got, actual);
	describe_expected(want, sizeof(want), expected_expr, value);
	snprintf(msg, sizeof(msg), "%s is %s, expected %s", actual_expr, got, want);
	return report(false, file, line, msg);
}

bool
test_check_double(double actual, double expected,
				  const char *actual_expr, const char *expected_expr,
				  const char *file, int line)
{
	char		msg[512];
	char		value[64];
	char		want[320];

	if (actual == expected)
		return true;
	/* %a as well: two doubles can print alike in decimal yet differ. */
	snprintf(value, sizeof(value), "%.17g (%a)", expected, expected);
	describe_expected(want, sizeof(want), expected_expr, value);
	snprintf(msg, sizeof(msg), "%s is %.17g (%a), expected %s",
			 actual_expr, actual, actual, want);
	return report(false, file, line, msg);
}

/* Prints a string with control characters escaped, so whitespace is visible. */
static void
escape(char *out, size_t outsize, const char *s)
{
	size_t		used = 0;

	for (; *s != '\0' && used + 5 < outsize; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[used++] = (char) c;
		else
			used += (size_t) snprintf(out + used, outsize - used, "\\x%02x", c);
	}
	out[used] = '\0';
}

bool
test_check_str(const char *actual, const char *expected,
			   const char *actual_expr, const char *expected_expr,
			   const char *file, int line)
{
	char		msg[1024];
	char		a[300];
	char		e[300];
	char		quoted[304];
	char		want[600];

	if (actual != NULL && expected != NULL && strcmp(actual, expected) == 0)
		return true;
	escape(a, sizeof(a), actual ? actual : "(null)");
	escape(e, sizeof(e), expected ? expected : "(null)");
	snprintf(quoted, sizeof(quoted), "\"%s\"", e);
	describe_expected(want, sizeof(want), expected_expr, quoted);
	snprintf(msg, sizeof(msg), "%s is \"%s\", expected %s",
			 actual_expr, a, want);
	return report(false, file, line, msg);
}

static void
hex(char *out, size_t outsize, const unsigned char *bytes, size_t len)
{
	size_t		used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len && used + 4 < outsize; i++)
		used += (size_t) snprintf(out + used, outsize - used, "%s%02x",
								  i == 0 ? "" : " ", bytes[i]);
}

bool
test_check_bytes(const unsigned char *actual, const unsigned char *expected,
				 size_t len, const char *actual_expr, const char *expected_expr,
				 const char *file, int line)
{
	char		msg[1024];
	char		a[300];
	char		e[300];

	if (memcmp(actual, expected, len) == 0)
		return true;
	hex(a, sizeof(a), actual, len);
	hex(e, sizeof(e), expected, len);
	snprintf(msg, sizeof(msg), "%s is [%s], expected %s = [%s]",
			 actual_expr, a, expected_expr, e);
	return report(false, file, line, msg);
}

bool
test_check_kpi(KpiStatus actual, KpiStatus expected, const char *actual_expr,
			   const char *file, int line)
{
	char		msg[512];

	if (actual == expected)
		return true;
	snprintf(msg, sizeof(msg), "%s is %s, expected %s",
			 actual_expr, kpi_status_name(actual), kpi_status_name(expected));
	return report(false, file, line, msg);
}

bool
test_check_decode(DecodeStatus actual, DecodeStatus expected,
				  const char *actual_expr, const char *file, int line)
{
	char		msg[512];

	if (actual == expected)
		return true;
	snprintf(msg, sizeof(msg), "%s is %s, expected %s",
			 actual_expr, decode_status_name(actual),
			 decode_status_name(expected));
	return report(false, file, line, msg);
}

static bool
selected(const char *name, int argc, char **argv)
{
	if (argc <= 1)
		return true;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return true;
	return false;
}

int
test_run_all(const TestCase *cases, int ncases, int argc, char **argv)
{
	int			passed = 0;
	int			failed = 0;

	for (int i = 0; i < ncases; i++)
	{
		if (!selected(cases[i].name, argc, argv))
			continue;
		current_test = cases[i].name;
		current_failures = 0;
		cases[i].run();
		if (current_failures == 0)
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
