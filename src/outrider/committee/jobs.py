"""The overdue-commitment job: one alert per open commitment past its deadline, to both founding parties,
resolved when the commitment closes or its deadline moves; safe with many workers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.committee import commitment_store as store
from outrider.committee.commitment_models import Commitment
from outrider.committee.overdue import Watched, days_overdue, is_overdue, scan

OVERDUE_ALERT = store.OVERDUE_ALERT


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick did."""

    raised: tuple[int, ...]
    resolved: tuple[int, ...]


def overdue_title(c: Commitment) -> str:
    """The alert's title (the wording `web.alert_titles` translates)."""
    deadline = c.deadline.isoformat() if c.deadline else ""
    return f"commitment {c.id} ({c.title}) is past its deadline of {deadline}"


def _alerted(session: Session) -> dict[int, Alert]:
    rows = session.scalars(
        select(Alert).where(
            Alert.kind == OVERDUE_ALERT, Alert.subject_type == store.SUBJECT, Alert.resolved_at.is_(None)
        )
    )
    return {int(a.subject_id): a for a in rows if a.subject_id.isdigit()}


def commitments_overdue_tick(session: Session, *, now: datetime) -> Tick:
    """Raise the alert of each open commitment newly past its deadline and resolve those no longer overdue.

    The alert is owned by the host party and seen by the partner party (both owners' organisations); an
    open one is kept (never a second for the same commitment), so a repeated tick changes nothing.
    """
    found = store.founding(session)
    if found is None:
        return Tick((), ())
    stmt = select(Commitment).where(Commitment.status == "open", Commitment.deadline.is_not(None))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Commitment)
    rows = {c.id: c for c in session.scalars(stmt)}
    alerted = _alerted(session)
    today = now.astimezone(UTC).date()
    watched = (Watched(c.id, True, c.deadline) for c in rows.values())
    todo = scan(watched, alerted=alerted, today=today)
    for cid in todo.overdue:
        c = rows[cid]
        assert c.deadline is not None
        alerts_service.raise_alert(
            session,
            kind=OVERDUE_ALERT,
            severity=Severity.warning,
            subject_type=store.SUBJECT,
            subject_id=c.id,
            title=overdue_title(c),
            details={
                "commitment_id": c.id,
                "deadline": c.deadline.isoformat(),
                "days_overdue": days_overdue(c.deadline, today=today),
                "stage": c.stage,
                "host_owner_id": c.host_owner_id,
                "partner_owner_id": c.partner_owner_id,
            },
            organization_id=found.host_org_id,
            audience=(found.partner_org_id,),
            now=now,
        )
    # a commitment another worker holds locked is not in ``rows``: read it before calling it resolved
    resolved = [cid for cid in todo.resolve if not _overdue_now(session, cid, today)]
    for cid in resolved:
        alerts_service.resolve(
            session, kind=OVERDUE_ALERT, subject_type=store.SUBJECT, subject_id=cid, now=now
        )
    session.flush()
    return Tick(todo.overdue, tuple(resolved))


def _overdue_now(session: Session, commitment_id: int, today: date) -> bool:
    c = session.get(Commitment, commitment_id)
    return c is not None and is_overdue(Watched(c.id, c.status == "open", c.deadline), today=today)
