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


@pytest.mark.parametrize(
    "text",
    [
        "Militants attacked a police checkpoint with heavy weapons, killing two constables.",
        "The constable had been airlifted to hospital with bullet wounds to his abdomen.",
        "A soldier was killed by sniper fire near the border crossing.",
        "The attack was repulsed after an exchange of fire that lasted forty minutes.",
        "The forensic report linked the pistol to the killing of a shopkeeper.",
        "A convoy of an oil company came under fire in the province.",
    ],
)
def test_guns_told_by_their_bullets_or_their_fire_are_firearms(text: str) -> None:
    assert classify(text)["weapon"] == "firearms"


def test_an_exchange_of_fire_after_a_suicide_attack_leaves_the_bombing() -> None:
    text = (
        "After an intense exchange of fire eight militants were killed; they had carried out the suicide "
        "attack on a convoy last month."
    )
    assert classify(text)["attack_type"] == "bombing"
