"""The date of a cooperation act in its sentence, by `intel.dates` with readings of its own:

* a weekday dates the act it stands beside ("agreed on Thursday", "on Monday began"): for incidents such a
  weekday dates a statement, here the statement is the act;
* a span ("from November 19 to December 11", "between 3 and 9 May") ends on its last day, the day an act
  reported complete was completed;
* a weekday after "said" dates the statement (basis `statement`): a report of a meeting may date the
  commitments made there by the meeting instead;
* "last year" after a day or month without a year puts it in the year before publication.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from outrider.intel.dates import (
    DMY,
    MDY,
    WEEKDAY,
    WEEKDAYS,
    EventDate,
    _build,
    month_number,
    resolve_event_date,
)

RANGE_END = re.compile(
    r"\b(?:from|between)\s+[^.;]{3,30}?\s+(?:to|until|till|and|through)\s+(?P<end>[^.;,]{3,25})", re.I
)
STATEMENT = re.compile(
    r"\b(?:said|says|told \w+|announced|added|stated|confirmed|reported|quoted|wrote)\s+(?:on\s+)?$", re.I
)
LAST_YEAR = re.compile(r"^\s*(?:last|the previous) year\b", re.I)


def _weekday(sentence: str, ref: date) -> EventDate | None:
    m = WEEKDAY.search(sentence)
    if m is None:
        return None
    back = (ref.weekday() - WEEKDAYS.index(m["wd"].lower())) % 7
    # "an official said on Sunday": the day of the statement, which may be later than the act it reports
    basis = "statement" if STATEMENT.search(sentence[max(0, m.start() - 30) : m.start()]) else "publication"
    return EventDate(ref - timedelta(days=back), "day", m.start(), m.end(), basis=basis)


def _range_end(sentence: str, ref: date | None) -> EventDate | None:
    m = RANGE_END.search(sentence)
    if m is None:
        return None
    end = m["end"]
    for rx in (MDY, DMY):
        d = rx.search(end)
        if d is None:
            continue
        year = int(d["year"]) if d["year"] else None
        found = _build(year, month_number(d["mon"]), int(d["day"]), ref)
        if found is not None and year is None and LAST_YEAR.match(end[d.end() :]):
            found = found.replace(year=(ref or found).year - 1)
        if found is not None:
            return EventDate(found, "day", m.start("end"), m.end("end"), explicit=True)
    return None


DAY_BEFORE = re.compile(r"\b(?:a day earlier|the day before|the previous day|a day before)\b", re.I)


def act_date(sentence: str, ref: date | None) -> EventDate:
    """The date of the act a sentence reports, against the publication date (or a page date standing in)."""
    if ref is not None and (m := DAY_BEFORE.search(sentence)) is not None:
        return EventDate(ref - timedelta(days=1), "day", m.start(), m.end(), basis="publication")
    span = _range_end(sentence, ref)
    if span is not None:
        return span
    found = resolve_event_date(sentence, ref)
    if ref is not None and not (found.precision == "day" and found.explicit):
        weekday = _weekday(sentence, ref)
        if weekday is not None:
            return weekday
    if (
        found.value is not None
        and found.end > 0
        and LAST_YEAR.match(sentence[found.end :])
        and ref is not None
    ) and found.value.year == ref.year:
        found = EventDate(found.value.replace(year=ref.year - 1), found.precision, found.start, found.end)
    return found
