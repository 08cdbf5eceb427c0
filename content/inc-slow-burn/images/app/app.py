"""The shop's storefront API (one instance: app1 or app2).

GET /          {"instance": ..., "status": "ok", "visits": N}; N is counted in redis
GET /healthz   {"status": "ok"} (does not touch redis)
GET /metrics   Prometheus text format: requests, errors, redis clients this worker holds

How a worker talks to redis is set by REDIS_CLIENT (see app.env):
  pool         one connection pool per worker, reused by every request
  per-request  a fresh redis client for every request, "for isolation" (v2.3)
"""
import logging
import os
import socket

import redis
from flask import Flask, Response, jsonify

NAME = os.environ.get("APP_NAME") or socket.gethostname()
REDIS_URL = os.environ.get("REDIS_URL", "redis://redis:6379/0")
MODE = os.environ.get("REDIS_CLIENT", "pool")
POOL_MAX = int(os.environ.get("REDIS_POOL_MAX", "4"))

app = Flask(__name__)
log = logging.getLogger("gunicorn.error")

_pool = None
# Clients made in per-request mode stay referenced here so that the debug
# tracer can list them (v2.3): they are never closed, and neither are their
# connections. (The team's bug ticket: SHOP-1432.)
_request_clients = []
stats = {"requests": 0, "errors": 0}


def client():
    global _pool
    if MODE == "per-request":
        c = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        _request_clients.append(c)
        return c
    if _pool is None:
        _pool = redis.BlockingConnectionPool.from_url(
            REDIS_URL, max_connections=POOL_MAX, timeout=2,
            socket_connect_timeout=1, socket_timeout=1)
    return redis.Redis(connection_pool=_pool)


def open_connections():
    if MODE == "per-request":
        return sum(len(c.connection_pool._available_connections) + len(c.connection_pool._in_use_connections)
                   for c in _request_clients)
    if _pool is None:
        return 0
    return len([c for c in _pool._connections if c is not None and c._sock is not None])


@app.get("/")
def index():
    stats["requests"] += 1
    try:
        visits = client().incr("visits")
    except redis.RedisError as exc:
        stats["errors"] += 1
        log.error("%s: redis error: %s", NAME, exc)
        return jsonify(instance=NAME, status="error", error="database unavailable"), 503
    return jsonify(instance=NAME, status="ok", visits=visits)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.get("/metrics")
def metrics():
    pid = os.getpid()
    body = (
        "# HELP shop_requests_total Requests to / served by this worker.\n"
        "# TYPE shop_requests_total counter\n"
        f'shop_requests_total{{instance="{NAME}",pid="{pid}"}} {stats["requests"]}\n'
        "# HELP shop_errors_total Requests to / that failed with a redis error.\n"
        "# TYPE shop_errors_total counter\n"
        f'shop_errors_total{{instance="{NAME}",pid="{pid}"}} {stats["errors"]}\n'
        "# HELP shop_redis_connections Redis connections this worker holds open.\n"
        "# TYPE shop_redis_connections gauge\n"
        f'shop_redis_connections{{instance="{NAME}",pid="{pid}",mode="{MODE}"}} {open_connections()}\n'
    )
    return Response(body, mimetype="text/plain; version=0.0.4")
