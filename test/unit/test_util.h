/*
 * test_util.h: helpers shared by the unit tests: exact-length decoding, a
 * DecodeError check, a fixed-seed PRNG for the property tests, and a
 * test-only encoder of PostgreSQL's numeric on-disk format.
 */
#ifndef B2BKPI_TEST_UTIL_H
#define B2BKPI_TEST_UTIL_H

#include "harness.h"

#include "core/count_summary.h"
#include "core/decimal.h"
#include "core/summary_text.h"

/*
 * Decode from a malloc'ed copy of exactly len bytes, with no terminating NUL,
 * so AddressSanitizer reports any read past len.
 */
DecodeStatus parse_exact(const CountSummaryShape *shape, const char *text,
						 size_t len, void *summary, DecodeError *error);
DecodeStatus decode_exact(const CountSummaryShape *shape,
						  const unsigned char *bytes, size_t len,
						  void *summary, DecodeError *error);

/* A string literal with its length, so embedded NULs count. */
#define PARSE_LITERAL(shape, literal, summary, error) \
	parse_exact((shape), (literal), sizeof(literal) - 1, (summary), (error))

/* Checks status, position and field of a DecodeError in one line. */
bool		check_decode_error(const DecodeError *error, DecodeStatus status,
							   size_t position, int field,
							   const char *file, int line);
#define CHECK_DECODE_ERROR(error, status, position, field) \
	check_decode_error((error), (status), (position), (field), __FILE__, __LINE__)

/* A malloc'ed copy of exactly len bytes (never NULL), for over-read tests. */
unsigned char *exact_copy(const void *bytes, size_t len);

/* summary_text_scan() on an exact-length copy of text. */
DecodeStatus scan_exact(const char *text, size_t len, const TextField *fields,
						int nfields, TextFieldValue *values, DecodeError *error);
#define SCAN_LITERAL(literal, fields, nfields, values, error) \
	scan_exact((literal), sizeof(literal) - 1, (fields), (nfields), (values), (error))

/*
 * Test-only encoder of PostgreSQL's numeric on-disk bytes (after the varlena
 * header), written from the format's description rather than from decimal.c:
 * text is "[-]digits[.digits]", its display scale the number of digits after
 * the point. Base-10000 digits are aligned on the decimal point, leading and
 * trailing zero digits are stripped, zero is positive with weight 0, and the
 * short form is used when PostgreSQL would (dscale <= 63, -64 <= weight <= 63).
 * Returns the length, or 0 for malformed text or a too small buffer.
 */
size_t		numeric_encode(const char *text, unsigned char *out, size_t outsize);

/* Room for a numeric of about 2000 decimal digits. */
#define TEST_NUMERIC_MAX 1032

/*
 * A numeric value for the DecimalSum tests: its bytes and the view decoded
 * from them. The view points into bytes, so never copy a TestNumeric.
 */
typedef struct TestNumeric
{
	unsigned char bytes[TEST_NUMERIC_MAX];
	size_t		len;
	NumericView view;
} TestNumeric;

/* Encodes and decodes text into n; a failure is reported as a failed check. */
const NumericView *test_numeric(TestNumeric *n, const char *text,
								const char *file, int line);
#define NUMERIC(n, text) test_numeric((n), (text), __FILE__, __LINE__)

/*
 * Checks that a sum's held part, held * 10^-held_scale, equals the decimal
 * expected spells, whatever held scale the core chose: both are written out
 * at the larger of the two scales and compared as text.
 */
bool		check_held_value(const DecimalSum *s, const char *expected,
							 const char *file, int line);
#define CHECK_HELD_VALUE(s, expected) \
	check_held_value(&(s), (expected), __FILE__, __LINE__)

/* The 128-bit integer a plain "[-]digits" string spells (which must fit). */
__int128	int128_from_text(const char *text);

#define TEST_INT128_MAX ((__int128) (((unsigned __int128) 1 << 127) - 1))
#define TEST_INT128_MIN (-TEST_INT128_MAX - 1)

/* splitmix64: tiny, fast and good enough to drive property tests. */
typedef struct Prng
{
	uint64_t	state;
} Prng;

static inline uint64_t
prng_next(Prng *prng)
{
	uint64_t	z;

	prng->state += UINT64_C(0x9e3779b97f4a7c15);
	z = prng->state;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform enough in [0, bound); bound > 0.  Modulo bias is irrelevant here. */
static inline uint64_t
prng_below(Prng *prng, uint64_t bound)
{
	return prng_next(prng) % bound;
}

/* A count in [0, INT64_MAX] whose bit length is uniform, so every digit count occurs. */
int64_t		prng_count(Prng *prng);

/* A count in [0, bound], bound >= 0. */
int64_t		prng_count_upto(Prng *prng, int64_t bound);

#endif
