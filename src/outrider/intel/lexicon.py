"""The incident extractor's language as data (`data/lexicon.json`): attack words, state actions that are not
incidents, attacks only planned or threatened, nouns of sites pointed back at, target classes in order of
precedence, and the demonyms of victims' nationalities. Pure."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from outrider.intel.tries import trie_pattern


@cache
def _data() -> dict[str, Any]:
    text = resources.files("outrider.intel").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# " ... " in a phrase: its object in between ("set ... on fire": "set the school's classrooms on fire")
GAP = " ... "
GAP_WORDS = r"\s+(?:[^\s.;:!?]+\s+){1,6}?"


def alternation(words: list[str]) -> str:
    """One regular expression for the words and phrases, each matched as written, the longest that matches
    first: the phrases with " ... " (one to six words between its parts) as alternatives, longest first, then
    the plain words as one character trie (`tries.trie_pattern`)."""
    gapped = sorted((w for w in words if GAP in w), key=len, reverse=True)
    plain = [w for w in words if GAP not in w]
    # the plain words as one character trie: the same longest match, one branch followed per character
    parts = [GAP_WORDS.join(re.escape(part) for part in w.split(GAP)) for w in gapped]
    return "|".join(parts + ([trie_pattern(plain)] if plain else []))


def attack_words() -> re.Pattern[str]:
    """Any word or phrase that tells of an attack or its toll ("stormed", "blew himself up", "killed"): the
    words as written, and every inflection of the attack nouns and verbs ("blast", "blasts"; "explode",
    "explodes", "exploded", "exploding")."""
    data = _data()
    words = set(data["attack_words"])
    words.update(form for noun in data["attack_nouns"] for form in noun_forms(noun))
    words.update(form for verb in data["attack_verbs"] for form in verb_forms(verb))
    return re.compile(rf"\b(?:{alternation(sorted(words))})\b", re.I)


def _plural(word: str) -> str:
    """ "ambush" -> "ambushes", "casualty" -> "casualties", "blast" -> "blasts" (also a verb's -s form)."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + ("es" if re.search(r"(?:s|sh|ch|x|z)$", word) else "s")


# a final consonant after one short vowel doubles before -ed and -ing ("stab", "stabbed"); "w", "x", "y" never
DOUBLED = re.compile(r"^[^aeiou]*[aeiou][bdgmnprt]$")


def attack_nouns() -> str:
    """A regular expression of the attack nouns in all their forms ("attack", "bombings", "ambush")."""
    return alternation([form for noun in _data()["attack_nouns"] for form in noun_forms(noun)])


def noun_forms(noun: str) -> tuple[str, str]:
    """A noun and its plural ("ambush", "ambushes"; "gunman", "gunmen"; "casualty", "casualties"); in a phrase
    the last word takes the ending ("suicide bomber", "suicide bombers")."""
    return noun, noun[:-3] + "men" if noun.endswith("man") else _plural(noun)


def verb_forms(verb: str) -> tuple[str, str, str, str]:
    """A regular verb's base, third person, past and -ing forms ("detonate", "detonates", "detonated",
    "detonating"; "stab", "stabs", "stabbed", "stabbing"); in a phrase the first word takes the ending
    ("open fire", "opened fire"). Irregular forms ("blew up", "shot") are `attack_words` as written."""
    head, _, rest = verb.partition(" ")
    tail = f" {rest}" if rest else ""
    if head.endswith("e"):
        past, ing = head + "d", head[:-1] + "ing"
    elif DOUBLED.search(head):
        past, ing = head + head[-1] + "ed", head + head[-1] + "ing"
    elif re.search(r"[^aeiou]y$", head):
        past, ing = head[:-1] + "ied", head + "ing"
    else:
        past, ing = head + "ed", head + "ing"
    return verb, _plural(head) + tail, past + tail, ing + tail


def state_actions() -> re.Pattern[str]:
    """State actions that are not incidents ("sentenced", "air strikes", "foiled a plot")."""
    return re.compile(rf"\b(?:{alternation(_data()['state_actions'])})\b", re.I)


def plans_and_threats() -> re.Pattern[str]:
    """Attacks planned, plotted or threatened, not carried out ("had been planning an attack on ...")."""
    return re.compile(rf"\b(?:{alternation(_data()['plans_and_threats'])})\b", re.I)


def rehearsals() -> re.Pattern[str]:
    """An attack a drill acted out, the rehearsal's word before the attack's ("a mock hijacked trailer",
    "rehearsing the response to an attack on a convoy"): no attack told; the sentence's other words stand."""
    said, attack = alternation(_data()["rehearsals"]), attack_words().pattern
    # "to rehearse the response to a terrorist attack": the response told between them
    answer = r"(?:(?:an?|the)\s+)?(?:response|reaction)\s+to\s+"
    return re.compile(rf"\b(?:{said})\s+(?:{answer})?(?:(?:an?|the)\s+)?(?:[\w-]+\s+){{0,2}}{attack}", re.I)


def other_senses() -> re.Pattern[str]:
    """An attack word in another sense ("the motorway toll rates", "a toll plaza"): no attack told; the
    sentence's other words stand."""
    return re.compile(rf"\b(?:{alternation(_data()['other_senses'])})\b", re.I)


def untold() -> re.Pattern[str]:
    """Words of an attack that tell none: a drill's (`rehearsals`) or another sense's (`other_senses`)."""
    return re.compile(f"{rehearsals().pattern}|{other_senses().pattern}", re.I)


def crimes_and_accidents() -> re.Pattern[str]:
    """Killings and blasts that are no attack: a feud, a dispute, a gas cylinder ("over a land dispute")."""
    return re.compile(rf"\b(?:{alternation(_data()['crimes_and_accidents'])})\b", re.I)


def site_nouns() -> list[str]:
    """Nouns of sites a report names with their town and then points back at ("the cantonment")."""
    return [str(w) for w in _data()["site_nouns"]]


def targets() -> tuple[tuple[str, str], ...]:
    """(pattern, target class) in order of precedence: the people attacked before what held them."""
    return tuple((str(row["pattern"]), str(row["target"])) for row in _data()["targets"])


def nationalities() -> dict[str, str]:
    """A pattern per nationality (ISO 3166-1 alpha-2) of the demonyms that name it ("tajik|tajiks")."""
    return {code: alternation(words) for code, words in _data()["nationalities"].items()}


@cache
def demonyms() -> re.Pattern[str]:
    """Any demonym of any nationality (`nationalities`), in any case; built once."""
    return re.compile("|".join(nationalities().values()), re.I)
