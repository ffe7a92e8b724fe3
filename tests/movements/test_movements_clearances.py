"""Route clearances, arrival counts, escort presence, night windows and cordon zones (facts for protocols)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from outrider.movements import routes
from outrider.movements.arrangement import Arrangement

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]}


@pytest.mark.parametrize(
    ("utc_hour", "night"),
    [(13, False), (14, True), (23, True), (0, True), (0.99, True), (1, False), (5, False)],
)
def test_night_window_in_local_time_wraps_midnight(utc_hour: float, night: bool) -> None:
    # 19:00-06:00 in Karachi (UTC+5) is 14:00-01:00 UTC
    when = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(hours=utc_hour)
    assert Arrangement().in_night_window(when, "Asia/Karachi") is night


def test_cordon_zone_by_radius_and_polygon() -> None:
    center = (67.1608, 24.9065)
    kw: dict[str, Any] = {
        "center": center,
        "inner_radius_m": 400,
        "outer_radius_m": 1500,
        "inner_polygon": None,
    }
    assert routes.cordon_zone(**kw, outer_polygon=None, lon=67.1608, lat=24.9075) == "inner"  # ~110 m
    assert routes.cordon_zone(**kw, outer_polygon=None, lon=67.1608, lat=24.9165) == "outer"  # ~1.1 km
    assert routes.cordon_zone(**kw, outer_polygon=None, lon=67.1608, lat=24.9365) == "outside"
    square = {
        "type": "Polygon",
        "coordinates": [[[67.0, 24.8], [67.3, 24.8], [67.3, 25.0], [67.0, 25.0], [67.0, 24.8]]],
    }
    kw["outer_radius_m"] = None
    assert routes.cordon_zone(**kw, outer_polygon=square, lon=67.25, lat=24.95) == "outer"


def test_clearance_arrival_count_and_escort_presence(client: TestClient, world: Any) -> None:
    h = {k: world[k].headers for k in ("coord", "duty")}
    person = client.post(
        "/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=h["coord"]
    ).json()
    unit = client.post(
        "/api/v1/escort-units", json={"call_sign": "SWEEP-1", "strength": 4}, headers=h["duty"]
    ).json()
    dep = datetime.now(UTC) + timedelta(minutes=5)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608},
            "destination": {"lat": 24.78, "lon": 67.35},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
        },
        headers=h["coord"],
    ).json()
    mid = m["id"]
    cleared = datetime.now(UTC) - timedelta(minutes=30)
    body = {"escort_unit_id": unit["id"], "cleared_at": cleared.isoformat(), "segment": "airport road"}
    assert (
        client.post(f"/api/v1/movements/{mid}/clearances", json=body, headers=h["coord"]).status_code == 403
    )
    made = client.post(f"/api/v1/movements/{mid}/clearances", json=body, headers=h["duty"])
    assert made.status_code == 201 and made.json()["segment"] == "airport road"
    future = {**body, "cleared_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat()}
    assert (
        client.post(f"/api/v1/movements/{mid}/clearances", json=future, headers=h["duty"]).status_code == 422
    )
    for path, who, payload in (
        ("submit", "coord", {}),
        ("approve", "duty", {}),
        ("escort", "duty", {"unit_ids": [unit["id"]]}),
        ("depart", "duty", {}),
    ):
        assert client.post(f"/api/v1/movements/{mid}/{path}", json=payload, headers=h[who]).status_code == 200
    done = client.post(f"/api/v1/movements/{mid}/arrive", json={"persons_counted": 1}, headers=h["duty"])
    assert done.status_code == 200 and done.json()["status"] == "arrived"
    from outrider import db
    from outrider.movements.models import Movement

    with db.transaction() as session:
        stored = session.get(Movement, mid)
        assert stored is not None
        assert stored.escort_present_at_departure is True and stored.persons_counted_at_arrival == 1
    kinds = [e["kind"] for e in client.get(f"/api/v1/movements/{mid}/timeline", headers=h["coord"]).json()]
    assert "route_cleared" in kinds
