#!/usr/bin/env bash
# Chaos experiment: "checkout keeps working when an API it calls loses packets".
#
# Runs on the shop node (this folder is /workspace there). Its inputs - the
# grader passes new values every time it runs it:
#   TARGET       URL of the steady-state probe, e.g. http://inventory:PORT/stock?sku=1
#   LOSS_PCT     share of shop's packets to TARGET's host and port to drop (%)
#   DURATION     seconds the fault stays in, unless aborted or interrupted
#   ABORT_RATIO  abort when the share of successful probes during the fault
#                falls below this (judged from the 3rd probe on)
#   REPORT       path of the JSON report to write
# The contract (what, not how) is in README-WORKSPACE.md.
set -u
: "${TARGET:?}" "${LOSS_PCT:?}" "${DURATION:?}" "${ABORT_RATIO:?}" "${REPORT:?}"

# TODO 1: measure the steady state (success and latency of TARGET) before the fault.
# TODO 2: inject LOSS_PCT % packet loss toward TARGET's host and port only.
# TODO 3: probe during the fault for DURATION seconds; abort when ABORT_RATIO trips.
# TODO 4: roll back - always, also on Ctrl-C and kill - and write REPORT.

echo "experiment.sh: not written yet" >&2
exit 1
