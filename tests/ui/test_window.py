"""The main window: it opens on the first-run page with the counter's
identity from the configuration, in English and Vietnamese; a broken
configuration is shown to the person in front of the screen."""

import pslib
from pslib import App, check

# English, with the identity from the configuration.
app = App("[counter]\noffice-code=BC-240000\ncounter-id=03\n")
try:
    app.wait()
    frame = app.find("frame", "ParcelScreen")
    check(frame is not None, "the main window is open")
    office = app.entry("Post office code").text
    check(office == "BC-240000", "the office code is offered from the configuration (%r)" % office)
    counter = app.entry("Counter number").text
    check(counter == "03", "the counter id is offered (%r)" % counter)
    pslib.screenshot("main-window")
    # No receiver is configured: the header says reports are not forwarded,
    # not "all sent" (issue 11).
    check(app.wait_for("header", lambda: app.label_text("Reports waiting") ==
                       "Police: not forwarding"),
          "the header says reports are not forwarded (%r)" % app.label_text("Reports waiting"))
finally:
    app.stop()

# Vietnamese, chosen in the configuration.
app = App("[counter]\nlanguage=vi\n")
try:
    app.wait()
    office = app.entry("Mã bưu cục").text
    check(office == "", "Vietnamese: the first-run page asks for the office code (%r)" % office)
    check(app.button("Thiết lập quầy") is not None, "Vietnamese: the set-up button is there")
    pslib.screenshot("main-window-vi")
finally:
    app.stop()

# A broken configuration: a dialog names the file, the line and the reason,
# and the program exits with status 1 once it is closed.
app = App("[counter]\nofice-code=1\n")
try:
    app.wait()
    dialog = app.find("alert", None)
    texts = " ".join(label.text or "" for label in
                     dialog.findChildren(lambda node: node.roleName == "label"))
    check("parcelscreen.conf:2: unknown key ‘ofice-code’" in texts,
          "the dialog names the broken line (%r)" % texts)
    pslib.screenshot("broken-configuration")
    app.find("push button", "Close").click()
    check(app.exit_status() == 1, "the program exits with status 1")
finally:
    app.stop()

pslib.finish()
