/*
 * test_velocity.c: the sales_velocity states (velocity.h, velocity.c): the
 * cycle of a row, the exact cycle sum, the checks and text fields of both
 * summaries, and the double precision summary's add, remove, merge and value.
 */
#include "tests.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/velocity.h"

/* PostgreSQL's timestamp limits, in microseconds from 2000-01-01. */
#define PG_MIN_TIMESTAMP INT64_C(-211813488000000000)
#define PG_END_TIMESTAMP INT64_C(9223371331200000000)
#define USECS_PER_DAY INT64_C(86400000000)

static const char empty_text[] =
	"v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0";
static const char float_empty_text[] =
	"v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0";

/* Scans and builds a velocity_summary from text; returns the scan status. */
static DecodeStatus
velocity_parse(const char *text, VelocitySummary *v, KpiStatus *status)
{
	TextFieldValue values[VELOCITY_NFIELDS];
	DecodeError error;
	DecodeStatus decoded = scan_exact(text, strlen(text), velocity_summary_fields,
									  VELOCITY_NFIELDS, values, &error);

	memset(v, 0, sizeof(*v));
	*status = decoded == DECODE_OK ? velocity_from_fields(v, values) : KPI_OK;
	return decoded;
}

static DecodeStatus
float_velocity_parse(const char *text, FloatVelocitySummary *s, KpiStatus *status)
{
	TextFieldValue values[FLOAT_VELOCITY_NFIELDS];
	DecodeError error;
	DecodeStatus decoded = scan_exact(text, strlen(text), float_velocity_summary_fields,
									  FLOAT_VELOCITY_NFIELDS, values, &error);

	memset(s, 0, sizeof(*s));
	*status = decoded == DECODE_OK ? float_velocity_from_fields(s, values) : KPI_OK;
	return decoded;
}

/* The velocity_summary a text spells must pass (ok) or fail its check. */
#define CHECK_VELOCITY_TEXT(text, expected) \
	do { \
		VelocitySummary v_; \
		KpiStatus st_; \
		CHECK_DECODE(velocity_parse((text), &v_, &st_), DECODE_OK); \
		CHECK_KPI(st_, (expected)); \
	} while (0)

#define CHECK_FLOAT_VELOCITY_TEXT(text, expected) \
	do { \
		FloatVelocitySummary s_; \
		KpiStatus st_; \
		CHECK_DECODE(float_velocity_parse((text), &s_, &st_), DECODE_OK); \
		CHECK_KPI(st_, (expected)); \
	} while (0)

/* ---- the cycle of one row ---- */

TEST_CASE(velocity_cycle_of_row)
{
	kpi_int128	us;

	CHECK(velocity_cycle(0, USECS_PER_DAY, &us));
	CHECK_INT128(us, USECS_PER_DAY);
	CHECK(velocity_cycle(-5, -5, &us));
	CHECK_INT128(us, 0);
	CHECK(!velocity_cycle(1, 0, &us));
	CHECK_INT128(us, -1);
	/* The widest cycle PostgreSQL can store passes INT64_MAX: held in 128 bits. */
	CHECK(velocity_cycle(PG_MIN_TIMESTAMP, PG_END_TIMESTAMP - 1, &us));
	CHECK_INT128(us, (kpi_int128) PG_END_TIMESTAMP - 1 - PG_MIN_TIMESTAMP);
	CHECK(us > INT64_MAX);
	CHECK(!velocity_cycle(PG_END_TIMESTAMP - 1, PG_MIN_TIMESTAMP, &us));
	CHECK(velocity_cycle(INT64_MIN, INT64_MAX, &us));
	CHECK_INT128(us, ((kpi_int128) 1 << 64) - 1);
}

/* ---- the exact cycle sum ---- */

TEST_CASE(velocity_cycle_sum_add_remove)
{
	VelocitySummary v;
	KpiStatus	st;

	CHECK_DECODE(velocity_parse(empty_text, &v, &st), DECODE_OK);
	CHECK_KPI(st, KPI_OK);

	CHECK_INT(velocity_cycle_add(&v.cycle_seconds, USECS_PER_DAY), DECIMAL_DONE);
	CHECK_INT(velocity_cycle_add(&v.cycle_seconds, 1), DECIMAL_DONE);
	CHECK_INT(velocity_cycle_add(&v.cycle_seconds, 0), DECIMAL_DONE);
	CHECK_HELD_VALUE(v.cycle_seconds, "86400.000001");
	CHECK_INT(v.cycle_seconds.scale, 6);
	CHECK_INT(v.cycle_seconds.scale_rows, 3);
	v.rows = 3;
	CHECK_KPI(velocity_check(&v), KPI_OK);

	CHECK_INT(velocity_cycle_remove(&v.cycle_seconds, 1), DECIMAL_DONE);
	CHECK_HELD_VALUE(v.cycle_seconds, "86400.000000");
	CHECK_INT(velocity_cycle_remove(&v.cycle_seconds, USECS_PER_DAY), DECIMAL_DONE);
	CHECK_HELD_VALUE(v.cycle_seconds, "0");
	CHECK_INT(v.cycle_seconds.scale_rows, 1);
	/* The last row's scale leaving makes the scale unknown, as for any sum. */
	CHECK_INT(velocity_cycle_remove(&v.cycle_seconds, 0), DECIMAL_RESTART);

	/* The widest cycles still fit the held part many times over. */
	memset(&v, 0, sizeof(v));
	for (int i = 0; i < 1000; i++)
		CHECK_INT(velocity_cycle_add(&v.cycle_seconds,
									 (kpi_int128) PG_END_TIMESTAMP - PG_MIN_TIMESTAMP),
				  DECIMAL_DONE);
	CHECK_HELD_VALUE(v.cycle_seconds, "9435184819200000.000000");
	CHECK(!v.cycle_seconds.spilled);
}

TEST_CASE(velocity_cycle_sum_spill)
{
	DecimalSum	sum;

	/* Near 2^127 units of 10^-8 s the held part is full: the caller spills. */
	memset(&sum, 0, sizeof(sum));
	CHECK(decimal_sum_hold(&sum, TEST_INT128_MAX - 5, VELOCITY_CYCLE_SCALE + 2));
	sum.scale = VELOCITY_CYCLE_SCALE;
	sum.scale_rows = 1;
	CHECK_INT(velocity_cycle_add(&sum, INT64_MAX), DECIMAL_SPILL);
	CHECK(sum.spilled);
	CHECK_INT(sum.scale_rows, 2);
}

/* ---- velocity_summary fields ---- */

TEST_CASE(velocity_from_fields_states)
{
	VelocitySummary v;
	KpiStatus	st;

	CHECK_DECODE(velocity_parse("v1 rows=3 won_amount=-12.50 won_amount_scale_rows=1 "
								"cycle_seconds=90000.000001 cycle_seconds_scale_rows=3",
								&v, &st), DECODE_OK);
	CHECK_KPI(st, KPI_OK);
	CHECK_INT(v.rows, 3);
	CHECK_HELD_VALUE(v.won_amount, "-12.50");
	CHECK_INT(v.won_amount.scale, 2);
	CHECK_INT(v.won_amount.scale_rows, 1);
	CHECK_HELD_VALUE(v.cycle_seconds, "90000.000001");
	CHECK_INT(v.cycle_seconds.scale, 6);
	CHECK_INT(v.cycle_seconds.held_scale, 8);

	/* Closed rows but none won: the won sum is 0 at scale 0. */
	CHECK_VELOCITY_TEXT("v1 rows=2 won_amount=0 won_amount_scale_rows=0 "
						"cycle_seconds=5.000000 cycle_seconds_scale_rows=2", KPI_OK);
	/* Won rows whose amounts cancel keep their scale. */
	CHECK_VELOCITY_TEXT("v1 rows=2 won_amount=0.00 won_amount_scale_rows=2 "
						"cycle_seconds=5.000000 cycle_seconds_scale_rows=2", KPI_OK);
	/* Every cycle zero. */
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=7 won_amount_scale_rows=1 "
						"cycle_seconds=0.000000 cycle_seconds_scale_rows=1", KPI_OK);
	/* Too wide for 128 bits: spilled, the caller reads the text. */
	CHECK_DECODE(velocity_parse("v1 rows=1 won_amount=1000000000000000000000000000000000000000 "
								"won_amount_scale_rows=1 cycle_seconds=1000000000000000000000000000000000.000000 "
								"cycle_seconds_scale_rows=1", &v, &st), DECODE_OK);
	CHECK_KPI(st, KPI_OK);
	CHECK(v.won_amount.spilled);
	CHECK(v.cycle_seconds.spilled);
}

TEST_CASE(velocity_from_fields_rejects)
{
	/* Empty summaries are all zeros. */
	CHECK_VELOCITY_TEXT("v1 rows=0 won_amount=1 won_amount_scale_rows=0 "
						"cycle_seconds=0 cycle_seconds_scale_rows=0", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=0 won_amount=0 won_amount_scale_rows=0 "
						"cycle_seconds=0.000000 cycle_seconds_scale_rows=0", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=0 won_amount=0 won_amount_scale_rows=0 "
						"cycle_seconds=0 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	/* More rows carry a scale than there are rows. */
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=1.5 won_amount_scale_rows=2 "
						"cycle_seconds=1.000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	/* A won sum no row reached must be exactly 0 at scale 0. */
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=1.5 won_amount_scale_rows=0 "
						"cycle_seconds=1.000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=0.0 won_amount_scale_rows=0 "
						"cycle_seconds=1.000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	/* The cycle sum has scale 6, carried by every row, and is not negative. */
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=1 won_amount_scale_rows=1 "
						"cycle_seconds=1 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=1 won_amount_scale_rows=1 "
						"cycle_seconds=1.0000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=2 won_amount=1 won_amount_scale_rows=1 "
						"cycle_seconds=1.000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
	CHECK_VELOCITY_TEXT("v1 rows=1 won_amount=1 won_amount_scale_rows=1 "
						"cycle_seconds=-1.000000 cycle_seconds_scale_rows=1", KPI_INCONSISTENT);
}

TEST_CASE(velocity_text_fields)
{
	VelocitySummary v;
	KpiStatus	st;

	/* The field order is fixed; a float is no decimal. */
	CHECK_DECODE(velocity_parse("v1 rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1 "
								"won_amount=1 won_amount_scale_rows=1", &v, &st), DECODE_SYNTAX);
	CHECK_DECODE(velocity_parse("v1 rows=1 won_amount=1e3 won_amount_scale_rows=1 "
								"cycle_seconds=1.000000 cycle_seconds_scale_rows=1", &v, &st),
				 DECODE_SYNTAX);
	CHECK_DECODE(velocity_parse("v2 rows=0 won_amount=0 won_amount_scale_rows=0 "
								"cycle_seconds=0 cycle_seconds_scale_rows=0", &v, &st),
				 DECODE_VERSION);
	CHECK_DECODE(velocity_parse("v1 rows=0 won_amount=0 won_amount_scale_rows=0 "
								"cycle_seconds=0", &v, &st), DECODE_SYNTAX);
}

/* ---- float8_velocity_summary ---- */

#define CHECK_FLOAT_VELOCITY(s, rows_, won_rows_, won_, cycle_) \
	do { \
		CHECK_INT((s).rows, (rows_)); \
		CHECK_INT((s).won_rows, (won_rows_)); \
		CHECK_DOUBLE(float_sum_value(&(s).won_amount), (won_)); \
		CHECK_INT128((s).cycle_microseconds, (cycle_)); \
	} while (0)

TEST_CASE(float_velocity_add_remove)
{
	FloatVelocitySummary s;
	double		velocity;

	memset(&s, 0, sizeof(s));
	CHECK(!float_velocity_value(&s, &velocity));
	CHECK_KPI(float_velocity_remove(&s, 1.0, false, 0), KPI_NOT_IN_STATE);

	CHECK_KPI(float_velocity_add(&s, 1000.5, true, 10 * USECS_PER_DAY), KPI_OK);
	CHECK_KPI(float_velocity_add(&s, 250.0, false, 2 * USECS_PER_DAY), KPI_OK);
	CHECK_KPI(float_velocity_add(&s, -100.25, true, 0), KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 3, 2, 900.25, 12 * USECS_PER_DAY);
	/* 900.25 won over 3 opportunities of 4 days on average. */
	CHECK(float_velocity_value(&s, &velocity));
	CHECK_DOUBLE(velocity, 900.25 * 3 * 86400 / (12 * 86400.0));

	/* Removing more than was added, or a won row from a summary without one. */
	CHECK_KPI(float_velocity_remove(&s, 1.0, false, 13 * USECS_PER_DAY), KPI_NOT_IN_STATE);
	CHECK_KPI(float_velocity_remove(&s, 1000.5, true, 10 * USECS_PER_DAY), KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 2, 1, -100.25, 2 * USECS_PER_DAY);

	/* The last won row leaving leaves exactly zero, whatever was rounded. */
	CHECK_KPI(float_velocity_add(&s, 0.1, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_add(&s, 1e300, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_remove(&s, 1e300, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_remove(&s, 0.1, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_remove(&s, -100.25, true, 0), KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 1, 0, 0.0, 2 * USECS_PER_DAY);
	CHECK_DOUBLE(s.won_amount.sum, 0.0);
	CHECK_DOUBLE(s.won_amount.error, 0.0);
	CHECK_KPI(float_velocity_check(&s), KPI_OK);
	CHECK_KPI(float_velocity_remove(&s, 5.0, true, 0), KPI_NOT_IN_STATE);
	/* No won rows but some cycle: 0. */
	CHECK(float_velocity_value(&s, &velocity));
	CHECK_DOUBLE(velocity, 0.0);

	/* The last row leaving leaves an empty summary. */
	CHECK_KPI(float_velocity_remove(&s, 250.0, false, 2 * USECS_PER_DAY), KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 0, 0, 0.0, 0);
	CHECK(!float_velocity_value(&s, &velocity));

	/* Every cycle zero: undefined. */
	CHECK_KPI(float_velocity_add(&s, 10.0, true, 0), KPI_OK);
	CHECK(!float_velocity_value(&s, &velocity));
}

TEST_CASE(float_velocity_limits)
{
	FloatVelocitySummary s;
	FloatVelocitySummary before;

	/* A failed step leaves the summary as it was. */
	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_velocity_add(&s, DBL_MAX, true, 5), KPI_OK);
	before = s;
	CHECK_KPI(float_velocity_add(&s, DBL_MAX, true, 5), KPI_OVERFLOW);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	/* A lost row's amount is not summed, so it cannot overflow. */
	CHECK_KPI(float_velocity_add(&s, DBL_MAX, false, 5), KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 2, 1, DBL_MAX, 10);

	s.cycle_microseconds = TEST_INT128_MAX - 1;
	before = s;
	CHECK_KPI(float_velocity_add(&s, 1.0, false, 2), KPI_OVERFLOW);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);

	memset(&s, 0, sizeof(s));
	s.rows = INT64_MAX;
	CHECK_KPI(float_velocity_add(&s, 1.0, false, 0), KPI_TOO_MANY_ROWS);
	CHECK_INT(s.rows, INT64_MAX);
}

TEST_CASE(float_velocity_merge_states)
{
	FloatVelocitySummary a;
	FloatVelocitySummary b;
	FloatVelocitySummary whole;
	double		parts;
	double		all;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&whole, 0, sizeof(whole));
	for (int i = 0; i < 100; i++)
	{
		FloatVelocitySummary *half = i % 3 == 0 ? &a : &b;
		double		amount = (i % 7 - 2) * 1234.125;
		kpi_int128	cycle = (kpi_int128) i * 3600 * 1000000 + i;

		CHECK_KPI(float_velocity_add(half, amount, i % 2 == 0, cycle), KPI_OK);
		CHECK_KPI(float_velocity_add(&whole, amount, i % 2 == 0, cycle), KPI_OK);
	}
	CHECK_KPI(float_velocity_merge(&a, &b), KPI_OK);
	CHECK_FLOAT_VELOCITY(a, whole.rows, whole.won_rows, float_sum_value(&whole.won_amount),
						 whole.cycle_microseconds);
	CHECK(float_velocity_value(&a, &parts));
	CHECK(float_velocity_value(&whole, &all));
	CHECK_DOUBLE(parts, all);

	/* Merging an empty summary changes nothing. */
	memset(&b, 0, sizeof(b));
	CHECK_KPI(float_velocity_merge(&a, &b), KPI_OK);
	CHECK_FLOAT_VELOCITY(a, whole.rows, whole.won_rows, float_sum_value(&whole.won_amount),
						 whole.cycle_microseconds);

	b.rows = INT64_MAX;
	CHECK_KPI(float_velocity_merge(&a, &b), KPI_TOO_MANY_ROWS);
	b.rows = 1;
	b.cycle_microseconds = TEST_INT128_MAX;
	CHECK_KPI(float_velocity_merge(&a, &b), KPI_OVERFLOW);
	b.cycle_microseconds = 0;
	b.won_rows = 1;
	b.won_amount.sum = DBL_MAX;
	a.won_amount.sum = DBL_MAX;
	a.won_amount.error = 0;
	CHECK_KPI(float_velocity_merge(&a, &b), KPI_OVERFLOW);
}

TEST_CASE(float_velocity_from_fields_states)
{
	FloatVelocitySummary s;
	KpiStatus	st;

	CHECK_DECODE(float_velocity_parse("v1 rows=3 won_rows=2 won_amount=900.25 won_amount_error=0 "
									  "cycle_seconds=1036800.000001", &s, &st), DECODE_OK);
	CHECK_KPI(st, KPI_OK);
	CHECK_FLOAT_VELOCITY(s, 3, 2, 900.25, (kpi_int128) 1036800000001);
	/* Fewer places are scaled up; the empty summary is all zeros. */
	CHECK_DECODE(float_velocity_parse("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
									  "cycle_seconds=12.5", &s, &st), DECODE_OK);
	CHECK_KPI(st, KPI_OK);
	CHECK_INT128(s.cycle_microseconds, 12500000);
	CHECK_FLOAT_VELOCITY_TEXT(float_empty_text, KPI_OK);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=0.000000", KPI_OK);
	/* The largest cycle sum that fits. */
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=170141183460469231731687303715884.105727", KPI_OK);

	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=2 won_amount=1 won_amount_error=0 "
							  "cycle_seconds=1", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=1 won_amount_error=0 "
							  "cycle_seconds=1", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=1e-300 "
							  "cycle_seconds=1", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=1 won_amount=1 won_amount_error=0.5 "
							  "cycle_seconds=1", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=0.000001", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=-1", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=1.0000001", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=170141183460469231731687303715884.105728", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=170141183460469231731687303715885", KPI_INCONSISTENT);
	CHECK_FLOAT_VELOCITY_TEXT("v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 "
							  "cycle_seconds=1000000000000000000000000000000000000000", KPI_INCONSISTENT);
}

TEST_CASE(float_velocity_normalize_text)
{
	FloatVelocitySummary s;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(float_velocity_add(&s, 0.1, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_add(&s, 0.2, true, 1), KPI_OK);
	CHECK_KPI(float_velocity_normalize(&s), KPI_OK);
	CHECK_KPI(float_velocity_check(&s), KPI_OK);
	CHECK_DOUBLE(s.won_amount.sum + s.won_amount.error, s.won_amount.sum);
}

TEST_CASE(velocity_format_cycle_text)
{
	char		buf[VELOCITY_CYCLE_TEXT_MAX];

	CHECK_UINT(velocity_format_cycle(0, buf, sizeof(buf)), 8);
	CHECK_STR(buf, "0.000000");
	CHECK(velocity_format_cycle(USECS_PER_DAY + 1, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "86400.000001");
	CHECK(velocity_format_cycle(TEST_INT128_MAX, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "170141183460469231731687303715884.105727");
	CHECK_UINT(velocity_format_cycle(1, buf, 8), 0);
}

/*
 * Random add and remove sequences against a plain reference: integral
 * amounts, whose double sums are exact, and int128 cycles.
 */
TEST_CASE(property_float_velocity_sequences)
{
	Prng		prng = {UINT64_C(0x5a1e5fe10c17)};

	for (int round = 0; round < 200; round++)
	{
		FloatVelocitySummary s;
		double		amounts[64];
		bool		won[64];
		kpi_int128	cycles[64];
		int			n = 0;
		int			start = 0;

		memset(&s, 0, sizeof(s));
		for (int step = 0; step < 64; step++)
		{
			bool		add = n - start == 0 || prng_below(&prng, 3) != 0;

			if (add)
			{
				amounts[n] = (double) ((int64_t) prng_below(&prng, 2000001) - 1000000);
				won[n] = prng_below(&prng, 2) == 0;
				cycles[n] = (kpi_int128) prng_below(&prng, UINT64_C(31536000000000));
				if (!CHECK_KPI(float_velocity_add(&s, amounts[n], won[n], cycles[n]), KPI_OK))
					return;
				n++;
			}
			else
			{
				if (!CHECK_KPI(float_velocity_remove(&s, amounts[start], won[start],
													 cycles[start]), KPI_OK))
					return;
				start++;
			}

			{
				int64_t		rows = n - start;
				int64_t		won_rows = 0;
				double		won_sum = 0;
				kpi_int128	cycle = 0;

				for (int i = start; i < n; i++)
				{
					won_rows += won[i];
					won_sum += won[i] ? amounts[i] : 0;
					cycle += cycles[i];
				}
				if (!CHECK_INT(s.rows, rows) || !CHECK_INT(s.won_rows, won_rows) ||
					!CHECK_DOUBLE(float_sum_value(&s.won_amount), won_sum) ||
					!CHECK_INT128(s.cycle_microseconds, cycle) ||
					!CHECK_KPI(float_velocity_check(&s), KPI_OK))
					return;
			}
		}
	}
}
