#!/usr/bin/env bash
# Benchmarks of the KPI families against the SQL they replace (targets in
# docs/performance.md).
#
#   bash test/bench/run.sh                  # every family: 10M rows, 7 repetitions
#   bash test/bench/run.sh money            # one family (funnel_rates, money, retention, event_funnels, abm, summaries)
#   BENCH_ROWS=1000000 BENCH_REPS=3 bash test/bench/run.sh   # a quick look
#
# Starts its own throwaway cluster, generates each family's data, and for each
# measure runs the b2bkpi query and its baseline alternately in one session,
# BENCH_REPS times each after one warm-up of each, and prints the medians and
# their ratio. The ratios are what the targets speak of; absolute times depend
# on the machine. Each family's table goes to test/bench/results/FAMILY.txt.

source "$(dirname "$0")/../../scripts/lib.sh"

BENCH_ROWS=${BENCH_ROWS:-10000000}
BENCH_REPS=${BENCH_REPS:-7}
BENCH_DIR=$B2BKPI_ROOT/test/bench
RESULTS_DIR=$BENCH_DIR/results
FAMILIES=("$@")
[ ${#FAMILIES[@]} -gt 0 ] || FAMILIES=(funnel_rates money retention event_funnels abm summaries)
mkdir -p "$RESULTS_DIR"

ensure_build_packages
build_and_install
cluster_start "shared_buffers = 2GB" "work_mem = 256MB" "max_parallel_workers_per_gather = 2" \
  "jit = off" "autovacuum = off"

psql_run() { psql -X -v ON_ERROR_STOP=1 -q "$@"; }
psql_run -c "CREATE EXTENSION b2bkpi"

# measure NAME TARGET KIND SETUP OURS BASELINE [OURS_SETUP BASELINE_SETUP]
# TARGET "-" marks a line that gives context and has no target.
# KIND is "ratio" (b2bkpi / baseline, lower is better) or "speedup" (baseline /
# b2bkpi). The per-side setups run untimed before each timed query.
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
      verdict = ok ? "met" : "MISS"
      if (t == "-") { goal = "context"; verdict = "" }
      printf "| %-55s | %9.1f | %11.1f | %-7s %5.2f | %-8s | %-4s |", n, o, b, k, r, goal, verdict }')")
}


SERIAL="SET max_parallel_workers_per_gather = 0;"

# Memory: a hash aggregate over many groups, where the per-group state dominates.
hash_memory() { # QUERY -> "N kB"
  psql_run -At -c "SET max_parallel_workers_per_gather = 0; SET work_mem = '4GB';" \
    -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $1" |
    sed -n 's/.*Memory Usage: \([0-9]*\)kB.*/\1 kB/p' | head -1
}

# report FAMILY [NOTE...]: prints the family's table and writes it to results/.
report() {
  local family=$1; shift
  {
    echo "b2bkpi $family benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "rows: $BENCH_ROWS, repetitions: $BENCH_REPS (medians), $(psql_run -At -c 'SELECT version()' | cut -d, -f1)"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo
    echo "| measure                                                 | b2bkpi ms | baseline ms | result        | target   |      |"
    echo "|---------------------------------------------------------|----------:|------------:|---------------|----------|------|"
    printf '%s\n' "${results[@]}"
    [ $# -eq 0 ] || { echo; printf '%s\n' "$@"; }
  } | tee "$RESULTS_DIR/$family.txt"
  echo "(written to test/bench/results/$family.txt)"
}

for family in "${FAMILIES[@]}"; do
  [ -f "$BENCH_DIR/$family.sh" ] || { log "no benchmark named $family (test/bench/$family.sh)"; exit 2; }
  results=()
  # shellcheck source=/dev/null
  source "$BENCH_DIR/$family.sh"
done
