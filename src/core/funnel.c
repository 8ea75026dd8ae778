/*
 * funnel.c: window_funnel's scan and state codecs, and retention's
 * condition counts; see funnel.h.
 */
#include "funnel.h"

#include "calendar.h"
#include "summary_text.h"

#include <stdio.h>
#include <string.h>

/* ---------- modes ---------- */

static const char *const mode_names[] = {
	"strict_order", "strict_deduplication", "strict_increase", "strict_once"
};
#define NMODES ((int) (sizeof(mode_names) / sizeof(mode_names[0])))

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
funnel_modes_parse(const char *text, size_t len, unsigned *modes)
{
	size_t		pos = 0;

	*modes = 0;
	while (pos < len && is_blank(text[pos]))
		pos++;
	if (pos == len)
		return true;

	for (;;)
	{
		size_t		start;
		size_t		end;
		int			m;

		while (pos < len && is_blank(text[pos]))
			pos++;
		start = pos;
		while (pos < len && text[pos] != ',' && !is_blank(text[pos]))
			pos++;
		end = pos;
		for (m = 0; m < NMODES; m++)
			if (strlen(mode_names[m]) == end - start &&
				memcmp(text + start, mode_names[m], end - start) == 0)
				break;
		if (m == NMODES)
			return false;
		*modes |= 1u << m;
		while (pos < len && is_blank(text[pos]))
			pos++;
		if (pos == len)
			return true;
		if (text[pos] != ',')
			return false;
		pos++;
	}
}

size_t
funnel_modes_format(unsigned modes, char *buf, size_t bufsize)
{
	size_t		n = 0;

	if (bufsize == 0)
		return 0;
	buf[0] = '\0';
	if ((modes & FUNNEL_MODES_KNOWN) == 0)
		return bufsize > 4 ? (size_t) snprintf(buf, bufsize, "none") : 0;
	for (int m = 0; m < NMODES; m++)
	{
		if (!(modes & (1u << m)))
			continue;
		n += (size_t) snprintf(buf + n, n < bufsize ? bufsize - n : 0, "%s%s",
							   n > 0 ? "," : "", mode_names[m]);
		if (n >= bufsize)
			return 0;
	}
	return n;
}

bool
funnel_window_valid(const FunnelWindow *w, FunnelTime time_kind)
{
	if (w->months < 0 || w->days < 0 || w->time < 0)
		return false;
	if (time_kind == FUNNEL_TIME_BIGINT && (w->months != 0 || w->days != 0))
		return false;
	return w->months > 0 || w->days > 0 || w->time > 0;
}

/* ---------- sorting ---------- */

int64_t
funnel_bigint_deadline(int64_t first, const void *window_time)
{
	int64_t		window = *(const int64_t *) window_time;

	return first > INT64_MAX - window ? INT64_MAX : first + window;
}

bool
funnel_is_sorted(const FunnelEvent *events, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (funnel_event_before(&events[i], &events[i - 1]))
			return false;
	return true;
}

static void
swap_events(FunnelEvent *a, FunnelEvent *b)
{
	FunnelEvent t = *a;

	*a = *b;
	*b = t;
}

static void
insertion_sort(FunnelEvent *e, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		FunnelEvent x = e[i];
		size_t		j = i;

		while (j > 0 && funnel_event_before(&x, &e[j - 1]))
		{
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
}

static void
sift_down(FunnelEvent *e, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && funnel_event_before(&e[child], &e[child + 1]))
			child++;
		if (!funnel_event_before(&e[root], &e[child]))
			return;
		swap_events(&e[root], &e[child]);
		root = child;
	}
}

static void
heap_sort(FunnelEvent *e, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(e, i, n);
	for (size_t end = n; end-- > 1;)
	{
		swap_events(&e[0], &e[end]);
		sift_down(e, 0, end);
	}
}

/* Quicksort with a median of three, handing small or too-deep parts to simpler sorts. */
static void
intro_sort(FunnelEvent *e, size_t n, int depth)
{
	while (n > 24)
	{
		FunnelEvent pivot;
		size_t		i;
		size_t		j;

		if (depth-- == 0)
		{
			heap_sort(e, n);
			return;
		}
		if (funnel_event_before(&e[n / 2], &e[0]))
			swap_events(&e[n / 2], &e[0]);
		if (funnel_event_before(&e[n - 1], &e[0]))
			swap_events(&e[n - 1], &e[0]);
		if (funnel_event_before(&e[n - 1], &e[n / 2]))
			swap_events(&e[n - 1], &e[n / 2]);
		pivot = e[n / 2];

		/* Hoare partition: stops on equal keys, so runs of ties split evenly. */
		i = 0;
		j = n - 1;
		for (;;)
		{
			while (funnel_event_before(&e[i], &pivot))
				i++;
			while (funnel_event_before(&pivot, &e[j]))
				j--;
			if (i >= j)
				break;
			swap_events(&e[i], &e[j]);
			i++;
			j--;
		}
		/* [0, j] and [j + 1, n): recurse into the smaller part. */
		if (j + 1 < n - (j + 1))
		{
			intro_sort(e, j + 1, depth);
			e += j + 1;
			n -= j + 1;
		}
		else
		{
			intro_sort(e + j + 1, n - (j + 1), depth);
			n = j + 1;
		}
	}
	insertion_sort(e, n);
}

void
funnel_sort(FunnelEvent *events, size_t n)
{
	int			depth = 0;

	if (funnel_is_sorted(events, n))
		return;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	intro_sort(events, n, depth);
}

/* ---------- the scan ---------- */

/*
 * strict_once within one timestamp: can steps lo..hi be served by distinct
 * rows of the group, other than the entry's own row? A bipartite matching
 * (steps to rows) by augmenting paths, over classes of rows with the same
 * step set. Serving L <= 31 steps, a step never needs more than L candidate
 * rows: in a matching that uses another one, one of its L kept candidates is
 * free. So each step keeps its first FUNNEL_MAX_STEPS row units (one spare for
 * the excluded row), and a group keeps at most FUNNEL_MAX_STEPS^2 classes.
 */
#define MATCH_MAX_CLASSES (FUNNEL_MAX_STEPS * FUNNEL_MAX_STEPS)

typedef struct MatchClasses
{
	int			nclasses;
	uint32_t	steps[MATCH_MAX_CLASSES];	/* a class's step set */
	uint8_t		cap[MATCH_MAX_CLASSES];		/* its rows, capped at FUNNEL_MAX_STEPS */
} MatchClasses;

typedef struct Matching
{
	const MatchClasses *classes;
	int			exclude_class;
	uint8_t		used[MATCH_MAX_CLASSES];
	uint8_t		visited[MATCH_MAX_CLASSES];
	int16_t		class_of_step[FUNNEL_MAX_STEPS + 1];
	int			lo;
	int			hi;
} Matching;

static int
class_room(const Matching *mt, int c)
{
	return mt->classes->cap[c] - (c == mt->exclude_class) - mt->used[c];
}

static bool
augment(Matching *mt, int step)
{
	const MatchClasses *mc = mt->classes;

	for (int c = 0; c < mc->nclasses; c++)
	{
		if (!(mc->steps[c] & (UINT32_C(1) << (step - 1))) || mt->visited[c])
			continue;
		mt->visited[c] = 1;
		if (class_room(mt, c) > 0)
		{
			mt->used[c]++;
			mt->class_of_step[step] = (int16_t) c;
			return true;
		}
		for (int w = mt->lo; w <= mt->hi; w++)
		{
			if (mt->class_of_step[w] == c && augment(mt, w))
			{
				mt->class_of_step[step] = (int16_t) c;
				return true;
			}
		}
	}
	return false;
}

static bool
steps_servable(const MatchClasses *classes, int lo, int hi, int exclude_class)
{
	Matching	mt;

	if (lo > hi)
		return true;
	mt.classes = classes;
	mt.exclude_class = exclude_class;
	mt.lo = lo;
	mt.hi = hi;
	memset(mt.used, 0, (size_t) classes->nclasses);
	for (int step = lo; step <= hi; step++)
		mt.class_of_step[step] = -1;
	for (int step = lo; step <= hi; step++)
	{
		memset(mt.visited, 0, (size_t) classes->nclasses);
		if (!augment(&mt, step))
			return false;
	}
	return true;
}

/* The classes of one timestamp's rows (sorted by step set, so equal sets are adjacent). */
static void
build_classes(const FunnelEvent *g, size_t m, MatchClasses *mc)
{
	uint8_t		units[FUNNEL_MAX_STEPS] = {0};

	mc->nclasses = 0;
	for (size_t r = 0; r < m; r++)
	{
		uint32_t	steps = g[r].steps;
		bool		wanted = false;

		for (int k = 0; k < FUNNEL_MAX_STEPS; k++)
			if ((steps & (UINT32_C(1) << k)) && units[k] < FUNNEL_MAX_STEPS)
			{
				units[k]++;
				wanted = true;
			}
		if (!wanted)
			continue;
		if (mc->nclasses > 0 && mc->steps[mc->nclasses - 1] == steps)
		{
			if (mc->cap[mc->nclasses - 1] < FUNNEL_MAX_STEPS)
				mc->cap[mc->nclasses - 1]++;
			continue;
		}
		mc->steps[mc->nclasses] = steps;
		mc->cap[mc->nclasses] = 1;
		mc->nclasses++;
	}
}

static int
class_index(const MatchClasses *mc, uint32_t steps)
{
	for (int c = 0; c < mc->nclasses; c++)
		if (mc->steps[c] == steps)
			return c;
	return -1;
}

int
funnel_level(const FunnelEvent *events, size_t n, int nsteps, unsigned modes,
			 FunnelDeadline deadline_of, const void *deadline_arg)
{
	const bool	strict_order = (modes & FUNNEL_STRICT_ORDER) != 0;
	const bool	dedup = (modes & FUNNEL_STRICT_DEDUPLICATION) != 0;
	const bool	increase = (modes & FUNNEL_STRICT_INCREASE) != 0;
	const bool	once = (modes & FUNNEL_STRICT_ONCE) != 0;

	/*
	 * deadline[k]: the latest deadline of the chains of length k that ended
	 * at an earlier time (levels 1..committed). A chain's prefix has its
	 * deadline, so deadline[] never increases with k, and the levels still
	 * open at time t are a prefix 1..open.
	 */
	int64_t		deadline[FUNNEL_MAX_STEPS + 1];
	int			committed = 0;
	int			reached = 0;
	bool		first_event = false;
	size_t		i = 0;

	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		return 0;

	while (i < n)
	{
		const int64_t t = events[i].ts;
		const FunnelEvent *g = &events[i];
		size_t		m = 0;
		uint32_t	all_steps = 0;
		int			open = 0;
		/* Chains that end in this group: their best deadline per level. */
		int64_t		group_deadline[FUNNEL_MAX_STEPS + 1];
		uint64_t	group_reached = 0;	/* bit k: some chain of length k ends here */
		int64_t		start_deadline = 0;
		MatchClasses classes;
		bool		classes_built = false;

		while (i + m < n && events[i + m].ts == t)
			all_steps |= events[i + m++].steps;
		i += m;

		/* Rows matching no step sort first (strict_order keeps them). */
		if (strict_order && g[0].steps == 0 && first_event)
			return reached;

		while (open < committed && deadline[open + 1] >= t)
			open++;

		for (int s = 1; s <= nsteps; s++)
		{
			if (!(all_steps & (1u << (s - 1))))
				continue;

			if (s == 1)
			{
				/* Every step-1 entry starts a chain here; one suffices. */
				start_deadline = deadline_of(t, deadline_arg);
				first_event = true;
				group_deadline[1] = start_deadline;
				group_reached |= UINT64_C(1) << 1;
				if (reached < 1)
					reached = 1;
				continue;
			}

			for (size_t r = 0; r < m; r++)
			{
				bool		ok = false;
				int64_t		best = 0;

				if (!(g[r].steps & (1u << (s - 1))))
					continue;
				if (dedup && reached >= s)
					return reached;
				if (strict_order && first_event && reached < s - 1)
					return reached;

				if (s - 1 <= open)
				{
					/* Extends an earlier chain: always allowed (another time, another row). */
					ok = true;
					best = deadline[s - 1];
				}
				/* With strict_increase only earlier times can precede: done. */
				if (!increase && !once)
				{
					if (group_reached & (UINT64_C(1) << (s - 1)))
					{
						if (!ok || group_deadline[s - 1] > best)
							best = group_deadline[s - 1];
						ok = true;
					}
				}
				else if (!increase && m > 1)
				{
					/*
					 * strict_once: the chain enters this time at level e (an
					 * earlier chain, or e = 0 for one that starts here) and
					 * steps e+1..s-1 need rows of this time other than this
					 * one. The fewer steps, the easier: find the lowest
					 * workable e, whose deadline is the best.
					 */
					int			cls;
					int			e = s - 1 < open ? s - 1 : open;
					int			lowest = -1;

					if (!classes_built)
					{
						build_classes(g, m, &classes);
						classes_built = true;
					}
					cls = class_index(&classes, g[r].steps);
					for (; e >= 0; e--)
					{
						if (!steps_servable(&classes, e + 1, s - 1, cls))
							break;
						lowest = e;
					}
					if (lowest >= 1)
					{
						best = deadline[lowest];
						ok = true;
					}
					else if (lowest == 0)
					{
						best = start_deadline;
						if (open >= 1 && deadline[1] > best)
							best = deadline[1];
						ok = true;
					}
				}

				if (!ok)
					continue;
				if (!(group_reached & (UINT64_C(1) << s)) || best > group_deadline[s])
					group_deadline[s] = best;
				group_reached |= UINT64_C(1) << s;
				if (reached < s)
				{
					reached = s;
					if (reached == nsteps)
						return reached;
				}
			}
		}

		/* The chains that ended at t are earlier chains from now on. */
		for (int k = 1; k <= nsteps; k++)
		{
			if (!(group_reached & (UINT64_C(1) << k)))
				continue;
			if (k > committed || group_deadline[k] > deadline[k])
				deadline[k] = group_deadline[k];
		}
		if (reached > committed)
			committed = reached;
	}
	return reached;
}

/* ---------- the state ---------- */

bool
funnel_same_parameters(const FunnelState *a, const FunnelState *b)
{
	return a->time_kind == b->time_kind && a->nsteps == b->nsteps &&
		a->modes == b->modes && a->window.months == b->window.months &&
		a->window.days == b->window.days && a->window.time == b->window.time;
}

KpiStatus
funnel_check(const FunnelState *state, const FunnelEvent *events)
{
	uint32_t	allowed;

	if (state->time_kind < FUNNEL_TIME_BIGINT || state->time_kind > FUNNEL_TIME_TIMESTAMPTZ ||
		state->nsteps < 1 || state->nsteps > FUNNEL_MAX_STEPS ||
		(state->modes & ~FUNNEL_MODES_KNOWN) != 0 || state->nevents < 0 ||
		state->reserved != 0 || !funnel_window_valid(&state->window, state->time_kind))
		return KPI_INCONSISTENT;
	allowed = state->nsteps == 32 ? UINT32_MAX : (UINT32_C(1) << state->nsteps) - 1;
	for (int64_t i = 0; i < state->nevents; i++)
	{
		if ((events[i].steps & ~allowed) != 0 || events[i].reserved != 0 ||
			(events[i].steps == 0 && !(state->modes & FUNNEL_STRICT_ORDER)))
			return KPI_INCONSISTENT;
		if (state->time_kind != FUNNEL_TIME_BIGINT &&
			events[i].ts != FUNNEL_TIME_MINUS_INFINITY &&
			events[i].ts != FUNNEL_TIME_PLUS_INFINITY &&
			!calendar_in_range(events[i].ts, CALENDAR_MICROSECOND))
			return KPI_INCONSISTENT;
	}
	return KPI_OK;
}

/* ---------- text ---------- */

static const char *const time_names[] = {NULL, "bigint", "timestamp", "timestamptz"};

enum
{
	FIELD_TIME,
	FIELD_WINDOW,
	FIELD_STEPS,
	FIELD_MODES,
	FIELD_EVENTS,
	NFIELDS
};

static const TextField funnel_fields[NFIELDS] = {
	{"time", TEXT_FIELD_WORD},
	{"window", TEXT_FIELD_WORD},
	{"steps", TEXT_FIELD_COUNT},
	{"modes", TEXT_FIELD_WORD},
	{"events", TEXT_FIELD_WORD},
};

/* The longest event: a timestamp of 29 bytes (year 294276) or an int64 of 20, "@", "1+2+...+32", ",". */
#define EVENT_TEXT_MAX (29 + 1 + 86 + 1)

size_t
funnel_text_max(const FunnelState *state)
{
	return 160 + FUNNEL_MODES_TEXT_MAX + (size_t) state->nevents * EVENT_TEXT_MAX;
}

static size_t
format_time(int64_t ts, FunnelTime kind, char *buf, size_t bufsize)
{
	int			n;

	if (kind == FUNNEL_TIME_BIGINT)
		n = snprintf(buf, bufsize, "%lld", (long long) ts);
	else if (ts == FUNNEL_TIME_MINUS_INFINITY)
		n = snprintf(buf, bufsize, "-infinity");
	else if (ts == FUNNEL_TIME_PLUS_INFINITY)
		n = snprintf(buf, bufsize, "infinity");
	else
		return calendar_point_format(ts, CALENDAR_MICROSECOND, buf, bufsize);
	return n > 0 && (size_t) n < bufsize ? (size_t) n : 0;
}

size_t
funnel_format_text(const FunnelState *state, const FunnelEvent *events,
				   char *buf, size_t bufsize)
{
	char		modes[FUNNEL_MODES_TEXT_MAX];
	size_t		n;
	int			w;

	if (state->time_kind < FUNNEL_TIME_BIGINT || state->time_kind > FUNNEL_TIME_TIMESTAMPTZ ||
		funnel_modes_format(state->modes, modes, sizeof(modes)) == 0)
		return 0;
	w = snprintf(buf, bufsize, "v%d time=%s window=%d,%d,%lld steps=%d modes=%s events=",
				 SUMMARY_TEXT_VERSION, time_names[state->time_kind],
				 (int) state->window.months, (int) state->window.days,
				 (long long) state->window.time, (int) state->nsteps, modes);
	if (w <= 0 || (size_t) w >= bufsize)
		return 0;
	n = (size_t) w;
	if (state->nevents == 0)
	{
		if (bufsize - n <= 4)
			return 0;
		memcpy(buf + n, "none", 5);
		return n + 4;
	}
	for (int64_t i = 0; i < state->nevents; i++)
	{
		size_t		t;

		if (i > 0)
		{
			if (bufsize - n <= 1)
				return 0;
			buf[n++] = ',';
		}
		if ((t = format_time(events[i].ts, (FunnelTime) state->time_kind,
							 buf + n, bufsize - n)) == 0)
			return 0;
		n += t;
		if (bufsize - n <= 2)
			return 0;
		buf[n++] = '@';
		if (events[i].steps == 0)
			buf[n++] = '-';
		for (int k = 0, first = 1; k < FUNNEL_MAX_STEPS; k++)
		{
			if (!(events[i].steps & (UINT32_C(1) << k)))
				continue;
			w = snprintf(buf + n, bufsize - n, "%s%d", first ? "" : "+", k + 1);
			if (w <= 0 || (size_t) w >= bufsize - n)
				return 0;
			n += (size_t) w;
			first = 0;
		}
		buf[n] = '\0';
	}
	return n;
}

size_t
funnel_text_event_bound(const char *text, size_t len)
{
	size_t		bound = 1;

	for (size_t i = 0; i < len; i++)
		bound += text[i] == ',';
	return bound;
}

/* An optionally signed decimal int64 at *pos. */
static bool
read_int64(const char *text, size_t len, size_t *pos, int64_t *out)
{
	bool		negative = calendar_expect(text, len, pos, '-');
	uint64_t	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	uint64_t	v = 0;
	size_t		start = *pos;

	while (*pos < len && text[*pos] >= '0' && text[*pos] <= '9')
	{
		unsigned	digit = (unsigned) (text[*pos] - '0');

		if (v > (limit - digit) / 10)
			return false;
		v = v * 10 + digit;
		(*pos)++;
	}
	if (*pos == start)
		return false;
	*out = negative ? (int64_t) (0 - v) : (int64_t) v;
	return true;
}

static bool
word_is(const char *text, size_t len, size_t pos, const char *word)
{
	size_t		n = strlen(word);

	return len - pos >= n && memcmp(text + pos, word, n) == 0;
}

static bool
read_time(const char *text, size_t len, size_t *pos, FunnelTime kind, int64_t *ts)
{
	int			unit;

	if (kind == FUNNEL_TIME_BIGINT)
		return read_int64(text, len, pos, ts);
	if (word_is(text, len, *pos, "infinity"))
	{
		*pos += 8;
		*ts = FUNNEL_TIME_PLUS_INFINITY;
		return true;
	}
	if (word_is(text, len, *pos, "-infinity"))
	{
		*pos += 9;
		*ts = FUNNEL_TIME_MINUS_INFINITY;
		return true;
	}
	return calendar_point_parse(text, len, pos, ts, &unit) && unit == CALENDAR_MICROSECOND;
}

/* "2" or "1+3" or "-": a set of step numbers 1..FUNNEL_MAX_STEPS, each once. */
static bool
read_steps(const char *text, size_t len, size_t *pos, uint32_t *steps)
{
	*steps = 0;
	if (calendar_expect(text, len, pos, '-'))
		return true;
	do
	{
		int64_t		k;
		size_t		start = *pos;

		if (!read_int64(text, len, pos, &k) || text[start] == '-' || k < 1 ||
			k > FUNNEL_MAX_STEPS || (*steps & (UINT32_C(1) << (k - 1))))
			return false;
		*steps |= UINT32_C(1) << (k - 1);
	} while (calendar_expect(text, len, pos, '+'));
	return true;
}

DecodeStatus
funnel_parse_text(const char *text, size_t len, FunnelState *state,
				  FunnelEvent *events, size_t capacity, DecodeError *error)
{
	TextFieldValue values[NFIELDS];
	DecodeStatus status;
	const char *word;
	size_t		wlen;
	size_t		pos;
	int64_t		parts[3];
	unsigned	modes;

	status = summary_text_scan(text, len, funnel_fields, NFIELDS, values, error);
	if (status != DECODE_OK)
		return status;
	memset(state, 0, sizeof(*state));

	word = text + values[FIELD_TIME].text_offset;
	wlen = values[FIELD_TIME].text_len;
	for (int k = FUNNEL_TIME_BIGINT; k <= FUNNEL_TIME_TIMESTAMPTZ; k++)
		if (strlen(time_names[k]) == wlen && memcmp(word, time_names[k], wlen) == 0)
			state->time_kind = (uint8_t) k;
	if (state->time_kind == 0)
		return decode_fail(error, DECODE_SYNTAX, values[FIELD_TIME].text_offset, FIELD_TIME);

	word = text + values[FIELD_WINDOW].text_offset;
	wlen = values[FIELD_WINDOW].text_len;
	pos = 0;
	for (int p = 0; p < 3; p++)
		if ((p > 0 && !calendar_expect(word, wlen, &pos, ',')) ||
			!read_int64(word, wlen, &pos, &parts[p]))
			return decode_fail(error, DECODE_SYNTAX,
							   values[FIELD_WINDOW].text_offset + pos, FIELD_WINDOW);
	if (pos != wlen)
		return decode_fail(error, DECODE_SYNTAX, values[FIELD_WINDOW].text_offset + pos,
						   FIELD_WINDOW);
	if (parts[0] < INT32_MIN || parts[0] > INT32_MAX || parts[1] < INT32_MIN || parts[1] > INT32_MAX)
		return decode_fail(error, DECODE_OUT_OF_RANGE, values[FIELD_WINDOW].text_offset,
						   FIELD_WINDOW);
	state->window.months = (int32_t) parts[0];
	state->window.days = (int32_t) parts[1];
	state->window.time = parts[2];

	if (values[FIELD_STEPS].count > FUNNEL_MAX_STEPS)
		return decode_fail(error, DECODE_OUT_OF_RANGE, values[FIELD_STEPS].text_offset,
						   FIELD_STEPS);
	state->nsteps = (uint8_t) values[FIELD_STEPS].count;

	word = text + values[FIELD_MODES].text_offset;
	wlen = values[FIELD_MODES].text_len;
	if (!(wlen == 4 && memcmp(word, "none", 4) == 0) &&
		(!funnel_modes_parse(word, wlen, &modes) || modes == 0))
		return decode_fail(error, DECODE_SYNTAX, values[FIELD_MODES].text_offset, FIELD_MODES);
	state->modes = wlen == 4 && memcmp(word, "none", 4) == 0 ? 0 : (uint8_t) modes;

	word = text + values[FIELD_EVENTS].text_offset;
	wlen = values[FIELD_EVENTS].text_len;
	pos = 0;
	if (!(wlen == 4 && memcmp(word, "none", 4) == 0))
	{
		do
		{
			FunnelEvent ev = {0, 0, 0};

			if ((size_t) state->nevents >= capacity ||
				!read_time(word, wlen, &pos, (FunnelTime) state->time_kind, &ev.ts) ||
				!calendar_expect(word, wlen, &pos, '@') ||
				!read_steps(word, wlen, &pos, &ev.steps))
				return decode_fail(error, DECODE_SYNTAX,
								   values[FIELD_EVENTS].text_offset + pos, FIELD_EVENTS);
			events[state->nevents++] = ev;
		} while (calendar_expect(word, wlen, &pos, ','));
		if (pos != wlen)
			return decode_fail(error, DECODE_SYNTAX, values[FIELD_EVENTS].text_offset + pos,
							   FIELD_EVENTS);
	}

	if (funnel_check(state, events) != KPI_OK)
	{
		decode_fail(error, DECODE_INVARIANT, len, -1);
		error->invariant = KPI_INCONSISTENT;
		return DECODE_INVARIANT;
	}
	state->sorted = funnel_is_sorted(events, (size_t) state->nevents);
	return DECODE_OK;
}

/* ---------- binary ---------- */

void
funnel_encode_binary(const FunnelState *state, const FunnelEvent *events, unsigned char *out)
{
	out[0] = SUMMARY_TEXT_VERSION;
	out[1] = state->time_kind;
	out[2] = state->nsteps;
	out[3] = state->modes;
	summary_put_be32(out + 4, (uint32_t) state->window.months);
	summary_put_be32(out + 8, (uint32_t) state->window.days);
	summary_put_be64(out + 12, (uint64_t) state->window.time);
	summary_put_be64(out + 20, (uint64_t) state->nevents);
	out += FUNNEL_BINARY_HEADER;
	for (int64_t i = 0; i < state->nevents; i++, out += FUNNEL_BINARY_EVENT)
	{
		summary_put_be64(out, (uint64_t) events[i].ts);
		summary_put_be32(out + 8, events[i].steps);
	}
}

DecodeStatus
funnel_decode_binary_header(const unsigned char *bytes, size_t len, FunnelState *state,
							DecodeError *error)
{
	uint64_t	nevents;

	decode_error_reset(error);
	if (len < FUNNEL_BINARY_HEADER)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	if (bytes[0] != SUMMARY_TEXT_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	memset(state, 0, sizeof(*state));
	state->time_kind = bytes[1];
	state->nsteps = bytes[2];
	state->modes = bytes[3];
	state->window.months = (int32_t) summary_get_be32(bytes + 4);
	state->window.days = (int32_t) summary_get_be32(bytes + 8);
	state->window.time = (int64_t) summary_get_be64(bytes + 12);
	nevents = summary_get_be64(bytes + 20);
	if (nevents != (len - FUNNEL_BINARY_HEADER) / FUNNEL_BINARY_EVENT ||
		(len - FUNNEL_BINARY_HEADER) % FUNNEL_BINARY_EVENT != 0)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	state->nevents = (int64_t) nevents;
	return DECODE_OK;
}

DecodeStatus
funnel_decode_binary_events(const unsigned char *bytes, size_t len, FunnelState *state,
							FunnelEvent *events, DecodeError *error)
{
	const unsigned char *at = bytes + FUNNEL_BINARY_HEADER;

	for (int64_t i = 0; i < state->nevents; i++, at += FUNNEL_BINARY_EVENT)
	{
		events[i].ts = (int64_t) summary_get_be64(at);
		events[i].steps = summary_get_be32(at + 8);
		events[i].reserved = 0;
	}
	if (funnel_check(state, events) != KPI_OK)
	{
		decode_fail(error, DECODE_INVARIANT, len, -1);
		error->invariant = KPI_INCONSISTENT;
		return DECODE_INVARIANT;
	}
	state->sorted = funnel_is_sorted(events, (size_t) state->nevents);
	return DECODE_OK;
}

/* ---------- retention(VARIADIC conds) ---------- */

static KpiStatus
conditions_step(ConditionCounts *c, int nconditions, uint32_t met, int64_t delta)
{
	if (c->nconditions == 0)
		c->nconditions = nconditions;
	else if (c->nconditions != nconditions)
		return KPI_INCONSISTENT;
	for (int i = 0; i < nconditions; i++)
	{
		if (!(met & (UINT32_C(1) << i)))
			continue;
		if (delta > 0 ? c->met[i] == INT64_MAX : c->met[i] == 0)
			return delta > 0 ? KPI_OVERFLOW : KPI_NOT_IN_STATE;
	}
	for (int i = 0; i < nconditions; i++)
		if (met & (UINT32_C(1) << i))
			c->met[i] += delta;
	return KPI_OK;
}

KpiStatus
conditions_add(ConditionCounts *c, int nconditions, uint32_t met)
{
	if (nconditions < 1 || nconditions > FUNNEL_MAX_STEPS)
		return KPI_INCONSISTENT;
	return conditions_step(c, nconditions, met, 1);
}

KpiStatus
conditions_remove(ConditionCounts *c, int nconditions, uint32_t met)
{
	if (nconditions < 1 || nconditions > FUNNEL_MAX_STEPS)
		return KPI_INCONSISTENT;
	return conditions_step(c, nconditions, met, -1);
}

KpiStatus
conditions_merge(ConditionCounts *into, const ConditionCounts *from)
{
	if (from->nconditions == 0)
		return KPI_OK;
	if (into->nconditions == 0)
	{
		*into = *from;
		return KPI_OK;
	}
	if (into->nconditions != from->nconditions)
		return KPI_INCONSISTENT;
	for (int i = 0; i < into->nconditions; i++)
		if (into->met[i] > INT64_MAX - from->met[i])
			return KPI_OVERFLOW;
	for (int i = 0; i < into->nconditions; i++)
		into->met[i] += from->met[i];
	return KPI_OK;
}

void
conditions_retention(const ConditionCounts *c, int32_t *result)
{
	for (int i = 0; i < c->nconditions; i++)
		result[i] = c->met[0] > 0 && c->met[i] > 0;
}

KpiStatus
conditions_check(const ConditionCounts *c)
{
	if (c->nconditions < 0 || c->nconditions > FUNNEL_MAX_STEPS)
		return KPI_INCONSISTENT;
	for (int i = 0; i < FUNNEL_MAX_STEPS; i++)
		if (c->met[i] < 0 || (i >= c->nconditions && c->met[i] != 0))
			return KPI_INCONSISTENT;
	return KPI_OK;
}

static const TextField condition_fields[2] = {
	{"conditions", TEXT_FIELD_COUNT},
	{"met", TEXT_FIELD_WORD},
};

size_t
conditions_format_text(const ConditionCounts *c, char *buf, size_t bufsize)
{
	int			n = snprintf(buf, bufsize, "v%d conditions=%lld met=%s", SUMMARY_TEXT_VERSION,
							 (long long) c->nconditions, c->nconditions == 0 ? "none" : "");
	size_t		len;

	if (n <= 0 || (size_t) n >= bufsize)
		return 0;
	len = (size_t) n;
	for (int i = 0; i < c->nconditions; i++)
	{
		n = snprintf(buf + len, bufsize - len, "%s%lld", i ? "," : "", (long long) c->met[i]);
		if (n <= 0 || (size_t) n >= bufsize - len)
			return 0;
		len += (size_t) n;
	}
	return len;
}

DecodeStatus
conditions_parse_text(const char *text, size_t len, ConditionCounts *c, DecodeError *error)
{
	TextFieldValue values[2];
	DecodeStatus status;
	const char *word;
	size_t		wlen;
	size_t		pos = 0;

	status = summary_text_scan(text, len, condition_fields, 2, values, error);
	if (status != DECODE_OK)
		return status;
	memset(c, 0, sizeof(*c));
	if (values[0].count > FUNNEL_MAX_STEPS)
		return decode_fail(error, DECODE_OUT_OF_RANGE, values[0].text_offset, 0);
	c->nconditions = values[0].count;
	word = text + values[1].text_offset;
	wlen = values[1].text_len;
	if (c->nconditions == 0)
	{
		if (!(wlen == 4 && memcmp(word, "none", 4) == 0))
			return decode_fail(error, DECODE_SYNTAX, values[1].text_offset, 1);
		return DECODE_OK;
	}
	for (int i = 0; i < c->nconditions; i++)
	{
		size_t		start = pos;

		if ((i > 0 && !calendar_expect(word, wlen, &pos, ',')) ||
			(start = pos, !read_int64(word, wlen, &pos, &c->met[i])) || word[start] == '-')
			return decode_fail(error, DECODE_SYNTAX, values[1].text_offset + pos, 1);
	}
	if (pos != wlen)
		return decode_fail(error, DECODE_SYNTAX, values[1].text_offset + pos, 1);
	return DECODE_OK;
}

size_t
conditions_encode_binary(const ConditionCounts *c, unsigned char *out)
{
	out[0] = SUMMARY_TEXT_VERSION;
	summary_put_be64(out + 1, (uint64_t) c->nconditions);
	for (int i = 0; i < c->nconditions; i++)
		summary_put_be64(out + 9 + 8 * i, (uint64_t) c->met[i]);
	return 9 + 8 * (size_t) c->nconditions;
}

DecodeStatus
conditions_decode_binary(const unsigned char *bytes, size_t len, ConditionCounts *c,
						 DecodeError *error)
{
	uint64_t	n;

	decode_error_reset(error);
	if (len < 9)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	if (bytes[0] != SUMMARY_TEXT_VERSION)
	{
		error->version = bytes[0];
		return decode_fail(error, DECODE_VERSION, 0, -1);
	}
	n = summary_get_be64(bytes + 1);
	if (n > FUNNEL_MAX_STEPS || len != 9 + 8 * n)
		return decode_fail(error, DECODE_LENGTH, len, -1);
	memset(c, 0, sizeof(*c));
	c->nconditions = (int64_t) n;
	for (uint64_t i = 0; i < n; i++)
		c->met[i] = (int64_t) summary_get_be64(bytes + 9 + 8 * i);
	if (conditions_check(c) != KPI_OK)
	{
		decode_fail(error, DECODE_INVARIANT, len, -1);
		error->invariant = KPI_INCONSISTENT;
		return DECODE_INVARIANT;
	}
	return DECODE_OK;
}
