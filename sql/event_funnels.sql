-- Event funnels (kpi-spec section 4): window_funnel over timestamptz, timestamp and
-- bigint times, with and without modes, and retention(VARIADIC boolean[]). The
-- ClickHouse documentation's own examples, then each rule and each mode on a small
-- example worked out by hand (the same examples as docs/event-funnels.md), calendar
-- windows across month ends and a DST change, generated accounts against an
-- independent SQL formulation, row-order independence, parallel and sliding-frame
-- plans, retention against bool_or, every error, and the state types window_funnel_events
-- and retention_conditions in text and binary.

-- The catalog test installs the extension; this file also runs on its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2bkpi;
RESET client_min_messages;

-- Instants are shown and converted in UTC unless a section says otherwise.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

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
-- 1. The examples of ClickHouse's windowFunnel documentation and tests, with the
-- values ClickHouse gives.
---------------------------------------------------------------------------------------

-- (a) Nine events, one per time unit: event 1000 at 0, 1001 at 1, ..., 1008 at 8.
CREATE TABLE funnel_test (ts bigint, event int);
INSERT INTO funnel_test SELECT g, 1000 + g FROM generate_series(0, 8) AS g;

-- A wide window reaches every step present in order; 1008 (at 8) follows 1002 (at 2).
SELECT window_funnel(10000, ts, event = 1000) AS one_step_1,
       window_funnel(10000, ts, event = 1000, event = 1001) AS two_steps_2,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002) AS three_steps_3,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1008)
           AS four_steps_4
FROM funnel_test;

-- Narrow windows over 1003..1007 (at 3..7): window w reaches the steps at 3..3+w,
-- that is w + 1 of them, the bound inclusive.
SELECT window_funnel(1, ts, event = 1000) AS window_1_level_1,
       window_funnel(2, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007)
           AS window_2_level_3,
       window_funnel(3, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007)
           AS window_3_level_4,
       window_funnel(4, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007)
           AS window_4_level_5
FROM funnel_test;

-- (b) The documentation's "trend" table: user 1's four events, inserted out of time
-- order. In time order they are 1003, 1009, 1007, 1010: the steps in that order, all
-- four. ClickHouse's window of 6048000000000000 seconds is given as bigint seconds;
-- timestamp and timestamptz take it as an interval (1000 years is just as wide here).
CREATE TABLE trend (event_date date, user_id int, "timestamp" timestamp, event_id int);
INSERT INTO trend VALUES
    ('2019-01-28', 1, '2019-01-29 10:00:00', 1003),
    ('2019-01-31', 1, '2019-01-31 09:00:00', 1007),
    ('2019-01-30', 1, '2019-01-30 08:00:00', 1009),
    ('2019-02-01', 1, '2019-02-01 08:00:00', 1010);
SELECT level, count(*) AS c
FROM (SELECT user_id,
             window_funnel(6048000000000000, extract(epoch FROM "timestamp")::bigint,
                           event_id = 1003, event_id = 1009, event_id = 1007, event_id = 1010)
                 AS level
      FROM trend
      WHERE event_date >= '2019-01-01' AND event_date <= '2019-02-02'
      GROUP BY user_id) AS levels
GROUP BY level ORDER BY level;
SELECT user_id,
       window_funnel('1000 years', "timestamp",
                     event_id = 1003, event_id = 1009, event_id = 1007, event_id = 1010)
           AS timestamp_level_4,
       window_funnel('1000 years', "timestamp" AT TIME ZONE 'UTC',
                     event_id = 1003, event_id = 1009, event_id = 1007, event_id = 1010)
           AS timestamptz_level_4,
       -- The window from 1003 (01-29 10:00) to 1010 (02-01 08:00) is 2 days 22 hours.
       window_funnel('2 days 22 hours', "timestamp",
                     event_id = 1003, event_id = 1009, event_id = 1007, event_id = 1010)
           AS exact_window_4,
       window_funnel('2 days 21:59:59.999999', "timestamp",
                     event_id = 1003, event_id = 1009, event_id = 1007, event_id = 1010)
           AS one_microsecond_less_3
FROM trend GROUP BY user_id;

-- (c) strict_order: "in the case of A->B->D->C, it stops finding A->B->C at the D and
-- the max event level is 2"; without strict_order the chain A, B, C is there: 3.
SELECT window_funnel(10, 'strict_order', ts, ev = 'A', ev = 'B', ev = 'C') AS strict_order_2,
       window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C') AS default_3
FROM (VALUES (1, 'A'), (2, 'B'), (3, 'D'), (4, 'C')) AS e(ts, ev);

---------------------------------------------------------------------------------------
-- 2. The rules one small example at a time, each value worked out by hand from the
-- chain definition (src/core/funnel.h) and shown in docs/event-funnels.md. Times are
-- bigint minutes; steps A, B, C are ev = 'A', ev = 'B', ev = 'C'; X matches no step.
---------------------------------------------------------------------------------------

-- The opening example of the docs: three accounts and a 30-day window.
--   acme: visit, mql, sql, then the opp on 02-10, past 01-02 09:00 + 30 days: 3.
--   globex: nothing follows the 01-03 visit within 30 days; the 02-01 visit starts a
--     chain that reaches the opp on 02-28: 4.
--   initech: its mql came before its visit: 1.  umbrella: no visit: 0.
CREATE TABLE touches (account text, ts timestamptz, ev text);
INSERT INTO touches VALUES
    ('acme',     '2024-01-02 09:00', 'visit'), ('acme',     '2024-01-05 14:00', 'mql'),
    ('acme',     '2024-01-20 10:00', 'sql'),   ('acme',     '2024-02-10 16:00', 'opp'),
    ('globex',   '2024-01-03 08:00', 'visit'), ('globex',   '2024-02-01 11:00', 'visit'),
    ('globex',   '2024-02-02 09:30', 'mql'),   ('globex',   '2024-02-15 15:00', 'sql'),
    ('globex',   '2024-02-28 10:00', 'opp'),
    ('initech',  '2024-01-04 12:00', 'mql'),   ('initech',  '2024-01-10 12:00', 'visit'),
    ('umbrella', '2024-01-08 17:00', 'sql');
SELECT account,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS level
FROM touches GROUP BY account ORDER BY account;
SELECT level, count(*) AS accounts,
       sum(count(*)) OVER (ORDER BY level DESC) AS reached_at_least
FROM (SELECT account,
             window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
                 AS level
      FROM touches GROUP BY account) AS per_account
GROUP BY level ORDER BY level;
-- A sliding frame of 3 events: acme's opp row sees mql, sql, opp (no visit): 0; the
-- running level stays 3.
SELECT account, ts, ev,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
           OVER (PARTITION BY account ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
           AS last_3_events,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
           OVER (PARTITION BY account ORDER BY ts) AS so_far
FROM touches WHERE account IN ('acme', 'globex') ORDER BY account, ts;

-- A new step-1 event starts a new chain. Window 10: from A at 0 the chain reaches B at
-- 4, but C at 20 is past 0 + 10; from A at 12 it reaches B at 15 and C at 20 <= 22: 3.
-- Without the second A (FILTER) only the first chain exists: 2.
SELECT window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C') AS restarted_3,
       window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C') FILTER (WHERE ts <> 12)
           AS without_second_a_2
FROM (VALUES (0, 'A'), (4, 'B'), (12, 'A'), (15, 'B'), (20, 'C')) AS e(ts, ev);

-- The bound is inclusive: B exactly at first + window counts, one unit later not.
SELECT window_funnel(10, ts, ev = 'A', ev = 'B') FILTER (WHERE ts <> 11) AS b_at_10_level_2,
       window_funnel(10, ts, ev = 'A', ev = 'B') FILTER (WHERE ts <> 10) AS b_at_11_level_1
FROM (VALUES (0, 'A'), (10, 'B'), (11, 'B')) AS e(ts, ev);

-- Ties on ts are ordered by step number, whatever the order of the rows: C, B, A at
-- the same minute make the chain A, B, C. strict_increase needs strictly later times
-- (1); strict_once needs different rows, which these are (3).
SELECT window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C') AS default_3,
       window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C' ORDER BY ev DESC) AS rows_c_b_a_3,
       window_funnel(10, 'strict_increase', ts, ev = 'A', ev = 'B', ev = 'C') AS strict_increase_1,
       window_funnel(10, 'strict_once', ts, ev = 'A', ev = 'B', ev = 'C') AS strict_once_3
FROM (VALUES (5, 'C'), (5, 'B'), (5, 'A')) AS e(ts, ev);

-- One row may satisfy several steps. Steps: any page (1), the pricing page (2), the
-- demo page (3); window 60.
--   visitor 1: /pricing at 0 alone serves steps 1 and 2: 2; strict_once needs another
--     row for step 2 (1); strict_increase a later time (1).
--   visitor 2: /home and /pricing in the same minute: two rows, strict_once 2; the
--     same time, strict_increase 1.
--   visitor 3: /pricing at 0 and again at 1: every mode 2.
--   visitor 4: /pricing at 0 (steps 1, 2), /demo at 1 (steps 1, 3): 3 by default;
--     strict_once has no second row for step 2 before /demo, and strict_increase no
--     step 2 after minute 0: 1.
--   visitor 5: /home, /pricing, /demo in the same minute: three rows, strict_once 3;
--     strict_increase 1.
--   visitor 6: /pricing twice at 0, /demo at 1: strict_once 3 (two pricing rows);
--     strict_deduplication stops at the second pricing row's step 2, level 2 being
--     reached already: 2.
SELECT visitor,
       window_funnel(60, ts, page IS NOT NULL, page = '/pricing', page = '/demo') AS "default",
       window_funnel(60, 'strict_once', ts, page IS NOT NULL, page = '/pricing', page = '/demo')
           AS strict_once,
       window_funnel(60, 'strict_increase', ts, page IS NOT NULL, page = '/pricing', page = '/demo')
           AS strict_increase,
       window_funnel(60, 'strict_deduplication', ts, page IS NOT NULL, page = '/pricing',
                     page = '/demo') AS strict_deduplication,
       window_funnel(60, 'strict_increase,strict_once', ts, page IS NOT NULL, page = '/pricing',
                     page = '/demo') AS increase_and_once
FROM (VALUES (1, 0, '/pricing'),
             (2, 0, '/home'), (2, 0, '/pricing'),
             (3, 0, '/pricing'), (3, 1, '/pricing'),
             (4, 0, '/pricing'), (4, 1, '/demo'),
             (5, 0, '/home'), (5, 0, '/pricing'), (5, 0, '/demo'),
             (6, 0, '/pricing'), (6, 0, '/pricing'), (6, 1, '/demo')) AS e(visitor, ts, page)
GROUP BY visitor ORDER BY visitor;

-- Every mode on eight event sequences (window 10, steps A, B, C). Expected, by hand:
--   A0 B4 A12 B15 C20: 3 everywhere but strict_deduplication, which stops at B15
--     (level 2 was reached at B4): 2.
--   A0 B1 B2 C3: strict_deduplication stops at B2: 2; every other mode 3.
--   A0 A1 B2 C3: a repeated step 1 is a new start, not a duplicate: 3 everywhere.
--   A0 B1 X2 C3: strict_order stops at X: 2; the other modes ignore X: 3.
--   A0 C1 B2 C3: strict_order stops at C1 (level 2 not reached yet): 1; others 3.
--   X0 A1 B2 C3: X before any A does not stop strict_order: 3 everywhere.
--   A0 B0 B1 C1: strict_increase: A0, B1, then no C after 1: 2; strict_deduplication
--     stops at B1: 2; the rest 3 (A0, B0, C1 are three rows at non-decreasing times).
--   A0 B5 B7 C7 (window 100): strict_increase 3 (A0, B5, C7; ClickHouse says 2, see the
--     docs); strict_deduplication stops at B7: 2; the rest 3.
CREATE TABLE mode_cases (seq int, sequence text, w int, ts int, ev text);
INSERT INTO mode_cases
SELECT seq, s, w, split_part(x, '@', 2)::int, split_part(x, '@', 1)
FROM (VALUES (1, 'A@0 B@4 A@12 B@15 C@20', 10), (2, 'A@0 B@1 B@2 C@3', 10),
             (3, 'A@0 A@1 B@2 C@3', 10), (4, 'A@0 B@1 X@2 C@3', 10),
             (5, 'A@0 C@1 B@2 C@3', 10), (6, 'X@0 A@1 B@2 C@3', 10),
             (7, 'A@0 B@0 B@1 C@1', 10), (8, 'A@0 B@5 B@7 C@7', 100)) AS v(seq, s, w),
     unnest(string_to_array(s, ' ')) AS x;
SELECT sequence, w AS "window",
       window_funnel(w, ts, ev = 'A', ev = 'B', ev = 'C') AS "default",
       window_funnel(w, 'strict_order', ts, ev = 'A', ev = 'B', ev = 'C') AS "order",
       window_funnel(w, 'strict_deduplication', ts, ev = 'A', ev = 'B', ev = 'C') AS dedup,
       window_funnel(w, 'strict_increase', ts, ev = 'A', ev = 'B', ev = 'C') AS increase,
       window_funnel(w, 'strict_once', ts, ev = 'A', ev = 'B', ev = 'C') AS once,
       window_funnel(w, 'strict_order, strict_deduplication', ts, ev = 'A', ev = 'B', ev = 'C')
           AS order_dedup,
       window_funnel(w, 'strict_increase,strict_once', ts, ev = 'A', ev = 'B', ev = 'C')
           AS increase_once
FROM mode_cases GROUP BY seq, sequence, w ORDER BY seq;

-- strict_order: a row that matches no step stops the scan even at the same time as
-- the next step (A0, X1 and B1: 1), but not before the first step-1 event.
SELECT window_funnel(10, 'strict_order', ts, ev = 'A', ev = 'B') AS x_with_b_1
FROM (VALUES (0, 'A'), (1, 'X'), (1, 'B')) AS e(ts, ev);

-- NULL steps count as false. A row whose steps are all NULL matches none, which
-- strict_order treats as an interruption: A0, (NULL)1, B2 gives 2, strict_order 1.
-- A row with a NULL ts is skipped (B here: 1), also by strict_order (X: 2).
SELECT window_funnel(10, ts, ev = 'A', ev = 'B') AS null_steps_2,
       window_funnel(10, 'strict_order', ts, ev = 'A', ev = 'B') AS null_steps_strict_order_1
FROM (VALUES (0, 'A'), (1, NULL), (2, 'B')) AS e(ts, ev);
SELECT window_funnel(10, ts, ev = 'A', ev = 'B', ev = 'C') AS null_ts_b_skipped_1
FROM (VALUES (0, 'A'), (NULL, 'B'), (2, 'C')) AS e(ts, ev);
SELECT window_funnel(10, 'strict_order', ts, ev = 'A', ev = 'B') AS null_ts_x_skipped_2
FROM (VALUES (0, 'A'), (NULL, 'X'), (1, 'B')) AS e(ts, ev);
-- One NULL step among true ones: the row still counts for its other steps (it is not
-- skipped): A with a NULL amount is step 1 (1), and B with amount 500 follows it (2).
SELECT window_funnel(10, ts, ev = 'A', amount > 100) FILTER (WHERE ts = 0) AS null_amount_1,
       window_funnel(10, ts, ev = 'A', amount > 100) AS with_b_2
FROM (VALUES (0, 'A', NULL), (1, 'B', 500)) AS e(ts, ev, amount);
-- A NULL window or mode skips the row too.
SELECT window_funnel(w, ts, ev = 'A', ev = 'B') AS null_window_row_skipped_1,
       window_funnel(10, m, ts, ev = 'A', ev = 'B') AS null_mode_row_skipped_1
FROM (VALUES (10, '', 0, 'A'), (NULL, NULL, 1, 'B')) AS e(w, m, ts, ev);

-- Empty groups are 0: no rows, no row matching a step, only NULL times.
SELECT window_funnel(10, ts, ev = 'A') AS no_rows_0
FROM (VALUES (0, 'A')) AS e(ts, ev) WHERE false;
SELECT window_funnel(10, ts, ev = 'A') AS no_match_0,
       window_funnel(10, 'strict_order', ts, ev = 'A') AS no_match_strict_order_0
FROM (VALUES (0, 'X'), (1, 'Y')) AS e(ts, ev);
SELECT window_funnel(10, ts, ev = 'A') AS only_null_ts_0
FROM (VALUES (NULL::bigint, 'A')) AS e(ts, ev);
SELECT g, window_funnel(10, ts, ev = 'A', ev = 'B') AS level
FROM (VALUES (1, 0, 'A'), (1, 3, 'B'), (2, 0, 'X'), (3, NULL, 'A')) AS e(g, ts, ev)
GROUP BY g ORDER BY g;

-- 32 steps, the most: 32 rows at times 0..31, row k matching step k + 1.
SELECT window_funnel(31, ts, VARIADIC steps) AS level_32,
       window_funnel(30, ts, VARIADIC steps) AS window_30_level_31
FROM generate_series(0::bigint, 31) AS ts,
     LATERAL (SELECT array_agg(ts = k ORDER BY k) AS steps FROM generate_series(0, 31) AS k) AS s;

-- bigint deadlines saturate instead of overflowing: A at 2^63 - 8 with window 100 has
-- the deadline 2^63 - 1 (2). From the smallest bigint, the largest window reaches -1
-- only (1). -infinity and infinity are times: -infinity + window is -infinity,
-- infinity + window is infinity, as in SQL.
SELECT window_funnel(100, ts, ev = 'A', ev = 'B') AS saturated_2
FROM (VALUES (9223372036854775800, 'A'), (9223372036854775807, 'B')) AS e(ts, ev);
SELECT window_funnel(9223372036854775807, ts, ev = 'A', ev = 'B') AS reaches_minus_1_2,
       window_funnel(9223372036854775807, ts, ev = 'A', ev = 'B') FILTER (WHERE ts <> -1)
           AS not_max_1
FROM (VALUES (-9223372036854775808, 'A'), (-1, 'B'), (9223372036854775807, 'B')) AS e(ts, ev);
SELECT a, b, window_funnel('1 day', ts, ev = 'A', ev = 'B') AS level,
       b <= a + interval '1 day' AS sql_within
FROM (VALUES (1, timestamptz '-infinity', timestamptz '-infinity'),
             (2, '-infinity', '2024-01-01'),
             (3, '2024-01-01', 'infinity'),
             (4, 'infinity', 'infinity')) AS v(id, a, b),
     LATERAL (VALUES (a, 'A'), (b, 'B')) AS e(ts, ev)
GROUP BY id, a, b ORDER BY id;

---------------------------------------------------------------------------------------
-- 3. Calendar windows: the deadline is first + window in PostgreSQL's arithmetic, so a
-- step is within the window exactly when "ts <= first + window" is true in SQL.
---------------------------------------------------------------------------------------

-- '1 month' is a calendar month (January 31 + 1 month = February 29 in 2024); '30 days'
-- and '720 hours' are the same for timestamp (no time zone, no DST).
SELECT first, next,
       window_funnel('1 month', ts, step = 1, step = 2) AS one_month,
       window_funnel('30 days', ts, step = 1, step = 2) AS thirty_days,
       window_funnel('720 hours', ts, step = 1, step = 2) AS hours_720
FROM (VALUES (1, timestamp '2024-01-31 10:00', timestamp '2024-02-29 10:00'),
             (2, '2024-01-31 10:00', '2024-02-29 10:00:00.000001'),
             (3, '2024-01-31 10:00', '2024-03-01 10:00'),
             (4, '2024-02-29 10:00', '2024-03-29 10:00'),
             (5, '2024-02-29 10:00', '2024-03-30 10:00'),
             (6, '2024-01-15 10:00', '2024-02-15 10:00')) AS v(id, first, next),
     LATERAL (VALUES (first, 1), (next, 2)) AS e(ts, step)
GROUP BY id, first, next ORDER BY id;

-- Every start from 2023-12-25 to 2024-03-05, five windows, the next step one
-- microsecond before, at and one microsecond after first + window, and at +29, +30
-- and +31 days: the level is 2 exactly when next <= first + window.
SELECT count(*) AS pairs, count(*) FILTER (WHERE level = 2) AS within,
       count(*) FILTER (WHERE level IS DISTINCT FROM CASE WHEN next <= first + w THEN 2 ELSE 1 END)
           AS mismatches
FROM generate_series(timestamp '2023-12-25 10:00', '2024-03-05 10:00', '1 day') AS first,
     (VALUES (interval '1 month'), ('30 days'), ('720 hours'), ('1 month 1 day'),
             ('2 months')) AS ws(w),
     LATERAL (VALUES (first + w - interval '1 microsecond'), (first + w),
                     (first + w + interval '1 microsecond'), (first + interval '29 days'),
                     (first + interval '30 days'), (first + interval '31 days')) AS nexts(next),
     LATERAL (SELECT window_funnel(w, ts, step = 1, step = 2) AS level
              FROM (VALUES (first, 1), (next, 2)) AS e(ts, step)) AS f;

-- timestamptz follows the session's TimeZone. In New York, 2024-03-10 has 23 hours
-- and 2024-11-03 has 25: '1 day' is 23 or 25 hours there, '24 hours' always 24.
SET TimeZone = 'America/New_York';
SELECT id, first, next, next - first AS elapsed,
       window_funnel('1 day', ts, step = 1, step = 2) AS one_day,
       window_funnel('24 hours', ts, step = 1, step = 2) AS hours_24
FROM (VALUES (1, timestamptz '2024-03-09 12:00', timestamptz '2024-03-10 12:00'),
             (2, '2024-03-09 12:00', '2024-03-10 12:00:00.000001'),
             (3, '2024-03-09 12:00', '2024-03-10 12:30'),
             (4, '2024-11-02 12:00', '2024-11-03 12:00'),
             (5, '2024-11-02 12:00', '2024-11-03 11:30')) AS v(id, first, next),
     LATERAL (VALUES (first, 1), (next, 2)) AS e(ts, step)
GROUP BY id, first, next ORDER BY id;

-- The same rows in UTC, where '1 day' is 24 hours: rows 3 and 4 change.
SET TimeZone = 'UTC';
SELECT id, window_funnel('1 day', ts, step = 1, step = 2) AS one_day_utc
FROM (VALUES (3, timestamptz '2024-03-09 12:00-05', timestamptz '2024-03-10 12:30-04'),
             (4, '2024-11-02 12:00-04', '2024-11-03 12:00-05')) AS v(id, first, next),
     LATERAL (VALUES (first, 1), (next, 2)) AS e(ts, step)
GROUP BY id ORDER BY id;
SET TimeZone = 'America/New_York';

-- Starts every 30 minutes around both changes, four windows, the next step around
-- first + window and at +23, +24, +25 hours: level 2 exactly when next <= first + window.
SELECT count(*) AS pairs, count(*) FILTER (WHERE level = 2) AS within,
       count(*) FILTER (WHERE level IS DISTINCT FROM CASE WHEN next <= first + w THEN 2 ELSE 1 END)
           AS mismatches
FROM (SELECT generate_series(timestamptz '2024-03-08 00:00', '2024-03-11 00:00', '30 minutes')
      UNION ALL
      SELECT generate_series(timestamptz '2024-11-01 00:00', '2024-11-04 00:00', '30 minutes'))
         AS firsts(first),
     (VALUES (interval '1 day'), ('24 hours'), ('1 day 30 minutes'), ('1 month')) AS ws(w),
     LATERAL (VALUES (first + w - interval '1 microsecond'), (first + w),
                     (first + w + interval '1 microsecond'), (first + interval '23 hours'),
                     (first + interval '24 hours'), (first + interval '25 hours')) AS nexts(next),
     LATERAL (SELECT window_funnel(w, ts, step = 1, step = 2) AS level
              FROM (VALUES (first, 1), (next, 2)) AS e(ts, step)) AS f;

-- A later start can have an earlier deadline: 02:30 on March 9 + 1 day is 02:30 on
-- March 10, which does not exist and is read as 03:30 EDT, while 03:00 + 1 day is
-- 03:00 EDT. B at 03:15 EDT is within the first chain's window only, and every chain
-- counts: 2 (a scan that kept only the latest start would say 1).
SELECT timestamptz '2024-03-09 02:30' + interval '1 day' AS deadline_of_0230,
       timestamptz '2024-03-09 03:00' + interval '1 day' AS deadline_of_0300;
SELECT window_funnel('1 day', ts, ev = 'A', ev = 'B') AS earlier_start_counts_2,
       window_funnel('1 day', ts, ev = 'A', ev = 'B') FILTER (WHERE ts <> '2024-03-09 02:30')
           AS later_start_alone_1
FROM (VALUES (timestamptz '2024-03-09 02:30', 'A'), ('2024-03-09 03:00', 'A'),
             ('2024-03-10 03:15', 'B')) AS e(ts, ev);
SET TimeZone = 'UTC';

---------------------------------------------------------------------------------------
-- 4. Generated accounts against an independent SQL formulation.
---------------------------------------------------------------------------------------

-- 2,000 accounts with 1 to 20 touches each over 90 days from 2024-02-01 (across the
-- DST change of March 10), from hashes of the row number: every third account only at
-- midnights (many ties), the rest at 00, 06, 12 or 18 h plus 0 to 2 minutes; event
-- types visit, mql, sql, opp, won, two noise types and NULL; about 1 % NULL times;
-- a score, NULL for about 9 %. Inserted in hash order, so that an account's rows are
-- spread over the table (and over parallel workers).
CREATE TABLE account_touches (id bigint, account int, ts timestamptz, ev text, score int);
INSERT INTO account_touches
SELECT a * 100 + s, a,
       CASE WHEN h2 % 97 = 0 THEN NULL ELSE timestamptz '2024-02-01 00:00Z' END
         + (h1 % 90) * interval '1 day'
         + CASE WHEN a % 3 = 0 THEN interval '0'
                ELSE (h2 % 4) * interval '6 hours' + (h2 / 4 % 3) * interval '1 minute' END,
       CASE WHEN h3 % 23 < 7 THEN 'visit' WHEN h3 % 23 < 11 THEN 'mql'
            WHEN h3 % 23 < 14 THEN 'sql' WHEN h3 % 23 < 17 THEN 'opp'
            WHEN h3 % 23 < 18 THEN 'won' WHEN h3 % 23 < 21 THEN 'page_view'
            WHEN h3 % 23 < 22 THEN 'email_open' END,
       CASE WHEN h2 % 11 = 0 THEN NULL ELSE (h1 / 90 % 100)::int END
FROM generate_series(1::bigint, 2000) AS a,
LATERAL generate_series(1::bigint, 1 + (a * 7 + a / 13) % 20) AS s,
LATERAL (SELECT hashint8extended(a * 100 + s, 1) & 4294967295 AS h1,
                hashint8extended(a * 100 + s, 2) & 4294967295 AS h2,
                hashint8extended(a * 100 + s, 3) & 4294967295 AS h3) AS hashes
ORDER BY hashint8extended(a * 100 + s, 4);
CREATE INDEX ON account_touches (account, ts);
ANALYZE account_touches;

SELECT count(*) AS rows, count(DISTINCT account) AS accounts,
       count(*) - count(ts) AS null_ts, count(*) - count(ev) AS null_ev,
       (SELECT count(*) FROM (SELECT FROM account_touches WHERE ts IS NOT NULL
                              GROUP BY account, ts HAVING count(*) > 1) AS t) AS tied_times
FROM account_touches;

-- The formulation, for four steps s1..s4 and a window w. A chain is events e1..e4,
-- e_i matching step i, in (ts, step) order: since the steps increase along a chain,
-- that is ts1 <= ts2 <= ts3 <= ts4 (ts strictly increasing for strict_increase), and
-- it counts up to step k when ts_k <= ts1 + w. For a fixed first event the best
-- continuation takes, step after step, the earliest matching event at or after the
-- previous one: an earlier choice leaves every later choice open and the deadline
-- depends only on ts1. So level = the most, over all step-1 events, of
-- 1 + #{k >= 2 : t_k <= ts1 + w} with t_k those earliest times (t_k is non-decreasing,
-- so the count is a prefix), and 0 for an account without a step-1 event. The same
-- row may serve consecutive steps (it can match both), as the default mode allows.
-- Returns the accounts, the mismatches and the distribution of levels.
CREATE FUNCTION pg_temp.funnel_check(w interval, mode text, s1 text, s2 text, s3 text,
                                     s4 text, strict boolean)
RETURNS TABLE (accounts bigint, mismatches bigint, levels text)
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH f AS (
        SELECT account, window_funnel(%1$L::interval, %2$L, ts, %3$s, %4$s, %5$s, %6$s) AS level
        FROM account_touches GROUP BY account),
    starts AS (SELECT account, ts AS t1 FROM account_touches WHERE ts IS NOT NULL AND (%3$s)),
    chains AS (
        SELECT s.account, s.t1, x2.t2, x3.t3, x4.t4
        FROM starts AS s,
        LATERAL (SELECT min(ts) AS t2 FROM account_touches AS e WHERE e.account = s.account
                 AND (%4$s) AND (e.ts > s.t1 OR (NOT %7$L AND e.ts = s.t1))) AS x2,
        LATERAL (SELECT min(ts) AS t3 FROM account_touches AS e WHERE e.account = s.account
                 AND (%5$s) AND (e.ts > x2.t2 OR (NOT %7$L AND e.ts = x2.t2))) AS x3,
        LATERAL (SELECT min(ts) AS t4 FROM account_touches AS e WHERE e.account = s.account
                 AND (%6$s) AND (e.ts > x3.t3 OR (NOT %7$L AND e.ts = x3.t3))) AS x4),
    idiom AS (
        SELECT a.account,
               coalesce(max(CASE WHEN c.t1 IS NOT NULL THEN
                            1 + coalesce(c.t2 <= c.t1 + %1$L::interval, false)::int
                              + coalesce(c.t3 <= c.t1 + %1$L::interval, false)::int
                              + coalesce(c.t4 <= c.t1 + %1$L::interval, false)::int END), 0)
                   AS level
        FROM (SELECT DISTINCT account FROM account_touches) AS a LEFT JOIN chains AS c USING (account)
        GROUP BY a.account)
    SELECT count(*),
           count(*) FILTER (WHERE f.level IS DISTINCT FROM idiom.level),
           (SELECT string_agg(level || ':' || n, ' ' ORDER BY level)
            FROM (SELECT level, count(*) AS n FROM f GROUP BY level) AS d)
    FROM f FULL JOIN idiom USING (account)
    $q$, w, mode, s1, s2, s3, s4, strict);
END
$f$;

-- The default mode, 30 days, visit -> mql -> sql -> opp; the levels are "level:accounts".
SELECT * FROM pg_temp.funnel_check('30 days', '', $$ev = 'visit'$$, $$ev = 'mql'$$,
                                   $$ev = 'sql'$$, $$ev = 'opp'$$, false);
-- Ties matter in this data: the strictly increasing formulation gives other levels to
-- some accounts, and equals strict_increase.
SELECT mismatches AS default_vs_strict_formulation
FROM pg_temp.funnel_check('30 days', '', $$ev = 'visit'$$, $$ev = 'mql'$$,
                          $$ev = 'sql'$$, $$ev = 'opp'$$, true);
SELECT * FROM pg_temp.funnel_check('30 days', 'strict_increase', $$ev = 'visit'$$, $$ev = 'mql'$$,
                                   $$ev = 'sql'$$, $$ev = 'opp'$$, true);
-- Each row matches one step here, so strict_once changes nothing.
SELECT * FROM pg_temp.funnel_check('30 days', 'strict_once', $$ev = 'visit'$$, $$ev = 'mql'$$,
                                   $$ev = 'sql'$$, $$ev = 'opp'$$, false);
-- Overlapping steps, so that one row can serve two consecutive steps; 7 days.
SELECT * FROM pg_temp.funnel_check('7 days', '', $$ev IN ('visit', 'page_view')$$,
                                   $$ev IN ('page_view', 'mql')$$, $$ev IN ('mql', 'sql')$$,
                                   $$ev IN ('sql', 'opp')$$, false);
SELECT * FROM pg_temp.funnel_check('7 days', 'strict_increase', $$ev IN ('visit', 'page_view')$$,
                                   $$ev IN ('page_view', 'mql')$$, $$ev IN ('mql', 'sql')$$,
                                   $$ev IN ('sql', 'opp')$$, true);
-- strict_once, with the same overlapping steps: the chains themselves, enumerated by a
-- recursive query over the entries (one per row and step it matches), each chain
-- extended by an entry of the next step at the same or a later time, within the
-- window of its first entry, from a row the chain has not used yet.
CREATE FUNCTION pg_temp.chain_check(w interval, mode text)
RETURNS TABLE (accounts bigint, mismatches bigint, levels text)
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH RECURSIVE
    entries AS (
        SELECT account, id, ts, k
        FROM account_touches,
             LATERAL unnest(ARRAY[ev IN ('visit', 'page_view'), ev IN ('page_view', 'mql'),
                                  ev IN ('mql', 'sql'), ev IN ('sql', 'opp')])
                 WITH ORDINALITY AS m(hit, k)
        WHERE hit AND ts IS NOT NULL),
    chains (account, k, t1, tk, ids) AS (
        SELECT account, 1::bigint, ts, ts, ARRAY[id] FROM entries WHERE k = 1
        UNION
        SELECT c.account, c.k + 1, c.t1, e.ts,
               (SELECT array_agg(x ORDER BY x) FROM unnest(c.ids || e.id) AS x)
        FROM chains AS c JOIN entries AS e
          ON e.account = c.account AND e.k = c.k + 1 AND e.ts >= c.tk
         AND e.ts <= c.t1 + %1$L::interval AND e.id <> ALL (c.ids)),
    f AS (
        SELECT account, window_funnel(%1$L::interval, %2$L, ts, ev IN ('visit', 'page_view'),
                                      ev IN ('page_view', 'mql'), ev IN ('mql', 'sql'),
                                      ev IN ('sql', 'opp')) AS level
        FROM account_touches GROUP BY account),
    idiom AS (SELECT account, max(k) AS level FROM chains GROUP BY account)
    SELECT count(*), count(*) FILTER (WHERE f.level IS DISTINCT FROM coalesce(idiom.level, 0)),
           (SELECT string_agg(level || ':' || n, ' ' ORDER BY level)
            FROM (SELECT level, count(*) AS n FROM f GROUP BY level) AS d)
    FROM f LEFT JOIN idiom USING (account)
    $q$, w, mode);
END
$f$;
SELECT * FROM pg_temp.chain_check('7 days', 'strict_once');
SELECT * FROM pg_temp.chain_check('30 days', 'strict_once');

-- Calendar windows in New York, across the DST change.
SET TimeZone = 'America/New_York';
SELECT * FROM pg_temp.funnel_check('1 month', '', $$ev = 'visit'$$, $$ev = 'mql'$$,
                                   $$ev = 'sql'$$, $$ev = 'opp'$$, false);
SELECT * FROM pg_temp.funnel_check('1 day', '', $$ev = 'visit'$$, $$ev = 'mql'$$,
                                   $$ev = 'sql'$$, $$ev = 'opp'$$, false);
SET TimeZone = 'UTC';

-- The timestamp and bigint overloads give the same levels on the same instants (UTC,
-- where 30 days is 2,592,000 seconds).
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE tz IS DISTINCT FROM ts_level) AS timestamp_mismatches,
       count(*) FILTER (WHERE tz IS DISTINCT FROM epoch_level) AS bigint_mismatches
FROM (SELECT account,
             window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS tz,
             window_funnel('30 days', ts AT TIME ZONE 'UTC', ev = 'visit', ev = 'mql',
                           ev = 'sql', ev = 'opp') AS ts_level,
             window_funnel(2592000, extract(epoch FROM ts)::bigint, ev = 'visit', ev = 'mql',
                           ev = 'sql', ev = 'opp') AS epoch_level
      FROM account_touches GROUP BY account) AS l;

---------------------------------------------------------------------------------------
-- 5. Row order never matters: equal (ts, step) entries are ordered by the row's set of
-- steps. Each mode, with overlapping steps (rows matching two steps) and the ties of
-- the generated data, fed in id order, in reverse, and as stored.
---------------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.order_check(mode text)
RETURNS TABLE (accounts bigint, order_dependent bigint, levels text)
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH f AS (
        SELECT account,
               window_funnel('7 days', %1$L, ts, ev IN ('visit', 'page_view'),
                             ev IN ('page_view', 'mql'), ev IN ('mql', 'sql'),
                             ev IN ('sql', 'opp') ORDER BY id) AS up,
               window_funnel('7 days', %1$L, ts, ev IN ('visit', 'page_view'),
                             ev IN ('page_view', 'mql'), ev IN ('mql', 'sql'),
                             ev IN ('sql', 'opp') ORDER BY id DESC) AS down,
               window_funnel('7 days', %1$L, ts, ev IN ('visit', 'page_view'),
                             ev IN ('page_view', 'mql'), ev IN ('mql', 'sql'),
                             ev IN ('sql', 'opp')) AS stored
        FROM account_touches GROUP BY account)
    SELECT count(*), count(*) FILTER (WHERE up <> down OR up <> stored),
           (SELECT string_agg(up || ':' || n, ' ' ORDER BY up)
            FROM (SELECT up, count(*) AS n FROM f GROUP BY up) AS d)
    FROM f
    $q$, mode);
END
$f$;
SELECT mode, c.*
FROM (VALUES ('none'), ('strict_order'), ('strict_deduplication'), ('strict_increase'),
             ('strict_once'), ('strict_order,strict_once'),
             ('strict_deduplication,strict_increase,strict_once')) AS m(mode),
     LATERAL pg_temp.order_check(CASE mode WHEN 'none' THEN '' ELSE mode END) AS c;

---------------------------------------------------------------------------------------
-- 6. Parallel plans: partial states in the workers, combined in the leader, the same
-- levels as a serial plan.
---------------------------------------------------------------------------------------

SET max_parallel_workers_per_gather = 0;
CREATE TABLE funnel_serial AS
SELECT account,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS level,
       window_funnel('30 days', 'strict_order, strict_deduplication', ts, ev = 'visit',
                     ev = 'mql', ev = 'sql', ev = 'opp') AS level_modes,
       retention(ev = 'visit', ev = 'mql', score > 50) AS r
FROM account_touches GROUP BY account;
CREATE TABLE segment_serial AS
SELECT account % 8 AS segment,
       window_funnel('12 hours', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS level,
       window_funnel('30 days', 'strict_order, strict_deduplication', ts, ev = 'visit',
                     ev = 'mql', ev = 'sql', ev = 'opp') AS level_modes,
       retention(ev = 'visit', ts < '2024-02-02', ev = 'won' AND score > 98) AS r
FROM account_touches GROUP BY 1;
SELECT count(DISTINCT level) AS distinct_levels, count(DISTINCT level_modes) AS distinct_mode_levels
FROM funnel_serial;
SELECT * FROM segment_serial ORDER BY segment;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT account % 8 AS segment,
       window_funnel('12 hours', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
FROM account_touches GROUP BY 1;
EXPLAIN (COSTS OFF)
SELECT account % 8 AS segment, retention(ev = 'visit', ev = 'mql', score > 50)
FROM account_touches GROUP BY 1;

-- By segment: the parallel answers equal the serial ones.
SELECT count(*) AS segments,
       count(*) FILTER (WHERE p.level = s.level AND p.level_modes = s.level_modes
                              AND p.r = s.r) AS equal_to_serial
FROM (SELECT account % 8 AS segment,
             window_funnel('12 hours', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
                 AS level,
             window_funnel('30 days', 'strict_order, strict_deduplication', ts, ev = 'visit',
                           ev = 'mql', ev = 'sql', ev = 'opp') AS level_modes,
             retention(ev = 'visit', ts < '2024-02-02', ev = 'won' AND score > 98) AS r
      FROM account_touches GROUP BY 1) AS p
JOIN segment_serial AS s USING (segment);

-- By account: every account's rows are spread over both workers.
SELECT count(*) FILTER (WHERE line ~ 'Partial (Hash|Group)?Aggregate') AS partial_aggregates,
       count(*) FILTER (WHERE line ~ 'Gather') AS gathers
FROM pg_temp.plan_of($q$SELECT account,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
       FROM account_touches GROUP BY account$q$) AS line;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE p.level IS DISTINCT FROM s.level) AS mismatches,
       count(*) FILTER (WHERE p.level_modes IS DISTINCT FROM s.level_modes) AS mode_mismatches,
       count(*) FILTER (WHERE p.r IS DISTINCT FROM s.r) AS retention_mismatches
FROM (SELECT account,
             window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
                 AS level,
             window_funnel('30 days', 'strict_order, strict_deduplication', ts, ev = 'visit',
                           ev = 'mql', ev = 'sql', ev = 'opp') AS level_modes,
             retention(ev = 'visit', ev = 'mql', score > 50) AS r
      FROM account_touches GROUP BY account) AS p
FULL JOIN funnel_serial AS s USING (account);

-- Parameters that change within a group are refused in parallel too (in a worker, or
-- in the leader's combine when each worker saw one value).
SELECT pg_temp.error_of($q$SELECT window_funnel(CASE WHEN id % 2 = 0 THEN interval '1 day'
    ELSE interval '2 days' END, ts, ev = 'visit') FROM account_touches$q$) AS mixed_windows;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- 7. Sliding frames: the inverse transition takes the row that leaves the frame out.
-- Each row's frame (itself and the 3 before it, per account, in (ts, id) order, NULL
-- times last) against the aggregate over the same 4 rows in a LATERAL subquery.
-- Accounts whose rows all have a NULL time are left out: a moving frame that starts
-- with a skipped row fails in 0.1 ("moving-aggregate transition function must not
-- return null"); NULL-time rows after others (NULLs sort last) are in the frames.
---------------------------------------------------------------------------------------

CREATE TABLE numbered AS
SELECT *
FROM (SELECT *, row_number() OVER (PARTITION BY account ORDER BY ts, id) AS rn
      FROM account_touches) AS n
WHERE account NOT IN (SELECT account FROM account_touches GROUP BY account
                      HAVING count(*) FILTER (WHERE ts IS NOT NULL) = 0);
SELECT count(DISTINCT account) AS accounts, count(*) - count(ts) AS null_ts_rows FROM numbered;
CREATE INDEX ON numbered (account, rn);
ANALYZE numbered;

SELECT count(*) AS frames,
       count(*) FILTER (WHERE w.level IS DISTINCT FROM l.level) AS mismatches,
       count(*) FILTER (WHERE w.level_order IS DISTINCT FROM l.level_order) AS order_mismatches,
       count(*) FILTER (WHERE w.level_once IS DISTINCT FROM l.level_once) AS once_mismatches,
       count(*) FILTER (WHERE w.r IS DISTINCT FROM l.r) AS retention_mismatches,
       count(DISTINCT w.level) AS distinct_levels, count(DISTINCT w.r) AS distinct_retention
FROM (SELECT account, rn,
             window_funnel('7 days', ts, ev = 'visit', ev = 'mql', ev = 'sql') OVER f AS level,
             window_funnel('7 days', 'strict_order', ts, ev = 'visit', ev = 'mql', ev = 'sql')
                 OVER f AS level_order,
             window_funnel('7 days', 'strict_once,strict_increase', ts, ev IN ('visit', 'mql'),
                           ev IN ('mql', 'sql'), ev = 'sql') OVER f AS level_once,
             retention(ev = 'visit', ev = 'mql', score > 50) OVER f AS r
      FROM numbered
      WINDOW f AS (PARTITION BY account ORDER BY rn ROWS BETWEEN 3 PRECEDING AND CURRENT ROW))
     AS w
JOIN LATERAL (
    SELECT window_funnel('7 days', ts, ev = 'visit', ev = 'mql', ev = 'sql') AS level,
           window_funnel('7 days', 'strict_order', ts, ev = 'visit', ev = 'mql', ev = 'sql')
               AS level_order,
           window_funnel('7 days', 'strict_once,strict_increase', ts, ev IN ('visit', 'mql'),
                         ev IN ('mql', 'sql'), ev = 'sql') AS level_once,
           retention(ev = 'visit', ev = 'mql', score > 50) AS r
    FROM numbered AS n
    WHERE n.account = w.account AND n.rn BETWEEN w.rn - 3 AND w.rn) AS l ON true;

---------------------------------------------------------------------------------------
-- 8. retention(VARIADIC conds): [c1, c1 and c2, ..., c1 and cN] per entity.
---------------------------------------------------------------------------------------

-- ClickHouse's documentation example: uids 0..4 on 2020-01-01, 0..9 on 01-02, 0..14 on
-- 01-03. Only 0..4 meet the first condition: [1,1,1] for them, [0,0,0] for 5..14.
CREATE TABLE retention_test (date date, uid int);
INSERT INTO retention_test SELECT '2020-01-01', g FROM generate_series(0, 4) AS g;
INSERT INTO retention_test SELECT '2020-01-02', g FROM generate_series(0, 9) AS g;
INSERT INTO retention_test SELECT '2020-01-03', g FROM generate_series(0, 14) AS g;
SELECT uid, retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
FROM retention_test WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
GROUP BY uid ORDER BY uid;
-- Summed over uids: 5 on the first day, 5 of them back on each of the next two.
SELECT sum(r[1]) AS r1, sum(r[2]) AS r2, sum(r[3]) AS r3
FROM (SELECT uid, retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
      FROM retention_test GROUP BY uid) AS a;

-- A cohort table: each account's weekly activity, weeks counted from its sign-up week.
-- Per account, retention(week 0, week 1, week 2, week 3); per cohort, the arrays summed
-- element-wise. Cohort 2024-01-01: a (weeks 0, 1, 3), b (0, 1), c (0, 2); cohort
-- 2024-01-08: d (0, 1, 2), e (0), f (1 only: not in week 0, so all zero).
CREATE TABLE activity (account text, cohort date, week int);
INSERT INTO activity VALUES
    ('a', '2024-01-01', 0), ('a', '2024-01-01', 1), ('a', '2024-01-01', 1), ('a', '2024-01-01', 3),
    ('b', '2024-01-01', 0), ('b', '2024-01-01', 1),
    ('c', '2024-01-01', 0), ('c', '2024-01-01', 2),
    ('d', '2024-01-08', 0), ('d', '2024-01-08', 1), ('d', '2024-01-08', 2),
    ('e', '2024-01-08', 0),
    ('f', '2024-01-08', 1);
SELECT account, cohort, retention(week = 0, week = 1, week = 2, week = 3) AS r
FROM activity GROUP BY account, cohort ORDER BY account;
-- Cohort 2024-01-01: 3 accounts, 2 back in week 1, 1 in week 2, 1 in week 3.
-- Cohort 2024-01-08: 2 accounts, 1 back in week 1, 1 in week 2, 0 in week 3.
SELECT cohort, sum(r[1]) AS week_0, sum(r[2]) AS week_1, sum(r[3]) AS week_2,
       sum(r[4]) AS week_3,
       round(100.0 * sum(r[2]) / nullif(sum(r[1]), 0), 1) AS week_1_pct
FROM (SELECT account, cohort, retention(week = 0, week = 1, week = 2, week = 3) AS r
      FROM activity GROUP BY account, cohort) AS per_account
GROUP BY cohort ORDER BY cohort;
-- The same sums as one array, for any number of conditions.
SELECT cohort, array_agg(total ORDER BY i) AS retained
FROM (SELECT cohort, i, sum(x) AS total
      FROM (SELECT account, cohort, retention(week = 0, week = 1, week = 2, week = 3) AS r
            FROM activity GROUP BY account, cohort) AS per_account,
           unnest(r) WITH ORDINALITY AS u(x, i)
      GROUP BY cohort, i) AS sums
GROUP BY cohort ORDER BY cohort;

-- NULL conditions are false; a NULL array is a skipped row; no rows give NULL.
SELECT retention(c1, c2, c3) AS nulls_are_false
FROM (VALUES (true, NULL::boolean, false), (NULL, true, NULL)) AS v(c1, c2, c3);
SELECT retention(c1, c2) AS first_only_null_0_0
FROM (VALUES (NULL::boolean, true)) AS v(c1, c2);
SELECT retention(VARIADIC conds) IS NULL AS null_array_skipped_null
FROM (VALUES (NULL::boolean[])) AS v(conds);
SELECT retention(c1, c2) IS NULL AS no_rows_null
FROM (VALUES (true, true)) AS v(c1, c2) WHERE false;

-- Against bool_or on the generated accounts, with NULL conditions (NULL ev, NULL score).
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE r IS DISTINCT FROM ARRAY[c1::int, (c1 AND c2)::int,
                                                        (c1 AND c3)::int, (c1 AND c4)::int])
           AS mismatches,
       count(DISTINCT r) AS distinct_arrays
FROM (SELECT account,
             retention(ev = 'visit', ev = 'mql', score > 50, ts >= '2024-04-01') AS r,
             coalesce(bool_or(ev = 'visit'), false) AS c1,
             coalesce(bool_or(ev = 'mql'), false) AS c2,
             coalesce(bool_or(score > 50), false) AS c3,
             coalesce(bool_or(ts >= '2024-04-01'), false) AS c4
      FROM account_touches GROUP BY account) AS a;

---------------------------------------------------------------------------------------
-- 9. Errors, with their SQLSTATE.
---------------------------------------------------------------------------------------

SELECT label, pg_temp.error_of(query) AS result
FROM (VALUES
    ('unknown mode', $$SELECT window_funnel(10, 'strict', 0::bigint, true)$$),
    ('empty mode name', $$SELECT window_funnel(10, 'strict_order,', 0::bigint, true)$$),
    ('mode names and spaces', $$SELECT window_funnel(10, ' strict_order , strict_once ', 0::bigint, true)$$),
    ('empty mode', $$SELECT window_funnel(10, '', 0::bigint, true)$$),
    ('window 0', $$SELECT window_funnel(0, 0::bigint, true)$$),
    ('window -1', $$SELECT window_funnel(-1, 0::bigint, true)$$),
    ('interval 0', $$SELECT window_funnel('0', now(), true)$$),
    ('interval -1 day', $$SELECT window_funnel('-1 day', now(), true)$$),
    ('interval 1 month -1 day', $$SELECT window_funnel('1 month -1 day', now(), true)$$),
    ('interval 1 day -1 hour', $$SELECT window_funnel('1 day -1 hour', localtimestamp, true)$$),
    ('33 steps', $$SELECT window_funnel(10, 0::bigint, VARIADIC array_fill(true, ARRAY[33]))$$),
    ('no steps', $$SELECT window_funnel(10, 0::bigint, VARIADIC ARRAY[]::boolean[])$$),
    ('no steps, with a mode', $$SELECT window_funnel('1 day', 'strict_once', now(), VARIADIC ARRAY[]::boolean[])$$),
    ('window changes', $$SELECT window_funnel(w, 0::bigint, true) FROM (VALUES (10), (20)) AS v(w)$$),
    ('interval changes', $$SELECT window_funnel(w, now(), true) FROM (VALUES (interval '1 day'), ('24 hours')) AS v(w)$$),
    ('mode changes', $$SELECT window_funnel(10, m, 0::bigint, true) FROM (VALUES ('strict_order'), ('strict_once')) AS v(m)$$),
    ('number of steps changes', $$SELECT window_funnel(10, 0::bigint, VARIADIC s) FROM (VALUES (ARRAY[true]), (ARRAY[true, false])) AS v(s)$$),
    ('retention: 33 conditions', $$SELECT retention(VARIADIC array_fill(true, ARRAY[33]))$$),
    ('retention: no conditions', $$SELECT retention(VARIADIC ARRAY[]::boolean[])$$),
    ('retention: number changes', $$SELECT retention(VARIADIC c) FROM (VALUES (ARRAY[true, false]), (ARRAY[true])) AS v(c)$$),
    ('remove an event not held', $$SELECT window_funnel_bigint_remove('v1 time=bigint window=0,0,10 steps=1 modes=none events=5@1', 10, 6, ARRAY[true])$$),
    ('retention: remove a row not held', $$SELECT retention_remove('v1 conditions=2 met=1,0', ARRAY[false, true])$$),
    ('combine other parameters', $$SELECT window_funnel_combine('v1 time=bigint window=0,0,10 steps=1 modes=none events=none', 'v1 time=bigint window=0,0,11 steps=1 modes=none events=none')$$),
    ('retention: combine other counts', $$SELECT retention_combine('v1 conditions=2 met=1,0', 'v1 conditions=3 met=1,0,0')$$)
) AS cases(label, query);

-- 32 steps are allowed, and a window with a zero part and a positive one.
SELECT window_funnel(10, 0::bigint, VARIADIC array_fill(true, ARRAY[32])) AS steps_32,
       window_funnel('1 month 0 days', now(), true) AS month_only,
       array_length(retention(VARIADIC array_fill(true, ARRAY[32])), 1) AS conditions_32;

---------------------------------------------------------------------------------------
-- 10. The state types. window_funnel_events: the window, steps, modes and kept events;
-- retention_conditions: per condition, the rows that met it.
---------------------------------------------------------------------------------------

-- An aggregate that returns the state itself, from the support functions.
CREATE AGGREGATE pg_temp.funnel_state(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_timestamptz_add, STYPE = window_funnel_events,
    COMBINEFUNC = window_funnel_combine);
CREATE AGGREGATE pg_temp.funnel_state(bigint, text, bigint, VARIADIC boolean[]) (
    SFUNC = window_funnel_bigint_mode_add, STYPE = window_funnel_events);
CREATE AGGREGATE pg_temp.retention_state(VARIADIC boolean[]) (
    SFUNC = retention_add, STYPE = retention_conditions);

-- The text form: UTC times, step numbers joined by +, "-" for a row that matches no
-- step (kept by strict_order only); a state without events; the final level.
SELECT pg_temp.funnel_state('30 days', ts, ev = 'A', ev = 'B', ev = 'C') AS s
FROM (VALUES (timestamptz '2024-01-03 10:30Z', 'B'), ('2024-01-01 09:00Z', 'A'),
             ('2024-01-01 09:00Z', 'X')) AS e(ts, ev);
SELECT s, window_funnel_final(s) AS level
FROM (SELECT pg_temp.funnel_state(10, 'strict_order,strict_once', ts, ev = 'A', ev IN ('A', 'B'))
             AS s
      FROM (VALUES (1, 'A'), (2, 'X'), (3, 'B')) AS e(ts, ev)) AS st;
SELECT s, window_funnel_final(s) AS level
FROM (SELECT pg_temp.funnel_state('1 day', ts, ev = 'A') AS s
      FROM (VALUES (timestamptz '2024-01-01', 'X')) AS e(ts, ev)) AS st;
SELECT window_funnel_final(NULL) AS null_state_0;

-- States of every signature read back to the same text and the same level.
SELECT s::text = s::text::window_funnel_events::text AS round_trip, window_funnel_final(s) AS level, s
FROM (VALUES
    ('v1 time=timestamptz window=0,30,0 steps=4 modes=none events=2024-01-01T09:00:00.000000Z@1,2024-01-03T10:30:00.000000Z@2+3'::window_funnel_events),
    ('v1 time=timestamp window=1,0,0 steps=2 modes=strict_increase events=2024-01-31T10:00:00.000000Z@1,2024-02-29T10:00:00.000000Z@2'),
    ('v1 time=timestamptz window=0,1,0 steps=2 modes=none events=-infinity@1,-infinity@2,infinity@1'),
    ('v1 time=bigint window=0,0,10 steps=3 modes=strict_order,strict_deduplication events=0@1,1@2,2@-,3@3'),
    ('v1 time=bigint window=0,0,9223372036854775807 steps=32 modes=strict_once events=-9223372036854775808@1+32'),
    ('v1 time=bigint window=0,0,5 steps=1 modes=none events=none')) AS v(s);
-- Events may be in any order in the text; the level is the same.
SELECT window_funnel_final('v1 time=bigint window=0,0,10 steps=3 modes=none events=7@3,0@1,5@2') AS unsorted_3;

-- A transition called directly returns a new state and leaves its input unchanged.
SELECT s AS before,
       window_funnel_bigint_add(s, 10, 4, ARRAY[false, true]) AS added,
       window_funnel_bigint_remove(s, 10, 0, ARRAY[true, false]) AS removed,
       window_funnel_combine(s, s) AS combined,
       s AS after
FROM (VALUES ('v1 time=bigint window=0,0,10 steps=2 modes=none events=0@1'::window_funnel_events)) AS v(s);

-- Every account's state stored in a table: window_funnel_final gives the aggregate's
-- level; the text reads back to the same value; two halves (odd and even ids) combined
-- give the same level as one pass.
CREATE TABLE funnel_states AS
SELECT account,
       pg_temp.funnel_state('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS s,
       pg_temp.funnel_state('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
           FILTER (WHERE id % 2 = 1) AS odd,
       pg_temp.funnel_state('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp')
           FILTER (WHERE id % 2 = 0) AS even,
       window_funnel('30 days', ts, ev = 'visit', ev = 'mql', ev = 'sql', ev = 'opp') AS level
FROM account_touches GROUP BY account;
SELECT count(*) AS accounts,
       count(*) FILTER (WHERE window_funnel_final(s) <> level) AS final_mismatches,
       count(*) FILTER (WHERE s::text::window_funnel_events::text <> s::text) AS text_mismatches,
       count(*) FILTER (WHERE window_funnel_final(window_funnel_combine(odd, even)) <> level)
           AS combine_mismatches,
       count(*) FILTER (WHERE odd IS NULL OR even IS NULL) AS one_half_empty
FROM funnel_states;

-- The text of a timestamptz state is UTC whatever the session's TimeZone (and
-- DateStyle). The level, like "ts <= first + window", follows the TimeZone: with B 23.5
-- hours after A across the DST change, '1 day' is 2 in UTC and 1 in New York.
CREATE TEMP TABLE state_texts AS SELECT account, s::text AS utc_text FROM funnel_states;
CREATE TEMP TABLE dst_state AS
SELECT pg_temp.funnel_state('1 day', ts, ev = 'A', ev = 'B') AS s
FROM (VALUES (timestamptz '2024-03-09 17:00Z', 'A'), ('2024-03-10 16:30Z', 'B')) AS e(ts, ev);
SELECT s, window_funnel_final(s) AS level_utc FROM dst_state;
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SELECT count(*) FILTER (WHERE f.s::text <> t.utc_text) AS texts_changed_by_timezone
FROM funnel_states AS f JOIN state_texts AS t USING (account);
SELECT s, window_funnel_final(s) AS level_new_york FROM dst_state;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Binary COPY out and back in: the same values.
CREATE TABLE funnel_states_copy (account int, s window_funnel_events, odd window_funnel_events,
                                 even window_funnel_events, level int);
COPY funnel_states TO PROGRAM 'cat > b2bkpi_event_funnels_states.copy' (FORMAT binary);
COPY funnel_states_copy FROM PROGRAM 'cat b2bkpi_event_funnels_states.copy && rm -f b2bkpi_event_funnels_states.copy' (FORMAT binary);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE a.s::text IS NOT DISTINCT FROM b.s::text
                              AND a.odd::text IS NOT DISTINCT FROM b.odd::text
                              AND a.even::text IS NOT DISTINCT FROM b.even::text) AS equal_as_text,
       count(*) FILTER (WHERE window_funnel_final(b.s) = a.level) AS same_level
FROM funnel_states AS a JOIN funnel_states_copy AS b USING (account);

-- Sizes: 40 bytes, then 16 per event in memory and on disk; 28 bytes then 12 per event
-- in binary; about 30 bytes of text per timestamptz event.
SELECT n AS events, pg_column_size(s) AS bytes, octet_length(window_funnel_events_send(s)) AS binary_bytes,
       octet_length(s::text) AS text_bytes
FROM (SELECT n, pg_temp.funnel_state('30 days', timestamptz '2024-01-01' + g * interval '1 minute',
                                     g % 2 = 0, g % 2 = 1)::text::window_funnel_events AS s
      FROM generate_series(1, 100) AS n, generate_series(1, n) AS g
      WHERE n IN (1, 10, 100) GROUP BY n) AS st
ORDER BY n;

-- window_funnel_events text that is not of the form (22P02), of another version (22P02), or
-- well-formed but impossible (22023).
SELECT label, pg_temp.error_of(format('SELECT %L::window_funnel_events', input)) AS result
FROM (VALUES
    ('valid', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@1,3@2'),
    ('version 2', 'v2 time=bigint window=0,0,10 steps=2 modes=none events=0@1,3@2'),
    ('no version', 'time=bigint window=0,0,10 steps=2 modes=none events=0@1,3@2'),
    ('unknown time type', 'v1 time=date window=0,0,10 steps=2 modes=none events=0@1,3@2'),
    ('missing field', 'v1 time=bigint window=0,0,10 steps=2 events=0@1,3@2'),
    ('window with two parts', 'v1 time=bigint window=0,10 steps=2 modes=none events=0@1'),
    ('unknown mode', 'v1 time=bigint window=0,0,10 steps=2 modes=strict events=0@1'),
    ('event without steps', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@'),
    ('step 0', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@0'),
    ('step twice', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@1+1'),
    ('timestamp without Z', 'v1 time=timestamptz window=0,1,0 steps=1 modes=none events=2024-01-01T00:00:00.000000@1'),
    ('date only', 'v1 time=timestamptz window=0,1,0 steps=1 modes=none events=2024-01-01@1'),
    ('trailing comma', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@1,'),
    ('step beyond steps', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@3'),
    ('no-step row without strict_order', 'v1 time=bigint window=0,0,10 steps=2 modes=none events=0@-'),
    ('window 0', 'v1 time=bigint window=0,0,0 steps=2 modes=none events=none'),
    ('negative window part', 'v1 time=timestamp window=1,-1,0 steps=2 modes=none events=none'),
    ('bigint window in days', 'v1 time=bigint window=0,1,0 steps=2 modes=none events=none'),
    ('33 steps', 'v1 time=bigint window=0,0,10 steps=33 modes=none events=none'),
    ('0 steps', 'v1 time=bigint window=0,0,10 steps=0 modes=none events=none')
) AS cases(label, input);

-- retention_conditions: text round trip, the final array, errors.
SELECT c, c::text::retention_conditions::text = c::text AS round_trip, retention_final(c) AS r
FROM (VALUES ('v1 conditions=3 met=5,0,2'::retention_conditions), ('v1 conditions=1 met=0'),
             ('v1 conditions=0 met=none'), ('v1 conditions=2 met=9223372036854775807,1')) AS v(c);
SELECT pg_temp.retention_state(ev = 'visit', ev = 'mql', ev IS NULL) AS state,
       count(*) FILTER (WHERE ev = 'visit') AS visits, count(*) FILTER (WHERE ev = 'mql') AS mqls,
       count(*) FILTER (WHERE ev IS NULL) AS null_ev
FROM account_touches WHERE account = 7;
SELECT label, pg_temp.error_of(format('SELECT %L::retention_conditions', input)) AS result
FROM (VALUES
    ('version 2', 'v2 conditions=2 met=1,1'),
    ('fewer counts', 'v1 conditions=3 met=5,0'),
    ('more counts', 'v1 conditions=1 met=5,0'),
    ('negative count', 'v1 conditions=2 met=-1,0'),
    ('33 conditions', 'v1 conditions=33 met=none'),
    ('0 conditions with counts', 'v1 conditions=0 met=1')
) AS cases(label, input);

-- Binary: retention_conditions through COPY.
CREATE TABLE retention_states AS
SELECT account, pg_temp.retention_state(ev = 'visit', ev = 'mql', score > 50) AS c
FROM account_touches GROUP BY account;
CREATE TABLE retention_states_copy (LIKE retention_states);
COPY retention_states TO PROGRAM 'cat > b2bkpi_event_funnels_retention.copy' (FORMAT binary);
COPY retention_states_copy FROM PROGRAM 'cat b2bkpi_event_funnels_retention.copy && rm -f b2bkpi_event_funnels_retention.copy' (FORMAT binary);
SELECT count(*) AS rows, count(*) FILTER (WHERE a.c::text = b.c::text) AS equal_as_text,
       count(*) FILTER (WHERE retention_final(b.c) = f.r) AS same_as_aggregate
FROM retention_states AS a JOIN retention_states_copy AS b USING (account)
JOIN funnel_serial AS f USING (account);

-- Malformed binary values: raw bytes through a bytea column and binary COPY.
CREATE TABLE raw_bytes (b bytea);
CREATE TABLE funnel_only (s window_funnel_events);
CREATE TABLE conditions_only (c retention_conditions);
CREATE FUNCTION pg_temp.binary_error_of(bytes bytea, target text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE raw_bytes;
    INSERT INTO raw_bytes VALUES (bytes);
    COPY raw_bytes TO PROGRAM 'cat > b2bkpi_event_funnels_raw.copy' (FORMAT binary);
    RETURN pg_temp.error_of(format(
        'COPY %I FROM PROGRAM %L (FORMAT binary)', target,
        'cat b2bkpi_event_funnels_raw.copy && rm -f b2bkpi_event_funnels_raw.copy'));
END
$$;
-- The binary form of 'v1 time=bigint window=0,0,10 steps=2 modes=strict_order events=0@1,1@-,3@2':
-- version 1, time kind 1 (bigint), 2 steps, modes 01; months, days (int32); window,
-- event count (int64); then per event its time (int64) and steps (uint32).
SELECT window_funnel_events_send('v1 time=bigint window=0,0,10 steps=2 modes=strict_order events=0@1,1@-,3@2')
    AS binary_form;
CREATE TEMP TABLE good AS
SELECT window_funnel_events_send('v1 time=bigint window=0,0,10 steps=2 modes=strict_order events=0@1,1@-,3@2')
    AS b;
SELECT label, pg_temp.binary_error_of(bytes, 'funnel_only') AS result
FROM (SELECT label, bytes FROM good, LATERAL (VALUES
    ('valid', b),
    ('empty', '\x'::bytea),
    ('version 2', overlay(b PLACING '\x02' FROM 1)),
    ('time kind 4', overlay(b PLACING '\x04' FROM 2)),
    ('33 steps', overlay(b PLACING '\x21' FROM 3)),
    ('unknown mode bit', overlay(b PLACING '\x11' FROM 4)),
    ('no strict_order, a no-step row', overlay(b PLACING '\x00' FROM 4)),
    ('window 0', overlay(b PLACING int8send(0) FROM 13)),
    ('bigint window in days', overlay(b PLACING int4send(1) FROM 9)),
    ('one event short', substring(b FROM 1 FOR length(b) - 12)),
    ('one byte too many', b || '\x00'::bytea),
    ('count says 4', overlay(b PLACING int8send(4) FROM 21)),
    ('step 3 of 2', overlay(b PLACING int4send(4) FROM length(b) - 3))
) AS cases(label, bytes)) AS c;
SELECT s, window_funnel_final(s) AS level FROM funnel_only;
SELECT label, pg_temp.binary_error_of(bytes, 'conditions_only') AS result
FROM (VALUES
    ('valid', '\x01'::bytea || int8send(2) || int8send(3) || int8send(1)),
    ('version 2', '\x02'::bytea || int8send(2) || int8send(3) || int8send(1)),
    ('cut short', '\x01'::bytea || int8send(2) || int8send(3)),
    ('33 conditions', '\x01'::bytea || int8send(33)),
    ('negative count', '\x01'::bytea || int8send(2) || int8send(-3) || int8send(1))
) AS cases(label, bytes);
SELECT c, retention_final(c) AS r FROM conditions_only;

DROP TABLE funnel_test, trend, touches, mode_cases, account_touches, funnel_serial, segment_serial, numbered,
    retention_test, activity, funnel_states, funnel_states_copy, retention_states,
    retention_states_copy, raw_bytes, funnel_only, conditions_only;

-- A mode computed per row is read by content: each account keeps its own mode,
-- and a mode that changes within a group is an error.
CREATE TEMP TABLE per_row_modes (account int, mode text, ts bigint);
INSERT INTO per_row_modes VALUES (1, 'strict_increase', 0), (2, '', 0);
SELECT account, window_funnel(100, mode || '', ts, true, true) AS level
FROM per_row_modes GROUP BY account ORDER BY account;
SELECT pg_temp.error_of($$SELECT window_funnel(100, m || '', ts, true, true)
                 FROM (VALUES ('', 0::bigint), ('strict_increase', 0)) AS v(m, ts)$$);
-- A sliding frame whose first rows are skipped (NULL time, NULL conditions).
SELECT id, window_funnel(10, ts, true) OVER (ORDER BY id ROWS 1 PRECEDING) AS level
FROM (VALUES (1, NULL::bigint), (2, 5), (3, NULL)) AS v(id, ts);
SELECT id, retention(VARIADIC c) OVER (ORDER BY id ROWS 1 PRECEDING) AS retained
FROM (VALUES (1, NULL::boolean[]), (2, ARRAY[true]), (3, NULL)) AS v(id, c);
