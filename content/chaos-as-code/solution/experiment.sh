#!/usr/bin/env bash
# Chaos experiment: "checkout keeps working when an API it calls loses packets".
# Drops LOSS_PCT % of shop's packets to TARGET's host and port (iptables
# statistic match), measures the steady state before and during, aborts when
# the success ratio falls below ABORT_RATIO, and always removes its rule:
# at the end, on abort, on Ctrl-C and on kill.
set -u
: "${TARGET:?TARGET (URL of the steady-state probe) is not set}"
: "${LOSS_PCT:?}" "${DURATION:?}" "${ABORT_RATIO:?}" "${REPORT:?}"

hostport=$(printf '%s\n' "$TARGET" | sed -E 's#^[a-z]+://([^/?]+).*#\1#')
host=${hostport%%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=80
ip=$(getent hosts "$host" | awk '{ print $1; exit }')
[ -n "$ip" ] || { echo "cannot resolve $host" >&2; exit 2; }
prob=$(awk -v p="$LOSS_PCT" 'BEGIN { printf "%.2f", p / 100 }')
rule=(OUTPUT -p tcp -d "$ip" --dport "$port" -m statistic --mode random --probability "$prob" -j DROP)

injected=0
rollback() {
    if [ "$injected" = 1 ] && iptables -D "${rule[@]}"; then
        injected=0
        echo "rolled back: rule removed" >&2
    fi
}
trap rollback EXIT
trap 'rollback; exit 130' INT
trap 'rollback; exit 143' TERM

# One request on a fresh connection, 1 s at most: "<http code> <milliseconds>".
probe() {
    curl -s -o /dev/null --max-time 1 -w '%{http_code} %{time_total}\n' "$TARGET" |
        awk '{ printf "%s %d\n", $1, $2 * 1000 }'
}

# 1. Steady state before.
base=$(for _ in 1 2 3; do probe; done)
baseline_ms=$(awk '{ print $2 }' <<<"$base" | sort -n | sed -n 2p)
base_ok=$(awk '$1 == 200 { n++ } END { print n + 0 }' <<<"$base")
if [ "$base_ok" != 3 ]; then
    echo "steady state does not hold before the experiment: $base" >&2
    exit 2
fi

# 2. Inject.
iptables -I "${rule[@]}" || exit 2
injected=1
echo "dropping ${LOSS_PCT}% of packets to $host ($ip:$port)" >&2

# 3. Measure during; abort when the success ratio falls below ABORT_RATIO.
aborted=false
n=0 ok=0
end=$((SECONDS + DURATION))
while [ "$SECONDS" -lt "$end" ]; do
    read -r code _ <<<"$(probe)"
    n=$((n + 1))
    [ "$code" = 200 ] && ok=$((ok + 1))
    if [ "$n" -ge 3 ] && awk -v ok="$ok" -v n="$n" -v r="$ABORT_RATIO" 'BEGIN { exit !(ok / n < r) }'; then
        echo "abort: $ok/$n probes succeeded, below $ABORT_RATIO" >&2
        aborted=true
        break
    fi
    sleep 0.2
done

# 4. Roll back, then write what happened.
rollback
rolled_back=$([ "$injected" = 0 ] && echo true || echo false)
jq -n --arg target "$host" --argjson loss "$LOSS_PCT" --argjson bms "$baseline_ms" \
    --argjson bs 1 --argjson ds "$(awk -v ok="$ok" -v n="$n" 'BEGIN { printf "%.2f", n ? ok / n : 0 }')" \
    --argjson aborted "$aborted" --argjson rb "$rolled_back" \
    '{target: $target, loss_pct: $loss, baseline_ms: $bms, baseline_success: $bs, during_success: $ds, aborted: $aborted, rolled_back: $rb}' >"$REPORT"
cat "$REPORT"
[ "$aborted" = false ] || exit 3
