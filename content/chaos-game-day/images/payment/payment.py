"""payment: the payment service of the shop (lab chaos-game-day).

POST /pay        {"order": "ID", "amount": CENTS}  -> 200 {"order", "status": "paid", "receipt"}
                 Idempotent: paying an order again returns the same receipt (the
                 order id is the idempotency key); every attempt is still logged.
GET  /ledger     ?prefix=P  one line per order: ORDER attempts=N receipt=R from=IP[,IP]
GET  /healthz    200 ok

Every attempt is logged as
  attempt order=ID n=N from=IP receipt=R
to stdout and to /var/log/payment/attempts.log.
"""
import hashlib
import json
import os
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT = int(os.environ.get("PAYMENT_PORT", "7000"))
SECRET = secrets.token_hex(16)  # new every start: receipts cannot be computed elsewhere
LOG = "/var/log/payment/attempts.log"
lock = threading.Lock()
ledger = {}  # order -> {"attempts": n, "receipt": r, "from": [ip, ...]}


def receipt_for(order):
    return "r-" + hashlib.sha256((SECRET + order).encode()).hexdigest()[:16]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "payment/1.4"

    def log_message(self, fmt, *args):  # the access log is ours, below
        pass

    def answer(self, code, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/healthz":
            return self.answer(200, "ok\n", "text/plain")
        if url.path == "/ledger":
            prefix = parse_qs(url.query).get("prefix", [""])[0]
            with lock:
                lines = [
                    f"{o} attempts={e['attempts']} receipt={e['receipt']} from={','.join(e['from'])}\n"
                    for o, e in ledger.items() if o.startswith(prefix)
                ]
            return self.answer(200, "".join(lines), "text/plain")
        self.answer(404, json.dumps({"error": "not found"}))

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path != "/pay":
            return self.answer(404, json.dumps({"error": "not found"}))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        order = str(body.get("order") or parse_qs(url.query).get("order", [""])[0]).strip()
        if not order or len(order) > 128 or any(c.isspace() for c in order):
            return self.answer(400, json.dumps({"error": "an order id (no spaces) is required"}))
        peer = self.client_address[0]
        with lock:
            e = ledger.setdefault(order, {"attempts": 0, "receipt": receipt_for(order), "from": []})
            e["attempts"] += 1
            if peer not in e["from"]:
                e["from"].append(peer)
            n, r = e["attempts"], e["receipt"]
            line = f"{time.strftime('%Y-%m-%dT%H:%M:%S')} attempt order={order} n={n} from={peer} receipt={r}\n"
            with open(LOG, "a") as f:
                f.write(line)
        sys.stdout.write(line)
        self.answer(200, json.dumps({"order": order, "status": "paid", "receipt": r}))


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    srv.daemon_threads = True
    print(f"payment: listening on :{PORT}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
