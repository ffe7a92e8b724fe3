"""The forty minutes: a critical cordon alert open at the origin holds the route clearance and the
departure, naming the alert and who can clear it; the host's duty officer alone overrides, with a reason,
audited and shown to both parties; a new alert holds the convoy again; resolving it lets it go."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.protocols.models import ProtocolEvaluation, ProtocolOverride

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "protocols"))
from protocols_world import ROUTE, agree

RULE = "no-departure-critical-cordon-alert"
REASON = "Truck inspected by the gate team at 07:52; driver and load cleared, plate logged."


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any, code: int = 201) -> Any:
    resp = client.post(f"/api/v1/{path}", json=body, headers=who.headers)
    assert resp.status_code == code, resp.text
    return resp.json()


def approved_from_the_airport(client: TestClient, world: Any) -> dict[str, Any]:
    """An escorted movement of a CN engineer from the airport, approved by both parties."""
    airport = _post(
        client,
        "sites",
        {
            "name": "Airport",
            "kind": "airport",
            "lat": 24.9065,
            "lon": 67.1608,
            "inner_radius_m": 300,
            "outer_radius_m": 1500,
        },
        world["coord"],
    )
    person = _post(client, "persons", {"name": "Engineer", "nationality": "CN"}, world["coord"])
    car = _post(client, "vehicles", {"plate": "ACM-7", "kind": "armoured", "seats": 4}, world["coord"])
    escort_car = _post(client, "vehicles", {"plate": "SPU-7", "kind": "armoured", "seats": 6}, world["duty"])
    unit = _post(
        client,
        "escort-units",
        {"call_sign": "FALCON-7", "strength": 6, "vehicle_ids": [escort_car["id"]]},
        world["duty"],
    )
    dep = (datetime.now(UTC) + timedelta(minutes=40)).replace(microsecond=0)
    m = _post(
        client,
        "movements",
        {
            "origin": {"site_id": airport["id"]},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "vehicle_ids": [car["id"]],
            "checkin_interval_min": 20,
        },
        world["coord"],
    )
    mid = m["id"]
    _post(client, f"movements/{mid}/escort", {"unit_ids": [unit["id"]]}, world["duty"], 200)
    _post(client, f"movements/{mid}/submit", {}, world["coord"], 200)
    for who in ("duty", "liaison"):
        _post(client, f"movements/{mid}/approve", {}, world[who], 200)
    return {"id": mid, "reference": m["reference"], "site": airport["id"], "unit": unit["id"]}


def dwell(site: int, reference: str, plate: str, *, minutes_ago: int = 5) -> int:
    """A critical dwell alert at the site, as the cordon domain stores it."""
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="cordon_dwell",
            severity=Severity.critical,
            subject_type="vehicle",
            subject_id=f"{plate}@7",
            title=f"{plate} inside the outer cordon for 20 min without inspection",
            details={"place": f"site:{site}", "zone_id": 7, "evidence": {"movements": [reference]}},
            now=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
        return alert.id


def resolve(plate: str) -> None:
    with db.transaction() as session:
        alerts_service.resolve(
            session,
            kind="cordon_dwell",
            subject_type="vehicle",
            subject_id=f"{plate}@7",
            now=datetime.now(UTC),
        )


def _clearance(mid: int, unit: int) -> dict[str, Any]:
    at = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    return {"escort_unit_id": unit, "cleared_at": at, "segment": "origin-cordon"}


def test_an_open_critical_dwell_alert_holds_clearance_and_departure(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    mid = m["id"]
    alert = dwell(m["site"], m["reference"], "LEC-4410")

    refused = client.post(
        f"/api/v1/movements/{mid}/clearances", json=_clearance(mid, m["unit"]), headers=world["duty"].headers
    )
    assert refused.status_code == 409, refused.text
    assert f"alert {alert} (cordon_dwell, critical) at the origin" in refused.json()["detail"]
    assert "Host Protection Unit" in refused.json()["detail"]

    held = client.post(f"/api/v1/movements/{mid}/depart", json={}, headers=world["duty"].headers)
    assert held.status_code == 409 and held.headers["content-type"].startswith("application/problem+json")
    problem = held.json()
    assert "LEC-4410 inside the outer cordon" in problem["detail"] and RULE in problem["detail"]
    named = problem["errors"][0]
    assert named["rule"] == RULE and [a["id"] for a in named["alerts"]] == [alert]
    assert named["alerts"][0]["place"] == "origin" and "override" in named["who_can_clear"]
    state = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()
    assert state["status"] == "approved"

    # The refused departure is kept as evidence, marked refused on the timeline.
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=world["coord"].headers).json()
    checks = [e["details"] for e in timeline if e["kind"] == "protocol_checked"]
    assert checks[-1]["trigger"] == "depart" and checks[-1]["refused"] and checks[-1]["blocking"] == [RULE]
    with db.transaction() as session:
        rows = list(session.scalars(select(ProtocolEvaluation).where(ProtocolEvaluation.movement_id == mid)))
        depart_rows = [r for r in rows if r.trigger == "depart"]
        assert [(r.phase, r.blocking) for r in depart_rows] == [("departure", [RULE])]
        assert depart_rows[0].facts["open_critical_cordon_alerts_origin_or_route"] == 1


def test_who_may_override_and_what_an_override_covers(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    mid = m["id"]
    first = dwell(m["site"], m["reference"], "LEC-4410")
    path = f"/api/v1/movements/{mid}/protocol-overrides"
    body = {"rule_id": RULE, "reason": REASON}

    seen = client.get(f"/api/v1/movements/{mid}/departure-check", headers=world["coord"].headers).json()
    assert not seen["allowed"] and [b["rule_id"] for b in seen["blocking"]] == [RULE]
    assert seen["blocking"][0]["alerts"][0]["id"] == first and not seen["may_override"]
    assert client.get(f"/api/v1/movements/{mid}/departure-check", headers=world["duty"].headers).json()[
        "may_override"
    ]

    # Every role of every organisation but the host's duty officers and administrators is refused.
    for who in ("coord", "acme_admin", "liaison", "embassy_admin", "analyst", "auditor", "other_coord"):
        resp = client.post(path, json=body, headers=world[who].headers)
        assert resp.status_code in (403, 404), (who, resp.status_code, resp.text)
    assert client.post(path, json=body, headers=world["other_coord"].headers).status_code == 404
    assert (
        client.post(path, json={"rule_id": RULE, "reason": "ok"}, headers=world["duty"].headers).status_code
        == 422
    )
    not_ours = client.post(
        path, json={"rule_id": "escort-ratio", "reason": REASON}, headers=world["duty"].headers
    )
    assert not_ours.status_code == 422 and "joint waiver" in not_ours.json()["detail"]
    with db.transaction() as session:
        assert session.scalar(select(ProtocolOverride.id)) is None

    made = client.post(path, json=body, headers=world["duty"].headers)
    assert made.status_code == 201, made.text
    override = made.json()
    assert override["covers_alert_ids"] == [first] and override["valid_now"]
    assert override["organization"] == "Host Protection Unit" and override["reason"] == REASON
    # Both parties read it: the company that moves and the partner whose national travels.
    for who in ("coord", "liaison"):
        listed = client.get(path, headers=world[who].headers).json()
        assert [(o["rule_id"], o["reason"]) for o in listed] == [(RULE, REASON)]
    assert client.get(path, headers=world["other_coord"].headers).status_code == 404
    with db.transaction() as session:
        audited = session.scalars(select(AuditRecord).where(AuditRecord.action == "protocol.override")).all()
        assert [(a.details["rule"], a.details["reason"], a.details["alerts"]) for a in audited] == [
            (RULE, REASON, [first])
        ]

    # A second truck arrives after the override: it is not covered, the convoy is held again.
    second = dwell(m["site"], m["reference"], "KHI-0007", minutes_ago=1)
    held = client.post(f"/api/v1/movements/{mid}/depart", json={}, headers=world["duty"].headers)
    assert held.status_code == 409 and f"alert {second} " in held.json()["detail"]
    check = client.get(f"/api/v1/movements/{mid}/departure-check", headers=world["liaison"].headers).json()
    assert not check["allowed"] and check["overrides"][0]["uncovered_alert_ids"] == [second]

    # The duty officer resolves the second alert: the override covers what stays open, the convoy leaves.
    resolve("KHI-0007")
    cleared = client.post(
        f"/api/v1/movements/{mid}/clearances", json=_clearance(mid, m["unit"]), headers=world["duty"].headers
    )
    assert cleared.status_code == 201, cleared.text
    gone = client.post(f"/api/v1/movements/{mid}/depart", json={}, headers=world["duty"].headers)
    assert gone.status_code == 200, gone.text
    evaluations = client.get(
        f"/api/v1/movements/{mid}/protocol-evaluations", headers=world["liaison"].headers
    ).json()
    departed = next(e for e in evaluations if e["trigger"] == "depart")
    assert (
        departed["overridden"] == [RULE]
        and departed["blocking"] == [RULE]
        and departed["phase"] == "departure"
    )
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=world["liaison"].headers).json()
    assert [e["details"]["reason"] for e in timeline if e["kind"] == "protocol_overridden"] == [REASON]
    # No override is recorded once the convoy has left.
    late = client.post(path, json=body, headers=world["duty"].headers)
    assert late.status_code == 409


def test_resolving_the_alert_is_the_other_way_out(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    dwell(m["site"], m["reference"], "LEC-4410")
    assert (
        client.post(f"/api/v1/movements/{m['id']}/depart", json={}, headers=world["duty"].headers).status_code
        == 409
    )
    resolve("LEC-4410")
    # Nothing to override any more.
    nothing = client.post(
        f"/api/v1/movements/{m['id']}/protocol-overrides",
        json={"rule_id": RULE, "reason": REASON},
        headers=world["duty"].headers,
    )
    assert nothing.status_code == 409 and "nothing to override" in nothing.json()["detail"]
    assert (
        client.post(f"/api/v1/movements/{m['id']}/depart", json={}, headers=world["duty"].headers).status_code
        == 200
    )


def test_an_alert_elsewhere_or_not_critical_does_not_hold(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    with db.transaction() as session:
        now = datetime.now(UTC) - timedelta(minutes=3)
        alerts_service.raise_alert(
            session,
            kind="cordon_dwell",
            severity=Severity.critical,
            subject_type="vehicle",
            subject_id="FAR-1@9",
            title="FAR-1 at another site",
            details={"place": f"site:{m['site'] + 1000}", "zone_id": 9, "evidence": {"movements": []}},
            now=now,
        )
        alerts_service.raise_alert(
            session,
            kind="cordon_loiter",
            severity=Severity.warning,
            subject_type="vehicle",
            subject_id="NEAR-2@corridor",
            title="NEAR-2 loitering on the route",
            details={
                "place": f"movement:{m['id']}",
                "zone_id": None,
                "evidence": {"movements": [m["reference"]]},
            },
            now=now,
        )
    check = client.get(f"/api/v1/movements/{m['id']}/departure-check", headers=world["duty"].headers).json()
    assert check["allowed"] and "alerts-taken-before-departure" in check["warnings"]
    assert (
        client.post(f"/api/v1/movements/{m['id']}/depart", json={}, headers=world["duty"].headers).status_code
        == 200
    )
    with db.transaction() as session:
        row = session.scalars(
            select(ProtocolEvaluation).where(
                ProtocolEvaluation.movement_id == m["id"], ProtocolEvaluation.trigger == "depart"
            )
        ).one()
        assert [(a["kind"], a["place"], a["severity"]) for a in row.facts["open_alerts"]] == [
            ("cordon_loiter", "route", "warning")
        ]
        assert row.warnings == ["alerts-taken-before-departure", "origin-cordon-swept"]
