/*
 * test_util.c: helpers shared by the unit tests.
 */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

DecodeStatus
parse_exact(const CountSummaryShape *shape, const char *text, size_t len,
			void *summary, DecodeError *error)
{
	char	   *copy = malloc(len);
	DecodeStatus status;

	/* malloc(0) may return NULL; the parser must not touch it then anyway. */
	if (len > 0)
		memcpy(copy, text, len);
	status = count_summary_parse_text(shape, copy, len, summary, error);
	free(copy);
	return status;
}

DecodeStatus
decode_exact(const CountSummaryShape *shape, const unsigned char *bytes,
			 size_t len, void *summary, DecodeError *error)
{
	unsigned char *copy = malloc(len);
	DecodeStatus status;

	if (len > 0)
		memcpy(copy, bytes, len);
	status = count_summary_decode_binary(shape, copy, len, summary, error);
	free(copy);
	return status;
}

bool
check_decode_error(const DecodeError *error, DecodeStatus status,
				   size_t position, int field, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_decode(error->status, status, "error.status", file, line);
	ok &= test_check_uint(error->position, position, "error.position",
						  "expected position", file, line);
	ok &= test_check_int(error->field, field, "error.field",
						 "expected field", file, line);
	return ok;
}

int64_t
prng_count(Prng *prng)
{
	unsigned	bits = (unsigned) prng_below(prng, 64);

	if (bits == 0)
		return 0;
	return (int64_t) (prng_next(prng) >> (64 - bits));
}

int64_t
prng_count_upto(Prng *prng, int64_t bound)
{
	/* bound + 1 fits in uint64 even when bound is INT64_MAX. */
	return (int64_t) prng_below(prng, (uint64_t) bound + 1);
}
