/*
 * fuzz_util.h: what every fuzz target shares: a loud failure, heap copies of
 * exactly the input's size (so that AddressSanitizer reports any read past
 * it), and the checks that a DecodeError describes its outcome sensibly.
 * A target defines FUZZ_TARGET, its name for messages, before including it.
 */
#ifndef B2BKPI_FUZZ_UTIL_H
#define B2BKPI_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/summary_text.h"

static inline void
fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", FUZZ_TARGET, what);
	abort();
}

static inline void *
xmalloc(size_t size)
{
	void	   *p = malloc(size > 0 ? size : 1);

	if (p == NULL)
		fail("out of memory");
	return p;
}

static inline void *
exact_copy(const void *bytes, size_t len)
{
	void	   *copy = xmalloc(len);

	if (len > 0)
		memcpy(copy, bytes, len);
	return copy;
}

/* Whatever the outcome, the error record must describe it. */
static inline void
check_decode_error(DecodeStatus status, const DecodeError *error, size_t len, int nfields)
{
	if (error->status != status)
		fail("error.status differs from the returned status");
	if (error->position > len)
		fail("error.position is past the input");
	if (error->field < -1 || error->field >= nfields)
		fail("error.field is not a field");
	if (status == DECODE_VERSION && error->version == SUMMARY_TEXT_VERSION)
		fail("version error for the current version");
	if (status == DECODE_INVARIANT && error->invariant == KPI_OK)
		fail("invariant error without an invariant");
}

/*
 * One kind of input of a target that reads several: the bytes after the
 * selector byte, and the selector itself (its bit 3 is free for the kind).
 */
typedef void (*FuzzInput) (const unsigned char *payload, size_t len, unsigned selector);

/*
 * Byte 0 picks the kind, (byte & 7) modulo the number of kinds; the rest,
 * copied to exactly its size on the heap so that any read past it is
 * reported, is that kind's input.
 */
static inline int
fuzz_dispatch(const uint8_t *data, size_t size, const FuzzInput *kinds, unsigned nkinds)
{
	unsigned char *payload;

	if (size < 1)
		return 0;
	payload = (unsigned char *) exact_copy(data + 1, size - 1);
	kinds[(data[0] & 7) % nkinds] (payload, size - 1, data[0]);
	free(payload);
	return 0;
}

#endif
