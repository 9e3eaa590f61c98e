#!/usr/bin/python3
"""Relay benchmark: draining N queued reports to the local HTTPS receiver
(tests/relay/receiver.py) with "parcelscreenctl forward --once", against a
bare libcurl loop (bench/bare-post) posting the same signed bodies over one
kept-alive connection, in the same run, each to a fresh receiver.

  bench-relay.py [--parcels N]
Prints both throughputs and their ratio (target: at least 0.8).
"""

import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "relay"))
import relaylib  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=10000)
    options = parser.parse_args()
    relaylib.need_tools()

    work = relaylib.tempdir()
    certs = relaylib.Certificates(work)
    start = time.monotonic()
    db, key, public = relaylib.make_counter(work, options.parcels)
    print("seeded %d held parcels in %.0f s" % (options.parcels, time.monotonic() - start))
    bare_db = os.path.join(work, "bare.db")
    shutil.copy(db, bare_db)

    results = {}
    for name in ("bare", "forwarder"):
        receiver = relaylib.Receiver(certs, certs.server, os.path.join(work, name + ".received"),
                                     public)
        try:
            config = relaylib.write_config(work, name + ".conf", receiver.url, certs, key)
            if name == "bare":
                out = relaylib.run(os.environ["PS_BARE_POST"], config, bare_db).stdout.split()
                results[name] = (int(out[1]), float(out[2]))
            else:
                start = time.monotonic()
                result = relaylib.ctl("forward", "--once", "--config", config, "--db", db)
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
    print("bare libcurl loop: %d in %.2f s, %.0f reports/s" % (*results["bare"], bare))
    print("forwarder:         %d in %.2f s, %.0f reports/s (lease, document, signature, "
          "audited commit per report)" % (*results["forwarder"], forwarder))
    print("ratio: %.2f× the bare loop (target ≥ 0.8)" % (forwarder / bare))


main()
