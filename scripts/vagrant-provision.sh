#!/usr/bin/env bash
# vagrant-provision.sh: turns a Debian 12 VM into a machine that runs labs:
# Docker engine, Go (new enough for go.mod), opslab from /vagrant, base image.
# Runs as root; safe to re-run (`vagrant provision`).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SRC="${OPSLAB_SRC:-/vagrant}"
USER_NAME="${OPSLAB_USER:-vagrant}"
GO_DIR=/usr/local/go

log() { printf 'provision: %s\n' "$*" >&2; }

apt-get update -qq
apt-get install -y -qq docker.io debootstrap git ca-certificates curl >/dev/null
systemctl enable --now docker
usermod -aG docker "$USER_NAME"

# go.mod needs a newer Go than Debian 12 ships (golang-go 1.19). Realistic path:
# Go from bookworm-backports (>= 1.21, which knows GOTOOLCHAIN) downloads the exact
# toolchain go.mod names from the Go module proxy; we keep it as /usr/local/go.
want=$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$SRC/go.mod")
if [ ! -x "$GO_DIR/bin/go" ] || [ "$("$GO_DIR/bin/go" env GOVERSION)" != "go$want" ]; then
  log "installing Go $want"
  echo "deb http://deb.debian.org/debian bookworm-backports main" >/etc/apt/sources.list.d/bookworm-backports.list
  apt-get update -qq
  apt-get install -y -qq -t bookworm-backports golang-go >/dev/null
  goroot=$(GOTOOLCHAIN="go$want" /usr/bin/go env GOROOT)
  rm -rf "$GO_DIR"
  cp -a "$goroot" "$GO_DIR"
fi
ln -sf "$GO_DIR/bin/go" /usr/local/bin/go

log "building opslab from $SRC"
(cd "$SRC" && GOFLAGS=-buildvcs=false "$GO_DIR/bin/go" build -o /usr/local/bin/opslab ./cmd/opslab)

base="${OPSLAB_BASE_IMAGE:-debian:bookworm-slim}"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  docker pull -q "$base" >/dev/null 2>&1 || opslab images bootstrap
fi
log "ready: vagrant ssh, then: opslab list && opslab start lb-basics"
