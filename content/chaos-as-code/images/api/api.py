#!/usr/bin/env python3
"""An API the checkout host calls (nodes inventory and payments).

GET /healthz         200 "ok"
GET /seen?q=TEXT     how many logged requests contain TEXT (not logged itself)
GET /anything else   a small JSON answer, after the API's think time

Every request is logged on stdout and in /var/log/api/access.log, one line each:
    GET /stock?sku=42&t=1733330000123 200 lag_ms=412
lag_ms is how long after the caller's timestamp t (milliseconds since the
epoch, optional) the request arrived here: the network delay the API sees.
/srv/think-ms (if present) holds how long the API thinks per request, in ms.
"""

import os
import signal
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
PORT = int(os.environ.get("API_PORT", "8000"))
NAME = "".join(c for c in os.environ.get("API_NAME", "api") if c.isalnum())
os.makedirs("/var/log/api", exist_ok=True)
ACCESS = open("/var/log/api/access.log", "a", buffering=1)


def think_ms():
    try:
        with open("/srv/think-ms") as f:
            return max(0, min(5000, int(f.read().strip() or 0)))
    except (OSError, ValueError):
        return 0


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        arrived = time.time() * 1000
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        lag = ""
        try:
            lag = " lag_ms=%d" % max(0, round(arrived - int(q["t"][0])))
        except (KeyError, ValueError, IndexError):
            pass
        if u.path == "/seen":
            want = q.get("q", [""])[0]
            try:
                with open("/var/log/api/access.log") as f:
                    n = sum(1 for l in f if want and want in l)
            except OSError:
                n = 0
            body = b"%d\n" % n
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if u.path == "/healthz":
            status, body = 200, b"ok\n"
        else:
            time.sleep(think_ms() / 1000)
            status = 200
            body = ('{"ok": true, "api": "%s"}\n' % NAME).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        line = "GET %s %d%s" % (self.path, status, lag)
        print(line, flush=True)
        ACCESS.write(line + "\n")


if __name__ == "__main__":
    print("%s api listening on :%d" % (NAME, PORT), flush=True)
    Server(("0.0.0.0", PORT), Handler).serve_forever()
