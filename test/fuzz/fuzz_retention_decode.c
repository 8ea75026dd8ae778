/*
 * fuzz_retention_decode.c: libFuzzer target for the retention-KPI decoders:
 * churn_summary text and binary, churn periods, mrr_summary text, mrr_step
 * on rows read from the input, and activity ranges in PostgreSQL's on-disk
 * form.
 *
 * Input: one selector byte, then the payload.
 *   selector bits 0-2: 0 = churn_summary text (summary_text_scan, churn_from_fields)
 *                      1 = one period (churn_period_parse on the raw bytes)
 *                      2 = churn_summary binary (churn_decode_binary)
 *                      3 = mrr_summary text (summary_text_scan, mrr_from_fields)
 *                      4 = mrr rows: mrr_step on rows made from the payload
 *                      5 = an activity range (activity_range_decode)
 *                      6, 7 = as 0, 1
 *   selector bit 3:    mode 5 only: 0 = daterange, 1 = tstzrange
 * ASCII '0'..'5' select the six modes ('=' a tstzrange), which keeps text
 * seeds readable.
 *
 * Whatever decodes must be valid and survive a round trip through each of
 * its forms unchanged. Dates are checked against a closed-form Gregorian
 * model, and the mrr rows against an exact 128-bit model written here, never
 * against the core itself; a mismatch is reported with abort().
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TARGET "fuzz_retention_decode"
#include "fuzz_util.h"

#include "core/decimal.h"
#include "core/retention.h"
#include "core/summary_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef __int128 int128;
typedef unsigned __int128 uint128;

#define USEC_PER_DAY INT64_C(86400000000)

/* ---- a Gregorian model ---- */

static int64_t
floor_div64(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return q - (a % b != 0 && (a < 0) != (b < 0));
}

static bool
leap_year(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
month_days(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days from 2000-01-01, by counting leap years: (a, b] holds F(b) - F(a) of them. */
static int64_t
model_days(int64_t y, int m, int d)
{
#define F(n) (floor_div64((n), 4) - floor_div64((n), 100) + floor_div64((n), 400))
	int64_t		n = 365 * (y - 2000) + F(y - 1) - F(1999);
#undef F

	for (int i = 1; i < m; i++)
		n += month_days(y, i);
	return n + d - 1;
}

/*
 * Reads one bound of a canonical period at *p: a date, and a time if the
 * unit is microseconds. Returns its value from the model.
 */
static int64_t
model_bound(const char **p, bool micro)
{
	long long	y;
	int			m;
	int			d;
	int			hh = 0;
	int			mm = 0;
	int			ss = 0;
	int			us = 0;
	int			used = 0;
	int64_t		days;

	if (sscanf(*p, "%lld-%2d-%2d%n", &y, &m, &d, &used) != 3 || used == 0)
		fail("a canonical period bound does not read as a date");
	*p += used;
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		fail("a formatted date that does not exist");
	days = model_days(y, m, d);
	if (!micro)
		return days;
	used = 0;
	if (sscanf(*p, "T%2d:%2d:%2d.%6dZ%n", &hh, &mm, &ss, &us, &used) != 4 || used == 0)
		fail("a canonical timestamp bound does not read as a time");
	*p += used;
	if (hh > 23 || mm > 59 || ss > 59 || us > 999999)
		fail("a formatted time that does not exist");
	return days * USEC_PER_DAY + ((hh * INT64_C(60) + mm) * 60 + ss) * 1000000 + us;
}

/* ---- churn periods ---- */

static bool
same_period(const ChurnPeriod *a, const ChurnPeriod *b)
{
	return a->start == b->start && a->end == b->end && a->unit == b->unit &&
		a->end_inclusive == b->end_inclusive;
}

/*
 * The text with every year's leading zeros past four digits dropped: the one
 * liberty the grammar allows, so what remains must be the canonical text.
 * out needs len + 1 bytes.
 */
static size_t
strip_year_zeros(const char *text, size_t len, char *out)
{
	size_t		used = 0;

	for (size_t i = 0; i < len;)
	{
		bool		bound_starts = text[i] == '[' || text[i] == ',';

		out[used++] = text[i++];
		if (!bound_starts)
			continue;
		if (i < len && text[i] == '-')
			out[used++] = text[i++];
		{
			size_t		run = 0;

			while (i + run < len && text[i + run] >= '0' && text[i + run] <= '9')
				run++;
			while (run > 4 && text[i] == '0')
			{
				i++;
				run--;
			}
		}
	}
	out[used] = '\0';
	return used;
}

/*
 * A period that parsed: valid, formats to the canonical text of what was
 * parsed, parses back to itself, and its bounds are the model's.
 */
static void
check_period(const ChurnPeriod *p, const char *source, size_t source_len)
{
	char		text[CHURN_PERIOD_TEXT_MAX];
	char		again[CHURN_PERIOD_TEXT_MAX];
	size_t		n = churn_period_format(p, text, sizeof(text));
	ChurnPeriod back;
	char	   *copy;

	if (p->unit == CHURN_UNIT_NONE)
	{
		if (p->start != 0 || p->end != 0 || p->end_inclusive != 0)
			fail("\"none\" with bounds");
	}
	else if (!churn_period_valid(p))
		fail("an invalid period parsed");
	if (n == 0 || n != strlen(text) || n + 1 >= sizeof(text))
		fail("a parsed period does not format");
	copy = exact_copy(text, n);
	if (!churn_period_parse(copy, n, &back) || !same_period(&back, p))
		fail("a period's own text does not parse back to it");
	free(copy);
	if (churn_period_format(&back, again, sizeof(again)) != n || strcmp(text, again) != 0)
		fail("a period formats differently after a round trip");
	/* Buffers one byte short: nothing. */
	if (churn_period_format(p, again, n) != 0)
		fail("a period formatted into a buffer too small");

	if (source != NULL)
	{
		char	   *stripped = xmalloc(source_len + 1);
		size_t		slen = strip_year_zeros(source, source_len, stripped);

		if (slen != n || memcmp(stripped, text, n) != 0)
			fail("the parser accepted a text that is not the canonical one");
		free(stripped);
	}

	/* The bounds are the model's reading of the canonical text. */
	if (p->unit != CHURN_UNIT_NONE)
	{
		const char *at = text + 1;
		bool		micro = p->unit == CHURN_UNIT_MICROSECOND;

		if (model_bound(&at, micro) != p->start || *at++ != ',')
			fail("a period's start is not the model's");
		if (p->end == CHURN_NO_END)
		{
			if (strcmp(at, "infinity)") != 0)
				fail("an open period's text does not end in infinity)");
		}
		else if (model_bound(&at, micro) != p->end ||
				 strcmp(at, p->end_inclusive ? "]" : ")") != 0)
			fail("a period's end is not the model's");
	}
}

/* churn_classify, and add/remove/merge, on ranges around the period's bounds. */
static void
check_classify(const ChurnPeriod *p)
{
	ChurnSummary s;
	ChurnSummary twice;
	ActiveRange before = {p->start - 1, p->start, true, false, false};
	ActiveRange from_start = {p->start, CHURN_NO_END, true, false, false};
	ActiveRange open_start = {p->start, CHURN_NO_END, false, false, false};
	ActiveRange to_end = {CHURN_NO_START, p->end, false, true, false};
	ActiveRange past_end = {CHURN_NO_START, p->end + (p->end != CHURN_NO_END), false, false, false};

	if (p->unit == CHURN_UNIT_NONE)
		return;
	if (churn_classify(&before, p) != CHURN_NOT_IN_BASE ||
		churn_classify(&open_start, p) != CHURN_NOT_IN_BASE)
		fail("a customer gone, or not yet there, at the start is in the base");
	if (churn_classify(&from_start, p) != CHURN_RETAINED)
		fail("an open-ended customer from the start is not retained");
	if (p->end != CHURN_NO_END)
	{
		if (churn_classify(&to_end, p) != CHURN_CHURNED)
			fail("a customer ending at the period's end did not churn");
		if (churn_classify(&past_end, p) != CHURN_RETAINED)
			fail("a customer ending after the period churned");
	}
	else if (churn_classify(&past_end, p) != CHURN_RETAINED)
		fail("an open customer in an open period churned");

	memset(&s, 0, sizeof(s));
	if (churn_add(&s, p, &before) != KPI_OK || churn_add(&s, p, &from_start) != KPI_OK ||
		churn_add(&s, p, &to_end) != KPI_OK)
		fail("churn_add failed on its own period");
	if (s.customers_at_start != 2 || s.churned != (p->end != CHURN_NO_END) ||
		!same_period(&s.period, p) || churn_check(&s) != KPI_OK)
		fail("churn_add counted wrong");
	twice = s;
	if (churn_merge(&twice, &s) != KPI_OK || twice.customers_at_start != 4 ||
		twice.churned != 2 * s.churned || churn_check(&twice) != KPI_OK)
		fail("churn_merge of a summary with itself");
	if (churn_remove(&s, p, &to_end) != KPI_OK || churn_remove(&s, p, &from_start) != KPI_OK ||
		churn_remove(&s, p, &before) != KPI_OK)
		fail("churn_remove failed on rows just added");
	if (s.customers_at_start != 0 || s.churned != 0 || churn_check(&s) != KPI_OK)
		fail("churn_remove did not empty the summary");
	if (churn_remove(&s, p, &from_start) != KPI_NOT_IN_STATE)
		fail("churn_remove from an empty summary");
}

/* ---- mode 0: churn_summary text; mode 2: binary ---- */

/* A decoded summary: valid, and identical after a text and a binary round trip. */
static void
check_churn_summary(const ChurnSummary *s)
{
	char		period[CHURN_PERIOD_TEXT_MAX];
	char		text[256];
	char		again[256];
	unsigned char bytes[CHURN_BINARY_SIZE];
	TextFieldValue values[CHURN_NFIELDS];
	ChurnSummary back;
	DecodeError error;
	DecodeStatus status;
	char	   *copy;
	int			len;
	double		v;

	if (churn_check(s) != KPI_OK || s->customers_at_start < 0 || s->churned < 0 ||
		s->churned > s->customers_at_start)
		fail("a decoded churn summary breaks its invariant");
	if (churn_value(s, &v) != (s->customers_at_start > 0) ||
		(s->customers_at_start > 0 && !(v >= 0.0 && v <= 1.0)))
		fail("churn_value out of [0, 1]");
	if (churn_period_format(&s->period, period, sizeof(period)) == 0)
		fail("a decoded period does not format");
	check_period(&s->period, NULL, 0);
	check_classify(&s->period);

	/* Text. */
	len = snprintf(text, sizeof(text), "v1 customers_at_start=%" PRId64 " churned=%" PRId64
				   " period=%s", s->customers_at_start, s->churned, period);
	if (len <= 0 || (size_t) len >= sizeof(text))
		fail("churn text too long");
	copy = exact_copy(text, (size_t) len);
	status = summary_text_scan(copy, (size_t) len, churn_summary_fields, CHURN_NFIELDS,
							   values, &error);
	if (status == DECODE_OK)
		status = churn_from_fields(&back, copy, values, &error);
	free(copy);
	if (status != DECODE_OK)
		fail("a churn summary's own text is rejected");
	if (back.customers_at_start != s->customers_at_start || back.churned != s->churned ||
		!same_period(&back.period, &s->period))
		fail("churn text round trip changed the summary");
	churn_period_format(&back.period, period, sizeof(period));
	snprintf(again, sizeof(again), "v1 customers_at_start=%" PRId64 " churned=%" PRId64
			 " period=%s", back.customers_at_start, back.churned, period);
	if (strcmp(text, again) != 0)
		fail("churn text differs after a round trip");

	/* Binary. */
	churn_encode_binary(s, bytes);
	status = churn_decode_binary(bytes, sizeof(bytes), &back, &error);
	if (status != DECODE_OK)
		fail("a churn summary's own binary form is rejected");
	if (back.customers_at_start != s->customers_at_start || back.churned != s->churned ||
		!same_period(&back.period, &s->period))
		fail("churn binary round trip changed the summary");
}

static void
fuzz_churn_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	TextFieldValue values[CHURN_NFIELDS];
	DecodeError error;
	ChurnSummary s;
	DecodeStatus status = summary_text_scan(text, len, churn_summary_fields, CHURN_NFIELDS,
											values, &error);
	const TextFieldValue *word = &values[CHURN_FIELD_PERIOD];
	ChurnPeriod p;
	bool		period_ok;

	check_decode_error(status, &error, len, CHURN_NFIELDS);
	if (status != DECODE_OK)
		return;
	if (word->text_len == 0 || word->text_offset + word->text_len > len)
		fail("the period word is outside the text");
	for (size_t i = 0; i < word->text_len; i++)
	{
		unsigned char c = (unsigned char) text[word->text_offset + i];

		if (c <= ' ' || c >= 0x7f)
			fail("a word holds a space or a byte that is not printable ASCII");
	}
	if (values[CHURN_FIELD_CUSTOMERS_AT_START].count < 0 || values[CHURN_FIELD_CHURNED].count < 0)
		fail("a negative count");
	period_ok = churn_period_parse(text + word->text_offset, word->text_len, &p);

	memset(&s, 0x5a, sizeof(s));
	status = churn_from_fields(&s, text, values, &error);
	check_decode_error(status, &error, len, CHURN_NFIELDS);
	switch (status)
	{
		case DECODE_OK:
			if (!period_ok || !same_period(&p, &s.period))
				fail("churn_from_fields took a period churn_period_parse does not");
			check_period(&s.period, text + word->text_offset, word->text_len);
			check_churn_summary(&s);
			break;
		case DECODE_SYNTAX:
			if (period_ok || error.field != CHURN_FIELD_PERIOD ||
				error.position != word->text_offset)
				fail("a churn syntax error that is not the period's");
			break;
		case DECODE_INVARIANT:
			if (!period_ok || churn_check(&s) == KPI_OK)
				fail("a churn invariant error on a valid summary");
			break;
		default:
			fail("churn_from_fields returned an odd status");
	}
}

static void
fuzz_period(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	ChurnPeriod p;

	memset(&p, 0x5a, sizeof(p));
	if (!churn_period_parse(text, len, &p))
		return;
	if (p.unit == CHURN_UNIT_NONE && (len != 4 || memcmp(text, "none", 4) != 0))
		fail("a period without a unit that is not \"none\"");
	check_period(&p, text, len);
	check_classify(&p);
}

static void
fuzz_churn_binary(const unsigned char *bytes, size_t len, unsigned selector)
{
	ChurnSummary s;
	DecodeError error;
	DecodeStatus status;
	unsigned char again[CHURN_BINARY_SIZE];

	memset(&s, 0x5a, sizeof(s));
	status = churn_decode_binary(bytes, len, &s, &error);
	check_decode_error(status, &error, len, CHURN_NFIELDS);
	if (status == DECODE_LENGTH && len == CHURN_BINARY_SIZE)
		fail("a length error at the right length");
	if (status == DECODE_INVARIANT && churn_check(&s) == KPI_OK)
		fail("a churn invariant error on a valid summary");
	if (status != DECODE_OK)
		return;
	/* The binary form is canonical: it encodes back to the same bytes. */
	churn_encode_binary(&s, again);
	if (len != CHURN_BINARY_SIZE || memcmp(again, bytes, len) != 0)
		fail("a decoded churn summary encodes differently");
	check_churn_summary(&s);
}

/* ---- mode 3: mrr_summary text ---- */

/*
 * The canonical text of the decimal "[-]int[.frac]": leading zeros of the
 * integer part dropped (one kept) and no sign on zero, as decimal_format()
 * writes it. out needs len + 2 bytes.
 */
static size_t
canonical_decimal(const char *text, size_t len, char *out)
{
	size_t		pos = 0;
	size_t		used = 0;
	bool		negative = false;
	bool		nonzero = false;

	if (pos < len && text[pos] == '-')
	{
		negative = true;
		pos++;
	}
	for (size_t i = pos; i < len; i++)
		if (text[i] >= '1' && text[i] <= '9')
			nonzero = true;
	if (negative && nonzero)
		out[used++] = '-';
	while (pos + 1 < len && text[pos] == '0' && text[pos + 1] != '.')
		pos++;
	memcpy(out + used, text + pos, len - pos);
	used += len - pos;
	out[used] = '\0';
	return used;
}

static bool
same_sum(const DecimalSum *a, const DecimalSum *b)
{
	return a->held == b->held && a->scale_rows == b->scale_rows && a->scale == b->scale &&
		a->held_scale == b->held_scale && a->spilled == b->spilled;
}

/* The text of an mrr summary read from text: held sums written out, spilled ones as read. */
static char *
mrr_text(const MrrSummary *m, const char *source, const TextFieldValue *values, size_t *len)
{
	size_t		size = 64;
	char	   *out;
	size_t		used;

	for (int i = 0; i < MRR_NSUMS; i++)
		size += 64 + values[mrr_sum_field((MrrSumId) i)].text_len + DECIMAL_TEXT_MAX(m->sums[i].scale);
	out = xmalloc(size);
	used = (size_t) snprintf(out, size, "v1 rows=%" PRId64, m->rows);
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *s = &m->sums[i];
		const TextFieldValue *d = &values[mrr_sum_field((MrrSumId) i)];

		used += (size_t) snprintf(out + used, size - used, " %s=",
								  mrr_summary_fields[mrr_sum_field((MrrSumId) i)].name);
		if (s->spilled)
			used += canonical_decimal(source + d->text_offset, d->text_len, out + used);
		else
		{
			size_t		n = decimal_format(s->held, s->held_scale, s->scale, out + used,
										   size - used);

			if (n == 0)
				fail("a held mrr sum does not format at its display scale");
			used += n;
		}
		used += (size_t) snprintf(out + used, size - used, " %s=%" PRId64,
								  mrr_summary_fields[mrr_sum_field((MrrSumId) i) + 1].name,
								  s->scale_rows);
	}
	if (used >= size)
		fail("mrr text too long");
	*len = used;
	return out;
}

static void
fuzz_mrr_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	TextFieldValue values[MRR_NFIELDS];
	TextFieldValue values2[MRR_NFIELDS];
	DecodeError error;
	MrrSummary	m;
	MrrSummary	back;
	DecodeStatus status = summary_text_scan(text, len, mrr_summary_fields, MRR_NFIELDS,
											values, &error);
	char	   *again;
	char	   *copy;
	size_t		again_len;

	check_decode_error(status, &error, len, MRR_NFIELDS);
	if (status != DECODE_OK)
		return;
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const TextFieldValue *d = &values[mrr_sum_field((MrrSumId) i)];

		if (d->text_len == 0 || d->text_offset + d->text_len > len)
			fail("a decimal field outside the text");
		if (d->decimal_scale < 0 || d->decimal_scale > DECIMAL_MAX_SCALE)
			fail("a decimal scale out of range");
	}
	if (mrr_from_fields(&m, values) != KPI_OK)
		return;
	if (mrr_check(&m) != KPI_OK)
		fail("mrr_check disagrees with mrr_from_fields");
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *s = &m.sums[i];
		const TextFieldValue *d = &values[mrr_sum_field((MrrSumId) i)];

		if (s->scale != d->decimal_scale ||
			s->scale_rows != values[mrr_sum_field((MrrSumId) i) + 1].count)
			fail("an mrr sum from text lost its scale or scale rows");
		if (s->scale_rows > m.rows)
			fail("more rows at a scale than rows");
		if (!s->spilled)
		{
			char	   *canonical = xmalloc(d->text_len + 2);
			size_t		clen = canonical_decimal(text + d->text_offset, d->text_len, canonical);
			char	   *shown = xmalloc(DECIMAL_TEXT_MAX(s->scale));
			size_t		n = decimal_format(s->held, s->held_scale, s->scale, shown,
										   DECIMAL_TEXT_MAX(s->scale));

			if (!d->decimal_fits)
				fail("an mrr sum holds a decimal that does not fit");
			if (n != clen || memcmp(shown, canonical, n) != 0)
				fail("a held mrr sum does not write back its text");
			if (i != MRR_NET && s->held < 0)
				fail("a negative mrr sum that is not the net change");
			free(shown);
			free(canonical);
		}
		else if (s->held != 0)
			fail("a spilled mrr sum holds something");
	}

	/* Written back and read again: the same summary. */
	again = mrr_text(&m, text, values, &again_len);
	copy = exact_copy(again, again_len);
	status = summary_text_scan(copy, again_len, mrr_summary_fields, MRR_NFIELDS, values2, &error);
	if (status != DECODE_OK || mrr_from_fields(&back, values2) != KPI_OK)
		fail("an mrr summary's own text is rejected");
	if (back.rows != m.rows)
		fail("mrr text round trip changed the rows");
	for (int i = 0; i < MRR_NSUMS; i++)
		if (!same_sum(&back.sums[i], &m.sums[i]))
			fail("mrr text round trip changed a sum");
	free(copy);
	free(again);

	/* A row in and out again: the rows come back, and held sums too when nothing spilled. */
	{
		static const unsigned char one[] = {0x00, 0x80, 0x01, 0x00};	/* 1 */
		static const unsigned char two_and_half[] = {0x80, 0x80, 0x02, 0x00, 0x88, 0x13};	/* 2.5 */
		NumericView a;
		NumericView b;
		MrrRowSteps in;
		MrrRowSteps out;
		bool		all_done = true;

		if (numeric_view_decode(one, sizeof(one), &a) != DECODE_OK ||
			numeric_view_decode(two_and_half, sizeof(two_and_half), &b) != DECODE_OK)
			fail("the fixed numerics do not decode");
		back = m;
		if (mrr_step(&back, &a, &b, true, &in) != KPI_OK)
		{
			if (m.rows != INT64_MAX)
				fail("mrr_step refused a row");
			return;
		}
		if (mrr_step(&back, &a, &b, false, &out) != KPI_OK)
			fail("mrr_step refused to remove the row just added");
		if (back.rows != m.rows)
			fail("adding and removing a row changed the rows");
		for (int i = 0; i < MRR_NSUMS; i++)
			all_done &= in.step[i] == DECIMAL_DONE && out.step[i] == DECIMAL_DONE;
		for (int i = 0; all_done && i < MRR_NSUMS; i++)
		{
			const DecimalSum *s = &back.sums[i];
			const DecimalSum *o = &m.sums[i];

			if (s->spilled != o->spilled || s->scale != o->scale || s->scale_rows != o->scale_rows)
				fail("adding and removing a row changed a sum's bookkeeping");
			if (!o->spilled &&
				(s->held_scale < o->held_scale ||
				 s->held / decimal_pow10(s->held_scale - o->held_scale) != o->held ||
				 s->held % decimal_pow10(s->held_scale - o->held_scale) != 0))
				fail("adding and removing a row changed a held sum");
		}
	}
}

/* ---- mode 4: mrr rows against a 128-bit model ---- */

/*
 * The payload is a list of records. A record starts with a control byte c:
 * c & 0x80 removes the row at index (c & 0x3f) % rows; otherwise it adds a
 * row, whose next byte gives the display scales (start: low nibble, end: high
 * nibble, each taken % 16) and whose next 16 bytes the two mantissas (little
 * endian uint64). c & 1 makes mrr_start 0, c & 2 makes mrr_end 0, and c & 4
 * makes mrr_end equal to mrr_start (at its own scale when that is exact).
 * The model keeps every value at scale 16 in 128 bits: at most 2^64 * 10^16
 * each, and at most MODEL_ROWS of them. Records past MODEL_STEPS are ignored,
 * which keeps each run short.
 */
#define MODEL_SCALE 16
#define MODEL_ROWS 32
#define MODEL_STEPS 64

typedef struct RowValue
{
	uint128		mantissa;
	int			dscale;
	int128		v;				/* mantissa * 10^(MODEL_SCALE - dscale) */
	unsigned char bytes[64];	/* its numeric on-disk form */
	size_t		len;
} RowValue;

typedef struct Row
{
	RowValue	start;
	RowValue	end;
	/* What the row adds to each sum, read off the model. */
	bool		touched[MRR_NSUMS];
	uint8_t		value[MRR_NSUMS];
	int			dscale[MRR_NSUMS];
	int128		amount[MRR_NSUMS];
} Row;

static int128
pow10_i128(int n)
{
	int128		p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

static void
put_u16(unsigned char *out, unsigned v)
{
	uint16_t	x = (uint16_t) v;

	memcpy(out, &x, sizeof(x));
}

/*
 * PostgreSQL's numeric bytes of mantissa * 10^-dscale, written from the
 * format's description: base-10000 digits aligned on the decimal point,
 * zero digits at both ends stripped, zero with weight 0, the short header.
 */
static void
encode_value(RowValue *r)
{
	char		rev[64];
	char		aligned[96];
	int			n = 0;
	int			int_len;
	int			pad;
	int			used;
	int			ngroups;
	int			groups[24];
	int			first = 0;
	int			last;
	int			weight;
	size_t		len = 2;
	uint128		m = r->mantissa;

	/* Digits, least significant first, at least one before the point. */
	do
	{
		rev[n++] = (char) ('0' + (int) (m % 10));
		m /= 10;
	} while (m != 0);
	while (n < r->dscale + 1)
		rev[n++] = '0';
	int_len = n - r->dscale;
	pad = (4 - int_len % 4) % 4;
	memset(aligned, '0', (size_t) pad);
	used = pad;
	for (int i = n - 1; i >= 0; i--)
		aligned[used++] = rev[i];
	while (used % 4 != 0)
		aligned[used++] = '0';
	ngroups = used / 4;
	for (int g = 0; g < ngroups; g++)
		groups[g] = (aligned[4 * g] - '0') * 1000 + (aligned[4 * g + 1] - '0') * 100 +
			(aligned[4 * g + 2] - '0') * 10 + (aligned[4 * g + 3] - '0');
	weight = (pad + int_len) / 4 - 1;
	while (first < ngroups && groups[first] == 0)
	{
		first++;
		weight--;
	}
	last = ngroups;
	while (last > first && groups[last - 1] == 0)
		last--;
	if (first == last)
		weight = 0;
	put_u16(r->bytes, 0x8000 | ((unsigned) r->dscale << 7) | ((unsigned) weight & 0x7f));
	for (int g = first; g < last; g++, len += 2)
		put_u16(r->bytes + len, (unsigned) groups[g]);
	r->len = len;
}

static void
set_value(RowValue *r, uint128 mantissa, int dscale)
{
	r->mantissa = mantissa;
	r->dscale = dscale;
	r->v = (int128) mantissa * pow10_i128(MODEL_SCALE - dscale);
	encode_value(r);
}

static void
row_contributions(Row *row)
{
	int128		s = row->start.v;
	int128		e = row->end.v;
	int			both = row->start.dscale > row->end.dscale ? row->start.dscale : row->end.dscale;

	memset(row->touched, 0, sizeof(row->touched));
	memset(row->value, 0, sizeof(row->value));
#define SET(id, what, scale_, amount_) \
	(row->touched[id] = true, row->value[id] = (what), row->dscale[id] = (scale_), \
	 row->amount[id] = (amount_))
	if (s > 0)
	{
		SET(MRR_START, MRR_VALUE_START, row->start.dscale, s);
		SET(MRR_END, MRR_VALUE_END, row->end.dscale, e);
		if (e < s)
			SET(MRR_RETAINED, MRR_VALUE_END, row->end.dscale, e);
		else
			SET(MRR_RETAINED, MRR_VALUE_START, row->start.dscale, s);
		if (e > s)
			SET(MRR_EXPANSION, MRR_VALUE_GROWTH, both, e - s);
		if (e > 0 && e < s)
			SET(MRR_CONTRACTION, MRR_VALUE_LOSS, both, s - e);
		if (e == 0)
			SET(MRR_CHURNED, MRR_VALUE_START, row->start.dscale, s);
	}
	else if (e > 0)
		SET(MRR_NEW, MRR_VALUE_END, row->end.dscale, e);
	SET(MRR_NET, MRR_VALUE_GROWTH, both, e - s);
#undef SET
}

/* The model's display scale of sum i over rows, and how many rows have it. */
static void
model_scale(const Row *rows, int n, int i, int *scale, int *at_scale)
{
	*scale = 0;
	*at_scale = 0;
	for (int r = 0; r < n; r++)
	{
		if (!rows[r].touched[i])
			continue;
		if (rows[r].dscale[i] > *scale)
		{
			*scale = rows[r].dscale[i];
			*at_scale = 0;
		}
		*at_scale += rows[r].dscale[i] == *scale;
	}
}

/* One row in or out; true if a sum asked for a restart. */
static bool
step_row(MrrSummary *m, const Row *row, bool add, const Row *rows, int n)
{
	NumericView a;
	NumericView b;
	MrrRowSteps steps;
	bool		restart = false;
	MrrMovement movement;

	if (numeric_view_decode(row->start.bytes, row->start.len, &a) != DECODE_OK ||
		numeric_view_decode(row->end.bytes, row->end.len, &b) != DECODE_OK)
		fail("the model's numeric bytes do not decode");
	/* The comparison under the movement, against the model's. */
	{
		int			cmp = numeric_view_compare(&b, &a);
		int			expected = row->end.v > row->start.v ? 1 : row->end.v < row->start.v ? -1 : 0;

		if (cmp != expected || numeric_view_compare(&a, &b) != -expected)
			fail("numeric_view_compare disagrees with the model");
	}
	movement = mrr_movement_of(&a, &b);
	if ((movement == MRR_MOVEMENT_NEW) != row->touched[MRR_NEW] ||
		(movement == MRR_MOVEMENT_EXPANSION) != row->touched[MRR_EXPANSION] ||
		(movement == MRR_MOVEMENT_CONTRACTION) != row->touched[MRR_CONTRACTION] ||
		(movement == MRR_MOVEMENT_CHURNED) != row->touched[MRR_CHURNED])
		fail("mrr_movement_of disagrees with the model");
	if (mrr_step(m, &a, &b, add, &steps) != KPI_OK)
		fail("mrr_step refused a row");
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		if (steps.value[i] != (row->touched[i] ? row->value[i] : MRR_VALUE_NONE))
			fail("mrr_step took another value than the model's");
		if (!row->touched[i])
		{
			if (steps.step[i] != 0)
				fail("a step for a sum the row did not touch");
			continue;
		}
		if (!add)
		{
			int			scale;
			int			at_scale;

			model_scale(rows, n, i, &scale, &at_scale);
			if (row->dscale[i] == scale && at_scale == 1 && scale > 0)
			{
				if (steps.step[i] != DECIMAL_RESTART)
					fail("the last row at the display scale left without a restart");
				restart = true;
				continue;
			}
		}
		/* Everything here fits in 128 bits at scale 16: nothing may spill. */
		if (steps.step[i] != DECIMAL_DONE)
			fail("an mrr sum of small values did not hold");
	}
	return restart;
}

static void
check_model(const MrrSummary *m, const Row *rows, int n)
{
	int128		total[MRR_NSUMS];

	if (m->rows != n || mrr_check(m) != KPI_OK)
		fail("mrr rows or mrr_check");
	for (int i = 0; i < MRR_NSUMS; i++)
	{
		const DecimalSum *s = &m->sums[i];
		int128		expected = 0;
		int			scale;
		int			at_scale;

		for (int r = 0; r < n; r++)
			if (rows[r].touched[i])
				expected += rows[r].amount[i];
		model_scale(rows, n, i, &scale, &at_scale);
		if (s->spilled || s->held_scale > MODEL_SCALE || s->held_scale < 0)
			fail("an mrr sum spilled or went past scale 16");
		total[i] = s->held * pow10_i128(MODEL_SCALE - s->held_scale);
		if (total[i] != expected)
			fail("an mrr sum is not the model's");
		if (s->scale != scale || s->scale_rows != at_scale)
			fail("an mrr sum's display scale is not the model's");
	}
	if (total[MRR_NEW] + total[MRR_EXPANSION] - total[MRR_CONTRACTION] - total[MRR_CHURNED] !=
		total[MRR_NET] ||
		total[MRR_START] - total[MRR_CONTRACTION] - total[MRR_CHURNED] != total[MRR_RETAINED] ||
		total[MRR_END] - total[MRR_EXPANSION] != total[MRR_RETAINED])
		fail("the mrr identities do not hold");
}

static uint64_t
get_le64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int b = 7; b >= 0; b--)
		v = (v << 8) | p[b];
	return v;
}

static void
fuzz_mrr_rows(const unsigned char *payload, size_t len, unsigned selector)
{
	Row			rows[MODEL_ROWS];
	int			n = 0;
	MrrSummary	m;
	size_t		pos = 0;

	memset(&m, 0, sizeof(m));
	for (int step = 0; pos < len && step < MODEL_STEPS; step++)
	{
		unsigned	c = payload[pos++];
		Row			row;
		bool		add = !(c & 0x80) || n == 0;
		int			at = -1;

		if (add)
		{
			unsigned	scales;
			uint128		ms;
			uint128		me;
			int			ds;
			int			de;

			if (len - pos < 17 || n == MODEL_ROWS)
				break;
			scales = payload[pos];
			ds = (int) (scales & 15);
			de = (int) (scales >> 4);
			ms = get_le64(payload + pos + 1);
			me = get_le64(payload + pos + 9);
			pos += 17;
			if (c & 1)
				ms = 0;
			if (c & 2)
				me = 0;
			if (c & 4)
			{
				/* The same value at the end's scale, when that is exact; else at the start's. */
				if (de >= ds)
					me = ms * (uint128) pow10_i128(de - ds);
				else if (ms % (uint128) pow10_i128(ds - de) == 0)
					me = ms / (uint128) pow10_i128(ds - de);
				else
				{
					me = ms;
					de = ds;
				}
			}
			set_value(&row.start, ms, ds);
			set_value(&row.end, me, de);
			row_contributions(&row);
		}
		else
		{
			at = (int) ((c & 0x3f) % (unsigned) n);
			row = rows[at];
		}
		if (step_row(&m, &row, add, rows, n))
		{
			/* Start over from the rows left, as the window frame would. */
			rows[at] = rows[--n];
			memset(&m, 0, sizeof(m));
			for (int r = 0; r < n; r++)
				if (step_row(&m, &rows[r], true, rows, r))
					fail("a restart while adding");
		}
		else if (add)
			rows[n++] = row;
		else
			rows[at] = rows[--n];
		check_model(&m, rows, n);
	}
}

/* ---- mode 5: activity ranges ---- */

/* A bound as the format lays it out: int32 days or int64 microseconds, native-endian. */
static int64_t
model_bound_value(const unsigned char *at, bool micro)
{
	if (micro)
	{
		int64_t		v;

		memcpy(&v, at, 8);
		return v;				/* -infinity and infinity are INT64_MIN and INT64_MAX already */
	}
	else
	{
		int32_t		v;

		memcpy(&v, at, 4);
		return v == INT32_MIN ? CHURN_NO_START : v == INT32_MAX ? CHURN_NO_END : v;
	}
}

/* Bit 3 of the selector: a tstzrange (8-byte bounds) rather than a daterange. */
static void
fuzz_activity_range(const unsigned char *bytes, size_t len, unsigned selector)
{
	bool		micro = (selector & 8) != 0;
	size_t		element = micro ? 8 : 4;
	ActiveRange r;
	uint32_t	oid = 0;
	DecodeStatus status;
	DecodeStatus expected;
	unsigned	flags = len > 0 ? bytes[len - 1] : 0;
	int			nbounds = (flags & 0x01) ? 0 : !(flags & 0x08) + !(flags & 0x10);

	memset(&r, 0x5a, sizeof(r));
	status = activity_range_decode(bytes, len, micro ? CHURN_UNIT_MICROSECOND : CHURN_UNIT_DAY,
								   &oid, &r);
	/* The model, from PostgreSQL's range flags: empty 01, inclusive 02 04, infinite 08 10. */
	if (len < 5)
		expected = DECODE_LENGTH;
	else if ((flags & 0x60) != 0 || ((flags & 0x01) && flags != 0x01))
		expected = DECODE_SYNTAX;
	else
		expected = len == 5 + element * (size_t) nbounds ? DECODE_OK : DECODE_LENGTH;
	if (status != expected)
		fail("activity_range_decode disagrees with the model on a status");
	if (status != DECODE_OK)
		return;
	{
		uint32_t	model_oid;
		bool		has_lower = nbounds > 0 && !(flags & 0x08);
		bool		has_upper = nbounds > 0 && !(flags & 0x10);
		int64_t		lower = has_lower ? model_bound_value(bytes + 4, micro) : CHURN_NO_START;
		int64_t		upper = has_upper ?
			model_bound_value(bytes + 4 + (has_lower ? element : 0), micro) : CHURN_NO_END;

		memcpy(&model_oid, bytes, 4);
		if (oid != model_oid || r.empty != ((flags & 0x01) != 0) ||
			r.lower_inclusive != ((flags & 0x02) != 0) ||
			r.upper_inclusive != ((flags & 0x04) != 0) ||
			(!r.empty && (r.lower != lower || r.upper != upper)))
			fail("activity_range_decode disagrees with the model on a range");
	}

	/* The range as a row of a churn group: it classifies, and leaves as it came in. */
	{
		int64_t		lo = micro ? INT64_C(-211813488000000000) : INT64_C(-2451545);
		int64_t		hi = micro ? INT64_C(9223371331200000000) : INT64_C(2145031949);
		int64_t		start = !r.empty && r.lower > lo && r.lower < hi - 1 ? r.lower : 0;
		ChurnPeriod p = {start, !r.empty && r.upper > start && r.upper < hi ? r.upper : start + 1,
			micro ? CHURN_UNIT_MICROSECOND : CHURN_UNIT_DAY, 0};
		ChurnOutcome outcome = churn_classify(&r, &p);
		ChurnSummary s;

		if (!churn_period_valid(&p))
			fail("the model built an invalid period");
		if (r.empty && outcome != CHURN_NOT_IN_BASE)
			fail("an empty range is in the base");
		memset(&s, 0, sizeof(s));
		if (churn_add(&s, &p, &r) != KPI_OK ||
			s.customers_at_start != (outcome != CHURN_NOT_IN_BASE) ||
			s.churned != (outcome == CHURN_CHURNED) ||
			churn_remove(&s, &p, &r) != KPI_OK || s.customers_at_start != 0 || s.churned != 0)
			fail("an activity range does not add and remove cleanly");
	}
}

/* Byte 0: 0 churn text, 1 period, 2 churn binary, 3 MRR text, 4 MRR rows, 5 activity range. */
static const FuzzInput kinds[] = {
	fuzz_churn_text, fuzz_period, fuzz_churn_binary, fuzz_mrr_text, fuzz_mrr_rows, fuzz_activity_range
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dispatch(data, size, kinds, sizeof(kinds) / sizeof(kinds[0]));
}
