/*
 * decimal.c: numeric views, exact 128-bit decimal sums, decimal text.
 */
#include "decimal.h"

#include <string.h>

typedef kpi_uint128 u128;

#define I128_MAX ((kpi_int128) (((u128) 1 << 127) - 1))
#define E19 UINT64_C(10000000000000000000)

const kpi_uint128 decimal_pow10_table[DECIMAL_MAX_POW10 + 1] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
	UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000),
	UINT64_C(100000000), UINT64_C(1000000000), UINT64_C(10000000000),
	UINT64_C(100000000000), UINT64_C(1000000000000),
	UINT64_C(10000000000000), UINT64_C(100000000000000),
	UINT64_C(1000000000000000), UINT64_C(10000000000000000),
	UINT64_C(100000000000000000), UINT64_C(1000000000000000000), E19,
	(u128) E19 * 10, (u128) E19 * 100, (u128) E19 * 1000, (u128) E19 * 10000,
	(u128) E19 * 100000, (u128) E19 * 1000000, (u128) E19 * 10000000,
	(u128) E19 * 100000000, (u128) E19 * 1000000000,
	(u128) E19 * 10000000000, (u128) E19 * 100000000000,
	(u128) E19 * 1000000000000, (u128) E19 * 10000000000000,
	(u128) E19 * 100000000000000, (u128) E19 * 1000000000000000,
	(u128) E19 * 10000000000000000, (u128) E19 * 100000000000000000,
	(u128) E19 * 1000000000000000000, (u128) E19 * E19
};

/* Scales a magnitude by 10^n; false if the result would pass 2^127 - 1. */
static bool
scale_magnitude(u128 *m, int n)
{
	if (n == 0 || *m == 0)
		return true;
	return n <= DECIMAL_MAX_POW10 &&
		!__builtin_mul_overflow(*m, decimal_pow10_table[n], m) &&
		*m <= (u128) I128_MAX;
}

static bool
scale_signed(kpi_int128 *v, int n)
{
	u128		m;
	bool		negative = *v < 0;

	/* Unscaled, -2^127 must stay as it is: its magnitude has no signed form. */
	if (n == 0 || *v == 0)
		return true;
	m = negative ? -(u128) *v : (u128) *v;
	if (!scale_magnitude(&m, n))
		return false;
	*v = negative ? -(kpi_int128) m : (kpi_int128) m;
	return true;
}

static inline unsigned
digit_at(const NumericView *v, int i)
{
	return decimal_read_u16(v->digits + 2 * (size_t) i);
}

bool
numeric_view_scaled_slow(const NumericView *v, int scale, kpi_int128 *out)
{
	static const unsigned drop_divisor[4] = {1, 10, 100, 1000};
	int			n = v->ndigits;
	int			exponent;
	unsigned	last;
	u128		m = 0;

	if (n == 0)
	{
		*out = 0;
		return true;
	}

	/*
	 * The last base-10000 digit sits at decimal exponent 4 * (weight - n + 1);
	 * scaled by 10^scale, a negative exponent means the digit's low decimal
	 * places fall below the scale and must be zeros.
	 */
	exponent = 4 * (v->weight - (n - 1)) + scale;
	if (exponent < -3)
		return false;
	for (int i = 0; i < n - 1; i++)
	{
		unsigned	d = digit_at(v, i);

		if (d > 9999 || !scale_magnitude(&m, 4))
			return false;
		m += d;
	}
	last = digit_at(v, n - 1);
	if (last > 9999)
		return false;
	if (exponent < 0)
	{
		int			dropped = -exponent;

		if (last % drop_divisor[dropped] != 0 || !scale_magnitude(&m, 4 - dropped))
			return false;
		m += last / drop_divisor[dropped];
		exponent = 0;
	}
	else
	{
		if (!scale_magnitude(&m, 4))
			return false;
		m += last;
	}
	if (m > (u128) I128_MAX || !scale_magnitude(&m, exponent))
		return false;
	*out = v->negative ? -(kpi_int128) m : (kpi_int128) m;
	return true;
}

bool
decimal_sum_raise_held_scale(DecimalSum *s, int held_scale)
{
	if (held_scale <= s->held_scale)
		return true;
	if (!scale_signed(&s->held, held_scale - s->held_scale))
		return false;
	s->held_scale = (int16_t) held_scale;
	return true;
}

bool
decimal_sum_hold(DecimalSum *s, kpi_int128 value, int value_scale)
{
	int			held_scale = decimal_held_scale_for(value_scale);

	if (!scale_signed(&value, held_scale - value_scale))
		return false;
	s->held = value;
	s->held_scale = (int16_t) held_scale;
	return true;
}

static inline DecimalStep
spill(DecimalSum *s)
{
	s->spilled = 1;
	return DECIMAL_SPILL;
}

DecimalStep
decimal_sum_add_scaled(DecimalSum *s, kpi_int128 value, int dscale)
{
	int			value_held_scale = decimal_held_scale_for(dscale);

	decimal_sum_note_added_scale(s, dscale);
	if ((value_held_scale > s->held_scale &&
		 !decimal_sum_raise_held_scale(s, value_held_scale)) ||
		!scale_signed(&value, s->held_scale - value_held_scale) ||
		__builtin_add_overflow(s->held, value, &value))
		return spill(s);
	s->held = value;
	return DECIMAL_DONE;
}

DecimalStep
decimal_sum_add_int64(DecimalSum *s, int64_t value)
{
	return decimal_sum_add_scaled(s, value, 0);
}

DecimalStep
decimal_sum_add_spilled(DecimalSum *s, int dscale)
{
	decimal_sum_note_added_scale(s, dscale);
	return spill(s);
}

/* Display-scale bookkeeping of a removal; DECIMAL_DONE lets it proceed. */
static DecimalStep
note_removed_scale(DecimalSum *s, int dscale)
{
	if (dscale > s->scale)
		return DECIMAL_NOT_IN_SUM;
	if (dscale == s->scale)
	{
		/* As PostgreSQL does: below scale 0 there is nothing to forget. */
		if (s->scale_rows <= 1 && s->scale > 0)
			return DECIMAL_RESTART;
		s->scale_rows--;
	}
	return DECIMAL_DONE;
}

DecimalStep
decimal_sum_remove(DecimalSum *s, const NumericView *v)
{
	DecimalStep step = note_removed_scale(s, v->dscale);
	kpi_int128	x;

	if (step != DECIMAL_DONE)
		return step;
	/* A value that went in can always come out of the spill, exactly. */
	if (v->dscale > s->held_scale ||
		!numeric_view_scaled(v, s->held_scale, &x) ||
		__builtin_sub_overflow(s->held, x, &x))
		return spill(s);
	s->held = x;
	return DECIMAL_DONE;
}

DecimalStep
decimal_sum_remove_scaled(DecimalSum *s, kpi_int128 value, int dscale)
{
	DecimalStep step = note_removed_scale(s, dscale);

	if (step != DECIMAL_DONE)
		return step;
	if (decimal_held_scale_for(dscale) > s->held_scale ||
		!scale_signed(&value, s->held_scale - decimal_held_scale_for(dscale)) ||
		__builtin_sub_overflow(s->held, value, &value))
		return spill(s);
	s->held = value;
	return DECIMAL_DONE;
}

DecimalStep
decimal_sum_remove_int64(DecimalSum *s, int64_t value)
{
	return decimal_sum_remove_scaled(s, value, 0);
}

DecimalStep
decimal_sum_remove_spilled(DecimalSum *s, int dscale)
{
	DecimalStep step = note_removed_scale(s, dscale);

	return step != DECIMAL_DONE ? step : spill(s);
}

/* Base-10000 digit i of v, counting from its first; 0 past its last. */
static inline unsigned
digit_or_zero(const NumericView *v, int i)
{
	return i < v->ndigits ? digit_at(v, i) : 0;
}

int
numeric_view_compare(const NumericView *a, const NumericView *b)
{
	bool		a_zero = a->ndigits == 0;
	bool		b_zero = b->ndigits == 0;
	int			n;

	if (a_zero || b_zero)
	{
		if (a_zero && b_zero)
			return 0;
		if (a_zero)
			return b->negative ? 1 : -1;
		return a->negative ? -1 : 1;
	}
	if (a->negative != b->negative)
		return a->negative ? -1 : 1;
	/* Same sign: compare magnitudes, then flip for negatives. */
	if (a->weight != b->weight)
		return (a->weight > b->weight) != a->negative ? 1 : -1;
	n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
	for (int i = 0; i < n; i++)
	{
		unsigned	da = digit_or_zero(a, i);
		unsigned	db = digit_or_zero(b, i);

		if (da != db)
			return (da > db) != a->negative ? 1 : -1;
	}
	return 0;
}

DecimalStep
decimal_sum_merge(DecimalSum *into, const DecimalSum *from)
{
	int			held_scale = into->held_scale > from->held_scale ?
		into->held_scale : from->held_scale;
	kpi_int128	a = into->held;
	kpi_int128	b = from->held;
	kpi_int128	sum;

	if (from->scale > into->scale)
	{
		into->scale = from->scale;
		into->scale_rows = from->scale_rows;
	}
	else if (from->scale == into->scale)
		into->scale_rows += from->scale_rows;
	into->spilled |= from->spilled;

	if (!scale_signed(&a, held_scale - into->held_scale) ||
		!scale_signed(&b, held_scale - from->held_scale) ||
		__builtin_add_overflow(a, b, &sum))
		return spill(into);
	into->held = sum;
	into->held_scale = (int16_t) held_scale;
	return DECIMAL_DONE;
}

DecimalStep
decimal_sum_subtract(DecimalSum *into, const DecimalSum *from)
{
	int			held_scale = into->held_scale > from->held_scale ?
		into->held_scale : from->held_scale;
	kpi_int128	a = into->held;
	kpi_int128	b = from->held;
	kpi_int128	difference;

	/* The display-scale bookkeeping of removing from's values, all at once. */
	if (from->scale > into->scale ||
		(from->scale == into->scale && from->scale_rows > into->scale_rows))
		return DECIMAL_NOT_IN_SUM;
	if (from->scale == into->scale)
	{
		/* As for one value: below scale 0 there is nothing to forget. */
		if (from->scale_rows == into->scale_rows && into->scale > 0)
			return DECIMAL_RESTART;
		into->scale_rows -= from->scale_rows;
	}
	into->spilled |= from->spilled;

	if (!scale_signed(&a, held_scale - into->held_scale) ||
		!scale_signed(&b, held_scale - from->held_scale) ||
		__builtin_sub_overflow(a, b, &difference))
		return spill(into);
	into->held = difference;
	into->held_scale = (int16_t) held_scale;
	return DECIMAL_DONE;
}

size_t
decimal_format(kpi_int128 value, int value_scale, int scale,
			   char *buf, size_t bufsize)
{
	char		digits[40];
	int			ndigits = 0;
	u128		m = value < 0 ? -(u128) value : (u128) value;
	size_t		need;
	size_t		pos = 0;
	int			integer_digits;

	/* A held scale is the display scale rounded up to a multiple of 4. */
	if (value_scale < 0 || scale < 0 || value_scale > DECIMAL_MAX_SCALE + 3 ||
		scale > DECIMAL_MAX_SCALE)
		return 0;
	/* Least significant digit first. */
	do
	{
		digits[ndigits++] = (char) ('0' + (int) (m % 10));
		m /= 10;
	} while (m != 0);

	/* Digits below 10^-scale must be zeros; drop them. */
	if (value_scale > scale)
	{
		int			drop = value_scale - scale;

		for (int i = 0; i < drop && i < ndigits; i++)
			if (digits[i] != '0')
				return 0;
		if (drop >= ndigits)
		{
			digits[0] = '0';
			ndigits = 1;
		}
		else
		{
			memmove(digits, digits + drop, (size_t) (ndigits - drop));
			ndigits -= drop;
		}
		value_scale = scale;
	}

	integer_digits = ndigits > value_scale ? ndigits - value_scale : 1;
	need = (value < 0) + (size_t) integer_digits + (scale > 0 ? 1 + (size_t) scale : 0) + 1;
	if (need > bufsize)
		return 0;

	if (value < 0)
		buf[pos++] = '-';
	for (int i = integer_digits - 1; i >= 0; i--)
	{
		int			at = i + value_scale;	/* index into digits[] */

		buf[pos++] = at < ndigits ? digits[at] : '0';
	}
	if (scale > 0)
	{
		buf[pos++] = '.';
		for (int i = value_scale - 1; i >= 0; i--)
			buf[pos++] = i < ndigits ? digits[i] : '0';
		for (int i = value_scale; i < scale; i++)
			buf[pos++] = '0';
	}
	buf[pos] = '\0';
	return pos;
}

size_t
decimal_parse(const char *text, size_t len, kpi_int128 *value, int *scale,
			  bool *fits)
{
	size_t		pos = 0;
	bool		negative = false;
	bool		ok = true;
	int			fraction_digits = 0;
	u128		m = 0;

	*scale = 0;
	if (pos < len && text[pos] == '-')
	{
		negative = true;
		pos++;
	}
	for (int part = 0; part < 2; part++)
	{
		size_t		part_start = pos;

		for (; pos < len && text[pos] >= '0' && text[pos] <= '9'; pos++)
		{
			if (part == 1 && ++fraction_digits > DECIMAL_MAX_SCALE)
			{
				*scale = fraction_digits;
				return 0;
			}
			/* Past 2^127 - 1 the text is still a valid decimal, just not ours to hold. */
			if (ok)
			{
				ok = scale_magnitude(&m, 1);
				m += (unsigned) (text[pos] - '0');
				ok = ok && m <= (u128) I128_MAX + negative;	/* -2^127 fits */
			}
		}
		if (pos == part_start)
			return 0;			/* no digits before, or after, the point */
		if (part == 1 || pos + 1 >= len || text[pos] != '.')
			break;
		pos++;					/* the point, followed by at least one more byte */
	}
	*scale = fraction_digits;
	*fits = ok;
	*value = ok ? (negative ? (kpi_int128) (0 - m) : (kpi_int128) m) : 0;
	return pos;
}
