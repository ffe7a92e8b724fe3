"""Duty rosters and their shifts: kept by an organisation's administrators (and host security's duty
officers), read by its coordinators and duty officers; who is on duty now; each change audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.notify import rosters
from outrider.notify.directory_models import Roster, Shift
from outrider.notify.directory_schemas import (
    OnDutyAnswer,
    OnDutyRead,
    RosterCreate,
    RosterRead,
    ShiftCreate,
    ShiftRead,
)


def _audit(
    session: Session, caller: Caller, action: str, roster: Roster, now: datetime, **details: object
) -> None:
    audit_service.record(
        session,
        actor=caller,
        action=action,
        object_type="roster",
        object_id=roster.id,
        details={"organization_id": roster.organization_id, "name": roster.name, **details},
        now=now,
    )


def zone(name: str, *, loc: str = "timezone") -> ZoneInfo:
    """The IANA time zone of that name, or InvalidInput beside the field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {name!r}",
            errors=[{"loc": [loc], "msg": "an IANA time zone, e.g. Asia/Karachi"}],
        ) from None


def create_roster(session: Session, *, caller: Caller, data: RosterCreate, now: datetime) -> Roster:
    """A new roster of the caller's organisation (or the one named, if the caller keeps its rosters)."""
    org = data.organization_id or caller.organization_id
    if not policy.may_manage_rosters(caller, organization_id=org):
        raise Forbidden(
            "an organisation's administrators (and host security's duty officers) keep its rosters"
        )
    zone(data.timezone)
    name = data.name.strip()
    if session.scalar(select(Roster.id).where(Roster.organization_id == org, Roster.name == name)):
        raise Conflict(f"the organisation already has a roster named {name!r}")
    roster = Roster(
        organization_id=org, site_id=data.site_id, name=name, timezone=data.timezone, created_at=now
    )
    session.add(roster)
    session.flush()
    _audit(session, caller, "notify.roster.create", roster, now, timezone=roster.timezone)
    return roster


def get_roster(session: Session, *, caller: Caller, roster_id: int) -> Roster:
    """A roster the caller may read (another organisation's answers 404, as a missing one)."""
    roster = session.get(Roster, roster_id)
    if roster is None or not policy.may_read_call_directory(caller, organization_id=roster.organization_id):
        raise NotFound(f"roster {roster_id} not found")
    return roster


def _managed(session: Session, caller: Caller, roster_id: int) -> Roster:
    roster = get_roster(session, caller=caller, roster_id=roster_id)
    if not policy.may_manage_rosters(caller, organization_id=roster.organization_id):
        raise Forbidden(
            "an organisation's administrators (and host security's duty officers) keep its rosters"
        )
    return roster


def list_rosters(session: Session, *, caller: Caller) -> list[Roster]:
    """The rosters of the caller's organisation."""
    if not policy.may_read_call_directory(caller, organization_id=caller.organization_id):
        raise Forbidden(policy.needs_roles(policy.DIRECTORY_READERS))
    stmt = select(Roster).where(Roster.organization_id == caller.organization_id).order_by(Roster.id)
    return list(session.scalars(stmt))


def shifts_of(session: Session, roster_ids: Collection[int]) -> dict[int, list[Shift]]:
    """The shifts of these rosters, by roster."""
    found: dict[int, list[Shift]] = defaultdict(list)
    if roster_ids:
        stmt = select(Shift).where(Shift.roster_id.in_(sorted(set(roster_ids)))).order_by(Shift.id)
        for shift in session.scalars(stmt):
            found[shift.roster_id].append(shift)
    return found


def add_shift(session: Session, *, caller: Caller, roster_id: int, data: ShiftCreate, now: datetime) -> Shift:
    """Put a user of the roster's organisation on it, weekly or once."""
    roster = _managed(session, caller, roster_id)
    user = session.get(User, data.user_id)
    if user is None or not user.is_active or user.organization_id != roster.organization_id:
        raise InvalidInput(
            "not an active user of the roster's organisation",
            errors=[{"loc": ["user_id"], "msg": "not an active user of the roster's organisation"}],
        )
    shift = Shift(
        roster_id=roster.id,
        user_id=user.id,
        rank=data.rank,
        weekdays=sorted(data.weekdays),
        start_time=data.start_time,
        end_time=data.end_time,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        created_at=now,
    )
    session.add(shift)
    session.flush()
    _audit(session, caller, "notify.roster.shift_add", roster, now, shift_id=shift.id, user_id=user.id)
    return shift


def remove_shift(session: Session, *, caller: Caller, roster_id: int, shift_id: int, now: datetime) -> None:
    """Take a shift off a roster."""
    roster = _managed(session, caller, roster_id)
    shift = session.get(Shift, shift_id)
    if shift is None or shift.roster_id != roster.id:
        raise NotFound(f"shift {shift_id} not found on roster {roster.id}")
    session.delete(shift)
    session.flush()
    _audit(
        session, caller, "notify.roster.shift_remove", roster, now, shift_id=shift_id, user_id=shift.user_id
    )


def rules(shifts: Sequence[Shift]) -> list[rosters.ShiftRule]:
    """Stored shifts as the pure core reads them."""
    return [
        rosters.ShiftRule(
            user_id=s.user_id,
            rank=s.rank,
            weekdays=frozenset(s.weekdays or ()),
            start=s.start_time,
            end=s.end_time,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        for s in shifts
    ]


def active_users(session: Session, user_ids: Collection[int]) -> set[int]:
    """Those of these users whose accounts are active."""
    if not user_ids:
        return set()
    stmt = select(User.id).where(User.id.in_(sorted(set(user_ids))), User.is_active.is_(True))
    return set(session.scalars(stmt))


def on_duty(session: Session, *, caller: Caller, roster_id: int, at: datetime) -> list[rosters.OnDuty]:
    """Who is on a roster's duty at ``at``, primaries first (disabled accounts left out)."""
    roster = get_roster(session, caller=caller, roster_id=roster_id)
    found = rosters.on_duty(rules(shifts_of(session, [roster.id])[roster.id]), at, roster.timezone)
    alive = active_users(session, [p.user_id for p in found])
    return [p for p in found if p.user_id in alive]


def on_duty_by_name(
    session: Session, organization_ids: Collection[int], at: datetime
) -> dict[str, list[int]]:
    """Who is on duty at ``at`` on the rosters of these organisations, by roster name (the plans' view)."""
    if not organization_ids:
        return {}
    found = list(session.scalars(select(Roster).where(Roster.organization_id.in_(sorted(organization_ids)))))
    shifts = shifts_of(session, [r.id for r in found])
    out: dict[str, list[int]] = defaultdict(list)
    for roster in sorted(found, key=lambda r: r.id):
        for person in rosters.on_duty(rules(shifts[roster.id]), at, roster.timezone):
            if person.user_id not in out[roster.name]:
                out[roster.name].append(person.user_id)
    alive = active_users(session, [u for users in out.values() for u in users])
    return {name: [u for u in users if u in alive] for name, users in out.items()}


def read(session: Session, roster: Roster) -> RosterRead:
    """A roster with its shifts, as the faces show it."""
    return RosterRead(
        id=roster.id,
        organization_id=roster.organization_id,
        site_id=roster.site_id,
        name=roster.name,
        timezone=roster.timezone,
        created_at=roster.created_at,
        shifts=[ShiftRead.model_validate(s) for s in shifts_of(session, [roster.id])[roster.id]],
    )


def on_duty_answer(session: Session, *, caller: Caller, roster_id: int, at: datetime) -> OnDutyAnswer:
    """Who is on a roster's duty at ``at``, with their user names, as the faces show it."""
    found = on_duty(session, caller=caller, roster_id=roster_id, at=at)
    ids = [p.user_id for p in found] or [0]
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    people = [
        OnDutyRead(
            user_id=p.user_id,
            username=names.get(p.user_id, ""),
            rank=p.rank,
            until=p.until,
            override=p.override,
        )
        for p in found
    ]
    return OnDutyAnswer(roster_id=roster_id, at=at, on_duty=people)
