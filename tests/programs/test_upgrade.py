#!/usr/bin/python3
"""Upgrading a counter's database written by the previous release (schema 4,
tests/package/counter-schema4.db, made by that release's own
`parcelscreenctl simulate`):

- `db backup` copies it as it is (still schema 4), never migrating it;
- `db migrate` moves it to the current schema and says so, and a second run
  says there is nothing to do;
- the audit trail of the migrated database verifies, its records are all
  there, and a program that finds a newer schema refuses it untouched.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

CTL = os.environ.get("PARCELSCREENCTL")
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "package",
                       "counter-schema4.db")
FAILURES = []


def check(condition, message):
    print(("ok - " if condition else "not ok - ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def ctl(*args):
    return subprocess.run([CTL, *args], capture_output=True, text=True, timeout=120)


def version(path):
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


if not CTL:
    print("SKIP: PARCELSCREENCTL is not set")
    sys.exit(77)
work = tempfile.mkdtemp(prefix="ps-upgrade-")
db = os.path.join(work, "counter.db")
shutil.copyfile(FIXTURE, db)
os.chmod(db, 0o600)
with sqlite3.connect(db) as connection:
    parcels = connection.execute("SELECT count (*) FROM parcels").fetchone()[0]
check(version(db) == 4 and parcels == 30, "the fixture is a schema 4 database with 30 parcels")

backup = os.path.join(work, "before-upgrade.db")
result = ctl("db", "backup", "--db", db, backup)
check(result.returncode == 0 and version(backup) == 4 and version(db) == 4,
      "db backup copies it as it is, schema 4, and leaves it so (%s)" % result.stderr.strip())
result = ctl("db", "migrate", "--db", db)
check(result.returncode == 0 and "from schema version 4 to" in result.stdout,
      "db migrate moves it on: " + (result.stdout + result.stderr).strip())
current = version(db)
check(current > 4, "the database is now at schema %d" % current)
result = ctl("db", "migrate", "--db", db)
check(result.returncode == 0 and "already" in result.stdout,
      "a second db migrate has nothing to do")
result = ctl("audit", "verify", "--db", db)
check(result.returncode == 0 and "whole" in result.stdout,
      "the audit trail of the migrated database verifies: " + (result.stdout + result.stderr).strip())
with sqlite3.connect(db) as connection:
    check(connection.execute("SELECT count (*) FROM parcels").fetchone()[0] == parcels,
          "every parcel is still there")
    connection.execute("PRAGMA user_version = %d" % (current + 1))
result = ctl("db", "check", "--db", db)
check(result.returncode != 0 and "newer" in result.stderr,
      "a newer schema is refused with a clear message: " + result.stderr.strip())
result = ctl("db", "backup", "--db", db, os.path.join(work, "newer.db"))
check(result.returncode != 0 and version(db) == current + 1,
      "… and left as it was")
shutil.rmtree(work)
if FAILURES:
    sys.exit(1)
