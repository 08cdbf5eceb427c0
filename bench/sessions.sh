#!/usr/bin/env bash
# bench/sessions.sh [N] [LAB]: N learners on one engine (default 10 sessions
# of lb-basics), started in parallel with --session. Every odd session applies
# the reference solution: solved sessions must score full marks and the
# others must not pass (no session grades another's nodes). Then `stop --all`
# of session 1 must leave every other session running. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10}"
LAB="${2:-lb-basics}"
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/ws"
run=$$
session() { printf 'learner%02d-%s' "$1" "$run"; }
cleanup() {
  for i in $(seq "$N"); do bin/opslab --session "$(session "$i")" stop --all >/dev/null 2>&1 & done
  wait
  rm -rf "$work"
}
trap cleanup EXIT
log() { printf 'sessions: %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
running_nodes() { docker ps -q --filter "label=opslab.session=$1" --filter "label=opslab.lab=$LAB" | wc -l; }

go build -o bin/opslab ./cmd/opslab
log "building $LAB's images once"
bin/opslab --session "$(session 0)" start "$LAB" >/dev/null 2>&1
bin/opslab --session "$(session 0)" stop "$LAB" >/dev/null 2>&1

log "$N sessions start at once"
t0=$(now_ms)
for i in $(seq "$N"); do
  OPSLAB_WORKSPACES="$work/ws$i" bin/opslab --session "$(session "$i")" start "$LAB" >"$work/start$i" 2>&1 &
done
start_fail=0
for job in $(jobs -p); do wait "$job" || start_fail=$((start_fail + 1)); done
start_ms=$(( $(now_ms) - t0 ))

log "solving the odd sessions, then grading all at once"
for i in $(seq 1 2 "$N"); do
  OPSLAB_WORKSPACES="$work/ws$i" bin/opslab --session "$(session "$i")" solve "$LAB" >/dev/null 2>&1 &
done
wait
t0=$(now_ms)
for i in $(seq "$N"); do
  OPSLAB_WORKSPACES="$work/ws$i" bin/opslab --session "$(session "$i")" grade "$LAB" --format json >"$work/grade$i.json" 2>"$work/grade$i.err" &
done
wait || true
grade_ms=$(( $(now_ms) - t0 ))
wrong=0
for i in $(seq "$N"); do
  verdict=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("full" if r["passed"] and r["score"]==r["max_score"] else ("passed" if r["passed"] else "not"))' "$work/grade$i.json" 2>/dev/null || echo error)
  want=not
  [ $((i % 2)) -eq 1 ] && want=full
  if [ "$verdict" != "$want" ]; then
    wrong=$((wrong + 1))
    log "session $i: graded $verdict, want $want; its failed checks:"
    python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["tasks"]:
    for c in t["checks"]:
        if c["status"] != "pass": print("  %s/%s %s: %s" % (t["id"], c["id"], c["status"], c["message"][:300]))' "$work/grade$i.json" >&2 || cat "$work/grade$i.err" >&2
  fi
done

names=$(docker ps --format '{{.Names}}' --filter "label=opslab.lab=$LAB" | grep -c "$run" || true)
unique=$(docker ps --format '{{.Names}}' --filter "label=opslab.lab=$LAB" | grep "$run" | sort -u | wc -l)
nets=$(docker network ls -q --filter "label=opslab.lab=$LAB" | wc -l)
bin/opslab --session "$(session 1)" stop --all >/dev/null 2>&1
others_down=0
for i in $(seq 2 "$N"); do
  [ "$(running_nodes "$(session "$i")")" -gt 0 ] || others_down=$((others_down + 1))
done
left1=$(running_nodes "$(session 1)")

printf '\n%s sessions of %s on one engine (%s CPUs)\n\n' "$N" "$LAB" "$(nproc)"
printf '| %-46s | %-10s |\n' measure value
printf '|%s|\n' "------------------------------------------------|------------"
printf '| %-46s | %10s |\n' "starts that failed" "$start_fail" \
  "all $N started in (ms)" "$start_ms" \
  "containers / distinct names" "$names/$unique" \
  "lab networks" "$nets" \
  "graded all at once in (ms)" "$grade_ms" \
  "sessions graded wrongly (solved: full marks)" "$wrong" \
  "session 1 nodes left after its stop --all" "$left1" \
  "other sessions stopped by it" "$others_down"
[ "$start_fail" -eq 0 ] && [ "$wrong" -eq 0 ] && [ "$left1" -eq 0 ] && [ "$others_down" -eq 0 ]
