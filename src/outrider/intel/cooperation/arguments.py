"""What a mention's sentence says beside its act: the place and its state, the group acted against, a series'
instance name, the total of a sum, and whether its date is only the time of what it plans."""

from __future__ import annotations

import re

from outrider.intel.actors import find_actors
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.money import Money
from outrider.intel.cooperation.parties import PLACE_BEFORE
from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import find_places

# "agreed to convene the next meeting in June", "would be raised by June": the time of what is planned, which
# does not date the promise or the agreement
PLANNED = re.compile(
    r"\b(?:to|will|would|shall|starting|beginning|from|by|until|till|before|next|due)\b", re.I
)
NOT_PERFORMED = {"announced", "pledged", "agreed"}
PLAN_REACH = 24  # "agreed to convene the next meeting ... in June": the plan's words just before the trigger


def place_of(text: str) -> tuple[str | None, str | None]:
    """The place of the act and its state: the gazetteer's, else a capital as a place ("in Tashkent")."""
    for hit in find_places(text):
        name = hit.place.name or hit.place.admin1
        if name:
            return name, hit.place.country
    for code, rx in LEXICON.capitals.items():
        for m in rx.finditer(text):
            if PLACE_BEFORE.search(text, 0, m.start()):
                return m.group(0), code
    return None, None


# "Sirajuddin Haqqani": a one-word group name after a given name is a person's surname
GIVEN_NAME = re.compile(r"(?<![.!?]\s)\b(?!The\b)[A-Z][a-z]+\s+$")
# "Haqqani assures the envoy", "Haqqani also told": a one-word name that speaks or acts is a person
PERSON_VERB = re.compile(
    r"\s+(?:also\s+)?(?:says|said|tells|told|assures|assured|vows|vowed|met|meets|urges|urged|added)\b", re.I
)


def group_of(text: str) -> str | None:
    """The first group the registry names in a sentence, not a person's surname."""
    groups = (a for a in find_actors(text) if a.kind == "group")
    return next((a.name for a in groups if not _surname(text, a.start, a.end)), None)


def _surname(text: str, start: int, end: int) -> bool:
    person = GIVEN_NAME.search(text, 0, start) or PERSON_VERB.match(text, end)
    return " " not in text[start:end] and bool(person)


NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?-(?:[IVX]+|\d+)\b")


def name_of(text: str) -> str | None:
    """The proper name of a series' instance in a sentence ("Warrior-VIII", "Task Force-88")."""
    m = NAME.search(text)
    return m.group(0) if m else None


# "400,000 dollars to each of the families, a total of 800,000 dollars": the total is the commitment's sum
TOTAL = re.compile(r"\b(?:a total of|totall?ing|in total|altogether)\s*$", re.I)


def total_of(text: str, money: list[Money]) -> Money | None:
    """The sum a sentence gives as the total, if any."""
    return next((m for m in money if TOTAL.search(text, 0, m.start)), None)


def planned_out(text: str, stage: str, trigger: tuple[int, int], when: EventDate) -> EventDate:
    """No date for a promise or agreement whose only date is the time of what it plans (after its trigger,
    behind "to convene", "would be raised by", "starting in")."""
    trigger_start, trigger_end = trigger
    if stage not in NOT_PERFORMED or when.value is None or when.start < trigger_end:
        return when
    if when.precision == "day" and not when.explicit:
        return when  # "reported on Sunday": a weekday dates the telling, not a plan
    if PLANNED.search(text, max(0, trigger_start - PLAN_REACH), when.start):
        return EventDate(None, "unknown")
    return when
