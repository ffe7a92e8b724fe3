"""Escalation policies, the pure core: validation with every problem beside its field, the choice of policy
for an alert, the resolution into a frozen plan, and which steps are due when (rounds and restarts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.errors import InvalidInput
from outrider.notify.policies import (
    Candidate,
    choose,
    due_calls,
    from_arrangement,
    resolve,
    restart,
    round_minutes,
    validate,
)

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def step(minutes: int, *targets: dict[str, Any], channels: tuple[str, ...] = ("email",)) -> dict[str, Any]:
    return {
        "after_minutes": minutes,
        "channels": list(channels),
        "targets": list(targets) or [{"role": "admin"}],
    }


def problems(steps: Any, repeat: Any = 0) -> list[tuple[Any, str]]:
    with pytest.raises(InvalidInput) as caught:
        validate(steps, repeat)
    return [(tuple(e["loc"]), e["msg"]) for e in caught.value.errors]


def test_bad_policies_are_refused_with_each_problem_beside_its_field() -> None:
    assert problems([]) == [(("steps",), "a policy needs at least one step")]
    found = problems([step(10), step(10), step(5)])
    assert [loc for loc, _ in found] == [("steps", 1, "after_minutes"), ("steps", 2, "after_minutes")]
    assert "later than the step before (10 min)" in found[0][1]
    assert problems([step(0, channels=("pager",))])[0][0] == ("steps", 0, "channels")
    assert problems([{"after_minutes": 0, "channels": ["email"], "targets": []}])[0][0] == (
        "steps",
        0,
        "targets",
    )
    assert problems([step(0, {"role": "king"})])[0][0] == ("steps", 0, "targets", 0, "role")
    assert problems([step(0, {"roster": "a", "role": "admin"})])[0][0] == ("steps", 0, "targets", 0)
    assert problems([step(0)], 11) == [(("repeat",), "a whole number from 0 to 10")]
    assert problems([step(0)], 2)[0][0] == ("repeat",)  # repeating a round of 0 minutes
    assert problems([step(-1)])[0][0] == ("steps", 0, "after_minutes")
    assert problems([step(0, *({"user_id": i} for i in range(1, 52)))]) == [
        (("steps", 0, "targets"), "at most 50 targets")
    ]


def test_a_valid_policy_is_normalised() -> None:
    steps = validate([step(0, {"roster": "desk"}), step(15, {"user_id": 3}, channels=("sms", "webhook"))], 3)
    assert steps[1] == {"after_minutes": 15, "channels": ["sms", "webhook"], "targets": [{"user_id": 3}]}


def test_the_arrangement_becomes_a_policy() -> None:
    steps = from_arrangement([(0, ["duty_officer"]), (15, ["coordinator", "liaison"])])
    assert validate(steps, 0) == steps
    assert steps[1]["targets"] == [{"role": "coordinator"}, {"role": "liaison"}]


def test_the_most_specific_policy_of_the_owner_wins_else_the_joint_default() -> None:
    joint = Candidate(1, None, (), "info")
    any_kind = Candidate(2, 7, (), "warning")
    overdue = Candidate(3, 7, ("overdue",), "info")
    severe = Candidate(4, 7, (), "high")
    pool = [joint, any_kind, overdue, severe]
    assert choose(pool, organization_id=7, kind="overdue", severity="info") == overdue
    assert choose(pool, organization_id=7, kind="cordon_dwell", severity="critical") == severe
    assert choose(pool, organization_id=7, kind="cordon_dwell", severity="warning") == any_kind
    assert choose(pool, organization_id=7, kind="cordon_dwell", severity="info") == joint
    assert choose(pool, organization_id=8, kind="overdue", severity="critical") == joint
    assert choose([any_kind], organization_id=None, kind="x", severity="critical") is None


def test_resolution_names_each_person_once_per_step_with_how_they_were_reached() -> None:
    steps = validate(
        [
            step(0, {"roster": "desk"}, {"role": "duty_officer"}, channels=("email", "webhook")),
            step(10, {"user_id": 9}, {"user_id": 4}, {"roster": "nobody"}),
        ],
        0,
    )
    frozen = resolve(
        steps,
        on_duty_by_roster={"desk": [5]},
        users_by_role={"duty_officer": [5, 6]},
        users={4, 5, 6},
        webhooks=[2],
    )
    assert frozen[0]["targets"] == [
        {"user_id": 5, "via": "roster:desk"},
        {"user_id": 6, "via": "role:duty_officer"},
    ]
    assert frozen[0]["webhooks"] == [2] and frozen[1]["webhooks"] == []
    assert frozen[1]["targets"] == [{"user_id": 4, "via": "user"}]  # 9 is not an active reader
    assert [s["step"] for s in frozen] == [1, 2]


def test_rounds_follow_the_last_steps_delay() -> None:
    after = [0, 15, 30]
    assert round_minutes(after) == 45
    at = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    assert due_calls(after, repeat=1, started_at=T0, last=(0, 0), now=at(0)) == [(0, 1)]
    assert due_calls(after, repeat=1, started_at=T0, last=(0, 1), now=at(14)) == []
    assert due_calls(after, repeat=1, started_at=T0, last=(0, 1), now=at(15)) == [(0, 2)]
    assert due_calls(after, repeat=1, started_at=T0, last=(0, 2), now=at(46)) == [(0, 3), (1, 1)]
    assert due_calls(after, repeat=1, started_at=T0, last=(1, 3), now=at(10_000)) == []
    started, rnd, n = restart(after, last_round=1, now=at(200))
    assert (rnd, n) == (2, 0)
    assert due_calls(after, repeat=1, started_at=started, last=(rnd, n), now=at(200)) == [(2, 1)]
    assert due_calls(after, repeat=1, started_at=started, last=(2, 3), now=at(10_000)) == []


@given(
    st.lists(st.integers(0, 300), min_size=1, max_size=5, unique=True).map(sorted),
    st.integers(0, 3),
    st.lists(st.integers(0, 2000), min_size=1, max_size=8).map(sorted),
)
def test_ticks_at_any_times_call_each_step_once_in_order(
    after: list[int], repeat: int, ticks: list[int]
) -> None:
    if round_minutes(after) == 0:
        repeat = 0
    last, called = (0, 0), []
    for minute in ticks:
        due = due_calls(after, repeat=repeat, started_at=T0, last=last, now=T0 + timedelta(minutes=minute))
        called.extend(due)
        if due:
            last = due[-1]
    everything = due_calls(
        after, repeat=repeat, started_at=T0, last=(0, 0), now=T0 + timedelta(minutes=ticks[-1])
    )
    assert called == everything  # however the ticks fall, the same calls, each once, in order
    assert called == sorted(set(called))
    assert all(r <= repeat for r, _ in called)
