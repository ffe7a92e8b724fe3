"""The field PINs' throttle as a pure rule: wrong PINs in, whether a user's PIN check-ins are locked out.

After ``max_failures`` wrong PINs within ``window``, a PIN check-in is refused until the oldest of those
leaves the window. The duress PIN is the exception the rule exists around: it is taken, locked or not, so
that a captive forced to check in can signal duress even after someone has been guessing. Nothing that a
right PIN does changes the count (neither the check-in PIN nor the duress PIN clears it): the two leave the
same trace, so the lock's later behaviour cannot tell which one was given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class PinMatch(StrEnum):
    """What a PIN given with a check-in turned out to be."""

    pin = "pin"
    duress = "duress"


class Verdict(StrEnum):
    """What becomes of a check-in carrying a PIN."""

    accepted = "accepted"  # the check-in PIN, not locked
    duress = "duress"  # the duress PIN, locked or not: taken, answered as an accepted one
    wrong = "wrong"  # neither PIN, not locked: refused and counted
    locked = "locked"  # any PIN but the duress PIN while locked: refused, not counted


@dataclass(frozen=True, slots=True)
class Throttle:
    """How many wrong PINs within which window lock a user's PIN check-ins."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)


def locked_until(failures: Iterable[datetime], now: datetime, throttle: Throttle) -> datetime | None:
    """Until when PIN check-ins are refused at ``now``, given the times of wrong PINs (None: not locked).
    A wrong PIN counts while it is less than the window old."""
    recent = sorted((at for at in failures if now - throttle.window < at <= now), reverse=True)
    if len(recent) < throttle.max_failures:
        return None
    return recent[throttle.max_failures - 1] + throttle.window


def verdict(match: PinMatch | None, locked: bool) -> Verdict:
    """The fate of a PIN check-in: the duress PIN is always taken; any other PIN waits out a lock."""
    if match is PinMatch.duress:
        return Verdict.duress
    if locked:
        return Verdict.locked
    return Verdict.accepted if match is PinMatch.pin else Verdict.wrong


def retry_after(until: datetime, now: datetime) -> int:
    """Whole seconds until the lock ends (at least one), for a `Retry-After` header."""
    return max(1, math.ceil((until - now).total_seconds()))
