"""Audit log figures: verification speed against plain SHA-256, and the cost of an audited commit.

Verifies a chain of 1,000,000 records stored in SQLite (and in PostgreSQL when its server binaries are
installed: --postgres), read by groups of records, every hash recomputed and link checked, every signed
head matched, and prints the seconds and the ratio to the named peer: hashlib.sha256 over the same
canonical bytes (prev hash + newline + record), in the same run; in one process and in two, then with
the signed heads read one by one as before runs (and, with --row-by-row, row by row as before groups).
On PostgreSQL it also prints the CPU the server spent when the server runs on this machine. The
records are written by transactions of 1 to 3
records, each commit signing the head, as the application does. Also prints the time a transaction
takes with and without an audit record and its signed head.

Usage: python benchmarks/audit_chain.py [--quick] [--records N] [--postgres | --postgres-url URL] [--db FILE]
       [--skip-append] [--row-by-row]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from outrider import db, migrate
from outrider.audit import bulk, canonical_form, chain, verification, witness
from outrider.audit import service as audit
from outrider.audit.models import AuditCheckpoint, AuditHead, AuditKey, AuditRecord

T0 = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def fill(engine: Engine, n: int) -> None:
    """Write a valid chain of n records with a signed head per transaction."""
    key = audit.signing_key()
    prev, last, batch, heads = chain.GENESIS, 0, [], []
    with Session(engine) as session, session.begin():
        session.add(AuditKey(public_key=chain.public_key_b64(key), valid_from=T0 - timedelta(days=1)))
        for i in range(1, n + 1):
            rec: dict[str, Any] = {
                "seq": i,
                "at": T0 + timedelta(milliseconds=i),
                "user_id": i % 50,
                "organization_id": i % 7,
                "action": "movement.read_itinerary",
                "object_type": "movement",
                "object_id": str(i % 5000),
                "fields": ["planned_departure", "route"],
                "channel": "api",
                "request_id": f"{i:032x}",
                "details": {"reference": f"MOV-{i % 5000}"},
            }
            rec["prev_hash"] = prev
            rec["hash"] = prev = canonical_form.link_hash(prev, rec)
            batch.append(rec)
            if i % 3 != 1 or i == n:  # transactions of 1, 2 and 3 records, about 2 on average
                cp = chain.sign_head(key, seq=i, hash_=prev, prev_seq=last, at=T0 + timedelta(milliseconds=i))
                heads.append(
                    {
                        "seq": i,
                        "hash": prev,
                        "at": cp.at,
                        "signature": cp.signature,
                        "public_key": cp.public_key,
                        "prev_seq": last,
                    }
                )
                last = i
            if len(batch) >= 20_000:
                session.execute(insert(AuditRecord), batch)
                session.execute(insert(AuditCheckpoint), heads)
                batch, heads = [], []
        if batch:
            session.execute(insert(AuditRecord), batch)
        if heads:
            session.execute(insert(AuditCheckpoint), heads)
        session.add(AuditHead(id=1, seq=n, hash=prev))


def inputs_of(engine: Engine) -> list[bytes]:
    """The bytes SHA-256 runs over for each record (prev hash, newline, canonical record), in memory."""
    raw = engine.raw_connection()
    try:
        return [
            p.encode() + b"\n" + body
            for _s, p, _h, body in verification._bodies(raw, engine.dialect.name, "")
        ]
    finally:
        raw.close()


def peer(inputs: list[bytes]) -> tuple[float, float]:
    """The named peer: plain hashlib.sha256 over the same bytes, already in memory (wall and CPU seconds)."""
    sha = hashlib.sha256
    t0, cpu0 = time.perf_counter(), time.process_time()
    for data in inputs:
        sha(data).hexdigest()
    return time.perf_counter() - t0, time.process_time() - cpu0


def bench_verify(engine: Engine, n: int, label: str) -> None:
    migrate.upgrade(engine)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM audit_records")).scalar_one()
    if stored != n:
        t0 = time.perf_counter()
        fill(engine, n)
        print(f"{label}: built and stored {n:,} records in {time.perf_counter() - t0:.1f} s")
    inputs = inputs_of(engine)
    sha_only, sha_cpu = peer(inputs)
    del inputs
    print(
        f"{label}: peer hashlib.sha256 over the same {n:,} inputs in memory: {sha_only:.2f} s wall, "
        f"{sha_cpu:.2f} s CPU (load average {os.getloadavg()[0]:.1f})"
    )
    phases(engine, label)
    server = _ServerCPU(engine)
    for workers, grouped, runs in CONFIGS[: 4 if ROW_BY_ROW else 3]:
        verification._GROUPED, verification._RUNS = grouped, runs
        with Session(engine) as session:
            t0, cpu0, kids0, srv0 = time.perf_counter(), time.process_time(), _children_cpu(), server()
            verdict = audit.verify(session, workers=workers, min_parallel=0)
            elapsed = time.perf_counter() - t0
            cpu = time.process_time() - cpu0 + _children_cpu() - kids0
            srv = server() - srv0
        verification._GROUPED, verification._RUNS = True, True
        assert verdict.ok and verdict.records == n, verdict
        how = {
            (True, True): "by groups, signed heads by runs",
            (True, False): "by groups, signed heads one by one (as before runs)",
        }.get((grouped, runs), "row by row (the read before groups)")
        on_server = f" + {srv:.2f} s on the server" if srv else ""
        print(
            f"{label}: verify {n:,} records {how} with {workers} process(es): {elapsed:.2f} s wall, "
            f"{cpu:.2f} s CPU{on_server} "
            f"({n / elapsed:,.0f} records/s, {elapsed / sha_only:.1f}x the peer; "
            f"{verdict.checkpoints:,} signed heads matched; load average {os.getloadavg()[0]:.1f}; "
            "aim: 1,000,000 in under 3 s)"
        )


CONFIGS = ((1, True, True), (2, True, True), (1, True, False), (1, False, False))
ROW_BY_ROW = False  # --row-by-row: also the read before groups (slow)


class _ServerCPU:
    """CPU seconds of a PostgreSQL server running on this machine (its backends, live and ended), or 0."""

    def __init__(self, engine: Engine) -> None:
        self.postmaster = 0
        if engine.dialect.name != "postgresql":
            return
        with engine.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        try:
            self.postmaster = int(_stat(backend)[1])
        except (OSError, ValueError, IndexError):
            self.postmaster = 0  # not on this machine, or not readable

    def __call__(self) -> float:
        if not self.postmaster:
            return 0.0
        tick, total = os.sysconf("SC_CLK_TCK"), 0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = _stat(int(entry.name))
                except (OSError, ValueError, IndexError):
                    continue
                if int(entry.name) == self.postmaster:  # with the CPU of the backends that ended
                    total += sum(int(f) for f in fields[11:15])
                elif int(fields[1]) == self.postmaster:
                    total += int(fields[11]) + int(fields[12])
        return total / tick


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, ..., utime at 11)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def phases(engine: Engine, label: str) -> None:
    """Where one process's time goes: reading the records by groups (hashed in bulk), the signed heads."""
    raw = engine.raw_connection()
    dialect = engine.dialect.name
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT coalesce(max(seq), 0) FROM audit_records")
        n = int(cursor.fetchone()[0])
        cursor.close()
        body = verification._group_body(dialect)
        t0 = time.perf_counter()
        rows = bulk.records(raw, dialect, body, 1, n, verification._slow_rows(raw, dialect))
        spans = count = 0
        for row in rows:
            whole = isinstance(row[3], list)
            spans, count = spans + whole, count + (len(row[3]) if whole else 1)
        t1 = time.perf_counter()
        heads = len(verification._stored_marks(raw, "", False))
        t2 = time.perf_counter()
        runs = verification._marks(raw, dialect, 1, n, -(2**62), [], False)
        t3 = time.perf_counter()
    finally:
        raw.close()
    print(
        f"{label}: phases in one process: {count:,} records read by groups of {bulk.GROUP:,} and hashed "
        f"{t1 - t0:.2f} s ({spans:,} groups whole), {heads:,} signed heads read one by one (without "
        f"signatures) {t2 - t1:.2f} s, or as {sum(m[4] == chain.RUN for m in runs):,} runs proved in the "
        f"database {t3 - t2:.2f} s; the rest of a verification is the walk over the groups and the heads"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_append(requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'app.db'}")
        migrate.upgrade(engine)
        db.set_engine(engine)
        actor = audit.Actor(1, 1, "api", "r")

        def request(with_audit: bool) -> float:
            t0 = time.perf_counter()
            with db.transaction() as session:
                session.get(AuditHead, 1)  # the request's own read
                if with_audit:
                    audit.record(
                        session,
                        actor=actor,
                        action="movement.read_itinerary",
                        object_type="movement",
                        object_id=1,
                        fields=["route"],
                        now=datetime.now(UTC),
                    )
            return time.perf_counter() - t0

        for _ in range(50):
            request(True)
        without = sorted(request(False) for _ in range(requests))[requests // 2]
        with_ = sorted(request(True) for _ in range(requests))[requests // 2]
        db.set_engine(None)
        engine.dispose()
    print(
        f"transaction per request (median of {requests}): {without * 1e3:.3f} ms without audit, "
        f"{with_ * 1e3:.3f} ms with one audit record and its signed head (a write, so a commit to disk) "
        f"-> cost {(with_ - without) * 1e3:.3f} ms"
    )
    key, now = audit.signing_key(), datetime.now(UTC)
    t0 = time.perf_counter()
    for i in range(requests):
        head = chain.sign_head(key, seq=i + 1, hash_="0" * 64, prev_seq=i, at=now)
    signing = (time.perf_counter() - t0) / requests
    with tempfile.TemporaryDirectory() as tmp:
        identity = f"sqlite:///{tmp}/x.db"
        t0 = time.perf_counter()
        for i in range(requests):
            witness.write(identity, replace(head, seq=i + 1))
        written = (time.perf_counter() - t0) / requests
    print(
        f"of which: the head's Ed25519 signature {signing * 1e6:.0f} us, "
        f"the witness file {written * 1e6:.0f} us"
    )


def _postgres(n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from throwaway_postgres import start_postgres  # the tests' throw-away cluster

    server = start_postgres()
    try:
        admin = db.make_engine(server.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "audit_bench"'))
        admin.dispose()
        engine = db.make_engine(server.url.rsplit("/", 1)[0] + "/audit_bench")
        bench_verify(engine, n, "PostgreSQL")
        engine.dispose()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="also on a throw-away PostgreSQL")
    parser.add_argument("--db", type=Path, help="keep the SQLite database here and reuse it on the next run")
    parser.add_argument("--skip-append", action="store_true")
    parser.add_argument("--row-by-row", action="store_true", help="also verify row by row, as before groups")
    parser.add_argument(
        "--postgres-url", help="a PostgreSQL database to fill once and reuse (instead of a throw-away one)"
    )
    args = parser.parse_args()
    global ROW_BY_ROW
    ROW_BY_ROW = args.row_by_row
    n = 50_000 if args.quick else args.records
    if not args.skip_append:
        bench_append(200 if args.quick else 2000)
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{args.db or Path(tmp) / 'audit.db'}")
        bench_verify(engine, n, "SQLite")
        engine.dispose()
    if args.postgres_url:
        engine = db.make_engine(args.postgres_url)
        bench_verify(engine, n, "PostgreSQL")
        engine.dispose()
    elif args.postgres:
        _postgres(n)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
