#!/usr/bin/python3
"""parcelscreenctl report: a supervisor lists, reads and acts on the held
parcels' reports from the command line, with the same store calls and rules
as the screen (issue 11): the reasons in words, times in Vietnam's, every
action a custody event forwarded as the screen's are, the roles enforced."""

import os
import sqlite3
import subprocess
import sys
import tempfile

CTL = os.environ.get("PARCELSCREENCTL")
FAILURES = []
PIN = "739146\n"


def check(condition, message):
    print(("ok - " if condition else "not ok - ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def report(*args, login="sim-supervisor", pin=PIN):
    return subprocess.run([CTL, "report"] + list(args) + ["--db", db, "--as", login,
                                                           "--pin-stdin"],
                          input=pin, capture_output=True, text=True, timeout=120)


if not CTL:
    print("SKIP: PARCELSCREENCTL is not set")
    sys.exit(77)
work = tempfile.mkdtemp(prefix="ps-report-")
db = os.path.join(work, "counter.db")
result = subprocess.run([CTL, "simulate", "--db", db, "--parcels", "12", "--hold-rate", "0.5",
                         "--seed", "3"], capture_output=True, text=True)
assert result.returncode == 0, result.stderr
with sqlite3.connect(db) as connection:
    reports = [r for (r,) in connection.execute("SELECT id FROM reports ORDER BY id")]
check(len(reports) >= 2, "the simulation held parcels (%d reports)" % len(reports))
first = str(reports[0])

result = report("list")
check(result.returncode == 0 and len(result.stdout.splitlines()) == len(reports),
      "report list shows every open report (%s)" % result.stderr.strip())
check("suspected-drugs" not in result.stdout and "Suspected drugs" in result.stdout and
      "/20" in result.stdout,
      "… with reasons in words and local times (%s)" % result.stdout.splitlines()[:1])
result = report("list", login="sim-clerk")
check(result.returncode == 1 and "not a" in result.stderr,
      "a clerk cannot use it (%s)" % result.stderr.strip())

result = report("show", first)
check(result.returncode == 0 and "created" in result.stdout and "Sender:" in result.stdout,
      "report show gives the parcel, its people and custody events")

result = report("assess", first, "--note", "Bột trắng, chờ công an")
check(result.returncode == 0, "an assessment is recorded (%s)" % result.stderr.strip())
result = report("handover", first, "--officer", "Đại úy Lê Văn Công", "--unit",
                "PC04 Công an tỉnh", "--badge", "123-456")
check(result.returncode == 1 and "seizure instruction" in result.stderr,
      "without the police's seizure instruction a hand-over is refused (%s)"
      % result.stderr.strip())
result = report("handover", first, "--officer", "Đại úy Lê Văn Công", "--unit",
                "PC04 Công an tỉnh", "--badge", "123-456", "--override",
                "Công an đến lấy trực tiếp, mất kết nối")
check(result.returncode == 0, "a hand-over with an override and its reason is recorded (%s)"
      % result.stderr.strip())
result = report("release", first, "--note", "x")
check(result.returncode == 1 and "cannot be recorded" in result.stderr,
      "a handed-over parcel cannot be released: the screen's rules (%s)" % result.stderr.strip())
result = report("close", first, "--note", "Vụ việc chuyển cơ quan điều tra")
check(result.returncode == 0, "the report is closed (%s)" % result.stderr.strip())

with sqlite3.connect(db) as connection:
    kinds = [k for (k,) in connection.execute(
        "SELECT kind FROM custody_events WHERE report_id = ? ORDER BY id", (reports[0],))]
    outbox = connection.execute("SELECT count(*) FROM outbox WHERE report_id = ?",
                                (reports[0],)).fetchone()[0]
    status = connection.execute("SELECT status FROM reports WHERE id = ?",
                                (reports[0],)).fetchone()[0]
check(kinds == ["created", "assessment", "handover", "close"] and outbox == 4 and
      status == "closed",
      "each action is a custody event queued for the police (%r, %d rows, %s)"
      % (kinds, outbox, status))
result = report("list")
check(first not in [line.split()[0] for line in result.stdout.splitlines()],
      "the closed report leaves the list")
result = report("list", "--all")
check(first in [line.split()[0] for line in result.stdout.splitlines()],
      "… and is listed with --all")
verify = subprocess.run([CTL, "audit", "verify", "--db", db], capture_output=True, text=True)
check(verify.returncode == 0, "the audit trail verifies (%s)" % verify.stdout.strip())

if FAILURES:
    print("%d check(s) failed" % len(FAILURES))
    sys.exit(1)
