"""The named status sets other domains use (cordon, risk, protocols, the overdue job) say what they mean."""

from __future__ import annotations

from outrider.movements.lifecycle import (
    LIVE,
    ON_THE_ROAD,
    PLANNED_OR_LIVE,
    PLANNING,
    TERMINAL,
    UNDER_WAY,
    MovementState,
    Op,
    Status,
    allowed_ops,
)


def test_planning_on_the_road_and_ended_partition_the_statuses() -> None:
    assert set(Status) == PLANNING | ON_THE_ROAD | TERMINAL
    assert not (PLANNING & ON_THE_ROAD or PLANNING & TERMINAL or ON_THE_ROAD & TERMINAL)


def test_the_derived_sets() -> None:
    assert ON_THE_ROAD - {Status.incident} == UNDER_WAY
    assert UNDER_WAY | {Status.approved} == LIVE
    assert set(Status) - TERMINAL - {Status.incident} == PLANNED_OR_LIVE


def test_the_sets_agree_with_the_state_machine() -> None:
    """Under way is where the overdue job may mark and check-ins bring back; live adds the approved
    movement about to leave, the only one that may depart."""
    for status in Status:
        ops = set(allowed_ops(MovementState(status=status)))
        assert (Op.arrive in ops) == (status in ON_THE_ROAD)
        assert (Op.depart in ops or status in UNDER_WAY) == (status in LIVE)
        assert (Op.assign_escort in ops) == (status in PLANNING | UNDER_WAY)
        assert (Op.cancel in ops) == (status in PLANNING)
