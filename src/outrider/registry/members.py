"""The members of escort units: the people a movement's itinerary is drawn for, managed and audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind, may_write
from outrider.accounts.models import User
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.registry import audit_trail, service
from outrider.registry.models import EscortUnit, UnitMember


def list_members(session: Session, *, caller: Caller, unit_id: int) -> list[UnitMember]:
    """The members of a unit the caller may see."""
    unit = service.get_record(session, kind=RecordKind.unit, caller=caller, record_id=unit_id)
    return list(
        session.scalars(select(UnitMember).where(UnitMember.unit_id == unit.id).order_by(UnitMember.user_id))
    )


def _writable(session: Session, caller: Caller, unit_id: int) -> EscortUnit:
    unit: EscortUnit = service.get_record(session, kind=RecordKind.unit, caller=caller, record_id=unit_id)
    if not may_write(caller, RecordKind.unit, owner_organization_id=unit.organization_id):
        raise Forbidden(
            "the members of a unit are managed by its organisation's administrators and duty officers"
        )
    return unit


def add_member(session: Session, *, caller: Caller, unit_id: int, user_id: int, now: datetime) -> UnitMember:
    """Put a user of the unit's organisation in the unit (never oneself: a member reads its itineraries)."""
    unit = _writable(session, caller, unit_id)
    if user_id == caller.user_id:
        raise Forbidden("nobody adds themselves to a unit: another administrator or duty officer must")
    user = session.get(User, user_id)
    if user is None or user.organization_id != unit.organization_id or not user.is_active:
        raise InvalidInput(
            f"user {user_id} is not an active user of the unit's organisation",
            errors=[{"loc": ["body", "user_id"], "msg": f"unknown user {user_id}"}],
        )
    if session.get(UnitMember, (unit.id, user_id)) is not None:
        raise Conflict(f"user {user_id} is already a member of {unit.call_sign}")
    row = UnitMember(unit_id=unit.id, user_id=user_id, added_by=caller.user_id, added_at=now)
    session.add(row)
    session.flush()
    _audit(session, caller, "member_added", unit, user_id, now)
    return row


def remove_member(session: Session, *, caller: Caller, unit_id: int, user_id: int, now: datetime) -> None:
    """Take a user out of a unit: from now on the unit's itineraries are no longer drawn for them."""
    unit = _writable(session, caller, unit_id)
    row = session.get(UnitMember, (unit.id, user_id))
    if row is None:
        raise NotFound(f"user {user_id} is not a member of {unit.call_sign}")
    session.delete(row)
    session.flush()
    _audit(session, caller, "member_removed", unit, user_id, now)


def _audit(
    session: Session, caller: Caller, action: str, unit: EscortUnit, user_id: int, now: datetime
) -> None:
    audit_trail.audit(
        session,
        caller=caller,
        action=action,
        kind=RecordKind.unit,
        record_id=unit.id,
        now=now,
        fields=["members"],
        details={"user_id": user_id, "call_sign": unit.call_sign},
    )


def members_of_units(session: Session, unit_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """The member user ids of each unit, in one query."""
    ids = sorted(set(unit_ids))
    found: dict[int, set[int]] = defaultdict(set)
    if ids:
        for unit_id, user_id in session.execute(
            select(UnitMember.unit_id, UnitMember.user_id).where(UnitMember.unit_id.in_(ids))
        ):
            found[unit_id].add(user_id)
    return {u: frozenset(found.get(u, ())) for u in ids}
