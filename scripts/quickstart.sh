#!/usr/bin/env bash
# quickstart.sh LAB: set up Docker (and the base image) if needed, build opslab,
# start LAB and print what to do next. Re-running it is safe.
set -euo pipefail
cd "$(dirname "$0")/.."
lab="${1:-lb-basics}"

export TESTCONTAINERS_RYUK_DISABLED=true
# See scripts/test.sh: only needed when this runs inside a container.
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi

./scripts/setup-docker.sh
mkdir -p bin
go build -o bin/opslab ./cmd/opslab
echo "built $(pwd)/bin/opslab (put it on your PATH: export PATH=\"$(pwd)/bin:\$PATH\")" >&2
bin/opslab start "$lab"
