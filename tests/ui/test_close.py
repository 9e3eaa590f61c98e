"""Closing the counter program while the police receiver hangs: the
program, asked to close (SIGTERM, as systemd and a shutdown ask), is gone
within 2 s, its forwarder stopped in the middle of a request, and every
queued report is still queued, none leased, for the next start. Its
forwarder (a child process) is started again when it dies; killed outright
(SIGKILL), the program takes its forwarder with it."""

import os
import signal
import sqlite3
import sys
import time

import pslib
from pslib import App, check


def forwarders_of(database):
    """The pids of the forwarder processes working on @database."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if b"forward" in argv and database.encode() in argv:
            found.append(int(entry))
    return found


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "relay"))
import relaylib  # noqa: E402

relaylib.need_tools()
directory = relaylib.tempdir()
certs = relaylib.Certificates(directory)
database, key, public = relaylib.make_counter(directory, 5, seed="31")
receiver = relaylib.Receiver(certs, certs.server, os.path.join(directory, "received.db"), public,
                             "hang")
app = None
try:
    relaylib.write_config(directory, "parcelscreen.conf", receiver.url, certs, key)
    app = App(None, directory=directory)
    app.wait()
    asked = relaylib.wait_until(
        lambda: receiver.query("SELECT count(*) FROM requests")[0][0] > 0, 30)
    check(asked, "the program's forwarder is waiting for the hung receiver")
    time.sleep(0.5)
    start = time.monotonic()
    app.process.send_signal(signal.SIGTERM)
    status = app.exit_status(timeout=10)
    seconds = time.monotonic() - start
    print("# the program closed %.2f s after SIGTERM" % seconds)
    check(status == 0 and seconds < 2.0,
          "the program closes within 2 s while the receiver hangs (%r, %.2f s)"
          % (status, seconds))
    with sqlite3.connect(database) as connection:
        left = connection.execute("SELECT count(*) FROM outbox WHERE state = 'pending' "
                                  "AND lease_owner IS NULL").fetchone()[0]
    check(left == 5, "every report is still queued, none leased (%d of 5)" % left)
    check(forwarders_of(database) == [], "no forwarder is left after the program closed")

    # Killed: no shutdown runs, yet its forwarder does not outlive it. The
    # default time-outs: the forwarder, waiting on the hung receiver, has
    # nothing to write that would end it by a broken pipe.
    relaylib.write_config(directory, "parcelscreen.conf", receiver.url, certs, key, timeouts=("", ""))
    app = App(None, directory=directory)
    app.wait()
    check(relaylib.wait_until(lambda: forwarders_of(database) != [], 30),
          "the program runs its forwarder as a child process")
    # A forwarder that dies is started again (after 5 s).
    first = forwarders_of(database)
    for pid in first:
        os.kill(pid, signal.SIGKILL)
    check(relaylib.wait_until(lambda: forwarders_of(database) not in ([], first), 20),
          "a forwarder that died is started again (%r, then %r)" % (first, forwarders_of(database)))
    app.process.kill()
    app.exit_status(timeout=10)
    check(relaylib.wait_until(lambda: forwarders_of(database) == [], 5),
          "the forwarder ends with the program killed outright (%r)" % forwarders_of(database))
finally:
    if app is not None:
        app.stop()
    receiver.stop()

pslib.finish()
