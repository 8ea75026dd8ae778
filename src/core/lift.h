/*
 * lift.h: engagement_lift (kpi-spec section 5), the pairs behind its quartiles.
 *
 * engagement_lift(engagement, outcome) is the mean outcome of the top
 * engagement quartile over the mean outcome of the bottom quartile, minus 1.
 * Quartiles follow ntile(4) OVER (ORDER BY engagement, outcome): the n rows
 * of a group in that order are numbered 1..n, the first n mod 4 quartiles
 * get floor(n/4) + 1 rows and the others floor(n/4). So the bottom quartile
 * is the first floor(n/4) + (n mod 4 >= 1) rows and the top the last
 * floor(n/4). Rows tied on both columns are interchangeable (their outcomes
 * are equal), so which of them falls on a quartile's side of a boundary
 * never changes a sum: the result depends on the multiset of pairs only.
 * Fewer than 4 rows, or a bottom mean of exactly 0, has no result.
 *
 * The state keeps every pair, 16 bytes each, in the order the rows came, so
 * that a sliding window frame can drop its oldest rows from the front. The
 * live pairs are pairs[head .. head + count) of an array with room for
 * `room`; the PostgreSQL layer owns the memory and grows it, the core only
 * moves pairs within it.
 *
 * The two means are exact sums of the outcomes, rounded once, divided by
 * the row counts: the result is the same bits whatever the order of the rows.
 */
#ifndef B2BKPI_LIFT_H
#define B2BKPI_LIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "count_summary.h"
#include "kpi_status.h"

typedef struct LiftPair
{
	double		engagement;
	double		outcome;
} LiftPair;

typedef struct LiftPairs
{
	LiftPair   *pairs;			/* room entries */
	int64_t		head;			/* the first live pair */
	int64_t		count;			/* live pairs */
	int64_t		room;
} LiftPairs;

/*
 * Most pairs one state holds: a varlena is at most 1 GB (2^30 - 1 bytes),
 * and a state is a 24-byte header and 16 bytes per pair: 67,108,862.
 */
#define LIFT_HEADER_BYTES 24
#define LIFT_MAX_PAIRS ((INT64_C(0x3FFFFFFF) - LIFT_HEADER_BYTES) / (int64_t) sizeof(LiftPair))

/* Below this room a state doubles; from it on, it grows by a quarter. */
#define LIFT_DOUBLING_LIMIT 1024

/* Both values finite: the only pairs a state may hold. */
bool		lift_pair_finite(double engagement, double outcome);

/* ---------- the state ---------- */

/*
 * Whether `more` pairs fit after the live ones. When they do not fit at the
 * end but would once the dropped pairs before head are reclaimed, and those
 * are at least a quarter of the live ones (so that moving the live ones
 * costs at most 4 moves per removal that freed the room, while a sliding
 * frame's state stays within 1.25 times the frame plus the growth slack),
 * moves them to the front and returns true.
 */
bool		lift_make_room(LiftPairs *p, int64_t more);

/*
 * The room to grow to so that `needed` pairs fit: twice the room at least
 * while it is below LIFT_DOUBLING_LIMIT, rounded so that header_bytes plus
 * the pairs fill a power of two (the allocator rounds small chunks up to one
 * anyway); from the limit on, a quarter more, so that spare room stays under
 * a fifth of a large state while the copies still cost a constant per row.
 * Never more than LIFT_MAX_PAIRS; 0 if needed is more than that.
 */
int64_t		lift_grown_room(int64_t room, int64_t needed, size_t header_bytes);

/* Moves the live pairs to the front of the array (head becomes 0). */
void		lift_compact(LiftPairs *p);

/* Appends one pair; the room must be there (lift_make_room). */
void		lift_append(LiftPairs *p, double engagement, double outcome);

/* Appends n pairs (a merge: concatenation); the room must be there. */
void		lift_append_all(LiftPairs *p, const LiftPair *pairs, int64_t n);

/*
 * Removes the pair at the head if it is bitwise equal to the given one (a
 * window frame drops rows in the order it added them) and returns true;
 * otherwise leaves the state as it is and returns false, and the caller
 * has the frame recomputed.
 */
bool		lift_remove_front(LiftPairs *p, double engagement, double outcome);

/* ---------- the result ---------- */

/* Rows of the bottom quartile (ntile 1) and of the top quartile (ntile 4). */
static inline int64_t
lift_bottom_rows(int64_t n)
{
	return n / 4 + (n % 4 >= 1 ? 1 : 0);
}

static inline int64_t
lift_top_rows(int64_t n)
{
	return n / 4;
}

/* (engagement, outcome) order: negative, zero or positive. */
int			lift_pair_compare(const LiftPair *a, const LiftPair *b);

/*
 * Rearranges pairs[0..n) so that pairs[0..k) are k pairs that come first in
 * (engagement, outcome) order: every one of them is <= every pair of
 * pairs[k..n). An introselect: expected O(n), and O(n log n) at worst (a
 * heapsort takes over when partitioning goes badly). No allocation.
 */
void		lift_select(LiftPair *pairs, int64_t n, int64_t k);

/* Sorts pairs[0..n) in (engagement, outcome) order: a heapsort, select's fallback. */
void		lift_sort(LiftPair *pairs, int64_t n);

/*
 * An exact sum of doubles: a 2240-bit two's complement fixed-point number
 * whose unit is 2^-1074, the smallest double, with 2^100 to spare above the
 * largest double, so no sum of finite doubles this state can hold is lost
 * or overflows on the way.
 */
#define LIFT_SUM_LIMBS 35
typedef struct LiftExactSum
{
	uint64_t	limb[LIFT_SUM_LIMBS];	/* little-endian */
} LiftExactSum;

void		lift_sum_init(LiftExactSum *s);
void		lift_sum_add(LiftExactSum *s, double x);	/* x finite */

/* The sum rounded once, half to even; +-infinity beyond the double range. */
double		lift_sum_value(const LiftExactSum *s);

/*
 * The lift of n pairs, which it rearranges (lift_select). KPI_OK with
 * *defined false when n < 4 or the bottom mean is 0; KPI_OVERFLOW when a
 * mean or their ratio is beyond the double range; KPI_INCONSISTENT when a
 * pair is not finite (a damaged state), checked before any comparison.
 */
KpiStatus	lift_value(LiftPair *pairs, int64_t n, double *lift, bool *defined);

/* ---------- text form ---------- */

/*
 * "v1 rows=3 pairs=12.5:30,40:21,7:45", each pair engagement:outcome in
 * the shortest of %.15g, %.16g and %.17g that reads back (strtod) as the
 * same bits; "v1 rows=0 pairs=none" for no pairs. Only the live pairs are
 * written, in their order.
 */

/* Longest text of one pair: two 24-character numbers, ':' and ','. */
#define LIFT_TEXT_PAIR_MAX 50
#define LIFT_TEXT_FIXED_MAX 48

/* A buffer size that always holds the text of n pairs, NUL included. */
size_t		lift_text_max(int64_t n);

/* Writes one pair "engagement:outcome" (no NUL) into buf; returns its length. */
size_t		lift_format_pair(const LiftPair *pair, char buf[LIFT_TEXT_PAIR_MAX]);

/* Writes the text (NUL-terminated); returns its length, or 0 if it does not fit. */
size_t		lift_format_text(const LiftPair *pairs, int64_t n, char *buf, size_t bufsize);

/*
 * Reads the version and rows=N (a first pass, for the caller's allocation):
 * DECODE_SYNTAX, DECODE_VERSION, or DECODE_OUT_OF_RANGE (N past
 * LIFT_MAX_PAIRS). *capacity is N, or fewer when the text is too short to
 * spell N pairs (each takes at least 4 characters), so that a false N never
 * makes the caller allocate more than 4 bytes per character of text.
 */
DecodeStatus lift_parse_text_rows(const char *text, size_t len, int64_t *rows,
								  int64_t *capacity, DecodeError *error);

/*
 * Reads the whole text into pairs (room for capacity, from
 * lift_parse_text_rows). DECODE_SYNTAX for a malformed number or list,
 * DECODE_OUT_OF_RANGE for a number beyond the double range,
 * DECODE_INVARIANT when the list does not hold exactly rows pairs (a
 * malformed pair is reported first). error->field is 0 for rows, 1 for pairs.
 */
DecodeStatus lift_parse_text(const char *text, size_t len, LiftPair *pairs,
							 int64_t rows, int64_t capacity, DecodeError *error);

/* ---------- binary form ---------- */

/*
 * A version byte, the pair count as a big-endian int64, then each pair's
 * engagement and outcome as big-endian IEEE 754 doubles.
 */
#define LIFT_BINARY_HEADER 9
#define LIFT_BINARY_PAIR 16

static inline size_t
lift_binary_size(int64_t n)
{
	return LIFT_BINARY_HEADER + (size_t) n * LIFT_BINARY_PAIR;
}

void		lift_encode_binary(const LiftPair *pairs, int64_t n, unsigned char *out);

/*
 * Reads the version and count, and checks that len is exactly that many
 * pairs: DECODE_LENGTH, DECODE_VERSION, or DECODE_OUT_OF_RANGE for a
 * negative count or one past LIFT_MAX_PAIRS.
 */
DecodeStatus lift_decode_binary_count(const unsigned char *bytes, size_t len,
									  int64_t *n, DecodeError *error);

/* Then the pairs (room for n): DECODE_INVARIANT for a value that is not finite. */
DecodeStatus lift_decode_binary(const unsigned char *bytes, size_t len,
								LiftPair *pairs, int64_t n, DecodeError *error);

#endif
