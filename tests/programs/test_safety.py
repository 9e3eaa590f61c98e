#!/usr/bin/python3
"""parcelscreenctl as a tired technician or an attacker with the counter's
files uses it (issue 10): each check here failed on the code before its fix.

- A mistyped --db is refused with nothing created; a device is never opened
  as a database (defect 7).
- simulate needs its own --db, refuses a counter's database, and marks its
  own as a simulation, which is forwarded only to a test receiver
  (defect 8).
- "db backup" onto the database itself is refused while decisions are being
  written, and the database stays whole (defect 1).
- The lock-out policy comes from the system configuration only (defect 4).
- A full name cannot carry a line break into "user list" (defect 11).
- Files readable by others are named or closed up; configuration values with
  control characters, an http:// receiver are refused; a byte-order mark is
  read as such (defect 12).
"""

import os
import sqlite3
import subprocess
import sys
import tempfile
import threading

CTL = os.environ.get("PARCELSCREENCTL")
FAILURES = []


def check(condition, message):
    print(("ok - " if condition else "not ok - ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def ctl(*args, stdin=None):
    return subprocess.run([CTL] + list(args), input=stdin, capture_output=True, text=True,
                          timeout=120)


if not CTL:
    print("SKIP: PARCELSCREENCTL is not set")
    sys.exit(77)
work = tempfile.mkdtemp(prefix="ps-safety-")
PIN = "739146\n"

# ---- A real counter's database -----------------------------------------------
counter = os.path.join(work, "counter.db")
result = ctl("user", "add", "admin", "--name", "Quản trị", "--role", "admin", "--pin-stdin",
             "--db", counter, stdin=PIN)
check(result.returncode == 0, "user add creates the counter's database (%s)" % result.stderr)

# ---- Defect 7: a mistyped --db ------------------------------------------------
for command in (("audit", "verify"), ("db", "check"), ("db", "purge"), ("user", "list"),
                ("export", "--date", "2026-12-01")):
    missing = os.path.join(work, "countr.db")
    result = ctl(*command, "--db", missing)
    check(result.returncode != 0 and not os.path.exists(missing) and
          "no database" in result.stderr,
          "%s on a mistyped --db creates nothing and says so (%s)"
          % (" ".join(command), result.stderr.strip()))
result = ctl("audit", "verify", "--db", "/dev/null")
check(result.returncode != 0 and not os.path.exists("/dev/null-journal"),
      "audit verify refuses /dev/null and leaves no /dev/null-journal (%s)"
      % result.stderr.strip())
empty = os.path.join(work, "empty.db")
open(empty, "w").close()
result = ctl("audit", "verify", "--db", empty)
check(result.returncode != 0 and os.path.getsize(empty) == 0,
      "an empty file is not taken for a database (%s)" % result.stderr.strip())

# ---- Defect 8: simulate ------------------------------------------------------
result = ctl("simulate", "--parcels", "1")
check(result.returncode == 2 and "--db" in result.stderr,
      "simulate without --db is refused (%s)" % result.stderr.strip())
result = ctl("simulate", "--db", counter, "--parcels", "1")
check(result.returncode == 1 and "not a simulation" in result.stderr,
      "simulate refuses a counter's database (%s)" % result.stderr.strip())
with sqlite3.connect(counter) as connection:
    users = [u for (u,) in connection.execute("SELECT login FROM users")]
    parcels = connection.execute("SELECT count(*) FROM parcels").fetchone()[0]
check(users == ["admin"] and parcels == 0, "… and adds nothing to it (%r, %d)" % (users, parcels))
simulation = os.path.join(work, "simulation.db")
result = ctl("simulate", "--db", simulation, "--parcels", "3", "--hold-rate", "1")
with sqlite3.connect(simulation) as connection:
    mark = connection.execute("SELECT value FROM meta WHERE key = 'simulation'").fetchone()
check(result.returncode == 0 and mark == ("yes",),
      "simulate marks its own database as a simulation (%r)" % (mark,))
result = ctl("simulate", "--db", simulation, "--parcels", "2")
check(result.returncode == 0, "… and goes on with it later (%s)" % result.stderr.strip())
key = os.path.join(work, "signing.key")
ctl("keys", "generate", "--key", key)
config = os.path.join(work, "forward.conf")
with open(config, "w") as f:
    f.write("[counter]\noffice-code=BC-700000\ncounter-id=03\n[relay]\n"
            "url=https://localhost:9/\nsigning-key=%s\n" % key)
result = ctl("forward", "--once", "--config", config, "--db", simulation)
check(result.returncode == 1 and "simulation" in result.stderr,
      "a simulation is not forwarded to a receiver not marked as a test one (%s)"
      % result.stderr.strip())

# ---- Defect 1: a backup onto the live database ---------------------------------
live = os.path.join(work, "live.db")
ctl("simulate", "--db", live, "--parcels", "20")
stop = threading.Event()
writer = subprocess.Popen([CTL, "simulate", "--db", live, "--parcels", "400"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
outcomes = []
while writer.poll() is None and len(outcomes) < 20:
    outcomes.append(ctl("db", "backup", live, "--db", live, "--replace"))
    outcomes.append(ctl("db", "backup", live + "-wal", "--db", live, "--replace"))
committed = sum(1 for line in writer.communicate()[0].splitlines()
                if line.startswith("committed "))
check(outcomes and all(o.returncode != 0 and "the database itself" in o.stderr
                       for o in outcomes),
      "db backup onto the database or its WAL is refused while decisions are written "
      "(%d tries)" % len(outcomes))
integrity = ctl("db", "check", "--db", live)
with sqlite3.connect(live) as connection:
    stored = connection.execute("SELECT count(*) FROM parcels").fetchone()[0]
check(integrity.returncode == 0 and stored == 20 + committed,
      "… the database is whole, with every committed decision (%d of %d)"
      % (stored, 20 + committed))

# ---- Defect 4: the lock-out policy is the counter's, not the caller's --------
loose = os.path.join(work, "loose.conf")
with open(loose, "w") as f:
    f.write("[security]\nmax-pin-failures=20\n")
result = ctl("user", "list", "--db", counter, "--config", loose)
check(result.returncode != 0 and "system configuration only" in result.stderr,
      "--config cannot raise the lock-out limit (%s)" % result.stderr.strip())
result = ctl("config", "check", "--config", loose)
check(result.returncode != 0 and "max-pin-failures" in result.stderr,
      "config check names the line (%s)" % result.stderr.strip())

# ---- Defect 11: a line break in a full name -----------------------------------
result = ctl("user", "add", "faker", "--name", "Lan\nadmin  Admin  admin", "--role", "clerk",
             "--pin-stdin", "--as", "admin", "--db", counter, stdin=PIN + "482915\n")
listing = ctl("user", "list", "--db", counter).stdout
check(result.returncode != 0 and "faker" not in listing and "one line" in result.stderr,
      "a full name with a line break is refused (%s)" % result.stderr.strip())

# ---- Defect 12: modes and configuration files ---------------------------------
os.chmod(counter, 0o644)
result = ctl("db", "check", "--db", counter)
check(os.stat(counter).st_mode & 0o777 == 0o600 and "other users" in result.stderr,
      "a database readable by others is closed up, and says so (%s)" % result.stderr.strip())
client_key = os.path.join(work, "client.key")
with open(client_key, "w") as f:
    f.write("not really a key\n")
os.chmod(client_key, 0o644)
keyed = os.path.join(work, "keyed.conf")
with open(keyed, "w") as f:
    f.write("[counter]\noffice-code=BC-700000\ncounter-id=03\n[relay]\n"
            "url=https://localhost:9/\nsigning-key=%s\nclient-key=%s\nsimulation=1\n"
            "connect-timeout-ms=200\ntimeout-ms=200\n" % (key, client_key))
result = ctl("forward", "--once", "--config", keyed, "--db", simulation)
check("client key" in result.stderr and "other users" in result.stderr,
      "a TLS client key readable by others is named (%s)" % result.stderr.strip()[:200])
for name, text, expected in (
        ("escape", "[counter]\noffice-code=BC\\n700000\n", "control character"),
        ("http", "[relay]\nurl=http://police.example/reports\n", "https://"),
        ("tab", "[counter]\ncounter-id=0\\t3\n", "control character")):
    bad = os.path.join(work, name + ".conf")
    with open(bad, "w") as f:
        f.write(text)
    result = ctl("config", "check", "--config", bad)
    check(result.returncode != 0 and expected in result.stderr and ":2:" in result.stderr,
          "config check refuses %s (%s)" % (name, result.stderr.strip()))
# Files are checked before they are read: a device would feed it forever, a
# FIFO would hang it (defect 11).
fifo = os.path.join(work, "fifo.conf")
os.mkfifo(fifo)
for name in ("/dev/zero", fifo):
    try:
        result = subprocess.run([CTL, "config", "check", "--config", name], capture_output=True,
                                text=True, timeout=20)
        answered = result.returncode != 0 and "not a regular file" in result.stderr
    except subprocess.TimeoutExpired:
        answered, result = False, None
    check(answered, "config check --config %s answers at once (%s)"
          % (name, result and result.stderr.strip()))
bom = os.path.join(work, "bom.conf")
with open(bom, "wb") as f:
    f.write(b"\xef\xbb\xbf[counter]\noffice-code=BC-700000\n")
result = ctl("config", "show", "--config", bom)
check(result.returncode == 0 and "counter.office-code = BC-700000" in result.stdout,
      "a byte-order mark (Notepad) is read as no part of the text (%s)" % result.stderr.strip())

if FAILURES:
    print("%d check(s) failed" % len(FAILURES))
    sys.exit(1)
