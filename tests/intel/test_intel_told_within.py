"""Attacks told inside other kinds of text (issue 20, round 7), on sentences of our own making."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 18)  # a Wednesday


def _found(text: str) -> list[tuple[object, object]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


def test_a_table_row_tells_its_attack_beside_the_arrests_made_since() -> None:
    table = (
        "Answer to question 12\n\nS.No | Date | Place | Nature | Status\n"
        "1 | 03.02.2031 | Main bazaar, Kharan | Grenade thrown at a shop; two hurt | Two accused arrested\n"
    )
    assert _found(table) == [("2031-02-03", "Kharan")]


def test_a_table_row_of_arrests_alone_tells_no_attack() -> None:
    table = (
        "Answer to question 12\n\nS.No | Date | Place | Action | Status\n"
        "1 | 03.02.2031 | Main bazaar, Kharan | Two suspects arrested for the bombing | Challan submitted\n"
    )
    assert _found(table) == []


def test_an_anniversary_told_without_its_town_takes_the_headlines_town() -> None:
    report = (
        "THE FRONTIER DIGEST\nFeatures\n\nA year after the market blast, Kharan's traders still mourn\n\n"
        "It was a year ago today that a bomb strapped to a cart tore through the crowded market. "
        "Nine people died."
    )
    assert _found(report) == [("2030-06-18", "Kharan")]


def test_a_trials_attack_takes_the_headlines_town_no_other_attack_holds() -> None:
    report = (
        "Court indicts two in attacks on traders in Kharan and Turbat\n\n"
        "An anti-terrorism court in Kharan on Tuesday indicted two men accused of carrying out two attacks. "
        "According to the prosecution, the men had opened fire on a van near Qadri Square in Sabzal Goth on "
        "3 February this year. They were also charged with planting a bomb at the Turbat bus stand on "
        "9 March 2030."
    )
    assert sorted(_found(report)) == [("2030-03-09", "Turbat"), ("2031-02-03", "Kharan")]


def test_a_headline_below_a_masthead_names_the_city_beside_the_leads_area() -> None:
    report = (
        "THE FRONTIER DIGEST (English)\nWednesday 18 June 2031\n\n"
        "Two soldiers martyred as militants attack posts in Chitral\n\n"
        "CHITRAL: Two soldiers were martyred when militants attacked two posts in the Zorkandi area of Lower "
        "Chitral district on Tuesday, officials said. The banned group claimed the attack on Tuesday."
    )
    found = _found(report)
    assert found == [("2031-06-17", "Zorkandi")]


def test_an_earlier_bomb_by_a_square_of_the_reports_town_is_an_attack_there() -> None:
    report = (
        "Blast in Kharan\n\nA bomb struck a police van in Kharan on Tuesday, killing two officers. The town "
        "last saw a bombing in March 2029, when a device hidden in a handcart went off near Qadri Chowk, "
        "wounding six people."
    )
    assert _found(report) == [("2031-06-17", "Kharan"), ("2029-03-01", "Kharan")]


def test_an_earlier_arson_by_the_reports_town_named_before_a_noun_is_an_attack_there() -> None:
    report = (
        "Constable shot in Kharan\n\nGunmen shot a constable dead in Kharan on 12 June, police said. The "
        "same men are accused of setting fire to a patrol car parked outside the Kharan city police "
        "department in April."
    )
    assert _found(report) == [("2031-06-12", "Kharan"), ("2031-04-01", "Kharan")]
