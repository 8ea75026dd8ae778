/*
 * account_flat.h: the flat (on-disk, in-tuple) form of account_set, the state
 * of reach_rate and coverage_rate (kpi-spec section 5), and the scanner of its
 * text form.
 *
 * Flat form, host byte order, offsets from the start of the varlena (whose
 * first 4 bytes are PostgreSQL's length word, left to the caller):
 *
 *     4   uint8   layout version (ACCOUNT_FLAT_VERSION)
 *     5   uint8   key kind (AccountKeyKind)
 *     6   int16   key length: the type's typlen
 *     8   uint32  the key type's OID
 *     12  uint32  zero
 *     16  uint64  accounts
 *     24  uint64  accounts with a hit row
 *     32  accounts x (uint32 rows, uint32 hit rows), rows >= 1, hits <= rows
 *     then the keys, in the same order, each at an 8-aligned offset:
 *         by value    8 bytes, the PostgreSQL Datum word
 *         fixed       key length bytes
 *         varlena     a varlena with a plain (uncompressed, inline) 4-byte
 *                     header, its length included
 *         cstring     bytes up to and including a NUL
 *     and nothing after the last key but its padding. Padding bytes are zero.
 *
 * Keys start 8-aligned when the buffer does, so the PostgreSQL layer can
 * point at them in place whatever the type's alignment.
 *
 * Text form: "v1 type=T accounts=A rows={r,...} hits={h,...}" where T is the
 * key type's name and A an array literal of the key type. This file finds the
 * parts and reads the two count lists; the PostgreSQL layer reads T and A with
 * the type's own functions.
 */
#ifndef B2BKPI_ACCOUNT_FLAT_H
#define B2BKPI_ACCOUNT_FLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "count_summary.h"

#define ACCOUNT_FLAT_VERSION 1
#define ACCOUNT_FLAT_HEADER_SIZE 32
#define ACCOUNT_FLAT_COUNTS_SIZE 8

typedef enum AccountKeyKind
{
	ACCOUNT_KEY_BY_VALUE = 0,
	ACCOUNT_KEY_FIXED = 1,
	ACCOUNT_KEY_VARLENA = 2,
	ACCOUNT_KEY_CSTRING = 3
} AccountKeyKind;

typedef struct AccountFlatHeader
{
	uint8_t		version;
	uint8_t		key_kind;
	int16_t		key_length;
	uint32_t	key_type;
	uint64_t	accounts;
	uint64_t	hit_accounts;
} AccountFlatHeader;

/* The kind of key a type's typlen and typbyval make. */
static inline AccountKeyKind
account_key_kind(int16_t typlen, bool typbyval)
{
	if (typbyval)
		return ACCOUNT_KEY_BY_VALUE;
	if (typlen > 0)
		return ACCOUNT_KEY_FIXED;
	return typlen == -1 ? ACCOUNT_KEY_VARLENA : ACCOUNT_KEY_CSTRING;
}

static inline size_t
account_flat_align(size_t n)
{
	return (n + 7) & ~(size_t) 7;
}

/* Where the keys begin, for a set of n accounts (n below 2^32). */
static inline size_t
account_flat_keys_offset(uint64_t accounts)
{
	return ACCOUNT_FLAT_HEADER_SIZE + (size_t) accounts * ACCOUNT_FLAT_COUNTS_SIZE;
}

/* The bytes a key of key_size bytes takes, padding included. */
static inline size_t
account_flat_key_space(AccountKeyKind kind, size_t key_size)
{
	return kind == ACCOUNT_KEY_BY_VALUE ? 8 : account_flat_align(key_size);
}

/*
 * The length a plain 4-byte varlena header announces, or 0 when the header
 * is not a plain inline uncompressed one (PostgreSQL's VARATT_IS_4B_U).
 */
size_t		account_flat_varlena_size(const unsigned char *p);

/* Writes the header and zeroes the rest of the buffer (padding stays 0). */
void		account_flat_write_header(unsigned char *buf, size_t len,
									  const AccountFlatHeader *header);

/* The counts of account i. */
static inline void
account_flat_put_counts(unsigned char *buf, uint64_t i, uint32_t rows, uint32_t hit_rows)
{
	unsigned char *at = buf + ACCOUNT_FLAT_HEADER_SIZE + i * ACCOUNT_FLAT_COUNTS_SIZE;

	memcpy(at, &rows, 4);
	memcpy(at + 4, &hit_rows, 4);
}

/*
 * Reads a flat buffer. account_flat_open checks the header and the counts;
 * account_flat_next then gives each key in turn, checking it lies within the
 * buffer; account_flat_finish checks that the keys used the buffer exactly.
 */
typedef struct AccountFlatReader
{
	const unsigned char *buf;
	size_t		len;
	AccountFlatHeader header;
	uint64_t	next;			/* index of the next account */
	size_t		offset;			/* where its key starts */
} AccountFlatReader;

typedef enum AccountFlatStatus
{
	ACCOUNT_FLAT_OK = 0,
	ACCOUNT_FLAT_VERSION_UNKNOWN,	/* a layout version this build does not read */
	ACCOUNT_FLAT_TRUNCATED,		/* shorter or longer than its contents */
	ACCOUNT_FLAT_BAD_KEY_TYPE,	/* kind and length contradict each other */
	ACCOUNT_FLAT_BAD_COUNTS,	/* rows 0, hits above rows, or totals wrong */
	ACCOUNT_FLAT_BAD_KEY		/* a varlena or cstring key is malformed */
} AccountFlatStatus;

AccountFlatStatus account_flat_open(AccountFlatReader *reader,
									const unsigned char *buf, size_t len);
AccountFlatStatus account_flat_next(AccountFlatReader *reader,
									const unsigned char **key, size_t *key_size,
									uint32_t *rows, uint32_t *hit_rows);
AccountFlatStatus account_flat_finish(const AccountFlatReader *reader);

/* ---------- text form ---------- */

typedef struct AccountTextParts
{
	const char *type_name;
	size_t		type_name_len;
	const char *accounts;		/* the array literal, braces included */
	size_t		accounts_len;
	const char *rows;
	size_t		rows_len;
	const char *hits;
	size_t		hits_len;
} AccountTextParts;

/*
 * Splits text of the form above into its parts. DECODE_VERSION for another
 * version (error->version says which), DECODE_SYNTAX otherwise, with
 * error->position where reading stopped.
 */
DecodeStatus account_text_split(const char *text, size_t len,
								AccountTextParts *parts, DecodeError *error);

/*
 * Reads a count list "{n,n,...}" of unsigned 32-bit numbers into out (of
 * capacity entries; out may be NULL to count only), setting *n. DECODE_SYNTAX
 * or DECODE_OUT_OF_RANGE with error->position.
 */
DecodeStatus account_counts_parse(const char *list, size_t len, uint32_t *out,
								  size_t capacity, size_t *n, DecodeError *error);

#endif
