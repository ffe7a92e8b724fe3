"""Audit log figures: append cost per request (with and without the audit) and verification speed.

Prints records per second for verifying a chain of 1,000,000 records stored in SQLite (streamed from
the database, every link recomputed, checkpoints checked), and the time a request takes with and
without its audit record. Usage: python benchmarks/audit_chain.py [--quick] [--records N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from outrider import db, migrate
from outrider.audit import chain
from outrider.audit import service as audit
from outrider.audit.models import AuditCheckpoint, AuditHead, AuditRecord

T0 = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def fill(engine: Any, n: int) -> None:
    """Write a valid chain of n records straight into the table (fast path for the benchmark)."""
    key = audit.signing_key()
    prev, batch = chain.GENESIS, []
    with Session(engine) as session, session.begin():
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
            rec["hash"] = prev = chain.link_hash(prev, rec)
            batch.append(rec)
            if len(batch) == 20_000:
                session.execute(insert(AuditRecord), batch)
                batch = []
            if i % 100_000 == 0 or i == n:
                cp = chain.sign_checkpoint(key, seq=i, hash_=prev, at=T0)
                session.add(
                    AuditCheckpoint(seq=i, hash=prev, at=T0, signature=cp.signature, public_key=cp.public_key)
                )
        if batch:
            session.execute(insert(AuditRecord), batch)
        session.add(AuditHead(id=1, seq=n, hash=prev))


def bench_verify(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'audit.db'}")
        migrate.upgrade(engine)
        t0 = time.perf_counter()
        fill(engine, n)
        built = time.perf_counter() - t0
        print(f"built and stored {n:,} records in {built:.1f} s")
        for workers in (1, 2):
            with Session(engine) as session:
                t0 = time.perf_counter()
                verdict = audit.verify(session, workers=workers, min_parallel=0)
                elapsed = time.perf_counter() - t0
            assert verdict.ok and verdict.records == n, verdict
            print(
                f"verify {n:,} records from SQLite with {workers} process(es): {elapsed:.2f} s -> "
                f"{n / elapsed:,.0f} records/s ({verdict.checkpoints} signed checkpoints checked; "
                "aim: 1,000,000 in under 10 s)"
            )
        engine.dispose()


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
        f"{with_ * 1e3:.3f} ms with one audit record -> append cost {(with_ - without) * 1e3:.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_append(200 if args.quick else 2000)
    bench_verify(50_000 if args.quick else args.records)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
