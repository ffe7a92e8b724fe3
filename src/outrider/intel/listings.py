"""Reports made of items: a summary's numbered incidents and a page of dated bulletins. Pure.

* "(a) Kharan, 5 April 2031. Gunmen opened fire on ...": an item that opens with its place and full date,
  then a full stop, is headed like a listing line ("Town, date: ..."), so that heading places and dates the
  item's sentences (`small_towns.heading_end`), not the summary's first town.
* "2018. On 11 August a suicide bomber rammed ...": a columnist's list by year, each paragraph headed by its
  year, which is the year of the months and days its sentences write without one (`dates.HeadedDay`).
* "@Desk · Jun 17, 2031 · 8:05 AM" on a line of its own, then the bulletin: each bulletin's relative dates
  ("late last night", "early this morning") count from its own stamp, not from the page's date.
"""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.dates import MONTH_NAME, parse_date_text
from outrider.intel.entry_heads import entry_heads

_DAY = rf"(?:\d{{1,2}}\s+(?i:{MONTH_NAME}),?|(?i:{MONTH_NAME})\s+\d{{1,2}},)\s+(?:19|20)\d\d"
# "(a) ", "3. ", "iv) ": the item's mark, then "Place[, X district], date." and the item's first sentence
ITEM = re.compile(
    rf"^(?P<mark>\s*(?:\(?(?:[a-z]|[ivx]{{1,4}}|\d{{1,2}})[).]\s+)?)"
    rf"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){{0,3}}(?: district)?(?:,\s+[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){{0,2}}"
    rf"(?: district)?)?,\s+{_DAY}(?P<stop>\.)\s+(?=[A-Z])"
)
# a bulletin's stamp: a line that is a date with its time of day, perhaps beside a handle or desk
STAMP = re.compile(
    rf"^(?:[@#]?[\w .'-]{{1,40}}\s*[·|•–-]\s*)?(?P<day>{_DAY})\s*(?:[·|•,–-]|at)?\s*\d{{1,2}}[:.]\d\d"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?\s*$"
)


# a log's line opening with its stamp: "[21-03-26 07:52 PM] FLASH: ...", "2026-03-21T19:58 - Arrival 1: ..."
LOG_STAMP = re.compile(
    r"\[(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d\d|\d{4})\s+\d{1,2}:\d\d(?:\s*[AaPp][Mm])?\]\s"
    r"|(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)T\d\d:\d\d\b"
)


def _logged(line: str) -> date | None:
    """The day of the stamp a log's line opens with (day first, a year of two figures in this century)."""
    m = LOG_STAMP.match(line)
    if m is None:
        return None
    y, mo, d = (m["y"], m["m"], m["d"]) if m["d"] else (m["iy"], m["im"], m["id"])
    try:
        return date(int(y) + (2000 if len(y) == 2 else 0), int(mo), int(d))
    except ValueError:
        return None


def as_headings(lines: tuple[str, ...]) -> tuple[str, ...]:
    """The lines with a summary item's "Place, date." heading written as a listing's "Place, date:" (the
    item's mark blanked; the same length, so offsets into the text hold)."""
    out = []
    for line in lines:
        m = ITEM.match(line)
        if m is not None:
            s = m.start("stop")
            line = " " * len(m["mark"]) + line[len(m["mark"]) : s] + ":" + line[s + 1 :]
        out.append(line)
    return tuple(out)


def stamp_days(lines: tuple[str, ...]) -> list[date | None]:
    """Per line, the day of the bulletin stamp above it (None before the first stamp or without any)."""
    out: list[date | None] = []
    current: date | None = None
    stamps = 0
    for line, head in zip(lines, entry_heads(lines), strict=True):  # or a feed entry's heading
        m = STAMP.match(line.strip())
        if (d := parse_date_text(m["day"]) if m is not None else head or _logged(line.strip())) is not None:
            current, stamps = d, stamps + 1
        out.append(current)
    # one stamp is a report's own byline or update time, not a page of bulletins
    return out if stamps >= 2 else [None] * len(lines)


def entry_days(lines: tuple[str, ...], split: list[tuple[int, str, bool]]) -> dict[int, date]:
    """A bulletin's own day by the offset of each of its sentences (none when the report is not a page of
    stamped bulletins)."""
    days = stamp_days(lines)
    if not any(days):
        return {}
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    out: dict[int, date] = {}
    for start, _, _ in split:
        i = max(k for k, s in enumerate(starts) if s <= start)
        if (d := days[i]) is not None:
            out[start] = d
    return out


# "2018. On 11 August ...", "2021: In April, ...": a paragraph that opens with its year
YEAR_HEAD = re.compile(r"\s*(?P<year>(?:19|20)\d\d)[.:]\s+(?=[A-Z])")


def heading_years(lines: tuple[str, ...], split: list[tuple[int, str, bool]]) -> dict[int, int]:
    """The year heading each sentence's paragraph, by the sentence's offset (none outside such paragraphs)."""
    out: dict[int, int] = {}
    offset = 0
    for line in lines:
        if (m := YEAR_HEAD.match(line)) is not None:
            end = offset + len(line)
            out.update({start: int(m["year"]) for start, _, _ in split if offset <= start < end})
        offset += len(line) + 1
    return out
