#!/usr/bin/env bash
# bench/worksafe.sh [N] [LAB]: the learner's work is never lost. N cycles
# (default 100, lb-basics) of: edit the workspace (a new file, a changed lab
# file), take the sha256 of every file, then one of `reset`, `stop` + `start`,
# `solve`. After reset and stop+start the workspace must be exactly as it was;
# after solve, every file but the solution's own; every backup must be exactly
# the workspace before the command, and stay so while it is kept. The
# workspace path has spaces and non-ASCII letters. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100}"
LAB="${2:-lb-basics}"
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="worksafe-$$"
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/my wörk späce"
export XDG_STATE_HOME="$work/state"
ws="$OPSLAB_WORKSPACES/$LAB"
trap 'bin/opslab stop "$LAB" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
log() { printf 'worksafe: %s\n' "$*" >&2; }
# sums DIR [EXCLUDE...]: "sha256  path" of every file under DIR, sorted.
sums() {
  local dir=$1
  shift
  (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum) |
    { if [ $# -gt 0 ]; then grep -v -F "$(printf '%s\n' "$@")"; else cat; fi; } || true
}
solution_files=()
while IFS= read -r f; do solution_files+=("./$f"); done < <(cd "content/$LAB/solution" && find . -type f | sed 's|^\./||')

go build -o bin/opslab ./cmd/opslab
bin/opslab start "$LAB" >/dev/null 2>&1
declare -A backup_sum=()
lost=0 changed_backups=0 resets=0 restarts=0 solves=0
for i in $(seq "$N"); do
  mkdir -p "$ws/notes"
  head -c 300 /dev/urandom | base64 > "$ws/notes/cycle $i ü.txt"
  printf '# cycle %s\n' "$i" >> "$ws/README-WORKSPACE.md"
  before=$(sums "$ws")
  before_but_solution=$(sums "$ws" "${solution_files[@]}")
  case $((i % 3)) in
    0) resets=$((resets + 1))
       out=$(bin/opslab reset "$LAB" 2>&1)
       after=$(sums "$ws") ;;
    1) restarts=$((restarts + 1))
       bin/opslab stop "$LAB" >/dev/null 2>&1
       out=$(bin/opslab start "$LAB" 2>&1)
       after=$(sums "$ws") ;;
    2) solves=$((solves + 1))
       out=$(bin/opslab solve "$LAB" 2>&1)
       before=$before_but_solution  # the solution's files are meant to change
       after=$(sums "$ws" "${solution_files[@]}") ;;
  esac
  if [ "$before" != "$after" ]; then
    lost=$((lost + 1))
    log "cycle $i: the workspace changed: $(diff <(echo "$before") <(echo "$after") | head -5)"
  fi
  backup=$(printf '%s\n' "$out" | sed -n 's/.*backed up to \(.*\)$/\1/p' | head -1)
  if [ -n "$backup" ]; then
    backup_sum["$backup"]=$(sums "$backup" "${solution_files[@]}" | sha256sum)
  fi
  [ $((i % 10)) -eq 0 ] && log "$i/$N cycles"
done
kept=0
for b in "${!backup_sum[@]}"; do
  [ -d "$b" ] || continue
  kept=$((kept + 1))
  if [ "$(sums "$b" "${solution_files[@]}" | sha256sum)" != "${backup_sum[$b]}" ]; then
    changed_backups=$((changed_backups + 1))
    log "backup $b changed"
  fi
done
on_disk=$(find "$XDG_STATE_HOME/opslab/backups" -mindepth 1 -maxdepth 1 -type d | wc -l)

printf '\n%s: %s cycles, workspace "%s"\n\n' "$LAB" "$N" "$ws"
printf '| %-44s | %-8s |\n' measure value
printf '|%s|\n' "----------------------------------------------|----------"
printf '| %-44s | %8s |\n' "reset / stop+start / solve cycles" "$resets/$restarts/$solves" \
  "cycles that lost or changed a learner's file" "$lost" \
  "backups made" "${#backup_sum[@]}" \
  "backups on disk (bounded)" "$on_disk" \
  "kept backups that differ from the workspace" "$changed_backups"
[ "$lost" -eq 0 ] && [ "$changed_backups" -eq 0 ] && [ "$on_disk" -le 20 ] && [ "$kept" -eq "$on_disk" ]
