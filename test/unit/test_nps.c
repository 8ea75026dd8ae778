/*
 * test_nps.c: the Net Promoter Score state (nps.h, nps.c).
 */
#include "tests.h"

#include "core/nps.h"

#define CHECK_NPS(s, expected_promoters, expected_passives, expected_detractors) \
	do { \
		CHECK_INT(s.promoters, (expected_promoters)); \
		CHECK_INT(s.passives, (expected_passives)); \
		CHECK_INT(s.detractors, (expected_detractors)); \
	} while (0)

TEST_CASE(nps_add_score_buckets)
{
	NpsSummary s = {0, 0, 0};

	/* Each boundary of each bucket: 0 and 6 detract, 7 and 8 are passive, 9 and 10 promote. */
	CHECK_KPI(nps_add_score(&s, 0), KPI_OK);
	CHECK_NPS(s, 0, 0, 1);
	CHECK_KPI(nps_add_score(&s, 6), KPI_OK);
	CHECK_NPS(s, 0, 0, 2);
	CHECK_KPI(nps_add_score(&s, 7), KPI_OK);
	CHECK_NPS(s, 0, 1, 2);
	CHECK_KPI(nps_add_score(&s, 8), KPI_OK);
	CHECK_NPS(s, 0, 2, 2);
	CHECK_KPI(nps_add_score(&s, 9), KPI_OK);
	CHECK_NPS(s, 1, 2, 2);
	CHECK_KPI(nps_add_score(&s, 10), KPI_OK);
	CHECK_NPS(s, 2, 2, 2);
	CHECK_INT(nps_responses(&s), 6);
}

TEST_CASE(nps_add_score_out_of_range)
{
	NpsSummary s = {1, 2, 3};

	CHECK_KPI(nps_add_score(&s, -1), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_add_score(&s, 11), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_add_score(&s, INT32_MIN), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_add_score(&s, INT32_MAX), KPI_SCORE_OUT_OF_RANGE);
	CHECK_NPS(s, 1, 2, 3);
}

TEST_CASE(nps_add_score_overflow)
{
	NpsSummary s = {INT64_MAX - 3, 1, 1};

	CHECK_KPI(nps_add_score(&s, 7), KPI_OK);
	CHECK_NPS(s, INT64_MAX - 3, 2, 1);
	CHECK_INT(nps_responses(&s), INT64_MAX);
	/* Every bucket is refused once the number of responses is full. */
	CHECK_KPI(nps_add_score(&s, 0), KPI_OVERFLOW);
	CHECK_KPI(nps_add_score(&s, 8), KPI_OVERFLOW);
	CHECK_KPI(nps_add_score(&s, 10), KPI_OVERFLOW);
	CHECK_NPS(s, INT64_MAX - 3, 2, 1);
	/* A bad score is still reported as such, not as an overflow. */
	CHECK_KPI(nps_add_score(&s, 11), KPI_SCORE_OUT_OF_RANGE);
}

TEST_CASE(nps_remove_score)
{
	NpsSummary s = {2, 2, 2};

	CHECK_KPI(nps_remove_score(&s, 10), KPI_OK);
	CHECK_NPS(s, 1, 2, 2);
	/* Any score of the bucket undoes any other: the state keeps buckets only. */
	CHECK_KPI(nps_remove_score(&s, 9), KPI_OK);
	CHECK_NPS(s, 0, 2, 2);
	CHECK_KPI(nps_remove_score(&s, 7), KPI_OK);
	CHECK_KPI(nps_remove_score(&s, 8), KPI_OK);
	CHECK_NPS(s, 0, 0, 2);
	CHECK_KPI(nps_remove_score(&s, 0), KPI_OK);
	CHECK_KPI(nps_remove_score(&s, 6), KPI_OK);
	CHECK_NPS(s, 0, 0, 0);
}

TEST_CASE(nps_remove_score_errors)
{
	NpsSummary empty = {0, 0, 0};
	NpsSummary only_passives = {0, 1, 0};

	for (int32_t score = 0; score <= 10; score++)
		CHECK_KPI(nps_remove_score(&empty, score), KPI_NOT_IN_STATE);
	CHECK_NPS(empty, 0, 0, 0);

	CHECK_KPI(nps_remove_score(&only_passives, 9), KPI_NOT_IN_STATE);
	CHECK_KPI(nps_remove_score(&only_passives, 3), KPI_NOT_IN_STATE);
	CHECK_NPS(only_passives, 0, 1, 0);

	CHECK_KPI(nps_remove_score(&only_passives, -1), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_remove_score(&only_passives, 11), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_remove_score(&only_passives, INT32_MIN), KPI_SCORE_OUT_OF_RANGE);
	CHECK_KPI(nps_remove_score(&only_passives, INT32_MAX), KPI_SCORE_OUT_OF_RANGE);
	/* An out-of-range score is reported even when the state is empty. */
	CHECK_KPI(nps_remove_score(&empty, 42), KPI_SCORE_OUT_OF_RANGE);
	CHECK_NPS(only_passives, 0, 1, 0);
}

TEST_CASE(nps_merge)
{
	NpsSummary into = {1, 2, 3};
	NpsSummary from = {10, 20, 30};
	NpsSummary empty = {0, 0, 0};

	CHECK_KPI(nps_merge(&into, &from), KPI_OK);
	CHECK_NPS(into, 11, 22, 33);
	CHECK_NPS(from, 10, 20, 30);
	CHECK_KPI(nps_merge(&into, &empty), KPI_OK);
	CHECK_NPS(into, 11, 22, 33);
}

TEST_CASE(nps_merge_overflow)
{
	NpsSummary into = {INT64_MAX - 10, 0, 0};
	NpsSummary fits = {0, 4, 6};
	NpsSummary one_more = {0, 0, 1};
	NpsSummary bad_from = {INT64_MAX, 1, 0};
	NpsSummary negative = {0, -1, 0};

	CHECK_KPI(nps_merge(&into, &fits), KPI_OK);
	CHECK_NPS(into, INT64_MAX - 10, 4, 6);
	/* Each bucket alone fits, but the responses do not. */
	CHECK_KPI(nps_merge(&into, &one_more), KPI_OVERFLOW);
	CHECK_NPS(into, INT64_MAX - 10, 4, 6);

	/* A 'from' whose own responses overflow is rejected as invalid. */
	into.promoters = 0;
	into.passives = 0;
	into.detractors = 0;
	CHECK_KPI(nps_merge(&into, &bad_from), KPI_OVERFLOW);
	CHECK_KPI(nps_merge(&into, &negative), KPI_NEGATIVE_TRIALS);
	CHECK_NPS(into, 0, 0, 0);
}

TEST_CASE(nps_check)
{
	NpsSummary zero = {0, 0, 0};
	NpsSummary full = {INT64_MAX - 2, 1, 1};
	NpsSummary full_detractors = {0, 0, INT64_MAX};
	NpsSummary over_two = {INT64_MAX, 1, 0};
	NpsSummary over_three = {INT64_MAX - 1, 1, 1};
	NpsSummary over_each = {INT64_MAX, INT64_MAX, INT64_MAX};
	NpsSummary negative_promoters = {-1, 0, 0};
	NpsSummary negative_passives = {0, -1, 0};
	NpsSummary negative_detractors = {0, 0, INT64_MIN};

	CHECK_KPI(nps_check(&zero), KPI_OK);
	CHECK_KPI(nps_check(&full), KPI_OK);
	CHECK_KPI(nps_check(&full_detractors), KPI_OK);
	CHECK_KPI(nps_check(&over_two), KPI_OVERFLOW);
	CHECK_KPI(nps_check(&over_three), KPI_OVERFLOW);
	CHECK_KPI(nps_check(&over_each), KPI_OVERFLOW);
	/* The core reports a negative bucket as a negative count of responses. */
	CHECK_KPI(nps_check(&negative_promoters), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(nps_check(&negative_passives), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(nps_check(&negative_detractors), KPI_NEGATIVE_TRIALS);
}

TEST_CASE(nps_value)
{
	NpsSummary s = {0, 0, 0};
	NpsSummary promoters_only = {3, 0, 0};
	NpsSummary detractors_only = {0, 0, 4};
	NpsSummary passives_only = {0, 5, 0};
	NpsSummary known = {5, 3, 2};
	NpsSummary full = {INT64_MAX, 0, 0};
	double		value = 42.0;

	CHECK(!nps_value(&s, &value));
	CHECK_DOUBLE(value, 42.0);

	/* Scores 0..10 once each: 2 promoters, 2 passives, 7 detractors. */
	for (int32_t score = 0; score <= 10; score++)
		CHECK_KPI(nps_add_score(&s, score), KPI_OK);
	CHECK_NPS(s, 2, 2, 7);
	CHECK(nps_value(&s, &value));
	CHECK_DOUBLE(value, 100 * (2 - 7) / 11.0);

	CHECK(nps_value(&promoters_only, &value));
	CHECK_DOUBLE(value, 100.0);
	CHECK(nps_value(&detractors_only, &value));
	CHECK_DOUBLE(value, -100.0);
	CHECK(nps_value(&passives_only, &value));
	CHECK_DOUBLE(value, 0.0);
	CHECK(nps_value(&known, &value));
	CHECK_DOUBLE(value, 30.0);
	CHECK(nps_value(&full, &value));
	CHECK_DOUBLE(value, 100.0);
}
