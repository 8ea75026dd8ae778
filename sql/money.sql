-- Money KPIs (kpi-spec section 2): cpl, cac, cost_per, roas, marketing_roi and
-- marketing_cac_share, exact over numeric and compensated over double precision.
-- Hand-computed values first, then every function against its SQL idiom on 100k
-- generated rows (scales 0 to 6, magnitudes up to 10^15, refunds) in serial,
-- parallel and sliding-frame plans, sums too wide for 128 bits, and every bad input.
-- The text and binary forms of the state types are in summary_types.

-- The catalog test installs the extension; this file also runs on its own.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2bkpi;
RESET client_min_messages;

CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN others THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- a within rel * magnitude of b (by default, relative to b); both NULL is equal.
CREATE FUNCTION pg_temp.near(a float8, b float8, rel float8, magnitude float8 DEFAULT NULL)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN a IS NULL OR b IS NULL THEN a IS NULL AND b IS NULL
            ELSE abs(a - b) <= rel * coalesce(magnitude, abs(b)) END
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

-- Rows with a NULL in either argument are skipped; the third row is a refund.
-- cpl = cac = cost_per: (100.00 + 250.5 - 20.125) / (4 + 6 + 0) = 330.375 / 10.
-- roas: (300 + 0.75 - 50) / 330.375 = 250.75 / 330.375 = 0.758986000756715853197...
-- marketing_roi: (250.75 - 200.0) / (80.5 + 120 - 0.5) = 50.75 / 200.0.
-- marketing_cac_share: (330.375 + 30) / (200.0 + 30) = 360.375 / 230.0 = 1.56684782608695652...
-- Each has numeric_div's scale for those sums: 16 places for a quotient from 1 to 9999,
-- 20 below 1.
CREATE TABLE small_spend (channel text, spend numeric, leads bigint, revenue numeric,
                          cost numeric);
INSERT INTO small_spend VALUES
    ('ads', 100.00, 4, 300, 80.5), ('ads', 250.5, 6, 0.75, 120),
    ('ads', -20.125, 0, -50, -0.5), ('ads', NULL, 3, 10, NULL), ('ads', 30, NULL, NULL, 30),
    ('seo', 12.345678, 1, 99.99, 12.345678), ('seo', 0, 2, 0, 0),
    ('events', 500, 0, 1000, 0), ('events', NULL, NULL, NULL, NULL);
SELECT cpl(spend, leads), cac(spend, leads), cost_per(spend, leads), roas(revenue, spend),
       marketing_roi(revenue, cost), marketing_cac_share(spend, cost)
FROM small_spend WHERE channel = 'ads';
-- The same in double precision: the quotients of the same sums, rounded once.
SELECT cpl(spend::float8, leads), cac(spend::float8, leads), cost_per(spend::float8, leads),
       roas(revenue::float8, spend::float8), marketing_roi(revenue::float8, cost::float8),
       marketing_cac_share(spend::float8, cost::float8)
FROM small_spend WHERE channel = 'ads';

-- GROUP BY, FILTER and grouping sets. seo: 12.345678 / 3 = 4.115226, 99.99 / 12.345678,
-- 87.644322 / 12.345678. events: no leads and no cost (NULL), roas 1000 / 500. Total:
-- 842.720678 / 13, 1350.74 / 842.720678, 1138.394322 / 212.345678; FILTER (spend > 0):
-- 350.50 / 10, 12.345678 / 1, 500 / 0, and 862.845678 / 11.
SELECT channel, cpl(spend, leads), roas(revenue, spend), marketing_roi(revenue, cost),
       cpl(spend, leads) FILTER (WHERE spend > 0) AS cpl_without_refunds
FROM small_spend GROUP BY ROLLUP (channel) ORDER BY channel NULLS LAST;

-- Compensated sums do not drift: 100000 rows of 0.1 sum to 10000 (the exact sum of the
-- doubles, 10000.000000000000555, rounds to it), where a plain float8 sum drifts.
SELECT cpl(0.1::float8, 1) AS cpl, sum(0.1::float8) / count(*) AS plain_sum_over_count
FROM generate_series(1, 100000);
-- 1e16 + 1 + 1 = 10000000000000002 exactly; a plain sum loses both ones.
SELECT roas(x, 1), sum(x) / 3 AS plain FROM (VALUES (1e16::float8), (1), (1)) AS v(x);

---------------------------------------------------------------------------------------
-- Empty input, all-NULL input and zero denominators: NULL, never an error.
---------------------------------------------------------------------------------------

SELECT cpl(n, c), cac(n, c), cost_per(n, c), roas(n, n), marketing_roi(n, n),
       marketing_cac_share(n, n), cpl(f, c), roas(f, f), marketing_roi(f, f),
       marketing_cac_share(f, f)
FROM (SELECT 1::numeric, 1::bigint, 1::float8 WHERE false) AS empty(n, c, f);
-- Each row has a NULL in every pair of arguments.
SELECT cpl(n, c), cac(n, c), cost_per(n, c), roas(n, m), marketing_roi(n, m),
       marketing_cac_share(n, m), cpl(f, c), roas(f, g), marketing_roi(f, g),
       marketing_cac_share(f, g)
FROM (VALUES (NULL::numeric, 1::numeric, 1::bigint, NULL::float8, 1::float8),
             (1, NULL, NULL, 1, NULL)) AS all_null(n, m, c, f, g);

-- Zero leads; spend 5.00 and a -5 credit that cancel; revenue equal to cost is ROI 0;
-- no spend at all is 0 per lead (0 / 10 has 20 places, as in SQL).
SELECT cpl(x, 0::bigint) AS no_leads, roas(1::numeric, x) AS spend_cancels,
       marketing_roi(1::numeric, x) AS cost_cancels, roas(x::float8, x::float8) AS float8,
       marketing_roi(abs(x), abs(x)) AS roi_zero, cpl(0::numeric, 5::bigint) AS no_spend
FROM (VALUES (5.00), (-5)) AS v(x);

---------------------------------------------------------------------------------------
-- 100k generated rows with NULLs, against the SQL idioms.
---------------------------------------------------------------------------------------

-- A deterministic amount from two hashes: 0 to 6 places, at most 10^3, 10^6, 10^10
-- or 10^15, negative for one row in ten (refunds and credits).
CREATE FUNCTION pg_temp.amount(a bigint, b bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN (b / 28) % 10 = 0 THEN -1 ELSE 1 END
       * round(((a::numeric * 18446744073709551557 + b) % (10::numeric ^ (m + s)))
               / (10::numeric ^ s), s)
FROM (SELECT (b % 7)::int AS s, (ARRAY[3, 6, 10, 15])[(b / 7) % 4 + 1] AS m) AS shape
$$;
CREATE TABLE money_events AS
SELECT i AS id,
       'channel_' || (h1 % 9) AS channel,
       CASE WHEN h2 % 29 = 0 THEN NULL ELSE pg_temp.amount(h1, h2) END AS spend,
       CASE WHEN h3 % 31 = 0 THEN NULL ELSE pg_temp.amount(h2, h3) END AS revenue,
       CASE WHEN h4 % 37 = 0 THEN NULL ELSE pg_temp.amount(h3, h4) END AS cost,
       CASE WHEN h5 % 23 = 0 THEN NULL ELSE h5 % 50 END AS leads,
       CASE WHEN h6 % 41 = 0 THEN NULL ELSE h6 % 4 END AS customers
FROM generate_series(1::bigint, 100000) AS i,
LATERAL (SELECT (i * 2654435761 + 1) % 4294967291 AS h1,
                (i * 2246822519 + 3) % 4294967279 AS h2,
                (i * 3266489917 + 5) % 4294967231 AS h3,
                (i * 668265263 + 7) % 4294967197 AS h4,
                (i * 374761393 + 11) % 4294967189 AS h5,
                (i * 2869860233 + 13) % 4294967161 AS h6) AS hashes;
-- Two channels for the edge cases: no leads or customers at all, and no spend.
UPDATE money_events SET leads = 0, customers = 0 WHERE channel = 'channel_7';
UPDATE money_events SET spend = NULL WHERE channel = 'channel_8';
-- The double precision columns: each amount to the nearest eighth, which a double holds
-- exactly (|amount| * 8 < 2^53), so the exact sums of the doubles are numeric sums of the
-- *_e columns.
ALTER TABLE money_events ADD COLUMN spend_e numeric, ADD COLUMN revenue_e numeric,
    ADD COLUMN cost_e numeric, ADD COLUMN spend_f float8, ADD COLUMN revenue_f float8,
    ADD COLUMN cost_f float8;
UPDATE money_events SET spend_e = round(spend * 8) / 8, revenue_e = round(revenue * 8) / 8,
                        cost_e = round(cost * 8) / 8;
UPDATE money_events SET spend_f = spend_e, revenue_f = revenue_e, cost_f = cost_e;
ANALYZE money_events;

SELECT count(*) AS rows, count(spend) AS spends, count(DISTINCT scale(spend)) AS scales,
       max(abs(spend)) < 1e15 AS below_1e15, count(*) FILTER (WHERE spend < 0) AS refunds,
       count(leads) AS leads,
       count(*) FILTER (WHERE (spend_f * 8)::bigint <> spend_e * 8) AS inexact_doubles
FROM money_events;

-- The idioms, written independently of the extension, straight from kpi-spec: over
-- each channel and all rows, per KPI, the rows with both arguments, sum / sum. exact
-- is over the numeric columns, exact_e over the eighths, plain over the float8 columns.
CREATE VIEW money_idiom AS
SELECT grp, kpi,
       (sum(num) - CASE kpi WHEN 'marketing_roi' THEN sum(den) ELSE 0 END)
           / nullif(sum(den), 0) AS exact,
       (sum(num_e) - CASE kpi WHEN 'marketing_roi' THEN sum(den_e) ELSE 0 END)
           / nullif(sum(den_e), 0) AS exact_e,
       (sum(num_f) - CASE kpi WHEN 'marketing_roi' THEN sum(den_f) ELSE 0 END)
           / nullif(sum(den_f), 0) AS plain
FROM money_events,
     LATERAL (VALUES (channel), ('all')) AS g(grp),
     LATERAL (VALUES
         ('cpl', spend, leads::numeric, spend_e, leads::numeric, spend_f, leads::float8),
         ('cac', spend, customers, spend_e, customers, spend_f, customers),
         ('cost_per', cost, leads, cost_e, leads, cost_f, leads),
         ('roas', revenue, spend, revenue_e, spend_e, revenue_f, spend_f),
         ('marketing_roi', revenue, cost, revenue_e, cost_e, revenue_f, cost_f),
         ('marketing_cac_share', spend, cost, spend_e, cost_e, spend_f, cost_f)
     ) AS p(kpi, num, den, num_e, den_e, num_f, den_f)
WHERE num IS NOT NULL AND den IS NOT NULL
GROUP BY grp, kpi;

CREATE VIEW money_kpis AS
SELECT grp,
       cpl(spend, leads) AS cpl, cac(spend, customers) AS cac, cost_per(cost, leads) AS cost_per,
       roas(revenue, spend) AS roas, marketing_roi(revenue, cost) AS marketing_roi,
       marketing_cac_share(spend, cost) AS marketing_cac_share,
       cpl(spend_f, leads) AS cpl_f, cac(spend_f, customers) AS cac_f,
       cost_per(cost_f, leads) AS cost_per_f, roas(revenue_f, spend_f) AS roas_f,
       marketing_roi(revenue_f, cost_f) AS marketing_roi_f,
       marketing_cac_share(spend_f, cost_f) AS marketing_cac_share_f
FROM money_events, LATERAL (VALUES (channel), ('all')) AS g(grp) GROUP BY grp;

-- numeric: equal as values and as text (the same display scale). double precision:
-- within 1e-15 of the exact quotient (plain float8 sums of the same rows are up to 5e-15
-- off), and within 1e-12 of the quotient of plain float8 sums. marketing_roi is compared
-- relative to |revenue / cost| + 1, as the difference of its sums cancels. A group with
-- no rows for a KPI is NULL on both sides.
CREATE FUNCTION pg_temp.compare_with_idiom() RETURNS TABLE (
    results bigint, numeric_equal bigint, numeric_text_equal bigint, float8_near_exact bigint,
    float8_near_plain bigint)
LANGUAGE sql AS $$
SELECT count(*),
       count(*) FILTER (WHERE k.n IS NOT DISTINCT FROM i.exact),
       count(*) FILTER (WHERE k.n::text IS NOT DISTINCT FROM i.exact::text),
       count(*) FILTER (WHERE pg_temp.near(k.f, i.exact_e::float8, 1e-15, magnitude)),
       count(*) FILTER (WHERE pg_temp.near(k.f, i.plain, 1e-12, magnitude))
FROM (SELECT grp, kpi, n, f
      FROM money_kpis,
           LATERAL (VALUES ('cpl', cpl, cpl_f), ('cac', cac, cac_f),
                           ('cost_per', cost_per, cost_per_f), ('roas', roas, roas_f),
                           ('marketing_roi', marketing_roi, marketing_roi_f),
                           ('marketing_cac_share', marketing_cac_share, marketing_cac_share_f)
           ) AS u(kpi, n, f)) AS k
LEFT JOIN money_idiom AS i USING (grp, kpi),
LATERAL (SELECT CASE kpi WHEN 'marketing_roi' THEN abs(i.exact_e::float8 + 1) + 1 END) AS m(magnitude)
$$;

SET max_parallel_workers_per_gather = 0;
SELECT * FROM pg_temp.compare_with_idiom();

-- The values themselves, so a change in the generator or the arithmetic shows.
SELECT grp, cpl, roas, marketing_roi, cpl_f, marketing_roi_f
FROM money_kpis ORDER BY grp;

-- Whole amounts with sums below 2^53 are exact in double precision too: the float8 form
-- is the numeric form rounded once.
SELECT count(*) AS groups,
       count(*) FILTER (WHERE cpl_f IS NOT DISTINCT FROM cpl_n
                          AND roas_f IS NOT DISTINCT FROM roas_n) AS float8_equal_to_numeric
FROM (SELECT cpl(round(spend / 1e9)::float8, leads) AS cpl_f,
             cpl(round(spend / 1e9), leads)::float8 AS cpl_n,
             roas(round(revenue / 1e9)::float8, round(spend / 1e9)::float8) AS roas_f,
             roas(round(revenue / 1e9), round(spend / 1e9))::float8 AS roas_n
      FROM money_events GROUP BY ROLLUP (channel)) AS whole_amounts;

CREATE TEMP TABLE serial_results AS SELECT * FROM money_kpis;

---------------------------------------------------------------------------------------
-- Sums too wide for the 128-bit fast path spill into a numeric in the state; they stay
-- exact and keep the idiom's display scale.
---------------------------------------------------------------------------------------

CREATE TABLE wide_spend (grp int, id int, spend numeric, leads bigint);
INSERT INTO wide_spend VALUES
    (1, 1, 1e30, 1), (1, 2, 1e40, 1), (1, 3, -1e40, 1), (1, 4, 123.000000000000000000000000000001, 1),
    (1, 5, 5.25, 0), (2, 6, 99999999999999999999999999999999999999, 1),
    (2, 7, 99999999999999999999999999999999999999, 1), (2, 8, -0.5, 0),
    (3, 9, 170141183460469231731687303715884105727, 1), (3, 10, 1, 1), (3, 11, -2, 0);
-- 1: (1e30 + 123.000...001 + 5.25) / 4 at 30 places; 2: (2 * (10^38 - 1) - 0.5) / 2;
-- 3: 2^127 - 1, the largest 128-bit integer, plus 1 minus 2, over 2.
SELECT grp, cpl(spend, leads), sum(spend) / sum(leads) AS idiom,
       cpl(spend, leads)::text = (sum(spend) / sum(leads))::text AS same_text,
       roas(spend, spend + leads) = sum(spend) / sum(spend + leads) AS roas_equal
FROM wide_spend GROUP BY ROLLUP (grp) ORDER BY grp NULLS LAST;
SELECT id, cpl(spend, leads) OVER w,
       (sum(spend) OVER w / nullif(sum(leads) OVER w, 0))::text AS idiom
FROM wide_spend WINDOW w AS (ORDER BY id ROWS 1 PRECEDING) ORDER BY id;

-- Spend allocated in thirds has 4 to 20 places: the 128-bit part overflows partway
-- through a group. Then 10^40, -10^40 and 10^-30 added to a few rows.
SELECT count(*) AS groups,
       count(*) FILTER (WHERE cpl::text IS NOT DISTINCT FROM idiom::text) AS equal_as_text
FROM (SELECT cpl(spend / 3, leads) AS cpl,
             sum(spend / 3) FILTER (WHERE leads IS NOT NULL)
                 / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL), 0) AS idiom
      FROM money_events GROUP BY ROLLUP (channel)) AS thirds;
CREATE VIEW wide_kpis AS
SELECT grp, cpl(spend, leads) AS cpl,
       sum(spend) FILTER (WHERE leads IS NOT NULL)
           / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL), 0) AS idiom
FROM (SELECT channel, leads,
             spend + CASE id % 10000 WHEN 1 THEN 1e40 WHEN 2 THEN -1e40 WHEN 3 THEN 1e-30
                                     ELSE 0 END AS spend
      FROM money_events) AS wide, LATERAL (VALUES (channel), ('all')) AS g(grp)
GROUP BY grp;
SELECT count(*) AS groups, count(*) FILTER (WHERE cpl::text IS NOT DISTINCT FROM idiom::text)
       AS equal_as_text
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
SELECT cpl(spend, leads), roas(revenue_f, spend_f) FROM money_events;
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM money_kpis') AS line;

SELECT * FROM pg_temp.compare_with_idiom();

-- The parallel answer equals the serial one, group by group, to the last digit.
SELECT count(*) AS groups_equal_to_serial
FROM money_kpis AS p JOIN serial_results AS s USING (grp)
WHERE (p.*)::text = (s.*)::text;

-- Spilled partial states are combined.
SELECT count(*) FILTER (WHERE line ~ 'Partial') AS partial_aggregates
FROM pg_temp.plan_of('SELECT * FROM wide_kpis') AS line;
SELECT count(*) AS groups, count(*) FILTER (WHERE cpl::text IS NOT DISTINCT FROM idiom::text)
       AS equal_as_text
FROM wide_kpis;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;

---------------------------------------------------------------------------------------
-- Sliding window frames (moving aggregates with an inverse transition), against the
-- built-in window idiom, row by row. Every few rows the largest scale in the frame
-- leaves it: the inverse transition then returns NULL and the frame is recomputed,
-- as for sum(numeric), so the display scale still follows the idiom's.
---------------------------------------------------------------------------------------

-- numeric: equal as text. double precision: within 1e-12 of the exact quotient (for
-- marketing_roi, of |revenue / cost| + 1: the difference of the two sums can cancel).
CREATE FUNCTION pg_temp.compare_frames(frame text) RETURNS TABLE (
    rows bigint, numeric_mismatches bigint, float8_mismatches bigint)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    SELECT count(*),
           count(*) FILTER (WHERE (cpl::text, roas::text, roi::text)
                                  IS DISTINCT FROM
                                  (cpl_idiom::text, roas_idiom::text, roi_idiom::text)),
           count(*) FILTER (WHERE NOT (pg_temp.near(cpl_f, cpl_exact::float8, 1e-12)
                                   AND pg_temp.near(roas_f, roas_exact::float8, 1e-12)
                                   AND pg_temp.near(roi_f, roi_exact::float8, 1e-12,
                                                    abs(roi_exact::float8 + 1) + 1)))
    FROM (
        SELECT cpl(spend, leads) OVER w AS cpl, cpl(spend_f, leads) OVER w AS cpl_f,
               sum(spend) FILTER (WHERE leads IS NOT NULL) OVER w
                   / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL) OVER w, 0) AS cpl_idiom,
               sum(spend_e) FILTER (WHERE leads IS NOT NULL) OVER w
                   / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL) OVER w, 0) AS cpl_exact,
               roas(revenue, spend) OVER w AS roas, roas(revenue_f, spend_f) OVER w AS roas_f,
               sum(revenue) FILTER (WHERE spend IS NOT NULL) OVER w
                   / nullif(sum(spend) FILTER (WHERE revenue IS NOT NULL) OVER w, 0) AS roas_idiom,
               sum(revenue_e) FILTER (WHERE spend IS NOT NULL) OVER w
                   / nullif(sum(spend_e) FILTER (WHERE revenue IS NOT NULL) OVER w, 0)
                   AS roas_exact,
               marketing_roi(revenue, cost) OVER w AS roi,
               marketing_roi(revenue_f, cost_f) OVER w AS roi_f,
               (sum(revenue) FILTER (WHERE cost IS NOT NULL) OVER w
                - sum(cost) FILTER (WHERE revenue IS NOT NULL) OVER w)
                   / nullif(sum(cost) FILTER (WHERE revenue IS NOT NULL) OVER w, 0) AS roi_idiom,
               (sum(revenue_e) FILTER (WHERE cost IS NOT NULL) OVER w
                - sum(cost_e) FILTER (WHERE revenue IS NOT NULL) OVER w)
                   / nullif(sum(cost_e) FILTER (WHERE revenue IS NOT NULL) OVER w, 0)
                   AS roi_exact
        FROM money_events
        WINDOW w AS (%s)
    ) AS framed $q$, frame);
END
$$;

SELECT 'ROWS 3 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id ROWS 3 PRECEDING');
SELECT 'per channel, ROWS 100 PRECEDING' AS frame, * FROM pg_temp.compare_frames(
    'PARTITION BY channel ORDER BY id ROWS 100 PRECEDING');
SELECT 'ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING');
SELECT 'RANGE BETWEEN 20 PRECEDING AND 10 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id RANGE BETWEEN 20 PRECEDING AND 10 FOLLOWING');
SELECT 'GROUPS 2 PRECEDING TO 1 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id / 10 GROUPS BETWEEN 2 PRECEDING AND 1 FOLLOWING');
SELECT 'GROUPS 1 PRECEDING EXCLUDE CURRENT ROW' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id / 10 GROUPS 1 PRECEDING EXCLUDE CURRENT ROW');
-- Frames that shrink to empty at the end of each partition.
SELECT 'per channel, ROWS 1 TO 3 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'PARTITION BY channel ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING');
SELECT 'RANGE 2 TO 4 FOLLOWING' AS frame, * FROM pg_temp.compare_frames(
    'ORDER BY id RANGE BETWEEN 2 FOLLOWING AND 4 FOLLOWING');

-- Spilled sums enter and leave a frame.
SELECT count(*) AS rows, count(*) FILTER (WHERE cpl::text IS NOT DISTINCT FROM idiom::text)
       AS equal_as_text
FROM (SELECT cpl(spend, leads) OVER w AS cpl,
             sum(spend) FILTER (WHERE leads IS NOT NULL) OVER w
                 / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL) OVER w, 0) AS idiom
      FROM (SELECT id, leads, spend + CASE id % 1000 WHEN 1 THEN 1e40 WHEN 2 THEN -1e40
                                                     WHEN 3 THEN 1e-30 ELSE 0 END AS spend
            FROM money_events) AS wide
      WINDOW w AS (ORDER BY id ROWS 50 PRECEDING)) AS framed;

-- By hand: 1.5 + 2.125 at scale 3; when 2.125 leaves, the scale of 3 + 4.1 is 1; the
-- frame is NULL once it holds no leads, and a credit brings the scale back.
SELECT id, spend, leads, cpl(spend, leads) OVER w,
       (sum(spend) OVER w / nullif(sum(leads) OVER w, 0))::text AS idiom
FROM (VALUES (1, 1.5, 1::bigint), (2, 2.125, 2), (3, 3, 0), (4, 4.1, 1), (5, 5, 0),
             (6, 6, 0), (7, -0.25, 1)) AS v(id, spend, leads)
WINDOW w AS (ORDER BY id ROWS 1 PRECEDING);

---------------------------------------------------------------------------------------
-- Materialized views and plain calls of the support functions.
---------------------------------------------------------------------------------------

CREATE MATERIALIZED VIEW channel_money AS
SELECT channel, cpl(spend, leads) AS cpl, roas(revenue_f, spend_f) AS roas_f
FROM money_events GROUP BY channel;
UPDATE money_events SET spend = spend + 0.0000001 WHERE id <= 1000;
REFRESH MATERIALIZED VIEW channel_money;
SELECT count(*) AS channels_equal_after_refresh
FROM channel_money AS m JOIN money_kpis AS k ON k.grp = m.channel
WHERE m.cpl::text IS NOT DISTINCT FROM k.cpl::text AND m.roas_f IS NOT DISTINCT FROM k.roas_f;
DROP MATERIALIZED VIEW channel_money;

-- Called directly, a transition function returns a new value and leaves its input
-- alone; removing the last row with the largest scale returns NULL.
SELECT s AS before, cpl_add(s, 1.005, 2) AS added, cpl_remove(s, 1, 1) AS removed,
       cpl_remove(s, 2.50, 3) AS scale_unknown, money_combine(s, s) AS combined,
       money_ratio_final(s) AS cpl, marketing_roi_final(s) AS roi
FROM (VALUES ('v1 rows=2 numerator=3.50 numerator_scale_rows=1 denominator=4 denominator_scale_rows=2'::money_summary)) AS v(s);
SELECT roas_add(s, -1e40, 1), marketing_cac_share_remove(s, 0.5, 1)
FROM (VALUES ('v1 rows=2 numerator=1.5 numerator_scale_rows=1 denominator=4 denominator_scale_rows=2'::money_summary)) AS v(s);
SELECT s AS before, cpl_add(s, 0.5, 1) AS added, roas_remove(s, 2, 1) AS removed,
       money_combine(s, s) AS combined, money_ratio_final(s) AS cpl,
       marketing_roi_final(s) AS roi
FROM (VALUES ('v1 rows=2 numerator=3 numerator_error=0 denominator=4 denominator_error=0'::float8_money_summary)) AS v(s);

---------------------------------------------------------------------------------------
-- Bad input: SQLSTATE 22023 for impossible data, 22003 for overflow.
---------------------------------------------------------------------------------------

-- Shown once in full, with detail and hint.
SELECT cpl(spend, leads) FROM (VALUES (10.00, 2::bigint), (5, -1)) AS v(spend, leads);
SELECT roas(revenue, spend) FROM (VALUES (1.5, 'NaN'::numeric)) AS v(revenue, spend);

SELECT query, pg_temp.error_of(query) AS result
FROM (VALUES
    ('SELECT cpl(''NaN''::numeric, 1)'),
    ('SELECT cac(''Infinity''::numeric, 1)'),
    ('SELECT cost_per(''-Infinity''::numeric, 1)'),
    ('SELECT cpl(1::numeric, -1)'),
    ('SELECT cac(1::numeric, -9223372036854775808)'),
    ('SELECT cost_per(0::numeric, -5)'),
    ('SELECT roas(''NaN''::numeric, 1)'),
    ('SELECT roas(1::numeric, ''Infinity'')'),
    ('SELECT marketing_roi(''-Infinity''::numeric, 1)'),
    ('SELECT marketing_roi(1::numeric, ''NaN'')'),
    ('SELECT marketing_cac_share(''Infinity''::numeric, 1)'),
    ('SELECT marketing_cac_share(1::numeric, ''-Infinity'')'),
    ('SELECT cpl(''NaN''::float8, 1)'),
    ('SELECT cac(''Infinity''::float8, 1)'),
    ('SELECT cost_per(1::float8, -1)'),
    ('SELECT roas(1::float8, ''-Infinity'')'),
    ('SELECT marketing_roi(''NaN''::float8, 1)'),
    ('SELECT marketing_cac_share(1::float8, ''Infinity'')'),
    ('SELECT cpl(''NaN''::numeric, NULL::bigint), roas(1::float8, NULL::float8 + ''NaN'')'),
    ('SELECT cpl(s, l) OVER (ORDER BY l ROWS 1 PRECEDING) FROM (VALUES (1::numeric, 1::bigint), (''NaN'', 2)) v(s, l)'),
    ('SELECT cpl(x, 1) FROM (VALUES (1e308::float8), (1e308)) v(x)'),
    ('SELECT roas(1::float8, x) FROM (VALUES (-1e308::float8), (-1e308)) v(x)'),
    ('SELECT marketing_roi(x, 1) OVER (ORDER BY x ROWS 1 PRECEDING) FROM (VALUES (1.7e308::float8), (1.7e308)) v(x)'),
    ('SELECT money_combine(''v1 rows=1 numerator=1e308 numerator_error=0 denominator=1 denominator_error=0''::float8_money_summary, ''v1 rows=1 numerator=1e308 numerator_error=0 denominator=1 denominator_error=0'')'),
    ('SELECT money_combine(''v1 rows=9223372036854775807 numerator=0 numerator_scale_rows=1 denominator=0 denominator_scale_rows=1''::money_summary, ''v1 rows=1 numerator=0 numerator_scale_rows=1 denominator=0 denominator_scale_rows=1'')'),
    ('SELECT cpl_add(''v1 rows=9223372036854775807 numerator=0 numerator_scale_rows=1 denominator=0 denominator_scale_rows=1''::money_summary, 1::numeric, 1)'),
    ('SELECT cpl_remove(''v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0''::money_summary, 1::numeric, 1)'),
    ('SELECT roas_remove(''v1 rows=2 numerator=1.5 numerator_scale_rows=1 denominator=2 denominator_scale_rows=2''::money_summary, 0.25, 1)'),
    ('SELECT cpl_remove(''v1 rows=0 numerator=0 numerator_error=0 denominator=0 denominator_error=0''::float8_money_summary, 1::float8, 1)')
) AS cases(query);

DROP VIEW money_kpis, money_idiom, wide_kpis;
DROP TABLE money_events, small_spend, wide_spend;
