"""Routes: validation, GPX and GeoJSON import, distance, similarity and predictability."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from outrider.movements import routes
from outrider.movements.history import PastTrip, predictability

AIRPORT_TO_QASIM = [[67.1608, 24.9065], [67.20, 24.88], [67.27, 24.83], [67.35, 24.78]]
OTHER_ROAD = [[67.1608, 24.9065], [67.16, 24.80], [67.25, 24.76], [67.35, 24.78]]


def test_a_good_route_passes_and_has_a_length() -> None:
    checked = routes.check_route({"type": "LineString", "coordinates": AIRPORT_TO_QASIM})
    assert checked["coordinates"][0] == [67.1608, 24.9065]
    assert 22_000 < routes.length_m(AIRPORT_TO_QASIM) < 26_000


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "LineString"),
        ({"type": "LineString", "coordinates": [[67, 24]]}, "at least two"),
        ({"type": "LineString", "coordinates": [[67, 24], [67, 24]]}, "two distinct"),
        ({"type": "LineString", "coordinates": [[67, 24], [67, 95]]}, "out of range"),
        ({"type": "LineString", "coordinates": [[67, 24], ["x", 24.1]]}, "longitude, latitude"),
        ({"type": "LineString", "coordinates": [[67, 24], [67.1, 24], [67.0, 24.0001]]}, "turns back"),
        (
            {"type": "LineString", "coordinates": [[67, 24], [67.1, 24.1], [67.1, 24], [67, 24.1]]},
            "crosses itself",
        ),
        ({"type": "LineString", "coordinates": [[-170, 0], [0, 0], [170, 0]]}, "km long"),
    ],
)
def test_bad_routes_are_refused_precisely(geometry: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        routes.check_route(geometry)


def test_gpx_and_geojson_files() -> None:
    gpx = b"""<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
    <trk><trkseg><trkpt lat="24.9065" lon="67.1608"/><trkpt lat="24.88" lon="67.20"/></trkseg></trk></gpx>"""
    assert routes.parse_route_file(gpx, "r.gpx")["coordinates"] == [[67.1608, 24.9065], [67.2, 24.88]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": AIRPORT_TO_QASIM},
                "properties": {},
            }
        ],
    }
    assert len(routes.parse_route_file(json.dumps(fc).encode(), "r.geojson")["coordinates"]) == 4
    with pytest.raises(ValueError, match=r"r\.gpx: not valid GPX"):
        routes.parse_route_file(b"<gpx><trk>", "r.gpx")
    with pytest.raises(ValueError, match="no track or route points"):
        routes.parse_route_file(b"<?xml version='1.0'?><gpx></gpx>", "r.gpx")
    with pytest.raises(ValueError, match="not valid GeoJSON"):
        routes.parse_route_file(b"{", "r.geojson")


def test_gpx_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <gpx><trk><trkseg><trkpt lat="1" lon="&x;"/><trkpt lat="2" lon="2"/></trkseg></trk></gpx>"""
    with pytest.raises(ValueError, match="GPX"):
        routes.parse_route_file(evil, "evil.gpx")


def test_distance_to_route() -> None:
    assert routes.distance_to_route_m(AIRPORT_TO_QASIM, 67.20, 24.88) < 1
    assert 1_500 < routes.distance_to_route_m(AIRPORT_TO_QASIM, 67.20, 24.90) < 2_500


def test_similarity_tells_roads_apart() -> None:
    noisy = [[x + 0.0005, y - 0.0005] for x, y in AIRPORT_TO_QASIM]
    assert routes.similarity(AIRPORT_TO_QASIM, noisy) >= routes.SAME_ROUTE_THRESHOLD
    assert routes.similarity(AIRPORT_TO_QASIM, OTHER_ROAD) < routes.SAME_ROUTE_THRESHOLD
    assert routes.similarity(AIRPORT_TO_QASIM, AIRPORT_TO_QASIM) == 1.0


def test_predictability_counts_route_and_local_hour() -> None:
    dep = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 06:30 Karachi
    past = [
        PastTrip(1, dep - timedelta(days=1), AIRPORT_TO_QASIM),  # same route, same hour
        PastTrip(2, dep - timedelta(days=2, minutes=-40), AIRPORT_TO_QASIM),  # same route, 07:10
        PastTrip(3, dep - timedelta(days=3, hours=6), OTHER_ROAD),  # other road, 00:30
        PastTrip(4, dep - timedelta(days=9), AIRPORT_TO_QASIM),  # outside the window
    ]
    p = predictability(route=AIRPORT_TO_QASIM, departure=dep, timezone="Asia/Karachi", past=past)
    assert (p.trips_same_pair, p.same_route_uses, p.same_hour_uses, p.same_route_and_hour_uses) == (
        3,
        2,
        2,
        2,
    )
    assert p.similar_movement_ids == (1, 2)


def test_same_hour_wraps_around_midnight() -> None:
    dep = datetime(2026, 11, 22, 18, 50, tzinfo=UTC)  # 23:50 Karachi
    past = [PastTrip(1, dep - timedelta(days=1, minutes=-30), OTHER_ROAD)]  # 00:20 local
    p = predictability(route=AIRPORT_TO_QASIM, departure=dep, timezone="Asia/Karachi", past=past)
    assert p.same_hour_uses == 1 and p.same_route_uses == 0
