#!/usr/bin/env python3
"""Stuck-worker watchdog: restart the worker when its heartbeat goes stale.

Reads the rotation's values from /etc/opslab/runbook.env, checks twice a
second, and restarts only after two stale readings in a row; a worker
process that has gone away entirely is started again.
"""
import os
import subprocess
import time

env = {}
with open("/etc/opslab/runbook.env") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            env[k] = v

heartbeat, pidfile = env["HEARTBEAT"], env["PIDFILE"]
stale_after = float(env["STALE_AFTER"])


def alive():
    try:
        os.kill(int(open(pidfile).read().strip()), 0)
        return True
    except (OSError, ValueError):
        return False


def age():
    try:
        return time.time() - os.stat(heartbeat).st_mtime
    except OSError:
        return float("inf")


strikes = 0
print(f"heal.py: watching {env['SERVICE']}, stale after {stale_after}s", flush=True)
while True:
    a = age()
    strikes = strikes + 1 if (a > stale_after or not alive()) else 0
    if strikes >= 2:
        print(f"heal.py: heartbeat {a:.1f}s old: restarting", flush=True)
        subprocess.run(["/usr/local/sbin/workerctl", "restart"], check=False)
        strikes = 0
    time.sleep(0.5)
