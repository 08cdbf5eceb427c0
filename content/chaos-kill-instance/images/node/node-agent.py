#!/usr/bin/env python3
"""The node agent (port AGENT_PORT, 9901): chaos control for this node.
Not part of the catalog service, and not run by supervisord.

  GET  /status                  the pids listening on APP_PORT, and the
                                requests the catalog is working on
  POST /kill                    kill -9 every process listening on APP_PORT
  POST /kill?when=GET&wait=3    ... as soon as a GET is in progress (wait at
                                most 3 s for one); when=POST: an order
  GET  /ledger?prefix=P         the order ledger's lines whose id starts with P
  POST /token?value=T           the token the catalog puts in its answers
"""
import json
import os
import signal
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NODE = os.environ.get("NODE", "node")
APP_PORT = int(os.environ.get("APP_PORT", "8080"))
AGENT_PORT = int(os.environ.get("AGENT_PORT", "9901"))
INFLIGHT = "/run/catalog/inflight"
LEDGER = "/var/lib/catalog/orders.log"
TOKEN_FILE = "/var/lib/catalog/served-token"


def listeners(port):
    """PIDs of the processes that hold a listening TCP socket on port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(parts[9])
        except OSError:
            pass
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    pids.append(int(pid))
                    break
        except OSError:
            continue
    return sorted(pids)


def inflight(prefix=""):
    try:
        return sorted(n for n in os.listdir(INFLIGHT) if n.startswith(prefix))
    except OSError:
        return []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, doc, text=None):
        body = (text if text is not None else json.dumps(doc) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if text is not None else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        if url.path == "/status":
            return self.reply(200, {"node": NODE, "app_pids": listeners(APP_PORT),
                                    "inflight": inflight()})
        if url.path == "/ledger":
            prefix = (q.get("prefix") or [""])[0]
            try:
                with open(LEDGER) as f:
                    lines = [ln for ln in f if ln.startswith(prefix)]
            except OSError:
                lines = []
            return self.reply(200, None, "".join(lines))
        return self.reply(404, {"error": "GET /status or /ledger?prefix=P; POST /kill or /token?value=T"})

    def do_POST(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        n = int(self.headers.get("Content-Length") or 0)
        if n > 0:
            self.rfile.read(min(n, 65536))
        if url.path == "/token":
            value = (q.get("value") or [""])[0]
            with open(TOKEN_FILE + ".tmp", "w") as f:
                f.write(value + "\n")
            os.replace(TOKEN_FILE + ".tmp", TOKEN_FILE)
            return self.reply(200, {"node": NODE, "token": value})
        if url.path == "/kill":
            when = (q.get("when") or ["any"])[0].upper()
            try:
                wait = max(0.0, min(30.0, float((q.get("wait") or ["3"])[0])))
            except ValueError:
                return self.reply(400, {"error": "wait must be a number of seconds"})
            prefix = "" if when == "ANY" else when + "-"
            t0 = time.monotonic()
            # Found before the wait, so the kill follows the request it waits for at once.
            pids = listeners(APP_PORT)
            if prefix:
                while time.monotonic() - t0 < wait:
                    if inflight(prefix):
                        break
                    time.sleep(0.005)
            before = inflight()
            if not all(os.path.exists(f"/proc/{p}") for p in pids):
                pids = listeners(APP_PORT)  # restarted while we waited
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            # Requests still marked in progress after the kill were cut off by it.
            caught = [x for x in before if os.path.exists(os.path.join(INFLIGHT, x))]
            for x in inflight():
                try:
                    os.unlink(os.path.join(INFLIGHT, x))
                except OSError:
                    pass
            doc = {"node": NODE, "killed": pids, "when": when.lower(),
                   "waited": round(time.monotonic() - t0, 3), "caught": caught}
            if not pids:
                doc["error"] = f"no process listens on :{APP_PORT}"
            elif prefix and not any(c.startswith(prefix) for c in caught):
                doc["error"] = f"no {when} request was in progress within {wait:g}s"
            print(f"{NODE} agent: kill {json.dumps(doc)}", flush=True)
            return self.reply(200, doc)
        return self.reply(404, {"error": "POST /kill or /token?value=T"})


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("0.0.0.0", AGENT_PORT), Handler).serve_forever()
