#!/usr/bin/python3
"""The forwarder against receivers that hang, lag or disappear
(tests/relay/receiver.py), as a service manager and a technician use it.

1. A receiver that accepts connections and never answers: "forward --once"
   tries each row once and returns; "forward --watch" stops within 2 s of
   SIGTERM and of SIGINT; every row stays pending, none leased, none
   half-recorded.
2. A slow but working receiver (1 s an answer): SIGTERM mid-backlog stops
   the forwarder within 2 s; the rows it sent are recorded with the
   receiver's reference, the others stay pending.
3. A forwarder killed (SIGKILL) while it holds leases, with the default
   timeouts: another forwarder sends its rows within 60 s.
4. Waiting costs nothing: a forwarder whose rows are all leased by another,
   or wait behind a row the receiver refused, uses under 1% of a core over
   10 s, and sends nothing.
"""

import os
import signal
import sqlite3
import subprocess
import time

import relaylib
from relaylib import check

relaylib.need_tools()
work = relaylib.tempdir()
certs = relaylib.Certificates(work)


def counter(name, parcels, seed):
    directory = os.path.join(work, name)
    os.makedirs(directory)
    db, key, public = relaylib.make_counter(directory, parcels, seed=seed)
    return directory, db, key, public


def forward(config, db, *mode, **kwargs):
    return subprocess.Popen([relaylib.CTL, "forward"] + list(mode) +
                            ["--config", config, "--db", db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def stop_within(process, sig, seconds):
    """Sends @sig; returns (exit status or None, seconds it took)."""
    start = time.monotonic()
    process.send_signal(sig)
    try:
        status = process.wait(timeout=seconds + 5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        status = None
    return status, time.monotonic() - start


def rows(db):
    with sqlite3.connect(db, timeout=10) as connection:
        return connection.execute("SELECT state, attempts, lease_owner, receiver_reference, "
                                  "idempotency_key FROM outbox ORDER BY id").fetchall()


HUNG = ("connect-timeout-ms=300\ntimeout-ms=300\n", "retry-base-ms=1000\nretry-cap-ms=3000\n")

# ---- 1. A receiver that never answers ----------------------------------------
directory, db, key, public = counter("hung", 23, "21")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"), public,
                             "hang")
try:
    config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, key,
                                   timeouts=HUNG)
    start = time.monotonic()
    once = forward(config, db, "--once")
    try:
        out, _ = once.communicate(timeout=60)
        status = once.returncode
    except subprocess.TimeoutExpired:
        once.kill()
        out, _ = once.communicate()
        status = None
    seconds = time.monotonic() - start
    tries = receiver.query("SELECT count(*) FROM requests")[0][0]
    check(status == 1 and seconds < 20,
          "forward --once returns against a receiver that never answers (%r in %.1f s)"
          % (status, seconds))
    state = rows(db)
    check(tries == 23 and all(a == 1 for _, a, _, _, _ in state),
          "… having tried each of the 23 rows once (%d requests)" % tries)
    check(all(s == "pending" and owner is None for s, _, owner, _, _ in state),
          "… every row still pending, none leased")

    for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
        before = receiver.query("SELECT count(*) FROM requests")[0][0]
        watch = forward(config, db, "--watch")
        relaylib.wait_until(
            lambda: receiver.query("SELECT count(*) FROM requests")[0][0] > before, 20)
        time.sleep(0.5)  # inside the hung request
        status, seconds = stop_within(watch, sig, 2)
        print("# forward --watch stopped %.2f s after %s against a hung receiver"
              % (seconds, name))
        check(status == 0 and seconds < 2.0,
              "forward --watch stops within 2 s of %s while the receiver hangs (%r, %.2f s)"
              % (name, status, seconds))
        state = rows(db)
        check(all(s == "pending" and owner is None for s, _, owner, _, _ in state),
              "… leaving every row pending and none leased after %s" % name)
finally:
    receiver.stop()

# ---- 2. A slow receiver, SIGTERM mid-backlog ---------------------------------
directory, db, key, public = counter("slow", 19, "22")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"), public,
                             "lag")
try:
    config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, key)
    watch = forward(config, db, "--watch")
    relaylib.wait_until(lambda: receiver.query("SELECT count(*) FROM reports")[0][0] >= 2, 20)
    status, seconds = stop_within(watch, signal.SIGTERM, 2)
    print("# forward --watch stopped %.2f s after SIGTERM against a 1 s receiver" % seconds)
    check(status == 0 and seconds < 2.0,
          "forward --watch stops within 2 s of SIGTERM mid-backlog (%r, %.2f s)"
          % (status, seconds))
    state = rows(db)
    stored = dict(receiver.query("SELECT key, reference FROM reports"))
    sent = [r for r in state if r[0] == "sent"]
    check(0 < len(sent) < 19, "… after sending part of the backlog (%d of 19)" % len(sent))
    check(all(stored.get(k) == reference for _, _, _, reference, k in sent),
          "… each row marked sent holds the receiver's reference")
    check(all(s in ("sent", "pending") and owner is None for s, _, owner, _, _ in state),
          "… and the rest pending, none leased")
finally:
    receiver.stop()

# ---- 3. SIGKILL while leased; another forwarder takes over -------------------
directory, db, key, public = counter("takeover", 30, "23")
control = os.path.join(directory, "faults")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"), public,
                             "lag,hang", control=control)
try:
    # The default timeouts (30 s a try, 10 s to connect).
    config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, key,
                                   timeouts=("", "retry-base-ms=20\nretry-cap-ms=300\n"))
    first = forward(config, db, "--watch")
    relaylib.wait_until(lambda: receiver.query(
        "SELECT count(*) FROM requests WHERE mode = 'hang'")[0][0] >= 1, 20)
    leased = sum(1 for _, _, owner, _, _ in rows(db) if owner is not None)
    first.send_signal(signal.SIGKILL)
    first.wait()
    check(leased > 0, "the first forwarder held leases when it was killed (%d rows)" % leased)
    receiver.set_faults("ok")
    start = time.monotonic()
    second = forward(config, db, "--watch")
    done = relaylib.wait_until(lambda: all(s == "sent" for s, _, _, _, _ in rows(db)), 90)
    takeover = time.monotonic() - start
    stop_within(second, signal.SIGTERM, 2)
    print("# a second forwarder sent the killed one's rows %.1f s after it started" % takeover)
    check(done and takeover <= 60,
          "another forwarder sends the killed one's rows within 60 s (%.1f s)" % takeover)
    per_key = receiver.query("SELECT count(*) FROM reports")[0][0]
    mismatched = receiver.query("SELECT count(*) FROM requests WHERE mode = 'mismatch'")[0][0]
    check(per_key == 30 and mismatched == 0,
          "… every report stored once (%d), no key reused with another body (%d)"
          % (per_key, mismatched))
finally:
    receiver.stop()

# ---- 4. Waiting costs nothing ------------------------------------------------
def idle_cpu(config, db, receiver):
    watch = forward(config, db, "--watch")
    time.sleep(1.5)
    before = relaylib.cpu_seconds(watch.pid)
    time.sleep(10)
    used = relaylib.cpu_seconds(watch.pid) - before
    status, _ = stop_within(watch, signal.SIGTERM, 2)
    requests = receiver.query("SELECT count(*) FROM requests")[0][0]
    return used / 10, status, requests


directory, db, key, public = counter("idle", 6, "24")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"), public)
try:
    config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, key)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE outbox SET lease_owner = 'another-forwarder', "
                           "lease_until_us = ?", (int((time.time() + 3600) * 1e6),))
    share, status, requests = idle_cpu(config, db, receiver)
    print("# idle CPU with every row leased elsewhere: %.3f%% of a core" % (share * 100))
    check(share < 0.01 and status == 0 and requests == 0,
          "rows leased by another forwarder: under 1%% of a core over 10 s (%.3f%%), "
          "nothing sent (%d)" % (share * 100, requests))

    # One report refused for good, a later row of the same report behind it.
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE outbox SET lease_owner = NULL, lease_until_us = 0, "
                           "state = 'sent', receiver_reference = 'elsewhere'")
        report, first_id = connection.execute(
            "SELECT report_id, id FROM outbox ORDER BY id LIMIT 1").fetchone()
        connection.execute("UPDATE outbox SET state = 'failed', last_error = 'refused' "
                           "WHERE id = ?", (first_id,))
        connection.execute("INSERT INTO outbox (idempotency_key, kind, report_id, created_us, "
                           "next_attempt_us) VALUES ('behind-refused', 'closure', ?, 0, 0)",
                           (report,))
    share, status, requests = idle_cpu(config, db, receiver)
    print("# idle CPU with a row behind a refused one: %.3f%% of a core" % (share * 100))
    check(share < 0.01 and status == 0 and requests == 0,
          "a row waiting behind a refused row: under 1%% of a core over 10 s (%.3f%%), "
          "nothing sent (%d)" % (share * 100, requests))
finally:
    receiver.stop()

relaylib.finish()
