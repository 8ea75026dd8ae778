/*
 * account_flat.c: the flat and text forms of account_set (see account_flat.h).
 */
#include "account_flat.h"

size_t
account_flat_varlena_size(const unsigned char *p)
{
	uint32_t	word;

	memcpy(&word, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	if ((word & 0xC0000000u) != 0)
		return 0;
	return word & 0x3FFFFFFFu;
#else
	/* The two low bits are 00 for a plain 4-byte header; the size is above them. */
	if ((word & 0x03u) != 0)
		return 0;
	return (word >> 2) & 0x3FFFFFFFu;
#endif
}

void
account_flat_write_header(unsigned char *buf, size_t len, const AccountFlatHeader *header)
{
	uint32_t	zero = 0;

	memset(buf + 4, 0, len - 4);
	buf[4] = header->version;
	buf[5] = header->key_kind;
	memcpy(buf + 6, &header->key_length, 2);
	memcpy(buf + 8, &header->key_type, 4);
	memcpy(buf + 12, &zero, 4);
	memcpy(buf + 16, &header->accounts, 8);
	memcpy(buf + 24, &header->hit_accounts, 8);
}

static bool
key_type_consistent(AccountKeyKind kind, int16_t length)
{
	switch (kind)
	{
		case ACCOUNT_KEY_BY_VALUE:
			return length == 1 || length == 2 || length == 4 || length == 8;
		case ACCOUNT_KEY_FIXED:
			return length > 0;
		case ACCOUNT_KEY_VARLENA:
			return length == -1;
		case ACCOUNT_KEY_CSTRING:
			return length == -2;
	}
	return false;
}

AccountFlatStatus
account_flat_open(AccountFlatReader *reader, const unsigned char *buf, size_t len)
{
	AccountFlatHeader *h = &reader->header;
	uint64_t	hit_accounts = 0;
	uint32_t	zero;

	reader->buf = buf;
	reader->len = len;
	reader->next = 0;
	if (len < ACCOUNT_FLAT_HEADER_SIZE)
		return len >= 5 && buf[4] != ACCOUNT_FLAT_VERSION ?
			ACCOUNT_FLAT_VERSION_UNKNOWN : ACCOUNT_FLAT_TRUNCATED;
	h->version = buf[4];
	h->key_kind = buf[5];
	memcpy(&h->key_length, buf + 6, 2);
	memcpy(&h->key_type, buf + 8, 4);
	memcpy(&zero, buf + 12, 4);
	memcpy(&h->accounts, buf + 16, 8);
	memcpy(&h->hit_accounts, buf + 24, 8);
	if (h->version != ACCOUNT_FLAT_VERSION)
		return ACCOUNT_FLAT_VERSION_UNKNOWN;
	if (h->key_kind > ACCOUNT_KEY_CSTRING ||
		!key_type_consistent((AccountKeyKind) h->key_kind, h->key_length) || zero != 0)
		return ACCOUNT_FLAT_BAD_KEY_TYPE;
	/* Each account takes at least 8 bytes of counts and 8 of key. */
	if (h->accounts > (len - ACCOUNT_FLAT_HEADER_SIZE) / 16)
		return ACCOUNT_FLAT_TRUNCATED;
	for (uint64_t i = 0; i < h->accounts; i++)
	{
		uint32_t	rows,
					hits;
		const unsigned char *at = buf + ACCOUNT_FLAT_HEADER_SIZE + i * ACCOUNT_FLAT_COUNTS_SIZE;

		memcpy(&rows, at, 4);
		memcpy(&hits, at + 4, 4);
		if (rows == 0 || hits > rows)
			return ACCOUNT_FLAT_BAD_COUNTS;
		hit_accounts += hits > 0;
	}
	if (hit_accounts != h->hit_accounts)
		return ACCOUNT_FLAT_BAD_COUNTS;
	reader->offset = account_flat_keys_offset(h->accounts);
	return ACCOUNT_FLAT_OK;
}

AccountFlatStatus
account_flat_next(AccountFlatReader *reader, const unsigned char **key,
				  size_t *key_size, uint32_t *rows, uint32_t *hit_rows)
{
	const AccountFlatHeader *h = &reader->header;
	const unsigned char *at = reader->buf + reader->offset;
	size_t		left = reader->len - reader->offset;
	size_t		size;

	switch ((AccountKeyKind) h->key_kind)
	{
		case ACCOUNT_KEY_BY_VALUE:
			size = 8;
			break;
		case ACCOUNT_KEY_FIXED:
			size = (size_t) h->key_length;
			break;
		case ACCOUNT_KEY_VARLENA:
			if (left < 4)
				return ACCOUNT_FLAT_TRUNCATED;
			size = account_flat_varlena_size(at);
			if (size < 4)
				return ACCOUNT_FLAT_BAD_KEY;
			break;
		case ACCOUNT_KEY_CSTRING:
			{
				const unsigned char *nul = memchr(at, 0, left);

				if (nul == NULL)
					return ACCOUNT_FLAT_TRUNCATED;
				size = (size_t) (nul - at) + 1;
			}
			break;
		default:
			return ACCOUNT_FLAT_BAD_KEY_TYPE;
	}
	if (reader->next >= h->accounts ||
		account_flat_key_space((AccountKeyKind) h->key_kind, size) > left)
		return ACCOUNT_FLAT_TRUNCATED;
	/* Padding is zero, so that one set has one flat form. */
	for (size_t pad = size; pad < account_flat_key_space((AccountKeyKind) h->key_kind, size); pad++)
		if (at[pad] != 0)
			return ACCOUNT_FLAT_BAD_KEY;
	*key = at;
	*key_size = size;
	at = reader->buf + ACCOUNT_FLAT_HEADER_SIZE + reader->next * ACCOUNT_FLAT_COUNTS_SIZE;
	memcpy(rows, at, 4);
	memcpy(hit_rows, at + 4, 4);
	reader->offset += account_flat_key_space((AccountKeyKind) h->key_kind, size);
	reader->next++;
	return ACCOUNT_FLAT_OK;
}

AccountFlatStatus
account_flat_finish(const AccountFlatReader *reader)
{
	if (reader->next != reader->header.accounts)
		return ACCOUNT_FLAT_TRUNCATED;
	return reader->offset == reader->len ? ACCOUNT_FLAT_OK : ACCOUNT_FLAT_TRUNCATED;
}

/* ---------- text form ---------- */

static bool
starts_with(const char *p, const char *end, const char *word)
{
	size_t		n = strlen(word);

	return (size_t) (end - p) >= n && memcmp(p, word, n) == 0;
}

/*
 * The end of an array literal starting at p ("{" ... the matching "}"), the
 * way PostgreSQL's array input reads one: braces nest, double quotes protect
 * braces, and a backslash protects the next character anywhere. NULL if it
 * does not close before end.
 */
static const char *
array_literal_end(const char *p, const char *end)
{
	int			depth = 0;
	bool		quoted = false;

	for (; p < end; p++)
	{
		if (*p == '\\')
		{
			if (++p == end)
				return NULL;
		}
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '{')
			depth++;
		else if (!quoted && *p == '}' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

static DecodeStatus
syntax_error(DecodeError *error, const char *text, const char *at)
{
	error->status = DECODE_SYNTAX;
	error->position = (size_t) (at - text);
	return DECODE_SYNTAX;
}

/* Reads "name={...}" at *p into a span; advances *p past it. */
static bool
read_list_field(const char **p, const char *end, const char *name,
				const char **span, size_t *span_len)
{
	const char *q = *p;
	const char *close;

	if (!starts_with(q, end, name))
		return false;
	q += strlen(name);
	if (q == end || *q != '{' || (close = array_literal_end(q, end)) == NULL)
		return false;
	*span = q;
	*span_len = (size_t) (close - q);
	*p = close;
	return true;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

DecodeStatus
account_text_split(const char *text, size_t len, AccountTextParts *parts,
				   DecodeError *error)
{
	const char *end = text + len;
	const char *p = skip_space(text, end);
	const char *type_end;
	unsigned long version = 0;

	error->field = -1;
	if (p == end || *p != 'v')
		return syntax_error(error, text, p);
	p++;
	if (p == end || *p < '0' || *p > '9')
		return syntax_error(error, text, p);
	while (p < end && *p >= '0' && *p <= '9')
	{
		if (version < 1000000)
			version = version * 10 + (unsigned long) (*p - '0');
		p++;
	}
	if (version != ACCOUNT_FLAT_VERSION)
	{
		error->status = DECODE_VERSION;
		error->position = (size_t) (p - text);
		error->version = (unsigned) version;
		return DECODE_VERSION;
	}
	p = skip_space(p, end);
	if (!starts_with(p, end, "type="))
		return syntax_error(error, text, p);
	p += 5;
	/* The type's name runs to " accounts=": names of types may hold spaces. */
	for (type_end = p; type_end < end; type_end++)
		if ((*type_end == ' ' || *type_end == '\t') &&
			starts_with(skip_space(type_end, end), end, "accounts="))
			break;
	if (type_end == p || type_end == end)
		return syntax_error(error, text, type_end);
	parts->type_name = p;
	parts->type_name_len = (size_t) (type_end - p);
	p = skip_space(type_end, end);
	if (!read_list_field(&p, end, "accounts=", &parts->accounts, &parts->accounts_len))
		return syntax_error(error, text, p);
	p = skip_space(p, end);
	if (!read_list_field(&p, end, "rows=", &parts->rows, &parts->rows_len))
		return syntax_error(error, text, p);
	p = skip_space(p, end);
	if (!read_list_field(&p, end, "hits=", &parts->hits, &parts->hits_len))
		return syntax_error(error, text, p);
	p = skip_space(p, end);
	if (p != end)
		return syntax_error(error, text, p);
	return DECODE_OK;
}

DecodeStatus
account_counts_parse(const char *list, size_t len, uint32_t *out, size_t capacity,
					 size_t *n, DecodeError *error)
{
	const char *end = list + len;
	const char *p = list;

	*n = 0;
	error->field = -1;
	if (p == end || *p != '{')
		return syntax_error(error, list, p);
	p = skip_space(p + 1, end);
	if (p < end && *p == '}' && p + 1 == end)
		return DECODE_OK;
	for (;;)
	{
		uint64_t	v = 0;
		const char *digits;

		p = skip_space(p, end);
		digits = p;
		while (p < end && *p >= '0' && *p <= '9')
		{
			v = v * 10 + (uint64_t) (*p - '0');
			if (v > UINT32_MAX)
			{
				error->status = DECODE_OUT_OF_RANGE;
				error->position = (size_t) (digits - list);
				return DECODE_OUT_OF_RANGE;
			}
			p++;
		}
		if (p == digits)
			return syntax_error(error, list, p);
		if (out != NULL)
		{
			if (*n >= capacity)
				return syntax_error(error, list, digits);
			out[*n] = (uint32_t) v;
		}
		(*n)++;
		p = skip_space(p, end);
		if (p < end && *p == ',')
		{
			p++;
			continue;
		}
		if (p < end && *p == '}' && p + 1 == end)
			return DECODE_OK;
		return syntax_error(error, list, p);
	}
}
