"""Use cases on the road: departure, arrival, route clearance; the alerts they share with check-ins
(`checkins.py`) and incidents (`incidents.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.errors import Forbidden, InvalidInput
from outrider.movements import gates
from outrider.movements import schemas as s
from outrider.movements.lifecycle import Op, Operation
from outrider.movements.models import Movement, RouteClearance
from outrider.movements.service import current_arrangement, event, get_movement, transition
from outrider.registry.models import EscortUnit

OVERDUE = "movement_overdue"
OFF_ROUTE = "movement_off_route"
DURESS = "movement_duress"
INCIDENT = "movement_incident"
# The clearance segment that records a sweep of the origin site's cordon (a fact the protocols read).
ORIGIN_CORDON = "origin-cordon"


def require_progress(caller: Caller, movement: Movement) -> None:
    if not policy.may_report_progress(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("only the escort (host security) or the requesting organisation reports progress")


def depart(
    session: Session, *, caller: Caller, movement_id: int, at: datetime | None, now: datetime
) -> Movement:
    """The convoy has left: every required approval and the escort in place, and the protocol's
    departure rules met (no critical cordon alert open on the origin or route, unless overridden)."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    require_progress(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.depart))
    gates.run(session, movement, trigger="depart", caller=caller, now=now)
    movement.departed_at = at or now
    movement.escort_present_at_departure = bool(movement.escorts)
    movement.updated_at = now
    event(session, movement, "departed", caller=caller, now=now, at=movement.departed_at)
    session.flush()
    return movement


def raise_on(
    session: Session,
    movement: Movement,
    kind: str,
    severity: Severity,
    title: str,
    now: datetime,
    **details: object,
) -> None:
    alerts_service.raise_about_movement(
        session,
        movement,
        kind=kind,
        severity=severity,
        title=f"{movement.reference}: {title}",
        details={"movement_id": movement.id, "reference": movement.reference, **details},
        now=now,
    )


def arrive_at(session: Session, movement: Movement, *, caller: Caller, at: datetime, now: datetime) -> None:
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.arrive))
    movement.arrived_at = at
    movement.overdue_since = None
    for kind in (OVERDUE, OFF_ROUTE):
        alerts_service.resolve(session, kind=kind, subject_type="movement", subject_id=movement.id, now=now)
    event(session, movement, "arrived", caller=caller, now=now, at=at)
    gates.run(session, movement, trigger="arrive", caller=caller, now=now)


def arrive(
    session: Session,
    *,
    caller: Caller,
    movement_id: int,
    at: datetime | None,
    now: datetime,
    persons_counted: int | None = None,
) -> Movement:
    """The convoy has arrived (with the protected persons counted at the destination, when given)."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    require_progress(caller, movement)
    movement.persons_counted_at_arrival = persons_counted
    arrive_at(session, movement, caller=caller, at=at or now, now=now)
    movement.updated_at = now
    session.flush()
    return movement


def record_clearance(
    session: Session, *, caller: Caller, movement_id: int, data: s.ClearanceCreate, now: datetime
) -> RouteClearance:
    """Record that a host-security unit cleared the route, a segment of it, or swept the origin's cordon
    (segment ``origin-cordon``): facts the protocols read. The protocol's departure rules are checked
    first: a route is not declared clear while a critical alert is open on it (unless overridden)."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    if caller.org_kind != "host_security" or not caller.roles & {"admin", "duty_officer"}:
        raise Forbidden("route clearances are recorded by host security duty officers")
    unit = session.get(EscortUnit, data.escort_unit_id)
    if unit is None or unit.organization_id != caller.organization_id:
        raise InvalidInput(
            f"escort unit {data.escort_unit_id} not found among your units",
            errors=[{"loc": ["body", "escort_unit_id"], "msg": "unknown unit"}],
        )
    if data.cleared_at > now + timedelta(minutes=5):
        raise InvalidInput(
            "a clearance cannot be in the future", errors=[{"loc": ["body", "cleared_at"], "msg": "future"}]
        )
    gates.run(session, movement, trigger="clear", caller=caller, now=now)
    row = RouteClearance(
        movement_id=movement.id,
        escort_unit_id=unit.id,
        segment=data.segment,
        cleared_at=data.cleared_at,
        recorded_by=caller.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    event(
        session,
        movement,
        "route_cleared",
        caller=caller,
        now=now,
        at=data.cleared_at,
        unit=unit.call_sign,
        segment=data.segment,
    )
    return row
