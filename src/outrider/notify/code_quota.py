"""How many verification codes may go out, as a pure core: times in, a refusal (or None) out.

A verification code is a message to an address that its owner has not proven yet: anyone signed in can
type somebody else's phone number or e-mail address. So codes are bounded three ways, each counted over
a sliding window of the codes already sent:

- to one contact point: 3 an hour (a code lasts 15 minutes; a fourth within the hour is not a typo);
- for one user, to all their points together: 10 a day (a user keeps at most 10 points);
- to one address, whoever asks (every user who added it counted together): 5 a day, so that many
  accounts cannot each send their own share to one number.

With the minute between two codes of one point (``contacts.RESEND_AFTER``) this caps what any one user,
or any number of users, can make one phone or mailbox receive at 5 codes a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

POINT = "point"
USER = "user"
ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class Bound:
    """At most ``limit`` codes within any ``window``, counted over ``scope``."""

    scope: str  # point | user | address
    limit: int
    window: timedelta
    says: str  # the rule in words, for the refusal

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= timedelta(0):
            raise ValueError("a bound allows at least one code in a positive window")


BOUNDS = (
    Bound(POINT, 3, timedelta(hours=1), "at most 3 codes an hour to one contact point"),
    Bound(USER, 10, timedelta(days=1), "at most 10 codes a day for one user"),
    Bound(ADDRESS, 5, timedelta(days=1), "at most 5 codes a day to one address, whoever asks"),
)
LONGEST = max(b.window for b in BOUNDS)


@dataclass(frozen=True, slots=True)
class Refusal:
    """The bound a new code would pass, and when the next code may go out."""

    bound: Bound
    until: datetime


def refusal(
    sent: Mapping[str, Iterable[datetime]], now: datetime, bounds: Iterable[Bound] = BOUNDS
) -> Refusal | None:
    """Whether one more code, sent ``now``, would pass a bound: the one that holds longest, with the time
    its oldest counted code leaves the window. ``sent`` holds, per scope, the times codes were sent."""
    worst: Refusal | None = None
    for bound in bounds:
        times = sorted(t for t in sent.get(bound.scope, ()) if now - bound.window < t <= now)
        if len(times) < bound.limit:
            continue
        until = times[len(times) - bound.limit] + bound.window
        if worst is None or until > worst.until:
            worst = Refusal(bound, until)
    return worst
