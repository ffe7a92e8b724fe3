"""An alert's lifecycle, pure: its states, what each allows, where each act leads, and when an
acknowledgement lapses.

open (nobody has taken it) -> acknowledged (someone has, and owes progress before ``ack_expires_at``)
-> resolved (with a reason when by hand); an acknowledgement with no progress before its expiry lapses back
to open (the chain calls again); a resolved alert may be reopened (open again, acknowledged by nobody).
Assigning, progress notes and escalation by hand keep the state. Values in, values out: no session, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class State(StrEnum):
    """Where an alert stands."""

    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


class Act(StrEnum):
    """What a person or the clock does to an alert."""

    acknowledge = "acknowledge"
    assign = "assign"
    progress = "progress"
    escalate = "escalate"
    expire = "expire"
    resolve = "resolve"
    reopen = "reopen"


# Each state's acts and the state each leads to.
MOVES: dict[State, dict[Act, State]] = {
    State.open: {
        Act.acknowledge: State.acknowledged,
        Act.assign: State.open,
        Act.progress: State.open,
        Act.escalate: State.open,
        Act.resolve: State.resolved,
    },
    State.acknowledged: {
        Act.assign: State.acknowledged,
        Act.progress: State.acknowledged,
        Act.escalate: State.acknowledged,
        Act.expire: State.open,
        Act.resolve: State.resolved,
    },
    State.resolved: {Act.reopen: State.open},
}

_WHY_NOT = {
    State.open: "is not acknowledged",
    State.acknowledged: "is already acknowledged",
    State.resolved: "is already resolved",
}


@dataclass(frozen=True, slots=True)
class Standing:
    """The lifecycle's columns of one alert."""

    acknowledged_at: datetime | None
    resolved_at: datetime | None
    ack_expires_at: datetime | None = None


def state_of(standing: Standing) -> State:
    """The state an alert's columns say."""
    if standing.resolved_at is not None:
        return State.resolved
    if standing.acknowledged_at is not None:
        return State.acknowledged
    return State.open


def refusal(state: State, act: Act) -> str | None:
    """Why ``act`` is not possible in ``state`` (None when it is), worded after "alert N"."""
    if act in MOVES[state]:
        return None
    if act is Act.reopen:
        return "is not resolved"
    return _WHY_NOT[state]


def after(state: State, act: Act) -> State:
    """The state ``act`` leads to; ValueError when the state does not allow it."""
    try:
        return MOVES[state][act]
    except KeyError:
        raise ValueError(f"{act} is not possible when {state}") from None


def ack_expiry(at: datetime, timeout: timedelta) -> datetime:
    """When an acknowledgement (or the progress last posted on it) lapses without more progress."""
    return at + timeout


def lapsed(standing: Standing, now: datetime) -> bool:
    """True when an acknowledged alert's time for progress is over."""
    return (
        state_of(standing) is State.acknowledged
        and standing.ack_expires_at is not None
        and standing.ack_expires_at <= now
    )


def apply(standing: Standing, act: Act, *, now: datetime, timeout: timedelta) -> Standing:
    """The lifecycle's columns after ``act`` at ``now`` (the services write the same); ValueError when the
    state does not allow it, or when an acknowledgement is expired before its time."""
    state = state_of(standing)
    after(state, act)  # refuses what the state does not allow
    if act is Act.acknowledge:
        return Standing(now, None, ack_expiry(now, timeout))
    if act is Act.progress and state is State.acknowledged:
        return Standing(standing.acknowledged_at, None, ack_expiry(now, timeout))
    if act is Act.expire:
        if not lapsed(standing, now):
            raise ValueError("the acknowledgement has time for progress left")
        return Standing(None, None, None)
    if act is Act.resolve:
        return Standing(standing.acknowledged_at, now, None)
    if act is Act.reopen:
        return Standing(None, None, None)
    return standing  # assign, escalate, progress on an open alert: the state stays


def consistent(standing: Standing) -> bool:
    """True for columns the lifecycle can reach: an open alert owes nothing, an acknowledged one owes
    progress after it was acknowledged, a resolved one owes nothing more."""
    state = state_of(standing)
    if state is State.acknowledged:
        return (
            standing.acknowledged_at is not None
            and standing.ack_expires_at is not None
            and standing.ack_expires_at > standing.acknowledged_at
        )
    return standing.ack_expires_at is None
