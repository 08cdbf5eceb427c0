#!/usr/bin/env bash
# bench/proof_cpu.sh [opslab test args...]: where a proof's CPU goes. Runs
# `opslab test ARGS` (default: log-find-it) with the kernel's process
# accounting on, then prints the machine's busy, system and idle time over the
# run and a table of the commands that used the most CPU (processes that
# ended during the run: everything a lab's containers, the engine's runc and
# shims and the grader's execs start). The CI budget is CPU-bound on 2 cores:
# this says which tools and labs to make cheaper. Needs root and Debian's
# `acct` package (installed when missing).
#
#   bench/proof_cpu.sh --parallel 4 iac-ansible-web mon-slo
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "proof_cpu: needs root (process accounting)" >&2; exit 2; }
[ $# -gt 0 ] || set -- log-find-it
command -v accton >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq acct >/dev/null; }
export TESTCONTAINERS_RYUK_DISABLED=true
if [ -f /.dockerenv ] && [ -z "${TESTCONTAINERS_HOST_OVERRIDE:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
fi
work=$(mktemp -d)
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  accton off >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/opslab" ./cmd/opslab

ticks() { awk '/^cpu /{ print $2+$3, $4, $5+$6, $7+$8+$9 }' /proc/stat; } # user system idle irq
touch "$work/pacct"
read -r u0 s0 i0 q0 < <(ticks)
t0=$(date +%s)
accton "$work/pacct" >/dev/null
rc=0
"$work/opslab" --no-color --content ./content test "$@" >"$work/test.log" 2>&1 || rc=$?
accton off >/dev/null
t1=$(date +%s)
read -r u1 s1 i1 q1 < <(ticks)
tail -n 3 "$work/test.log"

hz=$(getconf CLK_TCK)
awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v i=$((i1 - i0)) -v q=$((q1 - q0)) -v hz="$hz" -v wall=$((t1 - t0)) 'BEGIN {
  t = u + s + i + q
  printf "\n%d s of wall time, %.0f CPU-seconds: user %.0f%%, system %.0f%%, idle %.0f%%\n", wall, t / hz, 100 * u / t, 100 * s / t, 100 * i / t
  busy = (u + s + q) / hz
  print busy > "/dev/stderr"
}' 2>"$work/busy"
# sa: a totals line, then one line per command; its cp column is CPU minutes.
printf '\n%-22s %8s %10s %8s\n' COMMAND PROCESSES "CPU (s)" "% BUSY"
sa -a "$work/pacct" | awk -v busy="$(cat "$work/busy")" 'NR > 1 {
  n = $1; cpu = $3; sub(/cp$/, "", cpu); cmd = $NF
  printf "%-22s %8d %10.1f %7.1f%%\n", cmd, n, cpu * 60, 100 * cpu * 60 / busy
}' | sort -k3 -rn | head -n 25
echo "(ended processes only: dockerd, containerd and the test binary itself are not in the table)"
exit "$rc"
