/*
 * test_rate.c: the count-ratio state (rate.h, rate.c).
 */
#include "tests.h"

#include "core/rate.h"

/* Checks both fields of a RateSummary at once. */
#define CHECK_RATE(s, expected_hits, expected_trials) \
	do { \
		CHECK_INT(s.hits, (expected_hits)); \
		CHECK_INT(s.trials, (expected_trials)); \
	} while (0)

TEST_CASE(rate_add_flag)
{
	RateSummary s = {0, 0};

	CHECK_KPI(rate_add_flag(&s, true), KPI_OK);
	CHECK_RATE(s, 1, 1);
	CHECK_KPI(rate_add_flag(&s, false), KPI_OK);
	CHECK_RATE(s, 1, 2);
	CHECK_KPI(rate_add_flag(&s, false), KPI_OK);
	CHECK_KPI(rate_add_flag(&s, true), KPI_OK);
	CHECK_RATE(s, 2, 4);
}

TEST_CASE(rate_add_flag_overflow)
{
	RateSummary s = {5, INT64_MAX - 1};

	/* The last trial that fits, then the state must stay as it was. */
	CHECK_KPI(rate_add_flag(&s, true), KPI_OK);
	CHECK_RATE(s, 6, INT64_MAX);
	CHECK_KPI(rate_add_flag(&s, false), KPI_OVERFLOW);
	CHECK_RATE(s, 6, INT64_MAX);
	CHECK_KPI(rate_add_flag(&s, true), KPI_OVERFLOW);
	CHECK_RATE(s, 6, INT64_MAX);
}

TEST_CASE(rate_remove_flag)
{
	RateSummary s = {2, 4};

	CHECK_KPI(rate_remove_flag(&s, true), KPI_OK);
	CHECK_RATE(s, 1, 3);
	CHECK_KPI(rate_remove_flag(&s, false), KPI_OK);
	CHECK_RATE(s, 1, 2);
	CHECK_KPI(rate_remove_flag(&s, false), KPI_OK);
	CHECK_RATE(s, 1, 1);
	CHECK_KPI(rate_remove_flag(&s, true), KPI_OK);
	CHECK_RATE(s, 0, 0);
}

TEST_CASE(rate_remove_flag_not_in_state)
{
	RateSummary empty = {0, 0};
	RateSummary only_misses = {0, 3};
	RateSummary only_hits = {2, 2};

	CHECK_KPI(rate_remove_flag(&empty, true), KPI_NOT_IN_STATE);
	CHECK_KPI(rate_remove_flag(&empty, false), KPI_NOT_IN_STATE);
	CHECK_RATE(empty, 0, 0);

	/* No hit was ever added, so no hit can be removed. */
	CHECK_KPI(rate_remove_flag(&only_misses, true), KPI_NOT_IN_STATE);
	CHECK_RATE(only_misses, 0, 3);

	/*
	 * Every trial was a hit, so no miss can be removed; doing it anyway would
	 * leave hits > trials.
	 */
	CHECK_KPI(rate_remove_flag(&only_hits, false), KPI_NOT_IN_STATE);
	CHECK_RATE(only_hits, 2, 2);
}

TEST_CASE(rate_add_counts)
{
	RateSummary s = {0, 0};

	CHECK_KPI(rate_add_counts(&s, 3, 10), KPI_OK);
	CHECK_RATE(s, 3, 10);
	CHECK_KPI(rate_add_counts(&s, 0, 0), KPI_OK);
	CHECK_RATE(s, 3, 10);
	CHECK_KPI(rate_add_counts(&s, 0, 5), KPI_OK);
	CHECK_KPI(rate_add_counts(&s, 7, 7), KPI_OK);
	CHECK_RATE(s, 10, 22);
}

TEST_CASE(rate_add_counts_bad_row)
{
	RateSummary s = {1, 2};

	CHECK_KPI(rate_add_counts(&s, -1, 5), KPI_NEGATIVE_HITS);
	CHECK_KPI(rate_add_counts(&s, INT64_MIN, 5), KPI_NEGATIVE_HITS);
	/* A negative hits count is reported before a negative trials count. */
	CHECK_KPI(rate_add_counts(&s, -1, -1), KPI_NEGATIVE_HITS);
	CHECK_KPI(rate_add_counts(&s, 0, -1), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(rate_add_counts(&s, 0, INT64_MIN), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(rate_add_counts(&s, 6, 5), KPI_HITS_EXCEED_TRIALS);
	CHECK_KPI(rate_add_counts(&s, INT64_MAX, 0), KPI_HITS_EXCEED_TRIALS);
	/* Rejected rows leave the state alone. */
	CHECK_RATE(s, 1, 2);
}

TEST_CASE(rate_add_counts_overflow)
{
	RateSummary s = {1, 2};

	CHECK_KPI(rate_add_counts(&s, 0, INT64_MAX - 2), KPI_OK);
	CHECK_RATE(s, 1, INT64_MAX);
	CHECK_KPI(rate_add_counts(&s, 0, 1), KPI_OVERFLOW);
	CHECK_KPI(rate_add_counts(&s, 1, 1), KPI_OVERFLOW);
	CHECK_KPI(rate_add_counts(&s, INT64_MAX, INT64_MAX), KPI_OVERFLOW);
	CHECK_RATE(s, 1, INT64_MAX);
	/* Adding nothing to a full state is fine. */
	CHECK_KPI(rate_add_counts(&s, 0, 0), KPI_OK);
	CHECK_RATE(s, 1, INT64_MAX);

	s.hits = 0;
	s.trials = 0;
	CHECK_KPI(rate_add_counts(&s, INT64_MAX, INT64_MAX), KPI_OK);
	CHECK_RATE(s, INT64_MAX, INT64_MAX);
	CHECK_KPI(rate_add_counts(&s, 0, 1), KPI_OVERFLOW);
	CHECK_RATE(s, INT64_MAX, INT64_MAX);
}

TEST_CASE(rate_remove_counts)
{
	RateSummary s = {10, 22};

	CHECK_KPI(rate_remove_counts(&s, 3, 10), KPI_OK);
	CHECK_RATE(s, 7, 12);
	CHECK_KPI(rate_remove_counts(&s, 0, 0), KPI_OK);
	CHECK_RATE(s, 7, 12);
	CHECK_KPI(rate_remove_counts(&s, 0, 5), KPI_OK);
	CHECK_RATE(s, 7, 7);
	CHECK_KPI(rate_remove_counts(&s, 7, 7), KPI_OK);
	CHECK_RATE(s, 0, 0);

	s.hits = INT64_MAX;
	s.trials = INT64_MAX;
	CHECK_KPI(rate_remove_counts(&s, INT64_MAX, INT64_MAX), KPI_OK);
	CHECK_RATE(s, 0, 0);
}

TEST_CASE(rate_remove_counts_bad_row)
{
	RateSummary s = {5, 10};

	CHECK_KPI(rate_remove_counts(&s, -1, 5), KPI_NEGATIVE_HITS);
	CHECK_KPI(rate_remove_counts(&s, 0, -1), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(rate_remove_counts(&s, 3, 2), KPI_HITS_EXCEED_TRIALS);
	CHECK_RATE(s, 5, 10);
}

TEST_CASE(rate_remove_counts_not_in_state)
{
	RateSummary empty = {0, 0};
	RateSummary s = {5, 10};

	CHECK_KPI(rate_remove_counts(&empty, 0, 1), KPI_NOT_IN_STATE);
	CHECK_KPI(rate_remove_counts(&empty, 1, 1), KPI_NOT_IN_STATE);
	CHECK_RATE(empty, 0, 0);

	/* More trials than the state holds. */
	CHECK_KPI(rate_remove_counts(&s, 0, 11), KPI_NOT_IN_STATE);
	/* More hits than the state holds. */
	CHECK_KPI(rate_remove_counts(&s, 6, 6), KPI_NOT_IN_STATE);
	/* Rows of 6 misses, but the state has 5: 5 hits in 4 trials would remain. */
	CHECK_KPI(rate_remove_counts(&s, 0, 6), KPI_NOT_IN_STATE);
	CHECK_KPI(rate_remove_counts(&s, 1, 7), KPI_NOT_IN_STATE);
	CHECK_RATE(s, 5, 10);
	/* Exactly the 5 misses works. */
	CHECK_KPI(rate_remove_counts(&s, 0, 5), KPI_OK);
	CHECK_RATE(s, 5, 5);
}

TEST_CASE(rate_merge)
{
	RateSummary into = {3, 10};
	RateSummary from = {4, 5};
	RateSummary empty = {0, 0};

	CHECK_KPI(rate_merge(&into, &from), KPI_OK);
	CHECK_RATE(into, 7, 15);
	CHECK_RATE(from, 4, 5);
	CHECK_KPI(rate_merge(&into, &empty), KPI_OK);
	CHECK_RATE(into, 7, 15);
	CHECK_KPI(rate_merge(&empty, &into), KPI_OK);
	CHECK_RATE(empty, 7, 15);
}

TEST_CASE(rate_merge_overflow)
{
	RateSummary into = {1, INT64_MAX - 5};
	RateSummary fits = {5, 5};
	RateSummary one_more = {0, 1};

	CHECK_KPI(rate_merge(&into, &fits), KPI_OK);
	CHECK_RATE(into, 6, INT64_MAX);
	CHECK_KPI(rate_merge(&into, &one_more), KPI_OVERFLOW);
	CHECK_RATE(into, 6, INT64_MAX);
}

TEST_CASE(rate_merge_invalid_from)
{
	RateSummary into = {1, 2};
	RateSummary negative_hits = {-1, 2};
	RateSummary negative_trials = {0, -2};
	RateSummary hits_exceed = {3, 2};

	CHECK_KPI(rate_merge(&into, &negative_hits), KPI_NEGATIVE_HITS);
	CHECK_KPI(rate_merge(&into, &negative_trials), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(rate_merge(&into, &hits_exceed), KPI_HITS_EXCEED_TRIALS);
	CHECK_RATE(into, 1, 2);
}

TEST_CASE(rate_check)
{
	RateSummary ok = {3, 3};
	RateSummary full = {INT64_MAX, INT64_MAX};
	RateSummary zero = {0, 0};
	RateSummary negative_hits = {-1, 0};
	RateSummary negative_trials = {0, -1};
	RateSummary hits_exceed = {1, 0};

	CHECK_KPI(rate_check(&ok), KPI_OK);
	CHECK_KPI(rate_check(&full), KPI_OK);
	CHECK_KPI(rate_check(&zero), KPI_OK);
	CHECK_KPI(rate_check(&negative_hits), KPI_NEGATIVE_HITS);
	CHECK_KPI(rate_check(&negative_trials), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(rate_check(&hits_exceed), KPI_HITS_EXCEED_TRIALS);
	CHECK_KPI(rate_check_counts(0, 0), KPI_OK);
	CHECK_KPI(rate_check_counts(INT64_MIN, INT64_MIN), KPI_NEGATIVE_HITS);
}

TEST_CASE(rate_value)
{
	RateSummary none = {0, 0};
	RateSummary s = {12, 40};
	RateSummary third = {1, 3};
	RateSummary zero_hits = {0, 5};
	RateSummary all = {7, 7};
	RateSummary huge = {INT64_MAX - 1, INT64_MAX};
	RateSummary odd = {1234567890123LL, 9876543210987LL};
	double		value = -42.0;

	/* Undefined without trials, and the output is left alone. */
	CHECK(!rate_value(&none, &value));
	CHECK_DOUBLE(value, -42.0);

	CHECK(rate_value(&s, &value));
	CHECK_DOUBLE(value, 0.3);
	CHECK_DOUBLE(value, (double) 12 / (double) 40);
	CHECK(rate_value(&third, &value));
	CHECK_DOUBLE(value, 1.0 / 3.0);
	CHECK(rate_value(&zero_hits, &value));
	CHECK_DOUBLE(value, 0.0);
	CHECK(rate_value(&all, &value));
	CHECK_DOUBLE(value, 1.0);
	/* Both counts round to 2^63 as doubles, so the rate is exactly 1. */
	CHECK(rate_value(&huge, &value));
	CHECK_DOUBLE(value, 1.0);
	CHECK(rate_value(&odd, &value));
	CHECK_DOUBLE(value, (double) 1234567890123LL / (double) 9876543210987LL);
}
