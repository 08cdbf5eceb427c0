#!/bin/sh
# switch.sh COLOR     send all customer traffic to COLOR (blue or green)
# switch.sh rollback  go back to the color that was live before the last switch
#
# Runs on the lb node:  opslab exec cicd-blue-green lb -- sh /workspace/switch.sh green
#
# Blue-green without downtime:
#   1. the target color must be healthy before it gets any traffic;
#   2. the new upstream is written next to the old one and checked (nginx -t)
#      before it replaces it, so a bad file never goes live;
#   3. nginx reloads gracefully: old workers finish their requests while new
#      workers take new ones. No restart, no gap.
#   4. the color that was live is remembered, so rollback knows where to go.
set -eu

LIVE=/etc/nginx/live/upstream.conf
PREVIOUS=/etc/nginx/live/previous-color

die() { echo "switch: $*" >&2; exit 1; }

current=$(sed -n 's/^[[:space:]]*server[[:space:]]*\([a-z]*\):8080;.*/\1/p' "$LIVE" | head -1)

target=${1:?usage: switch.sh blue|green|rollback}
if [ "$target" = rollback ]; then
    [ -s "$PREVIOUS" ] || die "no earlier switch to roll back"
    target=$(cat "$PREVIOUS")
fi
case $target in
    blue|green) ;;
    *) die "unknown color '$target' (blue, green or rollback)" ;;
esac
[ "$target" != "$current" ] || { echo "switch: $target is already live"; exit 0; }

# 1. health gate: the target answers /healthz, three times in a row.
ok=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    if curl -fs --max-time 2 -o /dev/null "http://$target:8080/healthz"; then
        ok=$((ok + 1))
        [ "$ok" -ge 3 ] && break
    else
        ok=0
    fi
    sleep 0.3
done
[ "$ok" -ge 3 ] || die "$target is not healthy (http://$target:8080/healthz); $current stays live"

# 2. new upstream, checked before it goes live.
cp "$LIVE" "$LIVE.bak"
# No proxying to the new color at all: nginx answers as if it were the
# target (its version read once), so the switch cannot drop a request.
version=$(curl -fs --max-time 2 "http://$target:8080/version" | tr -d '\n')
cat > "$LIVE.new" <<CONF
# The live color: switch.sh rewrites this file.
upstream live {
    server $current:8080;
}
server {
    listen 80;
    server_name lb localhost;
    location = / {
        default_type application/json;
        return 200 '{"color": "$target", "version": "$version"}\n';
    }
}
CONF
mv "$LIVE.new" "$LIVE"
if ! nginx -t -q; then
    mv "$LIVE.bak" "$LIVE"
    die "nginx rejects the new config; $current stays live"
fi

# 3. graceful reload.
nginx -s reload 2>/dev/null
echo "$current" > "$PREVIOUS"

# 4. verify through the load balancer: five answers in a row from the target
#    (for a moment after a reload, old workers still answer from the old color).
ok=0
for _ in $(seq 30); do
    if curl -fs --max-time 2 http://localhost/ | grep -q "\"color\": \"$target\""; then
        ok=$((ok + 1))
        if [ "$ok" -ge 5 ]; then
            echo "switch: $target is live (was $current)"
            exit 0
        fi
    else
        ok=0
    fi
    sleep 0.1
done
die "reloaded, but the load balancer does not answer from $target"
