/*
 * count_summary.h: text and binary codecs shared by every summary whose state is
 * a short, fixed list of non-negative int64 counts (rate_summary, nps_summary).
 *
 * Text form:   "v1 name1=123 name2=456"    (ASCII whitespace between tokens)
 * Binary form: one version byte, then each count as a big-endian int64.
 *
 * Decoding is the code that meets untrusted bytes (COPY, Citus, postgres_fdw), so
 * it takes an explicit length, never reads past it, and is fuzzed.
 */
#ifndef B2BKPI_COUNT_SUMMARY_H
#define B2BKPI_COUNT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "kpi_status.h"

#define COUNT_SUMMARY_MAX_FIELDS 4
#define COUNT_SUMMARY_MAX_BINARY (1 + 8 * COUNT_SUMMARY_MAX_FIELDS)
#define COUNT_SUMMARY_VERSION 1

/* Longest text form: "v" + version + per field " name=" + 19 digits, plus NUL. */
#define COUNT_SUMMARY_TEXT_MAX 160

/*
 * Describes one summary struct made of int64 counts: the codec reads and writes
 * the fields at the given offsets, so each struct keeps named members.
 */
typedef struct CountSummaryShape
{
	const char *type_name;		/* SQL type name, for messages */
	size_t		struct_size;
	int			nfields;
	const char *field_names[COUNT_SUMMARY_MAX_FIELDS];
	size_t		field_offsets[COUNT_SUMMARY_MAX_FIELDS];
	/* Checks the invariants between the counts (all are already >= 0). */
	KpiStatus	(*check) (const void *summary);
} CountSummaryShape;

typedef enum DecodeStatus
{
	DECODE_OK = 0,
	DECODE_SYNTAX,				/* text: not of the form "v1 name=digits ..." */
	DECODE_VERSION,				/* a version this build does not read */
	DECODE_OUT_OF_RANGE,		/* a count does not fit in int64 */
	DECODE_LENGTH,				/* binary: too short or too long */
	DECODE_INVARIANT			/* well formed, but the counts are impossible */
} DecodeStatus;

typedef struct DecodeError
{
	DecodeStatus status;
	size_t		position;		/* byte offset where decoding stopped */
	int			field;			/* index of the field concerned, or -1 */
	unsigned	version;		/* the version found, for DECODE_VERSION */
	KpiStatus	invariant;		/* what check() said, for DECODE_INVARIANT */
} DecodeError;

/* Big-endian 32- and 64-bit fields of the binary forms. */
static inline void
summary_put_be32(unsigned char *out, uint32_t v)
{
	for (int b = 0; b < 4; b++)
		out[b] = (unsigned char) (v >> (24 - 8 * b));
}

static inline uint32_t
summary_get_be32(const unsigned char *in)
{
	return ((uint32_t) in[0] << 24) | ((uint32_t) in[1] << 16) |
		((uint32_t) in[2] << 8) | in[3];
}

static inline void
summary_put_be64(unsigned char *out, uint64_t v)
{
	for (int b = 0; b < 8; b++)
		out[b] = (unsigned char) (v >> (56 - 8 * b));
}

static inline uint64_t
summary_get_be64(const unsigned char *in)
{
	uint64_t	v = 0;

	for (int b = 0; b < 8; b++)
		v = (v << 8) | in[b];
	return v;
}

/* Writes the text form (NUL-terminated) into buf; returns its length. */
size_t		count_summary_format_text(const CountSummaryShape *shape,
									  const void *summary,
									  char *buf, size_t bufsize);

/* On any status but DECODE_OK the summary's contents are unspecified. */
DecodeStatus count_summary_parse_text(const CountSummaryShape *shape,
									  const char *text, size_t len,
									  void *summary, DecodeError *error);

/* Binary form length for a shape. */
static inline size_t
count_summary_binary_size(const CountSummaryShape *shape)
{
	return 1 + 8 * (size_t) shape->nfields;
}

/* Writes count_summary_binary_size(shape) bytes into out. */
void		count_summary_encode_binary(const CountSummaryShape *shape,
										const void *summary,
										unsigned char *out);

DecodeStatus count_summary_decode_binary(const CountSummaryShape *shape,
										 const unsigned char *bytes, size_t len,
										 void *summary, DecodeError *error);

#endif
