#!/usr/bin/env python3
"""Start-up benchmark: from exec to the login page on screen (the program's
"ready" line; its exit afterwards is not timed), for the real
parcelscreen binary on a database of N parcels, against the start of an empty
GTK window (bench/empty-window) in the same run and on the same X server.

Run under xvfb-run. Prints the median of each and their ratio, and every
database job the program logged as slower than a frame (16 ms; those run on
the store worker, never on the screen's thread).

  bench-startup.py --db FILE [--runs N]

The 1 000 000-parcel database is the one the supervisor-lists benchmark
seeds; it has no user of its own, so an administrator "bench" is added to it
(the login page needs one). A database that does not exist yet is created
empty by the program, which then stops at its first-run page.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args, env):
    """Seconds from exec to the "ready" line (the first page drawn); the
    program's exit after it is not start-up and is not counted."""
    start = time.monotonic()
    stderr_file = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=stderr_file,
                               text=True)
    ready = None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("ready"):
            ready = time.monotonic() - start
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        sys.exit("%s did not exit after it was ready" % args[0])
    stderr_file.seek(0)
    stderr = stderr_file.read()
    if process.returncode != 0 or ready is None:
        sys.exit("%s failed (%d): %s" % (args[0], process.returncode, stderr[-2000:]))
    return ready, stderr, "".join(lines).split()[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()

    program = os.environ["PARCELSCREEN"]
    ctl = os.environ["PARCELSCREENCTL"]
    # The login page needs a user: a seeded database has none of its own.
    if os.path.exists(options.db):
        users = subprocess.run([ctl, "user", "list", "--db", options.db], capture_output=True,
                               text=True, check=True)
        if not users.stdout.strip():
            subprocess.run([ctl, "user", "add", "bench", "--name", "Bench", "--role", "admin",
                            "--pin-stdin", "--db", options.db], input="739146\n", text=True,
                           check=True, capture_output=True)
    empty = os.environ["PS_EMPTY_WINDOW"]
    home = tempfile.mkdtemp(prefix="ps-bench-startup-")
    config = os.path.join(home, "parcelscreen.conf")
    with open(config, "w", encoding="utf-8") as f:
        f.write("[counter]\noffice-code=BENCH\ncounter-id=1\n")
    env = dict(os.environ, XDG_CONFIG_HOME=home,
               NO_AT_BRIDGE="1", GTK_THEME="Adwaita")

    baseline, app, slow = [], [], []
    # Alternated, so that both see the same state of the machine.
    for _ in range(options.runs):
        seconds, _, _ = timed([empty], env)
        baseline.append(seconds)
        seconds, log, page = timed([program, "--exit-when-ready", "--config", config, "--database",
                                  options.db], env)
        app.append(seconds)
        slow += [line for line in log.splitlines() if "took" in line and "database job" in line]

    b, a = statistics.median(baseline), statistics.median(app)
    print("empty GTK window:      median %.1f ms (%s)" % (b * 1000, ", ".join(
        "%.0f" % (x * 1000) for x in baseline)))
    print("parcelscreen to its %s page: median %.1f ms (%s)" % (page, a * 1000, ", ".join(
        "%.0f" % (x * 1000) for x in app)))
    print("ratio: %.2f× the empty window" % (a / b))
    print("database jobs over 16 ms (on the worker thread): %d" % len(slow))
    for line in slow[:10]:
        print("  " + line)


main()
