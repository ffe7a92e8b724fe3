"""An incident reported on the road: the movement becomes an incident and a critical alert opens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.schemas import Severity
from outrider.movements.lifecycle import Op, Operation
from outrider.movements.models import Movement
from outrider.movements.service import current_arrangement, event, get_movement, transition
from outrider.movements.tracking import INCIDENT, raise_on, require_progress


def report_incident(
    session: Session, *, caller: Caller, movement_id: int, note: str, now: datetime
) -> Movement:
    """Something happened on the road: the movement becomes an incident and a critical alert opens."""
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    require_progress(caller, movement)
    _, arrangement = current_arrangement(session)
    transition(session, movement, arrangement, Operation(Op.report_incident))
    raise_on(session, movement, INCIDENT, Severity.critical, "incident reported", now, note=note)
    event(session, movement, "incident", caller=caller, now=now, note=note)
    movement.updated_at = now
    session.flush()
    return movement
