/*
 * test_util.h: helpers shared by the unit tests: exact-length decoding, a
 * DecodeError check, and a fixed-seed PRNG for the property tests.
 */
#ifndef B2BKPI_TEST_UTIL_H
#define B2BKPI_TEST_UTIL_H

#include "harness.h"

#include "core/count_summary.h"

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
