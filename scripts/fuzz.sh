#!/usr/bin/env bash
# scripts/fuzz.sh [DURATION]: fuzz every parser of learner- and author-written
# input (lab.yaml, checks, result files) for DURATION each (default 10m), one
# after another, then print each target's corpus size and what it found. Not
# part of CI: `go test` runs the seeds and every input fuzzing ever found
# (testdata/fuzz/, kept as regression tests). FUZZ_PARALLEL=N sets the
# workers per target (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10m}"
targets=(
  "./labs/spec FuzzParseLab"
  "./grader FuzzParseTasks"
  "./internal/localstate FuzzReadResult"
  "./internal/exam FuzzVerifyResult"
)
cache=$(go env GOCACHE)/fuzz
rows=()
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  printf 'fuzz: %s %s for %s\n' "$pkg" "$name" "$DURATION" >&2
  status=ok
  go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$DURATION" -fuzzminimizetime 5s -parallel "${FUZZ_PARALLEL:-2}" >"/tmp/fuzz-$name.log" 2>&1 || status="FAILED (see /tmp/fuzz-$name.log)"
  corpus=$(find "$cache/$(go list "$pkg")/$name" -type f 2>/dev/null | wc -l || true)
  found=$(find "${pkg#./}/testdata/fuzz/$name" -type f 2>/dev/null | wc -l || true)
  execs=$(grep -o "execs: [0-9]*" "/tmp/fuzz-$name.log" | tail -1 | cut -d" " -f2 || true)
  rows+=("$(printf '| %-22s | %-20s | %8s | %12s | %6s | %s |' "${pkg#./}" "$name" "$corpus" "${execs:-?}" "$found" "$status")")
done
printf '\n| %-22s | %-20s | %8s | %12s | %6s | %s |\n' package target corpus execs kept result
printf '|%s|\n' "------------------------|----------------------|----------|--------------|--------|--------"
printf '%s\n' "${rows[@]}"
