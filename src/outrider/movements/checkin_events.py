"""What a check-in sets off beyond the routine: duress and SOS (an incident, a critical alert), arrival
(the lifecycle, the gates), and the alert on a position off the planned route."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.schemas import Severity
from outrider.movements import schemas as s
from outrider.movements.lifecycle import ON_THE_ROAD, Op, Operation
from outrider.movements.models import Movement
from outrider.movements.service import current_arrangement, get_movement, transition
from outrider.movements.tracking import DURESS, OFF_ROUTE, arrive_at, raise_on

SOS_KIND = "sos"  # the alert kind of an SOS


def eventful(
    session: Session,
    caller: Caller,
    movement: Movement,
    data: s.CheckInCreate,
    status: str,
    at: datetime,
    now: datetime,
) -> str:
    """Duress or SOS (the movement becomes an incident, a critical alert) or arrival (the lifecycle, the
    gates)."""
    if movement.last_checkin_at is None or at > movement.last_checkin_at:
        movement.last_checkin_at = at
    if status == s.CheckInStatus.duress:
        _, arrangement = current_arrangement(session)
        transition(session, movement, arrangement, Operation(Op.duress))
        raise_on(
            session,
            movement,
            DURESS,
            Severity.critical,
            "duress signal from the escort",
            now,
            checkin_at=at.isoformat(),
            silent_to=[caller.user_id],  # never called about it: their phone may be in the captor's hands
        )
    elif status == s.SOS:
        _sos(session, movement, data, at, now)
    else:
        arrive_at(session, movement, caller=caller, at=at, now=now)
    movement.updated_at = now
    session.flush()
    return movement.status


def _sos(session: Session, movement: Movement, data: s.CheckInCreate, at: datetime, now: datetime) -> None:
    """An SOS: an incident when on the road (an approved movement stays approved), a critical alert at once
    with the position."""
    if movement.status in ON_THE_ROAD:
        _, arrangement = current_arrangement(session)
        transition(session, movement, arrangement, Operation(Op.report_incident))
    position = {"lat": data.lat, "lon": data.lon} if data.lat is not None else {}
    raise_on(session, movement, SOS_KIND, Severity.critical, "SOS", now, sos_at=at.isoformat(), **position)


def off_route_alert(
    session: Session,
    caller: Caller,
    movement_id: int,
    data: s.CheckInCreate,
    off_route: float,
    limit_m: float,
    now: datetime,
) -> None:
    """The alert on a check-in off the planned route: a warning, high beyond three times the limit."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    severity = Severity.high if off_route > 3 * limit_m else Severity.warning
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
