/*
 * calendar.h: PostgreSQL dates and timestamps as text that no DateStyle or
 * TimeZone changes: ISO dates (YYYY-MM-DD) and UTC timestamps
 * (YYYY-MM-DDTHH:MM:SS.ffffffZ), with astronomical years (0 is 1 BC) of at
 * least four digits. Used by the churn periods and the funnel events.
 */
#ifndef B2BKPI_CALENDAR_H
#define B2BKPI_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Units of a point: equal to ChurnUnit's. */
#define CALENDAR_DAY 1				/* days since 2000-01-01 */
#define CALENDAR_MICROSECOND 2		/* microseconds since 2000-01-01 00:00 UTC */

/* Within PostgreSQL's finite date or timestamp range. */
bool		calendar_in_range(int64_t value, int unit);

/* Writes one finite point; returns its length, 0 if it does not fit buf. */
size_t		calendar_point_format(int64_t value, int unit, char *buf, size_t bufsize);

/*
 * Reads one finite point at *pos: a date, or a timestamp when a 'T' follows
 * the date; sets *unit from the form. False if it is neither or out of range.
 */
bool		calendar_point_parse(const char *text, size_t len, size_t *pos,
								 int64_t *value, int *unit);

/* Consumes the byte c at *pos, if it is there. */
bool		calendar_expect(const char *text, size_t len, size_t *pos, char c);

#endif
