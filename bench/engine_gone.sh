#!/usr/bin/env bash
# bench/engine_gone.sh [LAB]: the Docker engine goes away (dockerd stopped)
# while a lab runs, during `grade` and during `start` (default lb-basics).
# Each command must exit 3 and say what happened and what to do; a grading
# must not charge any check as failed (nor record the attempt); once dockerd
# is back, `status` and `stop` must work. Needs root and a dockerd this
# script may stop and start (scripts/setup-docker.sh's): never run it on a
# machine whose engine others use. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB="${1:-lb-basics}"
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="enginegone-$$"
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/ws" XDG_STATE_HOME="$work/state"
trap './scripts/setup-docker.sh >/dev/null 2>&1; bin/opslab stop --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
log() { printf 'engine-gone: %s\n' "$*" >&2; }
pgrep -x dockerd >/dev/null || { log "no dockerd process here to stop (Docker Desktop? a remote engine?)"; exit 3; }
engine_down() { pkill -x dockerd; for _ in $(seq 50); do pgrep -x dockerd >/dev/null || return 0; sleep 0.2; done; pkill -9 -x dockerd; }
engine_up() { ./scripts/setup-docker.sh >/dev/null 2>&1; }
rows=()
# verdict NAME RC OUTFILE: exit 3 and a message that names Docker and a fix.
verdict() {
  local ok=yes
  [ "$2" -eq 3 ] || ok="no (exit $2)"
  grep -qi 'docker' "$3" || ok="no (message does not name Docker)"
  rows+=("$(printf '| %-34s | %4s | %-56s | %-5s |' "$1" "$2" "$(grep -v '^$' "$3" | head -1 | cut -c1-56)" "$ok")")
  [ "$ok" = yes ]
}

go build -o bin/opslab ./cmd/opslab
engine_up
bin/opslab start "$LAB" >/dev/null 2>&1
bin/opslab solve "$LAB" >/dev/null 2>&1
failures=0

log "1. engine stopped while the lab runs"
engine_down
rc=0; bin/opslab status >"$work/o1" 2>&1 || rc=$?
verdict "status, engine gone" "$rc" "$work/o1" || failures=$((failures + 1))
rc=0; bin/opslab grade "$LAB" >"$work/o2" 2>&1 || rc=$?
verdict "grade, engine gone" "$rc" "$work/o2" || failures=$((failures + 1))
engine_up
rc=0; bin/opslab status >"$work/o3" 2>&1 || rc=$?
rows+=("$(printf '| %-34s | %4s | %-56s | %-5s |' "status, engine back" "$rc" "$(head -1 "$work/o3" | cut -c1-56)" "$([ "$rc" -eq 0 ] && echo yes || echo no)")")
[ "$rc" -eq 0 ] || failures=$((failures + 1))

log "2. engine stopped during grade"
bin/opslab stop "$LAB" >/dev/null 2>&1
bin/opslab start "$LAB" >/dev/null 2>&1
bin/opslab solve "$LAB" >/dev/null 2>&1
bin/opslab grade "$LAB" --format json >"$work/g.json" 2>"$work/o4" & pid=$!
sleep 2
engine_down
rc=0; wait "$pid" || rc=$?
verdict "grade, engine stopped during it" "$rc" "$work/o4" || failures=$((failures + 1))
charged=$(grep -o '"status": *"fail"' "$work/g.json" 2>/dev/null | wc -l || true)
rows+=("$(printf '| %-34s | %4s | %-56s | %-5s |' "checks charged as fail" "-" "$charged" "$([ "$charged" -eq 0 ] && echo yes || echo no)")")
[ "$charged" -eq 0 ] || failures=$((failures + 1))
engine_up
attempts=$(find "$XDG_STATE_HOME" -path '*results*' -name '*.json' 2>/dev/null | wc -l || true)

log "3. engine stopped during start"
bin/opslab stop "$LAB" >/dev/null 2>&1
bin/opslab start "$LAB" >"$work/o5" 2>&1 & pid=$!
sleep 0.7
engine_down
rc=0; wait "$pid" || rc=$?
verdict "start, engine stopped during it" "$rc" "$work/o5" || failures=$((failures + 1))
engine_up
rc=0; bin/opslab status >"$work/o6" 2>&1 || rc=$?
rc2=0; bin/opslab stop --all >"$work/o7" 2>&1 || rc2=$?
left=$(docker ps -aq --filter "label=opslab.session=$OPSLAB_SESSION" | wc -l)
rows+=("$(printf '| %-34s | %4s | %-56s | %-5s |' "status, then stop --all, engine back" "$rc/$rc2" "$left containers left" "$([ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] && [ "$left" -eq 0 ] && echo yes || echo no)")")
[ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] && [ "$left" -eq 0 ] || failures=$((failures + 1))

printf '\n%s: the Docker engine goes away (results recorded from interrupted gradings: %s)\n\n' "$LAB" "$attempts"
printf '| %-34s | %4s | %-56s | %-5s |\n' case exit "first line of the message" ok
printf '|%s|\n' "------------------------------------|------|----------------------------------------------------------|-------"
printf '%s\n' "${rows[@]}"
[ "$failures" -eq 0 ]
