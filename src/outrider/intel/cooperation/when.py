"""The date of a cooperation act in its sentence, by `intel.dates` with readings of its own:

* a weekday dates the act it stands beside ("agreed on Thursday", "on Monday began"): for incidents such a
  weekday dates a statement, here the statement is the act;
* a span ("from November 19 to December 11", "between 3 and 9 May") ends on its last day, the day an act
  reported complete was completed;
* a weekday after "said" dates the statement (basis `statement`): a report of a meeting may date the
  commitments made there by the meeting instead;
* "last year" after a day or month without a year puts it in the year before publication;

and the deadline a sentence gives a commitment ("by June", "next month", "within three months").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from outrider.intel.dates import (
    DMY,
    MDY,
    MONTH_NAME,
    WEEKDAY,
    WEEKDAYS,
    EventDate,
    build_date,
    month_number,
    resolve_event_date,
)
from outrider.intel.numbers import parse_number

RANGE_END = re.compile(
    r"\b(?:from|between)\s+[^.;]{3,30}?\s+(?:to|until|till|and|through)\s+(?P<end>[^.;,]{3,25})", re.I
)
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
DAYS_OF_MONTH = (
    re.compile(
        rf"\bfrom\s+(?P<mon>{MONTH_NAME})\s+\d{{1,2}}\s+(?:to|until|till|through)\s+(?P<end>\d{{1,2}})\b{_YEAR}",
        re.I,
    ),
    re.compile(
        rf"\bfrom\s+\d{{1,2}}\s+(?:to|until|till|through)\s+(?P<end>\d{{1,2}})\s+(?P<mon>{MONTH_NAME})\b{_YEAR}",
        re.I,
    ),
)
STATEMENT = re.compile(
    r"\b(?:said|says|told \w+|announced|added|stated|confirmed|reported|quoted|wrote)\s+(?:on\s+)?$", re.I
)
# "a visit that ends on Saturday": a day still to come dates nothing done
AHEAD = re.compile(
    rf"\b(?:ends|will end|ending|until|till|next)\s+(?:on\s+)?(?:{'|'.join(WEEKDAYS)})\b", re.I
)
# "the rest would arrive by March": the time of what is still to come, no date of the act told done
BY_MONTH_AHEAD = re.compile(
    rf"\b(?:would|will)\s+(?:[\w-]+\s+){{0,3}}?by\s+(?:the\s+end\s+of\s+)?(?:{MONTH_NAME})\b(?:\s+\d{{4}})?",
    re.I,
)
# "is to be in place by June 30", "shall become operational by 30 April", "before December 31": a day an act
# is due by, no day it was done
BY_DAY = re.compile(
    rf"\b(?:by|before|no later than)\s+(?:the\s+end\s+of\s+)?"
    rf"(?:(?:{MONTH_NAME})\s+\d{{1,2}}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTH_NAME})\b)(?:,?\s+\d{{4}})?",
    re.I,
)
UNTIL_DAY = re.compile(
    rf"\b(?:until|till|ends on|will end on|ending on)\s+"
    rf"(?:{MONTH_NAME}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_NAME})",
    re.I,
)
# "from March 9 to 12", "between 3 and 5 May": a span of days ("troops from the army" is none)
SPAN_START = re.compile(rf"\b(?:from|between)\s+(?:the\s+)?(?:\d{{1,2}}\b|{MONTH_NAME}\s+\d)", re.I)
LAST_YEAR = re.compile(r"^\s*(?:last|the previous) year\b", re.I)


# "on Tuesday and Wednesday": an act of two days ends on the second
WEEKDAY_PAIR = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\s+(?:and|to|through)\s+(?={WEEKDAY.pattern})", re.I)


EVENT_REACH = 90  # characters from an attack named to the calendar date that dates it


def _event_dated(sentence: str, found: EventDate, ref: date | None) -> bool:
    """Whether an explicit day follows an attack the sentence names after a weekday that dates the act."""
    if ref is None or not (found.precision == "day" and found.explicit) or found.start < 0:
        return False
    wd = WEEKDAY.search(sentence, 0, found.start)
    lo = max(wd.end() if wd else found.start, found.start - EVENT_REACH)
    # "the attack ... on July 8", "killed in the March 18 suicide attack": the day names the attack
    named = DATE_THEN_EVENT.match(sentence, found.end) or EVENT_NOUN.search(sentence, lo, found.start)
    return wd is not None and named is not None


def _weekday(sentence: str, ref: date) -> EventDate | None:
    m = WEEKDAY.search(sentence)
    if m is None:
        return None
    if (pair := WEEKDAY_PAIR.match(sentence, m.start())) is not None:
        m = WEEKDAY.match(sentence, pair.end()) or m
    back = (ref.weekday() - WEEKDAYS.index(m["wd"].lower())) % 7
    # "an official said on Sunday": the day of the statement, which may be later than the act it reports
    basis = "statement" if STATEMENT.search(sentence[max(0, m.start() - 30) : m.start()]) else "publication"
    return EventDate(ref - timedelta(days=back), "day", m.start(), m.end(), basis=basis)


def _range_end(sentence: str, ref: date | None) -> EventDate | None:
    for rx in DAYS_OF_MONTH:
        if (d := rx.search(sentence)) is not None:
            # "from March 9 to 12", "from 9 to 12 March": the month is told once
            year = int(d["year"]) if d["year"] else None
            found = build_date(year, month_number(d["mon"]), int(d["end"]), ref)
            if found is not None:
                return EventDate(found, "day", d.start("end"), d.end("end"), explicit=True)
    m = RANGE_END.search(sentence)
    if m is None:
        return None
    end = m["end"]
    for rx in (MDY, DMY):
        d = rx.search(end)
        if d is None:
            continue
        year = int(d["year"]) if d["year"] else None
        found = build_date(year, month_number(d["mon"]), int(d["day"]), ref)
        if found is not None and year is None and LAST_YEAR.match(end[d.end() :]):
            found = found.replace(year=(ref or found).year - 1)
        if found is not None:
            return EventDate(found, "day", m.start("end"), m.end("end"), explicit=True)
    return None


# an event a report may date an act by: "on the day of the blast", "a day after the attack"
EVENT_NOUN = re.compile(
    r"\b(?P<noun>blast|attack|bombing|explosion|ambush|assault|raid|killings|shooting|massacre)\b", re.I
)
BY_EVENT = re.compile(
    r"\b(?P<rel>on the day of|the day of|the day after|a day after|the day before|a day before)\s+the\s+"
    rf"(?:[\w-]+\s+)?{EVENT_NOUN.pattern}",
    re.I,
)
# "the July 14 blast", "the 3 May deadly attack": a date at most one word before the event's noun
BETWEEN_DATE_AND_EVENT = re.compile(r"\s+(?:[\w-]+\s+)?")
# "the attack on 3 May", "the blast of July 14": a date just after it
EVENT_THEN_DATE = re.compile(r"\s+(?:on|of)\s+")
EVENT_DATE_REACH = 28
DATE_THEN_EVENT = re.compile(rf"\s+(?:[\w-]+\s+)?{EVENT_NOUN.pattern}", re.I)


def event_days(text: str, ref: date | None) -> dict[str, date]:
    """The day the report gives each kind of event it names with a calendar date beside it ("the July 14
    blast", "the attack on 3 May"): the identity a later "on the day of the blast" refers to."""
    out: dict[str, date] = {}
    for m in EVENT_NOUN.finditer(text):
        day = _date_beside(text, m.start(), m.end(), ref)
        if day is not None:
            out[m["noun"].lower()] = day
    return out


def _date_beside(text: str, start: int, end: int, ref: date | None) -> date | None:
    before = text[max(0, start - EVENT_DATE_REACH) : start]
    after = text[end : end + EVENT_DATE_REACH]
    lead = EVENT_THEN_DATE.match(after)
    for rx in (MDY, DMY):
        d = rx.search(before)
        if d is not None and BETWEEN_DATE_AND_EVENT.fullmatch(before[d.end() :]):
            return _day_of(d, ref)
        if lead is not None and (d := rx.match(after, lead.end())) is not None:
            return _day_of(d, ref)
    return None


def _day_of(m: re.Match[str], ref: date | None) -> date | None:
    return build_date(int(m["year"]) if m["year"] else None, month_number(m["mon"]), int(m["day"]), ref)


def _by_event(sentence: str, events: dict[str, date]) -> EventDate | None:
    """ "On the day of the blast": the day the report gives that event."""
    m = BY_EVENT.search(sentence)
    if m is None or (day := events.get(m["noun"].lower())) is None:
        return None
    rel = m["rel"].lower()
    shift = 1 if "after" in rel else -1 if "before" in rel else 0
    return EventDate(day + timedelta(days=shift), "day", m.start(), m.end(), explicit=True, basis="event")


# "Tuesday's shooting", "Saturday's deadly attack": an event named by its day
EVENT_BY_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})['’]s\s+(?:[\w-]+\s+)?{EVENT_NOUN.pattern}", re.I)
# "after the March bombing of a convoy": a month naming an attack (with a day, "the March 18 attack", F7)
EVENT_BY_MONTH = re.compile(
    rf"\b(?:the|last|this)\s+(?:{MONTH_NAME})\s+(?:[a-z][\w-]*\s+)?{EVENT_NOUN.pattern}", re.I
)
# "killed in the March 14 attack", "the 3 May suicide bombing": a day named before an attack is the attack's
EVENT_BY_DAY = re.compile(
    rf"\b(?:the|last|this)\s+(?:(?:{MONTH_NAME})\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTH_NAME}))"
    rf"(?:,?\s+(?:19|20)\d\d)?\s+(?:[a-z][\w-]*\s+)?{EVENT_NOUN.pattern}",
    re.I,
)
# "who lost their lives in the terrorist attack near Rohri on 12th November 2025", "the attack on a survey
# team near Kulachi on 14 April": a day told after an attack (its target and the place it struck) is the
# attack's, not the day of the act the sentence reports
EVENT_ON_DAY = re.compile(
    rf"{EVENT_NOUN.pattern}"
    r"(?:\s+(?:on|against)\s+(?:an?|the|their|its)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+(?=\s+(?:near|in|at)\s))?"
    r"(?:\s+(?:near|in|at|on)\s+(?:the\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))?"
    rf"\s+on\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_NAME})"
    rf"|(?:{MONTH_NAME})\s+\d{{1,2}}(?:st|nd|rd|th)?\b)(?:,?\s+(?:19|20)\d\d)?",
    re.I,
)
# "a suicide bombing in Gwadar this month": a period told right after an attack (and its place) is its own
EVENT_IN_PERIOD = re.compile(
    rf"{EVENT_NOUN.pattern}(?:\s+(?:near|in|at|on)\s+(?:the\s+)?(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))?"
    r"\s+(?:this|last|earlier this|late last|early this)\s+(?:week|month)\b",
    re.I,
)
PART_OF_YEAR = re.compile(
    r"\b(?:early|mid|late|the (?:end|start|beginning|middle) of)[- ](?P<year>(?:19|20)\d\d)\b", re.I
)
WEEK_AGO = re.compile(r"\s*(?:last week|earlier this week|this week|the previous week|a week ago)\s*", re.I)
DAY_BEFORE = re.compile(r"\b(?:a day earlier|the day before|the previous day|a day before)\b", re.I)


# "on the 12th of March", "on 11/03/2031" (day first, the region's custom, unless the first number cannot
# be a month)
ORDINAL_OF = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)\s+of\s+(?P<mon>{MONTH_NAME})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
OF_LAST_MONTH = re.compile(
    r"\b(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)\s+of\s+(?:last|the previous)\s+month\b", re.I
)
NUMERIC_DAY = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)\b")


def _day_written_otherwise(sentence: str, ref: date | None) -> EventDate | None:
    if (m := ORDINAL_OF.search(sentence)) is not None:
        year = int(m["year"]) if m["year"] else None
        found = build_date(year, month_number(m["mon"]), int(m["day"]), ref)
        basis = "text" if year else "publication"
    elif (m := OF_LAST_MONTH.search(sentence)) is not None and ref is not None:
        # "on the 28th of last month": a day of the month before the report's
        first = ref.replace(day=1) - timedelta(days=1)
        try:
            found, basis = first.replace(day=int(m["day"])), "publication"
        except ValueError:
            return None
    elif (m := NUMERIC_DAY.search(sentence)) is not None:
        a, b = int(m["a"]), int(m["b"])
        day, month = (b, a) if b > 12 >= a else (a, b)
        try:
            found, basis = date(int(m["year"]), month, day), "text"
        except ValueError:
            return None
    else:
        return None
    return None if found is None else EventDate(found, "day", m.start(), m.end(), explicit=True, basis=basis)


def _own_time(sentence: str, found: EventDate, statement: EventDate) -> bool:
    """Whether a week or month told before the day of a statement ("signed earlier this month, officials said
    on Friday") is the act's own time, not that of an event named beside it ("the massacre last month")."""
    return (
        found.precision in ("week", "month")
        and 0 <= found.end <= statement.start
        and not EVENT_NOUN.search(sentence, max(0, found.start - 25), found.start)
    )


def act_date(sentence: str, ref: date | None, events: dict[str, date] | None = None) -> EventDate:
    """The date of the act a sentence reports, against the publication date (or a page date standing in)
    and the days the report gives its events (`event_days`)."""
    if events and (by_event := _by_event(sentence, events)) is not None:
        return by_event
    # "sorrow over Tuesday's shooting": the weekday dates the event named, not the act (offsets kept)
    sentence = EVENT_BY_WEEKDAY.sub(lambda m: " " * len(m.group(0)), sentence)
    sentence = EVENT_BY_MONTH.sub(lambda m: " " * len(m.group(0)), sentence)
    if not WEEKDAY.search(sentence):  # with a weekday beside it, `_event_dated` tells the act's day
        sentence = EVENT_ON_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
        sentence = EVENT_IN_PERIOD.sub(lambda m: " " * len(m.group(0)), sentence)
        sentence = EVENT_BY_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
    sentence = AHEAD.sub(lambda m: " " * len(m.group(0)), sentence)
    sentence = BY_MONTH_AHEAD.sub(lambda m: " " * len(m.group(0)), sentence)
    sentence = BY_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
    if not SPAN_START.search(sentence):
        # "the exercise, which will run until March 25": the end still to come dates nothing under way
        sentence = UNTIL_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
    if ref is not None and (m := DAY_BEFORE.search(sentence)) is not None:
        return EventDate(ref - timedelta(days=1), "day", m.start(), m.end(), basis="publication")
    span = _range_end(sentence, ref)
    if span is not None:
        return span
    found = resolve_event_date(sentence, ref)
    if found.precision != "day" and (written := _day_written_otherwise(sentence, ref)) is not None:
        found = written
    if found.value is None and (part := PART_OF_YEAR.search(sentence)) is not None:
        # "in late 2024": coarser than a month, a year
        found = EventDate(date(int(part["year"]), 1, 1), "year", part.start(), part.end(), basis="text")
    if found.value is not None and WEEK_AGO.fullmatch(sentence[found.start : found.end]):
        # "last week": the incident reader has no week precision and says month; the schema has week
        found = EventDate(found.value, "week", found.start, found.end, found.explicit, found.basis)
    if _event_dated(sentence, found, ref):
        # "approved on Tuesday compensation for the victims of the attack ... on July 8": the attack's date
        return _weekday(sentence, ref) or found  # type: ignore[arg-type]
    if ref is not None and not (found.precision == "day" and found.explicit):
        weekday = _weekday(sentence, ref)
        # "agreed earlier this month, officials said on Friday": the statement's day does not date the act
        if weekday is not None and not (weekday.basis == "statement" and _own_time(sentence, found, weekday)):
            return weekday
    if (
        found.value is not None
        and found.end > 0
        and LAST_YEAR.match(sentence[found.end :])
        and ref is not None
    ) and found.value.year == ref.year:
        found = EventDate(found.value.replace(year=ref.year - 1), found.precision, found.start, found.end)
    return found


# a time told against the day of writing ("on Tuesday", "yesterday", "last month", "two days ago"): a report
# that cannot itself be dated leaves such a time unknowable
RELATIVE_TIME = re.compile(
    rf"\b(?:{'|'.join(WEEKDAYS)}|yesterday|today|tonight|(?:last|this|earlier this|next) (?:week|month|year)"
    r"|[\w-]+ (?:days?|weeks?|months?) (?:ago|earlier))\b",
    re.I,
)


def told_relatively(sentence: str) -> bool:
    """Whether a sentence dates what it tells against the day it was written."""
    return RELATIVE_TIME.search(sentence) is not None


# "on Monday", "late on Saturday": a weekday told as the day of an act
ON_WEEKDAY = re.compile(rf"\bon\s+{WEEKDAY.pattern}", re.I)


def written_after(text: str, day: date) -> date:
    """The day a report without publication date was written, from the day of an event it tells: the report
    came after every weekday it names as the day of an act ("on Saturday" the attack, "on Monday" the visit
    it leads with), so it is the first day on or after ``day`` by which each of them has come round."""
    ahead = [(WEEKDAYS.index(m["wd"].lower()) - day.weekday()) % 7 for m in ON_WEEKDAY.finditer(text)]
    return day + timedelta(days=max(ahead, default=0))


DUE_MONTH = re.compile(
    r"\b(?:by|before|until|till|no later than)\s+(?:the\s+(?:end|middle)\s+of\s+|(?:early|mid|late)[- ])?"
    rf"(?P<mon>{MONTH_NAME})(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
# "an exercise to be held in Kashgar in April": the month it is planned for
DUE_HELD = re.compile(
    r"\b(?:to be held|will be held|(?:is|are) (?:scheduled|planned|set) (?:to|for))\b[^.;]{0,80}?\bin\s+"
    rf"(?P<mon>{MONTH_NAME})(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
DUE_YEAR = re.compile(
    r"\b(?:by|before|until|no later than)\s+(?:the\s+end\s+of\s+)?(?P<year>(?:19|20)\d\d)\b", re.I
)
DUE_SPAN = re.compile(r"\b(?P<n>[a-z]+|\d+)-(?P<unit>day|week|month)\b", re.I)
DUE_NEXT = re.compile(r"\b(?:next|the coming)\s+(?P<unit>month|year)\b", re.I)
DUE_WITHIN = re.compile(r"\b(?:within|in the next)\s+(?P<n>[\w-]+)\s+(?P<unit>months?|weeks?)\b", re.I)


def _month_after(ref: date, months: int) -> str:
    y, m = divmod(ref.year * 12 + ref.month - 1 + months, 12)
    return f"{y:04d}-{m + 1:02d}"


def deadline(sentence: str, ref: date | None, start: date | None = None) -> str | None:
    """When the sentence says a commitment is due ("by June", "until mid-December", "next month", "within
    three months", "by 2032", or "a two-week exercise" that began on ``start``), as YYYY-MM or YYYY; None for
    "soon" or nothing."""
    if start is not None and (m := DUE_SPAN.search(sentence)) is not None and (n := parse_number(m["n"])):
        days = n * {"day": 1, "week": 7, "month": 30}[m["unit"].lower()]
        end = start + timedelta(days=days)
        return f"{end.year:04d}-{end.month:02d}"
    if (m := DUE_MONTH.search(sentence) or DUE_HELD.search(sentence)) is not None:
        month = month_number(m["mon"]) or 1
        if m["year"]:
            return f"{int(m['year']):04d}-{month:02d}"
        if ref is None:
            return None
        return f"{ref.year + (1 if month < ref.month else 0):04d}-{month:02d}"
    if (m := DUE_YEAR.search(sentence)) is not None:
        return m["year"]
    if ref is None:
        return None
    if (m := DUE_NEXT.search(sentence)) is not None:
        return _month_after(ref, 1) if m["unit"].lower() == "month" else f"{ref.year + 1:04d}"
    if (m := DUE_WITHIN.search(sentence)) is not None and (n := parse_number(m["n"])) is not None:
        months = n if m["unit"].lower().startswith("month") else round(n / 4.345)
        return _month_after(ref, max(months, 0))
    return None
