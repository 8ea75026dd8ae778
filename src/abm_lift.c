/*
 * abm_lift.c: engagement_lift (kpi-spec section 5) and its state type,
 * engagement_pairs.
 *
 * An engagement_pairs datum is the SummaryHeader, the head and count of the
 * live pairs, then room for pairs of which pairs[head .. head + count) are
 * live. Every value that leaves an aggregate (text, binary, a partial
 * aggregate's result, a stored value) has head 0 and no spare room; the
 * type's storage is EXTENDED, so a large one is compressed and toasted.
 *
 * Inside an aggregate the state keeps spare room, so most rows are an
 * append in place. A small state is such a flat datum: when its room runs
 * out, a larger copy replaces it (the executor copies the returned datum
 * into the aggregate's context). Past LIFT_FLAT_MAX_BYTES the state becomes
 * an expanded object whose memory context is a child of the aggregate's
 * context: the executor adopts it without copying, and it grows by
 * repalloc, a quarter at a time, so a large group is never copied whole
 * for a row. Small groups stay flat because an expanded object costs a
 * memory context (about 1 kB) each.
 */
#include "b2bkpi.h"

#include <math.h>
#include <string.h>

#include "libpq/pqformat.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "core/lift.h"
#include "core/summary_text.h"
#include "core/summary_text.h"

#define LIFT_TYPE "engagement_pairs"

typedef struct LiftFlat
{
	SummaryHeader header;
	int64		head;			/* the first live pair; 0 outside an aggregate */
	int64		count;			/* live pairs */
	LiftPair	pairs[FLEXIBLE_ARRAY_MEMBER];
} LiftFlat;

StaticAssertDecl(offsetof(LiftFlat, pairs) == LIFT_HEADER_BYTES,
				 "the core's limit assumes a 24-byte header");
StaticAssertDecl(sizeof(LiftPair) == 16, "a pair is two doubles");

#define LIFT_FLAT_SIZE(room) (offsetof(LiftFlat, pairs) + (Size) (room) * sizeof(LiftPair))

StaticAssertDecl(LIFT_FLAT_SIZE(LIFT_MAX_PAIRS) <= MaxAllocSize,
				 "the largest state must fit one allocation");

/* A new aggregate state has room for 14 pairs: 256 bytes. */
#define LIFT_INITIAL_ROOM 14

/* An aggregate state stays flat while it fits in this many bytes. */
#define LIFT_FLAT_MAX_BYTES 16384

typedef struct LiftExpanded
{
	ExpandedObjectHeader hdr;
	LiftPairs	p;				/* pairs allocated in hdr.eoh_context */
} LiftExpanded;

static Size
lift_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return LIFT_FLAT_SIZE(((LiftExpanded *) eohptr)->p.count);
}

static void
lift_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	LiftExpanded *eo = (LiftExpanded *) eohptr;
	LiftFlat   *f = (LiftFlat *) result;

	Assert(allocated_size == LIFT_FLAT_SIZE(eo->p.count));
	memset(f, 0, offsetof(LiftFlat, pairs));
	SET_VARSIZE(f, allocated_size);
	f->header.layout_version = SUMMARY_LAYOUT_VERSION;
	f->head = 0;
	f->count = eo->p.count;
	if (eo->p.count > 0)
		memcpy(f->pairs, eo->p.pairs + eo->p.head, (Size) eo->p.count * sizeof(LiftPair));
}

static const ExpandedObjectMethods lift_expanded_methods = {
	lift_get_flat_size,
	lift_flatten_into
};

/* ---------- errors ---------- */

static void
raise_too_many_rows(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("engagement_lift group has too many rows"),
			 errdetail("One group can hold at most " INT64_FORMAT " rows, the pairs that fit in a 1 GB value.",
					   (int64) LIFT_MAX_PAIRS),
			 errhint("Group by a finer key, or sample the rows (TABLESAMPLE).")));
}

static void
raise_corrupted(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s value", LIFT_TYPE),
			 errdetail_internal("%s", detail)));
}

static void
raise_status(KpiStatus status)
{
	if (status == KPI_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("engagement_lift is out of range for type double precision"),
				 errdetail("A quartile's mean outcome, or the ratio of the two means, is beyond the range of double precision.")));
	if (status == KPI_INCONSISTENT)
		raise_corrupted("It holds a value that is NaN or infinite.");
	elog(ERROR, "unexpected status %d in engagement_lift", (int) status);
}

static inline void
check_finite(double value, const char *arg)
{
	if (likely(isfinite(value)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 isnan(value) ?
			 errmsg("argument \"%s\" of engagement_lift must not be NaN", arg) :
			 errmsg("argument \"%s\" of engagement_lift must be finite", arg),
			 errdetail("A row has %s = %s.", arg,
					   isnan(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity"),
			 errhint("Correct or exclude the row; engagement_lift skips a row whose value is NULL.")));
}

/* ---------- reading and changing a state ---------- */

static LiftFlat *
lift_flat_new(int64 count, int64 room)
{
	LiftFlat   *f = palloc(LIFT_FLAT_SIZE(room));

	memset(f, 0, offsetof(LiftFlat, pairs));
	SET_VARSIZE(f, LIFT_FLAT_SIZE(room));
	f->header.layout_version = SUMMARY_LAYOUT_VERSION;
	f->head = 0;
	f->count = count;
	return f;
}

static inline int64
lift_flat_room(const LiftFlat *f)
{
	return (int64) ((VARSIZE(f) - offsetof(LiftFlat, pairs)) / sizeof(LiftPair));
}

/* A flat datum's layout checked against its length. */
static LiftFlat *
lift_flat_checked(Pointer ptr)
{
	LiftFlat   *f = (LiftFlat *) ptr;
	Size		size = VARSIZE(f);
	int64		room;

	if (size < offsetof(LiftFlat, pairs) ||
		(size - offsetof(LiftFlat, pairs)) % sizeof(LiftPair) != 0 ||
		f->header.layout_version != SUMMARY_LAYOUT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value has an unknown layout", LIFT_TYPE),
				 errdetail("Its size is %zu bytes and its layout version %u; this build of b2bkpi reads layout version %d.",
						   size, (unsigned) f->header.layout_version,
						   SUMMARY_LAYOUT_VERSION)));
	room = lift_flat_room(f);
	if (f->head < 0 || f->count < 0 || f->head > room || f->count > room - f->head)
		raise_corrupted("Its count of pairs does not match its length.");
	return f;
}

static LiftExpanded *
lift_expanded_of(Datum d)
{
	ExpandedObjectHeader *eoh = DatumGetEOHP(d);

	if (eoh->eoh_methods != &lift_expanded_methods)
		elog(ERROR, "expanded object is not an %s state", LIFT_TYPE);
	return (LiftExpanded *) eoh;
}

/*
 * The pairs of an engagement_pairs argument, to read: an expanded state in
 * place, a flat one detoasted (*owned is true when that made a copy, which
 * the caller may then change).
 */
static LiftPairs
lift_view(FunctionCallInfo fcinfo, int argno, bool *owned)
{
	Datum		d = PG_GETARG_DATUM(argno);
	LiftFlat   *f;
	LiftPairs	v;

	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
	{
		*owned = false;
		return lift_expanded_of(d)->p;
	}
	f = lift_flat_checked((Pointer) PG_DETOAST_DATUM(d));
	*owned = (Pointer) f != DatumGetPointer(d);
	v.pairs = f->pairs;
	v.head = f->head;
	v.count = f->count;
	v.room = lift_flat_room(f);
	return v;
}

/*
 * A state being changed: an expanded object, or a flat datum whose head and
 * count are in p until lift_handle_datum writes them back.
 */
typedef struct LiftHandle
{
	LiftExpanded *expanded;
	LiftFlat   *flat;
	LiftPairs	p;
	bool		in_aggregate;	/* the state is the aggregate's own */
} LiftHandle;

static void
lift_handle_flat(LiftHandle *h, LiftFlat *f)
{
	h->expanded = NULL;
	h->flat = f;
	h->p.pairs = f->pairs;
	h->p.head = f->head;
	h->p.count = f->count;
	h->p.room = lift_flat_room(f);
}

/* A state with count live pairs copied from `from`, and room for room. */
static void
lift_handle_copy(LiftHandle *h, const LiftPair *from, int64 count, int64 room)
{
	LiftFlat   *f = lift_flat_new(count, room);

	if (count > 0)
		memcpy(f->pairs, from, (Size) count * sizeof(LiftPair));
	lift_handle_flat(h, f);
}

/*
 * The state in argument 0, to change: called by an aggregate, the
 * aggregate's own state, in place; called as a plain function, a copy, so
 * that a stored value is never written.
 */
static void
lift_handle_open(FunctionCallInfo fcinfo, LiftHandle *h)
{
	Pointer		ptr = PG_GETARG_POINTER(0);
	LiftPairs	v;
	bool		owned;

	h->in_aggregate = called_as_aggregate(fcinfo);
	if (h->in_aggregate && VARATT_IS_EXTERNAL_EXPANDED_RW(ptr))
	{
		h->expanded = lift_expanded_of(PointerGetDatum(ptr));
		h->flat = NULL;
		h->p = h->expanded->p;
		return;
	}
	if (h->in_aggregate && !VARATT_IS_EXTENDED(ptr))
	{
		lift_handle_flat(h, lift_flat_checked(ptr));
		return;
	}
	v = lift_view(fcinfo, 0, &owned);
	lift_handle_copy(h, v.pairs + v.head, v.count, v.count);
}

/* A new, empty state with room for `room` pairs, flat or expanded as its size says. */
static void
lift_handle_new(FunctionCallInfo fcinfo, LiftHandle *h, int64 room)
{
	h->in_aggregate = called_as_aggregate(fcinfo);
	if (h->in_aggregate && LIFT_FLAT_SIZE(room) > LIFT_FLAT_MAX_BYTES)
	{
		MemoryContext aggcontext;
		MemoryContext cxt;
		LiftExpanded *eo;

		if (!AggCheckCallContext(fcinfo, &aggcontext))
			elog(ERROR, "engagement_lift state outside an aggregate");
		/* A child of the aggregate's context, so the executor adopts it as it is. */
		cxt = AllocSetContextCreate(aggcontext, "engagement_pairs state",
									ALLOCSET_SMALL_SIZES);
		eo = MemoryContextAlloc(cxt, sizeof(LiftExpanded));
		EOH_init_header(&eo->hdr, &lift_expanded_methods, cxt);
		eo->p.pairs = MemoryContextAlloc(cxt, (Size) room * sizeof(LiftPair));
		eo->p.head = 0;
		eo->p.count = 0;
		eo->p.room = room;
		h->expanded = eo;
		h->flat = NULL;
		h->p = eo->p;
		return;
	}
	lift_handle_flat(h, lift_flat_new(0, room));
}

/* Makes room for `more` pairs after the live ones. */
static void
lift_handle_reserve(FunctionCallInfo fcinfo, LiftHandle *h, int64 more)
{
	int64		needed;
	int64		room;
	LiftHandle	grown;

	if (lift_make_room(&h->p, more))
		return;
	needed = h->p.count + more;
	if (needed > LIFT_MAX_PAIRS)
		raise_too_many_rows();

	if (h->expanded != NULL)
	{
		/* In place: repalloc copies at most once, and often extends the block. */
		lift_compact(&h->p);
		room = lift_grown_room(h->p.room, needed, 0);
		h->p.pairs = repalloc(h->p.pairs, (Size) room * sizeof(LiftPair));
		h->p.room = room;
		return;
	}
	if (!h->in_aggregate)
	{
		/* A plain call returns a value: exactly the room it needs. */
		lift_handle_copy(h, h->p.pairs + h->p.head, h->p.count, needed);
		return;
	}
	room = lift_grown_room(h->p.room, needed, LIFT_HEADER_BYTES);
	lift_handle_new(fcinfo, &grown, room);
	lift_append_all(&grown.p, h->p.pairs + h->p.head, h->p.count);
	*h = grown;
}

static Datum
lift_handle_datum(LiftHandle *h)
{
	if (h->expanded != NULL)
	{
		h->expanded->p = h->p;
		return EOHPGetRWDatum(&h->expanded->hdr);
	}
	h->flat->head = h->p.head;
	h->flat->count = h->p.count;
	return PointerGetDatum(h->flat);
}

/* ---------- the aggregate ---------- */

/* Adds a row (engagement, outcome); a row with a NULL is skipped. */
PG_FUNCTION_INFO_V1(engagement_lift_add);
Datum
engagement_lift_add(PG_FUNCTION_ARGS)
{
	LiftHandle	h;
	double		engagement;
	double		outcome;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (!PG_ARGISNULL(0))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		/* A sliding frame's transition may not return NULL: an empty state instead. */
		if (fcinfo->context != NULL && IsA(fcinfo->context, WindowAggState))
			PG_RETURN_POINTER(lift_flat_new(0, LIFT_INITIAL_ROOM));
		PG_RETURN_NULL();
	}
	engagement = PG_GETARG_FLOAT8(1);
	outcome = PG_GETARG_FLOAT8(2);
	check_finite(engagement, "engagement");
	check_finite(outcome, "outcome");

	if (PG_ARGISNULL(0))
		lift_handle_new(fcinfo, &h, called_as_aggregate(fcinfo) ? LIFT_INITIAL_ROOM : 1);
	else
		lift_handle_open(fcinfo, &h);
	lift_handle_reserve(fcinfo, &h, 1);
	lift_append(&h.p, engagement, outcome);
	PG_RETURN_DATUM(lift_handle_datum(&h));
}

/*
 * A sliding frame's inverse: a frame drops rows in the order it added them,
 * so the row leaving is the one at the head. If it is not (bitwise), this
 * returns NULL and the executor recomputes the frame from its rows.
 */
PG_FUNCTION_INFO_V1(engagement_lift_remove);
Datum
engagement_lift_remove(PG_FUNCTION_ARGS)
{
	LiftHandle	h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	/* Skipped on the way in, so nothing to take out. */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	lift_handle_open(fcinfo, &h);
	if (!lift_remove_front(&h.p, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2)))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(lift_handle_datum(&h));
}

/* Concatenates two states (parallel and partial aggregation). */
PG_FUNCTION_INFO_V1(engagement_lift_combine);
Datum
engagement_lift_combine(PG_FUNCTION_ARGS)
{
	LiftHandle	h;
	LiftPairs	from;
	bool		owned;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	from = lift_view(fcinfo, 1, &owned);
	if (PG_ARGISNULL(0))
	{
		int64		room = from.count;

		/* A small state gets the room of a growing one; a large one, what it holds. */
		if (called_as_aggregate(fcinfo) && from.count < LIFT_DOUBLING_LIMIT)
			room = lift_grown_room(0, Max(from.count, LIFT_INITIAL_ROOM), LIFT_HEADER_BYTES);
		lift_handle_new(fcinfo, &h, room);
	}
	else
		lift_handle_open(fcinfo, &h);
	lift_handle_reserve(fcinfo, &h, from.count);
	lift_append_all(&h.p, from.pairs + from.head, from.count);
	PG_RETURN_DATUM(lift_handle_datum(&h));
}

/* Scratch room for a final function that may not reorder its state. */
typedef struct LiftScratch
{
	int64		room;
	LiftPair	pairs[FLEXIBLE_ARRAY_MEMBER];
} LiftScratch;

static LiftPair *
lift_scratch(FunctionCallInfo fcinfo, const LiftPair *pairs, int64 count)
{
	LiftScratch *scratch = fcinfo->flinfo->fn_extra;

	/* Kept across calls: a window calls this once per row. */
	if (scratch == NULL || scratch->room < count)
	{
		int64		room = Max(count, LIFT_INITIAL_ROOM);

		if (scratch != NULL)
			pfree(scratch);
		scratch = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
									 offsetof(LiftScratch, pairs) + (Size) room * sizeof(LiftPair));
		scratch->room = room;
		fcinfo->flinfo->fn_extra = scratch;
	}
	if (count > 0)
		memcpy(scratch->pairs, pairs, (Size) count * sizeof(LiftPair));
	return scratch->pairs;
}

static Datum
lift_final(FunctionCallInfo fcinfo, bool may_reorder)
{
	LiftPairs	v;
	LiftPair   *work;
	bool		owned;
	double		lift;
	bool		defined;
	KpiStatus	status;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = lift_view(fcinfo, 0, &owned);
	if (owned || (may_reorder && called_as_aggregate(fcinfo)))
		work = v.pairs + v.head;
	else
		work = lift_scratch(fcinfo, v.pairs + v.head, v.count);
	status = lift_value(work, v.count, &lift, &defined);
	if (status != KPI_OK)
		raise_status(status);
	if (!defined)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(lift);
}

/*
 * The lift of a GROUP BY group. It reorders the aggregate's own state in
 * place (the aggregate is FINALFUNC_MODIFY = SHAREABLE: the pairs are the
 * same, only their order changes); called as a plain function, it works on
 * a copy.
 */
PG_FUNCTION_INFO_V1(engagement_lift_final);
Datum
engagement_lift_final(PG_FUNCTION_ARGS)
{
	return lift_final(fcinfo, true);
}

/*
 * The lift of a window frame: reads the state and leaves it in the order
 * the rows came, which the inverse transition relies on.
 */
PG_FUNCTION_INFO_V1(engagement_lift_frame_final);
Datum
engagement_lift_frame_final(PG_FUNCTION_ARGS)
{
	return lift_final(fcinfo, false);
}

/* ---------- engagement_pairs I/O ---------- */

#define LIFT_TEXT_FORM "The form is \"v1 rows=N pairs=E:O,E:O,...\": N the number of pairs, each an engagement and an outcome as finite numbers such as 12.5, -3 or 2.5e-07; \"v1 rows=0 pairs=none\" for none."

static void
raise_text_error(const char *text, const DecodeError *error)
{
	/* A state's text can be hundreds of megabytes: quote its start only. */
	int			shown = (int) Min(strlen(text), 60);
	const char *more = strlen(text) > 60 ? "..." : "";

	switch (error->status)
	{
		case DECODE_VERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("unsupported %s format version %u", LIFT_TYPE, error->version),
					 errdetail("This build of b2bkpi reads version %d.", SUMMARY_TEXT_VERSION),
					 errhint("A value written by a newer b2bkpi needs that version of the extension to be read.")));
			break;
		case DECODE_OUT_OF_RANGE:
			if (error->field == 0)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("value of \"rows\" is out of range for type %s", LIFT_TYPE),
						 errdetail("A value holds at most " INT64_FORMAT " pairs.",
								   (int64) LIFT_MAX_PAIRS)));
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value of \"pairs\" is out of range for type %s", LIFT_TYPE),
					 errdetail("The number at character %zu is beyond the range of double precision.",
							   error->position + 1)));
			break;
		case DECODE_INVARIANT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%.*s%s\"", LIFT_TYPE,
							shown, text, more),
					 errdetail("rows=N must be the number of pairs listed after pairs=; reading stopped at character %zu.",
							   error->position + 1)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%.*s%s\"", LIFT_TYPE,
							shown, text, more),
					 errdetail("%s Reading stopped at character %zu.", LIFT_TEXT_FORM,
							   error->position + 1)));
			break;
	}
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(engagement_pairs_in);
Datum
engagement_pairs_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	size_t		len = strlen(text);
	int64		rows;
	int64		capacity;
	DecodeError error;
	LiftFlat   *f;

	if (lift_parse_text_rows(text, len, &rows, &capacity, &error) != DECODE_OK)
		raise_text_error(text, &error);
	f = lift_flat_new(capacity, capacity);
	if (lift_parse_text(text, len, f->pairs, rows, capacity, &error) != DECODE_OK)
		raise_text_error(text, &error);
	PG_RETURN_POINTER(f);
}

PG_FUNCTION_INFO_V1(engagement_pairs_out);
Datum
engagement_pairs_out(PG_FUNCTION_ARGS)
{
	bool		owned;
	LiftPairs	v = lift_view(fcinfo, 0, &owned);
	StringInfoData buf;

	/* Grown as written, so the limit is the text's real length, not a bound. */
	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d rows=" INT64_FORMAT " pairs=%s", SUMMARY_TEXT_VERSION,
					 v.count, v.count == 0 ? "none" : "");
	for (int64 i = 0; i < v.count; i++)
	{
		char		pair[LIFT_TEXT_PAIR_MAX];
		size_t		len = lift_format_pair(&v.pairs[v.head + i], pair);

		if ((Size) buf.len + len + 2 >= MaxAllocSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s value with " INT64_FORMAT " pairs is too large for its text form",
							LIFT_TYPE, v.count),
					 errhint("Send it in binary form, or group by a finer key.")));
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendBinaryStringInfo(&buf, pair, (int) len);
	}
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(engagement_pairs_send);
Datum
engagement_pairs_send(PG_FUNCTION_ARGS)
{
	bool		owned;
	LiftPairs	v = lift_view(fcinfo, 0, &owned);
	Size		size = lift_binary_size(v.count);
	bytea	   *result = palloc(VARHDRSZ + size);

	SET_VARSIZE(result, VARHDRSZ + size);
	lift_encode_binary(v.pairs + v.head, v.count, (unsigned char *) VARDATA(result));
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(engagement_pairs_recv);
Datum
engagement_pairs_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *bytes = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	int64		n;
	DecodeError error;
	DecodeStatus status;
	LiftFlat   *f;

	status = lift_decode_binary_count(bytes, len, &n, &error);
	if (status == DECODE_VERSION)
		summary_binary_version_error(LIFT_TYPE, error.version);
	if (status != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s value", LIFT_TYPE),
				 errdetail("A binary %s is a version byte, the number of pairs (0 to " INT64_FORMAT ") as a big-endian int64, and 16 bytes per pair, as many as that number.",
						   LIFT_TYPE, (int64) LIFT_MAX_PAIRS)));
	f = lift_flat_new(n, n);
	if (lift_decode_binary(bytes, len, f->pairs, n, &error) != DECODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impossible binary %s value", LIFT_TYPE),
				 errdetail("Engagement and outcome must be finite; pair %zu holds a NaN or an infinity.",
						   (error.position - LIFT_BINARY_HEADER) / LIFT_BINARY_PAIR + 1)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(f);
}
