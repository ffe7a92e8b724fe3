"""The alert lifecycle's pure rules: any sequence of acknowledge, assign, progress, escalate, expire, resolve
and reopen at any pace never reaches an impossible state, and what a state refuses is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from outrider.alerts.lifecycle import (
    MOVES,
    Act,
    Standing,
    State,
    after,
    apply,
    consistent,
    lapsed,
    refusal,
    state_of,
)

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
OPEN = Standing(None, None)


class Lifecycle(RuleBasedStateMachine):
    """An alert's columns under random acts at a random pace, against the lifecycle's own rules."""

    def __init__(self) -> None:
        super().__init__()
        self.standing = OPEN
        self.now = T0
        self.timeout = timedelta(minutes=30)

    @rule(act=st.sampled_from(list(Act)), minutes=st.integers(0, 90), timeout=st.integers(1, 60))
    def act(self, act: Act, minutes: int, timeout: int) -> None:
        self.now += timedelta(minutes=minutes)
        self.timeout = timedelta(minutes=timeout)
        state = state_of(self.standing)
        if refusal(state, act) is not None or (act is Act.expire and not lapsed(self.standing, self.now)):
            with pytest.raises(ValueError, match=r"not possible|time for progress"):
                apply(self.standing, act, now=self.now, timeout=self.timeout)
            return
        before = self.standing
        self.standing = apply(before, act, now=self.now, timeout=self.timeout)
        assert state_of(self.standing) is after(state, act)
        if act is Act.progress and state is State.acknowledged:
            assert self.standing.ack_expires_at == self.now + self.timeout  # progress buys time again
        if act is Act.resolve:
            assert self.standing.resolved_at == self.now

    @invariant()
    def never_impossible(self) -> None:
        assert consistent(self.standing), self.standing

    @invariant()
    def an_acknowledgement_lapses_only_when_due(self) -> None:
        if lapsed(self.standing, self.now):
            assert self.standing.ack_expires_at is not None and self.standing.ack_expires_at <= self.now


TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)


@given(st.sampled_from(list(State)), st.sampled_from(list(Act)))
def test_every_act_is_allowed_or_refused_with_a_reason(state: State, act: Act) -> None:
    why = refusal(state, act)
    assert (why is None) == (act in MOVES[state])
    if why is not None:
        with pytest.raises(ValueError, match=r"not possible|time for progress"):
            after(state, act)


def test_a_resolved_alert_allows_only_reopening_and_an_open_one_cannot_expire() -> None:
    assert set(MOVES[State.resolved]) == {Act.reopen}
    assert refusal(State.open, Act.expire) == "is not acknowledged"
    assert refusal(State.acknowledged, Act.acknowledge) == "is already acknowledged"
    assert refusal(State.open, Act.reopen) == "is not resolved"


def test_an_acknowledgement_expires_at_its_deadline_not_before() -> None:
    acked = apply(OPEN, Act.acknowledge, now=T0, timeout=timedelta(minutes=30))
    assert acked.ack_expires_at == T0 + timedelta(minutes=30)
    with pytest.raises(ValueError, match=r"not possible|time for progress"):
        apply(acked, Act.expire, now=T0 + timedelta(minutes=29), timeout=timedelta(minutes=30))
    assert apply(acked, Act.expire, now=T0 + timedelta(minutes=30), timeout=timedelta(minutes=30)) == OPEN
