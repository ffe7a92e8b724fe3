"""The overdue job: one tick scans the movements on the road, marks and escalates; safe with many workers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.movements.arrangement import Arrangement
from outrider.movements.lifecycle import UNDER_WAY, Op, Operation
from outrider.movements.models import Movement
from outrider.movements.overdue import Finding, Step, scan
from outrider.movements.service import current_arrangement, event, transition, watched
from outrider.movements.tracking import OVERDUE


def overdue_due(session: Session, *, now: datetime) -> list[int]:
    """The movements an overdue tick would handle now, by id: read and scanned without writing anything.

    The jobs run this in a read-only transaction (no write turn on SQLite), then hand the ids to
    `overdue_tick` a few at a time, each batch its own transaction, so none holds the turn long."""
    _, arrangement = current_arrangement(session)
    movements = session.scalars(select(Movement).where(Movement.status.in_(UNDER_WAY)))
    grace, steps = _limits(arrangement)
    findings = scan((watched(m) for m in movements), now=now, grace=grace, steps=steps)
    return sorted(f.movement_id for f in findings if not _acknowledged(session, f))


def overdue_tick(session: Session, *, now: datetime, only: Sequence[int] | None = None) -> list[Finding]:
    """Mark newly overdue movements and escalate their unacknowledged alerts; returns what was handled.

    ``only``: these movements alone (a batch of `overdue_due`'s), scanned again here, so one that another
    tick handled in between is left alone. Rows are claimed with FOR UPDATE SKIP LOCKED (on PostgreSQL), so
    two workers never handle the same movement at once; the stored escalation level makes a repeated tick a
    no-op.
    """
    _, arrangement = current_arrangement(session)
    stmt = select(Movement).where(Movement.status.in_(UNDER_WAY))
    if only is not None:
        stmt = stmt.where(Movement.id.in_(only))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Movement)
    movements = {m.id: m for m in session.scalars(stmt)}
    grace, steps = _limits(arrangement)
    findings = list(scan((watched(m) for m in movements.values()), now=now, grace=grace, steps=steps))
    handled: list[Finding] = []
    for f in findings:
        movement = movements[f.movement_id]
        if _acknowledged(session, f):
            continue
        handled.append(f)
        if f.newly_overdue:
            transition(session, movement, arrangement, Operation(Op.mark_overdue))
            movement.overdue_since = f.overdue_since
            event(
                session,
                movement,
                "overdue",
                caller=None,
                now=now,
                reason=f.reason.value,
                due_at=f.due_at.isoformat(),
                since=f.overdue_since.isoformat(),  # the episode's start, which late check-ins are weighed by
            )
        movement.escalation_level = f.level
        roles = next((x.roles for x in arrangement.escalation if x.level == f.level), [])
        alert, _ = alerts_service.raise_about_movement(
            session,
            movement,
            kind=OVERDUE,
            severity=Severity.high if f.level <= 1 else Severity.critical,
            title=f"{movement.reference}: overdue ({f.reason.value.replace('_', ' ')})",
            details={
                "movement_id": movement.id,
                "reference": movement.reference,
                "reason": f.reason.value,
                "due_at": f.due_at.isoformat(),
                "minutes_overdue": f.minutes_overdue,
                "escalation_roles": roles,
            },
            now=now,
        )
        alerts_service.escalate(session, alert=alert, level=f.level, now=now)
        movement.updated_at = now
    session.flush()
    return handled


def _limits(arrangement: Arrangement) -> tuple[timedelta, tuple[Step, ...]]:
    """The arrangement's grace before a movement counts as overdue, and its escalation steps."""
    steps = tuple(Step(x.after_minutes, x.level) for x in arrangement.escalation)
    return timedelta(minutes=arrangement.overdue_grace_minutes), steps


def _acknowledged(session: Session, f: Finding) -> bool:
    """Escalation is for alerts nobody has taken charge of: an acknowledged one stays where it is."""
    if f.newly_overdue:
        return False
    open_alert = alerts_service.find_open(session, OVERDUE, "movement", f.movement_id)
    return open_alert is not None and open_alert.acknowledged_at is not None
