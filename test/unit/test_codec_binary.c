/*
 * test_codec_binary.c: the binary form of count summaries (count_summary.c).
 *
 * Decoding goes through decode_exact(), a malloc'ed copy of exactly the given
 * length, so AddressSanitizer reports any read past it.
 */
#include "tests.h"

#include <string.h>

#include "core/nps.h"
#include "core/rate.h"

#define RATE (&rate_summary_shape)
#define NPS (&nps_summary_shape)

TEST_CASE(binary_size)
{
	CHECK_UINT(count_summary_binary_size(RATE), 17);
	CHECK_UINT(count_summary_binary_size(NPS), 25);
	CHECK(count_summary_binary_size(NPS) <= COUNT_SUMMARY_MAX_BINARY);
}

TEST_CASE(binary_encode_known)
{
	static const unsigned char rate_12_40[17] = {
		0x01,
		0, 0, 0, 0, 0, 0, 0, 12,
		0, 0, 0, 0, 0, 0, 0, 40
	};
	/* Distinct bytes, so a swapped or reversed byte shows. */
	static const unsigned char rate_distinct[17] = {
		0x01,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18
	};
	static const unsigned char rate_max[17] = {
		0x01,
		0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	static const unsigned char nps_5_3_2[25] = {
		0x01,
		0, 0, 0, 0, 0, 0, 0, 5,
		0, 0, 0, 0, 0, 0, 0, 3,
		0, 0, 0, 0, 0, 0, 0, 2
	};
	static const unsigned char nps_wide[25] = {
		0x01,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00
	};
	RateSummary r12 = {12, 40};
	RateSummary rdistinct = {INT64_C(0x0102030405060708), INT64_C(0x1112131415161718)};
	RateSummary rmax = {INT64_MAX, INT64_MAX};
	NpsSummary	n532 = {5, 3, 2};
	NpsSummary	nwide = {INT64_C(0x100000000), 256, INT64_C(0xdeadbeef000000)};
	unsigned char out[COUNT_SUMMARY_MAX_BINARY];

	count_summary_encode_binary(RATE, &r12, out);
	CHECK_BYTES(out, rate_12_40, sizeof(rate_12_40));
	count_summary_encode_binary(RATE, &rdistinct, out);
	CHECK_BYTES(out, rate_distinct, sizeof(rate_distinct));
	count_summary_encode_binary(RATE, &rmax, out);
	CHECK_BYTES(out, rate_max, sizeof(rate_max));
	count_summary_encode_binary(NPS, &n532, out);
	CHECK_BYTES(out, nps_5_3_2, sizeof(nps_5_3_2));
	count_summary_encode_binary(NPS, &nwide, out);
	CHECK_BYTES(out, nps_wide, sizeof(nps_wide));
}

TEST_CASE(binary_decode_known)
{
	static const unsigned char rate_distinct[17] = {
		0x01,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18
	};
	static const unsigned char nps_5_3_2[25] = {
		0x01,
		0, 0, 0, 0, 0, 0, 0, 5,
		0, 0, 0, 0, 0, 0, 0, 3,
		0, 0, 0, 0, 0, 0, 0, 2
	};
	RateSummary r = {-1, -1};
	NpsSummary	n = {-1, -1, -1};
	DecodeError error;

	CHECK_DECODE(decode_exact(RATE, rate_distinct, sizeof(rate_distinct), &r, &error),
				 DECODE_OK);
	CHECK_INT(r.hits, INT64_C(0x0102030405060708));
	CHECK_INT(r.trials, INT64_C(0x1112131415161718));
	CHECK_DECODE(error.status, DECODE_OK);

	CHECK_DECODE(decode_exact(NPS, nps_5_3_2, sizeof(nps_5_3_2), &n, &error), DECODE_OK);
	CHECK_INT(n.promoters, 5);
	CHECK_INT(n.passives, 3);
	CHECK_INT(n.detractors, 2);
}

TEST_CASE(binary_round_trip)
{
	static const int64_t values[] = {0, 1, 255, 256, 65535, INT64_C(0x80000000),
		INT64_C(0xffffffff), INT64_C(0x100000000), INT64_MAX - 1, INT64_MAX};
	const int	nvalues = (int) (sizeof(values) / sizeof(values[0]));
	DecodeError error;

	for (int i = 0; i < nvalues; i++)
		for (int j = i; j < nvalues; j++)
		{
			RateSummary in = {values[i], values[j]};
			RateSummary out = {-1, -1};
			unsigned char bytes[COUNT_SUMMARY_MAX_BINARY];

			count_summary_encode_binary(RATE, &in, bytes);
			CHECK_DECODE(decode_exact(RATE, bytes, count_summary_binary_size(RATE),
									  &out, &error), DECODE_OK);
			CHECK_INT(out.hits, in.hits);
			CHECK_INT(out.trials, in.trials);
		}
}

TEST_CASE(binary_decode_length)
{
	unsigned char bytes[COUNT_SUMMARY_MAX_BINARY + 8];
	RateSummary r = {12, 40};
	NpsSummary	n = {5, 3, 2};
	DecodeError error;

	count_summary_encode_binary(RATE, &r, bytes);
	memset(bytes + 17, 0, sizeof(bytes) - 17);

	CHECK_DECODE(decode_exact(RATE, bytes, 0, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 0, -1);
	/* The version byte alone; then one byte short; then one byte too many. */
	CHECK_DECODE(decode_exact(RATE, bytes, 1, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 1, -1);
	CHECK_DECODE(decode_exact(RATE, bytes, 9, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 9, -1);
	CHECK_DECODE(decode_exact(RATE, bytes, 16, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 16, -1);
	CHECK_DECODE(decode_exact(RATE, bytes, 18, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 18, -1);
	CHECK_DECODE(decode_exact(RATE, bytes, sizeof(bytes), &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, sizeof(bytes), -1);

	/* A rate_summary is not an nps_summary, and the other way round. */
	count_summary_encode_binary(NPS, &n, bytes);
	CHECK_DECODE(decode_exact(RATE, bytes, 25, &r, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 25, -1);
	CHECK_DECODE(decode_exact(NPS, bytes, 17, &n, &error), DECODE_LENGTH);
	CHECK_DECODE_ERROR(&error, DECODE_LENGTH, 17, -1);
	CHECK_DECODE(decode_exact(NPS, bytes, 24, &n, &error), DECODE_LENGTH);
	CHECK_DECODE(decode_exact(NPS, bytes, 26, &n, &error), DECODE_LENGTH);
	CHECK_DECODE(decode_exact(NPS, bytes, 25, &n, &error), DECODE_OK);
}

TEST_CASE(binary_decode_version)
{
	unsigned char bytes[17];
	RateSummary r = {12, 40};
	DecodeError error;

	count_summary_encode_binary(RATE, &r, bytes);

	bytes[0] = 2;
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_VERSION);
	CHECK_DECODE_ERROR(&error, DECODE_VERSION, 0, -1);
	CHECK_UINT(error.version, 2);
	bytes[0] = 0;
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 0);
	bytes[0] = 0xff;
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 255);
	/* ASCII '1', as if a text form had been sent as binary. */
	bytes[0] = '1';
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, '1');

	/*
	 * The version is judged before the length, since a later version may have
	 * another layout: a lone unknown version byte is a version error.
	 */
	bytes[0] = 2;
	CHECK_DECODE(decode_exact(RATE, bytes, 1, &r, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 2);
}

TEST_CASE(binary_decode_out_of_range)
{
	unsigned char bytes[25];
	RateSummary r = {12, 40};
	NpsSummary	n = {5, 3, 2};
	DecodeError error;

	/* The top bit of each field in turn: a negative int64, never a count. */
	count_summary_encode_binary(RATE, &r, bytes);
	bytes[1] |= 0x80;
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 1, 0);

	r.hits = 12;
	r.trials = 40;
	count_summary_encode_binary(RATE, &r, bytes);
	bytes[9] |= 0x80;
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 9, 1);

	count_summary_encode_binary(NPS, &n, bytes);
	bytes[17] = 0x80;
	CHECK_DECODE(decode_exact(NPS, bytes, 25, &n, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 17, 2);

	/* All ones: -1. */
	memset(bytes + 1, 0xff, 24);
	CHECK_DECODE(decode_exact(NPS, bytes, 25, &n, &error), DECODE_OUT_OF_RANGE);
	CHECK_DECODE_ERROR(&error, DECODE_OUT_OF_RANGE, 1, 0);
}

TEST_CASE(binary_decode_invariants)
{
	unsigned char bytes[25];
	RateSummary r = {41, 40};
	NpsSummary	n = {INT64_MAX, 0, 1};
	DecodeError error;

	count_summary_encode_binary(RATE, &r, bytes);
	CHECK_DECODE(decode_exact(RATE, bytes, 17, &r, &error), DECODE_INVARIANT);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 17, -1);
	CHECK_KPI(error.invariant, KPI_HITS_EXCEED_TRIALS);

	count_summary_encode_binary(NPS, &n, bytes);
	CHECK_DECODE(decode_exact(NPS, bytes, 25, &n, &error), DECODE_INVARIANT);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 25, -1);
	CHECK_KPI(error.invariant, KPI_OVERFLOW);
}
