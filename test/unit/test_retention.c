/*
 * test_retention.c: the retention-KPI states (retention.h, retention.c):
 * churn periods and their text, churn summaries and their codecs, activity
 * ranges in PostgreSQL's on-disk form, MRR summaries; and what they brought
 * to decimal.c and summary_text.c: the scaled and spilled DecimalSum steps,
 * numeric_view_compare() and TEXT_FIELD_WORD.
 *
 * The calendar is checked against a model written here from the Gregorian
 * rules alone (a closed-form leap-year count and a day-by-day walk), never
 * against the core's own day arithmetic. The MRR property test keeps every
 * sum in a 256-bit two's complement model at a fixed scale of 8, and reads
 * each row's movement off that model, not off the core's comparison.
 */
#include "tests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/retention.h"
#include "core/summary_text.h"

typedef __int128 int128;
typedef unsigned __int128 uint128;

/* PostgreSQL's date and timestamp ranges, counted from 2000-01-01, written out again. */
#define T_DAY_MIN INT64_C(-2451545)			/* 4714-11-24 BC */
#define T_DAY_END INT64_C(2145031949)		/* 5874898-01-01, exclusive */
#define T_USEC_MIN INT64_C(-211813488000000000)
#define T_USEC_END INT64_C(9223371331200000000)	/* 294277-01-01 00:00 UTC, exclusive */
#define T_USEC_PER_DAY INT64_C(86400000000)

#define CHECK_STEP(actual, expected) CHECK_INT((actual), (expected))

/* ---- a calendar model: Gregorian rules only ---- */

static int64_t
floor_div64(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static bool
leap_year(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
month_days(int64_t y, int m)
{
	switch (m)
	{
		case 2:
			return leap_year(y) ? 29 : 28;
		case 4:
		case 6:
		case 9:
		case 11:
			return 30;
		default:
			return 31;
	}
}

/* Leap years in (0, n] for n >= 0, and minus those in (n, 0] below: F(b) - F(a) counts (a, b]. */
static int64_t
leaps_through(int64_t n)
{
	return floor_div64(n, 4) - floor_div64(n, 100) + floor_div64(n, 400);
}

/* Days from 2000-01-01 to January 1st of year y. */
static int64_t
model_year_start(int64_t y)
{
	return 365 * (y - 2000) + leaps_through(y - 1) - leaps_through(1999);
}

static int64_t
model_days(int64_t y, int m, int d)
{
	int64_t		n = model_year_start(y);

	for (int i = 1; i < m; i++)
		n += month_days(y, i);
	return n + d - 1;
}

static void
model_date(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		year = 2000 + floor_div64(days * 400, 146097);
	int64_t		rest;
	int			month = 1;

	while (model_year_start(year) > days)
		year--;
	while (model_year_start(year + 1) <= days)
		year++;
	rest = days - model_year_start(year);
	while (rest >= month_days(year, month))
		rest -= month_days(year, month++);
	*y = year;
	*m = month;
	*d = (int) rest + 1;
}

/* "YYYY-MM-DD", astronomical years with at least four digits. */
static void
ymd_text(int64_t y, int m, int d, char *buf, size_t size)
{
	snprintf(buf, size, "%s%04" PRId64 "-%02d-%02d", y < 0 ? "-" : "", y < 0 ? -y : y, m, d);
}

static void
model_day_text(int64_t days, char *buf, size_t size)
{
	int64_t		y;
	int			m;
	int			d;

	model_date(days, &y, &m, &d);
	ymd_text(y, m, d, buf, size);
}

static void
model_usec_text(int64_t usec, char *buf, size_t size)
{
	int64_t		days = floor_div64(usec, T_USEC_PER_DAY);
	int64_t		of_day = usec - days * T_USEC_PER_DAY;
	int64_t		s = of_day / 1000000;
	size_t		n;

	model_day_text(days, buf, size);
	n = strlen(buf);
	snprintf(buf + n, size - n, "T%02d:%02d:%02d.%06dZ", (int) (s / 3600),
			 (int) (s / 60 % 60), (int) (s % 60), (int) (of_day % 1000000));
}

/* ---- periods and ranges ---- */

static ChurnPeriod
period_of(int unit, int64_t start, int64_t end, bool end_inclusive)
{
	ChurnPeriod p;

	memset(&p, 0, sizeof(p));
	p.unit = unit;
	p.start = start;
	p.end = end;
	p.end_inclusive = end_inclusive;
	return p;
}

static ChurnPeriod
days_period(int64_t start, int64_t end, bool end_inclusive)
{
	return period_of(CHURN_UNIT_DAY, start, end, end_inclusive);
}

static ActiveRange
range_of(int64_t lower, bool lower_inclusive, int64_t upper, bool upper_inclusive)
{
	ActiveRange r;

	memset(&r, 0, sizeof(r));
	r.lower = lower;
	r.lower_inclusive = lower_inclusive;
	r.upper = upper;
	r.upper_inclusive = upper_inclusive;
	return r;
}

/* A daterange as PostgreSQL keeps it: [lower, upper). */
static ActiveRange
dates(int64_t lower, int64_t upper)
{
	return range_of(lower, true, upper, false);
}

static bool
same_period(const ChurnPeriod *a, const ChurnPeriod *b)
{
	return a->start == b->start && a->end == b->end && a->unit == b->unit &&
		a->end_inclusive == b->end_inclusive;
}

static bool
check_period(const ChurnPeriod *p, int unit, int64_t start, int64_t end, bool inclusive,
			 const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_int(p->unit, unit, "period.unit", "expected unit", file, line);
	ok &= test_check_int(p->start, start, "period.start", "expected start", file, line);
	ok &= test_check_int(p->end, end, "period.end", "expected end", file, line);
	ok &= test_check_int(p->end_inclusive, inclusive, "period.end_inclusive",
						 "expected end_inclusive", file, line);
	return ok;
}
#define CHECK_PERIOD(p, unit, start, end, inclusive) \
	check_period((p), (unit), (start), (end), (inclusive), __FILE__, __LINE__)

/* churn_period_parse() on an exact-length heap copy, so an over-read is reported. */
static bool
parse_period(const char *text, size_t len, ChurnPeriod *p)
{
	unsigned char *copy = exact_copy(text, len);
	bool		ok = churn_period_parse((const char *) copy, len, p);

	free(copy);
	return ok;
}

static bool
parse_period_str(const char *text, ChurnPeriod *p)
{
	return parse_period(text, strlen(text), p);
}

/* Formats p into buf; "" (and a failed check) when it does not format. */
static const char *
format_period(const ChurnPeriod *p, char *buf)
{
	size_t		n = churn_period_format(p, buf, CHURN_PERIOD_TEXT_MAX);

	if (!CHECK(n > 0 && n == strlen(buf)))
		buf[0] = '\0';
	return buf;
}

/* Accepted, with exactly these bounds, and formats back to canonical (or text itself). */
static bool
check_parses(const char *text, const char *canonical, int unit, int64_t start, int64_t end,
			 bool inclusive, const char *file, int line)
{
	ChurnPeriod p;
	char		buf[CHURN_PERIOD_TEXT_MAX];
	char		what[200];
	bool		ok;

	snprintf(what, sizeof(what), "churn_period_parse(\"%s\")", text);
	if (!test_check(parse_period_str(text, &p), what, file, line))
		return false;
	ok = check_period(&p, unit, start, end, inclusive, file, line);
	if (churn_period_format(&p, buf, sizeof(buf)) == 0)
		strcpy(buf, "(format failed)");
	ok &= test_check_str(buf, canonical ? canonical : text, "formatted", "canonical", file, line);
	return ok;
}
#define CHECK_PARSES(text, unit, start, end, inclusive) \
	check_parses((text), NULL, (unit), (start), (end), (inclusive), __FILE__, __LINE__)
#define CHECK_PARSES_AS(text, canonical, unit, start, end, inclusive) \
	check_parses((text), (canonical), (unit), (start), (end), (inclusive), __FILE__, __LINE__)

static bool
check_rejects(const char *text, size_t len, const char *file, int line)
{
	ChurnPeriod p;
	char		what[200];

	snprintf(what, sizeof(what), "churn_period_parse rejects \"%.*s\"", (int) len, text);
	return test_check(!parse_period(text, len, &p), what, file, line);
}
#define CHECK_REJECTS(text) check_rejects((text), strlen(text), __FILE__, __LINE__)

/* ---- churn_classify ---- */

TEST_CASE(churn_classify_boundaries)
{
	/* January 2024: [8766, 8797). */
	ChurnPeriod jan = days_period(8766, 8797, false);
	ChurnPeriod open_end = days_period(8766, CHURN_NO_END, false);
	ActiveRange r;

	/* Active over the whole period and after it: retained. */
	r = dates(8000, 9000);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	/* Ends exactly at the period's start, exclusive: not a customer then. */
	r = dates(8000, 8766);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* Starts inside the period: not in the base. */
	r = dates(8767, 9000);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	r = dates(8796, 8800);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* Starts exactly at the period's start: in the base. */
	r = dates(8766, 9000);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	r = dates(8766, 8767);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	/* Ends inside the period: churned. */
	r = dates(8000, 8780);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	/* Ends exactly at the period's end: churned (a "]" end is for timestamps, below). */
	r = dates(8000, 8797);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	r = range_of(8000, true, 8797, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	/* One day after the period's end: retained. */
	r = dates(8000, 8798);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	/* Empty: never a customer, whatever its bounds say. */
	r = dates(8000, 9000);
	r.empty = true;
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* No upper bound (or infinity): still a customer. */
	r = range_of(8000, true, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_RETAINED);
	/* No lower bound (or -infinity). */
	r = range_of(CHURN_NO_START, false, 9000, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	r = range_of(CHURN_NO_START, false, 8790, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	r = range_of(CHURN_NO_START, false, 8766, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	r = range_of(CHURN_NO_START, false, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_RETAINED);
	/* An exclusive lower bound equal to the start: not a customer at the start. */
	r = range_of(8766, false, 9000, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	r = range_of(8765, false, 9000, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	/* An inclusive upper bound equal to the start: in the base, and churned. */
	r = range_of(8000, true, 8766, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_CHURNED);
	/* A single point at the start. */
	r = range_of(8766, true, 8766, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	/* Ends before the period: not in the base. */
	r = dates(7000, 8000);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	r = range_of(7000, true, 8765, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* A period with no end: any finite end churned, however late. */
	r = dates(8000, 8797);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_CHURNED);
	r = dates(8000, T_DAY_END - 1);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_CHURNED);
	r = range_of(8000, true, INT64_MAX - 1, true);
	CHECK_INT(churn_classify(&r, &open_end), CHURN_CHURNED);
	/* Values past the ends of the unit: "-infinity" and "infinity" bounds. */
	r = range_of(CHURN_NO_END, false, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	r = range_of(CHURN_NO_START, false, CHURN_NO_START, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
}

TEST_CASE(churn_classify_timestamps)
{
	int64_t		start = INT64_C(8766) * T_USEC_PER_DAY;
	int64_t		end = INT64_C(8797) * T_USEC_PER_DAY;
	ChurnPeriod p = period_of(CHURN_UNIT_MICROSECOND, start, end, false);
	ChurnPeriod closed = period_of(CHURN_UNIT_MICROSECOND, start, end, true);
	ActiveRange r;

	/* One microsecond either side of each bound. */
	r = range_of(start - 1, true, start, false);
	CHECK_INT(churn_classify(&r, &p), CHURN_NOT_IN_BASE);
	r = range_of(start - 1, true, start + 1, false);
	CHECK_INT(churn_classify(&r, &p), CHURN_CHURNED);
	r = range_of(start + 1, true, end, false);
	CHECK_INT(churn_classify(&r, &p), CHURN_NOT_IN_BASE);
	r = range_of(start - 1, false, end, false);
	CHECK_INT(churn_classify(&r, &p), CHURN_CHURNED);
	r = range_of(start - 1, false, end - 1, true);
	CHECK_INT(churn_classify(&r, &p), CHURN_CHURNED);
	/* Ending exactly at the period's end churns, whether the period ends ")" or "]". */
	r = range_of(start - 1, false, end, false);
	CHECK_INT(churn_classify(&r, &closed), CHURN_CHURNED);
	r = range_of(start - 1, false, end, true);
	CHECK_INT(churn_classify(&r, &p), CHURN_CHURNED);
	CHECK_INT(churn_classify(&r, &closed), CHURN_CHURNED);
	r = range_of(start - 1, false, end + 1, false);
	CHECK_INT(churn_classify(&r, &p), CHURN_RETAINED);
	CHECK_INT(churn_classify(&r, &closed), CHURN_RETAINED);
	/* A single instant: [start,start]. */
	{
		ChurnPeriod instant = period_of(CHURN_UNIT_MICROSECOND, start, start, true);

		r = range_of(start - 1, false, start, true);
		CHECK_INT(churn_classify(&r, &instant), CHURN_CHURNED);
		r = range_of(start - 1, false, start + 1, false);
		CHECK_INT(churn_classify(&r, &instant), CHURN_RETAINED);
		r = range_of(start - 1, false, start, false);
		CHECK_INT(churn_classify(&r, &instant), CHURN_NOT_IN_BASE);
	}
}

/* ---- churn periods ---- */

TEST_CASE(churn_period_valid)
{
	ChurnPeriod p;

	p = days_period(8766, 8797, false);
	CHECK(churn_period_valid(&p));
	/* A daterange is always [start,end): "]" is for timestamps only. */
	p = days_period(8766, 8797, true);
	CHECK(!churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, 8766, 8797, true);
	CHECK(churn_period_valid(&p));
	/* [a,a] is one instant; [a,a) is empty. */
	p = period_of(CHURN_UNIT_MICROSECOND, 8766, 8766, true);
	CHECK(churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, 8766, 8766, false);
	CHECK(!churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, 8766, 8765, true);
	CHECK(!churn_period_valid(&p));
	p = days_period(8766, 8766, true);
	CHECK(!churn_period_valid(&p));
	p = days_period(8766, 8766, false);
	CHECK(!churn_period_valid(&p));
	p = days_period(8766, 8767, false);
	CHECK(churn_period_valid(&p));
	p = days_period(8766, CHURN_NO_END, false);
	CHECK(churn_period_valid(&p));
	p = days_period(8766, CHURN_NO_END, true);
	CHECK(!churn_period_valid(&p));
	p = days_period(CHURN_NO_START, 8766, false);
	CHECK(!churn_period_valid(&p));
	/* The unit's range: [DAY_MIN, DAY_END). */
	p = days_period(T_DAY_MIN, T_DAY_END - 1, false);
	CHECK(churn_period_valid(&p));
	p = days_period(T_DAY_MIN - 1, 0, false);
	CHECK(!churn_period_valid(&p));
	p = days_period(0, T_DAY_END, false);
	CHECK(!churn_period_valid(&p));
	p = days_period(T_DAY_END - 2, T_DAY_END - 1, false);
	CHECK(churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, T_USEC_END - 1, T_USEC_END - 1, true);
	CHECK(churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, T_USEC_END - 1, CHURN_NO_END, true);
	CHECK(!churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, T_USEC_MIN, T_USEC_END - 1, true);
	CHECK(churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, T_USEC_MIN - 1, 0, false);
	CHECK(!churn_period_valid(&p));
	p = period_of(CHURN_UNIT_MICROSECOND, 0, T_USEC_END, false);
	CHECK(!churn_period_valid(&p));
	/* A day number far past the day range is a fine microsecond. */
	p = period_of(CHURN_UNIT_MICROSECOND, T_DAY_END, T_DAY_END + 1, false);
	CHECK(churn_period_valid(&p));
	p = days_period(T_DAY_END, T_DAY_END + 1, false);
	CHECK(!churn_period_valid(&p));
	/* Units and flags that do not exist. */
	p = period_of(CHURN_UNIT_NONE, 0, 1, false);
	CHECK(!churn_period_valid(&p));
	p = period_of(3, 0, 1, false);
	CHECK(!churn_period_valid(&p));
	p = period_of(-1, 0, 1, false);
	CHECK(!churn_period_valid(&p));
	p = days_period(0, 1, false);
	p.end_inclusive = 2;
	CHECK(!churn_period_valid(&p));
	p.end_inclusive = -1;
	CHECK(!churn_period_valid(&p));
}

TEST_CASE(churn_period_parse_known)
{
	int64_t		day = T_USEC_PER_DAY;

	CHECK_PARSES("none", CHURN_UNIT_NONE, 0, 0, false);
	CHECK_PARSES("[2024-01-01,2024-02-01)", CHURN_UNIT_DAY, 8766, 8797, false);
	CHECK_PARSES("[2024-01-01,2024-01-02)", CHURN_UNIT_DAY, 8766, 8767, false);
	CHECK_PARSES("[2024-01-01,infinity)", CHURN_UNIT_DAY, 8766, CHURN_NO_END, false);
	CHECK_PARSES("[2000-01-01,2000-01-02)", CHURN_UNIT_DAY, 0, 1, false);
	CHECK_PARSES("[1999-12-31,2000-01-01)", CHURN_UNIT_DAY, -1, 0, false);
	CHECK_PARSES("[1970-01-01,2024-01-01)", CHURN_UNIT_DAY, -10957, 8766, false);
	CHECK_PARSES("[2000-02-29,2000-03-01)", CHURN_UNIT_DAY, 59, 60, false);
	CHECK_PARSES("[2024-02-29,2024-03-01)", CHURN_UNIT_DAY, 8825, 8826, false);
	CHECK_PARSES("[1900-02-28,1900-03-01)", CHURN_UNIT_DAY, -36466, -36465, false);
	CHECK_PARSES("[0001-01-01,9999-12-31)", CHURN_UNIT_DAY, -730119, 2921939, false);
	/* Year 0 is 1 BC, a leap year; -1 is 2 BC. */
	CHECK_PARSES("[0000-02-29,0000-03-01)", CHURN_UNIT_DAY, -730426, -730425, false);
	CHECK_PARSES("[0000-01-01,0001-01-01)", CHURN_UNIT_DAY, -730485, -730119, false);
	CHECK_PARSES("[-0001-01-01,0000-01-01)", CHURN_UNIT_DAY, -730850, -730485, false);
	CHECK_PARSES("[-0044-03-15,-0044-03-16)", CHURN_UNIT_DAY,
				 model_days(-44, 3, 15), model_days(-44, 3, 16), false);
	/* The ends of the date range. */
	CHECK_PARSES("[-4713-11-24,-4713-11-25)", CHURN_UNIT_DAY, T_DAY_MIN, T_DAY_MIN + 1, false);
	CHECK_PARSES("[-4713-11-24,5874897-12-31)", CHURN_UNIT_DAY, T_DAY_MIN, T_DAY_END - 1, false);
	CHECK_PARSES("[5874897-12-31,infinity)", CHURN_UNIT_DAY, T_DAY_END - 1, CHURN_NO_END, false);
	/* Years past 9999 take as many digits as they need. */
	CHECK_PARSES("[10000-01-01,10000-01-02)", CHURN_UNIT_DAY,
				 model_days(10000, 1, 1), model_days(10000, 1, 2), false);
	/* Timestamps. */
	CHECK_PARSES("[2024-01-01T00:00:00.000000Z,2024-02-01T00:00:00.000000Z]",
				 CHURN_UNIT_MICROSECOND, 8766 * day, 8797 * day, true);
	CHECK_PARSES("[2024-01-01T00:00:00.000000Z,2024-02-01T00:00:00.000000Z)",
				 CHURN_UNIT_MICROSECOND, 8766 * day, 8797 * day, false);
	CHECK_PARSES("[2000-01-01T00:00:00.000000Z,infinity)", CHURN_UNIT_MICROSECOND,
				 0, CHURN_NO_END, false);
	CHECK_PARSES("[1999-12-31T23:59:59.999999Z,2000-01-01T00:00:00.000001Z)",
				 CHURN_UNIT_MICROSECOND, -1, 1, false);
	CHECK_PARSES("[1970-01-01T00:00:00.000000Z,2024-06-15T13:45:30.250000Z)",
				 CHURN_UNIT_MICROSECOND, -10957 * day,
				 (8766 + 166) * day + ((13 * INT64_C(60) + 45) * 60 + 30) * 1000000 + 250000,
				 false);
	CHECK_PARSES("[-4713-11-24T00:00:00.000000Z,294276-12-31T23:59:59.999999Z]",
				 CHURN_UNIT_MICROSECOND, T_USEC_MIN, T_USEC_END - 1, true);
	CHECK_PARSES("[-0044-03-15T12:00:00.000000Z,-0044-03-15T12:00:00.000000Z]",
				 CHURN_UNIT_MICROSECOND, model_days(-44, 3, 15) * day + 12 * INT64_C(3600000000),
				 model_days(-44, 3, 15) * day + 12 * INT64_C(3600000000), true);
	/* A year with leading zeros past four digits reads as its value. */
	CHECK_PARSES_AS("[02024-01-01,2024-02-01)", "[2024-01-01,2024-02-01)",
					CHURN_UNIT_DAY, 8766, 8797, false);
}

TEST_CASE(churn_period_parse_rejects)
{
	static const char *const bad[] = {
		"", "n", "non", "nonE", "NONE", "none ", " none", "nonenone",
		"[", "[]", "[,)", "[2024-01-01", "[2024-01-01,", "[2024-01-01,)",
		"[2024-01-01,2024-02-01", "[2024-01-01,2024-02-01))", "[2024-01-01,2024-02-01) ",
		"[2024-01-01,2024-02-01)x", " [2024-01-01,2024-02-01)", "[2024-01-01 ,2024-02-01)",
		"[2024-01-01, 2024-02-01)", "[2024-01-01;2024-02-01)",
		/* Only "[" starts a period, and only "infinity)" ends one without an end. */
		"(2024-01-01,2024-02-01)", "(2024-01-01,2024-02-01]", "2024-01-01,2024-02-01)",
		"[2024-01-01,infinity]", "[2024-01-01,infinity", "[2024-01-01,infinity))",
		"[2024-01-01,infinity) ", "[2024-01-01,Infinity)", "[2024-01-01,+infinity)",
		"[-infinity,2024-01-01)", "[infinity,infinity)", "[2024-01-01,-infinity)",
		/* Months and days. */
		"[2024-00-01,2024-02-01)", "[2024-13-01,2025-02-01)", "[2024-01-00,2024-02-01)",
		"[2024-01-32,2024-02-01)", "[2024-04-31,2024-05-01)", "[2023-02-29,2023-03-01)",
		"[1900-02-29,1900-03-01)", "[2100-02-29,2100-03-01)", "[2024-02-30,2024-03-01)",
		"[2024-1-01,2024-02-01)", "[2024-01-1,2024-02-01)", "[2024-001-01,2024-02-01)",
		"[2024/01/01,2024/02/01)", "[2024-01-01,2024-02-01x)",
		/* Years: four digits at least, no "-0000", at most seven digits, no "+". */
		"[024-01-01,2024-02-01)", "[24-01-01,2024-02-01)", "[-044-03-15,2024-02-01)",
		"[-0000-01-01,2024-02-01)", "[-00000-01-01,2024-02-01)", "[+2024-01-01,2024-02-01)",
		"[00002024-01-01,2024-02-01)", "[20240101-01-01,2024-02-01)", "[--2024-01-01,2024-02-01)",
		/* Outside the date range. */
		"[-4713-11-23,2024-01-01)", "[-4714-01-01,2024-01-01)", "[2024-01-01,5874898-01-01)",
		"[5874898-01-01,infinity)", "[9999999-12-31,infinity)",
		/* Timestamps: the whole form, Z included, and in range. */
		"[2024-01-01T00:00:00.000000,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.000000Z,2024-02-01T00:00:00.000000)",
		"[2024-01-01T00:00:00Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.00000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.0000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.000000+00,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01t00:00:00.000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.000000z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01 00:00:00.000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T24:00:00.000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:60:00.000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:60.000000Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T0:00:00.000000Z,2024-02-01T00:00:00.000000Z)",
		"[-4713-11-23T23:59:59.999999Z,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.000000Z,294277-01-01T00:00:00.000000Z)",
		"[294277-01-01T00:00:00.000000Z,infinity)",
		"[5874897-12-31T00:00:00.000000Z,infinity)",
		"[9999999-12-31T23:59:59.999999Z,infinity)",
		"[-9999999-01-01T00:00:00.000000Z,infinity)",
		/* Days and timestamps mixed. */
		"[2024-01-01,2024-02-01T00:00:00.000000Z)",
		"[2024-01-01T00:00:00.000000Z,2024-02-01)",
		/* A daterange period is always [start,end). */
		"[2024-01-01,2024-02-01]", "[2024-01-01,2024-01-01]", "[-4713-11-24,5874897-12-31]",
		/* Empty or backwards. */
		"[2024-01-01,2024-01-01)", "[2024-02-01,2024-01-01)", "[2024-02-01,2024-01-01]",
		"[2024-01-01T00:00:00.000001Z,2024-01-01T00:00:00.000001Z)",
		"[2024-01-01T00:00:00.000001Z,2024-01-01T00:00:00.000000Z]",
	};
	static const char with_nul[] = "[2024-01-01,2024-02-01)\0";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_REJECTS(bad[i]);
	/* Exact lengths: a NUL, or one byte short, is not the end. */
	CHECK(!parse_period(with_nul, sizeof(with_nul) - 1, &(ChurnPeriod) {0}));
	CHECK(!parse_period(with_nul, sizeof(with_nul) - 3, &(ChurnPeriod) {0}));
	CHECK(parse_period(with_nul, sizeof(with_nul) - 2, &(ChurnPeriod) {0}));
	CHECK(!parse_period("none", 3, &(ChurnPeriod) {0}));
	/* Every proper prefix of a valid period is rejected, and nothing is read past it. */
	{
		static const char *const good[] = {
			"[2024-01-01,2024-02-01)",
			"[-4713-11-24T00:00:00.000000Z,294276-12-31T23:59:59.999999Z]",
			"[5874897-12-31,infinity)",
			"none",
		};

		for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++)
			for (size_t len = 0; len < strlen(good[g]); len++)
				if (!check_rejects(good[g], len, __FILE__, __LINE__))
					break;
	}
}

TEST_CASE(churn_period_parse_clears)
{
	ChurnPeriod p;

	/* "none" is the all-zero period, whatever was there before. */
	memset(&p, 0x5a, sizeof(p));
	CHECK(parse_period_str("none", &p));
	CHECK_PERIOD(&p, CHURN_UNIT_NONE, 0, 0, false);
}

TEST_CASE(churn_period_format_known)
{
	char		buf[CHURN_PERIOD_TEXT_MAX];
	ChurnPeriod p;
	int64_t		day = T_USEC_PER_DAY;

	p = period_of(CHURN_UNIT_NONE, 0, 0, false);
	CHECK_STR(format_period(&p, buf), "none");
	p = days_period(8766, 8797, false);
	CHECK_STR(format_period(&p, buf), "[2024-01-01,2024-02-01)");
	p = days_period(-1, 0, false);
	CHECK_STR(format_period(&p, buf), "[1999-12-31,2000-01-01)");
	p = days_period(model_days(-44, 3, 15), CHURN_NO_END, false);
	CHECK_STR(format_period(&p, buf), "[-0044-03-15,infinity)");
	p = days_period(T_DAY_MIN, T_DAY_END - 1, false);
	CHECK_STR(format_period(&p, buf), "[-4713-11-24,5874897-12-31)");
	p = period_of(CHURN_UNIT_MICROSECOND, -1, 0, false);
	CHECK_STR(format_period(&p, buf), "[1999-12-31T23:59:59.999999Z,2000-01-01T00:00:00.000000Z)");
	p = period_of(CHURN_UNIT_MICROSECOND, T_USEC_MIN, T_USEC_END - 1, true);
	CHECK_STR(format_period(&p, buf),
			  "[-4713-11-24T00:00:00.000000Z,294276-12-31T23:59:59.999999Z]");
	p = period_of(CHURN_UNIT_MICROSECOND, -10957 * day + 1, CHURN_NO_END, false);
	CHECK_STR(format_period(&p, buf), "[1970-01-01T00:00:00.000001Z,infinity)");

	/* Not a period: nothing is written. */
	p = days_period(8797, 8766, false);
	CHECK_UINT(churn_period_format(&p, buf, sizeof(buf)), 0);
	p = days_period(8766, 8766, false);
	CHECK_UINT(churn_period_format(&p, buf, sizeof(buf)), 0);
	p = days_period(8766, 8797, true);
	CHECK_UINT(churn_period_format(&p, buf, sizeof(buf)), 0);
	p = period_of(7, 0, 1, false);
	CHECK_UINT(churn_period_format(&p, buf, sizeof(buf)), 0);
	p = days_period(T_DAY_END, T_DAY_END + 1, false);
	CHECK_UINT(churn_period_format(&p, buf, sizeof(buf)), 0);
}

TEST_CASE(churn_period_format_buffer)
{
	static const ChurnPeriod periods[] = {
		{0, 0, CHURN_UNIT_NONE, 0},
		{8766, 8797, CHURN_UNIT_DAY, 0},
		{8766, CHURN_NO_END, CHURN_UNIT_DAY, 0},
		{T_DAY_MIN, T_DAY_END - 1, CHURN_UNIT_DAY, 0},
		{T_USEC_MIN, T_USEC_END - 1, CHURN_UNIT_MICROSECOND, 1},
		{T_USEC_MIN, CHURN_NO_END, CHURN_UNIT_MICROSECOND, 0},
	};

	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
	{
		char		full[CHURN_PERIOD_TEXT_MAX];
		size_t		n = churn_period_format(&periods[i], full, sizeof(full));

		if (!CHECK(n > 0 && n + 1 < CHURN_PERIOD_TEXT_MAX))
			continue;
		/* Every buffer too small fails, without writing past its end. */
		for (size_t size = 0; size <= n + 1; size++)
		{
			unsigned char *buf = malloc(size > 0 ? size : 1);
			size_t		got = churn_period_format(&periods[i], (char *) buf, size);

			if (size == n + 1)
			{
				CHECK_UINT(got, n);
				CHECK_STR((char *) buf, full);
			}
			else if (!CHECK_UINT(got, 0))
				printf("    period %zu, buffer of %zu bytes\n", i, size);
			free(buf);
		}
	}
}

/* Every day from 4714-11-24 BC to 2739-03-27 AD, walked one at a time, and every month to year 20000. */
TEST_CASE(churn_calendar_walk)
{
	int64_t		y = -4713;
	int			m = 11;
	int			d = 24;
	char		want[64];
	char		got[CHURN_PERIOD_TEXT_MAX];
	char		text[CHURN_PERIOD_TEXT_MAX];
	char		both[160];
	ChurnPeriod p;

	for (int64_t day = T_DAY_MIN; day < 270000; day++)
	{
		bool		ok = true;
		size_t		n;
		size_t		wlen;

		ymd_text(y, m, d, want, sizeof(want));
		wlen = strlen(want);
		p = days_period(day, CHURN_NO_END, false);
		n = churn_period_format(&p, got, sizeof(got));
		/* "[" want ",infinity)", compared in place: this loop runs 2.7 million times. */
		if (!CHECK(n == wlen + 11 && got[0] == '[' && memcmp(got + 1, want, wlen) == 0 &&
				   memcmp(got + 1 + wlen, ",infinity)", 10) == 0))
		{
			printf("    formatted \"%s\", expected date %s\n", got, want);
			return;
		}
		/* On the stack, for speed: the parse tests read from exact-length copies. */
		ok &= CHECK(churn_period_parse(got, n, &p));
		ok &= CHECK_INT(p.start, day);
		if (!ok)
		{
			printf("    day %" PRId64 "\n", day);
			return;
		}
		if (++d > month_days(y, m))
		{
			d = 1;
			if (++m > 12)
			{
				m = 1;
				y++;
			}
		}
	}
	CHECK_STR(want, "2739-03-27");

	/* The last day of every month and the first of the next, walked a month at a time. */
	{
		int64_t		first = model_days(2739, 4, 1);

		for (y = 2739; y < 20000; y++)
			for (m = (y == 2739 ? 4 : 1); m <= 12; m++)
			{
				bool		ok = true;
				int64_t		last = first + month_days(y, m) - 1;

				p = days_period(last, last + 1, false);
				ymd_text(y, m, month_days(y, m), want, sizeof(want));
				ymd_text(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, text, sizeof(text));
				snprintf(both, sizeof(both), "[%s,%s)", want, text);
				ok &= CHECK_STR(format_period(&p, got), both);
				ok &= CHECK(parse_period_str(both, &p));
				ok &= CHECK_INT(p.start, last);
				ok &= CHECK_INT(p.end, last + 1);
				if (!ok)
				{
					printf("    %04" PRId64 "-%02d\n", y, m);
					return;
				}
				first += month_days(y, m);
			}
		CHECK_INT(first, model_days(20000, 1, 1));
	}
}

TEST_CASE(churn_calendar_anchors)
{
	/* The model itself against dates everyone knows. */
	CHECK_INT(model_days(2000, 1, 1), 0);
	CHECK_INT(model_days(1999, 12, 31), -1);
	CHECK_INT(model_days(1970, 1, 1), -10957);
	CHECK_INT(model_days(2024, 1, 1), 8766);
	CHECK_INT(model_days(-4713, 11, 24), T_DAY_MIN);
	CHECK_INT(model_days(5874898, 1, 1), T_DAY_END);
	CHECK_INT(model_days(294277, 1, 1) * T_USEC_PER_DAY, T_USEC_END);
	/* PostgreSQL's epoch is Julian day 2451545. */
	CHECK_INT(model_days(1858, 11, 17), 2400001 - 2451545);

	/* The core agrees: each anchor parses to its day number. */
	{
		static const struct
		{
			const char *date;
			int64_t		day;
		}			anchors[] = {
			{"2000-01-01", 0}, {"1999-12-31", -1}, {"1970-01-01", -10957},
			{"2024-01-01", 8766}, {"-4713-11-24", -2451545}, {"2000-02-29", 59},
			{"2000-03-01", 60}, {"1900-02-28", -36466}, {"1900-03-01", -36465},
			{"1600-02-29", -146038}, {"2400-02-29", 146156}, {"0001-01-01", -730119},
			{"0000-12-31", -730120}, {"0000-03-01", -730425}, {"5874897-12-31", 2145031948},
		};

		for (size_t i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++)
		{
			char		text[64];
			ChurnPeriod p;

			snprintf(text, sizeof(text), "[%s,infinity)", anchors[i].date);
			if (CHECK(parse_period_str(text, &p)))
				CHECK_INT(p.start, anchors[i].day);
		}
	}
	CHECK_INT(model_days(1600, 2, 29), -146038);
	CHECK_INT(model_days(2400, 2, 29), 146156);
}

TEST_CASE(property_churn_period_round_trip)
{
	Prng		prng = {20240101};
	char		buf[CHURN_PERIOD_TEXT_MAX];
	char		start_text[64];
	char		end_text[64];
	char		want[160];

	for (int i = 0; i < 300000; i++)
	{
		bool		micro = i % 2 == 1;
		int64_t		lo = micro ? T_USEC_MIN : T_DAY_MIN;
		int64_t		hi = micro ? T_USEC_END : T_DAY_END;
		uint64_t	span = (uint64_t) hi - (uint64_t) lo;
		int64_t		start;
		int64_t		end;
		int			shape = (int) prng_below(&prng, 8);
		ChurnPeriod p;
		ChurnPeriod back;
		bool		ok = true;
		size_t		n;

		/* Uniform over the range, or near a bound, or near 2000-01-01. */
		if (shape < 4)
			start = (int64_t) ((uint64_t) lo + prng_below(&prng, span - 1));
		else if (shape == 4)
			start = lo + (int64_t) prng_below(&prng, 1000);
		else if (shape == 5)
			start = hi - 2 - (int64_t) prng_below(&prng, 1000);
		else
			start = (int64_t) prng_below(&prng, 2000000) - 1000000;
		if (prng_below(&prng, 4) == 0)
			end = CHURN_NO_END;
		else
			end = (int64_t) ((uint64_t) start + prng_below(&prng, (uint64_t) hi - (uint64_t) start));
		/* A day period is [start,end); a timestamp period may end "]", and [a,a] is one instant. */
		if (!micro && end == start)
			end++;
		p = period_of(micro ? CHURN_UNIT_MICROSECOND : CHURN_UNIT_DAY, start, end,
					  micro && end != CHURN_NO_END && (end == start || prng_below(&prng, 2) == 0));

		/* The text is the model's, and reads back as the same period. */
		if (micro)
			model_usec_text(start, start_text, sizeof(start_text));
		else
			model_day_text(start, start_text, sizeof(start_text));
		if (end == CHURN_NO_END)
			snprintf(want, sizeof(want), "[%s,infinity)", start_text);
		else
		{
			if (micro)
				model_usec_text(end, end_text, sizeof(end_text));
			else
				model_day_text(end, end_text, sizeof(end_text));
			snprintf(want, sizeof(want), "[%s,%s%c", start_text, end_text,
					 p.end_inclusive ? ']' : ')');
		}
		n = churn_period_format(&p, buf, sizeof(buf));
		ok &= CHECK_STR(n > 0 ? buf : "(format failed)", want);
		ok &= CHECK(parse_period(buf, n, &back));
		ok &= CHECK(same_period(&back, &p));
		if (!ok)
		{
			printf("    iteration %d: unit %d, %" PRId64 " .. %" PRId64 "\n",
				   i, p.unit, p.start, p.end);
			return;
		}
	}
}

TEST_CASE(property_churn_calendar_random_dates)
{
	Prng		prng = {31415926};

	/* Random dates over the whole range: parsed against the closed-form count. */
	for (int i = 0; i < 200000; i++)
	{
		int64_t		y = -4713 + (int64_t) prng_below(&prng, 5874897 + 4713 + 1);
		int			m = 1 + (int) prng_below(&prng, 12);
		int			d = 1 + (int) prng_below(&prng, (uint64_t) month_days(y, m));
		int64_t		day = model_days(y, m, d);
		char		date[40];
		char		text[64];
		ChurnPeriod p;
		bool		valid = day >= T_DAY_MIN && day < T_DAY_END;
		bool		ok = true;

		ymd_text(y, m, d, date, sizeof(date));
		snprintf(text, sizeof(text), "[%s,infinity)", date);
		ok &= CHECK_INT(parse_period_str(text, &p), valid);
		if (valid)
			ok &= CHECK_INT(p.start, day);
		/* The model's two directions agree with each other. */
		{
			int64_t		y2;
			int			m2;
			int			d2;

			model_date(day, &y2, &m2, &d2);
			ok &= CHECK(y2 == y && m2 == m && d2 == d);
		}
		/* A day past the month's end never parses. */
		snprintf(text, sizeof(text), "[%s%04" PRId64 "-%02d-%02d,infinity)", y < 0 ? "-" : "",
				 y < 0 ? -y : y, m, month_days(y, m) + 1);
		ok &= CHECK(!parse_period_str(text, &p));
		if (!ok)
		{
			printf("    %s\n", date);
			return;
		}
	}
}

/* ---- activity_range_decode: PostgreSQL's on-disk ranges ---- */

/* PostgreSQL's range flags and the two range types' OIDs, written out again. */
#define T_RANGE_EMPTY 0x01
#define T_RANGE_LB_INC 0x02
#define T_RANGE_UB_INC 0x04
#define T_RANGE_LB_INF 0x08
#define T_RANGE_UB_INF 0x10
#define T_RANGE_CONTAIN_EMPTY 0x80
#define T_DATERANGE_OID 3912
#define T_TSTZRANGE_OID 3910

/*
 * A range's bytes after its varlena header: the OID, the finite bounds
 * (int32 days or int64 microseconds, native-endian, no padding), the flags.
 */
static size_t
range_bytes(unsigned char *out, uint32_t oid, bool micro, unsigned flags,
			const int64_t *bounds, int nbounds)
{
	size_t		len = 0;

	memcpy(out, &oid, sizeof(oid));
	len += sizeof(oid);
	for (int i = 0; i < nbounds; i++)
	{
		if (micro)
		{
			memcpy(out + len, &bounds[i], 8);
			len += 8;
		}
		else
		{
			int32_t		day = (int32_t) bounds[i];

			memcpy(out + len, &day, 4);
			len += 4;
		}
	}
	out[len++] = (unsigned char) flags;
	return len;
}

/* activity_range_decode() on an exact-length copy at an odd address. */
static DecodeStatus
decode_range(const unsigned char *bytes, size_t len, ChurnUnit unit, uint32_t *oid,
			 ActiveRange *r)
{
	unsigned char *copy = malloc(len + 1);
	DecodeStatus status;

	if (copy == NULL)
		abort();
	/* The bytes end where the allocation does, so an over-read is reported. */
	memcpy(copy + 1, bytes, len);
	memset(r, 0x5a, sizeof(*r));
	status = activity_range_decode(copy + 1, len, unit, oid, r);
	free(copy);
	return status;
}

static bool
check_range(const ActiveRange *r, bool empty, int64_t lower, bool lower_inclusive,
			int64_t upper, bool upper_inclusive, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_int(r->empty, empty, "range.empty", "expected empty", file, line);
	ok &= test_check_int(r->lower, lower, "range.lower", "expected lower", file, line);
	ok &= test_check_int(r->lower_inclusive, lower_inclusive, "range.lower_inclusive",
						 "expected", file, line);
	ok &= test_check_int(r->upper, upper, "range.upper", "expected upper", file, line);
	ok &= test_check_int(r->upper_inclusive, upper_inclusive, "range.upper_inclusive",
						 "expected", file, line);
	return ok;
}
#define CHECK_RANGE(r, empty, lower, lower_inc, upper, upper_inc) \
	check_range((r), (empty), (lower), (lower_inc), (upper), (upper_inc), __FILE__, __LINE__)

TEST_CASE(activity_range_decode_dateranges)
{
	unsigned char bytes[32];
	size_t		len;
	uint32_t	oid;
	ActiveRange r;
	ChurnPeriod jan = days_period(8766, 8797, false);

	/* '[2024-01-01,2024-02-01)' */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC, (int64_t[]) {8766, 8797}, 2);
	CHECK_UINT(len, 13);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_UINT(oid, T_DATERANGE_OID);
	CHECK_RANGE(&r, false, 8766, true, 8797, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);

	/* 'empty': the OID and the flags only. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_EMPTY, NULL, 0);
	CHECK_UINT(len, 5);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK(r.empty);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);

	/* '(,2024-02-01)': no lower bound. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INF, (int64_t[]) {8797}, 1);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_START, false, 8797, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);

	/* '[2024-01-01,)': no upper bound, still a customer. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC | T_RANGE_UB_INF,
					  (int64_t[]) {8766}, 1);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, 8766, true, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);

	/* '(,)' */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INF | T_RANGE_UB_INF, NULL, 0);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_START, false, CHURN_NO_END, false);

	/* '[-infinity,infinity)': the values become the sentinels too. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC,
					  (int64_t[]) {INT32_MIN, INT32_MAX}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_START, true, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	/* '[infinity,infinity]' and '[-infinity,-infinity]': never customers at a finite start. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC | T_RANGE_UB_INC,
					  (int64_t[]) {INT32_MAX, INT32_MAX}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_END, true, CHURN_NO_END, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC | T_RANGE_UB_INC,
					  (int64_t[]) {INT32_MIN, INT32_MIN}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_START, true, CHURN_NO_START, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* The finite extremes stay values. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC,
					  (int64_t[]) {INT32_MIN + 1, INT32_MAX - 1}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, INT32_MIN + 1, true, INT32_MAX - 1, false);
	/* The GiST-only "contains empty" bit is tolerated on a range with bounds. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC | T_RANGE_CONTAIN_EMPTY,
					  (int64_t[]) {1, 2}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, 1, true, 2, false);
}

TEST_CASE(activity_range_decode_tstzranges)
{
	unsigned char bytes[32];
	size_t		len;
	uint32_t	oid;
	ActiveRange r;
	int64_t		t1 = INT64_C(8766) * T_USEC_PER_DAY;
	int64_t		t2 = INT64_C(8797) * T_USEC_PER_DAY - 1;
	ChurnPeriod jan = period_of(CHURN_UNIT_MICROSECOND, t1, t2 + 1, false);

	/* '[2024-01-01 00:00+00,2024-01-31 23:59:59.999999+00]' */
	len = range_bytes(bytes, T_TSTZRANGE_OID, true, T_RANGE_LB_INC | T_RANGE_UB_INC,
					  (int64_t[]) {t1, t2}, 2);
	CHECK_UINT(len, 21);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_OK);
	CHECK_UINT(oid, T_TSTZRANGE_OID);
	CHECK_RANGE(&r, false, t1, true, t2, true);
	CHECK_INT(churn_classify(&r, &jan), CHURN_CHURNED);
	/* '(t1,)': not a customer at t1 itself. */
	len = range_bytes(bytes, T_TSTZRANGE_OID, true, T_RANGE_UB_INF, (int64_t[]) {t1}, 1);
	CHECK_UINT(len, 13);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, t1, false, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_NOT_IN_BASE);
	/* -infinity and infinity values are the sentinels as they are. */
	len = range_bytes(bytes, T_TSTZRANGE_OID, true, T_RANGE_LB_INC,
					  (int64_t[]) {INT64_MIN, INT64_MAX}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_OK);
	CHECK_RANGE(&r, false, CHURN_NO_START, true, CHURN_NO_END, false);
	CHECK_INT(churn_classify(&r, &jan), CHURN_RETAINED);
	len = range_bytes(bytes, T_TSTZRANGE_OID, true, T_RANGE_EMPTY, NULL, 0);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_OK);
	CHECK(r.empty);
	/* A daterange's 13 bytes are no tstzrange with two bounds. */
	len = range_bytes(bytes, T_DATERANGE_OID, false, T_RANGE_LB_INC, (int64_t[]) {1, 2}, 2);
	CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_LENGTH);
}

TEST_CASE(activity_range_decode_errors)
{
	static const unsigned flags_ok[] = {
		T_RANGE_EMPTY, T_RANGE_LB_INC, T_RANGE_LB_INC | T_RANGE_UB_INC, T_RANGE_LB_INF,
		T_RANGE_UB_INF, T_RANGE_LB_INF | T_RANGE_UB_INF, T_RANGE_LB_INC | T_RANGE_UB_INF,
	};
	unsigned char bytes[64];
	uint32_t	oid;
	ActiveRange r;

	/* Shorter than an OID and flags. */
	memset(bytes, 0, sizeof(bytes));
	for (size_t len = 0; len < 5; len++)
	{
		CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_DAY, &oid, &r), DECODE_LENGTH);
		CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_LENGTH);
	}
	/* Every flags byte, at every length up to 25: only the one right length decodes. */
	for (unsigned flags = 0; flags < 256; flags++)
	{
		bool		known = (flags & 0x60) == 0 &&
			(!(flags & T_RANGE_EMPTY) || flags == T_RANGE_EMPTY);
		int			nbounds = (flags & T_RANGE_EMPTY) ? 0 :
			!(flags & T_RANGE_LB_INF) + !(flags & T_RANGE_UB_INF);

		for (int micro = 0; micro < 2; micro++)
			for (size_t len = 5; len <= 25; len++)
			{
				DecodeStatus expected = !known ? DECODE_SYNTAX :
					len == 5 + (size_t) nbounds * (micro ? 8 : 4) ? DECODE_OK : DECODE_LENGTH;

				memset(bytes, 0x11, len);
				bytes[len - 1] = (unsigned char) flags;
				if (!CHECK_DECODE(decode_range(bytes, len, micro ? CHURN_UNIT_MICROSECOND :
											   CHURN_UNIT_DAY, &oid, &r), expected))
				{
					printf("    flags 0x%02x, %s, %zu bytes\n", flags,
						   micro ? "tstzrange" : "daterange", len);
					return;
				}
			}
	}
	/* And the valid shapes read their bounds from where they are. */
	for (size_t i = 0; i < sizeof(flags_ok) / sizeof(flags_ok[0]); i++)
	{
		size_t		len = range_bytes(bytes, 42, true, flags_ok[i],
									  (int64_t[]) {INT64_C(-5), INT64_C(7)}, 2);
		int			nbounds = (flags_ok[i] & T_RANGE_EMPTY) ? 0 :
			!(flags_ok[i] & T_RANGE_LB_INF) + !(flags_ok[i] & T_RANGE_UB_INF);

		/* range_bytes wrote two bounds; keep the ones present and move the flags. */
		len = 4 + 8 * (size_t) nbounds;
		bytes[len++] = (unsigned char) flags_ok[i];
		if (nbounds == 1 && (flags_ok[i] & T_RANGE_LB_INF))
			memcpy(bytes + 4, (int64_t[]) {INT64_C(7)}, 8);
		CHECK_DECODE(decode_range(bytes, len, CHURN_UNIT_MICROSECOND, &oid, &r), DECODE_OK);
		CHECK_UINT(oid, 42);
		if (flags_ok[i] & T_RANGE_EMPTY)
			CHECK(r.empty);
		else
		{
			CHECK(!r.empty);
			CHECK_INT(r.lower, (flags_ok[i] & T_RANGE_LB_INF) ? CHURN_NO_START : -5);
			CHECK_INT(r.upper, (flags_ok[i] & T_RANGE_UB_INF) ? CHURN_NO_END : 7);
			CHECK_INT(r.lower_inclusive, (flags_ok[i] & T_RANGE_LB_INC) != 0);
			CHECK_INT(r.upper_inclusive, (flags_ok[i] & T_RANGE_UB_INC) != 0);
		}
	}
}

/* ---- churn_add, churn_remove, churn_merge ---- */

static bool
check_churn(const ChurnSummary *s, int64_t customers, int64_t churned, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_int(s->customers_at_start, customers, "customers_at_start",
						 "expected customers", file, line);
	ok &= test_check_int(s->churned, churned, "churned", "expected churned", file, line);
	return ok;
}
#define CHECK_CHURN(s, customers, churned) \
	check_churn((s), (customers), (churned), __FILE__, __LINE__)

TEST_CASE(churn_add_remove)
{
	ChurnPeriod jan = days_period(8766, 8797, false);
	ChurnSummary s;
	ActiveRange retained = dates(8000, 9000);
	ActiveRange churned = dates(8000, 8780);
	ActiveRange outside = dates(8800, 9000);
	double		v;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(churn_check(&s), KPI_OK);
	CHECK(!churn_value(&s, &v));

	/* A row outside the base still fixes the period. */
	CHECK_KPI(churn_add(&s, &jan, &outside), KPI_OK);
	CHECK_CHURN(&s, 0, 0);
	CHECK(same_period(&s.period, &jan));
	CHECK(!churn_value(&s, &v));
	CHECK_KPI(churn_check(&s), KPI_OK);

	CHECK_KPI(churn_add(&s, &jan, &retained), KPI_OK);
	CHECK_KPI(churn_add(&s, &jan, &churned), KPI_OK);
	CHECK_KPI(churn_add(&s, &jan, &retained), KPI_OK);
	CHECK_KPI(churn_add(&s, &jan, &retained), KPI_OK);
	CHECK_CHURN(&s, 4, 1);
	CHECK(churn_value(&s, &v));
	CHECK_DOUBLE(v, 0.25);
	CHECK_KPI(churn_check(&s), KPI_OK);

	CHECK_KPI(churn_remove(&s, &jan, &outside), KPI_OK);
	CHECK_CHURN(&s, 4, 1);
	CHECK_KPI(churn_remove(&s, &jan, &retained), KPI_OK);
	CHECK_CHURN(&s, 3, 1);
	CHECK(churn_value(&s, &v));
	CHECK_DOUBLE(v, 1.0 / 3.0);
	CHECK_KPI(churn_remove(&s, &jan, &churned), KPI_OK);
	CHECK_CHURN(&s, 2, 0);
	CHECK(churn_value(&s, &v));
	CHECK_DOUBLE(v, 0.0);
	/* No churned row is left to remove. */
	CHECK_KPI(churn_remove(&s, &jan, &churned), KPI_NOT_IN_STATE);
	CHECK_CHURN(&s, 2, 0);
	CHECK_KPI(churn_remove(&s, &jan, &retained), KPI_OK);
	CHECK_KPI(churn_remove(&s, &jan, &retained), KPI_OK);
	CHECK_CHURN(&s, 0, 0);
	CHECK_KPI(churn_remove(&s, &jan, &retained), KPI_NOT_IN_STATE);
	CHECK_KPI(churn_remove(&s, &jan, &churned), KPI_NOT_IN_STATE);
	/* The period stays known. */
	CHECK(same_period(&s.period, &jan));
	CHECK_KPI(churn_check(&s), KPI_OK);

	/* Only churned rows: a retained one is not there to remove. */
	CHECK_KPI(churn_add(&s, &jan, &churned), KPI_OK);
	CHECK_KPI(churn_remove(&s, &jan, &retained), KPI_NOT_IN_STATE);
	CHECK_CHURN(&s, 1, 1);
	CHECK(churn_value(&s, &v));
	CHECK_DOUBLE(v, 1.0);
}

TEST_CASE(churn_period_changed)
{
	ChurnPeriod jan = days_period(8766, 8797, false);
	ChurnPeriod others[] = {
		days_period(8766, 8796, false),
		days_period(8766, 8798, false),
		days_period(8765, 8797, false),
		days_period(8766, CHURN_NO_END, false),
		period_of(CHURN_UNIT_MICROSECOND, 8766, 8797, false),
	};
	ActiveRange r = dates(8000, 9000);
	ChurnSummary s;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(churn_add(&s, &jan, &r), KPI_OK);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
	{
		ChurnSummary before = s;
		ChurnSummary other;

		CHECK_KPI(churn_add(&s, &others[i], &r), KPI_PERIOD_CHANGED);
		CHECK(memcmp(&s, &before, sizeof(s)) == 0);
		CHECK_KPI(churn_remove(&s, &others[i], &r), KPI_PERIOD_CHANGED);
		CHECK(memcmp(&s, &before, sizeof(s)) == 0);
		/* Even a row outside both bases. */
		{
			ActiveRange outside = dates(100000, 100001);

			CHECK_KPI(churn_add(&s, &others[i], &outside), KPI_PERIOD_CHANGED);
		}
		memset(&other, 0, sizeof(other));
		CHECK_KPI(churn_add(&other, &others[i], &r), KPI_OK);
		CHECK_KPI(churn_merge(&s, &other), KPI_PERIOD_CHANGED);
		CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	}
}

TEST_CASE(churn_remove_from_empty)
{
	ChurnPeriod jan = days_period(8766, 8797, false);
	ActiveRange r = dates(8000, 9000);
	ActiveRange outside = dates(8800, 9000);
	ChurnSummary s;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(churn_remove(&s, &jan, &r), KPI_NOT_IN_STATE);
	/* No period yet: even a row outside the base was never added. */
	CHECK_KPI(churn_remove(&s, &jan, &outside), KPI_NOT_IN_STATE);
	CHECK_INT(s.period.unit, CHURN_UNIT_NONE);
	CHECK_CHURN(&s, 0, 0);
}

TEST_CASE(churn_merge_cases)
{
	ChurnPeriod jan = days_period(8766, 8797, false);
	ActiveRange retained = dates(8000, 9000);
	ActiveRange churned = dates(8000, 8790);
	ChurnSummary a;
	ChurnSummary b;
	ChurnSummary empty;
	ChurnSummary into;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&empty, 0, sizeof(empty));
	CHECK_KPI(churn_add(&a, &jan, &retained), KPI_OK);
	CHECK_KPI(churn_add(&a, &jan, &churned), KPI_OK);
	CHECK_KPI(churn_add(&b, &jan, &churned), KPI_OK);

	/* Empty on the right: nothing changes. */
	into = a;
	CHECK_KPI(churn_merge(&into, &empty), KPI_OK);
	CHECK(memcmp(&into, &a, sizeof(a)) == 0);
	/* Empty on the left: it becomes the other side. */
	into = empty;
	CHECK_KPI(churn_merge(&into, &a), KPI_OK);
	CHECK(memcmp(&into, &a, sizeof(a)) == 0);
	/* Both empty. */
	into = empty;
	CHECK_KPI(churn_merge(&into, &empty), KPI_OK);
	CHECK_INT(into.period.unit, CHURN_UNIT_NONE);
	CHECK_CHURN(&into, 0, 0);
	CHECK_KPI(churn_check(&into), KPI_OK);
	/* A side with a period but no base still carries the period. */
	{
		ChurnSummary no_base;
		ActiveRange outside = dates(8800, 9000);

		memset(&no_base, 0, sizeof(no_base));
		CHECK_KPI(churn_add(&no_base, &jan, &outside), KPI_OK);
		into = empty;
		CHECK_KPI(churn_merge(&into, &no_base), KPI_OK);
		CHECK(same_period(&into.period, &jan));
		CHECK_CHURN(&into, 0, 0);
	}
	/* Two halves. */
	into = a;
	CHECK_KPI(churn_merge(&into, &b), KPI_OK);
	CHECK_CHURN(&into, 3, 2);
	CHECK(same_period(&into.period, &jan));
	CHECK_KPI(churn_check(&into), KPI_OK);
}

TEST_CASE(churn_overflow)
{
	ChurnPeriod jan = days_period(8766, 8797, false);
	ActiveRange retained = dates(8000, 9000);
	ActiveRange outside = dates(8800, 9000);
	ChurnSummary s;
	ChurnSummary from;
	ChurnSummary before;

	memset(&s, 0, sizeof(s));
	s.period = jan;
	s.customers_at_start = INT64_MAX;
	s.churned = 5;
	before = s;
	CHECK_KPI(churn_add(&s, &jan, &retained), KPI_TOO_MANY_ROWS);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	/* A row outside the base changes nothing, so it cannot overflow. */
	CHECK_KPI(churn_add(&s, &jan, &outside), KPI_OK);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	CHECK_KPI(churn_check(&s), KPI_OK);

	/* Merges: up to INT64_MAX, and no further. */
	memset(&from, 0, sizeof(from));
	from.period = jan;
	from.customers_at_start = 1;
	from.churned = 1;
	s.customers_at_start = INT64_MAX - 1;
	s.churned = INT64_MAX - 1;
	CHECK_KPI(churn_merge(&s, &from), KPI_OK);
	CHECK_CHURN(&s, INT64_MAX, INT64_MAX);
	CHECK_KPI(churn_check(&s), KPI_OK);
	before = s;
	CHECK_KPI(churn_merge(&s, &from), KPI_OVERFLOW);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	from.customers_at_start = INT64_MAX;
	from.churned = 0;
	s.customers_at_start = 1;
	s.churned = 0;
	before = s;
	CHECK_KPI(churn_merge(&s, &from), KPI_OVERFLOW);
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
}

TEST_CASE(churn_check_states)
{
	ChurnSummary s;

	memset(&s, 0, sizeof(s));
	CHECK_KPI(churn_check(&s), KPI_OK);
	s.period = days_period(8766, 8797, false);
	s.customers_at_start = 10;
	s.churned = 10;
	CHECK_KPI(churn_check(&s), KPI_OK);
	s.churned = 11;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	s.churned = -1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	s.churned = 0;
	s.customers_at_start = -1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	s.customers_at_start = 0;
	CHECK_KPI(churn_check(&s), KPI_OK);
	/* A period that is none of the valid ones. */
	s.period = days_period(8797, 8766, false);
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	s.period = days_period(8766, CHURN_NO_END, true);
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	/* No period: no counts, and all of the period zero. */
	memset(&s, 0, sizeof(s));
	s.customers_at_start = 1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	memset(&s, 0, sizeof(s));
	s.period.start = 1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	memset(&s, 0, sizeof(s));
	s.period.end = 1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
	memset(&s, 0, sizeof(s));
	s.period.end_inclusive = 1;
	CHECK_KPI(churn_check(&s), KPI_INCONSISTENT);
}

/* ---- churn text and binary forms ---- */

static DecodeStatus
churn_parse_text(const char *text, size_t len, ChurnSummary *s, DecodeError *error)
{
	unsigned char *copy = exact_copy(text, len);
	TextFieldValue values[CHURN_NFIELDS];
	DecodeStatus status = summary_text_scan((const char *) copy, len, churn_summary_fields,
											CHURN_NFIELDS, values, error);

	if (status == DECODE_OK)
		status = churn_from_fields(s, (const char *) copy, values, error);
	free(copy);
	return status;
}
#define CHURN_PARSE(literal, s, error) \
	churn_parse_text((literal), sizeof(literal) - 1, (s), (error))

TEST_CASE(churn_text_fields)
{
	ChurnSummary s;
	DecodeError error;

	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=10 churned=3 period=[2024-01-01,2024-02-01)",
							 &s, &error), DECODE_OK);
	CHECK_CHURN(&s, 10, 3);
	CHECK_PERIOD(&s.period, CHURN_UNIT_DAY, 8766, 8797, false);

	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=0 churned=0 period=none", &s, &error),
				 DECODE_OK);
	CHECK_CHURN(&s, 0, 0);
	CHECK_PERIOD(&s.period, CHURN_UNIT_NONE, 0, 0, false);

	CHECK_DECODE(CHURN_PARSE("\tv1 customers_at_start=2 churned=2\n"
							 "period=[2024-01-01T00:00:00.000000Z,infinity)  ", &s, &error),
				 DECODE_OK);
	CHECK_CHURN(&s, 2, 2);
	CHECK_PERIOD(&s.period, CHURN_UNIT_MICROSECOND, 8766 * T_USEC_PER_DAY, CHURN_NO_END, false);

	/* A period that does not parse: a syntax error at its first byte. */
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-01-01)",
							 &s, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 41, CHURN_FIELD_PERIOD);
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=[2023-02-29,infinity)",
							 &s, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 41, CHURN_FIELD_PERIOD);
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=", &s, &error),
				 DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 41, CHURN_FIELD_PERIOD);
	/* A daterange period never ends "]". */
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01]",
							 &s, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 41, CHURN_FIELD_PERIOD);
	/* A space ends the word; what follows is trailing junk. */
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=[2024-01-01, 2024-02-01)",
							 &s, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 54, -1);

	/* Well formed, but impossible. */
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=3 churned=4 period=[2024-01-01,2024-02-01)",
							 &s, &error), DECODE_INVARIANT);
	CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, 0, -1);
	CHECK_KPI(error.invariant, KPI_INCONSISTENT);
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=1 churned=0 period=none", &s, &error),
				 DECODE_INVARIANT);
	CHECK_KPI(error.invariant, KPI_INCONSISTENT);
	/* Fields in the wrong order, or missing. */
	CHECK_DECODE(CHURN_PARSE("v1 churned=0 customers_at_start=0 period=none", &s, &error),
				 DECODE_SYNTAX);
	CHECK_DECODE(CHURN_PARSE("v1 customers_at_start=0 churned=0", &s, &error), DECODE_SYNTAX);
	CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 33, CHURN_FIELD_PERIOD);
	CHECK_DECODE(CHURN_PARSE("v2 customers_at_start=0 churned=0 period=none", &s, &error),
				 DECODE_VERSION);
}

TEST_CASE(churn_binary_known)
{
	ChurnSummary s;
	ChurnSummary back;
	DecodeError error;
	unsigned char bytes[CHURN_BINARY_SIZE];
	static const unsigned char expected[CHURN_BINARY_SIZE] = {
		1,
		0, 0, 0, 0, 0, 0, 0, 10,
		0, 0, 0, 0, 0, 0, 0, 3,
		1, 0,
		0, 0, 0, 0, 0, 0, 0x22, 0x3e,	/* 8766 */
		0, 0, 0, 0, 0, 0, 0x22, 0x5d,	/* 8797 */
	};

	CHECK_UINT(CHURN_BINARY_SIZE, 35);
	memset(&s, 0, sizeof(s));
	s.customers_at_start = 10;
	s.churned = 3;
	s.period = days_period(8766, 8797, false);
	churn_encode_binary(&s, bytes);
	CHECK_BYTES(bytes, expected, CHURN_BINARY_SIZE);
	{
		unsigned char *copy = exact_copy(bytes, sizeof(bytes));

		CHECK_DECODE(churn_decode_binary(copy, sizeof(bytes), &back, &error), DECODE_OK);
		CHECK_DECODE_ERROR(&error, DECODE_OK, 0, -1);
		free(copy);
	}
	CHECK_CHURN(&back, 10, 3);
	CHECK(same_period(&back.period, &s.period));

	/* The sentinels and negative bounds go through as two's complement. */
	s.period = period_of(CHURN_UNIT_MICROSECOND, T_USEC_MIN, T_USEC_END - 1, true);
	churn_encode_binary(&s, bytes);
	CHECK_UINT(bytes[18], 1);
	CHECK_DECODE(churn_decode_binary(bytes, sizeof(bytes), &back, &error), DECODE_OK);
	CHECK(same_period(&back.period, &s.period));
	s.period = period_of(CHURN_UNIT_MICROSECOND, T_USEC_MIN, CHURN_NO_END, false);
	churn_encode_binary(&s, bytes);
	CHECK_UINT(bytes[17], CHURN_UNIT_MICROSECOND);
	CHECK_UINT(bytes[18], 0);
	CHECK_UINT(summary_get_be64(bytes + 19), (uint64_t) T_USEC_MIN);
	CHECK_UINT(summary_get_be64(bytes + 27), UINT64_C(0x7fffffffffffffff));
	CHECK_DECODE(churn_decode_binary(bytes, sizeof(bytes), &back, &error), DECODE_OK);
	CHECK(same_period(&back.period, &s.period));
}

TEST_CASE(churn_binary_errors)
{
	ChurnSummary s;
	ChurnSummary back;
	DecodeError error;
	unsigned char good[CHURN_BINARY_SIZE];
	unsigned char bytes[CHURN_BINARY_SIZE + 1];

	memset(&s, 0, sizeof(s));
	s.customers_at_start = 10;
	s.churned = 3;
	s.period = days_period(8766, 8797, false);
	churn_encode_binary(&s, good);

	/* Lengths: every one but the right one, from exact-length copies. */
	for (size_t len = 0; len <= CHURN_BINARY_SIZE + 1; len++)
	{
		unsigned char *copy;
		DecodeStatus status;

		memcpy(bytes, good, sizeof(good));
		bytes[CHURN_BINARY_SIZE] = 0;
		copy = exact_copy(bytes, len);
		status = churn_decode_binary(copy, len, &back, &error);
		free(copy);
		if (len == CHURN_BINARY_SIZE)
			CHECK_DECODE(status, DECODE_OK);
		else
		{
			CHECK_DECODE(status, DECODE_LENGTH);
			CHECK_DECODE_ERROR(&error, DECODE_LENGTH, len, -1);
		}
	}
	/* Versions. */
	memcpy(bytes, good, sizeof(good));
	bytes[0] = 2;
	CHECK_DECODE(churn_decode_binary(bytes, CHURN_BINARY_SIZE, &back, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 2);
	bytes[0] = 0;
	CHECK_DECODE(churn_decode_binary(bytes, CHURN_BINARY_SIZE, &back, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 0);
	/* The version is read before the length. */
	bytes[0] = 0xff;
	CHECK_DECODE(churn_decode_binary(bytes, 3, &back, &error), DECODE_VERSION);
	CHECK_UINT(error.version, 0xff);

	/* Impossible states. */
	{
		static const struct
		{
			int64_t		customers;
			int64_t		churned;
			int			unit;
			int			inclusive;
			int64_t		start;
			int64_t		end;
		}			bad[] = {
			{3, 4, CHURN_UNIT_DAY, 0, 8766, 8797},	/* churned > customers_at_start */
			{-1, 0, CHURN_UNIT_DAY, 0, 8766, 8797},	/* top bit set */
			{5, -1, CHURN_UNIT_DAY, 0, 8766, 8797},
			{INT64_MIN, INT64_MIN, CHURN_UNIT_DAY, 0, 8766, 8797},
			{1, 0, CHURN_UNIT_NONE, 0, 0, 0},	/* counts without a period */
			{0, 0, CHURN_UNIT_NONE, 0, 8766, 0},	/* no unit, but bounds */
			{0, 0, CHURN_UNIT_NONE, 0, 0, 8797},
			{0, 0, CHURN_UNIT_NONE, 1, 0, 0},
			{0, 0, 3, 0, 8766, 8797},	/* no such unit */
			{0, 0, 255, 0, 8766, 8797},
			{0, 0, CHURN_UNIT_DAY, 2, 8766, 8797},	/* no such flag */
			{0, 0, CHURN_UNIT_DAY, 1, 8766, 8797},	/* a daterange never ends "]" */
			{0, 0, CHURN_UNIT_MICROSECOND, 2, 8766, 8797},
			{0, 0, CHURN_UNIT_DAY, 0, 8797, 8766},	/* backwards */
			{0, 0, CHURN_UNIT_DAY, 0, 8766, 8766},	/* empty */
			{0, 0, CHURN_UNIT_DAY, 1, 8766, CHURN_NO_END},	/* "infinity]" */
			{0, 0, CHURN_UNIT_DAY, 0, CHURN_NO_START, 8797},
			{0, 0, CHURN_UNIT_DAY, 0, T_DAY_MIN - 1, 8797},
			{0, 0, CHURN_UNIT_DAY, 0, 8766, T_DAY_END},
			{0, 0, CHURN_UNIT_MICROSECOND, 0, T_USEC_MIN - 1, 0},
			{0, 0, CHURN_UNIT_MICROSECOND, 0, 0, T_USEC_END},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			memcpy(bytes, good, sizeof(good));
			summary_put_be64(bytes + 1, (uint64_t) bad[i].customers);
			summary_put_be64(bytes + 9, (uint64_t) bad[i].churned);
			bytes[17] = (unsigned char) bad[i].unit;
			bytes[18] = (unsigned char) bad[i].inclusive;
			summary_put_be64(bytes + 19, (uint64_t) bad[i].start);
			summary_put_be64(bytes + 27, (uint64_t) bad[i].end);
			if (!CHECK_DECODE(churn_decode_binary(bytes, CHURN_BINARY_SIZE, &back, &error),
							  DECODE_INVARIANT))
				printf("    bad state %zu\n", i);
			CHECK_DECODE_ERROR(&error, DECODE_INVARIANT, CHURN_BINARY_SIZE, -1);
			CHECK_KPI(error.invariant, KPI_INCONSISTENT);
		}
	}
	/* The empty summary is the all-zero one. */
	memset(&s, 0, sizeof(s));
	churn_encode_binary(&s, bytes);
	CHECK_DECODE(churn_decode_binary(bytes, CHURN_BINARY_SIZE, &back, &error), DECODE_OK);
	CHECK_INT(back.period.unit, CHURN_UNIT_NONE);
}

TEST_CASE(property_churn_codec_round_trip)
{
	Prng		prng = {4711};

	for (int i = 0; i < 20000; i++)
	{
		ChurnSummary s;
		ChurnSummary back;
		DecodeError error;
		unsigned char bytes[CHURN_BINARY_SIZE];
		char		period[CHURN_PERIOD_TEXT_MAX];
		char		text[200];
		int			len;
		bool		ok = true;

		memset(&s, 0, sizeof(s));
		if (i % 10 != 0)
		{
			bool		micro = prng_below(&prng, 2) == 1;
			int64_t		lo = micro ? T_USEC_MIN : T_DAY_MIN;
			int64_t		hi = micro ? T_USEC_END : T_DAY_END;

			s.customers_at_start = prng_count(&prng);
			s.churned = prng_count_upto(&prng, s.customers_at_start);
			s.period.unit = micro ? CHURN_UNIT_MICROSECOND : CHURN_UNIT_DAY;
			s.period.start = (int64_t) ((uint64_t) lo + prng_below(&prng, (uint64_t) hi - (uint64_t) lo - 1));
			s.period.end = prng_below(&prng, 3) == 0 ? CHURN_NO_END :
				(int64_t) ((uint64_t) s.period.start + 1 +
							prng_below(&prng, (uint64_t) hi - (uint64_t) s.period.start - 1));
			s.period.end_inclusive = micro && s.period.end != CHURN_NO_END && prng_below(&prng, 2) == 0;
		}
		ok &= CHECK_KPI(churn_check(&s), KPI_OK);

		churn_encode_binary(&s, bytes);
		ok &= CHECK_DECODE(churn_decode_binary(bytes, sizeof(bytes), &back, &error), DECODE_OK);
		ok &= CHECK(memcmp(&back, &s, sizeof(s)) == 0);

		len = snprintf(text, sizeof(text), "v1 customers_at_start=%" PRId64 " churned=%" PRId64
					   " period=%s", s.customers_at_start, s.churned, format_period(&s.period, period));
		memset(&back, 0x5a, sizeof(back));
		ok &= CHECK_DECODE(churn_parse_text(text, (size_t) len, &back, &error), DECODE_OK);
		ok &= CHECK(back.customers_at_start == s.customers_at_start &&
					back.churned == s.churned && same_period(&back.period, &s.period));
		if (!ok)
		{
			printf("    %s\n", text);
			return;
		}
	}
}

/* ---- summary_text_scan: TEXT_FIELD_WORD ---- */

static const TextField word_fields[] = {
	{"n", TEXT_FIELD_COUNT},
	{"w", TEXT_FIELD_WORD},
	{"x", TEXT_FIELD_DECIMAL},
};

#define CHECK_WORD_ERROR(literal, status, position, field) \
	do { \
		TextFieldValue values_[3]; \
		DecodeError error_; \
		CHECK_DECODE(SCAN_LITERAL(literal, word_fields, 3, values_, &error_), (status)); \
		CHECK_DECODE_ERROR(&error_, (status), (position), (field)); \
	} while (0)

TEST_CASE(summary_text_word_fields)
{
	TextFieldValue values[3];
	DecodeError error;
	static const char text[] = "v1 n=7 w=[2024-01-01,2024-02-01) x=-1.50";
	static const char odd[] = "v1 n=0 w=a=b\"'[]{}~!#$%^&*()_+-=|\\/?<>,.;:`@ x=0";
	static const char last_fields[] = {"v1 w=}"};
	static const TextField word_last[] = {{"w", TEXT_FIELD_WORD}};

	CHECK_DECODE(SCAN_LITERAL(text, word_fields, 3, values, &error), DECODE_OK);
	CHECK_DECODE_ERROR(&error, DECODE_OK, sizeof(text) - 1, -1);
	CHECK_INT(values[0].count, 7);
	CHECK_UINT(values[1].text_offset, 9);
	CHECK_UINT(values[1].text_len, 23);
	CHECK(memcmp(text + values[1].text_offset, "[2024-01-01,2024-02-01)", 23) == 0);
	CHECK_INT128(values[2].decimal, -150);
	CHECK_UINT(values[2].text_offset, 35);
	CHECK_UINT(values[2].text_len, 5);

	/* Any printable ASCII but the space, '=' included. */
	CHECK_DECODE(SCAN_LITERAL(odd, word_fields, 3, values, &error), DECODE_OK);
	CHECK_UINT(values[1].text_offset, 9);
	CHECK_UINT(values[1].text_len, sizeof(odd) - 1 - 9 - 4);
	/* One byte is a word. */
	CHECK_DECODE(SCAN_LITERAL("v1 n=0 w=- x=0", word_fields, 3, values, &error), DECODE_OK);
	CHECK_UINT(values[1].text_len, 1);
	/* The last field, with and without trailing whitespace. */
	CHECK_DECODE(scan_exact(last_fields, sizeof(last_fields) - 1, word_last, 1, values, &error),
				 DECODE_OK);
	CHECK_UINT(values[0].text_offset, 5);
	CHECK_UINT(values[0].text_len, 1);
	CHECK_DECODE(SCAN_LITERAL("v1 w=none \n\t", word_last, 1, values, &error), DECODE_OK);
	CHECK_UINT(values[0].text_offset, 5);
	CHECK_UINT(values[0].text_len, 4);

	/* An empty word. */
	CHECK_WORD_ERROR("v1 n=0 w= x=0", DECODE_SYNTAX, 9, 1);
	CHECK_WORD_ERROR("v1 n=0 w=", DECODE_SYNTAX, 9, 1);
	/* Each whitespace byte ends a word; then the next field needs its name. */
	CHECK_WORD_ERROR("v1 n=0 w=ab\tx=0", DECODE_OK, 15, -1);
	CHECK_WORD_ERROR("v1 n=0 w=ab\nx=0", DECODE_OK, 15, -1);
	CHECK_WORD_ERROR("v1 n=0 w=ab\vx=0", DECODE_OK, 15, -1);
	/* Bytes that are no printable ASCII end a word too, and are not whitespace. */
	CHECK_WORD_ERROR("v1 n=0 w=ab\x7f x=0", DECODE_SYNTAX, 11, 2);
	CHECK_WORD_ERROR("v1 n=0 w=ab\x80 x=0", DECODE_SYNTAX, 11, 2);
	CHECK_WORD_ERROR("v1 n=0 w=ab\xff x=0", DECODE_SYNTAX, 11, 2);
	CHECK_WORD_ERROR("v1 n=0 w=ab\x01 x=0", DECODE_SYNTAX, 11, 2);
	CHECK_WORD_ERROR("v1 n=0 w=ab\0 x=0", DECODE_SYNTAX, 11, 2);
	CHECK_WORD_ERROR("v1 n=0 w=\x80 x=0", DECODE_SYNTAX, 9, 1);
	CHECK_WORD_ERROR("v1 n=0 w=\0 x=0", DECODE_SYNTAX, 9, 1);
	/* A word swallows what a decimal would not: the next field must still follow. */
	CHECK_WORD_ERROR("v1 n=0 w=1x=0", DECODE_SYNTAX, 13, 2);
	{
		static const char last_nul[] = "v1 w=ab\0";

		CHECK_DECODE(scan_exact(last_nul, sizeof(last_nul) - 1, word_last, 1, values, &error),
					 DECODE_SYNTAX);
		CHECK_DECODE_ERROR(&error, DECODE_SYNTAX, 7, -1);
	}
}

/* ---- numeric_view_compare ---- */

/* A decimal string as sign, integer digits without leading zeros, fraction without trailing ones. */
typedef struct DecimalParts
{
	bool		negative;
	char		integer[128];
	char		fraction[128];
} DecimalParts;

static void
decimal_parts(const char *text, DecimalParts *p)
{
	const char *point;
	size_t		n;

	p->negative = *text == '-';
	text += p->negative;
	while (*text == '0')
		text++;
	point = strchr(text, '.');
	n = point ? (size_t) (point - text) : strlen(text);
	memcpy(p->integer, text, n);
	p->integer[n] = '\0';
	strcpy(p->fraction, point ? point + 1 : "");
	n = strlen(p->fraction);
	while (n > 0 && p->fraction[n - 1] == '0')
		p->fraction[--n] = '\0';
	if (p->integer[0] == '\0' && p->fraction[0] == '\0')
		p->negative = false;	/* -0 is 0 */
}

/* Compares two decimal strings as numbers: the model. */
static int
model_compare(const char *a, const char *b)
{
	DecimalParts pa;
	DecimalParts pb;
	int			magnitude;
	int			sign;

	decimal_parts(a, &pa);
	decimal_parts(b, &pb);
	if (pa.negative != pb.negative)
		return pa.negative ? -1 : 1;
	sign = pa.negative ? -1 : 1;
	if (strlen(pa.integer) != strlen(pb.integer))
		magnitude = strlen(pa.integer) > strlen(pb.integer) ? 1 : -1;
	else
	{
		magnitude = strcmp(pa.integer, pb.integer);
		if (magnitude == 0)
			magnitude = strcmp(pa.fraction, pb.fraction);	/* no trailing zeros: strcmp is numeric */
		magnitude = magnitude > 0 ? 1 : magnitude < 0 ? -1 : 0;
	}
	return sign * magnitude;
}

TEST_CASE(numeric_view_compare_known)
{
	static const struct
	{
		const char *a;
		const char *b;
		int			cmp;
	}			cases[] = {
		{"0", "0", 0}, {"0", "0.000", 0}, {"-0.00", "0", 0},
		{"0", "1", -1}, {"0", "-1", 1}, {"0", "0.0001", -1}, {"0", "-0.0001", 1},
		{"1", "1.0", 0}, {"10.00", "10.0", 0}, {"1", "1.0001", -1},
		{"1.0001", "1", 1}, {"1.00000001", "1", 1}, {"1", "1.00000001", -1},
		{"9999", "10000", -1}, {"10000", "9999", 1}, {"10000", "9999.9999", 1},
		{"0.0001", "0.001", -1}, {"0.00001", "0.0001", -1}, {"0.0001", "0.00009999", 1},
		{"-1", "1", -1}, {"1", "-1", 1}, {"-1", "-2", 1}, {"-2", "-1", -1},
		{"-10000", "-9999", -1}, {"-0.0001", "-0.00001", -1}, {"-1.0001", "-1", -1},
		{"-1", "-1.0001", 1}, {"-1.5", "-1.50", 0},
		{"123456789012345678901234567890", "123456789012345678901234567891", -1},
		{"123456789012345678901234567890.5", "123456789012345678901234567890.49", 1},
		{"100000000", "100000000.00000001", -1}, {"99999999.99999999", "100000000", -1},
		{"1000000000000000000000000000000000000000", "999999999999999999999999999999999999999", 1},
		{"0.00000000000000000001", "0", 1}, {"0.00000000000000000001", "0.00000000000000000002", -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		TestNumeric a;
		TestNumeric b;
		const NumericView *va = NUMERIC(&a, cases[i].a);
		const NumericView *vb = NUMERIC(&b, cases[i].b);
		bool		ok = true;

		ok &= CHECK_INT(model_compare(cases[i].a, cases[i].b), cases[i].cmp);
		ok &= CHECK_INT(numeric_view_compare(va, vb), cases[i].cmp);
		ok &= CHECK_INT(numeric_view_compare(vb, va), -cases[i].cmp);
		ok &= CHECK_INT(numeric_view_compare(va, va), 0);
		if (!ok)
			printf("    %s <=> %s\n", cases[i].a, cases[i].b);
	}
}

TEST_CASE(numeric_view_compare_trailing_zero_digits)
{
	/* 1.5 as [1, 5000], and with a trailing zero digit [1, 5000, 0], as numeric never stores. */
	static const uint16_t one_five[] = {1, 5000};
	static const uint16_t one_five_zero[] = {1, 5000, 0};
	static const uint16_t one[] = {1};
	static const uint16_t one_zero[] = {1, 0, 0};
	NumericView a = {NUMERIC_KIND_FINITE, false, 0, 1, 2, (const unsigned char *) one_five};
	NumericView b = {NUMERIC_KIND_FINITE, false, 0, 1, 3, (const unsigned char *) one_five_zero};
	NumericView c = {NUMERIC_KIND_FINITE, false, 0, 0, 1, (const unsigned char *) one};
	NumericView d = {NUMERIC_KIND_FINITE, false, 0, 8, 3, (const unsigned char *) one_zero};
	NumericView zero = {NUMERIC_KIND_FINITE, false, 0, 0, 0, NULL};
	NumericView negative_zero = {NUMERIC_KIND_FINITE, true, 0, 2, 0, NULL};

	CHECK_INT(numeric_view_compare(&a, &b), 0);
	CHECK_INT(numeric_view_compare(&b, &a), 0);
	CHECK_INT(numeric_view_compare(&c, &d), 0);
	CHECK_INT(numeric_view_compare(&d, &a), -1);
	CHECK_INT(numeric_view_compare(&b, &c), 1);
	CHECK_INT(numeric_view_compare(&zero, &negative_zero), 0);
	CHECK_INT(numeric_view_compare(&negative_zero, &c), -1);
	a.negative = b.negative = true;
	CHECK_INT(numeric_view_compare(&a, &b), 0);
	CHECK_INT(numeric_view_compare(&a, &c), -1);
	CHECK_INT(numeric_view_compare(&negative_zero, &a), 1);
}

/* A random decimal string: sign, integer part (maybe with leading zeros), fraction. */
static void
random_decimal_text(Prng *prng, char *buf)
{
	size_t		n = 0;
	int			int_digits = (int) prng_below(prng, 25);
	int			frac_digits = (int) prng_below(prng, 4) == 0 ? 0 : (int) prng_below(prng, 20);

	if (prng_below(prng, 2) == 0)
		buf[n++] = '-';
	if (int_digits == 0)
		buf[n++] = '0';
	for (int i = 0; i < int_digits; i++)
		buf[n++] = (char) ('0' + (prng_below(prng, 3) == 0 ? 0 : prng_below(prng, 10)));
	if (frac_digits > 0)
	{
		buf[n++] = '.';
		for (int i = 0; i < frac_digits; i++)
			buf[n++] = (char) ('0' + (prng_below(prng, 3) == 0 ? 0 : prng_below(prng, 10)));
	}
	buf[n] = '\0';
}

/* A value near text: the same with trailing zeros, a sign flip, one digit changed, or a prefix. */
static void
nearby_decimal_text(Prng *prng, const char *text, char *buf)
{
	size_t		n = strlen(text);

	strcpy(buf, text);
	switch (prng_below(prng, 5))
	{
		case 0:
			if (strchr(buf, '.') == NULL)
				buf[n++] = '.';
			for (int i = 0, k = 1 + (int) prng_below(prng, 6); i < k; i++)
				buf[n++] = '0';
			buf[n] = '\0';
			break;
		case 1:
			if (buf[0] == '-')
				memmove(buf, buf + 1, n);
			else
			{
				memmove(buf + 1, buf, n + 1);
				buf[0] = '-';
			}
			break;
		case 2:
			{
				size_t		at = prng_below(prng, n);

				if (buf[at] >= '0' && buf[at] <= '9')
					buf[at] = (char) ('0' + prng_below(prng, 10));
			}
			break;
		case 3:
			{
				size_t		keep = 1 + prng_below(prng, n);

				buf[keep] = '\0';
				if (buf[keep - 1] == '.' || buf[keep - 1] == '-')
					buf[keep - 1] = keep == 1 ? '0' : '\0';
				if (buf[0] == '\0')
					strcpy(buf, "0");
			}
			break;
		default:
			break;
	}
}

TEST_CASE(property_numeric_view_compare)
{
	Prng		prng = {1618033};
	int			seen[3] = {0};

	for (int i = 0; i < 200000; i++)
	{
		char		a_text[128];
		char		b_text[160];
		TestNumeric a;
		TestNumeric b;
		const NumericView *va;
		const NumericView *vb;
		int			expected;
		bool		ok = true;

		random_decimal_text(&prng, a_text);
		if (prng_below(&prng, 3) == 0)
			random_decimal_text(&prng, b_text);
		else
			nearby_decimal_text(&prng, a_text, b_text);
		va = NUMERIC(&a, a_text);
		vb = NUMERIC(&b, b_text);
		expected = model_compare(a_text, b_text);
		seen[expected + 1]++;
		ok &= CHECK_INT(numeric_view_compare(va, vb), expected);
		ok &= CHECK_INT(numeric_view_compare(vb, va), -expected);
		if (!ok)
		{
			printf("    %s <=> %s\n", a_text, b_text);
			return;
		}
	}
	CHECK(seen[0] > 10000 && seen[1] > 10000 && seen[2] > 10000);
}

/* ---- decimal_sum_add_scaled, _remove_scaled, _add_spilled, _remove_spilled ---- */

static bool
same_sum(const DecimalSum *a, const DecimalSum *b)
{
	return a->held == b->held && a->scale_rows == b->scale_rows &&
		a->scale == b->scale && a->held_scale == b->held_scale &&
		a->spilled == b->spilled;
}

/* The held part shown at the display scale, exactly as expected. */
static bool
check_shown(const DecimalSum *s, const char *expected, const char *file, int line)
{
	char		buf[DECIMAL_TEXT_MAX(64)];

	if (s->scale > 64 || decimal_format(s->held, s->held_scale, s->scale, buf, sizeof(buf)) == 0)
		strcpy(buf, "(decimal_format failed)");
	return test_check_str(buf, expected, "held part at its display scale", "expected",
						  file, line);
}
#define CHECK_SHOWN(s, expected) check_shown(&(s), (expected), __FILE__, __LINE__)

TEST_CASE(decimal_sum_add_scaled)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	/* 12.50, display scale 2: at held scale 4 it is 125000. */
	CHECK_STEP(decimal_sum_add_scaled(&s, 125000, 2), DECIMAL_DONE);
	CHECK_SHOWN(s, "12.50");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 1);
	CHECK_INT(s.held_scale, 4);
	/* An integer (held scale 0) shifts up to the sum's held scale. */
	CHECK_STEP(decimal_sum_add_scaled(&s, 7, 0), DECIMAL_DONE);
	CHECK_SHOWN(s, "19.50");
	CHECK_INT(s.scale_rows, 1);
	/* Same display scale: one more row at it. */
	CHECK_STEP(decimal_sum_add_scaled(&s, -5000, 2), DECIMAL_DONE);
	CHECK_SHOWN(s, "19.00");
	CHECK_INT(s.scale_rows, 2);
	/* A larger display scale raises the held part, and restarts the count. */
	CHECK_STEP(decimal_sum_add_scaled(&s, 1234000, 5), DECIMAL_DONE);
	CHECK_INT(s.held_scale, 8);
	CHECK_INT(s.scale, 5);
	CHECK_INT(s.scale_rows, 1);
	CHECK_SHOWN(s, "19.01234");
	CHECK_HELD_VALUE(s, "19.01234");
	/* Display scale 3 shares held scale 4: its value is shifted by 10^4, not 10^3. */
	CHECK_STEP(decimal_sum_add_scaled(&s, 10, 3), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "19.01334");
	CHECK_INT(s.scale, 5);
	CHECK_INT(s.scale_rows, 1);

	/* Overflow: the held part stays, the value goes to the spill; the scale is still counted. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, TEST_INT128_MAX, 0), DECIMAL_DONE);
	before = s;
	CHECK_STEP(decimal_sum_add_scaled(&s, 1, 0), DECIMAL_SPILL);
	CHECK_INT128(s.held, TEST_INT128_MAX);
	CHECK_INT(s.spilled, 1);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(decimal_sum_add_scaled(&s, TEST_INT128_MIN, 0), DECIMAL_DONE);
	CHECK_INT128(s.held, -1);
	/* A held part that cannot be raised to the value's held scale. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, int128_from_text("100000000000000000000000000000000000"), 0),
			   DECIMAL_DONE);
	before = s;
	CHECK_STEP(decimal_sum_add_scaled(&s, 1, 1), DECIMAL_SPILL);
	CHECK_INT128(s.held, before.held);
	CHECK_INT(s.held_scale, 0);
	CHECK_INT(s.scale, 1);
	CHECK_INT(s.scale_rows, 1);
	CHECK_INT(s.spilled, 1);
	/* A value that cannot be shifted to the sum's held scale. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, 1, 8), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, int128_from_text("10000000000000000000000000000000"), 0),
			   DECIMAL_SPILL);
	CHECK_HELD_VALUE(s, "0.00000001");
	CHECK_INT(s.scale, 8);
	CHECK_INT(s.scale_rows, 1);
	/* -2^127 at its own held scale is no shift at all; shifted, it does not fit. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, TEST_INT128_MIN, 4), DECIMAL_DONE);
	CHECK_INT128(s.held, TEST_INT128_MIN);
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, 1, 8), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, TEST_INT128_MIN, 4), DECIMAL_SPILL);
	CHECK_INT128(s.held, 1);
}

TEST_CASE(decimal_sum_remove_scaled)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	CHECK_STEP(decimal_sum_add_scaled(&s, 125000, 2), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, 25000, 2), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, 3, 0), DECIMAL_DONE);
	CHECK_SHOWN(s, "18.00");
	CHECK_INT(s.scale_rows, 2);
	/* A value at a lower display scale leaves without touching the count. */
	CHECK_STEP(decimal_sum_remove_scaled(&s, 3, 0), DECIMAL_DONE);
	CHECK_SHOWN(s, "15.00");
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(decimal_sum_remove_scaled(&s, 25000, 2), DECIMAL_DONE);
	CHECK_SHOWN(s, "12.50");
	CHECK_INT(s.scale_rows, 1);
	/* The last row at the display scale: restart, nothing changed. */
	before = s;
	CHECK_STEP(decimal_sum_remove_scaled(&s, 125000, 2), DECIMAL_RESTART);
	CHECK(same_sum(&s, &before));
	/* More precise than the sum: never added. */
	CHECK_STEP(decimal_sum_remove_scaled(&s, 1, 3), DECIMAL_NOT_IN_SUM);
	CHECK(same_sum(&s, &before));
	/* At scale 0 there is nothing to forget: the last row leaves. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, 42, 0), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_scaled(&s, 42, 0), DECIMAL_DONE);
	CHECK_INT128(s.held, 0);
	CHECK_INT(s.scale_rows, 0);
	CHECK_INT(s.scale, 0);
	/* A value whose held scale the sum never reached went to the spill: it leaves from there. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, int128_from_text("100000000000000000000000000000000000"), 0),
			   DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, 10, 1), DECIMAL_SPILL);
	CHECK_STEP(decimal_sum_add_scaled(&s, 20, 1), DECIMAL_SPILL);
	before = s;
	CHECK_STEP(decimal_sum_remove_scaled(&s, 10, 1), DECIMAL_SPILL);
	CHECK_INT128(s.held, before.held);
	CHECK_INT(s.scale_rows, 1);
	/* Underflow of the held part spills too. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_scaled(&s, TEST_INT128_MIN, 0), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_scaled(&s, 0, 0), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_scaled(&s, 1, 0), DECIMAL_SPILL);
	CHECK_INT128(s.held, TEST_INT128_MIN);
	CHECK_INT(s.scale_rows, 1);

	/* The int64 steps are the scaled ones at display scale 0. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MAX), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MAX), DECIMAL_DONE);
	CHECK_INT128(s.held, (int128) INT64_MAX * 2);
	CHECK_STEP(decimal_sum_add_scaled(&s, 500, 2), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_add_int64(&s, INT64_MIN), DECIMAL_DONE);
	CHECK_STEP(decimal_sum_remove_int64(&s, INT64_MAX), DECIMAL_DONE);
	CHECK_HELD_VALUE(s, "-0.95");
	CHECK_INT(s.scale, 2);
	CHECK_INT(s.scale_rows, 1);
}

TEST_CASE(decimal_sum_spilled_steps)
{
	DecimalSum	s = {0};
	DecimalSum	before;

	/* Only the bookkeeping: the held part never changes. */
	CHECK_STEP(decimal_sum_add_scaled(&s, 1000, 1), DECIMAL_DONE);
	before = s;
	CHECK_STEP(decimal_sum_add_spilled(&s, 0), DECIMAL_SPILL);
	CHECK_INT128(s.held, before.held);
	CHECK_INT(s.held_scale, before.held_scale);
	CHECK_INT(s.scale, 1);
	CHECK_INT(s.scale_rows, 1);
	CHECK_INT(s.spilled, 1);
	CHECK_STEP(decimal_sum_add_spilled(&s, 1), DECIMAL_SPILL);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(decimal_sum_add_spilled(&s, 9), DECIMAL_SPILL);
	CHECK_INT(s.scale, 9);
	CHECK_INT(s.scale_rows, 1);
	CHECK_INT(s.held_scale, before.held_scale);
	CHECK_INT128(s.held, before.held);
	CHECK_STEP(decimal_sum_add_spilled(&s, DECIMAL_MAX_SCALE), DECIMAL_SPILL);
	CHECK_INT(s.scale, DECIMAL_MAX_SCALE);

	/* Removal: the same rules as for any value. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_spilled(&s, 2), DECIMAL_SPILL);
	CHECK_STEP(decimal_sum_add_spilled(&s, 2), DECIMAL_SPILL);
	CHECK_STEP(decimal_sum_add_spilled(&s, 0), DECIMAL_SPILL);
	CHECK_INT(s.scale_rows, 2);
	before = s;
	CHECK_STEP(decimal_sum_remove_spilled(&s, 3), DECIMAL_NOT_IN_SUM);
	CHECK(same_sum(&s, &before));
	CHECK_STEP(decimal_sum_remove_spilled(&s, 0), DECIMAL_SPILL);
	CHECK_INT(s.scale_rows, 2);
	CHECK_STEP(decimal_sum_remove_spilled(&s, 2), DECIMAL_SPILL);
	CHECK_INT(s.scale_rows, 1);
	before = s;
	CHECK_STEP(decimal_sum_remove_spilled(&s, 2), DECIMAL_RESTART);
	CHECK(same_sum(&s, &before));
	/* Scale 0: the last row leaves. */
	memset(&s, 0, sizeof(s));
	CHECK_STEP(decimal_sum_add_spilled(&s, 0), DECIMAL_SPILL);
	CHECK_STEP(decimal_sum_remove_spilled(&s, 0), DECIMAL_SPILL);
	CHECK_INT(s.scale_rows, 0);
	CHECK_INT(s.spilled, 1);
	CHECK_INT128(s.held, 0);
}

/* ---- MrrSummary ---- */

static KpiStatus
mrr_row(MrrSummary *m, const char *start, const char *end, bool add, MrrRowSteps *steps)
{
	TestNumeric a;
	TestNumeric b;

	return mrr_step(m, NUMERIC(&a, start), NUMERIC(&b, end), add, steps);
}

/* A sum held (not spilled), shown at its display scale as expected, with its scale rows. */
static bool
check_mrr_sum(const MrrSummary *m, MrrSumId id, const char *shown, int64_t scale_rows,
			  const char *file, int line)
{
	const DecimalSum *s = &m->sums[id];
	const char *point = strchr(shown, '.');
	bool		ok = true;
	char		what[64];

	snprintf(what, sizeof(what), "sum %d not spilled", (int) id);
	ok &= test_check(!s->spilled, what, file, line);
	ok &= test_check_int(s->scale, point ? (int64_t) strlen(point + 1) : 0, "sum.scale",
						 "digits after the point", file, line);
	ok &= test_check_int(s->scale_rows, scale_rows, "sum.scale_rows", "expected scale_rows",
						 file, line);
	ok &= check_shown(s, shown, file, line);
	return ok;
}
#define CHECK_MRR_SUM(m, id, shown, scale_rows) \
	check_mrr_sum(&(m), (id), (shown), (scale_rows), __FILE__, __LINE__)

/* An untouched sum: exactly zero, scale 0, no rows. */
static bool
check_mrr_untouched(const MrrSummary *m, MrrSumId id, const char *file, int line)
{
	const DecimalSum *s = &m->sums[id];
	char		what[64];

	snprintf(what, sizeof(what), "sum %d untouched", (int) id);
	return test_check(s->held == 0 && s->scale == 0 && s->scale_rows == 0 && !s->spilled,
					  what, file, line);
}
#define CHECK_MRR_UNTOUCHED(m, id) check_mrr_untouched(&(m), (id), __FILE__, __LINE__)

/* The values a row took, MRR_START .. MRR_NET, as a string of letters: - S E G L. */
static bool
check_mrr_values(const MrrRowSteps *steps, const char *expected, const char *file, int line)
{
	char		got[MRR_NSUMS + 1];

	for (int i = 0; i < MRR_NSUMS; i++)
		got[i] = "-SEGL?"[steps->value[i] <= MRR_VALUE_LOSS ? steps->value[i] : 5];
	got[MRR_NSUMS] = '\0';
	return test_check_str(got, expected, "steps.value", "expected values", file, line);
}
#define CHECK_MRR_VALUES(steps, expected) \
	check_mrr_values(&(steps), (expected), __FILE__, __LINE__)

/* Each sum's step as a digit (DECIMAL_DONE 0, _SPILL 1, _RESTART 2, _NOT_IN_SUM 3), '-' if untouched. */
static bool
check_mrr_steps(const MrrRowSteps *steps, const char *expected, const char *file, int line)
{
	char		got[MRR_NSUMS + 1];

	for (int i = 0; i < MRR_NSUMS; i++)
		got[i] = steps->value[i] == MRR_VALUE_NONE ?
			(steps->step[i] == 0 ? '-' : '?') : (char) ('0' + steps->step[i]);
	got[MRR_NSUMS] = '\0';
	return test_check_str(got, expected, "steps.step", "expected steps", file, line);
}
#define CHECK_MRR_STEPS(steps, expected) \
	check_mrr_steps(&(steps), (expected), __FILE__, __LINE__)

TEST_CASE(mrr_movement_of)
{
	static const struct
	{
		const char *start;
		const char *end;
		MrrMovement movement;
	}			cases[] = {
		{"0", "0", MRR_MOVEMENT_UNCHANGED}, {"0.00", "0", MRR_MOVEMENT_UNCHANGED},
		{"0", "0.01", MRR_MOVEMENT_NEW}, {"0.000", "1000000", MRR_MOVEMENT_NEW},
		{"10", "0", MRR_MOVEMENT_CHURNED}, {"0.0001", "0.00", MRR_MOVEMENT_CHURNED},
		{"10", "10.00", MRR_MOVEMENT_UNCHANGED}, {"10.5", "10.50", MRR_MOVEMENT_UNCHANGED},
		{"10", "10.01", MRR_MOVEMENT_EXPANSION}, {"9999.9999", "10000", MRR_MOVEMENT_EXPANSION},
		{"10.01", "10", MRR_MOVEMENT_CONTRACTION}, {"10000", "9999.9999", MRR_MOVEMENT_CONTRACTION},
		{"1", "1.00000001", MRR_MOVEMENT_EXPANSION}, {"1.00000001", "1", MRR_MOVEMENT_CONTRACTION},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		TestNumeric a;
		TestNumeric b;

		if (!CHECK_INT(mrr_movement_of(NUMERIC(&a, cases[i].start), NUMERIC(&b, cases[i].end)),
					   cases[i].movement))
			printf("    (%s, %s)\n", cases[i].start, cases[i].end);
	}
}

TEST_CASE(mrr_step_movements)
{
	MrrSummary	m;
	MrrRowSteps steps;

	/* New: only new and net. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "0", "50.00", true, &steps), KPI_OK);
	CHECK_INT(m.rows, 1);
	CHECK_MRR_VALUES(steps, "---E---G");
	CHECK_MRR_STEPS(steps, "---0---0");
	CHECK_MRR_UNTOUCHED(m, MRR_START);
	CHECK_MRR_UNTOUCHED(m, MRR_END);
	CHECK_MRR_UNTOUCHED(m, MRR_RETAINED);
	CHECK_MRR_SUM(m, MRR_NEW, "50.00", 1);
	CHECK_MRR_UNTOUCHED(m, MRR_EXPANSION);
	CHECK_MRR_UNTOUCHED(m, MRR_CONTRACTION);
	CHECK_MRR_UNTOUCHED(m, MRR_CHURNED);
	CHECK_MRR_SUM(m, MRR_NET, "50.00", 1);
	CHECK_KPI(mrr_check(&m), KPI_OK);
	/* The net change has the larger scale of the two. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "0.000", "50", true, &steps), KPI_OK);
	CHECK_MRR_SUM(m, MRR_NEW, "50", 1);
	CHECK_MRR_SUM(m, MRR_NET, "50.000", 1);

	/* Expansion. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100.00", "150.5", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SES-G--G");
	CHECK_MRR_STEPS(steps, "000-0--0");
	CHECK_MRR_SUM(m, MRR_START, "100.00", 1);
	CHECK_MRR_SUM(m, MRR_END, "150.5", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "100.00", 1);
	CHECK_MRR_UNTOUCHED(m, MRR_NEW);
	CHECK_MRR_SUM(m, MRR_EXPANSION, "50.50", 1);
	CHECK_MRR_UNTOUCHED(m, MRR_CONTRACTION);
	CHECK_MRR_UNTOUCHED(m, MRR_CHURNED);
	CHECK_MRR_SUM(m, MRR_NET, "50.50", 1);

	/* Contraction. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100", "60.25", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SEE--L-G");
	CHECK_MRR_SUM(m, MRR_START, "100", 1);
	CHECK_MRR_SUM(m, MRR_END, "60.25", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "60.25", 1);
	CHECK_MRR_SUM(m, MRR_CONTRACTION, "39.75", 1);
	CHECK_MRR_UNTOUCHED(m, MRR_EXPANSION);
	CHECK_MRR_UNTOUCHED(m, MRR_CHURNED);
	CHECK_MRR_SUM(m, MRR_NET, "-39.75", 1);
	CHECK_KPI(mrr_check(&m), KPI_OK);

	/* Churned: end is 0, and so is what was retained. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "80.5", "0", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SEE---SG");
	CHECK_MRR_SUM(m, MRR_START, "80.5", 1);
	CHECK_MRR_SUM(m, MRR_END, "0", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "0", 1);
	CHECK_MRR_SUM(m, MRR_CHURNED, "80.5", 1);
	CHECK_MRR_SUM(m, MRR_NET, "-80.5", 1);
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "80.5", "0.00", true, &steps), KPI_OK);
	CHECK_MRR_SUM(m, MRR_END, "0.00", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "0.00", 1);
	CHECK_MRR_SUM(m, MRR_NET, "-80.50", 1);

	/* Unchanged, start = end > 0: no movement sum; least() keeps mrr_start on a tie. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "10.00", "10.0", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SES----G");
	CHECK_MRR_SUM(m, MRR_START, "10.00", 1);
	CHECK_MRR_SUM(m, MRR_END, "10.0", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "10.00", 1);
	CHECK_MRR_SUM(m, MRR_NET, "0.00", 1);
	CHECK_MRR_UNTOUCHED(m, MRR_NEW);
	CHECK_MRR_UNTOUCHED(m, MRR_EXPANSION);
	CHECK_MRR_UNTOUCHED(m, MRR_CONTRACTION);
	CHECK_MRR_UNTOUCHED(m, MRR_CHURNED);
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "10.0", "10.000", true, &steps), KPI_OK);
	CHECK_MRR_SUM(m, MRR_RETAINED, "10.0", 1);
	CHECK_MRR_SUM(m, MRR_END, "10.000", 1);
	CHECK_MRR_SUM(m, MRR_NET, "0.000", 1);

	/* Unchanged at zero: a row, and a zero net change at its scale. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "0", "0.000", true, &steps), KPI_OK);
	CHECK_INT(m.rows, 1);
	CHECK_MRR_VALUES(steps, "-------G");
	CHECK_MRR_STEPS(steps, "-------0");
	for (int i = 0; i < MRR_NET; i++)
		CHECK_MRR_UNTOUCHED(m, (MrrSumId) i);
	CHECK_MRR_SUM(m, MRR_NET, "0.000", 1);
	CHECK_KPI(mrr_check(&m), KPI_OK);
}

TEST_CASE(mrr_step_totals)
{
	MrrSummary	m;
	MrrRowSteps steps;

	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100.00", "150.5", true, &steps), KPI_OK);	/* expansion 50.50 */
	CHECK_KPI(mrr_row(&m, "100", "60.25", true, &steps), KPI_OK);	/* contraction 39.75 */
	CHECK_KPI(mrr_row(&m, "80.5", "0", true, &steps), KPI_OK);	/* churned 80.5 */
	CHECK_KPI(mrr_row(&m, "10.00", "10.0", true, &steps), KPI_OK);	/* unchanged */
	CHECK_KPI(mrr_row(&m, "0", "50.00", true, &steps), KPI_OK);	/* new 50.00 */
	CHECK_KPI(mrr_row(&m, "0", "0", true, &steps), KPI_OK);
	CHECK_INT(m.rows, 6);
	CHECK_MRR_SUM(m, MRR_START, "290.50", 2);
	CHECK_MRR_SUM(m, MRR_END, "220.75", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "170.25", 3);
	CHECK_MRR_SUM(m, MRR_NEW, "50.00", 1);
	CHECK_MRR_SUM(m, MRR_EXPANSION, "50.50", 1);
	CHECK_MRR_SUM(m, MRR_CONTRACTION, "39.75", 1);
	CHECK_MRR_SUM(m, MRR_CHURNED, "80.5", 1);
	/* new + expansion - contraction - churned = 50.00 + 50.50 - 39.75 - 80.5 */
	CHECK_MRR_SUM(m, MRR_NET, "-19.75", 4);
	CHECK_KPI(mrr_check(&m), KPI_OK);

	/* Removing the new row gives back the state without it. */
	CHECK_KPI(mrr_row(&m, "0", "50.00", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "---2---0");	/* the only new row at scale 2: restart */
	/* Removing the churned row instead. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100.00", "150.5", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "80.5", "0", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "0", "0", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "80.5", "0", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "80.5", "0", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "000---00");
	CHECK_KPI(mrr_row(&m, "0", "0", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "-------0");
	CHECK_INT(m.rows, 2);
	CHECK_MRR_SUM(m, MRR_START, "180.50", 1);
	CHECK_MRR_SUM(m, MRR_END, "150.5", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "100.00", 1);
	CHECK_MRR_SUM(m, MRR_CHURNED, "80.5", 1);
	CHECK_MRR_SUM(m, MRR_EXPANSION, "50.50", 1);
	CHECK_MRR_SUM(m, MRR_NET, "-30.00", 1);
	CHECK_KPI(mrr_row(&m, "80.5", "0", false, &steps), KPI_OK);
	/* churned: its only row at scale 1 leaves; every other sum it touched is at a larger scale. */
	CHECK_MRR_STEPS(steps, "000---20");
	CHECK_INT(m.rows, 1);
}

TEST_CASE(mrr_step_negative)
{
	MrrSummary	m;
	MrrSummary	before;
	MrrRowSteps steps;

	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "5", "7", true, &steps), KPI_OK);
	before = m;
	CHECK_KPI(mrr_row(&m, "-1", "5", true, &steps), KPI_NEGATIVE_TRIALS);
	CHECK(memcmp(&m, &before, sizeof(m)) == 0);
	CHECK_MRR_VALUES(steps, "--------");
	CHECK_KPI(mrr_row(&m, "5", "-0.01", true, &steps), KPI_NEGATIVE_HITS);
	CHECK(memcmp(&m, &before, sizeof(m)) == 0);
	CHECK_KPI(mrr_row(&m, "-5", "-0.01", true, &steps), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(mrr_row(&m, "-5", "7", false, &steps), KPI_NEGATIVE_TRIALS);
	CHECK_KPI(mrr_row(&m, "5", "-7", false, &steps), KPI_NEGATIVE_HITS);
	CHECK(memcmp(&m, &before, sizeof(m)) == 0);
	/* "-0" is zero. */
	CHECK_KPI(mrr_row(&m, "-0.00", "-0", true, &steps), KPI_OK);
	{
		NumericView negative_zero = {NUMERIC_KIND_FINITE, true, 0, 2, 0, NULL};
		TestNumeric n;

		CHECK_KPI(mrr_step(&m, &negative_zero, NUMERIC(&n, "3"), true, &steps), KPI_OK);
		CHECK_MRR_VALUES(steps, "---E---G");
		CHECK_KPI(mrr_step(&m, NUMERIC(&n, "3"), &negative_zero, true, &steps), KPI_OK);
		CHECK_MRR_VALUES(steps, "SEE---SG");
	}
	CHECK_INT(m.rows, 4);
}

TEST_CASE(mrr_step_rows)
{
	MrrSummary	m;
	MrrSummary	before;
	MrrRowSteps steps;

	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "1", "2", false, &steps), KPI_NOT_IN_STATE);
	CHECK_INT(m.rows, 0);
	m.rows = INT64_MAX;
	before = m;
	CHECK_KPI(mrr_row(&m, "1", "2", true, &steps), KPI_TOO_MANY_ROWS);
	CHECK(memcmp(&m, &before, sizeof(m)) == 0);
}

TEST_CASE(mrr_step_restart)
{
	MrrSummary	m;
	MrrSummary	empty;
	MrrRowSteps steps;

	/* One row at scale 2 leaves: every sum it touched must restart. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100.00", "150.00", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "100.00", "150.00", false, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SES-G--G");
	CHECK_MRR_STEPS(steps, "222-2--2");
	CHECK_INT(m.rows, 0);

	/* At scale 0, the last row simply leaves, and the summary is empty again. */
	memset(&m, 0, sizeof(m));
	memset(&empty, 0, sizeof(empty));
	CHECK_KPI(mrr_row(&m, "100", "150", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "100", "150", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "000-0--0");
	CHECK(memcmp(&m, &empty, sizeof(m)) == 0);
	CHECK_KPI(mrr_check(&m), KPI_OK);

	/* Two rows at the largest scale: the first leaves, the second restarts. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100.00", "90", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "1.50", "1", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "7", "8", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&m, "100.00", "90", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "000--0-0");
	CHECK_MRR_SUM(m, MRR_START, "8.50", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "8", 2);
	CHECK_MRR_SUM(m, MRR_CONTRACTION, "0.50", 1);
	CHECK_MRR_SUM(m, MRR_NET, "0.50", 1);
	CHECK_KPI(mrr_row(&m, "1.50", "1", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "200--2-2");
}

TEST_CASE(mrr_step_spill)
{
	static const char e40[] = "10000000000000000000000000000000000000000";
	static const char two_e30[] = "2000000000000000000000000000000";
	static const char two_e30_up[] = "2000000000000000000000000000000.00000001";
	MrrSummary	m;
	MrrRowSteps steps;

	/* mrr_start too large to hold: it, the contraction and the net change spill. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, e40, "5", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SEE--L-G");
	CHECK_MRR_STEPS(steps, "100--1-1");
	CHECK_INT(m.sums[MRR_START].spilled, 1);
	CHECK_INT128(m.sums[MRR_START].held, 0);
	CHECK_INT(m.sums[MRR_START].scale_rows, 1);
	CHECK_MRR_SUM(m, MRR_END, "5", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "5", 1);
	CHECK_INT(m.sums[MRR_CONTRACTION].spilled, 1);
	CHECK_INT(m.sums[MRR_CONTRACTION].scale_rows, 1);
	CHECK_INT(m.sums[MRR_NET].spilled, 1);
	CHECK_KPI(mrr_check(&m), KPI_OK);
	/* Removing it again: the spilled sums give it back from the spill. */
	CHECK_KPI(mrr_row(&m, e40, "5", false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "100--1-1");
	CHECK_INT(m.rows, 0);
	CHECK_INT128(m.sums[MRR_END].held, 0);

	/* mrr_end too large: end, expansion and net spill; what was retained is mrr_start. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "5", e40, true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SES-G--G");
	CHECK_MRR_STEPS(steps, "010-1--1");
	CHECK_MRR_SUM(m, MRR_START, "5", 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, "5", 1);
	/* A new row that large. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "0", e40, true, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "---1---1");
	/* A churned one. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, e40, "0", true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SEE---SG");
	CHECK_MRR_STEPS(steps, "100---11");

	/* Each value fits, but not at their common scale: the difference spills. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, two_e30, two_e30_up, true, &steps), KPI_OK);
	CHECK_MRR_VALUES(steps, "SES-G--G");
	CHECK_MRR_STEPS(steps, "010-1--1");
	CHECK_MRR_SUM(m, MRR_START, two_e30, 1);
	CHECK_MRR_SUM(m, MRR_RETAINED, two_e30, 1);
	CHECK_INT(m.sums[MRR_EXPANSION].scale, 8);
	CHECK_INT(m.sums[MRR_EXPANSION].scale_rows, 1);
	CHECK_INT(m.sums[MRR_NET].scale, 8);
	CHECK_KPI(mrr_row(&m, two_e30, two_e30_up, false, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "020-2--2");

	/* A small difference that the sum cannot be raised to. */
	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "0", "10000000000000000000000000000000000000", true, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "---0---0");
	CHECK_KPI(mrr_row(&m, "0.1", "0.2", true, &steps), KPI_OK);
	CHECK_MRR_STEPS(steps, "000-0--1");
	CHECK_INT(m.sums[MRR_NET].scale, 1);
	CHECK_INT(m.sums[MRR_NET].spilled, 1);
	CHECK_INT128(m.sums[MRR_NET].held, int128_from_text("10000000000000000000000000000000000000"));
	CHECK_MRR_SUM(m, MRR_EXPANSION, "0.1", 1);
}

TEST_CASE(mrr_check_states)
{
	MrrSummary	m;
	MrrRowSteps steps;

	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_check(&m), KPI_OK);
	m.rows = -1;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);

	memset(&m, 0, sizeof(m));
	CHECK_KPI(mrr_row(&m, "100", "60.25", true, &steps), KPI_OK);
	CHECK_KPI(mrr_check(&m), KPI_OK);
	/* More rows at a scale than rows. */
	m.sums[MRR_END].scale_rows = 2;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	m.sums[MRR_END].scale_rows = -1;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	m.sums[MRR_END].scale_rows = 1;
	/* An untouched sum that is not zero. */
	m.sums[MRR_NEW].held = 1;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	m.sums[MRR_NEW].held = 0;
	m.sums[MRR_NEW].scale = 2;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	m.sums[MRR_NEW].scale = 0;
	m.sums[MRR_NEW].spilled = 1;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	m.sums[MRR_NEW].spilled = 0;
	CHECK_KPI(mrr_check(&m), KPI_OK);
	/* Only the net change may be negative. */
	CHECK(m.sums[MRR_NET].held < 0);
	m.sums[MRR_CONTRACTION].held = -m.sums[MRR_CONTRACTION].held;
	CHECK_KPI(mrr_check(&m), KPI_INCONSISTENT);
	/* ... unless it spilled: then the held part is only a part. */
	m.sums[MRR_CONTRACTION].spilled = 1;
	CHECK_KPI(mrr_check(&m), KPI_OK);
}

/* Scans and builds an MrrSummary from text. */
static KpiStatus
mrr_parse_text(const char *text, MrrSummary *m, DecodeStatus *status)
{
	TextFieldValue values[MRR_NFIELDS];
	DecodeError error;

	*status = scan_exact(text, strlen(text), mrr_summary_fields, MRR_NFIELDS, values, &error);
	if (*status != DECODE_OK)
		return KPI_OK;
	return mrr_from_fields(m, values);
}

TEST_CASE(mrr_from_fields)
{
	static const char *const names[MRR_NFIELDS] = {
		"rows", "start_mrr", "start_mrr_scale_rows", "end_mrr", "end_mrr_scale_rows",
		"retained_mrr", "retained_mrr_scale_rows", "new_mrr", "new_mrr_scale_rows",
		"expansion_mrr", "expansion_mrr_scale_rows", "contraction_mrr",
		"contraction_mrr_scale_rows", "churned_mrr", "churned_mrr_scale_rows",
		"net_mrr_change", "net_mrr_change_scale_rows",
	};
	MrrSummary	m;
	MrrSummary	built;
	MrrRowSteps steps;
	DecodeStatus status;

	for (int i = 0; i < MRR_NFIELDS; i++)
	{
		CHECK_STR(mrr_summary_fields[i].name, names[i]);
		CHECK_INT(mrr_summary_fields[i].kind, i % 2 == 1 ? TEXT_FIELD_DECIMAL : TEXT_FIELD_COUNT);
	}
	CHECK_INT(mrr_sum_field(MRR_START), 1);
	CHECK_INT(mrr_sum_field(MRR_NET), 15);

	CHECK_KPI(mrr_parse_text("v1 rows=2 start_mrr=100.00 start_mrr_scale_rows=1 end_mrr=150.5 "
							 "end_mrr_scale_rows=1 retained_mrr=100.00 retained_mrr_scale_rows=1 "
							 "new_mrr=7.25 new_mrr_scale_rows=1 expansion_mrr=50.50 "
							 "expansion_mrr_scale_rows=1 contraction_mrr=0 "
							 "contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 "
							 "net_mrr_change=57.75 net_mrr_change_scale_rows=2", &m, &status),
			  KPI_OK);
	CHECK_DECODE(status, DECODE_OK);
	/* The same as the two rows' own state. */
	memset(&built, 0, sizeof(built));
	CHECK_KPI(mrr_row(&built, "100.00", "150.5", true, &steps), KPI_OK);
	CHECK_KPI(mrr_row(&built, "0", "7.25", true, &steps), KPI_OK);
	CHECK_INT(m.rows, built.rows);
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		char		shown[64];

		decimal_format(built.sums[i].held, built.sums[i].held_scale, built.sums[i].scale,
					   shown, sizeof(shown));
		CHECK_MRR_SUM(m, (MrrSumId) i, shown, built.sums[i].scale_rows);
		CHECK_INT(m.sums[i].scale, built.sums[i].scale);
	}

	/* A sum too large to hold is marked spilled; the caller reads its text. */
	CHECK_KPI(mrr_parse_text("v1 rows=1 start_mrr=10000000000000000000000000000000000000000 "
							 "start_mrr_scale_rows=1 end_mrr=5 end_mrr_scale_rows=1 "
							 "retained_mrr=5 retained_mrr_scale_rows=1 new_mrr=0 "
							 "new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 "
							 "contraction_mrr=9999999999999999999999999999999999999995 "
							 "contraction_mrr_scale_rows=1 churned_mrr=0 churned_mrr_scale_rows=0 "
							 "net_mrr_change=-9999999999999999999999999999999999999995 "
							 "net_mrr_change_scale_rows=1", &m, &status), KPI_OK);
	CHECK_INT(m.sums[MRR_START].spilled, 1);
	CHECK_INT(m.sums[MRR_CONTRACTION].spilled, 1);
	CHECK_INT(m.sums[MRR_NET].spilled, 1);
	CHECK_INT(m.sums[MRR_END].spilled, 0);

	/* Inconsistent texts. */
#define MRR_TEXT(rows, start, start_rows, net, net_rows) \
	"v1 rows=" rows " start_mrr=" start " start_mrr_scale_rows=" start_rows \
	" end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0" \
	" new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0" \
	" contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=" \
	net " net_mrr_change_scale_rows=" net_rows
	CHECK_KPI(mrr_parse_text(MRR_TEXT("0", "0", "0", "0", "0"), &m, &status), KPI_OK);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("1", "5", "2", "-5", "1"), &m, &status), KPI_INCONSISTENT);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("1", "5", "0", "-5", "1"), &m, &status), KPI_INCONSISTENT);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("1", "0.00", "0", "0", "1"), &m, &status), KPI_INCONSISTENT);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("1", "-5", "1", "5", "1"), &m, &status), KPI_INCONSISTENT);
	/* A row with mrr_start > 0 reaches end_mrr and retained_mrr too. */
	CHECK_KPI(mrr_parse_text(MRR_TEXT("1", "5", "1", "-5.00", "1"), &m, &status), KPI_INCONSISTENT);
	CHECK_KPI(mrr_parse_text("v1 rows=1 start_mrr=5 start_mrr_scale_rows=1 end_mrr=0"
							 " end_mrr_scale_rows=1 retained_mrr=0 retained_mrr_scale_rows=1"
							 " new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0"
							 " expansion_mrr_scale_rows=0 contraction_mrr=0"
							 " contraction_mrr_scale_rows=0 churned_mrr=5 churned_mrr_scale_rows=1"
							 " net_mrr_change=-5.00 net_mrr_change_scale_rows=1", &m, &status),
			  KPI_OK);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("0", "0", "0", "0", "1"), &m, &status), KPI_INCONSISTENT);
	CHECK_KPI(mrr_parse_text(MRR_TEXT("0", "0", "0", "1", "0"), &m, &status), KPI_INCONSISTENT);
#undef MRR_TEXT
}

/* ---- the MRR property test: a 256-bit model at scale 8 ---- */

#define MODEL_SCALE 8

/* 256-bit two's complement, least significant word first. */
typedef struct Big
{
	uint64_t	w[4];
} Big;

static Big
big_from_int128(int128 v)
{
	Big			b;
	uint128		u = (uint128) v;

	b.w[0] = (uint64_t) u;
	b.w[1] = (uint64_t) (u >> 64);
	b.w[2] = b.w[3] = v < 0 ? UINT64_MAX : 0;
	return b;
}

static Big
big_add(Big a, Big b)
{
	Big			r;
	uint64_t	carry = 0;

	for (int i = 0; i < 4; i++)
	{
		uint128		t = (uint128) a.w[i] + b.w[i] + carry;

		r.w[i] = (uint64_t) t;
		carry = (uint64_t) (t >> 64);
	}
	return r;
}

static Big
big_neg(Big a)
{
	for (int i = 0; i < 4; i++)
		a.w[i] = ~a.w[i];
	return big_add(a, big_from_int128(1));
}

static Big
big_sub(Big a, Big b)
{
	return big_add(a, big_neg(b));
}

/* Modular multiplication: right for signed values whose product fits. */
static Big
big_mul_small(Big a, uint64_t k)
{
	Big			r;
	uint64_t	carry = 0;

	for (int i = 0; i < 4; i++)
	{
		uint128		t = (uint128) a.w[i] * k + carry;

		r.w[i] = (uint64_t) t;
		carry = (uint64_t) (t >> 64);
	}
	return r;
}

static Big
big_mul_pow10(Big a, int n)
{
	for (; n > 0; n--)
		a = big_mul_small(a, 10);
	return a;
}

static bool
big_is_negative(Big a)
{
	return (a.w[3] >> 63) != 0;
}

static bool
big_is_zero(Big a)
{
	return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0;
}

static bool
big_eq(Big a, Big b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static int
big_cmp(Big a, Big b)
{
	Big			d = big_sub(a, b);

	return big_is_zero(d) ? 0 : big_is_negative(d) ? -1 : 1;
}

/* Divides a non-negative value by 10 in place; returns the remainder. */
static unsigned
big_divmod10(Big *a)
{
	uint64_t	rem = 0;

	for (int i = 3; i >= 0; i--)
	{
		uint128		cur = ((uint128) rem << 64) | a->w[i];

		a->w[i] = (uint64_t) (cur / 10);
		rem = (uint64_t) (cur % 10);
	}
	return (unsigned) rem;
}

/*
 * Writes a (a value times 10^MODEL_SCALE) with exactly scale digits after the
 * point; false if it has nonzero digits below that.
 */
static bool
big_text(Big a, int scale, char *buf)
{
	char		digits[100];
	int			n = 0;
	bool		negative = big_is_negative(a);
	size_t		used = 0;

	if (negative)
		a = big_neg(a);
	for (int i = 0; i < MODEL_SCALE - scale; i++)
		if (big_divmod10(&a) != 0)
			return false;
	do
		digits[n++] = (char) ('0' + big_divmod10(&a));
	while (!big_is_zero(a));
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
	return true;
}

/* A row value: its text, its dscale and its value at MODEL_SCALE. */
typedef struct MrrValueModel
{
	char		text[64];
	int			dscale;
	Big			v;
} MrrValueModel;

/* What a row adds to each sum, read off the model alone. */
typedef struct MrrContribution
{
	bool		touched;
	uint8_t		value;			/* MrrValue */
	int			dscale;
	Big			v;
} MrrContribution;

typedef struct MrrRowModel
{
	MrrValueModel start;
	MrrValueModel end;
	MrrContribution c[MRR_NSUMS];	/* row_contributions() */
} MrrRowModel;

static void row_contributions(MrrRowModel *row);

/* mantissa * 10^-dscale. */
static void
make_value(MrrValueModel *out, uint128 mantissa, int dscale)
{
	char		digits[48];
	int			n = 0;
	size_t		used = 0;

	do
	{
		digits[n++] = (char) ('0' + (int) (mantissa % 10));
		mantissa /= 10;
	} while (mantissa != 0);
	while (n <= dscale)
		digits[n++] = '0';
	for (int i = n - 1; i >= 0; i--)
	{
		out->text[used++] = digits[i];
		if (i == dscale && dscale > 0)
			out->text[used++] = '.';
	}
	out->text[used] = '\0';
	out->dscale = dscale;
	/* Read the value back from the digits: the model never trusts the generator's integer. */
	out->v = big_from_int128(0);
	for (int i = n - 1; i >= 0; i--)
		out->v = big_add(big_mul_small(out->v, 10), big_from_int128(digits[i] - '0'));
	out->v = big_mul_pow10(out->v, MODEL_SCALE - dscale);
}

static uint128
pow10_u128(int n)
{
	uint128		p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* A mantissa of at most max_digits digits: small ones mostly, huge ones in big sequences. */
static uint128
random_mantissa(Prng *prng, bool big, int max_digits)
{
	int			digits;

	if (prng_below(prng, 8) == 0)
		digits = 1 + (int) prng_below(prng, 2);
	else if (big && prng_below(prng, 3) == 0)
		digits = 20 + (int) prng_below(prng, 19);
	else
		digits = 1 + (int) prng_below(prng, 9);
	if (digits > max_digits)
		digits = max_digits;
	return (((uint128) prng_next(prng) << 64) | prng_next(prng)) % pow10_u128(digits);
}

static void
random_row(Prng *prng, bool big, MrrRowModel *row)
{
	int			ds = (int) prng_below(prng, MODEL_SCALE + 1);
	int			de = (int) prng_below(prng, MODEL_SCALE + 1);
	int			kind = (int) prng_below(prng, 20);

	if (kind < 5)
	{
		/* Equal values, each at its own display scale. */
		int			low = ds < de ? ds : de;
		int			high = ds < de ? de : ds;
		uint128		k = random_mantissa(prng, big, 38 - (high - low));

		if (kind == 0)
			k = 0;
		make_value(&row->start, k * pow10_u128(ds - low), ds);
		make_value(&row->end, k * pow10_u128(de - low), de);
	}
	else
	{
		make_value(&row->start, kind < 8 ? 0 : random_mantissa(prng, big, 38), ds);
		make_value(&row->end, kind >= 8 && kind < 11 ? 0 : random_mantissa(prng, big, 38), de);
	}
	row_contributions(row);
}

static void
row_contributions(MrrRowModel *row)
{
	MrrContribution *c = row->c;
	const MrrValueModel *s = &row->start;
	const MrrValueModel *e = &row->end;
	bool		start_positive = !big_is_zero(s->v);
	bool		end_positive = !big_is_zero(e->v);
	int			cmp = big_cmp(e->v, s->v);
	int			both = s->dscale > e->dscale ? s->dscale : e->dscale;

	memset(c, 0, sizeof(MrrContribution) * MRR_NSUMS);
#define SET(id, what, scale_, value_) \
	(c[id].touched = true, c[id].value = (what), c[id].dscale = (scale_), c[id].v = (value_))
	if (start_positive)
	{
		SET(MRR_START, MRR_VALUE_START, s->dscale, s->v);
		SET(MRR_END, MRR_VALUE_END, e->dscale, e->v);
		/* least(mrr_start, mrr_end) keeps mrr_start on a tie. */
		if (cmp < 0)
			SET(MRR_RETAINED, MRR_VALUE_END, e->dscale, e->v);
		else
			SET(MRR_RETAINED, MRR_VALUE_START, s->dscale, s->v);
	}
	if (!start_positive && end_positive)
		SET(MRR_NEW, MRR_VALUE_END, e->dscale, e->v);
	if (start_positive && cmp > 0)
		SET(MRR_EXPANSION, MRR_VALUE_GROWTH, both, big_sub(e->v, s->v));
	if (end_positive && cmp < 0)
		SET(MRR_CONTRACTION, MRR_VALUE_LOSS, both, big_sub(s->v, e->v));
	if (start_positive && !end_positive)
		SET(MRR_CHURNED, MRR_VALUE_START, s->dscale, s->v);
	SET(MRR_NET, MRR_VALUE_GROWTH, both, big_sub(e->v, s->v));
#undef SET
}

/* The summary, and what its caller keeps in each sum's spill. */
typedef struct MrrUnderTest
{
	MrrSummary	m;
	Big			spill[MRR_NSUMS];
} MrrUnderTest;

#define MRR_MAX_ROWS 48

/* One row in or out; the spills follow the steps. Returns whether any sum must restart. */
static bool
apply_row(MrrUnderTest *t, const MrrRowModel *row, bool add, const MrrRowModel *rows, int nrows,
		  bool must_hold, bool *ok)
{
	TestNumeric a;
	TestNumeric b;
	MrrRowSteps steps;
	const MrrContribution *c = row->c;
	bool		restart = false;
	KpiStatus	st;

	st = mrr_step(&t->m, NUMERIC(&a, row->start.text), NUMERIC(&b, row->end.text), add, &steps);
	*ok &= CHECK_KPI(st, KPI_OK);
	if (st != KPI_OK)
		return false;
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		DecimalStep expected = DECIMAL_DONE;

		*ok &= CHECK_INT(steps.value[i], c[i].touched ? c[i].value : MRR_VALUE_NONE);
		if (!c[i].touched)
		{
			*ok &= CHECK_INT(steps.step[i], 0);
			continue;
		}
		if (!add)
		{
			/* The model's display scale of the sum, and its rows at that scale, before. */
			int			scale = 0;
			int			at_scale = 0;

			for (int r = 0; r < nrows; r++)
			{
				const MrrContribution *rc = &rows[r].c[i];

				if (!rc->touched)
					continue;
				if (rc->dscale > scale)
				{
					scale = rc->dscale;
					at_scale = 0;
				}
				at_scale += rc->dscale == scale;
			}
			if (c[i].dscale == scale && at_scale == 1 && scale > 0)
				expected = DECIMAL_RESTART;
		}
		if (expected == DECIMAL_RESTART)
		{
			*ok &= CHECK_STEP(steps.step[i], DECIMAL_RESTART);
			restart = true;
		}
		else if (must_hold)
			*ok &= CHECK_STEP(steps.step[i], DECIMAL_DONE);
		else
			*ok &= CHECK(steps.step[i] == DECIMAL_DONE || steps.step[i] == DECIMAL_SPILL);
		if (steps.step[i] == DECIMAL_SPILL)
			t->spill[i] = add ? big_add(t->spill[i], c[i].v) : big_sub(t->spill[i], c[i].v);
	}
	return restart;
}

/* Starts over from the rows left, as a window frame does after a restart. */
static bool
rebuild(MrrUnderTest *t, const MrrRowModel *rows, int nrows, bool must_hold)
{
	bool		ok = true;

	memset(t, 0, sizeof(*t));
	for (int r = 0; r < nrows; r++)
		ok &= CHECK(!apply_row(t, &rows[r], true, rows, r, must_hold, &ok));
	return ok;
}

/* The held part plus the caller's spill, at MODEL_SCALE. */
static Big
core_total(const MrrUnderTest *t, int i)
{
	const DecimalSum *s = &t->m.sums[i];

	return big_add(big_mul_pow10(big_from_int128(s->held), MODEL_SCALE - s->held_scale),
				   t->spill[i]);
}

static bool
check_against_model(const MrrUnderTest *t, const MrrRowModel *rows, int nrows)
{
	bool		ok = true;
	Big			total[MRR_NSUMS];
	bool		any_spilled = false;

	ok &= CHECK_INT(t->m.rows, nrows);
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *s = &t->m.sums[i];
		Big			expected = big_from_int128(0);
		int			scale = 0;
		int			at_scale = 0;

		for (int r = 0; r < nrows; r++)
		{
			const MrrContribution *c = &rows[r].c[i];

			if (!c->touched)
				continue;
			expected = big_add(expected, c->v);
			if (c->dscale > scale)
			{
				scale = c->dscale;
				at_scale = 0;
			}
			at_scale += c->dscale == scale;
		}
		ok &= CHECK(s->held_scale >= 0 && s->held_scale <= MODEL_SCALE);
		if (!ok)
			return false;
		total[i] = core_total(t, i);
		ok &= CHECK(big_eq(total[i], expected));
		ok &= CHECK_INT(s->scale, scale);
		ok &= CHECK_INT(s->scale_rows, at_scale);
		any_spilled |= s->spilled != 0;
	}
	/* The identities the KPIs rely on, on the core's own totals. */
	ok &= CHECK(big_eq(big_sub(big_add(total[MRR_NEW], total[MRR_EXPANSION]),
							   big_add(total[MRR_CONTRACTION], total[MRR_CHURNED])),
					   total[MRR_NET]));
	ok &= CHECK(big_eq(big_sub(total[MRR_START], big_add(total[MRR_CONTRACTION],
														 total[MRR_CHURNED])),
					   total[MRR_RETAINED]));
	ok &= CHECK(big_eq(big_sub(total[MRR_END], total[MRR_EXPANSION]), total[MRR_RETAINED]));
	ok &= CHECK(big_eq(big_sub(big_add(total[MRR_END], total[MRR_NEW]), total[MRR_START]),
					   total[MRR_NET]));
	for (int i = 0; i < MRR_NSUMS; i++)
		if (i != MRR_NET)
			ok &= CHECK(!big_is_negative(total[i]));
	if (!any_spilled)
		ok &= CHECK_KPI(mrr_check(&t->m), KPI_OK);
	return ok;
}

/* The state written as text (held part plus spill, at each display scale) reads back the same. */
static bool
check_text_round_trip(const MrrUnderTest *t)
{
	char		text[2048];
	size_t		used;
	MrrSummary	back;
	TextFieldValue values[MRR_NFIELDS];
	DecodeError error;
	bool		ok = true;

	used = (size_t) snprintf(text, sizeof(text), "v1 rows=%" PRId64, t->m.rows);
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		char		value[128];

		ok &= CHECK(big_text(core_total(t, i), t->m.sums[i].scale, value));
		used += (size_t) snprintf(text + used, sizeof(text) - used, " %s=%s %s=%" PRId64,
								  mrr_summary_fields[mrr_sum_field((MrrSumId) i)].name, value,
								  mrr_summary_fields[mrr_sum_field((MrrSumId) i) + 1].name,
								  t->m.sums[i].scale_rows);
	}
	ok &= CHECK(used < sizeof(text));
	ok &= CHECK_DECODE(scan_exact(text, used, mrr_summary_fields, MRR_NFIELDS, values, &error),
					   DECODE_OK);
	if (!ok)
		return false;
	ok &= CHECK_KPI(mrr_from_fields(&back, values), KPI_OK);
	ok &= CHECK_INT(back.rows, t->m.rows);
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *s = &back.sums[i];

		ok &= CHECK_INT(s->scale, t->m.sums[i].scale);
		ok &= CHECK_INT(s->scale_rows, t->m.sums[i].scale_rows);
		if (!s->spilled)
			ok &= CHECK(big_eq(big_mul_pow10(big_from_int128(s->held), MODEL_SCALE - s->held_scale),
							   core_total(t, i)));
	}
	if (!ok)
		printf("    %s\n", text);
	return ok;
}

TEST_CASE(property_mrr_sequences)
{
	Prng		prng = {27182818};
	long		steps = 0;
	long		restarts = 0;
	long		spilled_states = 0;

	for (int seq = 0; steps < 120000; seq++)
	{
		MrrRowModel rows[MRR_MAX_ROWS];
		int			n = 0;
		MrrUnderTest t;
		bool		big = seq % 4 == 3;
		int			nops = 1 + (int) prng_below(&prng, 40);

		memset(&t, 0, sizeof(t));
		for (int op = 0; op < nops; op++, steps++)
		{
			MrrRowModel row;
			bool		add = n == 0 || (n < MRR_MAX_ROWS && prng_below(&prng, 10) < 6);
			int			at = -1;
			bool		ok = true;

			if (add)
				random_row(&prng, big, &row);
			else
			{
				at = (int) prng_below(&prng, (uint64_t) n);
				row = rows[at];
			}
			if (apply_row(&t, &row, add, rows, n, !big, &ok))
			{
				restarts++;
				rows[at] = rows[--n];
				ok &= rebuild(&t, rows, n, !big);
			}
			else if (add)
				rows[n++] = row;
			else
				rows[at] = rows[--n];
			ok &= check_against_model(&t, rows, n);
			if (op % 4 == 0)
				ok &= check_text_round_trip(&t);
			for (int i = 0; i < MRR_NSUMS; i++)
				if (t.m.sums[i].spilled)
				{
					spilled_states++;
					break;
				}
			if (!ok)
			{
				printf("    sequence %d, operation %d: %s (%s, %s); rows:\n", seq, op,
					   add ? "add" : "remove", row.start.text, row.end.text);
				for (int r = 0; r < n; r++)
					printf("      (%s, %s)\n", rows[r].start.text, rows[r].end.text);
				return;
			}
		}
	}
	/* The generator reached restarts and spills. */
	CHECK(restarts > 1000);
	CHECK(spilled_states > 1000);
}
