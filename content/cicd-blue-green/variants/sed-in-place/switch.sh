#!/bin/sh
# switch.sh blue|green|rollback: move the live color, without dropping a request.
# Edits the upstream in place and keeps the color it replaced in /var/tmp.
set -eu
conf=/etc/nginx/live/upstream.conf
prev=/var/tmp/switch-previous-color

live=$(grep -o '[a-z]*:8080' "$conf" | head -n 1 | cut -d: -f1)
want=${1:-}
[ "$want" = rollback ] && want=$(cat "$prev" 2>/dev/null || true)
case "$want" in
    blue|green) ;;
    *) echo "usage: switch.sh blue|green|rollback (and rollback needs an earlier switch)" >&2; exit 2 ;;
esac
if [ "$want" = "$live" ]; then echo "$want is live already"; exit 0; fi

# Health gate: curl retries a 503 or a refused connection by itself.
if ! curl -fsS --max-time 2 --retry 4 --retry-delay 0 --retry-connrefused -o /dev/null "http://$want:8080/healthz"; then
    echo "$want failed its health check: not switching, $live stays live" >&2
    exit 1
fi

sed -i "s/server [a-z]*:8080;/server $want:8080;/" "$conf"
if ! nginx -t 2>/dev/null; then
    sed -i "s/server [a-z]*:8080;/server $live:8080;/" "$conf"
    echo "nginx refused the change; $live stays live" >&2
    exit 1
fi
nginx -s reload
echo "$live" > "$prev"

# Done when the load balancer answers from the new color a few times in a row.
n=0
for _ in $(seq 40); do
    if curl -fs --max-time 1 http://127.0.0.1/ | grep -q "\"color\": \"$want\""; then
        n=$((n + 1)); [ $n -lt 4 ] || { echo "$want is live, $live is standing by"; exit 0; }
    else
        n=0
    fi
    sleep 0.1
done
echo "reloaded, but $want does not answer through the load balancer" >&2
exit 1
