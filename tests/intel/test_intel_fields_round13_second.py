"""Fields of incidents found (issue 20, round 13, second pass): targets told by the victims' roles."""

import pytest

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
