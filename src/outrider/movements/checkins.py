"""Check-ins on the road: idempotent by key, kept in time order when late, duress and arrival among them.

A check-in is the field's most frequent write (every escort, every few minutes), so the routine one (ok or
delayed, the movement staying on the road) is a handful of plain statements: the movement's columns it
decides on, the key, one insert, one update, the audit record. Duress and arrival, which change the
lifecycle, raise alerts and run the protocol gates, load the movement as the other operations do.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Row, bindparam, case, insert, select, update
from sqlalchemy.orm import Session

from outrider import db
from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from outrider.movements import checkin_events, field_order, field_pins, late, late_checkins, lifecycle, routes
from outrider.movements import schemas as s
from outrider.movements.lifecycle import ON_THE_ROAD, MovementState, Op, Operation, Status
from outrider.movements.models import CheckIn, Movement
from outrider.movements.service import actor_of, current_arrangement, get_movement, visible_ids_in
from outrider.movements.tracking import OVERDUE

_Line: TypeAlias = Row[*tuple[Any, ...]]  # a movement's columns below
CHECKIN_AUDIT = "movement.checkin"  # the audit action of every check-in (duress and arrival included)
_EVENTFUL = (s.CheckInStatus.duress.value, s.CheckInStatus.arrived.value, s.SOS)
# An SOS is taken from an approved movement too (the convoy forming up at the gate), as from one on the road.
_SOS_FROM = ON_THE_ROAD | {Status.approved}

# What a check-in reads of its movement: who may report, whether it is on the road, its times.
_COLUMNS = (
    Movement.id,
    Movement.reference,
    Movement.organization_id,
    Movement.status,
    Movement.departed_at,
    Movement.last_checkin_at,
    Movement.plan_version,
    Movement.approved_version,
    Movement.escort_required,
    Movement.checkin_interval_min,
)


def _movement_read(session: Session, caller: Caller) -> Any:
    """The statement that reads the columns a check-in decides on, of a movement the caller may see (the
    movement's id bound as ``movement_id``), taken before the write turn: built once per scope of readers
    and database (building it cost more Python than running it)."""
    return _movement_statement(policy.movement_scope(caller), session.get_bind().dialect.name == "postgresql")


@functools.lru_cache(maxsize=64)
def _movement_statement(scope: policy.MovementScope, postgresql: bool) -> Any:
    """`_movement_read`'s statement. On SQLite it also reads the report stored under the key (`_BY_KEY`'s
    columns), whether an overdue episode was found after the report was made and whether the caller has
    set field PINs (the write turn makes them current: three statements fewer in the turn). On PostgreSQL
    it locks the movement's row, so concurrent check-ins of one movement see each other's status, and
    those are read after the lock (a statement that waited for the lock would see them as they were
    before it waited)."""
    # the caller's scope, as its own conditions on the row (not a subquery of every visible id)
    stmt = visible_ids_in(scope).with_only_columns(*_COLUMNS).where(Movement.id == bindparam("movement_id"))
    if postgresql:
        return stmt.with_for_update(of=Movement)
    kept = (*_KEPT, late_checkins.overdue_after(Movement.id, _MADE_AT), field_pins.pins_set(_USER))
    return stmt.add_columns(*kept).outerjoin(
        CheckIn, (CheckIn.movement_id == Movement.id) & (CheckIn.idempotency_key == bindparam("key"))
    )


def _movement(session: Session, caller: Caller, movement_id: int, read: Any, params: dict[str, Any]) -> _Line:
    """The movement's columns (`_movement_read`, in the turn); NotFound or Forbidden as the caller may."""
    row = session.execute(read, params).first()
    if row is None:
        raise NotFound(f"movement {movement_id} not found")
    if not policy.may_report_progress(caller, requesting_org_id=row.organization_id):
        raise Forbidden("only the escort (host security) or the requesting organisation reports progress")
    return row


# The statements of every routine check-in, built once: building them again on each report (an insert's
# values and an update's CASE among them) cost more Python than running them.
_BY_KEY = select(CheckIn.id, CheckIn.status, CheckIn.shown_status).where(
    CheckIn.movement_id == bindparam("movement_id"), CheckIn.idempotency_key == bindparam("key")
)
# The report stored under a key, as `_movement_read` reads it beside the movement on SQLite.
_KEPT = (
    CheckIn.id.label("kept_id"),
    CheckIn.status.label("kept_status"),
    CheckIn.shown_status.label("kept_shown_status"),
)
_MADE_AT = bindparam("made_at", type_=CheckIn.at.type)
_USER = bindparam("user_id", type_=CheckIn.user_id.type)
_INSERT = insert(CheckIn).returning(CheckIn.id)  # run on the connection: no unit-of-work bookkeeping
_AT = bindparam("at", type_=Movement.last_checkin_at.type)
_ROUTINE = (
    update(Movement)
    .where(Movement.id == bindparam("movement_id"))
    .values(
        # only the latest report moves the deadline (late ones are kept in order)
        last_checkin_at=case(
            (Movement.last_checkin_at.is_(None) | (Movement.last_checkin_at < _AT), _AT),
            else_=Movement.last_checkin_at,
        ),
        updated_at=bindparam("now", type_=Movement.updated_at.type),
    )
)
_BACK_ON_THE_ROAD = _ROUTINE.values(  # an overdue movement is under way again
    status=bindparam("back_to", type_=Movement.status.type), overdue_since=None, escalation_level=0
)


def _retry(session: Session, m: _Line, data: s.CheckInCreate, shown: str) -> CheckIn | None:
    """The check-in stored under this key, as it was answered, when the report is a retry; Conflict when
    the key was used for a different report (a reused key must not swallow a duress signal answered
    "already recorded")."""
    if "kept_id" in m._fields:  # read with the movement (SQLite)
        found = None if m.kept_id is None else (m.kept_id, m.kept_status, m.kept_shown_status)
    else:
        found = session.execute(_BY_KEY, {"movement_id": m.id, "key": data.idempotency_key}).first()
    if found is None:
        return None
    found_id, status, shown_status = found
    if (shown_status or status) != shown:  # a retry may leave out the position or the note
        raise Conflict(
            f"idempotency key {data.idempotency_key!r} was used for another check-in of this movement; "
            "send a new report with a new key",
            errors=[{"loc": ["body", "idempotency_key"], "msg": "already used with another report"}],
            code="key_reused",
        )
    stored = session.get(CheckIn, found_id)
    assert stored is not None
    return answered(stored)


def answered(record: CheckIn) -> CheckIn:
    """The record as its reporter is answered: a silent duress shows the status the screen showed. A copy
    outside the session when it differs, so the stored row keeps the truth."""
    if record.shown_status is None:
        return record
    copy = CheckIn(**{c: getattr(record, c) for c in _FIELDS})
    copy.status = record.shown_status
    return copy


_FIELDS = tuple(c.key for c in CheckIn.__table__.columns)


def _key_elsewhere(session: Session, caller: Caller, movement_id: int, data: s.CheckInCreate) -> None:
    """A device's key names one report: replayed against another movement it is refused."""
    other = session.scalar(
        select(CheckIn.movement_id)
        .where(
            CheckIn.user_id == caller.user_id,
            CheckIn.idempotency_key == data.idempotency_key,
            CheckIn.movement_id != movement_id,
        )
        .limit(1)
    )
    if other is not None:
        raise Conflict(
            f"this key was used for movement {other}",
            errors=[{"loc": ["body", "idempotency_key"], "msg": f"used for movement {other}"}],
            code="key_elsewhere",
        )


def _report_time(data: s.CheckInCreate, now: datetime) -> tuple[datetime, bool]:
    """The time the report is recorded at, and whether the device's clock was refused (then clamped)."""
    if data.device_id is not None:  # a device's clock may run ahead: not believed, not refused
        return late.recorded_time(data.at, now)
    return data.at or now, False


def _check_time(m: _Line, at: datetime, status: str, now: datetime) -> None:
    """Refuse a report the movement does not take now: off the road, before departure, in the future."""
    allowed = _SOS_FROM if status == s.SOS else ON_THE_ROAD
    if m.status not in allowed:
        raise RuleViolation(
            f"check-ins are taken only while a movement is on the road; this one is {m.status}",
            code="not_on_road",
        )
    if m.departed_at and at < m.departed_at:
        raise InvalidInput(
            "a check-in cannot be earlier than the departure",
            errors=[{"loc": ["body", "at"], "msg": "before departure"}],
            code="before_departure",
        )
    if at > now + late.CLOCK_TOLERANCE:
        raise InvalidInput(
            "a check-in cannot be in the future",
            errors=[{"loc": ["body", "at"], "msg": "in the future"}],
            code="in_future",
        )


def _stored_status(
    session: Session, caller: Caller, data: s.CheckInCreate, shown: str, m: _Line, now: datetime
) -> str:
    """The status to store: the duress PIN turns the report into a silent duress; a wrong PIN is refused,
    and so is any other PIN while the user is locked out after too many wrong ones (`field_pins.check`);
    so is a report of all well without a PIN from a user who has set PINs (`field_pins.require`)."""
    if data.pin is None:
        field_pins.require(
            session, caller, shown, known=getattr(m, "pins_set", None)
        )  # (read with m: SQLite)
        return shown
    found = field_pins.check(session, caller, data.pin, now=now, movement_id=m.id, channel=caller.channel)
    return s.CheckInStatus.duress.value if found is field_pins.PinMatch.duress else shown


def check_in(
    session: Session, *, caller: Caller, movement_id: int, data: s.CheckInCreate, now: datetime
) -> tuple[CheckIn, bool]:
    """Record a check-in; a retry with the same key returns the first record. Returns the record as its
    reporter is answered (see `answered`) and whether it is new."""
    return report(
        session, caller=caller, movement_id=movement_id, data=data, shown=data.status.value, now=now
    )


def report(
    session: Session, *, caller: Caller, movement_id: int, data: s.CheckInCreate, shown: str, now: datetime
) -> tuple[CheckIn, bool]:
    """A check-in or an SOS (``shown`` is what was asked: ok, delayed, duress, arrived or sos)."""
    at, clamped = _report_time(data, now)
    read = _movement_read(session, caller)  # taken before the turn
    db.write_turn(session)  # what follows decides the writes: it is read within the turn (SQLite)
    params = {
        "movement_id": movement_id,
        "key": data.idempotency_key,
        "made_at": at,
        "user_id": caller.user_id,
    }
    m = _movement(session, caller, movement_id, read, params)
    existing = _retry(session, m, data, shown)
    if existing is not None:
        return existing, False
    if data.device_id is not None:
        _key_elsewhere(session, caller, m.id, data)
    _check_time(m, at, shown, now)
    status = _stored_status(session, caller, data, shown, m, now) if shown != s.SOS else shown
    if data.device_id is not None and data.device_seq is not None:
        field_order.advance(
            session, user_id=caller.user_id, device_id=data.device_id, seq=data.device_seq, now=now
        )
    off_route, limit_m = _off_route(session, m.id, data)
    record = _insert(session, m.id, caller, data, (at, status, shown, clamped), now, off_route)
    # on SQLite the movement's read said whether any overdue episode was found after the report was made
    if getattr(m, "overdue_after", True):  # (none, nearly always: nothing to supersede, nothing to read)
        late_checkins.supersede(
            session,
            caller=caller,
            movement_id=m.id,
            checkin_id=record.id,
            report=late.Report(at, now),
            interval_min=m.checkin_interval_min,
            now=now,
        )
    if status in _EVENTFUL:
        movement = get_movement(session, caller=caller, movement_id=m.id)
        new_status = checkin_events.eventful(session, caller, movement, data, status, at, now)
    else:
        new_status = _routine(session, m, at, now)
    if off_route is not None and off_route > limit_m:
        checkin_events.off_route_alert(session, caller, m.id, data, off_route, limit_m, now)
    _audit_check_in(session, caller, m, record, status, new_status, now)
    return answered(record), True


def _off_route(session: Session, movement_id: int, data: s.CheckInCreate) -> tuple[float | None, float]:
    """How far a reported position is from the planned route, and the arrangement's limit (no position:
    nothing read)."""
    if data.lat is None or data.lon is None:
        return None, 0.0
    route = session.scalar(select(Movement.route).where(Movement.id == movement_id))
    _, arrangement = current_arrangement(session)
    distance = routes.distance_to_route_m((route or {})["coordinates"], data.lon, data.lat)
    return distance, float(arrangement.off_route_distance_m)


def _insert(
    session: Session,
    movement_id: int,
    caller: Caller,
    data: s.CheckInCreate,
    how: tuple[datetime, str, str, bool],
    now: datetime,
    off_route: float | None,
) -> CheckIn:
    at, status, shown, clamped = how
    values: dict[str, Any] = {
        "movement_id": movement_id,
        "idempotency_key": data.idempotency_key,
        "at": at,
        "received_at": now,
        "status": status,
        "lat": data.lat,
        "lon": data.lon,
        "off_route_m": None if off_route is None else round(off_route, 1),
        "note": data.note,
        "user_id": caller.user_id,
        "device_id": data.device_id,
        "device_seq": data.device_seq,
        "device_at": data.at if clamped else None,
        "shown_status": shown if shown != status else None,
    }
    new_id = session.connection().execute(_INSERT, values).scalar_one()
    return CheckIn(id=new_id, **values)  # the record as stored, without the unit of work's bookkeeping


def _routine(session: Session, m: _Line, at: datetime, now: datetime) -> str:
    """An ok or delayed report: the lifecycle's check-in (an overdue movement is under way again) and the
    deadline, in one update; only the latest report moves the deadline (late ones are kept in order)."""
    # The check-in operation weighs the status alone; the approvals and escorts that others weigh are
    # not loaded (the lifecycle refuses it anywhere but on the road, which was checked above).
    state = MovementState(
        status=Status(m.status),
        requesting_org_id=m.organization_id,
        escort_required=m.escort_required,
        plan_version=m.plan_version,
        approved_version=m.approved_version,
    )
    new = lifecycle.apply(state, Operation(Op.checkin))
    was_overdue = m.status == Status.overdue
    values: dict[str, Any] = {"movement_id": m.id, "at": at, "now": now}
    if was_overdue:
        values["back_to"] = new.status.value
    session.connection().execute(_BACK_ON_THE_ROAD if was_overdue else _ROUTINE, values)
    loaded = session.identity_map.get(session.identity_key(Movement, m.id))
    if loaded is not None:  # a movement this session holds reads its new columns on next use
        session.expire(loaded)
    if was_overdue:
        alerts_service.resolve(session, kind=OVERDUE, subject_type="movement", subject_id=m.id, now=now)
    return new.status.value


def _audit_check_in(
    session: Session, caller: Caller, m: _Line, record: CheckIn, stored: str, status: str, now: datetime
) -> None:
    # The audit chain is read by people off the need-to-know list (auditors): it names the fields a
    # check-in wrote, never their values, so the position and the reported time stay in the itinerary.
    written = ["at", "status"] + [
        f
        for f in ("lat", "lon", "note", "device_id", "device_seq", "device_at")
        if getattr(record, f) is not None
    ]
    details = {"reference": m.reference, "checkin_id": record.id, "checkin_status": stored, "status": status}
    entry = audit_service.Entry(actor_of(caller), CHECKIN_AUDIT, "movement", m.id, sorted(written), details)
    audit_service.append_prepared(session, audit_service.prepare(entry, now))  # (no record object built)
