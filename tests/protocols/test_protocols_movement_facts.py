"""The facts a movement hands to the protocols, assembled from its plan, its road and its history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.db import utcnow
from outrider.movements.models import Movement
from outrider.protocols.movement_facts import movement_facts

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.35, 24.78]]}


def test_plan_and_actual_facts(client: TestClient, world: Any) -> None:
    h = {k: world[k].headers for k in ("coord", "duty")}
    airport = client.post(
        "/api/v1/sites",
        json={
            "name": "Airport",
            "kind": "airport",
            "lat": 24.9065,
            "lon": 67.1608,
            "inner_radius_m": 400,
            "outer_radius_m": 1500,
        },
        headers=h["coord"],
    ).json()
    person = client.post(
        "/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=h["coord"]
    ).json()
    car = client.post(
        "/api/v1/vehicles", json={"plate": "AR-1", "kind": "armoured", "seats": 4}, headers=h["coord"]
    ).json()
    escort_car = client.post(
        "/api/v1/vehicles", json={"plate": "ES-1", "kind": "armoured", "seats": 4}, headers=h["duty"]
    ).json()
    unit = client.post(
        "/api/v1/escort-units",
        json={"call_sign": "U-1", "strength": 4, "vehicle_ids": [escort_car["id"]]},
        headers=h["duty"],
    ).json()
    dep = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"site_id": airport["id"]},
            "destination": {"lat": 24.78, "lon": 67.35},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 20,
        },
        headers=h["coord"],
    ).json()
    mid = m["id"]
    for path, who, body in (
        ("submit", "coord", {}),
        ("approve", "duty", {}),
        ("escort", "duty", {"unit_ids": [unit["id"]]}),
    ):
        assert client.post(f"/api/v1/movements/{mid}/{path}", json=body, headers=h[who]).status_code == 200
    clear_at = (dep - timedelta(hours=1, minutes=30)).isoformat()
    client.post(
        f"/api/v1/movements/{mid}/clearances",
        json={"escort_unit_id": unit["id"], "cleared_at": clear_at},
        headers=h["duty"],
    )
    with db.transaction() as session:
        planned = movement_facts(
            session, session.get(Movement, mid), risk_level=3, risk_score=4.2, now=utcnow()
        )  # type: ignore[arg-type]
    assert (planned.protected_persons, planned.vehicles, planned.armoured_vehicles) == (1, 1, 1)
    assert (planned.escort_units, planned.escort_vehicles) == (1, 1)
    assert planned.origin_site_kind == "airport" and planned.destination_site_kind == "point"
    assert planned.pickup_cordon_zone == "inner"
    assert planned.route_clearances[0].hours_before_departure == 1.5
    assert planned.departure_delay_min is None and planned.escort_present_at_departure is None
    assert 22 < planned.route_length_km < 27 and planned.checkin_interval_min == 20
    assert planned.to_variables()["route_clearances"][0]["hours_before_departure"] == 1.5
    client.post(f"/api/v1/movements/{mid}/depart", json={}, headers=h["duty"])
    client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "a", "lat": 24.95, "lon": 67.20},
        headers=h["duty"],
    )
    client.post(f"/api/v1/movements/{mid}/arrive", json={"persons_counted": 1}, headers=h["duty"])
    with db.transaction() as session:
        actual = movement_facts(
            session, session.get(Movement, mid), risk_level=3, risk_score=4.2, now=utcnow()
        )  # type: ignore[arg-type]
    assert actual.escort_present_at_departure is True and actual.persons_counted_at_arrival == 1
    assert actual.departure_delay_min is not None and actual.departure_delay_min >= 0.9
    assert actual.max_route_deviation_m is not None and actual.max_route_deviation_m > 3000
    assert actual.max_checkin_gap_min is not None
