"""Helpers for the relay tests: certificates made with the openssl command,
the test receiver, a database of held parcels, a configuration."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CTL = os.environ.get("PARCELSCREENCTL")
FAILURES = []


def check(condition, message):
    print(("ok - " if condition else "not ok - ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def finish():
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        sys.exit(1)
    sys.exit(0)


def need_tools():
    if shutil.which("openssl") is None:
        print("SKIP: the openssl command is not installed")
        sys.exit(77)
    try:
        import nacl.signing  # noqa: F401
    except ImportError:
        print("SKIP: python3-nacl is not installed")
        sys.exit(77)


def run(*args, check_status=True, **kwargs):
    result = subprocess.run(list(args), capture_output=True, text=True, **kwargs)
    if check_status and result.returncode != 0:
        raise RuntimeError("%s: %s%s" % (" ".join(args), result.stdout, result.stderr))
    return result


def ctl(*args, check_status=False, **kwargs):
    return run(CTL, *args, check_status=check_status, **kwargs)


class Certificates:
    """A CA, a server certificate for localhost, a client certificate, and the
    wrong ones: a client from another CA, an expired server certificate, one
    for another name."""

    def __init__(self, directory):
        self.dir = directory
        self.ca = self._ca("ca", "ParcelScreen test CA")
        self.rogue_ca = self._ca("rogue-ca", "Someone else's CA")
        self.server = self._leaf("server", "localhost", self.ca, server=True)
        self.client = self._leaf("client", "BC-700000 counter 03", self.ca)
        self.rogue_client = self._leaf("rogue-client", "intruder", self.rogue_ca)
        self.other_name = self._leaf("other-name", "police.example", self.ca, server=True,
                                     names="DNS:police.example")
        self.expired = self._leaf("expired", "localhost", self.ca, server=True,
                                  dates=("20200101000000Z", "20200201000000Z"))

    def path(self, name):
        return os.path.join(self.dir, name)

    def _ca(self, name, subject):
        key, cert = self.path(name + ".key"), self.path(name + ".pem")
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=" + subject)
        return (key, cert)

    def _leaf(self, name, subject, ca, server=False, names="DNS:localhost,IP:127.0.0.1",
              dates=None):
        key, csr, cert = (self.path(name + ext) for ext in (".key", ".csr", ".pem"))
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=" + subject)
        extensions = self.path(name + ".ext")
        with open(extensions, "w") as f:
            if server:
                f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n" % names)
            else:
                f.write("extendedKeyUsage=clientAuth\n")
        if dates is None:
            run("openssl", "x509", "-req", "-in", csr, "-CA", ca[1], "-CAkey", ca[0],
                "-CAcreateserial", "-out", cert, "-days", "30", "-extfile", extensions)
        else:
            # An expired certificate needs "openssl ca" for its dates.
            base = self.path(name + "-ca")
            os.makedirs(base, exist_ok=True)
            open(os.path.join(base, "index.txt"), "w").close()
            with open(os.path.join(base, "serial"), "w") as f:
                f.write("1000\n")
            config = os.path.join(base, "ca.cnf")
            with open(config, "w") as f:
                f.write("[ca]\ndefault_ca=test\n[test]\ndir=%s\ndatabase=$dir/index.txt\n"
                        "serial=$dir/serial\nnew_certs_dir=$dir\ndefault_md=sha256\n"
                        "policy=any\nunique_subject=no\ncopy_extensions=none\n"
                        "[any]\ncommonName=supplied\n" % base)
            run("openssl", "ca", "-batch", "-config", config, "-cert", ca[1], "-keyfile", ca[0],
                "-in", csr, "-out", cert, "-startdate", dates[0], "-enddate", dates[1],
                "-extfile", extensions, "-notext")
        return (key, cert)

    def pin(self, leaf):
        """curl's pin of a certificate's public key: sha256//BASE64."""
        der = run("openssl", "x509", "-in", leaf[1], "-pubkey", "-noout").stdout
        pub = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"],
                             input=der.encode(), capture_output=True, check=True).stdout
        digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=pub,
                                capture_output=True, check=True).stdout
        import base64
        return "sha256//" + base64.b64encode(digest).decode()


class Receiver:
    def __init__(self, certs, server, store, public_key, faults="ok", control=None, tls=None):
        self.store = store
        self.control = control
        extra = (["--control", control] if control else []) + (["--tls", tls] if tls else [])
        if control:
            self.set_faults(faults)
        self.process = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "receiver.py"), "--cert", server[1],
             "--key", server[0], "--client-ca", certs.ca[1], "--store", store,
             "--public-key", public_key, "--faults", faults] + extra,
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            raise RuntimeError("the receiver did not start")
        self.port = int(line[1])
        self.url = "https://localhost:%d/reports" % self.port

    def set_faults(self, faults):
        """Changes a running receiver's faults (it was started with a control file)."""
        temporary = self.control + ".new"
        with open(temporary, "w") as f:
            f.write(faults)
        os.replace(temporary, self.control)

    def query(self, sql, *args):
        with sqlite3.connect(self.store, timeout=10) as db:
            return db.execute(sql, args).fetchall()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def make_counter(directory, parcels, hold_rate="1.0", seed="7"):
    """A database with held parcels (one outbox row each) and a signing key."""
    db = os.path.join(directory, "counter.db")
    result = ctl("simulate", "--db", db, "--parcels", str(parcels), "--hold-rate", hold_rate,
                 "--seed", seed)
    if result.returncode != 0:
        raise RuntimeError("simulate: " + result.stderr)
    key = os.path.join(directory, "signing.key")
    if not os.path.exists(key):
        result = ctl("keys", "generate", "--key", key)
        if result.returncode != 0:
            raise RuntimeError("keys generate: " + result.stderr)
    public = ctl("keys", "show", "--public", "--key", key).stdout.strip()
    return db, key, public


FAST = ("connect-timeout-ms=2000\ntimeout-ms=1500\n", "retry-base-ms=20\nretry-cap-ms=300\n")


def write_config(directory, name, url, certs, key, client=None, pin="", extra="",
                 timeouts=FAST):
    """A configuration for the receiver at @url; @timeouts: the [relay]
    lines for the time-outs and for the back-off ("" leaves the defaults)."""
    client = client or certs.client
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("[counter]\noffice-code=BC-700000\ncounter-id=03\n"
                "[relay]\nurl=%s\nca-file=%s\nclient-cert=%s\nclient-key=%s\n"
                "signing-key=%s\npinned-key=%s\nsimulation=1\n%s%s%s"
                % (url, certs.ca[1], client[1], client[0], key, pin, timeouts[0], timeouts[1],
                   extra))
    return path


def cpu_seconds(pid):
    """User and system CPU time a process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def outbox(db):
    with sqlite3.connect(db, timeout=10) as connection:
        return connection.execute("SELECT idempotency_key, state, receiver_reference, "
                                  "last_error FROM outbox ORDER BY id").fetchall()


def tempdir():
    return tempfile.mkdtemp(prefix="ps-relay-")


def wait_until(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
