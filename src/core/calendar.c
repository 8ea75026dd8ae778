/*
 * calendar.c: dates and UTC timestamps as text that no session setting
 * changes; see calendar.h.
 */
#include "calendar.h"

#include <stdio.h>


/*
 * PostgreSQL's date and timestamp ranges, counted from 2000-01-01: dates from
 * 4714-11-24 BC up to 5874897-12-31, timestamps from 4714-11-24 BC 00:00 UTC
 * up to 294276-12-31 23:59:59.999999 UTC. Ends are exclusive.
 */
#define DAY_MIN INT64_C(-2451545)
#define DAY_END INT64_C(2145031949)
#define MICROSECOND_MIN INT64_C(-211813488000000000)
#define MICROSECOND_END INT64_C(9223371331200000000)
#define MICROSECONDS_PER_DAY INT64_C(86400000000)

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 2000-01-01 of a proleptic Gregorian date (year 0 is 1 BC). */
static int64_t
days_from_date(int64_t year, int month, int day)
{
	int64_t		y = year - (month <= 2);
	int64_t		era = floor_div(y, 400);
	int64_t		year_of_era = y - era * 400;
	int			shifted_month = month > 2 ? month - 3 : month + 9;	/* March is 0 */
	int64_t		day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
	int64_t		day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	/* 2000-03-01 starts era 5; 2000-01-01 is 60 days before it. */
	return era * 146097 + day_of_era - (5 * 146097 - 60);
}

static void
date_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t		z = days + (5 * 146097 - 60);
	int64_t		era = floor_div(z, 146097);
	int64_t		day_of_era = z - era * 146097;
	int64_t		year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
							   day_of_era / 146096) / 365;
	int64_t		day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
											year_of_era / 100);
	int			shifted_month = (int) ((5 * day_of_year + 2) / 153);

	*day = (int) (day_of_year - (153 * shifted_month + 2) / 5 + 1);
	*month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
	*year = year_of_era + era * 400 + (*month <= 2);
}

static bool
is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int64_t year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool
calendar_in_range(int64_t value, int unit)
{
	if (unit == CALENDAR_DAY)
		return value >= DAY_MIN && value < DAY_END;
	return value >= MICROSECOND_MIN && value < MICROSECOND_END;
}

/* Writes one finite bound; returns its length, 0 if it does not fit buf. */
size_t
calendar_point_format(int64_t value, int unit, char *buf, size_t bufsize)
{
	int64_t		days = unit == CALENDAR_DAY ? value : floor_div(value, MICROSECONDS_PER_DAY);
	int64_t		year;
	int			month;
	int			day;
	int			n;

	date_from_days(days, &year, &month, &day);
	n = snprintf(buf, bufsize, "%s%04lld-%02d-%02d", year < 0 ? "-" : "",
				 (long long) (year < 0 ? -year : year), month, day);
	if (n > 0 && unit == CALENDAR_MICROSECOND && (size_t) n < bufsize)
	{
		int64_t		of_day = value - days * MICROSECONDS_PER_DAY;
		int64_t		seconds = of_day / 1000000;

		n += snprintf(buf + n, bufsize - (size_t) n, "T%02d:%02d:%02d.%06dZ",
					  (int) (seconds / 3600), (int) (seconds / 60 % 60),
					  (int) (seconds % 60), (int) (of_day % 1000000));
	}
	return n > 0 && (size_t) n < bufsize ? (size_t) n : 0;
}

/* Reads exactly `digits` digits; false if any byte is not one. */
static bool
read_digits(const char *text, size_t len, size_t *pos, int digits, int64_t *out)
{
	int64_t		v = 0;

	if (len - *pos < (size_t) digits)
		return false;
	for (int i = 0; i < digits; i++)
	{
		char		c = text[*pos + (size_t) i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*pos += (size_t) digits;
	*out = v;
	return true;
}

bool
calendar_expect(const char *text, size_t len, size_t *pos, char c)
{
	if (*pos >= len || text[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

/*
 * Reads one finite bound at *pos: a date, or a timestamp when a 'T' follows
 * the date. Sets *unit from the form.
 */
bool
calendar_point_parse(const char *text, size_t len, size_t *pos, int64_t *value, int *unit)
{
	bool		negative = calendar_expect(text, len, pos, '-');
	size_t		year_start = *pos;
	int64_t		year = 0;
	int64_t		month;
	int64_t		day;
	int64_t		days;

	/* A year of 4 to 7 digits: PostgreSQL's dates end in year 5874897. */
	while (*pos < len && text[*pos] >= '0' && text[*pos] <= '9' && *pos - year_start < 7)
		year = year * 10 + (text[(*pos)++] - '0');
	if (*pos - year_start < 4 || (negative && year == 0))
		return false;
	if (negative)
		year = -year;
	if (!calendar_expect(text, len, pos, '-') || !read_digits(text, len, pos, 2, &month) ||
		!calendar_expect(text, len, pos, '-') || !read_digits(text, len, pos, 2, &day) ||
		month < 1 || month > 12 || day < 1 || day > days_in_month(year, (int) month))
		return false;
	days = days_from_date(year, (int) month, (int) day);

	if (*pos < len && text[*pos] == 'T')
	{
		int64_t		hour;
		int64_t		minute;
		int64_t		second;
		int64_t		fraction;

		(*pos)++;
		if (!read_digits(text, len, pos, 2, &hour) || !calendar_expect(text, len, pos, ':') ||
			!read_digits(text, len, pos, 2, &minute) || !calendar_expect(text, len, pos, ':') ||
			!read_digits(text, len, pos, 2, &second) || !calendar_expect(text, len, pos, '.') ||
			!read_digits(text, len, pos, 6, &fraction) || !calendar_expect(text, len, pos, 'Z') ||
			hour > 23 || minute > 59 || second > 59)
			return false;
		/* Whole days outside the timestamp range first, so the product cannot overflow. */
		if (days < MICROSECOND_MIN / MICROSECONDS_PER_DAY ||
			days > MICROSECOND_END / MICROSECONDS_PER_DAY)
			return false;
		*value = days * MICROSECONDS_PER_DAY +
			((hour * 60 + minute) * 60 + second) * 1000000 + fraction;
		*unit = CALENDAR_MICROSECOND;
	}
	else
	{
		*value = days;
		*unit = CALENDAR_DAY;
	}
	return calendar_in_range(*value, *unit);
}
