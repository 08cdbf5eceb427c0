#!/bin/bash
# runbook.md in bash: the control node streams remote.sh to each server over
# ssh; every step there tests the state first and acts only when it is wrong.
# Usage: ./deploy.sh VERSION BANNER
set -euo pipefail
cd "$(dirname "$0")"
VERSION=${1:?usage: deploy.sh VERSION BANNER}
BANNER=${2:?usage: deploy.sh VERSION BANNER}
. ./target.env

HOSTS=$(awk '/^\[/ { on = ($0 == "[app]"); next } on && NF && $1 !~ /^[#;]/ { print $1 }' inventory.ini)
INIT=$(base64 -w0 files/app.init)

rc=0
for host in $HOSTS; do
    echo "== $host: $APP $VERSION"
    if ! ssh "$host" bash -s -- "$APP" "$PORT" "$VERSION" "$BANNER" "$INIT" < remote.sh; then
        echo "!! $host: deploy failed" >&2
        rc=1
    fi
done
exit $rc
