-- demo/report.sql: the b2bkpi demo's KPI report, over the tables of demo/schema.sql.
--   psql -X -f demo/report.sql
-- Every rate below is one b2bkpi aggregate; pct() only formats the fraction it returns
-- (width = the column heading's, so the values line up under it).

\set QUIET on
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'

SELECT to_char(count(*), 'FM999,999,999,990') AS visit_count,
       to_char(count(*) - count(is_mql), 'FM999,999,990') AS unknown_count,
       min(visit_day) AS first_day,
       max(visit_day) AS last_day
FROM visits \gset
SELECT to_char(count(*), 'FM999,999,990') AS opportunity_count FROM opportunities \gset
SELECT to_char(count(*), 'FM999,999,990') AS answer_count FROM nps_responses \gset

\echo
\echo 'b2bkpi demo report,' :first_day 'to' :last_day
\echo :visit_count 'visits,' :opportunity_count 'opportunities,' :answer_count 'NPS answers'
\echo

\echo '1. Funnel by channel: mql_rate(bool), mql_to_sql_rate(bool, bool), win_rate(bool)'
WITH traffic AS (
    SELECT channel, count(*) AS visits,
           mql_rate(is_mql) AS mql_rate,
           mql_to_sql_rate(is_mql, is_sql) AS mql_to_sql_rate
    FROM visits
    GROUP BY ROLLUP (channel)
), deals AS (
    SELECT channel, win_rate(is_won) AS win_rate
    FROM opportunities
    GROUP BY ROLLUP (channel)
), spend AS (
    SELECT channel, sum(spend) / (SELECT sum(spend) FROM channel_days) AS share
    FROM channel_days
    GROUP BY ROLLUP (channel)
)
SELECT coalesce(t.channel, 'all channels') AS channel,
       t.visits,
       pct(t.mql_rate, width => 8) AS "MQL rate",
       pct(t.mql_to_sql_rate, width => 8) AS "MQL->SQL",
       pct(d.win_rate, width => 8) AS "win rate",
       pct(s.share::double precision, width => 11) AS "spend share"
FROM traffic AS t
LEFT JOIN deals AS d ON d.channel IS NOT DISTINCT FROM t.channel
LEFT JOIN spend AS s ON s.channel IS NOT DISTINCT FROM t.channel
LEFT JOIN channels AS c ON c.channel = t.channel
ORDER BY c.channel_id NULLS LAST;
\echo :unknown_count 'visits with an unknown MQL status (NULL is_mql) are skipped, as SQL aggregates skip NULLs.'
\echo

\echo '2. The same rates from the pre-aggregated channel_days: mql_rate(mqls, visits),'
\echo '   mql_to_sql_rate(sqls, mqls); "raw" = the boolean forms over visits, as above'
WITH raw AS (
    SELECT channel, mql_rate(is_mql) AS mql_rate, mql_to_sql_rate(is_mql, is_sql) AS mql_to_sql_rate
    FROM visits
    GROUP BY ROLLUP (channel)
), daily AS (
    SELECT channel, mql_rate(mqls, visits) AS mql_rate, mql_to_sql_rate(sqls, mqls) AS mql_to_sql_rate
    FROM channel_days
    GROUP BY ROLLUP (channel)
)
SELECT coalesce(r.channel, 'all channels') AS channel,
       pct(r.mql_rate, 3, 12) AS "MQL rate raw",
       pct(d.mql_rate, 3, 15) AS "from daily rows",
       CASE WHEN r.mql_rate = d.mql_rate THEN 'yes' ELSE 'NO' END AS "equal",
       pct(r.mql_to_sql_rate, 3, 12) AS "MQL->SQL raw",
       pct(d.mql_to_sql_rate, 3, 15) AS "from daily rows",
       CASE WHEN r.mql_to_sql_rate = d.mql_to_sql_rate THEN 'yes' ELSE 'NO' END AS "equal"
FROM raw AS r
JOIN daily AS d ON d.channel IS NOT DISTINCT FROM r.channel
LEFT JOIN channels AS c ON c.channel = r.channel
ORDER BY c.channel_id NULLS LAST;

\echo '3. MQL rate by quarter: mql_rate(mqls, visits) FILTER (WHERE quarter = n), ROLLUP (channel)'
SELECT coalesce(cd.channel, 'all channels') AS channel,
       pct(mql_rate(cd.mqls, cd.visits) FILTER (WHERE extract(quarter FROM cd.visit_day) = 1)) AS "Q1",
       pct(mql_rate(cd.mqls, cd.visits) FILTER (WHERE extract(quarter FROM cd.visit_day) = 2)) AS "Q2",
       pct(mql_rate(cd.mqls, cd.visits) FILTER (WHERE extract(quarter FROM cd.visit_day) = 3)) AS "Q3",
       pct(mql_rate(cd.mqls, cd.visits) FILTER (WHERE extract(quarter FROM cd.visit_day) = 4)) AS "Q4",
       pct(mql_rate(cd.mqls, cd.visits)) AS "year"
FROM channel_days AS cd
LEFT JOIN channels AS c ON c.channel = cd.channel
GROUP BY ROLLUP ((cd.channel, c.channel_id))
ORDER BY c.channel_id NULLS LAST;

\echo '4. LinkedIn ads, last six weeks, each Sunday: moving MQL rates on channel_days,'
\echo '   mql_rate(mqls, visits) OVER (ORDER BY visit_day ROWS 6 PRECEDING / ROWS 27 PRECEDING)'
SELECT visit_day AS "week to",
       visits_7_days AS "visits, 7 days",
       pct(rate_7_days, width => 16) AS "MQL rate, 7 days",
       pct(rate_28_days, width => 17) AS "MQL rate, 28 days"
FROM (
    -- channel_days has one row per day and channel, so 27 preceding rows are 27 days
    SELECT visit_day,
           sum(visits) OVER (ORDER BY visit_day ROWS 6 PRECEDING) AS visits_7_days,
           mql_rate(mqls, visits) OVER (ORDER BY visit_day ROWS 6 PRECEDING) AS rate_7_days,
           mql_rate(mqls, visits) OVER (ORDER BY visit_day ROWS 27 PRECEDING) AS rate_28_days
    FROM channel_days
    WHERE channel = 'LinkedIn ads'
) AS moving
WHERE visit_day > (SELECT max(visit_day) FROM channel_days) - 42
  AND extract(isodow FROM visit_day) = 7
ORDER BY visit_day;

\echo '5. Opportunities by channel: win_rate(is_won) = won / closed (open ones have a NULL is_won)'
SELECT coalesce(o.channel, 'all channels') AS channel,
       count(*) AS opportunities,
       count(*) FILTER (WHERE o.is_won IS NULL) AS open,
       count(*) FILTER (WHERE o.is_won) AS won,
       count(*) FILTER (WHERE NOT o.is_won) AS lost,
       pct(win_rate(o.is_won), width => 8) AS "win rate",
       lpad(to_char(sum(o.amount) FILTER (WHERE o.is_won), 'FM999,999,999,990'), 12) AS "won amount"
FROM opportunities AS o
LEFT JOIN channels AS c ON c.channel = o.channel
GROUP BY ROLLUP ((o.channel, c.channel_id))
ORDER BY c.channel_id NULLS LAST;

\echo '6. Net Promoter Score by quarter: nps(score); shares from conversion_rate(bool)'
SELECT coalesce('Q' || q.quarter, 'year') AS quarter,
       count(*) AS answers,
       pct(conversion_rate(r.score >= 9), width => 9) AS promoters,
       pct(conversion_rate(r.score BETWEEN 7 AND 8), width => 8) AS passives,
       pct(conversion_rate(r.score <= 6), width => 10) AS detractors,
       round(nps(r.score)::numeric, 1) AS "NPS"
FROM nps_responses AS r,
     LATERAL (SELECT extract(quarter FROM r.answered_on)::integer AS quarter) AS q
GROUP BY ROLLUP (q.quarter)
ORDER BY q.quarter NULLS LAST;
