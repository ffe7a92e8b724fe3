"""Dates counted from another event of the report: "three months later", "the following May", "two months
after the bombing". Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from outrider.intel.dates import MONTH_NAME, EventDate, month_number, resolve_event_date
from outrider.intel.feasts import counted_from_feast
from outrider.intel.lexicon import attack_words
from outrider.intel.numbers import parse_number

ATTACK = attack_words()  # data/lexicon.json

LATER = re.compile(
    rf"\b(?P<n>[\w-]+) (?P<unit>months?|years?|weeks?) later\b"
    rf"|\bthe (?:following|next) (?P<mon>{MONTH_NAME})(?![\w])"
    # "(it) was followed in June by the deadlier raid on X", "later in June, ...": a month after it
    rf"|\b(?:followed|later) in (?P<after>{MONTH_NAME})(?![\w])"
    # "in July that year", "in March of the same year": a month of the year of the event told before
    rf"|\b(?P<same>{MONTH_NAME})\s+(?:of\s+)?(?:that|the same) year\b"
    r"|\b(?P<later>later|earlier) (?:that|the same) year\b",
    re.I,
)


# "A day earlier, gunmen shot ...", "Two days later, ...", "The previous day, ...": a sentence that opens by
# counting days from the event told just before it
DAYS_APART = re.compile(
    r"^\W*(?:(?P<n>an?|one|two|three|four|five|six)\s+days?\s+(?P<dir>earlier|later|before)"
    r"|the\s+(?P<rel>previous|next|following)\s+day)\b",
    re.I,
)


def later_than(segment: str, previous: EventDate) -> EventDate | None:
    """ "Three months later", "the following May", "a day earlier": a date counted from the event told just
    before."""
    if (d := DAYS_APART.search(segment)) is not None and previous.value and previous.precision == "day":
        days = 1 if d["rel"] or d["n"].lower() in ("a", "an", "one") else parse_number(d["n"]) or 1
        back = (d["dir"] or "").lower() in ("earlier", "before") or (d["rel"] or "").lower() == "previous"
        return EventDate(
            previous.value + timedelta(days=-days if back else days), "day", d.start(), d.end(), basis="event"
        )
    m = LATER.search(segment)
    if m is None or previous.value is None:
        return None
    prev = previous.value
    if m["same"]:
        mon = month_number(m["same"]) or 1
        return EventDate(date(prev.year, mon, 1), "month", m.start(), m.end(), basis="event")
    if m["later"]:
        return EventDate(date(prev.year, 1, 1), "year", m.start(), m.end(), basis="event")
    if m["mon"] or m["after"]:
        mon = month_number(m["mon"] or m["after"]) or 1
        year = prev.year if mon > prev.month else prev.year + 1
        return EventDate(date(year, mon, 1), "month", m.start(), m.end(), basis="event")
    n = 1 if m["n"].lower() in ("a", "one") else parse_number(m["n"])
    if n is None or not 0 < n <= 100:
        return None
    unit = m["unit"].lower().rstrip("s")
    if unit != "year" and previous.precision == "year":
        return None  # months after a year: the month is not known
    if unit == "week":
        return EventDate(prev + timedelta(weeks=n), "month", m.start(), m.end(), basis="event")
    months = n * (12 if unit == "year" else 1)
    y, mo = divmod(prev.year * 12 + prev.month - 1 + months, 12)
    prec = "year" if unit == "year" or previous.precision == "year" else "month"
    return EventDate(date(y, mo + 1, 1), prec, m.start(), m.end(), basis="event")


RELATIVE_EVENT = re.compile(
    r"\b(?P<n>[\w-]+)\s+(?P<unit>days?|months?|weeks?|years?)\s+(?P<dir>after|before)\s", re.I
)


# "for a week", "for more than a day", "for nearly two months": how long, not when
DURATION = re.compile(
    r"\bfor\s+(?:(?:more|less|fewer)\s+than\s+|over\s+|nearly\s+|almost\s+|about\s+)?$", re.I
)
DAY_NAMED = re.compile(rf"\b(?i:{MONTH_NAME})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?i:{MONTH_NAME})")
ATTACK_AS_REFERENCE = re.compile(
    r"(?:the|this|that|a|last \w+'s)\b[^,.;]{0,40}?\b(?:bombing|attack|blast|raid|assault|massacre|ambush"
    r"|explosion|shooting|siege)\b",
    re.I,
)


# "A week after a suicide bombing at X, officials say ...": a statement in the present, made as the report
# is written: the attack is counted back from the report's day, not from its main event
SAID_NOW = re.compile(
    r"[^,;.]{0,80},\s+(?:[\w'’-]+\s+){0,4}?(?:say|says|tell|tells|insist|insists|believe|believes|claim|claims"
    r"|accuse|accuses|allege|alleges|admit|admits|warn|warns|blame|blames|deny|denies|still)\b",
    re.I,
)


def relative_to(segment: str, anchor: date, before: str = "", now: date | None = None) -> EventDate | None:
    """'X came three months after <this event>': the segment's event relative to the anchor event; ``before``:
    the sentence's text before the segment ("remained suspended for | two days after saboteurs ...");
    ``now``: the report's day, what a statement in the present is counted from."""
    m = RELATIVE_EVENT.search(segment)
    if (
        not m
        or DURATION.search(before[-40:] + segment[: m.start()])
        or counted_from_feast(segment, m.start())
    ):
        return None  # "for a week before the attack": how long, not when; "three days after Eid": the feast's
    ref = ATTACK_AS_REFERENCE.match(segment, m.end())
    if ref and DAY_NAMED.search(ref.group(0)):
        return None  # "a week before the August 11 attack": the attack's own day is written
    if ref and not ATTACK.search(segment[: m.start()] + " " + segment[ref.end() :]):
        return None  # "One year after the bombing, the road is shut": the attack is the reference point
    n = parse_number(m["n"])
    if n is None:
        return None
    unit = m["unit"].lower().rstrip("s")
    sign = -1 if m["dir"].lower() == "after" else 1
    if ref and now is not None and m["dir"].lower() == "after" and SAID_NOW.match(segment, ref.end()):
        anchor = now
    if unit == "day" and n <= 14:
        # "It came two days after gunmen attacked a police post": that day
        return EventDate(anchor + timedelta(days=sign * n), "day", m.start(), m.end(), basis="event")
    if unit == "week":
        prec = "day" if n <= 1 else "month"
        return EventDate(anchor + timedelta(weeks=sign * n), prec, m.start(), m.end(), basis="event")
    months = n * (12 if unit == "year" else 1) * sign
    y, mo = divmod(anchor.year * 12 + anchor.month - 1 + months, 12)
    prec = "month" if unit == "month" else "year"
    return EventDate(date(y, mo + 1, 1), prec, m.start(), m.end(), basis="event")


def written_over(when: EventDate, counted: EventDate) -> bool:
    """ "five years after a bomb ripped through a bus ... on July 14, 2021": a calendar date the clause writes
    is the attack's, finer than the one counted from the report's event, which it agrees with."""
    if when.value is None or counted.value is None or not when.explicit or when.basis != "text":
        return False
    if when.precision == "day" and when.start == 0:
        return True  # "16 February 2017 — Three days after the X bombing, ...": the item's own day heads it
    finer = when.precision == "day" and counted.precision in ("month", "year")
    return finer and when.value.year == counted.value.year


SAME_TIME = re.compile(
    r"\b(?:the same (?:night|day|evening|morning|afternoon)|that (?:same )?(?:night|day)"
    r"|(?:hours|minutes) (?:after|later|earlier|before))\b",
    re.I,
)


THAT_DAY = re.compile(r"\b(?:that|the same) (?:same )?(?:day|night|evening|morning|afternoon)\b", re.I)


def days_written(
    split: Sequence[tuple[int, str, bool]], told: list[tuple[int, str]]
) -> list[tuple[int, EventDate]]:
    """The days with their year that the report's sentences telling no attack write out after the first
    attack told (a page's stamps above the story are no day it tells), by offset; ``told``: the attacks'
    offsets and words (none says "that day": nothing to read)."""
    if not any(THAT_DAY.search(text) for _, text in told):
        return []
    first = min(n for n, _ in told)
    quiet = [
        (start, sent)
        for start, sent, _ in split
        if start > first and YEAR.search(sent) and not any(start <= n < start + len(sent) for n, _ in told)
    ]
    days = [(start, resolve_event_date(sent, None)) for start, sent in quiet]
    return [(s, d) for s, d in days if d.precision == "day" and d.explicit and d.basis == "text"]


YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def same_day(
    text: str, previous: EventDate | None, written: Sequence[tuple[int, EventDate]], between: tuple[int, int]
) -> EventDate | None:
    """ "Another camp the same night": the day of the event told just before; "that day", "the same night":
    the last day written out ``between`` the two attacks' offsets, when one is."""
    if not SAME_TIME.search(text):
        return None
    after, before = between
    said = (d for start, d in reversed(written) if after < start < before) if THAT_DAY.search(text) else ()
    return next(iter(said), previous)
