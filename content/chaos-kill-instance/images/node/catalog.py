#!/usr/bin/env python3
"""The catalog service: one instance per node (node1, node2, node3).

  GET  /healthz           200 {"status": "ok"} once the instance is warm,
                          503 {"status": "warming up"} before
  GET  /items?id=ID       200 {"instance": NODE, "item": ID, "served": TOKEN, "pid": PID}
  GET  /                  the same, without an item id
  POST /orders?id=ID      takes an order: it is written to the order ledger
                          (/var/lib/catalog/orders.log) at once, then the card
                          is charged (about half a second), then 201. Taking an
                          order is not idempotent: sent twice, it is charged twice.

A fresh process boots for BOOT_SECS before it even listens, then answers
every request with 503 "warming up" for WARM_SECS while it loads the catalog
into memory. TOKEN is /var/lib/catalog/served-token (written by the lab):
an answer carrying it was served by this instance.
"""
import json
import os
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NODE = os.environ.get("NODE") or socket.gethostname()
PORT = int(os.environ.get("APP_PORT", "8080"))
BOOT_SECS = float(os.environ.get("BOOT_SECS", "2"))
WARM_SECS = float(os.environ.get("WARM_SECS", "3"))
INFLIGHT = "/run/catalog/inflight"
LEDGER = "/var/lib/catalog/orders.log"
TOKEN_FILE = "/var/lib/catalog/served-token"

warm_at = None  # monotonic time from which the instance serves
ledger_lock = threading.Lock()


def log(msg):
    print(f"{NODE} catalog[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def token():
    try:
        with open(TOKEN_FILE) as f:
            return f.read().strip()
    except OSError:
        return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "catalog/1.4"

    def log_message(self, fmt, *args):  # one line per request, below
        pass

    def answer(self, status, doc):
        # Status line, headers and body leave in one write: a kill -9 then
        # cuts a request off before its answer began (the lb may retry it)
        # or after it was whole, never with a 200 already sent and its body
        # missing, which no load balancer could save.
        body = (json.dumps(doc) + "\n").encode()
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
                f"Server: {self.server_version}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n"
                "Cache-Control: no-store\r\n"
                f"X-Instance: {NODE}\r\n\r\n").encode()
        self.wfile.write(head + (body if self.command != "HEAD" else b""))
        return status

    def handle_one(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        rid = (q.get("id") or [""])[0][:80]
        warm = warm_at is not None and time.monotonic() >= warm_at
        if url.path == "/healthz" and self.command in ("GET", "HEAD"):
            if not warm:
                return self.answer(503, {"status": "warming up", "instance": NODE})
            return self.answer(200, {"status": "ok", "instance": NODE})
        if not warm:
            return self.answer(503, {"status": "warming up", "instance": NODE})
        if url.path in ("/", "/items") and self.command in ("GET", "HEAD"):
            time.sleep(0.06)  # the catalog lookup
            return self.answer(200, {"instance": NODE, "item": rid or None,
                                     "served": token(), "pid": os.getpid()})
        if url.path == "/orders" and self.command == "POST":
            if not rid:
                return self.answer(400, {"error": "POST /orders?id=ORDER_ID"})
            with ledger_lock, open(LEDGER, "a") as f:
                f.write(f"{rid} {NODE} {os.getpid()} {time.time():.3f}\n")
            time.sleep(0.5)  # charging the card
            return self.answer(201, {"order": rid, "status": "charged", "instance": NODE,
                                     "served": token(), "pid": os.getpid()})
        if url.path in ("/", "/items", "/orders", "/healthz"):
            return self.answer(405, {"error": "method not allowed"})
        return self.answer(404, {"error": "not found"})

    def handle_any(self):
        # Requests in progress are listed in INFLIGHT (the node agent reads it).
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(min(n, 65536))
        rid = (parse_qs(urlsplit(self.path).query).get("id") or [""])[0][:80]
        mark = None
        if rid and "/" not in rid and not rid.startswith("."):
            mark = os.path.join(INFLIGHT, f"{self.command}-{rid}")
            try:
                open(mark, "w").close()
            except OSError:
                mark = None
        t0 = time.monotonic()
        try:
            status = self.handle_one()
        finally:
            if mark:
                try:
                    os.unlink(mark)
                except OSError:
                    pass
        if self.path != "/healthz":
            log(f"{self.command} {self.path} {status} {time.monotonic() - t0:.3f}s")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_any


def main():
    global warm_at
    log(f"booting (listens on :{PORT} in {BOOT_SECS:g}s, then warms up for {WARM_SECS:g}s)")
    os.makedirs(INFLIGHT, exist_ok=True)
    for name in os.listdir(INFLIGHT):  # left by a process that was killed
        try:
            os.unlink(os.path.join(INFLIGHT, name))
        except OSError:
            pass
    time.sleep(BOOT_SECS)
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    warm_at = time.monotonic() + WARM_SECS
    log(f"listening on :{PORT}, warming up")

    def ready():
        time.sleep(WARM_SECS)
        log("warm: serving")
    threading.Thread(target=ready, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
