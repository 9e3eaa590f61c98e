#!/usr/bin/python3
"""The hub's ingest and administration, against a real PostgreSQL:

- migrations: applied once, a second run changes nothing, a newer schema is
  refused by hubctl and by the hub, untouched;
- the refusals of docs/relay.md, each with nothing stored: a certificate of
  another CA, a self-signed one, an expired one (the handshake fails); an
  unregistered counter, a revoked one, a counter sending under another's
  name (403); a bad signature, one made with a key other than the registered
  one (401); a malformed body (400), an oversized one (413); a key reused
  with another body (422);
- a repeat with the same bytes gets the first reference again;
- an audit head seen with another hash flags the counter, and the document
  is still stored;
- the database down: 503 with Retry-After, never 2xx; back up: stored;
- the hub's log holds no personal data.
"""
import base64
import http.client
import json
import os
import socket
import ssl
import sqlite3
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hublib  # noqa: E402
from hublib import check, finish  # noqa: E402

hublib.need_tools()
import nacl.signing  # noqa: E402

work = hublib.tempdir()
certs = hublib.relaylib.Certificates(work)
pg = hublib.Postgres()


def post(hub, body, cert, counter_name, key=None, signature=None, idem=None):
    """POSTs @body with @cert; returns (status, answer) or (None, error)."""
    context = ssl.create_default_context(cafile=certs.ca[1])
    if cert is not None:
        context.load_cert_chain(cert[1], cert[0])
    headers = {"Content-Type": "application/json; charset=utf-8",
               "X-ParcelScreen-Counter": counter_name,
               "Idempotency-Key": idem or json.loads(body).get("idempotency_key", "x" * 12)}
    if signature is None and key is not None:
        signature = base64.b64encode(key.sign(body).signature).decode()
    if signature is not None:
        headers["X-ParcelScreen-Signature"] = "ed25519=" + signature
    try:
        connection = http.client.HTTPSConnection("localhost", hub.port, context=context,
                                                 timeout=20)
        connection.request("POST", "/v1/reports", body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read().decode(), answer.getheader("Retry-After")
    except (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected, socket.timeout) as e:
        return None, str(e), None


def signing_key(counter):
    with open(counter.key) as f:
        secret = base64.b64decode(f.read().split()[-1])
    return nacl.signing.SigningKey(secret[:32])


def documents(counter):
    """The counter's own signed documents, as the forwarder would send them."""
    with sqlite3.connect(counter.db) as db:
        return db.execute("SELECT d.document FROM outbox_documents d ORDER BY outbox_id").fetchall()


def stored():
    return int(pg.query("SELECT count (*) FROM documents")[0][0])


try:
    # ---- Migrations.
    first = hublib.hubctl(pg, "db", "migrate")
    check(first.returncode == 0 and "from schema 0 to 1" in first.stdout,
          "db migrate creates the schema: " + first.stdout.strip())
    again = hublib.hubctl(pg, "db", "migrate")
    check(again.returncode == 0 and "already" in again.stdout and again.stderr == "",
          "a second db migrate changes nothing: " + again.stdout.strip() + again.stderr.strip())
    pg.query("INSERT INTO hub_schema (version) VALUES (99)")
    newer = hublib.hubctl(pg, "db", "migrate")
    check(newer.returncode == 1 and "newer" in newer.stderr,
          "a newer schema is refused by db migrate: " + newer.stderr.strip())
    probe = hublib.Hub(work, certs, pg, name="probe", web=False)
    refused = subprocess.run([hublib.HUB, "--config", probe.config], capture_output=True,
                             text=True, timeout=30)
    check(refused.returncode == 1 and "newer" in refused.stderr,
          "the hub refuses to start on a newer schema: " + refused.stderr.strip())
    pg.query("DELETE FROM hub_schema WHERE version = 99")
    check(pg.query("SELECT count (*) FROM counters") == [["0"]],
          "the refused database was left untouched")

    # ---- Counters.
    a = hublib.Counter(work, certs, "BC-700000", "03", parcels=6, seed="11")
    b = hublib.Counter(work, certs, "BC-700000", "04", parcels=2, seed="12")
    unknown = hublib.Counter(work, certs, "BC-710000", "01", parcels=1, seed="13")
    revoked = hublib.Counter(work, certs, "BC-720000", "01", parcels=1, seed="14")
    for counter in (a, b, revoked):
        result = counter.register(pg)
        check(result.returncode == 0, "counter add %s/%s: %s" % (counter.office, counter.counter,
                                                                 result.stdout.strip()))
    twice = a.register(pg)
    check(twice.returncode == 1 and "already" in twice.stderr,
          "a counter registered twice is refused: " + twice.stderr.strip())
    bad_key = hublib.hubctl(pg, "counter", "add", "BC-730000", "01", "--key", "bm90IGEga2V5",
                            "--cert", a.client[1])
    check(bad_key.returncode == 1 and "public key" in bad_key.stderr,
          "counter add refuses a malformed key: " + bad_key.stderr.strip())
    revoke = hublib.hubctl(pg, "counter", "revoke", "BC-720000", "01")
    check(revoke.returncode == 0, "counter revoke: " + revoke.stdout.strip())

    hub = hublib.Hub(work, certs, pg).start()

    # Prepare documents: forward once against a closed port makes the
    # counters build and sign their documents (the exact bytes kept).
    for counter in (a, b, unknown, revoked):
        counter.write_config("https://localhost:%d/v1/reports" % hublib.free_port(),
                             timeouts=("connect-timeout-ms=300\ntimeout-ms=300\n",
                                       "retry-base-ms=10\nretry-cap-ms=20\n"))
        counter.forward_once()
    doc_a = [d[0] for d in documents(a)]
    doc_b = [d[0] for d in documents(b)]
    key_a = signing_key(a)
    check(len(doc_a) == 6 and len(doc_b) == 2, "the counters made their documents")
    name_a = "BC-700000/03"

    # ---- Refusals in the handshake.
    self_signed = certs._ca("self-signed-client", "BC-700000 counter 03")
    expired = certs._leaf("expired-client", "BC-700000 counter 03", certs.ca,
                          dates=("20200101000000Z", "20200201000000Z"))
    for cert, what in ((certs.rogue_client, "a certificate of another CA"),
                       (self_signed, "a self-signed certificate"),
                       (expired, "an expired certificate of the counter CA"),
                       (None, "no client certificate")):
        status, text, _ = post(hub, doc_a[0], cert, name_a, key=key_a)
        check(status is None, "%s fails the TLS handshake (%s)" % (what, text[:80]))
    check(stored() == 0, "nothing stored after the refused handshakes")

    # ---- Refusals with an answer.
    cases = [
        (unknown.client, "BC-710000/01", doc_a[0], key_a, None, 403, "an unregistered counter"),
        (revoked.client, "BC-720000/01", doc_a[0], key_a, None, 403, "a revoked counter"),
        (b.client, name_a, doc_a[0], key_a, None, 403,
         "counter 04's certificate sending under counter 03's name"),
        (a.client, "BC-700000/04", doc_a[0], key_a, None, 403,
         "counter 03's certificate naming counter 04 in X-ParcelScreen-Counter"),
        (a.client, name_a, doc_a[0], None, base64.b64encode(b"\0" * 64).decode(), 401,
         "a bad signature"),
        (a.client, name_a, doc_a[0], signing_key(b), None, 401,
         "a signature by another counter's key"),
        (a.client, name_a, doc_a[0], None, None, 401, "no signature"),
        (a.client, name_a, b'{"schema": "parcelscreen.report/1"}', key_a, None, 400,
         "a body missing its members"),
        (a.client, name_a, b"not json", key_a, None, 400, "a body that is not JSON"),
        (a.client, name_a, doc_a[0].replace(b"parcelscreen.report/1", b"parcelscreen.report/9"),
         key_a, None, 400, "another schema"),
        (a.client, name_a, b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}', key_a, None, 413,
         "a body over 1 MiB"),
    ]
    for cert, name, body, key, signature, expected, what in cases:
        status, text, _ = post(hub, body, cert, name, key=key, signature=signature,
                               idem=json.loads(doc_a[0])["idempotency_key"])
        check(status == expected, "%s: %s (%s)" % (what, status, text[:100]))
    # A huge body is refused from its headers, before it is read.
    context = ssl.create_default_context(cafile=certs.ca[1])
    context.load_cert_chain(a.client[1], a.client[0])
    raw = context.wrap_socket(socket.create_connection(("127.0.0.1", hub.port), timeout=20),
                              server_hostname="localhost")
    raw.sendall(b"POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000000\r\n"
                b"X-ParcelScreen-Counter: BC-700000/03\r\n\r\n")
    first = raw.recv(4096)
    check(first.startswith(b"HTTP/1.1 413"), "a 1 GB body is refused from its headers, unread: %r"
          % first[:40])
    raw.close()
    raw = context.wrap_socket(socket.create_connection(("127.0.0.1", hub.port), timeout=20),
                              server_hostname="localhost")
    raw.sendall(b"POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                b"\r\n")
    first = raw.recv(4096)
    check(first.startswith(b"HTTP/1.1 411"), "a body of unknown length is refused: %r" % first[:40])
    raw.close()
    check(stored() == 0, "nothing stored after the refusals")

    # ---- Stored once; a repeat gets the first answer; another body 422.
    status, text, _ = post(hub, doc_a[0], a.client, name_a, key=key_a)
    check(status == 200 and "reference" in text, "a valid document is stored: %s %s"
          % (status, text))
    reference = json.loads(text)["reference"] if status == 200 else None
    status2, text2, _ = post(hub, doc_a[0], a.client, name_a, key=key_a)
    check(status2 == 200 and reference is not None and json.loads(text2)["reference"] == reference,
          "the same bytes again get the same reference")
    changed = doc_a[0].replace(b'"kind"', b'"kind" ', 1)
    status3, text3, _ = post(hub, changed, a.client, name_a, key=key_a,
                             idem=json.loads(doc_a[0])["idempotency_key"])
    check(status3 == 422, "the same key with another body: 422 (%s)" % status3)
    check(stored() == 1, "one document stored")
    digest = pg.query("SELECT sha256, encode (body, 'hex') FROM documents")
    import hashlib
    check(digest[0][0] == hashlib.sha256(doc_a[0]).hexdigest() and digest[0][1] == doc_a[0].hex(),
          "the exact bytes and their SHA-256 are kept")

    # ---- The real forwarder delivers the rest, references equal.
    a.write_config(hub.url)
    result = a.forward_once()
    check(result.returncode == 0, "forward --once to the hub: " + result.stdout.strip())
    rows = a.outbox()
    hub_refs = dict(pg.query("SELECT idempotency_key, reference FROM documents d JOIN counters c "
                             "ON c.id = d.counter_id WHERE c.counter = '03'"))
    check(all(r[1] == "sent" and hub_refs.get(r[0]) == r[2] for r in rows),
          "every row of counter 03 sent, its reference the hub's")
    reports = pg.query("SELECT count (*) FROM reports WHERE counter_id = "
                       "(SELECT id FROM counters WHERE counter = '03')")
    check(reports == [["6"]], "six reports projected: %s" % reports)

    # ---- An audit head with another hash flags the counter, and is stored.
    doc = json.loads(doc_b[0])
    doc["idempotency_key"] = str(uuid.uuid4())
    seen = pg.query("SELECT seq FROM audit_heads WHERE counter_id = "
                    "(SELECT id FROM counters WHERE counter = '03') LIMIT 1")[0][0]
    forged = json.loads(doc_a[0])
    forged["idempotency_key"] = str(uuid.uuid4())
    forged["audit_head"] = {"seq": int(seen), "hash": "0" * 64}
    body = json.dumps(forged).encode()
    status, text, _ = post(hub, body, a.client, name_a, key=key_a)
    check(status == 200, "a document whose audit head forks is still stored (%s)" % status)
    flags = pg.query("SELECT kind FROM counter_flags WHERE acknowledged IS NULL")
    check(flags == [["audit-fork"]], "and the counter is flagged: %s" % flags)
    listing = hublib.hubctl(pg, "counter", "list", "--json")
    entries = json.loads(listing.stdout)
    check(any(e["counter"] == "03" and e["flags"] == 1 for e in entries),
          "counter list shows the flag")
    ack = hublib.hubctl(pg, "counter", "ack", "BC-700000", "03", "--note",
                        "restored from the backup of 2026-11-30, checked on site")
    check(ack.returncode == 0 and "1 flag" in ack.stdout, "counter ack: " + ack.stdout.strip())

    # ---- PostgreSQL down: 503 with Retry-After, never 2xx; then stored.
    b.write_config(hub.url)
    pg.stop()
    status, text, retry = post(hub, doc_b[0], b.client, "BC-700000/04", key=signing_key(b))
    check(status == 503 and retry is not None, "the database down: 503 with Retry-After (%s, %s)"
          % (status, retry))
    pg.start()
    result = b.forward_once()
    rows = b.outbox()
    check(all(r[1] == "sent" for r in rows), "back up: counter 04's rows are stored (%s)"
          % result.stdout.strip())

    # ---- Police users.
    add = hublib.hubctl(pg, "user", "add", "tuan", "--name", "Trần Văn Tuấn", "--role", "officer",
                        stdin="mật khẩu rất dài 1\n")
    check(add.returncode == 0, "user add: " + add.stdout.strip() + add.stderr.strip())
    short = hublib.hubctl(pg, "user", "add", "ngan", "--name", "N", "--role", "officer",
                          stdin="short\n")
    check(short.returncode == 1, "a short password is refused")
    stored_hash = pg.query("SELECT password_hash FROM police_users WHERE login = 'tuan'")[0][0]
    check(stored_hash.startswith("$argon2id$"), "passwords are kept as Argon2id hashes")
    disable = hublib.hubctl(pg, "user", "disable", "tuan")
    check(disable.returncode == 0, "user disable")

    hub.stop()
    log = open(hub.log).read()
    with sqlite3.connect(a.db) as db:
        personal = [v for row in db.execute("SELECT sender_id, sender_name, sender_phone, "
                                            "recipient_name FROM parcels") for v in row if v]
    check(personal and not any(v in log for v in personal),
          "the hub's log holds no name, ID number or phone (%d values looked for)" % len(personal))
finally:
    pg.destroy()
finish()
