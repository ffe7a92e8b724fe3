"""Who is on duty at an instant, the pure core: a roster's shifts in, the people on duty out (primary first).

A weekly shift runs on some weekdays from a local start time to a local end time; an end at or before the
start is on the next day (a night shift, 22:00 to 06:00; equal times: 24 hours). A one-off shift runs
between two instants and wins over the weekly pattern of its rank: while any one-off primary covers the
instant, the weekly primaries are off (a swap, a stand-in); the same for backups.

Time zones with summer time are read by the instants the wall-clock times stand for: in an hour that
repeats (autumn), a wall time means its first occurrence, so a shift ending at 01:30 ends at the first
01:30 and does not come back at the second; a wall time the spring gap skips is read with the offset
before the change (a shift starting at 02:30 starts at 03:30 new time). A zone without summer time has
none of this: its shifts are the same instants every week.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PRIMARY = "primary"
BACKUP = "backup"
RANKS = (PRIMARY, BACKUP)


@dataclass(frozen=True, slots=True)
class ShiftRule:
    """One shift of a roster: weekly (``weekdays``: ISO 1 Monday .. 7 Sunday, ``start``/``end`` local) or
    one-off (``starts_at``/``ends_at``, aware instants)."""

    user_id: int
    rank: str = PRIMARY
    weekdays: frozenset[int] = frozenset()
    start: time | None = None
    end: time | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def one_off(self) -> bool:
        """True for a dated shift (an override), False for a weekly one."""
        return self.starts_at is not None


@dataclass(frozen=True, slots=True)
class OnDuty:
    """A person on duty at the instant asked, on which rank, until when, and whether by a one-off shift."""

    user_id: int
    rank: str
    until: datetime
    override: bool = False


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date (first occurrence; a skipped time is read with
    the offset before the change)."""
    return datetime.combine(day, wall, tzinfo=zone).replace(fold=0).astimezone(UTC)


def weekly_interval(shift: ShiftRule, at: datetime, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The interval of a weekly shift that covers ``at`` (the shift of that day or of the day before)."""
    if shift.start is None or shift.end is None:
        return None
    today = at.astimezone(zone).date()
    for day in (today - timedelta(days=1), today):
        if day.isoweekday() not in shift.weekdays:
            continue
        begin = local_instant(day, shift.start, zone)
        end_day = day if shift.end > shift.start else day + timedelta(days=1)
        end = local_instant(end_day, shift.end, zone)
        if begin <= at < end:
            return begin, end
    return None


def _covering(shift: ShiftRule, at: datetime, zone: ZoneInfo) -> datetime | None:
    """When the shift covering ``at`` ends, or None when this shift does not cover it."""
    if shift.one_off:
        assert shift.starts_at is not None and shift.ends_at is not None
        return shift.ends_at if shift.starts_at <= at < shift.ends_at else None
    found = weekly_interval(shift, at, zone)
    return found[1] if found is not None else None


def on_duty(shifts: Iterable[ShiftRule], at: datetime, zone: str | ZoneInfo) -> list[OnDuty]:
    """The people on duty at ``at`` (aware), primaries first, each once (their highest rank)."""
    if at.tzinfo is None:
        raise ValueError("on_duty needs an aware instant")
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    rules = list(shifts)
    by_rank: dict[str, list[OnDuty]] = {}
    for rank in RANKS:
        ranked = [s for s in rules if s.rank == rank]
        found = _on(ranked, at, tz, one_off=True) or _on(ranked, at, tz, one_off=False)
        by_rank[rank] = found
    out: list[OnDuty] = []
    seen: set[int] = set()
    for rank in RANKS:
        for person in sorted(by_rank[rank], key=lambda p: (p.user_id, p.until)):
            if person.user_id not in seen:
                seen.add(person.user_id)
                out.append(person)
    return out


def _on(shifts: Sequence[ShiftRule], at: datetime, zone: ZoneInfo, *, one_off: bool) -> list[OnDuty]:
    out: list[OnDuty] = []
    for shift in shifts:
        if shift.one_off != one_off:
            continue
        until = _covering(shift, at, zone)
        if until is not None:
            out.append(OnDuty(shift.user_id, shift.rank, until, override=one_off))
    return out
