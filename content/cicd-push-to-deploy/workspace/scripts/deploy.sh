#!/bin/sh
# Deploy a release to staging: scripts/deploy.sh dist/app.pyz
#
# What the ops team did by hand until now: copy the artifact to staging as a
# new release, point /srv/app/current.pyz at it, restart the app.
# On staging: `app-ctl status` lists the releases, `app-ctl log` shows the app's log.
set -eu
ARTIFACT=${1:?usage: scripts/deploy.sh dist/app.pyz}
TARGET=${DEPLOY_TARGET:-root@staging}
RELEASE=$(date +%Y%m%d%H%M%S)-${GITHUB_SHA:-manual}

echo "deploy: uploading release $RELEASE to $TARGET"
scp -q "$ARTIFACT" "$TARGET:/srv/app/releases/$RELEASE.pyz"

echo "deploy: switching staging to $RELEASE"
ssh "$TARGET" "ln -sfn /srv/app/releases/$RELEASE.pyz /srv/app/current.pyz && app-ctl restart"

echo "deploy: done"
