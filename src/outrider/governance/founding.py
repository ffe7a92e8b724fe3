"""The founding of the joint arrangement: its two parties, named once, and what only proposals grant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import Organization
from outrider.accounts.schemas import OrgKind
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput
from outrider.governance import rules
from outrider.governance import schemas as s
from outrider.governance.models import Founding, Proposal
from outrider.governance.rules import Kind, State

PROPOSE_HINT = "propose it with `outrider governance propose` or POST /api/v1/governance/proposals"


def audit(
    session: Session, caller: Caller | None, action: str, object_id: int, now: datetime, **details: Any
) -> None:
    audit_service.record(
        session,
        actor=caller or audit_service.OPERATOR,
        action=f"governance.{action}",
        object_type="governance_proposal" if action != "found" else "governance_founding",
        object_id=object_id,
        fields=sorted(details),
        details=details,
        now=now,
    )


# --- the founding -------------------------------------------------------------------------------------


def founding_row(session: Session) -> Founding | None:
    """The founding record, if the arrangement has been founded."""
    return session.scalar(select(Founding).limit(1))


def founding_of(session: Session) -> rules.Founding | None:
    """The founding parties and the partner governments recognised since, for the rules."""
    row = founding_row(session)
    if row is None:
        return None
    enacted = session.scalars(
        select(Proposal.result).where(
            Proposal.kind == Kind.partner.value, Proposal.state == State.enacted.value
        )
    )
    others = frozenset(int(r["organization_id"]) for r in enacted if r and "organization_id" in r)
    return rules.Founding(row.host_org_id, row.partner_org_id, others)


def found(session: Session, *, host_ref: str, partner_ref: str, comment: str, now: datetime) -> Founding:
    """Name the founding parties (an operator act on the local database, allowed once)."""
    if founding_row(session) is not None:
        raise Conflict("the joint arrangement has already been founded; its founding parties are fixed")
    host = accounts_service.find_organization(session, ref=host_ref)
    partner = accounts_service.find_organization(session, ref=partner_ref)
    if host.kind != OrgKind.host_security.value:
        raise InvalidInput(f"{host.name!r} is not a host-security organisation")
    if partner.kind != OrgKind.partner_government.value:
        raise InvalidInput(f"{partner.name!r} is not a partner-government organisation")
    row = Founding(
        singleton=1, host_org_id=host.id, partner_org_id=partner.id, founded_at=now, comment=comment
    )
    session.add(row)
    session.flush()
    audit(session, None, "found", row.id, now, host_org_id=host.id, partner_org_id=partner.id)
    return row


def founding_read(session: Session) -> s.FoundingRead:
    """The founding parties as the API shows them."""
    row, core = founding_row(session), founding_of(session)
    if row is None or core is None:
        return s.FoundingRead(founded=False)
    host, partner = session.get(Organization, row.host_org_id), session.get(Organization, row.partner_org_id)
    return s.FoundingRead(
        founded=True,
        host_org_id=row.host_org_id,
        host_name=host.name if host else None,
        partner_org_id=row.partner_org_id,
        partner_name=partner.name if partner else None,
        partner_country=partner.country if partner else None,
        founded_at=row.founded_at,
        recognised_partner_ids=sorted(core.partner_ids),
    )


def refuse_outside_proposals(
    session: Session, *, org_kind: str | None = None, roles: list[str] | None = None, operator: bool = False
) -> None:
    """Forbidden when an organisation or a role that only a proposal grants is asked for directly.

    The operator (CLI on the local database) may set up the parties before the arrangement is founded.
    """
    if operator and founding_row(session) is None:
        return
    if org_kind in rules.GOVERNED_ORG_KINDS:
        raise Forbidden(
            "a partner government is registered only by a proposal both founding parties approve; "
            + PROPOSE_HINT
        )
    if set(roles or ()) & rules.GOVERNED_ROLES:
        raise Forbidden(
            f"the auditor role is granted only by a proposal both founding parties approve; {PROPOSE_HINT}"
        )
