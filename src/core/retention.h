/*
 * retention.h: the states of the retention KPIs (kpi-spec section 3).
 *
 * ChurnSummary is logo churn over customer activity ranges: the customers
 * active at the start of one period, and how many of them stopped being
 * customers within it. The period itself is part of the state, so that two
 * partial states of different periods cannot be merged by mistake.
 *
 * MrrSummary is revenue retention over (mrr_start, mrr_end) customer rows:
 * exact sums (see decimal.h) of every quantity that net and gross revenue
 * retention and the MRR movements are read off, each with its own display
 * scale, so that each result equals its SQL idiom in value and scale.
 */
#ifndef B2BKPI_RETENTION_H
#define B2BKPI_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decimal.h"
#include "summary_text.h"

/* ---------- logo churn ---------- */

/* The unit of a period's bounds: days (daterange) or microseconds (tstzrange). */
typedef enum ChurnUnit
{
	CHURN_UNIT_NONE = 0,		/* no row yet: the period is not known */
	CHURN_UNIT_DAY = 1,			/* days since 2000-01-01 */
	CHURN_UNIT_MICROSECOND = 2	/* microseconds since 2000-01-01 00:00 UTC */
} ChurnUnit;

/*
 * Bound sentinels. A range with no lower bound, or the value -infinity,
 * starts at CHURN_NO_START; one with no upper bound, or the value infinity,
 * ends at CHURN_NO_END: such a customer is still a customer.
 */
#define CHURN_NO_START INT64_MIN
#define CHURN_NO_END INT64_MAX

/*
 * A period: it starts at start (inclusive, finite) and ends at end (finite,
 * or CHURN_NO_END). end_inclusive only tells [start,end] from [start,end),
 * so that the two are different periods; churn is counted the same way. Only
 * a timestamp period can have one: a daterange is always [start,end).
 */
typedef struct ChurnPeriod
{
	int64_t		start;
	int64_t		end;
	int32_t		unit;			/* a ChurnUnit */
	int32_t		end_inclusive;
} ChurnPeriod;

/* A customer's active range, in the period's unit, with the sentinels above. */
typedef struct ActiveRange
{
	int64_t		lower;
	int64_t		upper;
	bool		lower_inclusive;
	bool		upper_inclusive;
	bool		empty;
} ActiveRange;

/*
 * Reads a daterange (unit CHURN_UNIT_DAY, 4-byte dates) or tstzrange
 * (CHURN_UNIT_MICROSECOND, 8-byte timestamps) in place, from the bytes after
 * its varlena header: the range type's OID, the finite bounds present, then
 * a flags byte (PostgreSQL's on-disk range form, which pg_upgrade keeps).
 * Infinite bounds and the values -infinity and infinity become the sentinels.
 * DECODE_SYNTAX for flags that contradict each other, DECODE_LENGTH for a
 * size that does not match them; the caller then reads the range the slow
 * way, through PostgreSQL, which raises the proper error.
 */
DecodeStatus activity_range_decode(const unsigned char *data, size_t len, ChurnUnit unit,
								   uint32_t *range_type, ActiveRange *range);

typedef struct ChurnSummary
{
	int64_t		customers_at_start;
	int64_t		churned;
	ChurnPeriod period;
} ChurnSummary;

typedef enum ChurnOutcome
{
	CHURN_NOT_IN_BASE = 0,		/* not a customer at the period's start */
	CHURN_RETAINED,				/* a customer at the start, and still one after the period */
	CHURN_CHURNED				/* a customer at the start whose range ends by the period's end */
} ChurnOutcome;

/*
 * The base is the customers whose active range contains the period's start;
 * one of them churned if its range has a finite end at or before the
 * period's end (compared as values: [x, end) and [x, end] both churned).
 */
ChurnOutcome churn_classify(const ActiveRange *active, const ChurnPeriod *period);

/* Valid period bounds for the unit: finite start, and end after start. */
bool		churn_period_valid(const ChurnPeriod *period);

/* One customer row; KPI_PERIOD_CHANGED when the summary has another period. */
KpiStatus	churn_add(ChurnSummary *s, const ChurnPeriod *period, const ActiveRange *active);
KpiStatus	churn_remove(ChurnSummary *s, const ChurnPeriod *period, const ActiveRange *active);
KpiStatus	churn_merge(ChurnSummary *into, const ChurnSummary *from);

/*
 * Undoes churn_merge(into, from), for rollup's inverse transition.
 * KPI_PERIOD_CHANGED when from names another period, KPI_NOT_IN_STATE when
 * into does not hold from's counts. *restart (into unchanged): no customer
 * would remain, and whether the summaries that remain name the period or
 * none cannot be told from the two; the caller recomputes instead.
 */
KpiStatus	churn_subtract(ChurnSummary *into, const ChurnSummary *from, bool *restart);

/* churned / customers_at_start; false when there is no base. */
bool		churn_value(const ChurnSummary *s, double *value);

/* 0 <= churned <= customers_at_start, and a period that is valid or, for an empty summary, none. */
KpiStatus	churn_check(const ChurnSummary *s);

enum
{
	CHURN_FIELD_CUSTOMERS_AT_START,
	CHURN_FIELD_CHURNED,
	CHURN_FIELD_PERIOD,
	CHURN_NFIELDS
};
extern const TextField churn_summary_fields[CHURN_NFIELDS];

/*
 * A period's text: "none", or "[START,END)" / "[START,END]" where START and
 * END are ISO dates (YYYY-MM-DD) for days or UTC timestamps
 * (YYYY-MM-DDTHH:MM:SS.ffffffZ) for microseconds, and END may be "infinity"
 * (written with ")"). Years are astronomical (0 is 1 BC, -1 is 2 BC) with at
 * least four digits, so the text never depends on a session's DateStyle or
 * TimeZone.
 */
#define CHURN_PERIOD_TEXT_MAX 80
size_t		churn_period_format(const ChurnPeriod *period, char *buf, size_t bufsize);
bool		churn_period_parse(const char *text, size_t len, ChurnPeriod *period);

/*
 * Builds a summary from the scanned fields of text: DECODE_SYNTAX for a
 * period that does not parse, DECODE_INVARIANT if the fields do not fit
 * together (churn_check).
 */
DecodeStatus churn_from_fields(ChurnSummary *s, const char *text,
							   const TextFieldValue *values, DecodeError *error);

/* Binary form: version byte, the two counts, unit and end_inclusive bytes, start and end. */
#define CHURN_BINARY_SIZE (1 + 8 + 8 + 1 + 1 + 8 + 8)
void		churn_encode_binary(const ChurnSummary *s, unsigned char *out);
DecodeStatus churn_decode_binary(const unsigned char *bytes, size_t len,
								 ChurnSummary *s, DecodeError *error);

/* ---------- revenue retention and MRR movements ---------- */

/* The sums of an MrrSummary, in the order of its text form. */
typedef enum MrrSumId
{
	MRR_START,					/* mrr_start of customers with mrr_start > 0 */
	MRR_END,					/* mrr_end of those customers */
	MRR_RETAINED,				/* least(mrr_start, mrr_end) of those customers */
	MRR_NEW,					/* mrr_end where mrr_start = 0 and mrr_end > 0 */
	MRR_EXPANSION,				/* mrr_end - mrr_start where mrr_start > 0 and mrr_end > mrr_start */
	MRR_CONTRACTION,			/* mrr_start - mrr_end where 0 < mrr_end < mrr_start */
	MRR_CHURNED,				/* mrr_start where mrr_start > 0 and mrr_end = 0 */
	MRR_NET,					/* mrr_end - mrr_start over every row */
	MRR_NSUMS
} MrrSumId;

typedef struct MrrSummary
{
	int64_t		rows;
	DecimalSum	sums[MRR_NSUMS];
} MrrSummary;

/* Which value of a row a sum takes. */
typedef enum MrrValue
{
	MRR_VALUE_NONE = 0,			/* the sum is not touched */
	MRR_VALUE_START,
	MRR_VALUE_END,
	MRR_VALUE_GROWTH,			/* mrr_end - mrr_start */
	MRR_VALUE_LOSS				/* mrr_start - mrr_end */
} MrrValue;

/* What one row did to each sum: the value it took, and the step. */
typedef struct MrrRowSteps
{
	uint8_t		value[MRR_NSUMS];	/* MrrValue */
	uint8_t		step[MRR_NSUMS];	/* DecimalStep, for the sums touched */
} MrrRowSteps;

/* The movement a customer row makes: exactly one per row. */
typedef enum MrrMovement
{
	MRR_MOVEMENT_UNCHANGED = 0,
	MRR_MOVEMENT_NEW,
	MRR_MOVEMENT_EXPANSION,
	MRR_MOVEMENT_CONTRACTION,
	MRR_MOVEMENT_CHURNED
} MrrMovement;

/* Both values must be finite and not negative (checked by mrr_step). */
MrrMovement mrr_movement_of(const NumericView *start, const NumericView *end);

/*
 * Adds (add) or removes one (mrr_start, mrr_end) row. KPI_NEGATIVE_TRIALS
 * for a negative mrr_start, KPI_NEGATIVE_HITS for a negative mrr_end,
 * KPI_TOO_MANY_ROWS, or KPI_NOT_IN_STATE for removing from an empty summary;
 * then nothing changed. On KPI_OK, steps says which sums took which value and
 * how: DECIMAL_SPILL means the caller adds (subtracts) that value in the
 * sum's spill; after a removal, DECIMAL_RESTART or DECIMAL_NOT_IN_SUM in any
 * sum means the summary is no longer usable as it is.
 */
KpiStatus	mrr_step(MrrSummary *m, const NumericView *start, const NumericView *end,
					 bool add, MrrRowSteps *steps);

/* Each sum's display scale carried by 0..rows rows; an untouched sum is zero. */
KpiStatus	mrr_check(const MrrSummary *m);

/* The text form: rows, then each sum and its scale_rows. */
#define MRR_NFIELDS (1 + 2 * MRR_NSUMS)
extern const TextField mrr_summary_fields[MRR_NFIELDS];

static inline int
mrr_sum_field(MrrSumId id)
{
	return 1 + 2 * (int) id;
}

/* As money_from_fields(): a sum too wide for its held part is marked spilled. */
KpiStatus	mrr_from_fields(MrrSummary *m, const TextFieldValue *values);

#endif
