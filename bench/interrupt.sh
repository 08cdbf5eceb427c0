#!/usr/bin/env bash
# bench/interrupt.sh [N] [LAB]: N `opslab start LAB` runs (default 100 of
# inc-502, 5 nodes), each killed at a random point of its start: SIGINT for 7
# in 10 (a learner's Ctrl-C: the start must remove what it made before it
# exits), SIGKILL for 3 in 10 (nothing can run: the next start or stop must
# clear the leftovers). Then `opslab stop --all`: no labelled container,
# network or volume may be left, and a normal start must work. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100}"
LAB="${2:-inc-502}"
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="interrupt-$$"
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/ws"
trap 'bin/opslab stop --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
log() { printf 'interrupt: %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
filter=(--filter "label=opslab.session=$OPSLAB_SESSION")
count() { # containers networks volumes of this session
  printf '%s %s %s' "$(docker ps -aq "${filter[@]}" | wc -l)" \
    "$(docker network ls -q "${filter[@]}" | wc -l)" "$(docker volume ls -q "${filter[@]}" | wc -l)"
}

go build -o bin/opslab ./cmd/opslab
log "$LAB: one full start to build images and time it"
t0=$(now_ms)
bin/opslab start "$LAB" >/dev/null 2>&1
full=$(( $(now_ms) - t0 ))
bin/opslab stop "$LAB" >/dev/null 2>&1
log "a full start takes $full ms; kills land between 0 and $full ms"

ints=0 kills=0 finished=0 int_left=0 exit_codes=""
for i in $(seq "$N"); do
  delay=$(( RANDOM % full ))
  sig=INT
  [ $(( RANDOM % 10 )) -lt 3 ] && sig=KILL
  bin/opslab start "$LAB" >"$work/out" 2>&1 &
  pid=$!
  sleep "$(awk -v ms="$delay" 'BEGIN { printf "%.3f", ms / 1000 }')"
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid" 2>/dev/null || true
    rc=0; wait "$pid" || rc=$?
    if [ "$sig" = INT ]; then
      ints=$((ints + 1))
      read -r c n v <<<"$(count)"
      if [ $((c + n + v)) -ne 0 ]; then
        int_left=$((int_left + 1))
        log "run $i: SIGINT after $delay ms left $c containers, $n networks, $v volumes (exit $rc)"
      fi
      case " $exit_codes " in *" $rc "*) ;; *) exit_codes="$exit_codes $rc" ;; esac
    else
      kills=$((kills + 1))
    fi
  else
    wait "$pid" || true
    finished=$((finished + 1))
  fi
  # The next run starts over: a finished start is stopped, a killed one's
  # leftovers are what `start` must clear on its own (it is not stopped here).
  [ "$sig" = INT ] && bin/opslab stop "$LAB" >/dev/null 2>&1
  [ $((i % 10)) -eq 0 ] && log "$i/$N runs"
done
bin/opslab stop --all >/dev/null 2>&1
read -r c n v <<<"$(count)"
after_ok=no
if bin/opslab start "$LAB" >/dev/null 2>&1 && bin/opslab stop "$LAB" >/dev/null 2>&1; then after_ok=yes; fi
read -r c2 n2 v2 <<<"$(count)"

printf '\n%s: %s interrupted starts (a full start: %s ms)\n\n' "$LAB" "$N" "$full"
printf '| %-44s | %-10s |\n' measure value
printf '|%s|\n' "----------------------------------------------|------------"
printf '| %-44s | %10s |\n' "SIGINT during the start" "$ints" \
  "SIGKILL during the start" "$kills" \
  "finished before the signal" "$finished" \
  "SIGINT runs that left anything behind" "$int_left" \
  "exit codes after SIGINT" "${exit_codes# }" \
  "left after stop --all (containers/nets/vols)" "$c/$n/$v" \
  "next start and stop work" "$after_ok" \
  "left after that stop" "$c2/$n2/$v2"
[ $((c + n + v + c2 + n2 + v2 + int_left)) -eq 0 ] && [ "$after_ok" = yes ]
