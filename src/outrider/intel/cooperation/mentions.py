"""Mentions: a sentence that reports a cooperation act of one kind, with its stage cue and arguments.

A mention needs a kind trigger and a stage cue (a commitment made, or cooperation performed) closer to the
trigger than any demand, request, proposal or negation; a sentence of praise or generic assurance is not one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from outrider.intel.cooperation.arguments import (
    ADDRESSED,
    DISCUSSED,
    GIVEN_THING,
    HELD_AT,
    MET_BY,
    PARTICIPANTS,
    body_schedule,
    buys_for_partner,
    decided_alone,
    group_of,
    held,
    money_buys,
    name_of,
    named_before,
    place_of,
    planned_out,
    time_only,
    total_of,
    unit_named_after,
)
from outrider.intel.cooperation.asides import (
    agreed_that,
    another_act,
    distance,
    framed,
    habitual,
    names_another,
    pays_for_other,
    stage_date,
    standing_background,
    supported_arrest,
    things_arrived,
    training_of_forces,
)
from outrider.intel.cooperation.cues import (
    CHAIRED,
    JOINT_BODY,
    THREE,
    VALUED,
    against_group_triggers,
    money_given_triggers,
)
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.money import TO_FAMILIES, Money, find_money, per_head, shares_marked
from outrider.intel.cooperation.parties import PartyHit, find_parties
from outrider.intel.cooperation.stages import CUE_REACH, clause, part, part_only, row_cues, stage_of
from outrider.intel.cooperation.when import act_date, event_days
from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import lookup

ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Ms|Mrs|Dr|Gen|Lt|Col|Maj|Brig|Capt|St|No|U\.S|Jr|Sr|Rs|vs|Adm|[A-Z]"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
)
# "ISLAMABAD, August 13, 2025 -", "RAWALPINDI:", "Islamabad, April 19, 2031 (Staff Report):": a dateline dates
# the report, not the act (a city in capitals, or in title case before a date; a source in brackets)
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z .'-]{2,30}?|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?=, (?:[A-Z][a-z]{2,8}\.? \d|\d)))\s*"
    r"(?:,[^-–—:(]{0,30})?(?:\([^)]{0,30}\))?\s*[-–—:]+\s"
)
HERE = re.compile(r"\bhere\b", re.I)
SENTENCE_END = re.compile(r"[.!?]['\"”’]?\s+(?=[\"“‘'(]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int


@dataclass(frozen=True)
class Mention:
    """One kind of act in one sentence."""

    kind: str
    stage: str
    sentence: Sentence
    trigger: tuple[int, int]  # offsets within the sentence
    hits: tuple[PartyHit, ...]
    when: EventDate
    money: Money | None
    group: str | None
    place: str | None
    place_country: str | None
    name: str | None  # a series' instance named in the sentence

    @property
    def span(self) -> tuple[int, int]:
        return self.sentence.start, self.sentence.start + len(self.sentence.text)


def sentences(text: str) -> Iterator[Sentence]:
    """Sentences of a text with their offsets: lines, then full stops not after an abbreviation."""
    pos = 0
    for line in text.split("\n"):
        start = 0
        for m in SENTENCE_END.finditer(line):
            if ABBREVIATIONS.search(line[: m.start() + 1]):
                continue
            if line[start : m.start() + 1].strip():
                yield _trimmed(line[start : m.end()], pos + start)
            start = m.end()
        if line[start:].strip():
            yield _trimmed(line[start:], pos + start)
        pos += len(line) + 1


def _trimmed(piece: str, offset: int) -> Sentence:
    lead = len(piece) - len(piece.lstrip())
    return Sentence(piece.strip(), offset + lead)


def _triggers(text: str, every: bool = False) -> list[tuple[str, int, int]]:
    """Kind triggers in a sentence; of overlapping ones the longest; one per kind in each part of it (with
    ``every``, all of them: the reader takes the first it finds plausible)."""
    found = sorted(
        [
            *((k, m.start(), m.end()) for k, rx in LEXICON.kinds.items() for m in rx.finditer(text)),
            *against_group_triggers(text),
            *money_given_triggers(text),
        ],
        key=lambda t: (t[1], -(t[2] - t[1])),
    )
    kept: list[tuple[str, int, int]] = []
    for t in found:
        if habitual(text, t[1], t[2]):
            continue  # "the two armies have held exercises since 2004": background, no act
        if t[0] == "visit_or_meeting" and time_only(text, t[1], t[2]):
            continue  # "on the sidelines of the summit, X and Y held a meeting": the second one is the act
        if any(t[1] < k[2] and k[1] < t[2] and (k[2] - k[1]) >= (t[2] - t[1]) for k in kept):
            continue
        if not every and any(k[0] == t[0] and part(text, k[1]) == part(text, t[1]) for k in kept):
            continue
        kept.append(t)
    return kept


def _two_sided(text: str, trigger: tuple[int, int], own: tuple[PartyHit, ...]) -> bool:
    """A meeting of both sides: two states in its clause, a visit or call (verbs), or a meeting "with" or
    "between" someone; "chaired the meeting by video link" is a committee at home."""
    if CHAIRED.search(text) and not LEXICON.joint.search(text):
        # "the cabinet, which met with the chief minister in the chair": a body at home, whoever it is about
        return len({h.code for h in own if not LEXICON.protected.match(text, h.end + 1)}) >= 2
    if len({h.code for h in own}) >= 2 or LEXICON.joint.search(text) or THREE.search(text):
        return True
    word = text[trigger[0] : trigger[1]]
    if JOINT_BODY.search(text, trigger[0], trigger[1] + 40):
        return True
    if HELD_AT.match(text, trigger[1]) and MET_BY.search(text, trigger[1]):
        return True  # "a meeting held at the port on Wednesday between X and a delegation led by Y"
    return not LEXICON.meeting_nouns.fullmatch(word) or bool(PARTICIPANTS.match(text, trigger[1]))


# kinds whose sum in a sentence is their value or cost, not money handed to the partner
AGREEMENT_OBJECT = re.compile(r"\s+(?:on|to|for|of|between|with|that)\b", re.I)
MET = re.compile(r"met|meets?", re.I)
ANAPHOR = re.compile(r"\b(?:the|this|that|its|their)\s+$", re.I)
PURPOSE = re.compile(
    r"\bto (?:strengthen|enhance|improve|ensure|boost|bolster)\s+(?:the\s+|its\s+|their\s+)?$", re.I
)
VICTIMS = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:(?:were|was|had been|have been)\s+)?(?:killed|injured|wounded|martyred)\b", re.I
)
FOR_THE = re.compile(r"\bfor\s+(?:the\s+)?$", re.I)
# "30 officers of the new division had completed a course": the unit whose members are trained or equipped
MEMBERS_OF = re.compile(
    r"\b(?:officers|personnel|troops|soldiers|men|members|recruits|cadets|commandos)\s+of\s+"
    r"(?:the\s+|its\s+)?(?:new\s+|newly[- ]raised\s+)?$",
    re.I,
)
ATTACK_ON = re.compile(
    r"\b(?:attacks?|bombings?|blasts?|ambush(?:es)?|assaults?|strikes?|firing)\s+on\s+(?:an?|the|their|its)\s+"
    r"(?:[\w-]+\s+){0,4}$",
    re.I,
)
ATTACK_REACH = 80
FINANCED_BY = re.compile(r"\b(?:with|under|through|by)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$", re.I)
RECEIVED_BY_UNIT = {"capacity_equipment", "training", "funding"}
FOR = re.compile(r"\bfor\b", re.I)
GUARDING_CENTRE = re.compile(
    r"\bcent(?:re|er)s?\s+(?:to|that will|which will)\s+(?:monitor|track|protect|secure|guard)\b", re.I
)
CENTRE_REACH = 40
CONTINGENT = re.compile(r"\bcontingents?\b", re.I)
REWARD = re.compile(r"\b(?:reward|bounty|head money)\s+(?:of\s+)?(?:up to\s+)?$", re.I)


def _body_before(text: str, at: int) -> bool:
    """ "The cell ..., which was meant to meet every month, has met only once": a body of another kind named
    before the verb is what met."""
    return any(
        k not in ("visit_or_meeting", "agreement") and start < at for k, start, _ in _triggers(text[:at])
    )


def _given_before(text: str, at: int) -> bool:
    """A thing received (equipment, training, money) told before an offset in its part of the sentence; not
    compensation approved before ", and Rs 3.2 billion for raising a new wing": that sum pays the force."""
    return any(
        k in RECEIVED_BY_UNIT and part(text, start) == part(text, at) for k, start, _ in _triggers(text[:at])
    )


def _plausible(kind: str, text: str, span: tuple[int, int], kinds: dict[tuple[int, int], set[str]]) -> bool:
    """A visit named only as a time ("during the premier's visit") is no visit; training is of state forces
    and not the drills of an exercise; "the agreement" without an object points back at another record."""
    a, b = span
    if kind != "visit_or_meeting" and DISCUSSED.search(text, 0, a):
        return False  # "met the envoy and discussed border security": a topic, not a commitment
    if kind == "visit_or_meeting":
        if body_schedule(text, a, b):
            return False  # "the JWG shall meet every three months": the body's schedule
        if CONTINGENT.search(text) or things_arrived(text, a, b):
            return False  # "the Chinese contingent arrived", "met the contingent's commander": an exercise's
        # "the cell ..., which was meant to meet every month, has met only once": a body of another record
        return not time_only(text, a, b) and not (MET.fullmatch(text[a:b]) and _body_before(text, a))
    if another_act(kind, text, a, b):
        return False  # a grant of equipment, an academy visited, a mechanism to exchange intelligence
    given = [end for _, _, end in money_given_triggers(text) if not money_buys(text, end)]
    if kind in VALUED and any(end <= a and FOR.search(text, end, a) for end in given):
        return False  # "Rs 2.5 crore to the Sindh police for the protection of ...": what the cash is for
    if kind == "capacity_equipment" and not LEXICON.equip_verbs.search(text):
        return False  # equipment named, nothing given or built
    if kind == "funding" and REWARD.search(text, max(0, a - 30), a):
        return False  # "announced a reward of Rs5 million for information": no money for the partner
    if kind in ("capacity_equipment", "funding") and LEXICON.purchase_words.search(text):
        return buys_for_partner(text, find_parties(text))  # arms bought under a contract: no cooperation
    if kind == "training":
        return training_of_forces(text, a, b, "joint_exercise" in kinds.get(clause(text, a), ()))
    if kind == "security_arrangement" and (
        (text[a].isupper() and unit_named_after(text, a)) or MEMBERS_OF.search(text, 0, a)
    ):
        return not any(RECEIVED_BY_UNIT & found for found in kinds.values())
    if kind == "security_arrangement" and GIVEN_THING.search(text, 0, a):
        return False  # "China has donated 12 bullet-proof vehicles to the unit": the things given
    if kind == "security_arrangement" and names_another(text, b):
        return False  # "border management equipment", "a border security course": the thing or the course
    if kind == "security_arrangement" and VICTIMS.match(text, b):
        return False  # "two police escorts were killed": the attack's victims, no arrangement
    if kind == "security_arrangement" and PURPOSE.search(text, 0, a):
        return False  # "to strengthen the protection of Chinese personnel": the aim of another act
    if (
        kind == "security_arrangement"
        and FOR_THE.search(text, 0, a)
        and RECEIVED_BY_UNIT & kinds.get(clause(text, a), set())
        and _given_before(text, a)
    ):
        return False  # "will provide two APCs ... for the protection of Chinese engineers": what they are for
    if kind == "capacity_equipment" and ATTACK_ON.search(text, max(0, a - ATTACK_REACH), a):
        return False  # "the bomb attack on a project vehicle": the attack's target, nothing given
    built = "capacity_equipment" in kinds.get(clause(text, a), ())
    if kind == "funding" and built and FINANCED_BY.search(text, 0, a) and named_before(text, a):
        return False  # "outposts built with Chinese grant assistance": the outposts are the record
    if kind == "agreement":
        if any(k not in ("agreement", "visit_or_meeting") for k in kinds.get(clause(text, a), ())):
            return False  # "an agreement under which China will pay for a base": the base is the record
        if text[a:b].lower().startswith("agreement"):
            return not ANAPHOR.search(text, 0, a) or bool(AGREEMENT_OBJECT.match(text, b))
    return True


def _dateline_place(text: str) -> tuple[str | None, str | None]:
    """The city of the report's dateline ("BEIJING, May 3 (Xinhua) --"), which "here" names."""
    for sent in itertools.islice(sentences(text), 8):
        if (m := DATELINE.match(sent.text)) is not None:
            name = m["city"].strip().title()
            place = lookup(name)
            if place is not None:
                return name, place.country
            return next(
                ((name, code) for code, rx in LEXICON.capitals.items() if rx.fullmatch(name)), (None, None)
            )
    return None, None


def _settled_stage(
    s: str, cues: list[tuple[str, int, int]], kind: str, trigger: tuple[int, int]
) -> str | None:
    """The stage a sentence tells for a trigger, read with what frames it."""
    stage = stage_of(trigger, cues, s) or framed(s, cues, trigger[0], kind)
    if stage is None:
        return None
    stage = agreed_that(s, cues, stage, trigger)
    if stage in ("announced", "pledged") and LEXICON.agreed_frames.search(s):
        stage = "agreed"  # "under the agreement, China will ...": what both signed
    if kind == "visit_or_meeting" and stage in ("agreed", "pledged") and held(s, *trigger):
        stage = "done"  # "in a meeting on Wednesday, the two sides agreed", "assured the visiting ..."
    if kind == "funding" and stage in ("funded", "done"):
        return _money_stage(s, cues, trigger, stage)
    return "under_way" if stage == "done" and part_only(s, trigger) else stage


COMPENSATION = re.compile(r"\b(?:compensat\w*|ex[- ]gratia)\b", re.I)
PAID_OUT = re.compile(r"\b(?:paid|disbursed|received|handed over|delivered)\b", re.I)
# "had been paid", "was disbursed" (not "to be paid", nor "when Pakistan paid" another sum); or "paid the ..."
PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been)\s+(?:\w+ly\s+)?$", re.I)
PAID_REACH = 30


def _money_stage(s: str, cues: list[tuple[str, int, int]], trigger: tuple[int, int], stage: str) -> str:
    """Compensation paid to the families is done (the payment is the whole act); a grant or aid paid or
    received is funded (the work it pays for is not told done by it)."""
    paid = any(
        PAID_OUT.search(s, a, b)
        and (PASSIVE.search(s, max(0, a - 20), a) or 0 <= trigger[0] - b < PAID_REACH)
        for _, a, b in cues
    )
    if COMPENSATION.search(s, trigger[0], trigger[1]) or TO_FAMILIES.search(s, trigger[1]):
        return "done" if paid else stage
    return "funded" if stage == "done" and paid else stage


def _own_sum(s: str, money: list[Money], kind: str, trigger: tuple[int, int]) -> Money | None:
    """The sum of a trigger's act: the total the sentence gives, else the nearest paying for nothing else."""
    own = [m for m in shares_marked(s, money) if not pays_for_other(s, m.end, trigger[0], kind)]
    own = [m for m in own if not per_head(s, m)]  # "each of them will receive Rs5 million": a share
    # "the first tranche of $4 million of a $12 million grant": the whole is the commitment's sum
    own = [m for m in own if not m.share] or own
    return total_of(s, own) or min(own, key=lambda m: distance(trigger, (m.start, m.end)), default=None)


def find_mentions(text: str, published: date | None) -> Iterator[Mention]:
    """Every mention of a cooperation act in the text, in order."""
    here = _dateline_place(text)
    events = event_days(text, published)
    for sent in sentences(text):
        s = sent.text
        triggers = _triggers(s, every=True)
        if not triggers:
            continue
        cues = row_cues(text, sent.start, s)  # a table's row: and its heading's
        if not cues:
            continue
        if LEXICON.aggregate.search(s):
            continue  # "has extradited several militants in recent years": no identifiable act
        hits = find_parties(s)
        lead = DATELINE.match(s)
        when = act_date(" " * lead.end() + s[lead.end() :] if lead else s, published, events)
        money = find_money(s)
        by_clause: dict[tuple[int, int], set[str]] = {}
        for kind, a, _ in triggers:
            by_clause.setdefault(clause(s, a), set()).add(kind)
        taken: set[tuple[str, int]] = set()  # a kind read in a part of the sentence
        for kind, a, b in triggers:
            slot = (kind, part(s, a))
            if slot in taken:
                continue
            stage = _settled_stage(s, cues, kind, (a, b))
            if stage is None:
                taken.add(slot)
                continue
            # "arrested on information provided by Chinese agencies": the intelligence's record
            if (kind := supported_arrest(s, (a, b), triggers, kind) or "") == "":
                continue
            if not _plausible(kind, s, (a, b), by_clause):
                continue  # "the Sindh Police's Special Protection Unit ... notified as a dedicated force"
            taken.add(slot)
            if kind == "capacity_equipment" and GUARDING_CENTRE.search(s, a, b + CENTRE_REACH):
                kind = "security_arrangement"  # "a command and control centre to monitor the movement of ..."
            lo, hi = clause(s, a)
            own = tuple(h for h in hits if lo <= h.start < hi)
            if kind == "action_against_group" and not own and not ADDRESSED.search(s, lo, hi):
                continue  # police at home issuing warrants: no state of the arrangement acts
            if kind == "visit_or_meeting" and not _two_sided(s, (a, b), own):
                continue
            stage = "announced" if stage == "agreed" and decided_alone(s, own) else stage
            near_money = _own_sum(s, money, kind, (a, b))
            place, country = place_of(s)
            if place is None and HERE.search(s):
                place, country = here
            name = name_of(s)
            dated = planned_out(s, stage, (a, b), when, published)
            dated = stage_date(s, stage, (a, b), dated, cues, published, events, CUE_REACH)
            if standing_background(kind, s, a, dated):
                continue  # "The Special Security Division continues to protect ...": background
            yield Mention(
                kind, stage, sent, (a, b), own, dated, near_money, group_of(s), place, country, name
            )
