"""Detection, twelfth round (issue 20): tallies, lists and counts of attacks are no attack of their own."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.mentions import mentions_of

PUB = date(2031, 6, 18)  # a Wednesday
LEAD = "Bomb hits police van\n\nA roadside bomb struck a police van in Turbat on Tuesday, killing two.\n\n"


def _incidents(text: str) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, PUB)]


@pytest.mark.parametrize(
    "tally",
    [
        "My running count for rail-track attacks in Kharan is 14 since January 2030.",
        "See also: a list of militant attacks in Kharan in 2030.",
        "Two officers were killed in militant attacks in Kharan in 2030, compared with 5 in 2029.",
        "Three policemen were killed in militant attacks in the Kharan district in 2030, the police said.",
    ],
)
def test_a_tally_or_a_list_of_attacks_is_no_attack(tally: str) -> None:
    assert _incidents(LEAD + tally) == [("2031-06-17", "Turbat")]


def test_an_attack_of_a_year_told_alone_still_is_one() -> None:
    told = "Three policemen were killed in an attack on a post in Kharan in 2030, the police said."
    assert _incidents(LEAD + told) == [("2031-06-17", "Turbat"), ("2030-01-01", "Kharan")]


@pytest.mark.parametrize(
    "later",
    [
        "Two injured persons expired at Lady Reading Hospital Peshawar on Thursday and Friday.",
        "A wounded constable succumbed to his wounds at Karachi yesterday.",
    ],
)
def test_a_victim_dying_later_elsewhere_is_no_attack_there(later: str) -> None:
    assert _incidents(LEAD + later) == [("2031-06-17", "Turbat")]


def test_a_death_that_names_its_own_attack_still_tells_it() -> None:
    told = "A constable wounded in a blast in Kharan on 2 June succumbed to his wounds on Friday."
    assert _incidents(LEAD + told) == [("2031-06-17", "Turbat"), ("2031-06-02", "Kharan")]


@pytest.mark.parametrize("code", ["armed_assault", "facility_attack", "hostage_taking", "suicide_vest"])
def test_a_data_sets_code_tells_the_attack_of_its_row(code: str) -> None:
    row = f"CSID-2030-0412 | 2030-06-14 | PK | Balochistan | Kharan | {code} | firearms | 3 | 3"
    assert [m.place.name for m in mentions_of(row, 0, PUB, False) if m.place] == ["Kharan"]


def test_a_toll_told_after_an_accident_in_its_sentence_is_the_accidents() -> None:
    log = (
        "On 2 June an RTC on the Indus Highway near Kharan: trailer and passenger van collision; 01 dead, "
        "06 injured shifted to DHQ Sibi."
    )
    assert _incidents(LEAD + log) == [("2031-06-17", "Turbat")]
    # a part of the sentence with an attack of its own is still that attack
    both = "A road accident closed the highway near Sibi, and a bomb killed two in Kharan on 2 June."
    assert _incidents(LEAD + both) == [("2031-06-17", "Turbat"), ("2031-06-02", "Kharan")]


@pytest.mark.parametrize("speaker", ["Foreign Office", "Foreign Ministry", "embassy"])
def test_a_ministry_condemning_from_its_capital_tells_no_attack_there(speaker: str) -> None:
    said = f"The {speaker} in Islamabad condemned the attack on Saturday evening."
    assert _incidents(LEAD + said) == [("2031-06-17", "Turbat")]
