#!/usr/bin/python3
"""audit verify against edits made behind the program's back (issue 10,
defect 2). Each case changes a copy of a simulated counter's database the way
an attacker with the file would — restoring the append-only triggers after,
so that the schema looks untouched — and audit verify must name it, where
the code before the fix called the trail "whole"."""

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

CTL = os.environ.get("PARCELSCREENCTL")
FAILURES = []


def check(condition, message):
    print(("ok - " if condition else "not ok - ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def ctl(*args, stdin=None):
    return subprocess.run([CTL] + list(args), input=stdin, capture_output=True, text=True,
                          timeout=300)


if not CTL:
    print("SKIP: PARCELSCREENCTL is not set")
    sys.exit(77)
work = tempfile.mkdtemp(prefix="ps-audit-")
base = os.path.join(work, "base.db")
result = ctl("simulate", "--db", base, "--parcels", "60", "--hold-rate", "0.3", "--seed", "5")
assert result.returncode == 0, result.stderr
key = os.path.join(work, "signing.key")
ctl("keys", "generate", "--key", key)
config = os.path.join(work, "export.conf")
with open(config, "w") as f:
    f.write("[counter]\noffice-code=BC-700000\ncounter-id=03\n[relay]\nsigning-key=%s\n" % key)
# Three wrong PINs: entries that own no record, the last of the trail when
# the day is exported (the export names that head).
for _ in range(3):
    ctl("user", "add", "x", "--name", "X", "--role", "clerk", "--as", "sim-admin", "--pin-stdin",
        "--db", base, stdin="000002\n")
# The day of those entries, in Vietnam's time (an export names the head at
# the end of its day): near midnight there, not the parcels' day.
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%d")
result = ctl("export", "--date", today, "--out", os.path.join(work, "exports"), "--config",
             config, "--db", base)
check(result.returncode == 0, "the day is exported (%s)" % result.stderr.strip())
with sqlite3.connect(base) as connection:  # the copies below take the main file only
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
result = ctl("audit", "verify", "--db", base)
check(result.returncode == 0, "the untouched database verifies (%s)" % result.stdout.strip())


def tampered(name, *statements):
    """A copy of the base database with @statements run with the triggers off
    and then put back exactly as they were; audit verify's output."""
    path = os.path.join(work, name + ".db")
    shutil.copy(base, path)
    with sqlite3.connect(path) as connection:
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").fetchall()
        for trigger, _ in triggers:
            connection.execute("DROP TRIGGER %s" % trigger)
        for statement in statements:
            connection.execute(statement)
        for _, sql in triggers:
            connection.execute(sql)
    result = ctl("audit", "verify", "--db", path)
    return result.returncode, (result.stdout + result.stderr).strip()


CASES = [
    ("purged-swap", "a held parcel's sender swapped and the row marked purged",
     ["UPDATE parcels SET sender_name = 'Someone Else', sender_id = '079000000001', "
      "personal_data_purged_us = 1 WHERE id = (SELECT parcel_id FROM reports LIMIT 1)"],
     "purged"),
    ("purged-erase", "personal data erased and marked purged without a purge",
     ["UPDATE parcels SET sender_name = NULL, sender_id = NULL, sender_old_id = NULL, "
      "sender_address = NULL, sender_phone = NULL, sender_birth_date = NULL, "
      "sender_sex = NULL, sender_source = NULL, recipient_name = NULL, "
      "recipient_address = NULL, recipient_phone = NULL, personal_data_purged_us = 1 "
      "WHERE id = (SELECT min(id) FROM parcels)"],
     "no purge"),
    ("report-status", "a report's status and closing time",
     ["UPDATE reports SET status = 'closed', closed_us = 1 WHERE id = (SELECT min(id) FROM "
      "reports)"], "Report"),
    ("fake-admin", "a fake administrator",
     ["INSERT INTO users (login, full_name, role, pin_hash, created_us) SELECT 'mallory', "
      "'Mallory', 'admin', pin_hash, 1 FROM users LIMIT 1"], "User"),
    ("role-change", "a clerk made administrator",
     ["UPDATE users SET role = 'admin' WHERE role = 'clerk'"], "User"),
    ("pin-swap", "a user's PIN hash replaced by another's",
     ["UPDATE users SET pin_hash = (SELECT pin_hash FROM users WHERE role = 'admin') "
      "WHERE role = 'clerk'"], "User"),
    ("outbox-sent", "a delivery marked sent without being sent",
     ["UPDATE outbox SET state = 'sent', receiver_reference = 'FAKE' WHERE id = "
      "(SELECT min(id) FROM outbox)"], "outbox row"),
    ("outbox-deleted", "a delivery deleted",
     ["DELETE FROM outbox WHERE id = (SELECT max(id) FROM outbox)"], "deleted"),
    ("training-mark", "a real database marked as training (which stops forwarding)",
     ["INSERT INTO meta (key, value) VALUES ('training', 'yes')"], "setting"),
    ("simulation-mark-removed", "the simulation mark removed",
     ["DELETE FROM meta WHERE key = 'simulation'"], "setting"),
    ("tail-cut", "the last entries of the trail cut off",
     ["DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit)"], "cut off"),
    ("tail-replaced", "the last entry replaced by another that links",
     ["UPDATE audit SET payload = '{}' WHERE seq = (SELECT max(seq) FROM audit)"], "entry"),
]
for name, what, statements, expected in CASES:
    status, output = tampered(name, *statements)
    check(status == 1 and expected in output,
          "%s is named (%s)" % (what, output.splitlines()[-1] if output else ""))

# The triggers alone, dropped and left so.
path = os.path.join(work, "no-trigger.db")
shutil.copy(base, path)
with sqlite3.connect(path) as connection:
    connection.execute("DROP TRIGGER audit_no_update")
result = ctl("audit", "verify", "--db", path)
check(result.returncode == 1 and "schema" in result.stdout + result.stderr,
      "a dropped append-only trigger is named (%s)" % (result.stdout + result.stderr).strip())

# A purge made by the program verifies: tests/unit/test-store.c (/store/retention/purge).

if FAILURES:
    print("%d check(s) failed" % len(FAILURES))
    sys.exit(1)
