"""Use cases on the road: departure, check-ins (idempotent, out of order), incidents, arrival."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from outrider.movements import gates, routes
from outrider.movements import schemas as s
from outrider.movements.lifecycle import ON_THE_ROAD, Op, Operation, Status
from outrider.movements.models import CheckIn, Movement, RouteClearance
from outrider.movements.service import actor_of, current_arrangement, event, get_movement, transition
from outrider.registry.models import EscortUnit

OVERDUE = "movement_overdue"
OFF_ROUTE = "movement_off_route"
DURESS = "movement_duress"
INCIDENT = "movement_incident"
CHECKIN_AUDIT = "movement.checkin"  # the audit action of every check-in (duress and arrival included)


def _require_progress(caller: Caller, movement: Movement) -> None:
    if not policy.may_report_progress(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("only the escort (host security) or the requesting organisation reports progress")


def depart(
    session: Session, *, caller: Caller, movement_id: int, at: datetime | None, now: datetime
) -> Movement:
    """The convoy has left: every required approval and the escort must be in place."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_progress(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.depart))
    movement.departed_at = at or now
    movement.escort_present_at_departure = bool(movement.escorts)
    movement.updated_at = now
    event(session, movement, "departed", caller=caller, now=now, at=movement.departed_at)
    session.flush()
    return movement


def _raise(
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


def _same_report(stored: CheckIn, data: s.CheckInCreate) -> bool:
    """A retry reports the same status (a retry may leave out the position or the note it had)."""
    return stored.status == data.status.value


def check_in(
    session: Session, *, caller: Caller, movement_id: int, data: s.CheckInCreate, now: datetime
) -> tuple[CheckIn, bool]:
    """Record a check-in; a retry with the same key returns the first record. Returns it and whether new."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_progress(caller, movement)
    existing = session.scalar(
        select(CheckIn).where(
            CheckIn.movement_id == movement.id, CheckIn.idempotency_key == data.idempotency_key
        )
    )
    if existing is not None:
        if not _same_report(existing, data):
            # A reused key must not swallow a different report (a duress signal answered "already recorded").
            raise Conflict(
                f"idempotency key {data.idempotency_key!r} was used for another check-in of this movement; "
                "send a new report with a new key",
                errors=[{"loc": ["body", "idempotency_key"], "msg": "already used with another report"}],
            )
        return existing, False
    if movement.status not in ON_THE_ROAD:
        raise RuleViolation(
            f"check-ins are taken only while a movement is on the road; this one is {movement.status}"
        )
    at = data.at or now
    if movement.departed_at and at < movement.departed_at:
        raise InvalidInput(
            "a check-in cannot be earlier than the departure",
            errors=[{"loc": ["body", "at"], "msg": "before departure"}],
        )
    if at > now + timedelta(minutes=5):
        raise InvalidInput(
            "a check-in cannot be in the future", errors=[{"loc": ["body", "at"], "msg": "in the future"}]
        )
    _, arrangement = current_arrangement(session)
    off_route = None
    if data.lat is not None and data.lon is not None:
        off_route = routes.distance_to_route_m(movement.route["coordinates"], data.lon, data.lat)
    record = CheckIn(
        movement_id=movement.id,
        idempotency_key=data.idempotency_key,
        at=at,
        received_at=now,
        status=data.status.value,
        lat=data.lat,
        lon=data.lon,
        off_route_m=None if off_route is None else round(off_route, 1),
        note=data.note,
        user_id=caller.user_id,
    )
    session.add(record)
    # Late and out-of-order check-ins are kept in time order; only the latest moves the deadline.
    if movement.last_checkin_at is None or at > movement.last_checkin_at:
        movement.last_checkin_at = at
    if data.status is s.CheckInStatus.duress:
        transition(session, movement, arrangement, Operation(Op.duress))
        _raise(
            session,
            movement,
            DURESS,
            Severity.critical,
            "duress signal from the escort",
            now,
            checkin_at=at.isoformat(),
        )
    elif data.status is s.CheckInStatus.arrived:
        _arrive(session, movement, caller=caller, at=at, now=now)
    else:
        was_overdue = movement.status == Status.overdue
        transition(session, movement, arrangement, Operation(Op.checkin))
        if was_overdue:
            movement.overdue_since = None
            movement.escalation_level = 0
            alerts_service.resolve(
                session, kind=OVERDUE, subject_type="movement", subject_id=movement.id, now=now
            )
    if off_route is not None and off_route > arrangement.off_route_distance_m:
        severity = Severity.high if off_route > 3 * arrangement.off_route_distance_m else Severity.warning
        _raise(
            session,
            movement,
            OFF_ROUTE,
            severity,
            f"check-in {off_route / 1000:.1f} km off the planned route",
            now,
            distance_m=round(off_route),
            lat=data.lat,
            lon=data.lon,
        )
    movement.updated_at = now
    session.flush()
    _audit_check_in(session, caller, movement, record, now)
    return record, True


def _audit_check_in(
    session: Session, caller: Caller, movement: Movement, record: CheckIn, now: datetime
) -> None:
    # The audit chain is read by people off the need-to-know list (auditors): it names the fields a
    # check-in wrote, never their values, so the position and the reported time stay in the itinerary.
    written = ["at", "status"] + [f for f in ("lat", "lon", "note") if getattr(record, f) is not None]
    audit_service.record(
        session,
        actor=actor_of(caller),
        action=CHECKIN_AUDIT,
        object_type="movement",
        object_id=movement.id,
        fields=sorted(written),
        details={
            "reference": movement.reference,
            "checkin_id": record.id,
            "checkin_status": record.status,
            "status": movement.status,
        },
        now=now,
    )


def _arrive(session: Session, movement: Movement, *, caller: Caller, at: datetime, now: datetime) -> None:
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
    _require_progress(caller, movement)
    movement.persons_counted_at_arrival = persons_counted
    _arrive(session, movement, caller=caller, at=at or now, now=now)
    movement.updated_at = now
    session.flush()
    return movement


def report_incident(
    session: Session, *, caller: Caller, movement_id: int, note: str, now: datetime
) -> Movement:
    """Something happened on the road: the movement becomes an incident and a critical alert opens."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    _require_progress(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.report_incident))
    _raise(session, movement, INCIDENT, Severity.critical, "incident reported", now, note=note)
    event(session, movement, "incident", caller=caller, now=now, note=note)
    movement.updated_at = now
    session.flush()
    return movement


def record_clearance(
    session: Session, *, caller: Caller, movement_id: int, data: s.ClearanceCreate, now: datetime
) -> RouteClearance:
    """Record that a host-security unit cleared the route (a fact the protocols read)."""
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
