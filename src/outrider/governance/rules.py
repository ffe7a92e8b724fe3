"""Joint governance as a pure core: who may propose and approve what, and when a proposal takes effect.

The joint arrangement has two founding parties, one host-security organisation and one partner
government, fixed when it is founded. What the two agreed (the arrangement, protocol party bindings,
new partner governments, auditor appointments) changes only through a proposal that an administrator
of each founding party approved, each approval naming the hash of the exact payload it approved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from outrider.access.policy import Caller
from outrider.errors import Conflict, Forbidden, RuleViolation
from outrider.signatures import ed25519_valid


class Kind(StrEnum):
    """What a proposal changes."""

    arrangement = "arrangement"  # a new version of the joint arrangement
    protocol_binding = "protocol_binding"  # a protocol version's parties bound to other organisations
    partner = "partner"  # a new partner-government organisation
    auditor = "auditor"  # the auditor role for a user


class State(StrEnum):
    """Where a proposal stands; expired is an open proposal seen after its expiry."""

    open = "open"
    enacted = "enacted"
    rejected = "rejected"
    withdrawn = "withdrawn"
    expired = "expired"


class FoundingParty(StrEnum):
    """The two founding parties of the joint arrangement."""

    host = "host"
    partner = "partner"


DEFAULT_TTL = timedelta(days=14)
MAX_TTL_DAYS = 90
ADMIN = "admin"
HOST_APPROVERS = frozenset({"admin", "duty_officer"})
PARTNER_APPROVERS = frozenset({"admin", "liaison"})
# Granted only through an enacted proposal, never directly (accounts API, web, operator CLI once founded).
GOVERNED_ROLES = frozenset({"auditor"})
GOVERNED_ORG_KINDS = frozenset({"partner_government"})


@dataclass(frozen=True, slots=True)
class Founding:
    """The founding parties and the partner governments recognised since (by enacted proposals)."""

    host_org_id: int
    partner_org_id: int
    other_partner_ids: frozenset[int] = frozenset()

    @property
    def partner_ids(self) -> frozenset[int]:
        """Every partner government that approves for its nationals."""
        return self.other_partner_ids | {self.partner_org_id}


def payload_hash(kind: Kind, payload: Mapping[str, Any]) -> str:
    """SHA-256 of the kind and the payload in canonical JSON: what an approval approves."""
    canonical = json.dumps(
        {"kind": kind.value, "payload": payload}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# An approval may be signed with the approver's registered Ed25519 key (the one they sign protocols with);
# the prefix keeps a governance signature from ever passing for a protocol signature and back.
APPROVAL_PREFIX = b"outrider.governance.v1:"


def approval_message(approved_hash: str) -> bytes:
    """The bytes an approver signs: the prefix and the payload hash."""
    return APPROVAL_PREFIX + approved_hash.encode("ascii")


def verify_approval(public_key: bytes, approved_hash: str, signature: bytes) -> bool:
    """True when ``signature`` is the key's Ed25519 signature of the approval of this payload hash."""
    return ed25519_valid(public_key, approval_message(approved_hash), signature)


def founding_party(caller: Caller, founding: Founding | None) -> FoundingParty | None:
    """The founding party an administrator acts for, if the caller is one."""
    if founding is None or ADMIN not in caller.roles:
        return None
    if caller.organization_id == founding.host_org_id:
        return FoundingParty.host
    if caller.organization_id == founding.partner_org_id:
        return FoundingParty.partner
    return None


def may_propose(caller: Caller, founding: Founding | None) -> bool:
    """Only administrators of a founding party propose."""
    return founding_party(caller, founding) is not None


def may_decide(caller: Caller, founding: Founding | None) -> bool:
    """Only administrators of a founding party approve or reject (each for their own party)."""
    return founding_party(caller, founding) is not None


def may_read_proposals(caller: Caller, founding: Founding | None) -> bool:
    """Founding parties' administrators and auditors read proposals; nobody else learns of them."""
    return founding_party(caller, founding) is not None or "auditor" in caller.roles


def may_withdraw(caller: Caller, founding: Founding | None, *, proposer_party: FoundingParty) -> bool:
    """An administrator of the proposing party withdraws its proposal."""
    return founding_party(caller, founding) == proposer_party


def may_read_founding(caller: Caller, founding: Founding | None) -> bool:
    """Who founded the arrangement is no secret between signed-in users."""
    return True


def speaks_for(caller: Caller, founding: Founding | None, *, org_kind: str) -> str | None:
    """None when the caller may give the approval of a party of this kind; else why not."""
    if org_kind == "host_security":
        if founding is None:
            return "the joint arrangement has not been founded: no organisation gives the host approval"
        if caller.organization_id != founding.host_org_id or not caller.roles & HOST_APPROVERS:
            return "only the founding host-security organisation gives the host approval"
    elif org_kind == "partner_government":
        if founding is None:
            return "the joint arrangement has not been founded: no partner government approves yet"
        if caller.organization_id not in founding.partner_ids or not caller.roles & PARTNER_APPROVERS:
            return "only a partner government recognised by both founding parties approves for its nationals"
    return None


def may_give_host_approval(caller: Caller, founding: Founding | None) -> bool:
    """The founding host-security organisation's admins and duty officers give the host approval."""
    return (
        caller.org_kind == "host_security" and speaks_for(caller, founding, org_kind="host_security") is None
    )


def may_give_partner_approval(caller: Caller, founding: Founding | None) -> bool:
    """A recognised partner government's admins and liaisons approve for its nationals."""
    return (
        caller.org_kind == "partner_government"
        and speaks_for(caller, founding, org_kind="partner_government") is None
    )


def may_create_governed_org_directly(caller: Caller, founding: Founding | None) -> bool:
    """Nobody registers a partner government outside the proposal path."""
    return False


def may_grant_governed_role_directly(caller: Caller, founding: Founding | None) -> bool:
    """Nobody grants the auditor role outside the proposal path."""
    return False


def may_load_protocol_for_founders(caller: Caller, founding: Founding | None) -> bool:
    """Founding administrators load a protocol version bound to the founding parties (and supersede one)."""
    return founding_party(caller, founding) is not None


def binding_needs_proposal(founding: Founding, party_org_ids: frozenset[int]) -> bool:
    """A binding to any organisation other than the founding parties needs an enacted proposal."""
    return not party_org_ids <= {founding.host_org_id, founding.partner_org_id}


# The doc's "who can do what" table names these actions; a test checks every cell against them.
ACTIONS: dict[str, Callable[[Caller, Founding | None], bool]] = {
    "read the founding parties": may_read_founding,
    "read proposals": may_read_proposals,
    "propose a change": may_propose,
    "approve or reject a proposal for their party": may_decide,
    "load or supersede a protocol version bound to the founding parties": may_load_protocol_for_founders,
    "give the host approval of a movement": may_give_host_approval,
    "give the partner approval for its nationals": may_give_partner_approval,
    "register a partner government directly": may_create_governed_org_directly,
    "grant the auditor role directly": may_grant_governed_role_directly,
}


# --- the proposal state machine ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the rules need to know about one proposal."""

    kind: Kind
    payload_hash: str  # recomputed from the stored payload: an altered payload voids earlier approvals
    proposer_party: FoundingParty
    expires_at: datetime
    state: State = State.open
    approvals: Mapping[FoundingParty, str] = field(default_factory=dict)  # party -> hash approved


def state_at(proposal: Proposal, now: datetime) -> State:
    """The proposal's state seen at ``now`` (an open one past its expiry is expired)."""
    if proposal.state is State.open and now >= proposal.expires_at:
        return State.expired
    return proposal.state


def valid_approvals(proposal: Proposal) -> frozenset[FoundingParty]:
    """The parties whose approval names the payload as it is now."""
    return frozenset(p for p, h in proposal.approvals.items() if h == proposal.payload_hash)


def awaiting(proposal: Proposal) -> list[FoundingParty]:
    """Founding parties whose valid approval is still missing."""
    have = valid_approvals(proposal)
    return [p for p in FoundingParty if p not in have]


def is_enacted(proposal: Proposal) -> bool:
    """Every founding party approved the exact payload."""
    return not awaiting(proposal)


def _open(proposal: Proposal, now: datetime) -> None:
    state = state_at(proposal, now)
    if state is not State.open:
        raise Conflict(f"the proposal is {state.value}; only an open proposal can change")


def approve(proposal: Proposal, *, party: FoundingParty, approved_hash: str, now: datetime) -> Proposal:
    """Record a party's approval of the payload with this hash; enacted when both approved it."""
    _open(proposal, now)
    if approved_hash != proposal.payload_hash:
        raise RuleViolation(
            "the payload hash you approve is not the proposal's; "
            "read the proposal again and approve what it says"
        )
    if party in valid_approvals(proposal):
        raise Conflict(f"the {party.value} party has already approved this proposal")
    new = replace(proposal, approvals={**proposal.approvals, party: approved_hash})
    return replace(new, state=State.enacted) if is_enacted(new) else new


def reject(proposal: Proposal, *, party: FoundingParty, now: datetime) -> Proposal:
    """One founding party's rejection ends the proposal."""
    _open(proposal, now)
    return replace(proposal, state=State.rejected)


def withdraw(proposal: Proposal, *, party: FoundingParty, now: datetime) -> Proposal:
    """The proposing party takes its proposal back."""
    _open(proposal, now)
    if party != proposal.proposer_party:
        raise Forbidden("only the proposing party withdraws a proposal")
    return replace(proposal, state=State.withdrawn)
