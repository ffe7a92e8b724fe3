"""Promisor and beneficiary of a mention by the schema's per-kind rules.

* joint exercises and agreements: no single party (both perform, both bound);
* mutual exchanges, joint mechanisms, meetings of three or more states or held virtually: no single promisor;
* protection, action against a group: the protected party is the one whose nationals, projects or
  institutions the sentence (else the report) names ("Chinese nationals"); the other party acts;
* visits: the host is the state of the embassy visited ("at the Chinese Embassy") or of the venue named, the
  other the visitor; a venue in a third state makes it no single party's;
* money, equipment, training: the provider is "by/from X" or the first state named, the recipient the other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.parties import PartyHit, find_parties
from outrider.intel.gazetteer import lookup

if TYPE_CHECKING:
    from outrider.intel.cooperation.mentions import Mention

RECEIVING = re.compile(
    r"\b(?:to|for|with|in|at|into|visit(?:ed|ing|s)?|tour(?:ed|ing)|hosted by)\s+(?:the\s+)?$", re.I
)
PROVIDING = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.I)
MUTUAL = re.compile(r"\b(?:exchange|each other|mutual|jointly|both sides|two sides|trilateral|joint)\b", re.I)
# "the visit of a delegation ... to Urumqi", "a three-day official visit to China": where the visitor went
VISIT_TO = re.compile(r"\b(?:visit|trip|tour)\s+(?:of\s+[^.;,]{0,60}?\s)?to\s+(?P<dest>[A-Z][\w-]+)")
REMOTE = re.compile(r"\b(?:virtual(?:ly)?|video|telephone|phone)\b", re.I)
JOINT_ONLY = {"joint_exercise", "agreement"}
# ", and the agency will be upgraded": another act, whose giver the verb of the first does not name
PART = re.compile(r",\s+and\s+|;\s+")
TOLD_BEFORE = re.compile(
    r"\b(?:promised|assured|guaranteed|told|informed|briefed|promising|assuring|guaranteeing|telling"
    r"|(?:pledged|vowed|promised|undertook)\s+to)\s+(?:the\s+)?(?:visiting\s+)?$",
    re.I,
)


TOLD_TITLED = re.compile(TOLD_BEFORE.pattern.removesuffix("$") + r"(?:[\w-]+\s+){0,3}of\s+(?:the\s+)?$", re.I)


def _protected_in(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if h.demonym and LEXICON.protected.match(sentence, h.end + 1):
            return h.code
        before = sentence[max(0, h.start - 20) : h.start].lower()
        if re.search(r"\b(?:protection|security|safety) of (?:the )?$", before):
            return h.code
    return None


def protected_party(text: str, hits: list[PartyHit]) -> str | None:
    """The state whose nationals, projects or institutions a report names most ("Chinese nationals")."""
    counts = Counter(h.code for h in hits if h.demonym and LEXICON.protected.match(text, h.end + 1))
    return counts.most_common(1)[0][0] if counts else None


def _receiver(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if RECEIVING.search(sentence[max(0, h.start - 20) : h.start]):
            return h.code
    return None


def _served(sentence: str, hits: list[PartyHit]) -> str | None:
    """ "to China", "for Pakistan": the state an act is done for ("in Pakistan" is where, not for whom)."""
    for h in hits:
        if re.search(r"\b(?:to|for)\s+(?:the\s+)?$", sentence[max(0, h.start - 12) : h.start], re.I):
            return h.code
    return None


def _provider(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if PROVIDING.search(sentence[max(0, h.start - 12) : h.start]):
            return h.code
    return None


# "a grant for the modernisation of the Gilgit-Baltistan police": the body the money is for does not give it
FOR_WHOM = re.compile(r"\bfor\s+(?:the\s+)?(?:[\w-]+\s+){0,2}of\s+(?:the\s+)?$", re.I)


def _subject(sentence: str, hits: list[PartyHit], trigger: int) -> str:
    """The state giving: the last named before the verb that gives ("China will extend Pakistan")."""
    verbs = [
        v.start()
        for v in LEXICON.transfer.finditer(sentence)
        if v.start() < trigger + 40
        and not PART.search(sentence, min(v.start(), trigger), max(v.start(), trigger))
    ]
    at = min(verbs, key=lambda v: abs(v - trigger)) if verbs else trigger
    # "promised the Chinese consul general that it will provide": the one told is not the one giving
    before = [
        h
        for h in hits
        if h.end <= at
        and not TOLD_BEFORE.search(sentence, 0, h.start)
        and not FOR_WHOM.search(sentence, max(0, h.start - 40), h.start)
    ]
    return before[-1].code if before else hits[0].code


# "the Chinese embassy handed over cheques": a state's mission gives, where its nationals are given to
MISSION = re.compile(r"(?:embassy|consulate(?:\s+general)?|mission)\b", re.I)


def _payer(sentence: str, hits: list[PartyHit], trigger: int) -> str | None:
    """The state named as the subject of the verb that gives a sum ("China will provide Rs 2.5 crore"), not
    one named only as the nationals the sum is for."""
    verb = next((v for v in LEXICON.transfer.finditer(sentence) if v.start() < trigger), None)
    # "assured the Consul General of China that the province would pay": the one told does not pay
    before = [
        h for h in hits if verb and h.end <= verb.start() and not TOLD_TITLED.search(sentence, 0, h.start)
    ]
    if not before or (
        before[-1].demonym
        and LEXICON.protected.match(sentence, before[-1].end + 1)
        and not MISSION.match(sentence, before[-1].end + 1)
    ):
        return None
    return before[-1].code


def _joint_subject(sentence: str, hits: list[PartyHit]) -> bool:
    """ "Pakistan and China agreed ...": two states as one subject, neither giving to the other."""
    return (
        len(hits) >= 2
        and hits[0].code != hits[1].code
        and bool(re.fullmatch(r"\s*(?:and|,)\s*", sentence[hits[0].end : hits[1].start]))
    )


# "Tajik border guards", "officers of the Sindh police"; "at Chinese military academies": the state teaching
TRAINEES_AFTER = [re.compile(rf"\s(?:[\w-]+\s){{{n}}}") for n in range(3)]
TRAINEES_OF = re.compile(
    r"\b(?:officers|personnel|members|cadets|guards|commandos)\s+of\s+(?:the\s+)?(?:[\w-]+\s){0,2}$", re.I
)
SCHOOL_AFTER = re.compile(
    r"(?:['’]s)?\s(?:[\w'’-]+\s){0,3}?(?:academy|academies|university|universities|college|institute|school)",
    re.I,
)
SCHOOL_BEFORE = re.compile(r"\b(?:at|in|by)\s+(?:the\s+)?$", re.I)
# "taught by a team of Chinese police instructors", "the Chinese training team": the state that teaches
TRAINERS_AFTER = re.compile(r"\s(?:[\w-]+\s){0,2}?(?:instructors|trainers|training\s+team)\b", re.I)


# "with Russian assistance", "built with Chinese grant assistance", "with Chinese grant money", "with a
# Chinese loan"
ASSISTANCE = re.compile(
    r"\s+(?:grant\s+|financial\s+|technical\s+|military\s+)?"
    r"(?:assistance|support|help|funding|aid|money|funds|grants?|loans?)\b",
    re.I,
)


# "information provided by Chinese agencies", "arrested with the support of Chinese public security organs"
SOURCE = re.compile(
    r"\b(?:(?:provided|shared|supplied|given|passed on) by|with the (?:support|help|assistance) of)"
    r"\s+(?:the\s+)?$",
    re.I,
)


def _source(sentence: str, hits: list[PartyHit]) -> str | None:
    """The state an intelligence or support a sentence tells comes from."""
    return next((h.code for h in hits if SOURCE.search(sentence, max(0, h.start - 40), h.start)), None)


def _assisting(sentence: str, hits: list[PartyHit]) -> str | None:
    """ "with Russian assistance": the state that helps."""
    for h in hits:
        if ASSISTANCE.match(sentence, h.end) and re.search(
            r"\bwith\s+(?:an?\s+)?$", sentence[max(0, h.start - 10) : h.start]
        ):
            return h.code
    return None


def _trainee(sentence: str, hits: list[PartyHit], parties: tuple[str, ...]) -> str | None:
    """The state whose personnel are trained: named before them or as their force; else the other of the
    state whose school or instructors teach them."""
    if (trainer := next((h.code for h in hits if TRAINERS_AFTER.match(sentence, h.end)), None)) is not None:
        return _other(parties, trainer)
    for h in hits:
        if SCHOOL_AFTER.match(sentence, h.end):
            continue
        ends = [a.end() for rx in TRAINEES_AFTER if (a := rx.match(sentence, h.end))]
        if any(LEXICON.trainees.match(sentence, end) for end in ends):
            return h.code
        if TRAINEES_OF.search(sentence, 0, h.start):
            return h.code
    for h in hits:
        if SCHOOL_BEFORE.search(sentence, 0, h.start) and SCHOOL_AFTER.match(sentence, h.end):
            return _other(parties, h.code)
    return None


def _other(parties: tuple[str, ...], code: str | None) -> str | None:
    rest = [p for p in parties if p != code]
    return rest[0] if code in parties and len(rest) == 1 else None


def _visit(m: Mention, parties: tuple[str, ...], venue: str | None) -> tuple[str | None, str | None]:
    s, hits = m.sentence.text, list(m.hits)
    if REMOTE.search(s) or m.stage == "agreed":
        return None, None  # held by video, or a body both agreed to hold: nobody's visit
    host = next(
        (
            h.code
            for h in hits
            if re.match(r"\s+(?:embassy|consulate)", s[h.end :], re.I)
            and RECEIVING.search(s[max(0, h.start - 20) : h.start])
        ),
        None,
    )
    if host is None and (trip := VISIT_TO.search(s)) is not None:
        place = lookup(trip["dest"])
        host = place.country if place is not None and place.country in parties else None
    if host is None and venue:
        if venue not in parties:
            return None, None  # a third state's venue
        host = venue
    if host is None:
        host = _receiver(s, hits)
    if host is None and hits:
        return hits[0].code if hits[0].code in parties else None, _other(parties, hits[0].code)
    return _other(parties, host), host if host in parties else None


# "would not allow the TTP to use Afghan soil for attacks on Pakistan": whose ground, and against whom
TERRITORY_OF = re.compile(r"\s+(?:soil|territory)\b", re.I)
AGAINST_STATE = re.compile(r"\b(?:against|attacks? (?:on|in)|targeting)\s+(?:the\s+)?$", re.I)


def _ground_owner(m: Mention) -> str | None:
    """The state whose soil or territory a denial of ground to a group is about ("Afghan territory")."""
    if m.kind != "action_against_group":
        return None
    return next((h.code for h in m.hits if TERRITORY_OF.match(m.sentence.text, h.end)), None)


def denial_parties(m: Mention) -> tuple[str, ...] | None:
    """A state denying its ground to a group that attacks another ("to use Afghan territory against China"):
    those two states, whatever other state the sentence names beside them."""
    owner, s = _ground_owner(m), m.sentence.text
    target = next((h.code for h in m.hits if AGAINST_STATE.search(s, max(0, h.start - 20), h.start)), None)
    return tuple(sorted({owner, target})) if owner and target and owner != target else None


def _protection(m: Mention, parties: tuple[str, ...], protected: str | None) -> tuple[str | None, str | None]:
    s, hits = m.sentence.text, list(m.hits)
    if (owner := _ground_owner(m)) in parties:
        return owner, _other(parties, owner)  # the state whose ground is denied acts, for the other
    # "handed over to Pakistan": the state an act is done for, before the report's protected nationals
    served = _protected_in(s, hits) or _served(s, hits) or (protected if protected in parties else None)
    if served is None and (helper := _assisting(s, hits)) is not None:
        served = _other(parties, helper)  # "with Russian assistance": the helper protects the other's border
    if MUTUAL.search(s):
        return None, served  # a joint patrol or mechanism: for the state it names as protected, if any
    if served is None and hits:
        served = _other(parties, hits[0].code)
    return _other(parties, served), served


MUTUAL_REACH = 80  # characters: "a joint investigation team" told long before "findings would be shared"


def _mutual_near(m: Mention) -> bool:
    """An exchange told as mutual near its trigger ("exchange intelligence", "both sides will share")."""
    a, b = m.trigger
    return MUTUAL.search(m.sentence.text, max(0, a - MUTUAL_REACH), b + MUTUAL_REACH) is not None


def roles(
    m: Mention, parties: tuple[str, ...], protected: str | None, venue: str | None = None
) -> tuple[str | None, str | None]:
    """(promisor, beneficiary) of a mention among these parties; ``protected`` is the protected state,
    ``venue`` the state of the place the commitment's mentions name."""
    if m.kind in JOINT_ONLY or len(parties) != 2:
        return None, None
    # the whole sentence's states, locative ones too: "at the China People's Police University" is where and
    # who teaches, "officers of the Punjab Police, who completed a course" who was taught
    named = find_parties(m.sentence.text) if m.kind == "training" else []
    m = replace(m, hits=tuple(h for h in m.hits if not h.locative))
    if m.kind in ("security_arrangement", "action_against_group"):
        return _protection(m, parties, protected)
    s, hits = m.sentence.text, list(m.hits)
    if m.kind == "intelligence_sharing" and (source := _source(s, hits)) is not None:
        return source, _other(parties, source)  # "on the basis of information provided by Chinese agencies"
    if m.kind == "intelligence_sharing" and (_mutual_near(m) or _joint_subject(s, hits)):
        return None, None
    if m.kind == "visit_or_meeting":
        return _visit(m, parties, venue)
    if m.kind == "funding" and (served := _protected_in(s, hits)) is not None:
        payer = _provider(s, hits) or _payer(s, hits, m.trigger[0])
        if payer != served:
            return _other(parties, served), served  # compensation to the families of the partner's nationals
        # "China will provide Rs 2.5 crore to the Sindh police for the protection of Chinese nationals": the
        # protected state pays, the partner's body receives
    if m.kind == "training" and (trainee := _trainee(s, named, parties)) is not None:
        return _other(parties, trainee), trainee  # "GB police officers ... at the Xinjiang Police Academy"
    # "with Chinese funding": the state that pays or helps gives, whatever the sentence's subject
    provider = _provider(s, hits) or _assisting(s, hits)
    receiver = _receiver(s, [h for h in hits if h.code != provider])
    if provider is None and receiver is None and hits:
        provider = _subject(s, hits, m.trigger[0])
    if provider is None:
        provider = _other(parties, receiver)
    if receiver is None:
        receiver = _other(parties, provider)
    return provider, receiver
