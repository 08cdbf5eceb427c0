"""The queue worker: takes jobs from a redis list, one at a time.

A job is "ID" or "ID:SECONDS" (how long it takes). While it works or waits it
touches its heartbeat file every half second. Every job done is logged with
the worker's pid and added to the set done:SERVICE.
"""
import os, signal, sys, time
import redis

SERVICE, QUEUE = os.environ["SERVICE"], os.environ["QUEUE"]
HEARTBEAT, PIDFILE = os.environ["HEARTBEAT"], os.environ["PIDFILE"]
stuck = False


def log(msg):
    print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), f"{SERVICE}[{os.getpid()}]", msg, flush=True)


def beat():
    with open(HEARTBEAT, "a"):
        os.utime(HEARTBEAT)


def wedge(signum, frame):
    # Something deep in a library deadlocked: the process lives on, does nothing.
    global stuck
    stuck = True


def term(signum, frame):
    log("stopping (SIGTERM)")
    sys.exit(0)


signal.signal(signal.SIGUSR1, wedge)
signal.signal(signal.SIGTERM, term)
with open(PIDFILE, "w") as f:
    f.write(f"{os.getpid()}\n")
r = redis.Redis(host="127.0.0.1", port=6379, decode_responses=True)
log("started")
beat()
while True:
    while stuck:
        time.sleep(3600)
    item = r.brpop(QUEUE, timeout=0.5) if not stuck else None
    if stuck:
        if item:  # taken before the wedge: put it back for the next worker
            r.rpush(QUEUE, item[1])
        continue
    beat()
    if not item:
        continue
    job = item[1]
    jid, _, secs = job.partition(":")
    try:
        secs = min(float(secs or 0.05), 30.0)
    except ValueError:
        secs = 0.05
    end = time.time() + secs
    while time.time() < end and not stuck:
        time.sleep(min(0.25, max(end - time.time(), 0)))
        beat()
    if stuck:
        r.rpush(QUEUE, job)
        continue
    r.sadd(f"done:{SERVICE}", f"{jid} {os.getpid()}")
    r.incr(f"stats:{SERVICE}:processed")
    log(f"processed job {jid} in {secs:.2f}s")
