"""Concurrent audited commits on a durable PostgreSQL, two builds in one run: commits per second and latency.

Every audited transaction holds the audit chain's head (PostgreSQL: its row lock) from its append to its
commit, so audited commits take turns; this measures how many such turns a second the database allows,
without HTTP or the rest of a request around them: ``--threads`` threads each commit one audit record per
transaction for ``--seconds``, on a throw-away cluster with a deployment's durability (fsync on). Build "A"
is another source folder (``--before-src``, e.g. `git archive` of the commit before), "B" this checkout;
they alternate (A B, B A, ...) on the one database, so both meet the same machine. Usage:
    python benchmarks/audit_appends.py --before-src DIR [--threads 8] [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path


def _appends(url: str, threads: int, seconds: float) -> None:
    """Run in a build's process: print commits/s and the p50/p99 of a commit."""
    from outrider import db
    from outrider.audit import service as audit

    db.set_engine(db.make_engine(url, pool_size=threads, max_overflow=0))
    actor = audit.Actor(user_id=None, organization_id=None, channel="api", request_id="bench")
    at = datetime(2026, 12, 7, tzinfo=UTC)
    times: list[float] = []
    until = time.monotonic() + seconds

    def work(n: int) -> None:
        k = 0
        while time.monotonic() < until:
            t = time.perf_counter()
            with db.transaction() as session:
                audit.record(
                    session, actor=actor, action="bench.append", object_type="t", object_id=f"{n}.{k}", now=at
                )
            times.append(time.perf_counter() - t)
            k += 1

    started = time.monotonic()
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    rate = len(times) / (time.monotonic() - started)
    times.sort()
    p50, p99 = times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000
    print(f"{rate:7.1f} commits/s, p50 {p50:6.2f} ms, p99 {p99:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before-src", type=Path, required=True, help="the source folder of build A")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # a build's own process: the database's URL
    args = parser.parse_args()
    if args.serve:
        _appends(args.serve, args.threads, args.seconds)
        return
    here = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(here / "tests"))
    from throwaway_postgres import start_postgres  # the tests' throw-away cluster

    server = start_postgres(durable=True)
    builds = {"A": str(args.before_src.resolve()), "B": str(here / "src")}
    try:
        migrate = f"from outrider import db, migrate; migrate.upgrade(db.make_engine({server.url!r}))"
        subprocess.run(
            [sys.executable, "-c", migrate], env={**os.environ, "PYTHONPATH": builds["B"]}, check=True
        )
        for n in range(args.rounds):
            for build in "AB" if n % 2 == 0 else "BA":
                command = [sys.executable, __file__, "--serve", server.url, "--before-src", builds["A"]]
                command += ["--threads", str(args.threads), "--seconds", str(args.seconds)]
                env = {**os.environ, "PYTHONPATH": builds[build]}
                out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
                print(f"round {n + 1} {build}: load {os.getloadavg()[0]:.1f}, {out.strip()}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
