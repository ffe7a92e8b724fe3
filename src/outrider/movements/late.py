"""Late check-ins as a pure function: which overdue episodes a check-in made earlier but received later
supersedes, and which time a check-in is recorded at when the device's clock runs ahead.

A phone without signal queues its check-ins and sends them when the network returns. Meanwhile the
overdue scan may have found the movement silent and opened an overdue episode. When a check-in arrives
that was made before the episode began, and would have kept the movement within its deadline had it
arrived at once, the episode was the network's doing: it is marked superseded by that check-in (never
deleted: the timeline keeps the overdue and the supersession). Whether an episode is superseded depends on
that one check-in and that one episode only, so the marks are the same whatever order late check-ins
arrive in, and an episode already marked is never marked again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# How far ahead of the server a device's clock may run before its time is not believed.
CLOCK_TOLERANCE = timedelta(minutes=5)
MISSED_CHECKIN = "missed_checkin"  # the only kind of overdue a check-in can supersede (not a late arrival)


@dataclass(frozen=True, slots=True)
class Episode:
    """An overdue episode: when the movement turned overdue, when the scan found it, why, and whether a
    late check-in has superseded it already."""

    id: int
    start: datetime
    detected_at: datetime
    reason: str
    superseded: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """A check-in as the server received it: the time it was made and the time it arrived."""

    made_at: datetime
    received_at: datetime


def recorded_time(device_at: datetime | None, received_at: datetime) -> tuple[datetime, bool]:
    """The time to record a check-in at, and whether the device's time was refused: a time further in the
    future than the tolerance is clamped to the arrival (and flagged); no time is the arrival."""
    if device_at is None:
        return received_at, False
    if device_at > received_at + CLOCK_TOLERANCE:
        return received_at, True
    return device_at, False


def supersedes(episode: Episode, report: Report, *, keeps_for: timedelta | None) -> bool:
    """Does this report supersede this episode: made before the episode began, received after the scan
    found it, and keeping the movement in time past the episode's start (``keeps_for``: the check-in
    interval and the grace; None when the movement has no interval, so no check-in deadline)."""
    if keeps_for is None or episode.superseded or episode.reason != MISSED_CHECKIN:
        return False
    if not report.made_at < episode.start <= report.received_at:
        return False
    if report.received_at < episode.detected_at:
        return False
    return report.made_at + keeps_for > episode.start


def superseded(episodes: Iterable[Episode], report: Report, *, keeps_for: timedelta | None) -> list[int]:
    """The ids of the episodes this report supersedes, oldest first."""
    found = [e for e in episodes if supersedes(e, report, keeps_for=keeps_for)]
    return [e.id for e in sorted(found, key=lambda e: (e.start, e.id))]
