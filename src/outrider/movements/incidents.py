"""An incident reported on the road: the movement becomes an incident, a critical alert opens, and the
domains that listen (intelligence) learn of it in the same transaction.

Intelligence sits above movements (it may read them, they may not import it), so, as the protocol gate in
`gates.py`, its listener is registered here by `outrider.compose.compose()`. A listener gets the event
reduced to what happened (where, when, what kind of attack), never the movement's plan. A listener that
fails is rolled back to its savepoint, logged and audited: the report from the road and its alert stand.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.errors import InvalidInput
from outrider.movements.lifecycle import Op, Operation
from outrider.movements.models import CheckIn, Movement
from outrider.movements.schemas import ATTACK_TYPES
from outrider.movements.service import current_arrangement, event, get_movement, transition
from outrider.movements.tracking import INCIDENT, raise_on, require_progress

log = logging.getLogger(__name__)

PositionSource = Literal["report", "checkin", "origin"]


@dataclass(frozen=True, slots=True)
class ReportedIncident:
    """What the road reported, as listeners see it: where and when it happened, and how, not the plan."""

    movement_id: int
    at: datetime
    lat: float
    lon: float
    position_source: PositionSource  # given with the report, the latest check-in's, or the origin
    attack_type: str  # the gold-schema vocabulary; "unknown" unless the reporter said


class IncidentListener(Protocol):
    """Told of an incident reported on a movement, inside the reporter's transaction."""

    def __call__(
        self, session: Session, incident: ReportedIncident, *, caller: Caller, now: datetime
    ) -> object: ...


_LISTENERS: dict[str, IncidentListener] = {}


def register_listener(name: str, listener: IncidentListener) -> None:
    """Attach a listener under a name (registering the same name again replaces it)."""
    _LISTENERS[name] = listener


def listeners() -> tuple[str, ...]:
    """The names of the listeners attached."""
    return tuple(_LISTENERS)


def _checked_position(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        raise InvalidInput("give both lat and lon of the incident, or neither")
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90.0 and abs(lon) <= 180.0):
        raise InvalidInput(f"({lat}, {lon}) is not a latitude and longitude in degrees")
    return lat, lon


def incident_position(
    session: Session, movement: Movement, given: tuple[float, float] | None
) -> tuple[float, float, PositionSource]:
    """Where the incident happened: the position given with the report, else the latest check-in that
    carried one, else the movement's origin."""
    if given is not None:
        return given[0], given[1], "report"
    last = session.execute(
        select(CheckIn.lat, CheckIn.lon)
        .where(CheckIn.movement_id == movement.id, CheckIn.lat.is_not(None), CheckIn.lon.is_not(None))
        .order_by(CheckIn.at.desc(), CheckIn.id.desc())
        .limit(1)
    ).first()
    if last is not None and last[0] is not None and last[1] is not None:
        return float(last[0]), float(last[1]), "checkin"
    return movement.origin_lat, movement.origin_lon, "origin"


def report_incident(
    session: Session,
    *,
    caller: Caller,
    movement_id: int,
    note: str,
    now: datetime,
    lat: float | None = None,
    lon: float | None = None,
    attack_type: str | None = None,
) -> Movement:
    """Something happened on the road: the movement becomes an incident, a critical alert opens, and the
    listeners (intelligence) record the event at its position and time."""
    given = _checked_position(lat, lon)
    if attack_type is not None and attack_type not in ATTACK_TYPES:
        raise InvalidInput(f"attack type {attack_type!r} is not one of {', '.join(ATTACK_TYPES)}")
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    require_progress(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.report_incident))
    raise_on(session, movement, INCIDENT, Severity.critical, "incident reported", now, note=note)
    event(session, movement, "incident", caller=caller, now=now, note=note)
    movement.updated_at = now
    session.flush()
    where = incident_position(session, movement, given)
    reported = ReportedIncident(movement.id, now, where[0], where[1], where[2], attack_type or "unknown")
    _tell_listeners(session, reported, caller=caller, now=now)
    return movement


def _tell_listeners(session: Session, incident: ReportedIncident, *, caller: Caller, now: datetime) -> None:
    """Run every listener in a savepoint of its own: one that fails leaves the report standing."""
    for name, listener in list(_LISTENERS.items()):
        try:
            with session.begin_nested():
                listener(session, incident, caller=caller, now=now)
        except Exception:  # the report from the road must stand whatever a listener does
            log.exception("incident listener %s failed on movement %s", name, incident.movement_id)
            audit_service.record(
                session,
                actor=caller,
                action="movement.incident_listener_failed",
                object_type="movement",
                object_id=incident.movement_id,
                details={"listener": name},
                now=now,
            )
    session.flush()
