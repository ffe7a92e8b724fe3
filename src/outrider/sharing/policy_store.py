"""Use cases of release policies: propose a version, each founding party approves it, read; never commit.

A policy is agreed like a governance proposal: an administrator of each founding party approves the
SHA-256 of its exact terms (`payload_hash`); the approval that completes the pair makes it the partner's
policy in force and supersedes the one before. Every step goes into the audit chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts.models import Organization
from outrider.audit import service as audit_service
from outrider.audit.canonical_form import canonical_json
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance import rules as governance_rules
from outrider.governance import service as governance_service
from outrider.intel.service import may_review
from outrider.sharing import markings
from outrider.sharing import policy as core
from outrider.sharing import schemas as s
from outrider.sharing.models import SharingPolicy

PROPOSED, AGREED, SUPERSEDED = "proposed", "agreed", "superseded"
PARTIES = tuple(p.value for p in governance_rules.FoundingParty)


def audit(
    session: Session, caller: Caller, action: str, policy_id: int, now: datetime, **details: Any
) -> None:
    """Record a step of a release policy (or a release under it) on the audit chain."""
    audit_service.record(
        session,
        actor=caller,
        action=f"sharing.{action}",
        object_type="sharing_policy",
        object_id=policy_id,
        fields=sorted(details),
        details=details,
        now=now,
    )


def payload_hash(partner_org_id: int, version: int, terms: Mapping[str, Any]) -> str:
    """SHA-256 of the partner, the version and the terms in canonical JSON: what an approval approves."""
    doc = {"partner_org_id": partner_org_id, "version": version, "terms": terms}
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def _party(session: Session, caller: Caller, doing: str) -> tuple[governance_rules.Founding, str]:
    founding = governance_service.founding_of(session)
    party = governance_rules.founding_party(caller, founding)
    if founding is None or party is None:
        raise Forbidden(f"only administrators of the founding parties {doing} release policies")
    return founding, party.value


def propose(
    session: Session,
    *,
    caller: Caller,
    partner_org_id: int,
    terms: Mapping[str, Any],
    comment: str,
    now: datetime,
) -> SharingPolicy:
    """Open the next version of a partner's release policy; it is in force once both parties approved it."""
    founding, party = _party(session, caller, "propose")
    if session.get(Organization, partner_org_id) is None:
        raise InvalidInput(f"partner_org_id: no organisation {partner_org_id}")
    if partner_org_id == founding.host_org_id:
        raise InvalidInput("partner_org_id: the host holds the intelligence; a policy is for a partner")
    doc = core.terms_document(core.terms_of(terms))
    last = session.scalar(
        select(func.max(SharingPolicy.version)).where(SharingPolicy.partner_org_id == partner_org_id)
    )
    version = (last or 0) + 1
    row = SharingPolicy(
        partner_org_id=partner_org_id,
        version=version,
        max_marking=doc["max_marking"],
        object_types=doc["object_types"],
        fields=doc["fields"],
        redactions=doc["redactions"],
        ntk_groups=doc["ntk_groups"],
        anonymise_corroborations=doc["anonymise_corroborations"],
        status=PROPOSED,
        payload_hash=payload_hash(partner_org_id, version, doc),
        approvals={},
        comment=comment,
        created_by=caller.user_id,
        created_at=now,
        agreed_at=None,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        caller,
        "propose",
        row.id,
        now,
        partner=partner_org_id,
        version=version,
        hash=row.payload_hash,
        party=party,
    )
    return row


def approve(
    session: Session, *, caller: Caller, policy_id: int, payload_hash: str, now: datetime
) -> SharingPolicy:
    """Approve a proposed policy for the caller's founding party; the second party's approval agrees it."""
    row = get(session, caller=caller, policy_id=policy_id)
    _, party = _party(session, caller, "approve")
    session.refresh(row, with_for_update=True)  # the two parties' approvals are serialised on the row
    if row.status != PROPOSED:
        raise Conflict(f"policy {policy_id} is {row.status}: only a proposed policy is approved")
    current = agreed(session, partner_org_id=row.partner_org_id)
    if current is not None and current.version > row.version:
        raise Conflict(f"version {current.version} of this partner's policy is in force: propose anew")
    if payload_hash != stored_hash(row):
        raise Conflict(
            "the payload hash is not the hash of this policy's terms: read it again and approve that"
        )
    if party in row.approvals:
        raise Conflict(f"the {party} party has already approved this policy")
    approval = {
        "user_id": caller.user_id,
        "organization_id": caller.organization_id,
        "payload_hash": payload_hash,
    }
    row.approvals = {**row.approvals, party: approval | {"at": now.isoformat()}}
    session.flush()
    audit(session, caller, "approve", row.id, now, hash=payload_hash, party=party)
    if set(row.approvals) >= set(PARTIES):
        _agree(session, caller, row, now)
    return row


def _agree(session: Session, caller: Caller, row: SharingPolicy, now: datetime) -> None:
    for earlier in session.scalars(
        select(SharingPolicy).where(
            SharingPolicy.partner_org_id == row.partner_org_id,
            SharingPolicy.status == AGREED,
            SharingPolicy.id != row.id,
        )
    ):
        earlier.status = SUPERSEDED
    row.status, row.agreed_at = AGREED, now
    session.flush()
    audit(
        session,
        caller,
        "agree",
        row.id,
        now,
        partner=row.partner_org_id,
        version=row.version,
        hash=row.payload_hash,
    )


def document(row: SharingPolicy) -> dict[str, Any]:
    """The stored terms as the canonical document."""
    return {
        "max_marking": row.max_marking,
        "object_types": list(row.object_types),
        "fields": {k: list(v) for k, v in row.fields.items()},
        "redactions": list(row.redactions),
        "anonymise_corroborations": row.anonymise_corroborations,
        "ntk_groups": list(row.ntk_groups),
    }


def stored_hash(row: SharingPolicy) -> str:
    """The hash of the terms as stored now (an altered row no longer matches its approvals)."""
    return payload_hash(row.partner_org_id, row.version, document(row))


def terms(row: SharingPolicy) -> core.Terms:
    """The pure terms of a stored policy."""
    return core.terms_of(document(row))


def may_read(caller: Caller, founding: governance_rules.Founding | None, *, partner_org_id: int) -> bool:
    """Founding admins, auditors and the host's analysts read every policy; a partner's users read theirs."""
    if governance_rules.may_read_proposals(caller, founding) or caller.organization_id == partner_org_id:
        return True
    return founding is not None and caller.organization_id == founding.host_org_id and may_review(caller)


def get(session: Session, *, caller: Caller, policy_id: int) -> SharingPolicy:
    """A policy the caller may read; NotFound for everyone else (ids reveal nothing)."""
    row = session.get(SharingPolicy, policy_id)
    founding = governance_service.founding_of(session)
    if row is None or not may_read(caller, founding, partner_org_id=row.partner_org_id):
        raise NotFound(f"release policy {policy_id} not found")
    return row


def listing(session: Session, *, caller: Caller, partner_org_id: int | None = None) -> list[SharingPolicy]:
    """The policies the caller may read, by partner and version."""
    founding = governance_service.founding_of(session)
    stmt = select(SharingPolicy).order_by(SharingPolicy.partner_org_id, SharingPolicy.version)
    if partner_org_id is not None:
        stmt = stmt.where(SharingPolicy.partner_org_id == partner_org_id)
    return [r for r in session.scalars(stmt) if may_read(caller, founding, partner_org_id=r.partner_org_id)]


def agreed(session: Session, *, partner_org_id: int) -> SharingPolicy | None:
    """The partner's policy in force, if both parties agreed one."""
    return session.scalar(
        select(SharingPolicy).where(
            SharingPolicy.partner_org_id == partner_org_id, SharingPolicy.status == AGREED
        )
    )


def max_marking(row: SharingPolicy) -> markings.Tlp:
    """The highest marking the policy releases."""
    return markings.parse(row.max_marking)


def read(row: SharingPolicy) -> s.PolicyRead:
    """The API shape of a release policy."""
    return s.PolicyRead(
        **document(row),
        id=row.id,
        partner_org_id=row.partner_org_id,
        version=row.version,
        status=row.status,  # type: ignore[arg-type]
        payload_hash=stored_hash(row),
        approvals={k: s.Approval(**v) for k, v in sorted(row.approvals.items())},
        awaiting=[p for p in PARTIES if p not in row.approvals] if row.status == "proposed" else [],
        comment=row.comment,
        created_by=row.created_by,
        created_at=row.created_at,
        agreed_at=row.agreed_at,
    )
