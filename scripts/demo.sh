#!/usr/bin/env bash
# scripts/demo.sh: builds and installs b2bkpi, starts a throwaway PostgreSQL cluster,
# loads a year of sample B2B marketing data and prints a KPI report. The cluster is
# stopped and removed on exit, also on failure or Ctrl-C (scripts/lib.sh).
#
# The report goes to stdout, progress and timings to stderr.

set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAX_SCALE=1000

usage() {
  cat <<EOF
Usage: bash scripts/demo.sh [--scale N]

Builds and installs b2bkpi, starts a throwaway PostgreSQL $PG_MAJOR cluster, loads
deterministic sample B2B marketing data for 2023 (visits, daily channel totals,
opportunities, NPS answers) and prints a KPI report computed with b2bkpi's aggregates.
The cluster is removed when the demo ends.

  --scale N   data volume: about N million visits (integer, 1..$MAX_SCALE; default 1)
  -h, --help  show this help
EOF
}

die_usage() {
  printf 'demo.sh: %s\n' "$*" >&2
  printf "Try 'bash scripts/demo.sh --help'.\n" >&2
  exit 2
}

scale=1
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --scale)
      [ $# -ge 2 ] || die_usage "--scale needs a value"
      scale=$2
      shift 2
      ;;
    --scale=*)
      scale=${1#--scale=}
      shift
      ;;
    *) die_usage "unknown argument '$1'" ;;
  esac
done
# At most 4 digits, so the comparison below cannot overflow.
if ! [[ $scale =~ ^[1-9][0-9]{0,3}$ ]] || [ "$scale" -gt "$MAX_SCALE" ]; then
  die_usage "--scale must be a whole number from 1 to $MAX_SCALE, not '$scale'"
fi

DEMO_DIR=$B2BKPI_ROOT/demo

now() { date +%s.%N; }
# seconds since $1, one decimal
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

run_psql() {
  PGOPTIONS='-c client_min_messages=warning' \
    psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 "$@"
}

started=$(now)

ensure_build_packages
build_and_install
build_time=$(since "$started")

step=$(now)
log "starting a throwaway PostgreSQL $PG_MAJOR cluster"
# Bulk loading: no checkpoints or autovacuum in the way (the load ends with ANALYZE).
cluster_start 'shared_buffers = 256MB' 'work_mem = 64MB' 'max_wal_size = 8GB' \
  'checkpoint_timeout = 1h' 'autovacuum = off'
log "cluster in $CLUSTER_DIR (stopped and removed on exit)"
run_psql --command 'CREATE EXTENSION b2bkpi'
run_psql --file "$DEMO_DIR/schema.sql"
cluster_time=$(since "$step")

step=$(now)
log "generating 2023 at scale $scale: visits, channel_days, opportunities, NPS answers"
months=12
for ((month = 1; month <= months; month++)); do
  counts=$(run_psql --no-align --tuples-only --field-separator ' ' \
    --set month="$month" --set scale="$scale" --file "$DEMO_DIR/generate.sql")
  read -r visits opportunities answers <<<"$counts"
  log "loading visits: month $month/$months ($((100 * month / months)) %):" \
    "$visits visits, $opportunities opportunities, $answers NPS answers"
done
log "ANALYZE"
run_psql --command 'ANALYZE'
load_time=$(since "$step")

step=$(now)
run_psql --file "$DEMO_DIR/report.sql"
report_time=$(since "$step")

log "done in $(since "$started") s: build and install $build_time s," \
  "cluster and schema $cluster_time s, load $load_time s, report $report_time s"
