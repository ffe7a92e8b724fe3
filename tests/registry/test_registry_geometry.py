"""Pure geometry checks of sites: points, polygons, rings, time zones."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.registry import geometry


@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180))
def test_every_wgs84_point_is_accepted(lat: float, lon: float) -> None:
    geometry.check_lat_lon(lat, lon)


@given(lat=st.floats(allow_nan=False).filter(lambda x: abs(x) > 90), lon=st.floats(-180, 180))
def test_latitudes_beyond_the_poles_are_refused(lat: float, lon: float) -> None:
    with pytest.raises(ValueError, match="latitude"):
        geometry.check_lat_lon(lat, lon)


def _square(x: float, y: float, d: float) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


@given(x=st.floats(-170, 170), y=st.floats(-80, 80), d=st.floats(0.001, 5))
def test_squares_are_valid_polygons(x: float, y: float, d: float) -> None:
    out = geometry.check_polygon(_square(x, y, d), label="ring")
    assert out["type"] == "Polygon"
    assert math.isclose(out["coordinates"][0][0][0], x)


@pytest.mark.parametrize(
    ("polygon", "message"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "must be a GeoJSON Polygon"),
        ({"type": "Polygon", "coordinates": []}, "no coordinates"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}, "at least four"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "closed"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            "not a valid polygon",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, "longitude, latitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [1, 1], [0, 0]]]}, "latitude"),
    ],
)
def test_bad_polygons_get_a_precise_message(polygon: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        geometry.check_polygon(polygon, label="ring")


def test_rings_must_nest_and_be_given_once() -> None:
    with pytest.raises(ValueError, match="outer"):
        geometry.check_rings(
            lat=0, lon=0, inner_radius_m=500, outer_radius_m=100, inner_polygon=None, outer_polygon=None
        )
    with pytest.raises(ValueError, match="not both"):
        geometry.check_rings(
            lat=0,
            lon=0,
            inner_radius_m=None,
            outer_radius_m=100,
            inner_polygon=None,
            outer_polygon=_square(0, 0, 1),
        )
    geometry.check_rings(
        lat=0, lon=0, inner_radius_m=100, outer_radius_m=500, inner_polygon=None, outer_polygon=None
    )


def test_time_zones_are_iana_names() -> None:
    assert geometry.check_timezone("Asia/Karachi") == "Asia/Karachi"
    with pytest.raises(ValueError, match="time zone"):
        geometry.check_timezone("Karachi Standard Time")
