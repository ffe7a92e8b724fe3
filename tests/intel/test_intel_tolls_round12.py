"""Tolls told in words the casualty grammar did not read (issue 20, round 12), on sentences of our own: a
report's labelled counts ("Fatalities: 2", "Injured: 4"), nobody of a counted group hurt ("none of the 22
crew"), one more victim told by his place in the count ("and a third was wounded")."""

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("- Fatalities: 2 (1 engineer; 1 driver).\n- Injured: 4 (2 staff, 2 constables).", 2, 4),
        ("CASUALTIES. Dead: 5 (five). Wounded: 16 (sixteen), all passengers.", 5, 16),
        ("The owners confirmed that none of the 22 crew was injured.", None, 0),
        ("Neither of the two guards was hurt in the blast.", None, 0),
        ("Two guards were shot dead and a third was wounded when gunmen fired at the gate.", 2, 1),
        # a number written in words is no range; the deaths an attack resulted in, the lives it took
        ("In October, twenty-one miners were killed in an attack on the coalfield.", 21, None),
        ("Between 20 and 25 people were injured; five to seven were killed.", 5, 20),
        ("A police mobile was targeted by a bomb, resulting in the death of two police officials.", 2, None),
        ("The bazaar blast took 27 lives and that also was a Daesh attack.", 27, None),
        # an ordinal that counts no victim
        ("It was the third attack this month; four people were wounded.", None, 4),
    ],
)
def test_labelled_counts_none_of_a_group_and_one_more_victim(
    text: str, killed: int | None, wounded: int | None
) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


@pytest.mark.parametrize(
    ("text", "killed", "by_nationality"),
    [
        # victims told after the first figure as "also" killed: one toll, its parts told apart
        (
            "One Chinese citizen was killed when a car bomb exploded. Two Pakistani police officers escorting"
            " the vehicle also lost their lives.",
            3,
            {"CN": 1, "PK": 2},
        ),
        ("Two Chinese citizens were killed and one Afghan security guard also died.", 3, {"CN": 2, "AF": 1}),
        (
            "One Chinese citizen was killed in the raid. Two local employees of the guesthouse, a guard and a"
            " cook, were also killed, a police official said.",
            3,
            {"CN": 1, "": 2},
        ),
        ("Four policemen were martyred. Two civilians living nearby were also killed.", 6, {}),
        # the attackers told before, who "also died", are no more victims
        (
            "The car ploughed into a crowd, killing two tourists. The three people in the car also died.",
            2,
            {},
        ),
    ],
)
def test_victims_also_killed_join_the_toll(text: str, killed: int, by_nationality: dict[str, int]) -> None:
    got = casualties(text)
    assert (got.killed, got.killed_by_nationality) == (killed, by_nationality)


def test_a_victim_also_wounded_within_a_total_already_broken_down_is_not_counted_twice() -> None:
    text = (
        "Gunmen fired on the convoy, wounding three people, including two Chinese nationals. A Pakistani"
        " driver was also wounded."
    )
    assert casualties(text).wounded == 3
