#!/bin/sh
# Blue-green switch for the checkout lb. State lives in /etc/nginx/live/.state:
# "live" is the color the upstream names, "previous" the one before it.
set -eu

STATE=/etc/nginx/live/.state
UPSTREAM=/etc/nginx/live/upstream.conf
mkdir -p "$STATE"

fail() { printf 'switch.sh: %s\n' "$*" >&2; exit 1; }

healthy() {
    tries=0 good=0
    while [ $tries -lt 12 ]; do
        code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$1:8080/healthz" || true)
        if [ "$code" = 200 ]; then good=$((good + 1)); [ $good -ge 2 ] && return 0; else good=0; fi
        tries=$((tries + 1)); sleep 0.25
    done
    return 1
}

write_upstream() {
    printf '# The live color: switch.sh rewrites this file.\nupstream live {\n    server %s:8080;\n}\n' "$1" > "$UPSTREAM.tmp"
    mv "$UPSTREAM.tmp" "$UPSTREAM"
}

now=$(awk '/server/ { sub(":8080;", "", $2); print $2; exit }' "$UPSTREAM")
case "${1:-}" in
    rollback) [ -f "$STATE/previous" ] || fail "nothing to roll back to"; to=$(cat "$STATE/previous") ;;
    blue|green) to=$1 ;;
    *) fail "usage: switch.sh blue|green|rollback" ;;
esac
[ "$to" != "$now" ] || { echo "$to is already live"; exit 0; }
healthy "$to" || fail "$to is unhealthy; $now keeps serving"

write_upstream "$to"
if ! nginx -t -q 2>/dev/null; then
    write_upstream "$now"
    fail "nginx -t refused the new upstream; $now keeps serving"
fi
nginx -s reload
echo "$now" > "$STATE/previous"
echo "$to" > "$STATE/live"

for _ in $(seq 50); do
    curl -fs --max-time 1 http://localhost/ | grep -q "\"$to\"" && { echo "switched: $now -> $to"; exit 0; }
    sleep 0.1
done
fail "nginx reloaded, but $to does not answer"
