/*
 * money.c: the money-KPI states; see money.h.
 */
#include "money.h"

#include <string.h>

const TextField money_summary_fields[MONEY_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"numerator", TEXT_FIELD_DECIMAL},
	{"numerator_scale_rows", TEXT_FIELD_COUNT},
	{"denominator", TEXT_FIELD_DECIMAL},
	{"denominator_scale_rows", TEXT_FIELD_COUNT},
};

const TextField float_money_summary_fields[FLOAT_MONEY_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"numerator", TEXT_FIELD_FLOAT},
	{"numerator_error", TEXT_FIELD_FLOAT},
	{"denominator", TEXT_FIELD_FLOAT},
	{"denominator_error", TEXT_FIELD_FLOAT},
};

static KpiStatus
check_sum(int64_t rows, const DecimalSum *sum)
{
	if (rows == 0)
		return !sum->spilled && sum->held == 0 && sum->scale == 0 &&
			sum->scale_rows == 0 ? KPI_OK : KPI_INCONSISTENT;
	return sum->scale_rows >= 1 && sum->scale_rows <= rows ? KPI_OK : KPI_INCONSISTENT;
}

KpiStatus
money_check(const MoneySummary *m)
{
	KpiStatus	st = check_sum(m->rows, &m->numerator);

	return st != KPI_OK ? st : check_sum(m->rows, &m->denominator);
}

KpiStatus
money_from_fields(MoneySummary *m, const TextFieldValue *values)
{
	m->rows = values[MONEY_FIELD_ROWS].count;
	money_sum_from_text(&m->numerator, &values[MONEY_FIELD_NUMERATOR],
						values[MONEY_FIELD_NUMERATOR_SCALE_ROWS].count);
	money_sum_from_text(&m->denominator, &values[MONEY_FIELD_DENOMINATOR],
						values[MONEY_FIELD_DENOMINATOR_SCALE_ROWS].count);
	return money_check(m);
}

void
money_sum_from_text(DecimalSum *sum, const TextFieldValue *decimal,
					int64_t scale_rows)
{
	memset(sum, 0, sizeof(*sum));
	sum->scale = (int16_t) decimal->decimal_scale;
	sum->scale_rows = scale_rows;
	if (!decimal->decimal_fits ||
		!decimal_sum_hold(sum, decimal->decimal, decimal->decimal_scale))
		sum->spilled = 1;
}

KpiStatus
float_sum_normalize(FloatSum *s)
{
	FloatSum	folded = {0.0, 0.0};
	KpiStatus	st;

	if ((st = float_sum_add(&folded, s->sum)) != KPI_OK ||
		(st = float_sum_add(&folded, s->error)) != KPI_OK)
		return st;
	*s = folded;
	return KPI_OK;
}

KpiStatus
float_sum_merge(FloatSum *into, const FloatSum *from)
{
	KpiStatus	st = float_sum_add(into, from->sum);

	if (st != KPI_OK)
		return st;
	into->error += from->error;
	return KPI_OK;
}

KpiStatus
float_money_add(FloatMoneySummary *s, double numerator, double denominator)
{
	KpiStatus	st;

	if (s->rows == INT64_MAX)
		return KPI_TOO_MANY_ROWS;
	if ((st = float_sum_add(&s->numerator, numerator)) != KPI_OK ||
		(st = float_sum_add(&s->denominator, denominator)) != KPI_OK)
		return st;
	s->rows++;
	return KPI_OK;
}

KpiStatus
float_money_remove(FloatMoneySummary *s, double numerator, double denominator)
{
	KpiStatus	st;

	if (s->rows <= 0)
		return KPI_NOT_IN_STATE;
	if (--s->rows == 0)
	{
		/* An empty frame is exactly zero, whatever rounding came before. */
		memset(&s->numerator, 0, sizeof(s->numerator));
		memset(&s->denominator, 0, sizeof(s->denominator));
		return KPI_OK;
	}
	if ((st = float_sum_add(&s->numerator, -numerator)) != KPI_OK ||
		(st = float_sum_add(&s->denominator, -denominator)) != KPI_OK)
		return st;
	return KPI_OK;
}

KpiStatus
float_money_merge(FloatMoneySummary *into, const FloatMoneySummary *from)
{
	KpiStatus	st;

	if (into->rows > INT64_MAX - from->rows)
		return KPI_TOO_MANY_ROWS;
	if ((st = float_sum_merge(&into->numerator, &from->numerator)) != KPI_OK ||
		(st = float_sum_merge(&into->denominator, &from->denominator)) != KPI_OK)
		return st;
	into->rows += from->rows;
	return KPI_OK;
}

KpiStatus
float_sum_subtract(FloatSum *into, const FloatSum *from)
{
	KpiStatus	st = float_sum_add(into, -from->sum);

	if (st != KPI_OK)
		return st;
	into->error -= from->error;
	return KPI_OK;
}

KpiStatus
float_money_subtract(FloatMoneySummary *into, const FloatMoneySummary *from)
{
	FloatSum	numerator = into->numerator;
	FloatSum	denominator = into->denominator;
	KpiStatus	st;

	if (from->rows < 0 || from->rows > into->rows)
		return KPI_NOT_IN_STATE;
	if (from->rows == into->rows)
	{
		/* As for the last row removed: an empty summary is exactly zero. */
		memset(into, 0, sizeof(*into));
		return KPI_OK;
	}
	if ((st = float_sum_subtract(&numerator, &from->numerator)) != KPI_OK ||
		(st = float_sum_subtract(&denominator, &from->denominator)) != KPI_OK)
		return st;
	into->rows -= from->rows;
	into->numerator = numerator;
	into->denominator = denominator;
	return KPI_OK;
}

KpiStatus
float_money_normalize(FloatMoneySummary *s)
{
	KpiStatus	st = float_sum_normalize(&s->numerator);

	return st != KPI_OK ? st : float_sum_normalize(&s->denominator);
}

/* A normalized sum: adding the error to the sum leaves the sum unchanged. */
static bool
is_normalized(const FloatSum *s)
{
	return s->sum + s->error == s->sum;
}

KpiStatus
float_money_check(const FloatMoneySummary *s)
{
	if (!is_normalized(&s->numerator) || !is_normalized(&s->denominator))
		return KPI_INCONSISTENT;
	if (s->rows == 0 &&
		(s->numerator.sum != 0 || s->numerator.error != 0 ||
		 s->denominator.sum != 0 || s->denominator.error != 0))
		return KPI_INCONSISTENT;
	return KPI_OK;
}

KpiStatus
float_money_from_fields(FloatMoneySummary *s, const TextFieldValue *values)
{
	s->rows = values[FLOAT_MONEY_FIELD_ROWS].count;
	s->numerator.sum = values[FLOAT_MONEY_FIELD_NUMERATOR].number;
	s->numerator.error = values[FLOAT_MONEY_FIELD_NUMERATOR_ERROR].number;
	s->denominator.sum = values[FLOAT_MONEY_FIELD_DENOMINATOR].number;
	s->denominator.error = values[FLOAT_MONEY_FIELD_DENOMINATOR_ERROR].number;
	return float_money_check(s);
}
