#!/usr/bin/env python3
"""The team's status app: one instance (app1 or app2).

Runs on python3-minimal (no http.server, no json there), so it speaks just
enough HTTP/1.1 by hand:

  GET /         200 {"instance": "<id>", "status": "ok", "served": "<token>"};
                503 until the lab's setup has written /srv/instance-id.
                <token> is /srv/served-token as the grader last wrote it: a
                value drawn per grading that only this instance holds, so an
                answer carrying it was served by this instance (a load
                balancer cannot make it up)
  GET /healthz  200 {"status": "ok"}

It serves one connection at a time, like many small apps. A second listener
on CHAOS_PORT lets the lab (and the learner) simulate an outage:

  POST /hang?seconds=N   stop answering on APP_PORT for N seconds (max 120):
                         connections queue up unanswered, as when a process hangs
  POST /recover          answer again now
  GET  /                 the current chaos state

`python3 /app/app.py --healthcheck` exits 0 when GET /healthz on APP_PORT
answers 200 (the image has no curl, and urllib is not in python3-minimal).
"""
import os
import signal
import socket
import sys
import threading
import time

NAME = os.environ.get("APP_NAME") or socket.gethostname()
PORT = int(os.environ.get("APP_PORT", "8000"))
CHAOS_PORT = int(os.environ.get("CHAOS_PORT", "9901"))
ID_FILE = "/srv/instance-id"
TOKEN_FILE = "/srv/served-token"

REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found",
           405: "Method Not Allowed", 503: "Service Unavailable"}

hang_until = 0.0  # epoch seconds; the app answers nothing before this


def log(msg):
    print(f"{NAME}: {msg}", file=sys.stderr, flush=True)


def js(value):
    """A JSON string literal (json is not in python3-minimal)."""
    out = ['"']
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def read_request(conn):
    """Returns (method, path, query) or None for a request we cannot read."""
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > 16384:
            return None
    line = data.split(b"\n", 1)[0].decode("latin-1").strip()
    parts = line.split()
    if len(parts) < 2:
        return None
    target = parts[1]
    path, _, query = target.partition("?")
    return parts[0].upper(), path, query


def send(conn, method, status, body):
    payload = (body + "\n").encode()
    head = (f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n"
            f"X-Instance: {NAME}\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n\r\n").encode()
    conn.sendall(head if method == "HEAD" else head + payload)


def read_token():
    try:
        with open(TOKEN_FILE) as f:
            return f.read().strip()
    except OSError:
        return ""


def app_answer(method, path):
    if method not in ("GET", "HEAD"):
        return 405, '{"error": "method not allowed"}'
    if path == "/healthz":
        return 200, '{"status": "ok"}'
    if path == "/":
        try:
            with open(ID_FILE) as f:
                instance = f.read().strip()
        except OSError:
            return 503, '{"instance": %s, "status": "starting"}' % js(NAME)
        return 200, '{"instance": %s, "status": "ok", "served": %s}' % (
            js(instance or NAME), js(read_token()))
    return 404, '{"error": "not found"}'


def chaos_answer(method, path, query):
    global hang_until
    if path == "/hang" and method == "POST":
        seconds = 10
        for pair in query.split("&"):
            key, _, val = pair.partition("=")
            if key == "seconds":
                try:
                    seconds = max(0, min(120, int(val)))
                except ValueError:
                    return 400, '{"error": "seconds must be a whole number"}'
        hang_until = time.time() + seconds
        log(f"chaos: hanging for {seconds}s")
        return 200, '{"instance": %s, "hanging_for": %d}' % (js(NAME), seconds)
    if path == "/recover" and method == "POST":
        hang_until = 0.0
        log("chaos: recovered")
        return 200, '{"instance": %s, "hanging_for": 0}' % js(NAME)
    if path == "/" and method in ("GET", "HEAD"):
        left = max(0, int(hang_until - time.time() + 0.999))
        return 200, '{"instance": %s, "hanging_for": %d}' % (js(NAME), left)
    return 404, '{"error": "try POST /hang?seconds=N or POST /recover"}'


def handle(conn, answer, quiet=False):
    try:
        req = read_request(conn)
        if req is None:
            send(conn, "GET", 400, '{"error": "bad request"}')
            return
        method, path, query = req
        status, body = answer(method, path, query)
        send(conn, method, status, body)
        if not quiet:  # with the query: the grader finds its own requests by it
            log(f"{method} {path}{'?' + query if query else ''} {status}")
    except OSError as exc:  # the client gave up (e.g. the load balancer timed out)
        log(f"connection dropped: {exc}")
    finally:
        conn.close()


def listen(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(64)
    return srv


def chaos_loop(srv):
    while True:
        conn, _ = srv.accept()
        handle(conn, chaos_answer, quiet=True)


def healthcheck():
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=2) as conn:
            conn.settimeout(2)
            conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            status_line = conn.recv(64).split(b"\r\n", 1)[0]
    except OSError as exc:
        print(f"healthcheck: {exc}", file=sys.stderr)
        return 1
    ok = status_line.split()[1:2] == [b"200"]
    if not ok:
        print(f"healthcheck: {status_line!r}", file=sys.stderr)
    return 0 if ok else 1


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = listen(PORT)
    chaos = listen(CHAOS_PORT)
    threading.Thread(target=chaos_loop, args=(chaos,), daemon=True).start()
    log(f"status app listening on 0.0.0.0:{PORT} (chaos control on :{CHAOS_PORT})")
    while True:
        conn, _ = app.accept()
        while time.time() < hang_until:  # hung: this and every queued request wait
            time.sleep(0.05)
        handle(conn, lambda m, p, q: app_answer(m, p))


if __name__ == "__main__":
    if sys.argv[1:] == ["--healthcheck"]:
        sys.exit(healthcheck())
    try:
        main()
    except SystemExit:
        log("stopping")
        raise
