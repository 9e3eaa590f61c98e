#!/usr/bin/python3
"""The supervisor's inbox of the police's instructions, in the real program
under Xvfb, driven through the accessibility tree (dogtail): instructions
issued at a real hub (PostgreSQL started here) and fetched by the counter;
the supervisor sees the ones to carry out, the overdue one first and
marked, the header counts them; opening the seizure's row selects its
report, and its hand-over dialog comes pre-filled with the collecting
officer and the instruction, which the hand-over then carries out."""
import os
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "hub"))
import hublib  # noqa: E402

hublib.need_tools()
import pslib  # noqa: E402
from pslib import App, check, finish  # noqa: E402


def press(node):
    node.doActionNamed("click")


PIN = "739146"
PASSWORD = "Chỉ-huy-mật-khẩu-2026"
work = hublib.tempdir()
certs = hublib.relaylib.Certificates(work)
pg = hublib.Postgres()
hub = None
app = None
try:
    hublib.hubctl(pg, "db", "migrate")
    police_key = os.path.join(work, "police.key")
    hublib.hubctl(pg, "keys", "generate", police_key)
    police_public = os.path.join(work, "police.pub")
    with open(police_public, "w") as f:
        f.write(hublib.hubctl(pg, "keys", "show", police_key).stdout)
    a = hublib.Counter(work, certs, "BC-700000", "03", parcels=4, seed="41", hold_rate="1.0")
    a.register(pg)
    hublib.hubctl(pg, "user", "add", "hung", "--name", "Thượng tá Phạm Văn Hùng", "--role",
                  "commander", "--unit", "PC04", "--badge", "045-112", stdin=PASSWORD + "\n")
    hub = hublib.Hub(work, certs, pg)
    with open(hub.config, "a") as f:
        f.write("[answers]\npolice-key=%s\n" % police_key)
    hub.start()
    a.write_config(hub.url, extra="police-key=%s\n" % police_public)
    a.forward_once()
    counter_id = pg.query("SELECT id FROM counters")[0][0]
    with sqlite3.connect(a.db) as db:
        reports = [r for (r,) in db.execute("SELECT id FROM reports ORDER BY id")]
        seized_tracking = db.execute("SELECT p.tracking FROM reports r JOIN parcels p ON "
                                     "p.id = r.parcel_id WHERE r.id = ?",
                                     (reports[0],)).fetchone()[0]
    police = hublib.Browser(hub.web_port, certs)
    check(police.login("hung", PASSWORD), "the commander logs in at the hub")
    police.instruct(counter_id, reports[0], kind="received", case="VV-2026-0200")
    police.instruct(counter_id, reports[0], kind="seize", order="LTG-2026-51", urgent="1",
                    reason="Nguy cơ tẩu tán", collector_name="Đại uý Lê Văn Công",
                    collector_unit="PC04", collector_badge="123-456")
    police.instruct(counter_id, reports[1], kind="request_info",
                    question="Ảnh chụp niêm phong?", due="2026-01-01T08:00")
    result = a.forward_once()
    with sqlite3.connect(a.db) as db:
        stored = db.execute("SELECT count (*) FROM instructions").fetchone()[0]
    check(stored == 3, "the counter fetched the three instructions (%s)" % result.stdout.strip())
    seize_id = pg.query("SELECT id FROM instructions WHERE kind = 'seize'")[0][0]

    with open(a.config) as f:
        config = f.read()
    pdf_folder = os.path.join(work, "pdf")
    os.makedirs(pdf_folder)
    config += "[printing]\npdf-folder=%s\n" % pdf_folder
    app = App(config)
    # The program uses the counter's database.
    app.process.terminate()
    app.process.wait()
    import shutil
    with sqlite3.connect(a.db) as source, sqlite3.connect(app.database) as target:
        source.backup(target)
    os.chmod(app.database, 0o600)
    # The PIN key lives beside the database, apart from it.
    shutil.copyfile(a.db + ".pin-key", app.database + ".pin-key")
    os.chmod(app.database + ".pin-key", 0o600)
    app = App(config, directory=app.dir)
    app.wait()
    check(app.wait_for("login", lambda: app.label_text("Page title") == "Log in"),
          "the program opens on the login page")
    app.type_into("User", "sim-supervisor")
    app.type_into("PIN", PIN)
    press(app.button("Log in"))
    press(app.find("radio button", "Held parcels", timeout=20))
    inbox = app.find("list box", "Instructions from the police", timeout=20)
    rows = []
    deadline = time.time() + 20
    while time.time() < deadline:
        rows = [r.name for r in inbox.findChildren(lambda n: n.roleName == "list item")]
        if len(rows) == 2:
            break
        time.sleep(0.5)
    check(len(rows) == 2, "the inbox lists the two to carry out (the receipt is done): %s" % rows)
    check(rows and rows[0].startswith("⚠") and "OVERDUE" in rows[0],
          "the overdue request for information comes first, marked")
    check(len(rows) > 1 and "Seizure" in rows[1] and seized_tracking in rows[1],
          "the seizure names its parcel")
    police_label = [n for n in app.node.findChildren(lambda n: n.roleName == "label")
                    if "instruction" in (n.name or "")]
    check(police_label and "2 instructions to carry out" in police_label[0].name and
          "1 overdue" in police_label[0].name,
          "the header counts them: %s" % [n.name for n in police_label])
    pslib.screenshot("inbox")

    seize_row = [r for r in inbox.findChildren(lambda n: n.roleName == "list item")
                 if "Seizure" in r.name][0]
    seize_row.doActionNamed(seize_row.actions.keys().__iter__().__next__()) \
        if seize_row.actions else seize_row.click()
    check(app.wait_for("detail", lambda: seized_tracking in app.label_text("Report details")),
          "opening the seizure's row shows its report")
    press(app.button("Hand over to police…"))
    dialog = app.dialog("Hand over to the police")
    texts = {n.name: n for n in dialog.findChildren(lambda n: n.roleName == "text")}
    check(texts["Officer’s name"].text == "Đại uý Lê Văn Công" and
          texts["Badge number"].text == "123-456",
          "the hand-over is pre-filled with the collecting officer")
    check(texts["Police instruction (number)"].text == seize_id,
          "… and with the seizure it carries out")
    pslib.screenshot("handover-under-instruction")
    press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Hand over"))
    rows = []
    deadline = time.time() + 20
    while time.time() < deadline and not rows:
        with sqlite3.connect(app.database) as db:
            rows = db.execute("SELECT i.state FROM custody_events c JOIN instructions i ON "
                              "i.id = c.instruction_id WHERE c.kind = 'handover'").fetchall()
        time.sleep(0.5)
    check(rows == [("done",)], "the hand-over carried out the seizure (%s)" % rows)
    record = os.path.join(pdf_folder, "bien-ban-ban-giao-%s.pdf" % seized_tracking)
    check(app.wait_for("record", lambda: os.path.exists(record), timeout=20),
          "the hand-over record is printed")
    import shutil as _shutil
    if _shutil.which("pdftotext") and os.path.exists(record):
        import subprocess as _subprocess
        text = _subprocess.run(["pdftotext", record, "-"], capture_output=True,
                               text=True).stdout
        check("LTG-2026-51" in text and seize_id in text.replace("\n", ""),
              "the printed hand-over record names the seizure order and the instruction")
finally:
    if app is not None:
        app.stop()
    if hub is not None:
        hub.stop()
    pg.destroy()
finish()
