#!/usr/bin/env python3
"""Step scaling with a cooldown, in Python.

Every 0.5 s: one worker more while the queue holds more than the pool's
share (depth > size x TARGET_PER_WORKER); once the queue has been empty for
SCALE_DOWN_AFTER seconds, one worker fewer per second down to the minimum.
Bounds: MIN_WORKERS..MAX_WORKERS.
"""
import subprocess
import time

import redis

env = {}
for line in open("/etc/opslab/pool.env"):
    line = line.strip()
    if line and not line.startswith("#") and "=" in line:
        k, v = line.split("=", 1)
        env[k] = v
lo, hi = int(env["MIN_WORKERS"]), int(env["MAX_WORKERS"])
per, cool = int(env["TARGET_PER_WORKER"]), float(env["SCALE_DOWN_AFTER"])
r = redis.Redis(host="127.0.0.1", decode_responses=True)


def scale(n):
    subprocess.run(["/usr/local/sbin/poolctl", "scale", str(n)], check=False)


size = lo
scale(size)
busy = last_down = time.monotonic()
while True:
    depth = r.llen(env["QUEUE"])
    now = time.monotonic()
    if depth > 0:
        busy = now
    if depth > size * per and size < hi:
        size += 1
        scale(size)
        print(f"depth {depth}: up to {size}", flush=True)
    elif size > lo and now - busy >= cool and now - last_down >= 1:
        size -= 1
        last_down = now
        scale(size)
        print(f"queue empty for {now - busy:.0f}s: down to {size}", flush=True)
    time.sleep(0.5)
