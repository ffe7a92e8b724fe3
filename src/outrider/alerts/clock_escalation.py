"""Escalation by the clock: every open, unacknowledged alert rises to the step its age reached (the job's
use case; a caller escalates by hand in `service`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from outrider.alerts.escalation import Escalation, Pending, Step, escalations
from outrider.alerts.models import Alert
from outrider.alerts.service import escalate


def escalate_by_clock(
    session: Session,
    *,
    steps: Sequence[Step],
    now: datetime,
    skip_kinds: Iterable[str] = (),
    skip_ids: Select[tuple[int]] | None = None,
) -> list[tuple[Alert, Escalation]]:
    """Raise every open, unacknowledged alert (but of ``skip_kinds``, and those ``skip_ids`` selects: alerts
    that escalate by a plan of their own) to the step its age reached.

    Rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, so two workers never escalate the same alert
    at once; the stored level makes a repeat a no-op. Returns what was escalated.
    """
    if not steps:
        return []
    stmt = select(Alert).where(
        Alert.resolved_at.is_(None),
        Alert.acknowledged_at.is_(None),
        Alert.kind.not_in(sorted(set(skip_kinds)) or [""]),
        Alert.escalation_level < max(s.level for s in steps),
        Alert.created_at <= now - _first_step(steps),
    )
    if skip_ids is not None:
        stmt = stmt.where(Alert.id.not_in(skip_ids))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = {a.id: a for a in session.scalars(stmt.order_by(Alert.id))}
    pending = (Pending(a.id, a.created_at, a.escalation_level) for a in rows.values())
    done: list[tuple[Alert, Escalation]] = []
    for step in escalations(pending, steps, now=now):
        alert = rows[step.alert_id]
        if escalate(session, alert=alert, level=step.level, now=now):
            alert.details = {**alert.details, "escalation_roles": list(step.roles)}
            done.append((alert, step))
    session.flush()
    return done


def _first_step(steps: Sequence[Step]) -> timedelta:
    return timedelta(minutes=min(s.after_minutes for s in steps))
