/*
 * funnel.h: event funnels (window_funnel) and cohort retention (retention).
 *
 * window_funnel keeps one FunnelEvent per input row that matched some step
 * (in strict_order mode, every row: a row that matches no step interrupts the
 * funnel). The events are sorted once, when the level is asked for, and
 * funnel_level() scans them once.
 *
 * Semantics (ClickHouse's windowFunnel, stated as chains; docs/event-funnels.md):
 *
 *   Each row yields one entry per step it matches. Entries are ordered by
 *   time, then step number, then the row's whole set of steps. A chain of
 *   length k is a sequence of entries at increasing positions whose steps are
 *   1, 2, ..., k, whose last time is within the window of its first (time <=
 *   deadline(first time)); with strict_increase the times strictly increase,
 *   with strict_once the entries come from k different rows. An entry of step
 *   k "reaches level k" if a chain of length k ends at it. The scan visits the
 *   entries in order:
 *     - strict_order: a row matching no step, seen after a step-1 entry, stops
 *       the scan; so does an entry of step k >= 2 seen after a step-1 entry
 *       while level k-1 has not been reached;
 *     - strict_deduplication: an entry of step k >= 2 seen when level k has
 *       already been reached stops the scan (checked before strict_order);
 *   and the result is the highest level reached before the scan stopped.
 */
#ifndef B2BKPI_FUNNEL_H
#define B2BKPI_FUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "count_summary.h"
#include "kpi_status.h"

#define FUNNEL_MAX_STEPS 32

/* Mode flags, combinable. */
#define FUNNEL_STRICT_ORDER			0x01
#define FUNNEL_STRICT_DEDUPLICATION	0x02
#define FUNNEL_STRICT_INCREASE		0x04
#define FUNNEL_STRICT_ONCE			0x08
#define FUNNEL_MODES_KNOWN			0x0f

/* What the event times are; the window is read accordingly. */
typedef enum FunnelTime
{
	FUNNEL_TIME_BIGINT = 1,		/* any int64 scale; window in the same units */
	FUNNEL_TIME_TIMESTAMP = 2,	/* microseconds since 2000-01-01 */
	FUNNEL_TIME_TIMESTAMPTZ = 3 /* microseconds since 2000-01-01 00:00 UTC */
} FunnelTime;

/* PostgreSQL's timestamp infinities. */
#define FUNNEL_TIME_MINUS_INFINITY INT64_MIN
#define FUNNEL_TIME_PLUS_INFINITY INT64_MAX

/*
 * The window: an interval (months, days, microseconds) for timestamps, or
 * `time` alone in the event times' units for bigint. Every part is >= 0 and
 * some part is > 0.
 */
typedef struct FunnelWindow
{
	int32_t		months;
	int32_t		days;
	int64_t		time;
} FunnelWindow;

/* One kept row: its time and the steps it matched (bit k-1 for step k). 16 bytes. */
typedef struct FunnelEvent
{
	int64_t		ts;
	uint32_t	steps;
	uint32_t	reserved;		/* always 0 */
} FunnelEvent;

/* The fixed part of a funnel state; the events follow it. */
typedef struct FunnelState
{
	int64_t		nevents;
	FunnelWindow window;
	uint8_t		time_kind;		/* a FunnelTime */
	uint8_t		nsteps;			/* 1 .. FUNNEL_MAX_STEPS */
	uint8_t		modes;			/* FUNNEL_* flags */
	uint8_t		sorted;			/* events are in funnel order (a hint, never trusted from input) */
	uint32_t	reserved;		/* always 0 */
} FunnelState;

/* ---------- parameters ---------- */

/*
 * Reads a mode string: names separated by commas, with optional spaces
 * around each, or an empty string for none. Returns false for an unknown or
 * empty name.
 */
bool		funnel_modes_parse(const char *text, size_t len, unsigned *modes);

/* "none", or the names joined by ",", in flag order. Returns the length. */
#define FUNNEL_MODES_TEXT_MAX 80
size_t		funnel_modes_format(unsigned modes, char *buf, size_t bufsize);

/* Every part >= 0 and one > 0; for bigint times, months = days = 0. */
bool		funnel_window_valid(const FunnelWindow *window, FunnelTime time_kind);

/* ---------- the level ---------- */

/* The latest time still within the window of a chain that starts at first. */
typedef int64_t (*FunnelDeadline) (int64_t first, const void *arg);

/* first + *(const int64_t *) arg, saturating at INT64_MAX: bigint times. */
int64_t		funnel_bigint_deadline(int64_t first, const void *window_time);

/* Funnel order: time, then the set of steps as a number. */
static inline bool
funnel_event_before(const FunnelEvent *a, const FunnelEvent *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->steps < b->steps);
}

bool		funnel_is_sorted(const FunnelEvent *events, size_t n);

/* Sorts in place (an introsort: O(n log n), no allocation). */
void		funnel_sort(FunnelEvent *events, size_t n);

/*
 * The funnel level of sorted events, per the semantics above. deadline must
 * be non-decreasing only where the caller's time arithmetic is; the scan
 * never assumes it (a timestamptz day can be 23 or 25 hours).
 */
int			funnel_level(const FunnelEvent *events, size_t n, int nsteps,
						 unsigned modes, FunnelDeadline deadline, const void *deadline_arg);

/* ---------- the state ---------- */

/* Same time kind, window, steps and modes: states that can be merged. */
bool		funnel_same_parameters(const FunnelState *a, const FunnelState *b);

/* The fixed part's invariants, and each event's (steps within nsteps; no-step rows only in strict_order). */
KpiStatus	funnel_check(const FunnelState *state, const FunnelEvent *events);

/*
 * Text form:
 *
 *   v1 time=timestamptz window=0,30,0 steps=4 modes=strict_order
 *      events=2024-01-01T09:00:00.000000Z@1,2024-01-03T10:30:00.000000Z@2+3
 *
 * (one line). window is months,days,microseconds (bigint: 0,0,N). Each event
 * is TIME@STEPS: TIME a UTC timestamp as in churn periods, "infinity",
 * "-infinity", or for bigint an integer; STEPS the step numbers joined by
 * "+", or "-" for a row that matched none (strict_order). "events=none" when
 * there are none.
 */
size_t		funnel_text_max(const FunnelState *state);
size_t		funnel_format_text(const FunnelState *state, const FunnelEvent *events,
							   char *buf, size_t bufsize);

/* An upper bound on the number of events in a text (for the caller's allocation). */
size_t		funnel_text_event_bound(const char *text, size_t len);

/*
 * Reads a text form into state and events (room for capacity events, from
 * funnel_text_event_bound). DECODE_SYNTAX, DECODE_VERSION, DECODE_OUT_OF_RANGE,
 * or DECODE_INVARIANT (funnel_check) on failure.
 */
DecodeStatus funnel_parse_text(const char *text, size_t len, FunnelState *state,
							   FunnelEvent *events, size_t capacity, DecodeError *error);

/*
 * Binary form: version byte, time kind, steps, modes bytes, months and days
 * (int32), window time and the event count (int64), then each event's time
 * (int64) and steps (uint32), big-endian.
 */
#define FUNNEL_BINARY_HEADER (1 + 3 + 4 + 4 + 8 + 8)
#define FUNNEL_BINARY_EVENT (8 + 4)
void		funnel_encode_binary(const FunnelState *state, const FunnelEvent *events,
								 unsigned char *out);

/* Reads the fixed part, and checks that len holds exactly its events. */
DecodeStatus funnel_decode_binary_header(const unsigned char *bytes, size_t len,
										 FunnelState *state, DecodeError *error);

/* Then the events (room for state->nevents), checked with funnel_check. */
DecodeStatus funnel_decode_binary_events(const unsigned char *bytes, size_t len,
										 FunnelState *state, FunnelEvent *events,
										 DecodeError *error);

/* ---------- retention(VARIADIC conds) ---------- */

/* Per condition, the rows that met it, so that a sliding frame can remove rows. */
typedef struct ConditionCounts
{
	int64_t		nconditions;	/* 1 .. FUNNEL_MAX_STEPS; 0 before the first row */
	int64_t		met[FUNNEL_MAX_STEPS];	/* unused entries are 0 */
} ConditionCounts;

/* One row's conditions (bit i for condition i+1). KPI_INCONSISTENT: another count of conditions. */
KpiStatus	conditions_add(ConditionCounts *c, int nconditions, uint32_t met);
KpiStatus	conditions_remove(ConditionCounts *c, int nconditions, uint32_t met);
KpiStatus	conditions_merge(ConditionCounts *into, const ConditionCounts *from);

/* result[0] = c1, result[i] = c1 and c(i+1), each 0 or 1. */
void		conditions_retention(const ConditionCounts *c, int32_t *result);

KpiStatus	conditions_check(const ConditionCounts *c);

/*
 * Text: "v1 conditions=3 met=5,0,2"; binary: version byte, the count of
 * conditions and each met count as big-endian int64.
 */
#define CONDITIONS_TEXT_MAX (32 + FUNNEL_MAX_STEPS * 21)
size_t		conditions_format_text(const ConditionCounts *c, char *buf, size_t bufsize);
DecodeStatus conditions_parse_text(const char *text, size_t len, ConditionCounts *c,
								   DecodeError *error);
#define CONDITIONS_BINARY_MAX (1 + 8 + 8 * FUNNEL_MAX_STEPS)
size_t		conditions_encode_binary(const ConditionCounts *c, unsigned char *out);
DecodeStatus conditions_decode_binary(const unsigned char *bytes, size_t len,
									  ConditionCounts *c, DecodeError *error);

#endif
