"""Late check-ins on the stored movement: the overdue episodes a check-in supersedes are marked, the
timeline says so, and the episode's alert is resolved "superseded by a late check-in" (its listeners, the
delivery chain among them, are told); nothing that happened is deleted. The decision is `late.py`'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.notes import add_note
from outrider.movements import late
from outrider.movements.models import MovementEvent, OverdueSupersession
from outrider.movements.service import current_arrangement, event, get_movement
from outrider.movements.tracking import OVERDUE

REASON = "superseded by a late check-in"
OVERDUE_EVENT = "overdue"
SUPERSEDED_EVENT = "overdue_superseded"


def episodes_after(session: Session, movement_id: int, made_at: datetime) -> list[tuple[MovementEvent, bool]]:
    """The movement's overdue episodes (their ``overdue`` events) found after ``made_at``, the only ones a
    check-in made then can supersede, each with whether it is marked already (one indexed read)."""
    rows = session.execute(_EPISODES, {"movement_id": movement_id, "made_at": made_at}).all()
    return [(e, marked is not None) for e, marked in rows]


# Built once: every check-in asks (and nearly always finds none).
_EPISODES = (
    select(MovementEvent, OverdueSupersession.event_id)
    .outerjoin(OverdueSupersession, OverdueSupersession.event_id == MovementEvent.id)
    .where(
        MovementEvent.movement_id == bindparam("movement_id"),
        MovementEvent.kind == OVERDUE_EVENT,
        MovementEvent.at > bindparam("made_at", type_=MovementEvent.__table__.c.at.type),
    )
    .order_by(MovementEvent.at, MovementEvent.id)
)


def overdue_after(movement_id: Any, made_at: Any) -> Any:
    """A column: whether `episodes_after` would find any episode of this movement after ``made_at`` (for a
    statement that reads the movement; a check-in reads nothing more when there is none)."""
    found = exists().where(MovementEvent.movement_id == movement_id, MovementEvent.kind == OVERDUE_EVENT)
    return found.where(MovementEvent.at > made_at).label("overdue_after")


def _episode(e: MovementEvent, marked: bool, grace: timedelta) -> late.Episode:
    details = e.details or {}
    since = details.get("since")
    if since is not None:
        start = datetime.fromisoformat(since)
    elif details.get("due_at"):  # episodes recorded before the start was kept: the deadline and the grace
        start = datetime.fromisoformat(details["due_at"]) + grace
    else:
        start = e.at
    return late.Episode(e.id, start, e.at, str(details.get("reason", "")), marked)


def supersede(
    session: Session,
    *,
    caller: Caller,
    movement_id: int,
    checkin_id: int,
    report: late.Report,
    interval_min: int | None,
    now: datetime,
) -> list[int]:
    """Mark the episodes this check-in supersedes and resolve their alerts; returns the episodes' ids."""
    if interval_min is None:
        return []
    found = episodes_after(session, movement_id, report.made_at)
    if not found:  # the routine check-in: made after every episode found so far
        return []
    _, arrangement = current_arrangement(session)
    grace = timedelta(minutes=arrangement.overdue_grace_minutes)
    candidates = [_episode(e, marked, grace) for e, marked in found]
    keeps_for = timedelta(minutes=interval_min) + grace
    chosen = late.superseded(candidates, report, keeps_for=keeps_for)
    if not chosen:
        return []
    movement = get_movement(session, caller=caller, movement_id=movement_id)
    by_id = {e.id: e for e in candidates}
    for episode_id in chosen:
        episode = by_id[episode_id]
        session.add(
            OverdueSupersession(event_id=episode_id, movement_id=movement_id, checkin_id=checkin_id, at=now)
        )
        event(
            session,
            movement,
            SUPERSEDED_EVENT,
            caller=caller,
            now=now,
            episode=episode_id,
            checkin_id=checkin_id,
            overdue_since=episode.start.isoformat(),
            made_at=report.made_at.isoformat(),
        )
        _resolve_alert(session, caller, movement_id, episode, now)
    session.flush()
    return chosen


def _resolve_alert(
    session: Session, caller: Caller, movement_id: int, episode: late.Episode, now: datetime
) -> None:
    """The episode's overdue alert (raised when the scan found it) resolved with the reason; one already
    resolved keeps its resolution and gains a note saying the episode was superseded."""
    for alert in alerts_service.alerts_for(session, subject_type="movement", subject_id=movement_id):
        if alert.kind != OVERDUE or alert.created_at != episode.detected_at:
            continue
        if alert.resolved_at is None:
            alert.resolution_reason = REASON
            add_note(
                session, alert_id=alert.id, kind="resolved", text=REASON, user_id=caller.user_id, now=now
            )
            alerts_service.resolve(
                session, kind=OVERDUE, subject_type="movement", subject_id=movement_id, now=now
            )
        else:
            add_note(
                session, alert_id=alert.id, kind="progress", text=REASON, user_id=caller.user_id, now=now
            )
