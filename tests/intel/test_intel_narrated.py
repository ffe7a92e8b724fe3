"""Attacks a report tells in passing (issue 20, sixth round): a rocket fired at a town, an attack told in a
state's act against its perpetrators, a town named after the place it lies in. Sentences of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _found(text: str) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_a_rocket_that_lands_near_a_town_is_an_attack_there() -> None:
    report = "Rocket lands near Turbat\n\nOn Tuesday night a rocket fired from the hills landed near Turbat."
    assert _found(report) == [("2031-06-17", "Turbat")]


def test_a_city_named_after_its_quarter_places_the_attack() -> None:
    report = (
        "Guesthouse attacked\n\nOn 14 June, a bomber blew himself up at a guesthouse in Karte Gulzar, "
        "Kabul city, after which two gunmen entered the building."
    )
    assert _found(report) == [("2031-06-14", "Kabul")]


def test_an_attack_told_after_a_trend_in_the_same_sentence_is_an_attack() -> None:
    report = (
        "Blast near Turbat\n\nA bomb killed two soldiers near Turbat on Tuesday. Several attacks on "
        "security forces have taken place in the district in recent months, and last month a rocket was "
        "fired at Gwadar."
    )
    assert _found(report) == [("2031-06-17", "Turbat"), ("2031-05-01", "Gwadar")]


def test_an_arrest_for_an_earlier_dated_attack_tells_that_attack() -> None:
    report = (
        "Suspects held\n\nPolice arrested three men in Quetta on Tuesday. Earlier this year, police arrested "
        "the facilitators of the roadside bombing near Turbat on 6 March 2031, in which two soldiers died."
    )
    assert ("2031-03-06", "Turbat") in _found(report)


def test_an_arrest_for_the_attack_without_its_time_tells_no_attack() -> None:
    report = "Suspects held\n\nPolice arrested the facilitators of the roadside bombing near Turbat."
    assert _found(report) == []


def test_an_earlier_attack_told_by_its_target_is_at_the_reports_place() -> None:
    report = (
        "Blast in Turbat\n\nA bomb killed two soldiers in Turbat on Tuesday. In March a remote-controlled "
        "bomb targeted a patrol vehicle, police said."
    )
    assert _found(report) == [("2031-06-17", "Turbat"), ("2031-03-01", "Turbat")]


def test_an_earlier_attack_told_by_what_it_did_is_at_the_reports_place() -> None:
    report = (
        "Blast in Turbat\n\nA bomb killed two soldiers in Turbat on Tuesday. In July 2029, a bus carrying "
        "workers plunged into a ravine after an explosion, killing nine people."
    )
    assert _found(report) == [("2031-06-17", "Turbat"), ("2029-07-01", "Turbat")]


def test_an_earlier_attack_told_amid_a_trend_is_an_attack() -> None:
    report = (
        "Blast in Turbat\n\nA bomb killed two soldiers in Turbat on Tuesday. The attack came four months "
        "after three policemen were killed in a bomb blast near Gwadar, and amid a rise in attacks on police."
    )
    assert ("2031-02-01", "Gwadar") in _found(report)


def test_the_latest_in_a_string_of_attacks_is_an_attack() -> None:
    report = (
        "Round-up\n\nA bomb killed two soldiers in Turbat on Tuesday, the latest in a string of attacks on "
        "security forces in the province."
    )
    assert _found(report) == [("2031-06-17", "Turbat")]


def test_a_square_named_after_another_town_is_no_site() -> None:
    report = (
        "Blast in Bannu\n\nBANNU: A suicide bomber killed two policemen near Miranshah Chowk on Tuesday, "
        "police said."
    )
    assert _found(report) == [("2031-06-17", "Bannu")]


def test_the_town_of_a_court_is_no_site() -> None:
    report = (
        "Trial opens\n\nAn anti-terrorism court in Gilgit on Tuesday charged three men accused of planting "
        "the bomb that killed a driver in Chilas in March."
    )
    assert [city for _, city in _found(report)] == ["Chilas"]


def test_an_attack_told_with_its_time_after_a_wave_of_attacks_is_an_attack() -> None:
    report = (
        "Blast in Bannu\n\nA bomb killed two policemen in Bannu on Tuesday. Police in Bannu have faced a "
        "wave of attacks, and a checkpoint in the district was attacked with rockets last month."
    )
    assert _found(report) == [("2031-06-17", "Bannu"), ("2031-05-01", "Bannu")]
