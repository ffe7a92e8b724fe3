"""The period a report's header says it covers ("Week 18 (27 April - 3 May 2026)", "1 January - 31 March
2025") and the day it bounds the report's events by. Pure."""

from __future__ import annotations

import re

from outrider.intel.dates import MONTH_NAME, BannerDay, month_number

WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# "Week 18 (27 April - 3 May 2026)", "June 16-22, 2025", "1 January - 31 March 2025": the period a report
# covers, written after its last day; a paper's issue dated by the week it is on sale ("Issue 24, Vol. XIII —
# June 16-22, 2025") came out on its first
# "Friday 14 November 2031 - Saturday 15 November 2031": a thread's days, each written in full
PERIOD = re.compile(
    rf"\b(?:(?P<m1>{MONTH_NAME})\s+)?(?P<d1>\d{{1,2}})(?:\s+(?P<m2>{MONTH_NAME}))?(?:,?\s+(?:19|20)\d\d)?"
    rf"\s*[-–—]\s*(?:{WEEKDAY},?\s+)?(?:(?P<m3>{MONTH_NAME})\s+)?(?P<d>\d{{1,2}})(?:\s+(?P<m4>{MONTH_NAME}))?,?"
    r"\s+(?P<y>(?:19|20)\d\d)\b",
    re.I,
)
ISSUE = re.compile(r"\b(?:Issue|Vol)\.?\s+[\dIVXLC]+\b")


def period_end(line: str) -> BannerDay | None:
    """The day a header line's period of report bounds the report's events: the period's last day, an issue's
    first."""
    if (m := PERIOD.search(line)) is None:
        return None
    end = month_number(m["m4"] or m["m3"] or m["m2"] or m["m1"] or "")
    start = month_number(m["m2"] or m["m1"] or "") or end
    issue = ISSUE.search(line) is not None
    if start is None or end is None:
        return None
    # "30 December - 5 January 2026": the period began the year before
    year, month, day = (int(m["y"]) - (start > end), start, m["d1"]) if issue else (int(m["y"]), end, m["d"])
    try:
        return BannerDay(year, month, int(day))
    except ValueError:
        return None
