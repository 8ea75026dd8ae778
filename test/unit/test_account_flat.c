/*
 * test_account_flat.c: the flat form of account_set (core/account_flat.h):
 * round trips for every kind of key, rejection of every malformed part at
 * every truncation, and the text form's splitter and count lists.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/account_flat.h"

/* A plain 4-byte varlena header for a value of size bytes, in host order. */
static void
put_varlena_header(unsigned char *p, uint32_t size)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	uint32_t	word = size & 0x3FFFFFFFu;
#else
	uint32_t	word = size << 2;
#endif

	memcpy(p, &word, 4);
}

typedef struct FlatKey
{
	const unsigned char *bytes;
	size_t		size;
	uint32_t	rows;
	uint32_t	hits;
} FlatKey;

/* Builds a flat value (malloc'ed, *len bytes) as the PostgreSQL layer does. */
static unsigned char *
build_flat(AccountKeyKind kind, int16_t key_length, const FlatKey *keys, size_t n,
		   size_t *len)
{
	AccountFlatHeader h = {ACCOUNT_FLAT_VERSION, (uint8_t) kind, key_length, 20, n, 0};
	size_t		size = account_flat_keys_offset(n);
	size_t		offset;
	unsigned char *buf;

	for (size_t i = 0; i < n; i++)
	{
		size += account_flat_key_space(kind, keys[i].size);
		h.hit_accounts += keys[i].hits > 0;
	}
	buf = malloc(size);
	account_flat_write_header(buf, size, &h);
	memset(buf, 0, 4);
	offset = account_flat_keys_offset(n);
	for (size_t i = 0; i < n; i++)
	{
		account_flat_put_counts(buf, i, keys[i].rows, keys[i].hits);
		memcpy(buf + offset, keys[i].bytes, keys[i].size);
		offset += account_flat_key_space(kind, keys[i].size);
	}
	*len = size;
	return buf;
}

/*
 * Reads a whole flat value from an exact-size copy, so AddressSanitizer sees
 * any read past its end; with keys, checks each account against them.
 */
static AccountFlatStatus
read_flat(const unsigned char *buf, size_t len, const FlatKey *keys)
{
	unsigned char *copy = exact_copy(buf, len);
	AccountFlatReader r;
	AccountFlatStatus status = account_flat_open(&r, copy, len);

	for (uint64_t i = 0; status == ACCOUNT_FLAT_OK && i < r.header.accounts; i++)
	{
		const unsigned char *key;
		size_t		size;
		uint32_t	rows,
					hits;

		status = account_flat_next(&r, &key, &size, &rows, &hits);
		if (status == ACCOUNT_FLAT_OK && keys != NULL)
		{
			CHECK_UINT(size, keys[i].size);
			CHECK_BYTES(key, keys[i].bytes, size);
			CHECK_UINT(rows, keys[i].rows);
			CHECK_UINT(hits, keys[i].hits);
			/* Keys start 8-aligned, so they can be used in place. */
			CHECK_UINT((size_t) (key - copy) % 8, 0);
		}
	}
	if (status == ACCOUNT_FLAT_OK)
		status = account_flat_finish(&r);
	free(copy);
	return status;
}

/* Every proper prefix of a valid value is refused, without an over-read. */
static void
check_truncations(const unsigned char *buf, size_t len)
{
	for (size_t cut = 0; cut < len; cut++)
		if (!CHECK(read_flat(buf, cut, NULL) != ACCOUNT_FLAT_OK))
			break;
}

TEST_CASE(account_flat_by_value_round_trip)
{
	uint64_t	values[3] = {7, UINT64_MAX, 0};
	FlatKey		keys[3];
	size_t		len;
	unsigned char *buf;

	for (int i = 0; i < 3; i++)
		keys[i] = (FlatKey) {(const unsigned char *) &values[i], 8, (uint32_t) i + 1, (uint32_t) i};
	buf = build_flat(ACCOUNT_KEY_BY_VALUE, 8, keys, 3, &len);
	CHECK_UINT(len, 32 + 3 * 8 + 3 * 8);
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);
	check_truncations(buf, len);
	free(buf);

	/* The empty set. */
	buf = build_flat(ACCOUNT_KEY_BY_VALUE, 4, NULL, 0, &len);
	CHECK_UINT(len, 32);
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_OK);
	free(buf);
}

TEST_CASE(account_flat_reference_round_trip)
{
	unsigned char uuid[2][16];
	unsigned char text[3][40];
	const char *words[3] = {"", "acme", "a rather longer account identifier"};
	const char *names[2] = {"x", "account name"};
	FlatKey		keys[3];
	size_t		len;
	unsigned char *buf;

	/* Fixed length, by reference (uuid). */
	for (int i = 0; i < 2; i++)
	{
		memset(uuid[i], 0xA0 + i, 16);
		keys[i] = (FlatKey) {uuid[i], 16, 3, 1};
	}
	buf = build_flat(ACCOUNT_KEY_FIXED, 16, keys, 2, &len);
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);
	check_truncations(buf, len);
	free(buf);

	/* Varlena (text), including an empty one. */
	for (int i = 0; i < 3; i++)
	{
		size_t		n = strlen(words[i]);

		put_varlena_header(text[i], (uint32_t) (4 + n));
		memcpy(text[i] + 4, words[i], n);
		keys[i] = (FlatKey) {text[i], 4 + n, 1, 0};
	}
	buf = build_flat(ACCOUNT_KEY_VARLENA, -1, keys, 3, &len);
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);
	check_truncations(buf, len);
	free(buf);

	/* cstring. */
	for (int i = 0; i < 2; i++)
		keys[i] = (FlatKey) {(const unsigned char *) names[i], strlen(names[i]) + 1, 2, 2};
	buf = build_flat(ACCOUNT_KEY_CSTRING, -2, keys, 2, &len);
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);
	check_truncations(buf, len);
	free(buf);
}

TEST_CASE(account_flat_rejects_bad_headers)
{
	uint64_t	values[2] = {1, 2};
	FlatKey		keys[2] = {{(const unsigned char *) &values[0], 8, 2, 1},
						   {(const unsigned char *) &values[1], 8, 1, 0}};
	size_t		len;
	unsigned char *buf = build_flat(ACCOUNT_KEY_BY_VALUE, 8, keys, 2, &len);
	unsigned char *bad = malloc(len);
	int16_t		lengths[] = {0, 3, 16, -1, -2};
	uint32_t	counts[][2] = {{0, 0}, {1, 2}, {UINT32_MAX, UINT32_MAX}};

	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);

	memcpy(bad, buf, len);
	bad[4] = 2;
	CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_VERSION_UNKNOWN);
	CHECK_INT(read_flat(bad, 5, NULL), ACCOUNT_FLAT_VERSION_UNKNOWN);

	memcpy(bad, buf, len);
	bad[5] = 9;
	CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_KEY_TYPE);
	/* A by-value kind with a length no by-value type has. */
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
	{
		memcpy(bad, buf, len);
		memcpy(bad + 6, &lengths[i], 2);
		CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_KEY_TYPE);
	}
	memcpy(bad, buf, len);
	bad[12] = 1;				/* the reserved word */
	CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_KEY_TYPE);

	/* Rows 0, hits above rows, and a wrong total of accounts with hits. */
	for (size_t i = 0; i < 2; i++)
	{
		memcpy(bad, buf, len);
		account_flat_put_counts(bad, 1, counts[i][0], counts[i][1]);
		CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_COUNTS);
	}
	memcpy(bad, buf, len);
	account_flat_put_counts(bad, 1, counts[2][0], counts[2][1]);
	CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_COUNTS);
	memcpy(bad, buf, len);
	bad[24] = 2;
	CHECK_INT(read_flat(bad, len, NULL), ACCOUNT_FLAT_BAD_COUNTS);

	/* More accounts than the bytes can hold, and huge counts of accounts. */
	memcpy(bad, buf, len);
	bad[16] = 3;
	CHECK(read_flat(bad, len, NULL) == ACCOUNT_FLAT_TRUNCATED);
	memset(bad + 16, 0xFF, 8);
	CHECK(read_flat(bad, len, NULL) == ACCOUNT_FLAT_TRUNCATED);
	free(bad);
	free(buf);
}

TEST_CASE(account_flat_rejects_bad_keys)
{
	unsigned char text[2][16];
	FlatKey		keys[2];
	size_t		len;
	unsigned char *buf;

	for (int i = 0; i < 2; i++)
	{
		put_varlena_header(text[i], 9);
		memcpy(text[i] + 4, "hello", 5);
		keys[i] = (FlatKey) {text[i], 9, 1, 1};
	}
	buf = build_flat(ACCOUNT_KEY_VARLENA, -1, keys, 2, &len);
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);

	/* A nonzero padding byte after a key: one set has one flat form. */
	buf[48 + 9] = 1;
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_BAD_KEY);
	buf[48 + 9] = 0;
	CHECK_INT(read_flat(buf, len, keys), ACCOUNT_FLAT_OK);

	/* A header that is not a plain 4-byte one (short, or compressed). */
	buf[48] |= 0x01;
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_BAD_KEY);
	buf[48] = (buf[48] & ~0x03) | 0x02;
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_BAD_KEY);
	/* A length below the header's own, and one past the end. */
	put_varlena_header(buf + 48, 3);
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_BAD_KEY);
	put_varlena_header(buf + 48, 1000);
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_TRUNCATED);
	/* A key that runs into the next one's place leaves the sizes inconsistent. */
	put_varlena_header(buf + 48, 20);
	CHECK(read_flat(buf, len, NULL) != ACCOUNT_FLAT_OK);
	free(buf);

	/* A cstring without its NUL. */
	keys[0] = (FlatKey) {(const unsigned char *) "abcdefgh", 8, 1, 0};
	buf = build_flat(ACCOUNT_KEY_CSTRING, -2, keys, 1, &len);
	CHECK_INT(read_flat(buf, len, NULL), ACCOUNT_FLAT_TRUNCATED);
	free(buf);
}

/* ---------- text form ---------- */

static DecodeStatus
split(const char *text, AccountTextParts *parts, DecodeError *error)
{
	size_t		len = strlen(text);
	char	   *copy = (char *) exact_copy(text, len);
	DecodeStatus status = account_text_split(copy, len, parts, error);

	/* The parts point into the copy; report them as offsets into text. */
	if (status == DECODE_OK)
	{
		parts->type_name = text + (parts->type_name - copy);
		parts->accounts = text + (parts->accounts - copy);
		parts->rows = text + (parts->rows - copy);
		parts->hits = text + (parts->hits - copy);
	}
	free(copy);
	return status;
}

static bool
span_is(const char *span, size_t len, const char *expected)
{
	return CHECK_UINT(len, strlen(expected)) && CHECK(memcmp(span, expected, len) == 0);
}

TEST_CASE(account_text_split_parts)
{
	AccountTextParts p;
	DecodeError e;

	if (CHECK_DECODE(split("v1 type=bigint accounts={1,2} rows={3,1} hits={1,0}", &p, &e), DECODE_OK))
	{
		span_is(p.type_name, p.type_name_len, "bigint");
		span_is(p.accounts, p.accounts_len, "{1,2}");
		span_is(p.rows, p.rows_len, "{3,1}");
		span_is(p.hits, p.hits_len, "{1,0}");
	}
	/* Type names with spaces; quoted elements holding braces, quotes, escapes. */
	if (CHECK_DECODE(split(" v1  type=character varying accounts={\"a }\",\"b\\\"{\",c\\}} rows={1,1,1} hits={0,0,1} ", &p, &e), DECODE_OK))
	{
		span_is(p.type_name, p.type_name_len, "character varying");
		span_is(p.accounts, p.accounts_len, "{\"a }\",\"b\\\"{\",c\\}}");
	}
	if (CHECK_DECODE(split("v1 type=public.\"odd type\" accounts={} rows={} hits={}", &p, &e), DECODE_OK))
		span_is(p.type_name, p.type_name_len, "public.\"odd type\"");

	CHECK_DECODE(split("v2 type=bigint accounts={} rows={} hits={}", &p, &e), DECODE_VERSION);
	CHECK_UINT(e.version, 2);
	CHECK_DECODE(split("v99999999999 type=bigint accounts={} rows={} hits={}", &p, &e), DECODE_VERSION);
	{
		const char *bad[] = {
			"", "v", "v1", "x1 type=bigint accounts={} rows={} hits={}",
			"v1 type= accounts={} rows={} hits={}",
			"v1 type=bigint", "v1 type=bigint accounts=", "v1 type=bigint accounts={",
			"v1 type=bigint accounts={\"}\" rows={} hits={}",
			"v1 type=bigint accounts={1}} rows={1} hits={0}",
			"v1 type=bigint accounts={1} hits={0} rows={1}",
			"v1 type=bigint accounts={1} rows={1} hits={0} extra",
			"v1 type=bigint accounts={\\",
			"v1 type=bigint accounts=1 rows={1} hits={0}",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (!CHECK_DECODE(split(bad[i], &p, &e), DECODE_SYNTAX))
				fprintf(stderr, "  accepted: %s\n", bad[i]);
	}
}

static DecodeStatus
counts(const char *list, uint32_t *out, size_t capacity, size_t *n)
{
	DecodeError e;
	size_t		len = strlen(list);
	char	   *copy = (char *) exact_copy(list, len);
	DecodeStatus status = account_counts_parse(copy, len, out, capacity, n, &e);

	free(copy);
	return status;
}

TEST_CASE(account_text_count_lists)
{
	uint32_t	out[4];
	size_t		n;

	CHECK_DECODE(counts("{}", out, 4, &n), DECODE_OK);
	CHECK_UINT(n, 0);
	CHECK_DECODE(counts("{ 1 , 22,4294967295 }", out, 4, &n), DECODE_OK);
	CHECK_UINT(n, 3);
	CHECK_UINT(out[0], 1);
	CHECK_UINT(out[1], 22);
	CHECK_UINT(out[2], UINT32_MAX);
	/* Counting only, then a list longer than its room. */
	CHECK_DECODE(counts("{5,6,7,8,9}", NULL, 0, &n), DECODE_OK);
	CHECK_UINT(n, 5);
	CHECK_DECODE(counts("{5,6,7,8,9}", out, 4, &n), DECODE_SYNTAX);
	CHECK_DECODE(counts("{4294967296}", out, 4, &n), DECODE_OUT_OF_RANGE);
	CHECK_DECODE(counts("{99999999999999999999999}", out, 4, &n), DECODE_OUT_OF_RANGE);
	{
		const char *bad[] = {"", "{", "}", "{,}", "{1,}", "{-1}", "{1 2}", "{1}x", "{+1}", "{1,,2}"};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (!CHECK_DECODE(counts(bad[i], out, 4, &n), DECODE_SYNTAX))
				fprintf(stderr, "  accepted: %s\n", bad[i]);
	}
}
