#!/usr/bin/env python3
"""Chaos experiment in Python: drop LOSS_PCT % of shop's packets to TARGET
(nftables), measure before/during, abort below ABORT_RATIO, always roll back."""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

env = os.environ
target, loss = env["TARGET"], int(env["LOSS_PCT"])
duration, abort_ratio, report = float(env["DURATION"]), float(env["ABORT_RATIO"]), env["REPORT"]
u = urllib.parse.urlsplit(target)
host, port = u.hostname, u.port or 80
ip = socket.gethostbyname(host)
TABLE = "chaos_py"
injected = False


def rollback():
    global injected
    if injected and subprocess.run(["nft", "delete", "table", "ip", TABLE]).returncode == 0:
        injected = False
        print("rolled back", file=sys.stderr)


def on_signal(signum, _frame):
    rollback()
    sys.exit(128 + signum)


signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGTERM, on_signal)


def probe():
    """One request on a fresh connection, 1 s at most: (ok, ms)."""
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(target, timeout=1) as r:
            r.read()
            ok = r.status == 200
    except Exception:
        ok = False
    ms = (time.monotonic() - t0) * 1000
    return ok and ms <= 1000, ms


try:
    base = [probe() for _ in range(3)]
    if not all(ok for ok, _ in base):
        sys.exit("steady state does not hold before the experiment")
    # numgen yields 0..99: "< 100" is refused, and 100 % needs no chance at all.
    chance = f"numgen random mod 100 < {loss}" if loss < 100 else ""
    rules = (f"add table ip {TABLE}\n"
             f"add chain ip {TABLE} out {{ type filter hook output priority 0; policy accept; }}\n"
             f"add rule ip {TABLE} out ip daddr {ip} tcp dport {port} {chance} drop\n")
    subprocess.run(["nft", "-f", "-"], input=rules.encode(), check=True)
    injected = True
    n = ok = 0
    aborted = False
    end = time.monotonic() + duration
    while time.monotonic() < end:
        good, _ = probe()
        n += 1
        ok += good
        if n >= 3 and ok / n < abort_ratio:
            aborted = True
            break
        time.sleep(0.2)
finally:
    rollback()

doc = {"target": host, "loss_pct": loss,
       "baseline_ms": round(statistics.median(ms for _, ms in base)),
       "baseline_success": 1, "during_success": round(ok / n, 2) if n else 0,
       "aborted": aborted, "rolled_back": not injected}
with open(report, "w") as f:
    json.dump(doc, f)
print(json.dumps(doc))
sys.exit(3 if aborted else 0)
