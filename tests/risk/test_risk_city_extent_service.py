"""On stored events: the Karachi airport bombing, known only to Karachi's precision, weighs on a route 15 km
from the city's centre; the same attack placed at the airport (a named site) weighs as a point."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

# a north-south road past the airport, about 15 km east of Karachi's centre (24.86 N, 67.01 E)
AIRPORT_ROAD = {"type": "LineString", "coordinates": [[67.158, 24.85], [67.158, 24.97]]}
# a road 15 km north of the airport, through nothing in particular
NORTH_ROAD = {"type": "LineString", "coordinates": [[67.10, 25.045], [67.25, 25.045]]}


def _ingest(client: TestClient, world: Any, where: str, tag: str) -> dict[str, Any]:
    day = datetime.now(UTC).date() - timedelta(days=3)
    text = (
        f"{where}, {day:%B} {day.day}, {day.year} - A suicide bomber rammed an explosives-laden vehicle into "
        f"a convoy {'in' if where == 'Karachi' else 'near'} {where} on {day:%B} {day.day}, {day.year}, "
        f"killing two foreign engineers and wounding ten people, police said. Report {tag}.\n"
    )
    body = {"text": text, "source": tag, "published": day.isoformat()}
    r = client.post("/api/v1/intel/reports", json=body, headers=world["analyst"].headers)
    assert r.status_code == 201 and r.json()[0]["status"] == "stored", r.text
    report = client.get(f"/api/v1/intel/reports/{r.json()[0]['report_id']}", headers=world["analyst"].headers)
    incident = report.json()["incident_ids"][0]
    return client.get(f"/api/v1/intel/incidents/{incident}", headers=world["analyst"].headers).json()


def _score(client: TestClient, world: Any, route: dict[str, Any]) -> dict[str, Any]:
    resp = client.post("/api/v1/risk/route", json={"route": route}, headers=world["coord"].headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_a_karachi_bombing_weighs_on_a_route_15_km_from_the_centre(client: TestClient, world: Any) -> None:
    assert _score(client, world, AIRPORT_ROAD)["score"] == 0.0
    incident = _ingest(client, world, "Karachi", "city")
    assert (incident["city"], incident["lat"], incident["lon"]) == ("Karachi", 24.86, 67.01)
    result = _score(client, world, AIRPORT_ROAD)
    assert result["score"] > 1.0 and result["level"] >= 2
    [driver] = result["drivers"]
    assert 14_000 < driver["distance_m"] < 16_000


def test_the_attack_placed_at_the_airport_weighs_as_a_point(client: TestClient, world: Any) -> None:
    incident = _ingest(client, world, "Jinnah International Airport", "site")
    assert (incident["city"], incident["lat"], incident["lon"]) == ("Karachi", 24.91, 67.16)
    near = _score(client, world, AIRPORT_ROAD)
    assert near["score"] > 4.0 and near["drivers"][0]["distance_m"] < 500
    assert _score(client, world, NORTH_ROAD)["score"] == 0.0  # 15 km from the airport: beyond the corridor
