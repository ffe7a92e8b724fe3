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
