"""The other spellings of a place name (`outrider.intel.spellings`): the izafat written either way."""

from __future__ import annotations

import pytest

from outrider.intel.gazetteer import find_places
from outrider.intel.spellings import spellings


def test_an_izafat_name_has_its_other_spellings_and_a_plain_name_none() -> None:
    assert spellings("Dasht-i-Nawar") == ["Dasht-i-Nawar", "Dasht-e-Nawar", "Dasht-e Nawar", "Dasht-i Nawar"]
    assert spellings("Kot Addu") == ["Kot Addu"]
    assert spellings("Rest-in-peace") == ["Rest-in-peace"]  # lower case after the join: no name's words


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("A bomb went off on the road between Pul-e-Khumri and the river.", "Pul-i-Khumri"),
        ("Gunmen attacked a post in Mazar-i-Sharif on Monday.", "Mazar-e Sharif"),
    ],
)
def test_a_town_is_found_by_its_other_izafat_spelling(text: str, town: str) -> None:
    assert [h.place.name for h in find_places(text) if not h.is_region] == [town]
