"""Days of the solar hijri calendar ("on Tuesday, 23 Dalw", "issue of 9 Hamal 1404", "12 Farvardin 1403"), the
calendar of Afghanistan's and Iran's press, as Gregorian days. Pure.

The year begins at the spring equinox (1 Hamal, or Farvardin); its first six months have 31 days, the next
five 30, the last 29 or 30. Leap years follow the 33-year arithmetical cycle, which agrees with the observed
calendar over this century; a day without its year is the latest such day on or before the reference day
(a publication, or a page's render date with no tolerance)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from outrider.intel.feasts import TOLERANCE, _data, calendar_pattern

ANCHOR_YEAR = 1404
ANCHOR_DAY = date(2025, 3, 21)  # 1 Hamal (1 Farvardin) 1404


def leap(year: int) -> bool:
    """Whether a solar hijri year has 366 days (its last month 30)."""
    return (25 * year + 11) % 33 < 8


def new_year(year: int) -> date:
    """The Gregorian day of 1 Hamal (1 Farvardin) of a solar hijri year."""
    day = ANCHOR_DAY
    for y in range(ANCHOR_YEAR, year):
        day += timedelta(days=366 if leap(y) else 365)
    for y in range(year, ANCHOR_YEAR):
        day -= timedelta(days=366 if leap(y) else 365)
    return day


def month_length(year: int, month: int) -> int:
    return 31 if month <= 6 else 30 if month <= 11 or leap(year) else 29


def from_solar(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a solar hijri day, or None when the month has no such day."""
    if not 1 <= month <= 12 or not 1 <= day <= month_length(year, month):
        return None
    before = 31 * (month - 1) if month <= 7 else 186 + 30 * (month - 7)
    return new_year(year) + timedelta(days=before + day - 1)


def solar_year_of(day: date) -> int:
    """The solar hijri year a Gregorian day falls in."""
    year = day.year - 621
    return year if day >= new_year(year) else year - 1


@cache
def _pattern() -> re.Pattern[str]:
    months = [m for spellings in _data()["solar_months"] for m in spellings]
    return calendar_pattern(months, r"SH|S\.H\.|AP|HS|solar(?: hijri)?")


@cache
def _hints() -> frozenset[str]:
    """The months' names written with a capital, to pass over quickly the sentences that name none."""
    return frozenset(m.title() for spellings in _data()["solar_months"] for m in spellings if " " not in m)


CAPITALISED = re.compile(r"[A-Z][a-z]+")


def solar_day(sentence: str, ref: date | None, bound: date | None = None) -> tuple[date, int, int] | None:
    """The first solar hijri day of a sentence with the match's offsets: of the year it writes, else the
    latest such day on or before the reference. A month written with a capital ("23 Dalw"); a month's name
    that is also a name or a word ("Asad", "Mehr") only beside its year."""
    if _hints().isdisjoint(CAPITALISED.findall(sentence)):
        return None
    for m in _pattern().finditer(sentence):
        spelled = m["mon"] or m["mon2"]
        if not spelled[0].isupper() or (not m["year"] and spelled.lower() in _data()["solar_needs_year"]):
            continue
        month = next(i + 1 for i, names in enumerate(_data()["solar_months"]) if spelled.lower() in names)
        day = int(m["day"] or m["day2"])
        found = from_solar(int(m["year"]), month, day) if m["year"] else _latest(month, day, ref, bound)
        if found is not None:
            return found, m.start(), m.end()
    return None


def _latest(month: int, day: int, ref: date | None, bound: date | None) -> date | None:
    base = ref or bound
    if base is None:
        return None
    limit = base + timedelta(days=TOLERANCE if ref is not None else 0)
    year = solar_year_of(limit)
    days = [d for y in (year - 1, year) if (d := from_solar(y, month, day)) is not None and d <= limit]
    return max(days) if days else None


def solar_dated(text: str) -> date | None:
    """The day of a solar hijri date written with its year ("issue of Wednesday, 24 Dalw 1403"), or None."""
    found = solar_day(text, None)
    return found[0] if found is not None else None
