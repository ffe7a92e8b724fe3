"""A report's day from header forms the shared publication reader leaves undated: an "Issued 19 May 2031"
label, a monitoring desk's note naming its source and the source's date ("[Translated from Urdu. Source:
Daily X, Quetta, Wednesday 12 March 2031, back page.]"), a weekly issue's span ("Issue 46 — November 17-23,
2031": the issue's first day) and a date of the Solar Hijri calendar Afghan and Iranian papers print
("Issue: Monday, 7 Mizan 1410", read by the incidents' `outrider.intel.solar`), a handout's or press release's
place and day at the right of a header line ("PRESS RELEASE        Islamabad, 10th February 2031") and a
closing note of the day it was issued ("(The handout was issued on Thursday, 9 July 2031.)"). Pure."""

from __future__ import annotations

import re
from datetime import date

from outrider.intel.cooperation.mentions import Mention
from outrider.intel.dates import MONTH_NAME, month_number, parse_date_text
from outrider.intel.solar import solar_dated

HEAD_LINES = 6

# "Week 20 | 12-18 May 2031 | Issued 19 May 2031": the label of the day a bulletin or a paper was issued
ISSUED = re.compile(r"\b(?:issued|dated|date of issue)\s*:?\s*(?:on\s+)?(?P<rest>[^|]{6,40})", re.I)
# "Source: Daily X, Quetta, Wednesday 12 March 2031, back page": a translated report's source and its date
SOURCE = re.compile(r"\bsource\s*:\s*(?P<rest>[^\]]{6,160})", re.I)
# "Issue 46, Vol. XIII — November 17-23, 2031", "Edition of 17-23 November 2031": an issue dated by its span
ISSUE = re.compile(r"\b(?:issue|vol|volume|edition)\b", re.I)
SPAN = re.compile(
    rf"\b(?:(?P<mon>{MONTH_NAME})\s+(?P<day>\d{{1,2}})\s*[-–]\s*\d{{1,2}},?"
    rf"|(?P<day_first>\d{{1,2}})\s*[-–]\s*\d{{1,2}}\s+(?P<mon_after>{MONTH_NAME}),?)\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
# "HANDOUT No. 64          Quetta, 14th January, 2031": a town and its dated day after a column gap
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b"
GAP_DATELINE = re.compile(
    rf"\S\s{{3,}}(?!{WEEKDAY})[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?,\s+"
    r"(?P<rest>[^,]*\d[^|]{4,30})$"
)
# "Dushanbe, 9 April 2026" under a communique's title (a line of its own, or the end of the title's when a
# wrap joined them), "PRESS RELEASE No. 248/2030      21 August 2030" a day alone after a column gap: the day
# a statement was issued, told with its year
MONTH = f"(?i:{MONTH_NAME})"
FULL_DAY = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+(?:19|20)\d\d|{MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d"
PLACE_DAY = re.compile(
    rf"(?:^|\s)(?!{WEEKDAY})[A-Z][a-z]+,\s+(?P<rest>{FULL_DAY})$|\S\s{{3,}}(?P<alone>{FULL_DAY})$"
)
# "Spokesperson's Regular Press Conference on May 11, 2031": a title ending with the day of what it records
TITLE_DAY = re.compile(
    rf"\b(?:[Cc]onference|[Bb]riefing|[Ss]tatement|[Rr]emarks)\s+(?:on|of)\s+(?P<rest>{FULL_DAY})$"
)
# "(The handout was issued on Thursday, 9 July 2031.)": a note among the closing lines
CLOSING_ISSUED = re.compile(r"^\(.{0,40}\bissued\s+on\s+(?P<rest>[^()]{6,40})\)$", re.I)
TAIL_LINES = 4


# minutes: "MINUTES OF THE FIFTH MEETING OF ...", then "Date of meeting: 22 May 2031" or "Date and venue:
# 5th March, 2031, Committee Room ...": what the minutes record was said and decided that day, not on issue
MINUTES = re.compile(r"^\s*minutes\s+of\b", re.I | re.M)
MEETING_DATE = re.compile(
    r"^\s*(?:date\s+of\s+(?:the\s+)?meeting|date\s+(?:and|&)\s+(?:venue|place|time)|(?:meeting\s+)?date"
    r"|(?:meeting\s+)?held\s+on)\s*:\s*(?P<rest>.{6,60})",
    re.I,
)
MINUTES_HEAD = 12


def meeting_day(text: str) -> date | None:
    """The day of the meeting a text of minutes records, from its head's date label, or None."""
    lines = text.splitlines()[:MINUTES_HEAD]
    if not any(MINUTES.match(line) for line in lines):
        return None
    for line in lines:
        if (m := MEETING_DATE.match(line)) is not None and (day := parse_date_text(m["rest"])) is not None:
            return day
    return None


# "RECORD NOTE OF THE 14TH MEETING OF ...", "MINUTES OF THE SIXTH MEETING OF ...": a record of one meeting
RECORD = re.compile(r"^\s*(?:minutes|record note|summary record|record)\s+of\b.*\bmeeting\b", re.I)


def records_meeting(text: str) -> bool:
    """Whether a text's head titles it the minutes or record of a meeting ("the meeting" is that one)."""
    return any(RECORD.match(line) for line in text.splitlines()[:MINUTES_HEAD])


def minutes_day(text: str) -> tuple[date, str] | None:
    """`meeting_day` with its precision, as an act's date."""
    day = meeting_day(text)
    return (day, "day") if day is not None else None


def header_day(text: str) -> date | None:
    """The day a report's first lines date it by one of the forms above, or None."""
    lines = [ln.strip() for ln in text.splitlines()[:HEAD_LINES]]
    for rx in (ISSUED, SOURCE):
        for line in lines:
            m = rx.search(line)
            if m is not None and (day := parse_date_text(m["rest"]) or solar_dated(m["rest"])) is not None:
                return day
    for line in lines:
        if ISSUE.search(line) and (day := _span_start(line) or solar_dated(line)) is not None:
            return day
    for line in lines:
        if (m := GAP_DATELINE.search(line)) is not None and (day := parse_date_text(m["rest"])) is not None:
            return day
        if (m := PLACE_DAY.search(line)) is not None and (day := parse_date_text(m["rest"] or m["alone"])):
            return day
        if (m := TITLE_DAY.search(line)) is not None and (day := parse_date_text(m["rest"])) is not None:
            return day
    tail = [ln.strip() for ln in text.splitlines()[-TAIL_LINES:]]
    for line in tail:
        if (m := CLOSING_ISSUED.match(line)) is not None and (day := parse_date_text(m["rest"])) is not None:
            return day
    return None


def _span_start(line: str) -> date | None:
    m = SPAN.search(line)
    month = month_number(m["mon"] or m["mon_after"]) if m is not None else None
    if m is None or month is None:
        return None
    try:
        return date(int(m["year"]), month, int(m["day"] or m["day_first"]))
    except ValueError:
        return None


# "the fifth meeting", "the 14th meeting": a meeting of a series told by its number
NUMBERED = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))"
    r"\s+(?:[\w-]+\s+)?(?:meeting|session|round)\b",
    re.I,
)


def recorded_sittings(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions of a report but, in the minutes of a numbered meeting ("MINUTES OF THE SIXTH MEETING OF
    ..."), another meeting of the series they tell held by its number ("recalled the decisions of the fifth
    meeting held in Beijing"): an earlier one, not the one they record."""
    head = next((line for line in text.splitlines()[:MINUTES_HEAD] if RECORD.match(line)), "")
    if (own := NUMBERED.search(head)) is None:
        return mentions
    return [
        m
        for m in mentions
        if m.kind != "visit_or_meeting"
        or m.stage != "done"
        or (told := NUMBERED.search(m.sentence.text)) is None
        or told[1].lower() == own[1].lower()
    ]
