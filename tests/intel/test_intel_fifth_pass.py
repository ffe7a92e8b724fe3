"""Rules of the fifth pass (issue 20, set b's errors read), on sentences of our own: which clause a date or
a place belongs to, headlines that name the nearest city, places and dates pointed back at."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.lexicon import _data
from outrider.intel.small_towns import heading_end

LEXICON = _data()

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- places: the clause that says where -------------------------------------------------------------


def test_a_district_and_its_seat_told_in_the_clause_after_is_the_seat() -> None:
    text = (
        "Outlet\n\nGunmen attacked a survey team on Tuesday in Kech district of Balochistan, "
        "near the district centre of Turbat, officials said."
    )
    assert [(i["city"], i["admin1"]) for i in _incidents(text)] == [("Turbat", "Balochistan")]
    # a clause that tells something else of the seat does not place the attack there
    text = (
        "Outlet\n\nGunmen attacked a survey team on Tuesday in Kech district of Balochistan, "
        "the district centre of Turbat stayed calm, officials said."
    )
    assert [i["city"] for i in _incidents(text)] != ["Turbat"]


# --- the headline names the nearest known city --------------------------------------------------------


def test_a_headline_near_a_city_is_the_leads_attack_at_a_town_beside_it() -> None:
    text = (
        "Bomber hits survey van near Quetta, three dead\n\n"
        "A suicide bomber struck a van carrying surveyors near the town of Mastung on Tuesday, "
        "killing three people, officials said."
    )
    got = _incidents(text)
    assert [(i["city"], i["date"], i["main_story"]) for i in got] == [("Mastung", "2031-06-17", True)]
    # a headline's city far from the lead's town is not the same place
    far = text.replace("near the town of Mastung", "near the town of Gwadar")
    assert {i["city"] for i in _incidents(far)} == {"Quetta", "Gwadar"}


# --- places and dates pointed back at ------------------------------------------------------------------


def test_an_attack_in_the_same_neighbourhood_is_at_the_town_told_before() -> None:
    text = (
        "Outlet\n\nA bomb tore through a tea house in Quetta on Tuesday, killing two people. "
        "It was the second attack on traders there. "
        "In March 2027, gunmen stormed a hotel in the same neighbourhood, wounding four guests."
    )
    got = {(i["city"], i["date"]) for i in _incidents(text)}
    assert ("Quetta", "2027-03-01") in got


@pytest.mark.parametrize("opening", ["That is where, on March 3,", "It was there that, on March 3,"])
def test_an_attack_told_as_where_the_sentence_before_was_is_at_its_town(opening: str) -> None:
    text = (
        "Outlet\n\nThere is a stretch of road below Chilas where the river drowns every engine. "
        f"{opening} a bomb hidden at the roadside tore through a police escort, killing two constables."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)][:1] == [("Chilas", "2031-03-03")]


@pytest.mark.parametrize("noun", LEXICON["site_nouns"])
def test_a_site_pointed_back_at_is_at_the_town_it_was_named_with(noun: str) -> None:
    text = (
        f"Rockets hit {noun} in Turbat\n\nTwo rockets landed near the {noun} on Tuesday, officials said. "
        f"The {noun}, which employs hundreds, was stormed by gunmen in March 2027, officials recalled."
    )
    assert ("Turbat", "2027-03-01") in {(i["city"], i["date"]) for i in _incidents(text)}


def test_a_site_named_after_its_town_is_pointed_back_at() -> None:
    text = (
        "Rockets fired at Turbat cantonment\n\nTwo rockets landed in a street on Tuesday, officials said. "
        "The cantonment, which houses a brigade, was stormed by gunmen in March 2027."
    )
    assert ("Turbat", "2027-03-01") in {(i["city"], i["date"]) for i in _incidents(text)}


def test_a_site_named_without_a_town_before_places_nothing() -> None:
    text = "Outlet\n\nThe cantonment, which houses a brigade, was stormed by gunmen in March 2027."
    assert _incidents(text) == []


# --- what is no incident ---------------------------------------------------------------------------------


def test_a_count_of_attacks_is_a_statistic_not_an_attack() -> None:
    text = (
        "Quarterly brief\n\nOur monitors recorded 148 militant attacks in Khyber Pakhtunkhwa between "
        "January and March, up from 97 attacks a year earlier."
    )
    assert _incidents(text) == []
    # one attack told beside the count is still an attack
    text += " The deadliest, on 4 March, saw gunmen storm a police post in Bannu, killing five constables."
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Bannu", "2031-03-04")]


def test_the_attack_pointed_back_at_is_not_a_second_attack_where_the_sentence_is() -> None:
    text = (
        "Outlet\n\nA car bomb killed two guards outside a bank in Quetta on Tuesday. "
        "Police said the car used in the attack had been bought in Karachi three weeks ago. "
        "The embassy in Islamabad condemned the bombing."
    )
    assert [i["city"] for i in _incidents(text)] == ["Quetta"]
    # words that go on to say which attack name another one
    text += " Gunmen carried out the attack on a bank in Karachi last month, killing a cashier."
    assert {i["city"] for i in _incidents(text)} == {"Quetta", "Karachi"}


# --- dates: which clause, which event ---------------------------------------------------------------------


def test_a_calendar_date_written_with_a_background_attack_beats_the_years_counted() -> None:
    text = (
        "Outlet\n\nGunmen fired on a survey team near Chilas on Tuesday, wounding two. "
        "The attack came exactly four years after a bomb hit a bus near Bisham on March 3, 2027, killing 9."
    )
    got = {(i["city"], i["date"], i["date_precision"]) for i in _incidents(text)}
    assert ("Bisham", "2027-03-03", "day") in got


def test_a_project_told_as_destination_places_an_attack_only_when_no_town_is_named() -> None:
    text = (
        "Outlet\n\nIn 2027, a bus carrying engineers to the Dasu hydropower project, far up the river, "
        "was hit by a bomb, killing nine."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Dasu", "2027-01-01")]
    # a town named for the attack is its place; the project is where the engineers were going
    text = (
        "Outlet\n\nIn 2027, a bus carrying engineers to the Dasu hydropower project was hit by a bomb "
        "near Bisham, killing nine."
    )
    assert [i["city"] for i in _incidents(text)] == ["Bisham"]


def test_a_headlines_place_before_its_colon_places_the_attack_it_tells() -> None:
    text = (
        "Outlet | Turbat market: traders safe after rocket attack\n\n"
        "All traders at the market are safe after rockets were fired at it on Tuesday night, police said."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [("Turbat", "2031-06-17")]


def test_a_long_line_without_a_heading_is_read_at_once() -> None:
    # the heading pattern is tried on a line's first 60 characters only
    assert heading_end("Gunmen-A " * 400 + "attacked the post.") == 0
    assert heading_end("May 3 - Turbat (Balochistan): gunmen ambushed a van.") == 30
    # a line of capitals and figures with no colon: the words are possessive, so the pattern cannot try every
    # way of cutting them into words (it did, for minutes, before)
    assert heading_end("REF NO 2031 0457 ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 KLMNOPQRS x") == 0
    assert heading_end("X, Kech district, 4 May 2031: a blast") == 30
