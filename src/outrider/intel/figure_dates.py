"""Days written in figures with their year ("22-Jan-2031", "2031/03/14", "18.11.2031"). Pure."""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.month_names import MONTH_NAME, month_number


def numeric_day(text: str) -> tuple[date, int, int] | None:
    """The first day written with its year in figures ("22-Jan-2031", "2031/03/14", "18.11.2031") and its
    offsets, or None (nor when the first such form is no real day)."""
    day: date | None = None
    if (m := DASHED.search(text)) is not None and (mon := month_number(m["mon"])) is not None:
        day = _day_or_none(int(m["year"]), mon, int(m["day"]))
    elif (m := YEAR_FIRST.search(text)) is not None:
        day = _day_or_none(int(m["year"]), int(m["mon"]), int(m["day"]))
    elif (m := NUMERIC.search(text)) is not None:
        day = _figures_day(int(m["year"]), m)
    elif ":" in text and (m := SHORT_STAMP.search(text)) is not None:
        # "[21-03-31 07:52 PM]", "03/14/31 14:30": a two-figure year only in a stamp with its time of day
        day = _figures_day(2000 + int(m["year"]), m)
    return (day, m.start(), m.end()) if day is not None and m is not None else None


def _figures_day(year: int, m: re.Match[str]) -> date | None:
    """The day of figures with their year: day first as most of the world writes it ("18.11.2024",
    "18-11-2024"), unless the first number cannot be a day ("03/14/2024" is read month first)."""
    a, b = int(m["a"]), int(m["b"])
    return _day_or_none(year, *((a, b) if m["sep"] == "/" and b > 12 else (b, a)))


NUMERIC = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)\b")
SHORT_STAMP = re.compile(
    r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d\d),?\s+(?:at\s+)?\d{1,2}:\d\d\b"
)
# "22-Jan-2031" (a page's stamp), "2031/03/14" or "2031.03.14" (year first, as a ministry's page writes it)
DASHED = re.compile(rf"\b(?P<day>\d{{1,2}})-(?P<mon>{MONTH_NAME})-(?P<year>(?:19|20)\d\d)\b", re.I)
YEAR_FIRST = re.compile(r"\b(?P<year>(?:19|20)\d\d)(?P<sep>[./])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})\b")


def _day_or_none(year: int, mon: int, day: int) -> date | None:
    try:
        return date(year, mon, day)
    except ValueError:
        return None
