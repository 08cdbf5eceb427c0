"""A pool worker: takes jobs from the redis list QUEUE, one at a time.

A job is "ID" or "ID:SECONDS" (how long it takes). Every job done is added to
the set done:jobs as "ID PID" and logged. SIGTERM: finish the job, then exit.
"""
import os, signal, sys, time
import redis

QUEUE = os.environ["QUEUE"]
PIDFILE = f"/run/pool/workers/{os.getpid()}.pid"
stopping = False


def log(msg):
    print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), f"worker[{os.getpid()}]", msg, flush=True)


def term(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, term)
with open(PIDFILE, "w") as f:
    f.write(f"{os.getpid()}\n")
r = redis.Redis(host="127.0.0.1", port=6379, decode_responses=True)
log("started")
while not stopping:
    item = r.brpop(QUEUE, timeout=0.5)
    if not item:
        continue
    jid, _, secs = item[1].partition(":")
    try:
        secs = min(float(secs or 0.05), 10.0)
    except ValueError:
        secs = 0.05
    time.sleep(secs)
    r.sadd("done:jobs", f"{jid} {os.getpid()}")
    r.incr("stats:processed")
log("stopped")
try:
    os.unlink(PIDFILE)
except OSError:
    pass
sys.exit(0)
