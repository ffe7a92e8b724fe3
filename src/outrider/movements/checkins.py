"""Check-ins on the road: idempotent by key, kept in time order when late, duress and arrival among them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.errors import Conflict, InvalidInput, RuleViolation
from outrider.movements import routes
from outrider.movements import schemas as s
from outrider.movements.lifecycle import ON_THE_ROAD, Op, Operation, Status
from outrider.movements.models import CheckIn, Movement
from outrider.movements.service import actor_of, current_arrangement, get_movement, transition
from outrider.movements.tracking import DURESS, OFF_ROUTE, OVERDUE, arrive_at, raise_on, require_progress

CHECKIN_AUDIT = "movement.checkin"  # the audit action of every check-in (duress and arrival included)


def _same_report(stored: CheckIn, data: s.CheckInCreate) -> bool:
    """A retry reports the same status (a retry may leave out the position or the note it had)."""
    return stored.status == data.status.value


def check_in(
    session: Session, *, caller: Caller, movement_id: int, data: s.CheckInCreate, now: datetime
) -> tuple[CheckIn, bool]:
    """Record a check-in; a retry with the same key returns the first record. Returns it and whether new."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    require_progress(caller, movement)
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
        raise_on(
            session,
            movement,
            DURESS,
            Severity.critical,
            "duress signal from the escort",
            now,
            checkin_at=at.isoformat(),
        )
    elif data.status is s.CheckInStatus.arrived:
        arrive_at(session, movement, caller=caller, at=at, now=now)
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
        raise_on(
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
