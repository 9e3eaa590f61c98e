#!/usr/bin/python3
"""A province on one machine: PS_PROVINCE_COUNTERS (default 100) counter
PCs, each a real `parcelscreenctl simulate` database with its own signing
key and client certificate and a real `forward --watch`, against two hub
processes on one PostgreSQL. During the run one hub is killed with SIGKILL
and started again, and PostgreSQL is restarted once.

At the end every outbox row of every counter is stored at the hub exactly
once, the counter's stored reference equals the hub's, every stored body's
signature verifies with the counter's registered key, and nothing is lost.
"""
import base64
import concurrent.futures
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hublib  # noqa: E402
from hublib import check, finish  # noqa: E402

hublib.need_tools()
import nacl.exceptions  # noqa: E402
import nacl.signing  # noqa: E402

N = int(os.environ.get("PS_PROVINCE_COUNTERS", "100"))
PARCELS = int(os.environ.get("PS_PROVINCE_PARCELS", "16"))
work = hublib.tempdir()
certs = hublib.relaylib.Certificates(work)
pg = hublib.Postgres(max_connections=100)
hubs, forwarders = [], []
started = time.time()


def make(i):
    office = "BC-%06d" % (700000 + (i // 4) * 100)
    return hublib.Counter(work, certs, office, "%02d" % (i % 4 + 1), parcels=PARCELS,
                          seed=str(1000 + i), hold_rate="0.5")


def assess(counter):
    """A supervisor's assessment of the counter's first report: one more row."""
    with sqlite3.connect(counter.db, timeout=30) as db:
        first = db.execute("SELECT min (id) FROM reports").fetchone()[0]
    result = subprocess.run([hublib.relaylib.CTL, "report", "assess", str(first), "--note",
                             "Kiểm tra lại", "--db", counter.db, "--as", "sim-supervisor",
                             "--pin-stdin"], input="739146\n", capture_output=True, text=True,
                            timeout=120)
    return result.returncode == 0


def pending(counter):
    with sqlite3.connect(counter.db, timeout=30) as db:
        return db.execute("SELECT count (*) FROM outbox WHERE state <> 'sent'").fetchone()[0]


try:
    hublib.hubctl(pg, "db", "migrate")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        counters = list(pool.map(make, range(N)))
    for counter in counters:
        result = counter.register(pg)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
    rows_total = sum(len(c.outbox()) for c in counters)
    check(rows_total > N, "%d counters made %d outbox rows (%.0f s)"
          % (N, rows_total, time.time() - started))

    hubs = [hublib.Hub(work, certs, pg, name="hub%d" % i, pool=4, web=False).start()
            for i in range(2)]
    slow = ("connect-timeout-ms=2000\ntimeout-ms=8000\n", "retry-base-ms=200\nretry-cap-ms=3000\n")
    for i, counter in enumerate(counters):
        counter.write_config(hubs[i % 2].url, timeouts=slow)
        log = open(os.path.join(counter.dir, "forward.log"), "w")
        forwarders.append(subprocess.Popen(
            [hublib.relaylib.CTL, "forward", "--watch", "--poll-ms", "500", "--config",
             counter.config, "--db", counter.db], stdout=log, stderr=subprocess.STDOUT))

    # A hub dies in the middle of the burst, and comes back; supervisors go
    # on working at the counters meanwhile (new custody rows).
    stored = lambda: int(pg.query("SELECT count (*) FROM documents")[0][0])  # noqa: E731
    hublib.wait_until(lambda: stored() >= 1, 60)
    hubs[0].kill(signal.SIGKILL)
    stored_before = stored()
    added = [assess(c) for c in counters[0:N:5]]
    time.sleep(2)
    hubs[0].start()
    check(stored_before <= rows_total and all(added),
          "hub 0 was killed with SIGKILL mid-run (%d of %d stored), %d assessments were made "
          "meanwhile, and it was restarted" % (stored_before, rows_total, len(added)))
    # PostgreSQL restarts under both hubs, with more work arriving.
    pg.stop()
    added = [assess(c) for c in counters[1:N:5]]
    time.sleep(1)
    pg.start()
    check(all(added), "PostgreSQL was stopped and started again under both hubs, %d more "
          "assessments made meanwhile" % len(added))
    rows_total = sum(len(c.outbox()) for c in counters)

    deadline = time.time() + float(os.environ.get("PS_PROVINCE_TIMEOUT", "300"))
    while time.time() < deadline and any(pending(c) for c in counters):
        time.sleep(1)
    left = sum(pending(c) for c in counters)
    check(left == 0, "every outbox row was delivered (%d left) after %.0f s"
          % (left, time.time() - started))

    for process in forwarders:
        process.send_signal(signal.SIGTERM)
    codes = [process.wait(timeout=60) for process in forwarders]
    check(all(code == 0 for code in codes), "every forwarder stopped cleanly on SIGTERM")

    # Count: exactly once, equal references, valid signatures.
    hub_rows = pg.query("SELECT c.office || '/' || c.counter, d.idempotency_key, d.reference, "
                        "encode (d.body, 'hex'), d.signature, c.public_key FROM documents d "
                        "JOIN counters c ON c.id = d.counter_id")
    keys = {(r[0], r[1]) for r in hub_rows}
    check(len(hub_rows) == rows_total and len(keys) == rows_total,
          "the hub stored %d documents for %d outbox rows, each key once"
          % (len(hub_rows), rows_total))
    references = {(r[0], r[1]): r[2] for r in hub_rows}
    mismatched = 0
    for counter in counters:
        for key, state, reference, _ in counter.outbox():
            if references.get(("%s/%s" % (counter.office, counter.counter), key)) != reference:
                mismatched += 1
    check(mismatched == 0, "every counter's stored reference equals the hub's (%d differ)"
          % mismatched)
    bad = 0
    for r in hub_rows:
        body = bytes.fromhex(r[3])
        try:
            nacl.signing.VerifyKey(base64.b64decode(r[5])).verify(body, base64.b64decode(r[4]))
        except nacl.exceptions.BadSignatureError:
            bad += 1
    check(bad == 0, "every stored body's signature verifies with its counter's key (%d bad)" % bad)
    reports = int(pg.query("SELECT count (*) FROM reports")[0][0])
    counted = 0
    for counter in counters:
        with sqlite3.connect(counter.db) as db:
            counted += db.execute("SELECT count (*) FROM reports").fetchone()[0]
    check(reports == counted, "every report is in the hub's projection (%d of %d)"
          % (reports, counted))
    rebuilt = hublib.hubctl(pg, "db", "rebuild-projections")
    again = int(pg.query("SELECT count (*) FROM reports")[0][0])
    check(rebuilt.returncode == 0 and again == reports,
          "db rebuild-projections gives the same reports (%s)" % rebuilt.stdout.strip())
    flags = pg.query("SELECT count (*) FROM counter_flags")[0][0]
    check(flags == "0", "no counter was flagged (retries keep their first audit head)")
    print("# province: %d counters, %d outbox rows, %d stored, %d reports, %.0f s"
          % (N, rows_total, len(hub_rows), reports, time.time() - started))
finally:
    for process in forwarders:
        if process.poll() is None:
            process.kill()
    for hub in hubs:
        try:
            hub.stop()
        except Exception:
            pass
    pg.destroy()
finish()
