"""Days a report names by a feast ("on Easter Sunday", "on the eve of Eid al-Fitr") or by the Islamic calendar
("on 12 Rabi-ul-Awwal 1441 AH"), as Gregorian days: the feast of the year the sentence writes, else the latest
one on or before the reference day (a publication, or a page's render date with no tolerance). Pure.

The Islamic dates are those of the arithmetical calendar: the day a moon sighting fixes may be a day or two
later, within the slack a day's date is judged with."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from outrider.intel.lexicon import alternation
from outrider.intel.numbers import parse_number

# the Julian day number of 1 January of year 1 (proleptic Gregorian) less one: `date.toordinal` counts from it
ORDINAL_EPOCH = 1_721_425
HIJRI_EPOCH = 1_948_439  # the day before 1 Muharram 1 AH (16 July 622, Julian), as a Julian day number
TOLERANCE = 2  # days a feast may fall after the publication and still be the one it tells of


@cache
def _data() -> dict[str, Any]:
    text = resources.files("outrider.intel").joinpath("data/feasts.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def easter(year: int) -> date:
    """Easter Sunday of a year of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def from_hijri(year: int, month: int, day: int) -> date:
    """The Gregorian day of a day of the arithmetical Islamic calendar."""
    jdn = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + HIJRI_EPOCH
    return date.fromordinal(jdn - ORDINAL_EPOCH)


def feast_days(key: str, year: int) -> list[date]:
    """The days of a feast (a key of the data) in a Gregorian year: an Islamic feast may fall twice."""
    data = _data()
    if key in data["easter"]:
        return [easter(year) + timedelta(days=int(data["easter"][key]))]
    if key in data["fixed"]:
        month, day = data["fixed"][key]
        return [date(year, month, day)]
    month, day = data["hijri"][key]
    first = int((year - 622) * 33 / 32)  # the Islamic year that begins in or shortly before this one
    days = [from_hijri(h, month, day) for h in range(first - 1, first + 3)]
    return [d for d in days if d.year == year]


@cache
def _feast_pattern() -> re.Pattern[str]:
    data = _data()
    names = [*data["easter"], *data["fixed"], *data["hijri"]]
    return re.compile(
        r"(?:\bon\s+(?:the\s+(?P<rel>eve|night|day|first day|second day|third day)\s+of\s+)?"
        # "three days after Eid ul Azha", "a day before Christmas": days counted from the feast
        r"|\b(?P<n>a|the|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+days?\s+"
        r"(?P<dir>after|before)\s+)(?:the\s+)?"
        rf"(?P<name>{alternation(names)})(?![\w-])"
        r"(?:\s+(?:in\s+)?(?P<year>(?:19|20)\d\d)\b)?",
        re.I,
    )


def calendar_pattern(months: list[str], era: str) -> re.Pattern[str]:
    """ "12 Rabi-ul-Awwal 1441 AH", "Rabi-ul-Awwal 12, 1443": a day of a month of these names, its year of
    the Islamic era written or not (``era``: the abbreviations after the year)."""
    names = alternation(months)
    return re.compile(
        rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{names})"
        rf"|(?P<mon2>{names})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)(?![\w-])"
        rf"(?:,?\s+(?P<year>1[34]\d\d)(?:\s*(?:{era}))?\b)?",
        re.I,
    )


@cache
def _hijri_pattern() -> re.Pattern[str]:
    return calendar_pattern(
        [m for spellings in _data()["hijri_months"] for m in spellings], r"AH|A\.H\.|Hijri"
    )


@cache
def _hints() -> frozenset[str]:
    """A word each feast's name holds, to pass over quickly the sentences that name none."""
    data = _data()
    names = [name.split() for name in [*data["easter"], *data["fixed"], *data["hijri"]]]
    # "eid", "easter", "ashura"; "good friday", "new year's", not "good" or "new" alone
    return frozenset(
        w[0].split("-")[0] if w[0] not in ("good", "new", "palm") else " ".join(w[:2]) for w in names
    )


HIJRI_YEAR = re.compile(r"\b1[34]\d\d\b")
SHIFT = {"eve": -1, "night": -1, "day": 0, "first day": 0, "second day": 1, "third day": 2}


def feast_day(sentence: str, ref: date | None, bound: date | None = None) -> tuple[date, int, int] | None:
    """The day a sentence names by a feast ("on Easter Sunday in 2029", "on the eve of Eid-ul-Azha"), with
    the match's offsets; without a year written, the latest such feast on or before the reference."""
    low = sentence.lower()
    if not any(hint in low for hint in _hints()):
        return None
    m = _feast_pattern().search(sentence)
    if m is None:
        return None
    key = m["name"].lower()
    shift = timedelta(days=SHIFT[m["rel"].lower()] if m["rel"] else 0)
    if m["n"]:
        n = 1 if m["n"].lower() in ("a", "the") else parse_number(m["n"]) or 0
        shift = timedelta(days=n if m["dir"].lower() == "after" else -n)
    if m["year"]:
        days = [d + shift for d in feast_days(key, int(m["year"]))]
        return (days[0], m.start(), m.end()) if days else None
    latest = _latest(lambda year: [d + shift for d in feast_days(key, year)], ref, bound)
    return (latest, m.start(), m.end()) if latest else None


def counted_from_feast(text: str, at: int) -> bool:
    """Whether days counted at ``at`` count from a feast ("three days after Eid ul Azha"), not an event."""
    return (m := _feast_pattern().match(text, at)) is not None and m["n"] is not None


def hijri_day(sentence: str) -> tuple[date, int, int] | None:
    """A day of the Islamic calendar with its year ("12 Rabi-ul-Awwal 1441 AH", "Rabi-ul-Awwal 12, 1443"),
    with the match's offsets (a day without its year is left to the words around it: the arithmetical
    calendar may be a day or two from the report's own)."""
    if not HIJRI_YEAR.search(sentence):
        return None
    m = _hijri_pattern().search(sentence)
    if m is None or not m["year"]:
        return None
    spelled = (m["mon"] or m["mon2"]).lower()
    month = next(i + 1 for i, names in enumerate(_data()["hijri_months"]) if spelled in names)
    day = int(m["day"] or m["day2"])
    if not 1 <= day <= 30:
        return None
    return from_hijri(int(m["year"]), month, day), m.start(), m.end()


def _latest(days_in: Callable[[int], list[date]], ref: date | None, bound: date | None) -> date | None:
    """The latest of a feast's days on or before the reference (two days' tolerance after a publication)."""
    base = ref or bound
    if base is None:
        return None
    limit = base + timedelta(days=TOLERANCE if ref is not None else 0)
    found = [d for year in (base.year - 1, base.year) for d in days_in(year) if d <= limit]
    return max(found) if found else None
