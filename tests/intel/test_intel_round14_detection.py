"""Detection, fourteenth round: whether an attack is found at all, and found once (our own sentences)."""

from datetime import date

import pytest

from outrider.intel.background import GENERIC
from outrider.intel.cleaning import clean_text
from outrider.intel.extract import STATE_ACTION, build_incidents
from outrider.intel.sentence_split import sentences

PUB = date(2031, 6, 18)  # a Wednesday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


@pytest.mark.parametrize(
    "line",
    [
        "On 12/06/2031 bus No. 4 (white Coaster, reg. KHI-2210) was hit by a bomb near Mardan.",
        "The van (Toyota, approx. 12 seats) was fired on near Mardan.",
    ],
)
def test_a_sentence_does_not_end_inside_brackets(line: str) -> None:
    assert len(sentences((line,))) == 1


def test_a_sentence_still_ends_before_a_bracket_of_its_own() -> None:
    parts = sentences(
        ("Two men were shot dead. A third (a guard) was hurt. Police (who came late) said so.",)
    )
    assert len(parts) == 3


def test_an_attack_told_with_a_bracketed_abbreviation_is_found() -> None:
    text = (
        "Flash report\n\n"
        "On 12/06/2031 at approx. 08:10 hrs, vehicle No. 2 (Toyota Hiace, reg. LEB-1234) of the morning "
        "convoy was hit by a bomb about 2 km south of Mardan."
    )
    found = _incidents(text)
    assert [(i["city"], i["date"]) for i in found] == [("Mardan", "2031-06-12")]


def test_a_headline_town_of_the_leads_district_is_the_leads_attack() -> None:
    text = (
        "Militants attack border posts in Chitral; four soldiers killed\n\n"
        "CHITRAL: Four soldiers were killed when militants attacked two border posts in the Arandu area of "
        "Chitral district late on Monday, officials said."
    )
    found = _incidents(text)
    assert [(i["city"], i["date"]) for i in found] == [("Arandu", "2031-06-16")]


def test_the_bombing_told_after_a_state_act_points_back_at_the_attack_before_it() -> None:
    text = (
        "Bomb kills four policemen in Mardan\n\n"
        "A roadside bomb killed four policemen in Mardan on Monday, officials said.\n\n"
        "The Taliban criticised Pakistani air strikes in Paktika province earlier this week, which it says "
        "killed civilians.\n\n"
        "The Torkham crossing was closed for two days after the bombing and reopened on Tuesday, traders in "
        "Nangarhar said."
    )
    assert [i["city"] for i in _incidents(text)] == ["Mardan"]


@pytest.mark.parametrize(
    "said",
    [
        "On 9 May, relatives of those killed gathered in Quetta to demand compensation.",
        "On 9 May, the families of those injured met the chief minister in Quetta.",
    ],
)
def test_the_victims_told_again_are_no_attack_where_their_relatives_speak(said: str) -> None:
    text = (
        f"Bomb kills four in Mardan\n\nA roadside bomb killed four people in Mardan on 2 May 2031.\n\n{said}"
    )
    assert [i["city"] for i in _incidents(text)] == ["Mardan"]


@pytest.mark.parametrize(
    "text",
    [
        "the military said troops had killed ten militants in the area",
        "security forces have killed six militants in the valley since Friday",
    ],
)
def test_troops_told_in_the_perfect_killing_militants_is_a_state_action(text: str) -> None:
    assert STATE_ACTION.search(text)


def test_an_operation_told_after_an_attack_is_no_second_attack() -> None:
    text = (
        "Car bomber hits convoy near Mir Ali\n\n"
        "A suicide bomber rammed a car into a military convoy near Mir Ali on 2 May 2031, killing five "
        "soldiers.\n\n"
        "Later that day, the military said troops had killed ten militants in an operation in Datta Khel."
    )
    assert [i["city"] for i in _incidents(text)] == ["Mir Ali"]


def test_a_table_row_and_the_bodys_story_of_one_attack_make_one_record() -> None:
    text = (
        "NORTHERN SECURITY REPORT - WEEK 24 / 2031\n\n"
        "The week was dominated by Thursday's bombing in Mardan, the worst incident since the autumn.\n\n"
        "| Date | Province | Place | Type | Killed | Injured |\n"
        "|------|----------|-------|------|--------|---------|\n"
        "| 12 Jun | Khyber Pakhtunkhwa | Mardan | IED (sticky bomb) | 4 | 9 |\n"
        "| 13 Jun | Balochistan | Quetta | Grenade attack on a shop | 1 | 2 |\n\n"
        "THE MARDAN BOMBING\n"
        "At about 1630 on Thursday a sticky bomb attached under a minibus exploded in Mardan. Four "
        "passengers were killed and nine injured."
    )
    found = build_incidents(clean_text(text).lines, PUB, linked=date(2031, 6, 12))
    assert [(i["city"], i["date"]) for i in found] == [("Mardan", "2031-06-12"), ("Quetta", "2031-06-13")]


def test_a_count_told_by_its_statistics_source_is_no_attack() -> None:
    text = (
        "Seven labourers abducted near Kashmore\n\n"
        "Armed men abducted seven labourers from a road site near Kashmore on 15 June 2031, police said.\n\n"
        "Last year, at least 150 people were abducted for ransom in Ghotki, according to police figures "
        "cited by a rights body."
    )
    assert [i["city"] for i in _incidents(text)] == ["Kashmore"]


def test_a_toll_revised_by_figures_still_tells_its_attack() -> None:
    said = "a passenger died, raising the toll to one dead and nine injured, according to revised figures"
    assert not GENERIC.search(said)
