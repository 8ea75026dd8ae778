/*
 * fuzz_summary_decode.c: libFuzzer target for the count-summary decoders.
 *
 * Input: one selector byte, then the payload.
 *   selector bit 0: 0 = rate_summary, 1 = nps_summary
 *   selector bit 1: 0 = text, 1 = binary
 * The other bits are ignored, so ASCII '0'..'3' select rate/text, nps/text,
 * rate/binary and nps/binary, which keeps text seeds readable.
 *
 * A decoded value must satisfy its shape's invariant, and must survive a text
 * and a binary round trip unchanged; anything else is reported with abort().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TARGET "fuzz_summary_decode"
#include "fuzz_util.h"

#include "core/count_summary.h"
#include "core/nps.h"
#include "core/rate.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t
field_of(const CountSummaryShape *shape, const void *summary, int i)
{
	int64_t		v;

	memcpy(&v, (const char *) summary + shape->field_offsets[i], sizeof(v));
	return v;
}

static void
require_same_fields(const CountSummaryShape *shape, const void *a, const void *b,
					const char *what)
{
	for (int i = 0; i < shape->nfields; i++)
		if (field_of(shape, a, i) != field_of(shape, b, i))
			fail(what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const CountSummaryShape *shape;
	bool		binary;
	size_t		len;
	unsigned char *payload;
	void	   *first;
	void	   *again;
	char	   *text;
	char	   *text_again;
	size_t		text_len;
	unsigned char *bytes;
	DecodeError error;
	DecodeStatus status;

	if (size < 1)
		return 0;
	shape = (data[0] & 1) ? &nps_summary_shape : &rate_summary_shape;
	binary = (data[0] & 2) != 0;

	len = size - 1;
	payload = exact_copy(data + 1, len);
	/* Summaries of exactly struct_size: a write past a field is reported too. */
	first = malloc(shape->struct_size);
	again = malloc(shape->struct_size);
	text = malloc(COUNT_SUMMARY_TEXT_MAX);
	text_again = malloc(COUNT_SUMMARY_TEXT_MAX);
	bytes = malloc(count_summary_binary_size(shape));
	if (first == NULL || again == NULL || text == NULL || text_again == NULL ||
		bytes == NULL)
		fail("out of memory");

	if (binary)
		status = count_summary_decode_binary(shape, payload, len, first, &error);
	else
		status = count_summary_parse_text(shape, (const char *) payload, len,
										  first, &error);
	check_decode_error(status, &error, len, shape->nfields);

	if (status == DECODE_OK)
	{
		if (shape->check(first) != KPI_OK)
			fail("decoded a summary that breaks its invariant");
		for (int i = 0; i < shape->nfields; i++)
			if (field_of(shape, first, i) < 0)
				fail("decoded a negative count");

		/* Text: format, parse, and format again to the same string. */
		text_len = count_summary_format_text(shape, first, text, COUNT_SUMMARY_TEXT_MAX);
		if (text_len != strlen(text) || text_len + 1 >= COUNT_SUMMARY_TEXT_MAX)
			fail("text form truncated or of the wrong length");
		status = count_summary_parse_text(shape, text, text_len, again, &error);
		check_decode_error(status, &error, text_len, shape->nfields);
		if (status != DECODE_OK)
			fail("own text form rejected");
		require_same_fields(shape, first, again, "text round trip changed a count");
		count_summary_format_text(shape, again, text_again, COUNT_SUMMARY_TEXT_MAX);
		if (strcmp(text, text_again) != 0)
			fail("text form differs after a round trip");

		/* Binary: encode, decode; binary input must be canonical already. */
		count_summary_encode_binary(shape, first, bytes);
		if (binary && memcmp(bytes, payload, len) != 0)
			fail("binary input decoded but re-encodes differently");
		status = count_summary_decode_binary(shape, bytes,
											 count_summary_binary_size(shape),
											 again, &error);
		check_decode_error(status, &error, count_summary_binary_size(shape), shape->nfields);
		if (status != DECODE_OK)
			fail("own binary form rejected");
		require_same_fields(shape, first, again, "binary round trip changed a count");
	}

	free(bytes);
	free(text_again);
	free(text);
	free(again);
	free(first);
	free(payload);
	return 0;
}
