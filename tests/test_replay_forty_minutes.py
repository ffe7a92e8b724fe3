"""The forty minutes, replayed end to end (issue 17's day, as the parties would use Outrider).

A company plans the trip of an engineer from the airport, host security escorts, the partner embassy
co-approves, the default protocol is agreed by both. The airport's cameras then feed what they saw
every two minutes: a pick-up truck that waits in the outer cordon, never inspected, for 44 minutes, and a
car that waits as long but is inspected at the gate. The replay checks what should have happened that
day: the truck's dwell alert opens and stays live (its duration and severity follow the truck), the
partner's liaison sees it with the movement named in local time while a company that is not party
to the trip does not, the route clearance and the departure are refused with the open alert named, the
host's duty officer records an override with a reason (audited, read by the partner), the convoy
leaves, the "attack" is reported from the road and becomes intelligence at once, and afterwards the
truck's whole sighting history is still there, through the retention period, as evidence.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.cordon import service as cordon_service
from outrider.intel.models import IntelIncident, IntelReport

sys.path.insert(0, str(Path(__file__).resolve().parent / "protocols"))
from protocols_world import ROUTE, agree

TRUCK, CAR = "LEC-4410", "KHI-2207"
RULE = "no-departure-critical-cordon-alert"
REASON = "Truck stopped and searched by the airport police at 07:58; the convoy leaves by the south gate."
TICK = timedelta(minutes=2)  # the cameras' feed interval
WAIT = 44  # minutes the truck waited


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any, code: int = 201) -> Any:
    resp = client.post(f"/api/v1/{path}", json=body, headers=who.headers)
    assert resp.status_code == code, resp.text
    return resp.json()


def _plan_the_trip(client: TestClient, world: Any, departure: datetime) -> dict[str, Any]:
    """The company plans, host security escorts, both parties approve (through the API)."""
    airport = _post(
        client,
        "sites",
        {
            "name": "Jinnah International Airport",
            "kind": "airport",
            "lat": 24.9065,
            "lon": 67.1608,
            "inner_radius_m": 400,
            "outer_radius_m": 1500,
            "timezone": "Asia/Karachi",
        },
        world["admin"],
    )
    person = _post(client, "persons", {"name": "Engineer", "nationality": "CN"}, world["coord"])
    car = _post(client, "vehicles", {"plate": "ACM-9", "kind": "armoured", "seats": 4}, world["coord"])
    escort_car = _post(client, "vehicles", {"plate": "SPU-9", "kind": "armoured", "seats": 6}, world["duty"])
    unit = _post(
        client,
        "escort-units",
        {"call_sign": "FALCON-9", "strength": 6, "vehicle_ids": [escort_car["id"]]},
        world["duty"],
    )
    movement = _post(
        client,
        "movements",
        {
            "origin": {"site_id": airport["id"]},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Port Qasim power plant"},
            "route": ROUTE,
            "planned_departure": departure.isoformat(),
            "planned_arrival": (departure + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 20,
        },
        world["coord"],
    )
    mid = movement["id"]
    _post(client, f"movements/{mid}/escort", {"unit_ids": [unit["id"]]}, world["duty"], 200)
    _post(client, f"movements/{mid}/submit", {}, world["coord"], 200)
    for who in ("duty", "liaison"):
        _post(client, f"movements/{mid}/approve", {}, world[who], 200)
    return {"id": mid, "reference": movement["reference"], "site": airport["id"], "unit": unit["id"]}


def _feed(site: int, arrived: datetime, now: datetime) -> list[list[dict[str, Any]]]:
    """The cameras' recorded feed, one batch per two-minute tick from the truck's arrival until now."""
    zone = f"site:{site}:outer"
    batches: list[list[dict[str, Any]]] = []
    at = arrived
    while at <= now:
        batch = [
            {"plate": TRUCK, "at": at.isoformat(), "zone_id": zone},
            {"plate": CAR, "at": (at + timedelta(seconds=30)).isoformat(), "zone_id": zone},
        ]
        if at == arrived + 3 * TICK:  # the car is inspected and cleared at the gate; the truck never is
            when = (at + timedelta(seconds=45)).isoformat()
            batch.append(
                {"kind": "inspection", "plate": CAR, "at": when, "checkpoint": "gate", "site_id": str(site)}
            )
        batches.append(batch)
        at += TICK
    return batches


def test_the_forty_minutes_hold_the_convoy_and_keep_the_evidence(client: TestClient, world: Any) -> None:
    agree(world)
    now = datetime.now(UTC).replace(microsecond=0)
    departure = now + timedelta(minutes=5)
    trip = _plan_the_trip(client, world, departure)
    mid, site = trip["id"], trip["site"]
    arrived = now - timedelta(minutes=WAIT)

    # 1. The recorded feed, replayed tick by tick: the truck's dwell alert opens, then stays live.
    raised: list[dict[str, Any]] = []
    batches = _feed(site, arrived, now)
    for n, batch in enumerate(batches):
        answer = _post(
            client,
            "cordon/events",
            {"events": batch, "flush": n == len(batches) - 1},
            world["duty"],
            code=200,
        )
        raised += answer["alerts"]
    dwell = [a for a in raised if a["kind"] == "dwell"]
    assert dwell and {a["plate"] for a in dwell} == {TRUCK.replace("-", "")}, raised  # the car: nothing
    assert len({a["alert_id"] for a in dwell}) == 1  # one alert, updated while the truck stays
    alert_id = dwell[0]["alert_id"]
    durations = [a["evidence"]["duration_min"] for a in dwell]
    assert durations == sorted(durations) and durations[0] >= 20 and durations[-1] >= 40
    stored = client.get(f"/api/v1/alerts/{alert_id}", headers=world["duty"].headers).json()
    assert stored["severity"] == "critical" and stored["kind"] == "cordon_dwell"
    assert f"for {durations[-1]} min" in stored["title"] and stored["resolved_at"] is None
    assert "20 min" not in stored["title"]

    # 2. The right people see it: the partner's liaison (nationals in the convoy), the movement named,
    #    its time in local time; a company that is not party to the trip does not.
    seen = client.get("/api/v1/alerts?status=open", headers=world["liaison"].headers).json()
    mine = [a for a in seen["items"] if a["id"] == alert_id]
    assert mine, "the partner's liaison does not see the dwell alert at the convoy's origin"
    assert trip["reference"] in str(mine[0]) and "+05:00" in str(mine[0])
    outsider = client.get("/api/v1/alerts?status=open", headers=world["other_coord"].headers).json()
    assert all(a["id"] != alert_id for a in outsider["items"])
    assert client.get(f"/api/v1/alerts/{alert_id}", headers=world["other_coord"].headers).status_code == 404

    # 3. The route clearance and the departure are refused with the open alert named.
    clearance = {"escort_unit_id": trip["unit"], "cleared_at": now.isoformat(), "segment": "origin-cordon"}
    refused = client.post(
        f"/api/v1/movements/{mid}/clearances", json=clearance, headers=world["duty"].headers
    )
    assert refused.status_code == 409 and str(alert_id) in refused.json()["detail"], refused.text
    held = client.post(f"/api/v1/movements/{mid}/depart", json={}, headers=world["duty"].headers)
    assert held.status_code == 409, held.text
    problem = held.json()
    assert problem["errors"][0]["rule"] == RULE
    assert [a["id"] for a in problem["errors"][0]["alerts"]] == [alert_id]
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()["status"] == "approved"
    )

    # 4. Only the host's duty officer overrides, with a reason; audited; the partner reads it.
    body = {"rule_id": RULE, "reason": REASON}
    for who in ("coord", "liaison", "other_coord"):
        answer = client.post(
            f"/api/v1/movements/{mid}/protocol-overrides", json=body, headers=world[who].headers
        )
        assert answer.status_code in (403, 404), (who, answer.text)
    override = _post(client, f"movements/{mid}/protocol-overrides", body, world["duty"])
    read = client.get(f"/api/v1/movements/{mid}/protocol-overrides", headers=world["liaison"].headers)
    assert read.status_code == 200 and [o["reason"] for o in read.json()] == [REASON]
    with db.transaction() as session:
        actions = set(session.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(mid))))
    assert any("override" in a for a in actions), actions

    # 5. The convoy leaves; the "attack" is reported from the road and is intelligence at once.
    _post(client, f"movements/{mid}/clearances", clearance, world["duty"])
    _post(client, f"movements/{mid}/depart", {}, world["duty"], 200)
    _post(client, f"movements/{mid}/incident", {"lat": 24.9071, "lon": 67.1623}, world["duty"], 200)
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()["status"] == "incident"
    )
    with db.transaction() as session:
        road = session.execute(
            select(IntelIncident.lat, IntelIncident.lon, IntelIncident.status)
            .join(IntelReport, IntelIncident.report_id == IntelReport.id)
            .where(IntelReport.source == "movement")
        ).all()
    assert len(road) == 1 and road[0].status == "confirmed"
    assert abs(road[0].lat - 24.9071) < 0.01 and abs(road[0].lon - 67.1623) < 0.01
    assert override["id"]

    # 6. The truck's whole history is evidence, and retention past its period keeps every sighting.
    history = client.get(f"/api/v1/cordon/sightings?plate={TRUCK}", headers=world["duty"].headers).json()
    assert len(history["items"]) == len(batches)
    assert all(item["evidence"] for item in history["items"]), history["items"]
    with db.transaction() as session:
        cordon_service.purge(session, now=now + timedelta(days=45), retention_days=30)
    after = client.get(f"/api/v1/cordon/sightings?plate={TRUCK}", headers=world["duty"].headers).json()
    assert len(after["items"]) == len(batches)
