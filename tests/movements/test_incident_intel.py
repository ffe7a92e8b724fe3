"""An incident reported on a movement becomes an intelligence incident at once, and counts for risk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from movement_scenes import under_way
from outrider.audit.models import AuditRecord
from outrider.cli import app
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.movements import incidents
from outrider.movements.schemas import ATTACK_TYPES
from outrider.risk.incident import ATTACK_TYPES as RISK_ATTACK_TYPES

SECRET_NOTE = "ambushed 3 km before the Plant gate on the 09:40 run"
# a route of a later movement that passes 300 m from where the incident is reported
LATER_ROUTE = {"type": "LineString", "coordinates": [[67.20, 24.8527], [67.30, 24.8527]]}


def _post(client: TestClient, who: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/{path}", json=body, headers=who.headers)


def _road_reports(engine: Engine) -> list[tuple[IntelReport, IntelIncident, IntelEvent]]:
    with Session(engine) as session:
        rows = session.execute(
            select(IntelReport, IntelIncident, IntelEvent)
            .join(IntelIncident, IntelIncident.report_id == IntelReport.id)
            .join(IntelEvent, IntelEvent.id == IntelIncident.event_id)
            .where(IntelReport.source == "movement")
            .order_by(IntelReport.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _risk(client: TestClient, world: Any, at: datetime | None = None) -> float:
    body: dict[str, Any] = {"route": LATER_ROUTE}
    if at is not None:
        body["at"] = at.isoformat()
    resp = _post(client, world["coord"], "risk/route", body)
    assert resp.status_code == 200, resp.text
    return float(resp.json()["score"])


def test_the_vocabularies_of_attack_types_agree() -> None:
    assert tuple(ATTACK_TYPES) == tuple(RISK_ATTACK_TYPES)


def test_a_reported_incident_is_intelligence_at_its_position_and_counts_for_risk(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    assert _risk(client, world) == 0.0
    resp = _post(
        client,
        world["duty"],
        f"movements/{mid}/incident",
        {"comment": SECRET_NOTE, "lat": 24.85, "lon": 67.25, "attack_type": "bombing"},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "incident"
    [(report, incident, event)] = _road_reports(engine)
    assert (incident.lat, incident.lon, event.lat, event.lon) == (24.85, 67.25, 24.85, 67.25)
    assert incident.status == event.status == "confirmed" and event.confidence == 1.0
    assert incident.attack_type == event.attack_type == "bombing"
    assert (event.country, event.admin1, event.city) == ("PK", "Sindh", None)
    assert report.movement_id == mid and report.published == event.date
    assert event.occurred_at is not None and abs(event.occurred_at - datetime.now(UTC)) < timedelta(minutes=5)
    # a later movement through that place scores higher, at once
    assert _risk(client, world) > 0.5


def _on_the_road(client: TestClient, world: Any, *, call_sign: str = "F-1") -> int:
    """The scene's movement, planned to leave in 37 minutes and gone now (its planned times differ from
    the report's)."""
    coord, duty = world["coord"].headers, world["duty"].headers
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=coord).json()
    unit = client.post(
        "/api/v1/escort-units", json={"call_sign": call_sign, "strength": 4}, headers=duty
    ).json()
    dep = datetime.now(UTC) + timedelta(minutes=37)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]},
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=2)).isoformat(),
            "person_ids": [person["id"]],
            "checkin_interval_min": 15,
        },
        headers=coord,
    ).json()
    for path, who, body in (
        ("submit", coord, {}),
        ("approve", duty, {}),
        ("escort", duty, {"unit_ids": [unit["id"]]}),
        ("depart", duty, {}),
    ):
        resp = client.post(f"/api/v1/movements/{m['id']}/{path}", json=body, headers=who)
        assert resp.status_code == 200, resp.text
    return int(m["id"])


def test_the_intelligence_record_holds_no_itinerary(client: TestClient, world: Any, engine: Engine) -> None:
    mid = _on_the_road(client, world)
    movement = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()
    _post(client, world["duty"], f"movements/{mid}/incident", {"comment": SECRET_NOTE})
    [(report, incident, event)] = _road_reports(engine)
    stored = json.dumps(
        [
            report.raw_text,
            report.title,
            report.doc_id,
            report.source,
            incident.location_text,
            incident.extracted,
            event.location_text,
        ]
    )
    for secret in (
        SECRET_NOTE,
        "Plant",
        "Airport",
        movement["reference"],
        movement["planned_departure"][:16],
        movement["planned_arrival"][:16],
        "67.35",  # the destination
    ):
        assert secret not in stored, secret
    # what every signed-in reader sees of the report
    seen = client.get(f"/api/v1/intel/reports/{report.id}", headers=world["analyst"].headers).json()
    assert seen["source"] == "movement" and SECRET_NOTE not in json.dumps(seen)


def test_without_a_position_the_latest_checkin_then_the_origin_places_it(
    client: TestClient, world: Any, engine: Engine
) -> None:
    first = under_way(client, world)
    _post(client, world["duty"], f"movements/{first}/incident", {})
    second = _on_the_road(client, world, call_sign="F-2")
    for key, (lat, lon) in (("a", (24.88, 67.2)), ("b", (24.84, 67.28))):
        resp = _post(
            client,
            world["duty"],
            f"movements/{second}/checkins",
            {"idempotency_key": key, "lat": lat, "lon": lon},
        )
        assert resp.status_code == 201, resp.text
    _post(client, world["duty"], f"movements/{second}/checkins", {"idempotency_key": "c"})  # no position
    _post(client, world["duty"], f"movements/{second}/incident", {"comment": "shots"})
    (_, at_origin, _), (_, at_checkin, _) = _road_reports(engine)
    assert (at_origin.lat, at_origin.lon) == (24.9065, 67.1608)  # the origin of the scene
    assert (at_checkin.lat, at_checkin.lon) == (24.84, 67.28)
    assert at_origin.attack_type == "unknown"


@pytest.mark.parametrize(
    "body",
    [
        {"lat": 24.85},
        {"lon": 67.25},
        {"lat": 91, "lon": 67.0},
        {"lat": 24.0, "lon": 67.0, "attack_type": "riot"},
    ],
)
def test_a_bad_position_or_attack_type_is_refused_and_changes_nothing(
    client: TestClient, world: Any, engine: Engine, body: dict[str, Any]
) -> None:
    mid = under_way(client, world)
    resp = _post(client, world["duty"], f"movements/{mid}/incident", body)
    assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()["status"] == "under_way"
    )
    assert _road_reports(engine) == []


def test_a_refused_report_writes_no_intelligence(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    for who in ("other_coord", "analyst", "liaison", "auditor"):
        resp = _post(client, world[who], f"movements/{mid}/incident", {"lat": 24.85, "lon": 67.25})
        assert resp.status_code in (403, 404), (who, resp.status_code)
    assert _road_reports(engine) == []


def test_it_is_audited_without_the_position(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    _post(client, world["duty"], f"movements/{mid}/incident", {"lat": 24.851234, "lon": 67.251234})
    [(report, incident, event)] = _road_reports(engine)
    with Session(engine) as session:
        record = session.scalar(
            select(AuditRecord).where(AuditRecord.action == "intel.incident.from_movement")
        )
    assert record is not None and record.user_id == world["duty"].user_id
    assert record.object_id == str(incident.id)
    assert record.details["report_id"] == report.id and record.details["event_id"] == event.id
    assert record.details["position_source"] == "report"
    assert "24.85" not in json.dumps(record.details) and "67.25" not in json.dumps(record.details)


def test_the_movement_link_shows_only_to_those_who_may_see_the_movement(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    _post(client, world["duty"], f"movements/{mid}/incident", {"lat": 24.85, "lon": 67.25})
    [(report, _, _)] = _road_reports(engine)
    reference = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()["reference"]
    shown = set()
    for who in world.actors:
        may_see = client.get(f"/api/v1/movements/{mid}", headers=world[who].headers).status_code == 200
        one = client.get(f"/api/v1/intel/reports/{report.id}", headers=world[who].headers)
        listed = client.get("/api/v1/intel/reports", headers=world[who].headers)
        assert one.status_code == listed.status_code == 200, who
        [item] = [r for r in listed.json()["items"] if r["id"] == report.id]
        expected = reference if may_see else None
        assert one.json()["movement_reference"] == item["movement_reference"] == expected, who
        if may_see:
            shown.add(who)
    assert "coord" in shown and "other_coord" not in shown


@pytest.fixture
def failing_listener() -> Iterator[None]:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("intelligence is down")

    incidents.register_listener("failing", fail)
    yield
    incidents._LISTENERS.pop("failing")


def test_a_failing_listener_leaves_the_report_and_its_alert_standing(
    client: TestClient, world: Any, engine: Engine, failing_listener: None
) -> None:
    mid = under_way(client, world)
    resp = _post(client, world["duty"], f"movements/{mid}/incident", {"lat": 24.85, "lon": 67.25})
    assert resp.status_code == 200 and resp.json()["status"] == "incident"
    alerts = client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"]
    assert any(a["kind"] == "movement_incident" for a in alerts)
    assert len(_road_reports(engine)) == 1  # the intelligence listener ran in its own savepoint
    with Session(engine) as session:
        failed = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "movement.incident_listener_failed")
        ).all()
    assert [r.details["listener"] for r in failed] == ["failing"]


def test_the_command_reports_with_a_position_and_attack_type(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    runner = CliRunner()
    bad = runner.invoke(app, ["movements", "incident", str(mid), "--lat", "24.85", "--as", "duty"])
    assert bad.exit_code == 1 and "lat and lon" in bad.output
    result = runner.invoke(
        app,
        [
            "movements",
            "incident",
            str(mid),
            "--lat",
            "24.86",
            "--lon",
            "67.24",
            "--attack-type",
            "armed_assault",
            "--comment",
            "shots",
            "--as",
            "duty",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "incident"
    [(_, incident, _)] = _road_reports(engine)
    assert (incident.lat, incident.lon, incident.attack_type) == (24.86, 67.24, "armed_assault")


def _browser(world: Any, who: str) -> dict[str, str]:
    from outrider.http import csrf_token
    from outrider.settings import get_settings

    token = world[who].token
    return {
        "Cookie": f"outrider_session={token}",
        "X-CSRF-Token": csrf_token(get_settings().secret_key, token),
    }


def test_the_web_form_reports_with_a_position(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    headers = _browser(world, "duty")
    page = client.get(f"/movements/{mid}", headers={"Cookie": headers["Cookie"]})
    assert (
        page.status_code == 200 and 'id="incident-lat"' in page.text and 'value="armed_assault"' in page.text
    )
    half = client.post(
        f"/movements/{mid}/incident", data={"lat": "24.85"}, headers=headers, follow_redirects=False
    )
    assert half.status_code == 422 and "lat and lon" in half.text
    assert _road_reports(engine) == []
    done = client.post(
        f"/movements/{mid}/incident",
        data={"comment": "blast", "lat": "24.85", "lon": "67.25", "attack_type": "bombing"},
        headers=headers,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    [(_, incident, _)] = _road_reports(engine)
    assert (incident.lat, incident.lon, incident.attack_type) == (24.85, 67.25, "bombing")


def test_a_later_movement_through_the_place_is_rescored_higher(client: TestClient, world: Any) -> None:
    from outrider import db
    from outrider.jobs import run_jobs_once
    from outrider.risk.models import RiskSnapshot

    person = client.post(
        "/api/v1/persons", json={"name": "L", "nationality": "DE"}, headers=world["coord"].headers
    )
    dep = datetime.now(UTC) + timedelta(hours=20)
    later = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.8527, "lon": 67.20, "label": "Camp"},
            "destination": {"lat": 24.8527, "lon": 67.30, "label": "Works"},
            "route": LATER_ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person.json()["id"]],
        },
        headers=world["coord"].headers,
    )
    assert later.status_code == 201, later.text
    run_jobs_once()
    mid = under_way(client, world)
    _post(
        client,
        world["duty"],
        f"movements/{mid}/incident",
        {"lat": 24.85, "lon": 67.25, "attack_type": "bombing"},
    )
    run_jobs_once()
    with db.transaction() as session:
        snaps = session.scalars(
            select(RiskSnapshot)
            .where(RiskSnapshot.movement_id == later.json()["id"])
            .order_by(RiskSnapshot.id)
        ).all()
        assert [s.reason for s in snaps] == ["first", "incidents"]
        assert snaps[0].score == 0.0 and snaps[1].score > 0.5


def test_the_intel_command_shows_the_movement_link_only_to_those_who_may_see_it(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    _post(client, world["duty"], f"movements/{mid}/incident", {"lat": 24.85, "lon": 67.25})
    [(_, incident, _)] = _road_reports(engine)
    reference = client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).json()["reference"]
    runner = CliRunner()
    for who, expected in (("coord", reference), ("duty", reference), ("other_coord", None)):
        result = runner.invoke(app, ["intel", "incident", str(incident.id), "--as", who, "--json"])
        assert result.exit_code == 0, result.output
        shown = json.loads(result.stdout)
        assert shown["report"]["source"] == "movement"
        assert shown["report"]["movement_reference"] == expected, who
