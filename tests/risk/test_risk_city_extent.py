"""Incidents known only to a city's precision weigh by the city's extent, not as a point at its centre."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st

from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex, project
from outrider.risk.kernel import spread_nearness
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import route_risk, route_risks, site_risk

AT = datetime(2026, 12, 5, tzinfo=UTC)
PARAMS = RiskParameters()
KARACHI = (24.86, 67.01)  # the gazetteer's centre of Karachi
KARACHI_RADIUS_M = 19_236.0  # its extent (intel.extents: GeoNames population at 10,000 per km²)
# a north-south road past the airport, about 15 km east of the centre
AIRPORT_ROAD = [[67.158, 24.85], [67.158, 24.97]]


def bombing(id: str, lat: float, lon: float, extent_m: float = 0.0) -> Incident:
    """The airport bombing: a VBIED against foreign workers, 2 killed and 10 wounded, two weeks old."""
    return Incident(
        id=id,
        lat=lat,
        lon=lon,
        date=date(2026, 11, 20),
        killed=2,
        wounded=10,
        attack_type="bombing",
        weapon="vbied",
        target_type="foreign_workers",
        suicide=True,
        extent_m=extent_m,
    )


def test_a_city_precision_bombing_adds_risk_to_a_route_15_km_from_the_centre() -> None:
    as_point = route_risk(AIRPORT_ROAD, AT, IncidentIndex([bombing("b", *KARACHI)]), PARAMS)
    spread = route_risk(AIRPORT_ROAD, AT, IncidentIndex([bombing("b", *KARACHI, KARACHI_RADIUS_M)]), PARAMS)
    assert as_point.score == 0.0  # at the centre, 15 km away: beyond the 10 km corridor
    [driver] = spread.drivers
    assert 14_000.0 < driver.distance_m < 16_000.0  # the distance to the city's centre
    assert spread.score > 1.0 and spread.level >= 2
    assert driver.weight == pytest.approx(spread.score)


def test_a_route_through_the_centre_weighs_a_city_precision_incident_less_than_a_point() -> None:
    through = [[66.95, KARACHI[0]], [67.07, KARACHI[0]]]
    point = route_risk(through, AT, IncidentIndex([bombing("b", *KARACHI)]), PARAMS).score
    spread = route_risk(through, AT, IncidentIndex([bombing("b", *KARACHI, KARACHI_RADIUS_M)]), PARAMS).score
    assert 0.0 < spread < point  # the uncertainty spreads the weight over the city


def test_a_precise_incident_still_weighs_as_a_point() -> None:
    # the same bombing placed at the airport itself (a named site: a point)
    one = bombing("b", 24.91, 67.16)
    result = route_risk(AIRPORT_ROAD, AT, IncidentIndex([one]), PARAMS)
    [driver] = result.drivers
    severity = 1.5 * (1 + math.log1p(2 + 0.3 * 10)) * 1.25
    relevance = 2.0 * 1.6
    recency = 0.5 ** (driver.age_days / 365)
    nearness = 0.5 ** (driver.distance_m / 3000)
    assert driver.weight == pytest.approx(severity * relevance * recency * nearness, rel=1e-4)


@settings(max_examples=200, deadline=None)
@given(
    d=st.floats(0.0, 60_000.0),
    step=st.floats(0.0, 20_000.0),
    extent=st.floats(0.0, 30_000.0),
    half=st.floats(500.0, 10_000.0),
)
@example(d=100.0, step=0.0, extent=5e-324, half=3000.0)  # a vanishing extent is a point, not a division by 0
@example(d=0.0, step=1.0, extent=1e-6, half=3000.0)  # a tiny extent rounds to no more than 1
def test_spread_nearness_never_grows_with_distance_and_never_exceeds_one(
    d: float, step: float, extent: float, half: float
) -> None:
    near, far = spread_nearness(d, extent, half), spread_nearness(d + step, extent, half)
    assert 0.0 <= far <= near + 1e-12 <= 1.0 + 1e-12


@settings(max_examples=50, deadline=None)
@given(d=st.floats(0.0, 60_000.0), half=st.floats(500.0, 10_000.0))
def test_spread_nearness_of_no_extent_is_the_point_nearness(d: float, half: float) -> None:
    assert spread_nearness(d, 0.0, half) == pytest.approx(0.5 ** (d / half), rel=1e-9, abs=1e-300)
    assert spread_nearness(d, 1e-3, half) == pytest.approx(0.5 ** (d / half), rel=1e-5, abs=1e-12)


@pytest.mark.parametrize("extent", [500.0, 5_000.0, 19_236.0])
def test_spread_nearness_is_continuous_and_weighs_as_much_as_a_point_in_all(extent: float) -> None:
    half = 3_000.0
    below, above = spread_nearness(extent - 1e-6, extent, half), spread_nearness(extent + 1e-6, extent, half)
    assert below == pytest.approx(above, rel=1e-6)
    grid = np.linspace(0.0, 400_000.0, 400_001)
    spread = np.array([spread_nearness(float(x), extent, half) for x in grid[::10]])
    point = 0.5 ** (grid[::10] / half)
    assert np.trapezoid(spread, grid[::10]) == pytest.approx(np.trapezoid(point, grid[::10]), rel=1e-3)


points = st.lists(
    st.tuples(st.floats(29.0, 31.0), st.floats(68.5, 70.5), st.sampled_from([0.0, 0.0, 2_000.0, 15_000.0])),
    min_size=1,
    max_size=40,
)


@settings(max_examples=30, deadline=None)
@given(
    places=points,
    route=st.lists(
        st.tuples(st.floats(69.0, 70.0), st.floats(29.5, 30.5)), min_size=2, max_size=8, unique=True
    ),
    corridor=st.floats(500.0, 20_000.0),
    cell=st.sampled_from([1_000.0, 5_000.0, 50_000.0]),
)
def test_the_corridor_finds_each_incident_within_it_or_within_its_extent_of_it(
    places: list[tuple[float, float, float]],
    route: list[tuple[float, float]],
    corridor: float,
    cell: float,
) -> None:
    params = RiskParameters(corridor_m=corridor, explain_top=10**6)
    index = IncidentIndex(
        (Incident(f"i{k}", lat, lon, date(2026, 6, 1), extent_m=e) for k, (lat, lon, e) in enumerate(places)),
        cell_m=cell,
    )
    rx, ry = project([p[0] for p in route], [p[1] for p in route])
    line = shapely.linestrings(np.stack([rx, ry], axis=1))
    expected = {}
    for k, (lat, lon, extent) in enumerate(places):
        x, y = project([lon], [lat])
        distance = float(shapely.distance(line, shapely.points(x[0], y[0])))
        if distance <= corridor + extent:
            expected[f"i{k}"] = distance
    result = route_risk([list(p) for p in route], AT, index, params)
    assert {d.incident_id for d in result.drivers} == expected.keys()
    for driver in result.drivers:
        assert abs(driver.distance_m - expected[driver.incident_id]) < 0.1
    # many routes at once find the same, route by route
    again = route_risks([[list(p) for p in route], [list(p) for p in reversed(route)]], AT, index, params)
    assert [{d.incident_id for d in r.drivers} for r in again] == [expected.keys(), expected.keys()]
    # a site at the route's first vertex, with the corridor as radius
    site = site_risk(route[0][1], route[0][0], corridor, AT, index, params)
    sx, sy = project([route[0][0]], [route[0][1]])
    near = set()
    for k, (lat, lon, extent) in enumerate(places):
        x, y = project([lon], [lat])
        if math.hypot(x[0] - sx[0], y[0] - sy[0]) <= corridor + extent:
            near.add(f"i{k}")
    assert {d.incident_id for d in site.drivers} == near


def test_spread_incidents_are_replaced_removed_and_copied_like_points() -> None:
    index = IncidentIndex([bombing("b", *KARACHI, KARACHI_RADIUS_M), bombing("p", 24.91, 67.16)])
    assert route_risk(AIRPORT_ROAD, AT, index, PARAMS).incident_count == 2
    copy = index.copy()
    copy.add([bombing("b", *KARACHI)])  # an analyst placed it at the centre precisely: a point now
    assert route_risk(AIRPORT_ROAD, AT, copy, PARAMS).incident_count == 1
    assert route_risk(AIRPORT_ROAD, AT, index, PARAMS).incident_count == 2
    index.remove(["p"])
    assert [d.incident_id for d in route_risk(AIRPORT_ROAD, AT, index, PARAMS).drivers] == ["b"]


def test_an_extent_must_be_a_distance() -> None:
    for bad in (-1.0, float("nan"), 1e9):
        with pytest.raises(ValueError, match="extent_m"):
            bombing("b", *KARACHI, bad)
