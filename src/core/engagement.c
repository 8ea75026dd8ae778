/*
 * engagement.c: the account_engagement state; see engagement.h.
 */
#include "engagement.h"

#include <stdio.h>
#include <string.h>

const TextField engagement_summary_fields[ENGAGEMENT_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"engagement_minutes", TEXT_FIELD_FLOAT},
	{"engagement_minutes_error", TEXT_FIELD_FLOAT},
	{"as_of", TEXT_FIELD_WORD},
	{"half_life_seconds", TEXT_FIELD_WORD},
};

/*
 * extract(epoch FROM interval) counts in quarter days so that 365.25 days
 * stay integral: 1461 quarter days a year of 12 months, 120 a month of 30
 * days, 4 a day, and 21600 seconds a quarter day.
 */
#define QUARTER_DAYS_PER_YEAR 1461
#define QUARTER_DAYS_PER_MONTH 120
#define SECONDS_PER_QUARTER_DAY 21600

bool
engagement_half_life(int32_t months, int32_t days, int64_t time, int64_t *microseconds)
{
	/* At most about 2^31 * 1461 * 21600 * 10^6 < 2^77: far inside 128 bits. */
	kpi_int128	quarter_days = (kpi_int128) QUARTER_DAYS_PER_YEAR * (months / 12) +
		(kpi_int128) QUARTER_DAYS_PER_MONTH * (months % 12) + (kpi_int128) 4 * days;
	kpi_int128	total = quarter_days * SECONDS_PER_QUARTER_DAY *
		ENGAGEMENT_MICROSECONDS_PER_SECOND + time;

	if (total < INT64_MIN || total > INT64_MAX)
		return false;
	*microseconds = (int64_t) total;
	return true;
}

/* as_of - ts for ts <= as_of: below 2^64 for any two int64 values. */
static inline uint64_t
touch_age(int64_t ts, int64_t as_of)
{
	return (uint64_t) as_of - (uint64_t) ts;
}

static inline void
set_parameters(EngagementSummary *s, int64_t as_of, int64_t half_life)
{
	s->as_of = as_of;
	s->half_life = half_life;
	s->parameters_set = true;
}

KpiStatus
engagement_add(EngagementSummary *s, int64_t ts, double minutes,
			   int64_t as_of, int64_t half_life)
{
	FloatSum	engagement;

	if (!engagement_parameters_match(s, as_of, half_life))
		return KPI_PERIOD_CHANGED;
	if (ts > as_of)
	{
		/* Not counted, but it names the group's parameters all the same. */
		set_parameters(s, as_of, half_life);
		return KPI_OK;
	}
	if (s->rows == INT64_MAX)
		return KPI_TOO_MANY_ROWS;
	engagement = s->engagement;
	if (float_sum_add(&engagement,
					  minutes * engagement_decay(touch_age(ts, as_of), half_life)) != KPI_OK)
		return KPI_OVERFLOW;
	set_parameters(s, as_of, half_life);
	s->rows++;
	s->engagement = engagement;
	return KPI_OK;
}

KpiStatus
engagement_remove(EngagementSummary *s, int64_t ts, double minutes,
				  int64_t as_of, int64_t half_life)
{
	FloatSum	engagement;

	if (!s->parameters_set)
		return KPI_NOT_IN_STATE;
	if (!engagement_parameters_match(s, as_of, half_life))
		return KPI_PERIOD_CHANGED;
	if (ts > as_of)
		return KPI_OK;
	if (s->rows <= 0)
		return KPI_NOT_IN_STATE;
	if (s->rows == 1)
	{
		/* A frame without counted touches is exactly zero, whatever rounding came before. */
		s->rows = 0;
		memset(&s->engagement, 0, sizeof(s->engagement));
		return KPI_OK;
	}
	engagement = s->engagement;
	if (float_sum_add(&engagement,
					  -(minutes * engagement_decay(touch_age(ts, as_of), half_life))) != KPI_OK)
		return KPI_OVERFLOW;
	s->rows--;
	s->engagement = engagement;
	return KPI_OK;
}

KpiStatus
engagement_merge(EngagementSummary *into, const EngagementSummary *from)
{
	FloatSum	engagement = into->engagement;

	if (!from->parameters_set)
		return KPI_OK;			/* no rows: nothing to add, nothing to check */
	if (!engagement_parameters_match(into, from->as_of, from->half_life))
		return KPI_PERIOD_CHANGED;
	if (into->rows > INT64_MAX - from->rows)
		return KPI_TOO_MANY_ROWS;
	if (float_sum_merge(&engagement, &from->engagement) != KPI_OK)
		return KPI_OVERFLOW;
	set_parameters(into, from->as_of, from->half_life);
	into->rows += from->rows;
	into->engagement = engagement;
	return KPI_OK;
}

bool
engagement_value(const EngagementSummary *s, double *value)
{
	double		v;

	if (s->rows == 0)
		return false;
	v = float_sum_value(&s->engagement);
	/* Decayed minutes are never negative; below zero is a residue of removals. */
	*value = v > 0 ? v : 0.0;
	return true;
}

KpiStatus
engagement_normalize(EngagementSummary *s)
{
	KpiStatus	status = float_sum_normalize(&s->engagement);

	if (status != KPI_OK)
		return status;
	/* As engagement_value reads it: a residue below zero, or -0, is 0. */
	if (!(s->engagement.sum > 0))
		memset(&s->engagement, 0, sizeof(s->engagement));
	return KPI_OK;
}

KpiStatus
engagement_check(const EngagementSummary *s)
{
	const FloatSum *e = &s->engagement;

	for (size_t i = 0; i < sizeof(s->padding); i++)
		if (s->padding[i] != 0)
			return KPI_INCONSISTENT;
	if (s->rows < 0)
		return KPI_INCONSISTENT;
	if (!isfinite(e->sum) || !isfinite(e->error) || e->sum + e->error != e->sum ||
		signbit(e->sum))
		return KPI_INCONSISTENT;
	if (s->rows == 0 && (e->sum != 0 || e->error != 0))
		return KPI_INCONSISTENT;
	if (!s->parameters_set)
		return s->rows == 0 && s->as_of == 0 && s->half_life == 0 ?
			KPI_OK : KPI_INCONSISTENT;
	return engagement_parameters_valid(s->as_of, s->half_life) ? KPI_OK : KPI_INCONSISTENT;
}

/* ---------- text form ---------- */

static size_t
format_none(char *buf, size_t bufsize)
{
	if (bufsize < 5)
		return 0;
	memcpy(buf, "none", 5);
	return 4;
}

size_t
engagement_format_as_of(const EngagementSummary *s, char *buf, size_t bufsize)
{
	if (!s->parameters_set)
		return format_none(buf, bufsize);
	return calendar_point_format(s->as_of, CALENDAR_MICROSECOND, buf, bufsize);
}

size_t
engagement_format_seconds(int64_t microseconds, char *buf, size_t bufsize)
{
	return decimal_format(microseconds, ENGAGEMENT_HALF_LIFE_SCALE,
						  ENGAGEMENT_HALF_LIFE_SCALE, buf, bufsize);
}

size_t
engagement_format_half_life(const EngagementSummary *s, char *buf, size_t bufsize)
{
	if (!s->parameters_set)
		return format_none(buf, bufsize);
	return engagement_format_seconds(s->half_life, buf, bufsize);
}

static bool
is_none(const char *word, size_t len)
{
	return len == 4 && memcmp(word, "none", 4) == 0;
}

/* A UTC timestamp, the whole word. */
static bool
parse_as_of(const char *word, size_t len, int64_t *as_of)
{
	size_t		pos = 0;
	int			unit;

	return calendar_point_parse(word, len, &pos, as_of, &unit) &&
		unit == CALENDAR_MICROSECOND && pos == len;
}

/* Seconds with at most 6 places, the whole word, as int64 microseconds. */
static bool
parse_half_life(const char *word, size_t len, int64_t *microseconds)
{
	kpi_int128	value;
	int			scale;
	bool		fits;

	if (decimal_parse(word, len, &value, &scale, &fits) != len || !fits ||
		scale > ENGAGEMENT_HALF_LIFE_SCALE)
		return false;
	/* Checked before each step, so value * 10 stays far inside 128 bits. */
	for (;; scale++)
	{
		if (value > INT64_MAX || value < INT64_MIN)
			return false;
		if (scale == ENGAGEMENT_HALF_LIFE_SCALE)
			break;
		value *= 10;
	}
	*microseconds = (int64_t) value;
	return true;
}

DecodeStatus
engagement_from_fields(EngagementSummary *s, const char *text,
					   const TextFieldValue *values, DecodeError *error)
{
	const TextFieldValue *as_of = &values[ENGAGEMENT_FIELD_AS_OF];
	const TextFieldValue *half_life = &values[ENGAGEMENT_FIELD_HALF_LIFE];
	const char *as_of_word = text + as_of->text_offset;
	const char *half_life_word = text + half_life->text_offset;
	bool		as_of_none = is_none(as_of_word, as_of->text_len);
	bool		half_life_none = is_none(half_life_word, half_life->text_len);

	memset(s, 0, sizeof(*s));
	s->rows = values[ENGAGEMENT_FIELD_ROWS].count;
	s->engagement.sum = values[ENGAGEMENT_FIELD_MINUTES].number;
	s->engagement.error = values[ENGAGEMENT_FIELD_MINUTES_ERROR].number;
	if (!as_of_none && !parse_as_of(as_of_word, as_of->text_len, &s->as_of))
		return decode_fail(error, DECODE_SYNTAX, as_of->text_offset, ENGAGEMENT_FIELD_AS_OF);
	if (!half_life_none && !parse_half_life(half_life_word, half_life->text_len, &s->half_life))
		return decode_fail(error, DECODE_SYNTAX, half_life->text_offset,
						   ENGAGEMENT_FIELD_HALF_LIFE);
	s->parameters_set = !as_of_none;
	if (as_of_none != half_life_none)
		error->invariant = KPI_INCONSISTENT;
	else
		error->invariant = engagement_check(s);
	if (error->invariant != KPI_OK)
		return decode_fail(error, DECODE_INVARIANT, 0, -1);
	return DECODE_OK;
}

/* ---------- binary form ---------- */

static uint64_t
double_bits(double value)
{
	uint64_t	bits;

	memcpy(&bits, &value, sizeof(bits));
	return bits;
}

static double
bits_double(uint64_t bits)
{
	double		value;

	memcpy(&value, &bits, sizeof(value));
	return value;
}

void
engagement_encode_binary(const EngagementSummary *s, unsigned char *out)
{
	out[0] = (unsigned char) SUMMARY_TEXT_VERSION;
	summary_put_be64(out + 1, (uint64_t) s->rows);
	summary_put_be64(out + 9, double_bits(s->engagement.sum));
	summary_put_be64(out + 17, double_bits(s->engagement.error));
	out[25] = s->parameters_set ? 1 : 0;
	summary_put_be64(out + 26, (uint64_t) s->as_of);
	summary_put_be64(out + 34, (uint64_t) s->half_life);
}

DecodeStatus
engagement_decode_binary(const unsigned char *bytes, size_t len, EngagementSummary *s,
						 DecodeError *error)
{
	decode_error_reset(error);
	memset(s, 0, sizeof(*s));
	if (len < 1)
		return decode_fail(error, DECODE_LENGTH, 0, -1);
	if (bytes[0] != SUMMARY_TEXT_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	if (len != ENGAGEMENT_BINARY_SIZE)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	if (bytes[25] > 1)
	{
		error->invariant = KPI_INCONSISTENT;
		return decode_fail(error, DECODE_INVARIANT, 25, -1);
	}
	s->rows = (int64_t) summary_get_be64(bytes + 1);
	s->engagement.sum = bits_double(summary_get_be64(bytes + 9));
	s->engagement.error = bits_double(summary_get_be64(bytes + 17));
	s->parameters_set = bytes[25] == 1;
	s->as_of = (int64_t) summary_get_be64(bytes + 26);
	s->half_life = (int64_t) summary_get_be64(bytes + 34);
	if ((error->invariant = engagement_check(s)) != KPI_OK)
		return decode_fail(error, DECODE_INVARIANT, len, -1);
	return DECODE_OK;
}
