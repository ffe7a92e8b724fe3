"""Tolls and breakdowns by nationality of the sixteenth round's third pass (issue 20)."""

from __future__ import annotations

import pytest

from outrider.intel.casualties import casualties


@pytest.mark.parametrize(
    ("text", "killed", "killed_by", "wounded_by"),
    [
        # "compatriots": people of the nationality named last before them
        (
            "An armed attack took place at a mining camp of a Chinese-invested enterprise. "
            "One compatriot was unfortunately killed and another suffered minor injuries.",
            1,
            {"CN": 1},
            {},
        ),
        (
            "A citizen of the People's Republic of China was killed and two of his compatriots were wounded.",
            1,
            {"CN": 1},
            {"CN": 2},
        ),
        # no nationality named before them: no breakdown ("us" in lower case names no one)
        ("Gunmen fired at us; one compatriot was killed.", 1, {}, {}),
    ],
)
def test_compatriots_take_the_nationality_named_before(
    text: str, killed: int, killed_by: dict[str, int], wounded_by: dict[str, int]
) -> None:
    got = casualties(text)
    assert (got.killed, got.killed_by_nationality, got.wounded_by_nationality) == (
        killed,
        killed_by,
        wounded_by,
    )


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        # the wounded told only as those in care
        (
            "Two constables were martyred in the attack. Two constables are still in hospital in Abbottabad.",
            2,
        ),
        ("One policeman died during surgery. Two other policemen are still under treatment.", 2),
        ("A bomb went off at the market; 27 people are being treated for wounds.", 27),
        # a count of the wounded told apart stands
        ("Three soldiers were killed and five wounded. Two soldiers are still in hospital.", 5),
        # a part of a group told before, or the injured with no count: no figure
        ("A bomb hit the patrol. Two of them remain in hospital.", None),
        ("Two policemen were killed. The injured were taken to hospital.", None),
    ],
)
def test_wounded_told_as_those_in_care(text: str, wounded: int | None) -> None:
    assert casualties(text).wounded == wounded
