"""Places, second pass: border crossings named by their town, district seats told as districts, the province
of a new town, and linking by district. Sentences are invented."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from outrider.intel.gazetteer import known_name
from outrider.intel.linking import places_compatible, same_event
from outrider.intel.told_towns import told_in_report


def _crossings() -> list[str]:
    raw = resources.files("outrider.intel").joinpath("data", "told_places.json").read_text(encoding="utf-8")
    words: list[str] = json.loads(raw)["crossings"]
    return words


@pytest.mark.parametrize("word", _crossings())
def test_each_crossing_word_tells_the_town_it_is_named_after(word: str) -> None:
    sentence = f"A suicide bomber struck the Qazbaro {word} in Khyber district on Sunday."
    assert told_in_report((sentence,), known_name)["Qazbaro"].admin1 == "Khyber Pakhtunkhwa"


@pytest.mark.parametrize("country", ["Afghan", "Pak-Afghan", "Iran-Pakistan"])
def test_a_crossing_named_after_countries_is_no_town(country: str) -> None:
    sentence = f"Militants fired across the {country} border in Kurram district on Sunday."
    assert told_in_report((sentence,), known_name) == {}


def _record(doc: str, day: str, city: str | None, where: str) -> dict[str, object]:
    return {
        "doc_id": doc,
        "date": day,
        "date_precision": "day",
        "country": "PK",
        "admin1": "Khyber Pakhtunkhwa",
        "city": city,
        "location_text": where,
        "attack_type": "bombing",
    }


@pytest.mark.parametrize(("where", "linked"), [("in Khyber district", True), ("in Bannu district", False)])
def test_a_record_told_by_its_district_links_only_with_its_towns(where: str, linked: bool) -> None:
    town = _record("a", "2031-03-02", "Jamrud", "near Jamrud")
    told = _record("b", "2031-03-02", None, where)
    assert places_compatible(town, told) is linked
    assert same_event(told, town) is linked


def test_a_record_told_only_by_its_province_is_still_compatible_with_a_town_of_it() -> None:
    town = _record("a", "2031-03-02", "Jamrud", "near Jamrud")
    assert places_compatible(town, _record("b", "2031-03-02", None, "in Khyber Pakhtunkhwa"))


def test_a_told_town_without_a_province_near_it_takes_the_province_a_later_sentence_names_most() -> None:
    said = (
        "Gunmen attacked a police post on the outskirts of Qazbaro town on Sunday.",
        "No group claimed the attack.",
        "Earlier, militants blew up a pylon near Khanpur in the neighbouring Ghotki district of Sindh.",
    )
    assert told_in_report(said, known_name)["Qazbaro"].admin1 == "Sindh"


def test_a_town_told_as_a_provinces_capital_is_a_town_of_that_province() -> None:
    said = ("Mortar rounds hit the main bazaar of Qazbaro, the capital of Kunar province, on Thursday.",)
    assert told_in_report(said, known_name)["Qazbaro"].admin1 == "Kunar"
