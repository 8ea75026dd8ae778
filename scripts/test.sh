#!/usr/bin/env bash
# The full test suite, as the README gives it: installs what a fresh Debian
# bookworm machine lacks, builds, and runs every layer:
#   1. C unit tests of the core under AddressSanitizer and UndefinedBehaviorSanitizer
#   2. a bounded libFuzzer run over the summary decoders (FUZZ_SECONDS, default 30)
#   3. pg_regress, one file per KPI family, on a throwaway cluster
#   4. integration scripts in test/integration/ against the same cluster
# It ends with the line "N passed, N failed" and exits non-zero on any failure.

source "$(dirname "$0")/lib.sh"
cd "$B2BKPI_ROOT"

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
passed=0
failed=0
failures=()

# Adds a layer's counts. A layer that exited non-zero without reporting a
# failure (it died before it could count) counts as one failure.
tally() { # NAME PASSED FAILED EXIT_STATUS
  local ok=${2:-0} bad=${3:-0}
  if [ "$4" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  [ "$bad" -eq 0 ] || failures+=("$1")
  log "$1: $ok passed, $bad failed"
}

ensure_build_packages
ensure_packages clang libclang-rt-14-dev

out=$(mktemp -d)
trap 'rm -rf "$out"; cluster_stop' EXIT

log "unit tests (ASan + UBSan)"
status=0
make -s -C test/unit run >"$out/unit" 2>&1 || status=$?
cat "$out/unit"
read -r unit_ok unit_bad < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$out/unit" | tail -1) || true
tally "unit" "${unit_ok:-0}" "${unit_bad:-0}" "$status"

log "fuzzing the summary decoders for ${FUZZ_SECONDS}s"
status=0
make -s -C test/fuzz run FUZZ_SECONDS="$FUZZ_SECONDS" >"$out/fuzz" 2>&1 || status=$?
tail -n 5 "$out/fuzz"
if [ "$status" -eq 0 ]; then tally "fuzz" 1 0 0; else cat "$out/fuzz"; tally "fuzz" 0 0 "$status"; fi

build_and_install
cluster_start

log "pg_regress"
status=0
make -s installcheck >"$out/regress" 2>&1 || status=$?
grep -E '^(test |ok |not ok )' "$out/regress" || cat "$out/regress"
regress_ok=$(grep -cE '^(test .*\.\.\. ok|ok )' "$out/regress" || true)
regress_failed=$(grep -cE '^(test .*\.\.\. FAILED|not ok )' "$out/regress" || true)
if [ "$status" -ne 0 ] && [ -f regression.diffs ]; then head -n 200 regression.diffs; fi
tally "pg_regress" "$regress_ok" "$regress_failed" "$status"

for script in test/integration/*.sh; do
  name="integration $(basename "$script" .sh)"
  log "$name"
  status=0
  bash "$script" >"$out/integration" 2>&1 || status=$?
  cat "$out/integration"
  ok=$(grep -c '^ok ' "$out/integration" || true)
  bad=$(grep -c '^not ok ' "$out/integration" || true)
  tally "$name" "$ok" "$bad" "$status"
done

[ ${#failures[@]} -eq 0 ] || log "failed layers: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
