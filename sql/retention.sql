-- Retention KPIs (kpi-spec section 3): churn_rate over daterange and tstzrange activity
-- ranges and over pre-aggregated counts, net and gross revenue retention, revenue churn
-- rate, mrr_movements and ltv. The boundary cases of churn one query at a time, then
-- every KPI against its SQL idiom on generated subscription histories and MRR rows
-- (mixed display scales, ties, sums too wide for 128 bits) in serial, parallel and
-- sliding-frame plans; the state types churn_summary and mrr_summary; every bad input.

-- The catalog test installs the extension; this file also runs on its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2bkpi;
RESET client_min_messages;

-- Instants are shown and converted in UTC unless a section says otherwise.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- The lines of a plan, to count nodes without depending on the rest of it.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END
$$;

---------------------------------------------------------------------------------------
-- churn_rate(active, period), one boundary case at a time. A single customer gives
-- NULL (not in the base: not active at the period's start), 0 (retained) or 1
-- (churned: a finite end at or before the period's end).
---------------------------------------------------------------------------------------

CREATE TABLE churn_cases (id int, label text, active daterange);
INSERT INTO churn_cases VALUES
    (1, 'ends on the period start', '[2023-06-01,2024-01-01)'),
    (2, 'starts inside the period', '[2024-01-02,2024-03-01)'),
    (3, 'starts on the period start', '[2024-01-01,2024-01-02)'),
    (4, 'ends on the period end', '[2023-06-01,2024-02-01)'),
    (5, 'ends the day after', '[2023-06-01,2024-02-02)'),
    (6, 'ends within, written with ]', '[2023-06-01,2024-01-31]'),
    (7, 'empty', 'empty'),
    (8, 'no upper bound', '[2023-01-01,)'),
    (9, 'upper infinity', '[2023-01-01,infinity)'),
    (10, 'no lower bound, ends within', '(,2024-01-15)'),
    (11, 'lower -infinity, ends after', '[-infinity,2024-03-01)'),
    (12, 'no bounds at all', '(,)'),
    (13, 'starts after the period', '[2024-03-01,)');

-- Period [2024-01-01,2024-02-01): one query per case.
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS ends_on_period_start_null
FROM churn_cases WHERE id = 1;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS starts_inside_null
FROM churn_cases WHERE id = 2;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS starts_on_period_start_churned
FROM churn_cases WHERE id = 3;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS ends_on_period_end_churned
FROM churn_cases WHERE id = 4;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS ends_day_after_retained
FROM churn_cases WHERE id = 5;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS ends_jan_31_inclusive_churned
FROM churn_cases WHERE id = 6;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS empty_null
FROM churn_cases WHERE id = 7;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS unbounded_upper_retained
FROM churn_cases WHERE id = 8;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS infinity_upper_retained
FROM churn_cases WHERE id = 9;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS unbounded_lower_churned
FROM churn_cases WHERE id = 10;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS minus_infinity_lower_retained
FROM churn_cases WHERE id = 11;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS unbounded_retained
FROM churn_cases WHERE id = 12;
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS starts_after_null
FROM churn_cases WHERE id = 13;

-- All thirteen together: base 3, 4, 5, 6, 8, 9, 10, 11, 12 (9 customers), churned
-- 3, 4, 6, 10 (4): 4 / 9.
SELECT churn_rate(active, '[2024-01-01,2024-02-01)') AS all_cases,
       count(*) FILTER (WHERE active @> date '2024-01-01') AS base
FROM churn_cases;

-- A period with no end: every finite end churns (3, 4, 5, 6, 10, 11), open ones do not.
SELECT churn_rate(active, '[2024-01-01,)') AS unbounded_period_6_of_9,
       churn_rate(active, '[2024-01-01,infinity)') AS infinity_period_6_of_9
FROM churn_cases;

-- Rows with a NULL active range or period are skipped; no row at all is NULL.
SELECT churn_rate(active, period) AS null_rows_skipped_churned
FROM (VALUES (NULL::daterange, '[2024-01-01,2024-02-01)'::daterange),
             ('[2023-01-01,)', NULL),
             ('[2023-01-01,2024-01-20)', '[2024-01-01,2024-02-01)')) AS v(active, period);
SELECT churn_rate(active, period) AS no_rows
FROM (SELECT '[2023-01-01,)'::daterange, '[2024-01-01,2024-02-01)'::daterange WHERE false)
     AS v(active, period);
SELECT churn_rate(active, period) AS only_null_rows
FROM (VALUES (NULL::daterange, '[2024-01-01,2024-02-01)'::daterange)) AS v(active, period);

-- tstzrange: the same rules, to the microsecond, with inclusive and exclusive bounds.
-- Period [2024-01-01 00:00Z, 2024-02-01 00:00Z).
SELECT churn_rate('[2023-06-01,2024-01-01 00:00Z]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS inclusive_upper_on_start_churned;
SELECT churn_rate('[2023-06-01,2024-01-01 00:00Z)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS exclusive_upper_on_start_null;
SELECT churn_rate('(2024-01-01 00:00Z,2024-06-01)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS exclusive_lower_on_start_null;
SELECT churn_rate('[2024-01-01 00:00Z,2024-06-01)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS inclusive_lower_on_start_retained;
SELECT churn_rate('[2023-06-01,2024-02-01 00:00Z)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS ends_on_period_end_churned;
SELECT churn_rate('[2023-06-01,2024-02-01 00:00:00.000001Z)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS ends_1us_after_retained;
SELECT churn_rate('[2023-06-01,2024-01-31 23:59:59.999999Z]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS ends_1us_before_churned;
SELECT churn_rate('[2023-06-01,infinity]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS infinity_upper_retained;
SELECT churn_rate('[-infinity,-infinity]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS only_minus_infinity_null;
SELECT churn_rate('[infinity,infinity]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z)') AS only_infinity_null;
-- A period with an inclusive upper bound: an end on it, exclusive or inclusive, churns.
SELECT churn_rate('[2023-06-01,2024-02-01 00:00Z)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z]') AS inclusive_period_exclusive_end_churned;
SELECT churn_rate('[2023-06-01,2024-02-01 00:00Z]'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z]') AS inclusive_period_inclusive_end_churned;
SELECT churn_rate('[2023-06-01,2024-02-01 00:00:00.000001Z)'::tstzrange,
                  '[2024-01-01 00:00Z,2024-02-01 00:00Z]') AS inclusive_period_1us_after_retained;
-- Periods with an infinite upper bound.
SELECT churn_rate('[2023-06-01,2090-01-01)'::tstzrange,
                  '[2024-01-01 00:00Z,infinity)') AS infinite_period_finite_end_churned;
SELECT churn_rate('[2023-06-01,)'::tstzrange,
                  '[2024-01-01 00:00Z,)') AS unbounded_period_open_end_retained;
SELECT churn_rate('[2023-06-01,infinity)'::tstzrange,
                  '[2024-01-01 00:00Z,infinity]') AS infinity_period_infinity_end_retained;
-- A one-instant period [t,t]: only customers whose last instant is t churn.
SELECT churn_rate(active, '[2024-01-01 00:00Z,2024-01-01 00:00Z]') AS one_instant_period_1_of_3
FROM (VALUES ('[2023-06-01,2024-01-01 00:00Z]'::tstzrange),
             ('[2023-06-01,2024-01-01 00:00:00.000001Z)'), ('[2023-06-01,)')) AS v(active);

-- The state behind some of these, from the transition function called directly.
SELECT churn_rate_add('v1 customers_at_start=0 churned=0 period=none'::churn_summary,
                      '[2023-01-01,)'::daterange, '[2024-01-01,2024-02-01)'::daterange)
       AS open_customer;
SELECT churn_rate_add('v1 customers_at_start=4 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary,
                      '[2023-01-01,2024-02-01)'::daterange, '[2024-01-01,2024-02-01)'::daterange)
       AS churned_added,
       churn_rate_add('v1 customers_at_start=4 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary,
                      '[2024-01-02,2024-02-01)'::daterange, '[2024-01-01,2024-02-01)'::daterange)
       AS not_in_base,
       churn_rate_remove('v1 customers_at_start=4 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary,
                         '[2023-01-01,2024-01-15)'::daterange, '[2024-01-01,2024-02-01)'::daterange)
       AS churned_removed,
       churn_rate_remove('v1 customers_at_start=4 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary,
                         '[2023-01-01,)'::daterange, '[2024-01-01,2024-02-01)'::daterange)
       AS retained_removed;
SELECT churn_rate_add('v1 customers_at_start=0 churned=0 period=none'::churn_summary,
                      '[2023-01-01,2024-02-01 00:00Z]'::tstzrange,
                      '[2024-01-01 00:00Z,2024-02-01 00:00Z]'::tstzrange) AS tstz_inclusive_period,
       churn_rate_add('v1 customers_at_start=0 churned=0 period=none'::churn_summary,
                      '[2023-01-01,2024-02-01)'::tstzrange,
                      '[2024-01-01 10:30+05,infinity]'::tstzrange) AS tstz_open_period;
SELECT churn_combine('v1 customers_at_start=4 churned=1 period=[2024-01-01,2024-02-01)',
                     'v1 customers_at_start=3 churned=2 period=[2024-01-01,2024-02-01)')
       AS combined,
       churn_combine('v1 customers_at_start=0 churned=0 period=none',
                     'v1 customers_at_start=3 churned=2 period=[2024-01-01,2024-02-01)')
       AS combined_into_none,
       churn_rate_final('v1 customers_at_start=8 churned=2 period=[2024-01-01,2024-02-01)')
       AS final,
       churn_rate_final('v1 customers_at_start=0 churned=0 period=[2024-01-01,2024-02-01)')
       AS final_no_base;

---------------------------------------------------------------------------------------
-- Generated subscription histories: monthly churn over the whole history, against
-- the SQL idiom.
---------------------------------------------------------------------------------------

-- 5000 customers, some with two or three stints (reactivations), starts and ends on
-- and off month boundaries, some still active (no upper bound, or infinity), some
-- empty, some NULL, some with no lower bound.
CREATE TABLE subscriptions AS
SELECT row_number() OVER (ORDER BY c, s) AS id, c AS customer, s AS stint,
       'seg_' || (c % 5) AS segment,
       CASE WHEN kind IN (0, 1) THEN daterange(start_day, NULL)
            WHEN kind = 2 THEN daterange(start_day, 'infinity')
            WHEN kind = 3 THEN 'empty'
            WHEN kind = 4 THEN NULL
            WHEN kind = 5 THEN daterange(NULL, end_day)
            ELSE daterange(start_day, end_day) END AS active
FROM generate_series(1::bigint, 5000) AS c,
LATERAL generate_series(1, 1 + (c % 4 = 0)::int + (c % 7 = 0)::int) AS s,
LATERAL (SELECT (c * 2654435761 + s * 40503) % 4294967291 AS h1,
                (c * 2246822519 + s * 9973) % 4294967279 AS h2,
                (c * 3266489917 + s * 7919) % 4294967231 AS h3) AS hashes,
LATERAL (SELECT (date '2019-12-01' + ((s - 1) * 24 + h1 % 22) * interval '1 month'
                 + CASE WHEN (h1 / 22) % 3 = 0 THEN (h1 / 66) % 28 ELSE 0 END * interval '1 day'
                )::date AS start_day,
                (h3 % 13)::int AS kind) AS starts,
LATERAL (SELECT (start_day + (1 + h2 % 20) * interval '1 month'
                 + CASE WHEN (h2 / 20) % 2 = 0 THEN (h2 / 40) % 29 ELSE 0 END * interval '1 day'
                )::date AS end_day) AS ends;
-- The same histories as tstzrange: some starts and ends off midnight, some ends
-- inclusive, some starts exclusive (an exclusive start on the period's first instant
-- is not in the base).
ALTER TABLE subscriptions ADD COLUMN active_tz tstzrange;
UPDATE subscriptions SET active_tz =
    CASE WHEN active IS NULL THEN NULL
         WHEN isempty(active) THEN 'empty'
         ELSE tstzrange(lower(active)::timestamptz
                            + CASE WHEN customer % 9 = 0 THEN interval '13 hours' ELSE interval '0' END,
                        upper(active)::timestamptz
                            + CASE WHEN customer % 6 = 0 THEN interval '9 hours 30 minutes' ELSE interval '0' END,
                        CASE WHEN customer % 13 = 0 THEN '[]' WHEN customer % 17 = 0 THEN '(]'
                             WHEN customer % 19 = 0 THEN '()' ELSE '[)' END) END;
ANALYZE subscriptions;

SELECT count(*) AS rows, count(DISTINCT customer) AS customers,
       count(*) FILTER (WHERE stint > 1) AS reactivations,
       count(*) FILTER (WHERE upper_inf(active)) AS open_ended,
       count(*) FILTER (WHERE upper(active) = 'infinity') AS infinity_ended,
       count(*) FILTER (WHERE isempty(active)) AS empty, count(*) - count(active) AS nulls,
       count(*) FILTER (WHERE lower_inf(active)) AS no_start,
       count(*) FILTER (WHERE extract(day FROM lower(active)) <> 1) AS starts_mid_month,
       count(*) FILTER (WHERE extract(day FROM upper(active)) <> 1) AS ends_mid_month,
       count(*) FILTER (WHERE NOT lower_inc(active_tz) AND NOT lower_inf(active_tz))
           AS exclusive_tz_starts,
       count(*) FILTER (WHERE upper_inc(active_tz)) AS inclusive_tz_ends
FROM subscriptions;

-- Every month from before the first subscription to after the last, in three
-- shapes: the month, the quarter from that month, and from that month on (no end).
-- The tstzrange periods: the month [), the quarter with an inclusive end [], and from
-- the month on to infinity.
CREATE TABLE churn_periods AS
SELECT m::date AS month, shape,
       CASE shape WHEN 'month' THEN daterange(m::date, (m + interval '1 month')::date)
                  WHEN 'quarter' THEN daterange(m::date, (m + interval '3 months')::date)
                  ELSE daterange(m::date, NULL) END AS period,
       CASE shape WHEN 'month' THEN tstzrange(m, m + interval '1 month')
                  WHEN 'quarter' THEN tstzrange(m, m + interval '3 months', '[]')
                  ELSE tstzrange(m, 'infinity') END AS period_tz
FROM generate_series(timestamptz '2019-10-01', '2028-06-01', interval '1 month') AS m,
     unnest(ARRAY['month', 'quarter', 'open']) AS shape;
-- Each worker of a parallel plan reads all of it, and its share of subscriptions.
ALTER TABLE churn_periods SET (parallel_workers = 0);
ANALYZE churn_periods;

CREATE VIEW churn_series AS
SELECT shape, month, churn_rate(active, period) AS churn, churn_rate(active_tz, period_tz) AS churn_tz
FROM subscriptions CROSS JOIN churn_periods GROUP BY shape, month;

-- The idiom, straight from kpi-spec: the base is active @> lower(period); a base
-- customer churned if its range has a finite end (not unbounded, not infinity) at or
-- before the period's end (any finite end when the period has none).
CREATE VIEW churn_idiom AS
SELECT shape, month,
       count(*) FILTER (WHERE active @> lower(period)) AS base,
       count(*) FILTER (WHERE active @> lower(period) AND NOT upper_inf(active)
                          AND upper(active) <> 'infinity'
                          AND (upper_inf(period) OR upper(period) = 'infinity'
                               OR upper(active) <= upper(period))) AS churned,
       count(*) FILTER (WHERE active_tz @> lower(period_tz)) AS base_tz,
       count(*) FILTER (WHERE active_tz @> lower(period_tz) AND NOT upper_inf(active_tz)
                          AND upper(active_tz) <> 'infinity'
                          AND (upper_inf(period_tz) OR upper(period_tz) = 'infinity'
                               OR upper(active_tz) <= upper(period_tz))) AS churned_tz
FROM subscriptions CROSS JOIN churn_periods GROUP BY shape, month;

CREATE FUNCTION pg_temp.compare_churn_with_idiom() RETURNS TABLE (
    shape text, periods bigint, null_periods bigint, base bigint, churned bigint,
    mismatches bigint, base_tz bigint, churned_tz bigint, mismatches_tz bigint)
LANGUAGE sql AS $$
SELECT shape, count(*), count(*) FILTER (WHERE k.churn IS NULL),
       sum(i.base), sum(i.churned),
       count(*) FILTER (WHERE k.churn IS DISTINCT FROM i.churned::float8 / nullif(i.base, 0)),
       sum(i.base_tz), sum(i.churned_tz),
       count(*) FILTER (WHERE k.churn_tz IS DISTINCT FROM
                              i.churned_tz::float8 / nullif(i.base_tz, 0))
FROM churn_series AS k FULL JOIN churn_idiom AS i USING (shape, month)
GROUP BY shape ORDER BY shape
$$;

SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.compare_churn_with_idiom();

-- The values themselves for a few months, so a change in the generator shows.
SELECT month, shape, round(churn::numeric, 6) AS churn, round(churn_tz::numeric, 6) AS churn_tz
FROM churn_series
WHERE month IN ('2019-10-01', '2019-12-01', '2020-01-01', '2021-07-01', '2028-06-01')
ORDER BY month, shape;

-- By segment too (the period is the same within each group).
SELECT count(*) AS groups,
       count(*) FILTER (WHERE k.churn IS DISTINCT FROM i.churned::float8 / nullif(i.base, 0)
                           OR k.churn_tz IS DISTINCT FROM i.churned_tz::float8 / nullif(i.base_tz, 0))
       AS mismatches
FROM (SELECT segment, month, churn_rate(active, period) AS churn,
             churn_rate(active_tz, period_tz) AS churn_tz
      FROM subscriptions CROSS JOIN churn_periods WHERE shape = 'month'
      GROUP BY segment, month) AS k
JOIN (SELECT segment, month,
             count(*) FILTER (WHERE active @> lower(period)) AS base,
             count(*) FILTER (WHERE active @> lower(period) AND NOT upper_inf(active)
                                AND upper(active) <> 'infinity'
                                AND upper(active) <= upper(period)) AS churned,
             count(*) FILTER (WHERE active_tz @> lower(period_tz)) AS base_tz,
             count(*) FILTER (WHERE active_tz @> lower(period_tz) AND NOT upper_inf(active_tz)
                                AND upper(active_tz) <> 'infinity'
                                AND upper(active_tz) <= upper(period_tz)) AS churned_tz
      FROM subscriptions CROSS JOIN churn_periods WHERE shape = 'month'
      GROUP BY segment, month) AS i USING (segment, month);

-- The pre-aggregated form: per segment and month, the base and churned counts; then
-- churn_rate(customers_at_start, churned) over the segments of a month is the same
-- double as churn_rate over the ranges.
CREATE TABLE churn_counts AS
SELECT segment, month, count(*) FILTER (WHERE active @> lower(period)) AS customers_at_start,
       count(*) FILTER (WHERE active @> lower(period) AND NOT upper_inf(active)
                          AND upper(active) <> 'infinity'
                          AND upper(active) <= upper(period)) AS churned
FROM subscriptions CROSS JOIN churn_periods WHERE shape = 'month'
GROUP BY segment, month;
ANALYZE churn_counts;
SELECT count(*) AS months,
       count(*) FILTER (WHERE c.churn IS NOT DISTINCT FROM s.churn) AS equal_to_ranges,
       count(*) FILTER (WHERE c.churn IS NULL) AS null_months
FROM (SELECT month, churn_rate(customers_at_start, churned) AS churn
      FROM churn_counts GROUP BY month) AS c
JOIN churn_series AS s USING (month) WHERE s.shape = 'month';

CREATE TEMP TABLE churn_serial AS SELECT * FROM churn_series;

---------------------------------------------------------------------------------------
-- Forced parallel plans: Partial Aggregate in workers, combined in the leader.
---------------------------------------------------------------------------------------

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT churn_rate(active, '[2022-01-01,2022-02-01)'::daterange),
       churn_rate(active_tz, '[2022-01-01,2022-02-01)'::tstzrange)
FROM subscriptions;
-- The monthly series: partial states per period in each worker (hashed: the grid is
-- not sorted), combined in the leader.
EXPLAIN (COSTS OFF) SELECT * FROM churn_series;

-- The parallel answer equals the serial one, period by period.
SELECT count(*) AS periods_equal_to_serial
FROM churn_series AS p JOIN churn_serial AS s USING (shape, month)
WHERE (p.*)::text = (s.*)::text;

SELECT churn_rate(active, '[2022-01-01,2022-02-01)'::daterange) AS parallel_jan_2022,
       (SELECT churn FROM churn_serial WHERE shape = 'month' AND month = '2022-01-01')
           AS serial_jan_2022,
       churn_rate(active_tz, tstzrange('2022-01-01', '2022-04-01', '[]')) AS parallel_tz,
       (SELECT churn_tz FROM churn_serial WHERE shape = 'quarter' AND month = '2022-01-01')
           AS serial_tz
FROM subscriptions;

-- churn_rate(customers_at_start, churned) in parallel: the same doubles.
SET enable_hashagg = off;
SELECT count(*) FILTER (WHERE line ~ 'Partial GroupAggregate') AS partial_aggregates
FROM pg_temp.plan_of('SELECT month, churn_rate(customers_at_start, churned) FROM churn_counts GROUP BY month') AS line;
SELECT count(*) AS months, count(*) FILTER (WHERE c.churn IS NOT DISTINCT FROM s.churn) AS equal_to_serial
FROM (SELECT month, churn_rate(customers_at_start, churned) AS churn
      FROM churn_counts GROUP BY month) AS c
JOIN churn_serial AS s USING (month) WHERE s.shape = 'month';
RESET enable_hashagg;

-- Two periods in one parallel group, mixed in every worker or one half each: an
-- error, from a worker's transition or from the leader's combine.
SELECT pg_temp.error_of($q$SELECT churn_rate(active, CASE WHEN id % 2 = 0
    THEN '[2022-01-01,2022-02-01)'::daterange ELSE '[2022-02-01,2022-03-01)' END)
    FROM subscriptions$q$) ~ '^22023: argument "period" of churn_rate must be the same'
    AS mixed_periods_rejected,
    pg_temp.error_of($q$SELECT churn_rate(active, CASE WHEN id <= 3482
    THEN '[2022-01-01,2022-02-01)'::daterange ELSE '[2022-02-01,2022-03-01)' END)
    FROM subscriptions$q$) ~ '^22023: argument "period" of churn_rate must be the same'
    AS halves_rejected;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- Sliding window frames over customers with a fixed period, against the window idiom.
---------------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.compare_churn_frames(frame text) RETURNS TABLE (
    rows bigint, null_rows bigint, mismatches bigint, mismatches_tz bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    SELECT count(*), count(*) FILTER (WHERE churn IS NULL),
           count(*) FILTER (WHERE churn IS DISTINCT FROM churned::float8 / nullif(base, 0)),
           count(*) FILTER (WHERE churn_tz IS DISTINCT FROM churned_tz::float8 / nullif(base_tz, 0))
    FROM (
        SELECT churn_rate(active, p) OVER w AS churn,
               count(*) FILTER (WHERE active @> lower(p)) OVER w AS base,
               count(*) FILTER (WHERE active @> lower(p) AND NOT upper_inf(active)
                                  AND upper(active) <> 'infinity'
                                  AND upper(active) <= upper(p)) OVER w AS churned,
               churn_rate(active_tz, p_tz) OVER w AS churn_tz,
               count(*) FILTER (WHERE active_tz @> lower(p_tz)) OVER w AS base_tz,
               count(*) FILTER (WHERE active_tz @> lower(p_tz) AND NOT upper_inf(active_tz)
                                  AND upper(active_tz) <> 'infinity'
                                  AND upper(active_tz) <= upper(p_tz)) OVER w AS churned_tz
        FROM subscriptions,
             LATERAL (VALUES ('[2022-01-01,2022-02-01)'::daterange,
                              '[2022-01-01,2022-02-01)'::tstzrange)) AS fixed(p, p_tz)
        WINDOW w AS (%s)
    ) AS framed $q$, frame);
END
$$;

SELECT 'ROWS BETWEEN 50 PRECEDING AND CURRENT ROW' AS frame, * FROM pg_temp.compare_churn_frames(
    'ORDER BY id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW');
SELECT 'per segment, ROWS BETWEEN 50 PRECEDING AND 10 FOLLOWING' AS frame,
       * FROM pg_temp.compare_churn_frames(
    'PARTITION BY segment ORDER BY id ROWS BETWEEN 50 PRECEDING AND 10 FOLLOWING');
SELECT 'ROWS 2 TO 4 FOLLOWING' AS frame, * FROM pg_temp.compare_churn_frames(
    'ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING');

-- Over the monthly grid, each month its own partition and period.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE churn IS DISTINCT FROM churned::float8 / nullif(base, 0))
       AS mismatches
FROM (SELECT churn_rate(active, period) OVER w AS churn,
             count(*) FILTER (WHERE active @> lower(period)) OVER w AS base,
             count(*) FILTER (WHERE active @> lower(period) AND NOT upper_inf(active)
                                AND upper(active) <> 'infinity'
                                AND upper(active) <= upper(period)) OVER w AS churned
      FROM subscriptions CROSS JOIN churn_periods
      WHERE shape = 'month' AND month BETWEEN '2020-06-01' AND '2021-06-01'
      WINDOW w AS (PARTITION BY month ORDER BY id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW)
     ) AS framed;

-- By hand: a frame that drops a churned customer, keeps a NULL row, and empties.
SELECT id, active, churn_rate(active, '[2024-01-01,2024-02-01)') OVER w AS churn
FROM (VALUES (1, '[2023-01-01,2024-01-10)'::daterange), (2, '[2023-01-01,)'), (3, NULL),
             (4, '[2024-01-05,)'), (5, '[2023-05-01,2024-02-01)')) AS v(id, active)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;
-- A new period once the last row of the old one has left the frame (a NULL row between).
SELECT id, churn_rate(active, period) OVER (ORDER BY id ROWS 1 PRECEDING) AS churn
FROM (VALUES (1, '[2023-12-01,2024-01-15)'::daterange, '[2024-01-01,2024-02-01)'::daterange),
             (2, NULL, '[2024-02-01,2024-03-01)'),
             (3, '[2023-12-01,2024-03-10)', '[2024-02-01,2024-03-01)')) AS v(id, active, period)
ORDER BY id;

---------------------------------------------------------------------------------------
-- churn_rate over ranges: bad input, SQLSTATE 22023.
---------------------------------------------------------------------------------------

-- Shown once in full, with detail and hint. Then every case with its SQLSTATE: a row
-- with a NULL active range is skipped before its period is looked at.
SELECT churn_rate(active, period)
FROM (VALUES ('[2023-06-01,)'::daterange, '[2024-01-01,2024-02-01)'::daterange),
             ('[2023-06-01,)', '[2024-02-01,2024-03-01)')) AS v(active, period);
SELECT churn_rate(active, period)
FROM (VALUES ('[2023-06-01,)'::tstzrange, '[2024-01-01 00:00Z,2024-02-01 00:00Z)'::tstzrange),
             ('[2023-06-01,)', '[2024-01-01 00:00Z,2024-02-01 00:00Z]')) AS v(active, period);
SELECT churn_rate('[2023-06-01,)'::daterange, 'empty'::daterange);

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT churn_rate(''[2023-06-01,)''::daterange, ''[2024-01-01,2024-01-01)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::daterange, ''(,2024-02-01)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::daterange, ''[-infinity,2024-02-01)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::daterange, ''[infinity,infinity]'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::tstzrange, ''empty'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::tstzrange, ''(,2024-02-01 00:00Z)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::tstzrange, ''[-infinity,2024-02-01 00:00Z)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::tstzrange, ''(2024-01-01 00:00Z,2024-02-01 00:00Z)'')'),
    ('SELECT churn_rate(''[2023-06-01,)''::tstzrange, ''(2024-01-01 00:00Z,)'')'),
    ('SELECT churn_rate(NULL::daterange, ''empty''::daterange)'),
    ('SELECT churn_rate(a, p) FROM (VALUES (''[2023-06-01,)''::daterange, ''[2024-01-01,)''::daterange), (NULL, ''[2024-02-01,)'')) v(a, p)'),
    ('SELECT churn_rate(a, p) FROM (VALUES (''empty''::daterange, ''[2024-01-01,2024-02-01)''::daterange), (''empty'', ''[2024-01-01,2024-03-01)'')) v(a, p)'),
    ('SELECT churn_rate(a, p) OVER (ORDER BY p ROWS 1 PRECEDING) FROM (VALUES (''[2023-06-01,)''::daterange, ''[2024-01-01,2024-02-01)''::daterange), (''[2023-06-01,)'', ''[2024-02-01,2024-03-01)'')) v(a, p)'),
    ('SELECT churn_combine(''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01)'', ''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-03-01)'')'),
    ('SELECT churn_combine(''v1 customers_at_start=9223372036854775807 churned=0 period=[2024-01-01,2024-02-01)'', ''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01)'')'),
    ('SELECT churn_rate_add(''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01)'', ''[2023-01-01,)''::daterange, ''[2024-01-01,2024-02-02)''::daterange)'),
    ('SELECT churn_rate_add(''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01)'', ''[2023-01-01,)''::tstzrange, ''[2024-01-01 00:00Z,2024-02-01 00:00Z)''::tstzrange)'),
    ('SELECT churn_rate_add(''v1 customers_at_start=9223372036854775807 churned=0 period=[2024-01-01,2024-02-01)'', ''[2023-01-01,)''::daterange, ''[2024-01-01,2024-02-01)''::daterange)'),
    ('SELECT churn_rate_remove(''v1 customers_at_start=0 churned=0 period=none'', ''[2023-01-01,)''::daterange, ''[2024-01-01,2024-02-01)''::daterange)'),
    ('SELECT churn_rate_remove(''v1 customers_at_start=1 churned=0 period=[2024-01-01,2024-02-01)'', ''[2023-01-01,2024-01-15)''::daterange, ''[2024-01-01,2024-02-01)''::daterange)'),
    ('SELECT churn_rate_remove(''v1 customers_at_start=1 churned=1 period=[2024-01-01,2024-02-01)'', ''[2023-01-01,)''::daterange, ''[2024-01-01,2024-02-01)''::daterange)')
) AS cases(query);

---------------------------------------------------------------------------------------
-- churn_rate(customers_at_start bigint, churned bigint): sum(churned) / sum(base).
---------------------------------------------------------------------------------------

-- 12 / 130; a row with a NULL is skipped; no base at all is NULL.
SELECT churn_rate(b, c) AS rate, 12::float8 / 130 AS expected
FROM (VALUES (100::bigint, 10::bigint), (30, 2), (0, 0), (NULL, 5), (7, NULL)) AS v(b, c);
SELECT churn_rate(b, c) AS zero_base
FROM (VALUES (0::bigint, 0::bigint), (0, 0)) AS v(b, c);
SELECT churn_rate(b, c) AS all_churned, churn_rate(b, 0::bigint) AS none_churned
FROM (VALUES (5::bigint, 5::bigint)) AS v(b, c);

-- Against the idiom over the generated counts, grouped, in frames and in parallel.
SELECT count(*) AS groups,
       count(*) FILTER (WHERE rate IS DISTINCT FROM idiom) AS mismatches
FROM (SELECT churn_rate(customers_at_start, churned) AS rate,
             sum(churned)::float8 / nullif(sum(customers_at_start), 0) AS idiom
      FROM churn_counts GROUP BY ROLLUP (segment)) AS g;
SELECT count(*) AS rows, count(*) FILTER (WHERE rate IS DISTINCT FROM idiom) AS mismatches
FROM (SELECT churn_rate(customers_at_start, churned) OVER w AS rate,
             sum(churned) OVER w::float8 / nullif(sum(customers_at_start) OVER w, 0) AS idiom
      FROM churn_counts WINDOW w AS (ORDER BY month, segment ROWS BETWEEN 7 PRECEDING AND CURRENT ROW))
     AS framed;

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT churn_rate(-1::bigint, 0::bigint)'),
    ('SELECT churn_rate(5::bigint, -1::bigint)'),
    ('SELECT churn_rate(5::bigint, 6::bigint)'),
    ('SELECT churn_rate(b, c) FROM (VALUES (5::bigint, 1::bigint), (1, 2)) v(b, c)'),
    ('SELECT churn_rate(b, c) OVER (ORDER BY b ROWS 1 PRECEDING) FROM (VALUES (5::bigint, 1::bigint), (6, 7)) v(b, c)'),
    ('SELECT churn_rate(b, 0::bigint) FROM (VALUES (9223372036854775807::bigint), (1)) v(b)')
) AS cases(query);

---------------------------------------------------------------------------------------
-- Revenue retention and MRR movements: hand-computed values.
---------------------------------------------------------------------------------------

-- Five customers: unchanged (10.00 -> 10.0), new (0 -> 5.5), churned (20 -> 0.000),
-- expansion (7 -> 9.25), contraction (8.5 -> 3). Over mrr_start > 0: start
-- 10.00 + 20 + 7 + 8.5 = 45.50, end 10.0 + 0.000 + 9.25 + 3 = 22.250, least
-- 10.00 + 0.000 + 7 + 3 = 20.000. nrr = 22.250 / 45.50, grr = 20.000 / 45.50.
-- Movements: new 5.5, expansion 2.25, contraction 5.5, churned 20, net
-- 0.00 + 5.5 - 20.000 + 2.25 - 5.5 = -17.750.
CREATE TABLE small_mrr (segment text, id int, mrr_start numeric, mrr_end numeric);
INSERT INTO small_mrr VALUES
    ('a', 1, 10.00, 10.0), ('a', 2, 0, 5.5), ('a', 3, 20, 0.000), ('a', 4, 7, 9.25),
    ('a', 5, 8.5, 3), ('a', 6, NULL, 4), ('a', 7, 4, NULL),
    ('b', 8, 0, 0), ('b', 9, 0.00, 12.5),
    ('c', 10, 3.0, 3.00), ('c', 11, 3.00, 3.0),
    ('d', 12, NULL, NULL);
SELECT net_revenue_retention(mrr_start, mrr_end) AS nrr, 22.250 / 45.50 AS nrr_expected,
       gross_revenue_retention(mrr_start, mrr_end) AS grr, 20.000 / 45.50 AS grr_expected,
       revenue_churn_rate(mrr_start, mrr_end) AS revenue_churn, 1 - 20.000 / 45.50 AS expected
FROM small_mrr WHERE segment = 'a';
SELECT mrr_movements(mrr_start, mrr_end) FROM small_mrr WHERE segment = 'a';
SELECT (mrr_movements(mrr_start, mrr_end)).* FROM small_mrr WHERE segment = 'a';

-- Per segment: b has no customer with mrr_start > 0 (NULL retention) but movements;
-- c is ties only: least() keeps mrr_start, so grr is 6.00 / 6.00 = 1.00...;
-- d has only NULL rows: everything NULL.
SELECT segment, net_revenue_retention(mrr_start, mrr_end) AS nrr,
       gross_revenue_retention(mrr_start, mrr_end) AS grr,
       revenue_churn_rate(mrr_start, mrr_end) AS revenue_churn,
       mrr_movements(mrr_start, mrr_end) AS movements
FROM small_mrr GROUP BY ROLLUP (segment) ORDER BY segment NULLS LAST;

-- Ties, where least() keeps its first argument, mrr_start: the retained sum has the
-- scale of mrr_start, and so does the quotient once that passes numeric_div's 20.
-- 10.0 / 10.0 has 20 places; 10.0000000000000000000000 / 10.0000000000000000000000, 22.
SELECT gross_revenue_retention(s, e) AS grr, sum(least(s, e)) / sum(s) AS idiom,
       revenue_churn_rate(s, e) AS revenue_churn, 1 - sum(least(s, e)) / sum(s) AS idiom
FROM (VALUES (10.0, 10.0000000000000000000000)) AS v(s, e);
SELECT gross_revenue_retention(s, e) AS grr, sum(least(s, e)) / sum(s) AS idiom,
       revenue_churn_rate(s, e) AS revenue_churn, 1 - sum(least(s, e)) / sum(s) AS idiom
FROM (VALUES (10.0000000000000000000000, 10.0)) AS v(s, e);

-- Empty input and all-NULL input.
SELECT net_revenue_retention(s, e), gross_revenue_retention(s, e), revenue_churn_rate(s, e),
       mrr_movements(s, e)
FROM (SELECT 1::numeric, 1::numeric WHERE false) AS empty(s, e);
SELECT net_revenue_retention(s, e), mrr_movements(s, e)
FROM (VALUES (NULL::numeric, 1::numeric), (1, NULL)) AS all_null(s, e);
-- Only zero rows: retention NULL, movements all zero (with the net change's scale).
SELECT net_revenue_retention(s, e), mrr_movements(s, e)
FROM (VALUES (0::numeric, 0.00::numeric), (0.0, 0)) AS zeros(s, e);

---------------------------------------------------------------------------------------
-- Generated MRR rows against the SQL idioms.
---------------------------------------------------------------------------------------

-- 30000 customers in 8 segments: amounts with 0 to 4 decimals, zeros at several
-- scales, new, churned, equal values at equal and different scales, NULLs. seg_7 has
-- no customer with mrr_start > 0.
CREATE TABLE mrr_rows AS
SELECT i AS id, 'seg_' || (h1 % 8) AS segment,
       CASE WHEN h4 % 53 = 0 THEN NULL
            WHEN h1 % 8 = 7 OR kind IN (0, 1) THEN round(0::numeric, ks)
            ELSE a END AS mrr_start,
       CASE WHEN h5 % 59 = 0 THEN NULL
            WHEN kind IN (0, 2) THEN round(0::numeric, ke)
            WHEN kind = 3 THEN round(a, ks)
            WHEN kind = 4 THEN round(a, ke)
            WHEN kind = 5 THEN round(a * 1.25, ke)
            WHEN kind = 6 THEN round(a * 0.6, ke)
            ELSE b END AS mrr_end
FROM generate_series(1::bigint, 30000) AS i,
LATERAL (SELECT (i * 2654435761 + 1) % 4294967291 AS h1,
                (i * 2246822519 + 3) % 4294967279 AS h2,
                (i * 3266489917 + 5) % 4294967231 AS h3,
                (i * 668265263 + 7) % 4294967197 AS h4,
                (i * 374761393 + 11) % 4294967189 AS h5) AS hashes,
LATERAL (SELECT (h2 % 10)::int AS kind, (h3 % 5)::int AS ks, ((h3 / 5) % 5)::int AS ke)
     AS shape,
LATERAL (SELECT round((h4 % 10000000) / 1000.0, ks) AS a,
                round((h5 % 10000000) / 1000.0, ke) AS b) AS amounts;
ANALYZE mrr_rows;

SELECT count(*) AS rows, count(*) FILTER (WHERE mrr_start = 0) AS zero_starts,
       count(*) FILTER (WHERE mrr_end = 0) AS zero_ends,
       count(*) FILTER (WHERE mrr_start = mrr_end AND mrr_start > 0) AS equal,
       count(*) FILTER (WHERE mrr_start = mrr_end AND mrr_start > 0
                          AND scale(mrr_start) <> scale(mrr_end)) AS equal_other_scale,
       count(*) FILTER (WHERE mrr_start = 0 AND mrr_end > 0) AS new,
       count(*) FILTER (WHERE mrr_start > 0 AND mrr_end = 0) AS churned,
       count(*) - count(mrr_start + mrr_end) AS with_null,
       count(DISTINCT scale(mrr_start)) AS start_scales, count(DISTINCT scale(mrr_end)) AS end_scales
FROM mrr_rows;

-- The idioms, written independently of the extension, straight from kpi-spec, over
-- the rows with both values.
CREATE VIEW mrr_idiom AS
SELECT grp,
       sum(mrr_end) FILTER (WHERE mrr_start > 0) / sum(mrr_start) FILTER (WHERE mrr_start > 0)
           AS nrr,
       sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0)
           / sum(mrr_start) FILTER (WHERE mrr_start > 0) AS grr,
       1 - sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0)
           / sum(mrr_start) FILTER (WHERE mrr_start > 0) AS revenue_churn,
       coalesce(sum(mrr_end) FILTER (WHERE mrr_start = 0 AND mrr_end > 0), 0) AS new_mrr,
       coalesce(sum(mrr_end - mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end > mrr_start), 0)
           AS expansion_mrr,
       coalesce(sum(mrr_start - mrr_end) FILTER (WHERE mrr_end > 0 AND mrr_end < mrr_start), 0)
           AS contraction_mrr,
       coalesce(sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end = 0), 0) AS churned_mrr,
       sum(mrr_end - mrr_start) AS net_mrr_change
FROM mrr_rows, LATERAL (VALUES (segment), ('all')) AS g(grp)
WHERE mrr_start IS NOT NULL AND mrr_end IS NOT NULL
GROUP BY grp;

CREATE VIEW mrr_kpis AS
SELECT grp, net_revenue_retention(mrr_start, mrr_end) AS nrr,
       gross_revenue_retention(mrr_start, mrr_end) AS grr,
       revenue_churn_rate(mrr_start, mrr_end) AS revenue_churn,
       mrr_movements(mrr_start, mrr_end) AS m
FROM mrr_rows, LATERAL (VALUES (segment), ('all')) AS g(grp) GROUP BY grp;

-- Equal as values and as text (the same display scale); the movements add up to the
-- net change.
CREATE FUNCTION pg_temp.compare_mrr_with_idiom() RETURNS TABLE (
    groups bigint, null_nrr bigint, nrr_equal bigint, nrr_text_equal bigint,
    grr_text_equal bigint, revenue_churn_text_equal bigint, movements_text_equal bigint,
    movements_add_up bigint)
LANGUAGE sql AS $$
SELECT count(*), count(*) FILTER (WHERE k.nrr IS NULL),
       count(*) FILTER (WHERE k.nrr IS NOT DISTINCT FROM i.nrr),
       count(*) FILTER (WHERE k.nrr::text IS NOT DISTINCT FROM i.nrr::text),
       count(*) FILTER (WHERE k.grr::text IS NOT DISTINCT FROM i.grr::text),
       count(*) FILTER (WHERE k.revenue_churn::text IS NOT DISTINCT FROM i.revenue_churn::text),
       count(*) FILTER (WHERE ((k.m).new_mrr::text, (k.m).expansion_mrr::text,
                               (k.m).contraction_mrr::text, (k.m).churned_mrr::text,
                               (k.m).net_mrr_change::text)
                              IS NOT DISTINCT FROM
                              (i.new_mrr::text, i.expansion_mrr::text, i.contraction_mrr::text,
                               i.churned_mrr::text, i.net_mrr_change::text)),
       count(*) FILTER (WHERE (k.m).new_mrr + (k.m).expansion_mrr - (k.m).contraction_mrr
                              - (k.m).churned_mrr = (k.m).net_mrr_change)
FROM mrr_kpis AS k FULL JOIN mrr_idiom AS i USING (grp)
$$;

SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.compare_mrr_with_idiom();

-- The values themselves, so a change in the generator or the arithmetic shows.
SELECT grp, nrr, grr, m FROM mrr_kpis ORDER BY grp;

CREATE TEMP TABLE mrr_serial AS SELECT * FROM mrr_kpis;

---------------------------------------------------------------------------------------
-- Sums too wide for 128 bits spill into a numeric in the state; they stay exact and
-- keep the idiom's display scale.
---------------------------------------------------------------------------------------

CREATE TABLE wide_mrr (grp int, id int, mrr_start numeric, mrr_end numeric);
INSERT INTO wide_mrr VALUES
    (1, 1, 1e30, 1e30 + 0.5), (1, 2, 1e40, 0), (1, 3, 5.25, 1e40), (1, 4, 0, 1e40),
    (1, 5, 12.5, 12.50),
    (2, 6, 99999999999999999999999999999999999999, 99999999999999999999999999999999999998.9999),
    (2, 7, 170141183460469231731687303715884105727, 170141183460469231731687303715884105727),
    (2, 8, 0.0001, 1e-30),
    (3, 9, 123.000000000000000000000000000001, 123), (3, 10, 1e40, 1e40 + 1e-20),
    (3, 11, 1e40, 1e39);
-- 1: a 1e40 churned, a 1e40 expansion, a 1e40 new; 2: values at 2^127 - 1 and scale 30
-- beside them; 3: scale 30 and 1e40 together.
SELECT grp, net_revenue_retention(mrr_start, mrr_end) AS nrr,
       net_revenue_retention(mrr_start, mrr_end)::text
           = (sum(mrr_end) FILTER (WHERE mrr_start > 0)
              / sum(mrr_start) FILTER (WHERE mrr_start > 0))::text AS nrr_same_text,
       gross_revenue_retention(mrr_start, mrr_end)::text
           = (sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0)
              / sum(mrr_start) FILTER (WHERE mrr_start > 0))::text AS grr_same_text,
       revenue_churn_rate(mrr_start, mrr_end)::text
           = (1 - sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0)
              / sum(mrr_start) FILTER (WHERE mrr_start > 0))::text AS revenue_churn_same_text
FROM wide_mrr GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST;
SELECT grp, mrr_movements(mrr_start, mrr_end) AS m
FROM wide_mrr GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST;
SELECT grp, (mrr_movements(mrr_start, mrr_end)).new_mrr::text
            = coalesce(sum(mrr_end) FILTER (WHERE mrr_start = 0 AND mrr_end > 0), 0)::text AS new_same,
       (mrr_movements(mrr_start, mrr_end)).expansion_mrr::text
            = coalesce(sum(mrr_end - mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end > mrr_start), 0)::text
            AS expansion_same,
       (mrr_movements(mrr_start, mrr_end)).contraction_mrr::text
            = coalesce(sum(mrr_start - mrr_end) FILTER (WHERE mrr_end > 0 AND mrr_end < mrr_start), 0)::text
            AS contraction_same,
       (mrr_movements(mrr_start, mrr_end)).churned_mrr::text
            = coalesce(sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end = 0), 0)::text
            AS churned_same,
       (mrr_movements(mrr_start, mrr_end)).net_mrr_change::text = sum(mrr_end - mrr_start)::text
            AS net_same
FROM wide_mrr GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST;

-- The generated rows with 1e40, 1e30 and 1e-30 added to a few of them.
CREATE VIEW wide_mrr_rows AS
SELECT id, segment,
       mrr_start + CASE WHEN mrr_start > 0 AND id % 5000 = 1 THEN 1e40
                        WHEN mrr_start > 0 AND id % 5000 = 2 THEN 1e30 ELSE 0 END AS mrr_start,
       mrr_end + CASE WHEN mrr_end > 0 AND id % 5000 = 3 THEN 1e40
                      WHEN mrr_end > 0 AND id % 5000 = 4 THEN 1e-30 ELSE 0 END AS mrr_end
FROM mrr_rows;
CREATE VIEW wide_mrr_compare AS
SELECT count(*) AS groups,
       count(*) FILTER (WHERE (nrr::text, grr::text, m::text) IS NOT DISTINCT FROM
                              (nrr_idiom::text, grr_idiom::text, m_idiom::text)) AS equal_as_text
FROM (SELECT net_revenue_retention(mrr_start, mrr_end) AS nrr,
             sum(mrr_end) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL)
                 / sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) AS nrr_idiom,
             gross_revenue_retention(mrr_start, mrr_end) AS grr,
             sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL)
                 / sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) AS grr_idiom,
             mrr_movements(mrr_start, mrr_end) AS m,
             ROW(coalesce(sum(mrr_end) FILTER (WHERE mrr_start = 0 AND mrr_end > 0), 0),
                 coalesce(sum(mrr_end - mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end > mrr_start), 0),
                 coalesce(sum(mrr_start - mrr_end) FILTER (WHERE mrr_end > 0 AND mrr_end < mrr_start), 0),
                 coalesce(sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end = 0), 0),
                 sum(mrr_end - mrr_start))::mrr_movement_totals AS m_idiom
      FROM wide_mrr_rows, LATERAL (VALUES (segment), ('all')) AS g(grp) GROUP BY grp) AS g;
SELECT * FROM wide_mrr_compare;
SELECT net_revenue_retention(mrr_start, mrr_end) AS nrr_with_1e40 FROM wide_mrr_rows;

---------------------------------------------------------------------------------------
-- Forced parallel plans for the MRR KPIs.
---------------------------------------------------------------------------------------

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;

EXPLAIN (COSTS OFF)
SELECT net_revenue_retention(mrr_start, mrr_end), mrr_movements(mrr_start, mrr_end)
FROM mrr_rows;
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM mrr_kpis') AS line;

SELECT * FROM pg_temp.compare_mrr_with_idiom();

-- The parallel answer equals the serial one, group by group, to the last digit.
SELECT count(*) AS groups_equal_to_serial
FROM mrr_kpis AS p JOIN mrr_serial AS s USING (grp)
WHERE (p.*)::text = (s.*)::text;

-- Spilled partial states are combined.
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM wide_mrr_compare') AS line;
SELECT * FROM wide_mrr_compare;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- Sliding window frames for the MRR KPIs, against the window idioms, as text. When
-- the row with the largest scale of a sum leaves, the frame is recomputed.
---------------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.compare_mrr_frames(source text, frame text)
RETURNS TABLE (rows bigint, null_nrr bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    SELECT count(*), count(*) FILTER (WHERE nrr IS NULL),
           count(*) FILTER (WHERE (nrr::text, grr::text, revenue_churn::text, m::text)
                                  IS DISTINCT FROM
                                  (nrr_idiom::text, grr_idiom::text, revenue_churn_idiom::text,
                                   m_idiom::text))
    FROM (
        SELECT net_revenue_retention(mrr_start, mrr_end) OVER w AS nrr,
               sum(mrr_end) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   / sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   AS nrr_idiom,
               gross_revenue_retention(mrr_start, mrr_end) OVER w AS grr,
               sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   / sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   AS grr_idiom,
               revenue_churn_rate(mrr_start, mrr_end) OVER w AS revenue_churn,
               1 - sum(least(mrr_start, mrr_end)) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   / sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end IS NOT NULL) OVER w
                   AS revenue_churn_idiom,
               mrr_movements(mrr_start, mrr_end) OVER w AS m,
               CASE WHEN count(mrr_start + mrr_end) OVER w > 0 THEN
               ROW(coalesce(sum(mrr_end) FILTER (WHERE mrr_start = 0 AND mrr_end > 0) OVER w, 0),
                   coalesce(sum(mrr_end - mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end > mrr_start) OVER w, 0),
                   coalesce(sum(mrr_start - mrr_end) FILTER (WHERE mrr_end > 0 AND mrr_end < mrr_start) OVER w, 0),
                   coalesce(sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end = 0) OVER w, 0),
                   sum(mrr_end - mrr_start) OVER w)::mrr_movement_totals END AS m_idiom
        FROM %s
        WINDOW w AS (%s)
    ) AS framed $q$, source, frame);
END
$$;

SELECT 'ROWS BETWEEN 20 PRECEDING AND CURRENT ROW' AS frame,
       * FROM pg_temp.compare_mrr_frames('mrr_rows',
    'ORDER BY id ROWS BETWEEN 20 PRECEDING AND CURRENT ROW');
SELECT 'ROWS 2 PRECEDING' AS frame, * FROM pg_temp.compare_mrr_frames('mrr_rows',
    'ORDER BY id ROWS 2 PRECEDING');
SELECT 'per segment, ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING' AS frame,
       * FROM pg_temp.compare_mrr_frames('mrr_rows',
    'PARTITION BY segment ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING');
SELECT 'spilled, ROWS BETWEEN 20 PRECEDING AND CURRENT ROW' AS frame,
       * FROM pg_temp.compare_mrr_frames('wide_mrr_rows',
    'ORDER BY id ROWS BETWEEN 20 PRECEDING AND CURRENT ROW');
SELECT 'hand-made wide rows, ROWS 1 PRECEDING' AS frame,
       * FROM pg_temp.compare_mrr_frames('wide_mrr', 'ORDER BY id ROWS 1 PRECEDING');

-- By hand: the row with the largest scale leaves. At id 3 the frame is ids 2 and 3:
-- 2.125 (scale 3) has left, so nrr is 9.5 / 8 at numeric_div's scale for those sums
-- (16 places), and the net change 1.5 has scale 1; at id 6 the 0.00 of id 4 has left
-- too, and the net change 7 + 0.0 has scale 1.
SELECT id, mrr_start, mrr_end, net_revenue_retention(mrr_start, mrr_end) OVER w AS nrr,
       (sum(mrr_end) FILTER (WHERE mrr_start > 0) OVER w
        / sum(mrr_start) FILTER (WHERE mrr_start > 0) OVER w)::text AS nrr_idiom,
       mrr_movements(mrr_start, mrr_end) OVER w AS m,
       sum(mrr_end - mrr_start) OVER w AS net_idiom
FROM (VALUES (1, 2.125, 1), (2, 3, 4), (3, 5, 5.5), (4, 6, 0.00), (5, 0, 7),
             (6, 1.0, 1)) AS v(id, mrr_start, mrr_end)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;

---------------------------------------------------------------------------------------
-- Direct calls of the MRR (and pre-aggregated churn) support functions: a transition
-- returns a new value and leaves its input alone.
---------------------------------------------------------------------------------------

\x on
SELECT net_revenue_retention_add(s, 10.00, 10.0) AS tie_added,
       mrr_movements_add(s, 0, 1e40) AS new_spilled
FROM (VALUES ('v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0'::mrr_summary))
     AS v(s);
-- Three customers: 8.50 -> 3 (contraction), 0 -> 2.75 (new), 6 -> 6 (unchanged, scale
-- 0). Removing the unchanged one leaves every largest scale in place; removing the new
-- one takes the only row of scale 2 out of new_mrr, so its scale is unknown: NULL.
SELECT s AS before, gross_revenue_retention_add(s, 4, 1) AS contraction_added,
       revenue_churn_rate_remove(s, 6, 6) AS unchanged_removed,
       mrr_movements_remove(s, 0, 2.75) AS largest_scale_removed, mrr_combine(s, s) AS combined,
       net_revenue_retention_final(s) AS nrr, gross_revenue_retention_final(s) AS grr,
       revenue_churn_rate_final(s) AS revenue_churn, mrr_movements_final(s) AS movements
FROM (VALUES (mrr_movements_add(mrr_movements_add(mrr_movements_add(
          'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
          8.50, 3), 0, 2.75), 6, 6))) AS v(s);
SELECT churn_rate_add(s, 10, 2) AS counts_added, churn_rate_remove(s, 3, 1) AS counts_removed,
       rate_final(s) AS churn
FROM (VALUES ('v1 hits=1 trials=4'::rate_summary)) AS v(s);
\x off

---------------------------------------------------------------------------------------
-- MRR bad input: SQLSTATE 22023.
---------------------------------------------------------------------------------------

-- Shown once in full, with detail and hint.
SELECT net_revenue_retention(s, e) FROM (VALUES (10.00, 12), (-1.50, 3)) AS v(s, e);
SELECT mrr_movements(s, e) FROM (VALUES (10.00, -0.01)) AS v(s, e);

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT net_revenue_retention(-1::numeric, 1)'),
    ('SELECT net_revenue_retention(1::numeric, -1)'),
    ('SELECT gross_revenue_retention(-0.001::numeric, 0)'),
    ('SELECT revenue_churn_rate(0::numeric, -5)'),
    ('SELECT mrr_movements(-5::numeric, 0)'),
    ('SELECT net_revenue_retention(''NaN''::numeric, 1)'),
    ('SELECT gross_revenue_retention(1::numeric, ''NaN'')'),
    ('SELECT revenue_churn_rate(''Infinity''::numeric, 1)'),
    ('SELECT mrr_movements(1::numeric, ''Infinity'')'),
    ('SELECT mrr_movements(''-Infinity''::numeric, 1)'),
    ('SELECT net_revenue_retention(1::numeric, ''-Infinity'')'),
    ('SELECT net_revenue_retention(-0.0::numeric, 0.0) IS NULL'),
    ('SELECT mrr_movements(s, e) OVER (ORDER BY s ROWS 1 PRECEDING) FROM (VALUES (1::numeric, 1::numeric), (2, -1)) v(s, e)'),
    ('SELECT mrr_combine(''v1 rows=9223372036854775807 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=1'', ''v1 rows=1 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=1'')'),
    ('SELECT mrr_movements_remove(''v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0'', 1, 1)')
) AS cases(query);

---------------------------------------------------------------------------------------
-- ltv(arpa, gross_margin, churn_rate) = arpa * gross_margin::numeric / churn_rate::numeric.
---------------------------------------------------------------------------------------

-- 100.50 * 0.8 / 0.05 = 1608; a margin of 1/3 becomes 0.333333333333333 as in a cast.
SELECT ltv(100.50, 0.8, 0.05) AS ltv, 100.50 * 0.8::float8::numeric / 0.05::float8::numeric AS idiom;
SELECT ltv(1200, 1.0 / 3, 0.02) AS ltv, 1200 * (1.0 / 3)::float8::numeric / 0.02::float8::numeric AS idiom;
SELECT ltv(0, 0.5, 0.1) AS zero_arpa, ltv(250.00, 0, 0.1) AS zero_margin,
       ltv(250.00, 0.5, 0) AS zero_churn_null, ltv(250.00, 1, 1) AS whole,
       ltv(250.00, 0.5, '-0'::float8) AS minus_zero_churn_null, ltv(NULL, 0.5, 0.1) AS strict;

-- Against the idiom on generated arguments, as text.
SELECT count(*) AS calls, count(*) FILTER (WHERE v IS NULL) AS null_results,
       count(*) FILTER (WHERE v::text IS NOT DISTINCT FROM idiom::text) AS equal_as_text
FROM (SELECT ltv(arpa, gm, cr) AS v,
             arpa * gm::numeric / nullif(cr::numeric, 0) AS idiom
      FROM (SELECT round((h % 1000000) / 100.0, (h % 5)::int) AS arpa,
                   ((h / 7) % 1001) / 1000.0::float8 AS gm,
                   CASE WHEN h % 11 = 0 THEN 1.0 / ((h / 13) % 97 + 3) ELSE ((h / 13) % 301) / 1000.0 END::float8 AS cr
            FROM generate_series(1::bigint, 3000) AS i,
            LATERAL (SELECT (i * 2654435761 + 1) % 4294967291 AS h) AS hashes) AS args) AS calls;

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT ltv(-0.01, 0.5, 0.1)'),
    ('SELECT ltv(''NaN'', 0.5, 0.1)'),
    ('SELECT ltv(''Infinity'', 0.5, 0.1)'),
    ('SELECT ltv(''-Infinity'', 0.5, 0.1)'),
    ('SELECT ltv(100, -0.1, 0.1)'),
    ('SELECT ltv(100, 1.01, 0.1)'),
    ('SELECT ltv(100, ''NaN'', 0.1)'),
    ('SELECT ltv(100, ''Infinity'', 0.1)'),
    ('SELECT ltv(100, 0.5, -0.1)'),
    ('SELECT ltv(100, 0.5, 1.5)'),
    ('SELECT ltv(100, 0.5, ''NaN'')'),
    ('SELECT ltv(100, 0.5, ''-Infinity'')'),
    ('SELECT ltv(100, 2, 0)')
) AS cases(query);

---------------------------------------------------------------------------------------
-- churn_summary: text and binary forms.
---------------------------------------------------------------------------------------

-- The text form does not depend on TimeZone or DateStyle: bounds are UTC.
SET TimeZone = 'Asia/Kathmandu';
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SELECT 'v1 customers_at_start=12 churned=3 period=[2024-01-01,2024-02-01)'::churn_summary;
SELECT 'v1 customers_at_start=0 churned=0 period=none'::churn_summary;
SELECT ' v1  customers_at_start=5	churned=5 period=[2024-01-01,infinity) '::churn_summary;
SELECT 'v1 customers_at_start=2 churned=1 period=[2024-01-01T00:00:00.000000Z,2024-02-01T00:00:00.000000Z)'::churn_summary;
SELECT 'v1 customers_at_start=2 churned=1 period=[2024-01-01T05:45:00.000001Z,2024-01-01T05:45:00.000001Z]'::churn_summary;
SELECT 'v1 customers_at_start=9223372036854775807 churned=9223372036854775807 period=[-4713-11-24,5874897-12-31)'::churn_summary;
SELECT 'v1 customers_at_start=1 churned=0 period=[0000-02-29T23:59:59.999999Z,294276-12-31T23:59:59.999999Z]'::churn_summary;
-- The state of a tstzrange period written in the session's zone, and its round trips.
SELECT churn_rate_add('v1 customers_at_start=0 churned=0 period=none'::churn_summary,
                      tstzrange('2024-01-01 00:00', '2024-02-01 00:00'),
                      tstzrange('2024-01-01 00:00', '2024-02-01 00:00')) AS kathmandu_midnight;
SELECT s::text::churn_summary::text = s::text AS text_round_trip,
       churn_summary_send(s::text::churn_summary) = churn_summary_send(s) AS send_equal
FROM (VALUES ('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary),
             ('v1 customers_at_start=0 churned=0 period=none'),
             ('v1 customers_at_start=7 churned=0 period=[2023-12-31T18:15:00.000000Z,infinity)'))
     AS v(s);
SET DateStyle = 'ISO, YMD';
RESET IntervalStyle;
SET TimeZone = 'UTC';

-- Binary form: version byte, the two counts, unit (1 days, 2 microseconds) and
-- end-inclusive bytes, then start and end as big-endian int64 from 2000-01-01.
SELECT churn_summary_send('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01)');
SELECT churn_summary_send('v1 customers_at_start=3 churned=1 period=[2000-01-01T00:00:00.000001Z,infinity)');
SELECT churn_summary_send('v1 customers_at_start=0 churned=0 period=none');

-- One error of each kind shown in full.
SELECT 'v2 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01)'::churn_summary;
SELECT 'v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-30)'::churn_summary;
SELECT 'v1 customers_at_start=3 churned=4 period=[2024-01-01,2024-02-01)'::churn_summary;

-- Every malformed (22P02), impossible (22023) and out-of-range (22003) case, with its
-- SQLSTATE (the input, repeated in the message, cut from it).
SELECT input, regexp_replace(pg_temp.error_of(format('SELECT %L::churn_summary', input)),
                             ': "[^"]*"$', '') AS result
FROM (VALUES
    (''), ('v1'), ('v1 customers_at_start=3 churned=1'),
    ('v1 churned=1 customers_at_start=3 period=[2024-01-01,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01) x'),
    ('v1 customers_at_start=-1 churned=0 period=[2024-01-01,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period='),
    ('v1 customers_at_start=3 churned=1 period=None'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01'),
    ('v1 customers_at_start=3 churned=1 period=(2024-01-01,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-1-01,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01, 2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-02-01,2024-01-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-01-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,infinity]'),
    ('v1 customers_at_start=3 churned=1 period=[-infinity,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2023-02-29,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01T00:00:00.000000Z)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01T00:00:00Z,2024-02-01T00:00:00Z)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01T24:00:00.000000Z,2024-02-01T00:00:00.000000Z)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01T00:00:00.000000+01,2024-02-01T00:00:00.000000Z)'),
    ('v1 customers_at_start=3 churned=1 period=[-4713-11-23,2024-02-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01,5874898-01-01)'),
    ('v1 customers_at_start=3 churned=1 period=[2024-01-01T00:00:00.000000Z,294277-01-01T00:00:00.000000Z)'),
    ('v1 customers_at_start=3 churned=1 period=[-0000-01-01,2024-02-01)'),
    ('v1 customers_at_start=3 churned=0 period=none'),
    ('v1 customers_at_start=3 churned=4 period=[2024-01-01,2024-02-01)'),
    ('v2 customers_at_start=3 churned=1 period=[2024-01-01,2024-02-01)'),
    ('v1 customers_at_start=9223372036854775808 churned=1 period=[2024-01-01,2024-02-01)')
) AS cases(input);

-- Binary COPY out and back in.
CREATE TABLE churn_states (id int, s churn_summary);
INSERT INTO churn_states VALUES
    (1, 'v1 customers_at_start=12 churned=3 period=[2024-01-01,2024-02-01)'),
    (2, 'v1 customers_at_start=0 churned=0 period=none'),
    (3, 'v1 customers_at_start=5 churned=5 period=[2024-01-01T05:45:00.000001Z,2024-02-01T00:00:00.000000Z]'),
    (4, 'v1 customers_at_start=9223372036854775807 churned=1 period=[-4713-11-24,infinity)');
CREATE TABLE churn_states_copy (LIKE churn_states);
COPY churn_states TO PROGRAM 'cat > b2bkpi_churn_states.copy' (FORMAT binary);
COPY churn_states_copy FROM PROGRAM 'cat b2bkpi_churn_states.copy && rm -f b2bkpi_churn_states.copy' (FORMAT binary);
SELECT * FROM churn_states_copy ORDER BY id;
SELECT count(*) AS rows_equal_as_text
FROM churn_states AS a JOIN churn_states_copy AS b USING (id) WHERE a.s::text = b.s::text;

-- Malformed binary values: raw bytes through a bytea column and binary COPY.
CREATE TABLE raw_bytes (b bytea);
CREATE TABLE churn_only (s churn_summary);
CREATE TABLE mrr_only (m mrr_summary);
CREATE FUNCTION pg_temp.binary_error_of(bytes bytea, target text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE raw_bytes;
    INSERT INTO raw_bytes VALUES (bytes);
    COPY raw_bytes TO PROGRAM 'cat > b2bkpi_retention_raw.copy' (FORMAT binary);
    RETURN pg_temp.error_of(format(
        'COPY %I FROM PROGRAM %L (FORMAT binary)', target,
        'cat b2bkpi_retention_raw.copy && rm -f b2bkpi_retention_raw.copy'));
END
$$;
SELECT label, pg_temp.binary_error_of(bytes, 'churn_only') AS result
FROM (VALUES
    ('valid', '\x01'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
              || int8send(8766) || int8send(8797)),
    ('empty', '\x'),
    ('version 2', '\x02'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
                  || int8send(8766) || int8send(8797)),
    ('cut short', '\x01'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
                  || int8send(8766)),
    ('one byte too many', '\x01'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
                          || int8send(8766) || int8send(8797) || '\x00'::bytea),
    ('churned over base', '\x01'::bytea || int8send(3) || int8send(4) || '\x0100'::bytea
                          || int8send(8766) || int8send(8797)),
    ('unit 3', '\x01'::bytea || int8send(3) || int8send(1) || '\x0300'::bytea
               || int8send(8766) || int8send(8797)),
    ('end before start', '\x01'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
                         || int8send(8797) || int8send(8766)),
    ('end inclusive byte 2', '\x01'::bytea || int8send(3) || int8send(1) || '\x0102'::bytea
                             || int8send(8766) || int8send(8797)),
    ('day before -4713-11-24', '\x01'::bytea || int8send(3) || int8send(1) || '\x0100'::bytea
                               || int8send(-2451546) || int8send(8797)),
    ('counts with no period', '\x01'::bytea || int8send(3) || int8send(1) || '\x0000'::bytea
                              || int8send(0) || int8send(0)),
    ('valid, no end', '\x01'::bytea || int8send(2) || int8send(0) || '\x0200'::bytea
                      || int8send(0) || int8send(9223372036854775807)),
    ('no end, inclusive', '\x01'::bytea || int8send(2) || int8send(0) || '\x0201'::bytea
                          || int8send(0) || int8send(9223372036854775807))
) AS cases(label, bytes);
SELECT * FROM churn_only;

---------------------------------------------------------------------------------------
-- mrr_summary: text and binary forms.
---------------------------------------------------------------------------------------

-- A state with every sum touched, from the transition function: its text form reads
-- back to the same value, and to the same results.
CREATE TEMP TABLE mrr_states AS
SELECT 1 AS id, mrr_movements_add(mrr_movements_add(mrr_movements_add(mrr_movements_add(
           mrr_movements_add('v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
           10.00, 10.0), 0, 5.5), 20, 0.000), 7, 9.25), 8.5, 3) AS m
UNION ALL
SELECT 2, mrr_movements_add(mrr_movements_add(mrr_movements_add(
           'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0',
           1e40, 0), 5.25, 1e40 + 0.001), 0, 1e40)
UNION ALL
SELECT 3, 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0'::mrr_summary;
\x on
SELECT id, m FROM mrr_states ORDER BY id;
\x off
SELECT id, m::text::mrr_summary::text = m::text AS text_round_trip,
       mrr_summary_send(m::text::mrr_summary) = mrr_summary_send(m) AS send_equal,
       mrr_movements_final(m::text::mrr_summary)::text
           IS NOT DISTINCT FROM mrr_movements_final(m)::text AS same_movements,
       net_revenue_retention_final(m::text::mrr_summary)::text
           IS NOT DISTINCT FROM net_revenue_retention_final(m)::text AS same_nrr
FROM mrr_states ORDER BY id;
-- Binary: version byte, rows and the eight scale_rows as int64, then the eight sums in
-- numeric's binary form.
SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 1;

CREATE TABLE mrr_states_copy (id int, m mrr_summary);
CREATE TABLE mrr_states_plain (id int, m mrr_summary);
INSERT INTO mrr_states_plain SELECT * FROM mrr_states;
COPY mrr_states_plain TO PROGRAM 'cat > b2bkpi_mrr_states.copy' (FORMAT binary);
COPY mrr_states_copy FROM PROGRAM 'cat b2bkpi_mrr_states.copy && rm -f b2bkpi_mrr_states.copy' (FORMAT binary);
SELECT count(*) AS rows_equal_as_text
FROM mrr_states AS a JOIN mrr_states_copy AS b USING (id) WHERE a.m::text = b.m::text;

-- One error of each kind shown in full.
SELECT 'v2 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0'::mrr_summary;
SELECT 'v1 rows=1 start_mrr=-5 start_mrr_scale_rows=1 end_mrr=0 end_mrr_scale_rows=1 retained_mrr=0 retained_mrr_scale_rows=1 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=5 net_mrr_change_scale_rows=1'::mrr_summary;

-- Every malformed (22P02), impossible (22023) and out-of-range (22003) case, each a
-- change to one valid text: a customer who churned 5.
SELECT label, regexp_replace(pg_temp.error_of(format('SELECT %L::mrr_summary',
                                                     replace(valid, old, new))),
                              ': "v[^"]*"$', '') AS result
FROM (VALUES ('v1 rows=1 start_mrr=5 start_mrr_scale_rows=1 end_mrr=0 end_mrr_scale_rows=1 retained_mrr=0 retained_mrr_scale_rows=1 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=5 churned_mrr_scale_rows=1 net_mrr_change=-5 net_mrr_change_scale_rows=1'))
     AS v(valid),
LATERAL (VALUES
    ('valid', 'rows=1', 'rows=1'),
    ('a sum of 10^40 digits', 'start_mrr=5 ', 'start_mrr=10000000000000000000000000000000000000005 '),
    ('no sums', ' start_mrr=5' || substring(valid FROM ' start_mrr_scale_rows.*$'), ''),
    ('last field missing', ' net_mrr_change_scale_rows=1', ''),
    ('fields out of order', 'start_mrr=5 start_mrr_scale_rows=1 end_mrr=0 end_mrr_scale_rows=1',
                            'end_mrr=0 end_mrr_scale_rows=1 start_mrr=5 start_mrr_scale_rows=1'),
    ('a word after the last field', 'net_mrr_change_scale_rows=1', 'net_mrr_change_scale_rows=1 x'),
    ('version 2', 'v1 ', 'v2 '),
    ('NaN sum', 'start_mrr=5', 'start_mrr=NaN'),
    ('exponent', 'start_mrr=5', 'start_mrr=5e0'),
    ('negative rows', 'rows=1', 'rows=-1'),
    ('rows past bigint', 'rows=1', 'rows=9223372036854775808'),
    ('negative start_mrr', 'start_mrr=5', 'start_mrr=-5'),
    ('negative churned_mrr', 'churned_mrr=5', 'churned_mrr=-5'),
    ('net_mrr_change may have either sign', 'net_mrr_change=-5', 'net_mrr_change=5'),
    ('scale carried by more rows than rows', 'start_mrr_scale_rows=1', 'start_mrr_scale_rows=2'),
    ('a sum no row reached is not 0', 'new_mrr=0 ', 'new_mrr=7 '),
    ('a sum no row reached has a scale', 'new_mrr=0 ', 'new_mrr=0.00 ')
) AS cases(label, old, new);

SELECT label, pg_temp.binary_error_of(bytes, 'mrr_only') AS result
FROM (VALUES
    ('valid', (SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 2)),
    ('version 2', '\x02'::bytea || substring((SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 2) FROM 2)),
    ('one byte short', substring((SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 2)
                                 FROM 1 FOR length((SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 2)) - 1)),
    ('one byte too many', (SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 2) || '\x00'::bytea),
    ('negative rows', '\x01'::bytea || int8send(-1)
                      || substring((SELECT mrr_summary_send(m) FROM mrr_states WHERE id = 3) FROM 10))
) AS cases(label, bytes);
SELECT * FROM mrr_only;

DROP VIEW churn_series, churn_idiom, mrr_kpis, mrr_idiom, wide_mrr_compare, wide_mrr_rows;
DROP TABLE churn_cases, subscriptions, churn_periods, churn_counts, small_mrr, mrr_rows, wide_mrr,
    churn_states, churn_states_copy, raw_bytes, churn_only, mrr_only, mrr_states_copy,
    mrr_states_plain;
