#!/usr/bin/env python3
"""The checkout service of the monitoring labs, its traffic and a pager.

    labapp.py app       the checkout app: business endpoints and Prometheus
                        metrics on APP_PORT (metrics at METRICS_PATH), and an
                        admin port (ADMIN_PORT) to inject faults:
                          POST /faults?error_rate=0.2   share of requests answered 500
                          POST /faults?latency_ms=300   extra latency per request
                          POST /faults?down_seconds=30  close the service port for a while
                          POST /faults?marker=abc       expose checkout_grade_marker{marker="abc"} (the grader's)
                          GET  /faults                  what is injected now
    labapp.py traffic   sends a steady stream of requests to TARGETS
                        (host:port,host:port) at RPS requests per second
    labapp.py pager     a webhook receiver standing in for the on-call pager
                        and the ticket queue: POST /hooks/NAME records a
                        notification, GET /received lists them, POST /reset
                        forgets them
"""
import http.client
import json
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

signal.signal(signal.SIGTERM, lambda *_: os._exit(0))


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's
        # algorithm and delayed ACKs add 40 ms to every keep-alive request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="text/plain; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# ---------------------------------------------------------------- the app

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
PATHS = ("/api/checkout", "/api/cart")


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}  # (method, path, code) -> count
        self.hist = {}  # path -> [bucket counts..., count, sum]
        self.error_rate = float(os.environ.get("ERROR_RATE", "0") or 0)
        self.latency = float(os.environ.get("LATENCY_MS", "0") or 0) / 1000
        self.acc = 0.0
        self.inflight = 0
        self.traces = []  # the noisy metric: last request ids
        self.started = time.time()
        self.marker = ""  # see checkout_grade_marker
        # Series that exist before the first request: a rate over an error
        # counter that appears only with the first error is empty until then.
        for p in PATHS:
            for code in ("200", "500"):
                self.requests[("GET", p, code)] = 0

    def should_fail(self):
        # Deterministic: exactly error_rate of the requests fail, evenly spread.
        with self.lock:
            self.acc += self.error_rate
            if self.acc >= 1:
                self.acc -= 1
                return True
            return False

    def observe(self, method, path, code, secs):
        with self.lock:
            k = (method, path, str(code))
            self.requests[k] = self.requests.get(k, 0) + 1
            h = self.hist.setdefault(path, [0] * (len(BUCKETS) + 2))
            for i, b in enumerate(BUCKETS):
                if secs <= b:
                    h[i] += 1
            h[-2] += 1
            h[-1] += secs
            if NOISY:
                self.traces.append(("%016x" % random.getrandbits(64), secs))
                del self.traces[:-40]

    def metrics(self):
        out = []
        with self.lock:
            out.append("# HELP checkout_http_requests_total Requests handled, by method, path and status code.")
            out.append("# TYPE checkout_http_requests_total counter")
            for (m, p, c), v in sorted(self.requests.items()):
                out.append('checkout_http_requests_total{method="%s",path="%s",code="%s"} %d' % (m, p, c, v))
            out.append("# HELP checkout_http_request_duration_seconds Time to answer a request.")
            out.append("# TYPE checkout_http_request_duration_seconds histogram")
            for p, h in sorted(self.hist.items()):
                for i, b in enumerate(BUCKETS):
                    out.append('checkout_http_request_duration_seconds_bucket{path="%s",le="%s"} %d' % (p, b, h[i]))
                out.append('checkout_http_request_duration_seconds_bucket{path="%s",le="+Inf"} %d' % (p, h[-2]))
                out.append('checkout_http_request_duration_seconds_count{path="%s"} %d' % (p, h[-2]))
                out.append('checkout_http_request_duration_seconds_sum{path="%s"} %.6f' % (p, h[-1]))
            out.append("# HELP checkout_http_requests_in_flight Requests being handled right now.")
            out.append("# TYPE checkout_http_requests_in_flight gauge")
            out.append("checkout_http_requests_in_flight %d" % self.inflight)
            if NOISY:
                out.append("# HELP checkout_debug_request_trace_seconds Per-request timing, left on by a debug build. One series per request id.")
                out.append("# TYPE checkout_debug_request_trace_seconds gauge")
                for rid, secs in self.traces:
                    out.append('checkout_debug_request_trace_seconds{request_id="%s"} %.6f' % (rid, secs))
        if SLO_OBJECTIVE:
            out.append("# HELP checkout_slo_objective The checkout team's availability objective: the share of requests that must not fail (5xx).")
            out.append("# TYPE checkout_slo_objective gauge")
            out.append('checkout_slo_objective{slo="checkout-availability"} %s' % SLO_OBJECTIVE)
        if self.marker:
            # Set by the grader through the admin port: a value only this
            # instance exposes, so a series can be traced back to it.
            out.append("# HELP checkout_grade_marker A marker the grader gave this instance.")
            out.append("# TYPE checkout_grade_marker gauge")
            out.append('checkout_grade_marker{marker="%s"} 1' % self.marker)
        out.append("# HELP checkout_build_info The running build.")
        out.append("# TYPE checkout_build_info gauge")
        out.append('checkout_build_info{version="2.7.1"} 1')
        out.append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.")
        out.append("# TYPE process_start_time_seconds gauge")
        out.append("process_start_time_seconds %.3f" % self.started)
        return "\n".join(out) + "\n"


NOISY = os.environ.get("NOISY_METRIC", "") not in ("", "0")
METRICS_PATH = os.environ.get("METRICS_PATH", "/metrics")
SLO_OBJECTIVE = os.environ.get("SLO_OBJECTIVE", "")
STATE = State()


class AppHandler(Quiet):
    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == METRICS_PATH:
            return self.send(200, STATE.metrics(), "text/plain; version=0.0.4; charset=utf-8")
        if path == "/healthz":
            return self.send(200, "ok\n")
        if path == "/":
            return self.send(200, json.dumps({"service": "checkout", "instance": os.environ.get("APP_NAME", "app"),
                                              "endpoints": list(PATHS) + [METRICS_PATH, "/healthz"],
                                              **({"slo": {"availability": "%g%%" % (float(SLO_OBJECTIVE) * 100),
                                                          "good": "any answer that is not a 5xx"}}
                                                 if SLO_OBJECTIVE else {})}) + "\n",
                             "application/json")
        started = time.time()
        with STATE.lock:
            STATE.inflight += 1
        try:
            if STATE.latency:
                time.sleep(STATE.latency)
            label = path if path in PATHS else "other"
            if STATE.should_fail():
                code, body = 500, '{"error": "internal error"}\n'
            elif path in PATHS:
                code, body = 200, '{"ok": true}\n'
            else:
                code, body = 404, '{"error": "not found"}\n'
            self.send(code, body, "application/json")
        finally:
            with STATE.lock:
                STATE.inflight -= 1
            STATE.observe("GET", label, code, time.time() - started)


class AdminHandler(Quiet):
    def state(self):
        return self.send(200, json.dumps({"error_rate": STATE.error_rate, "latency_ms": STATE.latency * 1000}) + "\n",
                         "application/json")

    def do_GET(self):
        self.state()

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path != "/faults":
            return self.send(404, "POST /faults?error_rate=0.2&latency_ms=0\n")
        q = urllib.parse.parse_qs(u.query)
        try:
            if "error_rate" in q:
                r = float(q["error_rate"][0])
                if not 0 <= r <= 1:
                    raise ValueError("error_rate must be between 0 and 1")
                with STATE.lock:
                    STATE.error_rate, STATE.acc = r, 0.0
            if "latency_ms" in q:
                STATE.latency = max(0.0, float(q["latency_ms"][0])) / 1000
            if "marker" in q:
                m = q["marker"][0]
                if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", m):
                    raise ValueError("marker must be 1-64 letters, digits, _ . -")
                STATE.marker = m
            if "down_seconds" in q:
                secs = float(q["down_seconds"][0])
                if not 0 < secs <= 600:
                    raise ValueError("down_seconds must be between 0 and 600")
                threading.Thread(target=go_down, args=(secs,), daemon=True).start()
        except ValueError as e:
            return self.send(400, "%s\n" % e)
        log("faults now: error_rate=%s latency_ms=%s" % (STATE.error_rate, STATE.latency * 1000))
        self.state()


APP = {"server": None, "lock": threading.Lock()}


def serve_app():
    srv = Server(("", int(os.environ.get("APP_PORT", "8080"))), AppHandler)
    APP["server"] = srv
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def go_down(secs):
    # Close the service port (connections are refused, scrapes fail), then reopen it.
    with APP["lock"]:
        log("going down for %gs (fault injected)" % secs)
        APP["server"].shutdown()
        APP["server"].server_close()
        time.sleep(secs)
        serve_app()
        log("back up")


def run_app():
    port = int(os.environ.get("APP_PORT", "8080"))
    admin = int(os.environ.get("ADMIN_PORT", "9901"))
    log("checkout %s: serving on :%d, Prometheus metrics at http://%s:%d%s, admin (fault injection) on :%d"
        % (os.environ.get("APP_NAME", "app"), port, os.environ.get("APP_NAME", "app"), port, METRICS_PATH, admin))
    serve_app()
    Server(("", admin), AdminHandler).serve_forever()


# ---------------------------------------------------------------- traffic

def run_traffic():
    targets = [t.strip() for t in os.environ.get("TARGETS", "app:8080").split(",") if t.strip()]
    rps = float(os.environ.get("RPS", "20"))
    conns = {}
    n = 0
    log("traffic: %g requests/s spread over %s" % (rps, ", ".join(targets)))
    next_at = time.monotonic()
    while True:
        for t in targets:
            n += 1
            path = "/api/nope" if n % 20 == 0 else "/api/cart" if n % 4 == 0 else "/api/checkout"
            c = conns.get(t)
            try:
                if c is None:
                    host, port = t.rsplit(":", 1)
                    c = conns[t] = http.client.HTTPConnection(host, int(port), timeout=2)
                c.request("GET", path)
                c.getresponse().read()
            except Exception:
                conns.pop(t, None)
                try:
                    c and c.close()
                except Exception:
                    pass
            next_at += 1.0 / rps
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -2:
                next_at = time.monotonic()  # fell behind (a target was down): do not burst


# ---------------------------------------------------------------- pager

RECEIVED = []
RLOCK = threading.Lock()


class PagerHandler(Quiet):
    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if u.path == "/reset":
            with RLOCK:
                RECEIVED.clear()
            return self.send(200, "forgotten\n")
        if not u.path.startswith("/hooks/"):
            return self.send(404, "POST /hooks/NAME\n")
        hook = u.path[len("/hooks/"):]
        try:
            msg = json.loads(body)
        except ValueError:
            return self.send(400, "not JSON\n")
        with RLOCK:
            for a in msg.get("alerts", []):
                labels = a.get("labels", {})
                line = "hook=%s status=%s alertname=%s labels=%s" % (
                    hook, a.get("status", "?"), labels.get("alertname", "?"),
                    ",".join("%s=%s" % kv for kv in sorted(labels.items()) if kv[0] != "alertname"))
                RECEIVED.append(line)
                log("pager: " + line)
        self.send(200, "ok\n")

    def do_GET(self):
        if urllib.parse.urlsplit(self.path).path == "/received":
            with RLOCK:
                return self.send(200, "".join(l + "\n" for l in RECEIVED) or "nothing received\n")
        self.send(404, "GET /received\n")


def run_pager():
    port = int(os.environ.get("PAGER_PORT", "8080"))
    log("pager: webhook receiver on :%d, POST /hooks/NAME" % port)
    Server(("", port), PagerHandler).serve_forever()


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "app"
    {"app": run_app, "traffic": run_traffic, "pager": run_pager}[what]()
