/*
 * velocity.h: the states of sales_velocity (kpi-spec section 4).
 *
 * Over closed opportunities, sales velocity is
 *
 *     opportunities x win rate x average won deal / average cycle in days
 *       = sum(won amount) x rows x 86400 / sum(cycle in seconds)
 *
 * where a row's cycle is closed_at - created_at. The state is the number of
 * closed opportunities (rows), the sum of the won amounts, and the sum of the
 * cycles.
 *
 * VelocitySummary is exact, for numeric amounts: the won amounts are a
 * DecimalSum (see decimal.h), and the cycles a DecimalSum of seconds at
 * display scale 6, the scale of extract(epoch FROM interval), so the result
 * can be built with numeric's own arithmetic in the SQL idiom's order.
 *
 * FloatVelocitySummary is for double precision amounts: a compensated sum of
 * the won amounts (see money.h), the number of won rows (so that a frame that
 * loses its last won row is exactly 0 again), and the exact sum of the cycles
 * in microseconds.
 *
 * Timestamps are PostgreSQL's: int64 microseconds, finite (the caller checks).
 */
#ifndef B2BKPI_VELOCITY_H
#define B2BKPI_VELOCITY_H

#include <stdbool.h>
#include <stdint.h>

#include "decimal.h"
#include "money.h"
#include "summary_text.h"

/* The display scale of a cycle in seconds: that of extract(epoch FROM interval). */
#define VELOCITY_CYCLE_SCALE 6
#define VELOCITY_MICROSECONDS_PER_SECOND 1000000
#define VELOCITY_SECONDS_PER_DAY 86400

/*
 * One opportunity's cycle, closed_at - created_at in microseconds. False when
 * closed_at is earlier than created_at (a data error). Computed in 128 bits:
 * the difference of two timestamps can pass INT64_MAX.
 */
static inline bool
velocity_cycle(int64_t created_at, int64_t closed_at, kpi_int128 *microseconds)
{
	*microseconds = (kpi_int128) closed_at - (kpi_int128) created_at;
	return *microseconds >= 0;
}

/* ---------- exact: numeric amounts ---------- */

typedef struct VelocitySummary
{
	int64_t		rows;			/* closed opportunities */
	DecimalSum	won_amount;		/* sum of the amounts of the won ones */
	DecimalSum	cycle_seconds;	/* sum of the cycles, in seconds, scale 6 */
} VelocitySummary;

/* velocity_summary's text fields, in order, and their positions. */
enum
{
	VELOCITY_FIELD_ROWS,
	VELOCITY_FIELD_WON_AMOUNT,
	VELOCITY_FIELD_WON_AMOUNT_SCALE_ROWS,
	VELOCITY_FIELD_CYCLE_SECONDS,
	VELOCITY_FIELD_CYCLE_SECONDS_SCALE_ROWS,
	VELOCITY_NFIELDS
};
extern const TextField velocity_summary_fields[VELOCITY_NFIELDS];

/*
 * Adds (removes) one cycle of the given microseconds to (from) the cycle sum:
 * a value of display scale 6. The steps are decimal_sum_add_scaled()'s and
 * decimal_sum_remove_scaled()'s: removing the last row returns
 * DECIMAL_RESTART, as for any sum whose display scale is above 0.
 */
DecimalStep velocity_cycle_add(DecimalSum *cycle_seconds, kpi_int128 microseconds);
DecimalStep velocity_cycle_remove(DecimalSum *cycle_seconds, kpi_int128 microseconds);

/*
 * Checks a summary's fields against each other: an empty summary is all
 * zeros; the won amounts' display scale is carried by at most every row, and
 * a won sum that no row reached is exactly 0 at scale 0; the cycle sum is not
 * negative, has scale 6 and every row carries it.
 */
KpiStatus	velocity_check(const VelocitySummary *v);

/*
 * Builds a summary from parsed text fields and checks it. A sum too wide for
 * its held part is marked spilled: the caller reads its text.
 */
KpiStatus	velocity_from_fields(VelocitySummary *v, const TextFieldValue *values);

/* ---------- double precision amounts ---------- */

typedef struct FloatVelocitySummary
{
	int64_t		rows;			/* closed opportunities */
	int64_t		won_rows;		/* the won ones among them */
	FloatSum	won_amount;		/* compensated sum of their amounts */
	kpi_int128	cycle_microseconds; /* exact sum of the cycles */
} FloatVelocitySummary;

enum
{
	FLOAT_VELOCITY_FIELD_ROWS,
	FLOAT_VELOCITY_FIELD_WON_ROWS,
	FLOAT_VELOCITY_FIELD_WON_AMOUNT,
	FLOAT_VELOCITY_FIELD_WON_AMOUNT_ERROR,
	FLOAT_VELOCITY_FIELD_CYCLE_SECONDS,
	FLOAT_VELOCITY_NFIELDS
};
extern const TextField float_velocity_summary_fields[FLOAT_VELOCITY_NFIELDS];

/*
 * One closed opportunity; amount must be finite and microseconds not
 * negative (checked by the caller). KPI_TOO_MANY_ROWS past INT64_MAX rows,
 * KPI_OVERFLOW if a sum leaves the finite doubles or 128 bits. On failure
 * the summary is unchanged.
 */
KpiStatus	float_velocity_add(FloatVelocitySummary *s, double amount, bool won,
							   kpi_int128 microseconds);

/*
 * Takes one opportunity back out. KPI_NOT_IN_STATE if the summary cannot
 * hold it (no rows, no won rows, or less cycle than it removes). The last row
 * leaving resets the summary to exactly zero, and so does the last won row
 * for the won sum, whatever rounding came before.
 */
KpiStatus	float_velocity_remove(FloatVelocitySummary *s, double amount, bool won,
								  kpi_int128 microseconds);

KpiStatus	float_velocity_merge(FloatVelocitySummary *into,
								 const FloatVelocitySummary *from);

/*
 * Undoes float_velocity_merge(into, from), for rollup's inverse transition,
 * with float_velocity_remove()'s guarantees: the cycle sum is exact, the won
 * sum subtracts from's compensated sum, and a summary left with no rows (no
 * won rows) has exactly zero sums (won sum). KPI_NOT_IN_STATE when into does
 * not hold from's rows, won rows and cycles; KPI_OVERFLOW if the won sum
 * leaves the finite doubles (the caller recomputes). On failure into is
 * unchanged.
 */
KpiStatus	float_velocity_subtract(FloatVelocitySummary *into,
									const FloatVelocitySummary *from);

/* Normalized, as the text form requires. */
KpiStatus	float_velocity_normalize(FloatVelocitySummary *s);

/*
 * 0 <= won_rows <= rows; the won sum normalized, and zero when won_rows is;
 * the cycle sum not negative, and zero when rows is.
 */
KpiStatus	float_velocity_check(const FloatVelocitySummary *s);

/*
 * Builds a summary from parsed fields. cycle_seconds must be a decimal of at
 * most 6 places whose microseconds fit 128 bits.
 */
KpiStatus	float_velocity_from_fields(FloatVelocitySummary *s,
									   const TextFieldValue *values);

/*
 * The velocity: won amounts x rows x 86400 / cycle seconds, in that order,
 * as the SQL idiom computes it over double precision. False when it is
 * undefined (no rows, or a zero total cycle). The result may be infinite
 * for sums near the limits of double precision; the caller checks.
 */
bool		float_velocity_value(const FloatVelocitySummary *s, double *velocity);

/*
 * Writes microseconds as seconds with exactly 6 places; returns the length,
 * or 0 if bufsize is below VELOCITY_CYCLE_TEXT_MAX.
 */
#define VELOCITY_CYCLE_TEXT_MAX DECIMAL_TEXT_MAX(VELOCITY_CYCLE_SCALE)
size_t		velocity_format_cycle(kpi_int128 microseconds, char *buf, size_t bufsize);

#endif
