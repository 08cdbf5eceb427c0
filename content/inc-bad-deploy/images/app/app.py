"""The shop's storefront API, as shipped in every release.

GET /         {"instance": ..., "version": ..., "status": "ok", "total": ...}
GET /version  {"instance": ..., "version": ...}
GET /healthz  {"status": "ok"}

A release's release.env (next to this file) holds its version and the
feature flags it ships with.
"""
import logging
import os
import random
import socket
import time

from flask import Flask, jsonify

NAME = os.environ.get("APP_NAME") or socket.gethostname()
HERE = os.path.dirname(os.path.abspath(__file__))


def read_release():
    conf = {}
    with open(os.path.join(HERE, "release.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                conf[k.strip()] = v.strip()
    return conf


RELEASE = read_release()
VERSION = RELEASE.get("VERSION", "unknown")
NEW_CHECKOUT = RELEASE.get("NEW_CHECKOUT") == "on"
INLINE_RECOMMENDATIONS = RELEASE.get("INLINE_RECOMMENDATIONS") == "on"
RATES = {"EUR": 1.0, "USD": 1.08}

app = Flask(__name__)
log = logging.getLogger("gunicorn.error")


def cart():
    c = {"items": random.randint(1, 5), "price": 19.90}
    if random.random() < 0.6:
        c["currency"] = "EUR"  # carts created before 2.4 have no currency
    return c


def checkout_total(c):
    if NEW_CHECKOUT:
        # The new checkout converts prices with the cart's currency.
        return round(c["items"] * c["price"] * RATES[c["currency"]], 2)
    return round(c["items"] * c["price"], 2)


def recommendations():
    if INLINE_RECOMMENDATIONS:
        started = time.time()
        time.sleep(random.uniform(0.35, 0.5))  # computed inline, per request
        log.warning("inline recommendations took %dms", (time.time() - started) * 1000)
    return ["socks", "mug"]


@app.get("/")
def index():
    total = checkout_total(cart())
    recs = recommendations()
    return jsonify(instance=NAME, version=VERSION, status="ok", total=total, recommended=recs)


@app.get("/version")
def version():
    return jsonify(instance=NAME, version=VERSION)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
