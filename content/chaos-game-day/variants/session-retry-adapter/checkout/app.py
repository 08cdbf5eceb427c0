"""checkout with a retrying requests.Session (urllib3 Retry) and a queued fallback."""
import os
import threading
import uuid

import requests
from flask import Flask, jsonify, request
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

app = Flask(__name__)

PAYMENT_URL = os.environ["PAYMENT_URL"]
BUDGET_MS = int(os.environ["SLO_BUDGET_MS"])
# 2 tries of at most budget/4 each: both fit in the budget with room to answer.
PER_TRY = (BUDGET_MS / 4) / 1000

local = threading.local()
queued = []
queued_lock = threading.Lock()


def session():
    s = getattr(local, "s", None)
    if s is None:
        s = requests.Session()
        retry = Retry(total=1, connect=1, read=1, status=1, backoff_factor=0,
                      status_forcelist=(502, 503, 504), allowed_methods=None,
                      raise_on_status=False)
        s.mount("http://", HTTPAdapter(max_retries=retry))
        local.s = s
    return s


@app.route("/healthz")
def healthz():
    return "ok"


@app.route("/checkout", methods=["POST"])
def checkout():
    order = request.values.get("order", uuid.uuid4().hex)
    try:
        r = session().post(PAYMENT_URL + "/pay", json={"order": order, "amount": 4200}, timeout=PER_TRY)
        r.raise_for_status()
        return jsonify(order=order, status="paid", receipt=r.json()["receipt"])
    except Exception as e:  # any failure of the payment call: queue it, answer honestly
        app.logger.warning("payment failed for %s: %r", order, e)
        with queued_lock:
            queued.append(order)
        return jsonify(order=order, status="pending", note="payment is delayed; you will get a confirmation e-mail"), 200
