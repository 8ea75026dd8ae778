# Money KPIs (kpi-spec section 2), sourced by run.sh: 10M campaign-day rows.

log "generating $BENCH_ROWS campaign days"
psql_run <<SQL
-- One row per campaign and day: spend, leads, new customers, attributed revenue
-- (2 % of rows are refunds, so negative) and total marketing cost, in cents.
CREATE TABLE campaign_days AS
SELECT DATE '2024-01-01' + (i % 730)::int AS day,
       (i % 50000)::int AS campaign_id,
       (ARRAY['organic search','paid search','linkedin ads','webinars','events',
              'referral','outbound email','direct'])[1 + (h % 8)] AS channel,
       round((h % 500000) / 100.0, 2)::numeric(12,2) AS spend,
       ((h / 7) % 40)::bigint AS leads,
       ((h / 13) % 3)::bigint AS new_customers,
       round(((h / 3) % 2000000) / 100.0 - CASE WHEN h % 50 = 0 THEN 15000 ELSE 0 END, 2)::numeric(14,2) AS revenue,
       round((h / 11) % 800000 / 100.0, 2)::numeric(12,2) AS cost
FROM generate_series(1::bigint, $BENCH_ROWS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed;
VACUUM (FREEZE, ANALYZE) campaign_days;
SQL
psql_run -At -c "SELECT 'table: ' || pg_size_pretty(pg_table_size('campaign_days')) || ', ' || count(*) || ' rows' FROM campaign_days" >&2

# The answers must be equal before their times are compared.
log "checking that each b2bkpi result equals its idiom"
psql_run -At <<'SQL' | grep -q '^t$' || { log "money: b2bkpi and the SQL idiom disagree"; exit 1; }
SELECT (SELECT marketing_roi(revenue, cost)::text FROM campaign_days)
     = (SELECT ((sum(revenue) - sum(cost)) / nullif(sum(cost), 0))::text FROM campaign_days)
   AND NOT EXISTS (
       SELECT channel, cpl(spend, leads)::text FROM campaign_days GROUP BY channel
       EXCEPT
       SELECT channel, (sum(spend) / nullif(sum(leads), 0))::text FROM campaign_days GROUP BY channel);
SQL

measure "marketing_roi ungrouped vs SQL idiom" 0.7 ratio "$SERIAL" \
  "SELECT marketing_roi(revenue, cost) FROM campaign_days" \
  "SELECT (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) FROM campaign_days"

measure "cpl GROUP BY channel vs SQL idiom" 0.8 ratio "$SERIAL" \
  "SELECT channel, cpl(spend, leads) FROM campaign_days GROUP BY channel" \
  "SELECT channel, sum(spend) / nullif(sum(leads), 0) FROM campaign_days GROUP BY channel"

# Context for the line above: the grouping alone (hashing 10M channel names).
measure "cpl GROUP BY channel vs count(*) GROUP BY channel" - ratio "$SERIAL" \
  "SELECT channel, cpl(spend, leads) FROM campaign_days GROUP BY channel" \
  "SELECT channel, count(*) FROM campaign_days GROUP BY channel"

measure "ungrouped marketing_roi vs count(*) (the scan itself)" 1.4 ratio "$SERIAL" \
  "SELECT marketing_roi(revenue, cost) FROM campaign_days" \
  "SELECT count(*) FROM campaign_days"

# Context for the line above: the cheapest built-in aggregate that reads the last
# column, so it deforms the same tuples; the floor for any aggregate of cost.
measure "ungrouped marketing_roi vs count(cost) (column floor)" - ratio "$SERIAL" \
  "SELECT marketing_roi(revenue, cost) FROM campaign_days" \
  "SELECT count(cost) FROM campaign_days"


# Context: with an integer key, hashing costs less and the aggregates more of the total.
measure "cac GROUP BY campaign_id (50k groups) vs SQL idiom" - ratio "$SERIAL" \
  "SELECT campaign_id, cac(spend, new_customers) FROM campaign_days GROUP BY campaign_id" \
  "SELECT campaign_id, sum(spend) / nullif(sum(new_customers), 0) FROM campaign_days GROUP BY campaign_id"

# The 1M rows of 5000 campaigns, so that the sort under the window stays small.
measure "roas, 1000-row sliding frame vs window idiom (1M rows)" - ratio "$SERIAL" \
  "SELECT count(r) FROM (SELECT roas(revenue, spend) OVER w AS r FROM campaign_days WHERE campaign_id < 5000 WINDOW w AS (ORDER BY day, campaign_id ROWS 999 PRECEDING)) AS s" \
  "SELECT count(r) FROM (SELECT sum(revenue) OVER w / nullif(sum(spend) OVER w, 0) AS r FROM campaign_days WHERE campaign_id < 5000 WINDOW w AS (ORDER BY day, campaign_id ROWS 999 PRECEDING)) AS s"

measure "marketing_roi(float8) ungrouped vs float8 idiom" - ratio "$SERIAL" \
  "SELECT marketing_roi(revenue::float8, cost::float8) FROM campaign_days" \
  "SELECT (sum(revenue::float8) - sum(cost::float8)) / nullif(sum(cost::float8), 0) FROM campaign_days"

measure "ungrouped marketing_roi, 2 workers vs serial" - speedup "" \
  "SELECT marketing_roi(revenue, cost) FROM campaign_days" \
  "SELECT marketing_roi(revenue, cost) FROM campaign_days" \
  "SET max_parallel_workers_per_gather = 2;" "SET max_parallel_workers_per_gather = 0;"

log "measuring: hash aggregate memory over 1M groups"
MANY_GROUPS="FROM campaign_days GROUP BY campaign_id * 20 + (day - DATE '2024-01-01') % 20"
memory_ours=$(hash_memory "SELECT cpl(spend, leads) $MANY_GROUPS")
memory_idiom=$(hash_memory "SELECT sum(spend) / nullif(sum(leads), 0) $MANY_GROUPS")

report money "hash aggregate memory, 1M groups (campaign and day % 20):" \
  "  cpl(spend, leads): $memory_ours; SQL idiom (two sums): $memory_idiom"
