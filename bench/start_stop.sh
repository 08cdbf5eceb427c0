#!/usr/bin/env bash
# bench/start_stop.sh [N]: warm `opslab start`/`stop` of lb-basics against
# `docker compose up -d --wait`/`down` of the same images (bench/compose.yaml),
# and `opslab status`; medians of N runs (default 5), printed as a table.
# Needs a Docker engine (scripts/setup-docker.sh). Builds Docker Compose v2 from
# the Go module proxy into ~/.docker/cli-plugins when missing (once, ~90 s).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-5}"
LAB=lb-basics
COMPOSE_VERSION=v2.40.3

export TESTCONTAINERS_RYUK_DISABLED=true
# See scripts/test.sh: only needed when this runs inside a container.
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="bench-$$"
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/ws"
project="opslab-bench-$$"
cleanup() {
  bin/opslab stop "$LAB" >/dev/null 2>&1 || true
  docker compose -p "$project" -f bench/compose.yaml down -t 0 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf 'bench: %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
# timed VAR CMD...: run CMD quietly, append its wall time in ms to array VAR.
timed() {
  local -n acc=$1
  shift
  local t0
  t0=$(now_ms)
  "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  acc+=($(( $(now_ms) - t0 )))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ensure_compose() {
  # `docker compose` (a CLI plugin) is always v2; Debian's docker-compose v1 has no --wait.
  if docker compose version >/dev/null 2>&1; then return 0; fi
  local plugin="$HOME/.docker/cli-plugins/docker-compose" dir
  log "building Docker Compose $COMPOSE_VERSION into $plugin (once)"
  dir=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$(dirname "$plugin")"
  # go install refuses this module (exclude directives); build in the module cache.
  (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$plugin" ./cmd)
  docker compose version >&2
}

ensure_compose
mkdir -p bin
go build -o bin/opslab ./cmd/opslab

log "first start of $LAB (builds images if needed)"
bin/opslab start "$LAB" >/dev/null
# The compose project runs exactly the images, env and workspace of the lab.
image_of() { docker ps --filter "label=opslab.session=$OPSLAB_SESSION" --filter "label=opslab.lab=$LAB" \
  --filter "label=opslab.node=$1" --format '{{.Image}}'; }
LB_IMAGE=$(image_of lb) APP_IMAGE=$(image_of app1) CLIENT_IMAGE=$(image_of client)
APP_PORT=$(bin/opslab exec "$LAB" app1 -- printenv APP_PORT)
WORKSPACE="$OPSLAB_WORKSPACES/$LAB"
export LB_IMAGE APP_IMAGE CLIENT_IMAGE APP_PORT WORKSPACE
log "images: $(docker images --filter "label=opslab.lab=$LAB" --format '{{.Repository}}:{{.Tag}}' | sort -u | tr '\n' ' ')"
bin/opslab stop "$LAB" >/dev/null
compose=(docker compose -p "$project" -f bench/compose.yaml)
log "checking the compose project once"
"${compose[@]}" up -d --wait --wait-timeout 60 >/dev/null
"${compose[@]}" down -t 0 >/dev/null 2>&1

op_start=() op_stop=() op_status=() c_up=() c_down=()
for i in $(seq "$N"); do
  log "run $i/$N"
  timed op_start bin/opslab start "$LAB"
  for _ in 1 2 3; do timed op_status bin/opslab status; done
  timed op_stop bin/opslab stop "$LAB"
  timed c_up "${compose[@]}" up -d --wait
  timed c_down "${compose[@]}" down
done

s=$(median "${op_start[@]}") st=$(median "${op_stop[@]}") ss=$(median "${op_status[@]}")
u=$(median "${c_up[@]}") d=$(median "${c_down[@]}")
printf '\n%s, %s runs, median ms (engine %s, %s CPUs)\n\n' "$LAB" "$N" "$(docker version --format '{{.Server.Version}}')" "$(nproc)"
printf '| %-22s | %-8s | %-32s | %-8s | %-6s | %-9s |\n' operation "opslab" "compose equivalent" "compose" ratio target
printf '|%s|\n' "------------------------|----------|----------------------------------|----------|--------|-----------"
printf '| %-22s | %8s | %-32s | %8s | %6s | %-9s |\n' "start (warm)" "$s" "docker compose up -d --wait" "$u" "$(ratio "$s" "$u")" "<= 1.2"
printf '| %-22s | %8s | %-32s | %8s | %6s | %-9s |\n' "stop" "$st" "docker compose down" "$d" "$(ratio "$st" "$d")" "<= 1.0"
printf '| %-22s | %8s | %-32s | %8s | %6s | %-9s |\n' "status" "$ss" "-" "-" "-" "<= 150 ms"
printf '\nall runs (ms): start %s | stop %s | up %s | down %s | status %s\n' \
  "${op_start[*]}" "${op_stop[*]}" "${c_up[*]}" "${c_down[*]}" "${op_status[*]}"
