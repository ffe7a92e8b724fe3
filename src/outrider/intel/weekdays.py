"""Days counted back from a report's publication: a weekday ("on Tuesday", "next Tuesday", "on Tuesday last
week"), "three days ago", "a fortnight ago", "over the weekend", "yesterday", "on the 14th (of this month)".
Pure: the day and the offsets of the words, or None."""

from __future__ import annotations

import re
from datetime import date, timedelta

from outrider.intel.numbers import parse_number

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY = re.compile(r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?\b", re.I)
SPEECH = re.compile(r"\b(said|says|told \w+|announced|added|stated|confirmed)\s+(on\s+)?$", re.I)
# "police on Sunday said", "the court on Thursday sentenced": the weekday dates a statement or a state act
AFTER_WEEKDAY_ACT = re.compile(
    r"\s+(?:\w+ly\s+)?(?:said|says|told|announced|added|stated|confirmed|condemned|denounced|urged|"
    r"sentenced|convicted|acquitted|executed|hanged|arrested|detained|designated|proscribed|banned|agreed|"
    r"signed|concluded|held|met|visited|issued|released|summoned|ordered|vowed|pledged|rejected|denied)\b",
    re.I,
)
WEEKDAY_ATTACK = re.compile(
    r"\w+day(?:\s+(?:morning|afternoon|evening|night))?['’]s\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attack|bombing|blast|explosion|raid|assault|ambush|shooting|strike)s?\b",
    re.I,
)
DIED_ON = re.compile(r"\b(?:died|succumbed|passed away)\b[^.;]{0,60}\bon\s+$", re.I)
ON_DAY = re.compile(r"\b(?:on|late|early|since|until|by)\s+$", re.I)
# "two days ago", "the day before yesterday": a day; "earlier this week", "last week": within a month
DAYS_AGO = re.compile(
    r"\b(?:(?P<n>[\w-]+) days? ago|(?P<n2>a|one) week ago|(?P<f>a) fortnight ago"
    r"|(?P<dby>the day before yesterday))\b",
    re.I,
)


def told_weekday(sentence: str) -> re.Match[str] | None:
    """The weekday that dates the sentence's event, not a statement, a count or a death told after it."""
    weekdays = [
        w
        for w in WEEKDAY.finditer(sentence)
        # "officials said on Tuesday" dates the statement, not the event
        if not SPEECH.search(sentence[max(0, w.start() - 30) : w.start()])
        and not AFTER_WEEKDAY_ACT.match(sentence, w.end())
        # "by Wednesday the count stood at 63": the time of a count, not of the attack
        and not re.search(r"\bby\s+$", sentence[max(0, w.start() - 4) : w.start()], re.I)
        # "a wounded constable died at the hospital on Wednesday": the day of a death, not of the attack
        and not DIED_ON.search(sentence[max(0, w.start() - 70) : w.start()])
    ]
    # "troops spent Thursday combing the camp they had stormed late on Wednesday": the day said with "on"
    # "the toll from Tuesday's bomb attack rose on Wednesday": the weekday the attack is named by comes first
    m = next((w for w in weekdays if WEEKDAY_ATTACK.match(sentence, w.start())), None)
    m = m or next((w for w in weekdays if ON_DAY.search(sentence[max(0, w.start() - 12) : w.start()])), None)
    m = m or next(iter(weekdays), None)
    return m


# "next Tuesday", "this coming Friday": after the report; "on Tuesday last week": of the week before its own
NEXT = re.compile(r"\b(?:next|this coming|coming)\s+$", re.I)
# "last Thursday's attack", "last Monday evening, a week ago now" in a Thursday's or a Monday's report: a week
# before it, not its own day
LAST = re.compile(r"\blast\s+$", re.I)
LAST_WEEK = re.compile(r"\s+(?:of\s+)?last week\b", re.I)


def weekday_day(sentence: str, m: re.Match[str], ref: date, published: bool = False) -> date:
    """The day a told weekday names: the latest on or before the report, the next after it, or that of the
    week before the report's; ``published``: ``ref`` is the report's own day, not an event's standing in."""
    wd = WEEKDAYS.index(m["wd"].lower())
    if NEXT.search(sentence[max(0, m.start() - 14) : m.start()]):
        return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    if LAST_WEEK.match(sentence, m.end()) or re.search(r"\blast week\s+on\s+$", sentence[: m.start()], re.I):
        return ref - timedelta(days=ref.weekday() + 7 - wd)
    if published and LAST.search(sentence[max(0, m.start() - 6) : m.start()]):
        return ref - timedelta(days=(ref.weekday() - wd - 1) % 7 + 1)
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


# "over the weekend", "last weekend", "the weekend's attack": the Saturday before the report
WEEKEND = re.compile(
    r"\b(?:over|at|during|on)\s+the\s+weekend\b|\blast\s+weekend\b|\bthe\s+weekend['’]s\b", re.I
)


def counted_back(sentence: str, ref: date) -> tuple[date, int, int] | None:
    """ "Three days ago", "a fortnight ago", "the day before yesterday", "over the weekend", "yesterday"."""
    if (m := DAYS_AGO.search(sentence)) is not None:
        n = 2 if m["dby"] else 7 if m["n2"] else 14 if m["f"] else parse_number(m["n"])
        if n is not None and 0 < n <= 31:
            return ref - timedelta(days=n), m.start(), m.end()
    if (m := WEEKEND.search(sentence)) is not None:
        return ref - timedelta(days=(ref.weekday() - 5) % 7 or 7), m.start(), m.end()
    low = sentence.lower()
    for word, days in RECENT_WORDS:
        if word.search(low):
            return ref - timedelta(days=days), -1, -1
    return None


# "last night", "overnight": the night before the report; "this morning": the report's day
RECENT_WORDS = tuple(
    (re.compile(rf"\b{word}\b"), days)
    for word, days in (
        ("yesterday", 1),
        ("last night", 1),
        ("overnight", 1),
        ("today", 0),
        ("tonight", 0),
        ("this (?:morning|afternoon|evening)", 0),
    )
)
ORDINAL_DAY = re.compile(
    # "last Tuesday, the 11th", "on the night of the 11th": a weekday's or a time of day's day of the month
    r"\b(?:on|(?:mon|tues|wednes|thurs|fri|satur|sun)day,?|(?:night|morning|evening|afternoon) of)"
    r" the (?P<day>\d{1,2})(?:st|nd|rd|th)\b"
    # "on the 14th of this month", "on the 3rd of last month": the month said, counted from the report's
    r"(?:\s+of\s+(?:(?P<this>this|the current)|(?P<last>last|the previous|the past))\s+month\b|(?!\s+of\b))",
    re.I,
)


def day_of_month(sentence: str, ref: date, ahead: int) -> tuple[date, int, int] | None:
    """ "On the 14th": that day of the report's month, or of the month before when it is still to come;
    "on the 14th of this month", "... of last month": that day of the month said."""
    if (m := ORDINAL_DAY.search(sentence)) is None:
        return None
    day = int(m["day"])
    for back in (1,) if m["last"] else (0,) if m["this"] else (0, 1):
        y, mo = divmod(ref.year * 12 + ref.month - 1 - back, 12)
        try:
            d = date(y, mo + 1, day)
        except ValueError:
            continue
        if d <= ref + timedelta(days=ahead):
            return d, m.start(), m.end()
    return None
