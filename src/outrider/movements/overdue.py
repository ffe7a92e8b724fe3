"""Overdue detection as a pure function: movements on the road, their last check-ins and `now` in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Reason(StrEnum):
    """Why a movement is overdue."""

    missed_checkin = "missed_checkin"
    not_arrived = "not_arrived"


@dataclass(frozen=True, slots=True)
class Watched:
    """What the scan needs of one movement on the road."""

    movement_id: int
    overdue: bool
    departed_at: datetime
    planned_arrival: datetime
    checkin_interval_min: int | None
    last_checkin_at: datetime | None
    overdue_since: datetime | None
    escalation_level: int


@dataclass(frozen=True, slots=True)
class Step:
    """An escalation step: minutes after the movement fell overdue, and the level then reached."""

    after_minutes: int
    level: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A movement that is newly overdue, or whose overdue alert must escalate."""

    movement_id: int
    reason: Reason
    due_at: datetime
    overdue_since: datetime
    minutes_overdue: float
    level: int
    newly_overdue: bool


def next_due(w: Watched) -> tuple[datetime, Reason]:
    """When the movement must next be heard from, and what that deadline is."""
    return due_of(w.departed_at, w.planned_arrival, w.checkin_interval_min, w.last_checkin_at)


def due_of(
    departed_at: datetime,
    planned_arrival: datetime,
    checkin_interval_min: int | None,
    last_checkin_at: datetime | None,
) -> tuple[datetime, Reason]:
    """`next_due` from the four times and the interval it reads (a board line's, without a `Watched`)."""
    if checkin_interval_min:
        last = max(departed_at, last_checkin_at) if last_checkin_at else departed_at
        checkin_due = last + timedelta(minutes=checkin_interval_min)
        if checkin_due < planned_arrival:
            return checkin_due, Reason.missed_checkin
    return planned_arrival, Reason.not_arrived


def _level(steps: tuple[Step, ...], minutes: float) -> int:
    reached = 0
    for step in steps:
        if minutes >= step.after_minutes:
            reached = max(reached, step.level)
    return reached


def scan(
    movements: Iterable[Watched], *, now: datetime, grace: timedelta, steps: tuple[Step, ...]
) -> Iterator[Finding]:
    """Yield the movements that are overdue at ``now`` and either new or due for a higher level."""
    for w in movements:
        due, reason = next_due(w)
        if now <= due + grace:
            continue
        since = w.overdue_since if (w.overdue and w.overdue_since) else due + grace
        minutes = (now - since).total_seconds() / 60.0
        level = max(_level(steps, minutes), 1)
        if not w.overdue or level > w.escalation_level:
            yield Finding(w.movement_id, reason, due, since, round(minutes, 1), level, not w.overdue)
