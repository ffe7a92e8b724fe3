"""Movements over HTTP on SQLite and PostgreSQL: plan, joint approval, escort, check-ins, overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from outrider import db
from outrider.movements import jobs

ROUTE = {
    "type": "LineString",
    "coordinates": [[67.1608, 24.9065], [67.20, 24.88], [67.27, 24.83], [67.35, 24.78]],
}


@dataclass
class Corridor:
    airport: int
    plant: int
    cn_person: int
    de_person: int
    other_person: int
    vehicle: int
    unit: int


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any, code: int = 201) -> dict[str, Any]:
    resp = client.post(f"/api/v1/{path}", json=body, headers=who.headers)
    assert resp.status_code == code, resp.text
    out: dict[str, Any] = resp.json()
    return out


@pytest.fixture
def corridor(client: TestClient, world: Any) -> Corridor:
    airport = _post(
        client,
        "sites",
        {"name": "Airport", "kind": "airport", "lat": 24.9065, "lon": 67.1608, "outer_radius_m": 1500},
        world["coord"],
    )
    plant = _post(
        client, "sites", {"name": "Plant", "kind": "project", "lat": 24.78, "lon": 67.35}, world["coord"]
    )
    cn = _post(client, "persons", {"name": "Engineer CN", "nationality": "CN"}, world["coord"])
    de = _post(client, "persons", {"name": "Engineer DE", "nationality": "DE"}, world["coord"])
    other = _post(client, "persons", {"name": "Someone Else", "nationality": "CN"}, world["other_coord"])
    vehicle = _post(client, "vehicles", {"plate": "ACM-1", "kind": "armoured", "seats": 5}, world["coord"])
    escort_vehicle = _post(
        client, "vehicles", {"plate": "SPU-1", "kind": "armoured", "seats": 6}, world["duty"]
    )
    unit = _post(
        client,
        "escort-units",
        {"call_sign": "FALCON-1", "strength": 10, "vehicle_ids": [escort_vehicle["id"]]},
        world["duty"],
    )
    return Corridor(airport["id"], plant["id"], cn["id"], de["id"], other["id"], vehicle["id"], unit["id"])


def _plan_body(c: Corridor, persons: list[int], start: datetime | None = None) -> dict[str, Any]:
    dep = start or datetime.now(UTC) + timedelta(hours=2)
    return {
        "purpose": "shift change",
        "origin": {"site_id": c.airport},
        "destination": {"site_id": c.plant},
        "route": ROUTE,
        "planned_departure": dep.isoformat(),
        "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
        "person_ids": persons,
        "vehicle_ids": [c.vehicle],
        "checkin_interval_min": 15,
    }


def _approved(
    client: TestClient, world: Any, c: Corridor, persons: list[int] | None = None
) -> dict[str, Any]:
    m = _post(client, "movements", _plan_body(c, persons or [c.cn_person]), world["coord"])
    _post(client, f"movements/{m['id']}/submit", {}, world["coord"], 200)
    _post(client, f"movements/{m['id']}/approve", {"comment": "ok"}, world["duty"], 200)
    if "partner_government (CN)" in m["required_approvals"]:
        _post(client, f"movements/{m['id']}/approve", {}, world["liaison"], 200)
    return _post(client, f"movements/{m['id']}/escort", {"unit_ids": [c.unit]}, world["duty"], 200)


def test_joint_approval_escort_checkins_and_arrival(
    client: TestClient, world: Any, corridor: Corridor
) -> None:
    m = _post(
        client, "movements", _plan_body(corridor, [corridor.cn_person, corridor.de_person]), world["coord"]
    )
    assert m["status"] == "draft" and m["timezone"] == "Asia/Karachi"
    assert sorted(m["required_approvals"]) == ["host_security", "partner_government (CN)"]
    assert 22_000 < m["route_length_m"] < 26_000
    mid = m["id"]
    _post(client, f"movements/{mid}/submit", {}, world["coord"], 200)
    # the requesting company cannot approve, the liaison approves for its nationals only
    _post(client, f"movements/{mid}/approve", {}, world["coord"], 409)
    after_host = _post(client, f"movements/{mid}/approve", {"comment": "escort FALCON"}, world["duty"], 200)
    assert after_host["status"] == "submitted"
    approved = _post(client, f"movements/{mid}/approve", {}, world["liaison"], 200)
    assert approved["status"] == "approved"
    # departure waits for the escort, which only host security assigns
    _post(client, f"movements/{mid}/depart", {}, world["duty"], 409)
    _post(client, f"movements/{mid}/escort", {"unit_ids": [corridor.unit]}, world["liaison"], 403)
    _post(client, f"movements/{mid}/escort", {"unit_ids": [corridor.unit]}, world["duty"], 200)
    on_road = _post(client, f"movements/{mid}/depart", {}, world["duty"], 200)
    assert on_road["status"] == "under_way" and on_road["next_checkin_due"] is not None
    first = _post(
        client,
        f"movements/{mid}/checkins",
        {"idempotency_key": "k1", "lat": 24.88, "lon": 67.20},
        world["duty"],
    )
    again = client.post(
        f"/api/v1/movements/{mid}/checkins", json={"idempotency_key": "k1"}, headers=world["duty"].headers
    )
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert first["off_route_m"] < 50
    done = _post(
        client, f"movements/{mid}/checkins", {"idempotency_key": "k2", "status": "arrived"}, world["duty"]
    )
    assert done["status"] == "arrived"
    final = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()
    assert final["status"] == "arrived" and final["arrived_at"] is not None
    kinds = [
        e["kind"]
        for e in client.get(f"/api/v1/movements/{mid}/timeline", headers=world["coord"].headers).json()
    ]
    for expected in (
        "planned",
        "submitted",
        "approve",
        "escort_assigned",
        "departed",
        "checkin_ok",
        "arrived",
    ):
        assert expected in kinds


def test_amending_an_approved_plan_needs_reapproval(
    client: TestClient, world: Any, corridor: Corridor
) -> None:
    m = _approved(client, world, corridor)
    amended = client.patch(
        f"/api/v1/movements/{m['id']}", json={"notes": "new driver"}, headers=world["coord"].headers
    )
    assert amended.status_code == 200
    assert amended.json()["status"] == "submitted" and amended.json()["plan_version"] == 2
    _post(client, f"movements/{m['id']}/depart", {}, world["duty"], 409)


def test_visibility_of_movements(client: TestClient, world: Any, corridor: Corridor) -> None:
    cn = _post(client, "movements", _plan_body(corridor, [corridor.cn_person]), world["coord"])
    de = _post(client, "movements", _plan_body(corridor, [corridor.de_person]), world["coord"])

    def ids(who: str) -> set[int]:
        return {i["id"] for i in client.get("/api/v1/movements", headers=world[who].headers).json()["items"]}

    assert ids("coord") == {cn["id"], de["id"]}
    assert ids("duty") == {cn["id"], de["id"]}
    assert ids("liaison") == {cn["id"]}  # only the movement carrying its nationals
    assert ids("other_coord") == set()
    assert client.get(f"/api/v1/movements/{de['id']}", headers=world["liaison"].headers).status_code == 404
    assert "partner_government (CN)" not in de["required_approvals"]


def test_bad_plans_are_refused_and_nothing_is_written(
    client: TestClient, world: Any, corridor: Corridor
) -> None:
    good = _plan_body(corridor, [corridor.cn_person])
    bad_cases = [
        {**good, "route": {"type": "LineString", "coordinates": [[67.1, 24.9]]}},
        {**good, "route": {"type": "LineString", "coordinates": [[67.1, 24.9], [67.2, 95]]}},
        {**good, "planned_arrival": good["planned_departure"]},
        {**good, "planned_departure": "2026-11-23T06:30:00"},  # no zone
        {**good, "person_ids": [corridor.other_person]},  # another organisation's person
        {**good, "person_ids": []},
        {**good, "origin": {"site_id": 999_999}},
    ]
    for body in bad_cases:
        resp = client.post("/api/v1/movements", json=body, headers=world["coord"].headers)
        assert resp.status_code == 422, body
        assert resp.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/movements", headers=world["coord"].headers).json()["total"] == 0


def test_checkin_only_on_the_road_and_duress_is_critical(
    client: TestClient, world: Any, corridor: Corridor
) -> None:
    m = _approved(client, world, corridor)
    _post(client, f"movements/{m['id']}/checkins", {"idempotency_key": "x"}, world["duty"], 409)
    _post(client, f"movements/{m['id']}/depart", {}, world["duty"], 200)
    far = _post(
        client,
        f"movements/{m['id']}/checkins",
        {"idempotency_key": "far", "lat": 25.2, "lon": 67.2},
        world["duty"],
    )
    assert far["off_route_m"] > 3000
    _post(
        client,
        f"movements/{m['id']}/checkins",
        {"idempotency_key": "help", "status": "duress"},
        world["duty"],
    )
    alerts = client.get("/api/v1/alerts", headers=world["admin"].headers).json()["items"]
    by_kind = {a["kind"]: a for a in alerts}
    assert by_kind["movement_duress"]["severity"] == "critical"
    assert by_kind["movement_off_route"]["severity"] == "high"
    # the duress alert is never shown to whoever signalled it; the rest is theirs as before
    mine = client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"]
    assert [a["kind"] for a in mine] == ["movement_off_route"]
    assert (
        client.get(f"/api/v1/movements/{m['id']}", headers=world["duty"].headers).json()["status"]
        == "incident"
    )


def test_late_checkins_are_placed_in_time_order(client: TestClient, world: Any, corridor: Corridor) -> None:
    m = _approved(client, world, corridor)
    _post(client, f"movements/{m['id']}/depart", {}, world["duty"], 200)
    # device clocks run a little ahead; the second report arrives first
    later = datetime.now(UTC) + timedelta(seconds=120)
    earlier = later - timedelta(seconds=60)
    _post(
        client,
        f"movements/{m['id']}/checkins",
        {"idempotency_key": "b", "at": later.isoformat()},
        world["duty"],
    )
    _post(
        client,
        f"movements/{m['id']}/checkins",
        {"idempotency_key": "a", "at": earlier.isoformat()},
        world["duty"],
    )
    listed = client.get(f"/api/v1/movements/{m['id']}/checkins", headers=world["duty"].headers).json()
    assert [c["idempotency_key"] for c in listed] == ["a", "b"]
    shown = client.get(f"/api/v1/movements/{m['id']}", headers=world["duty"].headers).json()
    assert datetime.fromisoformat(shown["last_checkin_at"]) == later
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    _post(client, f"movements/{m['id']}/checkins", {"idempotency_key": "c", "at": future}, world["duty"], 422)


def test_overdue_job_marks_escalates_and_clears(client: TestClient, world: Any, corridor: Corridor) -> None:
    m = _approved(client, world, corridor)
    _post(client, f"movements/{m['id']}/depart", {}, world["duty"], 200)
    t = datetime.now(UTC)
    with db.transaction() as session:
        assert jobs.overdue_tick(session, now=t + timedelta(minutes=20)) == []  # 15 min interval + 10 grace
    with db.transaction() as session:
        [f] = jobs.overdue_tick(session, now=t + timedelta(minutes=26))
        assert f.newly_overdue
    with db.transaction() as session:
        assert jobs.overdue_tick(session, now=t + timedelta(minutes=27)) == []  # no repeat
    with db.transaction() as session:
        [f2] = jobs.overdue_tick(session, now=t + timedelta(minutes=45))
        assert f2.level == 2
    shown = client.get(f"/api/v1/movements/{m['id']}", headers=world["duty"].headers).json()
    assert shown["status"] == "overdue" and shown["escalation_level"] == 2
    alert = next(
        a
        for a in client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"]
        if a["kind"] == "movement_overdue"
    )
    assert alert["severity"] == "critical" and alert["escalation_level"] == 2 and alert["occurrences"] == 2
    ack = client.post(
        f"/api/v1/alerts/{alert['id']}/acknowledge", json={"note": "calling"}, headers=world["duty"].headers
    )
    assert ack.status_code == 200
    with db.transaction() as session:
        assert (
            jobs.overdue_tick(session, now=t + timedelta(minutes=90)) == []
        )  # acknowledged: no more escalation
    _post(client, f"movements/{m['id']}/checkins", {"idempotency_key": "back"}, world["duty"])
    shown = client.get(f"/api/v1/movements/{m['id']}", headers=world["duty"].headers).json()
    assert shown["status"] == "under_way"
    resolved = client.get(f"/api/v1/alerts/{alert['id']}", headers=world["duty"].headers).json()
    assert resolved["resolved_at"] is not None


def test_predictability_counts_recent_same_route(client: TestClient, world: Any, corridor: Corridor) -> None:
    base = datetime.now(UTC) + timedelta(days=3)
    ids = []
    for days_ago in (1, 2, 3):
        m = _post(
            client,
            "movements",
            _plan_body(corridor, [corridor.de_person], base - timedelta(days=days_ago)),
            world["coord"],
        )
        _post(client, f"movements/{m['id']}/submit", {}, world["coord"], 200)
        ids.append(m["id"])
    current = _post(client, "movements", _plan_body(corridor, [corridor.de_person], base), world["coord"])
    p = client.get(f"/api/v1/movements/{current['id']}/predictability", headers=world["coord"].headers).json()
    assert p["trips_same_pair"] == 3 and p["same_route_uses"] == 3 and p["same_route_and_hour_uses"] == 3
    assert sorted(p["similar_movement_ids"]) == sorted(ids)


def test_route_file_parsing_endpoint(client: TestClient, world: Any) -> None:
    gpx = (
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte>'
        b'<rtept lat="24.9" lon="67.1"/><rtept lat="24.8" lon="67.3"/></rte></gpx>'
    )
    ok = client.post("/api/v1/routes/parse", files={"file": ("r.gpx", gpx)}, headers=world["coord"].headers)
    assert ok.status_code == 200 and ok.json()["type"] == "LineString"
    bad = client.post(
        "/api/v1/routes/parse", files={"file": ("r.gpx", b"<gpx>")}, headers=world["coord"].headers
    )
    assert bad.status_code == 422


def test_arrangement_versions(client: TestClient, world: Any) -> None:
    first = client.get("/api/v1/arrangement", headers=world["coord"].headers).json()
    assert first["version"] == 0
    doc = {**first["document"], "escort_required": False}
    assert client.put("/api/v1/arrangement", json=doc, headers=world["acme_admin"].headers).status_code == 403
    # A founding administrator's PUT proposes; the version in force changes when both parties approve.
    proposed = client.put("/api/v1/arrangement?comment=trial", json=doc, headers=world["admin"].headers)
    assert proposed.status_code == 202 and proposed.json()["state"] == "open"
    assert client.get("/api/v1/arrangement", headers=world["coord"].headers).json()["version"] == 0
    pid, digest = proposed.json()["id"], proposed.json()["payload_hash"]
    for who in ("admin", "embassy_admin"):
        r = client.post(
            f"/api/v1/governance/proposals/{pid}/approve",
            json={"payload_hash": digest},
            headers=world[who].headers,
        )
        assert r.status_code == 200, r.text
    stored = client.get("/api/v1/arrangement", headers=world["coord"].headers)
    assert stored.json()["version"] == 1 and stored.json()["document"]["escort_required"] is False
    bad = client.put(
        "/api/v1/arrangement", json={**doc, "escort_assigners": ["company"]}, headers=world["admin"].headers
    )
    assert bad.status_code == 422
