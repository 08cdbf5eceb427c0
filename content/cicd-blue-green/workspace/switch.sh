#!/bin/sh
# switch.sh COLOR     send all customer traffic to COLOR (blue or green)
# switch.sh rollback  go back to the color that was live before the last switch
#
# Runs on the lb node:  opslab exec cicd-blue-green lb -- sh /workspace/switch.sh green
#
# This is what we did by hand last release night. It works... mostly.
set -eu

color=${1:?usage: switch.sh blue|green|rollback}

cat > /etc/nginx/live/upstream.conf <<CONF
# The live color: switch.sh rewrites this file.
upstream live {
    server $color:8080;
}
CONF

# Restart the load balancer so it picks up the new color.
nginx -s stop
sleep 1
nginx

echo "switch: $color is live"
