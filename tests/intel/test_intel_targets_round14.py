"""Target types (issue 20, round 14, second pass): the cells of the gold x predicted matrix that recur
across the development sets, settled by GOLD-SCHEMA's precedence."""

import pytest

from outrider.intel.classify import classify


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen opened fire on a convoy of passenger vehicles in Lower Kurram, killing more than 40 people.",
        "The passenger convoy travelling from Parachinar to Thall under police escort was attacked.",
        "Near Bagan, passenger vehicles under police escort were fired upon and forty persons were killed.",
    ],
)
def test_a_convoy_of_passenger_vehicles_carried_civilians(text: str) -> None:
    # the travellers of a district in a convoy, not a transport service: the people before what held them
    assert classify(text)["target_type"] == "civilians"


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen opened fire on a passenger coach on the Karakoram Highway, killing seven passengers.",
        "A bomb on the railway track derailed a passenger train near Mach.",
    ],
)
def test_a_passenger_coach_or_train_alone_stays_transport(text: str) -> None:
    assert classify(text)["target_type"] == "transport"


@pytest.mark.parametrize(
    "text",
    [
        "Sticky bomb on a minibus near Sehdarak square; four killed.",
        "An explosive device attached to a minibus in Herat killed three civilians.",
    ],
)
def test_a_minibus_is_a_vehicle_of_public_transport(text: str) -> None:
    assert classify(text)["target_type"] == "transport"


@pytest.mark.parametrize(
    "text",
    [
        "A magnetic bomb attached to a government vehicle exploded in Khost city, killing an official and "
        "his driver and wounding three passers-by, the provincial police spokesman told the radio.",
        "The head of the directorate of refugees was killed when a bomb attached to his vehicle exploded "
        "in the fourth police district of Jalalabad city.",
        "A magnetic bomb attached to a vehicle of the provincial agriculture department exploded near the "
        "market. A spokesman for the police command confirmed the explosion.",
        "Gunmen shot dead the head of education department of Guzara district, police spokesman for Herat "
        "said.",
    ],
)
def test_an_official_of_a_department_is_the_government_not_the_police_who_report(text: str) -> None:
    assert classify(text)["target_type"] == "government"


def test_a_department_head_who_reports_the_toll_is_no_target() -> None:
    text = (
        "Mortar rounds landed in the crowded market. The head of the provincial information and culture "
        "department, told the radio that four civilians were killed."
    )
    assert classify(text)["target_type"] == "civilians"


def test_an_attack_on_police_still_names_the_police() -> None:
    text = "Gunmen attacked a police post; two policemen were killed, the police spokesman said."
    assert classify(text)["target_type"] == "police"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            "A remote-controlled device exploded next to a police van near Makli, killing two policemen. "
            "No Chinese engineers were killed.",
            "police",
        ),
        (
            "A roadside explosion on the airport access road killed two airport employees. No foreign "
            "nationals among the casualties have been reported.",
            "transport",
        ),
    ],
)
def test_foreigners_denied_are_no_target(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen fired on a security post at the hydropower project's tailrace area; one guard was killed.",
        "An electricity pylon of the transmission line was damaged by an explosion near Bela.",
    ],
)
def test_a_project_or_a_power_line_is_the_last_resort_business(text: str) -> None:
    assert classify(text)["target_type"] == "business"


def test_the_people_at_a_project_come_before_it() -> None:
    text = "Gunmen killed four labourers from Punjab at a construction site of the road project."
    assert classify(text)["target_type"] == "civilians"
