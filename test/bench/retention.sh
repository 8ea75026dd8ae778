# Retention KPIs (kpi-spec section 3), sourced by run.sh: one subscription row
# per customer, BENCH_ROWS / 10 customers (1M by default).

RETENTION_CUSTOMERS=${RETENTION_CUSTOMERS:-$((BENCH_ROWS / 10))}

log "generating $RETENTION_CUSTOMERS customers"
psql_run <<SQL
-- Starts over 2021-2024, half on the first of a month; 40 % still customers
-- (no upper bound); MRR at the start and end of 2024 in cents, with new
-- (start 0), churned (end 0), expanded, contracted and unchanged customers.
CREATE TABLE subscriptions AS
SELECT i AS customer_id,
       (ARRAY['smb','mid-market','enterprise','partner'])[1 + (h % 4)] AS segment,
       daterange(first_day,
                 CASE WHEN h % 5 < 2 THEN NULL
                      ELSE first_day + 1 + ((h / 7) % 900)::int END) AS active,
       CASE WHEN h % 10 = 0 THEN 0 ELSE round(((h / 11) % 500000) / 100.0, 2) END::numeric(12,2) AS mrr_start,
       CASE WHEN h % 10 = 1 THEN 0
            WHEN h % 10 = 2 THEN round(((h / 11) % 500000) / 100.0, 2)
            ELSE round(((h / 13) % 600000) / 100.0, 2) END::numeric(12,2) AS mrr_end
FROM generate_series(1::bigint, $RETENTION_CUSTOMERS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed,
LATERAL (SELECT CASE WHEN h % 2 = 0
                     THEN (DATE '2021-01-01' + make_interval(months => ((h / 3) % 48)::int))::date
                     ELSE DATE '2021-01-01' + ((h / 3) % 1461)::int END AS first_day) AS started;
VACUUM (FREEZE, ANALYZE) subscriptions;
-- One row per month with its period as a range, as docs/retention.md suggests.
CREATE TABLE months AS
SELECT m::date AS month_start, (m + interval '1 month')::date AS month_end,
       daterange(m::date, (m + interval '1 month')::date) AS period
FROM generate_series(DATE '2021-01-01', DATE '2024-12-01', interval '1 month') AS m;
ANALYZE months;
SQL
psql_run -At -c "SELECT 'table: ' || pg_size_pretty(pg_table_size('subscriptions')) || ', ' || count(*) || ' customers' FROM subscriptions" >&2

# The idioms, written once: each measure and the equality check below use them.
CHURN_JAN="daterange('2024-01-01', '2024-02-01')"
CHURN_IDIOM="count(*) FILTER (WHERE active @> DATE '2024-01-01' AND NOT upper_inf(active) AND upper(active) <= DATE '2024-02-01')::float8
  / nullif(count(*) FILTER (WHERE active @> DATE '2024-01-01'), 0)"
SERIES_OURS="SELECT month_start, churn_rate(active, period)
  FROM months JOIN subscriptions ON active @> month_start GROUP BY month_start"
SERIES_IDIOM="SELECT month_start, count(*) FILTER (WHERE NOT upper_inf(active) AND upper(active) <= month_end)::float8 / count(*)
  FROM months JOIN subscriptions ON active @> month_start GROUP BY month_start"
NRR_IDIOM="sum(mrr_end) FILTER (WHERE mrr_start > 0) / nullif(sum(mrr_start) FILTER (WHERE mrr_start > 0), 0)"
MOVEMENTS_IDIOM="coalesce(sum(mrr_end) FILTER (WHERE mrr_start = 0 AND mrr_end > 0), 0),
  coalesce(sum(mrr_end - mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end > mrr_start), 0),
  coalesce(sum(mrr_start - mrr_end) FILTER (WHERE mrr_end > 0 AND mrr_end < mrr_start), 0),
  coalesce(sum(mrr_start) FILTER (WHERE mrr_start > 0 AND mrr_end = 0), 0),
  sum(mrr_end - mrr_start)"

log "checking that each b2bkpi result equals its idiom"
psql_run -At <<SQL | grep -q '^t$' || { log "retention: b2bkpi and the SQL idiom disagree"; exit 1; }
SELECT (SELECT churn_rate(active, $CHURN_JAN) FROM subscriptions)
     = (SELECT $CHURN_IDIOM FROM subscriptions)
   AND NOT EXISTS (($SERIES_OURS) EXCEPT ($SERIES_IDIOM))
   AND (SELECT net_revenue_retention(mrr_start, mrr_end)::text FROM subscriptions)
     = (SELECT ($NRR_IDIOM)::text FROM subscriptions)
   AND (SELECT mrr_movements(mrr_start, mrr_end)::text FROM subscriptions)
     = (SELECT ROW($MOVEMENTS_IDIOM)::text FROM subscriptions);
SQL

measure "churn_rate, one period vs SQL idiom" 1.0 ratio "$SERIAL" \
  "SELECT churn_rate(active, $CHURN_JAN) FROM subscriptions" \
  "SELECT $CHURN_IDIOM FROM subscriptions"

measure "monthly churn series, 48 months vs SQL idiom" 1.0 ratio "$SERIAL" \
  "$SERIES_OURS" "$SERIES_IDIOM"

measure "net_revenue_retention vs SQL idiom" 1.0 ratio "$SERIAL" \
  "SELECT net_revenue_retention(mrr_start, mrr_end) FROM subscriptions" \
  "SELECT $NRR_IDIOM FROM subscriptions"

measure "mrr_movements vs SQL idiom (five sums)" 1.0 ratio "$SERIAL" \
  "SELECT mrr_movements(mrr_start, mrr_end) FROM subscriptions" \
  "SELECT $MOVEMENTS_IDIOM FROM subscriptions"

measure "mrr_movements GROUP BY segment vs SQL idiom" - ratio "$SERIAL" \
  "SELECT segment, mrr_movements(mrr_start, mrr_end) FROM subscriptions GROUP BY segment" \
  "SELECT segment, $MOVEMENTS_IDIOM FROM subscriptions GROUP BY segment"

measure "net_revenue_retention vs count(*) (the scan itself)" - ratio "$SERIAL" \
  "SELECT net_revenue_retention(mrr_start, mrr_end) FROM subscriptions" \
  "SELECT count(*) FROM subscriptions"

measure "monthly churn series, 2 workers vs serial" - speedup "" \
  "$SERIES_OURS" "$SERIES_OURS" \
  "SET max_parallel_workers_per_gather = 2;" "SET max_parallel_workers_per_gather = 0;"

report retention
