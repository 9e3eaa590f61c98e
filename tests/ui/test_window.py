"""The main window: it opens, shows the counter's identity from the
configuration and the database path, in English and Vietnamese; a broken
configuration is shown to the person in front of the screen."""

import pslib
from pslib import App, check

# English, with the identity from the configuration.
app = App("[counter]\noffice-code=BC-240000\ncounter-id=03\n")
try:
    app.wait()
    frame = app.find("frame", "ParcelScreen")
    check(frame is not None, "the main window is open")
    office = app.value_of("Post office")
    check(office == "BC-240000", "the office code is shown (%r)" % office)
    counter = app.value_of("Counter")
    check(counter == "03", "the counter id is shown (%r)" % counter)
    database = app.value_of("Database")
    check(database == app.database, "the database path is shown (%r)" % database)
    pslib.screenshot("main-window")
finally:
    app.stop()

# Vietnamese, chosen in the configuration.
app = App("[counter]\nlanguage=vi\n")
try:
    app.wait()
    office = app.value_of("Bưu cục")
    check(office == "chưa cấu hình", "Vietnamese: an empty office code says so (%r)" % office)
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
