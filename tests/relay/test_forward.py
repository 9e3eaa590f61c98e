#!/usr/bin/python3
"""The forwarder against a local HTTPS receiver (tests/relay/receiver.py).

1. Hundreds of reports through every fault — 500, 503 with Retry-After, 408,
   429, a timeout, a reset connection, a slow answer, an acknowledgement lost
   after the receiver stored the report — with the forwarder killed (SIGKILL)
   mid-run and started again: every report arrives, each key is stored once,
   every row ends "sent" with the receiver's reference, every signature holds,
   and every repeat carried the same bytes (the receiver answers 422 to a key
   reused with another body).
2. TLS: a client certificate from another CA is refused, and named as the
   cause over TLS 1.2 and 1.3 alike; a wrong pin, an
   expired certificate and a certificate for another name are refused with a
   clear message; the right pin works.
3. A permanent refusal (400) is kept as "failed" with the receiver's words.
   A redirect (307) is neither followed nor taken for a refusal: the report
   waits, and goes once the receiver takes it.
   A Retry-After of a day holds a report an hour at most.
4. A training database is never forwarded.
"""

import os
import signal
import sqlite3
import subprocess
import time

import relaylib
from relaylib import check

relaylib.need_tools()
PARCELS = int(os.environ.get("PS_RELAY_PARCELS", "200"))

work = relaylib.tempdir()
certs = relaylib.Certificates(work)

# ---- 1. Faults and a killed forwarder --------------------------------------
db, key, public = relaylib.make_counter(work, PARCELS)
rows = relaylib.outbox(db)
check(len(rows) == PARCELS, "%d reports are queued" % len(rows))
faults = "ok,500,ok,503,ok,timeout,ok,reset,ok,slow,ok,lost-ack,408,ok,429,ok,ok,ok"
receiver = relaylib.Receiver(certs, certs.server, os.path.join(work, "received.db"), public,
                             faults)
config = relaylib.write_config(work, "relay.conf", receiver.url, certs, key)
try:
    forward = [relaylib.CTL, "forward", "--watch", "--poll-ms", "100", "--config", config,
               "--db", db]
    first = subprocess.Popen(forward, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    relaylib.wait_until(lambda: receiver.query("SELECT count(*) FROM reports")[0][0] >=
                        PARCELS // 4, 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    stored_at_kill = receiver.query("SELECT count(*) FROM reports")[0][0]
    check(0 < stored_at_kill < PARCELS,
          "the first forwarder was killed mid-run (%d stored)" % stored_at_kill)

    second = subprocess.Popen(forward, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    done = relaylib.wait_until(
        lambda: all(state == "sent" for _, state, _, _ in relaylib.outbox(db)), 240)
    second.send_signal(signal.SIGTERM)
    try:
        status = second.wait(timeout=20)
    except subprocess.TimeoutExpired:
        second.kill()
        status = None
    check(status == 0, "the forwarder stops cleanly on SIGTERM (%r)" % status)
    check(done, "every row is delivered in the end")

    rows = relaylib.outbox(db)
    keys = [k for k, _, _, _ in rows]
    stored = dict(receiver.query("SELECT key, reference FROM reports"))
    check(len(stored) == PARCELS and set(stored) == set(keys),
          "every report arrived: %d distinct keys stored for %d rows" % (len(stored), len(rows)))
    check(all(stored.get(k) == reference for k, _, reference, _ in rows),
          "each row holds the receiver's reference for its key")
    modes = dict(receiver.query("SELECT mode, count(*) FROM requests GROUP BY mode"))
    check(all(modes.get(m, 0) > 0 for m in ("500", "503", "timeout", "reset", "slow",
                                           "lost-ack", "408", "429")),
          "every fault happened (%r)" % modes)
    lost, resent = receiver.query(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM requests b WHERE b.key = a.key AND b.n > a.n))"
        " FROM requests a WHERE a.mode = 'lost-ack'")[0]
    check(lost > 0 and resent == lost,
          "each report whose acknowledgement was lost was sent again (%d of %d), and stored "
          "once" % (resent or 0, lost))
    bad = receiver.query("SELECT count(*) FROM requests WHERE signature_ok = 0")[0][0]
    check(bad == 0, "every body carried a valid Ed25519 signature (%d bad)" % bad)
    # The receiver answers 422 to a key reused with another body (the IETF
    # Idempotency-Key draft): over lost acknowledgements, resets and a killed
    # and restarted forwarder, every retry carried the first try's bytes.
    repeated, varied = receiver.query(
        "SELECT count(*), coalesce(sum(bodies > 1), 0) FROM (SELECT key, count(*) AS tries, "
        "count(DISTINCT body_sha256) AS bodies FROM requests GROUP BY key) WHERE tries > 1")[0]
    mismatched = receiver.query("SELECT count(*) FROM requests WHERE mode = 'mismatch'")[0][0]
    check(repeated > 0 and varied == 0 and mismatched == 0,
          "every repeated delivery (%d keys) repeated the same bytes: %d varied, %d answered 422"
          % (repeated, varied, mismatched))

    # The receiver's Retry-After (1 s) was honoured: no retry of a 503'd key
    # came sooner.
    early = receiver.query(
        "SELECT count(*) FROM requests a JOIN requests b ON b.key = a.key AND b.n > a.n "
        "WHERE a.mode = '503' AND b.at - a.at < 0.9 AND NOT EXISTS (SELECT 1 FROM requests c "
        "WHERE c.key = a.key AND c.n > a.n AND c.n < b.n)")[0][0]
    check(early == 0, "Retry-After is honoured (%d early retries)" % early)

    with sqlite3.connect(db) as connection:
        audited = connection.execute(
            "SELECT count(*) FROM audit WHERE action = 'forwarded'").fetchone()[0]
    check(audited == PARCELS, "each delivery is in the audit trail (%d)" % audited)
    verify = relaylib.ctl("audit", "verify", "--db", db)
    check(verify.returncode == 0, "the audit trail verifies after forwarding")
finally:
    receiver.stop()


# ---- Two forwarders at once: the lease keeps them from sending a row twice ---
directory = os.path.join(work, "two")
os.makedirs(directory)
two_db, two_key, two_public = relaylib.make_counter(directory, 120, seed="11")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"),
                             two_public)
try:
    config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, two_key)
    command = [relaylib.CTL, "forward", "--once", "--config", config, "--db", two_db]
    both = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(2)]
    statuses = [p.wait(timeout=120) for p in both]
    per_key = receiver.query("SELECT key, count(*) FROM requests GROUP BY key")
finally:
    receiver.stop()
check(statuses == [0, 0] and len(per_key) == 120 and all(n == 1 for _, n in per_key),
      "two forwarders at once sent each of 120 rows exactly once (%r)" % statuses)

# ---- 2. TLS ----------------------------------------------------------------
def one_report(name):
    directory = os.path.join(work, name)
    os.makedirs(directory)
    return relaylib.make_counter(directory, 1, seed="3")


def try_forward(name, server, client=None, pin=""):
    directory = os.path.join(work, name)
    small_db, small_key, small_public = one_report(name)
    receiver = relaylib.Receiver(certs, server, os.path.join(directory, "received.db"),
                                 small_public)
    try:
        config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, small_key,
                                       client=client, pin=pin)
        result = relaylib.ctl("forward", "--once", "--config", config, "--db", small_db)
        stored = receiver.query("SELECT count(*) FROM reports")[0][0]
    finally:
        receiver.stop()
    return result, stored, relaylib.outbox(small_db)


result, stored, rows = try_forward("rogue-client", certs.server, client=certs.rogue_client)
check(result.returncode == 1 and stored == 0 and rows[0][1] == "pending",
      "a client certificate from another CA is refused; the report stays queued")
check("Last problem:" in result.stdout,
      "… with a message (%s)" % result.stdout.strip().splitlines()[-1])

# However the TLS library reports the refusal (an alert, a broken pipe, a
# record cut short), the technician reads the same advice: over TLS 1.2 the
# refusal comes in the handshake, over TLS 1.3 after it.
for tls in ("1.2", "1.3"):
    directory = os.path.join(work, "rogue-tls" + tls)
    os.makedirs(directory)
    small_db, small_key, small_public = relaylib.make_counter(directory, 1, seed="3")
    receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"),
                                 small_public, tls=tls)
    try:
        config = relaylib.write_config(directory, "relay.conf", receiver.url, certs, small_key,
                                       client=certs.rogue_client)
        said = set()
        for attempt in range(6):
            with sqlite3.connect(small_db) as connection:
                connection.execute("UPDATE outbox SET next_attempt_us = 0")
            result = relaylib.ctl("forward", "--once", "--config", config, "--db", small_db)
            said.add(result.stdout.strip().splitlines()[-1])
    finally:
        receiver.stop()
    check(all("refused this counter's client certificate" in line for line in said),
          "TLS %s: a refused client certificate is named as such every time (%s)"
          % (tls, " | ".join(sorted(said))))

result, stored, rows = try_forward("wrong-pin", certs.server,
                                   pin="sha256//" + "A" * 43 + "=")
check(result.returncode == 1 and stored == 0, "a pin mismatch is refused")
check("does not match the pinned key" in result.stdout,
      "… saying so (%s)" % result.stdout.strip().splitlines()[-1])

result, stored, rows = try_forward("right-pin", certs.server, pin=certs.pin(certs.server))
check(result.returncode == 0 and stored == 1 and rows[0][1] == "sent",
      "the right pin is accepted (%s)" % result.stdout.strip())

result, stored, rows = try_forward("expired", certs.expired)
check(result.returncode == 1 and stored == 0 and "not trusted" in result.stdout,
      "an expired server certificate is refused with a clear message (%s)"
      % result.stdout.strip().splitlines()[-1])

result, stored, rows = try_forward("other-name", certs.other_name)
check(result.returncode == 1 and stored == 0 and "not trusted" in result.stdout,
      "a certificate for another name is refused with a clear message")

# ---- 3. A permanent refusal --------------------------------------------------
def one_report(name, seed, faults, control=False):
    """A counter with one queued report, a receiver with @faults (switchable
    when @control) and the counter's relay configuration for it."""
    directory = os.path.join(work, name)
    os.makedirs(directory)
    db, key, public = relaylib.make_counter(directory, 1, seed=seed)
    receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"),
                                 public, faults,
                                 control=os.path.join(directory, "faults") if control else None)
    return db, receiver, relaylib.write_config(directory, "relay.conf", receiver.url, certs, key)


small_db, receiver, config = one_report("refused", "4", "400")
try:
    result = relaylib.ctl("forward", "--once", "--config", config, "--db", small_db)
finally:
    receiver.stop()
rows = relaylib.outbox(small_db)
check(result.returncode == 1 and rows[0][1] == "failed" and "fault 400" in (rows[0][3] or ""),
      "a 400 is a permanent refusal, kept with the receiver's words for the supervisor (%r)"
      % (rows[0][3],))
# The receiver's words may quote the sender (an ID number): they stay with the
# row, which a purge can erase, never in the append-only trail nor on stdout.
with sqlite3.connect(small_db) as connection:
    payloads = [p for (p,) in connection.execute(
        "SELECT payload FROM audit WHERE action = 'forward-refused'")]
check(len(payloads) == 1 and "fault 400" not in payloads[0] and '"status":400' in
      payloads[0].replace(" ", ""),
      "the audit trail keeps the status and a digest of the refusal, not its words (%r)"
      % payloads)
check("fault 400" not in result.stdout + result.stderr and "400" in result.stdout,
      "forward --once says the status, not the receiver's words (%r)" % result.stdout.strip())

# ---- 3b. A redirect -----------------------------------------------------------
# A receiver behind a proxy that answers 307 (the POST kept) to another path:
# the forwarder does not follow it (reports go to the configured address
# only), and does not take it for the police refusing the report: the row
# waits, says why, and goes once the receiver takes it.
moved_db, receiver, config = one_report("redirect", "5", "307", control=True)
try:
    first = relaylib.ctl("forward", "--once", "--config", config, "--db", moved_db)
    waiting = relaylib.outbox(moved_db)
    receiver.set_faults("ok")
    time.sleep(0.4)  # past the back-off (retry-cap-ms=300)
    second = relaylib.ctl("forward", "--once", "--config", config, "--db", moved_db)
    modes = [mode for (mode,) in receiver.query("SELECT mode FROM requests ORDER BY n")]
    stored = receiver.query("SELECT count(*) FROM reports")[0][0]
finally:
    receiver.stop()
check(waiting[0][1] == "pending" and "another address" in (waiting[0][3] or ""),
      "a 307 leaves the report waiting, with the reason (%r, %r)" % (waiting[0][1:],
                                                                    first.stdout.strip()))
check("followed" not in modes, "the redirect was not followed (%r)" % modes)
check(modes == ["307", "ok"] and stored == 1 and relaylib.outbox(moved_db)[0][1] == "sent",
      "the next try delivers it once the receiver takes it (%r, %r)" % (modes,
                                                                       second.stdout.strip()))

# ---- 3c. A receiver that asks for a day ---------------------------------------
# Retry-After is honoured over the back-off, but a receiver in maintenance
# that asks for a day (86400 s) does not hold a report to the police that
# long: an hour at most (or retry-cap-ms, when that is longer).
later_db, receiver, config = one_report("retry-after", "6", "503-day")
try:
    before = time.time()
    relaylib.ctl("forward", "--once", "--config", config, "--db", later_db)
finally:
    receiver.stop()
with sqlite3.connect(later_db) as connection:
    state, next_us = connection.execute("SELECT state, next_attempt_us FROM outbox").fetchone()
wait = next_us / 1e6 - before
check(state == "pending" and 3000 < wait <= 3600 + 60,
      "a Retry-After of a day is honoured for an hour at most (next try in %.0f s)" % wait)

# ---- 4. A training database --------------------------------------------------
directory = os.path.join(work, "training")
os.makedirs(directory)
training_db = os.path.join(directory, "training.db")
relaylib.ctl("user", "add", "admin", "--name", "Admin", "--role", "admin", "--pin-stdin",
             "--db", training_db, input="739146\n")
with sqlite3.connect(training_db) as connection:
    connection.execute("INSERT INTO meta (key, value) VALUES ('training', 'yes')")
config = relaylib.write_config(directory, "relay.conf", "https://localhost:9/", certs, key)
result = relaylib.ctl("forward", "--once", "--config", config, "--db", training_db)
check(result.returncode == 1 and "training database" in result.stderr,
      "a training database is refused (%s)" % result.stderr.strip())

relaylib.finish()
