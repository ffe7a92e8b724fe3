"""Which sentences tell of an attack (issue 20, detection): the attack nouns and verbs of `data/lexicon.json`
with all their inflections, on sentences of our own making."""

from datetime import date

import pytest

from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.lexicon import _data, noun_forms, verb_forms
from outrider.intel.mentions import mentions_of

PUB = date(2031, 6, 18)  # a Wednesday
LEXICON = _data()


def _incidents(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


@pytest.mark.parametrize(
    ("noun", "forms"),
    [
        ("blast", ("blast", "blasts")),
        ("ambush", ("ambush", "ambushes")),
        ("gunman", ("gunman", "gunmen")),
        ("casualty", ("casualty", "casualties")),
        ("suicide bomber", ("suicide bomber", "suicide bombers")),
    ],
)
def test_a_noun_and_its_plural(noun: str, forms: tuple[str, str]) -> None:
    assert noun_forms(noun) == forms


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("detonate", ("detonate", "detonates", "detonated", "detonating")),
        ("stab", ("stab", "stabs", "stabbed", "stabbing")),
        ("ambush", ("ambush", "ambushes", "ambushed", "ambushing")),
        ("attack", ("attack", "attacks", "attacked", "attacking")),
        ("open fire", ("open fire", "opens fire", "opened fire", "opening fire")),
        ("bury", ("bury", "buries", "buried", "burying")),
    ],
)
def test_a_regular_verbs_forms(verb: str, forms: tuple[str, str, str, str]) -> None:
    assert verb_forms(verb) == forms


@pytest.mark.parametrize("form", [f for n in LEXICON["attack_nouns"] for f in noun_forms(n)])
def test_every_form_of_every_attack_noun_makes_a_mention(form: str) -> None:
    assert mentions_of(f"In May 2029 the {form} reported from Quetta.", 0, PUB, False)


@pytest.mark.parametrize("form", [f for v in LEXICON["attack_verbs"] for f in verb_forms(v)])
def test_every_form_of_every_attack_verb_makes_a_mention(form: str) -> None:
    assert mentions_of(f"In May 2029 they {form} near Quetta.", 0, PUB, False)


@pytest.mark.parametrize(
    ("report", "town"),
    [
        # a plural the list once lacked
        (
            "Blasts rock Turbat market\n\nTwo blasts tore through a vegetable market in Turbat on Tuesday.",
            "Turbat",
        ),
        # a device that "went off", with no other word of an attack
        (
            "Device goes off in Sibi\n\nAn explosive device went off beside a police van in Sibi on Tuesday.",
            "Sibi",
        ),
        # a lone gunman, and the Pakistani press's "martyred"
        (
            "Gunman fires on Levies post\n\nTwo Levies men were martyred in Kharan on Tuesday.",
            "Kharan",
        ),
    ],
)
def test_an_attack_told_only_by_an_inflected_form_is_an_incident(report: str, town: str) -> None:
    assert [(i["date"], i["city"]) for i in _incidents(report)] == [("2031-06-17", town)]


def test_the_martyred_at_their_funeral_is_no_attack_there() -> None:
    assert (
        mentions_of(
            "The funeral prayers of the martyred soldiers were offered at Quetta on May 8, 2029.",
            0,
            PUB,
            False,
        )
        == []
    )


def test_a_vest_that_never_went_off_is_no_weapon_of_the_assault() -> None:
    got = classify(
        "Three gunmen stormed the consulate and opened fire on the guards. "
        "One attacker wore an explosive vest that never went off."
    )
    assert (got["attack_type"], got["weapon"]) == ("armed_assault", "firearms")


# --- several attacks told together (`intel/several.py`) ----------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        "The raid on the Turbat camp was one of two that night; the other targeted a post in Kharan.",
        "Hours after the Turbat raid, a second attack hit a Levies post in Kharan.",
    ],
)
def test_the_other_of_several_attacks_is_an_event_of_that_time(second: str) -> None:
    incs = _incidents(f"Camp raided\n\nOn Tuesday night militants raided a camp in Turbat. {second}")
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Turbat"), ("2031-06-17", "Kharan")]


def test_an_undated_town_beside_an_attack_is_still_context() -> None:
    incs = _incidents(
        "Camp raided\n\nOn Tuesday night militants raided a camp in Turbat. "
        "The raid on the Turbat camp was condemned by officials in Kharan, who called it an attack on peace."
    )
    assert [(i["date"], i["city"]) for i in incs] == [("2031-06-17", "Turbat")]
