"""Use cases of alerts: raise (de-duplicated), list, acknowledge, escalate, resolve."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.alerts.models import Alert
from outrider.alerts.schemas import SEVERITY_RANK, Severity
from outrider.errors import Conflict, NotFound


def raise_alert(
    session: Session,
    *,
    kind: str,
    severity: Severity,
    subject_type: str,
    subject_id: str | int,
    title: str,
    details: dict[str, Any] | None = None,
    organization_id: int | None = None,
    now: datetime,
) -> tuple[Alert, bool]:
    """Open an alert, or refresh the one still open for the same subject and kind.

    Returns the alert and whether it is new. A repeat raises the severity if higher, never lowers it.
    """
    existing = find_open(session, kind, subject_type, subject_id)
    if existing is not None:
        _refresh(session, existing, severity=severity, title=title, details=details, now=now)
        return existing, False
    alert = Alert(
        kind=kind,
        severity=severity.value,
        subject_type=subject_type,
        subject_id=str(subject_id),
        organization_id=organization_id,
        title=title,
        details=details or {},
        created_at=now,
        updated_at=now,
        occurrences=1,
        escalation_level=0,
        acknowledge_note="",
    )
    try:
        with session.begin_nested():  # another process may open the same alert at this very moment
            session.add(alert)
    except IntegrityError:
        existing = find_open(session, kind, subject_type, subject_id)
        if existing is None:
            raise
        _refresh(session, existing, severity=severity, title=title, details=details, now=now)
        return existing, False
    return alert, True


def find_open(session: Session, kind: str, subject_type: str, subject_id: str | int) -> Alert | None:
    """The alert still open for this subject and kind, if any."""
    found: Alert | None = session.scalar(
        select(Alert).where(
            Alert.kind == kind,
            Alert.subject_type == subject_type,
            Alert.subject_id == str(subject_id),
            Alert.resolved_at.is_(None),
        )
    )
    return found


def _refresh(
    session: Session,
    existing: Alert,
    *,
    severity: Severity,
    title: str,
    details: dict[str, Any] | None,
    now: datetime,
) -> None:
    existing.occurrences += 1
    existing.updated_at = now
    if SEVERITY_RANK[severity] > SEVERITY_RANK[Severity(existing.severity)]:
        existing.severity = severity.value
        existing.title = title
    if details:
        existing.details = {**existing.details, **details}
    session.flush()


def list_alerts(
    session: Session,
    *,
    organization_ids: Collection[int] | None = None,
    include_unowned: bool = True,
    status: str | None = None,
    kind: str | None = None,
    severity: Severity | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    """Alerts, newest first; ``status`` is open, acknowledged, unacknowledged or resolved."""
    stmt = select(Alert)
    if organization_ids is not None:
        owned = Alert.organization_id.in_(sorted(organization_ids))
        stmt = stmt.where(owned | Alert.organization_id.is_(None) if include_unowned else owned)
    if status == "open":
        stmt = stmt.where(Alert.resolved_at.is_(None))
    elif status == "unacknowledged":
        stmt = stmt.where(Alert.resolved_at.is_(None), Alert.acknowledged_at.is_(None))
    elif status == "acknowledged":
        stmt = stmt.where(Alert.acknowledged_at.is_not(None))
    elif status == "resolved":
        stmt = stmt.where(Alert.resolved_at.is_not(None))
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    if severity is not None:
        stmt = stmt.where(Alert.severity == severity.value)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.scalars(
        stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def changed_since(
    session: Session,
    *,
    organization_ids: Collection[int] | None = None,
    include_unowned: bool = True,
    since: datetime,
    after_id: int = 0,
    limit: int = 100,
) -> list[Alert]:
    """Alerts raised or changed after (``since``, ``after_id``), oldest change first (for live streams)."""
    stmt = select(Alert).where(
        or_(Alert.updated_at > since, and_(Alert.updated_at == since, Alert.id > after_id))
    )
    if organization_ids is not None:
        owned = Alert.organization_id.in_(sorted(organization_ids))
        stmt = stmt.where(owned | Alert.organization_id.is_(None) if include_unowned else owned)
    return list(session.scalars(stmt.order_by(Alert.updated_at, Alert.id).limit(limit)))


def get_alert(session: Session, *, alert_id: int) -> Alert:
    """One alert by id."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"alert {alert_id} not found")
    return alert


def acknowledge(session: Session, *, alert: Alert, user_id: int, note: str, now: datetime) -> Alert:
    """Record who took charge of an alert; acknowledging twice is a conflict."""
    if alert.resolved_at is not None:
        raise Conflict(f"alert {alert.id} is already resolved")
    if alert.acknowledged_at is not None:
        raise Conflict(f"alert {alert.id} was already acknowledged at {alert.acknowledged_at.isoformat()}")
    alert.acknowledged_by = user_id
    alert.acknowledged_at = now
    alert.acknowledge_note = note
    alert.updated_at = now
    session.flush()
    return alert


def escalate(session: Session, *, alert: Alert, level: int, now: datetime) -> bool:
    """Raise an alert's escalation level; returns False when it was already there or higher."""
    if level <= alert.escalation_level or alert.resolved_at is not None:
        return False
    alert.escalation_level = level
    alert.updated_at = now
    session.flush()
    return True


def resolve(session: Session, *, kind: str, subject_type: str, subject_id: str | int, now: datetime) -> int:
    """Close the open alerts of a kind for a subject (the condition is over); returns how many."""
    rows = session.scalars(
        select(Alert).where(
            Alert.kind == kind,
            Alert.subject_type == subject_type,
            Alert.subject_id == str(subject_id),
            Alert.resolved_at.is_(None),
        )
    ).all()
    for alert in rows:
        alert.resolved_at = now
        alert.updated_at = now
    session.flush()
    return len(rows)


def alerts_for(session: Session, *, subject_type: str, subject_id: str | int) -> list[Alert]:
    """Every alert, open or not, about one subject (oldest first)."""
    return list(
        session.scalars(
            select(Alert)
            .where(Alert.subject_type == subject_type, Alert.subject_id == str(subject_id))
            .order_by(Alert.created_at, Alert.id)
        )
    )
