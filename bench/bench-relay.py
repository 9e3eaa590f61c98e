#!/usr/bin/python3
"""Relay benchmark: draining N queued reports to the local HTTPS receiver
(tests/relay/receiver.py) with "parcelscreenctl forward --once", against a
bare libcurl loop (bench/bare-post) posting the same signed bodies over one
kept-alive connection, in the same run, each to a fresh receiver.

  bench-relay.py [--parcels N] [--rounds R]
Prints both throughputs of each round and the median ratio (target: at
least 0.8).
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "relay"))
import relaylib  # noqa: E402


def copy_database(source, target):
    """A consistent copy (the WAL included), for a round of its own."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    relaylib.need_tools()

    work = relaylib.tempdir()
    certs = relaylib.Certificates(work)
    start = time.monotonic()
    db, key, public = relaylib.make_counter(work, options.parcels)
    print("seeded %d held parcels in %.0f s" % (options.parcels, time.monotonic() - start))

    # The machine is shared: each round drains a fresh copy with both sides,
    # one after the other, and the median of the rounds' ratios is the result.
    ratios = []
    for round_number in range(options.rounds):
        results = {}
        for name in ("bare", "forwarder"):
            copy = os.path.join(work, "%s-%d.db" % (name, round_number))
            copy_database(db, copy)
            receiver = relaylib.Receiver(certs, certs.server,
                                         os.path.join(work, "%s-%d.received" % (name, round_number)),
                                         public)
            try:
                config = relaylib.write_config(work, name + ".conf", receiver.url, certs, key)
                if name == "bare":
                    out = relaylib.run(os.environ["PS_BARE_POST"], config, copy).stdout.split()
                    results[name] = (int(out[1]), float(out[2]))
                else:
                    start = time.monotonic()
                    result = relaylib.ctl("forward", "--once", "--config", config, "--db", copy)
                    seconds = time.monotonic() - start
                    if result.returncode != 0:
                        sys.exit("forward failed: " + result.stdout + result.stderr)
                    sent = int(result.stdout.split()[1].rstrip(","))
                    results[name] = (sent, seconds)
                stored = receiver.query("SELECT count(*) FROM reports")[0][0]
                if stored != options.parcels:
                    sys.exit("%s: the receiver stored %d of %d" % (name, stored, options.parcels))
            finally:
                receiver.stop()
        bare = results["bare"][0] / results["bare"][1]
        forwarder = results["forwarder"][0] / results["forwarder"][1]
        ratios.append(forwarder / bare)
        print("round %d: bare libcurl loop %d in %.2f s, %.0f reports/s; forwarder %d in %.2f s, "
              "%.0f reports/s (lease, document, signature, audited commit per report): %.2f×"
              % (round_number + 1, *results["bare"], bare, *results["forwarder"], forwarder,
                 forwarder / bare))
    print("ratio: %.2f× the bare loop, the median of %d rounds (target ≥ 0.8)"
          % (statistics.median(ratios), len(ratios)))


main()
