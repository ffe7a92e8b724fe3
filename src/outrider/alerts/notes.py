"""An alert's log: dated entries of progress posted by people and of what the lifecycle did (acknowledged,
assigned, acknowledgement lapsed, escalated, resolved, reopened), appended, never edited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.alerts.models import AlertNote

# The kinds of entry; ``progress`` is the only one a person writes as such.
KINDS = ("progress", "acknowledged", "assigned", "ack_expired", "escalated", "resolved", "reopened")


def add_note(
    session: Session, *, alert_id: int, kind: str, text: str, user_id: int | None, now: datetime
) -> AlertNote:
    """Append one entry to an alert's log."""
    if kind not in KINDS:
        raise ValueError(f"unknown note kind {kind!r}")
    note = AlertNote(alert_id=alert_id, at=now, user_id=user_id, kind=kind, text=text)
    session.add(note)
    session.flush()
    return note


def notes_of(session: Session, alert_id: int) -> list[AlertNote]:
    """An alert's log, oldest first (the caller has checked that the alert may be read)."""
    rows = select(AlertNote).where(AlertNote.alert_id == alert_id).order_by(AlertNote.at, AlertNote.id)
    return list(session.scalars(rows))
