/*
 * decimal.h: exact decimal sums for the money KPIs (kpi-spec section 2).
 *
 * PostgreSQL's sum(numeric) is exact, and its display scale is the largest
 * display scale among the summed values. A DecimalSum gives the same sum
 * faster: most money values fit a 128-bit integer once scaled by 10^scale, so
 * the sum is kept as one. A value that does not fit (too many digits, or a
 * scale the held sum cannot be raised to) is reported back as a spill: the
 * caller keeps it in an arbitrary-precision numeric, and the total is the held
 * part plus the spill. Nothing is ever rounded.
 *
 * The core reads PostgreSQL's numeric on-disk format (a stable format that
 * pg_upgrade relies on) through NumericView, without copying or allocating.
 * It has no PostgreSQL headers; the layout is written out below.
 */
#ifndef B2BKPI_DECIMAL_H
#define B2BKPI_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "count_summary.h"
#include "kpi_status.h"

#ifndef __SIZEOF_INT128__
#error "b2bkpi needs a compiler with a native 128-bit integer (GCC or Clang on a 64-bit platform)"
#endif

/*
 * Capped at 8-byte alignment, as PostgreSQL does for its own int128, so a
 * struct holding one can live inside an 8-aligned varlena.
 */
typedef __int128 kpi_int128 __attribute__((aligned(8)));

/* 10^38 < 2^127 - 1 < 10^39. */
#define DECIMAL_MAX_POW10 38

/* numeric's largest display scale (its NUMERIC_DSCALE_MASK). */
#define DECIMAL_MAX_SCALE 0x3FFF

typedef unsigned __int128 kpi_uint128;

/* 10^n for 0 <= n <= DECIMAL_MAX_POW10. */
extern const kpi_uint128 decimal_pow10_table[DECIMAL_MAX_POW10 + 1];

static inline kpi_int128
decimal_pow10(int n)
{
	return (kpi_int128) decimal_pow10_table[n];
}

/*
 * The held part of a sum is kept at a scale that is a multiple of 4, the
 * decimal digits in one of numeric's base-10000 digits, so converting a value
 * never divides: its digits only shift.
 */
static inline int
decimal_held_scale_for(int dscale)
{
	return (dscale + 3) & ~3;
}

typedef enum NumericKind
{
	NUMERIC_KIND_FINITE = 0,
	NUMERIC_KIND_NAN,
	NUMERIC_KIND_POS_INFINITY,
	NUMERIC_KIND_NEG_INFINITY
} NumericKind;

/*
 * A numeric value in place: sign, weight (the power of 10000 of the first
 * digit), display scale and base-10000 digits, which are native-endian int16s
 * that may sit at an odd address.
 */
typedef struct NumericView
{
	NumericKind kind;
	bool		negative;
	int			weight;
	int			dscale;
	int			ndigits;
	const unsigned char *digits;
} NumericView;

/* numeric's on-disk header bits, as PostgreSQL's numeric.c lays them out. */
#define NUMERIC_BITS_SIGN_MASK 0xC000
#define NUMERIC_BITS_NEG 0x4000
#define NUMERIC_BITS_SHORT 0x8000
#define NUMERIC_BITS_SPECIAL 0xC000
#define NUMERIC_BITS_EXT_SIGN_MASK 0xF000
#define NUMERIC_BITS_NAN 0xC000
#define NUMERIC_BITS_PINF 0xD000
#define NUMERIC_BITS_NINF 0xF000
#define NUMERIC_BITS_SHORT_SIGN 0x2000
#define NUMERIC_BITS_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_BITS_SHORT_DSCALE_SHIFT 7
#define NUMERIC_BITS_SHORT_WEIGHT_SIGN 0x0040
#define NUMERIC_BITS_SHORT_WEIGHT_MASK 0x003F
#define NUMERIC_BITS_DSCALE_MASK 0x3FFF

static inline uint16_t
decimal_read_u16(const unsigned char *p)
{
	uint16_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Decodes a numeric from its bytes after the varlena header. Returns
 * DECODE_LENGTH or DECODE_SYNTAX for bytes that are no numeric; never reads
 * past len. Inline: it runs for every argument of every row.
 */
static inline DecodeStatus
numeric_view_decode(const void *bytes, size_t len, NumericView *view)
{
	const unsigned char *p = (const unsigned char *) bytes;
	uint16_t	header;
	size_t		digits_at;

	if (len < 2)
		return DECODE_LENGTH;
	header = decimal_read_u16(p);
	view->negative = false;
	switch (header & NUMERIC_BITS_SIGN_MASK)
	{
		case NUMERIC_BITS_SHORT:
			view->negative = (header & NUMERIC_BITS_SHORT_SIGN) != 0;
			view->dscale = (header & NUMERIC_BITS_SHORT_DSCALE_MASK) >>
				NUMERIC_BITS_SHORT_DSCALE_SHIFT;
			view->weight = header & NUMERIC_BITS_SHORT_WEIGHT_MASK;
			if (header & NUMERIC_BITS_SHORT_WEIGHT_SIGN)
				view->weight -= NUMERIC_BITS_SHORT_WEIGHT_MASK + 1;
			digits_at = 2;
			break;
		case NUMERIC_BITS_SPECIAL:
			view->weight = view->dscale = view->ndigits = 0;
			/* The header alone says which; a NaN from before PostgreSQL 14 is 4 bytes. */
			view->digits = p + len;
			switch (header & NUMERIC_BITS_EXT_SIGN_MASK)
			{
				case NUMERIC_BITS_NAN:
					view->kind = NUMERIC_KIND_NAN;
					return DECODE_OK;
				case NUMERIC_BITS_PINF:
					view->kind = NUMERIC_KIND_POS_INFINITY;
					return DECODE_OK;
				case NUMERIC_BITS_NINF:
					view->kind = NUMERIC_KIND_NEG_INFINITY;
					view->negative = true;
					return DECODE_OK;
				default:
					return DECODE_SYNTAX;
			}
		default:				/* positive or negative, in the long form */
			if (len < 4)
				return DECODE_LENGTH;
			view->negative = (header & NUMERIC_BITS_SIGN_MASK) == NUMERIC_BITS_NEG;
			view->dscale = header & NUMERIC_BITS_DSCALE_MASK;
			view->weight = (int16_t) decimal_read_u16(p + 2);
			digits_at = 4;
			break;
	}
	if ((len - digits_at) % 2 != 0)
		return DECODE_LENGTH;
	view->kind = NUMERIC_KIND_FINITE;
	view->ndigits = (int) ((len - digits_at) / 2);
	view->digits = p + digits_at;
	return DECODE_OK;
}

/* The general case of numeric_view_scaled(). */
bool		numeric_view_scaled_slow(const NumericView *v, int scale, kpi_int128 *out);

/*
 * The finite v times 10^scale, if that is an integer that fits. The inline
 * part takes up to 4 base-10000 digits (16 decimal digits) whose last digit
 * lands at or above 10^-scale, in 64-bit arithmetic: nearly every value of a
 * money column, at a held scale that is a multiple of 4.
 */
static inline bool
numeric_view_scaled(const NumericView *v, int scale, kpi_int128 *out)
{
	int			n = v->ndigits;
	int			exponent = 4 * (v->weight - n + 1) + scale;
	uint64_t	m = 0;
	unsigned	bad = 0;
	kpi_uint128 scaled;

	if (n == 0 || n > 4 || exponent < 0 || exponent > 19)
		return numeric_view_scaled_slow(v, scale, out);
	for (int i = 0; i < n; i++)
	{
		unsigned	d = decimal_read_u16(v->digits + 2 * i);

		bad |= d > 9999;
		m = m * 10000 + d;
	}
	if (bad)
		return false;
	/* m < 10^16 and 10^exponent <= 10^19: the product stays below 2^127. */
	scaled = (kpi_uint128) m * (uint64_t) decimal_pow10_table[exponent];
	*out = v->negative ? -(kpi_int128) scaled : (kpi_int128) scaled;
	return true;
}

/*
 * An exact sum with PostgreSQL's display scale.
 *
 * held * 10^-held_scale is the part of the sum held here; when spilled, the
 * rest is in the caller's spill. held_scale is a multiple of 4. scale is the sum's display scale (the
 * largest of its values'), and scale_rows counts the values that have it, so
 * that an inverse transition knows when removing a value would make the
 * remaining display scale unknown.
 */
typedef struct DecimalSum
{
	kpi_int128	held;
	int64_t		scale_rows;
	int16_t		scale;
	int16_t		held_scale;		/* a multiple of 4, see decimal_held_scale_for() */
	int32_t		spilled;
} DecimalSum;

typedef enum DecimalStep
{
	DECIMAL_DONE = 0,			/* the value is now in the held part */
	DECIMAL_SPILL,				/* the caller must add (or subtract) the value in its spill */
	DECIMAL_RESTART,			/* removal: the remaining display scale is unknown */
	DECIMAL_NOT_IN_SUM			/* removal of a value more precise than the sum */
} DecimalStep;

/* Raises the held part to a larger held scale, if it still fits. */
bool		decimal_sum_raise_held_scale(DecimalSum *s, int held_scale);

/*
 * The display-scale bookkeeping of adding a value: the largest scale so far,
 * and how many values have it.
 */
static inline void
decimal_sum_note_added_scale(DecimalSum *s, int dscale)
{
	if (dscale >= s->scale)
	{
		if (dscale > s->scale)
		{
			s->scale = (int16_t) dscale;
			s->scale_rows = 0;
		}
		s->scale_rows++;
	}
}

/* Adds the finite v, keeping the display-scale bookkeeping. Inline: the hot path. */
static inline DecimalStep
decimal_sum_add(DecimalSum *s, const NumericView *v)
{
	kpi_int128	x;
	kpi_int128	sum;

	decimal_sum_note_added_scale(s, v->dscale);
	if ((v->dscale > s->held_scale &&
		 !decimal_sum_raise_held_scale(s, decimal_held_scale_for(v->dscale))) ||
		!numeric_view_scaled(v, s->held_scale, &x) ||
		__builtin_add_overflow(s->held, x, &sum))
	{
		/* The held part stays as it was; the whole value goes to the spill. */
		s->spilled = 1;
		return DECIMAL_SPILL;
	}
	s->held = sum;
	return DECIMAL_DONE;
}

/* Adds an integer (a count: display scale 0). */
DecimalStep decimal_sum_add_int64(DecimalSum *s, int64_t value);

/*
 * Adds value * 10^-decimal_held_scale_for(dscale), a value whose display
 * scale is dscale: a difference of two numerics, computed by the caller at
 * their common held scale.
 */
DecimalStep decimal_sum_add_scaled(DecimalSum *s, kpi_int128 value, int dscale);

/*
 * Only the bookkeeping of adding a value of display scale dscale, for a value
 * the caller cannot scale into 128 bits: it always goes to the spill.
 */
DecimalStep decimal_sum_add_spilled(DecimalSum *s, int dscale);

/*
 * Removes the finite v, which was added before. DECIMAL_RESTART: the last
 * value with the sum's display scale would leave, as in PostgreSQL's own
 * inverse transition for numeric; the window frame has to be recomputed.
 */
DecimalStep decimal_sum_remove(DecimalSum *s, const NumericView *v);
DecimalStep decimal_sum_remove_int64(DecimalSum *s, int64_t value);
DecimalStep decimal_sum_remove_scaled(DecimalSum *s, kpi_int128 value, int dscale);
DecimalStep decimal_sum_remove_spilled(DecimalSum *s, int dscale);

/*
 * Compares two finite values: -1, 0 or 1. Reads the digits as they are, so
 * trailing zero digits (which numeric never stores) would not change the
 * result.
 */
int			numeric_view_compare(const NumericView *a, const NumericView *b);

/*
 * Merges from into into. DECIMAL_SPILL: from's held part could not be folded
 * in; the caller adds it (decimal_format_held of from) to into's spill. The
 * caller also adds from's own spill to into's spill.
 */
DecimalStep decimal_sum_merge(DecimalSum *into, const DecimalSum *from);

/*
 * Undoes decimal_sum_merge(into, from): takes from, a sum merged into into
 * before, back out (rollup's inverse transition). DECIMAL_SPILL: from's held
 * part could not be taken out of into's held part; the caller subtracts it
 * from into's spill. The caller also subtracts from's own spill. As for a
 * removed value, DECIMAL_RESTART when the values that carry the display
 * scale would all leave (the remaining scale is unknown), and
 * DECIMAL_NOT_IN_SUM when from has values into cannot hold (a larger display
 * scale, or more values at it). On those two, into is unchanged.
 */
DecimalStep decimal_sum_subtract(DecimalSum *into, const DecimalSum *from);

/*
 * Writes value * 10^-value_scale in plain decimal with exactly scale digits
 * after the point (0 <= both <= DECIMAL_MAX_SCALE). Returns the length, or 0
 * if bufsize is too small or value has nonzero digits below 10^-scale;
 * DECIMAL_TEXT_MAX(scale) bytes always suffice.
 */
#define DECIMAL_TEXT_MAX(scale) ((size_t) (scale) + 44)
size_t		decimal_format(kpi_int128 value, int value_scale, int scale,
						   char *buf, size_t bufsize);

/*
 * Sets the held part to value * 10^-value_scale, at the held scale for
 * value_scale; false if it does not fit (the caller spills it instead).
 */
bool		decimal_sum_hold(DecimalSum *s, kpi_int128 value, int value_scale);

/*
 * Parses "[-]digits[.digits]" (at least one digit before the point, and at
 * least one after it when there is a point). *scale is the number of digits
 * after the point. *fits tells whether value * 10^scale fits in *value; when it
 * does not, the text is still valid and the caller reads it some other way.
 * Returns the number of bytes consumed, or 0 if text does not start with a
 * decimal or its scale exceeds DECIMAL_MAX_SCALE (then *scale says so).
 */
size_t		decimal_parse(const char *text, size_t len, kpi_int128 *value,
						  int *scale, bool *fits);

#endif
