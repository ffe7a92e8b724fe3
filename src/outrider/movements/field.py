"""The field face's use cases: my movements (those I lead or escort) and SOS.

The field app runs on the phone of someone on the road, which may be in the wrong hands: what it shows
never tells that a silent duress was signalled. A movement turned into an incident by a duress PIN alone
is shown to its lead and escorts as still under way, with its next check-in due, and its latest check-in
with the status the screen showed; the desk's pages (board, movement page, alerts) show the truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from outrider.access.need_to_know import ItineraryDecision
from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.audit import service as audit_service
from outrider.movements import checkin_events, checkins, need_to_know, service, silent
from outrider.movements import field_schemas as f
from outrider.movements import schemas as s
from outrider.movements.lifecycle import LIVE, Status
from outrider.movements.models import CheckIn, Movement, movement_escorts
from outrider.movements.overdue import next_due
from outrider.registry.models import UnitMember

# The movements the field shows: approved to go, on the road, or in an incident.
FIELD_STATUSES = sorted(x.value for x in LIVE | {Status.incident})
FIELD_FIELDS = ("planned_departure", "planned_arrival", "next_checkin_due", "checkin_interval_min", "route")


def _mine(caller: Caller) -> ColumnElement[bool]:
    escorting = exists().where(
        movement_escorts.c.movement_id == Movement.id,
        movement_escorts.c.escort_unit_id == UnitMember.unit_id,
        UnitMember.user_id == caller.user_id,
    )
    return or_(Movement.created_by == caller.user_id, escorting)


def my_movements(session: Session, *, caller: Caller, now: datetime) -> list[f.FieldMovement]:
    """The movements I lead (I planned them) or escort (a unit I serve in is assigned), that are approved,
    on the road or in an incident; the itinerary as need-to-know allows it now (each read audited)."""
    visible = service.visible_ids(caller).scalar_subquery()
    stmt = (
        select(Movement)
        .where(Movement.id.in_(visible), Movement.status.in_(FIELD_STATUSES), _mine(caller))
        .order_by(Movement.planned_departure, Movement.id)
    )
    found = list(session.scalars(stmt))
    masked = silent.silent_incidents(session, [m.id for m in found if m.status == Status.incident])
    # a movement "arrived" under the duress PIN has left the phone's list, as an arrival would
    movements = [m for m in found if masked.get(m.id) is not Status.arrived]
    decisions = need_to_know.decisions(session, caller, movements, now=now)
    shown = [m for m in movements if decisions[m.id].allowed]
    last = _last_checkins(session, [m.id for m in shown])
    if shown:
        audit_service.record_many(
            session,
            [need_to_know.read_entry(caller, m, decisions[m.id], FIELD_FIELDS, via="field") for m in shown],
            now=now,
        )
    return [_item(m, caller, decisions[m.id], masked.get(m.id), last.get(m.id)) for m in movements]


def _item(
    m: Movement, caller: Caller, decision: ItineraryDecision, masked: Status | None, last: CheckIn | None
) -> f.FieldMovement:
    status = masked or Status(m.status)
    item = f.FieldMovement(
        id=m.id,
        reference=m.reference,
        status=status.value,
        role="lead" if m.created_by == caller.user_id else "escort",
        origin=f.FieldPlace(name=m.origin_label, lat=m.origin_lat, lon=m.origin_lon),
        destination=f.FieldPlace(name=m.destination_label, lat=m.destination_lat, lon=m.destination_lon),
        itinerary_visible=decision.allowed,
        itinerary_note="" if decision.allowed else decision.reason,
    )
    if not decision.allowed:
        return item
    due = next_due(service.watched(m))[0] if status in (Status.under_way, Status.overdue) else None
    return item.model_copy(
        update={
            "planned_departure": m.planned_departure,
            "planned_arrival": m.planned_arrival,
            "next_checkin_due_at": due,
            "checkin_interval_minutes": m.checkin_interval_min,
            "route": [list(map(float, p[:2])) for p in (m.route or {}).get("coordinates", [])],
            "last_checkin": None
            if last is None
            else f.LastCheckIn(
                at=last.at, lat=last.lat, lon=last.lon, status=last.shown_status or last.status
            ),
        }
    )


def _last_checkins(session: Session, ids: Sequence[int]) -> dict[int, CheckIn]:
    """The latest check-in (by the time it was made) of each movement."""
    if not ids:
        return {}
    out: dict[int, CheckIn] = {}
    rows = session.scalars(
        select(CheckIn).where(CheckIn.movement_id.in_(ids)).order_by(CheckIn.at, CheckIn.id)
    )
    for c in rows:
        out[c.movement_id] = c
    return out


def sos(
    session: Session, *, caller: Caller, movement_id: int, data: f.SosCreate, now: datetime
) -> tuple[f.SosRead, bool]:
    """Raise an SOS: stored with the position, the movement an incident (when on the road), a critical
    alert of kind ``sos`` at once, audited; a retry with the same key answers the first. Returns it and
    whether it is new."""
    create = s.CheckInCreate(
        idempotency_key=data.idempotency_key,
        at=data.at,
        lat=data.lat,
        lon=data.lon,
        note=data.note,
        device_id=data.device_id,
        device_seq=data.device_seq,
    )
    record, new = checkins.report(
        session, caller=caller, movement_id=movement_id, data=create, shown=s.SOS, now=now
    )
    alert = alerts_service.find_open(session, checkin_events.SOS_KIND, "movement", record.movement_id)
    if alert is None:
        found = [
            a
            for a in alerts_service.alerts_for(
                session, subject_type="movement", subject_id=record.movement_id
            )
            if a.kind == checkin_events.SOS_KIND
        ]
        alert = found[-1] if found else None
    read = f.SosRead(
        id=record.id,
        movement_id=record.movement_id,
        idempotency_key=record.idempotency_key,
        at=record.at,
        received_at=record.received_at,
        lat=record.lat,
        lon=record.lon,
        alert_id=alert.id if alert is not None else None,
    )
    return read, new
