"""Escalation by the clock, the pure core: which open alerts reach which level at ``now``.

The steps are passed in (today the joint arrangement's, later an alert's own frozen policy): after N minutes
open and unacknowledged, an alert reaches level L and concerns some roles. An acknowledged or resolved alert
never escalates by the clock, and a level is never lowered, so a repeat at the same ``now`` does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Step:
    """After ``after_minutes`` unacknowledged, the alert is at ``level`` and concerns ``roles``."""

    after_minutes: int
    level: int
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pending:
    """What escalation needs to know of one alert."""

    alert_id: int
    opened_at: datetime
    level: int
    acknowledged: bool = False
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class Escalation:
    """An alert to raise to ``level``; ``roles`` are those the step names."""

    alert_id: int
    level: int
    roles: tuple[str, ...]
    after_minutes: int


def reached(steps: Sequence[Step], minutes: float) -> Step | None:
    """The highest step reached after ``minutes`` (None before the first)."""
    found: Step | None = None
    for step in steps:
        if step.after_minutes <= minutes and (found is None or step.level > found.level):
            found = step
    return found


def escalations(alerts: Iterable[Pending], steps: Sequence[Step], *, now: datetime) -> list[Escalation]:
    """The alerts that reach a higher level than they hold at ``now``, in the order given."""
    out: list[Escalation] = []
    for alert in alerts:
        if alert.acknowledged or alert.resolved:
            continue
        step = reached(steps, (now - alert.opened_at).total_seconds() / 60.0)
        if step is not None and step.level > alert.level:
            out.append(Escalation(alert.alert_id, step.level, step.roles, step.after_minutes))
    return out
