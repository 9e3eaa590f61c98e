#!/usr/bin/python3
"""The police's answers, hub and counter together (PostgreSQL as in the
hub's tests, the real hub, the real counter database and parcelscreenctl):

a hold at the counter → its report at the hub → "received" with a case
number → a request for information answered by the counter's supervisor →
an urgent seizure → the hand-over recorded at the counter under it →
"close the case" → the report closed; each step checked on both sides.
Then: the counter offline while the police issue several instructions
catches up in order; the time from the police's click to the counter's
database with `forward --watch` (the hub holds the request); and a forged
signature, a replayed number and another counter's instruction refused with
nothing applied.
"""
import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hublib  # noqa: E402
from hublib import check, finish  # noqa: E402

hublib.need_tools()
import nacl.signing  # noqa: E402

PIN = "739146\n"
PASSWORD = "Chỉ-huy-mật-khẩu-2026"
work = hublib.tempdir()
certs = hublib.relaylib.Certificates(work)
pg = hublib.Postgres()
hub = None
watcher = None


def report(counter, *args):
    return subprocess.run([hublib.relaylib.CTL, "report", *args, "--db", counter.db, "--as",
                           "sim-supervisor", "--pin-stdin", "--config", counter.config],
                          input=PIN, capture_output=True, text=True, timeout=120)


def counter_instructions(counter):
    with sqlite3.connect(counter.db) as db:
        return db.execute("SELECT seq, id, kind, state, acked_us IS NOT NULL FROM instructions "
                          "ORDER BY seq").fetchall()


def hub_state(instruction_id):
    rows = pg.query("SELECT state FROM instructions WHERE id = '%s'" % instruction_id)
    return rows[0][0] if rows else None


def issued_id(counter_id, seq):
    return pg.query("SELECT id FROM instructions WHERE counter_id = %s AND seq = %d"
                    % (counter_id, seq))[0][0]


def police_signing_key(path):
    with open(path) as f:
        return nacl.signing.SigningKey(base64.b64decode(f.read().split()[-1])[:32])


try:
    hublib.hubctl(pg, "db", "migrate")
    police_key = os.path.join(work, "police.key")
    result = hublib.hubctl(pg, "keys", "generate", police_key)
    check(result.returncode == 0, "the police's key is made: " + result.stdout.strip())
    police_public = os.path.join(work, "police.pub")
    with open(police_public, "w") as f:
        f.write(hublib.hubctl(pg, "keys", "show", police_key).stdout)
    a = hublib.Counter(work, certs, "BC-700000", "03", parcels=6, seed="31", hold_rate="1.0")
    b = hublib.Counter(work, certs, "BC-700000", "04", parcels=1, seed="32", hold_rate="1.0")
    for counter in (a, b):
        counter.register(pg)
    hublib.hubctl(pg, "user", "add", "hung", "--name", "Thượng tá Phạm Văn Hùng", "--role",
                  "commander", "--unit", "PC04 Công an tỉnh", "--badge", "045-112",
                  stdin=PASSWORD + "\n")
    hublib.hubctl(pg, "user", "add", "lan", "--name", "Trung uý Đỗ Thị Lan", "--role", "officer",
                  stdin=PASSWORD + "\n")
    hub = hublib.Hub(work, certs, pg)
    with open(hub.config, "a") as f:
        f.write("[answers]\npolice-key=%s\n" % police_key)
    hub.start()
    watchlist = os.path.join(work, "installed-watchlist.txt")
    extra = ("police-key=%s\n[data]\nwatchlist=%s\nwatchlist-key=%s\n"
             % (police_public, watchlist, police_public))
    for counter in (a, b):
        counter.write_config(hub.url, extra=extra)
        counter.forward_once()
    counter_id = pg.query("SELECT id FROM counters WHERE counter = '03'")[0][0]
    with sqlite3.connect(a.db) as db:
        reports = [r for (r,) in db.execute("SELECT id FROM reports ORDER BY id")]
    first = reports[0]
    check(pg.query("SELECT count (*) FROM reports WHERE counter_id = %s" % counter_id)[0][0]
          == str(len(reports)), "the counter's reports are at the hub")

    commander = hublib.Browser(hub.web_port, certs)
    officer = hublib.Browser(hub.web_port, certs)
    check(commander.login("hung", PASSWORD) and officer.login("lan", PASSWORD),
          "a commander and an officer log in")

    # An officer may not order a seizure.
    status, _, page = officer.instruct(counter_id, first, kind="seize", order="LTG-1",
                                       urgent="1", reason="x", collector_name="A",
                                       collector_badge="1")
    check(status == 403, "an officer cannot order a seizure (%s)" % status)

    # 1. received, with a case number; 2. a request for information.
    status, _, _ = officer.instruct(counter_id, first, kind="received", case="VV-2026-0117")
    check(status == 303, "the officer acknowledges the report with a case number")
    status, _, _ = officer.instruct(counter_id, first, kind="request_info",
                                    question="Người gửi có đến cùng người khác không?")
    check(status == 303, "… and asks a question")
    result = a.forward_once()
    rows = counter_instructions(a)
    check([r[:1] + r[2:] for r in rows] == [(1, "received", "done", 1),
                                             (2, "request_info", "open", 1)],
          "the counter stored both in order, acknowledged: %s (%s)" % (rows, result.stdout.strip()))
    received, question = issued_id(counter_id, 1), issued_id(counter_id, 2)
    check(hub_state(received) == "received" and hub_state(question) == "received",
          "the hub sees them received by the counter")
    # A release is blocked while the question is open.
    result = report(a, "release", str(first), "--note", "x", "--override", "Thử giải toả khi chưa trả lời")
    check(result.returncode == 1 and "request for information" in result.stderr,
          "an open request for information blocks a release: " + result.stderr.strip())

    # The supervisor answers.
    result = report(a, "assess", str(first), "--instruction", question, "--note",
                    "Người gửi đến một mình, trả tiền mặt")
    check(result.returncode == 0, "the supervisor answers the question: " + result.stderr.strip())
    a.forward_once()
    check(hub_state(question) == "done", "the hub sees the question answered (done)")
    custody = pg.query("SELECT kind, instruction FROM custody_events WHERE counter_id = %s AND "
                       "report_id = %d ORDER BY event_id" % (counter_id, first))
    check(["assessment", question] in custody, "the answer is a custody event naming it")

    # 3. An urgent seizure, due within 24 hours.
    status, _, _ = commander.instruct(counter_id, first, kind="seize", order="LTG-2026-44",
                                      urgent="1", reason="Nguy cơ tẩu tán",
                                      collector_name="Đại uý Lê Văn Công",
                                      collector_unit="PC04", collector_badge="123-456")
    check(status == 303, "the commander orders an urgent seizure")
    seize = issued_id(counter_id, 3)
    due = pg.query("SELECT extract (epoch FROM due - issued) FROM instructions WHERE id = '%s'"
                   % seize)[0][0]
    check(abs(float(due) - 86400) < 5, "an urgent seizure is due within 24 hours (%s s)" % due)
    a.forward_once()
    result = report(a, "handover", str(first), "--officer", "Đại uý Lê Văn Công", "--unit",
                    "PC04", "--badge", "123-456", "--instruction", seize)
    check(result.returncode == 0, "the hand-over is recorded under the seizure: "
          + result.stderr.strip())
    a.forward_once()
    check(hub_state(seize) == "done", "the hub sees the seizure carried out")
    check(pg.query("SELECT status FROM reports WHERE counter_id = %s AND report_id = %d"
                   % (counter_id, first)) == [["handed-over"]], "… and the report handed over")

    # 4. Close the case.
    status, _, _ = commander.instruct(counter_id, first, kind="close_case")
    close = issued_id(counter_id, 4)
    a.forward_once()
    result = report(a, "close", str(first), "--instruction", close, "--note", "Đã chuyển CQĐT")
    check(result.returncode == 0, "the report is closed under it: " + result.stderr.strip())
    a.forward_once()
    check(hub_state(close) == "done" and pg.query(
        "SELECT status FROM reports WHERE counter_id = %s AND report_id = %d"
        % (counter_id, first)) == [["closed"]], "closed on both sides")

    # Offline: three instructions issued while the counter does not fetch,
    # then it catches up in order.
    second = reports[1]
    for kind, extra_fields in (("received", {"case": "VV-2026-0118"}),
                               ("keep_holding", {"until": "2026-12-31"}),
                               ("request_info", {"question": "Ảnh chụp gói hàng?"})):
        commander.instruct(counter_id, second, kind=kind, **extra_fields)
    a.forward_once()
    rows = counter_instructions(a)
    check([r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7] and [r[2] for r in rows[4:]] ==
          ["received", "keep_holding", "request_info"], "the counter caught up in order: %s"
          % [(r[0], r[2]) for r in rows])
    result = report(a, "release", str(second), "--note", "x", "--override", "Thử giải toả khi đang giữ")
    check(result.returncode == 1, "a keep-holding order blocks a release")

    # The police's click to the counter's database, with forward --watch.
    log = open(os.path.join(work, "watch.log"), "w")
    watcher = subprocess.Popen([hublib.relaylib.CTL, "forward", "--watch", "--poll-ms", "200",
                                "--config", a.config, "--db", a.db], stdout=log,
                               stderr=subprocess.STDOUT)
    time.sleep(2)  # the watch is waiting in a held request
    clicked = time.monotonic()
    commander.instruct(counter_id, second, kind="cancel", instruction=issued_id(counter_id, 6))
    arrived = hublib.wait_until(lambda: len(counter_instructions(a)) == 8, 30)
    latency = time.monotonic() - clicked
    check(arrived, "with forward --watch the instruction reached the counter in %.2f s" % latency)
    print("# police click to counter database: %.2f s" % latency)
    check(counter_instructions(a)[5][3] == "cancelled", "… and the keep-holding order it "
          "withdraws is cancelled at the counter")
    watcher.send_signal(signal.SIGTERM)
    check(watcher.wait(timeout=30) == 0, "the watch stops at once on SIGTERM, the held "
          "request included")

    # A watch list signed by the police, sent as an instruction: installed
    # as "watchlist import" does; a list whose signature fails is refused.
    listed_file = os.path.join(work, "watchlist.txt")
    with open(listed_file, "w") as f:
        f.write("# version: 3\nphone 0912 000 111\n")
    subprocess.run([hublib.relaylib.CTL, "keys", "sign", listed_file, "--key", police_key],
                   capture_output=True)
    result = hublib.hubctl(pg, "--config", hub.config, "watchlist", "send", listed_file,
                           "BC-700000", "03", "--as", "hung")
    check(result.returncode == 0, "hubctl sends the signed watch list: " + result.stdout.strip()
          + result.stderr.strip())
    a.forward_once()
    check(os.path.exists(watchlist) and "0912 000 111" in open(watchlist).read(),
          "the counter installed the watch list it carries")
    check(counter_instructions(a)[-1][2:4] == ("watchlist", "done"),
          "… and stored the instruction as done")
    with open(listed_file, "a") as f:
        f.write("phone 0900 666 666\n")  # changed after signing
    hublib.hubctl(pg, "--config", hub.config, "watchlist", "send", listed_file, "BC-700000", "03",
                  "--as", "hung")
    result = a.forward_once()
    check(result.returncode != 0 and "watch list" in result.stdout and
          "0900 666 666" not in open(watchlist).read(),
          "a watch list whose signature fails is refused, the installed one kept: "
          + result.stdout.strip().splitlines()[-1])
    pg.query("DELETE FROM instructions WHERE seq = (SELECT max (seq) FROM instructions)")

    # Refusals: forged, replayed, another counter's — nothing applied.
    signer = police_signing_key(police_key)
    before = counter_instructions(a)

    next_seq = len(before) + 1

    def plant(document, signature=None):
        body = json.dumps(document).encode()
        signature = signature or base64.b64encode(signer.sign(body).signature).decode()
        pg.query("INSERT INTO instructions (id, counter_id, seq, kind, body, signature, issued_by, "
                 "issued, summary) VALUES ('%s', %s, %d, '%s', decode ('%s', 'hex'), '%s', "
                 "(SELECT id FROM police_users LIMIT 1), now (), 'planted')"
                 % (document["id"], counter_id, next_seq, document["kind"], body.hex(),
                    signature))

    template = {"schema": "parcelscreen.instruction/1", "counter": {"office": "BC-700000",
                                                                    "counter": "03"},
                "report": {"id": second}, "kind": "received", "issued": "2026-12-01T10:00:00+07:00",
                "issued_by": {"name": "X", "unit": "Y", "badge": "Z"},
                "received": {"case": "FORGED"}}
    cases = [
        ("a forged signature", dict(template, id=str(uuid.uuid4()), seq=next_seq),
         base64.b64encode(b"\0" * 64).decode(), "signature"),
        ("a replayed number", dict(template, id=str(uuid.uuid4()), seq=2), None, "replay"),
        ("another counter's instruction", dict(template, id=str(uuid.uuid4()), seq=next_seq,
                                               counter={"office": "BC-700000", "counter": "04"}),
         None, "another counter"),
    ]
    for what, document, signature, word in cases:
        plant(document, signature)
        result = a.forward_once()
        check(result.returncode != 0 and word in result.stdout,
              "%s is refused: %s" % (what, result.stdout.strip().splitlines()[-1]))
        check(counter_instructions(a) == before, "… and nothing of it is applied")
        pg.query("DELETE FROM instructions WHERE id = '%s'" % document["id"])
    refusals = sqlite3.connect(a.db).execute("SELECT count (*) FROM instruction_refusals").fetchone()[0]
    check(refusals == 4, "each refusal is recorded for the supervisors (%d)" % refusals)
    listed = subprocess.run([hublib.relaylib.CTL, "instructions", "list", "--db", a.db, "--as",
                             "sim-supervisor", "--pin-stdin"], input=PIN, capture_output=True,
                            text=True)
    check(listed.returncode == 0 and "Refused:" in listed.stdout and "Seizure" in listed.stdout,
          "parcelscreenctl instructions list shows them and the refusals")
    result = subprocess.run([hublib.relaylib.CTL, "audit", "verify", "--db", a.db],
                            capture_output=True, text=True)
    check(result.returncode == 0, "the counter's audit trail verifies: " + result.stdout.strip())
    page = commander.request("GET", "/instructions")[2]
    check("open-instructions" in page and "Ảnh chụp gói hàng" in page,
          "the hub lists what is open")
finally:
    if watcher is not None and watcher.poll() is None:
        watcher.kill()
    if hub is not None:
        hub.stop()
    pg.destroy()
finish()
