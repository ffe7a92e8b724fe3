"""Publication dates and event-date expressions, resolved against a known publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from outrider.intel.feasts import feast_day, hijri_day
from outrider.intel.figure_dates import numeric_day
from outrider.intel.month_names import MONTH_NAME as MONTH_NAME
from outrider.intel.month_names import MONTHS as MONTHS
from outrider.intel.month_names import month_number as month_number
from outrider.intel.numbers import parse_number
from outrider.intel.solar import solar_day
from outrider.intel.weekdays import WEEKDAY as WEEKDAY
from outrider.intel.weekdays import WEEKDAYS as WEEKDAYS
from outrider.intel.weekdays import counted_back, day_of_month, told_weekday, weekday_day

MDY = re.compile(
    rf"\b(?P<mon>{MONTH_NAME})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I
)
DMY = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{MONTH_NAME})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I
)
# "on the 16th of June 2031"
DAY_OF_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+(?P<mon>{MONTH_NAME})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
ISO = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)(?:\b|(?=T\d\d:\d\d))"
)  # or "...T17:05"
MONTH_YEAR = re.compile(
    rf"\b(?:in\s+)?(?P<mon>{MONTH_NAME})(?![\w])"
    r"(?:\s+(?:of\s+)?(?:(?P<year>(?:19|20)\d\d)|this year|last year))?",
    re.I,
)
YEAR = re.compile(r"\b(?:in|of)\s+(?P<year>(?:19|20)\d\d)\b", re.I)
# "the 2014 suicide bombing at the border": a year written before the attack it dates
YEAR_OF_ATTACK = re.compile(
    r"\bthe\s+(?P<year>(?:19|20)\d\d)\s+(?:[\w-]+\s+){0,2}?(?:bomb(?:ing)?s?|attacks?|blasts?|raids?|assaults?"
    r"|explosions?|massacre|siege|hijacking|ambush|shooting)\b",
    re.I,
)
WEEK_VAGUE = re.compile(r"\b(?P<w>earlier this week|this week|last week|(?P<n>[\w-]+) weeks? ago)\b", re.I)
RELATIVE_MONTH = re.compile(
    r"\b(last month|this month|earlier this month|a month ago|last year"
    r"|(?P<n>\w+) (?P<unit>months|years) (?:ago|earlier))\b",
    re.I,
)


@dataclass(frozen=True)
class EventDate:
    """A resolved event date and the granularity the text supports."""

    value: date | None
    precision: str  # day | month | year | unknown
    start: int = -1
    end: int = -1
    explicit: bool = False  # written as a calendar date rather than inferred from a weekday
    basis: str = "text"  # how the year was found: text | publication | page-date bound | linked event


class BannerDay(date):
    """A page-date bound read from a banner without the marks of a render date (a weather widget, the site's
    menus or ticker, "Retrieved:"): the day the page was written for, so "on Tuesday night" counts back from
    it as from a publication date; a render date's weekday says nothing of the report's."""


class HeadedDay(date):
    """The publication day read in a paragraph headed by an earlier year ("2018. On 11 August a bomber ...", a
    columnist's list by year): a month or a day written without its year is of the heading's year, while "last
    month" or "two years ago" still count from the publication. A day counted from it has no heading (0)."""

    heading: int

    def __new__(cls, year: int, month: int, day: int, heading: int = 0) -> HeadedDay:
        self = super().__new__(cls, year, month, day)
        self.heading = heading
        return self


def headed(day: date | None, heading: int | None) -> date | None:
    """``day`` read in a paragraph headed by the year ``heading`` (`HeadedDay`), when that year is earlier."""
    if day is None or heading is None or heading >= day.year:
        return day
    return HeadedDay(day.year, day.month, day.day, heading)


# How far after the reference day a date without year may fall and keep the reference's year: two days
# after a publication date; a month after an event's day that stands in for an unknown publication (the
# report was written on or after it: "the attack on December 1 ... on December 20, another" is that year's)
AHEAD_OF_PUBLICATION = 2
AHEAD_OF_EVENT = 31


def build_date(
    year: int | None, mon: int | None, day: int | None, ref: date | None, ahead: int = AHEAD_OF_PUBLICATION
) -> date | None:
    if mon is None:
        return None
    if year is None and isinstance(ref, HeadedDay) and ref.heading:
        year = ref.heading  # "2021. In April, ...": the paragraph's year
    if year is None:
        if ref is None:
            return None
        year = ref.year
        try:
            candidate = date(year, mon, day or 1)
        except ValueError:
            return None
        # a month/day without year later than the reference (and its tolerance) belongs to the previous year
        if candidate > ref + timedelta(days=ahead):
            year -= 1
        elif ahead > AHEAD_OF_PUBLICATION and _next_year(candidate, ref, ahead):
            year += 1  # "January 3" a few days after an event of December 28
    try:
        return date(year, mon, day or 1)
    except ValueError:
        return None


def _next_year(candidate: date, ref: date, ahead: int) -> bool:
    """Whether the same month and day a year later still falls within the tolerance after ``ref``."""
    try:
        return date(candidate.year + 1, candidate.month, candidate.day) <= ref + timedelta(days=ahead)
    except ValueError:
        return False


def parse_date_text(text: str, ref: date | None = None) -> date | None:
    """Parse the first absolute date (ISO, 'Nov 23, 2018', '28 April 2022') in text."""
    m = ISO.search(text)
    if m:
        try:
            return date(int(m["year"]), int(m["mon"]), int(m["day"]))
        except ValueError:
            return None
    for rx in (MDY, DMY):
        m = rx.search(text)
        if m and (m["year"] or ref):
            return build_date(
                int(m["year"]) if m["year"] else None, month_number(m["mon"]), int(m["day"]), ref
            )
    found = numeric_day(text)
    return found[0] if found else None


def resolve_event_date(
    sentence: str, published: date | None, bound: date | None = None, ahead: int = AHEAD_OF_PUBLICATION
) -> EventDate:
    """Resolve an event sentence's date against the publication date, else below a page-date bound.

    ``ahead`` is how far after ``published`` a date without year may fall (`AHEAD_OF_EVENT` when an
    event's day stands in for the publication). A report reads the same stretch again (a clause's owner, a
    segment, the sentence), so recent results are kept (a small cache: memory flat); a `HeadedDay` equals
    its plain day, so its heading year is a key of its own, and a `BannerDay` bound is typed apart."""
    return _resolved(sentence, published, bound, ahead, getattr(published, "heading", 0))


@lru_cache(maxsize=256, typed=True)
def _resolved(sentence: str, published: date | None, bound: date | None, ahead: int, _: int) -> EventDate:
    found = _stated_day(sentence, published, ahead) or _feast(sentence, published, bound)
    if found is None and published is None and bound is not None:
        found = _below_bound(sentence, bound)
    if found is None and published is not None and re.search(r"\bof\s+(?:this|last)\s+month\b", sentence):
        # before "this month" alone is read as the month
        found = _counted(day_of_month(sentence, published, AHEAD_OF_PUBLICATION))
    if found is None and published is not None:
        # "a year ago today" is a year back, not today
        found = _finer_month(sentence, _years_ago(sentence, published))
        found = found or _day_before(sentence, published, ahead)
        found = found or _week_or_month_before(sentence, published)
    if found is None:
        found = _month_named(sentence, published, bound)
    if found is None and (m := YEAR.search(sentence) or YEAR_OF_ATTACK.search(sentence)):
        found = EventDate(date(int(m["year"]), 1, 1), "year", m.start(), m.end())
    return found or EventDate(None, "unknown")


def _feast(sentence: str, ref: date | None, bound: date | None) -> EventDate | None:
    """A day named by a feast, by the Islamic calendar or by the solar hijri one (`outrider.intel.feasts`,
    `outrider.intel.solar`)."""
    found = feast_day(sentence, ref, bound) or hijri_day(sentence) or solar_day(sentence, ref, bound)
    if found is None:
        return None
    day, start, end = found
    told = told_weekday(sentence[:start] + " " * (end - start) + sentence[end:])
    if told is not None:
        # "On Friday, a crowd gathered for the Eid procession": the weekday nearest the feast's reckoned day
        wd = WEEKDAYS.index(told["wd"].lower())
        day += timedelta(days=(wd - day.weekday() + 3) % 7 - 3)
    written = YEAR_WRITTEN.search(sentence, start, end) is not None
    basis = "text" if written else "publication" if ref is not None else "page-date bound"
    return EventDate(day, "day", start, end, explicit=written, basis=basis)


YEAR_WRITTEN = re.compile(r"\b(?:1[34]|19|20)\d\d\b")


# "on the night between 19 and 20 August": the night began on the first day
NIGHT_BETWEEN = re.compile(
    rf"\bbetween\s+(?P<first>\d{{1,2}})\s+and\s+\d{{1,2}}\s+(?=(?:{MONTH_NAME})\b)", re.I
)


# "Our report (February 5, page 1) wrongly stated ...": the day of an issue cited by its page, not an event's
CITED = re.compile(r"\([^()]{0,60}\b(?:page|p\.|pp\.)\s*\d+[^()]{0,20}\)", re.I)


def _stated_day(sentence: str, ref: date | None, ahead: int = AHEAD_OF_PUBLICATION) -> EventDate | None:
    """A day written out ("9 January 2031", "Jan 9"), its year from the publication when not written."""
    if (n := NIGHT_BETWEEN.search(sentence)) is not None:  # the first day, at the same offsets
        sentence = sentence[: n.start()] + f"{n['first']} ".rjust(n.end() - n.start()) + sentence[n.end() :]
    sentence = CITED.sub(lambda m: " " * len(m.group(0)), sentence)  # "(February 5, page 1)": an issue's day
    for rx in (ISO, MDY, DMY, DAY_OF_MONTH):
        m = rx.search(sentence)
        if m and (m["year"] or ref):
            mon = int(m["mon"]) if rx is ISO else month_number(m["mon"])
            year = int(m["year"]) if m["year"] else None
            if year is None and ref is not None and LAST_YEAR.match(sentence, m.end()):
                year = ref.year - 1  # "on the night of April 23 last year"
            d = build_date(year, mon, int(m["day"]), ref, ahead)
            if d:
                basis = "text" if m["year"] else "publication"
                return EventDate(d, "day", m.start(), m.end(), explicit=True, basis=basis)
    # "On 15.01.2031 at about 1830 hrs": a summary's day in figures
    if (found := numeric_day(sentence)) is not None:
        return EventDate(found[0], "day", found[1], found[2], explicit=True)
    # "3. 13/01 — Quetta: ...": a listed item opening on its day and month in figures
    if ref is not None and (m := ITEM_DAY.match(sentence)) is not None:
        a, b = int(m["a"]), int(m["b"])
        d = build_date(None, *((a, b) if b > 12 else (b, a)), ref, ahead)
        if d is not None:
            return EventDate(d, "day", m.start("a"), m.end("b"), explicit=True, basis="publication")
    return None


def _below_bound(sentence: str, bound: date) -> EventDate | None:
    """ "On the morning of 14 March" in a report dated only by a later page date: the latest 14 March on or
    before that date (no tolerance above it: a render date is not a publication date), to the day."""
    for rx in (MDY, DMY):
        m = rx.search(sentence)
        if m is not None and not m["year"] and not _not_a_month(m):
            d = build_date(None, month_number(m["mon"]), int(m["day"]), bound, 0)
            if d is not None:
                return EventDate(d, "day", m.start(), m.end(), explicit=True, basis="page-date bound")
    # "on Tuesday night" under a banner's Wednesday: the latest Tuesday on or before it
    if (
        isinstance(bound, BannerDay)
        and (w := told_weekday(sentence)) is not None
        and not _other_month(sentence, bound)
    ):
        return EventDate(weekday_day(sentence, w, bound), "day", w.start(), w.end(), basis="page-date bound")
    return None


LAST_YEAR = re.compile(r",?\s+(?:of\s+)?last\s+year\b", re.I)
ITEM_DAY = re.compile(r"\s*(?:\d{1,3}[.)]\s+|[-•*·]\s*)?(?P<a>\d{1,2})/(?P<b>\d{1,2})\s*(?:[—–:|]|-\s)")


def _day_before(sentence: str, ref: date, ahead: int) -> EventDate | None:
    """A day counted back from the publication or an event's day: a weekday, "yesterday", "on the 14th"."""
    m = told_weekday(sentence)
    if m and _other_month(sentence, ref):
        m = None  # "on Easter Sunday in March", written in August: a Sunday of March, not last Sunday
    # "last Tuesday, the 11th": the day of the month the weekday is told with
    if m and not ((dm := day_of_month(sentence, ref, AHEAD_OF_PUBLICATION)) and dm[1] <= m.start() < dm[2]):
        day = weekday_day(sentence, m, ref, ahead == AHEAD_OF_PUBLICATION)
        return EventDate(day, "day", m.start(), m.end(), basis="publication")
    return _counted(counted_back(sentence, ref) or day_of_month(sentence, ref, AHEAD_OF_PUBLICATION))


def _counted(found: tuple[date, int, int] | None) -> EventDate | None:
    return EventDate(found[0], "day", found[1], found[2], basis="publication") if found else None


def _not_a_month(m: re.Match[str]) -> bool:
    """ "may" the verb, "a protest march", "jan" in lower case: a month name is written with a capital; "on
    14 May" (its day before it) is the month."""
    if not m["mon"][0].isupper():
        return True
    told = m.group(0).lower().startswith("in ") or m.group(0)[0].isdigit()
    told = told or MONTH_WORD.search(m.string, max(0, m.start() - 12), m.start()) is not None
    return m["mon"].lower().rstrip(".") == "may" and not m["year"] and not told


# "early May", "since May", "mid-May": words that make the name that follows a month, not the verb
MONTH_WORD = re.compile(r"\b(?:early|late|mid|since|until|till|during|through|last|next|this)[\s-]+$", re.I)


def _other_month(sentence: str, ref: date) -> bool:
    """Whether the sentence names a month other than those of the week before ``ref``, or one of them in
    another year ("during Friday prayers in November last year", written in November)."""
    recent = {ref.month, (ref - timedelta(days=7)).month}
    for m in MONTH_YEAR.finditer(sentence):
        if _not_a_month(m):
            continue
        other_year = "last year" in m.group(0).lower() or int(m["year"] or ref.year) != ref.year
        if month_number(m["mon"]) not in recent or other_year:
            return True
    return False


def _week_or_month_before(sentence: str, ref: date) -> EventDate | None:
    """A week, month or year counted back from the publication: "last week", "this month", "last year"."""
    if (m := WEEK_VAGUE.search(sentence)) is not None:
        phrase = m["w"].lower()
        weeks = 0 if "this week" in phrase else 1 if phrase == "last week" else parse_number(m["n"] or "")
        if weeks is not None and weeks <= 4:
            # a day of that week is not stated: the month it falls in (a weekday near the reference)
            back = 7 * weeks if weeks else min(2, ref.weekday())
            d = ref - timedelta(days=back)
            return EventDate(d, "month", m.start(), m.end(), basis="publication")
    m = RELATIVE_MONTH.search(sentence)
    if m:
        phrase = m.group(1).lower()
        if phrase == "last year" and re.search(rf"\b{MONTH_NAME}\s+$", sentence[: m.start()], re.I):
            pass  # "in August last year": a month, read by `_month_named`
        elif phrase == "last year" and (named := _month_named(sentence, ref, None)) is not None:
            # "In December, fighters rammed ... - the deadliest strike on the army last year": that December
            return replace(named, value=date(ref.year - 1, named.value.month, 1) if named.value else None)
        elif phrase == "last year":
            return EventDate(date(ref.year - 1, 1, 1), "year", m.start(), m.end(), basis="publication")
        if "month" in phrase and m["n"] is None:
            back = 0 if "this month" in phrase else 1
            y, mo = divmod(ref.year * 12 + ref.month - 1 - back, 12)
            return EventDate(date(y, mo + 1, 1), "month", m.start(), m.end(), basis="publication")
    return None


YEARS_AGO = re.compile(
    r"\b(?P<n>[\w-]+) (?P<unit>years?|months?) ago"
    rf"(?: (?P<today>today|tonight|this week)| this (?P<mon>{MONTH_NAME}|month)(?![\w]))?"
    rf"|\b(?P<last>last|this past) (?P<lmon>{MONTH_NAME})(?![\w])",
    re.I,
)


# "born 38 years ago", "founded two years ago": when a person or a body began, not an event's date
BEGAN = re.compile(r"\b(?:born|founded|formed|established|set up|married)\s+(?:\w+\s+){0,2}$", re.I)


def _years_ago(sentence: str, ref: date) -> EventDate | None:
    """ "Nine years ago" (that year), "three months ago" (that month), "seven years ago this August" or "this
    month" (that month), "a year ago today" or "this week" (that day), "last October" (the latest October);
    not a life's or a body's start ("the house where he was born 38 years ago")."""
    m = next((m for m in YEARS_AGO.finditer(sentence) if not BEGAN.search(sentence, 0, m.start())), None)
    if m is None:
        return None
    if m["lmon"]:
        mon = month_number(m["lmon"]) or 1
        year = ref.year if mon < ref.month else ref.year - 1
        return EventDate(date(year, mon, 1), "month", m.start(), m.end(), basis="publication")
    n = 1 if m["n"].lower() in ("a", "one") else parse_number(m["n"])
    if n is None or not 0 < n <= 100:
        return None
    if m["unit"].lower().startswith("month"):
        y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
        return EventDate(date(y, mo + 1, 1), "month", m.start(), m.end(), basis="publication")
    if m["today"]:
        day = min(ref.day, 28) if ref.month == 2 else ref.day
        return EventDate(date(ref.year - n, ref.month, day), "day", m.start(), m.end(), basis="publication")
    if m["mon"]:
        mon = month_number(m["mon"]) or ref.month  # "two years ago this month": the report's month
        return EventDate(date(ref.year - n, mon, 1), "month", m.start(), m.end(), basis="publication")
    return EventDate(date(ref.year - n, 1, 1), "year", m.start(), m.end(), basis="publication")


def _finer_month(sentence: str, counted: EventDate | None) -> EventDate | None:
    """ "Two years ago, in March 2024": the month written with its year, finer than the years counted back."""
    if counted is None or counted.precision != "year" or counted.value is None:
        return counted
    named = _month_named(sentence, None, None)
    same = named is not None and named.value is not None and named.value.year == counted.value.year
    return named if same else counted


def _month_named(sentence: str, ref: date | None, bound: date | None) -> EventDate | None:
    """A month named ("in March", "March 2031"), its year from the text, the publication or the bound."""
    for m in MONTH_YEAR.finditer(sentence):
        if _not_a_month(m):
            continue
        mon = month_number(m["mon"])
        if m["year"]:
            return EventDate(date(int(m["year"]), mon or 1, 1), "month", m.start(), m.end())
        base, basis = (ref, "publication") if ref is not None else (bound, "page-date bound")
        if base is not None and mon is not None:
            # a page's render date bounds publication from above: "March" is the latest March before it
            d = build_date(None, mon, 1, base)
            if "last year" in m.group(0).lower() and d is not None:
                d = date(base.year - 1, mon, 1)
            if d is not None and ref is None and d > base:
                d = date(d.year - 1, mon, 1)  # no tolerance below a bound: it is not a publication date
            if d:
                return EventDate(d, "month", m.start(), m.end(), basis=basis)
    return None
