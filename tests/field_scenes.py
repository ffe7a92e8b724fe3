"""Movements on the road with a lead and an escort member, for the field face's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from movement_scenes import ROUTE


def on_the_road(
    client: TestClient,
    world: Any,
    *,
    call_sign: str = "F-1",
    member: str | None = "duty",
    depart: bool = True,
) -> int:
    """Acme's movement (planned, so led, by ``coord``) escorted by host unit ``call_sign`` whose member is
    ``member`` (added by host's admin), departed now (unless ``depart`` is false: approved, waiting), a
    check-in due every 15 minutes."""
    coord, duty, admin = world["coord"].headers, world["duty"].headers, world["admin"].headers
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=coord).json()
    unit = client.post(
        "/api/v1/escort-units", json={"call_sign": call_sign, "strength": 4}, headers=duty
    ).json()
    if member is not None:
        added = client.post(
            f"/api/v1/escort-units/{unit['id']}/members",
            json={"user_id": world[member].user_id},
            headers=admin,
        )
        assert added.status_code == 201, added.text
    dep = datetime.now(UTC)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=2)).isoformat(),
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
        *((("depart", duty, {}),) if depart else ()),
    ):
        resp = client.post(f"/api/v1/movements/{mid}/{path}", json=body, headers=who)
        assert resp.status_code == 200, resp.text
    return mid


def set_pins(client: TestClient, world: Any, who: str, pin: str = "1234", duress: str = "9876") -> None:
    resp = client.put(
        "/api/v1/me/field-pins", json={"pin": pin, "duress_pin": duress}, headers=world[who].headers
    )
    assert resp.status_code == 200, resp.text
