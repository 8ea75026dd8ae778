#!/usr/bin/env bash
# Integration: summaries and KPI views survive pg_dump and restore into a fresh
# database (custom and plain formats), and a materialized view built on the
# aggregates refreshes there. Runs against the cluster in PGHOST/PGPORT.
# Prints one line per check and exits non-zero if any failed.
set -euo pipefail

failed=0
check() { # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected [$2], got [$3]"; failed=1; fi
}
q() { psql -X -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"; }

work=$(mktemp -d)
trap 'rm -rf "$work"; for db in b2bkpi_dump_src b2bkpi_dump_custom b2bkpi_dump_plain; do dropdb --if-exists "$db" || true; done' EXIT

createdb b2bkpi_dump_src
psql -X -q -v ON_ERROR_STOP=1 -d b2bkpi_dump_src <<'SQL'
CREATE EXTENSION b2bkpi;
CREATE TABLE channel_days (day date, channel text, visits bigint, mqls bigint, sqls bigint);
INSERT INTO channel_days
SELECT DATE '2026-01-01' + d, c, 1000 + (d * 37 + length(c) * 11) % 500,
       20 + (d * 13 + length(c)) % 30, 5 + (d * 7) % 10
FROM generate_series(0, 89) AS d, unnest(ARRAY['ads', 'seo', 'events']) AS c;
CREATE TABLE stored_summaries (channel text, rate rate_summary, score nps_summary);
INSERT INTO stored_summaries VALUES
    ('ads', 'v1 hits=12 trials=40', 'v1 promoters=5 passives=3 detractors=2'),
    ('seo', 'v1 hits=0 trials=0', 'v1 promoters=0 passives=0 detractors=0');
CREATE TABLE customers (segment text, active daterange, mrr_start numeric, mrr_end numeric);
INSERT INTO customers
SELECT (ARRAY['smb', 'enterprise'])[1 + i % 2],
       daterange(DATE '2025-01-01' + i * 3, CASE WHEN i % 3 = 0 THEN NULL ELSE DATE '2026-01-01' + i * 5 END),
       round((i % 7) * 99.5, i % 3), round((i % 5) * 120.25, 2)
FROM generate_series(0, 59) AS i;
-- States of the money and retention families, one with a spilled sum.
CREATE TABLE stored_states AS
SELECT segment, churn_rate_add('v1 customers_at_start=0 churned=0 period=none'::churn_summary,
                               active, daterange('2026-01-01', '2026-04-01')) AS churn,
       mrr_movements_add(mrr_movements_add(
           'v1 rows=0 start_mrr=0 start_mrr_scale_rows=0 end_mrr=0 end_mrr_scale_rows=0 retained_mrr=0 retained_mrr_scale_rows=0 new_mrr=0 new_mrr_scale_rows=0 expansion_mrr=0 expansion_mrr_scale_rows=0 contraction_mrr=0 contraction_mrr_scale_rows=0 churned_mrr=0 churned_mrr_scale_rows=0 net_mrr_change=0 net_mrr_change_scale_rows=0'::mrr_summary,
           mrr_start, mrr_end), 1e40, 2.5) AS mrr,
       'v1 rows=2 numerator=1000000000000000000000000000000000000000.25 numerator_scale_rows=1 denominator=7 denominator_scale_rows=2'::money_summary AS money
FROM customers;
-- Event funnels: stored states (timestamptz and bigint) and a materialized view.
CREATE TABLE touches (account int, ts timestamptz, kind text);
INSERT INTO touches
SELECT i % 7, timestamptz '2026-01-01 00:00+00' + (i * 7919 % 2000) * interval '1 hour',
       (ARRAY['visit', 'mql', 'sql', 'opp'])[1 + i % 4]
FROM generate_series(0, 199) AS i;
CREATE TABLE stored_funnels (events window_funnel_events, conditions retention_conditions);
INSERT INTO stored_funnels VALUES
    ('v1 time=timestamptz window=1,2,3600000000 steps=3 modes=strict_order,strict_once events=2026-01-01T09:00:00.000000Z@1,2026-01-02T10:30:00.000000Z@-,2026-01-03T00:00:00.000000Z@2+3',
     'v1 conditions=3 met=5,0,2'),
    ('v1 time=bigint window=0,0,3600 steps=2 modes=none events=none', 'v1 conditions=1 met=0');
CREATE MATERIALIZED VIEW account_funnels AS
SELECT account,
       window_funnel(interval '30 days', 'strict_order', ts, kind = 'visit', kind = 'mql', kind = 'sql') AS level,
       retention(kind = 'visit', kind = 'mql', kind = 'opp') AS retained
FROM touches GROUP BY account;
CREATE VIEW segment_retention AS
SELECT segment, churn_rate(active, daterange('2026-01-01', '2026-04-01')) AS churn,
       net_revenue_retention(mrr_start, mrr_end) AS nrr, mrr_movements(mrr_start, mrr_end) AS movements
FROM customers GROUP BY segment;
CREATE VIEW channel_kpis AS
SELECT channel, mql_rate(mqls, visits) AS mql_rate, mql_to_sql_rate(sqls, mqls) AS mql_to_sql_rate
FROM channel_days GROUP BY channel;
CREATE MATERIALIZED VIEW weekly_mql_rate AS
SELECT date_trunc('week', day) AS week, channel, mql_rate(mqls, visits) AS mql_rate
FROM channel_days GROUP BY 1, 2;
CREATE MATERIALIZED VIEW moving_mql_rate AS
SELECT day, channel,
       mql_rate(mqls, visits) OVER (PARTITION BY channel ORDER BY day ROWS 27 PRECEDING) AS mql_rate_28_days
FROM channel_days;
-- Stored summaries (kpi-spec section 6): a table with one summary of every shape the
-- summarize_* aggregates produce, per channel, and a materialized view of daily
-- summaries per channel, the way a scheduled report keeps them.
CREATE TABLE campaign_rows AS
SELECT DATE '2026-01-01' + i % 60 AS day, (ARRAY['ads', 'seo', 'events'])[1 + (i / 7) % 3] AS channel,
       i % 3 = 0 AS is_mql, i % 11 AS score,
       round((i * 7927 % 100000)::numeric / 97, i % 4) AS spend, (i * 13 % 5)::bigint AS leads,
       round((i * 104729 % 250000)::numeric / 89, (i + 1) % 3) AS revenue,
       CASE WHEN i % 5 = 0 THEN 0 ELSE round((i * 613 % 9000)::numeric / 7, i % 3) END AS mrr_start,
       CASE WHEN i % 7 = 0 THEN 0 ELSE round((i * 829 % 9500)::numeric / 7, (i + 2) % 3) END AS mrr_end,
       daterange(DATE '2025-06-01' + i * 53 % 400,
                 CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2025-06-02' + i * 53 % 400 + i * 97 % 300 END) AS active,
       round((i * 3571 % 500000)::numeric / 13, i % 3 * 2) AS amount,
       CASE WHEN i % 6 = 0 THEN NULL ELSE i % 3 = 0 END AS is_won,
       TIMESTAMPTZ '2025-09-01 00:00+00' + i * 211 % 100000 * interval '1 minute' AS created_at,
       CASE WHEN i % 6 = 0 THEN NULL
            ELSE TIMESTAMPTZ '2025-09-01 00:00+00' + i * 211 % 100000 * interval '1 minute'
                 + i * 389 % 200000 * interval '1 second' END AS closed_at
FROM generate_series(0, 899) AS i;
CREATE TABLE stored_rollups AS
SELECT channel, summarize_rate(is_mql) AS visits, summarize_rate(least(leads, 2), leads) AS lead_counts,
       summarize_churn(leads + 2, leads) AS churn_counts, summarize_nps(score) AS answers,
       summarize_money(spend, leads) AS spend_per_lead, summarize_money(revenue, spend) AS revenue_per_spend,
       summarize_money(spend::float8, leads) AS spend_per_lead_float8,
       summarize_churn(active, daterange('2026-01-01', '2026-04-01')) AS churn,
       summarize_churn(tstzrange(lower(active), upper(active)),
                       tstzrange('2026-01-01 00:00+00', '2026-04-01 00:00+00')) AS churn_tstz,
       summarize_mrr(mrr_start, mrr_end) AS mrr,
       summarize_velocity(amount, is_won, created_at, closed_at) AS velocity,
       summarize_velocity(amount, is_won, created_at::timestamp, closed_at::timestamp) AS velocity_ts,
       summarize_velocity(amount::float8, is_won, created_at, closed_at) AS velocity_float8,
       summarize_velocity(amount::float8, is_won, created_at::timestamp, closed_at::timestamp) AS velocity_float8_ts
FROM campaign_rows GROUP BY channel;
-- An empty summary of every shape, as a group of no rows leaves it.
INSERT INTO stored_rollups
SELECT 'none', summarize_rate(b), summarize_rate(n, n), summarize_churn(n, n), summarize_nps(0),
       summarize_money(m, n), summarize_money(m, m), summarize_money(f, n),
       summarize_churn(r, r), summarize_churn(z, z), summarize_mrr(m, m),
       summarize_velocity(m, b, t, t), summarize_velocity(m, b, t::timestamp, t::timestamp),
       summarize_velocity(f, b, t, t), summarize_velocity(f, b, t::timestamp, t::timestamp)
FROM (VALUES (true, 1::bigint, 1.5, 1.5::float8, 'empty'::daterange, 'empty'::tstzrange, now()))
  AS v(b, n, m, f, r, z, t) WHERE false;
CREATE MATERIALIZED VIEW daily_summaries AS
SELECT day, channel, summarize_rate(is_mql) AS visits, summarize_nps(score) AS answers,
       summarize_money(spend, leads) AS spend_per_lead, summarize_money(revenue::float8, spend::float8) AS revenue_per_spend,
       summarize_mrr(mrr_start, mrr_end) AS mrr, summarize_velocity(amount, is_won, created_at, closed_at) AS velocity
FROM campaign_rows GROUP BY day, channel;
SQL

snapshot() {
  q "$1" "SELECT string_agg(format('%s %s %s', channel, rate, score), '; ' ORDER BY channel) FROM stored_summaries"
  q "$1" "SELECT string_agg(format('%s %s %s', channel, mql_rate, mql_to_sql_rate), '; ' ORDER BY channel) FROM channel_kpis"
  q "$1" "SELECT md5(string_agg(format('%s %s %s %s', segment, churn, mrr, money), ';' ORDER BY segment, churn::text, mrr::text)) FROM stored_states"
  q "$1" "SELECT string_agg(format('%s %s %s %s', segment, churn, nrr, movements), '; ' ORDER BY segment) FROM segment_retention"
  q "$1" "SELECT string_agg(format('%s %s %s', events, conditions, window_funnel_final(events)), '; ' ORDER BY events::text) FROM stored_funnels"
  q "$1" "SELECT string_agg(format('%s %s %s', account, level, retained), '; ' ORDER BY account) FROM account_funnels"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(format('%s %s %s', week, channel, mql_rate), ';' ORDER BY week, channel)) FROM weekly_mql_rate"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(format('%s %s %s', day, channel, mql_rate_28_days), ';' ORDER BY day, channel)) FROM moving_mql_rate"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(t::text, ';' ORDER BY channel)) FROM stored_rollups AS t"
  q "$1" "SELECT count(*) || ' ' || md5(string_agg(t::text, ';' ORDER BY day, channel)) FROM daily_summaries AS t"
  q "$1" "SELECT concat_ws(' ', mql_rate(rollup(visits)), conversion_rate(rollup(lead_counts)), churn_rate(rollup(churn_counts)), nps(rollup(answers)), cpl(rollup(spend_per_lead)), roas(rollup(revenue_per_spend)), cpl(rollup(spend_per_lead_float8)), churn_rate(rollup(churn)), churn_rate(rollup(churn_tstz)), net_revenue_retention(rollup(mrr)), mrr_movements(rollup(mrr)), sales_velocity(rollup(velocity)), sales_velocity(rollup(velocity_ts)), sales_velocity(rollup(velocity_float8)), sales_velocity(rollup(velocity_float8_ts))) FROM stored_rollups"
  q "$1" "SELECT string_agg(concat_ws(' ', month, mql_rate, nps, cpl, roas, nrr, velocity), '; ' ORDER BY month) FROM (SELECT date_trunc('month', day)::date AS month, mql_rate(rollup(visits)) AS mql_rate, nps(rollup(answers)) AS nps, cpl(rollup(spend_per_lead)) AS cpl, roas(rollup(revenue_per_spend)) AS roas, net_revenue_retention(rollup(mrr)) AS nrr, sales_velocity(rollup(velocity)) AS velocity FROM daily_summaries GROUP BY 1) AS m"
}
# The KPIs read off the rolled-up summaries equal the KPIs over the raw rows (as text,
# so numeric scales count), in the database given.
rolled_equals_raw() {
  q "$1" "SELECT (SELECT concat_ws(' ', mql_rate(rollup(visits)), nps(rollup(answers)), cpl(rollup(spend_per_lead)), roas(rollup(revenue_per_spend)), gross_revenue_retention(rollup(mrr)), mrr_movements(rollup(mrr)), sales_velocity(rollup(velocity))) FROM daily_summaries)
             = (SELECT concat_ws(' ', mql_rate(is_mql), nps(score), cpl(spend, leads), roas(revenue::float8, spend::float8), gross_revenue_retention(mrr_start, mrr_end), mrr_movements(mrr_start, mrr_end), sales_velocity(amount, is_won, created_at, closed_at)) FROM campaign_rows)
         AND (SELECT concat_ws(' ', cpl(rollup(spend_per_lead)), cpl(rollup(spend_per_lead_float8)), churn_rate(rollup(churn)), sales_velocity(rollup(velocity_float8_ts))) FROM stored_rollups)
             = (SELECT concat_ws(' ', cpl(spend, leads), cpl(spend::float8, leads), churn_rate(active, daterange('2026-01-01', '2026-04-01')), sales_velocity(amount::float8, is_won, created_at::timestamp, closed_at::timestamp)) FROM campaign_rows)"
}
before=$(snapshot b2bkpi_dump_src)
check "KPIs read off rolled-up summaries equal the raw KPIs before the dump" \
  "t" "$(rolled_equals_raw b2bkpi_dump_src)"

pg_dump -Fc -f "$work/src.dump" b2bkpi_dump_src
createdb b2bkpi_dump_custom
pg_restore --exit-on-error -d b2bkpi_dump_custom "$work/src.dump"
check "custom-format restore gives the same summaries, views and materialized views" \
  "$before" "$(snapshot b2bkpi_dump_custom)"
check "KPIs read off restored, rolled-up summaries equal the raw KPIs" \
  "t" "$(rolled_equals_raw b2bkpi_dump_custom)"

pg_dump -Fp -f "$work/src.sql" b2bkpi_dump_src
createdb b2bkpi_dump_plain
psql -X -q -v ON_ERROR_STOP=1 -d b2bkpi_dump_plain -f "$work/src.sql" >/dev/null
check "plain-format restore gives the same summaries, views and materialized views" \
  "$before" "$(snapshot b2bkpi_dump_plain)"
check "KPIs read off summaries restored from a plain dump equal the raw KPIs" \
  "t" "$(rolled_equals_raw b2bkpi_dump_plain)"

q b2bkpi_dump_custom "INSERT INTO channel_days VALUES ('2026-04-01', 'partners', 100, 100, 0)" >/dev/null
q b2bkpi_dump_custom "REFRESH MATERIALIZED VIEW weekly_mql_rate" >/dev/null
q b2bkpi_dump_custom "REFRESH MATERIALIZED VIEW moving_mql_rate" >/dev/null
daily_before=$(q b2bkpi_dump_custom "SELECT md5(string_agg(t::text, ';' ORDER BY day, channel)) FROM daily_summaries AS t")
q b2bkpi_dump_custom "REFRESH MATERIALIZED VIEW daily_summaries" >/dev/null
check "the restored materialized view of daily summaries refreshes to the same summaries" \
  "$daily_before" "$(q b2bkpi_dump_custom "SELECT md5(string_agg(t::text, ';' ORDER BY day, channel)) FROM daily_summaries AS t")"
check "restored materialized views refresh with the new row" \
  "1 1" "$(q b2bkpi_dump_custom "SELECT mql_rate FROM weekly_mql_rate WHERE week = date_trunc('week', DATE '2026-04-01') AND channel = 'partners'") $(q b2bkpi_dump_custom "SELECT count(*) FROM moving_mql_rate WHERE day = '2026-04-01'")"

check "the dump names b2bkpi objects through CREATE EXTENSION, not one by one" \
  "0" "$(grep -c 'CREATE AGGREGATE\|CREATE TYPE' "$work/src.sql" || true)"

exit $failed
