/*
 * event_funnels.c: window_funnel and retention (kpi-spec section 4).
 *
 * A window_funnel_events datum is the SummaryHeader, the core's FunnelState, then
 * room for events, of which the first nevents are used. The aggregate's own
 * state keeps spare room, so most rows are an append in place; when the room
 * runs out, a state twice as large replaces it. Stored and shipped values
 * (text, binary, a partial aggregate's result) are the same layout, and the
 * type's storage is EXTENDED, so a large one is compressed and toasted.
 */
#include "b2bkpi.h"
#include "exact_sums.h"

#include <string.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "port/pg_bitutils.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "core/funnel.h"

#define FUNNEL_TYPE "window_funnel_events"
#define CONDITIONS_TYPE "retention_conditions"

/* A new aggregate state starts with room for this many events: 256 bytes. */
#define FUNNEL_INITIAL_ROOM 13

typedef struct FunnelDatum
{
	SummaryHeader header;
	FunnelState state;
	FunnelEvent events[FLEXIBLE_ARRAY_MEMBER];
} FunnelDatum;

#define FUNNEL_DATUM_SIZE(nevents) \
	(offsetof(FunnelDatum, events) + (Size) (nevents) * sizeof(FunnelEvent))

/* Events that fit in one datum (varlena values stop at 1 GB). */
#define FUNNEL_MAX_EVENTS ((MaxAllocSize - offsetof(FunnelDatum, events)) / sizeof(FunnelEvent))

static inline int64
funnel_room(const FunnelDatum *f)
{
	return (int64) ((VARSIZE(f) - offsetof(FunnelDatum, events)) / sizeof(FunnelEvent));
}

static FunnelDatum *
funnel_alloc(const FunnelState *state, int64 room)
{
	FunnelDatum *f = palloc(FUNNEL_DATUM_SIZE(room));

	SET_VARSIZE(f, FUNNEL_DATUM_SIZE(room));
	f->header.layout_version = SUMMARY_LAYOUT_VERSION;
	memset(f->header.reserved, 0, sizeof(f->header.reserved));
	f->state = *state;
	return f;
}

static void
raise_too_many_events(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("window_funnel group has too many events"),
			 errdetail("One group can hold at most %zu events that match a step.",
					   (size_t) FUNNEL_MAX_EVENTS),
			 errhint("Group by a finer key, such as the account and a quarter.")));
}

/* A copy of f with room for exactly `room` (>= its events) events. */
static FunnelDatum *
funnel_copy(const FunnelDatum *f, int64 room)
{
	FunnelDatum *copy;

	if ((Size) room > FUNNEL_MAX_EVENTS)
		raise_too_many_events();
	copy = funnel_alloc(&f->state, room);
	memcpy(copy->events, f->events, (Size) f->state.nevents * sizeof(FunnelEvent));
	return copy;
}

/*
 * A copy of f with room for at least `needed` events. Small states take the
 * next power-of-two size, all of it as room, since the allocator rounds
 * small chunks up to one anyway; from 1024 events on they grow by a
 * quarter, so spare room stays under 25 % of a large group while the copies
 * still add up to a constant per event.
 */
#define FUNNEL_DOUBLING_LIMIT 1024

static FunnelDatum *
funnel_grow(const FunnelDatum *f, int64 needed)
{
	int64		current = funnel_room(f);
	int64		grown;

	if ((Size) needed > FUNNEL_MAX_EVENTS)
		raise_too_many_events();
	if (needed < FUNNEL_DOUBLING_LIMIT)
	{
		Size		bytes = pg_nextpower2_size_t(FUNNEL_DATUM_SIZE(Max(needed, 2 * current)));

		grown = (int64) ((bytes - offsetof(FunnelDatum, events)) / sizeof(FunnelEvent));
	}
	else
		grown = Max(needed, current + current / 4);
	return funnel_copy(f, Min(grown, (int64) FUNNEL_MAX_EVENTS));
}

static void
raise_corrupted(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s value", type_name),
			 errdetail("Its length does not match its contents.")));
}

/*
 * A sliding frame's state before its first row with parameters: all zero
 * (nsteps 0 is never valid otherwise). It lives only inside a window
 * aggregate, so it is never printed or shipped.
 */
static inline bool
funnel_unset(const FunnelDatum *f)
{
	return f->state.nsteps == 0;
}

/* A window_funnel_events argument, detoasted, its layout checked against its length. */
static FunnelDatum *
funnel_arg(FunctionCallInfo fcinfo, int argno)
{
	FunnelDatum *f = (FunnelDatum *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (VARSIZE(f) < offsetof(FunnelDatum, events) ||
		f->header.layout_version != SUMMARY_LAYOUT_VERSION ||
		f->state.nevents < 0 || f->state.nevents > funnel_room(f))
		raise_corrupted(FUNNEL_TYPE);
	return f;
}

/*
 * The state to change: the aggregate's own, in place, or for a direct call
 * a copy, so that a stored value (perhaps in a shared buffer) is never written.
 */
static FunnelDatum *
funnel_state_for_update(FunctionCallInfo fcinfo, int argno)
{
	FunnelDatum *f = funnel_arg(fcinfo, argno);

	if (called_as_aggregate(fcinfo) && (Pointer) f == PG_GETARG_POINTER(argno))
		return f;
	return funnel_copy(f, f->state.nevents);
}

/* ---------- the window ---------- */

typedef struct DeadlineArgs
{
	FunnelTime	time_kind;
	Interval	window;
	int64		window_time;	/* bigint times */
	int64		safe_until;		/* a first time past this has no deadline in range */
} DeadlineArgs;

/*
 * first + window, as PostgreSQL adds an interval to a timestamp (calendar
 * months and days, in the session's time zone for timestamptz), so a chain
 * is within the window exactly when "ts <= first + window" is true in SQL.
 * Near the end of the timestamp range, where that sum would fail, the
 * deadline is infinity.
 */
static int64
timestamp_deadline(int64 first, const void *arg)
{
	const DeadlineArgs *d = arg;

	if (TIMESTAMP_NOT_FINITE(first))
		return first;
	if (first > d->safe_until)
		return DT_NOEND;
	if (d->time_kind == FUNNEL_TIME_TIMESTAMPTZ)
		return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
													   TimestampTzGetDatum(first),
													   IntervalPGetDatum(&d->window)));
	return DatumGetTimestamp(DirectFunctionCall2(timestamp_pl_interval,
												 TimestampGetDatum(first),
												 IntervalPGetDatum(&d->window)));
}

static void
deadline_args(const FunnelState *state, DeadlineArgs *d)
{
	/* The longest the window can be: 31-day months, 25-hour days, a day spare. */
	int128		longest = ((int128) state->window.months * 31 + state->window.days + 1) *
		(USECS_PER_DAY + USECS_PER_HOUR) + state->window.time;
	int128		safe = (int128) END_TIMESTAMP - 1 - longest;

	d->time_kind = (FunnelTime) state->time_kind;
	d->window.month = state->window.months;
	d->window.day = state->window.days;
	d->window.time = state->window.time;
	d->window_time = state->window.time;
	d->safe_until = safe < PG_INT64_MIN ? PG_INT64_MIN : (int64) safe;
}

static int
funnel_level_of(FunnelDatum *f)
{
	DeadlineArgs d;

	if (!f->state.sorted)
	{
		funnel_sort(f->events, (size_t) f->state.nevents);
		f->state.sorted = true;
	}
	deadline_args(&f->state, &d);
	return funnel_level(f->events, (size_t) f->state.nevents, f->state.nsteps,
						f->state.modes,
						f->state.time_kind == FUNNEL_TIME_BIGINT ? funnel_bigint_deadline
						: timestamp_deadline,
						f->state.time_kind == FUNNEL_TIME_BIGINT ? (const void *) &d.window_time
						: (const void *) &d);
}

static char *
window_text(const FunnelState *state)
{
	Interval	iv;

	if (state->time_kind == FUNNEL_TIME_BIGINT)
		return psprintf(INT64_FORMAT, state->window.time);
	iv.month = state->window.months;
	iv.day = state->window.days;
	iv.time = state->window.time;
	return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(&iv)));
}

/* ---------- window_funnel's rows ---------- */

/* Where a signature has its arguments (after the state, which is argument 0). */
typedef struct FunnelSignature
{
	FunnelTime	time_kind;
	bool		has_mode;
} FunnelSignature;

/* The last mode string seen and what it parsed to: the mode is usually a constant. */
typedef struct ModeCache
{
	int			len;
	unsigned	modes;
	char		mode[FLEXIBLE_ARRAY_MEMBER];
} ModeCache;

static unsigned
mode_arg(FunctionCallInfo fcinfo, int argno)
{
	ModeCache  *cache = fcinfo->flinfo->fn_extra;
	text	   *mode = PG_GETARG_TEXT_PP(argno);
	int			len = VARSIZE_ANY_EXHDR(mode);
	unsigned	modes;

	/* Compared by content: a mode computed per row may reuse the same memory. */
	if (cache != NULL && cache->len == len && memcmp(cache->mode, VARDATA_ANY(mode), len) == 0)
		return cache->modes;
	if (!funnel_modes_parse(VARDATA_ANY(mode), len, &modes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown window_funnel mode \"%s\"", text_to_cstring(mode)),
				 errdetail("The mode is a comma-separated list of strict_order, strict_deduplication, strict_increase and strict_once, or an empty string.")));
	if (cache != NULL)
		pfree(cache);
	cache = fcinfo->flinfo->fn_extra =
		MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(ModeCache, mode) + len);
	cache->len = len;
	cache->modes = modes;
	memcpy(cache->mode, VARDATA_ANY(mode), len);
	return modes;
}

static FunnelWindow
window_arg(FunctionCallInfo fcinfo, FunnelTime time_kind)
{
	FunnelWindow w = {0, 0, 0};

	if (time_kind == FUNNEL_TIME_BIGINT)
		w.time = PG_GETARG_INT64(1);
	else
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(1);

		w.months = iv->month;
		w.days = iv->day;
		w.time = iv->time;
	}
	return w;
}

/*
 * Checked once, when a group takes its parameters: every later row must
 * repeat them, so its window is valid if it is the same.
 */
static void
check_window(const FunnelState *params)
{
	if (!funnel_window_valid(&params->window, (FunnelTime) params->time_kind))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window of window_funnel must be positive, not %s", window_text(params)),
				 params->time_kind == FUNNEL_TIME_BIGINT ? 0 :
				 errdetail("Every part of the interval (months, days, time) must be zero or more, and one more than zero.")));
}

/* The steps a row matched, bit k-1 for step k; a NULL step is false. Sets *nsteps. */
static uint32
steps_arg(FunctionCallInfo fcinfo, int argno, const char *function, int *nsteps)
{
	ArrayType  *steps = PG_GETARG_ARRAYTYPE_P(argno);
	int			n = ArrayGetNItems(ARR_NDIM(steps), ARR_DIMS(steps));
	const bool *values = (const bool *) ARR_DATA_PTR(steps);
	const bits8 *nulls = ARR_NULLBITMAP(steps);
	uint32		mask = 0;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least one condition", function)));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s takes at most %d conditions, not %d", function,
						FUNNEL_MAX_STEPS, n)));
	for (int i = 0; i < n; i++)
	{
		if (nulls != NULL && !(nulls[i / 8] & (1 << (i % 8))))
			continue;
		if (*values++)
			mask |= (uint32) 1 << i;
	}
	*nsteps = n;
	return mask;
}

static void
raise_parameters_changed(const FunnelState *state, const FunnelState *row)
{
	char		before[FUNNEL_MODES_TEXT_MAX];
	char		after[FUNNEL_MODES_TEXT_MAX];

	funnel_modes_format(state->modes, before, sizeof(before));
	funnel_modes_format(row->modes, after, sizeof(after));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window_funnel parameters changed within a group"),
			 errdetail("The group began with window %s, %d steps and modes %s; a later row has window %s, %d steps and modes %s.",
					   window_text(state), state->nsteps, before,
					   window_text(row), row->nsteps, after),
			 errhint("Use one window, one mode and one list of steps for every row of a group.")));
}

/*
 * Reads a row's arguments into its parameters and event. False if the row is
 * skipped (a NULL time, window, mode or step list).
 */
static bool
funnel_row(FunctionCallInfo fcinfo, FunnelSignature sig, FunnelState *params,
		   FunnelEvent *event)
{
	int			ts_arg = sig.has_mode ? 3 : 2;
	int			nsteps;

	for (int a = 1; a <= ts_arg + 1; a++)
		if (PG_ARGISNULL(a))
			return false;
	memset(params, 0, sizeof(*params));
	params->time_kind = (uint8) sig.time_kind;
	params->window = window_arg(fcinfo, sig.time_kind);
	params->modes = sig.has_mode ? (uint8) mode_arg(fcinfo, 2) : 0;
	event->ts = PG_GETARG_INT64(ts_arg);
	event->steps = steps_arg(fcinfo, ts_arg + 1, "window_funnel", &nsteps);
	event->reserved = 0;
	params->nsteps = (uint8) nsteps;
	return true;
}

static Datum
funnel_add(FunctionCallInfo fcinfo, FunnelSignature sig)
{
	FunnelState params;
	FunnelEvent event;
	FunnelDatum *f;

	if (!funnel_row(fcinfo, sig, &params, &event))
	{
		if (!PG_ARGISNULL(0))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		/* A sliding frame's transition may not return NULL: an unset state instead. */
		if (fcinfo->context != NULL && IsA(fcinfo->context, WindowAggState))
		{
			FunnelState unset;

			memset(&unset, 0, sizeof(unset));
			PG_RETURN_POINTER(funnel_alloc(&unset, FUNNEL_INITIAL_ROOM));
		}
		PG_RETURN_NULL();
	}

	params.sorted = true;
	if (PG_ARGISNULL(0))
	{
		check_window(&params);
		f = funnel_alloc(&params, FUNNEL_INITIAL_ROOM);
	}
	else
	{
		f = funnel_state_for_update(fcinfo, 0);
		if (funnel_unset(f))
		{
			check_window(&params);
			f->state = params;
		}
		else if (!funnel_same_parameters(&f->state, &params))
			raise_parameters_changed(&f->state, &params);
	}

	/* Rows that match no step matter only to strict_order. */
	if (event.steps == 0 && !(params.modes & FUNNEL_STRICT_ORDER))
		PG_RETURN_POINTER(f);

	if (f->state.nevents == funnel_room(f))
		f = funnel_grow(f, f->state.nevents + 1);
	if (f->state.sorted && f->state.nevents > 0 &&
		funnel_event_before(&event, &f->events[f->state.nevents - 1]))
		f->state.sorted = false;
	f->events[f->state.nevents++] = event;
	PG_RETURN_POINTER(f);
}

/* A sliding frame's inverse: removes one event equal to the row's. */
static Datum
funnel_remove(FunctionCallInfo fcinfo, FunnelSignature sig)
{
	FunnelState params;
	FunnelEvent event;
	FunnelDatum *f;
	int64		i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!funnel_row(fcinfo, sig, &params, &event))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	f = funnel_state_for_update(fcinfo, 0);
	if (funnel_unset(f))
		PG_RETURN_POINTER(f);
	if (!funnel_same_parameters(&f->state, &params))
		raise_parameters_changed(&f->state, &params);
	if (event.steps == 0 && !(params.modes & FUNNEL_STRICT_ORDER))
		PG_RETURN_POINTER(f);

	/* A frame drops its oldest rows first, so search from the start. */
	for (i = 0; i < f->state.nevents; i++)
		if (f->events[i].ts == event.ts && f->events[i].steps == event.steps)
			break;
	if (i == f->state.nevents)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel cannot remove an event that is not in its state"),
				 errdetail("An aggregate only removes rows it added; this is a direct call with another row.")));
	memmove(&f->events[i], &f->events[i + 1],
			(Size) (f->state.nevents - i - 1) * sizeof(FunnelEvent));
	f->state.nevents--;
	PG_RETURN_POINTER(f);
}

#define FUNNEL_TRANSITIONS(name, kind, mode) \
PG_FUNCTION_INFO_V1(name##_add); \
Datum name##_add(PG_FUNCTION_ARGS) \
{ return funnel_add(fcinfo, (FunnelSignature) {kind, mode}); } \
PG_FUNCTION_INFO_V1(name##_remove); \
Datum name##_remove(PG_FUNCTION_ARGS) \
{ return funnel_remove(fcinfo, (FunnelSignature) {kind, mode}); }

FUNNEL_TRANSITIONS(window_funnel_timestamptz, FUNNEL_TIME_TIMESTAMPTZ, false)
FUNNEL_TRANSITIONS(window_funnel_timestamptz_mode, FUNNEL_TIME_TIMESTAMPTZ, true)
FUNNEL_TRANSITIONS(window_funnel_timestamp, FUNNEL_TIME_TIMESTAMP, false)
FUNNEL_TRANSITIONS(window_funnel_timestamp_mode, FUNNEL_TIME_TIMESTAMP, true)
FUNNEL_TRANSITIONS(window_funnel_bigint, FUNNEL_TIME_BIGINT, false)
FUNNEL_TRANSITIONS(window_funnel_bigint_mode, FUNNEL_TIME_BIGINT, true)

PG_FUNCTION_INFO_V1(window_funnel_combine);
Datum
window_funnel_combine(PG_FUNCTION_ARGS)
{
	FunnelDatum *into;
	FunnelDatum *from;
	bool		sorted;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	from = funnel_arg(fcinfo, 1);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(funnel_copy(from, from->state.nevents));
	into = funnel_state_for_update(fcinfo, 0);
	if (!funnel_same_parameters(&into->state, &from->state))
		raise_parameters_changed(&into->state, &from->state);
	if (from->state.nevents > funnel_room(into) - into->state.nevents)
		into = funnel_grow(into, into->state.nevents + from->state.nevents);
	sorted = into->state.sorted && from->state.sorted &&
		(into->state.nevents == 0 || from->state.nevents == 0 ||
		 !funnel_event_before(&from->events[0], &into->events[into->state.nevents - 1]));
	memcpy(&into->events[into->state.nevents], from->events,
		   (Size) from->state.nevents * sizeof(FunnelEvent));
	into->state.nevents += from->state.nevents;
	into->state.sorted = sorted;
	PG_RETURN_POINTER(into);
}

/* The funnel level; 0 for a group without events. Sorts the aggregate's state in place once. */
PG_FUNCTION_INFO_V1(window_funnel_final);
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	FunnelDatum *f;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	f = funnel_state_for_update(fcinfo, 0);
	PG_RETURN_INT32(funnel_unset(f) ? 0 : funnel_level_of(f));
}

/* ---------- window_funnel_events I/O ---------- */

static void
raise_funnel_text_error(const char *text, const DecodeError *error)
{
	static const char *const field_names[] = {"time", "window", "steps", "modes", "events"};

	summary_text_error(FUNNEL_TYPE, text, error,
					   error->field >= 0 && error->field < 5 ? field_names[error->field] : NULL,
					   "The form is \"v1 time=timestamptz window=MONTHS,DAYS,MICROSECONDS steps=N modes=none events=TIME@STEPS,...\", with time one of bigint, timestamp or timestamptz, modes none or names joined by commas, and events none or each a time (a UTC timestamp such as 2024-01-01T09:00:00.000000Z, infinity, -infinity, or an integer for bigint) and its step numbers joined by + (- for none, in strict_order only).");
}

PG_FUNCTION_INFO_V1(window_funnel_events_in);
Datum
window_funnel_events_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	size_t		bound = funnel_text_event_bound(text, len);
	FunnelState state;
	FunnelEvent *events = palloc(bound * sizeof(FunnelEvent));
	DecodeError error;
	FunnelDatum *f;

	if (funnel_parse_text(text, len, &state, events, bound, &error) != DECODE_OK)
		raise_funnel_text_error(text, &error);
	f = funnel_alloc(&state, state.nevents);
	memcpy(f->events, events, (Size) state.nevents * sizeof(FunnelEvent));
	PG_RETURN_POINTER(f);
}

PG_FUNCTION_INFO_V1(window_funnel_events_out);
Datum
window_funnel_events_out(PG_FUNCTION_ARGS)
{
	FunnelDatum *f = funnel_arg(fcinfo, 0);
	size_t		size = funnel_text_max(&f->state);
	char	   *buf;

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s value with " INT64_FORMAT " events is too large for its text form",
						FUNNEL_TYPE, f->state.nevents),
				 errhint("Send it in binary form, or group by a finer key.")));
	buf = palloc(size);
	if (funnel_format_text(&f->state, f->events, buf, size) == 0)
		raise_corrupted(FUNNEL_TYPE);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(window_funnel_events_send);
Datum
window_funnel_events_send(PG_FUNCTION_ARGS)
{
	FunnelDatum *f = funnel_arg(fcinfo, 0);
	Size		size = FUNNEL_BINARY_HEADER + (Size) f->state.nevents * FUNNEL_BINARY_EVENT;
	bytea	   *result = palloc(VARHDRSZ + size);

	SET_VARSIZE(result, VARHDRSZ + size);
	funnel_encode_binary(&f->state, f->events, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(window_funnel_events_recv);
Datum
window_funnel_events_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *bytes = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	FunnelState state;
	DecodeError error;
	DecodeStatus status;
	FunnelDatum *f;

	status = funnel_decode_binary_header(bytes, len, &state, &error);
	if (status == DECODE_VERSION)
		summary_binary_version_error(FUNNEL_TYPE, error.version);
	if (status != DECODE_OK)
		raise_binary_error(FUNNEL_TYPE,
						   "A binary window_funnel_events is a 28-byte header and 12 bytes per event, as many as the header counts.");
	f = funnel_alloc(&state, state.nevents);
	if (funnel_decode_binary_events(bytes, len, &f->state, f->events, &error) != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", FUNNEL_TYPE),
				 errdetail("A state has 1 to 32 steps, known modes, a positive window, finite or infinite timestamps in range, and events whose steps are among its steps (a row with none only in strict_order).")));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(f);
}

/* ---------- retention(VARIADIC conds) ---------- */

typedef struct ConditionsDatum
{
	SummaryHeader header;
	ConditionCounts counts;
} ConditionsDatum;

static ConditionsDatum *
conditions_arg(FunctionCallInfo fcinfo, int argno)
{
	return (ConditionsDatum *) summary_arg_sized(fcinfo, argno, CONDITIONS_TYPE,
												 sizeof(ConditionCounts), false);
}

static ConditionsDatum *
conditions_state_for_update(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return (ConditionsDatum *) summary_alloc(sizeof(ConditionCounts));
	return (ConditionsDatum *) summary_state_for_update_sized(fcinfo, CONDITIONS_TYPE,
															  sizeof(ConditionCounts));
}

static void
raise_conditions_status(KpiStatus status, int64 before, int now)
{
	if (status == KPI_INCONSISTENT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention got %d conditions where the group has " INT64_FORMAT,
						now, before),
				 errhint("Pass the same list of conditions for every row of a group.")));
	if (status == KPI_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("retention row count is out of range for bigint")));
	if (status != KPI_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention cannot remove a row that is not in its state"),
				 errdetail("An aggregate only removes rows it added; this is a direct call with another row.")));
}

static Datum
conditions_step(FunctionCallInfo fcinfo, bool add)
{
	ConditionsDatum *c;
	int			n;
	uint32		met;
	KpiStatus	status;

	if (PG_ARGISNULL(1))
	{
		if (!PG_ARGISNULL(0))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		/* A sliding frame's transition may not return NULL: an empty state instead. */
		if (fcinfo->context != NULL && IsA(fcinfo->context, WindowAggState))
			PG_RETURN_POINTER(summary_alloc(sizeof(ConditionCounts)));
		PG_RETURN_NULL();
	}
	if (!add && PG_ARGISNULL(0))
		PG_RETURN_NULL();
	met = steps_arg(fcinfo, 1, "retention", &n);
	c = conditions_state_for_update(fcinfo);
	status = add ? conditions_add(&c->counts, n, met) : conditions_remove(&c->counts, n, met);
	if (status != KPI_OK)
		raise_conditions_status(status, c->counts.nconditions, n);
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(retention_add);
Datum
retention_add(PG_FUNCTION_ARGS)
{
	return conditions_step(fcinfo, true);
}

PG_FUNCTION_INFO_V1(retention_remove);
Datum
retention_remove(PG_FUNCTION_ARGS)
{
	return conditions_step(fcinfo, false);
}

PG_FUNCTION_INFO_V1(retention_combine);
Datum
retention_combine(PG_FUNCTION_ARGS)
{
	ConditionsDatum *into;
	ConditionsDatum *from;
	KpiStatus	status;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	from = conditions_arg(fcinfo, 1);
	into = conditions_state_for_update(fcinfo);
	status = conditions_merge(&into->counts, &from->counts);
	if (status != KPI_OK)
		raise_conditions_status(status, into->counts.nconditions, (int) from->counts.nconditions);
	PG_RETURN_POINTER(into);
}

/* [c1, c1 and c2, ..., c1 and cN] as 0/1; NULL for a group without rows. */
PG_FUNCTION_INFO_V1(retention_final);
Datum
retention_final(PG_FUNCTION_ARGS)
{
	ConditionsDatum *c;
	int32		flags[FUNNEL_MAX_STEPS];
	Datum		elems[FUNNEL_MAX_STEPS];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = conditions_arg(fcinfo, 0);
	if (c->counts.nconditions == 0)
		PG_RETURN_NULL();
	conditions_retention(&c->counts, flags);
	for (int i = 0; i < c->counts.nconditions; i++)
		elems[i] = Int32GetDatum(flags[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, (int) c->counts.nconditions, INT4OID,
										  sizeof(int32), true, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(retention_conditions_in);
Datum
retention_conditions_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	ConditionsDatum *c = (ConditionsDatum *) summary_alloc(sizeof(ConditionCounts));
	DecodeError error;

	if (conditions_parse_text(text, strlen(text), &c->counts, &error) != DECODE_OK)
		summary_text_error(CONDITIONS_TYPE, text, &error,
						   error.field == 0 ? "conditions" : error.field == 1 ? "met" : NULL,
						   "The form is \"v1 conditions=N met=C1,C2,...\": 1 to 32 conditions (0 with met=none), and for each the rows that met it.");
	PG_RETURN_POINTER(c);
}

PG_FUNCTION_INFO_V1(retention_conditions_out);
Datum
retention_conditions_out(PG_FUNCTION_ARGS)
{
	ConditionsDatum *c = conditions_arg(fcinfo, 0);
	char	   *buf = palloc(CONDITIONS_TEXT_MAX);

	if (conditions_check(&c->counts) != KPI_OK ||
		conditions_format_text(&c->counts, buf, CONDITIONS_TEXT_MAX) == 0)
		raise_corrupted(CONDITIONS_TYPE);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(retention_conditions_send);
Datum
retention_conditions_send(PG_FUNCTION_ARGS)
{
	ConditionsDatum *c = conditions_arg(fcinfo, 0);
	bytea	   *result = palloc(VARHDRSZ + CONDITIONS_BINARY_MAX);

	if (conditions_check(&c->counts) != KPI_OK)
		raise_corrupted(CONDITIONS_TYPE);
	SET_VARSIZE(result, VARHDRSZ + conditions_encode_binary(&c->counts,
															(unsigned char *) VARDATA(result)));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(retention_conditions_recv);
Datum
retention_conditions_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ConditionsDatum *c = (ConditionsDatum *) summary_alloc(sizeof(ConditionCounts));
	DecodeError error;
	DecodeStatus status;

	status = conditions_decode_binary((const unsigned char *) buf->data + buf->cursor,
									  (size_t) (buf->len - buf->cursor), &c->counts, &error);
	if (status == DECODE_VERSION)
		summary_binary_version_error(CONDITIONS_TYPE, error.version);
	if (status == DECODE_LENGTH)
		raise_binary_error(CONDITIONS_TYPE,
						   "A binary retention_conditions is a version byte and 1 + N big-endian int64 values for N conditions.");
	if (status != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", CONDITIONS_TYPE),
				 errdetail("A count of rows is never negative.")));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(c);
}
