#!/usr/bin/env bash
# bench/badfs.sh [LAB]: a start whose workspace cannot be written fails
# cleanly. Three cases on real mounts (needs root): a full disk (a tmpfs with
# no space left), a read-only folder where the workspace would be made, and an
# existing workspace on a read-only mount. Each must exit 3 with a message
# that says what to do, leave no container or network of the lab, and leave
# the workspace as it was (not created, or unchanged). Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB="${1:-lb-basics}"
[ "$(id -u)" = 0 ] || { echo "badfs: needs root to mount a full and a read-only file system" >&2; exit 2; }
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="badfs-$$"
work=$(mktemp -d)
export XDG_STATE_HOME="$work/state"
mounts=()
cleanup() {
  bin/opslab stop --all >/dev/null 2>&1 || true
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
go build -o bin/opslab ./cmd/opslab

# The full disk: a small tmpfs filled to the last block.
mkdir -p "$work/full"
mount -t tmpfs -o size=64k tmpfs "$work/full" && mounts+=("$work/full")
dd if=/dev/zero of="$work/full/filler" bs=4k 2>/dev/null || true
# The read-only folder: a bind mount of a folder that already holds a workspace.
mkdir -p "$work/ro-src/existing" "$work/ro"
echo "my notes" >"$work/ro-src/existing/notes.txt"
mount --bind "$work/ro-src" "$work/ro" && mounts+=("$work/ro")
mount -o remount,bind,ro "$work/ro"

# tree DIR: every path under DIR with its checksum, or "absent".
tree() {
  if [ -e "$1" ]; then (cd "$1" && find . -print0 | sort -z | xargs -0 -I{} sh -c 'printf "%s " "{}"; [ -f "{}" ] && sha256sum <"{}" || echo') ; else echo absent; fi
}
rows=()
fails=0
run_case() { # run_case NAME WORKSPACE WANT
  local name=$1 ws=$2 want=$3 before after rc=0 out left verdict=ok
  before=$(tree "$ws")
  out=$(bin/opslab --no-color start "$LAB" --workspace "$ws" 2>&1) || rc=$?
  after=$(tree "$ws")
  left=$(docker ps -aq --filter "label=opslab.session=$OPSLAB_SESSION" | wc -l)
  left=$((left + $(docker network ls -q --filter "label=opslab.session=$OPSLAB_SESSION" | wc -l)))
  [ "$rc" = 3 ] || verdict="exit $rc, want 3"
  grep -q -- "$want" <<<"$out" || verdict="message lacks \"$want\""
  [ "$before" = "$after" ] || verdict="workspace changed"
  [ "$left" = 0 ] || verdict="$left containers/networks left"
  [ "$verdict" = ok ] || fails=$((fails + 1))
  rows+=("$(printf '| %-34s | %4s | %-9s | %5s | %s |' "$name" "$rc" "$([ "$before" = "$after" ] && echo same || echo CHANGED)" "$left" "$verdict")")
  printf 'badfs: %s: %s\n' "$name" "$(grep -m1 -i 'cannot' <<<"$out" || echo "$out" | tail -1)" >&2
}
run_case "full disk, new workspace" "$work/full/ws" "no space left on device"
run_case "read-only folder, new workspace" "$work/ro/new" "read-only file system"
run_case "read-only existing workspace" "$work/ro/existing" "read-only file system"

printf '\n| %-34s | %4s | %-9s | %5s | %s |\n' case exit workspace left verdict
printf '|%s|\n' "------------------------------------|------|-----------|-------|--------"
printf '%s\n' "${rows[@]}"
[ "$fails" = 0 ]
