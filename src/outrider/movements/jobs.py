"""The overdue job: one tick scans the movements on the road, marks and escalates; safe with many workers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.movements.lifecycle import UNDER_WAY, Op, Operation
from outrider.movements.models import Movement
from outrider.movements.overdue import Finding, Step, scan
from outrider.movements.service import current_arrangement, event, transition, watched
from outrider.movements.tracking import OVERDUE


def overdue_tick(session: Session, *, now: datetime) -> list[Finding]:
    """Mark newly overdue movements and escalate their unacknowledged alerts; returns what was handled.

    Rows are claimed with FOR UPDATE SKIP LOCKED (on PostgreSQL), so two workers never handle the
    same movement at once; the stored escalation level makes a repeated tick a no-op.
    """
    _, arrangement = current_arrangement(session)
    stmt = select(Movement).where(Movement.status.in_(UNDER_WAY))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Movement)
    movements = {m.id: m for m in session.scalars(stmt)}
    steps = tuple(Step(x.after_minutes, x.level) for x in arrangement.escalation)
    grace = timedelta(minutes=arrangement.overdue_grace_minutes)
    findings = list(scan((watched(m) for m in movements.values()), now=now, grace=grace, steps=steps))
    handled: list[Finding] = []
    for f in findings:
        movement = movements[f.movement_id]
        if not f.newly_overdue:
            # Escalation is for alerts nobody has taken charge of: an acknowledged one stays where it is.
            open_alert = alerts_service.find_open(session, OVERDUE, "movement", movement.id)
            if open_alert is not None and open_alert.acknowledged_at is not None:
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
