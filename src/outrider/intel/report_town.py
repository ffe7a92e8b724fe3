"""The report's own town for an attack it tells without one: a shift report under "KARACHI REGION", a
newsletter of a town's chapter, an FIR whose police station names the town, a podcast host who names the
town before asking about "Monday's blast at the bus stand". Pure.

The report's first attack mention, below its headline, tells one attack (not attacks in general, a state's
act or a plan) and names no place and no earlier month or year; the sentences before it (masthead, header,
headings, the question that opens the story) name one town and one only; no mention of the report places an
attack of that time elsewhere, and none in the 400 characters after it names a place or an earlier time. That
first mention is then the report's story at that town, told on the report's day when it gives none (only
reports with a publication date: without one, the day would be a guess)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from outrider.intel.background import GENERIC, TOLL_ONLY
from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import Place
from outrider.intel.lexicon import plans_and_threats, state_actions
from outrider.intel.mentions import ATTACK, Mention, told_hits

# "claims of responsibility for terrorist attacks", "involved in numerous terrorist activities": attacks in
# general (a ministry's or the army's release), not the one story a report tells
MANY = re.compile(r"\b(?:attacks|activities|bombings|blasts|killings|ambushes|raids|assaults)\b", re.I)
# who may attack, and that someone claimed: no attack by themselves ("support the fight against militants")
ACTORS_ONLY = re.compile(r"\b(?:militants|armed men|claimed)\b", re.I)
NOBODY = re.compile(r"\b(?:no\s+one|nobody|none|no\s+(?:casualties|injuries|deaths))\b", re.I)
STATE_ACTION = state_actions()  # data/lexicon.json
PLANNED = plans_and_threats()
SAME_DAYS = 2  # a placed mention this close to the report's day may be its story told with a town
WEEK = 7  # a day told this close before the report's own may be its story's
LEAD = 400  # characters after the first mention: its lead, where a town of its own would be told


def placed_at_report_town(
    mentions: list[Mention],
    split: Sequence[tuple[int, str, bool]],
    told: Sequence[Mapping[str, Place]],
    day: date | None,
) -> list[Mention]:
    """The mentions, the first one placed at the report's town (see the module) when it names none."""
    if not mentions or day is None:
        return mentions
    first = mentions[0]
    if first.place is not None or first.in_title or first.when.precision in ("month", "year"):
        return mentions
    when = first.when if first.when.value is not None else _lead_day(mentions, day)
    for m in mentions[1:]:
        if (
            m.place is not None
            and STATE_ACTION.search(m.text)
            and not ATTACK.search(STATE_ACTION.sub(" ", m.text))
        ):
            continue  # "police raided a compound in X and arrested three suspects": the state's act
        if m.place is not None and _same_days(m.when, when):
            return mentions  # the story is told with its town further on
        if m.start - first.start < LEAD and (m.place is not None or not _same_days(m.when, when)):
            return mentions  # its lead tells where it is, or that it is older ("It was a year ago today")
    if not _one_attack(first.text):
        return mentions
    town = _only_town(split, told, first.start)
    if town is None:
        return mentions
    return [replace(first, place=town, when=when), *mentions[1:]]


def _lead_day(mentions: list[Mention], day: date) -> EventDate:
    """The day of a first mention told without one: that of the unplaced mention of its lead told within the
    week before the report ("the East Bay attack ... a clear account of last Thursday's attack"), else the
    report's own."""
    for m in mentions[1:]:
        if m.start - mentions[0].start >= LEAD:
            break
        told = m.when.value
        if (
            m.place is None
            and m.when.precision == "day"
            and told is not None
            and 0 < (day - told).days <= WEEK
        ):
            return m.when
    return EventDate(day, "day", basis="publication")


def _one_attack(text: str) -> bool:
    """Whether words tell one attack: not attacks in general, a state's act, a plan, or only who attacks."""
    if MANY.search(text) or STATE_ACTION.search(text) or PLANNED.search(text) or GENERIC.search(text):
        return False
    said = ACTORS_ONLY.sub(" ", text)
    if ATTACK.search(TOLL_ONLY.sub(" ", said)) is not None:
        return True
    # a toll alone tells the story ("One person injured, shifted to hospital"), "No one was hurt" none
    return ATTACK.search(said) is not None and NOBODY.search(said) is None


def _same_days(a: EventDate, b: EventDate) -> bool:
    if a.value is None or b.value is None:
        return True
    return a.precision == "day" and abs((a.value - b.value).days) <= SAME_DAYS


def _only_town(
    split: Sequence[tuple[int, str, bool]], told: Sequence[Mapping[str, Place]], until: int
) -> Place | None:
    """The one town the sentences before ``until`` name (a district named by its seat is that town); a name
    only the report tells as a place ("near Bilal Chowrangi, about 1.5 km from ...") beside a known town of
    its province is a place within that town."""
    towns: dict[str, Place] = {}
    for (start, sentence, _), near in zip(split, told, strict=False):
        if start >= until:
            break
        for hit in told_hits(sentence, near):
            if not hit.is_region and hit.place.name:
                towns.setdefault(hit.place.name, hit.place)
    known = [p for p in towns.values() if p.lat is not None]
    if len(known) == 1 and all(p.admin1 in (None, known[0].admin1) for p in towns.values()):
        return known[0]
    return next(iter(towns.values())) if len(towns) == 1 else None
