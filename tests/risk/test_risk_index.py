"""The incident index: what counts, add/replace/remove, and agreement with brute force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.risk import index as index_module
from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex, project
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import route_risk, site_risk
from outrider.risk.surface import bbox_cells, risk_surface

AT = datetime(2025, 1, 1, tzinfo=UTC)
ALL = RiskParameters(explain_top=10**6)


def at(i: str, lat: float, lon: float, **kw: object) -> Incident:
    return Incident(id=i, lat=lat, lon=lon, date=AT - timedelta(days=30), **kw)  # type: ignore[arg-type]


def test_rejected_and_unsure_unconfirmed_incidents_do_not_count() -> None:
    index = IncidentIndex(
        [
            at("ok", 30.0, 69.5),
            at("rejected", 30.0, 69.5, status="rejected"),
            at("unsure", 30.0, 69.5, status="unconfirmed", confidence=0.2),
            at("likely", 30.0, 69.5, status="unconfirmed", confidence=0.8),
        ],
        min_confidence=0.5,
    )
    assert sorted(index.columns.ids) == ["likely", "ok"]
    index.add([at("ok", 30.0, 69.5, status="rejected")])  # an analyst rejects it later
    assert list(index.columns.ids) == ["likely"] and "ok" not in index


def test_replace_moves_an_incident_and_remove_drops_it() -> None:
    index = IncidentIndex([at("a", 30.0, 69.5)])
    version = index.version
    index.add([at("a", 25.0, 67.0)])
    assert site_risk(30.0, 69.5, 5_000.0, AT, index, ALL).incident_count == 0
    assert site_risk(25.0, 67.0, 5_000.0, AT, index, ALL).incident_count == 1
    index.remove(["a", "never-there"])
    assert len(index) == 0 and index.version > version
    assert site_risk(25.0, 67.0, 5_000.0, AT, index, ALL).incident_count == 0


points = st.lists(
    st.tuples(st.floats(29.5, 30.5), st.floats(69.0, 70.0)), min_size=0, max_size=60, unique=True
)


@settings(max_examples=30, deadline=None)
@given(
    places=points,
    drop=st.lists(st.integers(0, 59), max_size=20),
    site=st.tuples(st.floats(29.6, 30.4), st.floats(69.1, 69.9)),
    radius=st.floats(100.0, 30_000.0),
    cell=st.sampled_from([1_000.0, 5_000.0, 20_000.0]),
)
def test_site_query_matches_brute_force_after_adds_and_removes(
    places: list[tuple[float, float]],
    drop: list[int],
    site: tuple[float, float],
    radius: float,
    cell: float,
) -> None:
    index = IncidentIndex(cell_m=cell)
    index.add(at(f"i{k}", lat, lon) for k, (lat, lon) in enumerate(places[: len(places) // 2]))
    index.rebuild()  # a query between the two batches, then incremental change
    index.add(at(f"i{k}", lat, lon) for k, (lat, lon) in enumerate(places) if k >= len(places) // 2)
    index.remove(f"i{k}" for k in drop)
    alive = {f"i{k}": p for k, p in enumerate(places) if k not in set(drop)}
    sx, sy = project([site[1]], [site[0]])
    expected = set()
    for key, (lat, lon) in alive.items():
        x, y = project([lon], [lat])
        if np.hypot(x[0] - sx[0], y[0] - sy[0]) <= radius:
            expected.add(key)
    found = {d.incident_id for d in site_risk(site[0], site[1], radius, AT, index, ALL).drivers}
    assert found == expected


@settings(max_examples=25, deadline=None)
@given(
    places=points,
    route=st.lists(
        st.tuples(st.floats(69.0, 70.0), st.floats(29.5, 30.5)), min_size=2, max_size=8, unique=True
    ),
    corridor=st.floats(500.0, 20_000.0),
    cell=st.sampled_from([1_000.0, 5_000.0, 50_000.0]),
)
def test_route_query_matches_brute_force(
    places: list[tuple[float, float]], route: list[tuple[float, float]], corridor: float, cell: float
) -> None:
    """The compiled corridor scan agrees with shapely's own distance, whatever the cell size."""
    params = RiskParameters(corridor_m=corridor, explain_top=10**6)
    index = IncidentIndex((at(f"i{k}", lat, lon) for k, (lat, lon) in enumerate(places)), cell_m=cell)
    rx, ry = project([p[0] for p in route], [p[1] for p in route])
    line = shapely.linestrings(np.stack([rx, ry], axis=1))
    expected = {}
    for k, (lat, lon) in enumerate(places):
        x, y = project([lon], [lat])
        distance = float(shapely.distance(line, shapely.points(x[0], y[0])))
        if distance <= corridor:
            expected[f"i{k}"] = distance
    result = route_risk([list(p) for p in route], AT, index, params)
    assert {d.incident_id: d.distance_m for d in result.drivers}.keys() == expected.keys()
    for driver in result.drivers:
        assert abs(driver.distance_m - expected[driver.incident_id]) < 0.1


@pytest.mark.parametrize(("seed", "dense"), [(1, True), (2, True), (3, False), (4, False)])
def test_a_long_route_matches_brute_force_with_and_without_the_dense_table(
    seed: int, dense: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not dense:  # a box too large for the dense table: the kernel binary-searches the cell keys
        monkeypatch.setattr(index_module, "DENSE_CELLS", 0)
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0, 0.3, 300))
    route = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1) * 0.01, axis=0) + np.array(
        [69.0, 29.5]
    )
    lats, lons = rng.uniform(29.0, 31.5, 800), rng.uniform(68.0, 71.5, 800)
    index = IncidentIndex(at(f"i{k}", float(lats[k]), float(lons[k])) for k in range(800))
    rx, ry = project(route[:, 0], route[:, 1])
    line = shapely.linestrings(np.stack([rx, ry], axis=1))
    px, py = project(lons, lats)
    brute = shapely.distance(line, shapely.points(px, py))
    expected = {f"i{k}": float(brute[k]) for k in range(800) if brute[k] <= ALL.corridor_m}
    drivers = route_risk(route.tolist(), AT, index, ALL).drivers
    assert (index._dense_origin[3] > 0) == dense
    assert {d.incident_id for d in drivers} == expected.keys() and len(expected) > 20
    assert max(abs(d.distance_m - expected[d.incident_id]) for d in drivers) < 0.1


def test_surface_is_geojson_of_cells_scored_as_sites() -> None:
    index = IncidentIndex([at("a", 30.0, 69.5, killed=3)])
    cells = bbox_cells(69.3, 29.8, 69.7, 30.2, 6)
    surface = risk_surface(cells, AT, index, ALL)
    assert surface["type"] == "FeatureCollection" and len(surface["features"]) == len(cells) > 10
    hottest = max(surface["features"], key=lambda f: f["properties"]["score"])
    ring = hottest["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and shapely.Polygon(ring).contains(shapely.Point(69.5, 30.0))
    assert any(f["properties"]["score"] == 0.0 for f in surface["features"])


def test_a_copy_changes_without_touching_the_original() -> None:
    original = IncidentIndex([at("a", 30.0, 69.5), at("b", 30.1, 69.5)])
    original.rebuild()
    copy = original.copy()
    copy.remove(["a"])
    copy.add([at("c", 30.2, 69.5)])
    assert sorted(copy.columns.ids) == ["b", "c"] and sorted(original.columns.ids) == ["a", "b"]
    assert copy.version == original.version + 2
