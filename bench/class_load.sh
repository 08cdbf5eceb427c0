#!/usr/bin/env bash
# bench/class_load.sh [LEARNERS] [SECONDS]: the class server under a class's
# load, on loopback. Starts `opslab class serve` on a fresh database, then
# bench/classload: LEARNERS (default 300) simulated learners each report a
# grade every 2 s for SECONDS (default 60) while 5 dashboards hold their live
# streams open. Prints report latency p50/p99, events lost (must be 0), and
# the server's peak RSS and CPU. Target: p99 < 50 ms, 0 lost.
set -euo pipefail
cd "$(dirname "$0")/.."
learners=${1:-300}
seconds=${2:-60}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -INT "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/opslab" ./cmd/opslab
go build -o "$work/classload" ./bench/classload
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/opslab" class serve --addr "127.0.0.1:$port" --db "$work/class.db" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 50); do
  [ -s "$work/instructor.token" ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/login" 2>/dev/null && break
  sleep 0.1
done
token=$(cat "$work/instructor.token")
clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
t0=$(date +%s.%N)
c0=$(cpu_ticks)
"$work/classload" -server "http://127.0.0.1:$port" -token "$token" -learners "$learners" -every 2s -for "${seconds}s" -dashboards 5
c1=$(cpu_ticks)
t1=$(date +%s.%N)
rss_kib=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")
hwm_kib=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")
awk -v c0="$c0" -v c1="$c1" -v hz="$clk" -v t0="$t0" -v t1="$t1" -v rss="$rss_kib" -v hwm="$hwm_kib" -v db="$(du -k "$work/class.db" | cut -f1)" 'BEGIN {
  cpu = (c1 - c0) / hz; wall = t1 - t0
  printf "server: CPU %.1f s over %.1f s (%.0f%% of one core), RSS %.0f MiB now, peak %.0f MiB; database %d KiB\n", cpu, wall, 100 * cpu / wall, rss / 1024, hwm / 1024, db
}'
