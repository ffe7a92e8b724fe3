"""The release ledger read from the audit chain: who may read it, the `sharing.release` records of a period.

The ledger has no table of its own: the audit chain's records are the ledger, so what it shows is what
`outrider audit verify` checks. Reading it is itself recorded (`sharing.ledger`): the list of what a
partner holds is worth knowing who took away, as an export of the audit checkpoints is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization, User
from outrider.audit import service as audit_service
from outrider.audit.models import AuditRecord
from outrider.errors import Forbidden
from outrider.governance import service as governance_service
from outrider.sharing import ledger, policy_store, service
from outrider.sharing.models import SharingPolicy

RELEASE = "sharing.release"


def reads_every_partner(session: Session, caller: Caller) -> bool:
    """Founding parties' administrators, auditors and the host's analysts read every partner's releases."""
    founding = governance_service.founding_of(session)
    # no organisation has the id 0: true only for those who read every partner's policies
    return policy_store.may_read(caller, founding, partner_org_id=0)


def is_partner(session: Session, organization_id: int) -> bool:
    """True when a release policy (of any status) names the organisation as its partner."""
    found = session.scalar(
        select(SharingPolicy.id).where(SharingPolicy.partner_org_id == organization_id).limit(1)
    )
    return found is not None


def scope(session: Session, *, caller: Caller, partner_org_id: int | None) -> int | None:
    """Whose releases the caller reads: the partner asked (None: every partner), or Forbidden."""
    service.holder_id(session)  # nothing is released before the arrangement is founded
    if reads_every_partner(session, caller):
        return partner_org_id
    own = caller.organization_id
    if partner_org_id not in (None, own) or not is_partner(session, own):
        raise Forbidden("a partner's users read only their own organisation's releases")
    return own


def read(
    session: Session,
    *,
    caller: Caller,
    partner_org_id: int | None,
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    fmt: str = "json",
    newest: int | None = None,
) -> ledger.Ledger:
    """The releases of the period (both ends included) the caller may read, oldest first; ``newest``
    keeps only that many of the latest. The read is recorded."""
    partner = scope(session, caller=caller, partner_org_id=partner_org_id)
    policies = select(SharingPolicy.id)
    if partner is not None:
        policies = policies.where(SharingPolicy.partner_org_id == partner)
    ids = [str(i) for i in session.scalars(policies)]
    stmt = select(AuditRecord).where(
        AuditRecord.object_type == "sharing_policy",
        AuditRecord.object_id.in_(ids),
        AuditRecord.action == RELEASE,
    )
    if since is not None:
        stmt = stmt.where(AuditRecord.at >= since)
    if until is not None:
        stmt = stmt.where(AuditRecord.at <= until)
    stmt = stmt.order_by(AuditRecord.seq.desc())
    if newest is not None:
        stmt = stmt.limit(newest)
    records = list(reversed(session.scalars(stmt).all())) if ids else []
    rows = _rows(session, records)
    audit_service.record(
        session,
        actor=caller,
        action="sharing.ledger",
        object_type="sharing_ledger",
        object_id=partner if partner is not None else "all",
        fields=["releases"],
        details={
            "partner": partner,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "format": fmt,
            "releases": len(rows),
        },
        now=now,
    )
    return ledger.Ledger(partner, since, until, now, tuple(rows))


def _rows(session: Session, records: list[AuditRecord]) -> list[ledger.Row]:
    plain = [
        ledger.Record(r.seq, r.hash, r.at, r.user_id, r.organization_id, r.object_id, r.details or {})
        for r in records
    ]
    org_ids = {int(p.details.get("partner", 0)) for p in plain} | {
        p.organization_id for p in plain if p.organization_id is not None
    }
    user_ids = {p.user_id for p in plain if p.user_id is not None}
    orgs = _names(session, select(Organization.id, Organization.name).where(Organization.id.in_(org_ids)))
    users = _names(session, select(User.id, User.username).where(User.id.in_(user_ids)))
    return [ledger.row_of(p, orgs=orgs, users=users) for p in plain]


def _names(session: Session, stmt: Select[int, str]) -> dict[int, str]:
    return dict(session.execute(stmt).all())


def partners(session: Session, *, caller: Caller) -> list[tuple[int, str]]:
    """The partners whose releases the caller may read (for a filter): id and name."""
    stmt = select(Organization.id, Organization.name).where(
        Organization.id.in_(select(SharingPolicy.partner_org_id))
    )
    if not reads_every_partner(session, caller):
        stmt = stmt.where(Organization.id == caller.organization_id)
    return [(i, n) for i, n in session.execute(stmt.order_by(Organization.name))]
