"""What every commitment use case shares: the founding parties, loading with need-to-know, the audit
record, and the append-only timeline entry that every change writes first."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.audit import service as audit_service
from outrider.committee import commitment_access as access
from outrider.committee.commitment_models import Commitment, Evidence
from outrider.committee.ladder import Party, Stage, closes
from outrider.errors import Forbidden, NotFound
from outrider.governance import founding as governance_founding
from outrider.governance.rules import Founding

OVERDUE_ALERT = "commitment_overdue"
SUBJECT = "commitment"
NOT_FOUND = "no such commitment"
READERS = "commitments are for the two founding parties' users and auditors"


def founding(session: Session) -> Founding | None:
    """The founding parties of the joint arrangement (None before it is founded)."""
    return governance_founding.founding_of(session)


def owners(c: Commitment) -> access.Owners:
    """The commitment's owner on each side."""
    return access.Owners(c.host_owner_id, c.partner_owner_id)


def require_reader(caller: Caller, found: Founding | None) -> None:
    """Forbidden for a caller who may read no commitment at all (lists)."""
    if not access.may_read(caller, found):
        raise Forbidden(READERS)


def load(session: Session, *, caller: Caller, commitment_id: int) -> tuple[Commitment, Founding | None]:
    """A commitment the caller may read; NotFound when it does not exist or the caller may not know of it."""
    found = founding(session)
    row = session.get(Commitment, commitment_id)
    if row is None or not access.may_read(caller, found):
        raise NotFound(NOT_FOUND)
    return row, found


def require_writer(caller: Caller, found: Founding | None, c: Commitment | None = None) -> None:
    """Forbidden unless the caller acts for a founding party (or owns the commitment on their side)."""
    held = owners(c) if c is not None else access.Owners()
    if not access.may_write(caller, found, held):
        raise Forbidden(
            "commitments are recorded and moved by the founding parties' administrators, host duty "
            "officers, partner liaisons and the commitment's owners"
        )


def acting_org(caller: Caller) -> int:
    """The organisation an entry is recorded for."""
    return caller.organization_id


def audit(
    session: Session,
    caller: Caller | None,
    action: str,
    object_id: int,
    now: datetime,
    *,
    object_type: str = SUBJECT,
    **details: Any,
) -> None:
    """One audit record of a change of commitments or proposals (by a caller, or by the job)."""
    audit_service.record(
        session,
        actor=caller or audit_service.JOB,
        action=f"committee.commitment.{action}",
        object_type=object_type,
        object_id=object_id,
        fields=sorted(details),
        details=details,
        now=now,
    )


def append_entry(
    session: Session,
    c: Commitment,
    *,
    caller: Caller,
    kind: str,
    day: date,
    title: str,
    now: datetime,
    **fields: Any,
) -> Evidence:
    """Add one entry to the commitment's timeline (never changed afterwards)."""
    entry = Evidence(
        commitment_id=c.id,
        kind=kind,
        date=day,
        title=title,
        source=fields.pop("source", "") or "",
        reason=fields.pop("reason", "") or "",
        changes=fields.pop("changes", None) or {},
        organization_id=acting_org(caller),
        user_id=caller.user_id,
        at=now,
        **fields,
    )
    session.add(entry)
    session.flush()
    c.updated_at = max(now, c.updated_at)
    return entry


def set_stage(session: Session, c: Commitment, stage: Stage, *, now: datetime) -> None:
    """Put the commitment at ``stage``; done and not fulfilled close it (and its overdue alert)."""
    c.stage = stage.value
    c.status = "closed" if closes(stage) else "open"
    c.updated_at = max(now, c.updated_at)
    if c.status == "closed":
        alerts_service.resolve(session, kind=OVERDUE_ALERT, subject_type=SUBJECT, subject_id=c.id, now=now)
    session.flush()


def party_owner(c: Commitment, party: Party) -> int | None:
    """The owner on ``party``'s side."""
    return c.host_owner_id if party is Party.host else c.partner_owner_id
