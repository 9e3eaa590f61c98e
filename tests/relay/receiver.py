#!/usr/bin/python3
"""A police receiver for the tests (test code only): HTTPS with a required
client certificate, reports stored once per Idempotency-Key, the Ed25519
signature of each body checked, and faults on demand.

  receiver.py --cert C --key K --client-ca CA --store DB --public-key B64
              [--faults ok,500,503,timeout,reset,slow,lost-ack,408,429,400,hang,lag]
              [--control FILE] [--tls 1.2|1.3]

Prints "port N" once listening. The faults are applied in turn, one a
request, over and over; with --control, the faults are read again from FILE
whenever it changes (a test switches a running receiver's behaviour).

Like a receiver that follows the IETF Idempotency-Key draft, a key already
stored with another body is answered 422 (and logged as "mismatch"); every
request's body digest is logged, so that a test can check that each retry
carried the same bytes.

  ok        store (once per key) and answer 200 {"reference": ...}
  500       answer 500, store nothing
  503       answer 503 with Retry-After: 1, store nothing
  503-day   answer 503 with Retry-After: 86400 (a day), store nothing
  408, 429  answer that status, store nothing
  400       answer 400 (a permanent refusal), store nothing
  timeout   say nothing for longer than the client waits, then close
  reset     close the connection at once (TCP reset), store nothing
  slow      store, then send the answer a few bytes at a time
  lost-ack  store, then reset the connection: the answer is lost
  hang      accept the request and never answer (the connection stays open)
  lag       wait one second, then store and answer 200
  307       answer 307 (a redirect keeping the POST) to /elsewhere on this
            server, store nothing; a request that reaches /elsewhere is
            logged as "followed" and stores nothing
"""

import argparse
import base64
import hashlib
import http.server
import os
import json
import socket
import sqlite3
import ssl
import struct
import sys
import threading
import time

try:
    import nacl.exceptions
    import nacl.signing
except ImportError:  # the test that starts us skips (77) without it
    nacl = None


class State:
    def __init__(self, path, faults, public_key):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, "
                        "reference TEXT NOT NULL, body TEXT NOT NULL, stored_at REAL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS requests (n INTEGER PRIMARY KEY, key TEXT, "
                        "mode TEXT, signature_ok INTEGER, at REAL, body_sha256 TEXT, "
                        "counter TEXT)")
        self.faults = faults
        self.control = None
        self.control_mtime = None
        self.count = 0
        self.verify_key = nacl.signing.VerifyKey(base64.b64decode(public_key)) \
            if public_key and nacl else None

    def next_mode(self):
        with self.lock:
            if self.control:
                try:
                    mtime = os.stat(self.control).st_mtime_ns
                    if mtime != self.control_mtime:
                        with open(self.control) as f:
                            faults = f.read().strip().split(",")
                        self.control_mtime = mtime
                        if faults != self.faults:
                            self.faults, self.count = faults, 0
                except OSError:
                    pass
            mode = self.faults[self.count % len(self.faults)]
            self.count += 1
            return mode

    def log(self, key, mode, signature_ok, body, counter):
        with self.lock:
            self.db.execute("INSERT INTO requests (key, mode, signature_ok, at, body_sha256, "
                            "counter) VALUES (?, ?, ?, ?, ?, ?)",
                            (key, mode, signature_ok, time.time(),
                             hashlib.sha256(body).hexdigest(), counter))

    def mismatch(self, key, body):
        """True when @key was stored with another body."""
        with self.lock:
            row = self.db.execute("SELECT body FROM reports WHERE key = ?", (key,)).fetchone()
            return row is not None and row[0] != body

    def store(self, key, body):
        """Stores the report once; returns its reference, old or new (None
        when the key was stored with another body)."""
        with self.lock:
            row = self.db.execute("SELECT reference, body FROM reports WHERE key = ?",
                                  (key,)).fetchone()
            if row:
                return row[0] if row[1] == body else None
            reference = "CA-%06d" % (self.db.execute("SELECT count(*) FROM reports")
                                     .fetchone()[0] + 1)
            self.db.execute("INSERT INTO reports VALUES (?, ?, ?, ?)",
                            (key, reference, body, time.time()))
            return reference


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def setup(self):
        super().setup()
        # Headers and body in one segment: no Nagle delay on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def answer(self, status, payload, headers=(), slow=False):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if slow:
            for i in range(0, len(data), 4):
                self.wfile.write(data[i:i + 4])
                self.wfile.flush()
                time.sleep(0.02)
        else:
            self.wfile.write(data)
            self.wfile.flush()

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        key = self.headers.get("Idempotency-Key")
        signature = self.headers.get("X-ParcelScreen-Signature", "")
        signature_ok = 0
        if self.state.verify_key and signature.startswith("ed25519="):
            try:
                self.state.verify_key.verify(body, base64.b64decode(signature[8:]))
                signature_ok = 1
            except (nacl.exceptions.BadSignatureError, ValueError):
                signature_ok = 0
        mode = self.state.next_mode() if not self.path.startswith("/elsewhere") else "followed"
        if key and self.state.mismatch(key, body.decode()):
            mode = "mismatch"
        self.state.log(key, mode, signature_ok, body, self.headers.get("X-ParcelScreen-Counter"))

        if mode == "mismatch":
            return self.answer(422, {"error": "Idempotency-Key reused with another body"})
        if not key:
            return self.answer(400, {"error": "Idempotency-Key missing"})
        if self.state.verify_key and not signature_ok:
            return self.answer(401, {"error": "bad signature"})
        try:
            json.loads(body)
        except ValueError:
            return self.answer(400, {"error": "not JSON"})

        if mode == "ok":
            self.answer(200, {"reference": self.state.store(key, body.decode())})
        elif mode in ("500", "408", "429", "400"):
            self.answer(int(mode), {"error": "fault " + mode})
        elif mode == "307":
            port = self.server.server_address[1]
            self.answer(307, {"error": "moved"},
                        headers=[("Location", "https://localhost:%d/elsewhere" % port)])
        elif mode == "followed":
            self.answer(500, {"error": "a redirect was followed"})
        elif mode == "503-day":
            self.answer(503, {"error": "maintenance"}, headers=[("Retry-After", "86400")])
        elif mode == "503":
            self.answer(503, {"error": "busy"}, headers=[("Retry-After", "1")])
        elif mode == "timeout":
            time.sleep(3)
            self.reset()
        elif mode == "reset":
            self.reset()
        elif mode == "slow":
            self.answer(200, {"reference": self.state.store(key, body.decode())}, slow=True)
        elif mode == "lost-ack":
            self.state.store(key, body.decode())
            self.reset()
        elif mode == "hang":
            time.sleep(3600)
        elif mode == "lag":
            time.sleep(1)
            self.answer(200, {"reference": self.state.store(key, body.decode())})
        else:
            self.answer(500, {"error": "unknown fault " + mode})


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # resets and refused handshakes are the point


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--client-ca", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--public-key")
    parser.add_argument("--faults", default="ok")
    parser.add_argument("--control")
    parser.add_argument("--tls", choices=("1.2", "1.3"))
    options = parser.parse_args()

    Handler.state = State(options.store, options.faults.split(","), options.public_key)
    Handler.state.control = options.control
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if options.tls == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    elif options.tls == "1.3":
        context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(options.cert, options.key)
    context.load_verify_locations(options.client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("port %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
