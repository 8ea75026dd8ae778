# Funnel rates (kpi-spec section 1), sourced by run.sh: 10M visits over 8 channels.

log "generating $BENCH_ROWS visits"
psql_run <<SQL
-- Daily visits of 8 channels with channel-specific MQL rates and ~1 % NULL flags.
CREATE TABLE visits AS
SELECT i AS visit_id,
       DATE '2025-01-01' + (i % 365)::int AS visit_day,
       (ARRAY['organic search','paid search','linkedin ads','webinars','events',
              'referral','outbound email','direct'])[1 + (h % 8)] AS channel,
       CASE WHEN h % 97 = 0 THEN NULL ELSE (h / 8) % 1000 < 10 + 7 * (h % 8) END AS is_mql,
       (h / 8000) % 100 < 30 AS is_sql
FROM generate_series(1::bigint, $BENCH_ROWS) AS i,
LATERAL (SELECT (i * 2654435761) % 4294967291 AS h) AS hashed;
VACUUM (FREEZE, ANALYZE) visits;
SQL
psql_run -At -c "SELECT 'table: ' || pg_size_pretty(pg_table_size('visits')) || ', ' || count(*) || ' rows' FROM visits" >&2


measure "mql_rate GROUP BY channel vs SQL idiom" 1.0 ratio "$SERIAL" \
  "SELECT channel, mql_rate(is_mql) FROM visits GROUP BY channel" \
  "SELECT channel, count(*) FILTER (WHERE is_mql)::float8 / nullif(count(is_mql), 0) FROM visits GROUP BY channel"

measure "ungrouped mql_rate vs count(*) (the scan itself)" 1.1 ratio "$SERIAL" \
  "SELECT mql_rate(is_mql) FROM visits" \
  "SELECT count(*) FROM visits"

# Context for the line above: the cheapest built-in aggregate that reads the same
# column, i.e. the floor for any aggregate with an argument.
measure "ungrouped mql_rate vs count(is_mql) (column floor)" 1.1 ratio "$SERIAL" \
  "SELECT mql_rate(is_mql) FROM visits" \
  "SELECT count(is_mql) FROM visits"

measure "mql_rate, 1000-row sliding frame vs window idiom" 1.2 ratio "$SERIAL" \
  "SELECT max(r) FROM (SELECT mql_rate(is_mql) OVER w AS r FROM visits WINDOW w AS (ORDER BY visit_id ROWS 999 PRECEDING)) AS s" \
  "SELECT max(r) FROM (SELECT count(*) FILTER (WHERE is_mql) OVER w::float8 / nullif(count(is_mql) OVER w, 0) AS r FROM visits WINDOW w AS (ORDER BY visit_id ROWS 999 PRECEDING)) AS s"

measure "ungrouped mql_rate, 2 workers vs serial" 1.6 speedup "" \
  "SELECT mql_rate(is_mql) FROM visits" \
  "SELECT mql_rate(is_mql) FROM visits" \
  "SET max_parallel_workers_per_gather = 2;" "SET max_parallel_workers_per_gather = 0;"

log "measuring: hash aggregate memory over 1M groups"
MANY_GROUPS="FROM visits GROUP BY visit_id % 1000000"
memory_ours=$(hash_memory "SELECT visit_id % 1000000, mql_rate(is_mql) $MANY_GROUPS")
memory_idiom=$(hash_memory "SELECT visit_id % 1000000, count(*) FILTER (WHERE is_mql)::float8 / nullif(count(is_mql), 0) $MANY_GROUPS")

report funnel_rates "hash aggregate memory, GROUP BY visit_id % 1000000 (1M groups):" \
  "  mql_rate(is_mql): $memory_ours; SQL idiom (two counts): $memory_idiom"
