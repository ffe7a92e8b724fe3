"""Tolls told in words the casualty grammar did not read (issue 20, round 11), on sentences of our own: a
count of martyrs that "has now reached" a figure, the injured told as a total, wounded who "expired", the dead
broken down between two dashes or named after "namely"."""

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.mentions import ATTACK


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("The number of shuhada has now reached 14. Total injured were 30.", 14, 30),
        ("The total number of martyrs has now reached nine.", 9, None),
        ("The total wounded stood at 12 on Monday.", None, 12),
        ("Two injured persons expired in hospital; eight people were killed in the blast.", 8, None),
        (
            "The attack, in which nine persons — seven passengers including a child, and two guards — were "
            "martyred and eleven were injured, was condemned.",
            9,
            11,
        ),
        (
            "Gunmen opened fire on a patrol, as a result of which three constables, namely "
            "Constable Arif Khan, Constable Bilal Shah and Constable Chand Ali, embraced martyrdom.",
            3,
            None,
        ),
        ("Our cousin was pulled off the bus and killed along with nine other passengers.", 10, None),
        ("A blast killed the mayor and six others.", 7, None),
        ("The attack killed four guards of the 900-kilometre frontier force.", 4, None),
        ("Militants killed two guards and a 300-metre stretch of fence was damaged.", 2, None),
    ],
)
def test_a_toll_in_these_words_is_read(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_a_count_of_martyrs_tells_of_the_attack() -> None:
    assert ATTACK.search("The number of shuhada has now reached 14.")
    assert not ATTACK.search("The Shuhada Package has not been paid to the families.")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            "Gunmen attacked coal mines near the town at night, killing six miners; Levies reached later.",
            "business",
        ),
        ("Militants stormed a border post overnight; two guards were killed.", "military"),
        ("An IED blast hit an FC patrol vehicle, wounding three.", "military"),
    ],
)
def test_a_mine_a_border_post_and_the_frontier_corps_are_targets_of_their_kind(
    text: str, target: str
) -> None:
    assert classify(text)["target_type"] == target


def test_armed_men_who_attack_a_post_assault_it() -> None:
    got = classify(
        "A group of armed terrorists attacked the border post late on Friday; four guards were martyred."
    )
    assert got["attack_type"] == "armed_assault"


def test_machinery_burnt_by_armed_men_who_hurt_nobody_is_an_attack_on_a_facility() -> None:
    got = classify("Armed men set fire to a contractor's machinery near the town. Nobody was injured.")
    assert (got["attack_type"], got["weapon"]) == ("facility_attack", "other")


@pytest.mark.parametrize(
    ("text", "suicide"),
    [
        (
            'The device was hidden under a mat. "It was not a suicide attack," he said; five were killed.',
            False,
        ),
        ("An IED went off near a police van, wounding two constables.", False),
        ("A suicide bomber blew himself up at the gate, killing four guards.", True),
    ],
)
def test_a_denied_suicide_attack_and_an_ied_are_no_suicide(text: str, suicide: bool) -> None:
    assert classify(text)["suicide"] is suicide
