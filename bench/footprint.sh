#!/usr/bin/env bash
# bench/footprint.sh [LAB...]: each lab's memory and disk on a learner's
# laptop (default: every lab). Starts the lab, applies the reference solution
# and grades it while `docker stats` samples all its nodes; prints the peak of
# their summed memory and the lab's image size (its images' own layers, plus
# the base image once). Budget: 1 GB per lab, 2 GB for a Kubernetes lab.
set -euo pipefail
cd "$(dirname "$0")/.."
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
export OPSLAB_SESSION="footprint-$$"
work=$(mktemp -d)
export OPSLAB_WORKSPACES="$work/ws" XDG_STATE_HOME="$work/state"
trap 'bin/opslab stop --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
log() { printf 'footprint: %s\n' "$*" >&2; }
go build -o bin/opslab ./cmd/opslab
LABS=("$@")
if [ ${#LABS[@]} -eq 0 ]; then
  while IFS= read -r d; do LABS+=("$(basename "$d")"); done < <(find content -mindepth 2 -maxdepth 2 -name lab.yaml -printf '%h\n' | sort)
fi
base_image="${OPSLAB_BASE_IMAGE:-debian:bookworm-slim}"
base=$(docker image inspect -f '{{.Size}}' "$base_image")

# sample_mem: summed memory (MiB) of this session's containers, now.
sample_mem() {
  local ids
  mapfile -t ids < <(docker ps -q --filter "label=opslab.session=$OPSLAB_SESSION")
  [ ${#ids[@]} -gt 0 ] || { echo 0; return; }
  # A node the grader recreates may be gone by now: stats of the rest count.
  { docker stats --no-stream --format '{{.MemUsage}}' "${ids[@]}" 2>/dev/null || true; } |
    awk '{ v = $1; u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v);
           f = (u == "GiB") ? 1024 : (u == "MiB") ? 1 : (u == "KiB") ? 1 / 1024 : 1 / 1048576; s += v * f }
         END { printf "%.0f", s }'
}
rows=()
for lab in "${LABS[@]}"; do
  log "$lab"
  if ! bin/opslab start "$lab" >"$work/start.log" 2>&1; then
    rows+=("$(printf '| %-20s | start failed: %s |' "$lab" "$(tail -1 "$work/start.log")")")
    continue
  fi
  nodes=$(docker ps -q --filter "label=opslab.session=$OPSLAB_SESSION" | wc -l)
  bin/opslab solve "$lab" >/dev/null 2>&1 || true
  peak=$(sample_mem)
  bin/opslab grade "$lab" >/dev/null 2>&1 & pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    m=$(sample_mem)
    [ "${m:-0}" -gt "$peak" ] && peak=$m
    sleep 1
  done
  wait "$pid" || true
  own=0
  for img in $(docker ps --filter "label=opslab.session=$OPSLAB_SESSION" --format '{{.Image}}' | sort -u); do
    own=$(( own + $(docker image inspect -f '{{.Size}}' "$img") - base ))
  done
  disk=$(( (own + base) / 1048576 ))
  budget=1024
  case $lab in k8s-*) budget=2048 ;; esac
  ok=yes
  [ "$peak" -le "$budget" ] || ok=no
  rows+=("$(printf '| %-20s | %5s | %8s | %8s | %6s | %-3s |' "$lab" "$nodes" "$peak" "$disk" "$budget" "$ok")")
  bin/opslab stop "$lab" >/dev/null 2>&1
done
printf '\npeak memory while grading the reference solution, image size (engine %s, %s)\n\n' "$(docker version --format '{{.Server.Version}}')" "$(uname -m)"
printf '| %-20s | %5s | %8s | %8s | %6s | %-3s |\n' lab nodes "peak MiB" "disk MiB" budget ok
printf '|%s|\n' "----------------------|-------|----------|----------|--------|-----"
printf '%s\n' "${rows[@]}" | sort -t'|' -k4,4nr
