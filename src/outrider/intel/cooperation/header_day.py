"""A report's day from header forms the shared publication reader leaves undated: an "Issued 19 May 2031"
label, a monitoring desk's note naming its source and the source's date ("[Translated from Urdu. Source:
Daily X, Quetta, Wednesday 12 March 2031, back page.]"), a weekly issue's span ("Issue 46 — November 17-23,
2031": the issue's first day) and a date of the Solar Hijri calendar Afghan and Iranian papers print
("Issue: Monday, 7 Mizan 1410"). Pure."""

from __future__ import annotations

import re
from datetime import date, timedelta

from outrider.intel.dates import MONTH_NAME, month_number, parse_date_text

HEAD_LINES = 6

# "Week 20 | 12-18 May 2031 | Issued 19 May 2031": the label of the day a bulletin or a paper was issued
ISSUED = re.compile(r"\b(?:issued|dated|date of issue)\s*:?\s*(?:on\s+)?(?P<rest>[^|]{6,40})", re.I)
# "Source: Daily X, Quetta, Wednesday 12 March 2031, back page": a translated report's source and its date
SOURCE = re.compile(r"\bsource\s*:\s*(?P<rest>[^\]]{6,160})", re.I)
# "Issue 46, Vol. XIII — November 17-23, 2031", "Edition of 17-23 November 2031": an issue dated by its span
ISSUE = re.compile(r"\b(?:issue|vol|volume|edition)\b", re.I)
SPAN = re.compile(
    rf"\b(?:(?P<mon>{MONTH_NAME})\s+(?P<day>\d{{1,2}})\s*[-–]\s*\d{{1,2}},?"
    rf"|(?P<day_first>\d{{1,2}})\s*[-–]\s*\d{{1,2}}\s+(?P<mon_after>{MONTH_NAME}),?)\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)

# the months of the Solar Hijri year: Afghan (Dari) names, then Iranian, then Pashto; months 1-6 have 31 days,
# 7-11 have 30, the twelfth 29 (30 in a leap year)
SOLAR_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("hamal", "farvardin", "farwardin", "wray"),
            ("sawr", "saur", "sor", "ordibehesht", "ghwayai", "ghwaye"),
            ("jawza", "jauza", "jowza", "khordad", "ghbargolai"),
            ("saratan", "tir", "chungash"),
            ("asad", "mordad", "amordad", "zmaray", "zmarai"),
            ("sunbula", "sunbulah", "sonbola", "sonbula", "shahrivar", "shahrewar", "wagay", "wagai"),
            ("mizan", "mehr", "tala", "tela"),
            ("aqrab", "aban", "laram", "larum"),
            ("qaws", "qaus", "azar", "lindai", "lindey"),
            ("jadi", "jaddi", "dey", "merghumai", "marghumay"),
            ("dalw", "dalv", "bahman", "salwagai", "salwaghay"),
            ("hut", "hoot", "esfand", "esfandi", "kab"),
        ),
        start=1,
    )
    for name in names
}
SOLAR_NAME = "|".join(sorted(SOLAR_MONTHS, key=len, reverse=True))
# "7 Mizan 1410", "Mizan 7, 1410": a day of the Solar Hijri calendar, its year between 1300 and 1499
SOLAR = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})\s+(?P<mon>{SOLAR_NAME})|(?P<mon_first>{SOLAR_NAME})\s+(?P<day_after>\d{{1,2}}),?)"
    rf"\s+(?P<year>1[34]\d\d)\b",
    re.I,
)
# the first day of the Solar Hijri year 1404 (Nowruz) in the Gregorian calendar, from which others are counted
NOWRUZ_1404 = date(2025, 3, 21)


def header_day(text: str) -> date | None:
    """The day a report's first lines date it by one of the forms above, or None."""
    lines = [ln.strip() for ln in text.splitlines()[:HEAD_LINES]]
    for rx in (ISSUED, SOURCE):
        for line in lines:
            m = rx.search(line)
            if m is not None and (day := parse_date_text(m["rest"]) or solar_day(m["rest"])) is not None:
                return day
    for line in lines:
        if ISSUE.search(line) and (day := _span_start(line) or solar_day(line)) is not None:
            return day
    return None


def _span_start(line: str) -> date | None:
    m = SPAN.search(line)
    month = month_number(m["mon"] or m["mon_after"]) if m is not None else None
    if m is None or month is None:
        return None
    try:
        return date(int(m["year"]), month, int(m["day"] or m["day_first"]))
    except ValueError:
        return None


def solar_leap(year: int) -> bool:
    """Whether a Solar Hijri year has 366 days (the 33-year arithmetic rule, exact for this era)."""
    return (25 * year + 11) % 33 < 8


def solar_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Solar Hijri date, or None when it is no real day."""
    length = 31 if month <= 6 else 30 if month <= 11 else (30 if solar_leap(year) else 29)
    if not 1 <= month <= 12 or not 1 <= day <= length:
        return None
    years = range(1404, year) if year >= 1404 else range(year, 1404)
    shift = sum(366 if solar_leap(y) else 365 for y in years)
    nowruz = NOWRUZ_1404 + timedelta(days=shift if year >= 1404 else -shift)
    return nowruz + timedelta(days=31 * min(month - 1, 6) + 30 * max(month - 7, 0) + day - 1)


def solar_day(text: str) -> date | None:
    """The first Solar Hijri date of a text, in the Gregorian calendar."""
    m = SOLAR.search(text)
    if m is None:
        return None
    month = SOLAR_MONTHS[(m["mon"] or m["mon_first"]).lower()]
    return solar_to_gregorian(int(m["year"]), month, int(m["day"] or m["day_after"]))
