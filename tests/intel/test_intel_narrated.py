"""Attacks a report tells in passing (issue 20, sixth round): a rocket fired at a town, an attack told in a
state's act against its perpetrators, a town named after the place it lies in. Sentences of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _found(text: str) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_a_rocket_that_lands_near_a_town_is_an_attack_there() -> None:
    report = "Rocket lands near Turbat\n\nOn Tuesday night a rocket fired from the hills landed close to Turbat."
    assert _found(report) == [("2031-06-17", "Turbat")]


def test_a_city_named_after_its_quarter_places_the_attack() -> None:
    report = (
        "Guesthouse attacked\n\nOn 14 June, a bomber blew himself up at a guesthouse in Karte Gulzar, "
        "Kabul city, after which two gunmen entered the building."
    )
    assert _found(report) == [("2031-06-14", "Kabul")]
