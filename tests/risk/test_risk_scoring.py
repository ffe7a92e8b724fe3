"""Route and site risk: hand-computed cases, errors, levels, alternates, monotonicity."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

from outrider.risk.incident import Incident
from outrider.risk.index import PROJECTION, IncidentIndex
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import compare_alternates, route_risk, route_risks, site_risk

AT = datetime(2025, 1, 1, tzinfo=UTC)
CENTRE = (69.5, 30.0)  # the projection's origin: (0, 0) in metres
GEOD = Geod(ellps="WGS84")
PARAMS = RiskParameters()
MERIDIAN = [[69.5, 29.9], [69.5, 30.1]]  # the central meridian: x = 0 in the projection
_TO_LONLAT = Transformer.from_crs(PROJECTION, "EPSG:4326", always_xy=True)


def east_of_centre(metres: float) -> tuple[float, float]:
    """The place `metres` east of the centre in the index's metric, the distance scoring uses."""
    lon, lat = _TO_LONLAT.transform(metres, 0.0)
    return float(lon), float(lat)


def incident(metres: float = 0.0, age_days: float = 0.0, **kw: object) -> Incident:
    lon, lat = east_of_centre(metres) if metres else CENTRE
    return Incident(id=str(kw.pop("id", "a")), lat=lat, lon=lon, date=AT - timedelta(days=age_days), **kw)  # type: ignore[arg-type]


def test_one_incident_at_known_distance_and_age_gives_known_score() -> None:
    one = incident(
        3_000.0,
        365.0,
        killed=2,
        wounded=10,
        attack_type="bombing",
        weapon="vbied",
        target_type="foreign_workers",
    )
    result = route_risk(MERIDIAN, AT, IncidentIndex([one]), PARAMS)
    severity = 1.5 * (1 + math.log(1 + 2 * 1.0 + 10 * 0.3))
    relevance = 2.0 * 1.6
    expected = severity * relevance * 0.5 * 0.5  # one half-life old, one distance-half away
    assert result.score == pytest.approx(expected, rel=1e-6)
    (driver,) = result.drivers
    assert driver.distance_m == pytest.approx(3_000.0, abs=0.1)
    _, _, true_metres = GEOD.inv(*CENTRE, *east_of_centre(3_000.0))
    assert true_metres == pytest.approx(3_000.0, rel=0.004)  # the projection's documented scale error
    assert driver.age_days == pytest.approx(365.0)
    assert driver.segment == 0
    assert result.level == 2 and result.level_name == "Medium"  # 3.35: between 1 and 4


def test_site_risk_matches_the_same_hand_computation() -> None:
    one = incident(6_000.0, 730.0)  # unknown type: weights 1; two half-lives, two distance-halves
    result = site_risk(CENTRE[1], CENTRE[0], 10_000.0, AT, IncidentIndex([one]), PARAMS)
    assert result.score == pytest.approx(0.25 * 0.25, rel=1e-6)
    assert result.drivers[0].segment is None


def test_outside_the_corridor_future_and_too_old_do_not_count() -> None:
    index = IncidentIndex(
        [
            incident(10_500.0, 1.0, id="far"),
            incident(100.0, -1.0, id="future"),
            incident(100.0, PARAMS.max_age_days + 1, id="old"),
        ]
    )
    result = route_risk(MERIDIAN, AT, index, PARAMS)
    assert result.score == 0.0 and result.drivers == () and result.incident_count == 0


def test_empty_index_gives_a_clear_lowest_result() -> None:
    result = route_risk(MERIDIAN, AT, IncidentIndex(), PARAMS)
    assert (result.score, result.level, result.level_name, result.drivers) == (0.0, 1, "Low", ())
    assert site_risk(30.0, 69.5, 1_000.0, AT, IncidentIndex(), PARAMS).score == 0.0


def test_base_rate_of_the_worst_region_crossed_is_added() -> None:
    params = RiskParameters(base_rates={"Balochistan": 2.0, "Sindh": 0.5})
    result = route_risk(MERIDIAN, AT, IncidentIndex(), params, regions=["Sindh", "Balochistan", "Nowhere"])
    assert result.score == 2.0 and result.base_rate == 2.0 and result.level == 2


def test_driver_reports_the_segment_in_the_callers_numbering() -> None:
    route = [[69.3, 29.9], [69.3, 29.9], [69.4, 29.95], [69.5, 29.95], [69.5, 30.05]]
    result = route_risk(route, AT, IncidentIndex([incident(0.0, 0.0)]), PARAMS)
    assert result.drivers[0].segment == 3  # vertex 1 repeats vertex 0; segment 3 runs up the meridian


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ([[69.5, 30.0]], "at least 2 vertices"),
        ([[69.5, 30.0], [float("nan"), 30.0]], "non-finite"),
        ([[30.0, 69.5], [30.0, 95.0]], "vertex 1 is not [lon, lat]"),
        ([[69.5, 30.0], [69.5, 30.0]], "zero length"),
        ([69.5, 30.0], "sequence of [lon, lat] pairs"),
        ([["a", "b"], [1, 2]], "not numbers"),
    ],
)
def test_bad_geometry_raises_a_precise_value_error(route: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        route_risk(route, AT, IncidentIndex(), PARAMS)  # type: ignore[arg-type]


def test_bad_time_site_and_radius_are_rejected() -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        route_risk(MERIDIAN, datetime(2025, 1, 1), IncidentIndex(), PARAMS)
    with pytest.raises(ValueError, match="radius_m"):
        site_risk(30.0, 69.5, 0.0, AT, IncidentIndex(), PARAMS)
    with pytest.raises(ValueError, match="latitude/longitude"):
        site_risk(95.0, 69.5, 10.0, AT, IncidentIndex(), PARAMS)


@pytest.mark.parametrize(
    ("score", "level"), [(0.0, 1), (0.999, 1), (1.0, 2), (3.99, 2), (4.0, 3), (10.0, 4), (24.9, 4), (25.0, 5)]
)
def test_level_boundaries(score: float, level: int) -> None:
    assert PARAMS.level(score) == level


def test_parameters_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="level_thresholds"):
        RiskParameters(level_thresholds=(1.0, 1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="corridor_m"):
        RiskParameters(corridor_m=0.0)
    with pytest.raises(ValueError, match="weapon_weights lacks"):
        RiskParameters(weapon_weights={"vbied": 1.0})


def test_compare_alternates_names_the_lowest() -> None:
    index = IncidentIndex([incident(0.0, 10.0, killed=5)])
    away = [[70.5, 29.9], [70.5, 30.1]]
    alternates = compare_alternates([MERIDIAN, away, away], AT, index, PARAMS)
    assert alternates.lowest == 1
    assert alternates.results[0].score > alternates.results[1].score == alternates.results[2].score == 0.0
    with pytest.raises(ValueError, match="at least one route"):
        compare_alternates([], AT, index, PARAMS)


def test_many_routes_at_once_give_each_routes_own_result() -> None:
    index = IncidentIndex(
        [incident(1_000.0, 10.0, id="near", killed=2), incident(40_000.0, 5.0, id="far", killed=9)]
    )
    far_meridian = [
        [lon, lat] for lon, lat in (east_of_centre(40_000.0), (east_of_centre(40_000.0)[0], 30.1))
    ]
    routes = [MERIDIAN, [MERIDIAN[0], MERIDIAN[0], MERIDIAN[1]], far_meridian, [[60.0, 25.0], [60.1, 25.0]]]
    regions = [["Balochistan"], [], [], []]
    base = RiskParameters(base_rates={"Balochistan": 0.5})
    together = route_risks(routes, AT, index, base, regions=regions)
    alone = [route_risk(r, AT, index, base, regions=g) for r, g in zip(routes, regions, strict=True)]
    assert together == alone
    assert [d.incident_id for d in together[0].drivers] == ["near"] and together[0].base_rate == 0.5
    assert together[1].drivers[0].segment == 1  # the repeated first vertex still counts in the numbering
    assert [d.incident_id for d in together[2].drivers] == ["far"] and together[3].score == 0.0
    with pytest.raises(ValueError, match="route 1: route vertex 1"):
        route_risks([MERIDIAN, [[69.5, 29.9], [369.5, 30.1]]], AT, index, base)
    with pytest.raises(ValueError, match="route 2: route has zero length"):
        route_risks([MERIDIAN, MERIDIAN, [[69.5, 29.9], [69.5, 29.9]]], AT, index, base)
    with pytest.raises(ValueError, match="route 0: route needs at least 2 vertices"):
        route_risks([[[69.5, 29.9]]], AT, index, base)
    assert route_risks([], AT, index, base) == []


def test_a_bare_date_counts_from_its_midnight_utc() -> None:
    one = Incident(id="d", lat=CENTRE[1], lon=CENTRE[0], date=date(2024, 1, 2))
    result = site_risk(CENTRE[1], CENTRE[0], 100.0, AT, IncidentIndex([one]), PARAMS)
    assert result.drivers[0].age_days == 365.0


distances = st.floats(min_value=0.0, max_value=9_900.0)
ages = st.floats(min_value=0.0, max_value=3_000.0)
tolls = st.integers(min_value=0, max_value=500)


@settings(max_examples=40, deadline=None)
@given(d1=distances, d2=distances, age=ages, killed=tolls)
def test_closer_never_lowers_the_score(d1: float, d2: float, age: float, killed: int) -> None:
    near, far = sorted((d1, d2))
    s_near = route_risk(MERIDIAN, AT, IncidentIndex([incident(near, age, killed=killed)]), PARAMS).score
    s_far = route_risk(MERIDIAN, AT, IncidentIndex([incident(far, age, killed=killed)]), PARAMS).score
    assert s_near >= s_far


@settings(max_examples=40, deadline=None)
@given(a1=ages, a2=ages, distance=distances, killed=tolls)
def test_more_recent_never_lowers_the_score(a1: float, a2: float, distance: float, killed: int) -> None:
    recent, old = sorted((a1, a2))
    s_recent = site_risk(
        30.0, 69.5, 10_000.0, AT, IncidentIndex([incident(distance, recent, killed=killed)]), PARAMS
    )
    s_old = site_risk(
        30.0, 69.5, 10_000.0, AT, IncidentIndex([incident(distance, old, killed=killed)]), PARAMS
    )
    assert s_recent.score >= s_old.score


@settings(max_examples=40, deadline=None)
@given(k1=tolls, k2=tolls, w1=tolls, w2=tolls, distance=distances, age=ages, suicide=st.booleans())
def test_deadlier_never_lowers_the_score(
    k1: int, k2: int, w1: int, w2: int, distance: float, age: float, suicide: bool
) -> None:
    low = incident(distance, age, killed=min(k1, k2), wounded=min(w1, w2))
    high = incident(distance, age, killed=max(k1, k2), wounded=max(w1, w2), suicide=suicide)
    s_low = route_risk(MERIDIAN, AT, IncidentIndex([low]), PARAMS).score
    s_high = route_risk(MERIDIAN, AT, IncidentIndex([high]), PARAMS).score
    assert s_high >= s_low


@settings(max_examples=25, deadline=None)
@given(extra=st.lists(st.tuples(distances, ages, tolls), max_size=5))
def test_adding_an_incident_never_lowers_the_score(extra: list[tuple[float, float, int]]) -> None:
    base = [incident(500.0, 10.0, id="base")]
    more = base + [incident(d, a, killed=k, id=f"x{n}") for n, (d, a, k) in enumerate(extra)]
    assert (
        route_risk(MERIDIAN, AT, IncidentIndex(more), PARAMS).score
        >= route_risk(MERIDIAN, AT, IncidentIndex(base), PARAMS).score
    )
