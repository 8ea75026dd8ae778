/*
 * exact_sums.h: summary datums made of exact decimal sums (money_summary,
 * mrr_summary).
 *
 * Such a datum is the SummaryHeader, the core's struct (which holds the
 * DecimalSums), then the spill of each sum that has one: a numeric holding
 * what did not fit the sum's 128-bit part, MAXALIGNed, in the order of the
 * sums. Spills are rare (values beyond about 10^20 at their scale), so a state
 * that gains one is rebuilt, and every other row is added in place.
 */
#ifndef B2BKPI_EXACT_SUMS_H
#define B2BKPI_EXACT_SUMS_H

#include "b2bkpi.h"

#include "utils/numeric.h"

#include "core/decimal.h"
#include "core/summary_text.h"

#define EXACT_SUMS_MAX 8

/*
 * One summary type: where the DecimalSums are in its struct, which starts
 * with an int64 row count, and its text fields, which are the row count and
 * then each sum followed by its scale_rows.
 */
typedef struct ExactSumsShape
{
	const char *type_name;
	Size		struct_size;
	int			nsums;
	Size		sum_offsets[EXACT_SUMS_MAX];
	const TextField *fields;	/* 1 + 2 * nsums of them */
	/* The core's: builds the struct from scanned fields, and checks it. */
	KpiStatus	(*from_fields) (void *payload, const TextFieldValue *values);
	KpiStatus	(*check) (const void *payload);
	const char *invariant;		/* errdetail for a struct that fails check */
	uint32		nonnegative_sums;	/* bit i: sum i is never negative */
} ExactSumsShape;

/* The spills of a datum, NULL where a sum has none. */
typedef struct ExactSpills
{
	Numeric		spill[EXACT_SUMS_MAX];
} ExactSpills;

static inline DecimalSum *
exact_sum(const ExactSumsShape *shape, void *payload, int i)
{
	return (DecimalSum *) ((char *) payload + shape->sum_offsets[i]);
}

/* Which sums have a spill now: taken before a step, whose core sets new flags. */
typedef struct ExactSpillFlags
{
	bool		spilled[EXACT_SUMS_MAX];
} ExactSpillFlags;

extern ExactSpillFlags exact_spill_flags(const ExactSumsShape *shape, SummaryHeader *summary);

/*
 * Finds the spills of a datum laid out by the given flags, checking that they
 * fill it exactly, so that a damaged value is an error, never a read past its
 * end.
 */
extern ExactSpills exact_spills_as_built(const ExactSumsShape *shape, SummaryHeader *summary,
										 const ExactSpillFlags *flags);

/* A summary argument, its layout checked; its spills, if wanted, found. */
extern SummaryHeader *exact_sums_arg(const ExactSumsShape *shape, FunctionCallInfo fcinfo,
									 int argno, ExactSpills *spills);

/* As summary_state_for_update(): the aggregate's own state, or a checked copy. */
static inline SummaryHeader *
exact_sums_state_for_update(const ExactSumsShape *shape, FunctionCallInfo fcinfo)
{
	if (called_as_aggregate(fcinfo))
		return (SummaryHeader *) PG_GETARG_POINTER(0);
	return summary_copy(exact_sums_arg(shape, fcinfo, 0, NULL));
}

/* A new datum from a core struct and its spills (each sum's spilled flag must match). */
extern SummaryHeader *exact_sums_build(const ExactSumsShape *shape, const void *payload,
									   const ExactSpills *spills);

/*
 * Merges every sum of other into state (the caller has merged the rest of the
 * struct), and returns the state, rebuilt if a spill changed.
 */
extern SummaryHeader *exact_sums_merge(const ExactSumsShape *shape, SummaryHeader *state,
									   SummaryHeader *other);

/*
 * Takes other, a summary merged into state before, back out: its row count
 * (the struct's first int64) and every sum; rollup's inverse transition.
 * Returns the state, rebuilt if a spill changed; the empty summary when no
 * row remains; or NULL when the display scale of a remaining sum is unknown
 * (its last values at that scale leave), so that the executor recomputes the
 * frame, as it does for sum(numeric). Raises 22023 when state does not hold
 * other.
 */
extern SummaryHeader *exact_sums_subtract(const ExactSumsShape *shape, SummaryHeader *state,
										  SummaryHeader *other);

/* Arithmetic on numerics; a NULL a is zero. */
extern Numeric numeric_plus(Numeric a, Numeric b);
extern Numeric numeric_minus(Numeric a, Numeric b);

/* The whole sum, held part plus spill, with the sum's display scale. */
extern Numeric decimal_sum_numeric(const DecimalSum *sum, Numeric spill);
extern bool decimal_sum_is_zero(const DecimalSum *sum, Numeric spill);

/* ---------- arguments ---------- */

/* value is "NaN", "Infinity" or "-Infinity", as PostgreSQL prints them. */
extern void raise_not_finite(const KpiCall *call, const char *arg,
							 const char *value) pg_attribute_noreturn();

/* An aggregate never does this; a direct call of a *_remove function can. */
extern void raise_not_in_summary(const KpiCall *call) pg_attribute_noreturn();

/*
 * A numeric argument read in place. A value stored with a short header is
 * not copied, as PG_GETARG_NUMERIC would; only toasted values are detoasted.
 */
static pg_attribute_always_inline void
numeric_arg(FunctionCallInfo fcinfo, int argno, const KpiCall *call,
			const char *arg, NumericView *view)
{
	struct varlena *value = (struct varlena *) PG_GETARG_POINTER(argno);

	if (unlikely(VARATT_IS_EXTENDED(value) && !VARATT_IS_SHORT(value)))
		value = pg_detoast_datum_packed(value);

	if (unlikely(numeric_view_decode(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value),
									 view) != DECODE_OK))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("argument \"%s\" of %s is not a valid numeric value",
						arg, call->function)));
	if (unlikely(view->kind != NUMERIC_KIND_FINITE))
		raise_not_finite(call, arg, view->kind == NUMERIC_KIND_NAN ? "NaN" :
						 view->negative ? "-Infinity" : "Infinity");
}

/* ---------- text and binary forms ---------- */

/* Text that is no summary: the shared report, with the field where reading stopped. */
extern void raise_fields_text_error(const char *type_name, const TextField *fields,
									const char *text, const DecodeError *error,
									const char *invariant) pg_attribute_noreturn();

/*
 * The type's input, output, send and receive functions. Text:
 * "v1 rows=N sum1=D sum1_scale_rows=N ...", where a sum too wide for its held
 * part is read as a numeric. Binary: a version byte, rows and each
 * scale_rows as int64, then each sum in numeric's binary form, whose display
 * scale is the sum's.
 */
extern SummaryHeader *exact_sums_in(const ExactSumsShape *shape, const char *text);
extern char *exact_sums_out(const ExactSumsShape *shape, FunctionCallInfo fcinfo);
extern bytea *exact_sums_send(const ExactSumsShape *shape, FunctionCallInfo fcinfo);
extern SummaryHeader *exact_sums_recv(const ExactSumsShape *shape, StringInfo buf);

/* The four I/O functions of a type, named type_in, type_out, type_send, type_recv. */
#define EXACT_SUMS_TYPE_IO(type, shape) \
PG_FUNCTION_INFO_V1(type##_in); \
Datum type##_in(PG_FUNCTION_ARGS) \
{ PG_RETURN_POINTER(exact_sums_in(&shape, PG_GETARG_CSTRING(0))); } \
PG_FUNCTION_INFO_V1(type##_out); \
Datum type##_out(PG_FUNCTION_ARGS) \
{ PG_RETURN_CSTRING(exact_sums_out(&shape, fcinfo)); } \
PG_FUNCTION_INFO_V1(type##_send); \
Datum type##_send(PG_FUNCTION_ARGS) \
{ PG_RETURN_BYTEA_P(exact_sums_send(&shape, fcinfo)); } \
PG_FUNCTION_INFO_V1(type##_recv); \
Datum type##_recv(PG_FUNCTION_ARGS) \
{ PG_RETURN_POINTER(exact_sums_recv(&shape, (StringInfo) PG_GETARG_POINTER(0))); }

extern void raise_binary_error(const char *type_name, const char *detail) pg_attribute_noreturn();
extern void check_binary_version(const char *type_name, StringInfo buf);

#endif
