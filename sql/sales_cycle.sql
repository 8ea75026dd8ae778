-- Sales cycle (kpi-spec section 4): sales_velocity, exact over numeric amounts and
-- compensated over double precision, for timestamptz and timestamp dates.
-- Hand-computed values first, then every form against its SQL idiom on 4000 generated
-- opportunities in serial, parallel and sliding-frame plans, sums too wide for 128
-- bits, every edge case and bad input, and the text and binary forms of the states.

-- The catalog test installs the extension; this file also runs on its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2bkpi;
RESET client_min_messages;
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

-- a within rel * |b| of b; both NULL is equal.
CREATE FUNCTION pg_temp.near(a float8, b float8, rel float8)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
            ELSE abs(a - b) <= rel * abs(b) END
$$;

-- The lines of a plan, to count nodes without depending on the rest of it.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END
$$;

---------------------------------------------------------------------------------------
-- Hand-computed values.
---------------------------------------------------------------------------------------

-- Four closed opportunities count (rows 4, 5 and 6 have a NULL and are skipped): cycles
-- of 30, 10, 20 and 0 days, mean 15 days; won 1000.00 + 2500 - 200.25 (a credit) =
-- 3299.75. Velocity = 4 opportunities * 3/4 win rate * 3299.75/3 average won deal
-- / 15 days = 3299.75 / 15 = 219.98333... per day, with numeric_div's scale for
-- 1140393600.00 / 5184000.000000 (16 places).
CREATE TABLE small_deals (id int, amount numeric, is_won boolean, created_at timestamptz,
                          closed_at timestamptz);
INSERT INTO small_deals VALUES
    (1, 1000.00, true, '2024-01-01 00:00+00', '2024-01-31 00:00+00'),
    (2, 500.5, false, '2024-01-10 00:00+00', '2024-01-20 00:00+00'),
    (3, 2500, true, '2024-02-01 00:00+00', '2024-02-21 00:00+00'),
    (4, NULL, true, '2024-02-01 00:00+00', '2024-02-02 00:00+00'),
    (5, 300, NULL, '2024-02-01 00:00+00', '2024-02-02 00:00+00'),
    (6, 700, true, '2024-03-01 00:00+00', NULL),
    (7, -200.25, true, '2024-03-01 12:00+00', '2024-03-01 12:00+00');
SELECT sales_velocity(amount, is_won, created_at, closed_at) AS velocity,
       coalesce(sum(amount) FILTER (WHERE is_won), 0) * count(*) * 86400
           / nullif(sum(extract(epoch FROM closed_at - created_at)), 0) AS idiom,
       sales_velocity(amount, is_won, created_at::timestamp, closed_at::timestamp) AS "timestamp",
       sales_velocity(amount::float8, is_won, created_at, closed_at) AS float8,
       sales_velocity(amount::float8, is_won, created_at::timestamp, closed_at::timestamp)
           AS float8_timestamp
FROM small_deals
WHERE amount IS NOT NULL AND is_won IS NOT NULL AND closed_at IS NOT NULL;
-- The same without the WHERE: rows with a NULL argument are skipped.
SELECT sales_velocity(amount, is_won, created_at, closed_at) AS velocity,
       sales_velocity(amount::float8, is_won, created_at, closed_at) AS float8
FROM small_deals;

-- Microseconds count: 1 won deal of 100 over one second and one microsecond.
SELECT sales_velocity(100::numeric, true, timestamptz '2024-01-01 00:00:00+00',
                      timestamptz '2024-01-01 00:00:01.000001+00') AS velocity,
       100 * 1 * 86400 / 1.000001 AS idiom;

-- GROUP BY, FILTER and grouping sets: id 1-3 are January and February, id 7 March.
SELECT date_trunc('month', created_at)::date AS month,
       sales_velocity(amount, is_won, created_at, closed_at) AS velocity,
       sales_velocity(amount, is_won, created_at, closed_at) FILTER (WHERE amount > 0)
           AS without_credits
FROM small_deals GROUP BY ROLLUP (1) ORDER BY 1 NULLS LAST;

---------------------------------------------------------------------------------------
-- Edge cases: no rows, every cycle zero, no won rows, NULL arguments.
---------------------------------------------------------------------------------------

-- No rows: NULL, for every form.
SELECT sales_velocity(a, w, c, d), sales_velocity(a, w, c::timestamp, d::timestamp),
       sales_velocity(a::float8, w, c, d), sales_velocity(a::float8, w, c::timestamp, d::timestamp)
FROM (SELECT 1::numeric, true, now(), now() WHERE false) AS empty(a, w, c, d);

-- Every row has a NULL somewhere: skipped, so no rows either.
SELECT sales_velocity(a, w, c, d), sales_velocity(a::float8, w, c, d)
FROM (VALUES (NULL::numeric, true, timestamptz '2024-01-01+00', timestamptz '2024-01-02+00'),
             (1, NULL, '2024-01-01+00', '2024-01-02+00'),
             (1, true, NULL, '2024-01-02+00'),
             (1, true, '2024-01-01+00', NULL)) AS all_null(a, w, c, d);

-- Every cycle zero (closed the instant it was created): the mean cycle is 0, NULL.
SELECT sales_velocity(a, true, c, c) AS velocity, sales_velocity(a::float8, true, c, c) AS float8,
       coalesce(sum(a), 0) * count(*) * 86400 / nullif(sum(extract(epoch FROM c - c)), 0) AS idiom
FROM (VALUES (10.5, timestamptz '2024-01-01+00'), (3, '2024-05-01+00')) AS v(a, c);

-- No won rows but some cycle: 0, at the idiom's scale (coalesce gives a 0 of scale 0).
SELECT sales_velocity(a, false, c, d) AS velocity,
       sales_velocity(a, false, c, d)::text
           = (coalesce(sum(a) FILTER (WHERE false), 0) * count(*) * 86400
              / nullif(sum(extract(epoch FROM d - c)), 0))::text AS same_as_idiom,
       sales_velocity(a::float8, false, c, d) AS float8
FROM (VALUES (10.55, timestamptz '2024-01-01+00', timestamptz '2024-01-03 07:00+00'),
             (3, '2024-05-01+00', '2024-05-01+00')) AS v(a, c, d);

-- Won amounts that cancel keep their scale: 0.00 * 2 * 86400 / ...
SELECT sales_velocity(a, true, c, c + interval '1 day') AS velocity,
       coalesce(sum(a), 0) * count(*) * 86400 / nullif(sum(extract(epoch FROM interval '1 day')), 0)
           AS idiom
FROM (VALUES (5.00, timestamptz '2024-01-01+00'), (-5, '2024-02-01+00')) AS v(a, c);

-- Credits larger than the wins: a negative velocity.
SELECT sales_velocity(a, true, c, c + interval '2 days') AS velocity,
       sales_velocity(a::float8, true, c, c + interval '2 days') AS float8
FROM (VALUES (100, timestamptz '2024-01-01+00'), (-250.5, '2024-02-01+00')) AS v(a, c);

-- A NaN amount in a row that is skipped for a NULL is never looked at.
SELECT sales_velocity(a, true, c, d) AS velocity
FROM (VALUES ('NaN'::numeric, timestamptz '2024-01-01+00', NULL::timestamptz),
             (7, '2024-01-01+00', '2024-01-02+00')) AS v(a, c, d);

---------------------------------------------------------------------------------------
-- 4000 generated opportunities with NULLs, against the SQL idiom.
---------------------------------------------------------------------------------------

-- Amounts of 0 to 4 places up to 10^8, a credit one row in nine; won two rows in five;
-- created in 2023 to the microsecond; cycles of 0 s (one row in ten), under a minute
-- (one in ten), or up to a year to the microsecond; open opportunities (closed_at NULL)
-- and a few other NULLs. segment_4 never wins; segment_5 closes instantly.
CREATE TABLE opportunities AS
SELECT i AS id,
       'segment_' || (h1 % 6) AS segment,
       CASE WHEN h2 % 37 = 0 THEN NULL
            ELSE CASE WHEN h2 % 9 = 0 THEN -1 ELSE 1 END
                 * round((h3 % 100000000)::numeric / (10::numeric ^ (h4 % 5)), (h4 % 5)::int)
       END AS amount,
       CASE WHEN h5 % 41 = 0 THEN NULL ELSE h5 % 5 < 2 END AS is_won,
       CASE WHEN h6 % 43 = 0 THEN NULL ELSE created END AS created_at,
       CASE WHEN h6 % 13 = 0 THEN NULL ELSE created + cycle END AS closed_at
FROM generate_series(1::bigint, 4000) AS i,
LATERAL (SELECT (i * 2654435761 + 1) % 4294967291 AS h1,
                (i * 2246822519 + 3) % 4294967279 AS h2,
                (i * 3266489917 + 5) % 4294967231 AS h3,
                (i * 668265263 + 7) % 4294967197 AS h4,
                (i * 374761393 + 11) % 4294967189 AS h5,
                (i * 2869860233 + 13) % 4294967161 AS h6,
                (i * 1181783497 + 17) % 4294967143 AS h7,
                (i * 3795287797 + 19) % 4294967111 AS h8) AS hashes,
LATERAL (SELECT timestamptz '2023-01-01 00:00:00+00'
                    + (h7 * 7919 % 31536000000000) * interval '1 microsecond' AS created,
                CASE h8 % 10
                    WHEN 0 THEN interval '0'
                    WHEN 1 THEN (h8 % 60000000) * interval '1 microsecond'
                    ELSE (h8 * 104729 % 31536000000000) * interval '1 microsecond'
                END AS cycle) AS dates;
UPDATE opportunities SET is_won = false WHERE segment = 'segment_4';
UPDATE opportunities SET closed_at = created_at WHERE segment = 'segment_5';
-- The timestamp columns; the double precision amounts, each to the nearest eighth, which
-- a double holds exactly, so that sums of the float8 column are exact too.
ALTER TABLE opportunities ADD COLUMN created_ts timestamp, ADD COLUMN closed_ts timestamp,
    ADD COLUMN amount_f float8;
UPDATE opportunities SET created_ts = created_at AT TIME ZONE 'UTC',
                         closed_ts = closed_at AT TIME ZONE 'UTC',
                         amount_f = round(amount * 8) / 8;
ANALYZE opportunities;

SELECT count(*) AS rows,
       count(*) FILTER (WHERE amount IS NOT NULL AND is_won IS NOT NULL
                          AND created_at IS NOT NULL AND closed_at IS NOT NULL) AS closed,
       count(*) FILTER (WHERE closed_at IS NULL) AS open,
       count(DISTINCT scale(amount)) AS scales, count(*) FILTER (WHERE amount < 0) AS credits,
       count(*) FILTER (WHERE is_won) AS won,
       count(*) FILTER (WHERE closed_at = created_at) AS zero_cycles,
       max(closed_at - created_at) AS longest_cycle,
       count(*) FILTER (WHERE extract(microseconds FROM closed_at - created_at) % 1000 <> 0)
           AS cycles_with_microseconds
FROM opportunities;

-- Groups: each segment, 50 buckets of 80 rows, 1000 small groups of 4 rows (whose won
-- amounts have every scale from 0 to 4, or none), and all rows.
CREATE VIEW grouped_opportunities AS
SELECT g.grp, o.*
FROM opportunities AS o,
     LATERAL (VALUES (segment), ('bucket_' || id % 50), ('small_' || id % 1000), ('all')) AS g(grp);

-- The idiom, written independently of the extension, over the rows without NULLs.
CREATE VIEW velocity_idiom AS
SELECT grp,
       coalesce(sum(amount) FILTER (WHERE is_won), 0) * count(*) * 86400
           / nullif(sum(extract(epoch FROM closed_at - created_at)), 0) AS tstz,
       coalesce(sum(amount) FILTER (WHERE is_won), 0) * count(*) * 86400
           / nullif(sum(extract(epoch FROM closed_ts - created_ts)), 0) AS ts,
       coalesce(sum(amount_f) FILTER (WHERE is_won), 0) * count(*) * 86400
           / nullif(sum(extract(epoch FROM closed_at - created_at)), 0) AS f
FROM grouped_opportunities
WHERE amount IS NOT NULL AND is_won IS NOT NULL AND created_at IS NOT NULL
  AND closed_at IS NOT NULL
GROUP BY grp;

CREATE VIEW velocity_kpis AS
SELECT grp,
       sales_velocity(amount, is_won, created_at, closed_at) AS tstz,
       sales_velocity(amount, is_won, created_ts, closed_ts) AS ts,
       sales_velocity(amount_f, is_won, created_at, closed_at) AS tstz_f,
       sales_velocity(amount_f, is_won, created_ts, closed_ts) AS ts_f
FROM grouped_opportunities GROUP BY grp;

-- numeric: equal as text (value and display scale); double precision within 1e-12.
CREATE FUNCTION pg_temp.compare_with_idiom() RETURNS TABLE (
    groups bigint, numeric_mismatches bigint, timestamp_mismatches bigint,
    float8_mismatches bigint, float8_timestamp_mismatches bigint)
LANGUAGE sql AS $$
SELECT count(*),
       count(*) FILTER (WHERE k.tstz::text IS DISTINCT FROM i.tstz::text),
       count(*) FILTER (WHERE k.ts::text IS DISTINCT FROM i.ts::text),
       count(*) FILTER (WHERE NOT pg_temp.near(k.tstz_f, i.f, 1e-12)),
       count(*) FILTER (WHERE NOT pg_temp.near(k.ts_f, i.f, 1e-12))
FROM velocity_kpis AS k FULL JOIN velocity_idiom AS i USING (grp)
$$;

SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.compare_with_idiom();

-- The values themselves, so a change in the generator or the arithmetic shows:
-- segment_4 never wins (0), segment_5 closes instantly (NULL).
SELECT grp, tstz, scale(tstz) AS scale, tstz_f FROM velocity_kpis
WHERE grp NOT LIKE 'bucket%' AND grp NOT LIKE 'small%' ORDER BY grp;
SELECT split_part(grp, '_', 1) AS groups, count(*), count(tstz) AS not_null,
       count(*) FILTER (WHERE tstz = 0) AS zero, count(DISTINCT scale(tstz)) AS result_scales,
       min(tstz) AS lowest, max(tstz) AS highest
FROM velocity_kpis WHERE grp LIKE 'bucket%' OR grp LIKE 'small%' GROUP BY 1 ORDER BY 1;

CREATE TEMP TABLE serial_results AS SELECT * FROM velocity_kpis;

---------------------------------------------------------------------------------------
-- Won amounts too wide for the 128-bit fast path spill into a numeric in the state;
-- they stay exact and keep the idiom's display scale.
---------------------------------------------------------------------------------------

CREATE TABLE wide_deals (grp int, id int, amount numeric, is_won boolean, days int);
INSERT INTO wide_deals VALUES
    (1, 1, 1e30, true, 3), (1, 2, 1e40, true, 1), (1, 3, -1e40, true, 0),
    (1, 4, 123.000000000000000000000000000001, true, 5), (1, 5, 5.25, false, 2),
    (2, 6, 99999999999999999999999999999999999999, true, 1),
    (2, 7, 99999999999999999999999999999999999999, true, 1), (2, 8, -0.5, true, 0),
    (3, 9, 170141183460469231731687303715884105727, true, 7), (3, 10, 1, true, 1),
    (3, 11, -2, false, 0);
SELECT grp, sales_velocity(amount, is_won, c, c + days * interval '1 day') AS velocity,
       sales_velocity(amount, is_won, c, c + days * interval '1 day')::text
           = (coalesce(sum(amount) FILTER (WHERE is_won), 0) * count(*) * 86400
              / nullif(sum(extract(epoch FROM days * interval '1 day')), 0))::text AS same_text
FROM wide_deals, LATERAL (VALUES (timestamptz '2024-01-01+00')) AS t(c)
GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST;
SELECT id, sales_velocity(amount, is_won, c, c + days * interval '1 day') OVER w AS velocity,
       (coalesce(sum(amount) FILTER (WHERE is_won) OVER w, 0) * count(*) OVER w * 86400
        / nullif(sum(extract(epoch FROM days * interval '1 day')) OVER w, 0))::text AS idiom
FROM wide_deals, LATERAL (VALUES (timestamptz '2024-01-01+00')) AS t(c)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;

-- The same amounts with 10^40, -10^40 and 10^-30 added to one row in 50 each.
CREATE VIEW wide_opportunities AS
SELECT id, segment, is_won, created_at, closed_at,
       amount + CASE id % 50 WHEN 1 THEN 1e40 WHEN 2 THEN -1e40 WHEN 3 THEN 1e-30
                             ELSE 0 END AS amount,
       amount IS NOT NULL AND is_won IS NOT NULL AND created_at IS NOT NULL
           AND closed_at IS NOT NULL AS complete
FROM opportunities;
CREATE VIEW wide_kpis AS
SELECT grp,
       sales_velocity(amount, is_won, created_at, closed_at) AS velocity,
       coalesce(sum(amount) FILTER (WHERE is_won AND complete), 0)
           * count(*) FILTER (WHERE complete) * 86400
           / nullif(sum(extract(epoch FROM closed_at - created_at)) FILTER (WHERE complete), 0)
           AS idiom
FROM wide_opportunities, LATERAL (VALUES (segment), ('all')) AS g(grp)
GROUP BY grp;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE velocity::text IS NOT DISTINCT FROM idiom::text) AS equal_as_text,
       count(*) FILTER (WHERE scale(velocity) >= 30) AS with_1e_30,
       count(*) FILTER (WHERE abs(velocity) > 1e30) AS with_1e40_amounts
FROM wide_kpis;

---------------------------------------------------------------------------------------
-- Forced parallel plans: Partial Aggregate in workers, combined in the leader.
---------------------------------------------------------------------------------------

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;

EXPLAIN (COSTS OFF)
SELECT sales_velocity(amount, is_won, created_at, closed_at),
       sales_velocity(amount_f, is_won, created_ts, closed_ts)
FROM opportunities;
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM velocity_kpis') AS line;

SELECT * FROM pg_temp.compare_with_idiom();

-- The parallel answer equals the serial one, group by group, to the last digit.
SELECT count(*) AS groups_equal_to_serial
FROM velocity_kpis AS p JOIN serial_results AS s USING (grp)
WHERE (p.*)::text = (s.*)::text;

-- Spilled partial states are combined.
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM wide_kpis') AS line;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE velocity::text IS NOT DISTINCT FROM idiom::text) AS equal_as_text
FROM wide_kpis;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- Sliding window frames (an inverse transition), against the idiom over the same
-- frame, row by row. Rows with a NULL argument stay in the frame and are skipped.
---------------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.compare_frames(frame text) RETURNS TABLE (
    rows bigint, numeric_mismatches bigint, timestamp_mismatches bigint,
    float8_mismatches bigint, float8_timestamp_mismatches bigint, null_frames bigint,
    result_scales bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    SELECT count(*),
           count(*) FILTER (WHERE v::text IS DISTINCT FROM idiom::text),
           count(*) FILTER (WHERE v_ts::text IS DISTINCT FROM idiom::text),
           count(*) FILTER (WHERE NOT pg_temp.near(f, idiom_f, 1e-12)),
           count(*) FILTER (WHERE NOT pg_temp.near(f_ts, idiom_f, 1e-12)),
           count(*) FILTER (WHERE v IS NULL),
           count(DISTINCT scale(v))
    FROM (
        SELECT sales_velocity(amount, is_won, created_at, closed_at) OVER w AS v,
               sales_velocity(amount, is_won, created_ts, closed_ts) OVER w AS v_ts,
               sales_velocity(amount_f, is_won, created_at, closed_at) OVER w AS f,
               sales_velocity(amount_f, is_won, created_ts, closed_ts) OVER w AS f_ts,
               coalesce(sum(amount) FILTER (WHERE is_won AND complete) OVER w, 0)
                   * count(*) FILTER (WHERE complete) OVER w * 86400
                   / nullif(sum(extract(epoch FROM closed_at - created_at))
                                FILTER (WHERE complete) OVER w, 0) AS idiom,
               coalesce(sum(amount_f) FILTER (WHERE is_won AND complete) OVER w, 0)
                   * count(*) FILTER (WHERE complete) OVER w * 86400
                   / nullif(sum(extract(epoch FROM closed_at - created_at))
                                FILTER (WHERE complete) OVER w, 0) AS idiom_f
        FROM (SELECT *, amount IS NOT NULL AND is_won IS NOT NULL AND created_at IS NOT NULL
                        AND closed_at IS NOT NULL AS complete
              FROM opportunities) AS o
        WINDOW w AS (%s)
    ) AS framed $q$, frame);
END
$$;

SELECT 'ROWS BETWEEN 3 PRECEDING AND CURRENT ROW' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW');
SELECT 'per segment, ROWS 25 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'PARTITION BY segment ORDER BY id ROWS 25 PRECEDING');
-- Frames that shrink to empty at the end of each partition.
SELECT 'per segment, ROWS 1 TO 3 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'PARTITION BY segment ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING');

-- Spilled won amounts enter and leave a frame.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE velocity::text IS NOT DISTINCT FROM idiom::text) AS equal_as_text,
       count(*) FILTER (WHERE abs(velocity) > 1e30) AS with_1e40_amounts
FROM (SELECT sales_velocity(amount, is_won, created_at, closed_at) OVER w AS velocity,
             coalesce(sum(amount) FILTER (WHERE is_won AND complete) OVER w, 0)
                 * count(*) FILTER (WHERE complete) OVER w * 86400
                 / nullif(sum(extract(epoch FROM closed_at - created_at))
                              FILTER (WHERE complete) OVER w, 0) AS idiom
      FROM wide_opportunities
      WINDOW w AS (ORDER BY id ROWS 60 PRECEDING)) AS framed;

-- By hand: the won 2.125 leaves the frame, and the scale of what remains is 1.
SELECT id, amount, is_won,
       sales_velocity(amount, is_won, c, c + id * interval '1 hour') OVER w AS velocity,
       (coalesce(sum(amount) FILTER (WHERE is_won) OVER w, 0) * count(*) OVER w * 86400
        / nullif(sum(extract(epoch FROM id * interval '1 hour')) OVER w, 0))::text AS idiom
FROM (VALUES (1, 1.5, true), (2, 2.125, true), (3, 3, false), (4, 4.1, true), (5, 5, false),
             (6, 6, false), (7, -0.25, true)) AS v(id, amount, is_won),
     LATERAL (VALUES (timestamptz '2024-01-01+00')) AS t(c)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;

---------------------------------------------------------------------------------------
-- Bad input: SQLSTATE 22023 for impossible data, 22003 for overflow.
---------------------------------------------------------------------------------------

-- Shown once in full, with detail and hint.
SELECT sales_velocity(amount, true, created_at, closed_at)
FROM (VALUES (10.00, timestamptz '2024-03-01 09:30+00', timestamptz '2024-03-05 17:00+00'),
             (5, '2024-03-02 10:00+00', '2024-03-01 16:45+00')) AS v(amount, created_at, closed_at);
SELECT sales_velocity('NaN'::numeric, false, timestamp '2024-01-01', timestamp '2024-01-02');
SELECT sales_velocity(1::float8, true, timestamp '2024-01-01', timestamp 'infinity');

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT sales_velocity(1::numeric, true, timestamptz ''2024-01-02+00'', timestamptz ''2024-01-01+00'')'),
    ('SELECT sales_velocity(1::numeric, false, timestamp ''2024-01-01 00:00:00.000001'', timestamp ''2024-01-01'')'),
    ('SELECT sales_velocity(1::float8, true, timestamptz ''2024-01-02+00'', timestamptz ''2024-01-01+00'')'),
    ('SELECT sales_velocity(1::float8, false, timestamp ''2024-01-02'', timestamp ''2024-01-01'')'),
    ('SELECT sales_velocity(''NaN''::numeric, true, now(), now())'),
    ('SELECT sales_velocity(''Infinity''::numeric, false, now(), now())'),
    ('SELECT sales_velocity(''-Infinity''::numeric, true, now(), now())'),
    ('SELECT sales_velocity(''NaN''::float8, false, now(), now())'),
    ('SELECT sales_velocity(''-Infinity''::float8, true, now(), now())'),
    ('SELECT sales_velocity(1::numeric, true, ''-infinity''::timestamptz, now())'),
    ('SELECT sales_velocity(1::numeric, true, now(), ''infinity''::timestamptz)'),
    ('SELECT sales_velocity(1::float8, true, ''-infinity''::timestamp, ''2024-01-01''::timestamp)'),
    ('SELECT sales_velocity(a, true, c, d) OVER (ORDER BY c ROWS 1 PRECEDING) FROM (VALUES (1::numeric, timestamptz ''2024-01-01+00'', timestamptz ''2024-01-02+00''), (2, ''2024-01-03+00'', ''2024-01-02+00'')) v(a, c, d)'),
    ('SELECT sales_velocity(a, true, c, c + interval ''1 day'') FROM (VALUES (1e308::float8, now()), (1e308, now())) v(a, c)'),
    ('SELECT sales_velocity(1e308::float8, true, c, c + interval ''1 second'') FROM (VALUES (now())) v(c)'),
    ('SELECT sales_velocity_combine(''v1 rows=9223372036854775807 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0.000000 cycle_seconds_scale_rows=9223372036854775807''::velocity_summary, ''v1 rows=1 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0.000000 cycle_seconds_scale_rows=1'')'),
    ('SELECT sales_velocity_combine(''v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=170141183460469231731687303715884.105727''::float8_velocity_summary, ''v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0.000001'')'),
    ('SELECT sales_velocity_add(''v1 rows=9223372036854775807 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0.000000 cycle_seconds_scale_rows=9223372036854775807''::velocity_summary, 1::numeric, true, now(), now())'),
    ('SELECT sales_velocity_remove(''v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0''::velocity_summary, 1::numeric, true, now(), now())'),
    ('SELECT sales_velocity_remove(''v1 rows=2 won_amount=1.5 won_amount_scale_rows=1 cycle_seconds=5.000000 cycle_seconds_scale_rows=2''::velocity_summary, 0.25, true, now(), now())'),
    ('SELECT sales_velocity_remove(''v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=5''::float8_velocity_summary, 1::float8, true, now(), now())')
) AS cases(query);

---------------------------------------------------------------------------------------
-- Plain calls of the support functions: a transition function returns a new value and
-- leaves its input alone; removing the last row with the largest scale returns NULL.
---------------------------------------------------------------------------------------

SELECT s AS before,
       sales_velocity_add(s, 1.005, true, timestamptz '2024-01-01+00', timestamptz '2024-01-02 00:00:00.5+00')
           AS added,
       sales_velocity_remove(s, 3, false, timestamp '2024-01-01', timestamp '2024-01-01 00:00:02')
           AS removed,
       sales_velocity_remove(s, 2.50, true, timestamp '2024-01-01', timestamp '2024-01-01') AS scale_unknown,
       sales_velocity_combine(s, s) AS combined, sales_velocity_final(s) AS velocity
FROM (VALUES ('v1 rows=3 won_amount=3.50 won_amount_scale_rows=1 cycle_seconds=86402.000000 cycle_seconds_scale_rows=3'::velocity_summary)) AS v(s);
SELECT s AS before,
       sales_velocity_add(s, 0.5::float8, true, timestamp '2024-01-01', timestamp '2024-01-01 00:00:00.000001')
           AS added,
       sales_velocity_remove(s, 2::float8, true, timestamptz '2024-01-01+00', timestamptz '2024-01-02+00')
           AS removed,
       sales_velocity_combine(s, s) AS combined, sales_velocity_final(s) AS velocity
FROM (VALUES ('v1 rows=2 won_rows=2 won_amount=3.5 won_amount_error=0 cycle_seconds=172800'::float8_velocity_summary)) AS v(s);
-- A spilled won amount through a direct call.
SELECT sales_velocity_add(s, -1e40, true, timestamptz '2024-01-01+00', timestamptz '2024-01-01 00:00:01+00')
FROM (VALUES ('v1 rows=1 won_amount=1.5 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'::velocity_summary)) AS v(s);

---------------------------------------------------------------------------------------
-- velocity_summary and float8_velocity_summary: text and binary forms.
---------------------------------------------------------------------------------------

-- Text round trips: negative and mixed-scale sums, liberal white space, and a won sum
-- too wide for 128 bits.
SELECT 'v1 rows=3 won_amount=-12.50 won_amount_scale_rows=1 cycle_seconds=90000.000001 cycle_seconds_scale_rows=3'::velocity_summary;
SELECT ' v1  rows=0	won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0 '::velocity_summary;
SELECT 'v1 rows=2 won_amount=-10000000000000000000000000000000000000000.000000000000000000000000000001 won_amount_scale_rows=1 cycle_seconds=1000000000000000000000000000000000.000000 cycle_seconds_scale_rows=2'::velocity_summary;
SELECT 'v1 rows=3 won_rows=2 won_amount=1e+16 won_amount_error=1 cycle_seconds=12.5'::float8_velocity_summary;
SELECT s::text::velocity_summary::text = s::text AS text_round_trip
FROM (SELECT sales_velocity_add(sales_velocity_add(
          'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
          -0.5, true, timestamptz '2024-01-01+00', timestamptz '2024-02-01 00:00:00.25+00'),
          7, false, timestamp '2024-01-01', timestamp '2024-01-01')) AS v(s);

-- One error of each kind shown in full.
SELECT 'v1 rows=1 won_amount=1e3 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'::velocity_summary;
SELECT 'v2 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0'::velocity_summary;
SELECT 'v1 rows=1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=1 cycle_seconds_scale_rows=1'::velocity_summary;
SELECT 'v1 rows=1 won_rows=2 won_amount=1 won_amount_error=0 cycle_seconds=1'::float8_velocity_summary;

-- Every malformed (22P02), impossible (22023) and out-of-range (22003) case.
SELECT input, pg_temp.error_of(format('SELECT %L::velocity_summary', input)) AS result
FROM (VALUES
    (''), ('v1'), ('v1 rows=1'),
    ('v1 rows=1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=1.000000'),
    ('v1 rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1 won_amount=1 won_amount_scale_rows=1'),
    ('v1 rows=1 won_amount=NaN won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=1 won_amount=.5 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=-1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1 x'),
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=1'),
    ('v0 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0'),
    ('v99999999999 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0'),
    ('v1 rows=0 won_amount=1 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0'),
    ('v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0.000000 cycle_seconds_scale_rows=0'),
    ('v1 rows=1 won_amount=1.5 won_amount_scale_rows=2 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=1 won_amount=1.5 won_amount_scale_rows=0 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=2 won_amount=1 won_amount_scale_rows=1 cycle_seconds=1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=-1.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=1 won_amount=1 won_amount_scale_rows=1 cycle_seconds=-1000000000000000000000000000000000.000000 cycle_seconds_scale_rows=1'),
    ('v1 rows=9223372036854775808 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0')
) AS cases(input);

SELECT input, pg_temp.error_of(format('SELECT %L::float8_velocity_summary', input)) AS result
FROM (VALUES
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0'),
    ('v2 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0'),
    ('v1 rows=1 won_rows=1 won_amount=NaN won_amount_error=0 cycle_seconds=1'),
    ('v1 rows=1 won_rows=1 won_amount=1e309 won_amount_error=0 cycle_seconds=1'),
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=1e3'),
    ('v1 rows=1 won_rows=2 won_amount=1 won_amount_error=0 cycle_seconds=1'),
    ('v1 rows=1 won_rows=0 won_amount=1 won_amount_error=0 cycle_seconds=1'),
    ('v1 rows=1 won_rows=1 won_amount=1 won_amount_error=0.5 cycle_seconds=1'),
    ('v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0.000001'),
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=-1'),
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0.0000001'),
    ('v1 rows=1 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=170141183460469231731687303715884.105728')
) AS cases(input);

-- Binary forms. velocity_summary: version byte, rows and the two scale_rows as int64,
-- then the two sums in numeric's binary form. float8_velocity_summary: version byte,
-- rows and won_rows as int64, the won sum and its error as float8, then the cycle
-- microseconds as a 128-bit integer, high half first.
SELECT velocity_summary_send('v1 rows=2 won_amount=-12.50 won_amount_scale_rows=1 cycle_seconds=3.000001 cycle_seconds_scale_rows=2');
SELECT float8_velocity_summary_send('v1 rows=2 won_rows=1 won_amount=1.5 won_amount_error=0 cycle_seconds=3.000001');

-- Binary COPY out and back in, wide and empty states included.
CREATE TABLE velocity_states (id int, exact velocity_summary, approx float8_velocity_summary);
INSERT INTO velocity_states VALUES
    (1, 'v1 rows=3 won_amount=-12.50 won_amount_scale_rows=1 cycle_seconds=90000.000001 cycle_seconds_scale_rows=3',
        'v1 rows=3 won_rows=2 won_amount=1e+16 won_amount_error=1 cycle_seconds=90000.000001'),
    (2, 'v1 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0',
        'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0'),
    (3, 'v1 rows=2 won_amount=-10000000000000000000000000000000000000000.000000000000000000000000000001 won_amount_scale_rows=1 cycle_seconds=1000000000000000000000000000000000.000000 cycle_seconds_scale_rows=2',
        'v1 rows=2 won_rows=2 won_amount=-1.7976931348623157e+308 won_amount_error=0 cycle_seconds=170141183460469231731687303715884.105727');
CREATE TABLE velocity_states_copy (LIKE velocity_states);
COPY velocity_states TO PROGRAM 'cat > b2bkpi_velocity_states.copy' (FORMAT binary);
COPY velocity_states_copy FROM PROGRAM 'cat b2bkpi_velocity_states.copy && rm -f b2bkpi_velocity_states.copy' (FORMAT binary);
SELECT * FROM velocity_states_copy ORDER BY id;
SELECT count(*) AS rows_equal_as_text
FROM velocity_states AS a JOIN velocity_states_copy AS b USING (id)
WHERE a.exact::text = b.exact::text AND a.approx::text = b.approx::text;

-- Malformed binary values: raw bytes written with binary COPY of a bytea column, then
-- read back as a state type.
CREATE TABLE raw_bytes (b bytea);
CREATE TABLE exact_only (v velocity_summary);
CREATE TABLE approx_only (f float8_velocity_summary);
CREATE FUNCTION pg_temp.binary_error_of(bytes bytea, target text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE raw_bytes;
    INSERT INTO raw_bytes VALUES (bytes);
    COPY raw_bytes TO PROGRAM 'cat > b2bkpi_velocity_raw.copy' (FORMAT binary);
    RETURN pg_temp.error_of(format(
        'COPY %I FROM PROGRAM %L (FORMAT binary)', target,
        'cat b2bkpi_velocity_raw.copy && rm -f b2bkpi_velocity_raw.copy'));
END
$$;
SELECT label, pg_temp.binary_error_of(bytes, target) AS result
FROM (VALUES
    ('valid exact', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                    || numeric_send(-12.50) || numeric_send(3.000001), 'exact_only'),
    ('empty', '\x', 'exact_only'),
    ('version 2', '\x02'::bytea || int8send(2) || int8send(1) || int8send(2)
                  || numeric_send(-12.50) || numeric_send(3.000001), 'exact_only'),
    ('sum cut short', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                      || numeric_send(-12.50) || '\x00010000', 'exact_only'),
    ('NaN cycle', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                  || numeric_send(-12.50) || numeric_send('NaN'), 'exact_only'),
    ('cycle of scale 0', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                         || numeric_send(-12.50) || numeric_send(3), 'exact_only'),
    ('negative cycle', '\x01'::bytea || int8send(2) || int8send(1) || int8send(2)
                       || numeric_send(-12.50) || numeric_send(-3.000001), 'exact_only'),
    ('valid approx', '\x01'::bytea || int8send(2) || int8send(1) || float8send(1.5)
                     || float8send(0) || int8send(0) || int8send(3000001), 'approx_only'),
    ('approx version 2', '\x02'::bytea || int8send(2) || int8send(1) || float8send(1.5)
                         || float8send(0) || int8send(0) || int8send(3000001), 'approx_only'),
    ('approx cut short', '\x01'::bytea || int8send(2) || int8send(1) || float8send(1.5)
                         || float8send(0) || int8send(0), 'approx_only'),
    ('approx NaN', '\x01'::bytea || int8send(2) || int8send(1) || float8send('NaN')
                   || float8send(0) || int8send(0) || int8send(3000001), 'approx_only'),
    ('won_rows over rows', '\x01'::bytea || int8send(1) || int8send(2) || float8send(1.5)
                           || float8send(0) || int8send(0) || int8send(3000001), 'approx_only'),
    ('negative approx cycle', '\x01'::bytea || int8send(2) || int8send(1) || float8send(1.5)
                              || float8send(0) || int8send(-1) || int8send(-1), 'approx_only')
) AS cases(label, bytes, target);
SELECT * FROM exact_only;
SELECT * FROM approx_only;

DROP VIEW velocity_kpis, velocity_idiom, grouped_opportunities, wide_kpis, wide_opportunities;
DROP TABLE opportunities, small_deals, wide_deals, velocity_states, velocity_states_copy,
    raw_bytes, exact_only, approx_only;
