"""Recall, sixteenth round: attacks never found and places missed (our own sentences)."""

import pytest

from outrider.intel.gazetteer import find_places


def _towns(text: str) -> list[str | None]:
    return [h.place.name for h in find_places(text) if not h.is_region]


# --- an ambiguous town's name is a place when its district or province follows it, or a station ----------


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Mach, Kachhi (4 March). A bomb exploded under the track.", "Mach"),
        ("Sui, Dera Bugti (19 March). A device damaged a pipeline.", "Sui"),
        ("Tank, Khyber Pakhtunkhwa: gunmen fired on a patrol.", "Tank"),
        ("The blast hit the train at the outer signal of Mach station.", "Mach"),
        ("The track near Mach railway station was cleared by noon.", "Mach"),
    ],
)
def test_ambiguous_town_told_with_its_area_or_station(text: str, town: str) -> None:
    assert town in _towns(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mach, Karachi and Lahore are words in this list.",  # another area than its own: still a word
        "Sui, Dera Bugtis are no district.",  # the district's name must end there
        "Tank crews moved along the border.",
        "The Sui Southern Gas Company restored the supply.",
    ],
)
def test_ambiguous_word_without_its_area_is_no_place(text: str) -> None:
    assert not {"Mach", "Sui", "Tank"} & set(_towns(text))
