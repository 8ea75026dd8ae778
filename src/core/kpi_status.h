/*
 * kpi_status.h: outcomes of the pure C core.
 *
 * The core never raises errors itself (it has no PostgreSQL headers); it returns
 * one of these codes and the PostgreSQL layer turns it into an ereport with the
 * SQLSTATE that kpi-spec section 0 prescribes.
 */
#ifndef B2BKPI_KPI_STATUS_H
#define B2BKPI_KPI_STATUS_H

typedef enum KpiStatus
{
	KPI_OK = 0,
	KPI_NEGATIVE_HITS,			/* the numerator count of a row is negative */
	KPI_NEGATIVE_TRIALS,		/* the denominator count of a row is negative */
	KPI_HITS_EXCEED_TRIALS,		/* more conversions than trials in one row */
	KPI_SCORE_OUT_OF_RANGE,		/* an NPS score outside 0..10 */
	KPI_OVERFLOW,				/* a running count would leave int64 */
	KPI_NOT_IN_STATE,			/* an inverse transition removes what was never added */
	KPI_INCONSISTENT,			/* a decoded summary's fields contradict each other */
	KPI_TOO_MANY_ROWS,			/* a row count would leave int64 */
	KPI_PERIOD_CHANGED			/* rows of one churn group name different periods */
} KpiStatus;

#endif
