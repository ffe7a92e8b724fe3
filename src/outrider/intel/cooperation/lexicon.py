"""The cooperation language of `data/cooperation.json`, compiled once: kinds and their triggers, stage cues,
what is not a commitment, party names (countries, capitals standing for governments, demonyms, state bodies),
protected nouns, money words and officials' titles."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))


def words(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern matching any of these on word boundaries (a pattern may end in a symbol such as `$`)."""
    return re.compile(rf"(?<![\w$])(?:{_alternation(patterns)})(?![\w])", flags)


def _any_case(pattern: str) -> str:
    """A body's lower-case words in any case: "Sindh (?:police|government)" matches "Sindh Police"."""
    return re.sub(r"\(\?:([a-z| ]+)\)", lambda m: f"(?i:{m.group(1)})", pattern)


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    kinds: dict[str, re.Pattern[str]]
    families: dict[str, str]
    stages: tuple[str, ...]
    stage_cues: dict[str, re.Pattern[str]]
    not_commitment: re.Pattern[str]
    generic: re.Pattern[str]
    joint: re.Pattern[str]
    parties: dict[str, re.Pattern[str]]  # code -> names, demonyms, capitals, bodies (case-sensitive)
    demonyms: dict[str, re.Pattern[str]]
    capitals: dict[str, re.Pattern[str]]
    bodies: re.Pattern[str]  # state bodies of every state ("Sindh Police", "ISPR")
    not_party: re.Pattern[str]
    protected: re.Pattern[str]
    scales: dict[str, int]
    currency_before: list[tuple[re.Pattern[str], str]]
    currency_after: list[tuple[re.Pattern[str], str]]
    titles: re.Pattern[str]
    trainees: re.Pattern[str]
    clause_break: re.Pattern[str]
    aggregate: re.Pattern[str]
    transfer: re.Pattern[str]
    equip_verbs: re.Pattern[str]
    security_words: re.Pattern[str]
    meeting_nouns: re.Pattern[str]
    group_verbs: re.Pattern[str]
    value_words: re.Pattern[str]
    purchase_words: re.Pattern[str]
    agreed_frames: re.Pattern[str]
    time_reference: re.Pattern[str]
    # alternations to embed in patterns: the verbs that conclude a written accord ("signed", "inked"), words
    # that may sit inside a verb ("was formally handed over", "had already pledged")
    accord_verbs: str
    adverbs: str
    both_sides: str  # "both sides", "the two countries": an alternation naming the pair together
    arrest: re.Pattern[str]  # "arrested", "apprehended", "taken into custody"
    preparation: re.Pattern[str]  # "preparatory training before departure": a force readying itself
    # a government's own label for a group ("Fitna al-Hindustan") and the group's canonical name
    group_labels: list[tuple[re.Pattern[str], str]]


def _load() -> dict[str, Any]:
    text = resources.files("outrider.intel.cooperation").joinpath("data/cooperation.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# "shall, free of charge, build", "will, in turn, provide": a short aside between commas
ASIDE = r", (?:[\w-]+ ){0,3}[\w-]+, "


def _adverbial(patterns: list[str], adverbs: list[str]) -> list[str]:
    """Patterns with their adverb slots filled ("was {adv}handed over" matches "was formally handed over"), or
    a short aside between commas ("shall, free of charge, build")."""
    slot = f"(?: (?:(?:{_alternation(adverbs)}) )?|{ASIDE})"
    return [p.replace(" {adv}", slot) for p in patterns]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = _load()
    adverbs = raw["adverbs"]
    # names are proper nouns (case matters: "US" is not "us"); a body's common noun may be in either case
    parties = {
        code: words([*p["names"], *p["demonyms"], *p["capitals"], *(_any_case(b) for b in p["bodies"])], 0)
        for code, p in raw["parties"].items()
    }
    money = raw["money"]
    return Lexicon(
        raw=raw,
        kinds={k: words(_adverbial(v["triggers"], adverbs)) for k, v in raw["kinds"].items()},
        families={k: v["family"] for k, v in raw["kinds"].items()},
        stages=tuple(raw["stages"]),
        stage_cues={s: words(_adverbial(v, adverbs)) for s, v in raw["stage_cues"].items()},
        not_commitment=words(raw["not_commitment"]),
        generic=words(raw["generic"]),
        joint=words(raw["joint_words"]),
        parties=parties,
        demonyms={code: words(p["demonyms"], 0) for code, p in raw["parties"].items() if p["demonyms"]},
        capitals={code: words(p["capitals"], 0) for code, p in raw["parties"].items() if p["capitals"]},
        bodies=words([_any_case(b) for p in raw["parties"].values() for b in p["bodies"]], 0),
        not_party=words(raw["not_party"], 0),
        protected=words(raw["protected_nouns"]),
        scales={k.lower(): int(v) for k, v in money["scales"].items()},
        currency_before=[(re.compile(p), c) for p, c in money["currency_before"].items()],
        # "60 million yuan", "a 60-million-yuan grant"
        currency_after=[
            (re.compile(rf"[\s-]*(?:{p})\b", re.I), c) for p, c in money["currency_after"].items()
        ],
        titles=words(raw["titles"], 0),
        trainees=words(raw["trainees"]),
        clause_break=re.compile("|".join(re.escape(b) for b in raw["clause_breaks"]), re.I),
        aggregate=words(raw["aggregate"]),
        transfer=words(raw["transfer_verbs"]),
        equip_verbs=words(raw["equip_verbs"]),
        security_words=words(raw["security_words"]),
        meeting_nouns=words(raw["meeting_nouns"]),
        value_words=words(raw["value_words"]),
        purchase_words=words(raw["purchase_words"]),
        agreed_frames=words(raw["agreed_frames"]),
        preparation=words(raw["own_preparation"]),
        arrest=words(raw["arrest_verbs"]),
        both_sides=_alternation(raw["both_sides"]),
        accord_verbs=_alternation(raw["accord_verbs"]),
        adverbs=_alternation(adverbs),
        # "against the ETIM", "will firmly combat the ETIM": action against a group the registry names
        group_verbs=re.compile(
            rf"\b(?:{_alternation(raw['group_verbs'])})\s+(?:the\s+)?(?:outlawed\s+|banned\s+)?$", re.I
        ),
        group_labels=[(words([label]), name) for label, name in raw["group_labels"].items()],
        # "during Premier X's visit", "at the end of the talks": a visit named only as a time
        time_reference=re.compile(
            # "at the ceremony to establish a joint working group": an infinitive tells the act, no time
            rf"\b(?:{_alternation(raw['time_reference'])})\s+(?:(?!to\s)[\w'’.-]+\s+){{0,5}}$",
            re.I,
        ),
    )


LEXICON = lexicon()
