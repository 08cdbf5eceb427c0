"""checkout: takes an order and has the payment service charge it.

Runs on the checkout node under gunicorn (port 8080); saving this file restarts
it within a second (`opslab logs chaos-game-day checkout` shows errors).

    POST /checkout?order=ID   -> 200 {"order": ID, "status": "paid", "receipt": ...}

Payment is reached through toxiproxy (PAYMENT_URL in the node's environment),
so that game days can inject faults into that link.
"""
import os
import uuid

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)

PAYMENT_URL = os.environ["PAYMENT_URL"]  # http://toxiproxy:PORT, the proxy in front of payment


@app.get("/healthz")
def healthz():
    return "ok\n"


@app.post("/checkout")
def checkout():
    order = request.values.get("order") or uuid.uuid4().hex
    r = requests.post(f"{PAYMENT_URL}/pay", json={"order": order, "amount": 4200})
    r.raise_for_status()
    return jsonify(order=order, status="paid", receipt=r.json()["receipt"]), 200
