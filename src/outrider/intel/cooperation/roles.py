"""Promisor and beneficiary of a mention by the schema's per-kind rules.

* joint exercises and agreements: no single party (both perform, both bound);
* mutual exchanges, joint mechanisms, meetings of three or more states: no single promisor;
* protection, action against a group: the protected party is the one whose nationals, projects or
  institutions the sentence names ("Chinese nationals"); the other party acts;
* money, equipment, training, visits: the provider or visitor is the subject ("by X", "from X", or the first
  state named), the recipient or host the object ("to X", "for X", "in X", "X's embassy").
"""

from __future__ import annotations

import re

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.parties import PartyHit

RECEIVING = re.compile(r"\b(?:to|for|with|in|at|into|visit(?:ed|ing|s)?|hosted by)\s+(?:the\s+)?$", re.I)
RECEIVING_AFTER = re.compile(
    r"^\s*(?:embassy|consulate|side's hospitality|police|personnel|officers|forces)\b", re.I
)
PROVIDING = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.I)
MUTUAL = re.compile(r"\b(?:exchange|each other|mutual|jointly|both sides|two sides|trilateral|joint)\b", re.I)
JOINT_ONLY = {"joint_exercise", "agreement"}


def _protected(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if h.demonym and LEXICON.protected.match(sentence, h.end + 1):
            return h.code
        before = sentence[max(0, h.start - 20) : h.start].lower()
        if re.search(r"\b(?:protection|security|safety) of (?:the )?$", before):
            return h.code
    return None


def _receiver(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if RECEIVING.search(sentence[max(0, h.start - 20) : h.start]) or RECEIVING_AFTER.match(
            sentence[h.end :]
        ):
            return h.code
    return None


def _provider(sentence: str, hits: list[PartyHit]) -> str | None:
    for h in hits:
        if PROVIDING.search(sentence[max(0, h.start - 12) : h.start]):
            return h.code
    return None


def _other(parties: tuple[str, ...], code: str | None) -> str | None:
    rest = [p for p in parties if p != code]
    return rest[0] if code and len(rest) == 1 else None


def roles(
    kind: str, sentence: str, hits: list[PartyHit], parties: tuple[str, ...]
) -> tuple[str | None, str | None]:
    """(promisor, beneficiary) of a mention of this kind in this sentence among these parties."""
    if kind in JOINT_ONLY or len(parties) != 2:
        return None, None
    if kind in ("security_arrangement", "action_against_group"):
        protected = _protected(sentence, hits)
        if protected is None:
            protected = _receiver(sentence, hits)
        if protected is None and hits:
            protected = _other(parties, hits[0].code)
        joint = bool(MUTUAL.search(sentence))
        return (None if joint else _other(parties, protected)), protected
    if kind == "intelligence_sharing" and MUTUAL.search(sentence):
        return None, None
    if kind == "visit_or_meeting" and re.search(r"\b(?:virtual|video|telephone|phone)\b", sentence, re.I):
        return None, None
    provider = _provider(sentence, hits)
    receiver = _receiver(sentence, [h for h in hits if h.code != provider])
    if provider is None and receiver is None and hits:
        provider = hits[0].code
    if provider is None:
        provider = _other(parties, receiver)
    if receiver is None:
        receiver = _other(parties, provider)
    return provider, receiver
