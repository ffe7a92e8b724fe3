"""The right people see it: an alert at a place where a movement is due, or about a movement, reaches the
movement's parties (the requesting company, the escorting host unit's organisation, the partner whose
nationals travel) and nobody else; the movement's reference and local due time only reach its need-to-know
list. Every role of every organisation, through the API, the command line and the live stream."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.cli import app
from outrider.http import caller_of
from outrider.movements.models import Movement

ROUTE = {"type": "LineString", "coordinates": [[67.35, 24.78], [67.20, 24.88], [67.1608, 24.9065]]}
EVERYONE = (
    "admin",
    "duty",
    "analyst",
    "auditor",
    "liaison",
    "embassy_admin",
    "coord",
    "acme_admin",
    "other_coord",
)
# who reads the alert: host security and auditors (all alerts), acme (requesting), the CN embassy (nationals)
READERS = {"admin", "duty", "auditor", "liaison", "embassy_admin", "coord", "acme_admin"}
# who reads the itinerary (reference, due time): its planners, the escort unit's member, the liaison
ON_THE_LIST = {"coord", "acme_admin", "duty", "liaison"}


def _ok(resp: Any, code: int = 200) -> Any:
    assert resp.status_code == code, resp.text
    return resp.json()


@pytest.fixture
def scene(client: TestClient, world: Any) -> dict[str, Any]:
    """Acme's camp (its own site), a CN engineer leaving it in 40 minutes escorted by host unit F-9 whose
    member is the duty officer, and a pick-up waiting 25 minutes in the camp's outer cordon."""
    coord, duty = world["coord"].headers, world["duty"].headers
    camp = _ok(
        client.post(
            "/api/v1/sites",
            json={"name": "Acme Camp", "kind": "project", "lat": 24.78, "lon": 67.35, "outer_radius_m": 1500},
            headers=coord,
        ),
        201,
    )
    person = _ok(client.post("/api/v1/persons", json={"name": "E", "nationality": "CN"}, headers=coord), 201)
    unit = _ok(
        client.post("/api/v1/escort-units", json={"call_sign": "F-9", "strength": 4}, headers=duty), 201
    )
    _ok(
        client.post(
            f"/api/v1/escort-units/{unit['id']}/members",
            json={"user_id": world["duty"].user_id},
            headers=world["admin"].headers,
        ),
        201,
    )
    now = datetime.now(UTC)
    dep = now + timedelta(minutes=40)
    m = _ok(
        client.post(
            "/api/v1/movements",
            json={
                "origin": {"site_id": camp["id"]},
                "destination": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
                "route": ROUTE,
                "planned_departure": dep.isoformat(),
                "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
                "person_ids": [person["id"]],
            },
            headers=coord,
        ),
        201,
    )
    _ok(client.post(f"/api/v1/movements/{m['id']}/submit", json={}, headers=coord))
    _ok(client.post(f"/api/v1/movements/{m['id']}/escort", json={"unit_ids": [unit["id"]]}, headers=duty))
    with db.transaction() as session:
        session.get_one(Movement, m["id"]).status = "approved"  # approvals are tested elsewhere
    zone = f"site:{camp['id']}:outer"
    start = now - timedelta(minutes=25)
    events = [
        {"plate": "PICKUP", "at": (start + timedelta(minutes=k)).isoformat(), "zone_id": zone}
        for k in range(0, 25, 5)
    ]
    r = _ok(client.post("/api/v1/cordon/events", json={"events": events, "flush": True}, headers=duty))
    [alert_id] = {a["alert_id"] for a in r["alerts"] if a["kind"] == "dwell"}
    return {"movement": m, "dep": dep, "alert": alert_id, "camp": camp}


def test_every_role_of_every_organisation_sees_the_alert_as_its_place_allows(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    ref = scene["movement"]["reference"]
    for who in EVERYONE:
        resp = client.get(f"/api/v1/alerts/{scene['alert']}", headers=world[who].headers)
        if who not in READERS:
            assert resp.status_code in (403, 404), (who, resp.status_code)
            listed = client.get("/api/v1/alerts", headers=world[who].headers)
            assert listed.status_code == 403 or scene["alert"] not in [
                a["id"] for a in listed.json()["items"]
            ]
            continue
        body = _ok(resp)
        listed = _ok(client.get("/api/v1/alerts", headers=world[who].headers))
        assert scene["alert"] in [a["id"] for a in listed["items"]], who
        itinerary = body["details"]["itinerary"]
        if who in ON_THE_LIST:
            assert [e["reference"] for e in itinerary] == [ref], who
            assert body["details"]["evidence"]["movements"] == [ref]
            due = datetime.fromisoformat(itinerary[0]["due"])
            assert due == scene["dep"] and due.utcoffset() == timedelta(hours=5), who  # Karachi time
        else:
            assert itinerary == [] and body["details"]["evidence"]["movements"] == [], who
            assert ref not in resp.text and scene["dep"].astimezone(UTC).isoformat()[:16] not in resp.text
        # the keys the protocols read stay as they were
        assert body["details"]["place"] == f"site:{scene['camp']['id']}"


def test_the_command_line_and_the_live_stream_agree(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    runner = CliRunner()
    for who in ("liaison", "embassy_admin", "other_coord"):
        result = runner.invoke(app, ["alerts", "list", "--as", who, "--json"])
        assert result.exit_code == 0, result.output
        items = {a["id"]: a for a in json.loads(result.stdout)["items"]}
        assert (scene["alert"] in items) == (who in READERS), who
        if who == "embassy_admin":
            assert items[scene["alert"]]["details"]["itinerary"] == []
    for who in ("liaison", "embassy_admin", "other_coord"):
        page = client.get("/alerts", headers={"Cookie": f"outrider_session={world[who].token}"})
        assert page.status_code == 200
        assert (f'id="alert-{scene["alert"]}"' in page.text) == (who in READERS), who
        assert (scene["movement"]["reference"] in page.text) == (who in ON_THE_LIST), who
        if who in READERS:  # the camp's local time, whether or not the reader may read the camp's record
            assert '+05:00" title="Asia/Karachi' in page.text, who
    since = datetime.now(UTC) - timedelta(hours=1)
    with db.transaction() as session:
        for who in ("liaison", "other_coord", "coord"):
            caller = caller_of(session.get_one(User, world[who].user_id))
            changed = alerts_service.changed_since(session, caller=caller, since=since)
            assert (scene["alert"] in [a.id for a in changed]) == (who in READERS), who


def test_an_alert_about_a_movement_reaches_its_parties_without_its_times(
    client: TestClient, world: Any, scene: dict[str, Any]
) -> None:
    with db.transaction() as session:
        movement = session.get_one(Movement, scene["movement"]["id"])
        alert, _ = alerts_service.raise_about_movement(
            session,
            movement,
            kind="movement_overdue",
            severity=Severity.high,
            title=f"{movement.reference}: overdue",
            details={"reference": movement.reference, "due_at": movement.planned_arrival.isoformat()},
            now=db.utcnow(),
        )
        alert_id = alert.id
    for who in EVERYONE:
        resp = client.get(f"/api/v1/alerts/{alert_id}", headers=world[who].headers)
        if who not in READERS:
            assert resp.status_code in (403, 404), who
            continue
        details = _ok(resp)["details"]
        if who in ON_THE_LIST:
            assert datetime.fromisoformat(details["due_at"]).utcoffset() == timedelta(hours=5), who
        else:
            assert "due_at" not in details, who
