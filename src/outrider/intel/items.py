"""Reports that tell many incidents, one item each: a round-up, a situation report, a dataset's notable
incidents, an alert feed, a timeline. Pure.

An item is a line whose head gives its date or place before the telling ("03/01 — Quetta: a grenade was
thrown ...", "12 Mar - Tank - IED on police van - 3 killed", "2031-05-02 | Kharan | gunmen fired ...",
"- 08:45 Turbat: ..."), or a short heading with a date over the paragraphs that tell one incident
("November 2018 — Chinese consulate, Karachi", "Tuesday: chairman killed in X"). A heading that gives only a
date ("12 March 2031") or only a place ("Balochistan") heads the line items below it: their date or place
when their own head does not say. Each item is read as a small report of its own: a mention inside it takes
the item's date and place when it tells none, and mentions of two items never make one event
(`extract.group_events`). A report with fewer than two items is no listing: nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from outrider.intel.dates import MONTHS, EventDate, resolve_event_date
from outrider.intel.gazetteer import Place, PlaceHit, find_places, within_seat
from outrider.intel.mentions import Mention
from outrider.intel.published import page_date_line

# an item's mark: "- ", "• ", "3. ", "(b) ", "iv) "
MARK = re.compile(r"\s*(?:[-•*▪►·–]\s+|\d{1,2}(?:\.\d{1,2})+\.?\s+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[).]\s+)")
# what parts an item's head: "03/01 — Quetta: ...", "12 Mar - Tank - ...", "2031-05-02 | Kharan | ..."
SEP = re.compile(r"\s+[—–-]{1,2}\s+|:\s+|\s*\|\s*|\s+·\s+|\t+|\.\s+(?=[A-Z])")
NUMERIC_DAY = re.compile(r"(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?:(?P=s)(?P<y>(?:19|20)?\d\d))?")
# "08:45", "1940 hrs", and a log's bare four figures of a 24-hour clock ("- Sindh / Islamkot - 0740 - IED",
# "1630 local"): a part that is little more than a date was read as a date before
CLOCK = re.compile(
    r"[\[(]?(?:\d{1,2}[:.]\d\d(?:\s*(?:[AaPp]\.?[Mm]\.?|hrs|h))?|\d{4}\s*hrs|(?:[01]\d|2[0-3])[0-5]\d)[\])]?"
    r"(?:\s+(?:[A-Z]{2,4}|local))?"
)
WEEKDAY_PART = re.compile(r"(?:(?:last|on)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s+\w+)?", re.I)
LOCATION = re.compile(r"\s*(?:location|place|area|site|where)\s*:\s*(?P<rest>.+)", re.I)
FIELD = re.compile(r"\s*(?P<label>[A-Z][A-Za-z ]{1,24}):\s+\S")
TOLD_ON = re.compile(r"(?i:on\s+)(?P<day>\d{1,2}([/.-])\d{1,2}\2(?:19|20)\d\d)\b")
# "Gwadar, March (reported in Q1 bulletin):": a note in brackets, in words written small, is no date or place
NOTE = re.compile(r"\s*\((?=[^()]*\b[a-z]{2,})[^()]{1,40}\)")
# "Sui, Dera Bugti (19 March)": a place with its day in brackets after it
BRACKETED_DAY = re.compile(r"(?P<town>[^()]+?)\s*\((?P<day>[^()]+)\)")
AS_OF = re.compile(r"\b(?:as of|as at|as on|updated)\s+\d", re.I)
PART = 48  # characters: a head's part is a date, a time or a place, never a sentence
HEADING = 70  # characters: a heading over paragraphs is a short line without a full stop
BODY_WORDS = 3  # an item tells something after its head, in words written small
OTHER_WORDS = 4  # words besides a place's name in a head's part ("Chinese consulate, Karachi")
MONTH_WORDS = {n: name for name, n in MONTHS.items() if len(name) > 3 or name == "may"}
# "the Shahbaz Khel area, Lakki Marwat district": the area when the gazetteer knows it, else the district
AREA_OF = re.compile(r"\s+(?:area|village|locality|mohalla|bazaar|neighbourhood),?\s+(?:of\s+|in\s+)?$", re.I)


@dataclass(frozen=True)
class Item:
    """One item of a listing: where it lies in the text, and the date and place its head gives."""

    start: int
    end: int
    when: EventDate
    place: Place | None
    key: int


@dataclass(frozen=True)
class _Head:
    when: EventDate | None
    place: Place | None
    timed: bool
    end: int  # where the item's telling begins


def _day_first(lines: tuple[str, ...]) -> bool:
    """Whether "03/01" is the 3rd of January: unless some item's head reads "01/13"."""
    for line in lines:
        mark = MARK.match(line)
        m = NUMERIC_DAY.match(line, mark.end() if mark else 0)
        if m is not None and int(m["b"]) > 12 >= int(m["a"]):
            return False
    return True


def part_date(part: str, ref: date | None, day_first: bool = True) -> EventDate | None:
    """The date a head's part is, when the part is little more than a date ("03/01", "12 Mar", "November
    2018", "Saturday", "2031-05-02")."""
    m = NUMERIC_DAY.fullmatch(part.strip())
    if m is not None:
        a, b = int(m["a"]), int(m["b"])
        day, mon = (a, b) if day_first else (b, a)
        if mon not in MONTH_WORDS or not 1 <= day <= 31:
            return None
        year = m["y"] if m["y"] is None or len(m["y"]) == 4 else f"20{m['y']}"
        part = f"{day} {MONTH_WORDS[mon]}" + (f" {year}" if year else "")
    when = resolve_event_date(part, ref)
    if when.value is None and ref is None and WEEKDAY_PART.fullmatch(part.strip()):
        return EventDate(None, "unknown", 0, len(part))  # "Tuesday:" with no day to count from: still an item
    if when.value is None or len(part.strip()) - (when.end - when.start) > 12:
        return None
    return when


def site_of(text: str, hits: list[PlaceHit]) -> Place | None:
    """The place a head or paragraph names: "X area, Y district" is at X when X is known, else at Y."""
    towns = [h for h in hits if not h.is_region] or hits
    if not towns:
        return None
    first = towns[0]
    # "BALOCHISTAN / Khuzdar / near Wadh": a district's seat, then a town of that district, is at the town
    inner = [h for h in towns[1:] if within_seat(h.place, first.place)]
    if inner:
        return inner[0].place
    if first.place.kind == "district":
        inner = [h for h in towns[1:] if h.place.kind != "district" and AREA_OF.match(text, h.end)]
        return inner[0].place if inner else first.place
    return first.place


def _part_place(part: str) -> Place | None:
    hits = find_places(part)
    if not hits:
        return None
    rest = part
    for h in reversed(hits):
        rest = rest[: h.start] + rest[h.end :]
    if len(re.findall(r"[A-Za-z]+", rest)) > OTHER_WORDS:
        return None
    return site_of(part, hits)


def _head(line: str, ref: date | None, day_first: bool) -> _Head | None:
    """A line item's head: the date, place and time parts before its telling (None: the line is no item)."""
    mark = MARK.match(line)
    pos = mark.end() if mark else 0
    when: EventDate | None = None
    place: Place | None = None
    timed, parts = False, 0
    while parts < 3:
        m = SEP.search(line, pos)
        if m is None or m.start() - pos > PART:
            break
        part = NOTE.sub("", line[pos : m.start()]).strip()
        town, _, day = part.rpartition(", ")  # "Kalat district, 12 May 2031"
        bracket = BRACKETED_DAY.fullmatch(part)
        if bracket is not None and _part_place(bracket["town"]) is not None:
            town, day = bracket["town"], bracket["day"]  # "Sui, Dera Bugti (19 March)", not "July 21 (Mon)"
        if AS_OF.search(part):
            break  # "Casualties (official, as of 23 Mar)": the day a figure stood at, not the item's
        if when is None and town and (d := part_date(day, ref, day_first)) is not None:
            when, place = d, place or _part_place(town) or _part_place(part)  # "Mach, Kachhi (4 March)"
        elif when is None and (d := part_date(part, ref, day_first)) is not None:
            when, place = d, place or _part_place(part)  # "Quetta (8 March). A bomb ...": the town too
        elif CLOCK.fullmatch(part):
            timed = True
        elif place is None and (p := _part_place(part)) is not None:
            place = p
        else:
            break
        parts, pos = parts + 1, m.end()
    if not parts or len(re.findall(r"\b[a-z][a-z'-]*\b", line[pos:])) < BODY_WORDS:
        return None  # a page's header ("Sunday, 6 May 2031 | Home > Live"), not an item that tells
    if when is None and (told := TOLD_ON.match(line, pos)) is not None:
        when = part_date(told["day"], ref, day_first)  # "2.1 Ghotki. On 12.06.2031 at about 0300 hrs, ..."
    if when is None and not timed and not (mark and place):
        return None
    return _Head(when, place, timed, pos)


def _heading(line: str, ref: date | None, day_first: bool) -> _Head | None:
    """A short heading line's date (its first part) and place (anywhere in it); None for a longer line."""
    text = line.strip()
    if not text or len(text) > HEADING or text.endswith((".", "!", "?", '"', "”")):
        return None
    when = next(filter(None, (part_date(part, ref, day_first) for part in SEP.split(text))), None)
    return _Head(when, site_of(text, find_places(text)), False, len(line))


def _located(body: tuple[str, ...]) -> Place | None:
    """The place an item's "Location: ..." line gives (an alert's or a form's field)."""
    for line in body:
        if (m := LOCATION.match(line)) is not None:
            return site_of(m["rest"], find_places(m["rest"]))
    return None


def _is_short(line: str) -> bool:
    text = line.strip()
    return len(text) <= HEADING and not text.endswith((".", "!", "?", '"', "”"))


def _tells(line: str) -> bool:
    """Whether a line goes on telling an item under its heading: a paragraph, or a field ("Location: X")."""
    field = FIELD.match(line)
    return not _is_short(line) or (field is not None and part_date(field["label"], None) is None)


def find_items(lines: tuple[str, ...], ref: date | None) -> list[Item]:
    """The report's items (none unless it has two or more); ``ref`` dates heads without a year."""
    day_first = _day_first(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    items: list[Item] = []
    group = _Head(None, None, False, 0)  # the date or place heading the line items below it
    k = 1
    while k < len(lines):
        line = lines[k]
        body = k + 1
        while body < len(lines) and _tells(lines[body]) and _head(lines[body], ref, day_first) is None:
            body += 1
        heading = (
            None
            if _mail_header(lines, k) or (k <= 2 and page_date_line(line, ref))
            else _heading(line, ref, day_first)
        )
        if heading is not None and body > k + 1 and heading.when is not None:
            end = starts[body - 1] + len(lines[body - 1])
            place = heading.place or _located(lines[k + 1 : body])
            items.append(Item(starts[k], end, heading.when, place, len(items)))
            k = body
            continue
        head = None if heading is not None and body > k + 1 else _head(line, ref, day_first)
        if head is not None:
            when = head.when or group.when or (EventDate(ref, "day") if head.timed and ref else None)
            when = when or EventDate(None, "unknown")
            items.append(Item(starts[k], starts[k] + len(line), when, head.place or group.place, len(items)))
        elif heading is not None:
            group = heading  # a date or a place over line items; a heading of neither ends the group
        k += 1
    return items if len(items) >= 2 else []


# "From: Regional Security Desk", "Subject: ADVISORY 07/26": a message's header fields
MAIL_FIELD = re.compile(r"\s*(?:From|To|Cc|Subject|Sent|Date|Re)\s*:\s+\S", re.I)


def _mail_header(lines: tuple[str, ...], k: int) -> bool:
    """Whether line k is a field of a message's header ("Date: Tue, 24 Mar 2026 09:12" between "From:" and
    "Subject:"): the message's date, not an item's heading."""
    near = [lines[i] for i in (k - 1, k + 1) if 0 <= i < len(lines)]
    return MAIL_FIELD.match(lines[k]) is not None and any(MAIL_FIELD.match(x) for x in near)


def _fits(own: EventDate, item: EventDate) -> bool:
    """Whether a mention's own date may be its item's: within the item's day, month or year."""
    if own.value is None or item.value is None:
        return True
    if item.precision == "day":
        return abs((own.value - item.value).days) <= 2
    if item.precision == "month":
        return (own.value.year, own.value.month) == (item.value.year, item.value.month)
    return own.value.year == item.value.year


def itemised(mentions: list[Mention], items: list[Item]) -> list[Mention]:
    """Mentions inside items, each with its item's key, and the item's date and place where it tells none; a
    mention that tells another date than its item's is of another event (context the item recalls)."""
    if not items:
        return mentions
    out = []
    for m in mentions:
        item = next((it for it in items if it.start <= m.start < it.end), None)
        if item is None or not (_fits(m.when, item.when) or _counted_elsewhere(m.when, item.when)):
            out.append(m)
            continue
        # a date borrowed from the item's head says less than the mention's own ("late last night")
        when = (
            m.when
            if m.when.value is not None and _finer(m.when, item.when) and _fits(m.when, item.when)
            else replace(item.when, explicit=False)
        )
        place = item.place if m.place is None or within_seat(item.place, m.place) else m.place
        out.append(replace(m, item=item.key, when=when, place=place))
    return out


WEEK = 7  # days: a weekday farther from its item's written day was counted from another day


def _counted_elsewhere(own: EventDate, item: EventDate) -> bool:
    """Whether a mention's day is a weekday counted from another day than its item's ("16 February 2017 -
    ... during the Thursday dhamaal" in a report of 2031): the item's written day is the mention's."""
    if own.value is None or item.value is None or own.explicit or not item.explicit:
        return False
    return own.precision == item.precision == "day" and abs((own.value - item.value).days) > WEEK


_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def _finer(own: EventDate, item: EventDate) -> bool:
    return _RANK[own.precision] >= _RANK[item.precision]
