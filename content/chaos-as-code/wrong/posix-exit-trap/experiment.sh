#!/bin/sh
# The same experiment in POSIX sh, cleaning up with an EXIT trap only.
# dash does not run the EXIT trap when a signal kills it: Ctrl-C and kill
# leave the rule in.
set -u
hostport=$(printf '%s\n' "$TARGET" | sed -E 's#^[a-z]+://([^/?]+).*#\1#')
host=${hostport%%:*}
port=${hostport##*:}
ip=$(getent hosts "$host" | awk '{ print $1; exit }')
prob=$(awk -v p="$LOSS_PCT" 'BEGIN { printf "%.2f", p / 100 }')

injected=0
rollback() {
    if [ "$injected" = 1 ] && iptables -D OUTPUT -p tcp -d "$ip" --dport "$port" -m statistic --mode random --probability "$prob" -j DROP; then
        injected=0
    fi
}
trap rollback EXIT

probe() {
    curl -s -o /dev/null --max-time 1 -w '%{http_code} %{time_total}\n' "$TARGET" | awk '{ printf "%s %d\n", $1, $2 * 1000 }'
}

base=$(probe; probe; probe)
baseline_ms=$(echo "$base" | awk '{ print $2 }' | sort -n | sed -n 2p)

iptables -I OUTPUT -p tcp -d "$ip" --dport "$port" -m statistic --mode random --probability "$prob" -j DROP || exit 2
injected=1

aborted=false
n=0 ok=0
start=$(date +%s)
while [ $(( $(date +%s) - start )) -lt "$DURATION" ]; do
    code=$(probe | awk '{ print $1 }')
    n=$((n + 1))
    [ "$code" = 200 ] && ok=$((ok + 1))
    if [ "$n" -ge 3 ] && awk -v ok="$ok" -v n="$n" -v r="$ABORT_RATIO" 'BEGIN { exit !(ok / n < r) }'; then
        aborted=true
        break
    fi
    sleep 0.2
done

rollback
rb=$([ "$injected" = 0 ] && echo true || echo false)
ds=$(awk -v ok="$ok" -v n="$n" 'BEGIN { printf "%.2f", n ? ok / n : 0 }')
printf '{"target": "%s", "loss_pct": %s, "baseline_ms": %s, "baseline_success": 1, "during_success": %s, "aborted": %s, "rolled_back": %s}\n' \
    "$host" "$LOSS_PCT" "$baseline_ms" "$ds" "$aborted" "$rb" >"$REPORT"
cat "$REPORT"
[ "$aborted" = false ] || exit 3
