"""The lifecycle state machine, by examples and by random sequences of operations."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.errors import RuleViolation
from outrider.movements.lifecycle import (
    TERMINAL,
    MovementState,
    Op,
    Operation,
    Party,
    Status,
    apply,
)

HOST = Party("host_security")
CN = Party("partner_government", "CN")
TR = Party("partner_government", "TR")
BASE = MovementState(requesting_org_id=7, required=frozenset({HOST, CN}))


def run(state: MovementState, *ops: Operation) -> MovementState:
    for op in ops:
        state = apply(state, op)
    return state


def approve(party: Party, org: int = 1) -> Operation:
    return Operation(Op.approve, party=party, actor_org_id=org)


def test_happy_path_to_arrival() -> None:
    s = run(BASE, Operation(Op.submit), approve(HOST), Operation(Op.assign_escort))
    assert s.status is Status.submitted  # one party still to approve
    s = run(s, approve(CN, org=2))
    assert s.status is Status.approved and s.approved_version == 1
    s = run(s, Operation(Op.depart), Operation(Op.checkin), Operation(Op.arrive))
    assert s.status is Status.arrived


def test_no_departure_without_escort_when_required() -> None:
    s = run(BASE, Operation(Op.submit), approve(HOST), approve(CN, 2))
    with pytest.raises(RuleViolation, match="escort unit"):
        apply(s, Operation(Op.depart))
    relaxed = replace(s, escort_required=False)
    assert apply(relaxed, Operation(Op.depart)).status is Status.under_way


def test_departure_needs_approval() -> None:
    s = run(BASE, Operation(Op.submit), approve(HOST))
    with pytest.raises(RuleViolation, match="cannot depart a movement that is submitted"):
        apply(s, Operation(Op.depart))


def test_amending_an_approved_plan_needs_reapproval() -> None:
    s = run(BASE, Operation(Op.submit), approve(HOST), approve(CN, 2), Operation(Op.assign_escort))
    s = apply(s, Operation(Op.amend))
    assert s.status is Status.submitted and s.approvals == frozenset() and s.plan_version == 2
    with pytest.raises(RuleViolation):
        apply(s, Operation(Op.depart))
    s = run(s, approve(HOST), approve(CN, 2), Operation(Op.depart))
    assert s.status is Status.under_way


def test_only_required_parties_approve_and_only_once() -> None:
    s = apply(BASE, Operation(Op.submit))
    with pytest.raises(RuleViolation, match=r"partner_government \(TR\) is not an approving party"):
        apply(s, approve(TR))
    s = apply(s, approve(HOST))
    with pytest.raises(RuleViolation, match="already approved"):
        apply(s, approve(HOST))


def test_self_approval_is_refused_unless_allowed() -> None:
    s = apply(BASE, Operation(Op.submit))
    with pytest.raises(RuleViolation, match="its own request"):
        apply(s, approve(HOST, org=7))
    allowed = replace(s, allow_self_approval=True)
    assert HOST in apply(allowed, approve(HOST, org=7)).approvals


def test_overdue_and_back() -> None:
    s = run(replace(BASE, escort_required=False), Operation(Op.submit), approve(HOST), approve(CN, 2))
    s = run(s, Operation(Op.depart), Operation(Op.mark_overdue))
    assert s.status is Status.overdue
    assert apply(s, Operation(Op.checkin)).status is Status.under_way
    assert apply(s, Operation(Op.duress)).status is Status.incident


def test_request_changes_returns_the_plan_to_draft() -> None:
    s = run(BASE, Operation(Op.submit), approve(HOST))
    s = apply(s, Operation(Op.request_changes, party=CN, actor_org_id=2))
    assert s.status is Status.draft and not s.approvals


def test_submit_needs_an_approving_party() -> None:
    with pytest.raises(RuleViolation, match="no approving party"):
        apply(MovementState(), Operation(Op.submit))


PARTIES = [HOST, CN, TR]
operations = st.one_of(
    st.sampled_from(
        [Op.submit, Op.amend, Op.depart, Op.checkin, Op.mark_overdue, Op.duress, Op.arrive, Op.cancel]
    ).map(lambda op: Operation(op)),
    st.builds(
        Operation,
        op=st.sampled_from([Op.approve, Op.reject, Op.request_changes]),
        party=st.sampled_from(PARTIES),
        actor_org_id=st.sampled_from([1, 2, 7]),
    ),
    st.builds(Operation, op=st.just(Op.assign_escort), escort_assigned=st.booleans()),
)


@settings(max_examples=300)
@given(ops=st.lists(operations, max_size=30), escort_required=st.booleans(), self_ok=st.booleans())
def test_invariants_hold_for_any_sequence(ops: list[Operation], escort_required: bool, self_ok: bool) -> None:
    state = replace(BASE, escort_required=escort_required, allow_self_approval=self_ok)
    departed_with: MovementState | None = None
    for op in ops:
        before = state
        try:
            state = apply(state, op)
        except RuleViolation:
            assert state == before  # a refused operation changes nothing
            continue
        if before.status in TERMINAL:
            raise AssertionError(f"{op.op} changed a terminal movement")
        if before.status is Status.approved and state.status is Status.under_way:
            departed_with = before
        # approvals only ever name required parties
        assert state.approvals <= state.required
        if state.status is Status.approved:
            assert state.approvals == state.required
            assert state.approved_version == state.plan_version
    if departed_with is not None:
        assert departed_with.approvals == departed_with.required
        assert departed_with.approved_version == departed_with.plan_version
        assert departed_with.escort_assigned or not departed_with.escort_required
