"""Scenes of the risk tests: blasts reported on the Karakoram Highway, their events' markings, and a company's
movement along it with a national of the partner's country (the company and the partner are its parties)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

# Bisham to Dasu along the Karakoram Highway
KKH = {"type": "LineString", "coordinates": [[72.88, 34.94], [73.05, 35.10], [73.29, 35.29]]}


def reported(
    client: TestClient, world: Any, town: str, killed: str, tag: str, weapon: str = "A bomb"
) -> tuple[int, int]:
    """Ingest a report of a blast on the highway and return its incident's and its event's ids."""
    text = (
        f"Blast near {town}\n\n{weapon} exploded near a vehicle on the highway at {town} on Sunday, killing "
        f"{killed} people, police said. Report {tag}.\n"
    )
    body = {"text": text, "source": tag, "published": datetime.now(UTC).date().isoformat()}
    h = world["analyst"].headers
    r = client.post("/api/v1/intel/reports", json=body, headers=h)
    assert r.status_code == 201 and r.json()[0]["status"] == "stored", r.text
    report = client.get(f"/api/v1/intel/reports/{r.json()[0]['report_id']}", headers=h).json()
    incident = client.get(f"/api/v1/intel/incidents/{report['incident_ids'][0]}", headers=h).json()
    return int(incident["id"]), int(incident["event_id"])


def event(client: TestClient, world: Any, town: str, killed: str, tag: str, weapon: str = "A bomb") -> int:
    """Ingest a report of a blast on the highway and return its event's id."""
    return reported(client, world, town, killed, tag, weapon)[1]


def mark(client: TestClient, world: Any, event_id: int, marking: str) -> None:
    """Mark an event (TLP) as the analyst."""
    body = {"marking": marking, "reason": "source protection"}
    r = client.put(f"/api/v1/sharing/markings/event/{event_id}", json=body, headers=world["analyst"].headers)
    assert r.status_code == 200, r.text


def kkh_movement(client: TestClient, world: Any, nationality: str = "CN") -> tuple[int, str]:
    """Acme's movement from Bisham to a camp at Dasu with one protected person, departing in three hours: with
    a national of the embassy's country (the default) Acme and the embassy are its parties. Its id and
    reference."""
    h = world["coord"].headers
    site = client.post(
        "/api/v1/sites", json={"name": "Dasu camp", "kind": "camp", "lat": 35.29, "lon": 73.29}, headers=h
    ).json()
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": nationality}, headers=h).json()
    dep = datetime.now(UTC) + timedelta(hours=3)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 34.94, "lon": 72.88, "label": "Bisham"},
            "destination": {"site_id": site["id"]},
            "route": KKH,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=3)).isoformat(),
            "person_ids": [person["id"]],
        },
        headers=h,
    )
    assert m.status_code == 201, m.text
    return int(m.json()["id"]), str(m.json()["reference"])
