#!/usr/bin/env bash
# Benchmark of the funnel-rate family (issue targets in docs/performance.md).
#
#   bash test/bench/run.sh            # 10M rows, 7 repetitions per measure
#   BENCH_ROWS=1000000 BENCH_REPS=3 bash test/bench/run.sh   # a quick look
#
# Starts its own throwaway cluster, generates the data, and for each measure runs
# the b2bkpi query and its baseline alternately in one session, BENCH_REPS times
# each after one warm-up of each, and prints the medians and their ratio. The
# ratios are what the targets speak of; absolute times depend on the machine.

source "$(dirname "$0")/../../scripts/lib.sh"

BENCH_ROWS=${BENCH_ROWS:-10000000}
BENCH_REPS=${BENCH_REPS:-7}
RESULTS_DIR=$B2BKPI_ROOT/test/bench/results
mkdir -p "$RESULTS_DIR"
REPORT=$RESULTS_DIR/funnel_rates.txt

ensure_build_packages
build_and_install
cluster_start "shared_buffers = 2GB" "work_mem = 256MB" "max_parallel_workers_per_gather = 2" \
  "jit = off" "autovacuum = off"

psql_run() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }

log "generating $BENCH_ROWS visits"
psql_run <<SQL
CREATE EXTENSION b2bkpi;
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

# measure NAME TARGET KIND SETUP OURS BASELINE [OURS_SETUP BASELINE_SETUP]
# KIND is "ratio" (b2bkpi / baseline, lower is better) or "speedup" (baseline /
# b2bkpi). The per-side setups run untimed before each timed query.
results=()
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure() {
  local name=$1 target=$2 kind=$3 setup=$4 ours=$5 baseline=$6
  local ours_setup=${7:-} base_setup=${8:-} script times ours_ms base_ms
  script=$(mktemp)
  {
    echo "$setup"
    echo "\\o /dev/null"
    echo "$ours_setup"; echo "$ours;"
    echo "$base_setup"; echo "$baseline;"
    for _ in $(seq "$BENCH_REPS"); do
      echo "$ours_setup"; echo "\\timing on"; echo "$ours;"; echo "\\timing off"
      echo "$base_setup"; echo "\\timing on"; echo "$baseline;"; echo "\\timing off"
    done
  } >"$script"
  log "measuring: $name"
  times=$(psql_run -f "$script" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  rm -f "$script"
  ours_ms=$(echo "$times" | awk 'NR % 2 == 1' | median)
  base_ms=$(echo "$times" | awk 'NR % 2 == 0' | median)
  results+=("$(awk -v n="$name" -v o="$ours_ms" -v b="$base_ms" -v t="$target" -v k="$kind" 'BEGIN {
      if (k == "ratio") { r = o / b; ok = (r <= t); goal = sprintf("<= %.2f", t) }
      else { r = b / o; ok = (r >= t); goal = sprintf(">= %.2f", t) }
      printf "| %-50s | %9.1f | %11.1f | %-7s %5.2f | %-8s | %-4s |", n, o, b, k, r, goal, ok ? "met" : "MISS" }')")
}

SERIAL="SET max_parallel_workers_per_gather = 0;"

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

# Memory: a hash aggregate over 1M groups, where the per-group state dominates.
hash_memory() { # QUERY -> "N kB"
  psql_run -At -c "SET max_parallel_workers_per_gather = 0; SET work_mem = '4GB';" \
    -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $1" |
    sed -n 's/.*Memory Usage: \([0-9]*\)kB.*/\1 kB/p' | head -1
}
log "measuring: hash aggregate memory over 1M groups"
MANY_GROUPS="FROM visits GROUP BY visit_id % 1000000"
memory_ours=$(hash_memory "SELECT visit_id % 1000000, mql_rate(is_mql) $MANY_GROUPS")
memory_idiom=$(hash_memory "SELECT visit_id % 1000000, count(*) FILTER (WHERE is_mql)::float8 / nullif(count(is_mql), 0) $MANY_GROUPS")

{
  echo "b2bkpi funnel-rate benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "rows: $BENCH_ROWS, repetitions: $BENCH_REPS (medians), $(psql_run -At -c 'SELECT version()' | cut -d, -f1)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo
  echo "| measure                                            | b2bkpi ms | baseline ms | result        | target   |      |"
  echo "|----------------------------------------------------|----------:|------------:|---------------|----------|------|"
  printf '%s\n' "${results[@]}"
  echo
  echo "hash aggregate memory, GROUP BY visit_id % 1000000 (1M groups):"
  echo "  mql_rate(is_mql): $memory_ours; SQL idiom (two counts): $memory_idiom"
} | tee "$REPORT"
echo "(written to ${REPORT#"$B2BKPI_ROOT"/})"
