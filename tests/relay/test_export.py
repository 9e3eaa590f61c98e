#!/usr/bin/python3
"""The nightly export and the signed watch list.

- A day's export (CSV with Vietnamese text, JSON, PDF, signed manifest) is
  byte-for-byte the same when made twice; "export verify" accepts it with the
  counter's key and names what does not match after any byte of any file, or
  of the manifest, is changed, or with another key.
- Sealed files open with the liaison's key, and only with it.
- A watch list is installed only with a valid signature; a bad one changes
  nothing.
- A training database is never exported.
- Hostile folders and databases (a number for a name, 100 000 levels of
  nesting, an unsigned manifest, a file slipped in, a FIFO, a forged audit
  entry): the verifiers name what is wrong and never crash nor hang.
"""

import base64
import csv
import io
import json
import re
import os
import shutil
import sqlite3
import subprocess

import nacl.exceptions
import nacl.public
import nacl.signing

import relaylib
from relaylib import check

relaylib.need_tools()
work = relaylib.tempdir()
db, key, public = relaylib.make_counter(work, 40, hold_rate="0.4")
check(os.stat(key).st_mode & 0o777 == 0o600, "the signing key file is private (0600)")
public_file = os.path.join(work, "counter.pub")
with open(public_file, "w") as f:
    f.write(public + "\n")
config = os.path.join(work, "export.conf")
with open(config, "w") as f:
    f.write("[counter]\noffice-code=BC-700000\ncounter-id=03\n[relay]\nsigning-key=%s\n" % key)

with sqlite3.connect(db) as connection:
    day, held = connection.execute(
        "SELECT p.decided_day, count(*) FROM parcels p JOIN reports r ON r.parcel_id = p.id "
        "GROUP BY p.decided_day ORDER BY count(*) DESC LIMIT 1").fetchone()


def export(out, *extra):
    result = relaylib.ctl("export", "--date", day, "--out", out, "--config", config, "--db", db,
                          *extra)
    check(result.returncode == 0, "export to %s (%s)" % (out, result.stderr.strip()))
    return os.path.join(out, "parcelscreen-BC-700000-03-%s" % day)


def verify(folder, key_file=public_file):
    return relaylib.ctl("export", "verify", folder, "--key", key_file)


first = export(os.path.join(work, "a"))
second = export(os.path.join(work, "b"))
names = sorted(os.listdir(first))
check(names == ["manifest.json", "manifest.sig", "reports.csv", "reports.json", "summary.pdf"],
      "the export holds the CSV, JSON, PDF and the signed manifest (%r)" % names)
same = all(open(os.path.join(first, n), "rb").read() == open(os.path.join(second, n), "rb").read()
           for n in names)
check(same, "the same day exported twice gives identical bytes")
check(not any(n.endswith(".partial") for n in os.listdir(first)), "no temporary file is left")

# What is inside.
raw = open(os.path.join(first, "reports.csv"), "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark")
rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
check(len(rows) == held, "the CSV has one row a report (%d of %d)" % (len(rows), held))
check(any(any(ord(c) > 127 for c in row["sender_name"]) for row in rows),
      "the CSV keeps Vietnamese names")
document = json.load(open(os.path.join(first, "reports.json"), encoding="utf-8"))
check(len(document["reports"]) == held and all(
    r["parcel"]["inspection"] and "reasons" in r["parcel"]["risk"] and r["custody"]
    for r in document["reports"]),
    "the JSON has each report with its inspection, risk reasons and custody events")
manifest = json.load(open(os.path.join(first, "manifest.json")))
check(manifest["reports"] == held and len(manifest["audit_head"]["hash"]) == 64,
      "the manifest counts the reports and names the audit-chain head")
if shutil.which("pdftotext"):
    text = subprocess.run(["pdftotext", os.path.join(first, "summary.pdf"), "-"],
                          capture_output=True, text=True).stdout
    check("BÁO CÁO BƯU GỬI TẠM GIỮ" in text and rows[0]["tracking"] in text,
          "the PDF summary lists the reports")
    # The liaison reads local times and words: a first page of counts by
    # status and by reason, no UTC microseconds, no reason codes (issue 11).
    first_page = subprocess.run(["pdftotext", "-l", "1", os.path.join(first, "summary.pdf"), "-"],
                                capture_output=True, text=True).stdout
    local_day = "%s/%s/%s" % (day[8:10], day[5:7], day[0:4])
    check("Theo lý do / by reason" in first_page and "Theo tình trạng / by status" in first_page
          and local_day in first_page and rows[0]["tracking"] not in first_page,
          "the PDF's first page has the day's counts by status and by reason")
    check(".000000Z" not in text and not any(c in text for c in ("suspected-drugs",
                                                                  "concealment,")),
          "the PDF shows local times and reasons in words")
    check(re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", text) is not None,
          "… times as dd/mm/yyyy hh:mm")
    if shutil.which("pdftoppm"):
        picture = os.environ.get("PS_SCREENSHOT_DIR", os.path.join(
            os.environ.get("G_TEST_BUILDDIR", work), "screenshots"))
        os.makedirs(picture, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        os.path.join(first, "summary.pdf"),
                        os.path.join(picture, "export-summary")], check=False)
check(all(row["hold_reasons_vi"] and row["hold_reasons_en"] and row["decided_local"]
          for row in rows),
      "the CSV carries the reasons in words beside their codes, and local times")
check(all(all({"code", "vi", "en"} <= set(label) for label in r["hold_reasons"])
          for r in document["reports"]) and any(r["hold_reasons"] for r in document["reports"]),
      "the JSON carries each reason's code and words")

# Verification.
result = verify(first)
check(result.returncode == 0, "export verify accepts the export (%s)" % result.stdout.strip())
other_key = os.path.join(work, "other.key")
relaylib.ctl("keys", "generate", "--key", other_key)
other_public = os.path.join(work, "other.pub")
with open(other_public, "w") as f:
    f.write(relaylib.ctl("keys", "show", "--public", "--key", other_key).stdout)
result = verify(first, other_public)
check(result.returncode == 1 and "manifest.json" in result.stdout,
      "another counter's key is refused, naming the manifest")

for name in ["reports.csv", "reports.json", "summary.pdf", "manifest.json"]:
    tampered = os.path.join(work, "tampered-" + name)
    shutil.copytree(first, tampered)
    path = os.path.join(tampered, name)
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))
    result = verify(tampered)
    check(result.returncode == 1 and name in result.stdout,
          "one changed byte in %s is found and named (%s)" % (name, result.stdout.strip()))

# Hostile folders: the verifier names what is wrong, never crashes, never
# hangs, and reads nothing unsigned beyond what it needs to say so.
counter_secret = base64.b64decode(open(key).read().split("\n")[1])
counter_signer = nacl.signing.SigningKey(counter_secret[:32])


def hostile(name, manifest, signed=True, extra=None):
    folder = os.path.join(work, "hostile-" + name)
    shutil.copytree(first, folder)
    if manifest is not None:
        with open(os.path.join(folder, "manifest.json"), "wb") as f:
            f.write(manifest)
        signature = counter_signer.sign(manifest).signature if signed else b"x" * 64
        with open(os.path.join(folder, "manifest.sig"), "w") as f:
            f.write(base64.b64encode(signature).decode() + "\n")
    if extra:
        extra(folder)
    try:
        result = subprocess.run([relaylib.CTL, "export", "verify", folder, "--key", public_file],
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    return result


result = hostile("number-name", b'{"files": [{"name": 5, "sha256": "00"}]}')
check(result is not None and result.returncode == 1 and "entry 1" in result.stdout,
      "a signed manifest whose file name is a number is named, not a crash (%r)"
      % ((result and (result.returncode, result.stdout.strip())),))
deep = b'{"files": ' + b"[" * 100000 + b"]" * 100000 + b"}"
result = hostile("deep", deep)
check(result is not None and result.returncode == 1 and "cannot be read" in result.stdout,
      "a signed manifest nested 100 000 deep is refused, not a crash (%r)"
      % ((result and (result.returncode, result.stdout.strip()[:200])),))
result = hostile("deep-unsigned", deep, signed=False)
check(result is not None and result.returncode == 1 and "signature does not match" in
      result.stdout and "cannot be read" not in result.stdout,
      "an unsigned manifest is not read past its signature (%r)"
      % ((result and result.stdout.strip()[:200]),))
result = hostile("extra-file", None, extra=lambda folder: shutil.copy(
    os.path.join(folder, "reports.csv"), os.path.join(folder, "reports-corrected.csv")))
check(result is not None and result.returncode == 1 and "reports-corrected.csv" in result.stdout,
      "a file slipped in beside the signed ones is named (%r)"
      % ((result and result.stdout.strip()),))


def fifo_for_csv(folder):
    os.unlink(os.path.join(folder, "reports.csv"))
    os.mkfifo(os.path.join(folder, "reports.csv"))


result = hostile("fifo", None, extra=fifo_for_csv)
check(result is not None and result.returncode == 1 and "not a regular file" in result.stdout,
      "a FIFO in place of a file is named, without hanging (%r)"
      % ((result and result.stdout.strip()),))

# An audit entry inserted behind the program's back with a number where a
# digest goes: named, not a crash.
hostile_db = os.path.join(work, "hostile-audit.db")
shutil.copy(db, hostile_db)
with sqlite3.connect(hostile_db) as connection:
    seq, parcel = connection.execute(
        "SELECT max(seq) + 1, (SELECT min(id) FROM parcels) FROM audit").fetchone()
    connection.execute("INSERT INTO audit (seq, time_us, actor_kind, action, entity, payload, "
                       "prev_hash, hash) VALUES (?, 0, 'system', 'decision', 'parcel', ?, "
                       "'00', '00')", (seq, '{"parcel": %d, "digest": 12345}' % parcel))
    connection.execute("INSERT INTO audit (seq, time_us, actor_kind, action, entity, payload, "
                       "prev_hash, hash) VALUES (?, 0, 'system', 'decision', 'parcel', ?, "
                       "'00', '00')", (seq + 1, '{"parcel": ' * 50000 + "1" + "}" * 50000))
result = relaylib.ctl("audit", "verify", "--db", hostile_db)
check(result.returncode == 1 and "inserted" in (result.stdout + result.stderr),
      "audit verify names an inserted entry with a number for a digest, not a crash (%r)"
      % ((result.returncode, (result.stdout + result.stderr).strip()[:200]),))

# Sealed to the liaison.
liaison_key = os.path.join(work, "liaison.key")
relaylib.ctl("keys", "generate", "--key", liaison_key)
liaison_public = os.path.join(work, "liaison.pub")
with open(liaison_public, "w") as f:
    f.write(relaylib.ctl("keys", "show", "--public", "--key", liaison_key).stdout)
sealed = export(os.path.join(work, "sealed"), "--seal-to", liaison_public)
check(sorted(os.listdir(sealed)) == ["manifest.json", "manifest.sig", "reports.csv.sealed",
                                    "reports.json.sealed", "summary.pdf.sealed"],
      "sealed, only the sealed files and the manifest are written")
check(verify(sealed).returncode == 0, "a sealed export verifies")
secret = base64.b64decode(open(liaison_key).read().split("\n")[1])
opener = nacl.public.SealedBox(nacl.signing.SigningKey(secret[:32]).to_curve25519_private_key())
opened = opener.decrypt(open(os.path.join(sealed, "reports.csv.sealed"), "rb").read())
check(opened == raw, "the liaison's key opens a sealed file to the same bytes")
wrong = nacl.public.SealedBox(nacl.public.PrivateKey.generate())
try:
    wrong.decrypt(open(os.path.join(sealed, "reports.json.sealed"), "rb").read())
    check(False, "another key cannot open a sealed file")
except nacl.exceptions.CryptoError:
    check(True, "another key cannot open a sealed file")

# The watch list.
police_key = os.path.join(work, "police.key")
relaylib.ctl("keys", "generate", "--key", police_key)
police_public = os.path.join(work, "police.pub")
with open(police_public, "w") as f:
    f.write(relaylib.ctl("keys", "show", "--public", "--key", police_key).stdout)
installed = os.path.join(work, "watchlist.txt")
watch_config = os.path.join(work, "watch.conf")
with open(watch_config, "w") as f:
    f.write("[data]\nwatchlist=%s\nwatchlist-key=%s\n" % (installed, police_public))
incoming = os.path.join(work, "incoming.txt")
with open(incoming, "w", encoding="utf-8") as f:
    f.write("# from the police\n# version: 7\nphone +84 912 345 678\nname Nguyễn Văn Xấu\n"
            "country KH\n")
relaylib.ctl("keys", "sign", incoming, "--key", police_key)
result = relaylib.ctl("watchlist", "import", incoming, "--key", police_public, "--config",
                      watch_config, "--db", db)
check(result.returncode == 0 and os.path.exists(installed),
      "a signed watch list is installed (%s)" % result.stdout.strip())
check(os.stat(installed).st_mode & 0o777 == 0o600,
      "… readable by the counter's user only (%o)" % (os.stat(installed).st_mode & 0o777))
with sqlite3.connect(db) as connection:
    imports = connection.execute("SELECT payload FROM audit WHERE action = 'watchlist-import'"
                                 ).fetchall()
check(len(imports) == 1 and '"version":7' in imports[0][0],
      "… and the import is in the audit trail (%r)" % imports)
result = relaylib.ctl("config", "check", "--config", watch_config)
check("Watch list: 3 entries" in result.stdout, "the risk rules read it (%s)"
      % result.stdout.strip().splitlines()[-2:])
before = open(installed, "rb").read()
with open(incoming, "a", encoding="utf-8") as f:
    f.write("phone 0900000000\n")  # changed after signing
result = relaylib.ctl("watchlist", "import", incoming, "--key", police_public, "--config",
                      watch_config, "--db", db)
check(result.returncode == 1 and "signature" in result.stderr,
      "a watch list with a bad signature is refused (%s)" % result.stderr.strip())
check(open(installed, "rb").read() == before, "… and the installed list is unchanged")

# An older signed list does not replace a newer one (issue 10, defect 12).
older = os.path.join(work, "older.txt")
with open(older, "w", encoding="utf-8") as f:
    f.write("# version: 6\nphone +84 912 000 000\n")
relaylib.ctl("keys", "sign", older, "--key", police_key)
result = relaylib.ctl("watchlist", "import", older, "--key", police_public, "--config",
                      watch_config, "--db", db)
check(result.returncode == 1 and "not newer" in result.stderr and
      open(installed, "rb").read() == before,
      "an older signed watch list is refused (%s)" % result.stderr.strip())

# The installed list changed by hand is caught at its next use.
with open(installed, "a", encoding="utf-8") as f:
    f.write("phone 0911111111\n")
result = relaylib.ctl("config", "check", "--config", watch_config)
check(result.returncode != 0 and "changed after it was imported" in result.stderr,
      "an installed watch list changed by hand is refused at its next use (%s)"
      % result.stderr.strip())

# Links planted in the export's folder are replaced, never followed: the file
# they point to keeps its contents and mode, and each file is the counter
# user's alone (issue 10, defect 3).
planted_out = os.path.join(work, "planted")
planted_folder = os.path.join(planted_out, "parcelscreen-BC-700000-03-%s" % day)
os.makedirs(planted_folder)
victim = os.path.join(work, "victim.txt")
with open(victim, "w") as f:
    f.write("untouched")
os.chmod(victim, 0o644)
for name in ("reports.csv", "reports.csv.partial", "reports.json.partial", "manifest.json"):
    os.symlink(victim, os.path.join(planted_folder, name))
export(planted_out)
check(open(victim).read() == "untouched" and os.stat(victim).st_mode & 0o777 == 0o644,
      "a link planted in the export folder is not followed: its target is unchanged")
modes = {name: os.lstat(os.path.join(planted_folder, name)).st_mode
         for name in ("reports.csv", "reports.json", "summary.pdf", "manifest.json")}
check(all(os.path.isfile(os.path.join(planted_folder, n)) and not
          os.path.islink(os.path.join(planted_folder, n)) and m & 0o777 == 0o600
          for n, m in modes.items()),
      "… the export's files are regular files of mode 0600 (%r)"
      % {n: oct(m & 0o777) for n, m in modes.items()})
result = verify(planted_folder)
check(result.returncode == 1 and "reports.csv.partial" in result.stdout,
      "… and export verify names the planted links left beside them (%s)"
      % result.stdout.strip().replace("\n", " | "))

# A day exported plain, then sealed: no plaintext is left beside the sealed
# files (issue 10, defect 9).
resealed_out = os.path.join(work, "resealed")
export(resealed_out)
reseal_key = os.path.join(work, "reseal.key")
relaylib.ctl("keys", "generate", "--key", reseal_key)
reseal_public = os.path.join(work, "reseal.pub")
with open(reseal_public, "w") as f:
    f.write(relaylib.ctl("keys", "show", "--public", "--key", reseal_key).stdout)
resealed = export(resealed_out, "--seal-to", reseal_public)
check(sorted(os.listdir(resealed)) == ["manifest.json", "manifest.sig", "reports.csv.sealed",
                                      "reports.json.sealed", "summary.pdf.sealed"],
      "a sealed re-export leaves no plaintext file behind (%r)" % sorted(os.listdir(resealed)))
check(verify(resealed).returncode == 0, "… and verifies")

# Inputs that would escape (issue 10, defect 11).
for bad in (" 2026-12-1", "2026-12-1 ", "+2026-12-01", "9999-12-31", "2026-13-01", "2026-02-30"):
    result = relaylib.ctl("export", "--date", bad, "--out", os.path.join(work, "bad-dates"),
                          "--config", config, "--db", db)
    check(result.returncode != 0 and "CRITICAL" not in result.stderr and
          not os.path.exists(os.path.join(work, "bad-dates")),
          "--date %r is refused, nothing written (%s)" % (bad, result.stderr.strip()))
for office, counter in (("../../escape", "03"), ("BC-700000", "a/b"), ("", "03"), (".", "03")):
    escape_config = os.path.join(work, "escape.conf")
    with open(escape_config, "w") as f:
        f.write("[counter]\noffice-code=%s\ncounter-id=%s\n[relay]\nsigning-key=%s\n"
                % (office, counter, key))
    escape_out = os.path.join(work, "escape-out", "inner")
    os.makedirs(escape_out, exist_ok=True)
    before = set(os.listdir(os.path.join(work, "escape-out"))) | set(os.listdir(work))
    result = relaylib.ctl("export", "--date", day, "--out", escape_out, "--config",
                          escape_config, "--db", db)
    after = set(os.listdir(os.path.join(work, "escape-out"))) | set(os.listdir(work))
    check(result.returncode != 0 and os.listdir(escape_out) == [] and after == before,
          "office %r counter %r cannot name an export folder (%s)"
          % (office, counter, result.stderr.strip()))

# A sender whose name starts like a formula reaches the liaison's
# spreadsheet as text.
formula_db = os.path.join(work, "formula.db")
shutil.copy(db, formula_db)
with sqlite3.connect(formula_db) as connection:
    connection.execute("UPDATE parcels SET sender_name = '=HYPERLINK(\"http://x\")', "
                       "description = '+cmd|calc', recipient_name = '@SUM(A1)'")
formula_folder = os.path.join(work, "formula")
result = relaylib.ctl("export", "--date", day, "--out", formula_folder, "--config", config,
                      "--db", formula_db)
formula_csv = open(os.path.join(formula_folder, "parcelscreen-BC-700000-03-%s" % day,
                                "reports.csv"), encoding="utf-8-sig").read()
cells = [cell for row in csv.reader(io.StringIO(formula_csv, newline="")) for cell in row]
check(result.returncode == 0 and cells and not any(c[:1] in ("=", "+", "@") for c in cells) and
      "'=HYPERLINK" in formula_csv,
      "CSV cells that start like a formula are kept as text (%s)" % result.stderr.strip())

# A training database.
training = os.path.join(work, "training.db")
relaylib.ctl("user", "add", "admin", "--name", "Admin", "--role", "admin", "--pin-stdin",
             "--db", training, input="739146\n")
with sqlite3.connect(training) as connection:
    connection.execute("INSERT INTO meta (key, value) VALUES ('training', 'yes')")
result = relaylib.ctl("export", "--date", day, "--out", work, "--config", config, "--db",
                      training)
check(result.returncode == 1 and "training" in result.stderr,
      "a training database is never exported (%s)" % result.stderr.strip())

relaylib.finish()
