"""Only the founding host-security organisation gives the host approval; recognised partners theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from outrider import db
from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import Role, TokenCreate, UserCreate

API = "/api/v1"
ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.27, 24.83], [67.35, 24.78]]}


def _ok(resp: Any, code: int = 201) -> dict[str, Any]:
    assert resp.status_code == code, resp.text
    out: dict[str, Any] = resp.json()
    return out


def _user(org_id: int, username: str, role: Role) -> dict[str, str]:
    with db.transaction() as session:
        user, _ = accounts_service.create_user(
            session, data=UserCreate(username=username, organization_id=org_id, roles=[role]), now=db.utcnow()
        )
        _, token = accounts_service.issue_token(session, user=user, data=TokenCreate(), now=db.utcnow())
    return {"Authorization": f"Bearer {token}"}


def _submitted(client: TestClient, world: Any, nationality: str) -> int:
    coord = world["coord"].headers
    a = _ok(
        client.post(
            API + "/sites",
            json={"name": "A", "kind": "airport", "lat": 24.9065, "lon": 67.1608},
            headers=coord,
        )
    )
    b = _ok(
        client.post(
            API + "/sites", json={"name": "B", "kind": "project", "lat": 24.78, "lon": 67.35}, headers=coord
        )
    )
    person = _ok(
        client.post(API + "/persons", json={"name": "Engineer", "nationality": nationality}, headers=coord)
    )
    car = _ok(
        client.post(API + "/vehicles", json={"plate": "ACM-9", "kind": "armoured", "seats": 4}, headers=coord)
    )
    dep = datetime.now(UTC) + timedelta(hours=3)
    plan = {
        "purpose": "shift change",
        "origin": {"site_id": a["id"]},
        "destination": {"site_id": b["id"]},
        "route": ROUTE,
        "planned_departure": dep.isoformat(),
        "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
        "person_ids": [person["id"]],
        "vehicle_ids": [car["id"]],
        "checkin_interval_min": 15,
    }
    movement = _ok(client.post(API + "/movements", json=plan, headers=coord))
    _ok(client.post(f"{API}/movements/{movement['id']}/submit", json={}, headers=coord), 200)
    return int(movement["id"])


def _decide(client: TestClient, mid: int, headers: dict[str, str]) -> Any:
    return client.post(f"{API}/movements/{mid}/approve", json={"comment": "ok"}, headers=headers)


def test_a_non_founding_host_force_cannot_give_the_host_approval(client: TestClient, world: Any) -> None:
    rival = _ok(
        client.post(
            API + "/organizations",
            json={"name": "Provincial Police", "kind": "host_security", "country": "PK"},
            headers=world["admin"].headers,
        )
    )
    rival_duty = _user(rival["id"], "rival_duty", Role.duty_officer)
    mid = _submitted(client, world, "PK")
    refused = _decide(client, mid, rival_duty)
    assert refused.status_code == 403 and "founding host-security" in refused.json()["detail"]
    state = client.get(f"{API}/movements/{mid}", headers=world["coord"].headers).json()
    assert state["status"] == "submitted" and state["approvals"] == []
    assert _decide(client, mid, world["duty"].headers).status_code == 200


def test_a_recognised_partner_approves_for_its_nationals_once_enacted(
    client: TestClient, world: Any, enact: Any
) -> None:
    org_id = enact("partner", {"name": "Turkish Embassy", "country": "TR"})["organization_id"]
    tr_liaison = _user(org_id, "tr_liaison", Role.liaison)
    mid = _submitted(client, world, "TR")
    movement = client.get(f"{API}/movements/{mid}", headers=world["coord"].headers).json()
    assert "partner_government (TR)" in movement["required_approvals"]
    assert _decide(client, mid, tr_liaison).status_code == 200
    assert _decide(client, mid, world["duty"].headers).status_code == 200
    assert client.get(f"{API}/movements/{mid}", headers=world["coord"].headers).json()["status"] == "approved"


def test_a_non_founding_host_force_cannot_assign_the_escort(client: TestClient, world: Any) -> None:
    rival = _ok(
        client.post(
            API + "/organizations",
            json={"name": "Rival Constabulary", "kind": "host_security", "country": "PK"},
            headers=world["admin"].headers,
        )
    )
    rival_duty = _user(rival["id"], "rival_escort_duty", Role.duty_officer)
    unit = _ok(
        client.post(API + "/escort-units", json={"call_sign": "RIVAL-1", "strength": 6}, headers=rival_duty)
    )
    mid = _submitted(client, world, "PK")
    refused = client.post(
        f"{API}/movements/{mid}/escort", json={"unit_ids": [unit["id"]]}, headers=rival_duty
    )
    assert refused.status_code == 403 and "founding host-security" in refused.json()["detail"]
    state = client.get(f"{API}/movements/{mid}", headers=world["coord"].headers).json()
    assert not state["escort_unit_ids"]
