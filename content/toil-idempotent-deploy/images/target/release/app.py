#!/usr/bin/env python3
"""The app: a small HTTP service shipped as a release tarball.

Run as:  python3 /opt/APP/current/app.py /etc/APP/app.conf
GET /         the release it runs and the banner from its config
GET /healthz  200 once the config is readable and the database schema is new enough
GET /status   the same as JSON, with the process id and when this code was loaded

SIGHUP reloads without dropping a request: the process finishes the request in
hand, then re-executes the app.py that `current` points to *now*, keeping its
listening socket (connections wait in the kernel's queue meanwhile). So
switching `current` and sending SIGHUP is an atomic, zero-downtime deploy.
"""
import json
import os
import signal
import socket
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

# SIGHUP first of all: a reload that arrives while Python is still starting
# must not kill the process (the default action of SIGHUP).
RELOAD = threading.Event()
SERVER = []


def on_hup(signum, frame):
    RELOAD.set()
    if SERVER:
        threading.Thread(target=SERVER[0].shutdown, daemon=True).start()


signal.signal(signal.SIGHUP, on_hup)

HERE = os.path.dirname(os.path.realpath(__file__))  # this release's folder
CONF = sys.argv[1] if len(sys.argv) > 1 else "/etc/app/app.conf"
LOADED = time.strftime("%Y-%m-%dT%H:%M:%S") + ".%09d" % time.time_ns()


def read_conf(path):
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                k, v = line.split("=", 1)
                conf[k.strip()] = v.strip()
    return conf


def read(name):
    with open(os.path.join(HERE, name)) as f:
        return f.read().strip()


conf = read_conf(CONF)
NAME = conf.get("name", "app")
PORT = int(conf["port"])
BANNER = conf.get("banner", "")
DB = conf.get("database", "")
VERSION = read("VERSION")
SCHEMA = int(read("SCHEMA"))
LOG = open(conf["log"], "a", buffering=1) if conf.get("log") else sys.stderr


def schema_version():
    if not DB or not os.path.exists(DB):
        return -1
    con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


class Handler(BaseHTTPRequestHandler):
    server_version = NAME

    def reply(self, code, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Release", VERSION)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/":
            self.reply(200, "%s release %s: %s\n" % (NAME, VERSION, BANNER))
        elif path == "/healthz":
            try:
                have = schema_version()
            except sqlite3.Error as e:
                self.reply(503, "database %s: %s\n" % (DB, e))
                return
            if have < SCHEMA:
                self.reply(503, "database %s has schema %d, release %s needs %d: run its migrate.sql\n" % (DB, have, VERSION, SCHEMA))
            else:
                self.reply(200, "ok release %s schema %d\n" % (VERSION, have))
        elif path == "/status":
            self.reply(200, json.dumps({"name": NAME, "release": VERSION, "banner": BANNER, "pid": os.getpid(),
                                        "loaded": LOADED, "release_dir": HERE}) + "\n", "application/json")
        else:
            self.reply(404, "not found\n")

    def log_message(self, fmt, *args):
        LOG.write("%s %s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), VERSION, fmt % args))


def listen():
    fd = os.environ.pop("LISTEN_FD", "")
    if fd:
        sock = socket.socket(fileno=int(fd))
        if sock.getsockname()[1] == PORT:
            srv = HTTPServer(("0.0.0.0", PORT), Handler, bind_and_activate=False)
            srv.socket.close()
            srv.socket = sock
            return srv
        sock.close()  # the port changed: listen on the new one
    return HTTPServer(("0.0.0.0", PORT), Handler)


srv = listen()
SERVER.append(srv)
LOG.write("%s %s started (pid %d) on port %d\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), VERSION, os.getpid(), PORT))
if not RELOAD.is_set():
    srv.serve_forever(poll_interval=0.2)
if RELOAD.is_set():
    fd = srv.socket.fileno()
    os.set_inheritable(fd, True)
    os.environ["LISTEN_FD"] = str(fd)
    LOG.write("%s %s reloading: exec %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), VERSION, sys.argv[0]))
    LOG.flush()
    os.execv(sys.executable, [sys.executable] + sys.argv)
