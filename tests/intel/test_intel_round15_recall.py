"""Recall, fifteenth round: attacks a report tells that were never found at all (our own sentences)."""

from datetime import date

import pytest

from outrider.intel.background import GENERIC, told_apart
from outrider.intel.classify import classify
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places

PUB = date(2031, 10, 7)  # a Tuesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


def _found(text: str) -> list[tuple[object, object]]:
    return [(i["date"], i["city"]) for i in _incidents(text)]


# --- sabotage told as a noun or a participle is an attack ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials recalled the sabotage of two transformers at the grid near Sibi on 2 September 2031.",
        "On the sabotage at the grid station near Sibi on 2 September 2031, the CTD briefed the committee.",
        "Two pylons near Sibi were sabotaged on 2 September 2031, cutting power to the town.",
    ],
)
def test_sabotage_of_a_site_is_an_attack(sentence: str) -> None:
    assert ("2031-09-02", "Sibi") in _found(f"Security review\n\nThe review was held on Monday. {sentence}")


def test_sabotage_as_an_aim_is_no_attack() -> None:
    text = "Minister speaks\n\nThe minister said on Monday that attempts to sabotage peace in Sibi fail."
    assert _found(text) == []


# --- an attack with its own day beside a trend joined by "and" --------------------------------------------


def test_an_attack_with_its_own_day_before_a_trend_is_told_apart() -> None:
    sentence = (
        "Not included: the bombing of a pylon near Sibi on 12 September 2031 (no foreigners targeted) "
        "and attacks on security forces in Turbat."
    )
    assert GENERIC.search(sentence) and told_apart(sentence, GENERIC)
    report = f"Attacks on projects\n\nThe list was updated on Monday. {sentence}"
    assert ("2031-09-12", "Sibi") in _found(report)


def test_a_trend_alone_is_still_generic() -> None:
    sentence = "Officials warned of attacks on security forces in Turbat and attacks on convoys in Sibi."
    assert not told_apart(sentence, GENERIC)


# --- a listing item whose head carries a note in brackets -------------------------------------------------


def test_an_items_head_with_a_bracketed_note_gives_its_place_and_date() -> None:
    text = (
        "Quarterly bulletin\n\n"
        "Incidents of relevance\n"
        "1. Sibi, 12 September: four towers were bombed at their legs. No casualties.\n"
        "2. Turbat, March (reported in the Q1 bulletin): attack on a survey team; two guards killed.\n"
    )
    found = _found(text)
    assert ("2031-03-01", "Turbat") in found and ("2031-09-12", "Sibi") in found


def test_a_bracketed_name_in_a_head_is_kept() -> None:
    text = (
        "Quarterly bulletin\n\n"
        "1. Islamkot (Thar), June: roadside bomb under a staff bus; two injured.\n"
        "2. Turbat, March: attack on a survey team; two guards killed.\n"
    )
    assert ("2031-06-01", "Islamkot") in _found(text)


# --- a power plant named after its town, told as where --------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "An explosion damaged the perimeter wall of the Kot Addu power plant late on Tuesday.",
        "Blast at Kot Addu power plant wall",
    ],
)
def test_a_plant_named_after_its_town_told_as_where_is_at_the_town(sentence: str) -> None:
    assert [h.place.name for h in find_places(sentence)] == ["Kot Addu"]


def test_a_plants_staff_attacked_elsewhere_are_not_at_the_plants_town() -> None:
    assert [
        h.place.name for h in find_places("Engineers of the Kot Addu power plant were attacked in Multan.")
    ] == ["Multan"]


def test_a_project_told_as_where_after_another_attacks_town_is_a_site_of_its_own() -> None:
    sentence = (
        "Guards were killed near Multan, and a guard was killed at the gate of the Sahiwal coal power plant."
    )
    assert [(h.place.name, h.place.site) for h in find_places(sentence)] == [
        ("Multan", None),
        (None, "Sahiwal Coal Power Plant"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "A bomb went off at the Sahiwal coal power plant near Multan.",
        "Engineers of the Dasu hydropower project were attacked in Bisham.",
    ],
)
def test_a_project_with_a_town_after_it_is_at_the_town(sentence: str) -> None:
    assert all(h.place.site is None for h in find_places(sentence))


# --- a site the next sentence places ----------------------------------------------------------------------


def test_a_site_the_next_sentence_locates_is_the_attacks_place() -> None:
    text = (
        "Shooting at road site\n\n"
        "One worker was killed on Tuesday when gunmen fired at a road construction site in the east. "
        "The site, located near Turbat, is part of a highway project."
    )
    assert _found(text) == [("2031-10-07", "Turbat")]


def test_another_site_the_next_sentence_locates_is_not_the_attacks_place() -> None:
    text = (
        "Shooting at road site\n\n"
        "One worker was killed on Tuesday when gunmen fired at a road construction site in the east. "
        "The camp, located near Turbat, houses the workers."
    )
    assert _found(text) == []


def test_bin_qasim_alone_is_port_qasim_in_karachi() -> None:
    hits = find_places("a suicide attack on the convoy of power plant workers near Bin Qasim")
    assert [(h.place.name, h.place.site) for h in hits] == [("Karachi", "Port Qasim")]


# --- the report's own town told by a masthead read as a dateline ------------------------------------------

TERMINAL_LOG = """SIBI MARINE TERMINAL (PVT) LTD - SECURITY DEPARTMENT
Report compiled: 07/10/2031

ENTRY 1  07/10/2031 0712 hrs
Escort vehicle QRF-2 reported a loud explosion on the link road short of Gate 1 as the convoy passed.
One guard was killed and three engineers were injured.
"""


def test_a_masthead_town_read_as_a_dateline_is_the_report_s_town() -> None:
    assert [(i["city"], i["date"]) for i in _incidents(TERMINAL_LOG)] == [("Sibi", "2031-10-07")]


def test_a_masthead_name_no_gazetteer_knows_is_no_report_town() -> None:
    assert _incidents(TERMINAL_LOG.replace("SIBI MARINE", "NORTHWIND MARINE")) == []


# --- names after a title, and police stations named by their town ------------------------------------------


def test_a_long_tail_town_after_a_title_is_a_persons_name() -> None:
    assert find_places("Constable Zafar Abbas had received bullets in his abdomen.") == []


@pytest.mark.parametrize(
    ("sentence", "towns"),
    [
        ("He was posted at Police Station City Tank when it was stormed.", ["Tank"]),
        ("The FIR was registered at Police Station Saddar Tank.", ["Tank"]),
        ("Tank crews were called in.", []),
    ],
)
def test_a_police_station_named_by_an_ambiguous_town_is_at_the_town(sentence: str, towns: list[str]) -> None:
    assert [h.place.name for h in find_places(sentence)] == towns


# --- a when-clause's attack at the place of the clause before it -------------------------------------------


def test_a_when_clauses_attack_is_at_the_placed_clause_before_it() -> None:
    text = (
        "Petition\n\n"
        "The petitioner is the widow of a constable posted at Police Station City Tank who was buried "
        "after the night of 8th August, 2031, when terrorists stormed the said police station."
    )
    assert _found(text) == [("2031-08-08", "Tank")]


def test_a_when_clause_with_a_place_of_its_own_keeps_it() -> None:
    text = (
        "Petition\n\n"
        "The petitioner, a resident of Bannu, lost her son on the night of 8th August, 2031, when terrorists "
        "stormed a police station in Sibi."
    )
    assert _found(text) == [("2031-08-08", "Sibi")]


@pytest.mark.parametrize(
    "text",
    [
        "Saboteurs blew up two transformers at the grid station of the solar park near Sibi.",
        "The sabotage of transmission towers near Sibi cut power to the town; no one was hurt.",
    ],
)
def test_sabotage_of_transformers_or_towers_is_a_facility_attack(text: str) -> None:
    assert classify(text)["attack_type"] == "facility_attack"
