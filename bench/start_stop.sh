#!/usr/bin/env bash
# bench/start_stop.sh [N] [LAB...]: warm `opslab start`/`stop` of each lab
# (default lb-basics, 3 nodes, and inc-502, 5 nodes) against `docker compose
# up -d --wait`/`down` of the same images, env, mounts and readiness probes
# (a Compose file made from the running lab by bench/composegen), plus the
# latency of `status`, `list`, `show` and `lint`. N alternated runs (default
# 9; the side that goes first swaps every run), medians and spread in a table.
# The phases of opslab's starts (OPSLAB_TRACE=1) are printed as medians below.
# Needs a Docker engine (scripts/setup-docker.sh). Builds Docker Compose v2 from
# the Go module proxy into ~/.docker/cli-plugins when missing (once, ~90 s).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-9}"
shift || true
LABS=("$@")
[ ${#LABS[@]} -gt 0 ] || LABS=(lb-basics inc-502)
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
compose=(docker compose -p "$project" -f "$work/compose.yaml")
cleanup() {
  for lab in "${LABS[@]}"; do bin/opslab stop "$lab" >/dev/null 2>&1 || true; done
  [ -f "$work/compose.yaml" ] && "${compose[@]}" down -t 0 >/dev/null 2>&1
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
fastest() { printf '%s\n' "$@" | sort -n | head -1; }
slowest() { printf '%s\n' "$@" | sort -n | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { printf '| %-28s | %8s | %-32s | %8s | %6s | %-9s |\n' "$@"; }

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
go build -o "$work/composegen" ./bench/composegen

# bench_lab LAB: N alternated runs; fills the result arrays of the lab.
bench_lab() {
  local lab=$1 i
  log "$lab: first start (builds images if needed)"
  bin/opslab start "$lab" >/dev/null
  "$work/composegen" "$lab" "$OPSLAB_SESSION" > "$work/compose.yaml"
  log "$lab: images $(docker images --filter "label=opslab.lab=$lab" --format '{{.Repository}}:{{.Tag}}' | sort -u | tr '\n' ' ')"
  bin/opslab stop "$lab" >/dev/null
  log "$lab: checking the compose project once"
  "${compose[@]}" up -d --wait --wait-timeout 60 >/dev/null
  "${compose[@]}" down -t 0 >/dev/null 2>&1
  op_start=() op_nosetup=() op_stop=() op_status=() c_up=() c_down=()
  : > "$work/trace"
  for i in $(seq "$N"); do
    log "$lab: run $i/$N"
    if [ $((i % 2)) -eq 1 ]; then
      opslab_round "$lab"; compose_round
    else
      compose_round; opslab_round "$lab"
    fi
  done
}
opslab_round() {
  local t0
  t0=$(now_ms)
  OPSLAB_TRACE=1 bin/opslab start "$1" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  op_start+=($(( $(now_ms) - t0 )))
  grep '^trace: ' "$work/err" >> "$work/trace" || true
  # The same start without its setup steps, which Compose has no equivalent of.
  local setup
  setup=$(sed -n 's/^trace: setup  *\([0-9]*\) ms.*/\1/p' "$work/err")
  op_nosetup+=($(( ${op_start[-1]} - ${setup:-0} )))
  for _ in 1 2 3; do timed op_status bin/opslab status; done
  timed op_stop bin/opslab stop "$1"
}
compose_round() {
  timed c_up "${compose[@]}" up -d --wait
  timed c_down "${compose[@]}" down
}

# phase_medians: median ms of every traced phase of the lab's starts.
phase_medians() {
  awk '/^trace: / { sub(/^trace: /, ""); ms = $0; sub(/ ms.*/, "", ms); n = split(ms, f, " "); v = f[n];
        name = $0; sub(/ +[0-9]+ ms.*/, "", name); print name "\t" v }' "$work/trace" |
    sort -t $'\t' -k1,1 -k2,2n |
    awk -F'\t' '{ v[$1] = v[$1] " " $2; c[$1]++ } END { for (k in v) { split(substr(v[k], 2), a, " "); m = a[int((c[k] + 1) / 2)]; printf "  %-24s %6d ms\n", k, m } }' |
    sort -k1,1
}

engine=$(docker version --format '{{.Server.Version}}')
tables=() traces=()
for lab in "${LABS[@]}"; do
  bench_lab "$lab"
  nodes=$("${compose[@]}" config --services | wc -l)
  s=$(median "${op_start[@]}") ns=$(median "${op_nosetup[@]}") st=$(median "${op_stop[@]}") ss=$(median "${op_status[@]}")
  u=$(median "${c_up[@]}") d=$(median "${c_down[@]}")
  prefix=""
  [ "$lab" = "${LABS[0]}" ] || prefix="$lab "
  tables+=("$(
    row "${prefix}start (warm)" "$s" "docker compose up -d --wait" "$u" "$(ratio "$s" "$u")" "<= 1.0"
    row "${prefix}start (warm) fastest" "$(fastest "${op_start[@]}")" "fastest up" "$(fastest "${c_up[@]}")" "$(ratio "$(fastest "${op_start[@]}")" "$(fastest "${c_up[@]}")")" "-"
    row "${prefix}start (warm) slowest" "$(slowest "${op_start[@]}")" "slowest up" "$(slowest "${c_up[@]}")" "$(ratio "$(slowest "${op_start[@]}")" "$(slowest "${c_up[@]}")")" "-"
    row "${prefix}start (warm) minus setup" "$ns" "docker compose up -d --wait" "$u" "$(ratio "$ns" "$u")" "<= 1.0"
    row "${prefix}stop" "$st" "docker compose down" "$d" "$(ratio "$st" "$d")" "<= 1.0"
    row "${prefix}status" "$ss" "-" "-" "-" "<= 150 ms"
  )")
  traces+=("$lab ($nodes nodes), all runs (ms): start ${op_start[*]} | up ${c_up[*]} | stop ${op_stop[*]} | down ${c_down[*]}
opslab start phases, medians of $N runs (nodes start side by side; setup steps have no Compose equivalent):
$(phase_medians)")
done

# Commands that never touch Docker, on the whole catalog.
lat_list=() lat_show=() lat_lint=()
for _ in $(seq "$N"); do
  timed lat_list bin/opslab list
  timed lat_show bin/opslab show "${LABS[0]}"
  timed lat_lint bin/opslab lint
done

printf '\n%s alternated runs, median ms (engine %s, %s CPUs)\n\n' "$N" "$engine" "$(nproc)"
row operation "opslab" "compose equivalent" "compose" ratio target
printf '|%s|\n' "------------------------------|----------|----------------------------------|----------|--------|-----------"
for t in "${tables[@]}"; do printf '%s\n' "$t"; done
row "list" "$(median "${lat_list[@]}")" "-" "-" "-" "<= 150 ms"
row "show ${LABS[0]}" "$(median "${lat_show[@]}")" "-" "-" "-" "<= 150 ms"
row "lint (whole catalog)" "$(median "${lat_lint[@]}")" "-" "-" "-" "<= 1000 ms"
printf '\n'
for t in "${traces[@]}"; do printf '%s\n\n' "$t"; done
