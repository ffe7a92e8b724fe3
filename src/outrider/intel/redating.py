"""The rule that re-dates a report without a publication date, once the event it tells of is dated.

Such a report resolves "in August" or "Friday's attack" against the page's bounds only; when linking
finds its main event dated to the day by another source (a report of the same batch, or an event
already stored), its relative expressions are resolved again on that day. Pure: values in, values out.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from outrider.intel.extract import build_incidents

if TYPE_CHECKING:
    from outrider.intel.pipeline import DocumentResult


def awaits_day(res: DocumentResult) -> bool:
    """True for a report without publication date whose main incident is not dated to the day."""
    return res.undated is not None and bool(res.incidents) and res.incidents[0].get("date_precision") != "day"


def redate(res: DocumentResult, day: date) -> list[dict[str, Any]]:
    """The report's incidents extracted again, relative dates resolved on ``day`` (its main event's)."""
    assert res.undated is not None, "only a report without publication date is re-dated"
    fresh = build_incidents(res.undated.lines, None, res.undated.related, bound=res.bound, linked=day)
    for inc in fresh:
        inc["doc_id"] = res.doc_id
    return fresh
