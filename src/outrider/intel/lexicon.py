"""The incident extractor's language as data (`data/lexicon.json`): attack words, state actions that are not
incidents, attacks only planned or threatened, nouns of sites pointed back at, target classes in order of
precedence, and the demonyms of victims' nationalities. Pure."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any


@cache
def _data() -> dict[str, Any]:
    text = resources.files("outrider.intel").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def alternation(words: list[str]) -> str:
    """One regular expression alternative per word or phrase, longest first, each matched as written."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def attack_words() -> re.Pattern[str]:
    """Any word or phrase that tells of an attack or its toll ("stormed", "blew himself up", "killed")."""
    return re.compile(rf"\b(?:{alternation(_data()['attack_words'])})\b", re.I)


def state_actions() -> re.Pattern[str]:
    """State actions that are not incidents ("sentenced", "air strikes", "foiled a plot")."""
    return re.compile(rf"\b(?:{alternation(_data()['state_actions'])})\b", re.I)


def plans_and_threats() -> re.Pattern[str]:
    """Attacks planned, plotted or threatened, not carried out ("had been planning an attack on ...")."""
    return re.compile(rf"\b(?:{alternation(_data()['plans_and_threats'])})\b", re.I)


def site_nouns() -> list[str]:
    """Nouns of sites a report names with their town and then points back at ("the cantonment")."""
    return [str(w) for w in _data()["site_nouns"]]


def targets() -> tuple[tuple[str, str], ...]:
    """(pattern, target class) in order of precedence: the people attacked before what held them."""
    return tuple((str(row["pattern"]), str(row["target"])) for row in _data()["targets"])


def nationalities() -> dict[str, str]:
    """A pattern per nationality (ISO 3166-1 alpha-2) of the demonyms that name it ("tajik|tajiks")."""
    return {code: alternation(words) for code, words in _data()["nationalities"].items()}
