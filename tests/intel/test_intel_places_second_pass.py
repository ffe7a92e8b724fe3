"""Places, second pass: border crossings named by their town, district seats told as districts, the province
of a new town, and linking by district. Sentences are invented."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from outrider.intel.gazetteer import known_name
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
