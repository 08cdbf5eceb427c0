#!/bin/sh
# Deploy a release to staging: scripts/deploy.sh dist/app.pyz
#
# Copies the artifact to staging as a new release, points /srv/app/current.pyz
# at it and restarts the app. Then the health gate: the new release must answer
# /healthz within HEALTH_TIMEOUT seconds, else staging goes back to the release
# it ran before and the deploy fails (exit 1), so the pipeline goes red.
set -eu
ARTIFACT=${1:?usage: scripts/deploy.sh dist/app.pyz}
TARGET=${DEPLOY_TARGET:-root@staging}
HEALTH_URL=${HEALTH_URL:-http://staging:8080/healthz}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-5}
RELEASE=$(date +%Y%m%d%H%M%S)-${GITHUB_SHA:-manual}

echo "deploy: uploading release $RELEASE to $TARGET"
scp -q "$ARTIFACT" "$TARGET:/srv/app/releases/$RELEASE.pyz"

PREVIOUS=$(ssh "$TARGET" "readlink /srv/app/current.pyz || true")
echo "deploy: switching staging from ${PREVIOUS:-nothing} to $RELEASE"
ssh "$TARGET" "ln -sfn /srv/app/releases/$RELEASE.pyz /srv/app/current.pyz && app-ctl restart"

healthy() {
    i=0
    while [ "$i" -lt $((HEALTH_TIMEOUT * 2)) ]; do
        if curl -fs --max-time 2 -o /dev/null "$HEALTH_URL"; then
            return 0
        fi
        sleep 0.5
        i=$((i + 1))
    done
    return 1
}

if healthy; then
    echo "deploy: $RELEASE is healthy"
    exit 0
fi

echo "deploy: $RELEASE failed its health check ($HEALTH_URL), rolling back" >&2
ssh "$TARGET" "tail -n 5 /var/log/app.log" >&2 || true
if [ -n "$PREVIOUS" ]; then
    ssh "$TARGET" "ln -sfn $PREVIOUS /srv/app/current.pyz && app-ctl restart"
    if healthy; then
        echo "deploy: rolled back to $PREVIOUS" >&2
    else
        echo "deploy: rolled back to $PREVIOUS, and it is not healthy either!" >&2
    fi
fi
exit 1
