"""The command line: every group, JSON output, one-line errors and meaningful exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def test_help_lists_every_group() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for group in ("db", "serve", "demo", "orgs", "users", "registry", "alerts"):
        assert group in result.output


def test_unknown_command_is_usage_error() -> None:
    assert run("no-such-command").exit_code == 2


def test_demo_load_json_then_read_as_each_user(engine: Engine) -> None:
    result = run("demo", "load", "--json")
    assert result.exit_code == 0, result.output
    users = json.loads(result.stdout)["users"]
    assert {u["role"] for u in users} == {
        "admin",
        "coordinator",
        "duty_officer",
        "liaison",
        "analyst",
        "auditor",
    }
    assert all(set(u) >= {"username", "password", "role", "organization"} for u in users)
    again = run("demo", "load")
    assert again.exit_code == 1
    assert "not empty" in again.stderr
    assert "Traceback" not in again.output
    sites = json.loads(run("registry", "sites", "list", "--as", "duty", "--json").stdout)
    assert sites["total"] == 7  # host security sees every site
    coord_sites = json.loads(run("registry", "sites", "list", "--as", "coordinator", "--json").stdout)
    assert 0 < coord_sites["total"] < 7
    persons = json.loads(
        run("registry", "persons", "list", "--as", "liaison", "--json", "--limit", "100").stdout
    )
    assert persons["total"] > 0 and all(p["nationality"] == "CN" for p in persons["items"])
    # the demo's invented reports: stored, the two reports of the Dasu bomb linked to one event
    events = json.loads(run("intel", "events", "--as", "analyst", "--json").stdout)
    assert events["total"] == 6
    dasu = [e for e in events["items"] if e["city"] == "Dasu"]
    assert len(dasu) == 1 and dasu[0]["killed"] == 2
    risk = json.loads(
        run("risk", "site", str(_site_id("Dasu Hydropower Project")), "--as", "duty", "--json").stdout
    )
    assert risk["level"] >= 2 and risk["drivers"][0]["event_id"] == dasu[0]["id"]


def _site_id(name: str) -> int:
    sites = json.loads(run("registry", "sites", "list", "--as", "duty", "--json", "--q", name).stdout)
    return int(next(s["id"] for s in sites["items"] if s["name"] == name))


def test_orgs_users_and_tokens(engine: Engine) -> None:
    created = run("orgs", "create", "Test Co", "--kind", "company", "--country", "pk", "--json")
    assert created.exit_code == 0, created.output
    assert json.loads(created.stdout)["country"] == "PK"
    bad = run("orgs", "create", "Bad Co", "--kind", "company", "--country", "Pakistan")
    assert bad.exit_code == 1 and "country" in bad.stderr
    assert run("orgs", "create", "X", "--kind", "militia", "--country", "PK").exit_code == 2
    user = run("users", "create", "tess", "--org", "Test Co", "--role", "coordinator", "--json")
    assert user.exit_code == 0, user.output
    assert len(json.loads(user.stdout)["password"]) >= 16
    token = run("users", "token", "tess", "--hours", "1", "--json")
    assert json.loads(token.stdout)["token"].startswith("otr_")
    listed = json.loads(run("users", "list", "--json").stdout)
    assert [u["username"] for u in listed] == ["tess"]
    missing = run("users", "token", "nobody")
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1


def test_registry_crud_and_import(engine: Engine, tmp_path: Path) -> None:
    run("orgs", "create", "Acme", "--kind", "company", "--country", "CN")
    run("users", "create", "cora", "--org", "Acme", "--role", "coordinator")
    made = run(
        "registry",
        "sites",
        "create",
        "name=Camp A",
        "kind=camp",
        "lat=34.8",
        "lon=72.93",
        "--as",
        "cora",
        "--json",
    )
    assert made.exit_code == 0, made.output
    site_id = json.loads(made.stdout)["id"]
    upd = run("registry", "sites", "update", str(site_id), "outer_radius_m=900", "--as", "cora", "--json")
    assert json.loads(upd.stdout)["outer_radius_m"] == 900
    bad = run("registry", "sites", "create", "name=B", "kind=camp", "lat=134.8", "lon=72.93", "--as", "cora")
    assert bad.exit_code == 1 and "lat" in bad.stderr
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("name,nationality,role\nA One,CN,engineer\nB Two,XX1,engineer\n", encoding="utf-8")
    failed = run("registry", "persons", "import", str(csv_file), "--as", "cora")
    assert failed.exit_code == 1 and "people.csv line 3 field nationality" in failed.stderr
    csv_file.write_text("name,nationality,role\nA One,CN,engineer\nB Two,DE,engineer\n", encoding="utf-8")
    ok = run("registry", "persons", "import", str(csv_file), "--as", "cora", "--json")
    assert json.loads(ok.stdout)["created"] == 2
    assert run("registry", "sites", "show", "999", "--as", "cora").exit_code == 1
    assert run("registry", "sites", "delete", str(site_id), "--as", "cora").exit_code == 0
    no_user = run("registry", "sites", "list", env={"OUTRIDER_USER": ""})
    assert no_user.exit_code == 2


def test_alerts_commands(engine: Engine) -> None:
    from outrider import db
    from outrider.alerts import service
    from outrider.alerts.schemas import Severity

    run("demo", "load")
    with db.transaction() as session:
        alert, _ = service.raise_alert(
            session,
            kind="dwell",
            severity=Severity.high,
            subject_type="vehicle",
            subject_id="LEA-1",
            title="vehicle waiting",
            now=db.utcnow(),
        )
    listed = json.loads(run("alerts", "list", "--as", "duty", "--json").stdout)
    assert {a["kind"] for a in listed["items"]} == {"movement_overdue", "dwell"}  # the demo's overdue shuttle
    assert run("alerts", "list", "--as", "analyst").exit_code == 1
    acked = run("alerts", "ack", str(alert.id), "--note", "patrol sent", "--as", "duty", "--json")
    assert json.loads(acked.stdout)["acknowledge_note"] == "patrol sent"
    assert run("alerts", "ack", str(alert.id), "--as", "duty").exit_code == 1
    shown = json.loads(run("alerts", "show", str(alert.id), "--as", "auditor", "--json").stdout)
    assert shown["acknowledged_at"] is not None


def test_db_current_reports_head(engine: Engine) -> None:
    result = run("db", "current", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["up_to_date"] is True
