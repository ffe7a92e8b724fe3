"""Round 15, second pass (issue 20): places told by their own parts, on sentences of our own making."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places

PUB = date(2031, 6, 18)  # a Wednesday


def _told(text: str) -> list[tuple[object, object, object]]:
    return [(i["city"], i["admin1"], i["date"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_a_known_name_with_a_villages_part_is_no_town_of_that_name() -> None:
    assert find_places("a grenade was hurled at Ghazni Khel.") == []
    assert [h.place.name for h in find_places("a grenade was hurled at a shop in Ghazni.")] == ["Ghazni"]
    assert find_places("elders of the Bannu Killi clan met.") == []


def test_a_village_told_by_its_part_is_placed_in_the_reports_province() -> None:
    text = (
        "DISTRICT POLICE LAKKI MARWAT\nDaily Situation Report\n\n"
        "1. On 16 June 2031, unknown accused hurled a hand grenade into the courtyard of a house at "
        "Ghazni Khel. One man was injured."
    )
    assert _told(text) == [("Ghazni Khel", "Khyber Pakhtunkhwa", "2031-06-16")]


def test_a_town_of_another_country_by_its_name_is_the_reports_own_in_a_one_country_report() -> None:
    text = (
        "Two policemen martyred in Karachi\n\n"
        "KARACHI: Gunmen on a motorcycle opened fire on a police mobile near Sultanabad on Tuesday night, "
        "killing two constables, police said."
    )
    assert [(c, a) for c, a, _ in _told(text)] == [("Sultanabad", "Sindh")]
    # a report that names the other country may tell its town ("Sultanabad", Arak's old name, in Iran)
    abroad = text.replace("police said.", "police said. Iranian officials condemned it.")
    assert ("Arak", None) in [(c, a) for c, a, _ in _told(abroad)]
