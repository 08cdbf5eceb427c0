#!/bin/bash
# Bash version of runbook.md, over ssh from the control node.
# Usage: ./deploy.sh VERSION BANNER   (select it in ./deploy)
set -euo pipefail
cd "$(dirname "$0")"
VERSION=${1:?usage: deploy.sh VERSION BANNER}
# shellcheck disable=SC2034  # BANNER is for the steps you write below
BANNER=${2:?usage: deploy.sh VERSION BANNER}
. ./target.env                     # APP and PORT of this environment

# The servers: the hosts of group [app] in inventory.ini.
HOSTS=$(awk '/^\[/ { on = ($0 == "[app]"); next } on && NF && $1 !~ /^[#;]/ { print $1 }' inventory.ini)

for host in $HOSTS; do
    echo "== $host: $APP $VERSION"
    # TODO: the runbook's steps 1 to 11 on $host, e.g.
    #   ssh "$host" bash -s -- "$APP" "$VERSION" < some-remote-script.sh
    # each step checking first, acting only when the state is not yet right.
    ssh "$host" true
done
