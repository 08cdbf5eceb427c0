"""checkout, standard library only, with a circuit breaker.

POST /checkout?order=ID -> 200 {"order", "status": "paid", "receipt"}
                        -> 202 {"order", "status": "pending", "retry_after_s"}  when payment
                           is failing: the order waits in a queue and is charged later.

After 3 failures in a row the breaker opens: checkout stops calling payment for
2 seconds (fast "pending" answers), then lets one call through to test it.
"""
import json
import os
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)

PAYMENT = os.environ["PAYMENT_URL"].rstrip("/") + "/pay"
BUDGET_S = float(os.environ.get("SLO_BUDGET_MS", "1000")) / 1000
TIMEOUT_S = BUDGET_S / 5
ATTEMPTS = 3
OPEN_FOR_S = 2.0
FAILS_TO_OPEN = 3

pending = queue.Queue()


class Breaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.fails = 0
        self.opened = None

    def allow(self):
        with self.lock:
            if self.opened is None:
                return True
            if time.monotonic() - self.opened >= OPEN_FOR_S:
                self.opened = time.monotonic()  # half-open: one trial, others stay out
                return True
            return False

    def record(self, ok):
        with self.lock:
            if ok:
                self.fails, self.opened = 0, None
            else:
                self.fails += 1
                if self.fails >= FAILS_TO_OPEN:
                    self.opened = time.monotonic()


breaker = Breaker()


def charge(order):
    body = json.dumps({"order": order, "amount": 4200}).encode()
    ends = time.monotonic() + BUDGET_S / 2
    for _ in range(ATTEMPTS):
        left = ends - time.monotonic()
        if left <= 0.02 or not breaker.allow():
            return None
        req = urllib.request.Request(PAYMENT, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=min(TIMEOUT_S, left)) as r:
                receipt = json.load(r)["receipt"]
            breaker.record(True)
            return receipt
        except urllib.error.HTTPError as e:
            breaker.record(e.code < 500)
            if e.code < 500:
                return None
        except (OSError, ValueError, KeyError):  # URLError, resets, timeouts, bad answers
            breaker.record(False)
    return None


@app.route("/healthz")
def healthz():
    return {"ok": True}


@app.route("/checkout", methods=["POST"])
def checkout():
    order = request.args.get("order") or request.form.get("order") or str(uuid.uuid4())
    receipt = charge(order)
    if receipt is None:
        pending.put(order)
        return jsonify({"order": order, "status": "pending", "retry_after_s": OPEN_FOR_S}), 202
    return jsonify({"order": order, "status": "paid", "receipt": receipt})
