/*
 * fuzz_funnel_decode.c: libFuzzer target for the window_funnel and
 * retention decoders (src/core/funnel.h): funnel states as text and binary,
 * mode strings, and retention's condition counts as text and binary.
 *
 * Input: one selector byte, then the payload.
 *   selector bits 0-2: 0 = funnel state text (funnel_parse_text, with room
 *                          for funnel_text_event_bound events)
 *                      1 = funnel state binary (funnel_decode_binary_header,
 *                          then funnel_decode_binary_events)
 *                      2 = condition counts text (conditions_parse_text)
 *                      3 = condition counts binary (conditions_decode_binary)
 *                      4 = a mode string (funnel_modes_parse)
 *                      5, 6, 7 = as 0, 1, 2
 * ASCII '0'..'4' select the five modes, which keeps text seeds readable.
 *
 * Whatever decodes must be valid and survive a round trip through each of
 * its forms unchanged: the same state, the same events, the same counts.
 * The events of a decoded funnel state are then sorted (funnel_sort, checked
 * against qsort) and scanned (funnel_level), which must end, with a level in
 * 0..nsteps; on small states the level is also checked against a model
 * written here from the chain semantics in funnel.h (a dynamic program over
 * the entries, keeping the latest first time of the chains ending at each),
 * never against funnel.c. Mode strings are checked against a plain
 * split-on-commas model. A mismatch is reported with abort().
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_TARGET "fuzz_funnel_decode"
#include "fuzz_util.h"

#include "core/funnel.h"
#include "core/summary_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef __int128 int128;

#define USEC_PER_DAY INT64_C(86400000000)

/* The text form's fields: time, window, steps, modes, events. */
#define FUNNEL_NFIELDS 5
/* conditions, met */
#define CONDITIONS_NFIELDS 2

/* ---- deadlines ---- */

/*
 * Timestamps: first + time + days * 1 day + months * 31 days, saturating at
 * INT64_MAX (every part is >= 0 in a decoded state); the infinities are
 * their own deadline, as in the extension. Deterministic and non-decreasing
 * in first, which the model below relies on.
 */
static int64_t
timestamp_deadline(int64_t first, const void *arg)
{
	const FunnelWindow *w = arg;
	int128		d;

	if (first == FUNNEL_TIME_MINUS_INFINITY || first == FUNNEL_TIME_PLUS_INFINITY)
		return first;
	d = (int128) first + w->time + (int128) w->days * USEC_PER_DAY +
		(int128) w->months * 31 * USEC_PER_DAY;
	return d > INT64_MAX ? INT64_MAX : d < INT64_MIN ? INT64_MIN : (int64_t) d;
}

static void
deadline_for(const FunnelState *state, FunnelDeadline *fn, const void **arg)
{
	if (state->time_kind == FUNNEL_TIME_BIGINT)
	{
		*fn = funnel_bigint_deadline;
		*arg = &state->window.time;
	}
	else
	{
		*fn = timestamp_deadline;
		*arg = &state->window;
	}
}

/* ---- the level model ---- */

/*
 * Rows expanded into entries in funnel order (time, step, the row's set of
 * steps): sorted events give that order by walking each time's rows once per
 * step. A chain's prefix ends no later than the chain, so with a
 * non-decreasing deadline an entry reaches its level exactly when its time
 * is within the deadline of the latest first time of the chains (built
 * without the window) that end at it. Without strict_once that latest first
 * time is one number per entry; with strict_once, one per entry and set of
 * rows used, so the model runs on few rows only.
 */
#define MODEL_MAX_ROWS 48
#define MODEL_ONCE_MAX_ROWS 8
#define MODEL_MAX_ENTRIES (MODEL_MAX_ROWS * (FUNNEL_MAX_STEPS + 1))
#define MODEL_ONCE_MAX_ENTRIES (MODEL_ONCE_MAX_ROWS * (FUNNEL_MAX_STEPS + 1))
#define MODEL_MASKS (1 << MODEL_ONCE_MAX_ROWS)

typedef struct ModelEntry
{
	int64_t		ts;
	int			step;			/* 0 for a row matching no step */
	int			row;
} ModelEntry;

static ModelEntry model_entries[MODEL_MAX_ENTRIES];
static bool model_has[MODEL_MAX_ENTRIES];
static int64_t model_first[MODEL_MAX_ENTRIES];
static bool once_has[MODEL_ONCE_MAX_ENTRIES][MODEL_MASKS];
static int64_t once_first[MODEL_ONCE_MAX_ENTRIES][MODEL_MASKS];

static bool
model_can_precede(const ModelEntry *p, const ModelEntry *e, bool increase)
{
	return p->step == e->step - 1 && (increase ? p->ts < e->ts : p->ts <= e->ts);
}

static int
model_level(const FunnelEvent *ev, size_t n, int nsteps, unsigned modes,
			FunnelDeadline deadline, const void *arg)
{
	const bool	strict_order = (modes & FUNNEL_STRICT_ORDER) != 0;
	const bool	dedup = (modes & FUNNEL_STRICT_DEDUPLICATION) != 0;
	const bool	increase = (modes & FUNNEL_STRICT_INCREASE) != 0;
	const bool	once = (modes & FUNNEL_STRICT_ONCE) != 0;
	int			nentries = 0;
	int			reached = 0;
	bool		first_seen = false;

	/* The entries, in funnel order. */
	for (size_t i = 0; i < n;)
	{
		size_t		j = i;

		while (j < n && ev[j].ts == ev[i].ts)
			j++;
		for (int k = 0; k <= nsteps; k++)
			for (size_t r = i; r < j; r++)
				if (k == 0 ? ev[r].steps == 0 : (ev[r].steps & (UINT32_C(1) << (k - 1))) != 0)
					model_entries[nentries++] = (ModelEntry) {ev[r].ts, k, (int) r};
		i = j;
	}

	/* The latest first time of the chains ending at each entry. */
	for (int e = 0; e < nentries; e++)
	{
		const ModelEntry *x = &model_entries[e];

		if (!once)
		{
			model_has[e] = x->step == 1;
			model_first[e] = x->ts;
			if (x->step < 2)
				continue;
			for (int p = 0; p < e; p++)
			{
				if (!model_has[p] || !model_can_precede(&model_entries[p], x, increase))
					continue;
				if (!model_has[e] || model_first[p] > model_first[e])
					model_first[e] = model_first[p];
				model_has[e] = true;
			}
			continue;
		}
		memset(once_has[e], 0, sizeof(once_has[e]));
		if (x->step == 1)
		{
			once_has[e][1 << x->row] = true;
			once_first[e][1 << x->row] = x->ts;
			continue;
		}
		if (x->step == 0)
			continue;
		for (int p = 0; p < e; p++)
		{
			if (!model_can_precede(&model_entries[p], x, increase))
				continue;
			for (int mask = 0; mask < MODEL_MASKS; mask++)
			{
				int			to = mask | (1 << x->row);

				if (!once_has[p][mask] || (mask & (1 << x->row)))
					continue;
				if (!once_has[e][to] || once_first[p][mask] > once_first[e][to])
					once_first[e][to] = once_first[p][mask];
				once_has[e][to] = true;
			}
		}
	}

	/* The scan. */
	for (int e = 0; e < nentries; e++)
	{
		const ModelEntry *x = &model_entries[e];
		bool		reaches = false;

		if (x->step == 0)
		{
			if (strict_order && first_seen)
				break;
			continue;
		}
		if (x->step == 1)
			first_seen = true;
		else
		{
			if (dedup && reached >= x->step)
				break;
			if (strict_order && first_seen && reached < x->step - 1)
				break;
		}
		if (!once)
			reaches = model_has[e] && x->ts <= deadline(model_first[e], arg);
		else
			for (int mask = 0; mask < MODEL_MASKS && !reaches; mask++)
				reaches = once_has[e][mask] && x->ts <= deadline(once_first[e][mask], arg);
		if (reaches && x->step > reached)
			reached = x->step;
	}
	return reached;
}

/* ---- funnel states ---- */

static bool
same_state(const FunnelState *a, const FunnelState *b)
{
	return a->nevents == b->nevents && a->window.months == b->window.months &&
		a->window.days == b->window.days && a->window.time == b->window.time &&
		a->time_kind == b->time_kind && a->nsteps == b->nsteps && a->modes == b->modes &&
		a->sorted == b->sorted && a->reserved == b->reserved;
}

static bool
same_events(const FunnelEvent *a, const FunnelEvent *b, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
		if (a[i].ts != b[i].ts || a[i].steps != b[i].steps || a[i].reserved != b[i].reserved)
			return false;
	return true;
}

static int
event_cmp(const void *pa, const void *pb)
{
	const FunnelEvent *a = pa;
	const FunnelEvent *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->steps > b->steps) - (a->steps < b->steps);
}

/* Sorting and the level, on a copy of the events. */
static void
check_level(const FunnelState *s, const FunnelEvent *events)
{
	size_t		n = (size_t) s->nevents;
	FunnelEvent *sorted = exact_copy(events, n * sizeof(FunnelEvent));
	FunnelEvent *expected = exact_copy(events, n * sizeof(FunnelEvent));
	FunnelDeadline deadline;
	const void *arg;
	int			level;

	funnel_sort(sorted, n);
	qsort(expected, n, sizeof(FunnelEvent), event_cmp);
	/* Events equal in funnel order are equal, so a correct sort gives qsort's array. */
	if (!funnel_is_sorted(sorted, n) || !same_events(sorted, expected, (int64_t) n))
		fail("funnel_sort did not sort the events into funnel order");
	if (funnel_is_sorted(events, n) != (s->sorted != 0))
		fail("the sorted hint is not the events' order");

	deadline_for(s, &deadline, &arg);
	level = funnel_level(sorted, n, s->nsteps, s->modes, deadline, arg);
	if (level < 0 || level > s->nsteps)
		fail("funnel_level outside 0..nsteps");
	if (n <= ((s->modes & FUNNEL_STRICT_ONCE) ? MODEL_ONCE_MAX_ROWS : MODEL_MAX_ROWS))
	{
		int			model = model_level(sorted, n, s->nsteps, s->modes, deadline, arg);

		if (model != level)
		{
			fprintf(stderr, "%s: funnel_level %d, model %d\n", FUZZ_TARGET, level, model);
			fail("funnel_level disagrees with the chain model");
		}
	}
	/* The scan reads nothing but the events: a second one agrees. */
	if (funnel_level(sorted, n, s->nsteps, s->modes, deadline, arg) != level)
		fail("funnel_level is not deterministic");
	free(sorted);
	free(expected);
}

static FunnelEvent *
alloc_events(size_t n)
{
	return xmalloc(n * sizeof(FunnelEvent));
}

/* Text: formats, parses back to the same state and events, formats the same. */
static void
check_funnel_text(const FunnelState *s, const FunnelEvent *events)
{
	size_t		max = funnel_text_max(s);
	char	   *text = xmalloc(max);
	char	   *again;
	char	   *copy;
	size_t		n = funnel_format_text(s, events, text, max);
	size_t		capacity;
	FunnelState back;
	FunnelEvent *back_events;
	DecodeError error;
	DecodeStatus status;

	if (n == 0 || n >= max || strlen(text) != n)
		fail("a valid funnel state does not format within funnel_text_max");
	copy = exact_copy(text, n);
	capacity = funnel_text_event_bound(copy, n);
	if (capacity < (size_t) s->nevents)
		fail("funnel_text_event_bound below the events of a formatted state");
	back_events = alloc_events(capacity);
	memset(&back, 0x5a, sizeof(back));
	status = funnel_parse_text(copy, n, &back, back_events, capacity, &error);
	check_decode_error(status, &error, n, FUNNEL_NFIELDS);
	if (status != DECODE_OK)
	{
		fprintf(stderr, "%s: %.*s\n", FUZZ_TARGET, (int) n, text);
		fail("a funnel state's own text is rejected");
	}
	if (!same_state(&back, s) || !same_events(back_events, events, s->nevents) ||
		!funnel_same_parameters(&back, s))
		fail("funnel text round trip changed the state");

	/* The same text again, and nothing in a buffer one byte short. */
	again = xmalloc(max);
	if (funnel_format_text(&back, back_events, again, max) != n || memcmp(again, text, n + 1) != 0)
		fail("funnel text differs after a round trip");
	free(again);
	again = xmalloc(n);
	if (funnel_format_text(s, events, again, n) != 0)
		fail("a funnel state formatted into a buffer too small");
	free(again);

	free(back_events);
	free(copy);
	free(text);
}

/* Binary: encodes, decodes to the same state and events, encodes the same bytes. */
static void
check_funnel_binary(const FunnelState *s, const FunnelEvent *events, const unsigned char *source,
					size_t source_len)
{
	size_t		len = FUNNEL_BINARY_HEADER + (size_t) s->nevents * FUNNEL_BINARY_EVENT;
	unsigned char *bytes = xmalloc(len);
	unsigned char *again;
	FunnelState back;
	FunnelEvent *back_events;
	DecodeError error;
	DecodeStatus status;

	funnel_encode_binary(s, events, bytes);
	/* The binary form is canonical: what decoded encodes back to its bytes. */
	if (source != NULL && (source_len != len || memcmp(source, bytes, len) != 0))
		fail("a decoded funnel state encodes differently");
	memset(&back, 0x5a, sizeof(back));
	status = funnel_decode_binary_header(bytes, len, &back, &error);
	check_decode_error(status, &error, len, FUNNEL_NFIELDS);
	if (status != DECODE_OK || back.nevents != s->nevents)
		fail("a funnel state's own binary header is rejected");
	back_events = alloc_events((size_t) back.nevents);
	status = funnel_decode_binary_events(bytes, len, &back, back_events, &error);
	check_decode_error(status, &error, len, FUNNEL_NFIELDS);
	if (status != DECODE_OK)
		fail("a funnel state's own binary events are rejected");
	if (!same_state(&back, s) || !same_events(back_events, events, s->nevents) ||
		!funnel_same_parameters(&back, s))
		fail("funnel binary round trip changed the state");
	again = xmalloc(len);
	funnel_encode_binary(&back, back_events, again);
	if (memcmp(again, bytes, len) != 0)
		fail("funnel binary differs after a round trip");
	free(again);
	free(back_events);
	free(bytes);
}

/* A decoded funnel state: valid, round trips, sorts and scans. */
static void
check_funnel(const FunnelState *s, const FunnelEvent *events, const unsigned char *binary,
			 size_t binary_len)
{
	if (funnel_check(s, events) != KPI_OK)
		fail("a decoded funnel state fails funnel_check");
	if (s->reserved != 0)
		fail("a decoded funnel state with reserved bits");
	for (int64_t i = 0; i < s->nevents; i++)
		if (events[i].reserved != 0)
			fail("a decoded event with reserved bits");
	check_funnel_text(s, events);
	check_funnel_binary(s, events, binary, binary_len);
	check_level(s, events);
}

static void
fuzz_funnel_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	size_t		capacity = funnel_text_event_bound(text, len);
	FunnelEvent *events;
	FunnelState s;
	DecodeError error;
	DecodeStatus status;

	if (capacity < 1)
		fail("funnel_text_event_bound of 0");
	events = alloc_events(capacity);
	memset(&s, 0x5a, sizeof(s));
	status = funnel_parse_text(text, len, &s, events, capacity, &error);
	check_decode_error(status, &error, len, FUNNEL_NFIELDS);
	if (status == DECODE_INVARIANT && funnel_check(&s, events) == KPI_OK)
		fail("a funnel invariant error on a valid state");
	if (status == DECODE_LENGTH)
		fail("a length error from text");
	if (status == DECODE_OK)
	{
		if (s.nevents < 0 || (size_t) s.nevents > capacity)
			fail("more events than the room given");
		check_funnel(&s, events, NULL, 0);

		/* With room for exactly its events it parses too; with one less, not. */
		{
			FunnelEvent *exact = alloc_events((size_t) s.nevents);
			FunnelState t;

			status = funnel_parse_text(text, len, &t, exact, (size_t) s.nevents, &error);
			if (status != DECODE_OK || !same_state(&t, &s) || !same_events(exact, events, s.nevents))
				fail("a funnel text with exactly enough room reads differently");
			if (s.nevents > 0)
			{
				status = funnel_parse_text(text, len, &t, exact, (size_t) s.nevents - 1, &error);
				check_decode_error(status, &error, len, FUNNEL_NFIELDS);
				if (status == DECODE_OK)
					fail("a funnel text read into too little room");
			}
			free(exact);
		}
	}
	free(events);
}

static void
fuzz_funnel_binary(const unsigned char *bytes, size_t len, unsigned selector)
{
	FunnelState s;
	FunnelEvent *events;
	DecodeError error;
	DecodeStatus status;
	DecodeStatus expected;

	memset(&s, 0x5a, sizeof(s));
	status = funnel_decode_binary_header(bytes, len, &s, &error);
	check_decode_error(status, &error, len, FUNNEL_NFIELDS);
	/* The header's outcome, from the format's description. */
	if (len < FUNNEL_BINARY_HEADER)
		expected = DECODE_LENGTH;
	else if (bytes[0] != SUMMARY_TEXT_VERSION)
		expected = DECODE_VERSION;
	else
	{
		uint64_t	nevents = 0;

		for (int b = 0; b < 8; b++)
			nevents = (nevents << 8) | bytes[20 + b];
		expected = (len - FUNNEL_BINARY_HEADER) % FUNNEL_BINARY_EVENT == 0 &&
			nevents == (len - FUNNEL_BINARY_HEADER) / FUNNEL_BINARY_EVENT ?
			DECODE_OK : DECODE_LENGTH;
	}
	if (status != expected)
		fail("funnel_decode_binary_header disagrees with the format on a status");
	if (status != DECODE_OK)
		return;
	if (s.nevents < 0 || (size_t) s.nevents != (len - FUNNEL_BINARY_HEADER) / FUNNEL_BINARY_EVENT)
		fail("a binary header with another count of events than its length holds");

	events = alloc_events((size_t) s.nevents);
	status = funnel_decode_binary_events(bytes, len, &s, events, &error);
	check_decode_error(status, &error, len, FUNNEL_NFIELDS);
	if (status == DECODE_INVARIANT && funnel_check(&s, events) == KPI_OK)
		fail("a funnel invariant error on a valid state");
	if (status == DECODE_OK)
		check_funnel(&s, events, bytes, len);
	else if (status != DECODE_INVARIANT)
		fail("funnel_decode_binary_events returned an odd status");
	free(events);
}

/* ---- condition counts ---- */

/* Merging with itself doubles the counts, or overflows and changes nothing. */
static void
check_conditions_steps(const ConditionCounts *c)
{
	ConditionCounts twice = *c;
	ConditionCounts row = *c;
	bool		overflow = false;
	bool		full = false;
	uint32_t	all;
	KpiStatus	status;

	for (int i = 0; i < c->nconditions; i++)
	{
		overflow |= c->met[i] > INT64_MAX - c->met[i];
		full |= c->met[i] == INT64_MAX;
	}
	status = conditions_merge(&twice, c);
	if (status != (overflow ? KPI_OVERFLOW : KPI_OK))
		fail("conditions_merge of counts with themselves: the status");
	for (int i = 0; i < FUNNEL_MAX_STEPS; i++)
		if (twice.met[i] != (overflow ? c->met[i] : 2 * c->met[i]))
			fail("conditions_merge of counts with themselves: the counts");
	if (twice.nconditions != c->nconditions || conditions_check(&twice) != KPI_OK)
		fail("conditions_merge broke the counts");
	if (c->nconditions == 0)
		return;

	/* A row meeting every condition, added and removed. */
	all = c->nconditions == 32 ? UINT32_MAX : (UINT32_C(1) << c->nconditions) - 1;
	status = conditions_add(&row, (int) c->nconditions, all);
	if (status != (full ? KPI_OVERFLOW : KPI_OK))
		fail("conditions_add: the status");
	for (int i = 0; i < c->nconditions; i++)
		if (row.met[i] != c->met[i] + !full)
			fail("conditions_add: the counts");
	if (!full && (conditions_remove(&row, (int) c->nconditions, all) != KPI_OK ||
				  memcmp(&row, c, sizeof(row)) != 0))
		fail("conditions_remove did not undo conditions_add");
	if (c->nconditions < FUNNEL_MAX_STEPS &&
		conditions_add(&row, (int) c->nconditions + 1, 1) != KPI_INCONSISTENT)
		fail("conditions_add with another count of conditions");
}

static void
check_conditions(const ConditionCounts *c, const unsigned char *binary, size_t binary_len)
{
	char		text[CONDITIONS_TEXT_MAX];
	char		again[CONDITIONS_TEXT_MAX];
	unsigned char bytes[CONDITIONS_BINARY_MAX];
	unsigned char *exact;
	char	   *copy;
	ConditionCounts back;
	DecodeError error;
	DecodeStatus status;
	int32_t		result[FUNNEL_MAX_STEPS];
	size_t		n;

	if (conditions_check(c) != KPI_OK)
		fail("decoded condition counts fail conditions_check");
	for (int i = 0; i < c->nconditions; i++)
		if (c->met[i] < 0)
			fail("a negative met count");
	conditions_retention(c, result);
	for (int i = 0; i < c->nconditions; i++)
		if (result[i] != (c->met[0] > 0 && c->met[i] > 0))
			fail("conditions_retention is not c1 and ci");
	check_conditions_steps(c);

	/* Text. */
	n = conditions_format_text(c, text, sizeof(text));
	if (n == 0 || n >= sizeof(text) || strlen(text) != n)
		fail("condition counts do not format within CONDITIONS_TEXT_MAX");
	copy = exact_copy(text, n);
	memset(&back, 0x5a, sizeof(back));
	status = conditions_parse_text(copy, n, &back, &error);
	check_decode_error(status, &error, n, CONDITIONS_NFIELDS);
	free(copy);
	if (status != DECODE_OK)
		fail("condition counts' own text is rejected");
	if (memcmp(&back, c, sizeof(back)) != 0)
		fail("conditions text round trip changed the counts");
	if (conditions_format_text(&back, again, sizeof(again)) != n || strcmp(again, text) != 0)
		fail("conditions text differs after a round trip");
	copy = xmalloc(n);
	if (conditions_format_text(c, copy, n) != 0)
		fail("condition counts formatted into a buffer too small");
	free(copy);

	/* Binary. */
	n = conditions_encode_binary(c, bytes);
	if (n != 9 + 8 * (size_t) c->nconditions)
		fail("conditions_encode_binary's length");
	if (binary != NULL && (binary_len != n || memcmp(binary, bytes, n) != 0))
		fail("decoded condition counts encode differently");
	exact = exact_copy(bytes, n);
	memset(&back, 0x5a, sizeof(back));
	status = conditions_decode_binary(exact, n, &back, &error);
	check_decode_error(status, &error, n, CONDITIONS_NFIELDS);
	free(exact);
	if (status != DECODE_OK)
		fail("condition counts' own binary form is rejected");
	if (memcmp(&back, c, sizeof(back)) != 0)
		fail("conditions binary round trip changed the counts");
}

static void
fuzz_conditions_text(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	ConditionCounts c;
	DecodeError error;
	DecodeStatus status;

	memset(&c, 0x5a, sizeof(c));
	status = conditions_parse_text(text, len, &c, &error);
	check_decode_error(status, &error, len, CONDITIONS_NFIELDS);
	if (status == DECODE_LENGTH)
		fail("a length error from text");
	if (status == DECODE_OK)
		check_conditions(&c, NULL, 0);
}

static void
fuzz_conditions_binary(const unsigned char *bytes, size_t len, unsigned selector)
{
	ConditionCounts c;
	DecodeError error;
	DecodeStatus status;

	memset(&c, 0x5a, sizeof(c));
	status = conditions_decode_binary(bytes, len, &c, &error);
	check_decode_error(status, &error, len, CONDITIONS_NFIELDS);
	if (status == DECODE_LENGTH && len >= 9 && bytes[0] == SUMMARY_TEXT_VERSION)
	{
		uint64_t	n = 0;

		for (int b = 0; b < 8; b++)
			n = (n << 8) | bytes[1 + b];
		if (n <= FUNNEL_MAX_STEPS && len == 9 + 8 * n)
			fail("a conditions length error at the right length");
	}
	if (status == DECODE_INVARIANT && conditions_check(&c) == KPI_OK)
		fail("a conditions invariant error on valid counts");
	if (status == DECODE_OK)
		check_conditions(&c, bytes, len);
}

/* ---- mode strings ---- */

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Names split on commas, each trimmed of blanks; all blank is no modes. */
static bool
model_modes(const char *text, size_t len, unsigned *modes)
{
	static const char *const names[] = {
		"strict_order", "strict_deduplication", "strict_increase", "strict_once"
	};
	size_t		start = 0;
	bool		all_blank = true;

	*modes = 0;
	for (size_t i = 0; i < len; i++)
		all_blank &= blank(text[i]);
	if (all_blank)
		return true;
	for (;;)
	{
		size_t		end = start;
		size_t		a;
		size_t		b;
		int			m;

		while (end < len && text[end] != ',')
			end++;
		a = start;
		b = end;
		while (a < b && blank(text[a]))
			a++;
		while (b > a && blank(text[b - 1]))
			b--;
		for (m = 0; m < 4; m++)
			if (strlen(names[m]) == b - a && memcmp(text + a, names[m], b - a) == 0)
				break;
		if (m == 4)
			return false;
		*modes |= 1u << m;
		if (end == len)
			return true;
		start = end + 1;
	}
}

static void
fuzz_modes(const unsigned char *payload, size_t len, unsigned selector)
{
	const char *text = (const char *) payload;
	unsigned	modes = 0x5a5a;
	unsigned	expected;
	bool		ok = funnel_modes_parse(text, len, &modes);
	bool		model_ok = model_modes(text, len, &expected);
	char		buf[FUNNEL_MODES_TEXT_MAX];
	char	   *copy;
	unsigned	back;
	size_t		n;

	if (ok != model_ok || (ok && modes != expected))
		fail("funnel_modes_parse disagrees with the model");
	if (!ok)
		return;
	if ((modes & ~FUNNEL_MODES_KNOWN) != 0)
		fail("a mode outside FUNNEL_MODES_KNOWN");
	n = funnel_modes_format(modes, buf, sizeof(buf));
	if (n == 0 || n >= sizeof(buf) || strlen(buf) != n)
		fail("parsed modes do not format");
	if (modes == 0)
	{
		if (strcmp(buf, "none") != 0)
			fail("no modes do not format as none");
		return;
	}
	copy = exact_copy(buf, n);
	if (!funnel_modes_parse(copy, n, &back) || back != modes)
		fail("the modes' own text does not parse back to them");
	free(copy);
	copy = xmalloc(n);
	if (funnel_modes_format(modes, copy, n) != 0)
		fail("modes formatted into a buffer too small");
	free(copy);
}

/* Byte 0: 0 funnel text, 1 funnel binary, 2 conditions text, 3 conditions binary, 4 modes. */
static const FuzzInput kinds[] = {
	fuzz_funnel_text, fuzz_funnel_binary, fuzz_conditions_text, fuzz_conditions_binary, fuzz_modes
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dispatch(data, size, kinds, sizeof(kinds) / sizeof(kinds[0]));
}
