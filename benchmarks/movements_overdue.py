"""Time the overdue scan over 100,000 active movements with their check-ins; print movements per second.

Two figures: the pure scan (`movements.overdue.scan`), and one whole job tick on an embedded SQLite
database (load the movements, scan, mark and alert) for a smaller fleet. Usage:
    python benchmarks/movements_overdue.py [--quick] [--movements N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from outrider.movements.overdue import Step, Watched, scan

STEPS = (Step(0, 1), Step(15, 2), Step(30, 3))
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def fleet(n: int, seed: int) -> list[Watched]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        departed = NOW - timedelta(minutes=rng.randint(5, 300))
        interval = rng.choice([15, 20, 30, 45, 60, None])
        last = departed + timedelta(minutes=rng.randint(0, 280)) if rng.random() < 0.9 else None
        if last is not None and last > NOW:
            last = NOW - timedelta(minutes=1)
        overdue = rng.random() < 0.05
        out.append(
            Watched(
                movement_id=i,
                overdue=overdue,
                departed_at=departed,
                planned_arrival=departed + timedelta(minutes=rng.randint(60, 600)),
                checkin_interval_min=interval,
                last_checkin_at=last,
                overdue_since=NOW - timedelta(minutes=rng.randint(1, 60)) if overdue else None,
                escalation_level=rng.randint(1, 3) if overdue else 0,
            )
        )
    return out


def bench_scan(n: int, seed: int, repeats: int) -> None:
    movements = fleet(n, seed)
    best = float("inf")
    found = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        found = sum(1 for _ in scan(movements, now=NOW, grace=timedelta(minutes=10), steps=STEPS))
        best = min(best, time.perf_counter() - t0)
    print(
        f"pure scan: {n:,} movements in {best * 1000:.1f} ms -> {n / best:,.0f} movements/s "
        f"({found:,} findings)"
    )


def bench_tick(n: int, seed: int) -> None:
    from sqlalchemy.orm import Session

    from outrider import migrate
    from outrider.db import make_engine
    from outrider.movements import jobs
    from outrider.movements.models import Movement

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            from outrider.accounts.models import Organization, User

            org = Organization(name="Bench", kind="company", country="PK", created_at=NOW)
            session.add(org)
            session.flush()
            user = User(
                username="bench",
                organization_id=org.id,
                roles=["coordinator"],
                password_hash="x",
                is_active=True,
                created_at=NOW,
                full_name="",
            )
            session.add(user)
            session.flush()
            route = {"type": "LineString", "coordinates": [[67.16, 24.90], [67.35, 24.78]]}
            for w in fleet(n, seed):
                session.add(
                    Movement(
                        reference=f"B-{w.movement_id}",
                        organization_id=org.id,
                        origin_label="A",
                        origin_lat=24.9,
                        origin_lon=67.16,
                        destination_label="B",
                        destination_lat=24.78,
                        destination_lon=67.35,
                        route=route,
                        alternates=[],
                        route_length_m=23000.0,
                        timezone="Asia/Karachi",
                        planned_departure=w.departed_at,
                        planned_arrival=w.planned_arrival,
                        checkin_interval_min=w.checkin_interval_min,
                        checkin_waypoints=[],
                        notes="",
                        status="under_way",
                        plan_version=1,
                        approved_version=1,
                        arrangement_version=0,
                        escort_required=False,
                        required_parties=[["host_security", None]],
                        created_by=user.id,
                        created_at=NOW,
                        updated_at=NOW,
                        departed_at=w.departed_at,
                        last_checkin_at=w.last_checkin_at,
                        escalation_level=0,
                        purpose="",
                    )
                )
        with Session(engine) as session, session.begin():
            t0 = time.perf_counter()
            findings = jobs.overdue_tick(session, now=NOW)
            elapsed = time.perf_counter() - t0
        engine.dispose()
    print(
        f"job tick on SQLite: {n:,} movements in {elapsed:.2f} s -> {n / elapsed:,.0f} movements/s "
        f"({len(findings):,} marked or escalated, alerts written)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n = 10_000 if args.quick else args.movements
    bench_scan(n, args.seed, repeats=3)
    bench_tick(min(n, 2_000 if args.quick else 20_000), args.seed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
