-- demo/generate.sql: loads one month of demo data, in one statement.
--   psql -v month=M -v scale=N -f demo/generate.sql      (M in 1..12, N >= 1)
-- Prints one line: visits, opportunities and NPS answers loaded.
--
-- Every "random" choice is demo_unit(key, salt): a hash of the row's key, so the data
-- is the same on every run. Visits are drawn per day and channel from the model in the
-- channels table; channel_days and opportunities are derived from the visits this
-- statement inserts (INSERT ... RETURNING), so they are consistent with them by
-- construction.

-- The planner overestimates the generate_series() rows, and JIT-compiling this one-off
-- statement would cost more than running it.
SET jit = off;

WITH
days AS (
    SELECT d::date AS day,
           d::date - date '2023-01-01' AS day_no,
           extract(isodow FROM d) >= 6 AS weekend
    FROM pg_catalog.generate_series(
             make_date(2023, :month, 1)::timestamp,
             make_date(2023, :month, 1) + interval '1 month' - interval '1 day',
             interval '1 day') AS d
),
cells AS (
    -- One cell per day and channel: its demand (relative to an average day) and its
    -- MQL chance that day.
    SELECT d.day, d.day_no, c.channel, c.channel_id, c.daily_visits, c.daily_spend,
           ((d.day_no * 16 + c.channel_id)::bigint << 32) AS cell_key,
           c.p_mql * (1 + c.mql_trend * (d.day_no / 364.0 - 0.5)) AS p_mql,
           c.p_sql,
           -- weekday/weekend split that keeps the weekly average at 1
           CASE WHEN d.weekend THEN c.weekend_factor ELSE 1 END
               * 7 / (5 + 2 * c.weekend_factor)
           -- growth over the year, a summer dip and the Christmas lull
           * (0.9 + 0.2 * d.day_no / 364.0)
           * CASE WHEN extract(month FROM d.day) = 8 THEN 0.8
                  WHEN d.day >= date '2023-12-22' THEN 0.55
                  ELSE 1 END
           -- events: a conference each month, the 12th to the 14th
           * CASE WHEN c.channel <> 'events' THEN 1
                  WHEN extract(day FROM d.day) BETWEEN 12 AND 14 THEN 4
                  ELSE 0.6 END
           AS demand
    FROM days AS d CROSS JOIN channels AS c
),
sized AS (
    -- visits and spend of each cell: the model's average times the scale, the demand
    -- and some day-to-day noise
    SELECT cl.*,
           round(cl.daily_visits * :scale * cl.demand
                 * (0.85 + 0.3 * demo_unit(cl.cell_key, 0)))::integer AS n,
           round((cl.daily_spend * :scale * cl.demand
                  * (0.9 + 0.2 * demo_unit(cl.cell_key, 9)))::numeric, 2) AS spend
    FROM cells AS cl
),
drawn AS (
    SELECT s.day, s.channel, s.cell_key + i AS visit_id, s.p_mql, s.p_sql
    FROM sized AS s, pg_catalog.generate_series(1, s.n) AS i
),
new_visits AS (
    INSERT INTO visits (visit_id, visit_day, channel, is_mql, is_sql)
    SELECT visit_id, day, channel, m.is_mql,
           CASE WHEN m.is_mql THEN demo_unit(visit_id, 3) < p_sql
                WHEN NOT m.is_mql THEN false END
    FROM drawn,
         LATERAL (SELECT CASE WHEN demo_unit(visit_id, 1) < 0.01 THEN NULL
                              ELSE demo_unit(visit_id, 2) < p_mql END AS is_mql) AS m
    RETURNING visit_id, visit_day, channel, is_mql, is_sql
),
new_channel_days AS (
    INSERT INTO channel_days (visit_day, channel, visits, mqls, sqls, spend)
    SELECT v.visit_day, v.channel,
           count(v.is_mql),
           count(*) FILTER (WHERE v.is_mql),
           count(*) FILTER (WHERE v.is_sql),
           s.spend
    FROM new_visits AS v
    JOIN sized AS s ON s.day = v.visit_day AND s.channel = v.channel
    GROUP BY v.visit_day, v.channel, s.spend
),
new_opportunities AS (
    -- Some SQLs become opportunities a few days later; those that close before the
    -- end of 2023 are won or lost, the others are still open.
    INSERT INTO opportunities (account_id, channel, created_at, closed_at, amount, is_won)
    SELECT o.account_id, o.channel, o.created_at,
           CASE WHEN o.closes_at < o.as_of THEN o.closes_at END,
           o.amount,
           CASE WHEN o.closes_at < o.as_of THEN o.won END
    FROM (
        SELECT v.channel,
               timestamptz '2024-01-01 00:00 UTC' AS as_of,
               1 + floor(demo_unit(v.visit_id, 4) * 4000 * :scale)::bigint AS account_id,
               t.created_at,
               t.created_at + make_interval(days => round(c.cycle_days * (0.5 + demo_unit(v.visit_id, 6)))::integer,
                                            mins => floor(600 * demo_unit(v.visit_id, 7))::integer) AS closes_at,
               round((c.average_deal * (0.4 + 1.8 * demo_unit(v.visit_id, 8) ^ 2))::numeric, -2) AS amount,
               demo_unit(v.visit_id, 10) < c.p_win AS won
        FROM new_visits AS v
        JOIN channels AS c USING (channel),
        LATERAL (SELECT (v.visit_day + 1 + floor(14 * demo_unit(v.visit_id, 5))::integer
                         + time '08:00')::timestamp AT TIME ZONE 'UTC' AS created_at) AS t
        WHERE v.is_sql AND demo_unit(v.visit_id, 11) < c.p_opportunity
    ) AS o
    WHERE o.created_at < o.as_of
    RETURNING 1
),
new_nps_responses AS (
    -- About 24 answers per weekday and 5 per weekend day (times the scale); customer
    -- mood changes by quarter (a higher exponent means lower scores; Q3 had a bad
    -- release). The answer is the bucket of the drawn number in the score distribution.
    INSERT INTO nps_responses (account_id, answered_on, score)
    SELECT 1 + floor(demo_unit(k.key, 21) * 4000 * :scale)::bigint,
           d.day,
           pg_catalog.width_bucket(
               demo_unit(k.key, 22) ^ CASE extract(quarter FROM d.day)
                                          WHEN 1 THEN 1.0 WHEN 2 THEN 0.9
                                          WHEN 3 THEN 1.3 ELSE 1.05 END,
               -- cumulative share of scores 0..9: detractors (0-6) 19 %, passives
               -- (7-8) 34 %, promoters (9-10) 47 % when the exponent is 1
               ARRAY[0.02, 0.03, 0.045, 0.065, 0.09, 0.13, 0.19, 0.31, 0.53, 0.78]::double precision[])
    FROM days AS d,
         pg_catalog.generate_series(1, CASE WHEN d.weekend THEN 5 ELSE 24 END * :scale) AS i,
         LATERAL (SELECT (d.day_no::bigint << 32) + i AS key) AS k
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_visits),
       (SELECT count(*) FROM new_opportunities),
       (SELECT count(*) FROM new_nps_responses);
