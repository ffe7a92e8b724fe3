"""The governance core: who proposes and approves, and when a proposal is enacted (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.access.policy import Caller
from outrider.errors import Conflict, Forbidden, RuleViolation
from outrider.governance import rules
from outrider.governance.rules import Founding, FoundingParty, Kind, Proposal, State

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
FOUNDING = Founding(host_org_id=1, partner_org_id=2, other_partner_ids=frozenset({5}))
ROLES = ["admin", "coordinator", "duty_officer", "liaison", "analyst", "auditor"]
KINDS = {
    1: "host_security",
    2: "partner_government",
    3: "company",
    4: "host_security",
    5: "partner_government",
}


def who(org: int, *roles: str) -> Caller:
    return Caller(
        user_id=org * 10, organization_id=org, org_kind=KINDS[org], country="PK", roles=frozenset(roles)
    )


def proposal() -> Proposal:
    return Proposal(
        kind=Kind.arrangement,
        payload_hash=rules.payload_hash(Kind.arrangement, {"document": {}}),
        proposer_party=FoundingParty.host,
        expires_at=NOW + timedelta(days=14),
    )


callers = st.builds(
    lambda org, roles: who(org, *roles),
    st.sampled_from(sorted(KINDS)),
    st.frozensets(st.sampled_from(ROLES), max_size=3),
)


@given(callers)
def test_only_founding_administrators_propose_and_decide(caller: Caller) -> None:
    founder = "admin" in caller.roles and caller.organization_id in (1, 2)
    assert rules.may_propose(caller, FOUNDING) is founder
    assert rules.may_decide(caller, FOUNDING) is founder
    assert rules.may_propose(caller, None) is False  # nothing to propose to before the founding


@given(callers)
def test_host_approval_comes_from_the_founding_host_only(caller: Caller) -> None:
    refusal = rules.speaks_for(caller, FOUNDING, org_kind="host_security")
    assert (refusal is None) is (
        caller.organization_id == 1 and bool(caller.roles & {"admin", "duty_officer"})
    )
    partner = rules.speaks_for(caller, FOUNDING, org_kind="partner_government")
    assert (partner is None) is (
        caller.organization_id in (2, 5) and bool(caller.roles & {"admin", "liaison"})
    )
    assert rules.speaks_for(caller, None, org_kind="host_security") is not None


@given(
    st.lists(
        st.tuples(st.sampled_from(list(FoundingParty)), st.booleans()),
        max_size=4,
    )
)
def test_enacted_exactly_when_both_parties_approved_the_current_payload(
    steps: list[tuple[FoundingParty, bool]],
) -> None:
    p = proposal()
    approved: set[FoundingParty] = set()
    for party, right_hash in steps:
        given_hash = p.payload_hash if right_hash else "0" * 64
        try:
            p = rules.approve(p, party=party, approved_hash=given_hash, now=NOW)
        except (RuleViolation, Conflict):
            assert not right_hash or party in approved or p.state is not State.open
            continue
        approved.add(party)
    assert (p.state is State.enacted) is (approved == set(FoundingParty))


def test_an_altered_payload_voids_earlier_approvals() -> None:
    p = rules.approve(proposal(), party=FoundingParty.host, approved_hash=proposal().payload_hash, now=NOW)
    altered = replace(p, payload_hash=rules.payload_hash(Kind.arrangement, {"document": {"x": 1}}))
    assert rules.valid_approvals(altered) == frozenset()
    assert rules.awaiting(altered) == [FoundingParty.host, FoundingParty.partner]
    with pytest.raises(RuleViolation):
        rules.approve(altered, party=FoundingParty.partner, approved_hash=p.payload_hash, now=NOW)


def test_expired_rejected_and_withdrawn_proposals_cannot_change() -> None:
    late = NOW + timedelta(days=15)
    assert rules.state_at(proposal(), late) is State.expired
    with pytest.raises(Conflict, match="expired"):
        rules.approve(proposal(), party=FoundingParty.host, approved_hash=proposal().payload_hash, now=late)
    rejected = rules.reject(proposal(), party=FoundingParty.partner, now=NOW)
    with pytest.raises(Conflict, match="rejected"):
        rules.approve(rejected, party=FoundingParty.host, approved_hash=rejected.payload_hash, now=NOW)
    with pytest.raises(Forbidden):
        rules.withdraw(proposal(), party=FoundingParty.partner, now=NOW)
    assert rules.withdraw(proposal(), party=FoundingParty.host, now=NOW).state is State.withdrawn


def test_payload_hash_is_canonical_and_names_the_kind() -> None:
    a = rules.payload_hash(Kind.partner, {"name": "X", "country": "DE"})
    assert a == rules.payload_hash(Kind.partner, {"country": "DE", "name": "X"})
    assert a != rules.payload_hash(Kind.auditor, {"name": "X", "country": "DE"})


def test_a_binding_to_other_organisations_needs_a_proposal() -> None:
    assert not rules.binding_needs_proposal(FOUNDING, frozenset({1, 2}))
    assert rules.binding_needs_proposal(FOUNDING, frozenset({3, 4}))
    assert rules.binding_needs_proposal(FOUNDING, frozenset({1, 3}))
