/*
 * money.h: the states of the money KPIs (kpi-spec section 2).
 *
 * cpl, cac, cost_per, roas, marketing_roi and marketing_cac_share are all read
 * off two sums over the group: a numerator (spend, revenue, marketing spend)
 * and a denominator (leads, new customers, units, spend, cost, acquisition
 * spend). The state is those two sums and the number of rows in them.
 *
 * MoneySummary is exact, for numeric arguments (see decimal.h).
 * FloatMoneySummary is for double precision arguments: each sum is
 * compensated (a rounded sum plus the exact rounding errors so far), so it
 * does not drift over millions of rows, a removed row leaves no residue in
 * practice, and the result does not depend on the order of the rows for data
 * of everyday magnitudes.
 */
#ifndef B2BKPI_MONEY_H
#define B2BKPI_MONEY_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "decimal.h"
#include "summary_text.h"

typedef struct MoneySummary
{
	int64_t		rows;
	DecimalSum	numerator;
	DecimalSum	denominator;
} MoneySummary;

/* money_summary's text fields, in order, and their positions. */
enum
{
	MONEY_FIELD_ROWS,
	MONEY_FIELD_NUMERATOR,
	MONEY_FIELD_NUMERATOR_SCALE_ROWS,
	MONEY_FIELD_DENOMINATOR,
	MONEY_FIELD_DENOMINATOR_SCALE_ROWS,
	MONEY_NFIELDS
};
extern const TextField money_summary_fields[MONEY_NFIELDS];

/*
 * Checks a summary's fields against each other: an empty summary is all
 * zeros; otherwise each sum's display scale is carried by at least one and at
 * most all of the rows. A spilled sum never is zero (it did not fit).
 */
KpiStatus	money_check(const MoneySummary *m);

/*
 * Builds a summary from parsed text fields and checks it (money_check). A sum
 * too wide for its held part is marked spilled: the caller reads its text.
 */
KpiStatus	money_from_fields(MoneySummary *m, const TextFieldValue *values);

/*
 * Sets a sum from a parsed decimal field. When the decimal does not fit the
 * held part, the sum is marked spilled and holds zero: the caller reads the
 * text as its spill.
 */
void		money_sum_from_text(DecimalSum *sum, const TextFieldValue *decimal,
								int64_t scale_rows);

/* A compensated sum: the exact sum is (very nearly) sum + error. */
typedef struct FloatSum
{
	double		sum;
	double		error;
} FloatSum;

typedef struct FloatMoneySummary
{
	int64_t		rows;
	FloatSum	numerator;
	FloatSum	denominator;
} FloatMoneySummary;

enum
{
	FLOAT_MONEY_FIELD_ROWS,
	FLOAT_MONEY_FIELD_NUMERATOR,
	FLOAT_MONEY_FIELD_NUMERATOR_ERROR,
	FLOAT_MONEY_FIELD_DENOMINATOR,
	FLOAT_MONEY_FIELD_DENOMINATOR_ERROR,
	FLOAT_MONEY_NFIELDS
};
extern const TextField float_money_summary_fields[FLOAT_MONEY_NFIELDS];

/*
 * Adds x with Knuth's two-sum: the rounding error of sum + x is recovered
 * exactly and kept in error. KPI_OVERFLOW if the sum leaves the finite doubles.
 */
static inline KpiStatus
float_sum_add(FloatSum *s, double x)
{
	double		t = s->sum + x;
	double		x_part = t - s->sum;
	double		sum_part = t - x_part;

	if (!isfinite(t))
		return KPI_OVERFLOW;
	s->error += (s->sum - sum_part) + (x - x_part);
	s->sum = t;
	return KPI_OK;
}

/* Folds the error into the sum so that sum is the sum rounded once. */
KpiStatus	float_sum_normalize(FloatSum *s);
KpiStatus	float_sum_merge(FloatSum *into, const FloatSum *from);

/* The sum, rounded once. */
static inline double
float_sum_value(const FloatSum *s)
{
	return s->sum + s->error;
}

/* One row of a float money KPI; both values must be finite (checked by the caller). */
KpiStatus	float_money_add(FloatMoneySummary *s, double numerator, double denominator);
KpiStatus	float_money_remove(FloatMoneySummary *s, double numerator, double denominator);
KpiStatus	float_money_merge(FloatMoneySummary *into, const FloatMoneySummary *from);

/*
 * Undoes float_money_merge(into, from), for rollup's inverse transition,
 * with the guarantees of float_money_remove(): each sum subtracts from's
 * compensated sum, and a summary left with no rows is exactly zero.
 * KPI_NOT_IN_STATE when from has more rows than into, KPI_OVERFLOW if a sum
 * leaves the finite doubles (the caller recomputes); on failure into is
 * unchanged.
 */
KpiStatus	float_money_subtract(FloatMoneySummary *into, const FloatMoneySummary *from);

/* Takes a compensated sum out of another: float_sum_merge() with -from. */
KpiStatus	float_sum_subtract(FloatSum *into, const FloatSum *from);

/* Normalized, as the text form requires. */
KpiStatus	float_money_normalize(FloatMoneySummary *s);

/* Each sum normalized, and an empty summary all zeros. */
KpiStatus	float_money_check(const FloatMoneySummary *s);

/* Builds a summary from parsed fields, checking that they fit together. */
KpiStatus	float_money_from_fields(FloatMoneySummary *s, const TextFieldValue *values);

#endif
