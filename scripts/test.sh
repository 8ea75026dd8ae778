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

tally() { # NAME PASSED FAILED
  passed=$((passed + $2))
  failed=$((failed + $3))
  [ "$3" -eq 0 ] || failures+=("$1")
  log "$1: $2 passed, $3 failed"
}

# Reads the "N passed, N failed" line a layer printed; a layer that died
# before printing it counts as one failure.
tally_from_output() { # NAME OUTPUT_FILE EXIT_STATUS
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -1 || true)
  if [ -n "$line" ]; then
    set -- "$1" "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')" "$3"
    [ "$4" -eq 0 ] || [ "$3" -gt 0 ] || set -- "$1" "$2" 1 "$4"
    tally "$1" "$2" "$3"
  else
    tally "$1" 0 1
  fi
}

ensure_build_packages
ensure_packages clang libclang-rt-14-dev

out=$(mktemp -d)
trap 'rm -rf "$out"; cluster_stop' EXIT

log "unit tests (ASan + UBSan)"
status=0
make -s -C test/unit run >"$out/unit" 2>&1 || status=$?
cat "$out/unit"
tally_from_output "unit" "$out/unit" "$status"

log "fuzzing the summary decoders for ${FUZZ_SECONDS}s"
status=0
make -s -C test/fuzz run FUZZ_SECONDS="$FUZZ_SECONDS" >"$out/fuzz" 2>&1 || status=$?
tail -n 5 "$out/fuzz"
if [ "$status" -eq 0 ]; then tally "fuzz" 1 0; else cat "$out/fuzz"; tally "fuzz" 0 1; fi

build_and_install
cluster_start

log "pg_regress"
status=0
make -s installcheck >"$out/regress" 2>&1 || status=$?
grep -E '^(test |ok |not ok )' "$out/regress" || cat "$out/regress"
regress_ok=$(grep -cE '^(test .*\.\.\. ok|ok )' "$out/regress" || true)
regress_failed=$(grep -cE '^(test .*\.\.\. FAILED|not ok )' "$out/regress" || true)
if [ "$status" -ne 0 ] && [ "$regress_failed" -eq 0 ]; then regress_failed=1; fi
if [ "$regress_failed" -gt 0 ] && [ -f regression.diffs ]; then head -n 200 regression.diffs; fi
tally "pg_regress" "$regress_ok" "$regress_failed"

for script in test/integration/*.sh; do
  name="integration $(basename "$script" .sh)"
  log "$name"
  status=0
  bash "$script" >"$out/integration" 2>&1 || status=$?
  cat "$out/integration"
  ok=$(grep -c '^ok ' "$out/integration" || true)
  bad=$(grep -c '^not ok ' "$out/integration" || true)
  if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  tally "$name" "$ok" "$bad"
done

[ ${#failures[@]} -eq 0 ] || log "failed layers: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
