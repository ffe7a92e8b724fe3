"""Risk on the stored events: routes, sites, snapshots on movement plans, the alert when a level rises."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from typer.testing import CliRunner

from outrider import db
from outrider.alerts.models import Alert
from outrider.cli import app
from outrider.intel import queries as intel_queries
from outrider.jobs import run_jobs_once
from outrider.risk import stored
from outrider.risk.models import RiskSnapshot
from outrider.risk.movement_risk import warm_up
from risk_scenes import KKH, kkh_movement, reported

# Bisham to Dasu along the Karakoram Highway
FAR = {"type": "LineString", "coordinates": [[67.00, 24.80], [67.10, 24.85]]}


def _ingest(client: TestClient, world: Any, town: str, killed: str, tag: str, weapon: str = "A bomb") -> int:
    """A blast on the highway reported; its incident's id."""
    return reported(client, world, town, killed, tag, weapon)[0]


def test_route_score_follows_the_stored_events(client: TestClient, world: Any) -> None:
    h = world["coord"].headers
    empty = client.post("/api/v1/risk/route", json={"route": KKH}, headers=h).json()
    assert (empty["score"], empty["level"], empty["drivers"]) == (0.0, 1, [])
    incident = _ingest(client, world, "Dasu", "nine", "d1")
    got = client.post("/api/v1/risk/route", json={"route": KKH, "alternates": [FAR]}, headers=h).json()
    assert got["score"] > 0 and got["level"] >= 2 and got["incident_revision"] > empty["incident_revision"]
    assert got["drivers"][0]["segment"] == 1 and got["drivers"][0]["distance_m"] < 10_000
    assert got["lowest"] == 1 and got["alternates"][0]["score"] == 0.0
    # a rejected incident counts nowhere: the route is back to the empty score
    client.post(f"/api/v1/intel/incidents/{incident}/reject", json={}, headers=world["analyst"].headers)
    again = client.post("/api/v1/risk/route", json={"route": KKH}, headers=h).json()
    assert again["score"] == 0.0


def test_bad_geometry_and_naive_time_are_clear_errors(client: TestClient, world: Any) -> None:
    h = world["coord"].headers
    point = client.post(
        "/api/v1/risk/route", json={"route": {"type": "Point", "coordinates": [1, 2]}}, headers=h
    )
    assert point.status_code in (400, 422) and "LineString" in point.json()["detail"]
    off = {"type": "LineString", "coordinates": [[200, 1], [201, 2]]}
    bad = client.post("/api/v1/risk/route", json={"route": off}, headers=h)
    assert bad.status_code in (400, 422) and bad.headers["content-type"].startswith(
        "application/problem+json"
    )
    naive = client.post("/api/v1/risk/route", json={"route": KKH, "at": "2026-11-24T06:00:00"}, headers=h)
    assert naive.status_code in (400, 422) and "time zone" in naive.text
    surface = client.get("/api/v1/risk/surface?bbox=72.8,34.9,73.3,35.3&resolution=5", headers=h).json()
    assert surface["type"] == "FeatureCollection" and surface["features"]
    assert client.get("/api/v1/risk/backtest", headers=h).json() == {"years": []}


def _movement(client: TestClient, world: Any) -> int:
    """A company's movement along the highway with a person of no partner's country: the company alone."""
    return kkh_movement(client, world, nationality="DE")[0]


def test_snapshot_and_alert_when_the_level_rises(client: TestClient, world: Any) -> None:
    movement = _movement(client, world)
    run_jobs_once()
    with db.transaction() as session:
        first = session.scalars(select(RiskSnapshot).where(RiskSnapshot.movement_id == movement)).all()
        assert [(s.level, s.reason) for s in first] == [(1, "first")]
    run_jobs_once()  # nothing changed: no new snapshot
    _ingest(client, world, "Dasu", "twelve", "d2")
    _ingest(client, world, "Bisham", "seven", "b1", weapon="A suicide bomber")
    done = run_jobs_once()
    assert done["risk_alerts"] == 1
    with db.transaction() as session:
        snaps = session.scalars(
            select(RiskSnapshot).where(RiskSnapshot.movement_id == movement).order_by(RiskSnapshot.id)
        ).all()
        assert len(snaps) == 2 and snaps[1].level > snaps[0].level and snaps[1].reason == "incidents"
        assert snaps[1].parameters["corridor_m"] == 10_000.0
        alert = session.scalars(select(Alert).where(Alert.kind == "risk_rising")).one()
        assert alert.subject_id == str(movement) and "rose" in alert.title
    shown = client.get(f"/api/v1/risk/movements/{movement}", headers=world["coord"].headers).json()
    assert shown["current"] and shown["level"] == snaps[1].level and shown["drivers"]


def test_cli_route_site_and_errors(client: TestClient, world: Any, tmp_path: Path) -> None:
    _ingest(client, world, "Dasu", "three", "d3")
    route = tmp_path / "kkh.geojson"
    route.write_text(json.dumps({"type": "Feature", "geometry": KKH, "properties": {}}), encoding="utf-8")
    runner = CliRunner()
    got = runner.invoke(app, ["risk", "route", str(route), "--as", "duty", "--json"])
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["incident_count"] == 1
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    bad = runner.invoke(app, ["risk", "route", str(broken), "--as", "duty"])
    assert bad.exit_code == 1 and "not JSON" in bad.output and "Traceback" not in bad.output
    naive = runner.invoke(app, ["risk", "route", str(route), "--at", "2026-11-24T06:00", "--as", "duty"])
    assert naive.exit_code == 2 and "time zone" in naive.output


def test_the_cached_index_catches_up_with_changes_only(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = world["coord"].headers
    client.post("/api/v1/risk/route", json={"route": KKH}, headers=h)  # the index, built while empty
    first = _ingest(client, world, "Dasu", "four", "c1")
    _ingest(client, world, "Bisham", "two", "c2")
    loads: list[object] = []
    real = intel_queries.events_for_risk

    def spy(session: Any, *, min_confidence: float, ids: Any = None) -> Any:
        loads.append(None if ids is None else sorted(ids))
        return real(session, min_confidence=min_confidence, ids=ids)

    monkeypatch.setattr(intel_queries, "events_for_risk", spy)
    both = client.post("/api/v1/risk/route", json={"route": KKH}, headers=h).json()
    assert len(both["drivers"]) == 2 and loads and all(ids is not None and len(ids) <= 2 for ids in loads)
    client.post(f"/api/v1/intel/incidents/{first}/reject", json={}, headers=world["analyst"].headers)
    loads.clear()
    one = client.post("/api/v1/risk/route", json={"route": KKH}, headers=h).json()
    assert [d["distance_m"] < 10_000 for d in one["drivers"]] == [True] and one["score"] < both["score"]
    assert loads == [[]]  # the rejected event only left the index: nothing was read again


def test_the_warm_up_before_a_risk_tick_only_reads(client: TestClient, world: Any) -> None:
    # it loads the index and the kernels before the tick's transaction takes SQLite's write turn
    _movement(client, world)
    _ingest(client, world, "Dasu", "twelve", "w1")
    stored.forget_cache()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with db.optimistic_sqlite(), db.transaction() as session:
            warm_up(session, now=datetime.now(UTC))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and set(statements) <= {"SELECT", "BEGIN", "SAVEPOINT", "RELEASE"}
    with db.transaction() as session:
        index, _ = stored.current_index(session, stored.parameters())
    assert len(index) >= 1  # built by the warm-up, kept for the tick
