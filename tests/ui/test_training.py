"""Training mode and the lock screen: the banner, a database marked as a
training database, the panel of simulated scans and weights, and a locked
screen that keeps the acceptance in progress for the same user."""

import sqlite3
import time

from dogtail import rawinput
import pslib
from pslib import App, check

PIN = "739146"


def press(node):
    node.doActionNamed("click")


app = App("[scale]\nstable-ms=300\n[security]\nidle-lock-minutes=0\n", extra_args=["--training"])
try:
    app.wait()
    banner = app.label_text("Training mode")
    check(banner.startswith("TRAINING MODE"), "the training banner is shown (%r)" % banner)

    app.type_into("Post office code", "BC-TRAINING")
    app.type_into("Counter number", "1")
    app.type_into("Administrator’s login", "hv")
    app.type_into("Full name", "Học Viên")
    app.type_into("PIN", PIN)
    app.type_into("PIN again", PIN)
    press(app.button("Set up the counter"))
    check(app.wait_for("login", lambda: app.label_text("Page title") == "Log in"),
          "the first run leads to the login page")
    app.type_into("User", "hv")
    app.type_into("PIN", PIN)
    press(app.button("Log in"))

    press(app.button("Scan a sample tracking number"))
    check(app.wait_for("tracking", lambda: app.label_text("Tracking number status")
                       .startswith("Tracking number ")),
          "a simulated scan starts an acceptance")
    tracking = app.entry("Tracking number").text
    press(app.button("Put on the scale"))
    check(app.wait_for("weight", lambda: "Captured from the scale" in
                       app.label_text("Scale reading")),
          "a simulated weight is captured once stable")
    press(app.button("Scan a sample CCCD"))
    check(app.wait_for("cccd", lambda: app.entry("Sender ID number").text == "079190001234"),
          "a simulated CCCD fills the sender")
    pslib.screenshot("training")

    # Lock, a wrong PIN, then the right one: the acceptance is still there.
    press(app.button("Lock"))
    check(app.wait_for("locked", lambda: app.label_text("Page title").startswith("Locked")),
          "the screen locks")
    check(not app.entry("User").sensitive, "only the same user can unlock")
    app.type_into("PIN", "000001")
    press(app.button("Unlock"))
    check(app.wait_for("wrong", lambda: app.label_text("Error") != ""),
          "a wrong PIN does not unlock")
    app.type_into("PIN", PIN)
    press(app.button("Unlock"))
    check(app.wait_for("unlocked", lambda: app.entry("Tracking number").text == tracking),
          "unlocked: the acceptance in progress is kept (%s)" % tracking)
    check(app.entry("Sender ID number").text == "079190001234",
          "unlocked: the sender read from the card is kept")

    # Unlock, then Log out while the PIN is still being checked (the
    # database held by another program keeps the check waiting): the page
    # drops the answer instead of taking it for a session (issue 11, defect 2:
    # a crash), and the shift ends as "logged out", not "program closed"
    # (defect 1).
    # This time with the keyboard: Ctrl+L is the window's "win.lock" action.
    app.entry("Tracking number").grabFocus()
    rawinput.keyCombo("<Control>l")
    check(app.wait_for("locked again", lambda: app.label_text("Page title").startswith("Locked")),
          "Ctrl+L locks the screen again")
    blocker = sqlite3.connect(app.database, timeout=10, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    app.type_into("PIN", PIN)
    press(app.button("Unlock"))
    time.sleep(0.3)
    # The lock page's own button (after the header bar's in the tree), which
    # logs out at once.
    shown = app.node.findChildren(lambda node: node.roleName == "push button" and
                                  node.name == "Log out" and node.showing)
    unlock = app.button("Unlock")
    check(len(shown) == 2 and not unlock.sensitive,
          "the lock page offers Log out while the unlock is being checked")
    press(shown[-1])
    time.sleep(1.0)
    blocker.execute("COMMIT")
    blocker.close()
    check(app.wait_for("logged out", lambda: app.label_text("Page title") == "Log in"),
          "logging out while the unlock is checked shows the login page")
    time.sleep(1.0)
    check(app.process.poll() is None, "… and the program is still running")
    deadline = time.time() + 10
    reasons = []
    while time.time() < deadline and not reasons:
        with sqlite3.connect("file:%s?mode=ro" % app.database, uri=True) as db:
            reasons = db.execute("SELECT end_reason FROM shifts WHERE ended_us IS NOT NULL"
                                 ).fetchall()
            logged = db.execute("SELECT payload FROM audit WHERE action = 'logout'").fetchall()
        time.sleep(0.25)
    check(reasons == [("logged out",)] and len(logged) == 1 and "logged out" in logged[0][0],
          "the shift ended as logged out, in the database and the audit trail (%r, %r)"
          % (reasons, logged))

    deadline = time.time() + 10
    marked = []
    while time.time() < deadline and not marked:
        with sqlite3.connect("file:%s?mode=ro" % app.database, uri=True) as db:
            marked = db.execute("SELECT value FROM meta WHERE key = 'training'").fetchall()
        time.sleep(0.25)
    check(marked == [("yes",)],
          "the database is marked as a training database (%r)" % marked)
finally:
    app.stop()

pslib.finish()
