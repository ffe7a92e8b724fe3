"""Casualty phrasings a news writer uses anywhere (issue 20, second pass), each on sentences of our own."""

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        # an appositive between the subject and its verb breaks the subject down
        ("Six guards, a supervisor among them, were killed at the depot.", 6, None),
        ("Nine people, two of them nurses, were injured in the blast.", None, 9),
        ("Three wardens, including the chief warden, lost their lives in the raid.", 3, None),
        # a single victim's "lost his life"
        ("One watchman lost his life when the gate was rushed.", 1, None),
        # an official's count given as "put the number of ... killed at"
        ("The district office put the number of rangers killed in the valley at seven.", 7, None),
        ("Officials put the number of the dead at eleven on Monday.", 11, None),
        # a figure's breakdown after it does not come first ("at four, including an officer")
        ("The army put the number of troops killed at four, including a captain.", 4, None),
        # "three of them were killed": a part of a group told before, not a toll of its own
        ("Gunmen rushed the gate. Two of them were killed by the guards.", None, None),
    ],
)
def test_subjects_and_official_counts(text: str, killed: int | None, wounded: int | None) -> None:
    got = casualties(text)
    assert (got.killed, got.wounded) == (killed, wounded)


def test_an_appositive_with_nationalities_breaks_the_toll_down() -> None:
    got = casualties("Five technicians, three of them Chinese, were killed when the bus was hit.")
    assert got.killed == 5
    assert got.killed_by_nationality == {"CN": 3, "": 2}
