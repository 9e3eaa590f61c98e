"""Helpers for the hub's tests: a PostgreSQL cluster in a temporary folder,
the hub and hubctl programs, counters with their own keys and certificates.

PostgreSQL refuses to run as root: as root the cluster belongs to the
"postgres" user that Debian's postgresql-common creates, and runs under
runuser; as anyone else it runs as that user."""

import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "relay"))
import relaylib  # noqa: E402
from relaylib import check, finish, run, ctl, wait_until  # noqa: E402,F401

HUB = os.environ.get("PARCELSCREEN_HUB")
HUBCTL = os.environ.get("PARCELSCREEN_HUBCTL")


def pg_bin(name):
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))
    return found[-1] if found else shutil.which(name)


def need_tools():
    relaylib.need_tools()
    if not HUB or not os.path.exists(HUB):
        print("SKIP: parcelscreen-hub was not built (libsoup-3.0-dev or libpq-dev missing)")
        sys.exit(77)
    if pg_bin("initdb") is None or pg_bin("pg_ctl") is None:
        print("SKIP: PostgreSQL (postgresql-15) is not installed")
        sys.exit(77)
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            print("SKIP: running as root and there is no postgres user to run PostgreSQL")
            sys.exit(77)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away cluster listening on a Unix socket only."""

    def __init__(self, max_connections=100):
        self.dir = tempfile.mkdtemp(prefix="ps-hub-pg-")
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        run(*self.as_user, pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8")
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as f:
            f.write("listen_addresses = ''\nunix_socket_directories = '%s'\nport = %d\n"
                    "max_connections = %d\nshared_buffers = 128MB\nfsync = on\n"
                    "synchronous_commit = on\n" % (self.dir, self.port, max_connections))
        self.start()
        run(*self.as_user, pg_bin("createdb"), "-h", self.dir, "-p", str(self.port), "-U",
            "postgres", "hub")
        self.conninfo = "host=%s port=%d dbname=hub user=postgres" % (self.dir, self.port)

    def pg_ctl(self, *args):
        return run(*self.as_user, pg_bin("pg_ctl"), "-D", self.data, "-l",
                   os.path.join(self.dir, "log"), "-w", "-t", "60", *args)

    def start(self):
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def restart(self):
        self.pg_ctl("restart", "-m", "fast")

    def query(self, sql):
        """Rows as lists of strings (psql's unaligned output)."""
        out = run(*self.as_user, pg_bin("psql"), "-h", self.dir, "-p", str(self.port), "-U",
                  "postgres", "-d", "hub", "-X", "-A", "-t", "-F", "\t", "-c", sql).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def destroy(self):
        try:
            self.stop()
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Hub:
    """A parcelscreen-hub process with its configuration."""

    def __init__(self, directory, certs, postgres, name="hub", pool=8, web=True, port=None,
                 web_port=None):
        self.config = os.path.join(directory, name + ".conf")
        self.port = port or free_port()
        self.web_port = (web_port or free_port()) if web else 0
        with open(self.config, "w") as f:
            f.write("[database]\nconninfo=%s\npool-size=%d\nacquire-timeout-ms=2000\n"
                    "[ingest]\naddress=127.0.0.1\nport=%d\ntls-certificate=%s\ntls-key=%s\n"
                    "counter-ca=%s\n[web]\naddress=127.0.0.1\nport=%d\n"
                    % (postgres.conninfo, pool, self.port, certs.server[1], certs.server[0],
                       certs.ca[1], self.web_port))
        self.log = os.path.join(directory, name + ".log")
        self.process = None
        self.url = "https://localhost:%d/v1/reports" % self.port
        self.web_url = "https://localhost:%d" % self.web_port

    def start(self):
        self.logfile = open(self.log, "a")
        self.process = subprocess.Popen([HUB, "--config", self.config], stdout=self.logfile,
                                        stderr=subprocess.STDOUT)
        ok = wait_until(self._listening, 20)
        if not ok:
            raise RuntimeError("the hub did not start: " + open(self.log).read()[-2000:])
        return self

    def _listening(self):
        if self.process.poll() is not None:
            raise RuntimeError("the hub exited: " + open(self.log).read()[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def kill(self, sig=signal.SIGKILL):
        self.process.send_signal(sig)
        code = self.process.wait(timeout=30)
        self.logfile.close()
        return code

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            return self.kill(signal.SIGTERM)
        return self.process.returncode if self.process else None


def hubctl(postgres, *args, stdin=None):
    return subprocess.run([HUBCTL, "--database", postgres.conninfo, *args], input=stdin,
                          capture_output=True, text=True)


# openssl's -CAcreateserial keeps the serial in one file: one signer at a time.
CA_LOCK = threading.Lock()


class Counter:
    """A counter PC: a simulated day's database, a signing key, a client
    certificate of the counter CA, and a configuration for the hub."""

    def __init__(self, directory, certs, office, counter, parcels=3, seed="7", hold_rate="1.0"):
        self.dir = os.path.join(directory, "%s-%s" % (office, counter))
        os.makedirs(self.dir, exist_ok=True)
        self.office, self.counter = office, counter
        self.db, self.key, self.public = relaylib.make_counter(self.dir, parcels,
                                                                hold_rate=hold_rate, seed=seed)
        with CA_LOCK:
            self.client = certs._leaf("client-%s-%s" % (office, counter),
                                      "%s counter %s" % (office, counter), certs.ca)
        self.certs = certs

    def register(self, postgres):
        return hubctl(postgres, "counter", "add", self.office, self.counter, "--key",
                      self.public, "--cert", self.client[1])

    def write_config(self, url, timeouts=relaylib.FAST, extra=""):
        self.config = os.path.join(self.dir, "counter.conf")
        with open(self.config, "w") as f:
            f.write("[counter]\noffice-code=%s\ncounter-id=%s\n"
                    "[relay]\nurl=%s\nca-file=%s\nclient-cert=%s\nclient-key=%s\n"
                    "signing-key=%s\nsimulation=1\n%s%s%s"
                    % (self.office, self.counter, url, self.certs.ca[1], self.client[1],
                       self.client[0], self.key, timeouts[0], timeouts[1], extra))
        return self.config

    def forward_once(self):
        return ctl("forward", "--once", "--config", self.config, "--db", self.db)

    def outbox(self):
        return relaylib.outbox(self.db)


class Browser:
    """A police user's session over HTTPS, as a browser's forms do it."""

    def __init__(self, port, certs):
        self.port = port
        self.certs = certs
        self.cookies = {}

    def request(self, method, path, form=None):
        context = ssl.create_default_context(cafile=self.certs.ca[1])
        connection = http.client.HTTPSConnection("localhost", self.port, context=context,
                                                 timeout=30)
        headers = {"Cookie": "; ".join("%s=%s" % kv for kv in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return answer.status, answer.getheader("Location"), answer.read().decode()

    def login(self, login, password):
        _, _, page = self.request("GET", "/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        status, location, _ = self.request("POST", "/login", {"csrf": csrf, "login": login,
                                                              "password": password})
        return status == 303 and location == "/reports"

    def instruct(self, counter_id, report_id, **fields):
        path = "/report?counter=%s&id=%s" % (counter_id, report_id)
        _, _, page = self.request("GET", path)
        csrf = re.search(r'id="instruct".*?name="csrf" value="([^"]+)"', page, re.S).group(1)
        fields["csrf"] = csrf
        return self.request("POST", "/instruct?counter=%s&id=%s" % (counter_id, report_id),
                            fields)


def tempdir():
    d = tempfile.mkdtemp(prefix="ps-hub-")
    os.chmod(d, 0o755)
    return d
