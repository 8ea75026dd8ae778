/*
 * velocity.c: the sales_velocity states; see velocity.h.
 */
#include "velocity.h"

#include <math.h>
#include <string.h>

const TextField velocity_summary_fields[VELOCITY_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"won_amount", TEXT_FIELD_DECIMAL},
	{"won_amount_scale_rows", TEXT_FIELD_COUNT},
	{"cycle_seconds", TEXT_FIELD_DECIMAL},
	{"cycle_seconds_scale_rows", TEXT_FIELD_COUNT},
};

const TextField float_velocity_summary_fields[FLOAT_VELOCITY_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"won_rows", TEXT_FIELD_COUNT},
	{"won_amount", TEXT_FIELD_FLOAT},
	{"won_amount_error", TEXT_FIELD_FLOAT},
	{"cycle_seconds", TEXT_FIELD_DECIMAL},
};

/* 10^(held scale of 6 - 6): a cycle's microseconds in units of the held scale. */
#define CYCLE_HELD_FACTOR 100

/* ---------- exact ---------- */

DecimalStep
velocity_cycle_add(DecimalSum *cycle_seconds, kpi_int128 microseconds)
{
	/* |microseconds| < 2^65, so the product is far inside 128 bits. */
	return decimal_sum_add_scaled(cycle_seconds, microseconds * CYCLE_HELD_FACTOR,
								  VELOCITY_CYCLE_SCALE);
}

DecimalStep
velocity_cycle_remove(DecimalSum *cycle_seconds, kpi_int128 microseconds)
{
	return decimal_sum_remove_scaled(cycle_seconds, microseconds * CYCLE_HELD_FACTOR,
									 VELOCITY_CYCLE_SCALE);
}

static bool
is_empty_sum(const DecimalSum *sum)
{
	return !sum->spilled && sum->held == 0 && sum->scale == 0 && sum->scale_rows == 0;
}

KpiStatus
velocity_check(const VelocitySummary *v)
{
	const DecimalSum *won = &v->won_amount;
	const DecimalSum *cycle = &v->cycle_seconds;

	if (v->rows < 0)
		return KPI_INCONSISTENT;
	if (v->rows == 0)
		return is_empty_sum(won) && is_empty_sum(cycle) ? KPI_OK : KPI_INCONSISTENT;
	/* No won row yet: the sum is exactly 0 at scale 0, as coalesce(sum, 0) is. */
	if (won->scale_rows < 0 || won->scale_rows > v->rows ||
		(won->scale_rows == 0 && !is_empty_sum(won)))
		return KPI_INCONSISTENT;
	if (cycle->scale != VELOCITY_CYCLE_SCALE || cycle->scale_rows != v->rows ||
		(!cycle->spilled && cycle->held < 0))
		return KPI_INCONSISTENT;
	return KPI_OK;
}

KpiStatus
velocity_from_fields(VelocitySummary *v, const TextFieldValue *values)
{
	v->rows = values[VELOCITY_FIELD_ROWS].count;
	money_sum_from_text(&v->won_amount, &values[VELOCITY_FIELD_WON_AMOUNT],
						values[VELOCITY_FIELD_WON_AMOUNT_SCALE_ROWS].count);
	money_sum_from_text(&v->cycle_seconds, &values[VELOCITY_FIELD_CYCLE_SECONDS],
						values[VELOCITY_FIELD_CYCLE_SECONDS_SCALE_ROWS].count);
	return velocity_check(v);
}

/* ---------- double precision ---------- */

static void
reset_won(FloatVelocitySummary *s)
{
	s->won_rows = 0;
	memset(&s->won_amount, 0, sizeof(s->won_amount));
}

KpiStatus
float_velocity_add(FloatVelocitySummary *s, double amount, bool won,
				   kpi_int128 microseconds)
{
	kpi_int128	cycle;
	FloatSum	won_amount = s->won_amount;

	if (s->rows == INT64_MAX)
		return KPI_TOO_MANY_ROWS;
	if (__builtin_add_overflow(s->cycle_microseconds, microseconds, &cycle))
		return KPI_OVERFLOW;
	if (won && float_sum_add(&won_amount, amount) != KPI_OK)
		return KPI_OVERFLOW;
	s->rows++;
	s->won_rows += won;
	s->won_amount = won_amount;
	s->cycle_microseconds = cycle;
	return KPI_OK;
}

KpiStatus
float_velocity_remove(FloatVelocitySummary *s, double amount, bool won,
					  kpi_int128 microseconds)
{
	FloatSum	won_amount = s->won_amount;

	if (s->rows <= 0 || (won && s->won_rows <= 0) ||
		s->cycle_microseconds < microseconds)
		return KPI_NOT_IN_STATE;
	if (s->rows == 1)
	{
		/* An empty frame is exactly zero. */
		memset(s, 0, sizeof(*s));
		return KPI_OK;
	}
	if (won && s->won_rows > 1 && float_sum_add(&won_amount, -amount) != KPI_OK)
		return KPI_OVERFLOW;
	s->rows--;
	s->cycle_microseconds -= microseconds;
	if (won)
	{
		if (s->won_rows == 1)
			reset_won(s);
		else
		{
			s->won_rows--;
			s->won_amount = won_amount;
		}
	}
	return KPI_OK;
}

KpiStatus
float_velocity_merge(FloatVelocitySummary *into, const FloatVelocitySummary *from)
{
	kpi_int128	cycle;
	FloatSum	won_amount = into->won_amount;

	if (into->rows > INT64_MAX - from->rows)
		return KPI_TOO_MANY_ROWS;
	if (__builtin_add_overflow(into->cycle_microseconds, from->cycle_microseconds, &cycle) ||
		float_sum_merge(&won_amount, &from->won_amount) != KPI_OK)
		return KPI_OVERFLOW;
	into->rows += from->rows;
	/* won_rows <= rows on both sides, so this cannot overflow either. */
	into->won_rows += from->won_rows;
	into->won_amount = won_amount;
	into->cycle_microseconds = cycle;
	return KPI_OK;
}

KpiStatus
float_velocity_subtract(FloatVelocitySummary *into, const FloatVelocitySummary *from)
{
	FloatSum	won_amount = into->won_amount;

	/* Won and lost rows each cover from's, and so does the cycle sum. */
	if (from->rows < 0 || from->won_rows < 0 || from->won_rows > from->rows ||
		from->won_rows > into->won_rows ||
		from->rows - from->won_rows > into->rows - into->won_rows ||
		from->cycle_microseconds < 0 ||
		from->cycle_microseconds > into->cycle_microseconds)
		return KPI_NOT_IN_STATE;
	if (from->rows == into->rows)
	{
		memset(into, 0, sizeof(*into));
		return KPI_OK;
	}
	if (from->won_rows == into->won_rows)
		memset(&won_amount, 0, sizeof(won_amount));
	else if (float_sum_subtract(&won_amount, &from->won_amount) != KPI_OK)
		return KPI_OVERFLOW;
	into->rows -= from->rows;
	into->won_rows -= from->won_rows;
	into->won_amount = won_amount;
	into->cycle_microseconds -= from->cycle_microseconds;
	return KPI_OK;
}

KpiStatus
float_velocity_normalize(FloatVelocitySummary *s)
{
	return float_sum_normalize(&s->won_amount);
}

KpiStatus
float_velocity_check(const FloatVelocitySummary *s)
{
	const FloatSum *won = &s->won_amount;

	if (s->rows < 0 || s->won_rows < 0 || s->won_rows > s->rows)
		return KPI_INCONSISTENT;
	if (!isfinite(won->sum) || !isfinite(won->error) || won->sum + won->error != won->sum)
		return KPI_INCONSISTENT;
	if (s->won_rows == 0 && (won->sum != 0 || won->error != 0))
		return KPI_INCONSISTENT;
	if (s->cycle_microseconds < 0 || (s->rows == 0 && s->cycle_microseconds != 0))
		return KPI_INCONSISTENT;
	return KPI_OK;
}

KpiStatus
float_velocity_from_fields(FloatVelocitySummary *s, const TextFieldValue *values)
{
	const TextFieldValue *cycle = &values[FLOAT_VELOCITY_FIELD_CYCLE_SECONDS];
	kpi_int128	microseconds = cycle->decimal;
	int			scale = cycle->decimal_scale;

	s->rows = values[FLOAT_VELOCITY_FIELD_ROWS].count;
	s->won_rows = values[FLOAT_VELOCITY_FIELD_WON_ROWS].count;
	s->won_amount.sum = values[FLOAT_VELOCITY_FIELD_WON_AMOUNT].number;
	s->won_amount.error = values[FLOAT_VELOCITY_FIELD_WON_AMOUNT_ERROR].number;
	if (!cycle->decimal_fits || scale > VELOCITY_CYCLE_SCALE)
		return KPI_INCONSISTENT;
	for (; scale < VELOCITY_CYCLE_SCALE; scale++)
		if (__builtin_mul_overflow(microseconds, 10, &microseconds))
			return KPI_INCONSISTENT;
	s->cycle_microseconds = microseconds;
	return float_velocity_check(s);
}

bool
float_velocity_value(const FloatVelocitySummary *s, double *velocity)
{
	double		seconds;

	if (s->rows == 0 || s->cycle_microseconds == 0)
		return false;
	seconds = (double) s->cycle_microseconds / VELOCITY_MICROSECONDS_PER_SECOND;
	*velocity = float_sum_value(&s->won_amount) * (double) s->rows *
		VELOCITY_SECONDS_PER_DAY / seconds;
	return true;
}

size_t
velocity_format_cycle(kpi_int128 microseconds, char *buf, size_t bufsize)
{
	return decimal_format(microseconds, VELOCITY_CYCLE_SCALE, VELOCITY_CYCLE_SCALE,
						  buf, bufsize);
}
