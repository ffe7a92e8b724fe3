"""Overdue commitments as a pure function: open commitments, their deadlines and today in.

A commitment is overdue from the day after its deadline (dates are the parties' calendar days, read in
UTC) while it is open; it stops being overdue when it closes (done or not fulfilled) or its deadline moves
to today or later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Watched:
    """What the scan needs of one commitment."""

    commitment_id: int
    open: bool
    deadline: date | None


def is_overdue(w: Watched, *, today: date) -> bool:
    """True when the commitment is open and its deadline has passed."""
    return w.open and w.deadline is not None and w.deadline < today


def days_overdue(deadline: date, *, today: date) -> int:
    """Whole days since the deadline."""
    return (today - deadline).days


@dataclass(frozen=True, slots=True)
class Scan:
    """What a tick does: raise (or keep) the alert of these commitments, resolve those of the others."""

    overdue: tuple[int, ...]
    resolve: tuple[int, ...]


def scan(watched: Iterable[Watched], *, alerted: Iterable[int], today: date) -> Scan:
    """Commitments to alert about (not yet alerted), and alerted ones no longer overdue."""
    alerted_ids = set(alerted)
    overdue = {w.commitment_id for w in watched if is_overdue(w, today=today)}
    return Scan(
        overdue=tuple(sorted(overdue - alerted_ids)),
        resolve=tuple(sorted(alerted_ids - overdue)),
    )
