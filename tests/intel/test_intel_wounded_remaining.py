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
