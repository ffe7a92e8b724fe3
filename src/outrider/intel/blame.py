"""Whether a sentence holds a group responsible for an attack, or names it for something else: a denial ("the
group said it had nothing to do with the bombing") or its past deeds ("X, which has attacked police in the
past, did not respond"). The words are data (`data/attribution.json`). Pure."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from outrider.intel.lexicon import alternation


@cache
def _data() -> dict[str, list[str]]:
    text = resources.files("outrider.intel").joinpath("data/attribution.json").read_text(encoding="utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return data


def _pattern(kind: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(_data()[kind])})\b", re.I)


DENIAL = _pattern("denials")  # "denied the group was involved", "had nothing to do with"
PAST_DEEDS = _pattern("past_deeds")  # "has carried out attacks in Kandahar in the past"
BLAME = _pattern("blame")  # "police blamed", "bore the hallmarks of", "suspected"
OTHER_ATTACKS = _pattern("other_attacks")  # "officials have blamed similar attacks on X": not this one
# "a TTP-linked faction": another group, linked to the one named
AFFILIATE = re.compile(rf"(?:{alternation(_data()['affiliates'])})\b", re.I)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds the span (a name), from the stop before it to the stop after."""
    head = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start))
    stop = re.search(r"[.;](?:\s|$)", text[end:])
    return text[head + 1 : end + stop.start() if stop else len(text)]


def affiliate_of(text: str, end: int) -> bool:
    """The name is part of another group's description ("a TTP-linked faction"), not the group itself."""
    return AFFILIATE.match(text, end) is not None


def named_not_responsible(sentence: str, claim: re.Pattern[str]) -> bool:
    """The sentence names a group for something other than this attack: a denial, or its past deeds with
    no claim or blame in the same sentence."""
    if OTHER_ATTACKS.search(sentence):
        # "officials have in the past blamed similar attacks on X": the blame is of other attacks; "police
        # suspect X, which has claimed similar attacks" still blames X for this one
        rest = re.sub(rf"\b\w+\s+(?:\w+\s+){{0,2}}?(?:{OTHER_ATTACKS.pattern})", " ", sentence, flags=re.I)
        return BLAME.search(rest) is None
    if DENIAL.search(sentence):
        # "investigators attributed the attack to X, an allegation the group denied": officials' word stands
        return BLAME.search(sentence) is None
    # "... has attacked Chinese targets repeatedly: its fighters stormed the consulate in November 2018":
    # past deeds told with their dates are attacks the sentence holds the group responsible for
    told = claim.search(sentence) or BLAME.search(sentence) or DATED.search(sentence)
    return PAST_DEEDS.search(sentence) is not None and not told


DATED = re.compile(
    r"\b(?:(?:19|20)\d\d|January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
