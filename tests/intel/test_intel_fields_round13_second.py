"""Fields of incidents found (issue 20, round 13, second pass): targets told by the victims' roles."""

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen stormed the police station on Airport Road at night, killing two constables.",
        "A bomb went off near the police post on Railway Road, wounding three policemen.",
    ],
)
def test_a_road_named_after_the_airport_or_the_railway_is_no_transport(text: str) -> None:
    assert classify(text)["target_type"] == "police"


@pytest.mark.parametrize(
    "text",
    [
        "Militants fired rockets at the airport, damaging a passenger plane.",
        "A bomb exploded on the railway line near the station.",
    ],
)
def test_the_airport_and_the_railway_stay_transport(text: str) -> None:
    assert classify(text)["target_type"] == "transport"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("A police sub-inspector was shot dead by two men on a motorcycle in the market.", "police"),
        ("He was leaving a pharmacy near the institute when two constables were shot dead.", "police"),
        ("A bomb went off in the bazaar, killing two soldiers and wounding a shopkeeper.", "military"),
    ],
)
def test_the_victims_role_wins_over_the_site(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # one of the victims, beside others: the site stays the target
        ("Gunmen stormed the stock exchange, killing a police sub-inspector and two guards.", "business"),
        ("A blast in the bazaar killed five people, including a soldier.", "civilians"),
        # a vehicle carrying people stays the transport target
        ("Gunmen fired on a passenger coach, killing a soldier who was travelling home.", "transport"),
    ],
)
def test_a_victim_among_others_leaves_the_site(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    "text",
    [
        "Three people were killed in a blast in the main bazaar on Friday.",
        "The transmission pipeline was damaged by an explosion at night; no one was hurt.",
        "An explosion hit a van escorted by FC near the chowk, killing two.",
    ],
)
def test_a_bomb_that_went_off_with_no_bomber_told_is_a_device(text: str) -> None:
    assert classify(text)["weapon"] == "ied"


@pytest.mark.parametrize(
    "text",
    [
        "A suicide attack on the convoy killed four soldiers.",
        "The bomber struck at the gate of the compound, killing six.",
    ],
)
def test_a_bomb_carried_by_a_person_leaves_the_weapon_untold(text: str) -> None:
    assert classify(text)["weapon"] == "unknown"


def test_a_role_that_qualifies_another_noun_names_no_victims() -> None:
    text = "Gunmen fired on a cash-in-transit van of a bank, killing two police guards."
    assert classify(text)["target_type"] == "business"


@pytest.mark.parametrize(
    "text",
    [
        "Some twenty militants stormed the post from three sides and overran it before dawn.",
        "Armed men hijacked a container truck near the dry port and released its driver six hours later.",
    ],
)
def test_armed_men_who_storm_or_seize_carry_guns(text: str) -> None:
    assert classify(text)["weapon"] == "firearms"


def test_people_taken_with_no_arms_told_leave_the_weapon_untold() -> None:
    assert classify("Unknown men kidnapped two engineers from the dam site.")["weapon"] == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "A drone launched from across the border bombed a camp of road workers, killing two.",
        "The drone attack on the police post in May killed two policemen.",
        "Armed men sprinkled petrol in the classrooms and set them on fire; no one was hurt.",
    ],
)
def test_a_drone_or_a_fire_is_another_weapon(text: str) -> None:
    assert classify(text)["weapon"] == "other"


def test_a_fire_set_by_gunmen_who_killed_leaves_their_guns() -> None:
    text = "Militants stormed the post, killing four, and set fire to a vehicle before they left."
    assert classify(text)["weapon"] == "firearms"


@pytest.mark.parametrize(
    ("text", "by"),
    [
        ("One citizen of the People's Republic of China, an employee of the company, was killed.", {"CN": 1}),
        ("Gunmen killed two citizens of China at the mining camp.", {"CN": 2}),
        ("The blast killed a national of Tajikistan and two Chinese engineers.", {"TJ": 1, "CN": 2}),
    ],
)
def test_people_told_as_citizens_of_a_country_are_of_its_nationality(text: str, by: dict[str, int]) -> None:
    assert casualties(text).killed_by_nationality == by


@pytest.mark.parametrize(
    ("text", "wounded"),
    [
        ("One constable was martyred while four (04) police personnel received injuries.", 4),
        ("Three policemen were killed and two others received injuries in the attack.", 2),
    ],
)
def test_injuries_received_count_once_however_the_number_is_written(text: str, wounded: int) -> None:
    assert casualties(text).wounded == wounded
