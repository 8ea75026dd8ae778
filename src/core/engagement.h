/*
 * engagement.h: the state of account_engagement (kpi-spec section 5).
 *
 * Time-decayed engagement over the touches of a group (an account, say):
 *
 *     sum over touches with ts <= as_of of minutes * 0.5 ^ ((as_of - ts) / half_life)
 *
 * as_of and half_life are the group's parameters: every row names them, and
 * they must be the same in every row (and in every state merged). Since they
 * are fixed, the state can hold the decayed minutes themselves: the number of
 * counted touches, a compensated sum of their decayed minutes (see money.h,
 * so that removing a touch leaves no residue in practice), and the two
 * parameters once a row has set them.
 *
 * Times are PostgreSQL's timestamps, int64 microseconds from 2000-01-01
 * (00:00 UTC for timestamptz), finite (the caller checks). A half-life is an
 * exact whole number of microseconds, measured as extract(epoch FROM
 * half_life) measures an interval: a month is 30 days, a year 365.25 days, a
 * day 86400 seconds. So '1 day' and '24 hours' are the same half-life.
 */
#ifndef B2BKPI_ENGAGEMENT_H
#define B2BKPI_ENGAGEMENT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "money.h"
#include "summary_text.h"

#define ENGAGEMENT_MICROSECONDS_PER_SECOND 1000000
/* The display scale of a half-life in seconds: that of extract(epoch FROM interval). */
#define ENGAGEMENT_HALF_LIFE_SCALE 6

typedef struct EngagementSummary
{
	int64_t		rows;			/* counted touches: those with ts <= as_of */
	FloatSum	engagement;		/* compensated sum of their decayed minutes */
	int64_t		as_of;			/* microseconds from 2000-01-01; 0 while unset */
	int64_t		half_life;		/* microseconds, > 0; 0 while unset */
	bool		parameters_set; /* as_of and half_life hold the group's values */
	uint8_t		padding[7];		/* always zero: datums are compared bytewise */
} EngagementSummary;

/*
 * A half-life interval's length in microseconds, as extract(epoch FROM
 * interval) computes it: whole years of 12 months are 365.25 days, the other
 * months 30 days, days 86400 seconds. False if it does not fit in int64 (the
 * value is then unset). It may be zero or negative: the caller rejects that.
 */
bool		engagement_half_life(int32_t months, int32_t days, int64_t time,
								 int64_t *microseconds);

/* A touch's minutes: finite and not negative (-0 is zero). */
static inline bool
engagement_minutes_valid(double minutes)
{
	return isfinite(minutes) && minutes >= 0;
}

/* The group's parameters: a finite as_of in PostgreSQL's range and a positive half-life. */
static inline bool
engagement_parameters_valid(int64_t as_of, int64_t half_life)
{
	return half_life > 0 && calendar_in_range(as_of, CALENDAR_MICROSECOND);
}

/* True when the summary has no parameters yet, or exactly these. */
static inline bool
engagement_parameters_match(const EngagementSummary *s, int64_t as_of, int64_t half_life)
{
	return !s->parameters_set || (s->as_of == as_of && s->half_life == half_life);
}

/*
 * The weight of a touch of the given age (as_of - ts >= 0, in microseconds):
 * 0.5 ^ (age / half_life), computed in double precision as
 * exp2(-age / half_life). It is 1 at age 0 and underflows to 0 after about
 * 1075 half-lives.
 */
static inline double
engagement_decay(uint64_t age, int64_t half_life)
{
	return exp2(-((double) age / (double) half_life));
}

/*
 * One touch. The arguments must be valid (engagement_minutes_valid,
 * engagement_parameters_valid; ts finite). The first touch sets the
 * parameters; a touch naming others returns KPI_PERIOD_CHANGED (the group's
 * parameters changed, as churn's period can). A touch after as_of sets or
 * checks the parameters but is not counted. KPI_TOO_MANY_ROWS past INT64_MAX
 * counted touches, KPI_OVERFLOW if the sum leaves the finite doubles. On
 * failure the summary is unchanged.
 */
KpiStatus	engagement_add(EngagementSummary *s, int64_t ts, double minutes,
						   int64_t as_of, int64_t half_life);

/*
 * Takes one touch back out: the inverse of engagement_add with the same
 * arguments. KPI_NOT_IN_STATE if the summary cannot hold it (no parameters,
 * or no counted touch to remove); KPI_PERIOD_CHANGED for other parameters.
 * The last counted touch leaving resets the sum to exactly zero; the
 * parameters stay, so a frame that loses its last counted touch goes on
 * checking the rows that follow.
 */
KpiStatus	engagement_remove(EngagementSummary *s, int64_t ts, double minutes,
							  int64_t as_of, int64_t half_life);

/*
 * Merges from into into. A summary without parameters takes the other's;
 * KPI_PERIOD_CHANGED if both have them and they differ, KPI_TOO_MANY_ROWS,
 * KPI_OVERFLOW. On failure into is unchanged.
 */
KpiStatus	engagement_merge(EngagementSummary *into, const EngagementSummary *from);

/*
 * The decayed minutes: false when no touch is counted (the result is NULL).
 * Never negative: a residue of removals below zero reads as 0.
 */
bool		engagement_value(const EngagementSummary *s, double *value);

/* Folds the sum's error into it, as the text and binary forms require. */
KpiStatus	engagement_normalize(EngagementSummary *s);

/*
 * A summary's fields against each other: rows >= 0; the sum finite,
 * normalized and not negative, and zero without rows; without parameters,
 * no rows and as_of = half_life = 0; with them, engagement_parameters_valid;
 * the padding zero.
 */
KpiStatus	engagement_check(const EngagementSummary *s);

/*
 * Text form (one line):
 *
 *   v1 rows=2 engagement_minutes=47.5 engagement_minutes_error=0
 *      as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000.000000
 *
 * as_of is a UTC timestamp (calendar.h: no session setting changes it; a
 * timestamp without time zone is shown as if it were UTC), and
 * half_life_seconds the half-life in seconds with 6 places, as extract(epoch
 * FROM half_life) gives it. Both are "none" until a row sets them.
 */
enum
{
	ENGAGEMENT_FIELD_ROWS,
	ENGAGEMENT_FIELD_MINUTES,
	ENGAGEMENT_FIELD_MINUTES_ERROR,
	ENGAGEMENT_FIELD_AS_OF,
	ENGAGEMENT_FIELD_HALF_LIFE,
	ENGAGEMENT_NFIELDS
};
extern const TextField engagement_summary_fields[ENGAGEMENT_NFIELDS];

/* Room for the as_of or half_life_seconds word. */
#define ENGAGEMENT_WORD_MAX 48

/* Write the as_of and half_life_seconds words; the length, or 0 if buf is too small. */
size_t		engagement_format_as_of(const EngagementSummary *s, char *buf, size_t bufsize);
size_t		engagement_format_half_life(const EngagementSummary *s, char *buf, size_t bufsize);

/* The half-life in seconds with 6 places ("86400.000000"); 0 if buf is too small. */
size_t		engagement_format_seconds(int64_t microseconds, char *buf, size_t bufsize);

/*
 * Builds a summary from the scanned fields of text: DECODE_SYNTAX for an
 * as_of or half_life_seconds that does not parse (a half-life of more than 6
 * places, or too large for int64 microseconds, does not), DECODE_INVARIANT if
 * the fields do not fit together (engagement_check).
 */
DecodeStatus engagement_from_fields(EngagementSummary *s, const char *text,
									const TextFieldValue *values, DecodeError *error);

/*
 * Binary form, big-endian: version byte, rows (int64), the sum and its error
 * (float8), parameters_set (0 or 1), as_of and half_life (int64
 * microseconds).
 */
#define ENGAGEMENT_BINARY_SIZE (1 + 8 + 8 + 8 + 1 + 8 + 8)
void		engagement_encode_binary(const EngagementSummary *s, unsigned char *out);
DecodeStatus engagement_decode_binary(const unsigned char *bytes, size_t len,
									  EngagementSummary *s, DecodeError *error);

#endif
