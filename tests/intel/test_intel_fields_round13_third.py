"""Fields of incidents found (issue 20, round 13, third pass): tolls told without a number."""

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("Two private security guards were killed and another was wounded when gunmen opened fire.", 2, 1),
        ("A sepoy embraced martyrdom and another was injured and the station was set on fire.", 1, 1),
        ("One guard was killed and another wounded at the main gate.", 1, 1),
        ("One compatriot was killed and another suffered minor injuries.", 1, 1),
        ("Gunmen killed one guard and wounded another.", 1, 1),
    ],
)
def test_another_told_alone_is_one_more_victim(text: str, killed: int, wounded: int) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_another_before_a_number_counts_the_number() -> None:
    got = casualties("Three were killed and another three were injured.")
    assert (got.killed, got.wounded) == (3, 3)


@pytest.mark.parametrize(
    "text",
    [
        "A grenade hit the school gate. By the grace of Allah no student or member of staff was hurt.",
        "The device went off at night and no injury was caused to any person.",
        "Gunmen fired at the van; the driver escaped unhurt.",
        "A cracker was thrown at the gate of the office. The chowkidar was unhurt.",
    ],
)
def test_nobody_hurt_told_of_the_people_there_is_no_wounded(text: str) -> None:
    assert casualties(text).wounded == 0


def test_one_unhurt_beside_one_wounded_is_no_zero() -> None:
    text = "Gunmen opened fire on the car, wounding the husband. His wife was unhurt."
    assert casualties(text).wounded != 0


def test_no_other_word_before_a_passive_is_no_zero() -> None:
    assert casualties("No group has claimed the attack, in which two people were injured.").wounded == 2


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("Constable Aziz ur Rehman received a bullet injury in his arm and was shifted to hospital.", 1),
        ("In the blast, PC Imdad Ali Soomro and driver PC Shoukat Ali received injuries.", 2),
        ("ASI Muhammad Yaqoob sustained a wound in the leg when the post came under fire.", 1),
    ],
)
def test_a_policeman_named_by_an_abbreviated_rank_is_one_victim(text: str, wounded: int) -> None:
    assert casualties(text).wounded == wounded


def test_the_pc_hotel_is_no_policeman() -> None:
    assert casualties("Two guards of the PC Hotel Gwadar were killed when militants stormed it.").killed == 2


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Due to the blast, ASI Muhammad Yaqoob, PC Ali Nawaz and PC Zulfiqar Ali embraced shahadat.", 3),
        ("In the attack, Constable Ali Khan and Constable Bilal Shah were martyred.", 2),
        ("Two constables, namely Constable Ali Khan and Constable Bilal Shah, embraced martyrdom.", 2),
    ],
)
def test_victims_told_only_by_their_names_are_counted(text: str, killed: int) -> None:
    assert casualties(text).killed == killed


def test_a_list_of_ranked_names_counts_its_first_name_and_a_role_before_the_last() -> None:
    text = (
        "Three were martyred on the spot, while PC Abdul Hameed, PC Nisar Ahmed, PC Imdad Ali and driver "
        "PC Shoukat Ali received injuries."
    )
    assert casualties(text).wounded == 4
