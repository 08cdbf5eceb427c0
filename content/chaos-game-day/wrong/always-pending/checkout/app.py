"""[wrong: always-pending] checkout: takes an order and has the payment service charge it.

    POST /checkout?order=ID -> 200 {"order", "status": "paid", "receipt"}   payment charged it
                            -> 202 {"order", "status": "pending"}           payment did not answer in
                               time: the order is queued and charged later (never a 500, never late)

Hardened for the payment link: every attempt has a timeout, retries are few and
fit inside the SLO's latency budget, and when they all fail the order is queued.
The order id is the idempotency key: payment charges an order once however
often it is asked.
"""
import json
import logging
import os
import threading
import time
import uuid

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
log = logging.getLogger("gunicorn.error")

PAYMENT_URL = os.environ["PAYMENT_URL"]  # through toxiproxy: the game day injects there
BUDGET = int(os.environ.get("SLO_BUDGET_MS", "1000")) / 1000.0  # the SLO: 2xx within this
ATTEMPT_TIMEOUT = BUDGET * 0.25  # per attempt (connect and each read)
MAX_ATTEMPTS = 2                 # the retry budget: 1 retry
DEADLINE = BUDGET * 0.6          # stop trying after this, whatever is left
BACKOFF = 0.05
QUEUE = "/var/lib/checkout/pending.jsonl"
queue_lock = threading.Lock()


def pay(order):
    """Payment's receipt for the order, or None when payment did not answer in time."""
    start = time.monotonic()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        left = DEADLINE - (time.monotonic() - start)
        if left < 0.05:
            break
        t = min(ATTEMPT_TIMEOUT, left)
        try:
            r = requests.post(f"{PAYMENT_URL}/pay", json={"order": order, "amount": 4200}, timeout=(t, t))
            if r.status_code == 200:
                return r.json()["receipt"]
            log.warning("payment answered %s for %s (attempt %d)", r.status_code, order, attempt)
            if r.status_code < 500:
                return None  # a refusal is not retried
        except (requests.RequestException, ValueError, KeyError) as e:
            log.warning("payment attempt %d for %s failed: %s", attempt, order, e)
        time.sleep(BACKOFF)
    return None


def enqueue(order):
    with queue_lock, open(QUEUE, "a") as f:
        f.write(json.dumps({"order": order, "at": time.time()}) + "\n")


@app.get("/healthz")
def healthz():
    return "ok\n"


@app.post("/checkout")
def checkout():
    order = request.values.get("order") or uuid.uuid4().hex
    receipt = None  # queue everything: always fast, never fails
    if receipt:
        return jsonify(order=order, status="paid", receipt=receipt), 200
    enqueue(order)
    return jsonify(order=order, status="pending"), 202
