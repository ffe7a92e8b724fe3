"""Use cases of joint governance: found once, propose, approve, reject, withdraw, enact; never commit.

Every step goes into the audit chain. A proposal is enacted inside the transaction of the approval
that completes it, so the change and the last approval are kept together or not at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import Organization, User
from outrider.accounts.schemas import OrganizationCreate, OrgKind
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.governance import rules
from outrider.governance import schemas as s

# The founding functions are part of this service's face (re-exported with `as`).
from outrider.governance.founding import PROPOSE_HINT, audit
from outrider.governance.founding import found as found
from outrider.governance.founding import founding_of as founding_of
from outrider.governance.founding import founding_read as founding_read
from outrider.governance.founding import founding_row as founding_row
from outrider.governance.founding import refuse_outside_proposals as refuse_outside_proposals
from outrider.governance.models import Proposal, ProposalDecision
from outrider.governance.rules import FoundingParty, Kind, State
from outrider.movements import arrangement_store
from outrider.shapes import read_of

# --- proposals ----------------------------------------------------------------------------------------


def _core(row: Proposal) -> rules.Proposal:
    kind = Kind(row.kind)
    return rules.Proposal(
        kind=kind,
        payload_hash=rules.payload_hash(kind, row.payload),
        proposer_party=FoundingParty(row.proposer_party),
        expires_at=row.expires_at,
        state=State(row.state),
        approvals={FoundingParty(d.party): d.payload_hash for d in row.decisions if d.decision == "approve"},
    )


def _normal_payload(session: Session, kind: Kind, payload: Mapping[str, Any]) -> dict[str, Any]:
    try:
        model = s.PAYLOADS[kind].model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"payload.{where}: {first['msg']}") from None
    data = model.model_dump(mode="json")
    if isinstance(model, s.ArrangementPayload):
        data["document"] = arrangement_store.validated_arrangement(model.document)
    elif isinstance(model, s.PartnerPayload):
        if session.scalar(select(Organization.id).where(Organization.name == model.name)) is not None:
            raise Conflict(f"an organisation named {model.name!r} already exists")
    elif isinstance(model, s.AuditorPayload):
        user = session.get(User, model.user_id)
        if user is None:
            raise InvalidInput(f"payload.user_id: no user {model.user_id}")
    elif isinstance(model, s.ProtocolBindingPayload):
        for party, org_id in model.parties.items():
            if session.get(Organization, org_id) is None:
                raise InvalidInput(f"payload.parties.{party}: no organisation {org_id}")
    return data


def _require_party(session: Session, caller: Caller, what: str) -> tuple[rules.Founding, FoundingParty]:
    founding = founding_of(session)
    if founding is None:
        raise Conflict("the joint arrangement has not been founded: `outrider governance found` first")
    party = rules.founding_party(caller, founding)
    if party is None:
        raise Forbidden(f"only administrators of the founding parties {what}")
    return founding, party


def propose(
    session: Session,
    *,
    caller: Caller,
    kind: Kind,
    payload: Mapping[str, Any],
    comment: str = "",
    ttl: timedelta = rules.DEFAULT_TTL,
    now: datetime,
) -> Proposal:
    """Open a proposal; it takes effect only when both founding parties approved its exact payload."""
    _, party = _require_party(session, caller, "propose changes to what they agreed")
    data = _normal_payload(session, kind, payload)
    row = Proposal(
        kind=kind.value,
        payload=data,
        payload_hash=rules.payload_hash(kind, data),
        comment=comment,
        state=State.open.value,
        proposer_party=party.value,
        proposed_by=caller.user_id,
        created_at=now,
        expires_at=now + ttl,
        closed_at=None,
        result={},
    )
    session.add(row)
    session.flush()
    audit(session, caller, "propose", row.id, now, kind=kind.value, hash=row.payload_hash, party=party.value)
    return row


def propose_arrangement(
    session: Session, *, caller: Caller, document: Mapping[str, Any], comment: str, now: datetime
) -> Proposal:
    """Open a proposal of a new version of the joint arrangement: the document and why it changes."""
    payload = {"document": document, "comment": comment}
    return propose(session, caller=caller, kind=Kind.arrangement, payload=payload, comment=comment, now=now)


def get_proposal(session: Session, *, caller: Caller, proposal_id: int) -> Proposal:
    """A proposal the caller may read; NotFound for everyone else (ids reveal nothing)."""
    row = session.get(Proposal, proposal_id)
    if row is None or not rules.may_read_proposals(caller, founding_of(session)):
        raise NotFound(f"proposal {proposal_id} not found")
    return row


def list_proposals(
    session: Session, *, caller: Caller, state: State | None = None, now: datetime
) -> list[Proposal]:
    """Proposals, newest first, optionally in one state (as seen at ``now``)."""
    if not rules.may_read_proposals(caller, founding_of(session)):
        raise Forbidden("proposals are for the founding parties' administrators and auditors")
    rows = list(session.scalars(select(Proposal).order_by(Proposal.id.desc())))
    if state is None:
        return rows
    return [r for r in rows if rules.state_at(_core(r), now) is state]


def proposal_read(row: Proposal, *, now: datetime) -> s.ProposalRead:
    """The API shape of a proposal (state as seen now, approvals checked against the payload)."""
    core = _core(row)
    return read_of(
        s.ProposalRead,
        row,
        kind=core.kind,
        state=rules.state_at(core, now),
        payload_hash=core.payload_hash,
        decisions=[
            s.DecisionRead.model_validate(d).model_copy(
                update={"valid": d.payload_hash == core.payload_hash, "signature_verified": _signed_ok(d)}
            )
            for d in row.decisions
        ],
        awaiting=[p.value for p in rules.awaiting(core)] if core.state is State.open else [],
        result=row.result or {},
    )


def _signed_ok(d: ProposalDecision) -> bool | None:
    if not d.public_key or not d.signature:
        return None
    return rules.verify_approval(bytes.fromhex(d.public_key), d.payload_hash, bytes.fromhex(d.signature))


def _decision(
    row: Proposal,
    caller: Caller,
    party: FoundingParty,
    decision: str,
    hash_: str,
    comment: str,
    now: datetime,
    signed: tuple[bytes, bytes] | None = None,
) -> None:
    row.decisions.append(
        ProposalDecision(
            party=party.value,
            decision=decision,
            organization_id=caller.organization_id,
            user_id=caller.user_id,
            payload_hash=hash_,
            public_key=signed[0].hex() if signed else None,
            signature=signed[1].hex() if signed else None,
            comment=comment,
            at=now,
        )
    )


def approve(
    session: Session,
    *,
    caller: Caller,
    proposal_id: int,
    payload_hash: str,
    comment: str = "",
    signed: tuple[bytes, bytes] | None = None,
    now: datetime,
) -> Proposal:
    """Approve for the caller's founding party; the approval that completes it enacts the proposal.

    ``signed`` is (public key, signature) of the approval; the face has checked that the key is one of
    the caller's registered, unrevoked signing keys, the signature is checked here.
    """
    row, party = _proposal_and_party(session, caller, proposal_id, "approve")
    new = rules.approve(_core(row), party=party, approved_hash=payload_hash, now=now)
    if signed is not None and not rules.verify_approval(signed[0], payload_hash, signed[1]):
        raise InvalidInput("the signature is not this key's signature of the approval of this payload hash")
    # An approval of a payload that is no longer the stored one is void; it stays in the audit chain and
    # gives way to the new one (the rules refused a second valid approval already).
    for void in [d for d in row.decisions if d.party == party.value]:
        row.decisions.remove(void)
    session.flush()
    _decision(row, caller, party, "approve", payload_hash, comment, now, signed)
    session.flush()
    details: dict[str, Any] = {"hash": payload_hash, "party": party.value}
    if signed is not None:
        details["fingerprint"] = hashlib.sha256(signed[0]).hexdigest()[:16]
    audit(session, caller, "approve", row.id, now, **details)
    if new.state is State.enacted:
        row.result = _enact(session, row, caller=caller, now=now)
        row.state = State.enacted.value
        row.closed_at = now
        session.flush()
        audit(session, caller, "enact", row.id, now, kind=row.kind, hash=payload_hash, result=row.result)
    return row


def reject(
    session: Session, *, caller: Caller, proposal_id: int, comment: str = "", now: datetime
) -> Proposal:
    """Reject for the caller's founding party: the proposal ends."""
    row, party = _proposal_and_party(session, caller, proposal_id, "reject")
    core = _core(row)
    rules.reject(core, party=party, now=now)
    if party in rules.valid_approvals(core):
        raise Conflict(f"the {party.value} party has already approved this proposal")
    _decision(row, caller, party, "reject", core.payload_hash, comment, now)
    return _close(session, row, caller, party, "reject", State.rejected, comment, now)


def withdraw(
    session: Session, *, caller: Caller, proposal_id: int, comment: str = "", now: datetime
) -> Proposal:
    """The proposing party takes its open proposal back."""
    row, party = _proposal_and_party(session, caller, proposal_id, "withdraw")
    rules.withdraw(_core(row), party=party, now=now)
    return _close(session, row, caller, party, "withdraw", State.withdrawn, comment, now)


def _proposal_and_party(
    session: Session, caller: Caller, proposal_id: int, doing: str
) -> tuple[Proposal, FoundingParty]:
    row = get_proposal(session, caller=caller, proposal_id=proposal_id)
    _, party = _require_party(session, caller, f"{doing} proposals")
    return row, party


def _close(
    session: Session,
    row: Proposal,
    caller: Caller,
    party: FoundingParty,
    action: str,
    state: State,
    comment: str,
    now: datetime,
) -> Proposal:
    row.state, row.closed_at = state.value, now
    session.flush()
    audit(session, caller, action, row.id, now, party=party.value, comment=comment)
    return row


def _enact(session: Session, row: Proposal, *, caller: Caller, now: datetime) -> dict[str, Any]:
    kind, payload = Kind(row.kind), row.payload
    if kind is Kind.arrangement:
        stored = arrangement_store.store_arrangement(
            session,
            document=payload["document"],
            comment=payload.get("comment") or f"proposal {row.id}",
            created_by=row.proposed_by,
            now=now,
        )
        return {"arrangement_version": stored.version}
    if kind is Kind.partner:
        org = accounts_service.create_organization(
            session,
            data=OrganizationCreate(
                name=payload["name"], kind=OrgKind.partner_government, country=payload["country"]
            ),
            now=now,
        )
        return {"organization_id": org.id}
    if kind is Kind.auditor:
        user = accounts_service.get_user(session, user_id=int(payload["user_id"]))
        user.roles = sorted({*user.roles, "auditor"})
        session.flush()
        return {"user_id": user.id, "roles": user.roles}
    # A protocol binding takes effect when the version is loaded with exactly this binding.
    return {"binding": "allowed"}


# --- what other domains ask ---------------------------------------------------------------------------


def default_party_orgs(session: Session, parties: tuple[str, ...]) -> dict[str, int]:
    """Protocol parties named after the founding kinds bind to the founding parties."""
    row = founding_row(session)
    if row is None:
        return {}
    found: dict[str, int] = {}
    for party in parties:
        name = re.sub(r"[^a-z0-9]+", "_", party.lower())  # host-security-force -> host_security_force
        if name.startswith("host_security"):
            found[party] = row.host_org_id
        elif name.startswith("partner_government"):
            found[party] = row.partner_org_id
    return found


def check_protocol_load(
    session: Session,
    *,
    caller: Caller,
    protocol_id: str,
    version: int,
    document_hash: str,
    parties: Mapping[str, int],
    supersedes_agreed: bool,
) -> None:
    """Forbidden unless the binding is the founding parties' (or enacted) and the loader may load it."""
    founding = founding_of(session)
    if founding is None:
        raise Conflict("the joint arrangement has not been founded: no protocol version can be bound yet")
    if supersedes_agreed and not rules.may_load_protocol_for_founders(caller, founding):
        raise Forbidden("only administrators of the founding parties replace an agreed protocol")
    if not rules.binding_needs_proposal(founding, frozenset(parties.values())):
        return
    wanted = rules.payload_hash(
        Kind.protocol_binding,
        {
            "protocol_id": protocol_id,
            "version": version,
            "document_hash": document_hash,
            "parties": dict(parties),
        },
    )
    enacted = session.scalars(
        select(Proposal).where(
            Proposal.kind == Kind.protocol_binding.value, Proposal.state == State.enacted.value
        )
    )
    if not any(rules.payload_hash(Kind.protocol_binding, p.payload) == wanted for p in enacted):
        raise Forbidden(
            "this version binds its parties to organisations other than the founding parties; "
            f"that binding needs a protocol_binding proposal both founding parties approved ({PROPOSE_HINT})"
        )


# Movements ask this when a movement is decided; governance sits above them, so `outrider.compose`
# registers it with the movement gates.
def party_authority(session: Session, *, caller: Caller, org_kind: str, country: str | None) -> str | None:
    """Why the caller may not speak for this party under the founding (None when they may)."""
    return rules.speaks_for(caller, founding_of(session), org_kind=org_kind)
