"""Reports of kinds the extractor had not met (issue 20, eighth round), on texts of our own."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.lexicon import _data

LEXICON = _data()

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[tuple[str | None, str | None, str | None]]:
    incidents = build_incidents(clean_text(text).lines, published)
    return [(i["date"], i["city"], i["admin1"]) for i in incidents]


def test_the_victims_told_again_are_no_new_attack() -> None:
    text = (
        "Quarry workers abducted\n\n"
        "Gunmen abducted four workers from a quarry in Harnai on Monday night, officials said.\n\n"
        "The abducted workers are from Swat district of Khyber Pakhtunkhwa and came to Harnai last year, "
        "their contractor said."
    )
    assert _incidents(text) == [("2031-06-16", "Harnai", "Balochistan")]


def test_a_threads_later_post_near_a_village_of_the_same_town_is_its_update() -> None:
    text = (
        "Compiled thread: posts of local journalists\n\n"
        "@ValleyVoice - 17 Jun 2031, 2:41 PM\n"
        "Huge explosion heard near Mir Ali, smoke over the bazaar, praying for everyone.\n\n"
        "@DistrictReporter - 17 Jun 2031, 2:58 PM\n"
        "Sources: a suicide attack on a security checkpost near Eidak, Mir Ali, several soldiers hurt.\n"
    )
    assert _incidents(text) == [("2031-06-17", "Mir Ali", "Khyber Pakhtunkhwa")]


@pytest.mark.parametrize("phrase", LEXICON["rehearsals"])
def test_an_attack_a_drill_acted_out_is_none_and_the_real_one_beside_it_stands(phrase: str) -> None:
    drill = f"Report\n\nCommandos in Quetta on Monday, {phrase} attack on a convoy near the Chaman crossing."
    assert _incidents(drill) == []
    both = drill + " The drill came after gunmen attacked a bus in Turbat on Tuesday, killing two."
    assert _incidents(both) == [("2031-06-17", "Turbat", "Balochistan")]


def test_an_attack_counted_so_far_is_no_attack_of_its_own() -> None:
    lead = "Drone attack on police\n\nA quadcopter dropped a bomb on a police post in Bannu on Tuesday.\n\n"
    counted = "This is the third drone attack on a police post in the district since March, an official said."
    assert _incidents(lead + counted) == [("2031-06-17", "Bannu", "Khyber Pakhtunkhwa")]
    told = "It was the second attack on police in Bannu since March, when a roadside bomb struck a van."
    assert len(_incidents(lead + told)) == 2


def test_a_posts_later_sentence_tells_the_attack_its_post_updates() -> None:
    text = (
        "Compiled thread: posts of local journalists\n\n"
        "@ValleyVoice - 17 Jun 2031, 2:41 PM\n"
        "Huge explosion heard near Mir Ali, smoke over the bazaar, praying for everyone.\n\n"
        "@DistrictReporter - 17 Jun 2031, 3:40 PM\n"
        "Officials: 7 soldiers martyred, 10 injured in Mir Ali attack. Injured shifted to CMH Bannu.\n"
    )
    assert _incidents(text) == [("2031-06-17", "Mir Ali", "Khyber Pakhtunkhwa")]


def test_a_logs_stamped_lines_date_what_they_tell() -> None:
    text = (
        "CITY ALERTS - SMS digest\n\n"
        "[16-06-31 07:52 PM] FLASH: Loud blast heard near the bazaar of Turbat. Avoid area.\n\n"
        "[16-06-31 08:06 PM] Police: a bomb hit a van near the chowk, 2 killed.\n\n"
        "[17-06-31 06:10 AM] Road reopened after clearance.\n"
    )
    assert _incidents(text, None) == [("2031-06-16", "Turbat", "Balochistan")]


def test_attacks_told_as_a_purpose_are_no_attack() -> None:
    order = (
        "Order\n\nThe police officer in Kohat reported on 12-06-2031 that miscreants are using motorcycles "
        "to carry out attacks in the district."
    )
    assert _incidents(order) == []
