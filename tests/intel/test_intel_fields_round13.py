"""Fields of incidents found (issue 20, round 13): attack types of mixed arms, targets, tolls."""

import pytest

from outrider.intel.classify import classify


@pytest.mark.parametrize(
    "text",
    [
        "A group of militants, armed with rifles and rocket launchers, attacked the police station.",
        "The attackers struck the checkpost with rockets and sniper fire from the fields.",
        "Terrorists fired rockets and then there was a fire fight of about one hour.",
        "Unidentified men fired on the post with automatic weapons and an RPG round.",
        "Dacoits attacked the post with rockets; police returned fire for two hours.",
    ],
)
def test_rockets_fired_beside_small_arms_are_an_armed_assault(text: str) -> None:
    assert classify(text)["attack_type"] == "armed_assault"


def test_rockets_fired_from_afar_alone_are_a_bombing() -> None:
    got = classify("Two rockets landed near the camp at night; no one was hurt.")
    assert (got["attack_type"], got["weapon"]) == ("bombing", "rocket")
