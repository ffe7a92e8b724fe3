"""The facts that state the lessons, read from the stores: open alerts on the movement's places (kind,
severity, place, age, acknowledged), the sweep of the origin's cordon and by whom, the itinerary's release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from test_gate_alerts import approved_from_the_airport, dwell

from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.movements.models import Movement
from outrider.protocols.movement_facts import movement_facts


def _facts(mid: int, now: datetime | None = None) -> Any:
    with db.transaction() as session:
        movement = session.get(Movement, mid)
        assert movement is not None
        return movement_facts(session, movement, risk_level=2, risk_score=1.0, now=now or datetime.now(UTC))


def _about_movement(mid: int, kind: str, severity: Severity) -> int:
    with db.transaction() as session:
        movement = session.get(Movement, mid)
        assert movement is not None
        alert, _ = alerts_service.raise_about_movement(
            session,
            movement,
            kind=kind,
            severity=severity,
            title=f"{movement.reference}: {kind}",
            details={"movement_id": mid},
            now=datetime.now(UTC) - timedelta(minutes=2),
        )
        return alert.id


def test_open_alerts_on_the_movement_places(client: TestClient, world: Any) -> None:
    m = approved_from_the_airport(client, world)
    mid = m["id"]
    assert _facts(mid).open_alerts == () and _facts(mid).open_critical_cordon_alerts_origin_or_route == 0
    at_origin = dwell(m["site"], m["reference"], "LEC-4410", minutes_ago=12)
    risk = _about_movement(mid, "risk_rise", Severity.high)
    intel = _about_movement(mid, "intel_incident_near", Severity.critical)
    _about_movement(mid, "protocol_breach", Severity.high)  # the protocols' own verdict is not a fact
    with db.transaction() as session:
        row = session.get(Alert, risk)
        assert row is not None
        row.acknowledged_at = datetime.now(UTC)
    facts = _facts(mid)
    seen = {a.id: (a.kind, a.severity, a.place, a.acknowledged) for a in facts.open_alerts}
    assert seen == {
        at_origin: ("cordon_dwell", "critical", "origin", False),
        risk: ("risk_rise", "high", "route", True),
        intel: ("intel_incident_near", "critical", "route", False),
    }
    assert 11.0 <= next(a.age_min for a in facts.open_alerts if a.id == at_origin) <= 13.0
    assert facts.open_critical_cordon_alerts_origin_or_route == 1 and facts.open_cordon_alerts == 1
    assert facts.open_critical_alerts == 2 and facts.open_unacknowledged_alerts == 2
    # An alert raised after the movement's window (or resolved) is not a fact of it.
    later = datetime.now(UTC) + timedelta(hours=3)
    assert at_origin in {a.id for a in _facts(mid, later).open_alerts}
    with db.transaction() as session:
        alerts_service.resolve(
            session,
            kind="cordon_dwell",
            subject_type="vehicle",
            subject_id="LEC-4410@7",
            now=datetime.now(UTC),
        )
    assert at_origin not in {a.id for a in _facts(mid).open_alerts}


def test_the_sweep_of_the_origin_cordon_and_the_itinerary_release(client: TestClient, world: Any) -> None:
    m = approved_from_the_airport(client, world)
    mid = m["id"]
    before = _facts(mid)
    assert before.origin_cordon_swept_hours_before_departure is None
    assert before.itinerary_release_hours_allowed == 24.0
    swept_at = datetime.now(UTC) - timedelta(minutes=20)
    body = {"escort_unit_id": m["unit"], "cleared_at": swept_at.isoformat(), "segment": "origin-cordon"}
    assert (
        client.post(
            f"/api/v1/movements/{mid}/clearances", json=body, headers=world["duty"].headers
        ).status_code
        == 201
    )
    gate = {"escort_unit_id": m["unit"], "cleared_at": swept_at.isoformat(), "segment": "gate road"}
    assert (
        client.post(
            f"/api/v1/movements/{mid}/clearances", json=gate, headers=world["duty"].headers
        ).status_code
        == 201
    )
    # The partner's liaison reads the itinerary (a CN national travels): one reader outside the planners.
    assert client.get(f"/api/v1/movements/{mid}", headers=world["liaison"].headers).status_code == 200
    facts = _facts(mid)
    with db.transaction() as session:
        movement = session.get(Movement, mid)
        assert movement is not None
        departure = movement.planned_departure
    expected = round((departure - swept_at).total_seconds() / 3600, 3)
    assert facts.origin_cordon_swept_hours_before_departure == expected
    assert {(c.segment, c.unit) for c in facts.route_clearances} == {
        ("origin-cordon", str(m["unit"])),
        ("gate road", str(m["unit"])),
    }
    assert facts.itinerary_readers_before_departure >= 1
    assert facts.itinerary_released_hours_before_departure is not None
    assert 0.0 < facts.itinerary_released_hours_before_departure < 1.0  # read 40 minutes before departure
    variables = facts.to_variables()
    assert variables["route_clearances"][0]["segment"] in ("origin-cordon", "gate road")
    assert isinstance(variables["open_alerts"], list)
    # The planners' own reads are not a release: the count stays.
    assert client.get(f"/api/v1/movements/{mid}", headers=world["coord"].headers).status_code == 200
    assert _facts(mid).itinerary_readers_before_departure == facts.itinerary_readers_before_departure
    # Reads through the board (one audit record naming every movement shown) count the same way: the
    # planner's board is no release, the liaison is still one reader, the host's duty officer a new one.
    assert client.get("/api/v1/movements", headers=world["coord"].headers).status_code == 200
    assert _facts(mid).itinerary_readers_before_departure == facts.itinerary_readers_before_departure
    assert client.get("/api/v1/movements", headers=world["liaison"].headers).status_code == 200
    assert _facts(mid).itinerary_readers_before_departure == facts.itinerary_readers_before_departure
    assert client.get("/api/v1/movements", headers=world["duty"].headers).status_code == 200
    board_reader = _facts(mid).itinerary_readers_before_departure
    assert board_reader in (
        facts.itinerary_readers_before_departure,
        facts.itinerary_readers_before_departure + 1,
    )
