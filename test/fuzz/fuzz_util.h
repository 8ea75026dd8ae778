/*
 * fuzz_util.h: what every fuzz target shares: a loud failure, heap copies of
 * exactly the input's size (so that AddressSanitizer reports any read past
 * it), and the checks that a DecodeError describes its outcome sensibly.
 * A target defines FUZZ_TARGET, its name for messages, before including it.
 */
#ifndef B2BKPI_FUZZ_UTIL_H
#define B2BKPI_FUZZ_UTIL_H

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

#endif
