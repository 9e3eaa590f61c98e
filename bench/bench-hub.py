#!/usr/bin/python3
"""Hub benchmark, in one run on one PostgreSQL:

1. Ingest: --counters counters (real simulated databases, each its own key
   and certificate) drain --reports documents in all into one hub at once
   with `parcelscreenctl forward --once`, against bench/bare-pg-insert
   inserting the same documents with a bare libpq loop, one commit each (the
   same durability), into the same cluster. Prints both throughputs, the
   ratio (target: at least 0.5) and the p99 time from a request's arrival at
   the hub to its answer (the hub's own measure, worker queue included).
2. Memory: the hub's resident memory before and after --idle TLS
   connections (client certificates, one request each) are kept alive and
   idle.

  bench-hub.py [--counters N] [--reports M] [--idle K] [--rounds R]

Each round starts from the same counters' databases and an emptied hub; the
ratio printed is the median of the rounds (the machines are shared and
noisy).
"""
import shutil
import statistics
import argparse
import concurrent.futures
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "hub"))
import hublib  # noqa: E402

BARE = os.environ.get("PS_BARE_PG_INSERT")


def cpu_of(pids):
    total = 0.0
    for pid in pids:
        try:
            total += hublib.relaylib.cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def postgres_pids():
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/comm" % entry) as f:
                    if f.read().strip() in ("postgres", "postmaster"):
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counters", type=int, default=100)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    hublib.need_tools()
    if not BARE:
        print("SKIP: PS_BARE_PG_INSERT is not set")
        sys.exit(77)

    work = hublib.tempdir()
    certs = hublib.relaylib.Certificates(work)
    pg = hublib.Postgres(max_connections=100)
    hub = None
    try:
        hublib.hubctl(pg, "db", "migrate")
        each = max(1, options.reports // options.counters)
        started = time.monotonic()

        def make(i):
            return hublib.Counter(work, certs, "BC-%06d" % (700000 + i * 100), "01",
                                  parcels=each, seed=str(5000 + i), hold_rate="1.0")

        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            counters = list(pool.map(make, range(options.counters)))
        for counter in counters:
            counter.register(pg)
        # The documents are made (and signed) once, before the timed part,
        # by a pass against a closed port: both sides send the same bytes.
        closed = "https://localhost:%d/v1/reports" % hublib.free_port()
        fast_fail = ("connect-timeout-ms=200\ntimeout-ms=200\n", "retry-base-ms=10\nretry-cap-ms=20\n")
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for counter in counters:
                counter.write_config(closed, timeouts=fast_fail)
            list(pool.map(lambda c: c.forward_once(), counters))
        documents = []
        for counter in counters:
            with sqlite3.connect(counter.db) as db:
                documents += [d for (d,) in db.execute("SELECT document FROM outbox_documents")]
                # Due now, as a fresh queue would be.
                db.execute("UPDATE outbox SET next_attempt_us = 0, attempts = 0")
        total = len(documents)
        print("# %d counters, %d documents prepared in %.0f s"
              % (len(counters), total, time.monotonic() - started), flush=True)
        for counter in counters:
            with sqlite3.connect(counter.db) as src, \
                    sqlite3.connect(counter.db + ".pristine") as dst:
                src.backup(dst)
        dump = os.path.join(work, "documents.bin")
        with open(dump, "wb") as f:
            for d in documents:
                f.write(b"%d\n" % len(d) + d)

        hub = hublib.Hub(work, certs, pg, pool=int(os.environ.get("PS_HUB_POOL", "4")), web=False)
        env = dict(os.environ, G_MESSAGES_DEBUG="ParcelScreen-Hub")
        hub.logfile = open(hub.log, "a")
        hub.process = subprocess.Popen([hublib.HUB, "--config", hub.config], stdout=hub.logfile,
                                       stderr=subprocess.STDOUT, env=env)
        hublib.wait_until(hub._listening, 20)
        ratios = []
        for round_number in range(1, options.rounds + 1):
            # The baseline: a bare libpq loop, the same bytes, one commit each.
            pg.query("DROP TABLE IF EXISTS bare_documents")
            pg.query("TRUNCATE documents, reports, custody_events, audit_heads, counter_flags "
                     "RESTART IDENTITY")
            pg.query("CHECKPOINT")
            bare = subprocess.run([BARE, pg.conninfo, dump], capture_output=True, text=True)
            if bare.returncode != 0:
                raise RuntimeError(bare.stderr)
            _, bare_count, bare_seconds = bare.stdout.split()
            bare_rate = int(bare_count) / float(bare_seconds)
            pg.query("DROP TABLE bare_documents")
            pg.query("CHECKPOINT")

            # The hub: every counter at once, from the same queues.
            for counter in counters:
                shutil.copyfile(counter.db + ".pristine", counter.db)
                for suffix in ("-wal", "-shm"):
                    if os.path.exists(counter.db + suffix):
                        os.unlink(counter.db + suffix)
                counter.write_config(hub.url, timeouts=(
                    "connect-timeout-ms=10000\ntimeout-ms=60000\n",
                    "retry-base-ms=100\nretry-cap-ms=1000\n"))
            with open(hub.log, "w"):
                pass
            children = os.times()
            hub_cpu = cpu_of([hub.process.pid])
            pg_before = {pid: cpu_of([pid]) for pid in postgres_pids()}
            start = time.monotonic()
            processes = [subprocess.Popen([hublib.relaylib.CTL, "forward", "--once", "--config",
                                           c.config, "--db", c.db], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL) for c in counters]
            for p in processes:
                p.wait()
            hub_seconds = time.monotonic() - start
            after = os.times()
            forwarders_cpu = (after.children_user + after.children_system
                              - children.children_user - children.children_system)
            hub_cpu = cpu_of([hub.process.pid]) - hub_cpu
            pg_cpu = sum(cpu_of([pid]) - pg_before.get(pid, 0.0) for pid in postgres_pids())
            print("  CPU seconds a 1000 documents: forwarders %.2f, hub %.2f, PostgreSQL %.2f"
                  % tuple(1000 * x / total for x in (forwarders_cpu, hub_cpu, pg_cpu)))
            stored = int(pg.query("SELECT count (*) FROM documents")[0][0])
            if stored != total:
                raise RuntimeError("the hub stored %d of %d documents" % (stored, total))
            hub_rate = total / hub_seconds
            ratios.append(hub_rate / bare_rate)
            print("round %d: bare libpq loop %.0f/s (%d in %.2f s), hub with %d counters at "
                  "once %.0f/s (%d in %.2f s): %.2f" % (
                      round_number, bare_rate, int(bare_count), float(bare_seconds),
                      len(counters), hub_rate, total, hub_seconds, ratios[-1]), flush=True)

        # The hub's own timings, request handed over to answer sent.
        timings = []
        with open(hub.log) as f:
            for line in f:
                if "ingest-timing 200 " in line:
                    timings.append(int(line.rsplit(None, 1)[-1]))
        timings.sort()
        p50 = timings[len(timings) // 2] / 1000 if timings else 0
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] / 1000 if timings else 0

        # Memory with idle kept-alive connections.
        before = rss_kib(hub.process.pid)
        context = ssl.create_default_context(cafile=certs.ca[1])
        context.load_cert_chain(counters[0].client[1], counters[0].client[0])
        idle = []
        for _ in range(options.idle):
            raw = socket.create_connection(("127.0.0.1", hub.port), timeout=30)
            tls = context.wrap_socket(raw, server_hostname="localhost")
            tls.sendall(b"GET /v1/reports HTTP/1.1\r\nHost: localhost\r\n\r\n")
            answer = tls.recv(4096)
            if b"HTTP/1.1 404" not in answer:
                raise RuntimeError("unexpected answer: %r" % answer[:80])
            idle.append(tls)
        time.sleep(1)
        after = rss_kib(hub.process.pid)
        for tls in idle:
            tls.close()

        ratio = statistics.median(ratios)
        print("ingest ratio, median of %d rounds: %.2f (target >= 0.5: %s)"
              % (len(ratios), ratio, "met" if ratio >= 0.5 else "NOT met"))
        print("request to answer at the hub: p50 %.1f ms, p99 %.1f ms (%d requests)"
              % (p50, p99, len(timings)))
        print("hub memory: %d KiB, with %d idle kept-alive TLS connections %d KiB "
              "(%.1f KiB each)" % (before, len(idle), after,
                                   (after - before) / max(1, len(idle))))
        return 0
    finally:
        if hub is not None and hub.process is not None and hub.process.poll() is None:
            hub.process.send_signal(signal.SIGTERM)
            hub.process.wait(timeout=30)
        pg.destroy()


if __name__ == "__main__":
    sys.exit(main())
