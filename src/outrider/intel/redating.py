"""The rule that re-dates a report without a publication date, once the event it tells of is dated.

Such a report resolves "in August" or "Friday's attack" against the page's bounds only; when linking
finds its main event dated to the day by another source (a report of the same batch, or an event
already stored), its relative expressions are resolved again on that day. Pure: values in, values out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from outrider.intel.extract import build_incidents
from outrider.intel.published import YEARLESS_DATELINE, yearless_dateline
from outrider.intel.weekdays import WEEKDAY, WEEKDAYS

if TYPE_CHECKING:
    from outrider.intel.pipeline import DocumentResult


def awaits_day(res: DocumentResult) -> bool:
    """True for a report without publication date whose main incident is not dated to the day, or only by
    a page date's bound (the year below a render date is a guess a linked report's day may correct)."""
    if res.undated is None or not res.incidents:
        return False
    main = res.incidents[0]
    return main.get("date_precision") != "day" or main.get("date_basis") == "page-date bound"


def redate(res: DocumentResult, day: date) -> list[dict[str, Any]]:
    """The report's incidents extracted again, relative dates resolved on ``day`` (its main event's)."""
    assert res.undated is not None, "only a report without publication date is re-dated"
    fresh = build_incidents(res.undated.lines, None, res.undated.related, bound=res.bound, linked=day)
    for inc in fresh:
        inc["doc_id"] = res.doc_id
    return fresh


# how many days before a dateline's day an attack of the batch may be that the report tells of
DATELINE_AFTER = 3


def dated_by_datelines(results: list[DocumentResult]) -> list[DocumentResult]:
    """Reports without publication date whose dateline gives a month and day without the year ("SUKKUR, Aug 11
    (Agency) - A bomb ..."), read again on that day of the year of an attack of the batch in their main
    incident's province, told by another report on that day or up to three days before it; or else of the
    one year among the batch's publication years in which the weekday the dateline's sentence names first
    ("KOTLI, Aug 25: ... exploded on Monday") falls on the dateline's day or the day before."""
    told = [
        (res.doc_id, inc.get("admin1"), date.fromisoformat(inc["date"]))
        for res in results
        for inc in res.incidents
        if inc.get("date_precision") == "day" and inc.get("date")
    ]
    issued = {res.published.year for res in results if res.published is not None}
    out = list(results)
    for n, res in enumerate(results):
        if res.undated is None or res.bound is not None or not res.incidents:
            continue
        month_day = yearless_dateline(list(res.undated.lines))
        if month_day is None:
            continue
        province = res.incidents[0].get("admin1")
        years = {
            d.year
            for doc, admin1, d in told
            if province is not None and doc != res.doc_id and admin1 == province and _within(d, month_day)
        }
        years = years or _weekday_years(list(res.undated.lines), month_day, issued)
        if len(years) == 1:
            day = date(years.pop(), *month_day)
            fresh = build_incidents(res.undated.lines, day, res.undated.related)
            for inc in fresh:
                inc["doc_id"] = res.doc_id
            out[n] = replace(res, published=day, incidents=fresh, undated=None, published_how="dateline")
    return out


def _weekday_years(lines: list[str], month_day: tuple[int, int], years: set[int]) -> set[int]:
    """The years among ``years`` in which the first weekday named on the dateline's line falls on its day or
    the day before (a wire's "on Monday" is its day's or the eve's)."""
    line = next((s for ln in lines[:8] if YEARLESS_DATELINE.match(s := ln.strip())), "")
    named = WEEKDAY.search(line)
    if named is None:
        return set()
    weekday = WEEKDAYS.index(named["wd"].lower())
    fits = set()
    for year in years:
        try:
            day = date(year, *month_day)
        except ValueError:
            continue
        if weekday in (day.weekday(), (day - timedelta(days=1)).weekday()):
            fits.add(year)
    return fits


def _within(told: date, month_day: tuple[int, int]) -> bool:
    """Whether an attack's day falls on a dateline's month and day of its year, or up to three days before."""
    try:
        day = date(told.year, *month_day)
    except ValueError:
        return False
    return timedelta(0) <= day - told <= timedelta(days=DATELINE_AFTER)
