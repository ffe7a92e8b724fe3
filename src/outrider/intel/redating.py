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
from outrider.intel.published import yearless_dateline

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
    incident's province, told by another report on that day or up to three days before it."""
    told = [
        (res.doc_id, inc.get("admin1"), date.fromisoformat(inc["date"]))
        for res in results
        for inc in res.incidents
        if inc.get("date_precision") == "day" and inc.get("date")
    ]
    out = list(results)
    for n, res in enumerate(results):
        if res.undated is None or res.bound is not None or not res.incidents:
            continue
        month_day = yearless_dateline(list(res.undated.lines))
        province = res.incidents[0].get("admin1")
        if month_day is None or province is None:
            continue
        years = {
            d.year
            for doc, admin1, d in told
            if doc != res.doc_id and admin1 == province and _within(d, month_day)
        }
        if len(years) == 1:
            day = date(years.pop(), *month_day)
            fresh = build_incidents(res.undated.lines, day, res.undated.related)
            for inc in fresh:
                inc["doc_id"] = res.doc_id
            out[n] = replace(res, published=day, incidents=fresh, undated=None, published_how="dateline")
    return out


def _within(told: date, month_day: tuple[int, int]) -> bool:
    """Whether an attack's day falls on a dateline's month and day of its year, or up to three days before."""
    try:
        day = date(told.year, *month_day)
    except ValueError:
        return False
    return timedelta(0) <= day - told <= timedelta(days=DATELINE_AFTER)
