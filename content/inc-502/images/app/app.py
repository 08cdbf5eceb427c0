"""The shop's storefront API (one instance: app1 or app2).

GET /         {"instance": ..., "status": "ok", "visits": N}; N is counted in redis
GET /healthz  {"status": "ok"} (does not touch redis)
"""
import logging
import os
import socket

import redis
from flask import Flask, jsonify

NAME = os.environ.get("APP_NAME") or socket.gethostname()
REDIS_URL = os.environ.get("REDIS_URL", "redis://redis:6379/0")

app = Flask(__name__)
log = logging.getLogger("gunicorn.error")
db = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


@app.get("/")
def index():
    try:
        visits = db.incr("visits")
    except redis.RedisError as exc:
        log.error("%s: database error (REDIS_URL=%s): %s", NAME, REDIS_URL, exc)
        return jsonify(instance=NAME, status="error", error="database unavailable"), 503
    return jsonify(instance=NAME, status="ok", visits=visits)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
