"""`outrider movements` on the demo corridor: board, plan, decide, escort, check in, worker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_board_has_past_current_planned_and_overdue(engine: Engine) -> None:
    assert run("demo", "load").exit_code == 0
    board = js("movements", "board", "--as", "duty")
    statuses = sorted(i["status"] for i in board["items"])
    assert statuses.count("arrived") == 3 and "overdue" in statuses and "under_way" in statuses
    assert "approved" in statuses and "submitted" in statuses
    overdue = js("movements", "board", "--status", "overdue", "--as", "duty")["items"]
    assert len(overdue) == 1
    shown = js("movements", "show", str(overdue[0]["id"]), "--timeline", "--as", "coordinator")
    assert "overdue" in [e["kind"] for e in shown["timeline"]]
    p = js("movements", "predictability", str(overdue[0]["id"]), "--as", "coordinator")
    assert p["same_route_uses"] >= 3  # the shuttle ran the same road on the three previous days
    waiting = js("movements", "board", "--status", "submitted", "--as", "liaison")["items"][0]
    approved = js("movements", "approve", str(waiting["id"]), "--as", "liaison")
    assert approved["status"] == "approved"


def test_plan_from_options_through_arrival(engine: Engine, tmp_path: Path) -> None:
    run("demo", "load")
    route = tmp_path / "route.geojson"
    route.write_text(
        json.dumps({"type": "LineString", "coordinates": [[72.93, 34.80], [73.05, 34.95], [73.29, 35.29]]})
    )
    persons = js("registry", "persons", "list", "--as", "coordinator", "--limit", "3")["items"]
    dep = datetime.now(UTC) + timedelta(hours=3)
    planned = js(
        "movements",
        "plan",
        "--from",
        "34.80,72.93",
        "--to",
        "35.29,73.29",
        "--route",
        str(route),
        "--depart",
        dep.isoformat(),
        "--arrive",
        (dep + timedelta(hours=2)).isoformat(),
        *[x for p in persons for x in ("--person", str(p["id"]))],
        "--reference",
        "TEST-1",
        "--as",
        "coordinator",
    )
    assert planned["reference"] == "TEST-1" and planned["status"] == "draft"
    js("movements", "submit", "TEST-1", "--as", "coordinator")
    js("movements", "approve", "TEST-1", "--as", "duty")
    if any("partner" in r for r in planned["required_approvals"]):
        js("movements", "approve", "TEST-1", "--as", "liaison")
    units = js("registry", "units", "list", "--as", "duty")["items"]
    js("movements", "assign-escort", "TEST-1", "--unit", str(units[0]["id"]), "--as", "duty")
    assert js("movements", "depart", "TEST-1", "--as", "duty")["status"] == "under_way"
    first = js(
        "movements", "checkin", "TEST-1", "--key", "c1", "--lat", "34.95", "--lon", "73.05", "--as", "duty"
    )
    again = js("movements", "checkin", "TEST-1", "--key", "c1", "--as", "duty")
    assert first["new"] is True and again["new"] is False and again["id"] == first["id"]
    assert js("movements", "arrive", "TEST-1", "--as", "duty")["status"] == "arrived"


def test_errors_are_one_line_with_meaningful_codes(engine: Engine, tmp_path: Path) -> None:
    run("demo", "load")
    missing = run("movements", "show", "NOPE-1", "--as", "duty")
    assert missing.exit_code == 1 and "not found" in missing.stderr and "Traceback" not in missing.output
    usage = run("movements", "plan", "--as", "coordinator")
    assert usage.exit_code == 2
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    assert run("movements", "plan", "--file", str(bad), "--as", "coordinator").exit_code == 1
    naive = run("movements", "checkin", "1", "--key", "k", "--at", "2026-11-23T06:00", "--as", "duty")
    assert naive.exit_code == 2 and "time zone" in naive.stderr


def test_worker_once_and_arrangement(engine: Engine, tmp_path: Path) -> None:
    run("demo", "load")
    done = js("worker", "--once")
    assert done["overdue_marked_or_escalated"] >= 0 and done["sightings_purged"] == 0
    shown = js("movements", "arrangement", "show")
    doc = tmp_path / "arr.json"
    doc.write_text(json.dumps({**shown["document"], "overdue_grace_minutes": 5}))
    assert run("movements", "arrangement", "set", str(doc), "--as", "coordinator").exit_code == 1
    proposed = js("movements", "arrangement", "set", str(doc), "--as", "admin")
    assert proposed["state"] == "open" and js("movements", "arrangement", "show")["version"] == 0
    js("governance", "approve", str(proposed["id"]), "--as", "admin")
    assert js("governance", "approve", str(proposed["id"]), "--as", "envoy")["state"] == "enacted"
    stored = js("movements", "arrangement", "show")
    assert stored["version"] == 1 and stored["document"]["overdue_grace_minutes"] == 5


def test_every_face_resolves_a_movement_the_same_way(engine: Engine) -> None:
    run("demo", "load")
    item = js("movements", "board", "--as", "duty")["items"][0]
    for command in (("movements", "show"), ("protocols", "evaluations")):
        by_ref = run(*command, item["reference"], "--as", "duty")
        assert by_ref.exit_code == 0, by_ref.output
        too_big = run(*command, "99999999999999999999", "--as", "duty")
        assert too_big.exit_code == 1 and "an id is a whole number" in too_big.stderr
        unknown = run(*command, "NOPE-1", "--as", "duty")
        assert unknown.exit_code == 1 and "movement NOPE-1 not found" in unknown.stderr


def test_grant_revoke_and_clearance_from_the_command_line(engine: Engine) -> None:
    run("demo", "load")
    item = next(
        i for i in js("movements", "board", "--as", "coordinator")["items"] if i["status"] == "approved"
    )
    ref = item["reference"]
    users = js("users", "list")
    duty2 = next(
        u["id"] for u in (users["items"] if isinstance(users, dict) else users) if u["username"] == "duty2"
    )
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    granted = js(
        "movements",
        "grant",
        ref,
        "--user",
        str(duty2),
        "--reason",
        "relief shift",
        "--until",
        until,
        "--as",
        "coordinator",
    )
    assert granted["user_id"] == duty2 and granted["revoked_at"] is None
    listed = js("movements", "need-to-know", ref, "--as", "coordinator")
    assert [g["id"] for g in listed["grants"]] == [granted["id"]]
    revoked = js("movements", "revoke", ref, str(granted["id"]), "--as", "coordinator")
    assert revoked["id"] == granted["id"] and revoked["revoked_at"] is not None
    naive = run(
        "movements",
        "grant",
        ref,
        "--user",
        str(duty2),
        "--reason",
        "r",
        "--until",
        "2030-01-01T00:00",
        "--as",
        "coordinator",
    )
    assert naive.exit_code == 2 and "--until: give a time zone" in naive.stderr
    unit = js("registry", "units", "list", "--as", "duty")["items"][0]["id"]
    cleared = js(
        "movements", "clearance", ref, "--unit", str(unit), "--segment", "the bridge", "--as", "duty"
    )
    assert cleared["escort_unit_id"] == unit and cleared["segment"] == "the bridge"
    assert run("movements", "clearance", ref, "--unit", str(unit), "--as", "coordinator").exit_code == 1


def test_a_plan_or_arrangement_file_not_json_is_one_line_error(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    for args in (("movements", "plan", "--file"), ("movements", "arrangement", "set")):
        result = run(*args, str(bad), "--as", "coordinator")
        assert result.exit_code == 1, result.output
        assert "broken.json: not valid JSON (" in result.output
