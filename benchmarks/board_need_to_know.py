"""Time the movement board's need-to-know decisions: batched (now) against one decision per row (before).

The board decides, for every movement it lists, whether the caller may see the itinerary. Deciding row by
row costs a handful of queries per movement (units, members, grants, approvals, persons, escorts): about
5 ms per movement on PostgreSQL. The board now loads those facts for all rows in a few queries. This
script builds a board of N movements (persons, escort units with members, grants, approvals) and times
`board.board` against the row-by-row peer on the same data, for a planner, an escort unit's member
and a duty officer on no unit; it prints the queries and the median time of each. Usage:
    python benchmarks/board_need_to_know.py [--quick] [--movements N] [--url DATABASE_URL]
The URL must name an empty database (default: a temporary SQLite file).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from outrider import migrate
from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.db import make_engine
from outrider.movements import board as board_read
from outrider.movements import need_to_know, service
from outrider.movements.models import Movement, MovementApproval, MovementGrant
from outrider.registry.models import EscortUnit, ProtectedPerson, Site, UnitMember

NOW = datetime.now(UTC).replace(microsecond=0)
ROUTE = {"type": "LineString", "coordinates": [[67.16, 24.90], [67.35, 24.78]]}


def _populate(session: Session, n: int) -> dict[str, Caller]:
    host = Organization(name="Host", kind="host_security", country="PK", created_at=NOW)
    company = Organization(name="Company", kind="company", country="CN", created_at=NOW)
    session.add_all([host, company])
    session.flush()

    def user(name: str, org: Organization, role: str) -> User:
        u = User(
            username=name,
            full_name=name,
            organization_id=org.id,
            roles=[role],
            password_hash="x",
            is_active=True,
            created_at=NOW,
        )
        session.add(u)
        session.flush()
        return u

    coord, duty, insider = (
        user("coord", company, "coordinator"),
        user("duty", host, "duty_officer"),
        user("insider", host, "duty_officer"),
    )
    stamp = {"created_at": NOW, "updated_at": NOW}
    site = Site(
        organization_id=host.id,
        name="Airport",
        kind="airport",
        lat=24.9,
        lon=67.16,
        timezone="Asia/Karachi",
        **stamp,
    )
    session.add(site)
    session.flush()
    units = [
        EscortUnit(organization_id=host.id, call_sign=f"U-{k}", strength=6, base_site_id=site.id, **stamp)
        for k in range(5)
    ]
    persons = [
        ProtectedPerson(organization_id=company.id, name=f"P{k}", nationality="CN", **stamp)
        for k in range(20)
    ]
    session.add_all([*units, *persons])
    session.flush()
    session.add(UnitMember(unit_id=units[0].id, user_id=duty.id, added_at=NOW))
    for i in range(n):
        dep = NOW + timedelta(hours=2 + i)
        m = Movement(
            reference=f"B-{i}",
            organization_id=company.id,
            origin_site_id=site.id,
            origin_label="Airport",
            origin_lat=24.9,
            origin_lon=67.16,
            destination_label="Plant",
            destination_lat=24.78,
            destination_lon=67.35,
            route=ROUTE,
            alternates=[],
            route_length_m=23000.0,
            timezone="Asia/Karachi",
            planned_departure=dep,
            planned_arrival=dep + timedelta(hours=1),
            checkin_interval_min=30,
            checkin_waypoints=[],
            notes="",
            status="approved",
            plan_version=1,
            approved_version=1,
            arrangement_version=0,
            escort_required=True,
            required_parties=[["host_security", None]],
            created_by=coord.id,
            escalation_level=0,
            purpose="",
            **stamp,
        )
        m.persons = [persons[i % 20], persons[(i + 7) % 20]]
        m.escorts = [units[i % 5]]
        session.add(m)
        session.flush()
        session.add(
            MovementApproval(
                movement_id=m.id,
                plan_version=1,
                org_kind="host_security",
                country=None,
                organization_id=host.id,
                user_id=duty.id,
                decision="approve",
                at=NOW,
            )
        )
        if i % 10 == 0:
            session.add(
                MovementGrant(
                    movement_id=m.id,
                    user_id=insider.id,
                    reason="sweep",
                    granted_by=coord.id,
                    granted_at=NOW - timedelta(hours=1),
                    expires_at=NOW + timedelta(days=30),
                )
            )
    session.flush()

    def caller(u: User, org: Organization) -> Caller:
        return Caller(u.id, org.id, org.kind, org.country, frozenset(u.roles), channel="job")

    return {
        "planner": caller(coord, company),
        "escort member": caller(duty, host),
        "insider": caller(insider, host),
    }


def batched(session: Session, caller: Caller, n: int) -> int:
    """The board as it is: its facts loaded for all rows at once."""
    return board_read.board(session, caller=caller, now=NOW, limit=n).total


def row_by_row(session: Session, caller: Caller, n: int) -> int:
    """The peer: what the board did before, one decision (and its lazy loads) per movement."""
    rows = session.scalars(select(Movement).order_by(Movement.planned_departure, Movement.id)).all()
    items = []
    for m in rows:
        decision = need_to_know.decide(session, caller, m, now=NOW)
        if decision.allowed:  # the board audits the reads it shows, then as now
            need_to_know.record_decision(session, caller, m, decision, NOW, "board")
        items.append(service.board_item(m, itinerary=decision.allowed))
    return len(items[:n])


def _measure(
    engine: Engine, fn: Callable[..., int], caller: Caller, n: int, repeats: int
) -> tuple[float, int]:
    counter = {"queries": 0}

    def count(*_: Any) -> None:
        counter["queries"] += 1

    times, queries = [], 0
    for _ in range(repeats):
        with Session(engine, expire_on_commit=False) as session, session.begin():
            counter["queries"] = 0
            event.listen(engine, "before_cursor_execute", count)
            t0 = time.perf_counter()
            fn(session, caller, n)
            times.append(time.perf_counter() - t0)
            event.remove(engine, "before_cursor_execute", count)
            queries = counter["queries"]
            session.rollback()  # the audited reads are not kept between runs
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--movements", type=int, default=100)
    parser.add_argument("--url", default=None, help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    n = 20 if args.quick else args.movements
    repeats = 3 if args.quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'board.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            callers = _populate(session, n)
        print(f"board of {n} movements on {engine.dialect.name}: median of {repeats} runs")
        for who, caller in callers.items():
            new_t, new_q = _measure(engine, batched, caller, n, repeats)
            old_t, old_q = _measure(engine, row_by_row, caller, n, repeats)
            print(
                f"  {who:>14}: batched {new_t * 1000:7.1f} ms ({new_q:4d} queries) | row by row "
                f"{old_t * 1000:7.1f} ms ({old_q:4d} queries) | {old_t / new_t:4.1f}x faster"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
