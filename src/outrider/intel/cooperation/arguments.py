"""What a mention's sentence says beside its act: the place and its state, the group acted against, a series'
instance name, the total of a sum, whether its date is only the time of what it plans, and whether a meeting
it names was held or is only a time."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from outrider.intel.actors import find_actors
from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.money import Money
from outrider.intel.cooperation.parties import PLACE_BEFORE, PartyHit, find_parties
from outrider.intel.dates import EventDate
from outrider.intel.gazetteer import find_places

# "agreed to convene the next meeting in June", "would be raised by June": the time of what is planned, which
# does not date the promise or the agreement
PLANNED = re.compile(
    r"\b(?:to|will|would|shall|starting|beginning|from|by|until|till|before|next|due)\b", re.I
)
NOT_PERFORMED = {"announced", "pledged", "agreed"}
# "by August", "before the end of June": the time a plan is due, before or after its trigger
DUE_BY = re.compile(
    r"\b(?:by|before|no later than)\s+"
    r"(?:the\s+(?:end|middle|start|beginning)\s+of\s+|(?:early|mid|late)[- ])?$",
    re.I,
)
DUE_REACH = 30
AGREEMENT_DATED = re.compile(
    rf"\b(?:agreement|accord|deal|memorandum|mou)\s+(?:[\w-]+\s+){{0,6}}?(?:{LEXICON.accord_verbs})\s+"
    r"(?:[\w-]+\s+){0,5}?$",
    re.I,
)
# "which the two countries agreed to set up at the border commission meeting in Zahedan in October": the day
# of the occasion it was agreed at, not of what it plans
AT_MEETING = re.compile(
    r"\b(?:at|during)\s+(?:the|a|their|its)\s+(?!(?:next|coming|following)\b)(?:[\w-]+\s+){0,5}?"
    r"(?:meeting|talks|session|summit|visit|conference)\s+(?:(?:in|at)\s+[A-Z][\w-]*\s+)?(?:(?:in|on)\s+)?$"
)
PLAN_REACH = 24  # "agreed to convene the next meeting ... in June": the plan's words just before the trigger


# "including a suicide bombing in Gwadar this month": the place an attack struck, not the act's
ATTACK_AT = re.compile(
    r"\b(?:attacks?|bombings?|blasts?|explosions?|ambush(?:es)?|assaults?|raids?|shootings?|killings?)"
    r"\s+(?:in|near|at)\s+(?:the\s+)?$",
    re.I,
)


def place_of(text: str) -> tuple[str | None, str | None]:
    """The place of the act and its state: the gazetteer's, else a capital as a place ("in Tashkent"); not
    the place of an attack the sentence names."""
    for hit in find_places(text):
        name = hit.place.name or hit.place.admin1
        if name and not ATTACK_AT.search(text, max(0, hit.start - 30), hit.start):
            return name, hit.place.country
    for code, rx in LEXICON.capitals.items():
        for m in rx.finditer(text):
            if PLACE_BEFORE.search(text, 0, m.start()) and not ATTACK_AT.search(text, 0, m.start()):
                return m.group(0), code
    return None, None


# "Sirajuddin Haqqani": a one-word group name after a given name is a person's surname
GIVEN_NAME = re.compile(r"(?<![.!?]\s)\b(?!The\b)[A-Z][a-z]+\s+$")
# "Haqqani assures the envoy", "Haqqani also told": a one-word name that speaks or acts is a person
PERSON_VERB = re.compile(
    r"\s+(?:also\s+)?(?:says|said|tells|told|assures|assured|vows|vowed|met|meets|urges|urged|added)\b", re.I
)


def groups_in(text: str) -> list[tuple[str, int, int]]:
    """The groups a sentence names (canonical name and span): the registry's, then a government's own labels
    for them ("Fitna al-Hindustan"), in order."""
    found = [(a.name, a.start, a.end) for a in find_actors(text) if a.kind == "group"]
    found += [(name, m.start(), m.end()) for rx, name in LEXICON.group_labels for m in rx.finditer(text)]
    return sorted(found, key=lambda g: g[1])


def group_of(text: str) -> str | None:
    """The first group a sentence names, not a person's surname."""
    return next((name for name, a, b in groups_in(text) if not _surname(text, a, b)), None)


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


def planned_out(
    text: str, stage: str, trigger: tuple[int, int], when: EventDate, published: date | None = None
) -> EventDate:
    """No date for a promise or agreement whose only date is the time of what it plans (after its trigger,
    behind "to convene", "would be raised by", "starting in", or later than the report)."""
    trigger_start, trigger_end = trigger
    if stage not in NOT_PERFORMED or when.value is None:
        return when
    if when.start >= 0 and DUE_BY.search(text, max(0, when.start - DUE_REACH), when.start):
        return EventDate(None, "unknown")  # "agreed to set up a hotline by August, and to hold patrols"
    if when.start < trigger_end:
        return when
    if published is not None and _after(when, published):
        return EventDate(None, "unknown")  # "would host 40 officers for training in 2032", told in 2031
    if when.precision == "day" and not when.explicit:
        return when  # "reported on Sunday": a weekday dates the telling, not a plan
    if stage == "agreed" and (
        AGREEMENT_DATED.search(text, 0, when.start) or AT_MEETING.search(text, 0, when.start)
    ):
        return when  # "under an agreement reached by the two governments in January": the agreement's day
    if PLANNED.search(text, max(0, trigger_start - PLAN_REACH), when.start):
        return EventDate(None, "unknown")
    return when


def _after(when: EventDate, published: date) -> bool:
    """Whether a date lies after the report's day at its own precision."""
    value = when.value
    if value is None:
        return False
    if when.precision == "year":
        return value.year > published.year
    if when.precision == "month":
        return (value.year, value.month) > (published.year, published.month)
    return value > published


# meetings named beside an act: the occasion of what was agreed, or only a time
PARTICIPANTS = re.compile(r"\s+(?:\w+\s+){0,2}(?:between|with)\b", re.I)
# "In a meeting on Wednesday, ...": the meeting as the occasion of what the sentence says was agreed
OCCASION = re.compile(r"(?:^|[.;]\s)(?:in|at)\s+(?:a|an|the|their|its)\s+(?:[\w-]+\s+){0,2}$", re.I)


# "was conveyed by X during a meeting", "were handed over at a meeting": something done at a meeting held
TOLD_DURING = re.compile(
    r"\b(?:was|were|had been)\s+[a-z]+(?:ed|en|ade)\b[^.;]{0,160}?\b(?:during|at)\s+(?:a|the|their)\s+"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
WITH_WHOM = re.compile(r"\s+(?:with|between)\b", re.I)


def held(text: str, a: int, b: int) -> bool:
    """A meeting the sentence tells as held: the occasion of what was agreed, or a visitor someone assured."""
    if REACHED_DURING.search(text, 0, a) and VISIT_OF.match(text, b):
        return True  # "signed during the visit of X to Beijing"
    if TOLD_DURING.search(text, 0, a) and WITH_WHOM.match(text, b):
        return True  # "the pledge was conveyed by the ambassador during a meeting with the minister"
    return bool(OCCASION.search(text, 0, a)) or text[a:b].lower() == "visiting"


def time_only(text: str, a: int, b: int) -> bool:
    """A visit named only as a time ("during the premier's visit"); "during a meeting between X and Y" still
    describes the meeting."""
    if THEIR_MEETING.search(text, 0, a):
        return False  # "At their meeting in Beijing, the ministers agreed": the occasion its subjects held
    if REACHED_DURING.search(text, 0, a) and VISIT_OF.match(text, b):
        return False  # "the agreement was reached during the visit of X to Beijing": the visit it was made at
    if REACHED_AT.search(text, 0, a) and HELD_AT.match(text, b):
        return False  # "the agreement was reached at a meeting held at the port authority": that meeting
    if TOLD_THE.search(text, 0, a):
        return True  # "the Chinese side informed the meeting that ...": the meeting is told, it does nothing
    return bool(LEXICON.time_reference.search(text, 0, a)) and not PARTICIPANTS.match(text, b)


# "informed the meeting that", "briefed the committee": the meeting told what another act was
TOLD_THE = re.compile(r"(?:informed|briefed|told|apprised|assured|updated)\s+(?:the|this)\s+$", re.I)


THEIR_MEETING = re.compile(r"(?:^|[.;]\s)(?:at|in|during)\s+(?:their|its)\s+(?:[\w-]+\s+){0,2}$", re.I)
REACHED_DURING = re.compile(
    rf"\b(?:agreed|decided|{LEXICON.accord_verbs})\s+(?:[^.;]{{0,160}}?,\s+|(?:[\w-]+\s+){{0,4}}?)during\s+"
    r"(?:(?:the|a|his|her|their)\s+(?:[\w'’-]+\s+){0,3})?$",
    re.I,
)
# "was reached at a meeting held at the port authority on Wednesday between X and Y": a meeting the sentence
# describes (where, when, who), at which what it tells was agreed
REACHED_AT = re.compile(
    rf"\b(?:agreed|decided|{LEXICON.accord_verbs})\s+(?:[\w-]+\s+){{0,2}}?at\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}$",
    re.I,
)
HELD_AT = re.compile(r"\s+(?:(?:that|which)\s+)?(?:was\s+)?held\s+(?:at|in|on)\b", re.I)
# who met at a meeting so described: "between X and Y", "with the delegation", "where a delegation arrived"
MET_BY = re.compile(r"\b(?:between|with|delegation)\b", re.I)
# "during the visit of X", "during talks in Beijing between X and Y": the occasion's participants follow it
VISIT_OF = re.compile(
    r"(?:\s+in\s+[A-Z][\w-]+)?\s+(?:of|by|between)\s+(?:the\s+)?(?:[A-Z]|(?:a|an)\s+(?:[\w-]+\s+)?delegation)"
)


# who a sentence says an act is told to: the partner's envoy or its embassy ("informed the embassy"), a
# delegation, a visiting minister, both sides
ADDRESSED = re.compile(
    rf"\b(?:ambassador|envoy|consul(?: general)?|delegation|(?<=the )embassy|{LEXICON.both_sides}"
    r"|visiting\s+(?:vice\s+|deputy\s+)?(?:minister|secretary|chief|commander))\b",
    re.I,
)
# "told the ambassador that ... would be issued": a future act said to the partner is promised to it
TOLD = re.compile(r"\b(?:told|assured|assures?|promised|informed|briefed|pledged|vowed)\b", re.I)


# "..., the inspector general assured China's consul general on Monday": a plan told to the partner's official
# ("assured China's Vice Minister of Public Security", "promised the visiting delegation")
TOLD_PARTNER = re.compile(
    rf"{TOLD.pattern}\s+(?:[\w'’-]+\s+){{0,3}}?(?:{ADDRESSED.pattern}"
    r"|(?:vice |deputy |assistant )?(?:minister|secretary|premier|president)\b)",
    re.I,
)


def told_partner(text: str, stage: str) -> str:
    """A plan ("will raise a company") the sentence says was told to the partner's official is promised."""
    return "pledged" if stage == "announced" and TOLD_PARTNER.search(text) else stage


def future_stage(text: str) -> str:
    """ "will be stationed": a plan of the side's own (announced), unless said to the partner (pledged)."""
    return "pledged" if TOLD.search(text) or ADDRESSED.search(text) else "announced"


# a trigger that is only the topic of talks, or the thing an equipment verb gives
# (not "a proposal, discussed last year, for joint patrols": an aside telling the thing's past)
DISCUSSED = re.compile(
    r"(?<!,\s)\bdiscuss(?:ed|es|ing)?\s+(?:the\s+)?(?:[\w-]+,?\s+){0,5}$"
    r"|\b(?:to review|review of|reviewed|(?:talks|discussions|consultations|negotiations) (?:on|about|over))"
    r"\s+(?:the\s+)?(?:[\w-]+\s+)?$"
    # "was briefed on the security arrangements": what exists, told to a visitor (not "on the new SOPs")
    r"|\bbriefed\s+(?:[\w'’-]+\s+){0,5}?(?:on|about)\s+(?:the\s+)?$"
    # "convene the working group next month to finalise a new security plan": the meeting's business to come
    r"|\b(?:convene|hold|meet)\b[^.;]{0,80}?\bto (?:finali[sz]e|draft|prepare|work out|chalk out|devise)\s+"
    r"(?:the\s+|a\s+)?(?:new\s+)?$",
    re.I,
)
GIVEN_THING = re.compile(
    r"\b(?:donated|gifted|handed over|delivered|supplied)\s+(?:\d[\d,]*\s+|[\w-]+\s+){0,2}$", re.I
)


# "Pakistan decided to raise a division": one side's decision of its own is announced, not agreed
DECIDED = re.compile(r"\bdecided\b", re.I)
BY_BOTH = re.compile(
    rf"\b(?:agree\w*|sign\w*|{LEXICON.accord_verbs}|both|two sides|joint statement|consensus)\b",
    re.I,
)


def decided_alone(text: str, own: tuple[PartyHit, ...]) -> bool:
    """Whether a sentence tells one state's decision (the partner named at most as the nationals served)."""
    actors = {h.code for h in own if not (h.demonym and LEXICON.protected.match(text, h.end + 1))}
    return len(actors) < 2 and DECIDED.search(text) is not None and BY_BOTH.search(text) is None


def named_after(text: str, at: int) -> bool:
    """Whether equipment, a building or a force is named after an offset, in the same sentence."""
    return any(LEXICON.kinds[k].search(text, at) for k in ("capacity_equipment", "security_arrangement"))


# "handed over APCs to the Sindh police's Special Protection Unit", "officers of the SPU": a unit named as the
# one that receives or is trained, not a force being set up
NAMED_AFTER = re.compile(
    r"\b(?:to|for|of|by|from)\s+(?:the\s+)?"
    # "of the SPU", "to the Sindh police's unit", "for the provincial police's unit"
    r"(?:[\w-]+(?:'s|’s)\s+|[A-Z][\w-]*\s+|[a-z][\w-]*\s+(?=[\w-]+(?:'s|’s)\s)){0,3}$"
)
# "for the raising of the Special Security Division": the force set up, not a unit that receives
RAISING_OF = re.compile(
    r"\b(?:raising|setting up|establishment|creation|formation)\s+of\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)


def unit_named_after(text: str, at: int) -> bool:
    """Whether a unit named at an offset is the one that receives or is trained ("to the Sindh police's
    Special Protection Unit"), not a force being set up ("for the raising of the Security Division")."""
    return NAMED_AFTER.search(text, 0, at) is not None and RAISING_OF.search(text, 0, at) is None


SCHEDULE = re.compile(
    r"\s+(?:shall|will|would|is to|are to)\s+meet\s+(?:every|each|once|twice|monthly|quarterly)\b", re.I
)
THE_BODY = re.compile(r"\bthe\s+$", re.I)


def body_schedule(text: str, a: int, b: int) -> bool:
    """Whether a meeting body named by its definite article is told with its schedule ("the JWG shall meet
    every three months"): no meeting of its own ("a committee will meet every six months" sets one up)."""
    return SCHEDULE.match(text, b) is not None and THE_BODY.search(text, 0, a) is not None


def named_before(text: str, at: int) -> bool:
    """Whether equipment or a building is named before an offset ("outposts built with a grant")."""
    return LEXICON.kinds["capacity_equipment"].search(text, 0, at) is not None


# "for the family of the Pakistani guard killed": money for the families of a state's own nationals
FAMILIES_OF = re.compile(
    r"\b(?:famil(?:y|ies)|heirs|relatives|next of kin)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I
)


def families_of(text: str) -> str | None:
    """The state whose nationals' families money goes to ("for the families of the two Pakistani guards"),
    unless the sum goes to another state's nationals named first ("Rs28 million for the two Chinese engineers
    and a separate sum for the family of their Pakistani driver")."""
    hits = find_parties(text)
    family = next((h for h in hits if h.demonym and FAMILIES_OF.search(text, 0, h.start)), None)
    if family is None or _partner_first(text, hits, family):
        return None
    return family.code


def own_families(kind: str, evidence: str, protected: str | None) -> bool:
    """Money for the families of nationals of another state than the one whose nationals the report protects
    ("Rs50 million for the families of the Pakistani guards" beside compensation for the Chinese engineers):
    a state's compensation to its own citizens, no cooperation."""
    family = families_of(evidence) if kind == "funding" else None
    return family is not None and protected is not None and family != protected


def own_nationals(text: str, hits: tuple[PartyHit, ...] | list[PartyHit]) -> bool:
    """Whether money in a sentence goes to the families of nationals of the state that gives it, the only
    state the sentence names (a state's compensation to its own citizens, no cooperation)."""
    families = [h for h in hits if h.demonym and FAMILIES_OF.search(text, 0, h.start)]
    if not families:
        return False
    # the partner's nationals named as the attack's victims ("a convoy of Chinese engineers") do not give
    actors = {h.code for h in hits if not (h.demonym and LEXICON.protected.match(text, h.end + 1))}
    if actors - {families[0].code}:
        return False
    if _partner_first(text, hits, families[0]):
        return False
    return any(not h.demonym for h in hits)  # the giver is named ("the Sindh government"), not only the dead


# "as financial assistance for the two Chinese engineers": the partner's nationals named as the receivers
FOR_RECEIVERS = re.compile(r"\b(?:for|to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)


def _partner_first(text: str, hits: Sequence[PartyHit], family: PartyHit) -> bool:
    """Whether another state's nationals are named as the receivers before the families of a state's own."""
    return any(
        h.demonym
        and h.code != family.code
        and h.start < family.start
        and FOR_RECEIVERS.search(text, max(0, h.start - 30), h.start) is not None
        for h in hits
    )


# "Rs 120 crore for the purchase of 20 armoured vehicles": the sum is the value of the things bought
# "Rs2.1 billion (Rs210 crore) for the ministry to raise a dedicated unit", "for raising the force", "for the
# construction of barracks to house the personnel guarding ...", "for the ministry for the raising of the
# division": the sum funds the force
FOR_PURCHASE = re.compile(
    r"(?:\s+\([^)]{1,30}\))?\s+for\s+(?:the\s+)?(?:(?:purchase|procurement|acquisition|construction)\s+of\b"
    r"|(?:raising|setting up|establishing|creating|forming|constructing|building)\b"
    r"|(?:[\w'’-]+\s+){0,6}?(?:to\s+(?:raise|set up|establish|create|form)"
    r"|for\s+(?:the\s+)?(?:raising|setting up|establishment|creation|formation)\s+of)\b)",
    re.I,
)
SERVING = re.compile(r"\b(?:security|protection|safety|escort\w*|movement)\b", re.I)


def buys_for_partner(text: str, hits: tuple[PartyHit, ...] | list[PartyHit]) -> bool:
    """A purchase told as serving the partner's nationals ("for the unit that provides security to Chinese
    nationals"): a measure for the partner, not an arms deal."""
    protected = any(h.demonym and LEXICON.protected.match(text, h.end + 1) for h in hits)
    return protected and SERVING.search(text) is not None


def money_buys(text: str, end: int) -> bool:
    """Whether a sum ending at this offset is "for the purchase of" what follows."""
    return FOR_PURCHASE.match(text, end) is not None
