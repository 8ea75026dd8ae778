/*
 * lift.c: engagement_lift's pairs: the state, the quartile result, and the
 * text and binary forms. See lift.h for the semantics.
 */
#include "lift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_text.h"

bool
lift_pair_finite(double engagement, double outcome)
{
	return isfinite(engagement) && isfinite(outcome);
}

/* ---------- the state ---------- */

bool
lift_make_room(LiftPairs *p, int64_t more)
{
	if (more <= p->room - p->head - p->count)
		return true;
	if (p->head > 0 && p->head >= p->count / 4 && more <= p->room - p->count)
	{
		lift_compact(p);
		return true;
	}
	return false;
}

int64_t
lift_grown_room(int64_t room, int64_t needed, size_t header_bytes)
{
	int64_t		grown;

	if (needed > LIFT_MAX_PAIRS)
		return 0;
	if (room < LIFT_DOUBLING_LIMIT)
	{
		int64_t		want = needed > 2 * room ? needed : 2 * room;
		size_t		bytes = header_bytes + (size_t) (want > 0 ? want : 1) * sizeof(LiftPair);
		size_t		chunk = 64;

		while (chunk < bytes)
			chunk *= 2;
		grown = (int64_t) ((chunk - header_bytes) / sizeof(LiftPair));
	}
	else
		grown = room + room / 4;
	if (grown < needed)
		grown = needed;
	return grown < LIFT_MAX_PAIRS ? grown : LIFT_MAX_PAIRS;
}

void
lift_compact(LiftPairs *p)
{
	if (p->head == 0)
		return;
	memmove(p->pairs, p->pairs + p->head, (size_t) p->count * sizeof(LiftPair));
	p->head = 0;
}

void
lift_append(LiftPairs *p, double engagement, double outcome)
{
	LiftPair   *slot = &p->pairs[p->head + p->count];

	slot->engagement = engagement;
	slot->outcome = outcome;
	p->count++;
}

void
lift_append_all(LiftPairs *p, const LiftPair *pairs, int64_t n)
{
	if (n == 0)
		return;
	memcpy(p->pairs + p->head + p->count, pairs, (size_t) n * sizeof(LiftPair));
	p->count += n;
}

bool
lift_remove_front(LiftPairs *p, double engagement, double outcome)
{
	LiftPair	row = {engagement, outcome};

	/* Bitwise: -0 and 0 are different rows here, as the frame added them. */
	if (p->count == 0 || memcmp(&p->pairs[p->head], &row, sizeof(row)) != 0)
		return false;
	p->count--;
	p->head = p->count == 0 ? 0 : p->head + 1;
	return true;
}

/* ---------- selection ---------- */

int
lift_pair_compare(const LiftPair *a, const LiftPair *b)
{
	if (a->engagement != b->engagement)
		return a->engagement < b->engagement ? -1 : 1;
	if (a->outcome != b->outcome)
		return a->outcome < b->outcome ? -1 : 1;
	return 0;
}

static inline void
swap_pairs(LiftPair *a, LiftPair *b)
{
	LiftPair	t = *a;

	*a = *b;
	*b = t;
}

static void
insertion_sort(LiftPair *a, int64_t n)
{
	for (int64_t i = 1; i < n; i++)
	{
		LiftPair	x = a[i];
		int64_t		j = i;

		while (j > 0 && lift_pair_compare(&a[j - 1], &x) > 0)
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

static void
sift_down(LiftPair *a, int64_t root, int64_t n)
{
	for (;;)
	{
		int64_t		child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && lift_pair_compare(&a[child], &a[child + 1]) < 0)
			child++;
		if (lift_pair_compare(&a[root], &a[child]) >= 0)
			return;
		swap_pairs(&a[root], &a[child]);
		root = child;
	}
}

void
lift_sort(LiftPair *a, int64_t n)
{
	for (int64_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (int64_t end = n - 1; end > 0; end--)
	{
		swap_pairs(&a[0], &a[end]);
		sift_down(a, 0, end);
	}
}

static const LiftPair *
median_of_three(const LiftPair *a, const LiftPair *b, const LiftPair *c)
{
	if (lift_pair_compare(a, b) < 0)
	{
		if (lift_pair_compare(b, c) < 0)
			return b;
		return lift_pair_compare(a, c) < 0 ? c : a;
	}
	if (lift_pair_compare(a, c) < 0)
		return a;
	return lift_pair_compare(b, c) < 0 ? c : b;
}

void
lift_select(LiftPair *pairs, int64_t n, int64_t k)
{
	int64_t		lo = 0;
	int64_t		hi = n;
	int			budget = 2;

	if (k <= 0 || k >= n)
		return;
	for (int64_t m = n; m > 1; m /= 2)
		budget += 2;

	/* Invariant: pairs[0..lo) <= pairs[lo..hi) <= pairs[hi..n), lo <= k <= hi. */
	while (hi - lo > 16)
	{
		LiftPair	pivot;
		int64_t		lt = lo;
		int64_t		i = lo;
		int64_t		gt = hi;

		if (budget-- == 0)
		{
			lift_sort(pairs + lo, hi - lo);
			return;
		}
		pivot = *median_of_three(&pairs[lo], &pairs[lo + (hi - lo) / 2], &pairs[hi - 1]);

		/* Three ways, so that a run of ties is settled in one pass. */
		while (i < gt)
		{
			int			c = lift_pair_compare(&pairs[i], &pivot);

			if (c < 0)
				swap_pairs(&pairs[lt++], &pairs[i++]);
			else if (c > 0)
				swap_pairs(&pairs[i], &pairs[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k > gt)
			lo = gt;
		else
			return;				/* the boundary is at or inside the run equal to the pivot */
	}
	insertion_sort(pairs + lo, hi - lo);
}

/* ---------- exact sums ---------- */

void
lift_sum_init(LiftExactSum *s)
{
	memset(s, 0, sizeof(*s));
}

void
lift_sum_add(LiftExactSum *s, double x)
{
	uint64_t	bits;
	unsigned	exponent;
	uint64_t	mantissa;
	unsigned	position;
	unsigned	w;
	unsigned	b;
	uint64_t	lo;
	uint64_t	hi;
	uint64_t	carry;

	memcpy(&bits, &x, sizeof(bits));
	exponent = (unsigned) (bits >> 52) & 0x7ff;
	mantissa = bits & ((UINT64_C(1) << 52) - 1);
	if (exponent == 0)
	{
		if (mantissa == 0)
			return;
		position = 0;			/* subnormal: mantissa * 2^-1074 */
	}
	else
	{
		mantissa |= UINT64_C(1) << 52;
		position = exponent - 1;	/* mantissa * 2^(exponent - 1075) */
	}
	w = position / 64;
	b = position % 64;
	lo = mantissa << b;
	hi = b == 0 ? 0 : mantissa >> (64 - b);

	if (!(bits >> 63))
	{
		uint64_t	t = s->limb[w] + lo;

		carry = t < lo;
		s->limb[w] = t;
		t = s->limb[w + 1] + hi;
		{
			uint64_t	c = t < hi;

			t += carry;
			carry = c | (t < carry);
		}
		s->limb[w + 1] = t;
		for (unsigned i = w + 2; carry && i < LIFT_SUM_LIMBS; i++)
			carry = ++s->limb[i] == 0;
	}
	else
	{
		uint64_t	old = s->limb[w];
		uint64_t	borrow = old < lo;

		s->limb[w] = old - lo;
		old = s->limb[w + 1];
		{
			uint64_t	t = old - hi;
			uint64_t	c = old < hi;

			c |= t < borrow;
			t -= borrow;
			borrow = c;
			s->limb[w + 1] = t;
		}
		for (unsigned i = w + 2; borrow && i < LIFT_SUM_LIMBS; i++)
			borrow = s->limb[i]-- == 0;
	}
}

/* 53 bits of v from bit `from` on (bits past the top read as 0). */
static uint64_t
bits_at(const uint64_t *v, unsigned from)
{
	unsigned	w = from / 64;
	unsigned	b = from % 64;
	uint64_t	out = v[w] >> b;

	if (b != 0 && w + 1 < LIFT_SUM_LIMBS)
		out |= v[w + 1] << (64 - b);
	return out & ((UINT64_C(1) << 53) - 1);
}

static bool
bit_at(const uint64_t *v, unsigned i)
{
	return (v[i / 64] >> (i % 64)) & 1;
}

/* Whether any bit below `below` is set. */
static bool
any_below(const uint64_t *v, unsigned below)
{
	unsigned	w = below / 64;

	for (unsigned i = 0; i < w; i++)
		if (v[i] != 0)
			return true;
	return below % 64 != 0 && (v[w] & ((UINT64_C(1) << (below % 64)) - 1)) != 0;
}

double
lift_sum_value(const LiftExactSum *s)
{
	uint64_t	mag[LIFT_SUM_LIMBS];
	bool		negative = (s->limb[LIFT_SUM_LIMBS - 1] >> 63) != 0;
	int			top = -1;
	unsigned	top_bit;
	double		value;

	memcpy(mag, s->limb, sizeof(mag));
	if (negative)
	{
		uint64_t	carry = 1;

		for (int i = 0; i < LIFT_SUM_LIMBS; i++)
		{
			mag[i] = ~mag[i] + carry;
			carry = carry && mag[i] == 0;
		}
	}
	for (int i = LIFT_SUM_LIMBS - 1; i >= 0; i--)
		if (mag[i] != 0)
		{
			top = i;
			break;
		}
	if (top < 0)
		return 0.0;
	top_bit = (unsigned) top * 64 + 63 - (unsigned) __builtin_clzll(mag[top]);
	if (top_bit <= 52)
		value = ldexp((double) mag[0], -1074);	/* exact: at most 53 bits */
	else
	{
		unsigned	shift = top_bit - 52;
		uint64_t	mantissa = bits_at(mag, shift);

		/* Round half to even on the bits below the 53 kept. */
		if (bit_at(mag, shift - 1) && ((mantissa & 1) || any_below(mag, shift - 1)))
		{
			mantissa++;
			if (mantissa == UINT64_C(1) << 53)
			{
				mantissa >>= 1;
				shift++;
			}
		}
		value = ldexp((double) mantissa, (int) shift - 1074);
	}
	return negative ? -value : value;
}

/* ---------- the result ---------- */

static double
outcome_sum(const LiftPair *pairs, int64_t n)
{
	LiftExactSum sum;

	lift_sum_init(&sum);
	for (int64_t i = 0; i < n; i++)
		lift_sum_add(&sum, pairs[i].outcome);
	return lift_sum_value(&sum);
}

KpiStatus
lift_value(LiftPair *pairs, int64_t n, double *lift, bool *defined)
{
	int64_t		bottom = lift_bottom_rows(n);
	int64_t		top = lift_top_rows(n);
	double		bottom_mean;
	double		top_mean;
	double		ratio;

	*defined = false;
	*lift = 0.0;
	/* Before any comparison: a NaN would make the order meaningless. */
	for (int64_t i = 0; i < n; i++)
		if (!lift_pair_finite(pairs[i].engagement, pairs[i].outcome))
			return KPI_INCONSISTENT;
	if (n < 4)
		return KPI_OK;

	lift_select(pairs, n, bottom);
	lift_select(pairs + bottom, n - bottom, n - bottom - top);

	bottom_mean = outcome_sum(pairs, bottom);
	top_mean = outcome_sum(pairs + n - top, top);
	if (!isfinite(bottom_mean) || !isfinite(top_mean))
		return KPI_OVERFLOW;
	bottom_mean /= (double) bottom;
	top_mean /= (double) top;
	if (bottom_mean == 0.0)
		return KPI_OK;
	ratio = top_mean / bottom_mean;
	if (!isfinite(ratio))
		return KPI_OVERFLOW;
	*lift = ratio - 1.0;
	*defined = true;
	return KPI_OK;
}

/* ---------- text form ---------- */

/* A well-formed value whose parts contradict each other (a count, a NaN). */
static DecodeStatus
invariant_fail(DecodeError *error, size_t position, int field)
{
	error->invariant = KPI_INCONSISTENT;
	return decode_fail(error, DECODE_INVARIANT, position, field);
}

static const TextField lift_text_fields[] = {
	{"rows", TEXT_FIELD_COUNT},
	{"pairs", TEXT_FIELD_WORD},
};

#define LIFT_NFIELDS 2

/* The shortest of %.15g, %.16g, %.17g that reads back as the same bits. */
static int
format_double(double x, char *buf, size_t bufsize)
{
	int			len = 0;

	for (int precision = 15; precision <= 17; precision++)
	{
		double		back;

		len = snprintf(buf, bufsize, "%.*g", precision, x);
		back = strtod(buf, NULL);
		if (memcmp(&back, &x, sizeof(x)) == 0)
			break;
	}
	return len;
}

size_t
lift_text_max(int64_t n)
{
	return LIFT_TEXT_FIXED_MAX + (size_t) n * LIFT_TEXT_PAIR_MAX + 1;
}

size_t
lift_format_pair(const LiftPair *pair, char buf[LIFT_TEXT_PAIR_MAX])
{
	int			len = format_double(pair->engagement, buf, 25);

	buf[len++] = ':';
	len += format_double(pair->outcome, buf + len, 25);
	return (size_t) len;
}

size_t
lift_format_text(const LiftPair *pairs, int64_t n, char *buf, size_t bufsize)
{
	size_t		len;
	int			w;

	w = snprintf(buf, bufsize, "v%d rows=%lld pairs=%s", SUMMARY_TEXT_VERSION,
				 (long long) n, n == 0 ? "none" : "");
	if (w < 0 || (size_t) w >= bufsize)
		return 0;
	len = (size_t) w;
	for (int64_t i = 0; i < n; i++)
	{
		char		pair[LIFT_TEXT_PAIR_MAX];
		size_t		plen = lift_format_pair(&pairs[i], pair);

		if (bufsize - len <= (i > 0) + plen)
			return 0;
		if (i > 0)
			buf[len++] = ',';
		memcpy(buf + len, pair, plen);
		len += plen;
	}
	buf[len] = '\0';
	return len;
}

DecodeStatus
lift_parse_text_rows(const char *text, size_t len, int64_t *rows, int64_t *capacity,
					 DecodeError *error)
{
	TextFieldValue values[LIFT_NFIELDS];
	DecodeStatus status = summary_text_scan(text, len, lift_text_fields, LIFT_NFIELDS,
											values, error);
	/* "0:0" and a comma: a pair takes at least 4 characters. */
	uint64_t	spelled;

	*rows = 0;
	*capacity = 0;
	if (status != DECODE_OK)
		return status;
	if (values[0].count > LIFT_MAX_PAIRS)
		return decode_fail(error, DECODE_OUT_OF_RANGE, 0, 0);
	spelled = (values[1].text_len + 1) / 4;
	*rows = values[0].count;
	*capacity = (uint64_t) *rows < spelled ? *rows : (int64_t) spelled;
	return DECODE_OK;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A number "[-]digits[.digits][e[+-]digits]" at s[pos..end): returns the
 * position after it, or 0 with error filled in.
 */
static size_t
parse_number(const char *s, size_t pos, size_t end, double *out, DecodeError *error)
{
	size_t		start = pos;
	size_t		mark;
	char		copy[SUMMARY_FLOAT_TEXT_MAX + 1];

	if (pos < end && s[pos] == '-')
		pos++;
	mark = pos;
	while (pos < end && is_digit(s[pos]))
		pos++;
	if (pos == mark)
		goto syntax;
	if (pos < end && s[pos] == '.')
	{
		mark = ++pos;
		while (pos < end && is_digit(s[pos]))
			pos++;
		if (pos == mark)
			goto syntax;
	}
	if (pos < end && (s[pos] == 'e' || s[pos] == 'E'))
	{
		pos++;
		if (pos < end && (s[pos] == '+' || s[pos] == '-'))
			pos++;
		mark = pos;
		while (pos < end && is_digit(s[pos]))
			pos++;
		if (pos == mark)
			goto syntax;
	}
	if (pos - start > SUMMARY_FLOAT_TEXT_MAX)
	{
		decode_fail(error, DECODE_OUT_OF_RANGE, start, 1);
		return 0;
	}
	memcpy(copy, s + start, pos - start);
	copy[pos - start] = '\0';
	*out = strtod(copy, NULL);
	if (!isfinite(*out))
	{
		decode_fail(error, DECODE_OUT_OF_RANGE, start, 1);
		return 0;
	}
	return pos;

syntax:
	decode_fail(error, DECODE_SYNTAX, pos, 1);
	return 0;
}

DecodeStatus
lift_parse_text(const char *text, size_t len, LiftPair *pairs, int64_t rows,
				int64_t capacity, DecodeError *error)
{
	TextFieldValue values[LIFT_NFIELDS];
	DecodeStatus status = summary_text_scan(text, len, lift_text_fields, LIFT_NFIELDS,
											values, error);
	size_t		pos;
	size_t		end;
	int64_t		n = 0;

	if (status != DECODE_OK)
		return status;
	pos = values[1].text_offset;
	end = pos + values[1].text_len;
	if (values[0].count != rows)
		return invariant_fail(error, 0, 0);
	if (end - pos == 4 && memcmp(text + pos, "none", 4) == 0)
		return rows == 0 ? DECODE_OK : invariant_fail(error, pos, 1);

	for (;;)
	{
		double		engagement;
		double		outcome;

		size_t		start = pos;

		pos = parse_number(text, pos, end, &engagement, error);
		if (pos == 0)
			return error->status;
		if (pos >= end || text[pos] != ':')
			return decode_fail(error, DECODE_SYNTAX, pos, 1);
		pos = parse_number(text, pos + 1, end, &outcome, error);
		if (pos == 0)
			return error->status;
		/* More pairs than rows (the only way past capacity when rows is right). */
		if (n == capacity)
			return invariant_fail(error, start, 1);
		pairs[n].engagement = engagement;
		pairs[n].outcome = outcome;
		n++;
		if (pos == end)
			break;
		if (text[pos] != ',')
			return decode_fail(error, DECODE_SYNTAX, pos, 1);
		pos++;
	}
	if (n != rows)
		return invariant_fail(error, pos, 1);
	error->position = len;
	return DECODE_OK;
}

/* ---------- binary form ---------- */

static uint64_t
double_bits(double x)
{
	uint64_t	bits;

	memcpy(&bits, &x, sizeof(bits));
	return bits;
}

static double
bits_double(uint64_t bits)
{
	double		x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

void
lift_encode_binary(const LiftPair *pairs, int64_t n, unsigned char *out)
{
	out[0] = SUMMARY_TEXT_VERSION;
	summary_put_be64(out + 1, (uint64_t) n);
	out += LIFT_BINARY_HEADER;
	for (int64_t i = 0; i < n; i++, out += LIFT_BINARY_PAIR)
	{
		summary_put_be64(out, double_bits(pairs[i].engagement));
		summary_put_be64(out + 8, double_bits(pairs[i].outcome));
	}
}

DecodeStatus
lift_decode_binary_count(const unsigned char *bytes, size_t len, int64_t *n,
						 DecodeError *error)
{
	uint64_t	count;

	decode_error_reset(error);
	*n = 0;
	if (len < 1)
		return decode_fail(error, DECODE_LENGTH, 0, -1);
	if (bytes[0] != SUMMARY_TEXT_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	if (len < LIFT_BINARY_HEADER)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	count = summary_get_be64(bytes + 1);
	if (count > (uint64_t) LIFT_MAX_PAIRS)
		return decode_fail(error, DECODE_OUT_OF_RANGE, 1, 0);
	if ((len - LIFT_BINARY_HEADER) % LIFT_BINARY_PAIR != 0 ||
		(len - LIFT_BINARY_HEADER) / LIFT_BINARY_PAIR != count)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	*n = (int64_t) count;
	return DECODE_OK;
}

DecodeStatus
lift_decode_binary(const unsigned char *bytes, size_t len, LiftPair *pairs, int64_t n,
				   DecodeError *error)
{
	int64_t		count;
	DecodeStatus status = lift_decode_binary_count(bytes, len, &count, error);

	if (status != DECODE_OK)
		return status;
	if (count != n)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	for (int64_t i = 0; i < n; i++)
	{
		const unsigned char *at = bytes + LIFT_BINARY_HEADER + (size_t) i * LIFT_BINARY_PAIR;

		pairs[i].engagement = bits_double(summary_get_be64(at));
		pairs[i].outcome = bits_double(summary_get_be64(at + 8));
		if (!lift_pair_finite(pairs[i].engagement, pairs[i].outcome))
			return invariant_fail(error, (size_t) (at - bytes), 1);
	}
	return DECODE_OK;
}
