"""Attacks a report tells in passing (issue 20, sixth round): a rocket fired at a town, an earlier attack told
in the background or in a state's act against its perpetrators, a trend told beside one attack, a spot named
after another town, a court's town. Reports of our own, published on a Wednesday."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday
OWN = ("2031-06-17", "Turbat")  # the record of MAIN
MAIN = "A bomb killed two soldiers in Turbat on Tuesday. "  # the report's own attack

# what a report tells after its own attack (MAIN), and the further record it makes
AFTER_MAIN = {
    # a trend, then one attack with its own time
    "Several attacks on security forces have taken place in the district in recent months, and last month a "
    "rocket was fired at Gwadar.": ("2031-05-01", "Gwadar"),
    "Police in Turbat have faced a wave of attacks, and a checkpoint in the district was attacked with "
    "rockets last month.": ("2031-05-01", "Turbat"),
    # background attacks without a place of their own: at the report's place
    "In March a remote-controlled bomb targeted a patrol vehicle.": ("2031-03-01", "Turbat"),
    "In July 2029, a bus carrying workers plunged into a ravine after an explosion, killing nine people.": (
        "2029-07-01",
        "Turbat",
    ),
    # a trend as the backdrop: "amid ..."
    "The attack came four months after three policemen were killed in a bomb blast near Gwadar, and amid a "
    "rise in attacks on police.": ("2031-02-01", "Gwadar"),
}
CASES = [
    *[(f"Blast in Turbat\n\n{MAIN}{told}", [OWN, record]) for told, record in AFTER_MAIN.items()],
    # a rocket names the attack by itself; "the latest in a string of attacks" is the backdrop
    ("Rocket lands near Turbat\n\nOn Tuesday night a rocket fired from the hills landed near Turbat.", [OWN]),
    (f"Round-up\n\n{MAIN.strip()[:-1]}, the latest in a string of attacks.", [OWN]),
    # a city after its quarter, in a clause of its own
    (
        "Guesthouse attacked\n\nOn 14 June, a bomber blew himself up at a guesthouse in Karte Gulzar, Kabul "
        "city, after which two gunmen entered the building.",
        [("2031-06-14", "Kabul")],
    ),
    # an arrest for an earlier attack told with that attack's own day
    (
        "Suspects held\n\nPolice arrested three men in Quetta on Tuesday. Earlier this year, police arrested "
        "the facilitators of the roadside bombing near Turbat on 6 March 2031, in which two soldiers died.",
        [("2031-03-06", "Turbat")],
    ),
]


def _found(text: str) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


@pytest.mark.parametrize(("report", "records"), CASES)
def test_the_attacks_a_report_tells_in_passing(report: str, records: list[tuple[str, str]]) -> None:
    assert _found(report) == records


@pytest.mark.parametrize(
    ("report", "cities"),
    [
        # an arrest for an attack told without its time is only a state's act
        ("Suspects held\n\nPolice arrested the facilitators of the roadside bombing near Turbat.", []),
        # a square named after another town, and a court's town, are no sites
        (
            "Blast in Bannu\n\nBANNU: A suicide bomber killed two policemen near Miranshah Chowk on Tuesday.",
            ["Bannu"],
        ),
        (
            "Trial opens\n\nAn anti-terrorism court in Gilgit on Tuesday charged three men accused of "
            "planting the bomb that killed a driver in Chilas in March.",
            ["Chilas"],
        ),
    ],
)
def test_places_that_are_no_site(report: str, cities: list[str]) -> None:
    assert [city for _, city in _found(report)] == cities
