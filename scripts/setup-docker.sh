#!/usr/bin/env bash
# setup-docker.sh: make sure a Docker engine answers and the labs' base image is
# on this machine. Does nothing when both are already there (Docker Desktop, a
# running docker.io); safe to run again. Exit 3 when it cannot fix things itself.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE="${OPSLAB_BASE_IMAGE:-debian:bookworm-slim}"
DOCKERD_LOG="${OPSLAB_DOCKERD_LOG:-/var/log/opslab-dockerd.log}"

log() { printf 'setup-docker: %s\n' "$*" >&2; }
die() { log "$*"; exit 3; }
docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }
is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

apt_install() {
  log "installing $* (apt-get)"
  if [ -z "${OPSLAB_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export OPSLAB_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

start_engine() {
  if docker_ok; then return 0; fi
  if ! is_root || ! is_debian_like; then
    die "no Docker engine answers. Install and start one, then run this again:
  - Debian/Ubuntu: sudo apt-get install -y docker.io && sudo systemctl start docker
    (and add yourself to the docker group: sudo usermod -aG docker \$USER, then log in again)
  - macOS/Windows: Docker Desktop (https://docs.docker.com/desktop/)
  - or run this script as root on Debian/Ubuntu: it installs and starts docker.io itself.
  If Docker runs elsewhere, point DOCKER_HOST at it."
  fi
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  # A booted systemd manages the engine; containers and CI machines have none.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    log "starting docker with systemctl"
    systemctl start docker
  else
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    nohup dockerd >"$DOCKERD_LOG" 2>&1 &
  fi
  for _ in $(seq 60); do
    docker_ok && { log "Docker engine is up"; return 0; }
    sleep 1
  done
  tail -n 20 "$DOCKERD_LOG" >&2 2>/dev/null || true
  die "dockerd did not answer within 60 s; see $DOCKERD_LOG"
}

ensure_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  log "base image $BASE_IMAGE is missing: trying docker pull"
  if timeout 120 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  log "cannot pull $BASE_IMAGE (no registry?): building it from Debian packages"
  if ! is_root; then
    die "building the base image needs root: run \`sudo $0\` (or \`sudo opslab images bootstrap\`)"
  fi
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  mkdir -p bin
  go build -o bin/opslab ./cmd/opslab
  OPSLAB_BASE_IMAGE="$BASE_IMAGE" bin/opslab images bootstrap
}

start_engine
ensure_base_image
log "ready: $(docker version --format 'engine {{.Server.Version}}' 2>/dev/null), base image $BASE_IMAGE"
