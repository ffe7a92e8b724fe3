"""Two attacks told in one sentence, each with its own year or month: "In July 2021, a bus ... killing 13
people, and in March 2024 five engineers died when a bomber rammed their car near B"; and a town set beside
the site's name in a clause of its own ("the attack on a post at Kalagan, Saravan on 9 May"); and an abduction
whose release the words date ("abducted in Tank last month were released on July 30"). Pure."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import Place, PlaceHit
from outrider.intel.lexicon import alternation, attack_words, site_nouns

ATTACK = attack_words()  # data/lexicon.json
# "..., and in March 2024 five engineers died when ...", "..., and on the first day of Muharram last year
# unknown persons hurled a grenade ...", "..., and the previous month a bomb ...": a clause that opens with a
# time of its own
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
PAST = r"(?:last|this|that|the previous|the following)\s+(?:year|month|week)"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATED_CLAUSE = re.compile(
    # "..., and on March 26, 2024, a bomber rammed ...", "and on 26 March 2024 ...": a day of its own, too
    rf"(?:and\s+)?(?:(?:in|on)\s+(?:(?:{DAY}\s+)?{MONTHS}\s+(?:{DAY},?\s+)?)?(?:19|20)\d\d\b|(?:in|on)\s+the\s+(?:[\w-]+\s+){{1,6}}?{PAST}\b"
    r"|(?:the previous|the following|last)\s+(?:month|year)\b)",
    re.I,
)
# the time the attack told before the clause has: a year, a day and month, or a year or month counted back
TIMED = re.compile(rf"\b(?:19|20)\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s|\b{PAST}\b|\bago\b", re.I)


def by_dates(
    sentence: str,
    segments: list[tuple[int, int, Place | None]],
    clauses: list[tuple[int, int]],
    use: list[PlaceHit],
) -> list[tuple[int, int, Place | None]]:
    """Segments cut again where a clause opens with a year or a month of its own after an attack told with its
    own ("In July 2021, a bus ... killing 13 people, and in March 2024 five engineers died ... near B"): two
    attacks, each at the place its own words name (none, when they name none)."""
    out = []
    for s0, s1, place in segments:
        cuts = [
            cs
            for cs, _ in clauses
            if s0 < cs < s1 and DATED_CLAUSE.match(sentence, cs) and TIMED.search(sentence, s0, cs)
        ]
        cuts = [c for c in cuts if ATTACK.search(sentence, s0, c) and ATTACK.search(sentence, c, s1)]
        if not cuts:
            out.append((s0, s1, place))
            continue
        for a, b in pairwise([s0, *cuts[:1], s1]):
            named = [h.place for h in use if a <= h.start < b]
            out.append((a, b, named[0] if named else None))
    return out


LEAD_DATE_WITHIN = 12  # characters: "In 2018 ...", "On Monday ...", "Last March ..."


def opens_sentence(lead: EventDate) -> bool:
    """Whether the time ``lead`` read in the words before a segment is the one its sentence opens with, and so
    the segment's own ("In 2018 the group sent a bomber against A, and gunmen against B")."""
    return 0 <= lead.start < LEAD_DATE_WITHIN


# a clause's last words are a name ("... at Kalagan, "), or a site's ("... of Shahid Beheshti port, "): the
# town beside it names where that lies
NAME_ENDS = re.compile(rf"\b[A-Z][\w'’-]+(?:\s+(?:{alternation(site_nouns())}))?,\s*$")
AREA = re.compile(r"\s*(?:the\s+)?(?:[\w()-]+\s+){1,2}area,\s*")
TOWN_FIRST = re.compile(
    r"\s*(?:(?i:tehsil)\s+)?(?!(?i:district|tehsil|province)\b)[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}"
    r"(?:,|\s+(?:on|in|at)\b|\.?\s*$)"  # "..., kacha area, Tehsil Rojhan.": the sentence's last words
)


def apposed(sentence: str, clauses: list[tuple[int, int]], i: int, cue: list[int]) -> bool:
    """Whether clause i opens with a town set beside the name that ends the attack's clause before it
    ("an attack on a post at Kalagan, Saravan on 9 May"): the attack's own place, not a clause of context."""
    j = i - 1
    while j > 0 and AREA.fullmatch(sentence, *clauses[j]):
        j -= 1  # "an attack at Police Post X, kacha area, Tehsil Y": the address goes on past its area
    if i == 0 or j not in cue:
        return False
    (ps, pe), (cs, _) = clauses[j], clauses[i]
    return NAME_ENDS.search(sentence[ps:pe]) is not None and TOWN_FIRST.match(sentence, cs) is not None


# "a strike was observed on Saturday against the killing of miners in an attack near Duki on Thursday night":
# an event's noun, and the day written right after it
EVENT_NOUN = re.compile(
    r"\b(?:attack|bombing|blast|explosion|ambush|raid|assault|killing|massacre|shooting|siege|hijacking"
    r"|assassination)(?:s|es)?\b",
    re.I,
)
NOUN_TO_DAY = 40  # characters: "attack on mines near Duki on Thursday night"
# "following last month's attack on our convoy, the smelter resumed on 3 October": a time told as the attack's
# own, before its noun
TIME_OF_NOUN = re.compile(
    r"\b(?:(?:last|this|the previous|the past)\s+(?:week|month|year)|yesterday"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s+(?:morning|afternoon|evening|night))?)['’]s\s+"
    rf"(?:[\w-]+\s+){{0,2}}?{EVENT_NOUN.pattern}",
    re.I,
)


def day_after_noun(sentence: str, when: EventDate, resolve: Callable[[str], EventDate]) -> EventDate | None:
    """The day written right after an attack's noun that the sentence tells after its first day, or the time
    told of the noun before it ("last month's attack"), when it is earlier than that day: the attack's
    ("observed a strike on Saturday against the attack on Thursday"); the first day is what followed it.
    ``resolve`` reads a date from words (`dates.resolve_event_date`)."""
    if when.value is None or when.precision != "day" or when.start < 0:
        return None
    own = TIME_OF_NOUN.search(sentence)
    if own is not None and not own.start() <= when.start < own.end():
        d = resolve(own.group(0))
        if d.value is not None and d.value < when.value:
            return replace(d, start=d.start + own.start(), end=d.end + own.start())
    for m in EVENT_NOUN.finditer(sentence, when.end):
        d = resolve(sentence[m.end() :])
        near = d.precision == "day" and 0 <= d.start <= NOUN_TO_DAY
        if near and d.value is not None and d.value < when.value:
            return replace(d, start=d.start + m.end(), end=d.end + m.end())
    return None


# "the ambush at Bagan on 21 November 2024, ..., and the ambush near Sadda on 9 October 2030": a day right
# after the place's name
ON_DAY = re.compile(r"\s+on\s+(?:the\s+)?")
BESIDE_PLACE = 30  # characters after "on": "Saturday, 9 October 2030"


def day_beside_place(
    seg: str,
    s0: int,
    hits: list[PlaceHit],
    place: Place | None,
    when: EventDate,
    resolve: Callable[[str], EventDate],
) -> EventDate | None:
    """The day written right after the segment's place ("near Sadda on 9 October 2030"), when the date the
    segment was given is another day written before that place (an attack the sentence told first, whose
    place no gazetteer holds). ``resolve`` reads a date from words (`dates.resolve_event_date`)."""
    if place is None or not when.explicit or when.value is None:
        return None
    for h in hits:
        at = h.end - s0
        if h.place != place or not 0 <= h.start - s0 < len(seg) or not 0 <= when.start < h.start - s0:
            continue
        if (m := ON_DAY.match(seg, at)) is not None:
            d = resolve(seg[m.end() : m.end() + BESIDE_PLACE])
            if d.precision == "day" and d.explicit and d.start == 0 and d.value != when.value:
                return replace(d, start=d.start + m.end(), end=d.end + m.end())
    return None


# "abducted in Tank last month were released on July 30", "kidnapped ... earlier this month have been released
# and reached their homes on Friday night": a release told of an abduction told before it in the same words
ABDUCTED = re.compile(r"\b(?:abducted|kidnapped|taken hostage|seized)\b", re.I)
RELEASED = re.compile(
    r"\b(?:(?:was|were|been)\s+(?:released|freed|set free|let go)|returned home"
    r"|reached (?:their|his|her) homes?)\b",
    re.I,
)


def abducted_before(seg: str, when: EventDate, read: Callable[[str], EventDate]) -> EventDate | None:
    """The date of an abduction whose release the words date, where the abduction has a time of its own
    ("abducted last month were released on July 30": last month); None where the date is not the
    release's or the abduction has no time of its own."""
    freed = RELEASED.search(seg) if when.value is not None else None
    if freed is None or not ABDUCTED.search(seg, 0, freed.start()):
        return None
    if read(seg[freed.start() :]).value != when.value:
        return None  # "abducted on the 14th of this month, were released on Sunday": the abduction's day
    own = read(seg[: freed.start()])
    return own if own.value is not None else None  # no date of its own: the release's day stays
