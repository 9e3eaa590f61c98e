"""End to end: the real parcelscreen binary, its real libusb talking to an
emulated scale and scanner (umockdev), driven through the accessibility tree
like a clerk and a supervisor would, with every outcome checked in the
database file.

  1. first run → login → scan → weigh → sender (CCCD) → recipient → declare →
     inspect → accept; then a high-risk parcel accepted with a supervisor's
     approval (a clerk's PIN is refused in the approval dialog)
  2. a hold: a report and its outbox row
  3. a refused consent: refused, with its risk indicator
  4. the scale unplugged mid-acceptance: typed weight with a reason, accepted
  5. a supervisor hands the held parcel over to the police
  6. the supervisor finds the parcel weighed by hand in the history (its
     typed weight's reason in words) and adds a correction
  7. the police receiver refuses the supervisor's assessment for good; the
     supervisor sees it and sends it again

The program forwards to a local HTTPS receiver (tests/relay/receiver.py): the
hold's report and the hand-over arrive there, in order, signed.
"""

import json
import os
import sqlite3
import sys
import time

import pslib
from pslib import App, UsbHelper, check

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "relay"))
import relaylib  # noqa: E402

PIN = "739146"
CCCD = ("001090012345|012345678|Nguyễn Văn An|15031990|Nam|"
        "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|20042021")


def s10(service, serial, country="VN"):
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    check_digit = 11 - sum(int(d) * w for d, w in zip(serial, weights)) % 11
    check_digit = {10: 0, 11: 5}.get(check_digit, check_digit)
    return "%s%s%d%s" % (service, serial, check_digit, country)


def press(node):
    node.doActionNamed("click")


def query(app, sql, *args):
    with sqlite3.connect("file:%s?mode=ro" % app.database, uri=True) as db:
        return db.execute(sql, args).fetchall()


def wait_db(app, what, sql, *args, timeout=15):
    rows = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            rows = query(app, sql, *args)
            if rows:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.25)
    check(bool(rows), what)
    return rows


def choose(app, combo_name, index):
    combo = app.find("combo box", combo_name)
    combo.querySelection().selectChild(index)


def checklist_questions():
    """Each inspection item's English question, by id, from the shipped
    checklist: the answer buttons are named after what the clerk reads."""
    questions, current, key = {}, None, None
    with open(os.path.join(os.environ["PARCELSCREEN_DATADIR"], "checklist.txt"),
              encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            if line[0] in " \t" and key == "en":
                questions[current] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "id":
                current = value
            elif key == "en":
                questions[current] = value
    return questions


QUESTIONS = checklist_questions()


def answer_button(app, item, yes):
    return app.find("toggle button", ("Yes: " if yes else "No: ") + QUESTIONS[item])


def answer_all(app, answers):
    for item, yes in answers:
        press(answer_button(app, item, yes))


CHECKLIST = ["consent", "question", "opened", "matches", "no_prohibited", "no_concealment",
             "sealed"]


def approve(app, login):
    """Fills and confirms the supervisor's approval dialog as @login."""
    dialog = app.dialog("Supervisor’s approval")
    dialog.findChild(lambda n: n.roleName == "text" and n.name == "Supervisor’s user").text = login
    dialog.findChild(lambda n: n.roleName == "password text" and
                     n.name == "Supervisor’s PIN").text = PIN
    press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Approve"))


def fill_parcel(app, usb, tracking, weigh=True, contents="Quần áo trẻ em"):
    usb.scan(tracking)
    check(app.wait_for("tracking", lambda: app.label_text("Tracking number status") ==
                       "Tracking number %s" % tracking),
          "the scanned tracking number %s is taken" % tracking)
    if weigh:
        usb.command("weigh 2 0")  # the last parcel taken off
        usb.weigh(600, stable=False)
        usb.weigh(1250, stable=True)
        check(app.wait_for("weight", lambda: "Captured from the scale" in
                           app.label_text("Scale reading")),
              "the stable weight is captured from the scale")
    usb.scan(CCCD, "]Q1")
    check(app.wait_for("cccd", lambda: app.entry("Sender ID number").text == "001090012345"),
          "the CCCD scan fills the sender")
    app.type_into("Sender phone", "0912 345 678")
    press(app.button("Confirm sender"))
    app.type_into("Recipient name", "Lê Thị Hoa")
    app.type_into("Recipient address", "25 Trần Phú, Hải Châu, Đà Nẵng")
    app.type_into("Recipient phone", "0905123456")
    press(app.button("Confirm recipient"))
    choose(app, "Category", 0)
    app.type_into("Contents as declared", contents)
    app.type_into("Declared value in dong", "350.000")
    press(app.button("Confirm declaration"))


def main():
    usb = UsbHelper()
    app = None
    receiver = None
    try:
        usb.plug("scale")
        usb.plug("scanner")
        relaylib.need_tools()
        directory = relaylib.tempdir()
        certs = relaylib.Certificates(directory)
        key = os.path.join(directory, "signing.key")
        relaylib.ctl("keys", "generate", "--key", key)
        public = relaylib.ctl("keys", "show", "--public", "--key", key).stdout.strip()
        # A control file lets step 7 make the receiver refuse a message.
        receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"),
                                     public, control=os.path.join(directory, "faults"))
        pdf_folder = os.path.join(directory, "pdf")
        relaylib.write_config(directory, "parcelscreen.conf", receiver.url, certs, key,
                              extra="[scale]\nstable-ms=300\n[security]\nidle-lock-minutes=0\n"
                                    "[printing]\npdf-folder=%s\n" % pdf_folder)
        app = App(None, usb=usb, directory=directory)
        app.wait()

        # 1. First run.
        app.type_into("Post office code", "BC-700000")
        app.type_into("Counter number", "03")
        app.type_into("Administrator’s login", "admin")
        app.type_into("Full name", "Phạm Quản Trị")
        app.type_into("PIN", PIN)
        app.type_into("PIN again", PIN)
        pslib.screenshot("first-run")
        press(app.button("Set up the counter"))
        check(app.wait_for("login", lambda: app.label_text("Page title") == "Log in"),
              "the first run leads to the login page")
        users = query(app, "SELECT login, role FROM users")
        check(users == [("admin", "admin")], "the administrator is in the database (%r)" % users)
        with open(os.path.join(directory, "config", "parcelscreen", "parcelscreen.conf"),
                  encoding="utf-8") as f:
            saved = f.read()
        check("office-code=BC-700000" in saved and "counter-id=03" in saved,
              "the office and counter are saved in the user configuration")

        pslib.ctl("user", "add", "lan", "--name", "Nguyễn Thị Lan", "--role", "clerk",
                  "--db", app.database, "--as", "admin", "--pin-stdin",
                  stdin="%s\n%s\n" % (PIN, PIN))
        pslib.ctl("user", "add", "minh", "--name", "Trần Văn Minh", "--role", "supervisor",
                  "--db", app.database, "--as", "admin", "--pin-stdin",
                  stdin="%s\n%s\n" % (PIN, PIN))

        # A wrong PIN is refused with a message.
        app.type_into("User", "lan")
        app.type_into("PIN", "000001")
        press(app.button("Log in"))
        check(app.wait_for("wrong pin", lambda: app.label_text("Error") != ""),
              "a wrong PIN is refused with a message")
        app.type_into("PIN", PIN)
        press(app.button("Log in"))
        check(app.wait_for("counter", lambda: app.entry("Tracking number") is not None),
              "the clerk reaches the counter screen")
        check(app.wait_for("scale", lambda: app.label_text("Scale") == "Scale ✔"),
              "the header shows the scale connected")
        check(app.label_text("Scanner") == "Scanner ✔",
              "the header shows the scanner connected")
        pslib.screenshot("counter-empty")

        # Accept.
        first = s10("EE", "47110815")
        fill_parcel(app, usb, first)
        check(not app.button("Accept").sensitive,
              "Accept is not possible before the inspection")
        pslib.screenshot("counter")
        answer_all(app, [(item, True) for item in CHECKLIST])
        pslib.screenshot("inspection")
        check(app.wait_for("accept", lambda: app.button("Accept").sensitive),
              "Accept is possible once every item is answered")
        press(app.button("Accept"))
        rows = wait_db(app, "the accepted parcel is in the database",
                       "SELECT decision, weight_mg, weight_source, sender_source, sender_phone "
                       "FROM parcels WHERE tracking = ?", first)
        check(rows and rows[0] == ("accepted", 1250000, "scale", "cccd-scan", "0912345678"),
              "accepted, 1250 g from the scale, sender from the CCCD (%r)" % rows)
        answers = query(app, "SELECT count(*) FROM inspection_answers ia JOIN parcels p "
                        "ON p.id = ia.parcel_id WHERE p.tracking = ? AND ia.answer = 'yes'", first)
        check(answers == [(len(CHECKLIST),)], "every inspection answer is recorded")
        # A screen reader hears a status label's text, and what it is as its
        # description (issue 11: fixed names hid the text).
        status = app.find("label", "Tracking number status")
        check(status.name == status.text and status.description == "Tracking number status",
              "a status label is named by its text (%r / %r)" % (status.name, status.description))
        how = query(app, "SELECT e.summary FROM parcel_events e JOIN parcels p "
                    "ON p.id = e.parcel_id WHERE p.tracking = ? AND e.kind = 'tracking'", first)
        check(how == [("%s (scanned)" % first,)],
              "the record says the tracking number was scanned (%r)" % how)
        check(app.wait_for("receipt", lambda: os.path.exists(
            os.path.join(pdf_folder, "bien-nhan-%s.pdf" % first))),
            "the receipt is saved as PDF")
        pslib.screenshot("accepted")
        press(app.button("Next parcel"))

        # 1b. High risk: accepted only with a supervisor's approval.
        risky = s10("EE", "47110819")
        fill_parcel(app, usb, risky, contents="Trà khô, thảo dược, lá khô, thuốc bắc")
        answer_all(app, [(item, True) for item in CHECKLIST])
        approval = "Accept with a supervisor’s approval…"
        check(app.wait_for("approval", lambda: app.button(approval).sensitive),
              "a high-risk parcel offers an accept with a supervisor's approval")
        press(app.button(approval))
        approve(app, "lan")
        check(app.wait_for("refused approval", lambda: "lan" in
                           app.label_text("Decision error")),
              "a clerk cannot approve: the screen says why (%r)" % app.label_text("Decision error"))
        check(query(app, "SELECT count(*) FROM parcels WHERE tracking = ?", risky) == [(0,)],
              "nothing is recorded without the approval")
        press(app.button(approval))
        approve(app, "minh")
        rows = wait_db(app, "the approved parcel is recorded",
                       "SELECT p.decision, u.login FROM parcels p JOIN users u "
                       "ON u.id = p.override_by WHERE p.tracking = ?", risky)
        check(rows == [("accepted", "minh")], "accepted with minh's approval (%r)" % rows)
        press(app.button("Next parcel"))

        # 2. Hold.
        second = s10("EE", "47110816")
        fill_parcel(app, usb, second)
        answer_all(app, [(item, item != "no_concealment") for item in CHECKLIST])
        check(app.wait_for("no accept", lambda: not app.button("Accept").sensitive),
              "a sign of concealment makes Accept impossible")
        press(app.button("Hold…"))
        dialog = app.dialog("Hold the parcel")
        press(dialog.findChild(lambda n: n.roleName == "check box" and
                               n.name == "Suspected drugs"))
        dialog.findChild(lambda n: n.roleName == "text" and n.name == "Note").text = \
            "Bột trắng trong hộp sữa"
        pslib.screenshot("hold")
        press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Hold"))
        rows = wait_db(app, "the held parcel has a report",
                       "SELECT r.id, r.status FROM reports r JOIN parcels p ON p.id = r.parcel_id "
                       "WHERE p.tracking = ?", second)
        report_id = rows[0][0] if rows else 0
        outbox = query(app, "SELECT kind FROM outbox WHERE report_id = ?", report_id)
        check(len(outbox) == 1, "one outbox row for the police (%r)" % outbox)
        check(app.wait_for("record", lambda: os.path.exists(
            os.path.join(pdf_folder, "bien-ban-tam-giu-%s.pdf" % second))),
            "the holding record is saved as PDF")
        check(relaylib.wait_until(lambda: receiver.query(
            "SELECT count(*) FROM reports")[0][0] == 1, 30),
            "the program forwarded the report to the police receiver")
        body = json.loads(receiver.query("SELECT body FROM reports")[0][0])
        check(body["parcel"]["tracking"] == second and body["kind"] == "report",
              "… the held parcel's report (%s)" % body["parcel"]["tracking"])
        check(receiver.query("SELECT count(*) FROM requests WHERE signature_ok = 0") == [(0,)],
              "… signed with the counter's key")
        check(app.wait_for("sent", lambda: app.label_text("Reports waiting") ==
                           "Police: all sent", timeout=20),
              "the header shows the report delivered")
        pslib.screenshot("held")
        press(app.button("Next parcel"))

        # 3. Refused consent.
        third = s10("EE", "47110817")
        fill_parcel(app, usb, third)
        press(answer_button(app, "consent", False))
        press(app.button("Refuse…"))
        dialog = app.dialog("Refuse the parcel")
        press(dialog.findChild(lambda n: n.roleName == "radio button" and
                               n.name.startswith("The sender refused the content check")))
        press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Refuse"))
        rows = wait_db(app, "the refused parcel is recorded",
                       "SELECT decision, refuse_reason FROM parcels WHERE tracking = ?", third)
        check(rows and rows[0][0] == "refused", "refused (%r)" % rows)
        hits = query(app, "SELECT rule_id FROM risk_hits h JOIN parcels p ON p.id = h.parcel_id "
                     "WHERE p.tracking = ?", third)
        check(("refused-consent",) in hits, "the refused consent is a risk indicator (%r)" % hits)
        press(app.button("Next parcel"))

        # 4. The scale is unplugged mid-acceptance.
        fourth = s10("EE", "47110818")
        usb.scan(fourth)
        check(app.wait_for("fourth", lambda: app.label_text("Tracking number status") ==
                           "Tracking number %s" % fourth), "the fourth parcel is scanned")
        usb.unplug("scale")
        check(app.wait_for("unplugged", lambda: app.label_text("Scale") == "No scale",
                           timeout=20),
              "the header shows the scale gone")
        check(app.entry("Tracking number").text == fourth,
              "the acceptance in progress is kept")
        app.type_into("Typed weight in grams", "2300")
        press(app.button("Use the typed weight"))
        # The large figure is the weight that will be recorded (issue 11,
        # defect 6: it kept the scale's "—" or "0 g" beside a small "Typed").
        check(app.wait_for("typed figure", lambda: app.label_text("Weight") == "2.300 kg"),
              "the large figure shows the typed weight (%r)" % app.label_text("Weight"))
        check("recorded" in app.label_text("Scale reading"),
              "… and says it is typed and recorded (%r)" % app.label_text("Scale reading"))
        usb.scan(CCCD, "]Q1")
        check(app.wait_for("cccd", lambda: app.entry("Sender ID number").text == "001090012345"),
              "the CCCD scan fills the sender")
        app.type_into("Sender phone", "0912345678")
        press(app.button("Confirm sender"))
        app.type_into("Recipient name", "Hoàng Văn Nam")
        app.type_into("Recipient address", "8 Hùng Vương, Huế")
        app.type_into("Recipient phone", "0234123456")
        press(app.button("Confirm recipient"))
        choose(app, "Category", 1)
        app.type_into("Contents as declared", "Giấy tờ")
        press(app.button("Confirm declaration"))
        answer_all(app, [(item, True) for item in CHECKLIST])
        pslib.screenshot("scale-unplugged")
        check(app.wait_for("accept", lambda: app.button("Accept").sensitive),
              "accepting with a typed weight is possible")
        # Another program holds the database: the decision cannot be saved,
        # stays on screen, and is saved by "Retry saving" once it is free.
        blocker = sqlite3.connect(app.database, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        press(app.button("Accept"))
        check(app.wait_for("store error", lambda: "could not be saved" in
                           app.label_text("Decision error"), timeout=20),
              "a busy database is reported to the clerk")
        check(app.wait_for("retry", lambda: app.button("Retry saving").showing),
              "the clerk can retry")
        check(query(app, "SELECT count(*) FROM parcels WHERE tracking = ?", fourth) == [(0,)],
              "nothing was half-saved")
        check(app.entry("Typed weight in grams").text == "2300",
              "the screen keeps what was entered")
        pslib.screenshot("store-error")
        blocker.execute("ROLLBACK")
        blocker.close()
        press(app.button("Retry saving"))
        rows = wait_db(app, "the parcel weighed by hand is recorded",
                       "SELECT decision, weight_mg, weight_source, manual_weight_reason "
                       "FROM parcels WHERE tracking = ?", fourth)
        check(rows and rows[0] == ("accepted", 2300000, "manual", "no-scale"),
              "typed weight with the reason 'no scale' (%r)" % rows)

        # 5. The supervisor hands the held parcel over.
        press(app.button("Next parcel"))
        press(app.button("Log out"))
        check(app.wait_for("login", lambda: app.label_text("Page title") == "Log in"),
              "logging out leads to the login page")
        app.type_into("User", "minh")
        app.type_into("PIN", PIN)
        press(app.button("Log in"))
        tab = app.find("radio button", "Held parcels")
        press(tab)
        check(app.wait_for("detail", lambda: second in app.label_text("Report details")),
              "the held parcel's record is shown")
        pslib.screenshot("supervisor")
        press(app.button("Hand over to police…"))
        dialog = app.dialog("Hand over to the police")
        texts = dialog.findChildren(lambda n: n.roleName == "text")
        by_name = {n.name: n for n in texts}
        by_name["Officer’s name"].text = "Đại úy Vũ Đức Long"
        by_name["Unit"].text = "Công an phường Hải Châu"
        by_name["Badge number"].text = "123-456"
        # No police instruction in this test: the supervisor overrides, with
        # a reason the police will see.
        by_name["Or override: why, without an instruction (the police see it)"].text = \
            "Công an phường đến lấy ngay, trung tâm chưa gửi lệnh"
        press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Hand over"))
        rows = wait_db(app, "the hand-over is a custody event",
                       "SELECT officer_name, officer_badge FROM custody_events "
                       "WHERE report_id = ? AND kind = 'handover' AND override_reason LIKE "
                       "'Công an phường%'", report_id)
        check(rows and rows[0] == ("Đại úy Vũ Đức Long", "123-456"),
              "the officer is recorded (%r)" % rows)
        status = query(app, "SELECT status FROM reports WHERE id = ?", report_id)
        check(status == [("handed-over",)], "the report is handed over (%r)" % status)
        check(app.wait_for("handover pdf", lambda: os.path.exists(
            os.path.join(pdf_folder, "bien-ban-ban-giao-%s.pdf" % second))),
            "the hand-over record is saved as PDF")
        pslib.screenshot("handed-over")
        check(relaylib.wait_until(lambda: receiver.query(
            "SELECT count(*) FROM reports")[0][0] == 2, 30),
            "the hand-over is forwarded too")
        kinds = [json.loads(b)["event"]["kind"]
                 for (b,) in receiver.query("SELECT body FROM reports ORDER BY stored_at")]
        check(kinds == ["created", "handover"], "… after the report (%r)" % kinds)

        # 6. The history: the parcel weighed by hand, its typed weight's
        # reason in words (not its code), and a correction added under it.
        press(app.find("radio button", "History"))
        app.type_into("Search the history", fourth)
        press(app.button("Find"))
        check(app.wait_for("history detail", lambda: fourth in app.label_text("Parcel details")),
              "the history shows the parcel found")
        detail = app.label_text("Parcel details")
        check("typed (No scale at this counter)" in detail,
              "the typed weight's reason in words (%r)" % detail)
        press(app.button("Add a correction…"))
        dialog = app.dialog("Correction")
        note = dialog.findChild(lambda n: n.roleName == "text" and n.name == "Note")
        note.text = "Khối lượng đúng là 2,35 kg"
        press(dialog.findChild(lambda n: n.roleName == "push button" and
                               n.name == "Add the correction"))
        rows = wait_db(app, "the correction is recorded",
                       "SELECT c.note FROM corrections c JOIN parcels p ON p.id = c.parcel_id "
                       "WHERE p.tracking = ?", fourth)
        check(rows == [("Khối lượng đúng là 2,35 kg",)], "the correction's note (%r)" % rows)
        check(app.wait_for("correction shown",
                           lambda: "2,35 kg" in app.label_text("Parcel details")),
              "the correction is shown under the record")
        pslib.screenshot("history-correction")

        # 7. The police receiver refuses a message for good (400): the
        # supervisor sees it, and sends it again once the receiver takes it.
        receiver.set_faults("400")
        press(app.find("radio button", "Held parcels"))
        check(app.wait_for("detail", lambda: second in app.label_text("Report details")),
              "the held parcel's record is shown again")
        # What the report's state allows, and only that: handed over, it can
        # be assessed or closed, not handed over or released again.
        allowed = {name: app.button(name).sensitive
                   for name in ("Assessment…", "Hand over to police…", "Release…", "Close…")}
        check(allowed == {"Assessment…": True, "Hand over to police…": False,
                          "Release…": False, "Close…": True},
              "the actions a handed-over report allows (%r)" % allowed)
        press(app.button("Assessment…"))
        dialog = app.dialog("Assessment")
        note = dialog.findChild(lambda n: n.roleName == "text" and n.name == "Note")
        note.text = "Đã xem lại bưu gửi cùng công an phường"
        press(dialog.findChild(lambda n: n.roleName == "push button" and n.name == "Record"))
        refused = wait_db(app, "the receiver refused the assessment",
                          "SELECT id FROM outbox WHERE state = 'failed'", timeout=30)
        check(len(refused) == 1, "one message refused for good (%r)" % refused)
        press(app.button("Refresh"))
        check(app.wait_for("refused shown", lambda: "refused 1 message" in
                           app.label_text("Refused deliveries")),
              "the supervisor sees the refusal")
        pslib.screenshot("refused")
        receiver.set_faults("ok")
        press(app.button("Send the refused again"))
        check(relaylib.wait_until(lambda: receiver.query(
            "SELECT count(*) FROM reports")[0][0] == 3, 30),
            "the refused message is delivered once sent again")
        state = query(app, "SELECT state FROM outbox WHERE id = ?", refused[0][0])
        check(state == [("sent",)], "… and marked sent (%r)" % state)

        verify = pslib.ctl("audit", "verify", "--db", app.database)
        check("The audit trail is whole" in verify,
              "the audit chain verifies (%s)" % verify.strip())
    finally:
        if app is not None:
            app.stop()
        usb.stop()
        if receiver is not None:
            receiver.stop()
    pslib.finish()


main()
