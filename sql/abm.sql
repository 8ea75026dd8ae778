-- Account-based marketing (kpi-spec section 5): reach_rate and coverage_rate over
-- distinct accounts of any hashable type, account_engagement (time-decayed minutes),
-- engagement_lift (top- against bottom-quartile outcome), and the per-account use of
-- the foundation's functions (nps, conversion_rate). The examples of docs/abm.md worked
-- by hand, then generated ABM data (3,000 accounts, 40,000 touches over 180 days, NULLs
-- sprinkled in) against independent SQL formulations, parallel plans against serial
-- ones, sliding frames against a LATERAL recomputation of each frame, and the state
-- types account_set, engagement_summary and engagement_pairs in text and binary, with
-- every input error.
--
-- Each check prints a count of what it compared and a count of mismatches (0), or a
-- value worked out by hand in the comment above it.

-- The catalog test installs the extension; this file also runs on its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2bkpi;
RESET client_min_messages;

SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
SET max_parallel_workers_per_gather = 0;
\pset null '(null)'

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- The lines of a plan, to show where the partial aggregates run.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END
$$;

---------------------------------------------------------------------------------------
-- 1. reach_rate and coverage_rate: the examples of docs/abm.md, worked by hand.
---------------------------------------------------------------------------------------
-- acme has a reached row; globex has none; initech has only a row whose reached is
-- NULL, and the row with no account is skipped, so neither counts; umbrella has a
-- reached row: 2 of 3 accounts, 0.6666666666666666.
SELECT reach_rate(account, reached) AS reach,
       coverage_rate(account, reached) AS same_measure
FROM (VALUES ('acme', true), ('acme', false), ('globex', false), ('initech', NULL),
             (NULL, true), ('umbrella', false), ('umbrella', true)) AS t(account, reached);

-- Per program: webinar reached acme and globex of acme, globex, initech (2/3); the
-- newsletter reached nobody of acme and initech (0); the event reached its only
-- account (1); the field program's rows are all skipped (NULL).
SELECT program, reach_rate(account, reached) AS reach, count(*) AS touches
FROM (VALUES ('webinar', 'acme', true), ('webinar', 'acme', true), ('webinar', 'globex', false),
             ('webinar', 'globex', true), ('webinar', 'initech', false),
             ('newsletter', 'acme', false), ('newsletter', 'initech', false),
             ('event', 'umbrella', true),
             ('field', NULL, true), ('field', 'acme', NULL)) AS t(program, account, reached)
GROUP BY program ORDER BY program;

-- FILTER: over webinar rows only, acme and globex of three accounts; over the rows
-- reached by anything, every account that appears is reached (1).
SELECT reach_rate(account, reached) FILTER (WHERE program = 'webinar') AS webinar_reach,
       reach_rate(account, reached) FILTER (WHERE reached) AS only_reached_rows
FROM (VALUES ('webinar', 'acme', true), ('webinar', 'globex', true), ('webinar', 'initech', false),
             ('newsletter', 'hooli', false)) AS t(program, account, reached);

-- Undefined: no rows, only skipped rows; defined: no account reached (0), all (1).
SELECT reach_rate(account, reached) FILTER (WHERE false) AS no_rows,
       reach_rate(account, reached) FILTER (WHERE account IS NULL OR reached IS NULL) AS only_skipped_rows,
       reach_rate(account, false) AS none_reached,
       reach_rate(account, true) FILTER (WHERE account IS NOT NULL) AS all_reached
FROM (VALUES (1::bigint, true), (NULL, true), (2, NULL), (3, false)) AS t(account, reached);
SELECT reach_rate(account, reached) AS empty_table
FROM (SELECT 1::bigint, true WHERE false) AS t(account, reached);

-- A mix in which NULLs would change the answer if they were counted: account 1 has a
-- reached row and a NULL row; account 2 only a NULL row (skipped); account 3 is
-- reached only by a row whose account is NULL (not its row). 1 of {1, 3}: 0.5.
SELECT reach_rate(account, reached) AS reach
FROM (VALUES (1::bigint, true), (1, NULL), (2, NULL), (3, false), (NULL, true)) AS t(account, reached);

-- The type's own equality: numeric 1.0, 1.00 and 1 are one account (reached once of
-- accounts {1, 2}: 0.5); as text they would be three accounts plus '2' (0.25).
SELECT reach_rate(account, reached) AS numeric_reach,
       reach_rate(account::text, reached) AS as_text_reach
FROM (VALUES (1.0::numeric, false), (1.00, true), (1, false), (2, false)) AS t(account, reached);

-- A nondeterministic collation makes 'Acme' and 'ACME' one account: reached of {acme,
-- globex} = 0.5; under the default collation they are two: 1 of 3.
CREATE COLLATION pg_temp.case_insensitive (provider = icu, locale = 'und-u-ks-level2',
                                           deterministic = false);
SELECT reach_rate(account COLLATE pg_temp.case_insensitive, reached) AS ignoring_case,
       reach_rate(account, reached) AS default_collation
FROM (VALUES ('Acme', false), ('ACME', true), ('Globex', false)) AS t(account, reached);

-- Other types: integer, uuid, date, a domain, varchar; hand-worked 1/2 and 2/3.
CREATE DOMAIN abm_account_code AS text CHECK (VALUE ~ '^ACC-[0-9]+$');
SELECT reach_rate(i, r) AS int_reach,
       reach_rate(md5(i::text)::uuid, r) AS uuid_reach,
       reach_rate(date '2026-01-01' + i, r) AS date_reach,
       reach_rate(('ACC-' || i)::abm_account_code, r) AS domain_reach,
       reach_rate(('ACC-' || i)::varchar(10), r) AS varchar_reach
FROM (VALUES (1, true), (1, false), (2, false)) AS t(i, r);
SELECT coverage_rate(i, r) AS int_coverage,
       coverage_rate(md5(i::text)::uuid, r) AS uuid_coverage
FROM (VALUES (1, true), (2, false), (3, true)) AS t(i, r);

-- A type without a hash function cannot be counted once per account.
SELECT pg_temp.error_of($$SELECT reach_rate(p, true) FROM (VALUES (point(1, 2))) AS t(p)$$);
SELECT pg_temp.error_of($$SELECT coverage_rate(p, true) FROM (VALUES (point(1, 2))) AS t(p)$$);

-- The campaign of docs/abm.md, by hand. Per program: event reached umbrella (1) and
-- did not cover it (0); field's two rows are skipped for reach (no account; no flag)
-- and acme's covered row counts (1); newsletter reached nobody (0) and covered acme of
-- acme, initech (0.5); webinar reached acme and globex of three (2/3) and covered acme
-- and initech (globex: false and NULL) of three (2/3).
CREATE TEMP TABLE doc_touches (account text, program text, channel text, ts timestamptz,
                               reached boolean, covered boolean);
INSERT INTO doc_touches VALUES
    ('acme',     'webinar',    'events',      '2026-03-02 10:00+00', true,  true),
    ('acme',     'webinar',    'events',      '2026-03-09 10:00+00', true,  true),
    ('globex',   'webinar',    'events',      '2026-03-02 10:00+00', false, false),
    ('globex',   'webinar',    'paid_social', '2026-03-05 16:00+00', true,  NULL),
    ('initech',  'webinar',    'paid_social', '2026-03-06 09:00+00', false, true),
    ('acme',     'newsletter', 'email',       '2026-03-03 08:00+00', false, true),
    ('initech',  'newsletter', 'email',       '2026-03-03 08:00+00', false, false),
    ('umbrella', 'event',      'events',      '2026-03-10 18:00+00', true,  false),
    (NULL,       'field',      'sdr',         '2026-03-04 11:00+00', true,  NULL),
    ('acme',     'field',      'sdr',         '2026-03-04 11:00+00', NULL,  true);
SELECT program,
       reach_rate(account, reached)    AS reach,
       coverage_rate(account, covered) AS coverage,
       count(*)                        AS touches
FROM doc_touches GROUP BY program ORDER BY program;
-- ROLLUP: email reached neither acme nor initech (0), has no webinar rows (NULL);
-- events: webinar 1 of {acme, globex}, any 2 of {acme, globex, umbrella}; paid_social
-- 1 of {globex, initech} both ways; sdr: only skipped rows (NULL); total: webinar 2/3,
-- any program 3 of {acme, globex, initech, umbrella} = 0.75.
SELECT channel,
       reach_rate(account, reached) FILTER (WHERE program = 'webinar') AS webinar_reach,
       reach_rate(account, reached)                                     AS any_program_reach
FROM doc_touches GROUP BY ROLLUP (channel) ORDER BY channel;
-- Frames in (ts, account) order (the NULL account last among its peers): the last 3
-- touches, and the touches of the 6 days before each touch up to its time (peers
-- included). Worked by hand in docs/abm.md: 1, .5, .5, 0, 0, 0, 1, .5, 2/3, 2/3 and
-- .5, .5, 1/3, 1/3, 1/3, 1/3, 2/3, 2/3, 2/3, .75.
SELECT ts::date AS day, account, reached,
       reach_rate(account, reached)
           OVER (ORDER BY ts, account ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last_3_touches,
       reach_rate(account, reached)
           OVER (ORDER BY ts RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW) AS last_7_days
FROM doc_touches ORDER BY ts, account;

---------------------------------------------------------------------------------------
-- 2. Generated ABM data. 3,000 accounts, 40,000 touches over 180 days in 5 channels and
-- 8 programs, with touch types of different weight; about 1 % of accounts, 2 % of the
-- flags and minutes and 1 % of the times are NULL. Accounts are skewed (a few very
-- active, many quiet). The account id also comes as integer, text, varchar, uuid
-- (md5 of the id), numeric with varying scale (5, 5.0, 5.00 are one account) and a
-- domain over text.
---------------------------------------------------------------------------------------
SELECT setseed(0.2026);
CREATE TABLE abm_touches AS
SELECT touch_id,
       account_id,
       account_id::integer AS account_int,
       'ACC-' || account_id AS account_text,
       ('ACC-' || account_id)::varchar(12) AS account_varchar,
       md5(account_id::text)::uuid AS account_uuid,
       round(account_id::numeric, touch_id % 3) AS account_numeric,
       ('ACC-' || account_id)::abm_account_code AS account_code,
       channel, program, touch_type,
       CASE WHEN minutes_draw < 0.02 THEN NULL
            ELSE round((weight * (0.5 + minutes_draw))::numeric, 1)::float8 END AS minutes,
       CASE WHEN ts_draw < 0.01 THEN NULL
            ELSE timestamptz '2026-01-01 00:00:00+00' + ts_draw * interval '180 days' END AS ts,
       CASE WHEN reached_draw < 0.02 THEN NULL ELSE reached_draw < 0.30 END AS reached,
       CASE WHEN covered_draw < 0.02 THEN NULL ELSE covered_draw < 0.45 END AS covered
FROM (
    SELECT touch_id,
           CASE WHEN random() < 0.01 THEN NULL
                ELSE 1 + floor(3000 * random() ^ 2)::bigint END AS account_id,
           (ARRAY['email', 'paid_social', 'events', 'direct_mail', 'sdr'])[1 + floor(random() * 5)::int] AS channel,
           'P' || (1 + floor(random() * 8)::int) AS program,
           tt.touch_type, tt.weight,
           random() AS minutes_draw, random() AS ts_draw,
           random() AS reached_draw, random() AS covered_draw
    FROM generate_series(1, 40000) AS touch_id,
    -- "0 * touch_id" ties the draw to its row, so that each row draws its own type.
    LATERAL (SELECT (ARRAY['newsletter_open', 'ad_click', 'webinar', 'event_visit', 'demo_request', 'sdr_meeting'])[k] AS touch_type,
                    (ARRAY[1.0, 0.5, 45, 90, 30, 40])[k] AS weight
             FROM (SELECT 1 + floor(random() * 6)::int + 0 * touch_id AS k) AS pick) AS tt
) AS draws;
ANALYZE abm_touches;

-- The data has what the checks need: NULLs in every column that may hold one, and the
-- numeric ids in three scales.
SELECT count(*) AS touches,
       count(*) FILTER (WHERE account_id IS NULL) > 0 AS some_null_accounts,
       count(*) FILTER (WHERE reached IS NULL) > 0 AS some_null_reached,
       count(*) FILTER (WHERE covered IS NULL) > 0 AS some_null_covered,
       count(*) FILTER (WHERE minutes IS NULL) > 0 AS some_null_minutes,
       count(*) FILTER (WHERE ts IS NULL) > 0 AS some_null_ts,
       count(DISTINCT account_numeric::text) > count(DISTINCT account_numeric) AS numeric_scales_vary,
       count(DISTINCT account_id) BETWEEN 2000 AND 3000 AS accounts_about_3000,
       count(DISTINCT channel) AS channels, count(DISTINCT program) AS programs,
       count(DISTINCT touch_type) AS touch_types
FROM abm_touches;

---------------------------------------------------------------------------------------
-- 3. reach_rate and coverage_rate against count(DISTINCT): for each id type, each
-- flag and each grouping, the aggregate against
--   count(DISTINCT account) FILTER (WHERE flag)::float8 / nullif(count(DISTINCT account), 0)
-- over the rows where account and flag are both not NULL. Both are the same two
-- integers divided, so they must be equal exactly. "defined" counts the groups with a
-- result (not NULL), "mismatches" the groups that differ.
---------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.rate_check(aggregate text, account text, flag text, grouping_expr text)
RETURNS TABLE (groups bigint, defined bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
        SELECT count(*), count(got), count(*) FILTER (WHERE got IS DISTINCT FROM want)
        FROM (SELECT %4$s AS g, %1$s(%2$s, %3$s) AS got FROM abm_touches GROUP BY 1) AS f
        FULL JOIN (SELECT %4$s AS g,
                          count(DISTINCT %2$s) FILTER (WHERE %3$s)::float8
                          / nullif(count(DISTINCT %2$s), 0) AS want
                   FROM abm_touches WHERE %2$s IS NOT NULL AND %3$s IS NOT NULL
                   GROUP BY 1) AS r USING (g)$q$,
        aggregate, account, flag, grouping_expr);
END
$$;

SELECT aggregate, account, group_by, c.*
FROM (VALUES ('reach_rate', 'reached'), ('coverage_rate', 'covered')) AS a(aggregate, flag),
     (VALUES ('account_id'), ('account_int'), ('account_text'), ('account_varchar'),
             ('account_uuid'), ('account_numeric'), ('account_code')) AS k(account),
     (VALUES ('channel || ''/'' || program'), ('''all''')) AS g(group_by),
     LATERAL pg_temp.rate_check(aggregate, account, flag, group_by) AS c
ORDER BY aggregate DESC, account, group_by;

-- The aggregate and the idiom side by side in one query: FILTER clauses and GROUPING
-- SETS (5 channels + 8 programs + 40 pairs + the total = 54 groups).
SELECT count(*) AS groups, count(got_text) AS defined,
       count(*) FILTER (WHERE got_text IS DISTINCT FROM want_text) AS text_mismatches,
       count(*) FILTER (WHERE got_uuid IS DISTINCT FROM want_uuid) AS uuid_mismatches,
       count(*) FILTER (WHERE got_bigint IS DISTINCT FROM want_bigint) AS bigint_mismatches
FROM (
    SELECT channel, program,
           reach_rate(account_text, reached) FILTER (WHERE touch_type IN ('webinar', 'demo_request')) AS got_text,
           count(DISTINCT account_text) FILTER (WHERE reached AND touch_type IN ('webinar', 'demo_request'))::float8
           / nullif(count(DISTINCT account_text) FILTER (WHERE reached IS NOT NULL AND touch_type IN ('webinar', 'demo_request')), 0) AS want_text,
           coverage_rate(account_uuid, covered) FILTER (WHERE ts >= timestamptz '2026-04-01 00:00:00+00') AS got_uuid,
           count(DISTINCT account_uuid) FILTER (WHERE covered AND ts >= timestamptz '2026-04-01 00:00:00+00')::float8
           / nullif(count(DISTINCT account_uuid) FILTER (WHERE covered IS NOT NULL AND ts >= timestamptz '2026-04-01 00:00:00+00'), 0) AS want_uuid,
           reach_rate(account_id, reached AND minutes > 20) AS got_bigint,
           count(DISTINCT account_id) FILTER (WHERE reached AND minutes > 20)::float8
           / nullif(count(DISTINCT account_id) FILTER (WHERE (reached AND minutes > 20) IS NOT NULL), 0) AS want_bigint
    FROM abm_touches
    GROUP BY GROUPING SETS ((channel), (program), (channel, program), ())
) AS s;

-- Hash aggregation with little memory, so that groups spill to disk and are rebuilt
-- from their rows in later batches (500 groups of about 80 rows).
CREATE FUNCTION pg_temp.hash_batches(query text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    batches int := 0;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        IF line ~ 'Batches: [0-9]+' THEN
            batches := greatest(batches, substring(line FROM 'Batches: ([0-9]+)')::int);
        END IF;
    END LOOP;
    RETURN batches;
END
$$;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT pg_temp.hash_batches('SELECT touch_id % 500, reach_rate(account_text, reached) FROM abm_touches GROUP BY 1') > 1
    AS spilled_to_disk;
SELECT count(*) AS groups, count(*) FILTER (WHERE got IS DISTINCT FROM want) AS mismatches
FROM (SELECT touch_id % 500 AS g, reach_rate(account_text, reached) AS got
      FROM abm_touches GROUP BY 1) AS f
JOIN (SELECT touch_id % 500 AS g,
             count(DISTINCT account_text) FILTER (WHERE reached)::float8
             / nullif(count(DISTINCT account_text), 0) AS want
      FROM abm_touches WHERE account_text IS NOT NULL AND reached IS NOT NULL GROUP BY 1) AS r USING (g);
RESET enable_sort;
RESET work_mem;

-- The same answer whatever the order of the rows (the table in reverse, in random
-- order), and in a subquery, a view and a materialized view.
CREATE VIEW abm_program_reach AS
SELECT program, reach_rate(account_uuid, reached) AS reach, coverage_rate(account_uuid, covered) AS coverage
FROM abm_touches GROUP BY program;
CREATE MATERIALIZED VIEW abm_program_reach_stored AS SELECT * FROM abm_program_reach;
SELECT count(*) AS programs,
       count(*) FILTER (WHERE v.reach IS DISTINCT FROM r.reach OR v.coverage IS DISTINCT FROM r.coverage) AS reversed_mismatches,
       count(*) FILTER (WHERE v.reach IS DISTINCT FROM m.reach OR v.coverage IS DISTINCT FROM m.coverage) AS stored_mismatches
FROM abm_program_reach AS v
JOIN (SELECT program, reach_rate(account_uuid, reached ORDER BY touch_id DESC) AS reach,
             coverage_rate(account_uuid, covered ORDER BY random()) AS coverage
      FROM abm_touches GROUP BY program) AS r USING (program)
JOIN abm_program_reach_stored AS m USING (program);

---------------------------------------------------------------------------------------
-- 4. Sliding frames: the moving aggregate (add, and remove as rows leave the frame)
-- against each frame recomputed from its rows.
---------------------------------------------------------------------------------------
-- By hand, ROWS BETWEEN 2 PRECEDING AND CURRENT ROW, rows with a NULL account or flag
-- entering and leaving:
--   1 a  false  {a}: 0          6 c  false  rows 4-6 {a reached, c}: 0.5
--   2 -  true   {a}: 0          7 b  NULL   rows 5-7 {c}: 0
--   3 b  true   {a, b}: 0.5     8 -  false  rows 6-8 {c}: 0
--   4 a  true   {b, a}: 1       9 -  true   rows 7-9: every row skipped: NULL
--   5 -  NULL   {b, a}: 1      10 d  true   rows 8-10 {d}: 1
SELECT n, account, reached,
       reach_rate(account, reached) OVER (ORDER BY n ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS reach
FROM (VALUES (1, 'a', false), (2, NULL, true), (3, 'b', true), (4, 'a', true), (5, NULL, NULL),
             (6, 'c', false), (7, 'b', NULL), (8, NULL, false), (9, NULL, true), (10, 'd', true))
     AS t(n, account, reached)
ORDER BY n;

-- Generated: 4,000 touches in time order (NULL times last), with their NULL accounts
-- and flags; 51-row frames per program, and 7-day RANGE frames.
CREATE TEMP TABLE frame_touches AS
SELECT row_number() OVER (ORDER BY ts NULLS LAST, touch_id) AS n,
       touch_id, account_id, account_text, account_uuid, program, reached, covered, ts, minutes,
       (ts AT TIME ZONE 'UTC')::date - date '2026-01-01' AS day
FROM abm_touches WHERE touch_id <= 4000;
CREATE INDEX ON frame_touches (n);
CREATE INDEX ON frame_touches (day);
CREATE INDEX ON frame_touches (program, n);
ANALYZE frame_touches;
SELECT count(*) AS rows, count(*) FILTER (WHERE account_id IS NULL) AS null_accounts,
       count(*) FILTER (WHERE reached IS NULL) AS null_reached,
       count(*) FILTER (WHERE day IS NULL) AS null_days
FROM frame_touches;

-- ROWS frames over the whole table and per program, for bigint and text ids.
SELECT count(*) AS frames, count(got_all) AS defined,
       count(*) FILTER (WHERE got_all IS DISTINCT FROM want_all) AS whole_table_mismatches,
       count(*) FILTER (WHERE got_program IS DISTINCT FROM want_program) AS per_program_mismatches
FROM (
    SELECT w.n,
           reach_rate(account_id, reached) OVER (ORDER BY n ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS got_all,
           coverage_rate(account_text, covered) OVER (PARTITION BY program ORDER BY n ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS got_program
    FROM frame_touches AS w
) AS g
JOIN frame_touches AS w USING (n),
LATERAL (SELECT count(DISTINCT account_id) FILTER (WHERE reached)::float8
                / nullif(count(DISTINCT account_id) FILTER (WHERE reached IS NOT NULL), 0) AS want_all
         FROM frame_touches AS f WHERE f.n BETWEEN w.n - 50 AND w.n) AS a,
LATERAL (SELECT count(DISTINCT account_text) FILTER (WHERE covered)::float8
                / nullif(count(DISTINCT account_text) FILTER (WHERE covered IS NOT NULL), 0) AS want_program
         FROM (SELECT account_text, covered FROM frame_touches AS f
               WHERE f.program = w.program AND f.n <= w.n
               ORDER BY f.n DESC LIMIT 51) AS f) AS p;

-- RANGE frames: the touches of the last 7 days (the day itself and the 6 before);
-- rows without a time are peers of each other only. Also a frame that follows the
-- current row (rows leave from the front and enter at the back).
SELECT count(*) AS frames, count(got_week) AS defined,
       count(*) FILTER (WHERE got_week IS DISTINCT FROM want_week) AS week_mismatches,
       count(*) FILTER (WHERE got_around IS DISTINCT FROM want_around) AS around_mismatches
FROM (
    SELECT n,
           reach_rate(account_uuid, reached) OVER (ORDER BY day RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) AS got_week,
           reach_rate(account_uuid, reached) OVER (ORDER BY day RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING) AS got_around
    FROM frame_touches
) AS g
JOIN frame_touches AS w USING (n),
LATERAL (SELECT count(DISTINCT account_uuid) FILTER (WHERE reached)::float8
                / nullif(count(DISTINCT account_uuid) FILTER (WHERE reached IS NOT NULL), 0) AS want_week
         FROM frame_touches AS f
         WHERE (w.day IS NULL AND f.day IS NULL) OR f.day BETWEEN w.day - 6 AND w.day) AS a,
LATERAL (SELECT count(DISTINCT account_uuid) FILTER (WHERE reached)::float8
                / nullif(count(DISTINCT account_uuid) FILTER (WHERE reached IS NOT NULL), 0) AS want_around
         FROM frame_touches AS f
         WHERE (w.day IS NULL AND f.day IS NULL) OR f.day BETWEEN w.day - 3 AND w.day + 2) AS b;

---------------------------------------------------------------------------------------
-- 5. Parallel plans: each worker builds the account sets of the rows it scanned, the
-- leader merges them (account_set_combine). 200,000 touches of 60,000 accounts; the
-- answers must equal the serial ones exactly, grouped and not.
---------------------------------------------------------------------------------------
SELECT setseed(0.7);
CREATE TABLE abm_big AS
SELECT row_id, account_id, 'ACC-' || account_id AS account_text,
       CASE WHEN random() < 0.5 THEN 'acc-' ELSE 'ACC-' END || account_id AS account_any_case,
       'P' || (1 + row_id % 8) AS program,
       CASE WHEN random() < 0.01 THEN NULL ELSE random() < 0.2 END AS reached,
       timestamptz '2026-01-01 00:00:00+00' + random() * interval '180 days' AS ts,
       CASE WHEN random() < 0.01 THEN NULL ELSE round(random() * 60) END::float8 AS minutes,
       floor(random() * 40)::float8 AS engagement,
       CASE WHEN random() < 0.01 THEN NULL ELSE 10 + floor(random() * 110) END::float8 AS outcome
FROM (SELECT row_id, CASE WHEN random() < 0.01 THEN NULL
                          ELSE (1 + floor(random() * 60000))::bigint END AS account_id
      FROM generate_series(1, 200000) AS row_id) AS draws;
ANALYZE abm_big;

-- Serial answers, checked against count(DISTINCT) of the ids (the case-insensitive one
-- against the distinct lower-cased ids).
CREATE TEMP TABLE serial_reach AS
SELECT program, reach_rate(account_id, reached) AS by_bigint, reach_rate(account_text, reached) AS by_text,
       reach_rate(account_any_case COLLATE pg_temp.case_insensitive, reached) AS ignoring_case
FROM abm_big GROUP BY program
UNION ALL
SELECT 'all', reach_rate(account_id, reached), reach_rate(account_text, reached),
       reach_rate(account_any_case COLLATE pg_temp.case_insensitive, reached)
FROM abm_big;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE by_bigint IS DISTINCT FROM want_by_id) AS bigint_mismatches,
       count(*) FILTER (WHERE by_text IS DISTINCT FROM want_by_id) AS text_mismatches,
       count(*) FILTER (WHERE ignoring_case IS DISTINCT FROM want_lower_case) AS ignoring_case_mismatches
FROM serial_reach
JOIN (SELECT coalesce(program, 'all') AS program,
             count(DISTINCT account_id) FILTER (WHERE reached)::float8
             / nullif(count(DISTINCT account_id), 0) AS want_by_id,
             count(DISTINCT lower(account_any_case)) FILTER (WHERE reached)::float8
             / nullif(count(DISTINCT lower(account_any_case)), 0) AS want_lower_case
      FROM abm_big WHERE account_id IS NOT NULL AND reached IS NOT NULL
      GROUP BY GROUPING SETS ((program), ())) AS idiom USING (program);

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT reach_rate(account_id, reached) FROM abm_big;
EXPLAIN (COSTS OFF)
SELECT program, reach_rate(account_text, reached) FROM abm_big GROUP BY program;
CREATE TEMP TABLE parallel_reach AS
SELECT program, reach_rate(account_id, reached) AS by_bigint, reach_rate(account_text, reached) AS by_text,
       reach_rate(account_any_case COLLATE pg_temp.case_insensitive, reached) AS ignoring_case
FROM abm_big GROUP BY program;
INSERT INTO parallel_reach
SELECT 'all', reach_rate(account_id, reached), reach_rate(account_text, reached),
       reach_rate(account_any_case COLLATE pg_temp.case_insensitive, reached)
FROM abm_big;
-- The same plans with coverage_rate, and the same answers as serial.
SELECT count(*) AS plan_lines_with_partial_aggregate
FROM pg_temp.plan_of('SELECT program, coverage_rate(account_any_case COLLATE pg_temp.case_insensitive, reached) FROM abm_big GROUP BY program') AS line
WHERE line ~ 'Partial (Hash|Group)?Aggregate';
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.by_bigint IS DISTINCT FROM s.by_bigint) AS bigint_mismatches,
       count(*) FILTER (WHERE p.by_text IS DISTINCT FROM s.by_text) AS text_mismatches,
       count(*) FILTER (WHERE p.ignoring_case IS DISTINCT FROM s.ignoring_case) AS ignoring_case_mismatches
FROM parallel_reach AS p JOIN serial_reach AS s USING (program);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- 6. The state type account_set: built by an aggregate of the support functions, read
-- and written as text and binary, merged, and every malformed input refused.
---------------------------------------------------------------------------------------
CREATE AGGREGATE pg_temp.accounts(anyelement, bool) (
    SFUNC = account_set_add, STYPE = account_set, COMBINEFUNC = account_set_combine);
CREATE AGGREGATE pg_temp.merged(account_set) (
    SFUNC = account_set_combine, STYPE = account_set, COMBINEFUNC = account_set_combine);

-- The accounts of a set with their counts, read off its text form.
CREATE FUNCTION pg_temp.set_rows(s account_set)
RETURNS TABLE (account text, rows bigint, hits bigint)
LANGUAGE sql AS $$
    SELECT x.account, x.rows, x.hits
    FROM regexp_match(s::text, '^v1 type=.+? accounts=(\{.*\}) rows=\{([0-9,]*)\} hits=\{([0-9,]*)\}$') AS m,
         ROWS FROM (unnest(m[1]::text[]),
                    unnest(string_to_array(m[2], ',')::bigint[]),
                    unnest(string_to_array(m[3], ',')::bigint[])) AS x(account, rows, hits)
$$;

-- By hand: account 7 has two rows, one reached; 9 one row, not reached; the rows with
-- a NULL account or flag are not held. In text and in binary: version 1, the type's
-- name "bigint" and a zero byte, 1 account (int64), then its rows (2), hits (1), the
-- length of its binary form (8) and the bigint 7.
SELECT pg_temp.accounts(a, r) AS one_account,
       account_set_send(pg_temp.accounts(a, r)) AS binary_form
FROM (VALUES (7::bigint, true), (7, false), (NULL, true), (8, NULL)) AS t(a, r);
SELECT x.* FROM (SELECT pg_temp.accounts(a, r) AS s
                 FROM (VALUES (7::bigint, true), (7, false), (9, false), (NULL, true), (8, NULL)) AS t(a, r)) AS q,
     pg_temp.set_rows(q.s) AS x ORDER BY account;
SELECT 'v1 type=text accounts={"Acme, Inc.","O''Brien \"Ltd\""} rows={3,1} hits={0,1}'::account_set AS quoted_text,
       account_set_rate('v1 type=text accounts={"Acme, Inc.","O''Brien \"Ltd\""} rows={3,1} hits={0,1}') AS rate;
SELECT x.* FROM pg_temp.set_rows('v1 type=text accounts={"Acme, Inc.","O''Brien \"Ltd\""} rows={3,1} hits={0,1}') AS x
ORDER BY account;
-- No accounts at all: a set with no rows reads and writes back, and its rate is NULL.
SELECT 'v1 type=uuid accounts={} rows={} hits={}'::account_set AS empty_set,
       account_set_rate('v1 type=uuid accounts={} rows={} hits={}') AS empty_rate;
-- An aggregate over no rows has no state at all.
SELECT pg_temp.accounts(a, r) IS NULL AS no_state FROM (SELECT 1::bigint, true WHERE false) AS t(a, r);

-- Stored sets: one per program and id type (bigint, text, uuid, varchar, numeric).
CREATE TABLE abm_sets (program text, kind text, s account_set);
INSERT INTO abm_sets
SELECT program, 'bigint', pg_temp.accounts(account_id, reached) FROM abm_touches GROUP BY program
UNION ALL SELECT program, 'text', pg_temp.accounts(account_text, reached) FROM abm_touches GROUP BY program
UNION ALL SELECT program, 'uuid', pg_temp.accounts(account_uuid, reached) FROM abm_touches GROUP BY program
UNION ALL SELECT program, 'varchar', pg_temp.accounts(account_varchar, reached) FROM abm_touches GROUP BY program
UNION ALL SELECT program, 'numeric', pg_temp.accounts(account_numeric, reached) FROM abm_touches GROUP BY program;

-- Their contents against the rows: for each group, each account with its number of
-- rows and of reached rows (account and reached not NULL), matched on the type's own
-- equality; and account_set_rate against the count(DISTINCT) idiom.
CREATE FUNCTION pg_temp.content_check(sets_query text, account text, account_type text, group_expr text)
RETURNS TABLE (sets bigint, accounts bigint, count_mismatches bigint, rate_mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
        WITH stored AS (%1$s),
        held AS (SELECT grp, x.account::%3$s AS account, x.rows, x.hits
                 FROM stored, pg_temp.set_rows(stored.s) AS x),
        truth AS (SELECT %4$s AS grp, %2$s AS account, count(*) AS rows,
                         count(*) FILTER (WHERE reached) AS hits
                  FROM abm_touches WHERE %2$s IS NOT NULL AND reached IS NOT NULL AND %4$s IS NOT NULL
                  GROUP BY 1, 2),
        idiom AS (SELECT %4$s AS grp, count(DISTINCT %2$s) FILTER (WHERE reached)::float8
                                     / nullif(count(DISTINCT %2$s), 0) AS rate
                  FROM abm_touches WHERE %2$s IS NOT NULL AND reached IS NOT NULL AND %4$s IS NOT NULL
                  GROUP BY 1)
        SELECT (SELECT count(*) FROM stored), count(*),
               count(*) FILTER (WHERE h.rows IS DISTINCT FROM t.rows OR h.hits IS DISTINCT FROM t.hits),
               (SELECT count(*) FROM stored FULL JOIN idiom USING (grp)
                WHERE account_set_rate(stored.s) IS DISTINCT FROM idiom.rate)
        FROM held AS h FULL JOIN truth AS t ON h.grp = t.grp AND h.account = t.account$q$,
        sets_query, account, account_type, group_expr);
END
$$;

-- Text round trip (s::text::account_set) and binary round trip (COPY FORMAT binary
-- out to a file and back).
CREATE TEMP TABLE abm_sets_from_text AS SELECT program, kind, s::text::account_set AS s FROM abm_sets;
CREATE TABLE abm_sets_from_binary (LIKE abm_sets);
COPY abm_sets TO '/tmp/b2bkpi_abm_account_sets.copy' (FORMAT binary);
COPY abm_sets_from_binary FROM PROGRAM 'cat /tmp/b2bkpi_abm_account_sets.copy && rm -f /tmp/b2bkpi_abm_account_sets.copy' (FORMAT binary);

SELECT source, kind, c.*
FROM (VALUES ('abm_sets'), ('abm_sets_from_text'), ('abm_sets_from_binary')) AS src(source),
     (VALUES ('bigint', 'account_id'), ('text', 'account_text'), ('uuid', 'account_uuid'),
             ('varchar', 'account_varchar'), ('numeric', 'account_numeric')) AS k(kind, account),
     LATERAL pg_temp.content_check(format('SELECT program AS grp, s FROM %I WHERE kind = %L', source, kind),
                                   account, kind, 'program') AS c
ORDER BY source, kind;

-- Merging stored sets: two programs with account_set_combine, and all eight with an
-- aggregate over the stored sets, equal the sets of the union of their rows.
SELECT kind, 'P1 + P2' AS merged, c.*
FROM (VALUES ('bigint', 'account_id'), ('text', 'account_text'), ('uuid', 'account_uuid'),
             ('numeric', 'account_numeric')) AS k(kind, account),
     LATERAL pg_temp.content_check(
         format($q$SELECT 'P1 + P2' AS grp, account_set_combine(a.s, b.s) AS s
                   FROM abm_sets_from_binary AS a, abm_sets_from_binary AS b
                   WHERE a.kind = %1$L AND b.kind = %1$L AND a.program = 'P1' AND b.program = 'P2'$q$, kind),
         account, kind, $$CASE WHEN program IN ('P1', 'P2') THEN 'P1 + P2' END$$) AS c
UNION ALL
SELECT kind, 'all programs', c.*
FROM (VALUES ('bigint', 'account_id'), ('text', 'account_text'), ('uuid', 'account_uuid'),
             ('numeric', 'account_numeric')) AS k(kind, account),
     LATERAL pg_temp.content_check(
         format($q$SELECT 'all' AS grp, pg_temp.merged(s) AS s FROM abm_sets_from_text WHERE kind = %L$q$, kind),
         account, kind, $$'all'$$) AS c
ORDER BY 1, 2;

-- A rate read off stored sets equals the aggregate over the rows.
SELECT count(*) AS programs,
       count(*) FILTER (WHERE account_set_rate(s) IS DISTINCT FROM reach) AS mismatches
FROM abm_sets_from_binary
JOIN (SELECT program, reach_rate(account_uuid, reached) AS reach FROM abm_touches GROUP BY program) AS r
    USING (program)
WHERE kind = 'uuid';

-- The docs' daily sets rolled up: over three days the webinar reached acme and globex
-- of acme, globex, initech (2/3); the daily rates 0.5, 0.5, 0 average to 1/3.
CREATE TEMP TABLE daily_reach AS
SELECT day, program, pg_temp.accounts(account, reached) AS accounts
FROM (VALUES (date '2026-03-02', 'webinar', 'acme', true), ('2026-03-02', 'webinar', 'globex', false),
             ('2026-03-03', 'webinar', 'globex', true), ('2026-03-03', 'webinar', 'initech', false),
             ('2026-03-04', 'webinar', 'acme', false)) AS t(day, program, account, reached)
GROUP BY day, program;
SELECT program, account_set_rate(pg_temp.merged(accounts)) AS reach_over_the_days,
       avg(account_set_rate(accounts))                    AS average_of_daily_rates
FROM daily_reach GROUP BY program;

-- Functions called directly never change a stored value: adding to a stored set
-- returns a new set, and the stored one reads the same afterwards. Removing a row the
-- set does not hold gives NULL (a window frame is then recomputed).
SELECT account_set_add('v1 type=bigint accounts={7} rows={2} hits={1}', 9::bigint, true) AS added,
       account_set_add('v1 type=bigint accounts={7} rows={2} hits={1}', 7::bigint, false) AS added_row,
       account_set_add('v1 type=bigint accounts={7} rows={2} hits={1}', NULL::bigint, true) AS null_account,
       account_set_remove('v1 type=bigint accounts={7} rows={2} hits={1}', 7::bigint, true) AS removed_hit,
       account_set_remove('v1 type=bigint accounts={7} rows={2} hits={1}', 9::bigint, false) AS not_held;
SELECT account_set_remove('v1 type=bigint accounts={7} rows={1} hits={0}', 7::bigint, true) AS hit_not_held,
       account_set_remove('v1 type=bigint accounts={7} rows={1} hits={0}', 7::bigint, false) AS last_row_leaves,
       account_set_rate(account_set_remove('v1 type=bigint accounts={7} rows={1} hits={0}', 7::bigint, false)) AS empty_rate;
SELECT count(*) AS sets,
       count(*) FILTER (WHERE (SELECT count(*) FROM pg_temp.set_rows(added))
                              = (SELECT count(*) FROM pg_temp.set_rows(s)) + 1) AS one_account_more,
       count(*) FILTER (WHERE s::text = before) AS stored_unchanged
FROM (SELECT s, s::text AS before, account_set_add(s, 100000::bigint, true) AS added
      FROM abm_sets WHERE kind = 'bigint') AS q;
SELECT account_set_combine('v1 type=bigint accounts={7} rows={2} hits={1}',
                           'v1 type=bigint accounts={9,7} rows={1,3} hits={1,0}') AS combined,
       account_set_combine(NULL, 'v1 type=bigint accounts={7} rows={2} hits={1}') AS null_first,
       account_set_combine('v1 type=bigint accounts={7} rows={2} hits={1}', NULL) AS null_second;
SELECT x.* FROM pg_temp.set_rows(account_set_combine('v1 type=bigint accounts={7,8} rows={2,1} hits={1,0}',
                                                     'v1 type=bigint accounts={9,7} rows={1,3} hits={1,0}')) AS x
ORDER BY account;

-- Sets of different account types do not mix.
SELECT pg_temp.error_of($$SELECT account_set_combine('v1 type=bigint accounts={7} rows={1} hits={1}',
                                                     'v1 type=text accounts={7} rows={1} hits={1}')$$);
SELECT pg_temp.error_of($$SELECT account_set_add('v1 type=bigint accounts={7} rows={1} hits={1}', 7, true)$$);
SELECT pg_temp.error_of($$SELECT account_set_add('v1 type=bigint accounts={7} rows={1} hits={1}', '7'::text, true)$$);

-- Malformed text: each refused with its SQLSTATE.
SELECT input, pg_temp.error_of(format('SELECT %L::account_set', input)) AS result
FROM (VALUES
    (''), ('v1'), ('v1 type=bigint'), ('v1 type=bigint accounts={1} rows={1}'),
    ('v2 type=bigint accounts={1} rows={1} hits={0}'),
    ('v0 type=bigint accounts={1} rows={1} hits={0}'),
    ('V1 type=bigint accounts={1} rows={1} hits={0}'),
    ('v1 type=bigint accounts={1} hits={0} rows={1}'),
    ('v1 type=bigint accounts={1} rows={1} hits={0} extra'),
    ('v1 type=bigint accounts=1 rows={1} hits={0}'),
    ('v1 type=bigint accounts={1,2} rows={1} hits={0,0}'),
    ('v1 type=bigint accounts={1} rows={1,1} hits={0,0}'),
    ('v1 type=bigint accounts={1} rows={0} hits={0}'),
    ('v1 type=bigint accounts={1} rows={1} hits={2}'),
    ('v1 type=bigint accounts={1} rows={-1} hits={0}'),
    ('v1 type=bigint accounts={1} rows={1.5} hits={0}'),
    ('v1 type=bigint accounts={1} rows={4294967296} hits={0}'),
    ('v1 type=bigint accounts={1,NULL} rows={1,1} hits={0,0}'),
    ('v1 type=bigint accounts={{1,2},{3,4}} rows={1,1,1,1} hits={0,0,0,0}'),
    ('v1 type=bigint accounts={abc} rows={1} hits={0}'),
    ('v1 type=bigint accounts={1,1} rows={1,1} hits={0,0}'),
    ('v1 type=numeric accounts={1.0,1.00} rows={1,1} hits={0,0}'),
    ('v1 type=text accounts={acme,acme} rows={1,1} hits={0,0}'),
    ('v1 type=no_such_type accounts={1} rows={1} hits={0}'),
    ('v1 type=point accounts={"(1,2)"} rows={1} hits={0}'),
    ('v1 type=uuid accounts={not-a-uuid} rows={1} hits={0}')
) AS cases(input);

-- Malformed binary values: raw bytes through a bytea column and binary COPY.
CREATE TABLE abm_raw_bytes (b bytea);
CREATE TABLE abm_set_only (s account_set);
CREATE FUNCTION pg_temp.binary_error_of(bytes bytea, target text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE abm_raw_bytes;
    INSERT INTO abm_raw_bytes VALUES (bytes);
    COPY abm_raw_bytes TO '/tmp/b2bkpi_abm_raw.copy' (FORMAT binary);
    RETURN pg_temp.error_of(format(
        'COPY %I FROM PROGRAM %L (FORMAT binary)', target,
        'cat /tmp/b2bkpi_abm_raw.copy && rm -f /tmp/b2bkpi_abm_raw.copy'));
END
$$;
-- The pieces: version, "bigint\0", the account count, then rows, hits, length, key.
SELECT label, pg_temp.binary_error_of(bytes, 'abm_set_only') AS result
FROM (VALUES
    ('valid', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000002' || '\x00000001' || '\x00000008' || '\x0000000000000007'::bytea),
    ('empty', '\x'::bytea),
    ('version 2', '\x02' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000002' || '\x00000001' || '\x00000008' || '\x0000000000000007'::bytea),
    ('no type name end', '\x01' || 'bigint'::bytea),
    ('unknown type', '\x01' || 'no_such_type'::bytea || '\x00' || '\x0000000000000000'::bytea),
    ('unhashable type', '\x01' || 'point'::bytea || '\x00' || '\x0000000000000000'::bytea),
    ('more accounts than bytes', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000002' || '\x00000002' || '\x00000001' || '\x00000008' || '\x0000000000000007'::bytea),
    ('zero rows', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000000' || '\x00000000' || '\x00000008' || '\x0000000000000007'::bytea),
    ('hits above rows', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000001' || '\x00000002' || '\x00000008' || '\x0000000000000007'::bytea),
    ('length past the end', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000001' || '\x00000000' || '\x00000010' || '\x0000000000000007'::bytea),
    ('negative length', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000001' || '\x00000000' || '\xffffffff' || '\x0000000000000007'::bytea),
    ('key longer than its type', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000001' || '\x00000000' || '\x00000009' || '\x000000000000000700'::bytea),
    ('bytes after the last account', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000001' || '\x00000001' || '\x00000000' || '\x00000008' || '\x000000000000000700'::bytea),
    ('duplicate account', '\x01' || 'bigint'::bytea || '\x00' || '\x0000000000000002' || '\x00000001' || '\x00000000' || '\x00000008' || '\x0000000000000007' || '\x00000001' || '\x00000000' || '\x00000008' || '\x0000000000000007'::bytea)
) AS cases(label, bytes);
SELECT count(*) AS valid_rows_read, min(s::text) AS value FROM abm_set_only;

---------------------------------------------------------------------------------------
-- 7. account_engagement: time-decayed minutes,
--   sum(minutes * 0.5 ^ ((as_of - ts) / half_life)) over touches with ts <= as_of.
---------------------------------------------------------------------------------------
-- The docs' example: 10 minutes at as_of, 20 one half-life (30 days) before, 40 two
-- half-lives before, and a touch after as_of that is ignored: 10 + 20/2 + 40/4 = 30.
SELECT account_engagement(ts, m, timestamptz '2024-07-01 00:00+00', interval '30 days') AS engagement
FROM (VALUES (timestamptz '2024-07-01 00:00+00', 10.0::float8),
             (timestamptz '2024-06-01 00:00+00', 20),
             (timestamptz '2024-05-02 00:00+00', 40),
             (timestamptz '2024-07-15 00:00+00', 1000)) AS t(ts, m);
-- The same touches as timestamp without time zone: 30.
SELECT account_engagement(ts, m, timestamp '2024-07-01 00:00', interval '30 days') AS engagement
FROM (VALUES (timestamp '2024-07-01 00:00', 10.0::float8), (timestamp '2024-06-01 00:00', 20),
             (timestamp '2024-05-02 00:00', 40), (timestamp '2024-07-15 00:00', 1000)) AS t(ts, m);
-- Half-lives measured as extract(epoch FROM half_life): '1 day' = '24 hours' = '86400
-- seconds'; '1 mon' is 30 days. 8 minutes one day old: 4; 8 minutes 30 days old with
-- a one-month half-life: 4.
SELECT account_engagement(ts, 8, timestamptz '2026-03-02 00:00+00', interval '1 day') AS one_day,
       account_engagement(ts, 8, timestamptz '2026-03-02 00:00+00', interval '24 hours') AS twenty_four_hours,
       account_engagement(ts, 8, timestamptz '2026-03-02 00:00+00', interval '86400 seconds') AS seconds
FROM (VALUES (timestamptz '2026-03-01 00:00+00')) AS t(ts);
SELECT account_engagement(timestamptz '2026-01-01 00:00+00', 8, timestamptz '2026-01-31 00:00+00', interval '1 mon') AS one_month;
-- Undefined and edge cases: no rows, every touch after as_of, only NULL rows (NULL);
-- a zero-minute touch (0); a touch 2,000 half-lives old (its weight underflows: 0,
-- still a counted touch).
SELECT account_engagement(ts, m, timestamptz '2026-01-01 00:00+00', interval '1 day') FILTER (WHERE false) AS no_rows,
       account_engagement(ts, m, timestamptz '2025-01-01 00:00+00', interval '1 day') AS all_after_as_of,
       account_engagement(ts, NULL::float8, timestamptz '2026-01-01 00:00+00', interval '1 day') AS null_minutes,
       account_engagement(NULL::timestamptz, m, timestamptz '2026-01-01 00:00+00', interval '1 day') AS null_ts,
       account_engagement(ts, m, NULL::timestamptz, interval '1 day') AS null_as_of,
       account_engagement(ts, m, timestamptz '2026-01-01 00:00+00', NULL::interval) AS null_half_life,
       account_engagement(ts, 0 * m, timestamptz '2026-01-01 00:00+00', interval '1 day') AS zero_minutes,
       account_engagement(ts, m, ts + interval '2000 days', interval '1 day') AS faded
FROM (VALUES (timestamptz '2025-06-01 00:00+00', 5.0::float8)) AS t(ts, m);
-- NULLs skip only their row: 6 minutes at as_of plus 4 minutes one half-life old = 8.
SELECT account_engagement(ts, m, timestamptz '2026-01-02 00:00+00', interval '1 day') AS engagement
FROM (VALUES (timestamptz '2026-01-02 00:00+00', 6.0::float8), (timestamptz '2026-01-01 00:00+00', 4),
             (NULL, 100), (timestamptz '2026-01-01 00:00+00', NULL)) AS t(ts, m);

-- Generated data, per account, against the SQL form over the rows without NULLs,
-- within 1e-9 relative: as_of 2026-06-01 (a sixth of the touches come after it and are
-- ignored), half-lives of 30 days, 7 days and one month, and touch types weighted by
-- scaling the minutes (a demo request counts 30 minutes, a newsletter open 0.5, a
-- webinar or meeting its minutes, an ad click 0.2).
CREATE FUNCTION pg_temp.engagement_check(minutes_expr text, half_life interval, ts_type text)
RETURNS TABLE (accounts bigint, defined bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
        WITH touch AS (SELECT account_id, ts::%3$s AS ts, %1$s AS minutes,
                              timestamptz '2026-06-01 00:00+00'::%3$s AS as_of
                       FROM abm_touches),
        got AS (SELECT account_id, account_engagement(ts, minutes, as_of, %2$L::interval) AS e
                FROM touch GROUP BY account_id),
        want AS (SELECT account_id,
                        sum(minutes * 0.5 ^ (extract(epoch FROM as_of - ts) / extract(epoch FROM %2$L::interval))) AS e
                 FROM touch WHERE ts <= as_of AND minutes IS NOT NULL
                 GROUP BY account_id)
        SELECT count(*), count(got.e),
               count(*) FILTER (WHERE (got.e IS NULL) <> (want.e IS NULL)
                                   OR NOT abs(got.e - want.e) <= 1e-9 * abs(want.e))
        FROM got FULL JOIN want ON coalesce(got.account_id, -1) = coalesce(want.account_id, -1)$q$,
        minutes_expr, half_life, ts_type);
END
$$;
SELECT ts_type, half_life, weights, c.*
FROM (VALUES ('timestamptz', interval '30 days', 'as recorded', 'minutes'),
             ('timestamptz', interval '7 days', 'by touch type',
              $$CASE touch_type WHEN 'demo_request' THEN 30 WHEN 'newsletter_open' THEN 0.5
                                WHEN 'ad_click' THEN 0.2 ELSE minutes END$$),
             ('timestamp', interval '1 mon', 'as recorded', 'minutes'),
             ('timestamp', interval '1 day', 'by touch type',
              $$CASE touch_type WHEN 'demo_request' THEN 30 WHEN 'newsletter_open' THEN 0.5
                                WHEN 'ad_click' THEN 0.2 ELSE minutes END$$)) AS v(ts_type, half_life, weights, minutes_expr),
     LATERAL pg_temp.engagement_check(minutes_expr, half_life, ts_type) AS c;

-- Weighting by scaling minutes, by hand: a demo request weighted 30 and a newsletter
-- open weighted 0.5, both one half-life (7 days) old: (30 + 0.5) / 2 = 15.25.
SELECT account_engagement(ts, CASE touch_type WHEN 'demo_request' THEN 30 WHEN 'newsletter_open' THEN 0.5 END,
                          timestamptz '2026-02-08 00:00+00', interval '7 days') AS weighted
FROM (VALUES ('demo_request', timestamptz '2026-02-01 00:00+00'),
             ('newsletter_open', timestamptz '2026-02-01 00:00+00')) AS t(touch_type, ts);

-- The weighting example of docs/abm.md against the SQL form (1e-12 relative); globex's
-- webinar is after as_of, so only its two newsletter opens count.
SELECT account, round(engagement::numeric, 6) AS engagement,
       abs(engagement - idiom) <= 1e-12 * idiom AS equals_sql_form
FROM (SELECT account,
             account_engagement(ts, CASE touch_type WHEN 'demo_request' THEN 30
                                                    WHEN 'webinar_attended' THEN minutes
                                                    WHEN 'newsletter_open' THEN 0.5 END,
                                timestamptz '2024-07-01 00:00+00', interval '30 days') AS engagement,
             sum(CASE touch_type WHEN 'demo_request' THEN 30 WHEN 'webinar_attended' THEN minutes
                                 WHEN 'newsletter_open' THEN 0.5 END
                 * 0.5 ^ (extract(epoch FROM timestamptz '2024-07-01 00:00+00' - ts) / extract(epoch FROM interval '30 days')))
                 FILTER (WHERE ts <= timestamptz '2024-07-01 00:00+00') AS idiom
      FROM (VALUES ('acme', 'webinar_attended', timestamptz '2024-06-20 15:00+00', 42::float8),
                   ('acme', 'newsletter_open', '2024-06-28 08:10+00', NULL),
                   ('acme', 'demo_request', '2024-05-02 11:30+00', NULL),
                   ('globex', 'newsletter_open', '2024-06-30 07:45+00', NULL),
                   ('globex', 'newsletter_open', '2024-04-01 07:45+00', NULL),
                   ('globex', 'webinar_attended', '2024-07-03 16:00+00', 55),
                   ('initech', 'webinar_attended', '2023-07-01 16:00+00', 60)) AS t(account, touch_type, ts, minutes)
      GROUP BY account) AS e
ORDER BY account;

-- GROUPING SETS and FILTER: per channel, per program and in total, webinars only.
SELECT count(*) AS groups, count(got) AS defined,
       count(*) FILTER (WHERE (got IS NULL) <> (want IS NULL) OR NOT abs(got - want) <= 1e-9 * abs(want)) AS mismatches
FROM (SELECT account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '14 days')
                 FILTER (WHERE touch_type = 'webinar') AS got,
             sum(minutes * 0.5 ^ (extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts) / extract(epoch FROM interval '14 days')))
                 FILTER (WHERE touch_type = 'webinar' AND ts <= timestamptz '2026-06-01 00:00+00') AS want
      FROM abm_touches GROUP BY GROUPING SETS ((channel), (program), ())) AS s;

-- Sliding frames against a LATERAL recomputation of each frame (the SQL form in double
-- precision, for speed): the last 51 touches (NULL accounts, times and minutes entering
-- and leaving, and touches after as_of), and the last 4 touches of each account.
SELECT count(*) AS frames, count(got_last) AS defined,
       count(*) FILTER (WHERE (got_last IS NULL) <> (want_last IS NULL)
                           OR NOT abs(got_last - want_last) <= 1e-9 * abs(want_last)) AS last_51_mismatches,
       count(*) FILTER (WHERE (got_account IS NULL) <> (want_account IS NULL)
                           OR NOT abs(got_account - want_account) <= 1e-9 * abs(want_account)) AS per_account_mismatches
FROM (
    SELECT n,
           account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '10 days')
               OVER (ORDER BY n ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS got_last,
           account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '10 days')
               OVER (PARTITION BY account_id ORDER BY n ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS got_account
    FROM frame_touches
) AS g
JOIN frame_touches AS w USING (n),
LATERAL (SELECT sum(minutes * 0.5::float8 ^ (extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts)::float8 / 864000)) AS want_last
         FROM frame_touches AS f
         WHERE f.n BETWEEN w.n - 50 AND w.n AND f.ts <= timestamptz '2026-06-01 00:00+00') AS a,
LATERAL (SELECT sum(minutes * 0.5::float8 ^ (extract(epoch FROM timestamptz '2026-06-01 00:00+00' - ts)::float8 / 864000)) AS want_account
         FROM (SELECT ts, minutes FROM frame_touches AS f
               WHERE f.account_id IS NOT DISTINCT FROM w.account_id AND f.n <= w.n
               ORDER BY f.n DESC LIMIT 4) AS f
         WHERE f.ts <= timestamptz '2026-06-01 00:00+00') AS b;

-- Parallel plans (the 200,000 touches of section 5) equal serial ones within 1e-12
-- relative, per program and in total.
CREATE TEMP TABLE serial_engagement AS
SELECT program, account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00', interval '30 days') AS e
FROM abm_big GROUP BY program
UNION ALL
SELECT 'all', account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00', interval '30 days') FROM abm_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT program, account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00', interval '30 days')
FROM abm_big GROUP BY program;
CREATE TEMP TABLE parallel_engagement AS
SELECT program, account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00', interval '30 days') AS e
FROM abm_big GROUP BY program;
INSERT INTO parallel_engagement
SELECT 'all', account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00', interval '30 days') FROM abm_big;
-- Parameters that differ between rows that different workers see are refused too.
SELECT pg_temp.error_of($$SELECT account_engagement(ts, minutes, timestamptz '2026-05-01 00:00+00' + (row_id > 150000)::int * interval '1 day', interval '30 days') FROM abm_big$$);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups, count(p.e) AS defined,
       count(*) FILTER (WHERE NOT abs(p.e - s.e) <= 1e-12 * abs(s.e)) AS mismatches
FROM parallel_engagement AS p JOIN serial_engagement AS s USING (program);
SELECT count(*) AS groups,
       count(*) FILTER (WHERE NOT abs(s.e - w.e) <= 1e-9 * abs(w.e)) AS serial_vs_sql_mismatches
FROM serial_engagement AS s
JOIN (SELECT program, sum(minutes * 0.5::float8 ^ (extract(epoch FROM timestamptz '2026-05-01 00:00+00' - ts)::float8 / 2592000)) AS e
      FROM abm_big WHERE ts <= timestamptz '2026-05-01 00:00+00' GROUP BY program
      UNION ALL
      SELECT 'all', sum(minutes * 0.5::float8 ^ (extract(epoch FROM timestamptz '2026-05-01 00:00+00' - ts)::float8 / 2592000))
      FROM abm_big WHERE ts <= timestamptz '2026-05-01 00:00+00') AS w USING (program);

-- Errors, each SQLSTATE 22023: a half-life of zero or less, as_of or half_life changing
-- within a group (also when the changed as_of comes with a touch after it), minutes
-- negative, NaN or infinite, an infinite ts or as_of. Two cases are accepted: '1 day'
-- then '24 hours' (the same length) and minutes -0 (zero).
SELECT label, pg_temp.error_of(query) AS result
FROM (VALUES
    ('half_life 0', $$SELECT account_engagement(now(), 1, now(), interval '0')$$),
    ('half_life -1 day', $$SELECT account_engagement(now(), 1, now(), interval '-1 day')$$),
    ('half_life 1 mon -30 days', $$SELECT account_engagement(now(), 1, now(), interval '1 mon -30 days')$$),
    ('as_of changes', $$SELECT account_engagement(ts, 1, a, interval '1 day') FROM (VALUES (timestamptz '2026-01-01 00:00+00', timestamptz '2026-02-01 00:00+00'), ('2026-01-01 00:00+00', '2026-02-02 00:00+00')) AS t(ts, a)$$),
    ('as_of changes, ts after it', $$SELECT account_engagement(ts, 1, a, interval '1 day') FROM (VALUES (timestamptz '2026-03-01 00:00+00', timestamptz '2026-02-01 00:00+00'), ('2026-01-01 00:00+00', '2026-02-02 00:00+00')) AS t(ts, a)$$),
    ('half_life changes', $$SELECT account_engagement(timestamptz '2026-01-01 00:00+00', 1, timestamptz '2026-02-01 00:00+00', h) FROM (VALUES (interval '1 day'), ('25 hours')) AS t(h)$$),
    ('1 mon then 31 days', $$SELECT account_engagement(timestamptz '2026-01-01 00:00+00', 1, timestamptz '2026-02-01 00:00+00', h) FROM (VALUES (interval '1 mon'), ('31 days')) AS t(h)$$),
    ('1 day then 24 hours', $$SELECT account_engagement(timestamptz '2026-01-01 00:00+00', 1, timestamptz '2026-02-01 00:00+00', h) FROM (VALUES (interval '1 day'), ('24 hours')) AS t(h)$$),
    ('negative minutes', $$SELECT account_engagement(now(), -0.5, now(), interval '1 day')$$),
    ('minus zero minutes', $$SELECT account_engagement(now(), '-0'::float8, now(), interval '1 day')$$),
    ('NaN minutes', $$SELECT account_engagement(now(), 'NaN'::float8, now(), interval '1 day')$$),
    ('infinite minutes', $$SELECT account_engagement(now(), 'Infinity'::float8, now(), interval '1 day')$$),
    ('-infinite minutes', $$SELECT account_engagement(now(), '-Infinity'::float8, now(), interval '1 day')$$),
    ('infinite ts', $$SELECT account_engagement('infinity'::timestamptz, 1, now(), interval '1 day')$$),
    ('-infinite ts', $$SELECT account_engagement('-infinity'::timestamp, 1, localtimestamp, interval '1 day')$$),
    ('infinite as_of', $$SELECT account_engagement(now(), 1, 'infinity'::timestamptz, interval '1 day')$$),
    ('in a window frame', $$SELECT account_engagement(ts, m, timestamptz '2026-02-01 00:00+00', interval '1 day') OVER (ORDER BY ts ROWS 1 PRECEDING) FROM (VALUES (timestamptz '2026-01-01 00:00+00', 1::float8), ('2026-01-02 00:00+00', -1)) AS t(ts, m)$$)
) AS cases(label, query);

-- The state type engagement_summary.
CREATE AGGREGATE pg_temp.engagement_state(timestamptz, float8, timestamptz, interval) (
    SFUNC = account_engagement_add, STYPE = engagement_summary,
    INITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
    COMBINEFUNC = account_engagement_combine);
CREATE AGGREGATE pg_temp.merged(engagement_summary) (
    SFUNC = account_engagement_combine, STYPE = engagement_summary,
    INITCOND = 'v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none');
-- By hand: the docs' example (three counted touches, 30 minutes; the touch after
-- as_of is not counted); half-life 30 days = 2592000 seconds.
SELECT pg_temp.engagement_state(ts, m, timestamptz '2024-07-01 00:00+00', interval '30 days') AS state
FROM (VALUES (timestamptz '2024-07-01 00:00+00', 10.0::float8), (timestamptz '2024-06-01 00:00+00', 20),
             (timestamptz '2024-05-02 00:00+00', 40), (timestamptz '2024-07-15 00:00+00', 1000)) AS t(ts, m);
-- as_of is written in UTC whatever the session's time zone.
SET TimeZone = 'America/New_York';
SELECT pg_temp.engagement_state(ts, 2, timestamptz '2024-07-01 00:00+00', interval '1 day') AS state_in_new_york
FROM (VALUES (timestamptz '2024-06-30 00:00+00')) AS t(ts);
SET TimeZone = 'UTC';
-- Final function of a stored value: 30.
SELECT account_engagement_final('v1 rows=3 engagement_minutes=30 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000.000000') AS thirty;

-- Stored per-account states: text and binary round trips give the same text and the
-- same final value as the aggregate; merging two programs' states equals the
-- aggregate over the union of their rows (1e-12).
CREATE TABLE abm_engagement_states AS
SELECT account_id, program,
       pg_temp.engagement_state(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '30 days') AS s
FROM abm_touches WHERE account_id IS NOT NULL AND program IN ('P1', 'P2')
GROUP BY account_id, program;
CREATE TABLE abm_engagement_states_copy (LIKE abm_engagement_states);
COPY abm_engagement_states TO '/tmp/b2bkpi_abm_engagement.copy' (FORMAT binary);
COPY abm_engagement_states_copy FROM PROGRAM 'cat /tmp/b2bkpi_abm_engagement.copy && rm -f /tmp/b2bkpi_abm_engagement.copy' (FORMAT binary);
SELECT count(*) AS states,
       count(*) FILTER (WHERE a.s::text <> a.s::text::engagement_summary::text) AS text_mismatches,
       count(*) FILTER (WHERE a.s::text <> c.s::text) AS binary_mismatches,
       count(*) FILTER (WHERE account_engagement_final(a.s) IS DISTINCT FROM account_engagement_final(c.s)
                           OR account_engagement_final(a.s) IS DISTINCT FROM account_engagement_final(a.s::text::engagement_summary)) AS final_mismatches,
       count(*) FILTER (WHERE account_engagement_final(a.s) IS DISTINCT FROM e) AS aggregate_mismatches
FROM abm_engagement_states AS a JOIN abm_engagement_states_copy AS c USING (account_id, program)
JOIN (SELECT account_id, program,
             account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '30 days') AS e
      FROM abm_touches WHERE account_id IS NOT NULL AND program IN ('P1', 'P2')
      GROUP BY account_id, program) AS agg USING (account_id, program);
SELECT count(*) AS accounts, count(got) AS defined,
       count(*) FILTER (WHERE (got IS NULL) <> (want IS NULL) OR NOT abs(got - want) <= 1e-12 * abs(want)) AS mismatches
FROM (SELECT account_id, account_engagement_final(pg_temp.merged(s)) AS got
      FROM abm_engagement_states_copy GROUP BY account_id) AS m
FULL JOIN (SELECT account_id, account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '30 days') AS want
           FROM abm_touches WHERE account_id IS NOT NULL AND program IN ('P1', 'P2')
           GROUP BY account_id) AS r USING (account_id);
-- Combining: a state without parameters takes the other's; different parameters are
-- refused (22023).
SELECT account_engagement_combine('v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none',
                                  'v1 rows=2 engagement_minutes=7.5 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400') AS took_parameters;
SELECT pg_temp.error_of($$SELECT account_engagement_combine(
    'v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400',
    'v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-02T00:00:00.000000Z half_life_seconds=86400')$$) AS different_as_of;
SELECT pg_temp.error_of($$SELECT account_engagement_combine(
    'v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400',
    'v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400.5')$$) AS different_half_life;
-- Binary form by hand: version 1; rows 3; 30 as float8 (0x403E000000000000); error 0;
-- parameters set (1); as_of 2024-07-01 00:00 UTC = 8948 days = 773107200 s after 2000-01-01, in
-- microseconds 773107200000000 = 0x0002BF230C078000; the half-life 2592000 s =
-- 2592000000000 us = 0x0000025B7F3D4000.
SELECT engagement_summary_send('v1 rows=3 engagement_minutes=30 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=2592000') AS binary_form;
-- Malformed and impossible text.
SELECT input, pg_temp.error_of(format('SELECT %L::engagement_summary', input)) AS result
FROM (VALUES
    (''), ('v1'),
    ('v2 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none'),
    ('v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 as_of=none'),
    ('v1 rows=0 engagement_minutes=0 engagement_minutes_error=0 half_life_seconds=none as_of=none'),
    ('v1 rows=-1 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none'),
    ('v1 rows=99999999999999999999 engagement_minutes=0 engagement_minutes_error=0 as_of=none half_life_seconds=none'),
    ('v1 rows=1 engagement_minutes=-1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=NaN engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=Infinity engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400'),
    ('v1 rows=0 engagement_minutes=5 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0.5 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=none half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=none half_life_seconds=none'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01 half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000+02 half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=infinity half_life_seconds=86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=0'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=-86400'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=0.0000001'),
    ('v1 rows=1 engagement_minutes=1 engagement_minutes_error=0 as_of=2024-07-01T00:00:00.000000Z half_life_seconds=1e400')
) AS cases(input);
-- Malformed binary values (42 bytes: version, rows, sum, error, parameters flag, as_of,
-- half-life), through the raw-bytes route of section 6.
CREATE TABLE abm_engagement_only (s engagement_summary);
SELECT label, pg_temp.binary_error_of(bytes, 'abm_engagement_only') AS result
FROM (VALUES
    ('valid', '\x010000000000000003403e0000000000000000000000000000010002bf230c0780000000025b7f3d4000'::bytea),
    ('version 2', '\x020000000000000003403e0000000000000000000000000000010002bf230c0780000000025b7f3d4000'::bytea),
    ('one byte short', '\x010000000000000003403e0000000000000000000000000000010002bf230c0780000000025b7f3d40'::bytea),
    ('one byte more', '\x010000000000000003403e0000000000000000000000000000010002bf230c0780000000025b7f3d400000'::bytea),
    ('parameters flag 5', '\x010000000000000003403e0000000000000000000000000000050002bf230c0780000000025b7f3d4000'::bytea),
    ('negative sum', '\x010000000000000003c03e0000000000000000000000000000010002bf230c0780000000025b7f3d4000'::bytea),
    ('negative half-life', '\x010000000000000003403e0000000000000000000000000000010002bf230c078000fffffda480c2c000'::bytea),
    ('rows without parameters', '\x010000000000000003403e00000000000000000000000000000000000000000000000000000000000000'::bytea)
) AS cases(label, bytes);
SELECT count(*) AS valid_rows_read, min(s::text) AS value FROM abm_engagement_only;

---------------------------------------------------------------------------------------
-- 8. engagement_lift: mean outcome of the top engagement quartile / mean outcome of the
-- bottom quartile - 1, quartiles as ntile(4) OVER (ORDER BY engagement, outcome).
---------------------------------------------------------------------------------------
-- The docs' example: 8 accounts' engagement and days to close. In (engagement,
-- outcome) order the bottom quarter is (5, 90), (12, 70): mean 80; the top (60, 40),
-- (60, 45): mean 42.5. 42.5 / 80 - 1 = -0.46875: the most engaged quarter closes 47 %
-- faster.
SELECT engagement_lift(engagement, days_to_close) AS lift
FROM (VALUES (5, 90), (12, 80), (12, 70), (30, 60), (30, 75), (45, 50), (60, 40), (60, 45))
     AS t(engagement, days_to_close);

-- n = 0..9 rows, by hand: the first n rows of this list, with ties on engagement and a
-- row repeated. The bottom quartile has floor(n/4) rows plus one when n mod 4 >= 1,
-- the top floor(n/4); ties on engagement go by outcome.
--   k: 1 (10,50) 2 (10,30) 3 (20,40) 4 (5,60) 5 (20,20) 6 (10,30) 7 (40,10) 8 (5,80) 9 (30,25)
--   n <= 3: NULL
--   n = 4: (5,60) (10,30) (10,50) (20,40): bottom 60, top 40: 40/60 - 1 = -1/3
--   n = 5: + (20,20): bottom (5,60) (10,30) = 45, top (20,40) = 40: -1/9
--   n = 6: + (10,30): bottom (5,60) (10,30) = 45, top (20,40) = 40: -1/9
--   n = 7: + (40,10): bottom 45, top (40,10) = 10: -7/9
--   n = 8: + (5,80): bottom (5,60) (5,80) = 70, top (20,40) (40,10) = 25: -9/14
--   n = 9: + (30,25): bottom (5,60) (5,80) (10,30) = 170/3, top (30,25) (40,10) = 17.5: -47/68
CREATE TEMP TABLE lift_list (k int, engagement float8, outcome float8);
INSERT INTO lift_list VALUES (1, 10, 50), (2, 10, 30), (3, 20, 40), (4, 5, 60), (5, 20, 20),
                             (6, 10, 30), (7, 40, 10), (8, 5, 80), (9, 30, 25);
SELECT n, lift, hand, lift IS NOT DISTINCT FROM hand OR abs(lift - hand) <= 1e-15 AS as_by_hand
FROM (VALUES (0, NULL), (1, NULL), (2, NULL), (3, NULL), (4, -1/3.0), (5, -1/9.0), (6, -1/9.0),
             (7, -7/9.0), (8, -9/14.0), (9, -47/68.0)) AS h(n, hand),
     LATERAL (SELECT engagement_lift(engagement, outcome) AS lift FROM lift_list WHERE k <= h.n) AS l
ORDER BY n;
-- The same lists in reverse order of arrival: the result depends on the pairs only.
SELECT count(*) AS lists,
       count(*) FILTER (WHERE a IS DISTINCT FROM b) AS order_mismatches
FROM generate_series(0, 9) AS n,
     LATERAL (SELECT engagement_lift(engagement, outcome ORDER BY k) AS a,
                     engagement_lift(engagement, outcome ORDER BY k DESC) AS b
              FROM lift_list WHERE k <= n) AS l;
-- The examples of docs/abm.md's engagement_lift section. Six deals: in (engagement,
-- outcome) order d (1,60) f (2,50) | b (2,55) e (3,40) | c (4,35) | a (5,30); bottom
-- mean 55, top 30: 30/55 - 1 = -5/11 = -0.4545...
SELECT lift, by_hand, abs(lift - by_hand) <= 1e-15 AS as_by_hand
FROM (SELECT engagement_lift(engagement, days_to_close) AS lift, -5/11.0 AS by_hand
      FROM (VALUES ('a', 5, 30), ('b', 2, 55), ('c', 4, 35),
                   ('d', 1, 60), ('e', 3, 40), ('f', 2, 50)) AS deals(account, engagement, days_to_close)) AS l;
-- Five-row frames, by hand: rows 1-3 NULL; 1-4 sorted (1,60) (2,50) (3,40) (5,20):
-- 20/60 - 1 = -2/3; 1-5: bottom (60+50)/2, top 20: -7/11; 2-6: bottom (60+50)/2, top
-- (6,25): -6/11; 3-7: bottom (70+50)/2, top 25: -7/12.
SELECT d, lift_5, by_hand, abs(lift_5 - by_hand) <= 1e-15 AS as_by_hand
FROM (SELECT d, engagement_lift(e, o) OVER (ORDER BY d ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS lift_5
      FROM (VALUES (1, 3, 40), (2, 1, 60), (3, 5, 20), (4, 2, 50),
                   (5, 4, 30), (6, 6, 25), (7, 1, 70)) AS v(d, e, o)) AS w
JOIN (VALUES (1, NULL), (2, NULL), (3, NULL), (4, -2/3.0), (5, -7/11.0), (6, -6/11.0), (7, -7/12.0))
     AS h(d, by_hand) USING (d)
ORDER BY d;
-- A stored state's lift: the six deals again, -5/11.
SELECT engagement_lift_final('v1 rows=6 pairs=5:30,2:55,4:35,1:60,3:40,2:50') AS stored_six_deals;

-- Every engagement tied: quartiles by outcome alone (bottom 10, top 40): 3. A bottom
-- mean of 0: NULL. A top mean of 0: -1. NULLs are skipped: of 6 rows only 4 count,
-- (1,10) (2,20) (3,30) (4,40): 3.
SELECT engagement_lift(e, o) FILTER (WHERE g = 'tied') AS all_tied,
       engagement_lift(e, o) FILTER (WHERE g = 'zero bottom') AS zero_bottom,
       engagement_lift(e, o) FILTER (WHERE g = 'zero top') AS zero_top,
       engagement_lift(e, o) FILTER (WHERE g = 'nulls') AS with_nulls
FROM (VALUES ('tied', 7, 30), ('tied', 7, 10), ('tied', 7, 40), ('tied', 7, 20),
             ('zero bottom', 1, 0), ('zero bottom', 2, 0), ('zero bottom', 3, 5), ('zero bottom', 4, 9),
             ('zero top', 1, 5), ('zero top', 2, 0), ('zero top', 3, 0), ('zero top', 4, 0),
             ('nulls', 1, 10), ('nulls', 2, 20), ('nulls', NULL, 99), ('nulls', 3, 30), ('nulls', 4, 40),
             ('nulls', 5, NULL)) AS t(g, e, o);

-- Generated: per account, its engagement (account_engagement as of 2026-06-01, 30-day
-- half-life) in each program, rounded to 5 minutes so that engagement ties are common,
-- and its opportunity's days to close (60 % of accounts have an opportunity, 5 % of
-- those still open: NULL), closing faster the more engaged the account.
SELECT setseed(0.31);
CREATE TABLE abm_account_engagement AS
SELECT account_id, program,
       round(account_engagement(ts, minutes, timestamptz '2026-06-01 00:00+00', interval '30 days') / 5) * 5 AS engagement
FROM abm_touches WHERE account_id IS NOT NULL
GROUP BY account_id, program;
CREATE TABLE abm_opportunities AS
SELECT account_id,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE round(20 + 100 * exp(-coalesce(e, 0) / 400) + 40 * random()) END::float8 AS days_to_close
FROM (SELECT a AS account_id, e
      FROM generate_series(1, 3000) AS a
      LEFT JOIN (SELECT account_id, sum(engagement) AS e FROM abm_account_engagement GROUP BY account_id) AS x
          ON x.account_id = a
      ORDER BY a) AS accounts
WHERE random() < 0.6;
SELECT count(*) AS account_programs,
       count(*) - count(DISTINCT (program, engagement)) AS tied_on_engagement,
       count(days_to_close) AS with_days_to_close
FROM abm_account_engagement JOIN abm_opportunities USING (account_id);

-- Against the ntile(4) formulation (NULL for fewer than 4 rows), within 1e-12
-- relative: per program, overall, and in groups of 1 to 9 accounts (account_id % 250
-- within one program; the other programs' rows form group -1), where the small sizes
-- matter most.
CREATE FUNCTION pg_temp.lift_check(group_expr text)
RETURNS TABLE (groups bigint, defined bigint, mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
        WITH pairs AS (SELECT %1$s AS g, engagement, days_to_close AS outcome
                       FROM abm_account_engagement JOIN abm_opportunities USING (account_id)),
        got AS (SELECT g, engagement_lift(engagement, outcome) AS lift FROM pairs GROUP BY g),
        ranked AS (SELECT g, outcome, ntile(4) OVER (PARTITION BY g ORDER BY engagement, outcome) AS q,
                          count(*) OVER (PARTITION BY g) AS n
                   FROM pairs WHERE engagement IS NOT NULL AND outcome IS NOT NULL),
        want AS (SELECT g, CASE WHEN max(n) >= 4 THEN avg(outcome) FILTER (WHERE q = 4)
                                                      / nullif(avg(outcome) FILTER (WHERE q = 1), 0) - 1 END AS lift
                 FROM ranked GROUP BY g)
        SELECT count(*), count(got.lift),
               count(*) FILTER (WHERE (got.lift IS NULL) <> (want.lift IS NULL)
                                   OR NOT abs(got.lift - want.lift) <= 1e-12 * abs(want.lift))
        FROM got LEFT JOIN want USING (g)$q$, group_expr);
END
$$;
SELECT grouping_label, c.*
FROM (VALUES ('per program', 'program'), ('overall', '''all'''),
             ('groups of 1-9 accounts', $$CASE WHEN program = 'P3' THEN account_id % 250 ELSE -1 END$$))
     AS v(grouping_label, group_expr),
     LATERAL pg_temp.lift_check(group_expr) AS c;
-- The sizes of those small groups: every n from 1 to 9 occurs (and groups of n < 4
-- gave NULL on both sides).
SELECT array_agg(DISTINCT n ORDER BY n) AS group_sizes
FROM (SELECT count(*) AS n FROM abm_account_engagement JOIN abm_opportunities USING (account_id)
      WHERE program = 'P3' AND days_to_close IS NOT NULL GROUP BY account_id % 250) AS s;

-- GROUPING SETS and FILTER in one query against the same formulation.
SELECT count(*) AS groups, count(got) AS defined,
       count(*) FILTER (WHERE (got IS NULL) <> (want IS NULL) OR NOT abs(got - want) <= 1e-12 * abs(want)) AS mismatches
FROM (SELECT program, engagement_lift(engagement, days_to_close) FILTER (WHERE engagement > 0) AS got
      FROM abm_account_engagement JOIN abm_opportunities USING (account_id)
      GROUP BY GROUPING SETS ((program), ())) AS g
JOIN (SELECT coalesce(program, '(all)') AS program,
             avg(days_to_close) FILTER (WHERE q = 4) / nullif(avg(days_to_close) FILTER (WHERE q = 1), 0) - 1 AS want
      FROM (SELECT program, days_to_close, ntile(4) OVER (PARTITION BY program ORDER BY engagement, days_to_close) AS q
            FROM abm_account_engagement JOIN abm_opportunities USING (account_id)
            WHERE engagement > 0 AND days_to_close IS NOT NULL
            UNION ALL
            SELECT NULL, days_to_close, ntile(4) OVER (ORDER BY engagement, days_to_close)
            FROM abm_account_engagement JOIN abm_opportunities USING (account_id)
            WHERE engagement > 0 AND days_to_close IS NOT NULL) AS r
      GROUP BY program) AS w ON coalesce(g.program, '(all)') = w.program;

-- Sliding frames against a LATERAL ntile over each frame's rows: the last 51 touches
-- (minutes as engagement, a made-up outcome, NULLs entering and leaving), the last 8
-- touches per program, and running frames from the start of each program.
CREATE TEMP TABLE lift_frames AS
SELECT n, program, minutes AS e,
       CASE WHEN n % 53 = 0 THEN NULL ELSE (n * 37 % 101)::float8 END AS o
FROM frame_touches WHERE n <= 2000;
CREATE INDEX ON lift_frames (n);
CREATE INDEX ON lift_frames (program, n);
ANALYZE lift_frames;
SELECT count(*) AS frames, count(got_last) AS defined,
       count(*) FILTER (WHERE (got_last IS NULL) <> (want_last IS NULL)
                           OR NOT abs(got_last - want_last) <= 1e-12 * abs(want_last)) AS last_51_mismatches,
       count(*) FILTER (WHERE (got_program IS NULL) <> (want_program IS NULL)
                           OR NOT abs(got_program - want_program) <= 1e-12 * abs(want_program)) AS per_program_mismatches,
       count(*) FILTER (WHERE (got_running IS NULL) <> (want_running IS NULL)
                           OR NOT abs(got_running - want_running) <= 1e-12 * abs(want_running)) AS running_mismatches
FROM (
    SELECT n,
           engagement_lift(e, o) OVER (ORDER BY n ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS got_last,
           engagement_lift(e, o) OVER (PARTITION BY program ORDER BY n ROWS BETWEEN 7 PRECEDING AND CURRENT ROW) AS got_program,
           engagement_lift(e, o) OVER (PARTITION BY program ORDER BY n) AS got_running
    FROM lift_frames
) AS g
JOIN lift_frames AS w USING (n),
LATERAL (SELECT CASE WHEN count(*) >= 4 THEN avg(o) FILTER (WHERE q = 4) / nullif(avg(o) FILTER (WHERE q = 1), 0) - 1 END AS want_last
         FROM (SELECT o, ntile(4) OVER (ORDER BY e, o) AS q FROM lift_frames AS f
               WHERE f.n BETWEEN w.n - 50 AND w.n AND e IS NOT NULL AND o IS NOT NULL) AS r) AS a,
LATERAL (SELECT CASE WHEN count(*) >= 4 THEN avg(o) FILTER (WHERE q = 4) / nullif(avg(o) FILTER (WHERE q = 1), 0) - 1 END AS want_program
         FROM (SELECT o, ntile(4) OVER (ORDER BY e, o) AS q
               FROM (SELECT e, o FROM lift_frames AS f WHERE f.program = w.program AND f.n <= w.n
                     ORDER BY f.n DESC LIMIT 8) AS f
               WHERE e IS NOT NULL AND o IS NOT NULL) AS r) AS b,
LATERAL (SELECT CASE WHEN count(*) >= 4 THEN avg(o) FILTER (WHERE q = 4) / nullif(avg(o) FILTER (WHERE q = 1), 0) - 1 END AS want_running
         FROM (SELECT o, ntile(4) OVER (ORDER BY e, o) AS q FROM lift_frames AS f
               WHERE f.program = w.program AND f.n <= w.n AND e IS NOT NULL AND o IS NOT NULL) AS r) AS c;

-- Parallel plans (the 200,000 rows of section 5, 40 engagement levels: heavy ties):
-- the same answers as serial, and as the ntile formulation.
CREATE TEMP TABLE serial_lift AS
SELECT program, engagement_lift(engagement, outcome) AS lift FROM abm_big GROUP BY program
UNION ALL
SELECT 'all', engagement_lift(engagement, outcome) FROM abm_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT engagement_lift(engagement, outcome) FROM abm_big;
CREATE TEMP TABLE parallel_lift AS
SELECT program, engagement_lift(engagement, outcome) AS lift FROM abm_big GROUP BY program;
INSERT INTO parallel_lift SELECT 'all', engagement_lift(engagement, outcome) FROM abm_big;
-- Only the last 10 rows count (FILTER), so a worker may see none of them and hand over
-- no state at all: the leader's combine functions start from the other's state.
CREATE TEMP TABLE parallel_sparse AS
SELECT reach_rate(account_id, reached) FILTER (WHERE row_id > 199990) AS reach,
       account_engagement(ts, minutes, timestamptz '2026-07-01 00:00+00', interval '30 days')
           FILTER (WHERE row_id > 199990) AS engagement,
       engagement_lift(engagement, outcome) FILTER (WHERE row_id > 199990) AS lift
FROM abm_big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups, count(p.lift) AS defined,
       count(*) FILTER (WHERE NOT abs(p.lift - s.lift) <= 1e-12 * abs(s.lift)) AS parallel_mismatches,
       count(*) FILTER (WHERE p.lift IS DISTINCT FROM s.lift) AS not_the_same_bits,
       count(*) FILTER (WHERE NOT abs(s.lift - w.lift) <= 1e-12 * abs(w.lift)) AS ntile_mismatches
FROM parallel_lift AS p JOIN serial_lift AS s USING (program)
JOIN (SELECT coalesce(program, 'all') AS program,
             avg(outcome) FILTER (WHERE q = 4) / nullif(avg(outcome) FILTER (WHERE q = 1), 0) - 1 AS lift
      FROM (SELECT program, outcome, ntile(4) OVER (PARTITION BY program ORDER BY engagement, outcome) AS q
            FROM abm_big WHERE outcome IS NOT NULL
            UNION ALL
            SELECT NULL, outcome, ntile(4) OVER (ORDER BY engagement, outcome)
            FROM abm_big WHERE outcome IS NOT NULL) AS r
      GROUP BY program) AS w USING (program);

SELECT p.reach IS NOT DISTINCT FROM s.reach AS reach_equal,
       p.engagement IS NOT DISTINCT FROM s.engagement OR abs(p.engagement - s.engagement) <= 1e-12 * s.engagement AS engagement_equal,
       p.lift IS NOT DISTINCT FROM s.lift AS lift_equal,
       p.reach IS NOT NULL AND p.engagement IS NOT NULL AND p.lift IS NOT NULL AS all_defined
FROM parallel_sparse AS p,
     (SELECT reach_rate(account_id, reached) AS reach,
             account_engagement(ts, minutes, timestamptz '2026-07-01 00:00+00', interval '30 days') AS engagement,
             engagement_lift(engagement, outcome) AS lift
      FROM abm_big WHERE row_id > 199990) AS s;

-- Errors: NaN or infinite engagement or outcome, 22023, also inside a window frame.
SELECT label, pg_temp.error_of(query) AS result
FROM (VALUES
    ('NaN engagement', $$SELECT engagement_lift('NaN', 1)$$),
    ('infinite engagement', $$SELECT engagement_lift('Infinity', 1)$$),
    ('NaN outcome', $$SELECT engagement_lift(1, 'NaN')$$),
    ('-infinite outcome', $$SELECT engagement_lift(1, '-Infinity')$$),
    ('in a frame', $$SELECT engagement_lift(e, o) OVER (ORDER BY e ROWS 2 PRECEDING) FROM (VALUES (1, 1::float8), (2, 'Infinity')) AS t(e, o)$$),
    ('means beyond float8', $$SELECT engagement_lift(e, o) FROM (VALUES (1, 1e-300::float8), (2, 1), (3, 1), (4, 1e300)) AS t(e, o)$$)
) AS cases(label, query);

-- The state type engagement_pairs: every pair in the order the rows came.
CREATE AGGREGATE pg_temp.pairs(float8, float8) (
    SFUNC = engagement_lift_add, STYPE = engagement_pairs, COMBINEFUNC = engagement_lift_combine);
-- By hand: three pairs in arrival order, the NULL row skipped; no rows: no state.
SELECT pg_temp.pairs(e, o) AS three_pairs
FROM (VALUES (12.5, 30), (40, 21), (NULL, 5), (7, 45)) AS t(e, o);
SELECT pg_temp.pairs(e, o) IS NULL AS no_state FROM (SELECT 1.0::float8, 1.0::float8 WHERE false) AS t(e, o);
-- Binary by hand: version 1, one pair (int64), then 1.5 (0x3FF8000000000000) and -2
-- (0xC000000000000000).
SELECT engagement_pairs_send('v1 rows=1 pairs=1.5:-2') AS binary_form;
-- Numbers that need 17 digits read back as the same double.
SELECT 'v1 rows=2 pairs=0.1:0.30000000000000004,1e-300:-2.5e+300'::engagement_pairs AS exact_digits,
       'v1 rows=0 pairs=none'::engagement_pairs AS empty,
       engagement_lift_final('v1 rows=0 pairs=none') AS empty_lift,
       engagement_lift_final('v1 rows=4 pairs=1:10,2:20,3:30,4:40') AS lift_three;
-- Stored per-program states: text and binary round trips keep every pair in order;
-- the lift read off a stored state, and off two merged states, equals the aggregate
-- over the same rows.
CREATE TABLE abm_lift_states AS
SELECT program, pg_temp.pairs(engagement, days_to_close) AS s
FROM abm_account_engagement JOIN abm_opportunities USING (account_id) GROUP BY program;
CREATE TABLE abm_lift_states_copy (LIKE abm_lift_states);
COPY abm_lift_states TO '/tmp/b2bkpi_abm_lift.copy' (FORMAT binary);
COPY abm_lift_states_copy FROM PROGRAM 'cat /tmp/b2bkpi_abm_lift.copy && rm -f /tmp/b2bkpi_abm_lift.copy' (FORMAT binary);
SELECT count(*) AS states,
       count(*) FILTER (WHERE a.s::text <> a.s::text::engagement_pairs::text) AS text_mismatches,
       count(*) FILTER (WHERE a.s::text <> c.s::text) AS binary_mismatches,
       count(*) FILTER (WHERE engagement_lift_final(c.s) IS DISTINCT FROM l.lift) AS lift_mismatches,
       count(*) FILTER (WHERE (regexp_match(a.s::text, '^v1 rows=([0-9]+) '))[1]::bigint <> l.n) AS count_mismatches
FROM abm_lift_states AS a JOIN abm_lift_states_copy AS c USING (program)
JOIN (SELECT program, engagement_lift(engagement, days_to_close) AS lift,
             count(*) FILTER (WHERE days_to_close IS NOT NULL AND engagement IS NOT NULL) AS n
      FROM abm_account_engagement JOIN abm_opportunities USING (account_id) GROUP BY program) AS l USING (program);
SELECT engagement_lift_final(engagement_lift_combine(a.s, b.s)) AS merged,
       (SELECT engagement_lift(engagement, days_to_close)
        FROM abm_account_engagement JOIN abm_opportunities USING (account_id)
        WHERE program IN ('P1', 'P2')) AS over_rows
FROM abm_lift_states_copy AS a, abm_lift_states_copy AS b
WHERE a.program = 'P1' AND b.program = 'P2';
-- The frame's inverse removes the oldest pair only: another pair gives NULL (the
-- frame is recomputed).
SELECT engagement_lift_remove('v1 rows=2 pairs=1:10,2:20', 1, 10) AS oldest_removed,
       engagement_lift_remove('v1 rows=2 pairs=1:10,2:20', 2, 20) AS not_the_oldest,
       engagement_lift_remove('v1 rows=2 pairs=1:10,2:20', NULL, 20) AS null_row_was_skipped,
       engagement_lift_combine('v1 rows=1 pairs=1:10', 'v1 rows=2 pairs=2:20,3:30') AS concatenated;
-- Malformed text.
SELECT input, pg_temp.error_of(format('SELECT %L::engagement_pairs', input)) AS result
FROM (VALUES
    (''), ('v1'), ('v1 rows=1'), ('v2 rows=1 pairs=1:2'), ('v1 rows=2 pairs=1:2'),
    ('v1 rows=1 pairs=1:2,3:4'), ('v1 rows=1 pairs=1'), ('v1 rows=1 pairs=1:2:3'),
    ('v1 rows=1 pairs=NaN:2'), ('v1 rows=1 pairs=1:Infinity'), ('v1 rows=1 pairs=1e400:2'),
    ('v1 rows=1 pairs=a:2'), ('v1 rows=0 pairs=1:2'), ('v1 rows=1 pairs=none'),
    ('v1 rows=-1 pairs=none'), ('v1 rows=99999999999 pairs=1:2'), ('v1 pairs=1:2 rows=1')
) AS cases(input);
-- Malformed binary.
CREATE TABLE abm_pairs_only (s engagement_pairs);
SELECT label, pg_temp.binary_error_of(bytes, 'abm_pairs_only') AS result
FROM (VALUES
    ('valid', '\x0100000000000000013ff8000000000000c000000000000000'::bytea),
    ('version 2', '\x0200000000000000013ff8000000000000c000000000000000'::bytea),
    ('count above the pairs', '\x0100000000000000023ff8000000000000c000000000000000'::bytea),
    ('a byte more', '\x0100000000000000013ff8000000000000c00000000000000000'::bytea),
    ('negative count', '\x01ffffffffffffffff'::bytea),
    ('NaN outcome', '\x0100000000000000013ff80000000000007ff8000000000000'::bytea),
    ('infinite engagement', '\x0100000000000000017ff0000000000000c000000000000000'::bytea)
) AS cases(label, bytes);
SELECT count(*) AS valid_rows_read, min(s::text) AS value FROM abm_pairs_only;

---------------------------------------------------------------------------------------
-- 9. Per-account use of the foundation's functions: NPS and conversion rates computed
-- per account, then across accounts, each against its SQL idiom.
---------------------------------------------------------------------------------------
-- Survey answers: 1 to 5 respondents per account, scores 0..10 (3 % unanswered: NULL);
-- accounts in three segments.
SELECT setseed(0.93);
CREATE TABLE abm_nps_responses AS
SELECT account_id, respondent,
       CASE WHEN random() < 0.03 THEN NULL
            ELSE (ARRAY[0, 2, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10, 10])[1 + floor(random() * 15)::int] END AS score
FROM generate_series(1, 3000) AS account_id,
     LATERAL generate_series(1, 1 + (account_id * 7) % 5) AS respondent;
CREATE TEMP VIEW account_segments AS
SELECT account_id, (ARRAY['enterprise', 'mid-market', 'smb'])[1 + account_id % 3] AS segment
FROM generate_series(1, 3000) AS account_id;

-- By hand: account 1 has answers 10, 9, 3 (2 promoters, 1 detractor: 100 * 1/3 =
-- 33.33...); account 2 answers 7 and NULL (a passive: 0); account 3 only NULL (no
-- NPS). Across accounts: 1 of the 2 accounts with an NPS has a positive one (0.5);
-- 1 of the 2 accounts with an answer has a promoter (0.5).
SELECT account_id, nps(score) AS account_nps
FROM (VALUES (1, 10), (1, 9), (1, 3), (2, 7), (2, NULL), (3, NULL)) AS t(account_id, score)
GROUP BY account_id ORDER BY account_id;
SELECT conversion_rate(account_nps > 0) AS share_positive,
       (SELECT reach_rate(account_id, score >= 9)
        FROM (VALUES (1, 10), (1, 9), (1, 3), (2, 7), (2, NULL), (3, NULL)) AS t(account_id, score)) AS share_with_promoter
FROM (SELECT account_id, nps(score) AS account_nps
      FROM (VALUES (1, 10), (1, 9), (1, 3), (2, 7), (2, NULL), (3, NULL)) AS t(account_id, score)
      GROUP BY account_id) AS a;

-- Account-level NPS, nps(score) GROUP BY account, against
--   100 * (promoters - detractors)::float8 / nullif(answers, 0)
SELECT count(*) AS accounts, count(got) AS defined,
       count(*) FILTER (WHERE got IS DISTINCT FROM want) AS mismatches
FROM (SELECT account_id, nps(score) AS got,
             100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8
             / nullif(count(score), 0) AS want
      FROM abm_nps_responses GROUP BY account_id) AS a;

-- Then across accounts, per segment and in total:
--   share of accounts whose NPS is positive: conversion_rate(account_nps > 0)
--   share of accounts with a promoter: reach_rate(account_id, score >= 9)
--   share of touched accounts that reached an opportunity: conversion_rate(has_opportunity)
--   NPS of the accounts reached by a webinar, pooling their answers: nps(score)
CREATE TEMP TABLE account_level AS
SELECT account_id, segment, account_nps,
       o.account_id IS NOT NULL AS has_opportunity,
       t.account_id IS NOT NULL AS touched,
       coalesce(t.webinar_reached, false) AS webinar_reached
FROM account_segments AS s
LEFT JOIN (SELECT account_id, nps(score) AS account_nps FROM abm_nps_responses GROUP BY account_id) AS r
    USING (account_id)
LEFT JOIN abm_opportunities AS o USING (account_id)
LEFT JOIN (SELECT account_id, bool_or(touch_type = 'webinar' AND reached) AS webinar_reached
           FROM abm_touches GROUP BY account_id) AS t USING (account_id);
-- The checks are the four *_equal columns; the values are shown for reading.
SELECT segment, n AS accounts,
       positive = positive_idiom AS positive_equal,
       promoter = promoter_idiom AS promoter_equal,
       opportunity = opportunity_idiom AS opportunity_equal,
       webinar_nps = webinar_nps_idiom AS webinar_nps_equal,
       round(positive::numeric, 4) AS share_positive, round(promoter::numeric, 4) AS share_with_promoter,
       round(opportunity::numeric, 4) AS share_with_opportunity, round(webinar_nps::numeric, 2) AS webinar_accounts_nps
FROM (
    SELECT coalesce(segment, '(all)') AS segment, count(*) AS n,
           conversion_rate(account_nps > 0) AS positive,
           count(*) FILTER (WHERE account_nps > 0)::float8 / nullif(count(account_nps), 0) AS positive_idiom,
           conversion_rate(has_opportunity) FILTER (WHERE touched) AS opportunity,
           count(*) FILTER (WHERE touched AND has_opportunity)::float8 / nullif(count(*) FILTER (WHERE touched), 0) AS opportunity_idiom
    FROM account_level GROUP BY ROLLUP (segment)
) AS a
JOIN (
    SELECT coalesce(segment, '(all)') AS segment,
           reach_rate(r.account_id, score >= 9) AS promoter,
           count(DISTINCT r.account_id) FILTER (WHERE score >= 9)::float8
           / nullif(count(DISTINCT r.account_id) FILTER (WHERE score IS NOT NULL), 0) AS promoter_idiom,
           nps(score) FILTER (WHERE webinar_reached) AS webinar_nps,
           100 * (count(*) FILTER (WHERE webinar_reached AND score >= 9) - count(*) FILTER (WHERE webinar_reached AND score <= 6))::float8
           / nullif(count(score) FILTER (WHERE webinar_reached), 0) AS webinar_nps_idiom
    FROM abm_nps_responses AS r JOIN account_level AS l USING (account_id)
    GROUP BY ROLLUP (segment)
) AS b USING (segment)
ORDER BY segment;

-- Clean up the tables this file made (temporary ones go with the session).
DROP MATERIALIZED VIEW abm_program_reach_stored;
DROP VIEW abm_program_reach;
DROP TABLE abm_touches, abm_big, abm_sets, abm_sets_from_binary, abm_raw_bytes, abm_set_only,
           abm_engagement_states, abm_engagement_states_copy, abm_engagement_only,
           abm_account_engagement, abm_opportunities, abm_lift_states, abm_lift_states_copy,
           abm_pairs_only, abm_nps_responses;
DROP DOMAIN abm_account_code;
