"""The wounded of an update told after one of them died (issue 20, round 16): who died is no wounded count."""

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.toll_words import spelled_out


@pytest.mark.parametrize(
    "text",
    [
        # the attack told at length between the participle and its "died"
        "A Frontier Corps soldier wounded in Tuesday's suicide car bombing at a checkpost near"
        " Dalbandin airport died at the Combined Military Hospital in Quetta overnight.",
        "A passenger injured in Monday's bomb blast on the railway track near Ruk died at a Sukkur hospital"
        " on Tuesday night.",
    ],
)
def test_one_wounded_who_died_is_no_wounded_count(text: str) -> None:
    assert casualties(spelled_out(text)).wounded is None


def test_a_wounded_count_told_apart_stays() -> None:
    text = (
        "A soldier injured in the attack was taken to hospital, where the doctors treated him on Wednesday."
    )
    assert casualties(spelled_out(text)).wounded == 1


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        # the wounded who remain, told after one of them died
        (
            "Five have been injured. One of them died on Monday. The four other injured, among them the"
            " passer-by, were in stable condition.",
            4,
        ),
        (
            "One of the three passers-by who were injured died. The other two injured, including a boy, are"
            " still in the hospital.",
            2,
        ),
        # one who remains, told by his rank among the wounded, with no count before
        (
            "A soldier injured in the attack on the post died on Wednesday. The second injured soldier is"
            " stated to be recovering. No civilian was hurt.",
            1,
        ),
        ("Three soldiers died. The other injured are recovering. Nobody was hurt.", 0),
    ],
)
def test_the_wounded_who_remain(text: str, wounded: int) -> None:
    assert casualties(spelled_out(text)).wounded == wounded


@pytest.mark.parametrize(
    "text",
    [
        "Two men were injured in the attack. No deaths were reported.",
        "Twelve workers received injuries. There were no deaths.",
        "Two Chinese technicians and one local employee injured, no fatalities.",
        "Four injured persons were received. No dead body was received at the hospital.",
    ],
)
def test_no_deaths_told_is_none_killed(text: str) -> None:
    assert casualties(spelled_out(text)).killed == 0


def test_deaths_told_stay() -> None:
    assert casualties(spelled_out("Three people were killed and two injured in the blast.")).killed == 3
