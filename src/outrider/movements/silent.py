"""What a silent duress leaves visible to whoever signalled it: nothing.

A duress check-in (the duress PIN) is answered as an ordinary one, and whoever forced it may hold the
signaller's phone or session. So, to the signaller, a movement turned into an incident by their silent
duress alone still shows the status it would have had (under way, or arrived when the duress PIN came with
an arrival), with its next check-in due, and their duress check-in shows the status the screen showed
(`checkins.answered`). Everyone else entitled sees the incident. The field face goes further: it shows
every lead and escort the ordinary status (all their phones are on the same road). Alerts are hidden from
the signaller by their own rule (`alerts.service.hidden_from`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.service import hidden_from
from outrider.movements import schemas as s
from outrider.movements.checkins import answered
from outrider.movements.lifecycle import UNDER_WAY, Status
from outrider.movements.models import CheckIn, Movement, MovementEvent
from outrider.movements.overdue import next_due
from outrider.movements.service import Line, watched

_SILENT = and_(CheckIn.status == s.CheckInStatus.duress, CheckIn.shown_status.is_not(None))


def silent_incidents(
    session: Session, ids: Sequence[int], *, signaller: int | None = None
) -> dict[int, Status]:
    """Of these movements in an incident, those whose only cause is a silent duress (of ``signaller``, when
    given: another's silent duress is a cause it does not hide), with the status they believe: arrived if
    the duress PIN came with an arrival, else under way."""
    if not ids:
        return {}
    mine = CheckIn.user_id == signaller if signaller is not None else None
    silent: dict[int, Status] = {}
    rows = session.execute(
        select(CheckIn.movement_id, CheckIn.shown_status).where(
            CheckIn.movement_id.in_(ids), _SILENT, *([mine] if mine is not None else [])
        )
    )
    for movement_id, shown in rows:
        if shown == s.CheckInStatus.arrived or silent.get(movement_id) is Status.arrived:
            silent[movement_id] = Status.arrived
        else:
            silent[movement_id] = Status.under_way
    others: ColumnElement[bool] = and_(_SILENT, ~mine) if mine is not None else false()
    loud_checkin = or_(
        and_(CheckIn.status == s.CheckInStatus.duress, CheckIn.shown_status.is_(None)),
        CheckIn.status == s.SOS,
        others,
    )
    loud = set(
        session.scalars(select(CheckIn.movement_id).where(CheckIn.movement_id.in_(ids), loud_checkin))
    ) | set(
        session.scalars(
            select(MovementEvent.movement_id).where(
                MovementEvent.movement_id.in_(ids), MovementEvent.kind == "incident"
            )
        )
    )
    return {k: v for k, v in silent.items() if k not in loud}


def status_seen(session: Session, caller: Caller, movement: Movement) -> Status:
    """The status this caller sees of a movement (`silent_incidents` for the caller as signaller)."""
    status = Status(movement.status)
    if status is not Status.incident:
        return status
    return silent_incidents(session, [movement.id], signaller=caller.user_id).get(movement.id, status)


def masked_for(session: Session, caller: Caller) -> dict[int, Status]:
    """Every movement whose incident is hidden from this caller, with the status it sees (a list's rule).
    A silent duress always hides its alert from its signaller: without such an alert (one indexed look-up,
    nearly always empty) nothing is read of the caller's check-ins."""
    if not session.scalar(select(hidden_from(caller).exists())):
        return {}
    ids = session.scalars(
        select(CheckIn.movement_id)
        .join(Movement, Movement.id == CheckIn.movement_id)
        .where(CheckIn.user_id == caller.user_id, _SILENT, Movement.status == Status.incident)
    )
    return silent_incidents(session, sorted(set(ids)), signaller=caller.user_id)


def due_seen(movement: Line, status: Status) -> datetime | None:
    """The next check-in due of a movement as shown with ``status`` (only while under way)."""
    return next_due(watched(movement))[0] if status in UNDER_WAY else None


def view_seen(session: Session, caller: Caller, movement: Movement, read: s.MovementRead) -> s.MovementRead:
    """A movement's read as this caller sees it: its status, and its next check-in due when under way."""
    status = status_seen(session, caller, movement)
    if status is read.status:
        return read
    update: dict[str, object] = {"status": status}
    if read.itinerary_visible:
        update["next_checkin_due"] = due_seen(movement, status)
    return read.model_copy(update=update)


def checkins_seen(records: Iterable[CheckIn], caller: Caller) -> list[CheckIn]:
    """Check-ins as this caller sees them: its own silent duress as the status its screen showed."""
    return [answered(c) if c.user_id == caller.user_id else c for c in records]
