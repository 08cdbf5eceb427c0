"""A tiny HTTP service: GET / (the page), /version, /healthz.

Run it with `python3 -m app.server` (port 8080, or $APP_PORT).
"""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from app import __version__


def route(path):
    """Answer a GET for path: (status, body)."""
    if path == "/":
        return 200, "checkout-web %s: welcome to the checkout\n" % __version__
    if path == "/version":
        return 200, __version__ + "\n"
    if path == "/healthz":
        return 200, "ok\n"
    return 404, "not found\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = route(self.path)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


def main():
    port = int(os.environ.get("APP_PORT", "8080"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print("checkout-web %s listening on :%d" % (__version__, port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
