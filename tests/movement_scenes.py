"""A movement put on the road through the API, for tests that check in (shared by several test modules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]}


def under_way(client: TestClient, world: Any, *, hours: int = 1) -> int:
    """Acme's movement of one protected person, approved and escorted by host security, departed now."""
    coord, duty = world["coord"].headers, world["duty"].headers
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=coord).json()
    unit = client.post("/api/v1/escort-units", json={"call_sign": "F-1", "strength": 4}, headers=duty).json()
    dep = datetime.now(UTC)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=hours)).isoformat(),
            "person_ids": [person["id"]],
            "checkin_interval_min": 15,
        },
        headers=coord,
    ).json()
    mid = int(m["id"])
    for path, who, body in (
        ("submit", coord, {}),
        ("approve", duty, {}),
        ("escort", duty, {"unit_ids": [unit["id"]]}),
        ("depart", duty, {}),
    ):
        resp = client.post(f"/api/v1/movements/{mid}/{path}", json=body, headers=who)
        assert resp.status_code == 200, resp.text
    return mid
