"""Demo movements on the corridor: past shuttles, one under way, one overdue, some planned."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.movements import checkins as checkin_use
from outrider.movements import jobs, planning, tracking
from outrider.movements.schemas import CheckInCreate, MovementCreate
from outrider.registry.models import EscortUnit, ProtectedPerson, Site, Vehicle

# The Karakoram Highway from the Bisham camp up to the Dasu dam site, and the road from Islamabad.
KKH_BISHAM_DASU = [
    [72.93, 34.80],
    [72.98, 34.87],
    [73.05, 34.95],
    [73.12, 35.05],
    [73.20, 35.15],
    [73.25, 35.22],
    [73.29, 35.29],
]
ISLAMABAD_BISHAM = [
    [73.06, 33.72],
    [73.10, 33.85],
    [73.20, 34.00],
    [73.22, 34.15],
    [73.15, 34.35],
    [73.05, 34.55],
    [72.98, 34.70],
    [72.93, 34.80],
]
DASU_ISLAMABAD = [*reversed(KKH_BISHAM_DASU), *list(reversed(ISLAMABAD_BISHAM))[1:]]


def _site(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    assert site is not None, name
    return site


def _plan(
    session: Session,
    coordinator: Caller,
    *,
    origin: Site,
    destination: Site,
    route: list[list[float]],
    departure: datetime,
    hours: float,
    persons: list[int],
    vehicles: list[int],
    purpose: str,
) -> int:
    data = MovementCreate.model_validate(
        {
            "purpose": purpose,
            "origin": {"site_id": origin.id},
            "destination": {"site_id": destination.id},
            "route": {"type": "LineString", "coordinates": route},
            "planned_departure": departure,
            "planned_arrival": departure + timedelta(hours=hours),
            "person_ids": persons,
            "vehicle_ids": vehicles,
            "checkin_interval_min": 30,
        }
    )
    return planning.plan_movement(
        session, caller=coordinator, data=data, now=departure - timedelta(days=1)
    ).id


def _approve(session: Session, mid: int, callers: dict[str, Caller], unit_id: int, now: datetime) -> None:
    planning.submit(session, caller=callers["coordinator"], movement_id=mid, now=now)
    planning.decide(session, caller=callers["duty"], movement_id=mid, decision="approve", comment="", now=now)
    planning.decide(
        session, caller=callers["liaison"], movement_id=mid, decision="approve", comment="", now=now
    )
    planning.assign_escort(session, caller=callers["duty"], movement_id=mid, unit_ids=[unit_id], now=now)


def _drive(
    session: Session,
    callers: dict[str, Caller],
    mid: int,
    unit_id: int,
    dep: datetime,
    checkins: list[tuple[int, tuple[float, float] | None]],
    arrive_after: int | None = None,
) -> None:
    """Approve, depart at ``dep``, check in ``minutes`` after it (at a position), arrive if asked."""
    duty = callers["duty"]
    _approve(session, mid, callers, unit_id, dep - timedelta(hours=12))
    tracking.depart(session, caller=duty, movement_id=mid, at=dep, now=dep)
    for minutes, pos in checkins:
        at = dep + timedelta(minutes=minutes)
        lat, lon = pos if pos else (None, None)
        data = CheckInCreate(idempotency_key=f"demo-{mid}-{minutes}", at=at, lat=lat, lon=lon)
        checkin_use.check_in(session, caller=duty, movement_id=mid, data=data, now=at)
    if arrive_after is not None:
        at = dep + timedelta(minutes=arrive_after)
        tracking.arrive(session, caller=duty, movement_id=mid, at=at, now=at)


def load_movements(session: Session, *, callers: dict[str, Caller], now: datetime) -> dict[str, Any]:
    """Create the demo movements through the ordinary services; returns their ids by role in the story."""
    bisham, dasu = _site(session, "Bisham Staff Camp"), _site(session, "Dasu Hydropower Project")
    office = _site(session, "Islamabad Liaison Office")
    hydro = callers["coordinator"].organization_id
    people = list(
        session.scalars(
            select(ProtectedPerson.id)
            .where(ProtectedPerson.organization_id == hydro)
            .order_by(ProtectedPerson.id)
        )
    )
    bus = session.scalar(select(Vehicle.id).where(Vehicle.plate == "KP-4410"))
    cruiser = session.scalar(select(Vehicle.id).where(Vehicle.plate == "LEB-2231"))
    kestrel = session.scalar(select(EscortUnit.id).where(EscortUnit.call_sign == "KESTREL-2"))
    assert bus and cruiser and kestrel
    today_0700 = now.replace(hour=2, minute=0, second=0, microsecond=0)  # 07:00 in Pakistan (UTC+5)
    story: dict[str, Any] = {"past": []}

    def shuttle(dep: datetime, hours: float) -> int:
        return _plan(
            session,
            callers["coordinator"],
            origin=bisham,
            destination=dasu,
            route=KKH_BISHAM_DASU,
            departure=dep,
            hours=hours,
            persons=people[:8],
            vehicles=[bus],
            purpose="daily shift to the dam site",
        )

    # The daily shuttle to the dam: same road, same hour, three days running (predictable).
    for days in (3, 2, 1):
        dep = today_0700 - timedelta(days=days)
        mid = shuttle(dep, 2)
        _drive(session, callers, mid, kestrel, dep, [(30, None), (60, None), (90, None)], arrive_after=115)
        story["past"].append(mid)
    # Under way now from Islamabad, checking in on time.
    dep = now - timedelta(minutes=50)
    mid = _plan(
        session,
        callers["coordinator"],
        origin=office,
        destination=bisham,
        route=ISLAMABAD_BISHAM,
        departure=dep,
        hours=5,
        persons=people[8:11],
        vehicles=[cruiser],
        purpose="rotation of engineers",
    )
    _drive(session, callers, mid, kestrel, dep, [(30, (33.85, 73.10))])
    story["under_way"] = mid
    # Overdue: today's shuttle left two hours ago and has not checked in for 80 minutes.
    dep = now - timedelta(minutes=110)
    mid = shuttle(dep, 2.5)
    _drive(session, callers, mid, kestrel, dep, [(30, (34.87, 72.98))])
    story["overdue"] = mid
    # Tomorrow: one approved, one waiting for the partner's liaison.
    dep = today_0700 + timedelta(days=1)
    mid = shuttle(dep, 2)
    _approve(session, mid, callers, kestrel, now)
    story["approved"] = mid
    mid = _plan(
        session,
        callers["coordinator"],
        origin=dasu,
        destination=office,
        route=DASU_ISLAMABAD,
        departure=dep + timedelta(hours=3),
        hours=8,
        persons=people[11:13],
        vehicles=[cruiser],
        purpose="leave: to Islamabad",
    )
    planning.submit(session, caller=callers["coordinator"], movement_id=mid, now=now)
    planning.decide(session, caller=callers["duty"], movement_id=mid, decision="approve", comment="", now=now)
    story["awaiting_partner"] = mid
    jobs.overdue_tick(session, now=now)
    return story
