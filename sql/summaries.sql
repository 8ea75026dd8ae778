SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS b2bkpi; RESET client_min_messages;
-- Stored summaries (kpi-spec section 6): the summarize_* aggregates, rollup(summary),
-- and the KPIs read off a summary by the KPI's own name. Hand-computed values first;
-- then 3000 generated rows summarized per day and channel in a materialized view,
-- rolled up by month, by channel and in total (grouping sets), over sliding 7- and
-- 28-day frames and in a parallel plan, each KPI compared with the same KPI over the
-- raw rows (numeric as text, so the scale counts too; double precision with =);
-- then COPY in both formats, malformed text of every type, and mixed shapes.

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

-- 2 of 3 non-NULL rows convert; the summary is the state, the rate is read off it.
SELECT summarize_rate(b) AS summary, conversion_rate(summarize_rate(b)) AS read_off,
       conversion_rate(b) AS direct
FROM (VALUES (true), (false), (NULL), (true)) AS v(b);

-- Spend 10.50 + 3.125 + NULL (skipped) over 2 + 1 leads: 13.625 / 3, scale 3.
SELECT summarize_money(spend, leads) AS summary,
       cpl(summarize_money(spend, leads)) AS read_off, cpl(spend, leads) AS direct
FROM (VALUES (10.50, 2::bigint), (3.125, 1), (NULL, 4)) AS v(spend, leads);

-- Two days rolled up: (1 + 3) hits over (4 + 4) trials; promoters 2, passives 1,
-- detractors 1: NPS 25.
SELECT rollup(s) AS rolled, mql_rate(rollup(s)) AS mql_rate
FROM (VALUES ('v1 hits=1 trials=4'::rate_summary), (NULL), ('v1 hits=3 trials=4')) AS v(s);
SELECT nps(rollup(s))
FROM (SELECT summarize_nps(score) FROM (VALUES (10), (9), (7), (3)) AS v(score)) AS d(s);

-- No rows: a summary aggregate gives the empty summary, rollup gives NULL, and a KPI
-- read off either is NULL.
SELECT summarize_rate(b) AS empty_summary, mql_rate(summarize_rate(b)) AS mql_rate
FROM (VALUES (true)) AS v(b) WHERE false;
SELECT rollup(s) IS NULL AS no_rows_is_null, mql_rate(rollup(s)) IS NULL AS kpi_is_null
FROM (VALUES ('v1 hits=1 trials=4'::rate_summary)) AS v(s) WHERE false;

-- The classic mistake: averaging daily rates. Day 1: 1 MQL of 2 visits (0.5); day 2:
-- 10 of 100 (0.1). The average of the two rates is 0.3, but 11 of 102 visits were
-- MQLs: 0.10784...
SELECT avg(mql_rate(s)) AS average_of_daily_rates, mql_rate(rollup(s)) AS rolled_up_rate,
       11 / 102.0 AS by_hand
FROM (SELECT day, summarize_rate(mqls, visits)
      FROM (VALUES (1, 1::bigint, 2::bigint), (2, 10, 100)) AS v(day, mqls, visits)
      GROUP BY day) AS d(day, s);

-- A bigint count and the numeric it converts to make the same summary, so one
-- summarize_money(numeric, numeric) serves cpl(spend, leads bigint) and roas alike;
-- integer literals choose the double precision form, as they do for roas.
SELECT summarize_money(10.5, 3::bigint)::text = summarize_money(10.5, 3::numeric)::text AS same,
       pg_typeof(summarize_money(10.5, 3)) AS numeric_literal,
       pg_typeof(summarize_money(10, 3)) AS integer_literals,
       pg_typeof(summarize_money(1.5::float8, 3::bigint)) AS float8_and_bigint;

-- The KPI aggregates resolve as before next to the KPIs read off a summary.
SELECT mql_rate(true) AS mql_rate, cpl(10.5, 3) AS cpl, cpl(1.5::float8, 3) AS cpl_float8,
       pg_typeof(cpl(1.5::float8, 3)) AS cpl_float8_type, nps(9) AS nps,
       churn_rate(10, 2) AS churn_rate;
-- Only an untyped NULL or string literal now has two candidates; typed values do not.
SELECT pg_temp.error_of('SELECT mql_rate(NULL)') AS untyped_null,
       mql_rate(NULL::boolean) AS typed_null, nps('9'::int) AS typed_string;

---------------------------------------------------------------------------------------
-- Generated data: 3000 rows over 90 days and 3 channels, with NULLs, money of mixed
-- scales and negative revenue (refunds), MRR at three scales, activity ranges and
-- opportunities (open ones have no closed_at).
---------------------------------------------------------------------------------------

CREATE TABLE raw_rows AS
SELECT i AS id, DATE '2026-01-01' + (i * 7919 % 90) AS day,
       (ARRAY['ads', 'seo', 'events'])[1 + (i / 7) % 3] AS channel,
       CASE WHEN i % 41 = 0 THEN NULL ELSE (i * 31 % 100) < 23 + i % 3 * 9 END AS is_mql,
       CASE WHEN i % 37 = 0 THEN NULL ELSE (i * 17 % 100) < 40 END AS is_sql,
       CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7 % 11) END AS score,
       CASE WHEN i % 29 = 0 THEN NULL ELSE round((i * 7927 % 100000)::numeric / 97, i % 4) END AS spend,
       (i * 13 % 5)::bigint AS leads,
       (i * 11 % 3)::bigint AS new_customers,
       round((i * 104729 % 250000)::numeric / 89 - CASE WHEN i % 17 = 0 THEN 1500 ELSE 0 END,
             (i + 1) % 3) AS revenue,
       CASE WHEN i % 5 = 0 THEN 0 ELSE round((i * 613 % 9000)::numeric / 7, i % 3) END AS mrr_start,
       CASE WHEN i % 7 = 0 THEN 0 ELSE round((i * 829 % 9500)::numeric / 7, (i + 2) % 3) END AS mrr_end,
       daterange(DATE '2025-06-01' + (i * 53 % 400),
                 CASE WHEN i % 4 = 0 THEN NULL
                      ELSE DATE '2025-06-02' + (i * 53 % 400) + (i * 97 % 300) END) AS active,
       tstzrange(TIMESTAMPTZ '2025-06-01 00:00+00' + (i * 53 % 400) * interval '1 day',
                 CASE WHEN i % 4 = 0 THEN NULL
                      ELSE TIMESTAMPTZ '2025-06-01 00:00+00' + (i * 53 % 400 + i * 97 % 300) * interval '1 day'
                           + (1 + i % 24) * interval '1 hour' END) AS active_tstz,
       (10 + i % 7)::bigint AS customers_at_start,
       (i % 4)::bigint AS churned,
       round((i * 3571 % 500000)::numeric / 13, (i % 3) * 2) AS amount,
       CASE WHEN i % 6 = 0 THEN NULL ELSE i % 3 = 0 END AS is_won,
       TIMESTAMPTZ '2025-09-01 00:00+00' + (i * 211 % 100000) * interval '1 minute' AS created_at,
       CASE WHEN i % 6 = 0 THEN NULL
            ELSE TIMESTAMPTZ '2025-09-01 00:00+00' + (i * 211 % 100000) * interval '1 minute'
                 + (i * 389 % 200000) * interval '1 second' END AS closed_at
FROM generate_series(1, 3000) AS i;

-- One summary of each shape per day and channel: the scheduled materialized view.
CREATE MATERIALIZED VIEW daily AS
SELECT day, channel,
       summarize_rate(is_mql) AS visits,
       summarize_rate(is_sql) FILTER (WHERE is_mql) AS mqls,
       summarize_rate(is_won) AS deals,
       summarize_rate(least(new_customers, leads), leads) AS lead_conversions,
       summarize_churn(customers_at_start, churned) AS churn_counts,
       summarize_nps(score) AS answers,
       summarize_money(spend, leads) AS spend_per_lead,
       summarize_money(spend, new_customers) AS spend_per_customer,
       summarize_money(revenue, spend) AS revenue_per_spend,
       summarize_money(spend::float8, leads) AS spend_per_lead_float8,
       summarize_money(revenue::float8, spend::float8) AS revenue_per_spend_float8,
       summarize_churn(active, daterange('2026-01-01', '2026-04-01')) AS churn,
       summarize_churn(active_tstz, tstzrange('2026-01-01 00:00+00', '2026-04-01 00:00+00')) AS churn_tstz,
       summarize_mrr(mrr_start, mrr_end) AS mrr,
       summarize_velocity(amount, is_won, created_at, closed_at) AS velocity,
       summarize_velocity(amount, is_won, created_at::timestamp, closed_at::timestamp) AS velocity_ts,
       summarize_velocity(amount::float8, is_won, created_at, closed_at) AS velocity_float8,
       summarize_velocity(amount::float8, is_won, created_at::timestamp, closed_at::timestamp) AS velocity_float8_ts
FROM raw_rows
GROUP BY day, channel;

SELECT count(*) AS daily_rows, count(DISTINCT channel) AS channels, min(day), max(day)
FROM daily;

-- Every KPI off rolled-up summaries, and the same KPI over the raw rows, for the same
-- grouping sets: month and channel, month, channel, everything.
CREATE TEMP VIEW rolled AS
SELECT date_trunc('month', day)::date AS month, channel,
       GROUPING(date_trunc('month', day)::date, channel) AS grouping_set,
       mql_rate(rollup(visits)) AS mql_rate,
       conversion_rate(rollup(visits)) AS conversion_rate,
       mql_to_sql_rate(rollup(mqls)) AS mql_to_sql_rate,
       win_rate(rollup(deals)) AS win_rate,
       conversion_rate(rollup(lead_conversions)) AS conversion_rate_counts,
       churn_rate(rollup(churn_counts)) AS churn_rate_counts,
       nps(rollup(answers)) AS nps,
       cpl(rollup(spend_per_lead)) AS cpl,
       cost_per(rollup(spend_per_lead)) AS cost_per,
       cac(rollup(spend_per_customer)) AS cac,
       roas(rollup(revenue_per_spend)) AS roas,
       marketing_roi(rollup(revenue_per_spend)) AS marketing_roi,
       marketing_cac_share(rollup(revenue_per_spend)) AS marketing_cac_share,
       cpl(rollup(spend_per_lead_float8)) AS cpl_float8,
       roas(rollup(revenue_per_spend_float8)) AS roas_float8,
       marketing_roi(rollup(revenue_per_spend_float8)) AS marketing_roi_float8,
       churn_rate(rollup(churn)) AS churn_rate,
       churn_rate(rollup(churn_tstz)) AS churn_rate_tstz,
       net_revenue_retention(rollup(mrr)) AS net_revenue_retention,
       gross_revenue_retention(rollup(mrr)) AS gross_revenue_retention,
       revenue_churn_rate(rollup(mrr)) AS revenue_churn_rate,
       mrr_movements(rollup(mrr)) AS mrr_movements,
       sales_velocity(rollup(velocity)) AS sales_velocity,
       sales_velocity(rollup(velocity_ts)) AS sales_velocity_ts,
       sales_velocity(rollup(velocity_float8)) AS sales_velocity_float8,
       sales_velocity(rollup(velocity_float8_ts)) AS sales_velocity_float8_ts
FROM daily
GROUP BY GROUPING SETS ((1, 2), (1), (2), ());

CREATE TEMP VIEW computed AS
SELECT date_trunc('month', day)::date AS month, channel,
       GROUPING(date_trunc('month', day)::date, channel) AS grouping_set,
       mql_rate(is_mql) AS mql_rate,
       conversion_rate(is_mql) AS conversion_rate,
       mql_to_sql_rate(is_mql, is_sql) AS mql_to_sql_rate,
       win_rate(is_won) AS win_rate,
       conversion_rate(least(new_customers, leads), leads) AS conversion_rate_counts,
       churn_rate(customers_at_start, churned) AS churn_rate_counts,
       nps(score) AS nps,
       cpl(spend, leads) AS cpl,
       cost_per(spend, leads) AS cost_per,
       cac(spend, new_customers) AS cac,
       roas(revenue, spend) AS roas,
       marketing_roi(revenue, spend) AS marketing_roi,
       marketing_cac_share(revenue, spend) AS marketing_cac_share,
       cpl(spend::float8, leads) AS cpl_float8,
       roas(revenue::float8, spend::float8) AS roas_float8,
       marketing_roi(revenue::float8, spend::float8) AS marketing_roi_float8,
       churn_rate(active, daterange('2026-01-01', '2026-04-01')) AS churn_rate,
       churn_rate(active_tstz, tstzrange('2026-01-01 00:00+00', '2026-04-01 00:00+00')) AS churn_rate_tstz,
       net_revenue_retention(mrr_start, mrr_end) AS net_revenue_retention,
       gross_revenue_retention(mrr_start, mrr_end) AS gross_revenue_retention,
       revenue_churn_rate(mrr_start, mrr_end) AS revenue_churn_rate,
       mrr_movements(mrr_start, mrr_end) AS mrr_movements,
       sales_velocity(amount, is_won, created_at, closed_at) AS sales_velocity,
       sales_velocity(amount, is_won, created_at::timestamp, closed_at::timestamp) AS sales_velocity_ts,
       sales_velocity(amount::float8, is_won, created_at, closed_at) AS sales_velocity_float8,
       sales_velocity(amount::float8, is_won, created_at::timestamp, closed_at::timestamp) AS sales_velocity_float8_ts
FROM raw_rows
GROUP BY GROUPING SETS ((1, 2), (1), (2), ());

-- One line per KPI: over the 16 groups (9 month-and-channel, 3 months, 3 channels, 1
-- total), how many differ between the roll-up and the raw rows (expect 0).
-- numeric (and the mrr_movements composite) is compared as text, so a different
-- display scale would count; double precision with IS DISTINCT FROM, i.e. =.
SELECT kpi, count(*) AS groups, count(from_summaries) + count(float_from_summaries) AS non_null,
       count(*) FILTER (WHERE from_summaries IS DISTINCT FROM from_rows
                           OR float_from_summaries IS DISTINCT FROM float_from_rows) AS mismatches
FROM rolled AS r
JOIN computed AS c ON c.grouping_set = r.grouping_set
                  AND c.month IS NOT DISTINCT FROM r.month
                  AND c.channel IS NOT DISTINCT FROM r.channel,
LATERAL (VALUES
    ('mql_rate', NULL, NULL, r.mql_rate, c.mql_rate),
    ('conversion_rate', NULL, NULL, r.conversion_rate, c.conversion_rate),
    ('mql_to_sql_rate', NULL, NULL, r.mql_to_sql_rate, c.mql_to_sql_rate),
    ('win_rate', NULL, NULL, r.win_rate, c.win_rate),
    ('conversion_rate (counts)', NULL, NULL, r.conversion_rate_counts, c.conversion_rate_counts),
    ('churn_rate (counts)', NULL, NULL, r.churn_rate_counts, c.churn_rate_counts),
    ('nps', NULL, NULL, r.nps, c.nps),
    ('cpl', r.cpl::text, c.cpl::text, NULL, NULL),
    ('cost_per', r.cost_per::text, c.cost_per::text, NULL, NULL),
    ('cac', r.cac::text, c.cac::text, NULL, NULL),
    ('roas', r.roas::text, c.roas::text, NULL, NULL),
    ('marketing_roi', r.marketing_roi::text, c.marketing_roi::text, NULL, NULL),
    ('marketing_cac_share', r.marketing_cac_share::text, c.marketing_cac_share::text, NULL, NULL),
    ('cpl (double precision)', NULL, NULL, r.cpl_float8, c.cpl_float8),
    ('roas (double precision)', NULL, NULL, r.roas_float8, c.roas_float8),
    ('marketing_roi (double precision)', NULL, NULL, r.marketing_roi_float8, c.marketing_roi_float8),
    ('churn_rate (daterange)', NULL, NULL, r.churn_rate, c.churn_rate),
    ('churn_rate (tstzrange)', NULL, NULL, r.churn_rate_tstz, c.churn_rate_tstz),
    ('net_revenue_retention', r.net_revenue_retention::text, c.net_revenue_retention::text, NULL, NULL),
    ('gross_revenue_retention', r.gross_revenue_retention::text, c.gross_revenue_retention::text, NULL, NULL),
    ('revenue_churn_rate', r.revenue_churn_rate::text, c.revenue_churn_rate::text, NULL, NULL),
    ('mrr_movements', r.mrr_movements::text, c.mrr_movements::text, NULL, NULL),
    ('sales_velocity', r.sales_velocity::text, c.sales_velocity::text, NULL, NULL),
    ('sales_velocity (timestamp)', r.sales_velocity_ts::text, c.sales_velocity_ts::text, NULL, NULL),
    ('sales_velocity (double precision)', NULL, NULL, r.sales_velocity_float8, c.sales_velocity_float8),
    ('sales_velocity (double precision, timestamp)', NULL, NULL, r.sales_velocity_float8_ts, c.sales_velocity_float8_ts)
) AS k(kpi, from_summaries, from_rows, float_from_summaries, float_from_rows)
GROUP BY kpi
ORDER BY kpi;

-- A few of those values, by month (all channels): the report a dashboard shows.
SELECT month, round(mql_rate::numeric, 4) AS mql_rate, cpl, roas,
       round(nps::numeric, 2) AS nps, net_revenue_retention
FROM rolled WHERE grouping_set = 1 ORDER BY month;

-- The money KPIs off a summary equal the SQL idiom sum(n) / nullif(sum(d), 0) over
-- the rows both arguments are known for, value and scale (expect 0 of 16).
SELECT count(*) AS groups,
       count(*) FILTER (WHERE r.cpl::text IS DISTINCT FROM i.cpl::text
                           OR r.roas::text IS DISTINCT FROM i.roas::text) AS mismatches
FROM rolled AS r
JOIN (SELECT date_trunc('month', day)::date AS month, channel,
             GROUPING(date_trunc('month', day)::date, channel) AS grouping_set,
             sum(spend) FILTER (WHERE leads IS NOT NULL)
               / nullif(sum(leads) FILTER (WHERE spend IS NOT NULL), 0) AS cpl,
             sum(revenue) FILTER (WHERE spend IS NOT NULL)
               / nullif(sum(spend) FILTER (WHERE revenue IS NOT NULL), 0) AS roas
      FROM raw_rows GROUP BY GROUPING SETS ((1, 2), (1), (2), ())) AS i
  ON i.grouping_set = r.grouping_set AND i.month IS NOT DISTINCT FROM r.month
 AND i.channel IS NOT DISTINCT FROM r.channel;

-- Each daily summarize_money(spend, leads) is the very state cpl(spend, leads) keeps:
-- an aggregate over cpl's own transition function gives the same text (expect 0 of 270).
CREATE AGGREGATE pg_temp.cpl_state(numeric, bigint) (
    SFUNC = cpl_add,
    STYPE = money_summary,
    INITCOND = 'v1 rows=0 numerator=0 numerator_scale_rows=0 denominator=0 denominator_scale_rows=0'
);
SELECT count(*) AS days, count(*) FILTER (WHERE d.spend_per_lead::text <> s.state::text) AS mismatches
FROM daily AS d
JOIN (SELECT day, channel, pg_temp.cpl_state(spend, leads) AS state
      FROM raw_rows GROUP BY day, channel) AS s USING (day, channel);

-- The classic mistake on the generated data: the average of daily MQL rates is not the
-- month's MQL rate.
SELECT month, channel, round(avg_daily::numeric, 4) AS average_of_daily_rates,
       round(rolled::numeric, 4) AS rolled_up_rate, round(raw::numeric, 4) AS raw_rate
FROM (SELECT date_trunc('month', day)::date AS month, channel,
             avg(mql_rate(visits)) AS avg_daily, mql_rate(rollup(visits)) AS rolled
      FROM daily GROUP BY 1, 2) AS d
JOIN (SELECT date_trunc('month', day)::date AS month, channel, mql_rate(is_mql) AS raw
      FROM raw_rows GROUP BY 1, 2) AS r USING (month, channel)
WHERE channel = 'ads'
ORDER BY month;

---------------------------------------------------------------------------------------
-- ROLLUP the grouping set beside rollup() the aggregate: rollup is an unreserved
-- keyword, a function name in the select list and grouping sets in GROUP BY.
---------------------------------------------------------------------------------------

SELECT rollup(visits) FROM daily WHERE day = '2026-01-01' AND channel = 'ads';
SELECT date_trunc('month', day)::date AS month, channel, rollup(visits) AS visits,
       mql_rate(rollup(visits)) AS mql_rate
FROM daily
GROUP BY ROLLUP (date_trunc('month', day)::date, channel)
ORDER BY 1, 2;
SELECT channel, cpl(rollup(spend_per_lead)) AS cpl, "rollup"(spend_per_lead) IS NOT NULL AS quoted_name
FROM daily GROUP BY ROLLUP (channel) ORDER BY 1;

---------------------------------------------------------------------------------------
-- Sliding frames: rollup with its inverse over 7 and 28 days, against recomputation
-- of each frame with LATERAL (expect 0 mismatches of 270 frames for each).
---------------------------------------------------------------------------------------

CREATE TEMP TABLE sliding AS
SELECT day, channel, 7 AS days,
       rollup(visits) OVER w AS visits, rollup(answers) OVER w AS answers,
       rollup(spend_per_lead) OVER w AS spend_per_lead,
       rollup(revenue_per_spend) OVER w AS revenue_per_spend,
       rollup(spend_per_lead_float8) OVER w AS spend_per_lead_float8,
       rollup(churn) OVER w AS churn, rollup(mrr) OVER w AS mrr,
       rollup(velocity) OVER w AS velocity, rollup(velocity_float8) OVER w AS velocity_float8
FROM daily
WINDOW w AS (PARTITION BY channel ORDER BY day RANGE BETWEEN '6 days' PRECEDING AND CURRENT ROW)
UNION ALL
SELECT day, channel, 28 AS days,
       rollup(visits) OVER w AS visits, rollup(answers) OVER w AS answers,
       rollup(spend_per_lead) OVER w AS spend_per_lead,
       rollup(revenue_per_spend) OVER w AS revenue_per_spend,
       rollup(spend_per_lead_float8) OVER w AS spend_per_lead_float8,
       rollup(churn) OVER w AS churn, rollup(mrr) OVER w AS mrr,
       rollup(velocity) OVER w AS velocity, rollup(velocity_float8) OVER w AS velocity_float8
FROM daily
WINDOW w AS (PARTITION BY channel ORDER BY day RANGE BETWEEN '27 days' PRECEDING AND CURRENT ROW);

SELECT s.days, count(*) AS frames,
       count(*) FILTER (WHERE s.visits::text <> l.visits::text
                           OR s.answers::text <> l.answers::text
                           OR s.spend_per_lead::text <> l.spend_per_lead::text
                           OR s.revenue_per_spend::text <> l.revenue_per_spend::text
                           OR s.churn::text <> l.churn::text
                           OR s.mrr::text <> l.mrr::text
                           OR s.velocity::text <> l.velocity::text) AS exact_summaries_differ,
       count(*) FILTER (WHERE mql_rate(s.visits) IS DISTINCT FROM mql_rate(l.visits)
                           OR nps(s.answers) IS DISTINCT FROM nps(l.answers)
                           OR cpl(s.spend_per_lead)::text IS DISTINCT FROM cpl(l.spend_per_lead)::text
                           OR roas(s.revenue_per_spend)::text IS DISTINCT FROM roas(l.revenue_per_spend)::text
                           OR cpl(s.spend_per_lead_float8) IS DISTINCT FROM cpl(l.spend_per_lead_float8)
                           OR churn_rate(s.churn) IS DISTINCT FROM churn_rate(l.churn)
                           OR net_revenue_retention(s.mrr)::text IS DISTINCT FROM net_revenue_retention(l.mrr)::text
                           OR mrr_movements(s.mrr)::text IS DISTINCT FROM mrr_movements(l.mrr)::text
                           OR sales_velocity(s.velocity)::text IS DISTINCT FROM sales_velocity(l.velocity)::text
                           OR sales_velocity(s.velocity_float8) IS DISTINCT FROM sales_velocity(l.velocity_float8)) AS kpis_differ
FROM sliding AS s,
LATERAL (SELECT rollup(d.visits) AS visits, rollup(d.answers) AS answers,
                rollup(d.spend_per_lead) AS spend_per_lead,
                rollup(d.revenue_per_spend) AS revenue_per_spend,
                rollup(d.spend_per_lead_float8) AS spend_per_lead_float8,
                rollup(d.churn) AS churn, rollup(d.mrr) AS mrr, rollup(d.velocity) AS velocity,
                rollup(d.velocity_float8) AS velocity_float8
         FROM daily AS d
         WHERE d.channel = s.channel AND d.day BETWEEN s.day - (s.days - 1) AND s.day) AS l
GROUP BY s.days ORDER BY s.days;

-- A 7-day rolling CPL and MQL rate, as a dashboard shows it.
SELECT day, cpl(spend_per_lead) AS cpl_7_days, round(mql_rate(visits)::numeric, 4) AS mql_rate_7_days
FROM sliding WHERE channel = 'seo' AND days = 7 AND day BETWEEN '2026-02-01' AND '2026-02-05'
ORDER BY day;

-- The summary aggregates have inverses too: a sliding frame over raw rows.
SELECT count(*) AS frames,
       count(*) FILTER (WHERE w.s::text <> l.s::text OR w.r::text <> l.r::text) AS mismatches
FROM (SELECT id, summarize_money(spend, leads) OVER f AS s, summarize_mrr(mrr_start, mrr_end) OVER f AS r
      FROM raw_rows
      WINDOW f AS (ORDER BY id ROWS 9 PRECEDING)) AS w,
LATERAL (SELECT summarize_money(spend, leads) AS s, summarize_mrr(mrr_start, mrr_end) AS r
         FROM raw_rows AS n
         WHERE n.id BETWEEN w.id - 9 AND w.id) AS l;

-- rollup's inverse where it cannot simply subtract, by hand, over frames of two rows:
-- (1.25 + empty) then (empty + 2.5): the inverse empties the summary and 2.5 joins;
-- (2.5 + 3.125) then (3.125 + 4): 2.5 leaves the scale-3 sum; (3.125 + 4) then
-- (4 + 7.0): the only value of scale 3 leaves, so the frame is recomputed (scale 1).
SELECT i, s, rollup(s) OVER (ORDER BY i ROWS 1 PRECEDING) AS last_two
FROM (SELECT i, summarize_money(spend, leads)
      FROM (VALUES (1, 1.25, 1::bigint), (2, NULL, 1), (3, 2.5, 2), (4, 3.125, 1),
                   (5, 4, 0), (6, 7.0, 3)) AS v(i, spend, leads)
      GROUP BY i) AS d(i, s)
ORDER BY i;

-- The same over every raw row, one summary per row (an empty one where the row is
-- skipped), in frames of 2 and 4 rows, against recomputation (expect 0 of 3000 each).
CREATE TEMP TABLE row_summaries AS
SELECT id, summarize_money(spend, leads) AS money, summarize_money(spend::float8, leads) AS money_float8,
       summarize_mrr(mrr_start, mrr_end) AS mrr,
       summarize_churn(active, daterange('2026-01-01', '2026-04-01')) AS churn,
       summarize_velocity(amount, is_won, created_at, closed_at) AS velocity,
       summarize_velocity(amount::float8, is_won, created_at, closed_at) AS velocity_float8
FROM raw_rows GROUP BY id;
SELECT w.frame_rows, count(*) AS frames,
       count(*) FILTER (WHERE w.money::text <> l.money::text OR w.mrr::text <> l.mrr::text
                           OR w.churn::text <> l.churn::text OR w.velocity::text <> l.velocity::text
                           OR cpl(w.money_float8) IS DISTINCT FROM cpl(l.money_float8)
                           OR sales_velocity(w.velocity_float8) IS DISTINCT FROM sales_velocity(l.velocity_float8))
         AS mismatches
FROM (SELECT 2 AS frame_rows, id, rollup(money) OVER w AS money, rollup(money_float8) OVER w AS money_float8,
             rollup(mrr) OVER w AS mrr, rollup(churn) OVER w AS churn,
             rollup(velocity) OVER w AS velocity, rollup(velocity_float8) OVER w AS velocity_float8
      FROM row_summaries WINDOW w AS (ORDER BY id ROWS 1 PRECEDING)
      UNION ALL
      SELECT 4, id, rollup(money) OVER w, rollup(money_float8) OVER w, rollup(mrr) OVER w,
             rollup(churn) OVER w, rollup(velocity) OVER w, rollup(velocity_float8) OVER w
      FROM row_summaries WINDOW w AS (ORDER BY id ROWS 3 PRECEDING)) AS w,
LATERAL (SELECT rollup(money) AS money, rollup(money_float8) AS money_float8, rollup(mrr) AS mrr,
                rollup(churn) AS churn, rollup(velocity) AS velocity,
                rollup(velocity_float8) AS velocity_float8
         FROM row_summaries AS r WHERE r.id BETWEEN w.id - w.frame_rows + 1 AND w.id) AS l
GROUP BY w.frame_rows ORDER BY w.frame_rows;

-- rollup's inverse functions called directly: a summary out of a roll-up that holds it.
SELECT rate_subtract('v1 hits=4 trials=8', 'v1 hits=1 trials=4') AS rate,
       money_subtract('v1 rows=3 numerator=13.625 numerator_scale_rows=1 denominator=3 denominator_scale_rows=3'::money_summary,
                      'v1 rows=1 numerator=3.125 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1') AS restart_when_the_scale_leaves,
       money_subtract('v1 rows=3 numerator=13.625 numerator_scale_rows=2 denominator=3 denominator_scale_rows=3'::money_summary,
                      'v1 rows=1 numerator=3.125 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1') AS money;

---------------------------------------------------------------------------------------
-- Parallel: rollup is PARALLEL SAFE with a combine function; a forced parallel plan
-- shows Partial Aggregate and gives the serial answer.
---------------------------------------------------------------------------------------

CREATE TEMP TABLE serial_totals AS
SELECT rollup(visits) AS visits, rollup(answers) AS answers, rollup(spend_per_lead) AS spend_per_lead,
       rollup(revenue_per_spend_float8) AS revenue_per_spend_float8, rollup(churn) AS churn,
       rollup(mrr) AS mrr, rollup(velocity) AS velocity, rollup(velocity_float8) AS velocity_float8
FROM daily;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT rollup(visits), rollup(spend_per_lead), rollup(mrr) FROM daily;
SELECT p.visits::text = s.visits::text AND p.answers::text = s.answers::text
       AND p.spend_per_lead::text = s.spend_per_lead::text
       AND roas(p.revenue_per_spend_float8) = roas(s.revenue_per_spend_float8)
       AND p.churn::text = s.churn::text AND p.mrr::text = s.mrr::text
       AND p.velocity::text = s.velocity::text
       AND sales_velocity(p.velocity_float8) = sales_velocity(s.velocity_float8) AS parallel_equals_serial,
       cpl(p.spend_per_lead) AS cpl
FROM (SELECT rollup(visits) AS visits, rollup(answers) AS answers,
             rollup(spend_per_lead) AS spend_per_lead,
             rollup(revenue_per_spend_float8) AS revenue_per_spend_float8, rollup(churn) AS churn,
             rollup(mrr) AS mrr, rollup(velocity) AS velocity, rollup(velocity_float8) AS velocity_float8
      FROM daily) AS p, serial_totals AS s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

---------------------------------------------------------------------------------------
-- COPY the stored summaries out and back in, text and binary: the same text, and
-- the same KPIs read off the roll-up.
---------------------------------------------------------------------------------------

CREATE TABLE monthly AS
SELECT date_trunc('month', day)::date AS month, channel,
       rollup(visits) AS visits, rollup(answers) AS answers,
       rollup(spend_per_lead) AS spend_per_lead, rollup(spend_per_lead_float8) AS spend_per_lead_float8,
       rollup(churn) AS churn, rollup(mrr) AS mrr,
       rollup(velocity) AS velocity, rollup(velocity_float8) AS velocity_float8
FROM daily GROUP BY 1, 2;
-- An empty summary of each shape, and a row of NULLs.
INSERT INTO monthly
SELECT NULL, 'none', summarize_rate(b), summarize_nps(n), summarize_money(m, m),
       summarize_money(f, f), summarize_churn(r, r), summarize_mrr(m, m),
       summarize_velocity(m, b, t, t), summarize_velocity(f, b, t, t)
FROM (VALUES (NULL::boolean, NULL::int, NULL::numeric, NULL::float8, NULL::daterange, NULL::timestamptz))
  AS v(b, n, m, f, r, t) WHERE false;
INSERT INTO monthly (month, channel) VALUES (NULL, 'nulls');
SELECT month, channel, visits, answers, churn FROM monthly WHERE channel = 'ads' OR month IS NULL ORDER BY month, channel;
SELECT spend_per_lead, spend_per_lead_float8, mrr FROM monthly WHERE month = '2026-01-01' AND channel = 'ads';

CREATE TABLE monthly_copy (LIKE monthly);
COPY monthly TO PROGRAM 'cat > b2bkpi_monthly_summaries.copy' (FORMAT binary);
COPY monthly_copy FROM PROGRAM 'cat b2bkpi_monthly_summaries.copy && rm -f b2bkpi_monthly_summaries.copy' (FORMAT binary);
CREATE TEMP VIEW copy_check AS
SELECT count(*) AS copied_rows,
       count(*) FILTER (WHERE (a.visits::text, a.answers::text, a.spend_per_lead::text,
                               a.spend_per_lead_float8::text, a.churn::text, a.mrr::text,
                               a.velocity::text, a.velocity_float8::text)
                              IS NOT DISTINCT FROM
                              (b.visits::text, b.answers::text, b.spend_per_lead::text,
                               b.spend_per_lead_float8::text, b.churn::text, b.mrr::text,
                               b.velocity::text, b.velocity_float8::text)) AS equal_as_text,
       (SELECT mql_rate(rollup(visits)) FROM monthly_copy) = (SELECT mql_rate(is_mql) FROM raw_rows)
       AND (SELECT cpl(rollup(spend_per_lead))::text FROM monthly_copy)
           = (SELECT cpl(spend, leads)::text FROM raw_rows)
       AND (SELECT cpl(rollup(spend_per_lead_float8)) FROM monthly_copy)
           = (SELECT cpl(spend::float8, leads) FROM raw_rows)
       AND (SELECT gross_revenue_retention(rollup(mrr))::text FROM monthly_copy)
           = (SELECT gross_revenue_retention(mrr_start, mrr_end)::text FROM raw_rows)
       AND (SELECT sales_velocity(rollup(velocity))::text FROM monthly_copy)
           = (SELECT sales_velocity(amount, is_won, created_at, closed_at)::text FROM raw_rows)
       AND (SELECT churn_rate(rollup(churn)) FROM monthly_copy)
           = (SELECT churn_rate(active, daterange('2026-01-01', '2026-04-01')) FROM raw_rows)
       AS kpis_equal_raw
FROM monthly AS a
JOIN monthly_copy AS b ON a.month IS NOT DISTINCT FROM b.month AND a.channel = b.channel;
SELECT * FROM copy_check;

TRUNCATE monthly_copy;
COPY monthly TO PROGRAM 'cat > b2bkpi_monthly_summaries.txt';
COPY monthly_copy FROM PROGRAM 'cat b2bkpi_monthly_summaries.txt && rm -f b2bkpi_monthly_summaries.txt';
SELECT * FROM copy_check;

-- The text form through COPY TO STDOUT, as psql's \copy or a client reads it.
COPY (SELECT channel, answers, spend_per_lead FROM monthly WHERE month = '2026-03-01' ORDER BY channel) TO STDOUT;

---------------------------------------------------------------------------------------
-- Malformed and wrong-version text of every summary type: 22P02.
---------------------------------------------------------------------------------------

SELECT type_name, problem, pg_temp.error_of(format('SELECT %L::%s', input, type_name)) AS result
FROM (VALUES
    ('rate_summary', 'version 2', 'v2 hits=1 trials=2'),
    ('rate_summary', 'missing field', 'v1 hits=1'),
    ('rate_summary', 'garbage', 'hello'),
    ('nps_summary', 'version 2', 'v2 promoters=1 passives=0 detractors=0'),
    ('nps_summary', 'missing field', 'v1 promoters=1 passives=0'),
    ('nps_summary', 'garbage', '{1,0,0}'),
    ('money_summary', 'version 2', 'v2 rows=1 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'),
    ('money_summary', 'missing field', 'v1 rows=1 numerator=1 numerator_scale_rows=1 denominator=1'),
    ('money_summary', 'garbage', 'v1 rows=one'),
    ('float8_money_summary', 'version 2', 'v2 rows=1 numerator=1 numerator_error=0 denominator=1 denominator_error=0'),
    ('float8_money_summary', 'missing field', 'v1 rows=1 numerator=1 numerator_error=0 denominator=1'),
    ('float8_money_summary', 'garbage', '1.5'),
    ('churn_summary', 'version 2', 'v2 customers_at_start=1 churned=0 period=[2026-01-01,2026-02-01)'),
    ('churn_summary', 'missing field', 'v1 customers_at_start=1 churned=0'),
    ('churn_summary', 'garbage', 'v1 customers_at_start=1 churned=0 period=january'),
    ('mrr_summary', 'version 2', 'v2 rows=0'),
    ('mrr_summary', 'missing field', 'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0'),
    ('mrr_summary', 'garbage', 'v1 rows=0 start_mrr=zero'),
    ('velocity_summary', 'version 2', 'v2 rows=0 won_amount=0 won_amount_scale_rows=0 cycle_seconds=0 cycle_seconds_scale_rows=0'),
    ('velocity_summary', 'missing field', 'v1 rows=0 won_amount=0 won_amount_scale_rows=0'),
    ('velocity_summary', 'garbage', 'v1;rows=0'),
    ('float8_velocity_summary', 'version 2', 'v2 rows=0 won_rows=0 won_amount=0 won_amount_error=0 cycle_seconds=0'),
    ('float8_velocity_summary', 'missing field', 'v1 rows=0 won_rows=0 won_amount=0 won_amount_error=0'),
    ('float8_velocity_summary', 'garbage', '')
) AS cases(type_name, problem, input)
ORDER BY type_name, problem;

---------------------------------------------------------------------------------------
-- Mixed shapes, impossible subtractions and bad rows: each a clear error.
---------------------------------------------------------------------------------------

SELECT problem, pg_temp.error_of(query) AS result
FROM (VALUES
    ('a money KPI off a rate_summary', 'SELECT cpl(rollup(visits)) FROM daily'),
    ('a rate off a money_summary', 'SELECT mql_rate(spend_per_lead) FROM daily'),
    ('rollup over two shapes', 'SELECT rollup(s) FROM (SELECT visits FROM daily UNION ALL SELECT answers FROM daily) AS u(s)'),
    ('one shape''s text as another type', $$SELECT 'v1 hits=1 trials=2'::money_summary$$),
    ('a money_summary as text to mrr_summary', 'SELECT spend_per_lead::text::mrr_summary FROM daily LIMIT 1'),
    ('a numeric summary as float8', 'SELECT spend_per_lead::text::float8_money_summary FROM daily LIMIT 1'),
    ('churn summaries of two periods', $$SELECT rollup(s) FROM (VALUES
        ('v1 customers_at_start=2 churned=1 period=[2026-01-01,2026-02-01)'::churn_summary),
        ('v1 customers_at_start=2 churned=1 period=[2026-02-01,2026-03-01)')) AS v(s)$$),
    ('rate not held', $$SELECT rate_subtract('v1 hits=1 trials=5', 'v1 hits=2 trials=2')$$),
    ('nps not held', $$SELECT nps_subtract('v1 promoters=1 passives=0 detractors=0', 'v1 promoters=0 passives=1 detractors=0')$$),
    ('money not held', $$SELECT money_subtract('v1 rows=1 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'::money_summary,
                                                'v1 rows=2 numerator=1 numerator_scale_rows=2 denominator=1 denominator_scale_rows=2')$$),
    ('money of another scale', $$SELECT money_subtract('v1 rows=2 numerator=1.0 numerator_scale_rows=1 denominator=1 denominator_scale_rows=2'::money_summary,
                                                       'v1 rows=1 numerator=0.25 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1')$$),
    ('money with other sums', $$SELECT money_subtract('v1 rows=1 numerator=1 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1'::money_summary,
                                                      'v1 rows=1 numerator=2 numerator_scale_rows=1 denominator=1 denominator_scale_rows=1')$$),
    ('float8 money not held', $$SELECT money_subtract('v1 rows=1 numerator=1 numerator_error=0 denominator=1 denominator_error=0'::float8_money_summary,
                                                      'v1 rows=2 numerator=1 numerator_error=0 denominator=1 denominator_error=0')$$),
    ('churn not held', $$SELECT churn_subtract('v1 customers_at_start=2 churned=0 period=[2026-01-01,2026-02-01)',
                                               'v1 customers_at_start=1 churned=1 period=[2026-01-01,2026-02-01)')$$),
    ('mrr not held', 'SELECT mrr_subtract(a.mrr, b.mrr) FROM daily AS a, daily AS b WHERE a.day = ''2026-01-01'' AND b.day = ''2026-01-02'' AND a.channel = ''ads'' AND b.channel = ''ads'''),
    ('velocity not held', 'SELECT sales_velocity_subtract(a.velocity_float8, b.velocity_float8) FROM daily AS a, daily AS b WHERE a.day = ''2026-01-01'' AND b.day = ''2026-01-02'' AND a.channel = ''seo'' AND b.channel = ''ads'''),
    ('summarize_money with NaN', $$SELECT summarize_money('NaN'::numeric, 1)$$),
    ('summarize_money with infinity', $$SELECT summarize_money(1.5::float8, 'Infinity'::float8)$$),
    ('summarize_rate over its trials', 'SELECT summarize_rate(3::bigint, 2::bigint)'),
    ('summarize_rate negative', 'SELECT summarize_rate(1::bigint, -2::bigint)'),
    ('summarize_nps out of range', 'SELECT summarize_nps(11)'),
    ('summarize_churn over its base', 'SELECT summarize_churn(2::bigint, 3::bigint)'),
    ('summarize_churn without a start', $$SELECT summarize_churn(daterange('2026-01-01', NULL), daterange(NULL, '2026-02-01'))$$),
    ('summarize_churn of two periods', $$SELECT summarize_churn(a, p) FROM (VALUES
        (daterange('2025-01-01', NULL), daterange('2026-01-01', '2026-02-01')),
        (daterange('2025-01-01', NULL), daterange('2026-02-01', '2026-03-01'))) AS v(a, p)$$),
    ('summarize_mrr negative', 'SELECT summarize_mrr(-1, 2)'),
    ('summarize_velocity closed before created', $$SELECT summarize_velocity(1.0, true, timestamptz '2026-01-02 00:00+00', timestamptz '2026-01-01 00:00+00')$$),
    ('summarize_velocity infinite', $$SELECT summarize_velocity(1.0::float8, true, timestamp '-infinity', timestamp '2026-01-01')$$)
) AS cases(problem, query);

DROP VIEW copy_check, rolled, computed;
DROP TABLE monthly, monthly_copy;
DROP MATERIALIZED VIEW daily;
DROP TABLE raw_rows;
