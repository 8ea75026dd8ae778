/*
 * test_codec_text.c: the text form of count summaries (count_summary.c), with
 * rate_summary and nps_summary as the two real shapes.
 *
 * Every parse goes through parse_exact(), which hands the parser a malloc'ed
 * buffer of exactly the given length with no NUL after it, so each case here
 * is also an over-read test under AddressSanitizer.
 */
#include "tests.h"

#include <stdlib.h>
#include <string.h>

#include "core/nps.h"
#include "core/rate.h"

#define RATE (&rate_summary_shape)
#define NPS (&nps_summary_shape)

/* Formats into a heap buffer of exactly COUNT_SUMMARY_TEXT_MAX bytes. */
static char *
format_rate(int64_t hits, int64_t trials, size_t *len)
{
	RateSummary s = {hits, trials};
	char	   *buf = malloc(COUNT_SUMMARY_TEXT_MAX);

	*len = count_summary_format_text(RATE, &s, buf, COUNT_SUMMARY_TEXT_MAX);
	return buf;
}

static char *
format_nps(int64_t promoters, int64_t passives, int64_t detractors, size_t *len)
{
	NpsSummary	s = {promoters, passives, detractors};
	char	   *buf = malloc(COUNT_SUMMARY_TEXT_MAX);

	*len = count_summary_format_text(NPS, &s, buf, COUNT_SUMMARY_TEXT_MAX);
	return buf;
}

TEST_CASE(text_format_rate)
{
	size_t		len;
	char	   *text;

	text = format_rate(12, 40, &len);
	CHECK_STR(text, "v1 hits=12 trials=40");
	CHECK_UINT(len, strlen("v1 hits=12 trials=40"));
	free(text);

	text = format_rate(0, 0, &len);
	CHECK_STR(text, "v1 hits=0 trials=0");
	CHECK_UINT(len, 18);
	free(text);

	text = format_rate(INT64_MAX, INT64_MAX, &len);
	CHECK_STR(text, "v1 hits=9223372036854775807 trials=9223372036854775807");
	CHECK_UINT(len, 54);
	free(text);
}

TEST_CASE(text_format_nps)
{
	size_t		len;
	char	   *text;

	text = format_nps(5, 3, 2, &len);
	CHECK_STR(text, "v1 promoters=5 passives=3 detractors=2");
	CHECK_UINT(len, strlen("v1 promoters=5 passives=3 detractors=2"));
	free(text);

	text = format_nps(INT64_MAX, 0, 0, &len);
	CHECK_STR(text, "v1 promoters=9223372036854775807 passives=0 detractors=0");
	free(text);
}

TEST_CASE(text_format_max_fits)
{
	/*
	 * The longest text the widest shape can produce (even an invalid state with
	 * every bucket at INT64_MAX) must fit COUNT_SUMMARY_TEXT_MAX untruncated.
	 */
	size_t		len;
	char	   *text = format_nps(INT64_MAX, INT64_MAX, INT64_MAX, &len);

	CHECK_STR(text, "v1 promoters=9223372036854775807 passives=9223372036854775807"
			  " detractors=9223372036854775807");
	CHECK(len < COUNT_SUMMARY_TEXT_MAX);
	free(text);
}

TEST_CASE(text_format_truncates)
{
	RateSummary s = {12, 40};
	char	   *buf = malloc(8);
	size_t		len;

	/* A short buffer gets a NUL-terminated prefix, and nothing past its end. */
	len = count_summary_format_text(RATE, &s, buf, 8);
	CHECK_STR(buf, "v1 hits");
	CHECK_UINT(len, 7);
	free(buf);
}

TEST_CASE(text_parse_valid)
{
	RateSummary r = {-1, -1};
	NpsSummary	n = {-1, -1, -1};
	DecodeError error;

	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40", &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 12);
	CHECK_INT(r.trials, 40);
	CHECK_DECODE(error.status, DECODE_OK);

	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=0 trials=0", &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 0);
	CHECK_INT(r.trials, 0);

	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=5 passives=3 detractors=2",
							   &n, &error), DECODE_OK);
	CHECK_INT(n.promoters, 5);
	CHECK_INT(n.passives, 3);
	CHECK_INT(n.detractors, 2);
}

TEST_CASE(text_parse_whitespace)
{
	RateSummary r = {-1, -1};
	NpsSummary	n = {-1, -1, -1};
	DecodeError error;

	/* Every ASCII space character, in runs, before, between and after tokens. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "  \t v1 \n hits=12\r\n\ttrials=40 \f\v ",
							   &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 12);
	CHECK_INT(r.trials, 40);

	CHECK_DECODE(PARSE_LITERAL(NPS, "\nv1\tpromoters=5\vpassives=3\fdetractors=2\r",
							   &n, &error), DECODE_OK);
	CHECK_INT(n.promoters, 5);
	CHECK_INT(n.passives, 3);
	CHECK_INT(n.detractors, 2);

	/* But not inside a token, and not non-ASCII space (NBSP in Latin-1 and UTF-8). */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits =12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits= 12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 8, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v 1 hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 1, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1\xa0hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 2, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12\xc2\xa0trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 10, 1);
}

TEST_CASE(text_parse_version_errors)
{
	RateSummary r;
	DecodeError error;

	CHECK_DECODE(PARSE_LITERAL(RATE, "", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 0, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, " \t ", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, -1);
	/* Missing 'v', or a capital one. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 0, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "1 hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 0, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "V1 hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 0, -1);
	/* 'v' without a number. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 1, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 1, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v-1 hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 1, -1);

	/* Well-formed versions this build does not read. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v2 hits=12 trials=40", &r, &error), DECODE_VERSION);
	CHECK_DECODE_ERROR(&error, DECODE_VERSION, 2, -1);
	CHECK_UINT(error.version, 2);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v0 hits=12 trials=40", &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v10", &r, &error), DECODE_VERSION);
	CHECK_DECODE_ERROR(&error, DECODE_VERSION, 3, -1);
	CHECK_UINT(error.version, 10);

	/*
	 * A long version saturates (stops growing past 1000000) rather than
	 * wrapping: 4294967297 = 2^32 + 1 would wrap to 1 in 32 bits and be
	 * accepted.  The whole number is consumed, so the position is after it.
	 */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v4294967297 hits=12 trials=40", &r, &error),
				 DECODE_VERSION);
	CHECK_DECODE_ERROR(&error, DECODE_VERSION, 11, -1);
	CHECK_UINT(error.version, 4294967);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v18446744073709551617", &r, &error),
				 DECODE_VERSION);
	CHECK(error.version != 1);
}

TEST_CASE(text_parse_version_leading_zeros)
{
	RateSummary r = {-1, -1};
	DecodeError error;

	/*
	 * The version is read as a decimal number, so "v01" and "v0001" are version
	 * 1 and accepted.  Harmless: the value is the same and output is always "v1".
	 */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v01 hits=12 trials=40", &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 12);
	CHECK_INT(r.trials, 40);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v0001 hits=1 trials=1", &r, &error), DECODE_OK);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v010 hits=1 trials=1", &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 10);
}

TEST_CASE(text_parse_field_errors)
{
	RateSummary r;
	NpsSummary	n;
	DecodeError error;

	/* "v1" alone: the first field is missing. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 2, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1   ", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 5, 0);
	/* No space after the version. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 2, 0);
	/* No space between fields. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 10, 1);
	/* Wrong field names, and a name that is a prefix or an extension. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hit=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hitss=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 HITS=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trial=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 11, 1);
	/* Another shape's text. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 promoters=5 passives=3 detractors=2",
							   &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	/* Fields in the wrong order. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 trials=40 hits=12", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=5 detractors=2 passives=3",
							   &n, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 15, 1);
	/* A field missing, or repeated. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 10, 1);
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=5 passives=3", &n, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 25, 2);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 hits=12 trials=40", &r, &error),
				 DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 11, 1);
	/* Missing '=', or a different separator. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits:12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
}

TEST_CASE(text_parse_number_errors)
{
	RateSummary r;
	DecodeError error;

	/* Missing digits, in the middle and at the end. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits= trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 8, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 18, 1);
	/* Signs are not digits: counts are never negative, and one spelling only. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=-1 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 8, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=-40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 18, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=+12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 8, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=-0 trials=0", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 8, 0);
	/* Not integers. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=1.0 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 9, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=0x10 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 9, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=1e3", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 19, -1);
}

TEST_CASE(text_parse_range)
{
	RateSummary r = {-1, -1};
	NpsSummary	n;
	DecodeError error;

	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=9223372036854775807 trials=9223372036854775807",
							   &r, &error), DECODE_OK);
	CHECK_INT(r.hits, INT64_MAX);
	CHECK_INT(r.trials, INT64_MAX);

	/* INT64_MAX + 1: the position is where the number starts. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=0 trials=9223372036854775808",
							   &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 17, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=9223372036854775808 trials=0",
							   &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 8, 0);
	/* 2^64 + 1, which would wrap to 1 in a uint64 accumulator. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=0 trials=18446744073709551617",
							   &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 17, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=0 trials=99999999999999999999999999999999",
							   &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 17, 1);
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=0 passives=0 detractors=9223372036854775810",
							   &n, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 37, 2);

	/* Leading zeros do not count towards the range. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=00000000000000000000000000012 trials=040",
							   &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 12);
	CHECK_INT(r.trials, 40);
}

TEST_CASE(text_parse_trailing_junk)
{
	RateSummary r;
	DecodeError error;

	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40x", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 20, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40 x", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 21, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40 extra=1", &r, &error),
				 DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 21, -1);
	/* The text of a longer shape is trailing junk for a shorter one. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40 trials=40", &r, &error),
				 DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 21, -1);
}

TEST_CASE(text_parse_embedded_nul)
{
	RateSummary r;
	DecodeError error;

	/* A NUL inside the given length is a byte like any other: not accepted. */
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12 trials=40\0", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 20, -1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=12\0trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 10, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=1\0002 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 9, 1);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hi\0ts=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 3, 0);
	CHECK_DECODE(PARSE_LITERAL(RATE, "\0v1 hits=12 trials=40", &r, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 0, -1);
}

TEST_CASE(text_parse_invariants)
{
	RateSummary r;
	NpsSummary	n;
	DecodeError error;

	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=41 trials=40", &r, &error), DECODE_INVARIANT);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 20, -1);
	CHECK_KPI(error.invariant, KPI_HITS_EXCEED_TRIALS);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=1 trials=0 ", &r, &error), DECODE_INVARIANT);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 19, -1);
	CHECK_KPI(error.invariant, KPI_HITS_EXCEED_TRIALS);
	CHECK_DECODE(PARSE_LITERAL(RATE, "v1 hits=40 trials=40", &r, &error), DECODE_OK);

	/* Each bucket fits in int64 but the responses do not. */
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=9223372036854775807 passives=1 detractors=0",
							   &n, &error), DECODE_INVARIANT);
	CHECK_KPI(error.invariant, KPI_OVERFLOW);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 56, -1);
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=4611686018427387904 passives=0"
							   " detractors=4611686018427387904", &n, &error),
				 DECODE_INVARIANT);
	CHECK_KPI(error.invariant, KPI_OVERFLOW);
	/* Exactly INT64_MAX responses is fine. */
	CHECK_DECODE(PARSE_LITERAL(NPS, "v1 promoters=4611686018427387903 passives=1"
							   " detractors=4611686018427387903", &n, &error),
				 DECODE_OK);
	CHECK_INT(nps_responses(&n), INT64_MAX);
}

TEST_CASE(text_parse_never_reads_past_len)
{
	static const char full[] = "v1 hits=1 trials=40";

	/*
	 * Where each proper prefix stops, and which field it was reading; a
	 * prefix that cuts the last number short is a valid, smaller value.
	 */
	static const size_t positions[] = {0, 1, 2, 3, 3, 3, 3, 3, 8, 9,
	10, 10, 10, 10, 10, 10, 10, 17};
	static const int fields[] = {-1, -1, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1};
	RateSummary r;
	DecodeError error;

	for (size_t len = 0; len < sizeof(positions) / sizeof(positions[0]); len++)
	{
		CHECK_DECODE(parse_exact(RATE, full, len, &r, &error), DECODE_SYNTAX);
		CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, positions[len], fields[len]);
	}
	CHECK_DECODE(parse_exact(RATE, full, 18, &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 1);
	CHECK_INT(r.trials, 4);
	CHECK_DECODE(parse_exact(RATE, full, 19, &r, &error), DECODE_OK);
	CHECK_INT(r.hits, 1);
	CHECK_INT(r.trials, 40);
}

TEST_CASE(text_round_trip)
{
	static const int64_t values[] = {0, 1, 9, 10, 99, 100, 999999999, 1000000000,
		INT64_MAX / 10, INT64_MAX / 10 + 1, INT64_MAX - 1, INT64_MAX};
	const int	nvalues = (int) (sizeof(values) / sizeof(values[0]));
	DecodeError error;

	for (int i = 0; i < nvalues; i++)
		for (int j = i; j < nvalues; j++)
		{
			RateSummary in = {values[i], values[j]};
			RateSummary out = {-1, -1};
			char		text[COUNT_SUMMARY_TEXT_MAX];
			size_t		len = count_summary_format_text(RATE, &in, text, sizeof(text));

			CHECK_UINT(len, strlen(text));
			CHECK_DECODE(parse_exact(RATE, text, len, &out, &error), DECODE_OK);
			CHECK_INT(out.hits, in.hits);
			CHECK_INT(out.trials, in.trials);
		}
}
