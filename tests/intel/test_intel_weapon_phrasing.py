"""Weapon phrasings of attack reports (issue 20, second pass), each on sentences of our own."""

import pytest

from outrider.intel.classify import classify


@pytest.mark.parametrize(
    ("text", "attack", "weapon"),
    [
        # a vehicle packed with explosives is a vehicle bomb, however the words are ordered
        ("A man drove a pickup packed with explosives into the gate of the depot.", "bombing", "vbied"),
        ("A lorry rigged with explosives blew up beside the toll plaza.", "bombing", "vbied"),
        # the bomber's own device: "detonated himself", an explosive jacket or belt
        ("The bomber detonated himself at the entrance of the hall.", "bombing", "suicide_vest"),
        ("A youth set off an explosive jacket among the mourners.", "bombing", "suicide_vest"),
        (
            "Police said the attacker wore a suicide belt full of ball bearings.",
            "bombing",
            "suicide_vest",
        ),
        # jackets worn but never set off: the gunmen's rifles did the killing
        (
            "Three gunmen stormed the college, gunning down eleven people; they wore suicide vests but"
            " none of them managed to detonate his explosives.",
            "armed_assault",
            "firearms",
        ),
        # a raid told by its firing
        (
            "Raiders tried to storm the camp and heavy firing went on for hours.",
            "armed_assault",
            "firearms",
        ),
        ("A blast at the gate was followed by a long gun battle at the camp.", "armed_assault", "firearms"),
        # the device abbreviated as a security report writes it: radio-controlled, vehicle-borne, person-borne
        ("An RCIED was initiated against the escort's second vehicle.", "bombing", "ied"),
        ("A VBIED detonated at the outer cordon of the depot.", "bombing", "vbied"),
        ("A PBIED was set off in the queue at the gate.", "bombing", "suicide_vest"),
        # a device placed, fixed or buried, set off by remote control; a roadside mine; a cracker: planted
        ("An explosive device attached to a passenger van went off near the square.", "bombing", "ied"),
        ("A small device hidden in a handcart exploded, wounding six people.", "bombing", "ied"),
        (
            "The device had been buried under the road and was set off as the coaster passed.",
            "bombing",
            "ied",
        ),
        (
            "The bomb went off in the bazaar and was detonated by remote control, police said.",
            "bombing",
            "ied",
        ),
        ("A roadside mine blast killed three policemen on the canal road.", "bombing", "ied"),
        ("A magnetic explosive device exploded under a pickup on the highway.", "bombing", "ied"),
        (
            "A low-intensity cracker went off outside a registration office, breaking windows.",
            "bombing",
            "ied",
        ),
    ],
)
def test_weapon_phrasings(text: str, attack: str, weapon: str) -> None:
    got = classify(text)
    assert (got["attack_type"], got["weapon"]) == (attack, weapon)


@pytest.mark.parametrize(
    "text",
    [
        "A woman waited at the gate of the college and detonated her explosives as the van drew level.",
        "The bomber detonated himself at the entrance of the hall.",
    ],
)
def test_a_bomber_s_own_device_is_a_suicide_attack(text: str) -> None:
    got = classify(text)
    assert (got["weapon"], got["suicide"]) == ("suicide_vest", True)


def test_a_vehicle_seized_to_drive_into_people_is_no_hijacking() -> None:
    got = classify(
        "Two men hijacked a lorry at a crossing, drove it into pedestrians and then stabbed passers-by."
    )
    assert (got["attack_type"], got["weapon"], got["target_type"]) == ("armed_assault", "knife", "civilians")
    seized = classify("Gunmen hijacked a passenger bus on the highway and held its travellers for a day.")
    assert seized["attack_type"] == "hijacking"
