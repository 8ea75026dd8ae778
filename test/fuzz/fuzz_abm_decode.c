/*
 * fuzz_abm_decode.c: libFuzzer target for the decoders of the account-based
 * marketing family: account_set's flat and text forms
 * (src/core/account_flat.h), engagement_summary's text and binary forms
 * (src/core/engagement.h), and engagement_lift's pairs as text and binary
 * (src/core/lift.h), with the quartile result over every decoded state.
 *
 * Input: one selector byte, then the payload.
 *   selector bits 0-2: 0 = account_set flat bytes (account_flat_open, _next
 *                          up to the header's count, _finish); the first 4
 *                          bytes stand for the varlena length word
 *                      1 = account_set text (account_text_split, then
 *                          account_counts_parse on the rows and hits parts);
 *                          with bit 3 set, the payload is one count list
 *                      2 = engagement_summary text (summary_text_scan, then
 *                          engagement_from_fields)
 *                      3 = engagement_summary binary (engagement_decode_binary)
 *                      4 = engagement_lift pairs text (lift_parse_text_rows,
 *                          then lift_parse_text)
 *                      5 = engagement_lift pairs binary
 *                          (lift_decode_binary_count, then lift_decode_binary)
 *                      6, 7 = as 0, 1
 * ASCII '0'..'5' select the six kinds, which keeps text seeds readable.
 *
 * What decodes must be what the PostgreSQL layer relies on and survive its
 * round trips unchanged: a flat account_set re-encodes to its own bytes;
 * count lists read the same twice and agree with a split-on-commas model;
 * an engagement_summary or a list of pairs goes through text and binary back
 * to the same state and the same text and bytes. The lift of every decoded
 * list of pairs is computed and must be undefined (NULL) or finite, the same
 * bits whatever the order of the pairs, with the quartiles where ntile(4)
 * puts them; on pairs whose outcomes are small integers (so that every sum
 * is exact in a double) it is also checked against a sort-and-sum model
 * written here. A mismatch is reported with abort().
 *
 * FUZZ_ABM_KIND=k in the environment makes every input kind k, whatever its
 * first byte: a way to fuzz one kind alone and measure it.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TARGET "fuzz_abm_decode"
#include "fuzz_util.h"

#include "core/account_flat.h"
#include "core/engagement.h"
#include "core/lift.h"
#include "core/summary_text.h"

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* lift's text form: rows, pairs */
#define LIFT_NFIELDS 2

/* PostgreSQL's finite timestamps, microseconds from 2000-01-01: [4714-11-24 BC, 294277-01-01). */
#define TIMESTAMP_MIN INT64_C(-211813488000000000)
#define TIMESTAMP_END INT64_C(9223371331200000000)

static bool
inside(const void *part, size_t part_len, const void *whole, size_t whole_len)
{
	const char *p = part;
	const char *w = whole;

	return p >= w && p <= w + whole_len && part_len <= (size_t) (w + whole_len - p);
}

/* An error record of the decoders that only fill one on failure. */
static void
check_failure(DecodeStatus status, const DecodeError *error, size_t len)
{
	if (error->status != status)
		fail("error.status differs from the returned status");
	if (error->position > len)
		fail("error.position is past the input");
}

/* ---- account_set, flat ---- */

/*
 * Whether the format described in account_flat.h accepts the buffer, read
 * here from that description: a header of version 1 whose key kind and
 * length agree and whose reserved word is zero, counts with rows >= 1 and
 * hits <= rows and as many accounts with hits as the header says, then the
 * keys, each taking its padded space with zero padding, ending exactly at
 * the end.
 */
static bool
model_flat_accepts(const unsigned char *b, size_t len)
{
	uint8_t		kind;
	int16_t		length;
	uint32_t	reserved;
	uint64_t	accounts;
	uint64_t	hit_accounts;
	uint64_t	with_hits = 0;
	size_t		at;

	if (len < 32 || b[4] != 1)
		return false;
	kind = b[5];
	memcpy(&length, b + 6, 2);
	memcpy(&reserved, b + 12, 4);
	memcpy(&accounts, b + 16, 8);
	memcpy(&hit_accounts, b + 24, 8);
	if (reserved != 0)
		return false;
	switch (kind)
	{
		case 0:
			if (length != 1 && length != 2 && length != 4 && length != 8)
				return false;
			break;
		case 1:
			if (length <= 0)
				return false;
			break;
		case 2:
			if (length != -1)
				return false;
			break;
		case 3:
			if (length != -2)
				return false;
			break;
		default:
			return false;
	}
	if (accounts > (len - 32) / 8)
		return false;
	for (uint64_t i = 0; i < accounts; i++)
	{
		uint32_t	rows;
		uint32_t	hits;

		memcpy(&rows, b + 32 + 8 * i, 4);
		memcpy(&hits, b + 36 + 8 * i, 4);
		if (rows < 1 || hits > rows)
			return false;
		with_hits += hits > 0;
	}
	if (with_hits != hit_accounts)
		return false;
	at = 32 + 8 * (size_t) accounts;
	for (uint64_t i = 0; i < accounts; i++)
	{
		size_t		size;

		if (kind == 0)
			size = 8;
		else if (kind == 1)
			size = (size_t) length;
		else if (kind == 2)
		{
			uint32_t	word;

			if (len - at < 4)
				return false;
			memcpy(&word, b + at, 4);
			/* A plain 4-byte header (little-endian): the low two bits 00, the size above. */
			if ((word & 3) != 0 || (word >> 2) < 4)
				return false;
			size = word >> 2;
		}
		else
		{
			size = 0;
			while (at + size < len && b[at + size] != 0)
				size++;
			if (at + size == len)
				return false;
			size++;
		}
		if ((size + 7) / 8 * 8 > len - at)
			return false;
		for (; size % 8 != 0; size++)
			if (b[at + size] != 0)
				return false;
		at += size;
	}
	return at == len;
}

static void
fuzz_account_flat(const unsigned char *buf, size_t len, unsigned selector)
{
	AccountFlatReader reader;
	AccountFlatStatus status = account_flat_open(&reader, buf, len);
	const AccountFlatHeader *h = &reader.header;
	size_t		*offsets;
	size_t		*sizes;
	uint32_t   *rows;
	uint32_t   *hits;
	uint64_t	with_hits = 0;
	bool		model = model_flat_accepts(buf, len);
	unsigned char *again;
	size_t		at;

	if ((status == ACCOUNT_FLAT_VERSION_UNKNOWN) != (len >= 5 && buf[4] != ACCOUNT_FLAT_VERSION))
		fail("account_flat_open: a version error, or none, against the version byte");
	if (status != ACCOUNT_FLAT_OK)
	{
		if (model)
			fail("account_flat_open refuses what the format accepts");
		return;
	}
	if (h->accounts > (len - ACCOUNT_FLAT_HEADER_SIZE) / 16)
		fail("account_flat_open accepts more accounts than the buffer holds");

	offsets = xmalloc((size_t) h->accounts * sizeof(size_t));
	sizes = xmalloc((size_t) h->accounts * sizeof(size_t));
	rows = xmalloc((size_t) h->accounts * sizeof(uint32_t));
	hits = xmalloc((size_t) h->accounts * sizeof(uint32_t));
	for (uint64_t i = 0; i < h->accounts; i++)
	{
		const unsigned char *key;
		size_t		size;

		status = account_flat_next(&reader, &key, &size, &rows[i], &hits[i]);
		if (status != ACCOUNT_FLAT_OK)
			break;
		if (!inside(key, size, buf, len) || size == 0)
			fail("a key outside the buffer");
		offsets[i] = (size_t) (key - buf);
		sizes[i] = size;
		if (offsets[i] % 8 != 0)
			fail("a key not 8-aligned relative to the buffer");
		switch ((AccountKeyKind) h->key_kind)
		{
			case ACCOUNT_KEY_BY_VALUE:
				if (size != 8)
					fail("a by-value key of another size than a Datum");
				break;
			case ACCOUNT_KEY_FIXED:
				if (size != (size_t) h->key_length)
					fail("a fixed key of another size than the type's length");
				break;
			case ACCOUNT_KEY_VARLENA:
				if (account_flat_varlena_size(key) != size || size < 4)
					fail("a varlena key whose header announces another size");
				break;
			case ACCOUNT_KEY_CSTRING:
				if (memchr(key, 0, size) != key + size - 1)
					fail("a cstring key whose only NUL is not its last byte");
				break;
		}
		if (rows[i] < 1 || hits[i] > rows[i])
			fail("an account with no rows or more hits than rows");
		with_hits += hits[i] > 0;
	}
	if (status == ACCOUNT_FLAT_OK)
		status = account_flat_finish(&reader);
	if ((status == ACCOUNT_FLAT_OK) != model)
		fail(model ? "the flat reader refuses what the format accepts" :
			 "the flat reader accepts what the format refuses");
	if (status != ACCOUNT_FLAT_OK)
		goto done;
	if (with_hits != h->hit_accounts)
		fail("accounts with hits differ from the header's hit_accounts");
	{
		const unsigned char *key;
		size_t		size;
		uint32_t	r;
		uint32_t	t;

		if (account_flat_next(&reader, &key, &size, &r, &t) == ACCOUNT_FLAT_OK)
			fail("account_flat_next gives a key past the header's count");
	}

	/* Re-encoded as the PostgreSQL layer flattens: the input, byte for byte. */
	again = xmalloc(len);
	memset(again, 0xa5, 4);
	account_flat_write_header(again, len, h);
	at = account_flat_keys_offset(h->accounts);
	for (uint64_t i = 0; i < h->accounts; i++)
	{
		account_flat_put_counts(again, i, rows[i], hits[i]);
		if (at != offsets[i])
			fail("keys not where re-encoding puts them");
		memcpy(again + at, buf + offsets[i], sizes[i]);
		at += account_flat_key_space((AccountKeyKind) h->key_kind, sizes[i]);
	}
	if (at != len)
		fail("re-encoded keys do not end at the buffer's end");
	if (memcmp(again + 4, buf + 4, len - 4) != 0)
	{
		for (size_t i = 4; i < len; i++)
			if (again[i] != buf[i])
			{
				fprintf(stderr, "%s: byte %zu is 0x%02x, re-encoded 0x%02x\n",
						FUZZ_TARGET, i, buf[i], again[i]);
				break;
			}
		fail("a decoded account_set re-encodes to other bytes");
	}
	free(again);

done:
	free(offsets);
	free(sizes);
	free(rows);
	free(hits);
}

/* ---- account_set, text ---- */

static bool
model_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * A count list read from the description, left to right: '{', numbers
 * separated by commas, '}' as the last byte, blanks around the numbers; only
 * blanks inside is no numbers. A number is a run of digits up to UINT32_MAX
 * (a longer run is out of range even before a stray byte); the first bad
 * element decides the status. out has room for len entries.
 */
static DecodeStatus
model_counts(const char *list, size_t len, uint32_t *out, size_t *n)
{
	size_t		p = 1;

	*n = 0;
	if (len < 1 || list[0] != '{')
		return DECODE_SYNTAX;
	for (;;)
	{
		size_t		end = p;
		size_t		d;
		uint64_t	v = 0;
		bool		last;

		while (end < len && list[end] != ',')
			end++;
		last = end == len;
		while (p < end && model_blank(list[p]))
			p++;
		for (d = p; d < end && list[d] >= '0' && list[d] <= '9'; d++)
		{
			v = v * 10 + (uint64_t) (list[d] - '0');
			if (v > UINT32_MAX)
				return DECODE_OUT_OF_RANGE;
		}
		if (d == p)
			/* No number: only "{" blanks "}" is well formed. */
			return *n == 0 && last && p + 1 == len && list[p] == '}' ? DECODE_OK : DECODE_SYNTAX;
		while (d < end && model_blank(list[d]))
			d++;
		if (last ? !(d + 1 == len && list[d] == '}') : d != end)
			return DECODE_SYNTAX;
		out[(*n)++] = (uint32_t) v;
		if (last)
			return DECODE_OK;
		p = end + 1;
	}
}

/* One count list: counted, then read, against the model. */
static void
check_counts(const char *list, size_t len)
{
	uint32_t   *expected = xmalloc(len * sizeof(uint32_t));
	uint32_t   *values;
	size_t		n_model;
	DecodeStatus model = model_counts(list, len, expected, &n_model);
	size_t		n = 0x5a5a;
	size_t		n_again = 0x5a5a;
	DecodeError error;
	DecodeStatus status;

	memset(&error, 0x5a, sizeof(error));
	status = account_counts_parse(list, len, NULL, 0, &n, &error);
	if (status != DECODE_OK)
		check_failure(status, &error, len);
	if (status != model)
	{
		fprintf(stderr, "%s: %.*s: status %d, model %d\n", FUZZ_TARGET, (int) len, list,
				(int) status, (int) model);
		fail("account_counts_parse disagrees with the model on a status");
	}
	if (status != DECODE_OK)
	{
		if (status != DECODE_SYNTAX && status != DECODE_OUT_OF_RANGE)
			fail("account_counts_parse returned an odd status");
		free(expected);
		return;
	}
	if (n != n_model)
		fail("account_counts_parse counts other numbers than the model");

	values = xmalloc(n * sizeof(uint32_t));
	status = account_counts_parse(list, len, values, n, &n_again, &error);
	if (status != DECODE_OK || n_again != n)
		fail("a count list reads differently the second time");
	if (n > 0 && memcmp(values, expected, n * sizeof(uint32_t)) != 0)
		fail("account_counts_parse reads other numbers than the model");
	if (n > 0)
	{
		memset(&error, 0x5a, sizeof(error));
		status = account_counts_parse(list, len, values, n - 1, &n_again, &error);
		if (status == DECODE_OK)
			fail("a count list read into too little room");
		check_failure(status, &error, len);
	}
	free(values);
	free(expected);
}

static bool
is_list(const char *span, size_t len)
{
	return len >= 2 && span[0] == '{' && span[len - 1] == '}';
}

static void
fuzz_account_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	AccountTextParts parts;
	DecodeError error;
	DecodeStatus status;

	if (selector & 8)
	{
		check_counts(text, len);
		return;
	}
	memset(&parts, 0, sizeof(parts));
	memset(&error, 0x5a, sizeof(error));
	status = account_text_split(text, len, &parts, &error);
	if (status != DECODE_OK)
	{
		check_failure(status, &error, len);
		if (status != DECODE_SYNTAX && status != DECODE_VERSION)
			fail("account_text_split returned an odd status");
		if (status == DECODE_VERSION && error.version == ACCOUNT_FLAT_VERSION)
			fail("a version error for the current version");
		return;
	}
	if (!inside(parts.type_name, parts.type_name_len, text, len) || parts.type_name_len == 0 ||
		!inside(parts.accounts, parts.accounts_len, text, len) ||
		!inside(parts.rows, parts.rows_len, text, len) ||
		!inside(parts.hits, parts.hits_len, text, len))
		fail("a part of account_set text outside the text");
	if (!(parts.type_name + parts.type_name_len <= parts.accounts &&
		  parts.accounts + parts.accounts_len <= parts.rows &&
		  parts.rows + parts.rows_len <= parts.hits))
		fail("the parts of account_set text overlap or are out of order");
	if (!is_list(parts.accounts, parts.accounts_len))
		fail("the accounts part is not an array literal in braces");
	if (!is_list(parts.rows, parts.rows_len) || !is_list(parts.hits, parts.hits_len))
		fail("a count part is not in braces");

	/* The parts as the PostgreSQL layer reads them: copies of exactly their size. */
	{
		char	   *rows = exact_copy(parts.rows, parts.rows_len);
		char	   *hits = exact_copy(parts.hits, parts.hits_len);

		check_counts(rows, parts.rows_len);
		check_counts(hits, parts.hits_len);
		free(rows);
		free(hits);
	}
}

/* ---- engagement_summary ---- */

/* The invariants engagement.h lists, read here from that description. */
static bool
model_engagement_valid(const EngagementSummary *s)
{
	double		sum = s->engagement.sum;
	double		error = s->engagement.error;

	for (size_t i = 0; i < sizeof(s->padding); i++)
		if (s->padding[i] != 0)
			return false;
	if (s->rows < 0 || !isfinite(sum) || !isfinite(error) || sum + error != sum || signbit(sum))
		return false;
	if (s->rows == 0 && (sum != 0 || error != 0))
		return false;
	if (!s->parameters_set)
		return s->rows == 0 && s->as_of == 0 && s->half_life == 0;
	return s->half_life > 0 && s->as_of >= TIMESTAMP_MIN && s->as_of < TIMESTAMP_END;
}

static bool
same_engagement(const EngagementSummary *a, const EngagementSummary *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The text form, with %.17g for the floats (which reads back as the same bits). */
static size_t
engagement_text(const EngagementSummary *s, char *buf, size_t bufsize)
{
	char		as_of[ENGAGEMENT_WORD_MAX];
	char		half_life[ENGAGEMENT_WORD_MAX];
	int			n;

	if (engagement_format_as_of(s, as_of, sizeof(as_of)) == 0 ||
		engagement_format_half_life(s, half_life, sizeof(half_life)) == 0)
		fail("a valid engagement_summary's parameters do not format");
	n = snprintf(buf, bufsize, "v1 rows=%" PRId64 " engagement_minutes=%.17g "
				 "engagement_minutes_error=%.17g as_of=%s half_life_seconds=%s",
				 s->rows, s->engagement.sum, s->engagement.error, as_of, half_life);
	if (n <= 0 || (size_t) n >= bufsize)
		fail("engagement_summary text too long");
	return (size_t) n;
}

static DecodeStatus
engagement_parse(const char *text, size_t len, EngagementSummary *s, DecodeError *error)
{
	TextFieldValue values[ENGAGEMENT_NFIELDS];
	DecodeStatus status;

	memset(s, 0x5a, sizeof(*s));
	status = summary_text_scan(text, len, engagement_summary_fields, ENGAGEMENT_NFIELDS,
							   values, error);
	check_decode_error(status, error, len, ENGAGEMENT_NFIELDS);
	if (status != DECODE_OK)
		return status;
	status = engagement_from_fields(s, text, values, error);
	check_decode_error(status, error, len, ENGAGEMENT_NFIELDS);
	return status;
}

/* A decoded engagement_summary: valid, through text and binary unchanged. */
static void
check_engagement(const EngagementSummary *s, const unsigned char *binary, size_t binary_len)
{
	char		text[512];
	char		again[512];
	char	   *copy;
	unsigned char bytes[ENGAGEMENT_BINARY_SIZE];
	unsigned char *exact;
	EngagementSummary back;
	EngagementSummary t;
	DecodeError error;
	DecodeStatus status;
	size_t		n;
	double		value;

	if (engagement_check(s) != KPI_OK || !model_engagement_valid(s))
		fail("a decoded engagement_summary is not valid");

	/* Text. */
	n = engagement_text(s, text, sizeof(text));
	copy = exact_copy(text, n);
	status = engagement_parse(copy, n, &back, &error);
	free(copy);
	if (status != DECODE_OK)
	{
		fprintf(stderr, "%s: %s\n", FUZZ_TARGET, text);
		fail("an engagement_summary's own text is rejected");
	}
	if (!same_engagement(&back, s))
		fail("engagement_summary text round trip changed the state");
	if (engagement_text(&back, again, sizeof(again)) != n || strcmp(again, text) != 0)
		fail("engagement_summary text differs after a round trip");

	/* Binary: canonical, and back to the same state. */
	engagement_encode_binary(s, bytes);
	if (binary != NULL && (binary_len != sizeof(bytes) || memcmp(binary, bytes, sizeof(bytes)) != 0))
		fail("a decoded engagement_summary encodes to other bytes");
	exact = exact_copy(bytes, sizeof(bytes));
	memset(&back, 0x5a, sizeof(back));
	status = engagement_decode_binary(exact, sizeof(bytes), &back, &error);
	check_decode_error(status, &error, sizeof(bytes), ENGAGEMENT_NFIELDS);
	if (status != DECODE_OK)
		fail("an engagement_summary's own binary form is rejected");
	if (!same_engagement(&back, s))
		fail("engagement_summary binary round trip changed the state");
	engagement_encode_binary(&back, exact);
	if (memcmp(exact, bytes, sizeof(bytes)) != 0)
		fail("engagement_summary binary differs after a round trip");
	free(exact);

	/* The result: NULL without counted touches, else finite and not negative. */
	value = -1;
	if (engagement_value(s, &value) != (s->rows > 0))
		fail("engagement_value defined other than when touches are counted");
	if (s->rows > 0 && !(isfinite(value) && value >= 0))
		fail("engagement_value negative or not finite");

	/* Merged with itself and normalized as the output does: still valid. */
	t = *s;
	if (engagement_merge(&t, s) == KPI_OK && engagement_normalize(&t) == KPI_OK)
	{
		if (engagement_check(&t) != KPI_OK || t.rows != 2 * s->rows)
			fail("an engagement_summary merged with itself is not valid");
	}

	/* A touch at as_of added and taken back out: the count as it was. */
	if (s->parameters_set && s->rows < INT64_MAX)
	{
		t = *s;
		if (engagement_add(&t, s->as_of, 1.0, s->as_of, s->half_life) == KPI_OK)
		{
			if (t.rows != s->rows + 1)
				fail("engagement_add did not count a touch at as_of");
			if (engagement_remove(&t, s->as_of, 1.0, s->as_of, s->half_life) != KPI_OK ||
				t.rows != s->rows)
				fail("engagement_remove did not undo engagement_add");
		}
	}
}

static void
fuzz_engagement_text(const unsigned char *payload, size_t len, unsigned selector)
{
	EngagementSummary s;
	DecodeError error;
	DecodeStatus status = engagement_parse((const char *) payload, len, &s, &error);

	if (status == DECODE_LENGTH)
		fail("a length error from text");
	if (status == DECODE_INVARIANT && model_engagement_valid(&s))
	{
		/* Valid fields, so the text must name one parameter and not the other. */
		TextFieldValue values[ENGAGEMENT_NFIELDS];
		const char *text = (const char *) payload;
		bool		none[2];

		if (summary_text_scan(text, len, engagement_summary_fields, ENGAGEMENT_NFIELDS,
							  values, &error) != DECODE_OK)
			fail("engagement_summary text scans differently the second time");
		for (int i = 0; i < 2; i++)
		{
			const TextFieldValue *v = &values[ENGAGEMENT_FIELD_AS_OF + i];

			none[i] = v->text_len == 4 && memcmp(text + v->text_offset, "none", 4) == 0;
		}
		if (none[0] == none[1])
			fail("an engagement invariant error on a valid state");
	}
	if (status == DECODE_OK)
		check_engagement(&s, NULL, 0);
}

static void
fuzz_engagement_binary(const unsigned char *bytes, size_t len, unsigned selector)
{
	EngagementSummary s;
	DecodeError error;
	DecodeStatus status;
	DecodeStatus expected;

	memset(&s, 0x5a, sizeof(s));
	status = engagement_decode_binary(bytes, len, &s, &error);
	check_decode_error(status, &error, len, ENGAGEMENT_NFIELDS);

	/* The outcome, from the format's description. */
	if (len < 1)
		expected = DECODE_LENGTH;
	else if (bytes[0] != SUMMARY_TEXT_VERSION)
		expected = DECODE_VERSION;
	else if (len != 1 + 8 + 8 + 8 + 1 + 8 + 8)
		expected = DECODE_LENGTH;
	else if (bytes[25] > 1)
		expected = DECODE_INVARIANT;
	else
	{
		EngagementSummary m;
		uint64_t	sum_bits = summary_get_be64(bytes + 9);
		uint64_t	error_bits = summary_get_be64(bytes + 17);

		memset(&m, 0, sizeof(m));
		m.rows = (int64_t) summary_get_be64(bytes + 1);
		memcpy(&m.engagement.sum, &sum_bits, 8);
		memcpy(&m.engagement.error, &error_bits, 8);
		m.parameters_set = bytes[25] == 1;
		m.as_of = (int64_t) summary_get_be64(bytes + 26);
		m.half_life = (int64_t) summary_get_be64(bytes + 34);
		expected = model_engagement_valid(&m) ? DECODE_OK : DECODE_INVARIANT;
		if (expected == DECODE_OK && status == DECODE_OK && !same_engagement(&m, &s))
			fail("engagement_decode_binary reads other fields than the format's");
	}
	if (status != expected)
		fail("engagement_decode_binary disagrees with the format on a status");
	if (status == DECODE_OK)
		check_engagement(&s, bytes, len);
}

/* ---- engagement_lift pairs ---- */

/* (engagement, outcome) order, for qsort. */
static int
pair_order(const void *a, const void *b)
{
	const LiftPair *x = a;
	const LiftPair *y = b;

	if (x->engagement != y->engagement)
		return x->engagement < y->engagement ? -1 : 1;
	if (x->outcome != y->outcome)
		return x->outcome < y->outcome ? -1 : 1;
	return 0;
}

/* By bits, to compare multisets of pairs exactly. */
static int
pair_bits_order(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(LiftPair));
}

static bool
same_pairs(const LiftPair *a, const LiftPair *b, int64_t n)
{
	return n == 0 || memcmp(a, b, (size_t) n * sizeof(LiftPair)) == 0;
}

static bool
same_multiset(const LiftPair *a, const LiftPair *b, int64_t n)
{
	LiftPair   *x = exact_copy(a, (size_t) n * sizeof(LiftPair));
	LiftPair   *y = exact_copy(b, (size_t) n * sizeof(LiftPair));
	bool		same;

	qsort(x, (size_t) n, sizeof(LiftPair), pair_bits_order);
	qsort(y, (size_t) n, sizeof(LiftPair), pair_bits_order);
	same = same_pairs(x, y, n);
	free(x);
	free(y);
	return same;
}

/* Every pair of a[0..k) comes no later than every pair of a[k..n). */
static bool
split_at(const LiftPair *a, int64_t n, int64_t k)
{
	const LiftPair *high = NULL;
	const LiftPair *low = NULL;

	for (int64_t i = 0; i < k; i++)
		if (high == NULL || pair_order(&a[i], high) > 0)
			high = &a[i];
	for (int64_t i = k; i < n; i++)
		if (low == NULL || pair_order(&a[i], low) < 0)
			low = &a[i];
	return high == NULL || low == NULL || pair_order(high, low) <= 0;
}

typedef struct LiftResult
{
	KpiStatus	status;
	bool		defined;
	double		lift;
} LiftResult;

static LiftResult
lift_of(const LiftPair *pairs, int64_t n, LiftPair **rearranged)
{
	LiftPair   *copy = exact_copy(pairs, (size_t) n * sizeof(LiftPair));
	LiftResult	r;

	r.defined = true;
	r.lift = NAN;
	r.status = lift_value(copy, n, &r.lift, &r.defined);
	if (rearranged != NULL)
		*rearranged = copy;
	else
		free(copy);
	return r;
}

static bool
same_result(LiftResult a, LiftResult b)
{
	return a.status == b.status && a.defined == b.defined &&
		(!a.defined || memcmp(&a.lift, &b.lift, sizeof(double)) == 0);
}

/*
 * On outcomes that are integers of at most 2^32 in magnitude, at most 2^20
 * of them, every partial sum is exact in a double: the quartiles from a
 * full sort, their sums, the means rounded once, and the ratio.
 */
static bool
model_lift(const LiftPair *pairs, int64_t n, LiftResult *out)
{
	LiftPair   *sorted;
	int64_t		bottom = n / 4 + (n % 4 >= 1);
	int64_t		top = n / 4;
	double		low = 0;
	double		high = 0;
	double		ratio;

	if (n > (INT64_C(1) << 20))
		return false;
	for (int64_t i = 0; i < n; i++)
		if (pairs[i].outcome != floor(pairs[i].outcome) || fabs(pairs[i].outcome) > 4294967296.0)
			return false;
	out->status = KPI_OK;
	out->defined = false;
	out->lift = 0;
	if (n < 4)
		return true;
	sorted = exact_copy(pairs, (size_t) n * sizeof(LiftPair));
	qsort(sorted, (size_t) n, sizeof(LiftPair), pair_order);
	for (int64_t i = 0; i < bottom; i++)
		low += sorted[i].outcome;
	for (int64_t i = n - top; i < n; i++)
		high += sorted[i].outcome;
	free(sorted);
	low /= (double) bottom;
	high /= (double) top;
	if (low == 0)
		return true;
	ratio = high / low;
	out->defined = true;
	out->lift = ratio - 1.0;
	return true;
}

/* The quartile result of decoded pairs. */
static void
check_lift_value(const LiftPair *pairs, int64_t n)
{
	LiftPair   *rearranged;
	LiftPair   *reversed = xmalloc((size_t) n * sizeof(LiftPair));
	LiftPair   *sorted = exact_copy(pairs, (size_t) n * sizeof(LiftPair));
	LiftResult	r = lift_of(pairs, n, &rearranged);
	LiftResult	model;

	if (r.status != KPI_OK && r.status != KPI_OVERFLOW)
		fail("lift_value: an odd status on finite pairs");
	if (r.status == KPI_OK && r.defined && !isfinite(r.lift))
		fail("lift_value: a defined result that is not finite");
	if (r.status == KPI_OK && r.defined && n < 4)
		fail("lift_value: a result from fewer than 4 rows");
	if (!same_multiset(rearranged, pairs, n))
		fail("lift_value lost or changed pairs while rearranging them");
	if (n >= 4 && (!split_at(rearranged, n, lift_bottom_rows(n)) ||
				   !split_at(rearranged, n, n - lift_top_rows(n))))
		fail("lift_value's quartiles are not where ntile(4) puts them");
	free(rearranged);

	/* The same bits whatever the order of the rows. */
	for (int64_t i = 0; i < n; i++)
		reversed[i] = pairs[n - 1 - i];
	qsort(sorted, (size_t) n, sizeof(LiftPair), pair_order);
	{
		/* lift_sort, select's fallback, against qsort: the same order. */
		LiftPair   *heap = exact_copy(pairs, (size_t) n * sizeof(LiftPair));

		lift_sort(heap, n);
		for (int64_t i = 0; i < n; i++)
			if (pair_order(&heap[i], &sorted[i]) != 0)
				fail("lift_sort does not sort the pairs");
		if (!same_multiset(heap, pairs, n))
			fail("lift_sort lost or changed pairs");
		free(heap);
	}
	if (!same_result(lift_of(reversed, n, NULL), r) || !same_result(lift_of(sorted, n, NULL), r))
		fail("lift_value depends on the order of the pairs");
	free(reversed);
	free(sorted);

	if (model_lift(pairs, n, &model) && !same_result(model, r))
	{
		fprintf(stderr, "%s: lift %d %d %.17g, model %d %d %.17g\n", FUZZ_TARGET,
				(int) r.status, (int) r.defined, r.lift,
				(int) model.status, (int) model.defined, model.lift);
		fail("lift_value disagrees with the sort-and-sum model");
	}
}

/* The state's moves: room for the pairs, appended, and dropped from the front in order. */
static void
check_lift_state(const LiftPair *pairs, int64_t n)
{
	int64_t		room = lift_grown_room(0, n, LIFT_HEADER_BYTES);
	LiftPairs	p;

	if (room < n || room > LIFT_MAX_PAIRS)
		fail("lift_grown_room gives too little room");
	p.pairs = xmalloc((size_t) room * sizeof(LiftPair));
	p.head = 0;
	p.count = 0;
	p.room = room;
	if (!lift_make_room(&p, n))
		fail("lift_make_room refuses pairs that fit");
	lift_append_all(&p, pairs, n);
	if (p.count != n || !same_pairs(p.pairs + p.head, pairs, n))
		fail("lift_append_all did not append the pairs");
	for (int64_t i = 0; i < n; i++)
		if (!lift_remove_front(&p, pairs[i].engagement, pairs[i].outcome))
			fail("lift_remove_front refuses the pair at the front");
	if (p.count != 0 || p.head != 0)
		fail("a state emptied from the front is not empty");
	if (lift_remove_front(&p, 0, 0))
		fail("lift_remove_front removed a pair from an empty state");
	free(p.pairs);
}

/* Decoded pairs: finite, through text and binary unchanged, and their result. */
static void
check_lift(const LiftPair *pairs, int64_t n, const unsigned char *binary, size_t binary_len)
{
	size_t		max = lift_text_max(n);
	char	   *text = xmalloc(max);
	char	   *again;
	char	   *copy;
	size_t		len;
	size_t		size = lift_binary_size(n);
	unsigned char *bytes;
	LiftPair   *back;
	int64_t		rows;
	int64_t		capacity;
	int64_t		count;
	DecodeError error;
	DecodeStatus status;

	for (int64_t i = 0; i < n; i++)
		if (!lift_pair_finite(pairs[i].engagement, pairs[i].outcome))
			fail("a decoded pair that is not finite");

	/* Text. */
	len = lift_format_text(pairs, n, text, max);
	if (len == 0 || len >= max || strlen(text) != len)
		fail("decoded pairs do not format within lift_text_max");
	copy = exact_copy(text, len);
	status = lift_parse_text_rows(copy, len, &rows, &capacity, &error);
	check_decode_error(status, &error, len, LIFT_NFIELDS);
	if (status != DECODE_OK || rows != n || capacity != n)
	{
		fprintf(stderr, "%s: %s\n", FUZZ_TARGET, text);
		fail("the rows of pairs' own text read otherwise");
	}
	back = xmalloc((size_t) n * sizeof(LiftPair));
	status = lift_parse_text(copy, len, back, rows, capacity, &error);
	check_decode_error(status, &error, len, LIFT_NFIELDS);
	if (status != DECODE_OK)
	{
		fprintf(stderr, "%s: %s\n", FUZZ_TARGET, text);
		fail("pairs' own text is rejected");
	}
	if (!same_pairs(back, pairs, n))
		fail("pairs text round trip changed a pair");
	again = xmalloc(max);
	if (lift_format_text(back, n, again, max) != len || strcmp(again, text) != 0)
		fail("pairs text differs after a round trip");
	free(again);
	again = xmalloc(len);
	if (lift_format_text(pairs, n, again, len) != 0)
		fail("pairs formatted into a buffer too small");
	free(again);
	free(copy);
	free(back);
	free(text);

	/* Binary. */
	bytes = xmalloc(size);
	lift_encode_binary(pairs, n, bytes);
	if (binary != NULL && (binary_len != size || memcmp(binary, bytes, size) != 0))
		fail("decoded pairs encode to other bytes");
	status = lift_decode_binary_count(bytes, size, &count, &error);
	check_decode_error(status, &error, size, LIFT_NFIELDS);
	if (status != DECODE_OK || count != n)
		fail("pairs' own binary count is rejected");
	back = xmalloc((size_t) n * sizeof(LiftPair));
	status = lift_decode_binary(bytes, size, back, n, &error);
	check_decode_error(status, &error, size, LIFT_NFIELDS);
	if (status != DECODE_OK || !same_pairs(back, pairs, n))
		fail("pairs binary round trip changed a pair");
	free(back);
	free(bytes);

	check_lift_value(pairs, n);
	check_lift_state(pairs, n);
}

static void
fuzz_lift_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	int64_t		rows = -1;
	int64_t		capacity = -1;
	LiftPair   *pairs;
	DecodeError error;
	DecodeStatus status = lift_parse_text_rows(text, len, &rows, &capacity, &error);

	check_decode_error(status, &error, len, LIFT_NFIELDS);
	if (status == DECODE_LENGTH || status == DECODE_INVARIANT)
		fail("lift_parse_text_rows: an odd status");
	if (status != DECODE_OK)
		return;
	if (rows < 0 || rows > LIFT_MAX_PAIRS || capacity < 0 || capacity > rows ||
		(size_t) capacity > (len + 1) / 4)
		fail("lift_parse_text_rows: room for more pairs than rows or than the text can spell");

	pairs = xmalloc((size_t) capacity * sizeof(LiftPair));
	status = lift_parse_text(text, len, pairs, rows, capacity, &error);
	check_decode_error(status, &error, len, LIFT_NFIELDS);
	if (status == DECODE_LENGTH || status == DECODE_VERSION)
		fail("lift_parse_text: an odd status after the rows read");
	if (status == DECODE_OK)
	{
		if (capacity != rows)
			fail("lift_parse_text read more pairs than it was given room for");
		check_lift(pairs, rows, NULL, 0);
	}
	free(pairs);
}

static void
fuzz_lift_binary(const unsigned char *bytes, size_t len, unsigned selector)
{
	int64_t		n = -1;
	LiftPair   *pairs;
	DecodeError error;
	DecodeStatus status = lift_decode_binary_count(bytes, len, &n, &error);
	DecodeStatus expected;
	bool		finite = true;

	check_decode_error(status, &error, len, LIFT_NFIELDS);
	/* The outcome, from the format's description. */
	if (len < 1)
		expected = DECODE_LENGTH;
	else if (bytes[0] != SUMMARY_TEXT_VERSION)
		expected = DECODE_VERSION;
	else if (len < 9)
		expected = DECODE_LENGTH;
	else if (summary_get_be64(bytes + 1) > (uint64_t) LIFT_MAX_PAIRS)
		expected = DECODE_OUT_OF_RANGE;
	else
		expected = (len - 9) % 16 == 0 && (len - 9) / 16 == summary_get_be64(bytes + 1) ?
			DECODE_OK : DECODE_LENGTH;
	if (status != expected)
		fail("lift_decode_binary_count disagrees with the format on a status");
	if (status != DECODE_OK)
		return;
	if (n < 0 || (size_t) n != (len - 9) / 16)
		fail("lift_decode_binary_count: another count than the length holds");

	/* Not finite: the exponent bits all ones. */
	for (size_t at = 9; at < len; at += 8)
		finite &= ((summary_get_be64(bytes + at) >> 52) & 0x7ff) != 0x7ff;
	pairs = xmalloc((size_t) n * sizeof(LiftPair));
	status = lift_decode_binary(bytes, len, pairs, n, &error);
	check_decode_error(status, &error, len, LIFT_NFIELDS);
	if (status != (finite ? DECODE_OK : DECODE_INVARIANT))
		fail("lift_decode_binary disagrees with the format on a status");
	if (status == DECODE_OK)
		check_lift(pairs, n, bytes, len);
	free(pairs);
}

/* Byte 0: 0 flat, 1 account text, 2/3 engagement text/binary, 4/5 lift text/binary. */
static const FuzzInput kinds[] = {
	fuzz_account_flat, fuzz_account_text, fuzz_engagement_text, fuzz_engagement_binary,
	fuzz_lift_text, fuzz_lift_binary
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static int	only_kind = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *only = getenv("FUZZ_ABM_KIND");

	if (only != NULL && only[0] >= '0' && (unsigned) (only[0] - '0') < NKINDS && only[1] == '\0')
		only_kind = only[0] - '0';
	else if (only != NULL)
		fail("FUZZ_ABM_KIND is not a kind");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *payload;

	if (only_kind < 0)
		return fuzz_dispatch(data, size, kinds, NKINDS);
	if (size < 1)
		return 0;
	payload = exact_copy(data + 1, size - 1);
	kinds[only_kind] (payload, size - 1, data[0]);
	free(payload);
	return 0;
}
