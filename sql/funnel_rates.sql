-- Funnel rates (kpi-spec section 1): conversion_rate, mql_rate, mql_to_sql_rate,
-- win_rate and nps. Hand-computed values first, then every function against its
-- SQL idiom on 100k generated rows, in serial, parallel and sliding-frame plans,
-- then the edge cases and every bad input.

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

---------------------------------------------------------------------------------------
-- Hand-computed values.
---------------------------------------------------------------------------------------

-- 2 of 4 non-NULL rows: 0.5 for every boolean rate.
SELECT conversion_rate(b), mql_rate(b), win_rate(b)
FROM (VALUES (true), (false), (false), (NULL), (true)) AS v(b);

-- MQL rows with a known SQL flag: (t,t) (t,f) (t,t) -> 2 / 3; (t,NULL) is skipped,
-- non-MQL rows do not count.
SELECT mql_to_sql_rate(m, s)
FROM (VALUES (true, true), (true, false), (true, NULL), (false, true),
             (NULL, true), (true, true), (false, false)) AS v(m, s);

-- Pre-aggregated rows: (1 + 3 + 0) / (10 + 5 + 0) = 4 / 15; rows with a NULL skipped.
SELECT conversion_rate(c, t), mql_rate(c, t), mql_to_sql_rate(c, t)
FROM (VALUES (1::bigint, 10::bigint), (3, 5), (0, 0), (NULL, 5), (2, NULL)) AS v(c, t);

-- 3 promoters (10, 9, 10), 2 passives (8, 7), 2 detractors (6, 0): 100 * 1 / 7.
SELECT nps(s) FROM (VALUES (10), (9), (8), (7), (6), (0), (NULL), (10)) AS v(s);
-- Boundaries: all promoters, all detractors, only passives.
SELECT nps(s) FILTER (WHERE s >= 9) AS all_promoters,
       nps(s) FILTER (WHERE s <= 6) AS all_detractors,
       nps(s) FILTER (WHERE s IN (7, 8)) AS only_passives
FROM generate_series(0, 10) AS s;

-- GROUP BY, FILTER and grouping sets.
CREATE TABLE small_funnel (channel text, is_mql boolean, is_sql boolean, score int);
INSERT INTO small_funnel VALUES
    ('ads', true, true, 10), ('ads', true, false, 3), ('ads', false, false, 9),
    ('ads', false, false, NULL), ('seo', true, true, 8), ('seo', false, false, 9),
    ('seo', NULL, NULL, 0), ('seo', false, false, 10), ('events', NULL, NULL, NULL);
SELECT channel, mql_rate(is_mql), mql_to_sql_rate(is_mql, is_sql), nps(score),
       mql_rate(is_mql) FILTER (WHERE score >= 5) AS mql_rate_happy
FROM small_funnel GROUP BY ROLLUP (channel) ORDER BY channel NULLS LAST;

---------------------------------------------------------------------------------------
-- Empty input, all-NULL input and zero denominators: NULL, never an error.
---------------------------------------------------------------------------------------

SELECT conversion_rate(b), mql_rate(b), win_rate(b), mql_to_sql_rate(b, b), nps(i),
       conversion_rate(i::bigint, i::bigint), mql_rate(i::bigint, i::bigint),
       mql_to_sql_rate(i::bigint, i::bigint)
FROM (SELECT true, 1 WHERE false) AS empty(b, i);

SELECT conversion_rate(b), mql_rate(b), win_rate(b), mql_to_sql_rate(b, b), nps(i),
       conversion_rate(i::bigint, i::bigint), mql_rate(i::bigint, i::bigint),
       mql_to_sql_rate(i::bigint, i::bigint)
FROM (VALUES (NULL::boolean, NULL::int), (NULL, NULL)) AS all_null(b, i);

-- Zero trials: pre-aggregated rows with no visits, and no MQL rows at all.
SELECT conversion_rate(0::bigint, 0::bigint), mql_rate(0::bigint, 0::bigint),
       mql_to_sql_rate(0::bigint, 0::bigint)
FROM generate_series(1, 3);
SELECT mql_to_sql_rate(false, s) FROM (VALUES (true), (false)) AS v(s);

-- A NULL state never reaches the final function; a group of only skipped rows is NULL.
SELECT channel, mql_rate(is_mql) FROM small_funnel WHERE channel = 'events' GROUP BY channel;

---------------------------------------------------------------------------------------
-- 100k generated rows with NULLs, against the SQL idioms.
---------------------------------------------------------------------------------------

-- Deterministic pseudo-random columns from a multiplicative hash of the row number.
CREATE TABLE funnel_events AS
SELECT i AS id,
       'channel_' || (h1 % 9) AS channel,
       CASE WHEN h2 % 37 = 0 THEN NULL ELSE h2 % 1000 < 30 + 10 * (h1 % 9) END AS is_mql,
       CASE WHEN h3 % 41 = 0 THEN NULL ELSE h3 % 100 < 35 END AS is_sql,
       CASE WHEN h4 % 3 = 0 THEN NULL ELSE h4 % 100 < 25 END AS is_won,
       CASE WHEN h5 % 23 = 0 THEN NULL ELSE ((h5 / 7) % 11)::int END AS score,
       CASE WHEN h6 % 29 = 0 THEN NULL ELSE h6 % 5000 END AS visits,
       CASE WHEN h7 % 31 = 0 THEN NULL ELSE h7 % 64 END AS mql_share
FROM generate_series(1::bigint, 100000) AS i,
LATERAL (SELECT (i * 2654435761 + 1) % 4294967291 AS h1,
                (i * 2246822519 + 3) % 4294967279 AS h2,
                (i * 3266489917 + 5) % 4294967231 AS h3,
                (i * 668265263 + 7) % 4294967197 AS h4,
                (i * 374761393 + 11) % 4294967189 AS h5,
                (i * 2869860233 + 13) % 4294967161 AS h6,
                (i * 1103515245 + 17) % 4294967143 AS h7) AS hashes;
-- Pre-aggregated counts derived from the same rows: mqls <= visits, sqls <= mqls.
ALTER TABLE funnel_events ADD COLUMN mqls bigint, ADD COLUMN sqls bigint;
UPDATE funnel_events SET mqls = visits * mql_share / 1000,
                         sqls = (visits * mql_share / 1000) * (id % 5) / 4;
-- Two channels to stress the edge cases: no MQL at all, and only NULL flags.
UPDATE funnel_events SET is_mql = false, mqls = 0, sqls = 0 WHERE channel = 'channel_7';
UPDATE funnel_events SET is_mql = NULL, is_sql = NULL, is_won = NULL, score = NULL,
                         visits = NULL WHERE channel = 'channel_8';
ANALYZE funnel_events;

SELECT count(*) AS rows, count(is_mql) AS mql_flags, count(score) AS scores,
       count(DISTINCT channel) AS channels
FROM funnel_events;

-- The idioms, written independently of the extension, one view for each grouping.
CREATE VIEW funnel_idiom AS
SELECT channel,
       count(*) FILTER (WHERE is_mql)::float8 / nullif(count(is_mql), 0) AS conversion_rate,
       count(*) FILTER (WHERE is_mql AND is_sql)::float8
           / nullif(count(*) FILTER (WHERE is_mql AND is_sql IS NOT NULL), 0) AS mql_to_sql_rate,
       count(*) FILTER (WHERE is_won)::float8 / nullif(count(is_won), 0) AS win_rate,
       100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8
           / nullif(count(score), 0) AS nps,
       sum(mqls) FILTER (WHERE visits IS NOT NULL)::float8
           / nullif(sum(visits) FILTER (WHERE mqls IS NOT NULL), 0) AS mql_rate_counts,
       sum(sqls) FILTER (WHERE mqls IS NOT NULL)::float8
           / nullif(sum(mqls) FILTER (WHERE sqls IS NOT NULL), 0) AS mql_to_sql_rate_counts
FROM funnel_events GROUP BY ROLLUP (channel);

CREATE VIEW funnel_kpis AS
SELECT channel,
       conversion_rate(is_mql) AS conversion_rate,
       mql_rate(is_mql) AS mql_rate,
       mql_to_sql_rate(is_mql, is_sql) AS mql_to_sql_rate,
       win_rate(is_won) AS win_rate,
       nps(score) AS nps,
       conversion_rate(mqls, visits) AS conversion_rate_counts,
       mql_rate(mqls, visits) AS mql_rate_counts,
       mql_to_sql_rate(sqls, mqls) AS mql_to_sql_rate_counts
FROM funnel_events GROUP BY ROLLUP (channel);

-- Every group (9 channels and the total) agrees, bit for bit.
CREATE FUNCTION pg_temp.compare_with_idiom() RETURNS TABLE (
    groups bigint, conversion_rate bigint, mql_rate bigint, mql_to_sql_rate bigint,
    win_rate bigint, nps bigint, conversion_rate_counts bigint, mql_rate_counts bigint,
    mql_to_sql_rate_counts bigint)
LANGUAGE sql AS $$
SELECT count(*),
       count(*) FILTER (WHERE k.conversion_rate IS NOT DISTINCT FROM i.conversion_rate),
       count(*) FILTER (WHERE k.mql_rate IS NOT DISTINCT FROM i.conversion_rate),
       count(*) FILTER (WHERE k.mql_to_sql_rate IS NOT DISTINCT FROM i.mql_to_sql_rate),
       count(*) FILTER (WHERE k.win_rate IS NOT DISTINCT FROM i.win_rate),
       count(*) FILTER (WHERE k.nps IS NOT DISTINCT FROM i.nps),
       count(*) FILTER (WHERE k.conversion_rate_counts IS NOT DISTINCT FROM i.mql_rate_counts),
       count(*) FILTER (WHERE k.mql_rate_counts IS NOT DISTINCT FROM i.mql_rate_counts),
       count(*) FILTER (WHERE k.mql_to_sql_rate_counts IS NOT DISTINCT FROM i.mql_to_sql_rate_counts)
FROM funnel_kpis AS k JOIN funnel_idiom AS i ON k.channel IS NOT DISTINCT FROM i.channel
$$;

SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.compare_with_idiom();

-- The values themselves, so a change in the generator or the arithmetic shows.
SELECT channel, round(mql_rate::numeric, 6) AS mql_rate,
       round(mql_to_sql_rate::numeric, 6) AS mql_to_sql_rate,
       round(win_rate::numeric, 6) AS win_rate, round(nps::numeric, 4) AS nps,
       round(mql_rate_counts::numeric, 6) AS mql_rate_counts
FROM funnel_kpis ORDER BY channel NULLS LAST;

CREATE TEMP TABLE serial_results AS SELECT * FROM funnel_kpis;

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
SELECT mql_rate(is_mql), nps(score), mql_rate(mqls, visits) FROM funnel_events;
EXPLAIN (COSTS OFF)
SELECT channel, mql_to_sql_rate(is_mql, is_sql) FROM funnel_events GROUP BY channel;

SELECT * FROM pg_temp.compare_with_idiom();

-- The parallel answer equals the serial one, group by group.
SELECT count(*) AS groups_equal_to_serial
FROM funnel_kpis AS p JOIN serial_results AS s ON p.channel IS NOT DISTINCT FROM s.channel
WHERE (p.*)::text = (s.*)::text;

SELECT mql_rate(is_mql) = (SELECT mql_rate FROM serial_results WHERE channel IS NULL)
       AS ungrouped_parallel_equals_serial
FROM funnel_events;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- Sliding window frames (moving aggregates with an inverse transition), against
-- the built-in window idiom, row by row.
---------------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.compare_frames(frame text) RETURNS TABLE (rows bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    SELECT count(*),
           count(*) FILTER (WHERE
               mql_rate IS DISTINCT FROM mql_rate_idiom
            OR mql_to_sql_rate IS DISTINCT FROM mql_to_sql_rate_idiom
            OR win_rate IS DISTINCT FROM win_rate_idiom
            OR nps IS DISTINCT FROM nps_idiom
            OR mql_rate_counts IS DISTINCT FROM mql_rate_counts_idiom
            OR mql_to_sql_rate_counts IS DISTINCT FROM mql_to_sql_rate_counts_idiom)
    FROM (
        SELECT mql_rate(is_mql) OVER w AS mql_rate,
               count(*) FILTER (WHERE is_mql) OVER w::float8
                   / nullif(count(is_mql) OVER w, 0) AS mql_rate_idiom,
               mql_to_sql_rate(is_mql, is_sql) OVER w AS mql_to_sql_rate,
               count(*) FILTER (WHERE is_mql AND is_sql) OVER w::float8
                   / nullif(count(*) FILTER (WHERE is_mql AND is_sql IS NOT NULL) OVER w, 0)
                   AS mql_to_sql_rate_idiom,
               win_rate(is_won) OVER w AS win_rate,
               count(*) FILTER (WHERE is_won) OVER w::float8
                   / nullif(count(is_won) OVER w, 0) AS win_rate_idiom,
               nps(score) OVER w AS nps,
               100 * (count(*) FILTER (WHERE score >= 9) OVER w
                      - count(*) FILTER (WHERE score <= 6) OVER w)::float8
                   / nullif(count(score) OVER w, 0) AS nps_idiom,
               mql_rate(mqls, visits) OVER w AS mql_rate_counts,
               sum(mqls) FILTER (WHERE visits IS NOT NULL) OVER w::float8
                   / nullif(sum(visits) FILTER (WHERE mqls IS NOT NULL) OVER w, 0)
                   AS mql_rate_counts_idiom,
               mql_to_sql_rate(sqls, mqls) OVER w AS mql_to_sql_rate_counts,
               sum(sqls) FILTER (WHERE mqls IS NOT NULL) OVER w::float8
                   / nullif(sum(mqls) FILTER (WHERE sqls IS NOT NULL) OVER w, 0)
                   AS mql_to_sql_rate_counts_idiom
        FROM funnel_events
        WINDOW w AS (%s)
    ) AS framed $q$, frame);
END
$$;

SELECT 'ROWS 100 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id ROWS 100 PRECEDING');
SELECT 'per channel, ROWS 1000 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'PARTITION BY channel ORDER BY id ROWS 1000 PRECEDING');
SELECT 'ROWS BETWEEN 7 PRECEDING AND 3 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id ROWS BETWEEN 7 PRECEDING AND 3 FOLLOWING');
SELECT 'RANGE 50 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id RANGE 50 PRECEDING');
SELECT 'GROUPS 2 PRECEDING EXCLUDE CURRENT ROW' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id % 1000 GROUPS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW');

-- A frame that empties and refills: NULL while it holds no non-NULL rows.
SELECT id, b, mql_rate(b) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (1, true), (2, NULL), (3, NULL), (4, false), (5, true)) AS v(id, b);

---------------------------------------------------------------------------------------
-- Materialized views and plain calls of the support functions.
---------------------------------------------------------------------------------------

CREATE MATERIALIZED VIEW channel_rates AS
SELECT channel, mql_rate(is_mql) AS mql_rate, nps(score) AS nps
FROM funnel_events GROUP BY channel;
UPDATE funnel_events SET is_mql = true WHERE id <= 1000;
REFRESH MATERIALIZED VIEW channel_rates;
SELECT count(*) AS channels_equal_after_refresh
FROM channel_rates AS m JOIN funnel_kpis AS k USING (channel)
WHERE m.mql_rate = k.mql_rate AND m.nps IS NOT DISTINCT FROM k.nps;
DROP MATERIALIZED VIEW channel_rates;

-- Called directly, a transition function returns a new value and leaves its input alone.
SELECT s AS before, rate_add(s, true) AS added, rate_remove(s, false) AS removed,
       rate_combine(s, s) AS combined, rate_final(s) AS rate
FROM (VALUES ('v1 hits=1 trials=2'::rate_summary)) AS v(s);
SELECT nps_add(s, 10), nps_remove(s, 0), nps_final(s)
FROM (VALUES ('v1 promoters=1 passives=1 detractors=1'::nps_summary)) AS v(s);

---------------------------------------------------------------------------------------
-- Bad input: SQLSTATE 22023 for impossible data, 22003 for overflow.
---------------------------------------------------------------------------------------

-- Shown once in full, with detail and hint.
SELECT mql_rate(mqls, visits) FROM (VALUES (5::bigint, 3::bigint)) AS v(mqls, visits);
SELECT nps(s) FROM (VALUES (7), (11)) AS v(s);

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT conversion_rate(-1::bigint, 5::bigint)'),
    ('SELECT conversion_rate(1::bigint, -5::bigint)'),
    ('SELECT conversion_rate(6::bigint, 5::bigint)'),
    ('SELECT mql_rate(-1::bigint, 5::bigint)'),
    ('SELECT mql_rate(0::bigint, -1::bigint)'),
    ('SELECT mql_rate(6::bigint, 5::bigint)'),
    ('SELECT mql_to_sql_rate(-1::bigint, 5::bigint)'),
    ('SELECT mql_to_sql_rate(0::bigint, -1::bigint)'),
    ('SELECT mql_to_sql_rate(6::bigint, 5::bigint)'),
    ('SELECT nps(-1)'),
    ('SELECT nps(11)'),
    ('SELECT nps(2147483647)'),
    ('SELECT nps(s) OVER (ORDER BY s ROWS 1 PRECEDING) FROM generate_series(8, 12) s'),
    ('SELECT mql_rate(m, v) OVER (ORDER BY v ROWS 1 PRECEDING) FROM (VALUES (1::bigint, 2::bigint), (3, 2)) x(m, v)'),
    ('SELECT conversion_rate(0::bigint, t) FROM (VALUES (9223372036854775807::bigint), (1)) v(t)'),
    ('SELECT mql_rate(1::bigint, 4611686018427387904::bigint) FROM generate_series(1, 2)'),
    ('SELECT rate_combine(''v1 hits=0 trials=9223372036854775807'', ''v1 hits=0 trials=1'')'),
    ('SELECT nps_combine(''v1 promoters=9223372036854775807 passives=0 detractors=0'', ''v1 promoters=0 passives=0 detractors=1'')'),
    ('SELECT rate_add(''v1 hits=0 trials=9223372036854775807'', false)'),
    ('SELECT rate_remove(''v1 hits=0 trials=0'', true)'),
    ('SELECT rate_remove(''v1 hits=1 trials=1'', false)'),
    ('SELECT mql_rate_remove(''v1 hits=1 trials=2'', 0::bigint, 2::bigint)')
) AS cases(query);

-- The largest sums that fit still work.
SELECT conversion_rate(c, t)
FROM (VALUES (1::bigint, 9223372036854775806::bigint), (0, 1)) AS v(c, t);

DROP VIEW funnel_kpis, funnel_idiom;
DROP TABLE funnel_events, small_funnel;
