/*
 * b2bkpi.h: the PostgreSQL layer shared by every KPI family.
 *
 * Summary types (rate_summary, nps_summary, ...) are varlena datums: an 8-byte
 * header with a layout version, then the pure C core's struct. Storage is
 * PLAIN, so a stored value is never compressed or packed and can be read in
 * place.
 */
#ifndef B2BKPI_H
#define B2BKPI_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/execnodes.h"
#include "lib/stringinfo.h"

#include "core/count_summary.h"
#include "core/kpi_status.h"

/* Bumped if the in-memory layout of any summary changes. */
#define SUMMARY_LAYOUT_VERSION 1

typedef struct SummaryHeader
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		layout_version;
	uint8		reserved[3];
} SummaryHeader;

StaticAssertDecl(sizeof(SummaryHeader) == 8, "summary payload must stay 8-aligned");

static inline void *
summary_payload(SummaryHeader *summary)
{
	return (char *) summary + sizeof(SummaryHeader);
}

/*
 * The SQL names behind one aggregate, so that an error names the function and
 * the argument the analyst wrote, not an internal helper.
 */
typedef struct KpiCall
{
	const char *function;
	const char *numerator_arg;		/* the numerator count (or the NPS score) */
	const char *denominator_arg;		/* the denominator count */
} KpiCall;

extern void kpi_raise(KpiStatus status, const KpiCall *call,
					  int64 hits, int64 trials) pg_attribute_noreturn();

/*
 * rollup's inverse transition was given a summary that the rolled-up one does
 * not hold: a window frame never does this, a direct call of a *_subtract
 * function can (summaries.c).
 */
extern void raise_not_in_rollup(const char *type_name) pg_attribute_noreturn();

/*
 * A summary argument, detoasted and checked for a layout this build reads:
 * exactly header + struct_size bytes, or at least that many when the type
 * carries a variable part after the struct.
 */
extern SummaryHeader *summary_arg_sized(FunctionCallInfo fcinfo, int argno,
										const char *type_name,
										Size struct_size, bool variable);

static inline SummaryHeader *
summary_arg(FunctionCallInfo fcinfo, int argno, const CountSummaryShape *shape)
{
	return summary_arg_sized(fcinfo, argno, shape->type_name, shape->struct_size, false);
}

/* A new summary of struct_size payload bytes, zeroed. */
extern SummaryHeader *summary_alloc(Size struct_size);

/* A palloc'd copy of a whole summary. */
extern SummaryHeader *summary_copy(const SummaryHeader *src);

/* AggCheckCallContext's test, inlined: this runs once per input row. */
static inline bool
called_as_aggregate(FunctionCallInfo fcinfo)
{
	return likely(fcinfo->context != NULL &&
				  (IsA(fcinfo->context, AggState) ||
				   IsA(fcinfo->context, WindowAggState)));
}

/*
 * The transition state to update. Called by an aggregate, it is the
 * aggregate's own state and is updated in place (no allocation per row);
 * called as a plain function, it is a fresh copy, so the argument is left as
 * it was.
 */
static inline SummaryHeader *
summary_state_for_update_sized(FunctionCallInfo fcinfo, const char *type_name,
							   Size struct_size)
{
	if (called_as_aggregate(fcinfo))
		return (SummaryHeader *) PG_GETARG_POINTER(0);
	return summary_copy(summary_arg_sized(fcinfo, 0, type_name, struct_size, false));
}

static inline SummaryHeader *
summary_state_for_update(FunctionCallInfo fcinfo, const CountSummaryShape *shape)
{
	return summary_state_for_update_sized(fcinfo, shape->type_name, shape->struct_size);
}

/*
 * Reports text that did not decode as a summary (error->status says why),
 * with the type-specific detail; field_name is the field concerned, if any.
 */
extern void summary_text_error(const char *type_name, const char *text,
							   const DecodeError *error, const char *field_name,
							   const char *detail) pg_attribute_noreturn();
extern void summary_binary_version_error(const char *type_name,
										 unsigned version) pg_attribute_noreturn();

extern Datum summary_in(const CountSummaryShape *shape, const char *text);
extern char *summary_out(const CountSummaryShape *shape, SummaryHeader *summary);
extern Datum summary_recv(const CountSummaryShape *shape, StringInfo buf);
extern bytea *summary_send(const CountSummaryShape *shape, SummaryHeader *summary);

#endif
