"""Cordon monitoring with the database: batches through the API, saved detector state, alerts, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.cordon import service
from outrider.cordon.models import SightingRow


def _site(client: TestClient, world: Any) -> int:
    body = {
        "name": "Airport",
        "kind": "airport",
        "lat": 24.9065,
        "lon": 67.1608,
        "inner_radius_m": 400,
        "outer_radius_m": 1500,
    }
    resp = client.post("/api/v1/sites", json=body, headers=world["admin"].headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _sightings(plate: str, start: datetime, minutes: range, site: int) -> list[dict[str, Any]]:
    return [
        {"plate": plate, "at": (start + timedelta(minutes=m)).isoformat(), "zone_id": f"site:{site}:outer"}
        for m in minutes
    ]


def test_batches_raise_a_dwell_alert_once_and_keep_it_live(client: TestClient, world: Any) -> None:
    site = _site(client, world)
    start = datetime.now(UTC) - timedelta(hours=2)
    first = _sightings("lea-1234", start, range(0, 15, 5), site)
    second = [*_sightings("LEA 1234", start, range(15, 45, 5), site), {"plate": "", "at": "x"}]
    h = world["duty"].headers
    r1 = client.post("/api/v1/cordon/events", json={"events": first}, headers=h).json()
    assert r1["stored"] == 3 and r1["alerts"] == []
    r2 = client.post("/api/v1/cordon/events", json={"events": second, "flush": True}, headers=h).json()
    assert r2["bad"] == [{"index": 6, "reason": "plate is missing"}]
    # Raised at 20 minutes, then updated while the vehicle stays: one alert, its title and evidence current.
    alerts = r2["alerts"]
    assert [a["evidence"]["duration_min"] for a in alerts] == [20, 25, 30, 35, 40]
    assert len({a["alert_id"] for a in alerts}) == 1
    alert = alerts[0]
    assert alert["kind"] == "dwell" and alert["plate"] == "LEA1234"
    stored = client.get(f"/api/v1/alerts/{alert['alert_id']}", headers=h).json()
    assert stored["kind"] == "cordon_dwell" and stored["details"]["evidence"]["sightings"] == 9
    assert "for 40 min without inspection" in stored["title"]
    assert stored["details"]["evidence"]["last_seen"] == (start + timedelta(minutes=40)).isoformat()
    listed = client.get("/api/v1/cordon/sightings?plate=lea-1234", headers=h).json()["items"]
    assert len(listed) == 9 and sum(1 for x in listed if x["evidence"]) >= 5


def test_a_due_movement_makes_it_critical(client: TestClient, world: Any) -> None:
    site = _site(client, world)
    person = client.post(
        "/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=world["admin"].headers
    ).json()
    now = datetime.now(UTC)
    movement = client.post(
        "/api/v1/movements",
        json={
            "origin": {"site_id": site},
            "destination": {"lat": 24.78, "lon": 67.35},
            "route": {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]},
            "planned_departure": (now + timedelta(minutes=30)).isoformat(),
            "planned_arrival": (now + timedelta(minutes=90)).isoformat(),
            "person_ids": [person["id"]],
        },
        headers=world["admin"].headers,
    ).json()
    unit = client.post(
        "/api/v1/escort-units", json={"call_sign": "F", "strength": 2}, headers=world["duty"].headers
    ).json()
    for path, who, body in (("submit", "admin", {}), ("escort", "duty", {"unit_ids": [unit["id"]]})):
        assert (
            client.post(
                f"/api/v1/movements/{movement['id']}/{path}", json=body, headers=world[who].headers
            ).status_code
            == 200
        )
    with db.transaction() as session:
        from outrider.movements.models import Movement

        m = session.get(Movement, movement["id"])
        assert m is not None
        m.status = "approved"  # the approval flow is tested elsewhere; here only the schedule matters
    events = _sightings("PICKUP", now - timedelta(minutes=25), range(0, 25, 5), site)
    r = client.post(
        "/api/v1/cordon/events", json={"events": events, "flush": True}, headers=world["duty"].headers
    ).json()
    [alert] = [a for a in r["alerts"] if a["kind"] == "dwell"]
    assert alert["severity"] == "critical" and alert["evidence"]["movement_due"] is not None


def test_only_host_security_feeds_the_cordon(client: TestClient, world: Any) -> None:
    for who in ("coord", "liaison", "analyst"):
        assert (
            client.post("/api/v1/cordon/events", json={"events": []}, headers=world[who].headers).status_code
            == 403
        )


def test_retention_keeps_evidence_and_deletes_the_rest(client: TestClient, world: Any) -> None:
    site = _site(client, world)
    old = datetime.now(UTC) - timedelta(days=40)
    events = _sightings("OLD1", old, range(0, 30, 5), site) + _sightings("PASSER", old, range(0, 6, 5), site)
    client.post(
        "/api/v1/cordon/events", json={"events": events, "flush": True}, headers=world["duty"].headers
    )
    with db.transaction() as session:
        purged, _ = service.purge(session, now=datetime.now(UTC), retention_days=30)
        left = {r.plate for r in session.query(SightingRow).all()}
    # the passer's two sightings go; OLD1's stay, also its last one (after the alert), while its alert is open
    assert purged == 2 and left == {"OLD1"}


def test_the_airport_one_day_and_the_plant_the_next_raise_reconnaissance(
    client: TestClient, world: Any
) -> None:
    """A movement from the airport to the power plant is due: a plate seen at both, a day apart, is enough."""
    airport = _site(client, world)
    plant_body = {"name": "Plant", "kind": "project", "lat": 24.78, "lon": 67.35, "outer_radius_m": 2500}
    resp = client.post("/api/v1/sites", json=plant_body, headers=world["admin"].headers)
    assert resp.status_code == 201, resp.text
    plant = int(resp.json()["id"])
    person = client.post(
        "/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=world["admin"].headers
    ).json()
    now = datetime.now(UTC)
    movement = client.post(
        "/api/v1/movements",
        json={
            "origin": {"site_id": airport},
            "destination": {"site_id": plant},
            "route": {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]},
            "planned_departure": (now + timedelta(hours=5)).isoformat(),
            "planned_arrival": (now + timedelta(hours=6)).isoformat(),
            "person_ids": [person["id"]],
        },
        headers=world["admin"].headers,
    ).json()
    h = world["duty"].headers
    yesterday = [
        {"plate": "SCOUT1", "at": (now - timedelta(hours=50)).isoformat(), "zone_id": f"site:{airport}:outer"}
    ]
    today = [
        {"plate": "SCOUT1", "at": (now - timedelta(hours=30)).isoformat(), "zone_id": f"site:{plant}:outer"}
    ]
    url = "/api/v1/cordon/events"
    # Only a live movement links the two places: a draft one does not.
    assert client.post(url, json={"events": yesterday, "flush": True}, headers=h).json()["alerts"] == []
    assert client.post(url, json={"events": today, "flush": True}, headers=h).json()["alerts"] == []
    with db.transaction() as session:
        from outrider.movements.models import Movement

        m = session.get(Movement, movement["id"])
        assert m is not None
        m.status = "approved"  # the approval flow is tested elsewhere; here only the schedule matters
    later = [
        {"plate": "SCOUT2", "at": (now - timedelta(hours=s)).isoformat(), "zone_id": z}
        for s, z in (
            (25, f"site:{airport}:outer"),
            (0.5, f"site:{plant}:outer"),
        )
    ]
    [alert] = client.post(url, json={"events": later, "flush": True}, headers=h).json()["alerts"]
    assert alert["kind"] == "reconnaissance" and alert["plate"] == "SCOUT2"
    assert alert["evidence"]["rule"] == "movement" and alert["place"] == f"movement:{movement['id']}"
    assert [p["place"] for p in alert["evidence"]["places"]] == [f"site:{airport}", f"site:{plant}"]
    assert movement["reference"] not in alert["title"] and "between them is due" in alert["title"]
