"""Events a state's follow-up opens: "Two arrested over Sost convoy attack", "Trial in Kalagan case opens".

A report of an arrest or a hearing points back at the attack it answers ("the attack was linked to
a dispute", "suspected of firing on a convoy last week"); its sentences placed at the town and dated by the
arrest ("were arrested on Thursday", "was held on Monday") make an event of the arrest's day. Such an event
is no incident where the report tells an attack apart at the same place, days before it ("In the attack on
the evening of June 18"), and every date the state's event has is the follow-up's, no attack's: the attack
keeps its own date. An event with a date an attack's words own ("the bomber who attacked a checkpost on
Tuesday", "last Tuesday's rocket attack", "arrested on Friday after an exchange of fire that killed a
constable") stays an incident. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol, TypeVar

from outrider.intel.event_match import same_place
from outrider.intel.mentions import ATTACK

if TYPE_CHECKING:
    from outrider.intel.dates import EventDate
    from outrider.intel.gazetteer import Place
    from outrider.intel.mentions import Mention

# the acts that follow an attack and answer it: an arrest, a charge, a hearing, a trial, a verdict (not the
# state's strikes, operations or encounters, which may be a clash an attack opened)
FOLLOW_UP = re.compile(
    r"\b(?:arrest(?:s|ed)?|detain(?:s|ed)?|hearing|trial|indict(?:s|ed)?|framed charges|convict(?:s|ed)?"
    r"|sentenc(?:e|es|ed)|verdict|remand(?:ed)?|acquitt(?:al|ed))\b",
    re.I,
)
# "the killers had still not been arrested": a state action that did not happen
NOT_DONE = re.compile(r"\b(?:not|never|yet to)\s+(?:yet\s+|still\s+)?(?:been|be)\s+\w+", re.I)
# "was held on Monday", "were picked up on Friday": the date's own verb, a state's act unless an attack's
PASSIVE = re.compile(r"\b(?:was|were)\s+\w+")
# "last Tuesday's rocket attack": a date that names the attack
POSSESSIVE = re.compile(r"\w['’]s\b")
CLAUSE = re.compile(r"[,;:.\"”]")
# "arrested on Thursday in a raid on a house": the state's raid, no attack
RAID = re.compile(r"\b(?:in|during) (?:a|an|the) (?:[\w-]+ )?raids?\b", re.I)
DAYS_AFTER = 2  # a state's act a day or two after an attack may be the attack told by the statement's day


class _Event(Protocol):
    place: Place | None
    when: EventDate
    mentions: list[Mention]


E = TypeVar("E", bound=_Event)


def answered_apart(events: list[E]) -> list[E]:
    """The events less those a state's follow-up opens and dates where the report tells, at the same place,
    an event days before: the attack the follow-up answers, at its own date."""
    return [
        ev
        for ev in events
        if not (any(_answers(ev, o) for o in events) and opened_by_state(ev.mentions, ev.when))
    ]


def _answers(ev: _Event, attack: _Event) -> bool:
    """Whether an event may answer an attack told apart: at the same place, days after it (a day or two
    after, the state's act may be the attack told by the day of the statement on it)."""
    day, before = ev.when.value, attack.when.value
    if day is None or before is None:
        return False
    return (day - before).days > DAYS_AFTER and same_place(attack.place, ev.place)


def opened_by_state(mentions: list[Mention], when: EventDate) -> bool:
    """Whether an event's first mention is a state's follow-up and each date its mentions give it is the
    follow-up's (see the module)."""
    first = min(mentions, key=lambda m: m.start)
    if when.value is None or not FOLLOW_UP.search(NOT_DONE.sub("", first.text)):
        return False
    dating = [m for m in mentions if m.when.value == when.value and m.when.start >= 0]
    return bool(dating) and all(_state_dated(m) for m in dating)


def _state_dated(m: Mention) -> bool:
    """Whether the words right before the mention's date, in its clause, are a state's follow-up, nearer the
    date than any attack's words, and its clause tells no attack after it: "were arrested on Thursday in a
    raid", "the first hearing in the case of the attack on the post was held on Monday"; not "last
    Tuesday's rocket attack" (the date names it)."""
    said = m.sentence or m.text
    before, after = said[: m.when.start], said[max(0, m.when.end - 3) : m.when.end + 2]
    if POSSESSIVE.search(after):
        return False
    acts = [x.end() for x in FOLLOW_UP.finditer(before)]
    if acts:  # "was held on Monday" in a state's sentence: the date's own verb, the state's act
        acts += [x.start() for x in PASSIVE.finditer(before) if not ATTACK.search(x[0])]
    then = said[m.when.end :]
    then = then[: next((x.start() for x in CLAUSE.finditer(then)), len(then))]
    if ATTACK.search(RAID.sub(" ", then)):
        return False  # "were arrested on Thursday after an exchange of fire that killed a constable"
    attacks = [x.end() for x in ATTACK.finditer(before)]
    return bool(acts) and max(acts) > max(attacks, default=-1) and not CLAUSE.search(before, max(acts))
