/*
 * test_funnel.c: the window_funnel and retention cores (funnel.h, funnel.c).
 *
 * The funnel level is checked against reference_level(), written here from
 * the chain semantics stated in funnel.h and from nothing in funnel.c: it
 * expands rows into one entry per matched step, orders the entries by (time,
 * step, the row's whole set of steps, row), and decides whether an entry
 * reaches its level by enumerating, exhaustively and recursively, every chain
 * that could end at it (no greedy choice, no dynamic programming). It is slow
 * but obviously the statement of the semantics; the property tests compare
 * it with funnel_level() on random small funnels under all 16 mode
 * combinations, with funnel_bigint_deadline and with a deadline that is not
 * monotonic (which funnel.h says the scan must not assume), and the fixed
 * cases (ClickHouse's published windowFunnel examples and one case per
 * documented behaviour) check both.
 *
 * Then: funnel_sort() against a plain sort, the mode names, the text and
 * binary forms of funnel states, and the ConditionCounts of retention().
 * Parsing and decoding go through exact-length heap copies, so
 * AddressSanitizer reports any read past the given length.
 */
#include "tests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/funnel.h"

#define ORDER FUNNEL_STRICT_ORDER
#define DEDUP FUNNEL_STRICT_DEDUPLICATION
#define INCREASE FUNNEL_STRICT_INCREASE
#define ONCE FUNNEL_STRICT_ONCE
#define NMODES 16

/* PostgreSQL's timestamp range, counted in microseconds from 2000-01-01. */
#define T_USEC_MIN INT64_C(-211813488000000000)	/* 4714-11-24 BC */
#define T_USEC_END INT64_C(9223371331200000000)	/* 294277-01-01, exclusive */
#define T_USEC_PER_DAY INT64_C(86400000000)
#define T_SEC_PER_DAY INT64_C(86400)

/* One input row: its time and the steps it matched (bit k-1 for step k). */
typedef struct TestRow
{
	int64_t		ts;
	uint32_t	mask;
} TestRow;

/* ---------- the reference: exhaustive chain enumeration ---------- */

#define REF_MAX_ROWS 40
#define REF_MAX_STEPS 8
#define REF_MAX_ENTRIES (REF_MAX_ROWS * REF_MAX_STEPS)

typedef struct RefEntry
{
	int64_t		ts;
	int			step;			/* 1..nsteps, or 0 for a no-step row (strict_order) */
	uint32_t	mask;			/* the row's whole set of steps */
	int			row;
} RefEntry;

static int
ref_entry_cmp(const void *pa, const void *pb)
{
	const RefEntry *a = pa;
	const RefEntry *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

/* first + window, saturating at INT64_MAX (window >= 0): funnel_bigint_deadline's contract. */
static int64_t
ref_deadline(int64_t first, const void *arg)
{
	int64_t		window = *(const int64_t *) arg;

	return first > INT64_MAX - window ? INT64_MAX : first + window;
}

/* A chain being built backwards from its last entry. */
typedef struct RefChain
{
	const RefEntry *entries;
	unsigned	modes;
	FunnelDeadline deadline;
	const void *deadline_arg;
	int64_t		last_ts;		/* the time of the chain's last entry */
	int			rows[REF_MAX_STEPS];	/* rows of the entries chosen so far */
	int			nrows;
} RefChain;

/*
 * Whether entries[pos], of step j, and the entries already chosen after it
 * (of steps j+1..k) can be completed into a chain by entries of steps
 * 1..j-1 at earlier positions: tries every candidate for step j-1.
 */
static bool
ref_chain_back(RefChain *c, int pos)
{
	const RefEntry *e = &c->entries[pos];

	if (e->step == 1)
		return c->last_ts <= c->deadline(e->ts, c->deadline_arg);
	for (int q = 0; q < pos; q++)
	{
		const RefEntry *p = &c->entries[q];
		bool		found;

		if (p->step != e->step - 1)
			continue;
		if ((c->modes & INCREASE) && !(p->ts < e->ts))
			continue;
		if (c->modes & ONCE)
		{
			bool		used = false;

			for (int i = 0; i < c->nrows; i++)
				used |= c->rows[i] == p->row;
			if (used)
				continue;
		}
		c->rows[c->nrows++] = p->row;
		found = ref_chain_back(c, q);
		c->nrows--;
		if (found)
			return true;
	}
	return false;
}

/* Whether a chain of length entries[pos].step ends at entries[pos]. */
static bool
ref_reaches(const RefEntry *entries, int pos, unsigned modes, FunnelDeadline deadline,
			const void *deadline_arg)
{
	RefChain	c;

	c.entries = entries;
	c.modes = modes;
	c.deadline = deadline;
	c.deadline_arg = deadline_arg;
	c.last_ts = entries[pos].ts;
	c.rows[0] = entries[pos].row;
	c.nrows = 1;
	return ref_chain_back(&c, pos);
}

/* The level of rows under any deadline function (never assumed monotonic). */
static int
reference_level_with(const TestRow *rows, int nrows, int nsteps, unsigned modes,
					 FunnelDeadline deadline, const void *deadline_arg)
{
	RefEntry	entries[REF_MAX_ENTRIES + REF_MAX_ROWS];
	bool		reached[REF_MAX_STEPS + 1] = {false};
	bool		first_seen = false;
	int			nentries = 0;
	int			level = 0;

	if (nrows > REF_MAX_ROWS || nsteps > REF_MAX_STEPS)
		abort();
	for (int r = 0; r < nrows; r++)
	{
		if (rows[r].mask == 0 && (modes & ORDER))
			entries[nentries++] = (RefEntry) {rows[r].ts, 0, 0, r};
		for (int k = 1; k <= nsteps; k++)
			if (rows[r].mask & (UINT32_C(1) << (k - 1)))
				entries[nentries++] = (RefEntry) {rows[r].ts, k, rows[r].mask, r};
	}
	qsort(entries, (size_t) nentries, sizeof(RefEntry), ref_entry_cmp);

	for (int pos = 0; pos < nentries; pos++)
	{
		int			k = entries[pos].step;

		if (k == 0)
		{
			if (first_seen)
				break;
			continue;
		}
		if (k == 1)
		{
			first_seen = true;
			reached[1] = true;
		}
		else
		{
			if ((modes & DEDUP) && reached[k])
				break;
			if ((modes & ORDER) && first_seen && !reached[k - 1])
				break;
			if (ref_reaches(entries, pos, modes, deadline, deadline_arg))
				reached[k] = true;
		}
		if (reached[k] && k > level)
			level = k;
	}
	return level;
}

/* Integer times, deadline(first) = first + window. */
static int
reference_level(const TestRow *rows, int nrows, int nsteps, unsigned modes, int64_t window)
{
	return reference_level_with(rows, nrows, nsteps, modes, ref_deadline, &window);
}

/* ---------- calling the core ---------- */

/* funnel_sort() and funnel_level() on rows as window_funnel keeps them. */
static int
core_level_with(const TestRow *rows, int nrows, int nsteps, unsigned modes,
				FunnelDeadline deadline, const void *deadline_arg)
{
	FunnelEvent events[REF_MAX_ROWS];
	size_t		n = 0;

	for (int r = 0; r < nrows; r++)
	{
		/* Outside strict_order the aggregate never keeps a row matching no step. */
		if (rows[r].mask == 0 && !(modes & ORDER))
			continue;
		events[n].ts = rows[r].ts;
		events[n].steps = rows[r].mask;
		events[n].reserved = 0;
		n++;
	}
	funnel_sort(events, n);
	if (!CHECK(funnel_is_sorted(events, n)))
		return -1;
	return funnel_level(events, n, nsteps, modes, deadline, deadline_arg);
}

static int
core_level(const TestRow *rows, int nrows, int nsteps, unsigned modes, int64_t window)
{
	return core_level_with(rows, nrows, nsteps, modes, funnel_bigint_deadline, &window);
}

static const char *
modes_label(unsigned modes, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s", modes == 0 ? "none" : "",
			 (modes & ORDER) ? "O" : "", (modes & DEDUP) ? "D" : "",
			 (modes & INCREASE) ? "I" : "", (modes & ONCE) ? "N" : "");
	return buf;
}

/*
 * The deadline of a level case: first + window (funnel_bigint_deadline), or,
 * when wobbly, first + window + jitter[first mod 16] with jitter >= 0: still
 * never before first, but not monotonic, as funnel.h allows (a timestamptz
 * day across a DST change, say).
 */
typedef struct LevelDeadline
{
	int64_t		window;
	bool		wobbly;
	int64_t		jitter[16];
} LevelDeadline;

static int64_t
wobbly_deadline(int64_t first, const void *arg)
{
	const LevelDeadline *d = arg;
	int64_t		jitter = d->jitter[(uint64_t) first % 16];

	if (d->window > INT64_MAX - jitter)
		return INT64_MAX;
	return ref_deadline(first, &(int64_t) {d->window + jitter});
}

static int
ref_case(const TestRow *rows, int nrows, int nsteps, unsigned modes, const LevelDeadline *d)
{
	if (d->wobbly)
		return reference_level_with(rows, nrows, nsteps, modes, wobbly_deadline, d);
	return reference_level(rows, nrows, nsteps, modes, d->window);
}

static int
core_case(const TestRow *rows, int nrows, int nsteps, unsigned modes, const LevelDeadline *d)
{
	if (d->wobbly)
		return core_level_with(rows, nrows, nsteps, modes, wobbly_deadline, d);
	return core_level(rows, nrows, nsteps, modes, d->window);
}

static void
print_case(const TestRow *rows, int nrows, int nsteps, unsigned modes, const LevelDeadline *d,
		   int expected, int got)
{
	char		label[16];

	printf("    case: nsteps=%d modes=%s(0x%x) window=%" PRId64,
		   nsteps, modes_label(modes, label, sizeof(label)), modes, d->window);
	if (d->wobbly)
	{
		printf(" jitter[ts mod 16]=");
		for (int i = 0; i < 16; i++)
			printf("%s%" PRId64, i ? "," : "", d->jitter[i]);
	}
	printf(" rows(ts@steps)=");
	for (int r = 0; r < nrows; r++)
	{
		printf("%s%" PRId64 "@", r ? "," : "", rows[r].ts);
		if (rows[r].mask == 0)
			printf("-");
		for (int k = 1, first = 1; k <= 32; k++)
			if (rows[r].mask & (UINT32_C(1) << (k - 1)))
			{
				printf("%s%d", first ? "" : "+", k);
				first = 0;
			}
	}
	printf("  expected %d, got %d\n", expected, got);
}

/* Drops rows while the core still disagrees with the reference, for a short report. */
static int
shrink_case(TestRow *rows, int nrows, int nsteps, unsigned modes, const LevelDeadline *d)
{
	bool		progress = true;

	while (progress)
	{
		progress = false;
		for (int r = 0; r < nrows; r++)
		{
			TestRow		fewer[REF_MAX_ROWS];
			int			n = 0;

			for (int i = 0; i < nrows; i++)
				if (i != r)
					fewer[n++] = rows[i];
			if (ref_case(fewer, n, nsteps, modes, d) != core_case(fewer, n, nsteps, modes, d))
			{
				memcpy(rows, fewer, sizeof(TestRow) * (size_t) n);
				nrows = n;
				progress = true;
				break;
			}
		}
	}
	return nrows;
}

/* Both the reference and the core give expected. */
static bool
check_level(const TestRow *rows, int nrows, int nsteps, unsigned modes, int64_t window,
			int expected, const char *file, int line)
{
	int			ref = reference_level(rows, nrows, nsteps, modes, window);
	int			got = core_level(rows, nrows, nsteps, modes, window);
	bool		ok = true;

	ok &= test_check_int(ref, expected, "reference_level", "expected", file, line);
	ok &= test_check_int(got, expected, "funnel_level", "expected", file, line);
	if (!ok)
		print_case(rows, nrows, nsteps, modes, &(LevelDeadline) {.window = window}, expected, got);
	return ok;
}
#define NROWS(rows) ((int) (sizeof(rows) / sizeof((rows)[0])))
#define CHECK_LEVEL(rows, nsteps, modes, window, expected) \
	check_level((rows), NROWS(rows), (nsteps), (modes), (window), (expected), \
				__FILE__, __LINE__)

/* The same expected level under every combination of the given modes' flags. */
static void
check_level_all_modes(const TestRow *rows, int nrows, int nsteps, int64_t window,
					  int expected, const char *file, int line)
{
	for (unsigned m = 0; m < NMODES; m++)
		if (!check_level(rows, nrows, nsteps, m, window, expected, file, line))
			break;
}
#define CHECK_LEVEL_ALL_MODES(rows, nsteps, window, expected) \
	check_level_all_modes((rows), NROWS(rows), (nsteps), (window), (expected), \
						  __FILE__, __LINE__)

#define S(k) (UINT32_C(1) << ((k) - 1))

/* ---------- fixed cases ---------- */

/*
 * ClickHouse's tests of windowFunnel: events 1000..1008, one per second from
 * t=0; step i matches one event id.
 */
TEST_CASE(funnel_clickhouse_examples)
{
	TestRow		rows[9];
	TestRow		steps_1000_1001_1002_1008[9];
	TestRow		steps_1003_to_1007[9];

	/* Row t is event 1000 + t; the masks say which step each id is. */
	for (int t = 0; t < 9; t++)
	{
		rows[t] = (TestRow) {t, t == 0 ? S(1) : 0};
		steps_1000_1001_1002_1008[t].ts = t;
		steps_1000_1001_1002_1008[t].mask =
			t == 0 ? S(1) : t == 1 ? S(2) : t == 2 ? S(3) : t == 8 ? S(4) : 0;
		steps_1003_to_1007[t].ts = t;
		steps_1003_to_1007[t].mask = (t >= 3 && t <= 7) ? S(t - 2) : 0;
	}
	/* windowFunnel(10000)(t, event = 1000): 1 */
	check_level(rows, 9, 1, 0, 10000, 1, __FILE__, __LINE__);
	/* (1000, 1001): 2 */
	check_level(steps_1000_1001_1002_1008, 9, 2, 0, 10000, 2, __FILE__, __LINE__);
	/* (1000, 1001, 1002): 3 */
	check_level(steps_1000_1001_1002_1008, 9, 3, 0, 10000, 3, __FILE__, __LINE__);
	/* (1000, 1001, 1002, 1008): 4 */
	check_level(steps_1000_1001_1002_1008, 9, 4, 0, 10000, 4, __FILE__, __LINE__);
	/* windowFunnel(1)(t, event = 1000): 1 */
	check_level(rows, 9, 1, 0, 1, 1, __FILE__, __LINE__);
	/* windowFunnel(2..4) over (1003, 1004, 1005, 1006, 1007): 3, 4, 5 */
	check_level(steps_1003_to_1007, 9, 5, 0, 2, 3, __FILE__, __LINE__);
	check_level(steps_1003_to_1007, 9, 5, 0, 3, 4, __FILE__, __LINE__);
	check_level(steps_1003_to_1007, 9, 5, 0, 4, 5, __FILE__, __LINE__);
	/* The same in strict_order mode: the other ids interrupt only after the first step. */
	check_level(steps_1003_to_1007, 9, 5, ORDER, 4, 5, __FILE__, __LINE__);
	check_level(steps_1000_1001_1002_1008, 9, 4, ORDER, 10000, 3, __FILE__, __LINE__);
}

/* The documentation's example: one user's events, steps (1003, 1009, 1007, 1010). */
TEST_CASE(funnel_clickhouse_documentation)
{
	/* Seconds since 2019-01-29 00:00. */
	const int64_t day = T_SEC_PER_DAY;
	const int64_t hour = 3600;
	const TestRow rows[] = {
		{0 * day + 10 * hour, S(1)},	/* 2019-01-29 10:00, id 1003 */
		{2 * day + 9 * hour, S(3)},		/* 2019-01-31 09:00, id 1007 */
		{1 * day + 8 * hour, S(2)},		/* 2019-01-30 08:00, id 1009 */
		{3 * day + 8 * hour, S(4)},		/* 2019-02-01 08:00, id 1010 */
	};

	CHECK_LEVEL_ALL_MODES(rows, 4, INT64_C(6048000000000000), 4);
	/* Two days from the first step: 2019-02-01 08:00 is past 2019-01-31 10:00. */
	CHECK_LEVEL_ALL_MODES(rows, 4, 2 * day, 3);
	/* The first row at 10:00 plus 22 hours reaches exactly 08:00 the next day. */
	CHECK_LEVEL_ALL_MODES(rows, 4, 22 * hour, 2);
	CHECK_LEVEL_ALL_MODES(rows, 4, 22 * hour - 1, 1);
}

/* strict_order: A -> B -> D -> C with steps A, B, C. */
TEST_CASE(funnel_strict_order_interrupts)
{
	const TestRow abdc[] = {{1, S(1)}, {2, S(2)}, {3, 0}, {4, S(3)}};
	/* A step-3 row before the step-2 one. */
	const TestRow acb[] = {{1, S(1)}, {2, S(3)}, {3, S(2)}, {4, S(3)}};
	/* Out-of-order rows and no-step rows before the first step do not count. */
	const TestRow before_first[] = {{0, 0}, {1, S(3)}, {2, S(2)}, {3, S(1)}, {4, S(2)},
	{5, S(3)}};
	/* A no-step row at the same time as the first step sorts before it. */
	const TestRow tie_none_first[] = {{5, 0}, {5, S(1)}, {6, S(2)}};
	/* ...and one at the time of the second step after it: interrupts. */
	const TestRow tie_none_second[] = {{5, S(1)}, {6, 0}, {6, S(2)}};
	/* A repeated step that was reached does not interrupt. */
	const TestRow repeated[] = {{1, S(1)}, {2, S(2)}, {3, S(2)}, {4, S(1)}, {5, S(3)}};
	/* A step-2 row out of the window is reached nowhere but does not interrupt. */
	const TestRow late[] = {{1, S(1)}, {2, S(2)}, {20, S(2)}, {21, S(3)}};

	CHECK_LEVEL(abdc, 3, 0, 100, 3);
	CHECK_LEVEL(abdc, 3, ORDER, 100, 2);
	CHECK_LEVEL(acb, 3, 0, 100, 3);
	CHECK_LEVEL(acb, 3, ORDER, 100, 1);
	CHECK_LEVEL(before_first, 3, ORDER, 100, 3);
	CHECK_LEVEL(tie_none_first, 2, ORDER, 100, 2);
	CHECK_LEVEL(tie_none_second, 2, ORDER, 100, 1);
	CHECK_LEVEL(tie_none_second, 2, 0, 100, 2);
	CHECK_LEVEL(repeated, 3, ORDER, 100, 3);
	CHECK_LEVEL(late, 3, ORDER, 5, 2);
	CHECK_LEVEL(late, 3, 0, 5, 2);
	/* No step-1 row at all: nothing interrupts, nothing is reached. */
	{
		const TestRow no_first[] = {{1, S(2)}, {2, 0}, {3, S(3)}};

		CHECK_LEVEL_ALL_MODES(no_first, 3, 10, 0);
	}
}

/* A later step-1 row starts a new chain, when the first one ran out of window. */
TEST_CASE(funnel_new_first_step_restarts)
{
	const TestRow rows[] = {{0, S(1)}, {3, S(2)}, {10, S(1)}, {12, S(2)}, {13, S(3)}};
	/* The longer chain starts at the second step-1 row, after a level-2 chain. */
	const TestRow longer_later[] = {{0, S(1)}, {1, S(2)}, {50, S(1)}, {51, S(2)}, {52, S(3)},
	{53, S(4)}};

	for (unsigned m = 0; m < NMODES; m++)
	{
		/* strict_deduplication: the second step-2 row repeats the reached level 2. */
		check_level(rows, NROWS(rows), 3, m, 5, (m & DEDUP) ? 2 : 3, __FILE__, __LINE__);
		/* The window from t=0 alone would give 2. */
		check_level(rows, NROWS(rows), 3, m, 2, 2, __FILE__, __LINE__);
	}
	/* The first attempt stopping at level 1: no repeat, so every mode gives 3. */
	{
		const TestRow first_alone[] = {{0, S(1)}, {10, S(1)}, {12, S(2)}, {13, S(3)}};

		CHECK_LEVEL_ALL_MODES(first_alone, 3, 5, 3);
	}
	/*
	 * A first step-2 row out of the window reaches nothing, so the later one is
	 * no repeat; and level 1 was reached, so strict_order goes on too.
	 */
	{
		const TestRow late[] = {{0, S(1)}, {8, S(2)}, {10, S(1)}, {12, S(2)}, {13, S(3)}};

		CHECK_LEVEL_ALL_MODES(late, 3, 5, 3);
	}
	/* strict_deduplication: the second step-2 row repeats a reached level. */
	CHECK_LEVEL(longer_later, 4, 0, 5, 4);
	CHECK_LEVEL(longer_later, 4, DEDUP, 5, 2);
	CHECK_LEVEL(longer_later, 4, ORDER, 5, 4);
	CHECK_LEVEL(longer_later, 4, INCREASE | ONCE, 5, 4);
}

/* One row matching steps 1 and 2. */
TEST_CASE(funnel_one_row_two_steps)
{
	const TestRow one[] = {{7, S(1) | S(2)}};
	const TestRow all[] = {{7, S(1) | S(2) | S(3)}};
	/* With a second row, strict_once can build the chain from two rows. */
	const TestRow two[] = {{7, S(1) | S(2)}, {8, S(1) | S(2)}};

	CHECK_LEVEL(one, 2, 0, 10, 2);
	CHECK_LEVEL(one, 2, ORDER, 10, 2);
	CHECK_LEVEL(one, 2, DEDUP, 10, 2);
	CHECK_LEVEL(one, 2, ONCE, 10, 1);
	CHECK_LEVEL(one, 2, INCREASE, 10, 1);
	CHECK_LEVEL(one, 2, ORDER | DEDUP, 10, 2);
	CHECK_LEVEL(all, 3, 0, 10, 3);
	CHECK_LEVEL(all, 3, ONCE, 10, 1);
	CHECK_LEVEL(two, 2, ONCE, 10, 2);
	CHECK_LEVEL(two, 2, INCREASE, 10, 2);
	CHECK_LEVEL(two, 2, INCREASE, 1, 2);	/* 7 then 8: just within a window of 1 */
	/* Step 1 of the second row is new; step 2 of it repeats a reached level. */
	CHECK_LEVEL(two, 2, DEDUP, 10, 2);
}

/* Rows at one time sort by step, whatever order they came in. */
TEST_CASE(funnel_ties_ordered_by_step)
{
	const TestRow ba[] = {{5, S(2)}, {5, S(1)}};
	const TestRow cba[] = {{5, S(3)}, {5, S(2)}, {5, S(1)}};
	/* Entries at t=5: step 1 (of 1+3), step 2, step 3 (of 1+3). */
	const TestRow split[] = {{5, S(1) | S(3)}, {5, S(2)}};
	/* Equal steps at one time order by the row's whole set: {2} before {2,3}. */
	const TestRow by_mask[] = {{0, S(1)}, {5, S(2) | S(3)}, {5, S(2)}};

	CHECK_LEVEL(ba, 2, 0, 1, 2);
	CHECK_LEVEL(ba, 2, ORDER, 1, 2);
	CHECK_LEVEL(ba, 2, INCREASE, 1, 1);
	CHECK_LEVEL(cba, 3, 0, 1, 3);
	CHECK_LEVEL(cba, 3, ORDER | DEDUP | ONCE, 1, 3);
	CHECK_LEVEL(split, 3, 0, 1, 3);
	CHECK_LEVEL(split, 3, ONCE, 1, 2);
	CHECK_LEVEL(split, 3, INCREASE, 1, 1);
	CHECK_LEVEL(by_mask, 3, 0, 10, 3);
	/* The {2} row comes first, reaches 2; the {2,3} row's step 2 then repeats it. */
	CHECK_LEVEL(by_mask, 3, DEDUP, 10, 2);
	CHECK_LEVEL(by_mask, 3, ONCE, 10, 3);
	CHECK_LEVEL(by_mask, 3, ONCE | DEDUP, 10, 2);
}

/* strict_deduplication stops at a repeated step. */
TEST_CASE(funnel_strict_deduplication)
{
	const TestRow abbc[] = {{0, S(1)}, {1, S(2)}, {2, S(2)}, {3, S(3)}};
	/* A repeated first step is not a repeat: only steps >= 2 count. */
	const TestRow aabc[] = {{0, S(1)}, {1, S(1)}, {2, S(2)}, {3, S(3)}};
	/* A step-2 row that was not reached (out of window) is no repeat either. */
	const TestRow late_b[] = {{0, S(1)}, {20, S(2)}, {30, S(1)}, {31, S(2)}, {32, S(3)}};

	CHECK_LEVEL(abbc, 3, 0, 10, 3);
	CHECK_LEVEL(abbc, 3, DEDUP, 10, 2);
	CHECK_LEVEL(abbc, 3, DEDUP | ORDER, 10, 2);
	CHECK_LEVEL(aabc, 3, DEDUP, 10, 3);
	CHECK_LEVEL_ALL_MODES(late_b, 3, 5, 3);
}

/* The window bound is inclusive: time <= first + window. */
TEST_CASE(funnel_window_inclusive)
{
	const TestRow ab[] = {{100, S(1)}, {105, S(2)}};
	const TestRow abc[] = {{100, S(1)}, {103, S(2)}, {106, S(3)}};

	CHECK_LEVEL_ALL_MODES(ab, 2, 5, 2);
	CHECK_LEVEL_ALL_MODES(ab, 2, 4, 1);
	CHECK_LEVEL_ALL_MODES(abc, 3, 6, 3);
	CHECK_LEVEL_ALL_MODES(abc, 3, 5, 2);
	/* The window is measured from the first step, not from the previous one. */
	CHECK_LEVEL_ALL_MODES(abc, 3, 3, 2);
	CHECK_LEVEL_ALL_MODES(abc, 3, 2, 1);
}

/* funnel_bigint_deadline saturates, and times at the ends of int64 work. */
TEST_CASE(funnel_time_extremes)
{
	const TestRow top[] = {{INT64_MAX - 2, S(1)}, {INT64_MAX, S(2)}};
	const TestRow bottom[] = {{INT64_MIN, S(1)}, {INT64_MIN + 3, S(2)}};
	const TestRow spread[] = {{INT64_MIN, S(1)}, {INT64_MAX, S(2)}};
	int64_t		w;

	w = 0;
	CHECK_INT(funnel_bigint_deadline(5, &w), 5);
	w = 10;
	CHECK_INT(funnel_bigint_deadline(5, &w), 15);
	CHECK_INT(funnel_bigint_deadline(-5, &w), 5);
	CHECK_INT(funnel_bigint_deadline(INT64_MAX - 10, &w), INT64_MAX);
	CHECK_INT(funnel_bigint_deadline(INT64_MAX - 9, &w), INT64_MAX);
	CHECK_INT(funnel_bigint_deadline(INT64_MAX, &w), INT64_MAX);
	CHECK_INT(funnel_bigint_deadline(INT64_MIN, &w), INT64_MIN + 10);
	w = INT64_MAX;
	CHECK_INT(funnel_bigint_deadline(INT64_MIN, &w), -1);
	CHECK_INT(funnel_bigint_deadline(0, &w), INT64_MAX);
	CHECK_INT(funnel_bigint_deadline(1, &w), INT64_MAX);
	CHECK_INT(funnel_bigint_deadline(INT64_MAX, &w), INT64_MAX);

	CHECK_LEVEL_ALL_MODES(top, 2, 1, 1);
	CHECK_LEVEL_ALL_MODES(top, 2, 2, 2);
	CHECK_LEVEL_ALL_MODES(top, 2, INT64_MAX, 2);
	CHECK_LEVEL_ALL_MODES(bottom, 2, 3, 2);
	CHECK_LEVEL_ALL_MODES(bottom, 2, 2, 1);
	CHECK_LEVEL_ALL_MODES(spread, 2, INT64_MAX, 1);
	{
		const TestRow reach[] = {{INT64_MIN, S(1)}, {-1, S(2)}, {0, S(2) | S(3)}};

		CHECK_LEVEL(reach, 3, 0, INT64_MAX, 2);
	}
}

/* Nothing kept, nothing of step 1; and all 32 steps. */
TEST_CASE(funnel_level_empty)
{
	int64_t		w = 10;
	FunnelEvent one = {5, S(2), 0};

	for (unsigned m = 0; m < NMODES; m++)
	{
		CHECK_INT(funnel_level(NULL, 0, 3, m, funnel_bigint_deadline, &w), 0);
		CHECK_INT(funnel_level(&one, 1, 3, m, funnel_bigint_deadline, &w), 0);
	}
	/* All 32 steps in one row, and in 32 rows one second apart. */
	{
		FunnelEvent all = {0, UINT32_MAX, 0};
		FunnelEvent chain[32];

		for (int k = 0; k < 32; k++)
			chain[k] = (FunnelEvent) {k, UINT32_C(1) << k, 0};
		w = 31;
		CHECK_INT(funnel_level(&all, 1, 32, 0, funnel_bigint_deadline, &w), 32);
		CHECK_INT(funnel_level(&all, 1, 32, ONCE, funnel_bigint_deadline, &w), 1);
		for (unsigned m = 0; m < NMODES; m++)
			CHECK_INT(funnel_level(chain, 32, 32, m, funnel_bigint_deadline, &w), 32);
		w = 30;
		CHECK_INT(funnel_level(chain, 32, 32, 0, funnel_bigint_deadline, &w), 31);
	}
}

/* ---------- the property test ---------- */

#define PROPERTY_SETS 100000
#define PROPERTY_MAX_ROWS 12
#define PROPERTY_MAX_STEPS 5
#define PROPERTY_REPORTS 5

static uint32_t
random_mask(Prng *prng, int nsteps)
{
	uint64_t	roll = prng_below(prng, 100);
	uint32_t	all = nsteps == 32 ? UINT32_MAX : (UINT32_C(1) << nsteps) - 1;

	if (roll < 10)
		return 0;
	if (roll < 70)
		return UINT32_C(1) << prng_below(prng, (uint64_t) nsteps);
	if (roll < 90)
		return (UINT32_C(1) << prng_below(prng, (uint64_t) nsteps)) |
			(UINT32_C(1) << prng_below(prng, (uint64_t) nsteps));
	return (uint32_t) prng_next(prng) & all;
}

/* A random funnel: rows in random order, times from one of a few ranges. */
static int
random_funnel(Prng *prng, TestRow *rows, int *nsteps, int64_t *window)
{
	int			nrows = (int) prng_below(prng, PROPERTY_MAX_ROWS + 1);
	uint64_t	range_kind = prng_below(prng, 20);
	int64_t		base = 0;
	uint64_t	span;

	*nsteps = 1 + (int) prng_below(prng, PROPERTY_MAX_STEPS);
	*window = 1 + (int64_t) prng_below(prng, 10);
	if (prng_below(prng, 40) == 0)
		*window = INT64_MAX;

	switch (range_kind)
	{
		case 0:
		case 1:
			span = 4;			/* almost all ties */
			break;
		case 2:
		case 3:
			span = 300;			/* wide: few chains within the window */
			break;
		case 4:
			base = INT64_MAX - 15;	/* the deadline saturates */
			span = 16;
			break;
		case 5:
			base = INT64_MIN;
			span = 16;
			break;
		default:
			span = 16;
			break;
	}
	for (int r = 0; r < nrows; r++)
	{
		rows[r].ts = base + (int64_t) prng_below(prng, span);
		rows[r].mask = random_mask(prng, *nsteps);
	}
	/* Sometimes overwrite a run of rows with a planted chain, for the high levels. */
	if (nrows > 0 && prng_below(prng, 2) == 0)
	{
		int			len = prng_below(prng, 2) ? *nsteps : 1 + (int) prng_below(prng, (uint64_t) *nsteps);
		int			start = (int) prng_below(prng, (uint64_t) nrows);
		int64_t		t = rows[start].ts;

		for (int k = 1; k <= len && start + k - 1 < nrows; k++)
		{
			rows[start + k - 1].ts = t;
			rows[start + k - 1].mask = S(k);
			if (t <= INT64_MAX - 3)
				t += (int64_t) prng_below(prng, 4);
		}
	}
	/* Shuffle, so the planted rows come in any order. */
	for (int r = nrows - 1; r > 0; r--)
	{
		int			j = (int) prng_below(prng, (uint64_t) r + 1);
		TestRow		tmp = rows[r];

		rows[r] = rows[j];
		rows[j] = tmp;
	}
	return nrows;
}

/*
 * Compares funnel_level() with the reference on nsets random funnels, each
 * under all 16 mode combinations; prints the first few differences, each
 * also shrunk to fewer rows. Then checks that the cases were not vacuous:
 * every mode combination ran, every level 0..5 came out (level 5, the
 * rarest, in about 0.6% of the cases), and each mode flag changed the level
 * of at least 1% of them. FUNNEL_STATS=1 in the environment prints the counts.
 */
static void
run_level_property(uint64_t seed, int nsets, bool wobbly, const char *file, int line)
{
	Prng		prng = {seed};
	long		per_mode[NMODES] = {0};
	long		per_level[PROPERTY_MAX_STEPS + 1] = {0};
	long		flag_matters[4] = {0};	/* the flag changes the reference's level */
	long		cases = 0;
	int			reports = 0;

	for (int set = 0; set < nsets && reports < PROPERTY_REPORTS; set++)
	{
		TestRow		rows[PROPERTY_MAX_ROWS];
		int			nsteps;
		LevelDeadline d = {.wobbly = wobbly};
		int			nrows = random_funnel(&prng, rows, &nsteps, &d.window);
		int			ref[NMODES];
		bool		differs = false;

		for (int i = 0; wobbly && i < 16; i++)
			d.jitter[i] = (int64_t) prng_below(&prng, 7);
		for (unsigned m = 0; m < NMODES && !differs; m++)
		{
			int			got;

			ref[m] = ref_case(rows, nrows, nsteps, m, &d);
			got = core_case(rows, nrows, nsteps, m, &d);
			cases++;
			per_mode[m]++;
			per_level[ref[m]]++;
			if (got != ref[m])
			{
				TestRow		small[PROPERTY_MAX_ROWS];
				int			nsmall;

				printf("  funnel_level differs from the reference (set %d):\n", set);
				print_case(rows, nrows, nsteps, m, &d, ref[m], got);
				memcpy(small, rows, sizeof(rows));
				nsmall = shrink_case(small, nrows, nsteps, m, &d);
				printf("  shrunk:\n");
				print_case(small, nsmall, nsteps, m, &d, ref_case(small, nsmall, nsteps, m, &d),
						   core_case(small, nsmall, nsteps, m, &d));
				test_check_int(got, ref[m], "funnel_level", "reference_level", file, line);
				reports++;
				differs = true;
			}
		}
		if (differs)
			continue;
		for (unsigned m = 0; m < NMODES; m++)
			for (int f = 0; f < 4; f++)
				if ((m & (1u << f)) && ref[m] != ref[m & ~(1u << f)])
					flag_matters[f]++;
	}
	if (reports > 0)
		return;
	if (getenv("FUNNEL_STATS"))
	{
		for (int level = 0; level <= PROPERTY_MAX_STEPS; level++)
			printf(" level%d=%ld", level, per_level[level]);
		for (int f = 0; f < 4; f++)
			printf(" flag%d=%ld", f, flag_matters[f]);
		printf(" cases=%ld\n", cases);
	}

	test_check_int(cases, (int64_t) nsets * NMODES, "cases", "nsets * 16", file, line);
	for (unsigned m = 0; m < NMODES; m++)
		test_check_int(per_mode[m], nsets, "cases of one mode combination", "nsets", file, line);
	for (int level = 0; level <= PROPERTY_MAX_STEPS; level++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "level %d came out in 0.2%% of the cases", level);
		test_check(per_level[level] * 500 >= cases, what, file, line);
	}
	for (int f = 0; f < 4; f++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "mode flag 0x%x changed the level of 1%% of the cases",
				 1u << f);
		test_check(flag_matters[f] * 100 >= cases, what, file, line);
	}
}

TEST_CASE(funnel_property_level_matches_reference)
{
	run_level_property(UINT64_C(0x5eed0f0f1a2b3c4d), PROPERTY_SETS, false, __FILE__, __LINE__);
}

/* The same with a deadline that is not monotonic: the scan must not assume it. */
TEST_CASE(funnel_property_level_nonmonotonic_deadline)
{
	run_level_property(UINT64_C(0x0dd5eed5), PROPERTY_SETS / 4, true, __FILE__, __LINE__);
}

/* ---------- sorting ---------- */

static int
event_cmp(const void *pa, const void *pb)
{
	const FunnelEvent *a = pa;
	const FunnelEvent *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->steps != b->steps)
		return a->steps < b->steps ? -1 : 1;
	return (a->reserved > b->reserved) - (a->reserved < b->reserved);
}

static bool
naive_sorted(const FunnelEvent *events, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (funnel_event_before(&events[i], &events[i - 1]))
			return false;
	return true;
}

TEST_CASE(funnel_sort_known)
{
	FunnelEvent e[] = {{3, 1, 0}, {1, 4, 0}, {1, 2, 0}, {INT64_MIN, 9, 0}, {INT64_MAX, 0, 0},
	{1, 2, 0}, {-1, UINT32_MAX, 0}, {-1, 0, 0}};
	const FunnelEvent want[] = {{INT64_MIN, 9, 0}, {-1, 0, 0}, {-1, UINT32_MAX, 0},
	{1, 2, 0}, {1, 2, 0}, {1, 4, 0}, {3, 1, 0}, {INT64_MAX, 0, 0}};
	FunnelEvent equal[2] = {{1, 2, 0}, {1, 2, 0}};

	CHECK(!funnel_is_sorted(e, 8));
	CHECK(funnel_is_sorted(e, 0));
	CHECK(funnel_is_sorted(e, 1));
	CHECK(funnel_is_sorted(equal, 2));
	funnel_sort(e, 8);
	CHECK_BYTES((const unsigned char *) e, (const unsigned char *) want, sizeof(want));
	CHECK(funnel_is_sorted(e, 8));
	funnel_sort(NULL, 0);
}

TEST_CASE(funnel_sort_random)
{
	Prng		prng = {UINT64_C(0x50f7ab1e)};
	static const size_t sizes[] = {0, 1, 2, 3, 5, 15, 16, 17, 31, 32, 33, 100, 257, 1000, 2000};
	int			failures = 0;

	for (int iter = 0; iter < 600 && failures < 3; iter++)
	{
		size_t		n = iter < 15 * 8 ? sizes[iter % 15]
			: (size_t) prng_below(&prng, 2001);
		int			pattern = iter / 15 % 8;
		FunnelEvent *e = malloc(sizeof(FunnelEvent) * (n > 0 ? n : 1));
		FunnelEvent *want = malloc(sizeof(FunnelEvent) * (n > 0 ? n : 1));
		uint64_t	keys = 1 + prng_below(&prng, 1 + n);
		bool		ok = true;

		if (iter >= 15 * 8)
			pattern = (int) prng_below(&prng, 8);
		for (size_t i = 0; i < n; i++)
		{
			switch (pattern)
			{
				case 0:			/* all equal */
					e[i] = (FunnelEvent) {42, 3, 0};
					break;
				case 1:			/* equal times, a few step sets */
					e[i] = (FunnelEvent) {7, (uint32_t) prng_below(&prng, 4), 0};
					break;
				case 2:			/* many duplicates */
					e[i] = (FunnelEvent) {(int64_t) prng_below(&prng, keys) - 3,
					(uint32_t) prng_below(&prng, 3), 0};
					break;
				case 3:			/* already sorted */
				case 4:			/* reverse sorted */
					e[i] = (FunnelEvent) {(int64_t) (i / 3), (uint32_t) (i % 3), 0};
					break;
				case 5:			/* the whole int64 and uint32 ranges */
					e[i] = (FunnelEvent) {(int64_t) prng_next(&prng), (uint32_t) prng_next(&prng), 0};
					break;
				case 6:			/* sorted with a few swaps */
					e[i] = (FunnelEvent) {(int64_t) i, 1, 0};
					break;
				default:		/* organ pipe */
					e[i] = (FunnelEvent) {(int64_t) (i < n / 2 ? i : n - i), (uint32_t) (i & 1), 0};
					break;
			}
		}
		if (pattern == 4)
			for (size_t i = 0; i < n / 2; i++)
			{
				FunnelEvent tmp = e[i];

				e[i] = e[n - 1 - i];
				e[n - 1 - i] = tmp;
			}
		if (pattern == 6)
			for (int s = 0; s < 3 && n > 1; s++)
			{
				size_t		a = (size_t) prng_below(&prng, n);
				size_t		b = (size_t) prng_below(&prng, n);
				FunnelEvent tmp = e[a];

				e[a] = e[b];
				e[b] = tmp;
			}
		if (n > 0)
			memcpy(want, e, sizeof(FunnelEvent) * n);
		ok &= CHECK_INT(funnel_is_sorted(e, n), naive_sorted(e, n));
		qsort(want, n, sizeof(FunnelEvent), event_cmp);
		funnel_sort(e, n);
		ok &= CHECK(naive_sorted(e, n));
		ok &= CHECK(funnel_is_sorted(e, n));
		/* A permutation: sorted again by every field, it is the input sorted. */
		if (n > 0)
		{
			qsort(e, n, sizeof(FunnelEvent), event_cmp);
			ok &= CHECK(memcmp(e, want, sizeof(FunnelEvent) * n) == 0);
		}
		if (!ok)
		{
			printf("  funnel_sort: iteration %d, n=%zu, pattern %d\n", iter, n, pattern);
			failures++;
		}
		free(e);
		free(want);
	}
}

/* ---------- modes ---------- */

static bool
parse_modes(const char *text, unsigned *modes)
{
	size_t		len = strlen(text);
	unsigned char *copy = exact_copy(text, len);
	bool		ok = funnel_modes_parse((const char *) copy, len, modes);

	free(copy);
	return ok;
}

static void
check_modes_parse(const char *text, bool accepted, unsigned expected, const char *file, int line)
{
	unsigned	modes = 0xdead;
	char		what[160];
	bool		ok = parse_modes(text, &modes);

	snprintf(what, sizeof(what), "funnel_modes_parse(\"%s\") %s", text,
			 accepted ? "accepts" : "rejects");
	if (test_check(ok == accepted, what, file, line) && accepted)
		test_check_uint(modes, expected, what, "expected modes", file, line);
}
#define CHECK_MODES(text, modes) check_modes_parse((text), true, (modes), __FILE__, __LINE__)
#define CHECK_MODES_REJECT(text) check_modes_parse((text), false, 0, __FILE__, __LINE__)

TEST_CASE(funnel_modes_parse_known)
{
	CHECK_MODES("", 0);
	CHECK_MODES("strict_order", ORDER);
	CHECK_MODES("strict_deduplication", DEDUP);
	CHECK_MODES("strict_increase", INCREASE);
	CHECK_MODES("strict_once", ONCE);
	CHECK_MODES(" strict_order , strict_once ", ORDER | ONCE);
	CHECK_MODES("strict_once,strict_order", ORDER | ONCE);
	CHECK_MODES("strict_order,strict_deduplication,strict_increase,strict_once",
				FUNNEL_MODES_KNOWN);
	CHECK_MODES("strict_increase ,strict_deduplication", INCREASE | DEDUP);

	CHECK_MODES_REJECT("strict");
	CHECK_MODES_REJECT("STRICT_ORDER");
	CHECK_MODES_REJECT("Strict_Order");
	CHECK_MODES_REJECT("strict_order,");
	CHECK_MODES_REJECT(",strict_order");
	CHECK_MODES_REJECT(",");
	CHECK_MODES_REJECT("strict_order,,strict_once");
	CHECK_MODES_REJECT("strict_order strict_once");
	CHECK_MODES_REJECT("bogus");
	CHECK_MODES_REJECT("strict_orders");
	CHECK_MODES_REJECT("strict_orde");
	CHECK_MODES_REJECT("strict_order;strict_once");
	/* An embedded NUL is part of the text, not its end. */
	{
		static const char nul[] = "strict_order\0";
		unsigned char *copy = exact_copy(nul, sizeof(nul) - 1);
		unsigned	modes;

		CHECK(!funnel_modes_parse((const char *) copy, sizeof(nul) - 1, &modes));
		free(copy);
	}
}

TEST_CASE(funnel_modes_format_round_trip)
{
	static const char *const names[] = {"strict_order", "strict_deduplication",
	"strict_increase", "strict_once"};
	char		buf[FUNNEL_MODES_TEXT_MAX];

	CHECK_UINT(funnel_modes_format(0, buf, sizeof(buf)), 4);
	CHECK_STR(buf, "none");
	for (unsigned m = 1; m < NMODES; m++)
	{
		char		want[FUNNEL_MODES_TEXT_MAX] = "";
		size_t		n = funnel_modes_format(m, buf, sizeof(buf));
		unsigned	back = 0xdead;

		for (int f = 0; f < 4; f++)
			if (m & (1u << f))
			{
				if (want[0] != '\0')
					strcat(want, ",");
				strcat(want, names[f]);
			}
		CHECK_STR(buf, want);
		CHECK_UINT(n, strlen(want));
		if (CHECK(parse_modes(buf, &back)))
			CHECK_UINT(back, m);
	}
}

/* ---------- funnel states: helpers ---------- */

typedef struct TestFunnel
{
	FunnelState state;
	FunnelEvent *events;
} TestFunnel;

static bool
check_same_funnel(const FunnelState *got, const FunnelEvent *got_events,
				  const FunnelState *want, const FunnelEvent *want_events,
				  const char *what, const char *file, int line)
{
	bool		ok = true;

	ok &= test_check_int(got->nevents, want->nevents, what, "nevents", file, line);
	ok &= test_check_int(got->window.months, want->window.months, what, "window.months", file, line);
	ok &= test_check_int(got->window.days, want->window.days, what, "window.days", file, line);
	ok &= test_check_int(got->window.time, want->window.time, what, "window.time", file, line);
	ok &= test_check_int(got->time_kind, want->time_kind, what, "time_kind", file, line);
	ok &= test_check_int(got->nsteps, want->nsteps, what, "nsteps", file, line);
	ok &= test_check_int(got->modes, want->modes, what, "modes", file, line);
	ok &= test_check_int(got->reserved, 0, what, "reserved", file, line);
	if (!ok || got->nevents != want->nevents)
		return false;
	for (int64_t i = 0; i < want->nevents; i++)
	{
		ok &= test_check_int(got_events[i].ts, want_events[i].ts, what, "event ts", file, line);
		ok &= test_check_uint(got_events[i].steps, want_events[i].steps, what, "event steps",
							  file, line);
		ok &= test_check_uint(got_events[i].reserved, 0, what, "event reserved", file, line);
		if (!ok)
		{
			printf("    at event %" PRId64 "\n", i);
			return false;
		}
	}
	return true;
}

static FunnelState
make_state(FunnelTime kind, int32_t months, int32_t days, int64_t time, int nsteps,
		   unsigned modes, int64_t nevents)
{
	FunnelState s;

	memset(&s, 0, sizeof(s));
	s.nevents = nevents;
	s.window.months = months;
	s.window.days = days;
	s.window.time = time;
	s.time_kind = (uint8_t) kind;
	s.nsteps = (uint8_t) nsteps;
	s.modes = (uint8_t) modes;
	return s;
}

/* Formats into a buffer of exactly funnel_text_max() bytes; NULL (a failed check) if it does not fit. */
static char *
format_funnel(const FunnelState *s, const FunnelEvent *events, const char *file, int line)
{
	size_t		max = funnel_text_max(s);
	char	   *buf = malloc(max > 0 ? max : 1);
	size_t		n;

	if (buf == NULL)
		abort();
	n = funnel_format_text(s, events, buf, max);
	if (!test_check(n > 0 && n < max && n == strlen(buf),
					"funnel_format_text fits in funnel_text_max", file, line))
	{
		free(buf);
		return NULL;
	}
	return buf;
}

/* funnel_parse_text() on an exact-length copy, with room for funnel_text_event_bound events. */
static DecodeStatus
parse_funnel(const char *text, size_t len, TestFunnel *out, DecodeError *error)
{
	unsigned char *copy = exact_copy(text, len);
	size_t		bound = funnel_text_event_bound((const char *) copy, len);
	DecodeStatus status;

	out->events = malloc(sizeof(FunnelEvent) * (bound > 0 ? bound : 1));
	if (out->events == NULL)
		abort();
	memset(&out->state, 0x5a, sizeof(out->state));
	memset(error, 0, sizeof(*error));
	status = funnel_parse_text((const char *) copy, len, &out->state, out->events, bound, error);
	if (status == DECODE_OK)
	{
		CHECK((size_t) out->state.nevents <= bound);
		CHECK_KPI(funnel_check(&out->state, out->events), KPI_OK);
	}
	CHECK_DECODE(error->status, status);
	free(copy);
	return status;
}

/* Header then events, each on an exact-length copy. */
static DecodeStatus
decode_funnel(const unsigned char *bytes, size_t len, TestFunnel *out, DecodeError *error)
{
	unsigned char *copy = exact_copy(bytes, len);
	DecodeStatus status;

	out->events = NULL;
	memset(&out->state, 0x5a, sizeof(out->state));
	memset(error, 0, sizeof(*error));
	status = funnel_decode_binary_header(copy, len, &out->state, error);
	CHECK_DECODE(error->status, status);
	if (status == DECODE_OK)
	{
		if (!CHECK(out->state.nevents >= 0 &&
				   len == FUNNEL_BINARY_HEADER +
				   (size_t) out->state.nevents * FUNNEL_BINARY_EVENT))
		{
			free(copy);
			return DECODE_LENGTH;
		}
		out->events = malloc(sizeof(FunnelEvent) *
							 (out->state.nevents > 0 ? (size_t) out->state.nevents : 1));
		status = funnel_decode_binary_events(copy, len, &out->state, out->events, error);
		CHECK_DECODE(error->status, status);
		if (status == DECODE_OK)
			CHECK_KPI(funnel_check(&out->state, out->events), KPI_OK);
	}
	free(copy);
	return status;
}

static size_t
binary_size(const FunnelState *s)
{
	return FUNNEL_BINARY_HEADER + (size_t) s->nevents * FUNNEL_BINARY_EVENT;
}

/* ---------- funnel states: checks and known forms ---------- */

TEST_CASE(funnel_window_and_check)
{
	FunnelWindow w;
	FunnelState s;
	FunnelEvent ev[2] = {{1, S(1), 0}, {2, S(2) | S(3), 0}};

	w = (FunnelWindow) {0, 0, 1};
	CHECK(funnel_window_valid(&w, FUNNEL_TIME_BIGINT));
	CHECK(funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMP));
	w = (FunnelWindow) {0, 0, 0};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_BIGINT));
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMPTZ));
	w = (FunnelWindow) {1, 0, 0};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_BIGINT));
	CHECK(funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMPTZ));
	w = (FunnelWindow) {0, 1, 0};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_BIGINT));
	CHECK(funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMP));
	w = (FunnelWindow) {0, 1, -1};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMP));
	w = (FunnelWindow) {-1, 5, 0};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_TIMESTAMP));
	w = (FunnelWindow) {0, 0, -1};
	CHECK(!funnel_window_valid(&w, FUNNEL_TIME_BIGINT));
	w = (FunnelWindow) {0, 0, INT64_MAX};
	CHECK(funnel_window_valid(&w, FUNNEL_TIME_BIGINT));

	s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 10, 3, 0, 2);
	CHECK_KPI(funnel_check(&s, ev), KPI_OK);
	s.nsteps = 2;				/* step 3 out of range */
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s.nsteps = 0;
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s.nsteps = 33;
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 10, 3, 0x10, 2);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 0, 3, 0, 2);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s = make_state((FunnelTime) 4, 0, 0, 10, 3, 0, 2);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s = make_state((FunnelTime) 0, 0, 0, 10, 3, 0, 2);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 10, 3, 0, -1);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	/* A no-step row: only in strict_order. */
	ev[0].steps = 0;
	s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 10, 3, 0, 2);
	CHECK(funnel_check(&s, ev) != KPI_OK);
	s.modes = ORDER;
	CHECK_KPI(funnel_check(&s, ev), KPI_OK);
	/* nsteps 32 allows every bit. */
	ev[0].steps = UINT32_MAX;
	s.nsteps = 32;
	CHECK_KPI(funnel_check(&s, ev), KPI_OK);
	s.nsteps = 31;
	CHECK(funnel_check(&s, ev) != KPI_OK);

	{
		FunnelState a = make_state(FUNNEL_TIME_TIMESTAMP, 1, 2, 3, 4, ORDER, 0);
		FunnelState b = a;

		b.nevents = 9;
		CHECK(funnel_same_parameters(&a, &b));
		b.window.days = 3;
		CHECK(!funnel_same_parameters(&a, &b));
		b = a;
		b.modes = 0;
		CHECK(!funnel_same_parameters(&a, &b));
		b = a;
		b.nsteps = 5;
		CHECK(!funnel_same_parameters(&a, &b));
		b = a;
		b.time_kind = FUNNEL_TIME_TIMESTAMPTZ;
		CHECK(!funnel_same_parameters(&a, &b));
	}
}

TEST_CASE(funnel_text_known)
{
	const int64_t t1 = INT64_C(8766) * T_USEC_PER_DAY + INT64_C(9) * 3600 * 1000000;
	const int64_t t2 = INT64_C(8768) * T_USEC_PER_DAY + INT64_C(105) * 360 * 1000000;
	const FunnelEvent ev[] = {{t1, S(1), 0}, {t2, S(2) | S(3), 0}};
	FunnelState s = make_state(FUNNEL_TIME_TIMESTAMPTZ, 0, 30, 0, 4, ORDER, 2);
	char	   *text;

	/* The header's own example. */
	text = format_funnel(&s, ev, __FILE__, __LINE__);
	if (text)
		CHECK_STR(text, "v1 time=timestamptz window=0,30,0 steps=4 modes=strict_order "
				  "events=2024-01-01T09:00:00.000000Z@1,2024-01-03T10:30:00.000000Z@2+3");
	free(text);

	{
		const FunnelEvent bev[] = {{-5, S(1), 0}, {INT64_MAX, 0, 0}, {INT64_MIN, S(32) | S(1), 0}};
		FunnelState b = make_state(FUNNEL_TIME_BIGINT, 0, 0, 10, 32, ORDER | ONCE, 3);

		text = format_funnel(&b, bev, __FILE__, __LINE__);
		if (text)
			CHECK_STR(text, "v1 time=bigint window=0,0,10 steps=32 modes=strict_order,strict_once "
					  "events=-5@1,9223372036854775807@-,-9223372036854775808@1+32");
		free(text);
		b = make_state(FUNNEL_TIME_BIGINT, 0, 0, 1, 1, 0, 0);
		text = format_funnel(&b, bev, __FILE__, __LINE__);
		if (text)
			CHECK_STR(text, "v1 time=bigint window=0,0,1 steps=1 modes=none events=none");
		free(text);
	}
	{
		const FunnelEvent tev[] = {{FUNNEL_TIME_MINUS_INFINITY, S(1), 0},
		{FUNNEL_TIME_PLUS_INFINITY, S(2), 0}, {T_USEC_MIN, S(1), 0}, {T_USEC_END - 1, S(2), 0},
		{-1, S(2), 0}, {0, S(1), 0}};
		FunnelState t = make_state(FUNNEL_TIME_TIMESTAMP, 14, 0, 1, 2, DEDUP | INCREASE, 6);

		text = format_funnel(&t, tev, __FILE__, __LINE__);
		if (text)
			CHECK_STR(text, "v1 time=timestamp window=14,0,1 steps=2 "
					  "modes=strict_deduplication,strict_increase "
					  "events=-infinity@1,infinity@2,-4713-11-24T00:00:00.000000Z@1,"
					  "294276-12-31T23:59:59.999999Z@2,1999-12-31T23:59:59.999999Z@2,"
					  "2000-01-01T00:00:00.000000Z@1");
		free(text);
	}
}

/* The longest events of each kind fit in funnel_text_max(), however many. */
TEST_CASE(funnel_text_max_fits)
{
	static const int64_t longest[] = {INT64_MIN, T_USEC_END - 1, T_USEC_END - 1};
	enum
	{
		N = 1000
	};
	FunnelEvent *events = malloc(sizeof(FunnelEvent) * N);

	for (int kind = FUNNEL_TIME_BIGINT; kind <= FUNNEL_TIME_TIMESTAMPTZ; kind++)
	{
		FunnelState s = make_state((FunnelTime) kind, 0, 0, INT64_MIN + 1, 32,
								   FUNNEL_MODES_KNOWN, N);
		char	   *text;

		if (kind == FUNNEL_TIME_BIGINT)
			s.window.time = INT64_MAX;
		else
		{
			s.window.months = INT32_MAX;
			s.window.days = INT32_MAX;
			s.window.time = INT64_MAX;
		}
		for (int i = 0; i < N; i++)
			events[i] = (FunnelEvent) {longest[kind - 1], UINT32_MAX, 0};
		text = format_funnel(&s, events, __FILE__, __LINE__);
		if (text != NULL)
		{
			TestFunnel got;
			DecodeError error;

			if (CHECK_DECODE(parse_funnel(text, strlen(text), &got, &error), DECODE_OK))
				check_same_funnel(&got.state, got.events, &s, events, "parsed", __FILE__, __LINE__);
			free(got.events);
		}
		else
			printf("    time kind %d: %d events of \"%s\" do not fit\n", kind, N,
				   kind == FUNNEL_TIME_BIGINT ? "-9223372036854775808@1+...+32"
				   : "294276-12-31T23:59:59.999999Z@1+...+32");
		free(text);
	}
	free(events);
}

TEST_CASE(funnel_text_parse_known)
{
	static const char text[] = "v1 time=timestamptz window=0,30,0 steps=4 modes=strict_order "
		"events=2024-01-01T09:00:00.000000Z@1,2024-01-03T10:30:00.000000Z@2+3,"
		"-0044-03-15T12:00:00.000000Z@-,infinity@4";
	const FunnelEvent want_events[] = {
		{INT64_C(8766) * T_USEC_PER_DAY + INT64_C(9) * 3600 * 1000000, S(1), 0},
		{INT64_C(8768) * T_USEC_PER_DAY + INT64_C(105) * 360 * 1000000, S(2) | S(3), 0},
		/* 15 March 45 BC (astronomical -44): day -746482 from 2000-01-01. */
		{INT64_C(-746482) * T_USEC_PER_DAY + INT64_C(12) * 3600 * 1000000, 0, 0},
		{FUNNEL_TIME_PLUS_INFINITY, S(4), 0}};
	FunnelState want = make_state(FUNNEL_TIME_TIMESTAMPTZ, 0, 30, 0, 4, ORDER, 4);
	TestFunnel got;
	DecodeError error;

	if (CHECK_DECODE(parse_funnel(text, sizeof(text) - 1, &got, &error), DECODE_OK))
		check_same_funnel(&got.state, got.events, &want, want_events, "parsed", __FILE__,
						  __LINE__);
	free(got.events);

	{
		static const char none[] = "v1 time=bigint window=0,0,7 steps=3 modes=none events=none";

		want = make_state(FUNNEL_TIME_BIGINT, 0, 0, 7, 3, 0, 0);
		if (CHECK_DECODE(parse_funnel(none, sizeof(none) - 1, &got, &error), DECODE_OK))
			check_same_funnel(&got.state, got.events, &want, NULL, "parsed", __FILE__, __LINE__);
		free(got.events);
	}
}

/* Rejected with one of the given statuses (the header leaves some choices open). */
static void
check_text_rejected(const char *text, DecodeStatus s1, DecodeStatus s2, const char *file, int line)
{
	TestFunnel got;
	DecodeError error;
	DecodeStatus status = parse_funnel(text, strlen(text), &got, &error);
	char		what[400];

	snprintf(what, sizeof(what), "funnel_parse_text(\"%s\") gives %s%s%s, not %s", text,
			 decode_status_name(s1), s2 != s1 ? " or " : "",
			 s2 != s1 ? decode_status_name(s2) : "", decode_status_name(status));
	test_check(status == s1 || status == s2, what, file, line);
	if (status == DECODE_INVARIANT)
		test_check(error.invariant != KPI_OK, "error.invariant names funnel_check's status",
				   file, line);
	if (status == DECODE_VERSION)
		test_check_uint(error.version, 2, "error.version", "2", file, line);
	free(got.events);
}
#define CHECK_TEXT_REJECTED(text, status) \
	check_text_rejected((text), (status), (status), __FILE__, __LINE__)
#define CHECK_TEXT_REJECTED2(text, s1, s2) \
	check_text_rejected((text), (s1), (s2), __FILE__, __LINE__)

static bool
parse_funnel_fails(const char *text)
{
	TestFunnel got;
	DecodeError error;
	DecodeStatus status = parse_funnel(text, strlen(text), &got, &error);

	free(got.events);
	return status != DECODE_OK;
}

TEST_CASE(funnel_text_rejects)
{
	/* The valid text the cases below break. */
	{
		static const char base[] = "v1 time=bigint window=0,0,10 steps=3 modes=none "
			"events=1@1,2@2+3";
		TestFunnel got;
		DecodeError error;

		CHECK_DECODE(parse_funnel(base, sizeof(base) - 1, &got, &error), DECODE_OK);
		free(got.events);
	}
	CHECK_TEXT_REJECTED("v2 time=bigint window=0,0,10 steps=3 modes=none events=1@1,2@2+3",
						DECODE_VERSION);
	CHECK_TEXT_REJECTED("", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 window=0,0,10 steps=3 modes=none events=1@1,2@2+3", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint steps=3 modes=none events=1@1,2@2+3", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 modes=none events=1@1,2@2+3", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 events=1@1,2@2+3", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,10 steps=3 modes=none events=none", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=date window=0,0,10 steps=3 modes=none events=none", DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=bogus events=none",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1,",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1+",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=@1",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1, 2@2",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1+1",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0, 0,10 steps=3 modes=none events=none",
						DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=none "
						"steps=3", DECODE_SYNTAX);
	/* steps outside 1..32: an impossible fixed part. */
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=0 modes=none events=none",
						 DECODE_INVARIANT, DECODE_OUT_OF_RANGE);
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=33 modes=none events=none",
						 DECODE_INVARIANT, DECODE_OUT_OF_RANGE);
	/* A step above nsteps, and a no-step row outside strict_order: funnel_check. */
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1,2@4",
						 DECODE_INVARIANT, DECODE_OUT_OF_RANGE);
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1,2@33",
						 DECODE_INVARIANT, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@0",
						 DECODE_INVARIANT, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=3 modes=none events=1@1,2@-",
						DECODE_INVARIANT);
	/* Windows: none, negative, or months and days for bigint times. */
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,0 steps=3 modes=none events=none",
						DECODE_INVARIANT);
	CHECK_TEXT_REJECTED("v1 time=timestamp window=0,0,0 steps=3 modes=none events=none",
						DECODE_INVARIANT);
	CHECK_TEXT_REJECTED2("v1 time=timestamp window=0,1,-5 steps=3 modes=none events=none",
						 DECODE_INVARIANT, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED2("v1 time=timestamp window=-1,1,5 steps=3 modes=none events=none",
						 DECODE_INVARIANT, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,-10 steps=3 modes=none events=none",
						 DECODE_INVARIANT, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=1,0,10 steps=3 modes=none events=none",
						DECODE_INVARIANT);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,1,10 steps=3 modes=none events=none",
						DECODE_INVARIANT);
	/* Numbers that do not fit (funnel.c reads an int64 that overflows as bad syntax). */
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,9223372036854775808 steps=3 modes=none "
						 "events=none", DECODE_OUT_OF_RANGE, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=3 modes=none "
						 "events=9223372036854775808@1", DECODE_OUT_OF_RANGE, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED("v1 time=bigint window=0,0,10 steps=300 modes=none events=none",
						DECODE_OUT_OF_RANGE);
	CHECK_TEXT_REJECTED("v1 time=timestamp window=2147483648,0,10 steps=3 modes=none "
						"events=none", DECODE_OUT_OF_RANGE);
	/* Timestamps past PostgreSQL's range. */
	CHECK(parse_funnel_fails("v1 time=timestamp window=0,0,10 steps=3 modes=none "
							 "events=294277-01-01T00:00:00.000000Z@1"));
	CHECK(parse_funnel_fails("v1 time=timestamptz window=0,0,10 steps=3 modes=none "
							 "events=-4713-11-23T23:59:59.999999Z@1"));
	/* Times of the wrong kind. */
	CHECK_TEXT_REJECTED2("v1 time=bigint window=0,0,10 steps=3 modes=none events=infinity@1",
						 DECODE_SYNTAX, DECODE_SYNTAX);
	CHECK_TEXT_REJECTED2("v1 time=timestamp window=0,0,10 steps=3 modes=none events=5@1",
						 DECODE_SYNTAX, DECODE_SYNTAX);
}

/* Every prefix and every one-byte change of a valid text: no over-read, and whatever is accepted is valid. */
TEST_CASE(funnel_text_mutations)
{
	static const char text[] = "v1 time=timestamptz window=1,30,5 steps=4 "
		"modes=strict_order,strict_once "
		"events=2024-01-01T09:00:00.000000Z@1,-infinity@2+3,-0044-03-15T12:00:00.000000Z@-";
	static const char bytes[] = "v1-0123456789@+,=: tTzZ.";
	size_t		len = sizeof(text) - 1;
	char		buf[sizeof(text)];

	for (size_t n = 0; n <= len; n++)
	{
		TestFunnel got;
		DecodeError error;
		DecodeStatus status = parse_funnel(text, n, &got, &error);

		CHECK(status == DECODE_OK || n < len);
		free(got.events);
	}
	for (size_t i = 0; i < len; i++)
		for (size_t b = 0; b < sizeof(bytes) - 1; b++)
		{
			TestFunnel got;
			DecodeError error;

			memcpy(buf, text, len);
			buf[i] = bytes[b];
			(void) parse_funnel(buf, len, &got, &error);
			free(got.events);
		}
}

TEST_CASE(funnel_binary_known)
{
	const FunnelEvent ev[] = {{INT64_C(0x0102030405060708), S(1) | S(32), 0}, {-2, 0, 0}};
	FunnelState s = make_state(FUNNEL_TIME_TIMESTAMPTZ, 0x11223344, 0x55, INT64_C(0x0a0b0c0d0e0f),
							   32, ORDER | ONCE, 2);
	static const unsigned char want[FUNNEL_BINARY_HEADER + 2 * FUNNEL_BINARY_EVENT] = {
		1, FUNNEL_TIME_TIMESTAMPTZ, 32, ORDER | ONCE,
		0x11, 0x22, 0x33, 0x44,
		0, 0, 0, 0x55,
		0, 0, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0, 0, 0, 0, 0, 0, 0, 2,
		1, 2, 3, 4, 5, 6, 7, 8,
		0x80, 0, 0, 1,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		0, 0, 0, 0
	};
	unsigned char out[sizeof(want)];
	TestFunnel got;
	DecodeError error;

	CHECK_UINT(FUNNEL_BINARY_HEADER, 28);
	CHECK_UINT(FUNNEL_BINARY_EVENT, 12);
	CHECK_UINT(sizeof(FunnelEvent), 16);
	memset(out, 0xcc, sizeof(out));
	funnel_encode_binary(&s, ev, out);
	CHECK_BYTES(out, want, sizeof(want));
	if (CHECK_DECODE(decode_funnel(want, sizeof(want), &got, &error), DECODE_OK))
		check_same_funnel(&got.state, got.events, &s, ev, "decoded", __FILE__, __LINE__);
	free(got.events);
}

static void
put_be32(unsigned char *out, uint32_t v)
{
	for (int b = 0; b < 4; b++)
		out[b] = (unsigned char) (v >> (24 - 8 * b));
}

/* Decoding bytes gives status (header or events, whichever fails). */
static void
check_binary_status(const unsigned char *bytes, size_t len, DecodeStatus want,
					  const char *what, const char *file, int line)
{
	TestFunnel got;
	DecodeError error;
	DecodeStatus status = decode_funnel(bytes, len, &got, &error);
	char		label[160];

	snprintf(label, sizeof(label), "binary %s: status", what);
	test_check_int(status, want, label, decode_status_name(want), file, line);
	if (status == DECODE_INVARIANT)
		test_check(error.invariant != KPI_OK, "error.invariant names funnel_check's status",
				   file, line);
	if (status == DECODE_VERSION)
		test_check_uint(error.version, bytes[0], "error.version", "the version byte", file, line);
	free(got.events);
}
#define CHECK_BINARY_STATUS(bytes, len, status, what) \
	check_binary_status((bytes), (len), (status), (what), __FILE__, __LINE__)

TEST_CASE(funnel_binary_rejects)
{
	const FunnelEvent ev[] = {{10, S(1), 0}, {20, S(2) | S(3), 0}, {30, S(3), 0}};
	FunnelState s = make_state(FUNNEL_TIME_BIGINT, 0, 0, 100, 3, DEDUP, 3);
	unsigned char good[FUNNEL_BINARY_HEADER + 3 * FUNNEL_BINARY_EVENT + 1];
	unsigned char bad[sizeof(good)];
	size_t		len = binary_size(&s);
	const size_t count_at = 1 + 3 + 4 + 4 + 8;
	const size_t event_at = FUNNEL_BINARY_HEADER;

	funnel_encode_binary(&s, ev, good);
	good[len] = 0;
	{
		TestFunnel got;
		DecodeError error;

		if (CHECK_DECODE(decode_funnel(good, len, &got, &error), DECODE_OK))
			check_same_funnel(&got.state, got.events, &s, ev, "decoded", __FILE__, __LINE__);
		free(got.events);
	}

	/* Lengths. */
	for (size_t n = 0; n < len; n++)
		CHECK_BINARY_STATUS(good, n, DECODE_LENGTH, "truncated");
	CHECK_BINARY_STATUS(good, len + 1, DECODE_LENGTH, "one byte too many");
#define MUTATE(offset, value) \
	(memcpy(bad, good, sizeof(good)), bad[(offset)] = (unsigned char) (value))
	MUTATE(count_at + 7, 4);
	CHECK_BINARY_STATUS(bad, len, DECODE_LENGTH, "count one above the bytes");
	MUTATE(count_at + 7, 2);
	CHECK_BINARY_STATUS(bad, len, DECODE_LENGTH, "count one below the bytes");
	/* count * 12 wraps around to 36 bytes: 3 + 2^62 events. */
	MUTATE(count_at, 0x40);
	CHECK_BINARY_STATUS(bad, len, DECODE_LENGTH, "count 2^62 + 3");
	memcpy(bad, good, sizeof(good));
	summary_put_be64(bad + count_at, UINT64_MAX);
	{
		TestFunnel got;
		DecodeError error;

		CHECK(decode_funnel(bad, len, &got, &error) != DECODE_OK);
		free(got.events);
	}

	/* Version, and each header field out of range. */
	MUTATE(0, 2);
	CHECK_BINARY_STATUS(bad, len, DECODE_VERSION, "version 2");
	MUTATE(0, 0);
	CHECK_BINARY_STATUS(bad, len, DECODE_VERSION, "version 0");
	MUTATE(1, 0);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "time kind 0");
	MUTATE(1, 4);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "time kind 4");
	MUTATE(2, 0);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "steps 0");
	MUTATE(2, 33);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "steps 33");
	MUTATE(2, 2);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "steps 2 with a step-3 event");
	MUTATE(3, 0x10);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "unknown mode bit");
	MUTATE(4 + 3, 1);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "bigint with months");
	MUTATE(8 + 3, 1);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "bigint with days");
	memcpy(bad, good, sizeof(good));
	summary_put_be64(bad + 12, 0);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "window 0");
	memcpy(bad, good, sizeof(good));
	summary_put_be64(bad + 12, (uint64_t) -5);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "negative window");
	memcpy(bad, good, sizeof(good));
	bad[1] = FUNNEL_TIME_TIMESTAMP;
	put_be32(bad + 4, UINT32_C(0xffffffff));
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "negative months");

	/* Events: a step above nsteps, and a no-step row outside strict_order. */
	memcpy(bad, good, sizeof(good));
	put_be32(bad + event_at + 8, S(4));
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "event of step 4");
	memcpy(bad, good, sizeof(good));
	put_be32(bad + event_at + FUNNEL_BINARY_EVENT + 8, 0);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "no-step event");
	memcpy(bad, good, sizeof(good));
	bad[1] = FUNNEL_TIME_TIMESTAMP;
	summary_put_be64(bad + event_at, (uint64_t) T_USEC_END);
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "timestamp past the range");
	summary_put_be64(bad + event_at, (uint64_t) (T_USEC_MIN - 1));
	CHECK_BINARY_STATUS(bad, len, DECODE_INVARIANT, "timestamp before the range");
	summary_put_be64(bad + event_at, (uint64_t) FUNNEL_TIME_PLUS_INFINITY);
	CHECK_BINARY_STATUS(bad, len, DECODE_OK, "infinity");
	summary_put_be64(bad + event_at, (uint64_t) FUNNEL_TIME_MINUS_INFINITY);
	CHECK_BINARY_STATUS(bad, len, DECODE_OK, "-infinity");
	memcpy(bad, good, sizeof(good));
	put_be32(bad + event_at + FUNNEL_BINARY_EVENT + 8, 0);
	bad[3] = DEDUP | ORDER;
	{
		TestFunnel got;
		DecodeError error;

		CHECK_DECODE(decode_funnel(bad, len, &got, &error), DECODE_OK);
		free(got.events);
	}
#undef MUTATE
}

/* ---------- funnel states: random round trips ---------- */

static int64_t
random_time(Prng *prng, FunnelTime kind)
{
	uint64_t	roll = prng_below(prng, 20);

	if (kind == FUNNEL_TIME_BIGINT)
	{
		if (roll == 0)
			return INT64_MIN;
		if (roll == 1)
			return INT64_MAX;
		if (roll < 8)
			return (int64_t) prng_below(prng, 2001) - 1000;
		return (int64_t) prng_next(prng);
	}
	if (roll == 0)
		return FUNNEL_TIME_MINUS_INFINITY;
	if (roll == 1)
		return FUNNEL_TIME_PLUS_INFINITY;
	if (roll == 2)
		return T_USEC_MIN;
	if (roll == 3)
		return T_USEC_END - 1;
	if (roll < 8)				/* BC and the first centuries AD: negative and small years */
		return T_USEC_MIN + (int64_t) prng_below(prng, (uint64_t) -T_USEC_MIN + 1);
	return (int64_t) ((uint64_t) T_USEC_MIN +
					  prng_below(prng, (uint64_t) T_USEC_END - (uint64_t) T_USEC_MIN));
}

static int64_t
random_part(Prng *prng, int64_t max)
{
	uint64_t	roll = prng_below(prng, 5);

	if (roll == 0)
		return 0;
	if (roll == 1)
		return max;
	if (roll == 2)
		return (int64_t) prng_below(prng, 100);
	return prng_count_upto(prng, max);
}

static FunnelState
random_state(Prng *prng, FunnelEvent *events, int max_events)
{
	FunnelTime	kind = (FunnelTime) (1 + prng_below(prng, 3));
	int			nsteps = prng_below(prng, 3) == 0 ? 1 + (int) prng_below(prng, 32)
		: 1 + (int) prng_below(prng, 5);
	unsigned	modes = (unsigned) prng_below(prng, NMODES);
	int64_t		n = (int64_t) prng_below(prng, (uint64_t) max_events + 1);
	FunnelState s;

	if (kind == FUNNEL_TIME_BIGINT)
		s = make_state(kind, 0, 0, 1 + prng_count_upto(prng, INT64_MAX - 1), nsteps, modes, n);
	else
	{
		do
			s = make_state(kind, (int32_t) random_part(prng, INT32_MAX),
						   (int32_t) random_part(prng, INT32_MAX),
						   random_part(prng, INT64_MAX), nsteps, modes, n);
		while (!funnel_window_valid(&s.window, kind));
	}
	for (int64_t i = 0; i < n; i++)
	{
		uint32_t	all = nsteps == 32 ? UINT32_MAX : (UINT32_C(1) << nsteps) - 1;
		uint32_t	mask;

		do
			mask = prng_below(prng, 2) ? random_mask(prng, nsteps) : ((uint32_t) prng_next(prng) & all);
		while (mask == 0 && !(modes & ORDER));
		events[i] = (FunnelEvent) {random_time(prng, kind), mask, 0};
	}
	return s;
}

TEST_CASE(funnel_property_codec_round_trip)
{
	Prng		prng = {UINT64_C(0xc0dec0de)};
	long		kinds[4] = {0};
	long		infinities = 0;
	long		bc = 0;
	int			failures = 0;

	for (int iter = 0; iter < 3000 && failures < 3; iter++)
	{
		FunnelEvent events[50];
		FunnelState s = random_state(&prng, events, 50);
		char	   *text = format_funnel(&s, events, __FILE__, __LINE__);
		unsigned char *bytes = malloc(binary_size(&s));
		TestFunnel got;
		DecodeError error;
		bool		ok = true;

		kinds[s.time_kind]++;
		for (int64_t i = 0; i < s.nevents; i++)
		{
			infinities += s.time_kind != FUNNEL_TIME_BIGINT &&
				(events[i].ts == INT64_MIN || events[i].ts == INT64_MAX);
			bc += s.time_kind != FUNNEL_TIME_BIGINT && events[i].ts != INT64_MIN &&
				events[i].ts < INT64_C(-63113904000000000);	/* 0000-01-01 */
		}
		CHECK_KPI(funnel_check(&s, events), KPI_OK);
		if (text == NULL)
		{
			failures++;
			free(bytes);
			continue;
		}
		ok &= CHECK(funnel_text_event_bound(text, strlen(text)) >= (size_t) s.nevents);
		if ((ok &= CHECK_DECODE(parse_funnel(text, strlen(text), &got, &error), DECODE_OK)))
		{
			char	   *again = format_funnel(&got.state, got.events, __FILE__, __LINE__);

			ok &= check_same_funnel(&got.state, got.events, &s, events, "parsed",
									__FILE__, __LINE__);
			ok &= again != NULL && CHECK_STR(again, text);
			free(again);
		}
		free(got.events);

		funnel_encode_binary(&s, events, bytes);
		if ((ok &= CHECK_DECODE(decode_funnel(bytes, binary_size(&s), &got, &error), DECODE_OK)))
			ok &= check_same_funnel(&got.state, got.events, &s, events, "decoded",
									__FILE__, __LINE__);
		free(got.events);

		if (!ok)
		{
			printf("  text: %s\n", text);
			failures++;
		}
		free(text);
		free(bytes);
	}
	for (int k = 1; k <= 3; k++)
		CHECK(kinds[k] > 500);
	CHECK(infinities > 100);
	CHECK(bc > 100);
}

/* ---------- ConditionCounts: retention() ---------- */

static ConditionCounts
counts_of(int n, const int64_t *met)
{
	ConditionCounts c;

	memset(&c, 0, sizeof(c));
	c.nconditions = n;
	for (int i = 0; i < n; i++)
		c.met[i] = met[i];
	return c;
}

static bool
check_counts(const ConditionCounts *c, int n, const int64_t *met, const char *file, int line)
{
	bool		ok = test_check_int(c->nconditions, n, "nconditions", "expected", file, line);

	for (int i = 0; i < FUNNEL_MAX_STEPS; i++)
		ok &= test_check_int(c->met[i], i < n ? met[i] : 0, "met[i]", "expected", file, line);
	return ok;
}
#define CHECK_COUNTS(c, n, ...) \
	check_counts((c), (n), (const int64_t[]) {__VA_ARGS__}, __FILE__, __LINE__)

TEST_CASE(funnel_conditions_add_remove)
{
	ConditionCounts c;
	ConditionCounts saved;

	memset(&c, 0, sizeof(c));
	CHECK_KPI(conditions_add(&c, 3, 0x5), KPI_OK);
	CHECK_COUNTS(&c, 3, 1, 0, 1);
	CHECK_KPI(conditions_add(&c, 3, 0x3), KPI_OK);
	CHECK_COUNTS(&c, 3, 2, 1, 1);
	CHECK_KPI(conditions_add(&c, 3, 0), KPI_OK);
	CHECK_COUNTS(&c, 3, 2, 1, 1);
	saved = c;
	CHECK_KPI(conditions_add(&c, 4, 0x1), KPI_INCONSISTENT);
	CHECK_KPI(conditions_add(&c, 2, 0x1), KPI_INCONSISTENT);
	CHECK(memcmp(&c, &saved, sizeof(c)) == 0);
	CHECK_KPI(conditions_remove(&c, 3, 0x1), KPI_OK);
	CHECK_COUNTS(&c, 3, 1, 1, 1);
	CHECK_KPI(conditions_remove(&c, 3, 0x6), KPI_OK);
	CHECK_COUNTS(&c, 3, 1, 0, 0);
	saved = c;
	/* Removing what was never added, in full or in part, changes nothing. */
	CHECK_KPI(conditions_remove(&c, 3, 0x2), KPI_NOT_IN_STATE);
	CHECK_KPI(conditions_remove(&c, 3, 0x3), KPI_NOT_IN_STATE);
	CHECK(memcmp(&c, &saved, sizeof(c)) == 0);
	CHECK_KPI(conditions_remove(&c, 4, 0x1), KPI_INCONSISTENT);
	CHECK(memcmp(&c, &saved, sizeof(c)) == 0);
	CHECK_KPI(conditions_remove(&c, 3, 0x1), KPI_OK);
	CHECK_COUNTS(&c, 3, 0, 0, 0);
	CHECK_KPI(conditions_check(&c), KPI_OK);

	/* 32 conditions, all met. */
	memset(&c, 0, sizeof(c));
	CHECK_KPI(conditions_add(&c, 32, UINT32_MAX), KPI_OK);
	CHECK_KPI(conditions_check(&c), KPI_OK);
	CHECK_INT(c.met[0], 1);
	CHECK_INT(c.met[31], 1);

	/* A count at INT64_MAX. */
	c = counts_of(2, (const int64_t[]) {INT64_MAX, 0});
	saved = c;
	CHECK_KPI(conditions_add(&c, 2, 0x2), KPI_OK);
	CHECK_KPI(conditions_add(&c, 2, 0x1), KPI_OVERFLOW);
	CHECK_COUNTS(&c, 2, INT64_MAX, 1);
}

TEST_CASE(funnel_conditions_merge)
{
	ConditionCounts a = counts_of(3, (const int64_t[]) {1, 0, 1});
	ConditionCounts b = counts_of(3, (const int64_t[]) {0, 2, 5});
	ConditionCounts other = counts_of(2, (const int64_t[]) {1, 1});
	ConditionCounts big = counts_of(3, (const int64_t[]) {INT64_MAX, 0, 0});
	ConditionCounts saved;

	CHECK_KPI(conditions_merge(&a, &b), KPI_OK);
	CHECK_COUNTS(&a, 3, 1, 2, 6);
	saved = a;
	CHECK_KPI(conditions_merge(&a, &other), KPI_INCONSISTENT);
	CHECK(memcmp(&a, &saved, sizeof(a)) == 0);
	CHECK_KPI(conditions_merge(&a, &big), KPI_OVERFLOW);
	CHECK(memcmp(&a, &saved, sizeof(a)) == 0);

	/* A state with no rows yet (all zero) merges as nothing, either way round. */
	{
		ConditionCounts empty;

		memset(&empty, 0, sizeof(empty));
		CHECK_KPI(conditions_merge(&a, &empty), KPI_OK);
		CHECK(memcmp(&a, &saved, sizeof(a)) == 0);
		CHECK_KPI(conditions_merge(&empty, &a), KPI_OK);
		CHECK(memcmp(&empty, &saved, sizeof(a)) == 0);
	}
}

TEST_CASE(funnel_conditions_retention)
{
	int32_t		r[FUNNEL_MAX_STEPS];
	ConditionCounts c;

	c = counts_of(3, (const int64_t[]) {2, 0, 1});
	conditions_retention(&c, r);
	CHECK_INT(r[0], 1);
	CHECK_INT(r[1], 0);
	CHECK_INT(r[2], 1);
	/* Without the first condition nothing is retained. */
	c = counts_of(3, (const int64_t[]) {0, 5, 5});
	conditions_retention(&c, r);
	CHECK_INT(r[0], 0);
	CHECK_INT(r[1], 0);
	CHECK_INT(r[2], 0);
	c = counts_of(1, (const int64_t[]) {3});
	conditions_retention(&c, r);
	CHECK_INT(r[0], 1);
	c = counts_of(4, (const int64_t[]) {INT64_MAX, 1, 0, INT64_MAX});
	conditions_retention(&c, r);
	CHECK_INT(r[0], 1);
	CHECK_INT(r[1], 1);
	CHECK_INT(r[2], 0);
	CHECK_INT(r[3], 1);
	/* From rows: (c1), (c2, c3), (c3). */
	memset(&c, 0, sizeof(c));
	CHECK_KPI(conditions_add(&c, 3, 0x1), KPI_OK);
	CHECK_KPI(conditions_add(&c, 3, 0x6), KPI_OK);
	CHECK_KPI(conditions_add(&c, 3, 0x4), KPI_OK);
	conditions_retention(&c, r);
	CHECK_INT(r[0], 1);
	CHECK_INT(r[1], 1);
	CHECK_INT(r[2], 1);
	CHECK_KPI(conditions_remove(&c, 3, 0x1), KPI_OK);
	conditions_retention(&c, r);
	CHECK_INT(r[0], 0);
	CHECK_INT(r[1], 0);
	CHECK_INT(r[2], 0);
}

TEST_CASE(funnel_conditions_check)
{
	ConditionCounts c = counts_of(3, (const int64_t[]) {1, 2, 3});

	CHECK_KPI(conditions_check(&c), KPI_OK);
	c.met[1] = -1;
	CHECK(conditions_check(&c) != KPI_OK);
	c = counts_of(3, (const int64_t[]) {1, 2, 3});
	c.met[3] = 1;				/* an unused entry */
	CHECK(conditions_check(&c) != KPI_OK);
	/* No rows yet: nconditions 0 and nothing met (funnel.c's empty state). */
	memset(&c, 0, sizeof(c));
	CHECK_KPI(conditions_check(&c), KPI_OK);
	c.met[0] = 1;
	CHECK(conditions_check(&c) != KPI_OK);
	c.met[0] = 0;
	c.nconditions = 33;
	CHECK(conditions_check(&c) != KPI_OK);
	c.nconditions = -1;
	CHECK(conditions_check(&c) != KPI_OK);
	c = counts_of(32, (const int64_t[32]) {[31] = INT64_MAX});
	CHECK_KPI(conditions_check(&c), KPI_OK);
}

static DecodeStatus
parse_conditions(const char *text, ConditionCounts *c, DecodeError *error)
{
	size_t		len = strlen(text);
	unsigned char *copy = exact_copy(text, len);
	DecodeStatus status;

	memset(error, 0, sizeof(*error));
	status = conditions_parse_text((const char *) copy, len, c, error);
	CHECK_DECODE(error->status, status);
	if (status == DECODE_OK)
		CHECK_KPI(conditions_check(c), KPI_OK);
	free(copy);
	return status;
}

static DecodeStatus
decode_conditions(const unsigned char *bytes, size_t len, ConditionCounts *c, DecodeError *error)
{
	unsigned char *copy = exact_copy(bytes, len);
	DecodeStatus status;

	memset(error, 0, sizeof(*error));
	status = conditions_decode_binary(copy, len, c, error);
	CHECK_DECODE(error->status, status);
	if (status == DECODE_OK)
		CHECK_KPI(conditions_check(c), KPI_OK);
	free(copy);
	return status;
}

TEST_CASE(funnel_conditions_codecs_known)
{
	ConditionCounts c = counts_of(3, (const int64_t[]) {5, 0, 2});
	ConditionCounts got;
	DecodeError error;
	char		text[CONDITIONS_TEXT_MAX];
	unsigned char bytes[CONDITIONS_BINARY_MAX + 1];
	static const unsigned char want[] = {
		1,
		0, 0, 0, 0, 0, 0, 0, 3,
		0, 0, 0, 0, 0, 0, 0, 5,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 2
	};
	size_t		n;

	CHECK_UINT(conditions_format_text(&c, text, sizeof(text)), strlen("v1 conditions=3 met=5,0,2"));
	CHECK_STR(text, "v1 conditions=3 met=5,0,2");
	if (CHECK_DECODE(parse_conditions(text, &got, &error), DECODE_OK))
		CHECK_COUNTS(&got, 3, 5, 0, 2);
	n = conditions_encode_binary(&c, bytes);
	CHECK_UINT(n, sizeof(want));
	CHECK_BYTES(bytes, want, sizeof(want));
	if (CHECK_DECODE(decode_conditions(want, sizeof(want), &got, &error), DECODE_OK))
		CHECK_COUNTS(&got, 3, 5, 0, 2);

	/* Text rejections. */
	CHECK_DECODE(parse_conditions("v2 conditions=3 met=5,0,2", &got, &error), DECODE_VERSION);
	CHECK_DECODE(parse_conditions("", &got, &error), DECODE_SYNTAX);
	CHECK_DECODE(parse_conditions("v1 conditions=3", &got, &error), DECODE_SYNTAX);
	CHECK_DECODE(parse_conditions("v1 met=5,0,2", &got, &error), DECODE_SYNTAX);
	CHECK_DECODE(parse_conditions("v1 conditions=3 met=5,0,", &got, &error), DECODE_SYNTAX);
	CHECK_DECODE(parse_conditions("v1 conditions=3 met=5, 0,2", &got, &error), DECODE_SYNTAX);
	CHECK_DECODE(parse_conditions("v1 conditions=3 met=5,0,2,", &got, &error), DECODE_SYNTAX);
	CHECK(parse_conditions("v1 conditions=3 met=5,-1,2", &got, &error) != DECODE_OK);
	CHECK(parse_conditions("v1 conditions=3 met=5,0", &got, &error) != DECODE_OK);
	CHECK(parse_conditions("v1 conditions=2 met=5,0,2", &got, &error) != DECODE_OK);
	CHECK(parse_conditions("v1 conditions=0 met=", &got, &error) != DECODE_OK);
	CHECK(parse_conditions("v1 conditions=33 met=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
						   "0,0,0,0,0,0,0,0,0,0,0", &got, &error) != DECODE_OK);
	CHECK(parse_conditions("v1 conditions=1 met=9223372036854775808", &got, &error) !=
		  DECODE_OK);
	/* Trailing spaces are allowed, as in every summary text. */
	CHECK_DECODE(parse_conditions("v1 conditions=3 met=5,0,2 ", &got, &error), DECODE_OK);
	/* The empty state. */
	memset(&c, 0, sizeof(c));
	CHECK_UINT(conditions_format_text(&c, text, sizeof(text)), strlen("v1 conditions=0 met=none"));
	CHECK_STR(text, "v1 conditions=0 met=none");
	if (CHECK_DECODE(parse_conditions(text, &got, &error), DECODE_OK))
		CHECK(memcmp(&got, &c, sizeof(c)) == 0);
	CHECK_UINT(conditions_encode_binary(&c, bytes), 9);
	if (CHECK_DECODE(decode_conditions(bytes, 9, &got, &error), DECODE_OK))
		CHECK(memcmp(&got, &c, sizeof(c)) == 0);

	/* Binary rejections. */
	for (size_t len = 0; len < sizeof(want); len++)
		CHECK_DECODE(decode_conditions(want, len, &got, &error), DECODE_LENGTH);
	memcpy(bytes, want, sizeof(want));
	bytes[sizeof(want)] = 0;
	CHECK_DECODE(decode_conditions(bytes, sizeof(want) + 1, &got, &error), DECODE_LENGTH);
	bytes[0] = 2;
	CHECK_DECODE(decode_conditions(bytes, sizeof(want), &got, &error), DECODE_VERSION);
	memcpy(bytes, want, sizeof(want));
	bytes[8] = 33;
	CHECK(decode_conditions(bytes, sizeof(want), &got, &error) != DECODE_OK);
	bytes[8] = 2;				/* two conditions, three counts */
	CHECK_DECODE(decode_conditions(bytes, sizeof(want), &got, &error), DECODE_LENGTH);
	memcpy(bytes, want, sizeof(want));
	bytes[9] = 0x80;			/* met[0] negative */
	CHECK_DECODE(decode_conditions(bytes, sizeof(want), &got, &error), DECODE_INVARIANT);
}

TEST_CASE(funnel_conditions_codec_round_trip)
{
	Prng		prng = {UINT64_C(0x7e7e7105)};

	for (int iter = 0; iter < 2000; iter++)
	{
		int			n = 1 + (int) prng_below(&prng, FUNNEL_MAX_STEPS);
		ConditionCounts c;
		ConditionCounts got;
		DecodeError error;
		char		text[CONDITIONS_TEXT_MAX];
		unsigned char bytes[CONDITIONS_BINARY_MAX];
		size_t		len;
		bool		ok = true;

		memset(&c, 0, sizeof(c));
		c.nconditions = n;
		for (int i = 0; i < n; i++)
			c.met[i] = prng_below(&prng, 4) == 0 ? 0 : prng_count(&prng);
		if (iter == 0)
			for (int i = 0; i < n; i++)
				c.met[i] = INT64_MAX;
		len = conditions_format_text(&c, text, sizeof(text));
		ok &= CHECK(len > 0 && len == strlen(text));
		if ((ok &= CHECK_DECODE(parse_conditions(text, &got, &error), DECODE_OK)))
			ok &= CHECK(memcmp(&got, &c, sizeof(c)) == 0);
		len = conditions_encode_binary(&c, bytes);
		ok &= CHECK_UINT(len, 1 + 8 + 8 * (size_t) n);
		if ((ok &= CHECK_DECODE(decode_conditions(bytes, len, &got, &error), DECODE_OK)))
			ok &= CHECK(memcmp(&got, &c, sizeof(c)) == 0);
		if (!ok)
		{
			printf("  conditions text: %s\n", text);
			break;
		}
	}
}
