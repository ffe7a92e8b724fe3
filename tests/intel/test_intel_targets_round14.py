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
