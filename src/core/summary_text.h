/*
 * summary_text.h: the text form every summary type shares,
 *
 *     "v1 name1=value1 name2=value2 ..."
 *
 * with ASCII whitespace between tokens, the fields in a fixed order, and each
 * value a non-negative count, a decimal ("-12.50"), a float ("-1.5e-07") or
 * a word that the caller parses (a period, "[2024-01-01,2024-02-01)").
 * This is the code that meets untrusted text (COPY, Citus, postgres_fdw), so
 * it takes an explicit length, never reads past it, and is fuzzed.
 */
#ifndef B2BKPI_SUMMARY_TEXT_H
#define B2BKPI_SUMMARY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "count_summary.h"
#include "decimal.h"

/* One version for every summary's text and binary forms. */
#define SUMMARY_TEXT_VERSION COUNT_SUMMARY_VERSION

/* Longest float token accepted: far more than any double needs. */
#define SUMMARY_FLOAT_TEXT_MAX 64

typedef enum TextFieldKind
{
	TEXT_FIELD_COUNT,			/* digits, 0 .. INT64_MAX */
	TEXT_FIELD_DECIMAL,			/* see decimal_parse() */
	TEXT_FIELD_FLOAT,			/* [-]digits[.digits][e[+-]digits], finite */
	TEXT_FIELD_WORD				/* printable non-space ASCII, read by the caller */
} TextFieldKind;

typedef struct TextField
{
	const char *name;
	TextFieldKind kind;
} TextField;

typedef struct TextFieldValue
{
	int64_t		count;
	double		number;
	/* A decimal or a word: where it is in the text. */
	size_t		text_offset;
	size_t		text_len;
	/* A decimal's value, when that fits. */
	kpi_int128	decimal;
	int			decimal_scale;
	bool		decimal_fits;
} TextFieldValue;

/*
 * Reads the version tag and the fields. On failure, error says where and
 * why: DECODE_SYNTAX, DECODE_VERSION, or DECODE_OUT_OF_RANGE for a count past
 * INT64_MAX, a float past DBL_MAX or a decimal scale past DECIMAL_MAX_SCALE.
 */
DecodeStatus summary_text_scan(const char *text, size_t len,
							   const TextField *fields, int nfields,
							   TextFieldValue *values, DecodeError *error);

/* Shared by the decoders: clear an error record, or fill one and return its status. */
void		decode_error_reset(DecodeError *error);
DecodeStatus decode_fail(DecodeError *error, DecodeStatus status,
						 size_t position, int field);

#endif
