/*
 * retention.c: the retention-KPI states; see retention.h.
 */
#include "retention.h"

#include "calendar.h"
#include "money.h"

#include <stdio.h>
#include <string.h>

_Static_assert(CHURN_UNIT_DAY == CALENDAR_DAY && CHURN_UNIT_MICROSECOND == CALENDAR_MICROSECOND,
			   "a churn unit is a calendar unit");

/* ---------- logo churn ---------- */

/* PostgreSQL's range flag bits. */
#define RANGE_FLAG_EMPTY 0x01
#define RANGE_FLAG_LOWER_INCLUSIVE 0x02
#define RANGE_FLAG_UPPER_INCLUSIVE 0x04
#define RANGE_FLAG_LOWER_INFINITE 0x08
#define RANGE_FLAG_UPPER_INFINITE 0x10
#define RANGE_FLAGS_KNOWN 0x9f		/* and 0x80, "contains empty", set only in GiST keys */

/* One bound value, native-endian at any address; infinity values become sentinels. */
static int64_t
read_bound(const unsigned char *at, ChurnUnit unit)
{
	if (unit == CHURN_UNIT_DAY)
	{
		int32_t		day;

		memcpy(&day, at, sizeof(day));
		if (day == INT32_MIN)
			return CHURN_NO_START;
		if (day == INT32_MAX)
			return CHURN_NO_END;
		return day;
	}
	else
	{
		int64_t		instant;

		memcpy(&instant, at, sizeof(instant));
		return instant;			/* DT_NOBEGIN and DT_NOEND are the sentinels already */
	}
}

DecodeStatus
activity_range_decode(const unsigned char *data, size_t len, ChurnUnit unit,
					  uint32_t *range_type, ActiveRange *range)
{
	size_t		element = unit == CHURN_UNIT_DAY ? 4 : 8;
	unsigned	flags;
	size_t		at = 4;
	bool		has_lower;
	bool		has_upper;

	if (len < 5)
		return DECODE_LENGTH;
	flags = data[len - 1];
	if ((flags & ~RANGE_FLAGS_KNOWN) != 0 ||
		((flags & RANGE_FLAG_EMPTY) && flags != RANGE_FLAG_EMPTY))
		return DECODE_SYNTAX;
	has_lower = !(flags & (RANGE_FLAG_EMPTY | RANGE_FLAG_LOWER_INFINITE));
	has_upper = !(flags & (RANGE_FLAG_EMPTY | RANGE_FLAG_UPPER_INFINITE));
	/* Bounds of 4 or 8 bytes follow the OID with no padding. */
	if (len != 5 + element * ((size_t) has_lower + (size_t) has_upper))
		return DECODE_LENGTH;
	memcpy(range_type, data, sizeof(*range_type));
	memset(range, 0, sizeof(*range));
	range->empty = (flags & RANGE_FLAG_EMPTY) != 0;
	range->lower = has_lower ? read_bound(data + at, unit) : CHURN_NO_START;
	at += has_lower ? element : 0;
	range->upper = has_upper ? read_bound(data + at, unit) : CHURN_NO_END;
	range->lower_inclusive = (flags & RANGE_FLAG_LOWER_INCLUSIVE) != 0;
	range->upper_inclusive = (flags & RANGE_FLAG_UPPER_INCLUSIVE) != 0;
	return DECODE_OK;
}

ChurnOutcome
churn_classify(const ActiveRange *active, const ChurnPeriod *period)
{
	int64_t		t = period->start;

	if (active->empty ||
		active->lower > t || (active->lower == t && !active->lower_inclusive) ||
		active->upper < t || (active->upper == t && !active->upper_inclusive))
		return CHURN_NOT_IN_BASE;
	if (active->upper != CHURN_NO_END && active->upper <= period->end)
		return CHURN_CHURNED;
	return CHURN_RETAINED;
}

bool
churn_period_valid(const ChurnPeriod *p)
{
	if ((p->unit != CHURN_UNIT_DAY && p->unit != CHURN_UNIT_MICROSECOND) ||
		!calendar_in_range(p->start, p->unit) ||
		(p->end_inclusive != 0 && p->end_inclusive != 1))
		return false;
	/* A daterange is always [start,end): an inclusive end is no date period. */
	if ((p->end == CHURN_NO_END || p->unit == CHURN_UNIT_DAY) && p->end_inclusive)
		return false;
	if (p->end == CHURN_NO_END)
		return true;
	return calendar_in_range(p->end, p->unit) &&
		(p->end > p->start || (p->end == p->start && p->end_inclusive));
}

static bool
same_period(const ChurnPeriod *a, const ChurnPeriod *b)
{
	return a->start == b->start && a->end == b->end && a->unit == b->unit &&
		a->end_inclusive == b->end_inclusive;
}

KpiStatus
churn_add(ChurnSummary *s, const ChurnPeriod *period, const ActiveRange *active)
{
	ChurnOutcome outcome;

	if (s->period.unit == CHURN_UNIT_NONE)
		s->period = *period;
	else if (!same_period(&s->period, period))
		return KPI_PERIOD_CHANGED;
	outcome = churn_classify(active, period);
	if (outcome == CHURN_NOT_IN_BASE)
		return KPI_OK;
	if (s->customers_at_start == INT64_MAX)
		return KPI_TOO_MANY_ROWS;
	s->customers_at_start++;
	s->churned += outcome == CHURN_CHURNED;
	return KPI_OK;
}

KpiStatus
churn_remove(ChurnSummary *s, const ChurnPeriod *period, const ActiveRange *active)
{
	ChurnOutcome outcome;

	if (s->period.unit == CHURN_UNIT_NONE)
		return KPI_NOT_IN_STATE;
	if (!same_period(&s->period, period))
		return KPI_PERIOD_CHANGED;
	outcome = churn_classify(active, period);
	if (outcome == CHURN_NOT_IN_BASE)
		return KPI_OK;
	if (s->customers_at_start == 0 ||
		(outcome == CHURN_CHURNED ? s->churned == 0 : s->churned == s->customers_at_start))
		return KPI_NOT_IN_STATE;
	s->customers_at_start--;
	s->churned -= outcome == CHURN_CHURNED;
	return KPI_OK;
}

KpiStatus
churn_merge(ChurnSummary *into, const ChurnSummary *from)
{
	if (from->period.unit == CHURN_UNIT_NONE)
		return KPI_OK;
	if (into->period.unit == CHURN_UNIT_NONE)
		into->period = from->period;
	else if (!same_period(&into->period, &from->period))
		return KPI_PERIOD_CHANGED;
	if (into->customers_at_start > INT64_MAX - from->customers_at_start)
		return KPI_OVERFLOW;
	into->customers_at_start += from->customers_at_start;
	into->churned += from->churned;
	return KPI_OK;
}

KpiStatus
churn_subtract(ChurnSummary *into, const ChurnSummary *from, bool *restart)
{
	*restart = false;
	if (from->period.unit == CHURN_UNIT_NONE)
		return from->customers_at_start == 0 ? KPI_OK : KPI_NOT_IN_STATE;
	if (into->period.unit == CHURN_UNIT_NONE)
		return KPI_NOT_IN_STATE;
	if (!same_period(&into->period, &from->period))
		return KPI_PERIOD_CHANGED;
	/* Churned and retained customers each cover from's. */
	if (from->churned < 0 || from->churned > from->customers_at_start ||
		from->churned > into->churned ||
		from->customers_at_start - from->churned > into->customers_at_start - into->churned)
		return KPI_NOT_IN_STATE;
	if (from->customers_at_start == into->customers_at_start)
	{
		*restart = true;
		return KPI_OK;
	}
	into->customers_at_start -= from->customers_at_start;
	into->churned -= from->churned;
	return KPI_OK;
}

bool
churn_value(const ChurnSummary *s, double *value)
{
	if (s->customers_at_start == 0)
		return false;
	*value = (double) s->churned / (double) s->customers_at_start;
	return true;
}

KpiStatus
churn_check(const ChurnSummary *s)
{
	if (s->customers_at_start < 0 || s->churned < 0 ||
		s->churned > s->customers_at_start)
		return KPI_INCONSISTENT;
	if (s->period.unit == CHURN_UNIT_NONE)
		return s->customers_at_start == 0 && s->period.start == 0 &&
			s->period.end == 0 && s->period.end_inclusive == 0 ?
			KPI_OK : KPI_INCONSISTENT;
	return churn_period_valid(&s->period) ? KPI_OK : KPI_INCONSISTENT;
}

const TextField churn_summary_fields[CHURN_NFIELDS] = {
	{"customers_at_start", TEXT_FIELD_COUNT},
	{"churned", TEXT_FIELD_COUNT},
	{"period", TEXT_FIELD_WORD},
};

size_t
churn_period_format(const ChurnPeriod *p, char *buf, size_t bufsize)
{
	size_t		n;
	size_t		m;

	if (p->unit == CHURN_UNIT_NONE)
		return (size_t) snprintf(buf, bufsize, "none") < bufsize ? 4 : 0;
	if (!churn_period_valid(p) || bufsize < 2)
		return 0;
	buf[0] = '[';
	if ((n = calendar_point_format(p->start, p->unit, buf + 1, bufsize - 1)) == 0)
		return 0;
	n++;
	if (p->end == CHURN_NO_END)
		m = (size_t) snprintf(buf + n, bufsize - n, ",infinity)");
	else
	{
		if (bufsize - n < 2)
			return 0;
		buf[n++] = ',';
		if ((m = calendar_point_format(p->end, p->unit, buf + n, bufsize - n)) == 0)
			return 0;
		n += m;
		m = (size_t) snprintf(buf + n, bufsize - n, "%c", p->end_inclusive ? ']' : ')');
	}
	return n + m < bufsize ? n + m : 0;
}

bool
churn_period_parse(const char *text, size_t len, ChurnPeriod *p)
{
	size_t		pos = 0;
	int			end_unit;

	memset(p, 0, sizeof(*p));
	if (len == 4 && memcmp(text, "none", 4) == 0)
		return true;
	if (!calendar_expect(text, len, &pos, '[') ||
		!calendar_point_parse(text, len, &pos, &p->start, &p->unit) ||
		!calendar_expect(text, len, &pos, ','))
		return false;
	if (len - pos == 9 && memcmp(text + pos, "infinity)", 9) == 0)
		p->end = CHURN_NO_END;
	else
	{
		if (!calendar_point_parse(text, len, &pos, &p->end, &end_unit) || end_unit != p->unit ||
			pos + 1 != len || (text[pos] != ')' && text[pos] != ']'))
			return false;
		p->end_inclusive = text[pos] == ']';
	}
	return churn_period_valid(p);
}

DecodeStatus
churn_from_fields(ChurnSummary *s, const char *text, const TextFieldValue *values,
				  DecodeError *error)
{
	const TextFieldValue *period = &values[CHURN_FIELD_PERIOD];

	s->customers_at_start = values[CHURN_FIELD_CUSTOMERS_AT_START].count;
	s->churned = values[CHURN_FIELD_CHURNED].count;
	if (!churn_period_parse(text + period->text_offset, period->text_len, &s->period))
		return decode_fail(error, DECODE_SYNTAX, period->text_offset, CHURN_FIELD_PERIOD);
	if ((error->invariant = churn_check(s)) != KPI_OK)
		return decode_fail(error, DECODE_INVARIANT, 0, -1);
	return DECODE_OK;
}

void
churn_encode_binary(const ChurnSummary *s, unsigned char *out)
{
	out[0] = (unsigned char) SUMMARY_TEXT_VERSION;
	summary_put_be64(out + 1, (uint64_t) s->customers_at_start);
	summary_put_be64(out + 9, (uint64_t) s->churned);
	out[17] = (unsigned char) s->period.unit;
	out[18] = (unsigned char) s->period.end_inclusive;
	summary_put_be64(out + 19, (uint64_t) s->period.start);
	summary_put_be64(out + 27, (uint64_t) s->period.end);
}

DecodeStatus
churn_decode_binary(const unsigned char *bytes, size_t len, ChurnSummary *s,
					DecodeError *error)
{
	decode_error_reset(error);
	if (len < 1)
		return decode_fail(error, DECODE_LENGTH, 0, -1);
	if (bytes[0] != SUMMARY_TEXT_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	if (len != CHURN_BINARY_SIZE)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	s->customers_at_start = (int64_t) summary_get_be64(bytes + 1);
	s->churned = (int64_t) summary_get_be64(bytes + 9);
	s->period.unit = bytes[17];
	s->period.end_inclusive = bytes[18];
	s->period.start = (int64_t) summary_get_be64(bytes + 19);
	s->period.end = (int64_t) summary_get_be64(bytes + 27);
	if ((error->invariant = churn_check(s)) != KPI_OK)
		return decode_fail(error, DECODE_INVARIANT, len, -1);
	return DECODE_OK;
}

/* ---------- revenue retention and MRR movements ---------- */

const TextField mrr_summary_fields[MRR_NFIELDS] = {
	{"rows", TEXT_FIELD_COUNT},
	{"start_mrr", TEXT_FIELD_DECIMAL},
	{"start_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"end_mrr", TEXT_FIELD_DECIMAL},
	{"end_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"retained_mrr", TEXT_FIELD_DECIMAL},
	{"retained_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"new_mrr", TEXT_FIELD_DECIMAL},
	{"new_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"expansion_mrr", TEXT_FIELD_DECIMAL},
	{"expansion_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"contraction_mrr", TEXT_FIELD_DECIMAL},
	{"contraction_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"churned_mrr", TEXT_FIELD_DECIMAL},
	{"churned_mrr_scale_rows", TEXT_FIELD_COUNT},
	{"net_mrr_change", TEXT_FIELD_DECIMAL},
	{"net_mrr_change_scale_rows", TEXT_FIELD_COUNT},
};

static bool
is_zero(const NumericView *v)
{
	return v->ndigits == 0;
}

MrrMovement
mrr_movement_of(const NumericView *start, const NumericView *end)
{
	int			cmp;

	if (is_zero(start))
		return is_zero(end) ? MRR_MOVEMENT_UNCHANGED : MRR_MOVEMENT_NEW;
	if (is_zero(end))
		return MRR_MOVEMENT_CHURNED;
	cmp = numeric_view_compare(end, start);
	return cmp > 0 ? MRR_MOVEMENT_EXPANSION :
		cmp < 0 ? MRR_MOVEMENT_CONTRACTION : MRR_MOVEMENT_UNCHANGED;
}

/* A value that is a view of the row: start or end. */
static DecimalStep
step_view(DecimalSum *sum, const NumericView *v, bool add)
{
	return add ? decimal_sum_add(sum, v) : decimal_sum_remove(sum, v);
}

/*
 * end - start or start - end, with the larger display scale of the two, as
 * numeric subtraction gives it. Computed in 128 bits at the common held scale
 * when both fit there; otherwise only the bookkeeping is done and the value
 * goes to the spill, where the caller subtracts the numerics themselves.
 */
static DecimalStep
step_difference(DecimalSum *sum, const NumericView *start, const NumericView *end,
				bool growth, bool add)
{
	int			dscale = start->dscale > end->dscale ? start->dscale : end->dscale;
	int			held_scale = decimal_held_scale_for(dscale);
	kpi_int128	s;
	kpi_int128	e;

	if (numeric_view_scaled(start, held_scale, &s) &&
		numeric_view_scaled(end, held_scale, &e))
	{
		/* Both are in 0 .. 2^127 - 1, so either difference fits. */
		kpi_int128	diff = growth ? e - s : s - e;

		return add ? decimal_sum_add_scaled(sum, diff, dscale) :
			decimal_sum_remove_scaled(sum, diff, dscale);
	}
	return add ? decimal_sum_add_spilled(sum, dscale) :
		decimal_sum_remove_spilled(sum, dscale);
}

KpiStatus
mrr_step(MrrSummary *m, const NumericView *start, const NumericView *end,
		 bool add, MrrRowSteps *steps)
{
	MrrMovement movement;

	memset(steps, 0, sizeof(*steps));
	if (start->negative && !is_zero(start))
		return KPI_NEGATIVE_TRIALS;
	if (end->negative && !is_zero(end))
		return KPI_NEGATIVE_HITS;
	if (add ? m->rows == INT64_MAX : m->rows <= 0)
		return add ? KPI_TOO_MANY_ROWS : KPI_NOT_IN_STATE;
	m->rows += add ? 1 : -1;

	movement = mrr_movement_of(start, end);
	steps->value[MRR_NET] = MRR_VALUE_GROWTH;
	if (!is_zero(start))
	{
		steps->value[MRR_START] = MRR_VALUE_START;
		steps->value[MRR_END] = MRR_VALUE_END;
		/* least(mrr_start, mrr_end): on a tie, mrr_start, as least() keeps its first argument. */
		steps->value[MRR_RETAINED] = movement == MRR_MOVEMENT_CONTRACTION ||
			movement == MRR_MOVEMENT_CHURNED ? MRR_VALUE_END : MRR_VALUE_START;
	}
	switch (movement)
	{
		case MRR_MOVEMENT_NEW:
			steps->value[MRR_NEW] = MRR_VALUE_END;
			break;
		case MRR_MOVEMENT_EXPANSION:
			steps->value[MRR_EXPANSION] = MRR_VALUE_GROWTH;
			break;
		case MRR_MOVEMENT_CONTRACTION:
			steps->value[MRR_CONTRACTION] = MRR_VALUE_LOSS;
			break;
		case MRR_MOVEMENT_CHURNED:
			steps->value[MRR_CHURNED] = MRR_VALUE_START;
			break;
		case MRR_MOVEMENT_UNCHANGED:
			break;
	}

	for (int i = 0; i < MRR_NSUMS; i++)
	{
		DecimalSum *sum = &m->sums[i];

		switch ((MrrValue) steps->value[i])
		{
			case MRR_VALUE_NONE:
				break;
			case MRR_VALUE_START:
				steps->step[i] = (uint8_t) step_view(sum, start, add);
				break;
			case MRR_VALUE_END:
				steps->step[i] = (uint8_t) step_view(sum, end, add);
				break;
			case MRR_VALUE_GROWTH:
			case MRR_VALUE_LOSS:
				steps->step[i] = (uint8_t) step_difference(sum, start, end,
														   steps->value[i] == MRR_VALUE_GROWTH,
														   add);
				break;
		}
	}
	return KPI_OK;
}

KpiStatus
mrr_check(const MrrSummary *m)
{
	if (m->rows < 0)
		return KPI_INCONSISTENT;
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *sum = &m->sums[i];

		if (sum->scale_rows < 0 || sum->scale_rows > m->rows)
			return KPI_INCONSISTENT;
		/* A sum no row has reached yet is exactly zero at scale 0. */
		if (sum->scale_rows == 0 &&
			(sum->spilled || sum->held != 0 || sum->scale != 0))
			return KPI_INCONSISTENT;
		/* Only the net change can be negative. */
		if (i != MRR_NET && !sum->spilled && sum->held < 0)
			return KPI_INCONSISTENT;
	}
	/* Every row reaches the net change; every row with mrr_start > 0 the first three sums. */
	if ((m->rows > 0) != (m->sums[MRR_NET].scale_rows > 0) ||
		(m->sums[MRR_START].scale_rows > 0) != (m->sums[MRR_END].scale_rows > 0) ||
		(m->sums[MRR_START].scale_rows > 0) != (m->sums[MRR_RETAINED].scale_rows > 0))
		return KPI_INCONSISTENT;
	return KPI_OK;
}

KpiStatus
mrr_from_fields(MrrSummary *m, const TextFieldValue *values)
{
	m->rows = values[0].count;
	for (int i = 0; i < MRR_NSUMS; i++)
		money_sum_from_text(&m->sums[i], &values[mrr_sum_field((MrrSumId) i)],
							values[mrr_sum_field((MrrSumId) i) + 1].count);
	return mrr_check(m);
}
