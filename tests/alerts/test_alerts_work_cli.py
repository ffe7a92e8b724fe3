"""`outrider alerts assign|note|notes|escalate|resolve|reopen|drill|drill-report`: JSON for scripts, one
line and exit code 1 for what the service refuses, 2 for what the command line lacks."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider import db
from outrider.alerts import service
from outrider.alerts.schemas import Severity
from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, ["alerts", *args])


def test_the_lifecycle_commands(engine: Engine, world: Any) -> None:
    with db.transaction() as session:
        alert, _ = service.raise_alert(
            session,
            kind="risk_rising",
            severity=Severity.high,
            subject_type="site",
            subject_id="dam",
            title="risk rising near the dam",
            organization_id=world.orgs["acme"],
            now=db.utcnow(),
        )
    a = str(alert.id)
    assigned = run("assign", a, "--user", "acme_admin", "--as", "coord", "--json")
    assert assigned.exit_code == 0, assigned.output
    assert json.loads(assigned.stdout)["assigned_to"] == world["acme_admin"].user_id
    refused = run("assign", a, "--user", "other_coord", "--as", "coord")
    assert (
        refused.exit_code == 1 and "may not read" in refused.stderr and len(refused.stderr.splitlines()) == 1
    )
    assert run("assign", a, "--user", "nobody", "--as", "coord").exit_code == 1
    noted = run("note", a, "--text", "patrol sent", "--as", "acme_admin", "--json")
    assert noted.exit_code == 0 and json.loads(noted.stdout)["kind"] == "progress"
    assert run("note", a, "--text", " ", "--as", "coord").exit_code == 2
    assert run("note", a, "--text", "x", "--as", "other_coord").exit_code == 1  # not theirs: not found
    assert run("acknowledge", a, "--as", "coord", "--json").exit_code == 0  # the long name of ack
    escalated = run("escalate", a, "--reason", "no answer", "--as", "coord", "--json")
    assert json.loads(escalated.stdout)["escalation_level"] == 1
    assert run("resolve", a, "--reason", "checked", "--as", "coord", "--json").exit_code == 0
    assert run("reopen", a, "--as", "coord").exit_code == 2  # no reason
    assert run("reopen", a, "--reason", "x", "--as", "auditor").exit_code == 1
    reopened = run("reopen", a, "--reason", "it came back", "--as", "coord", "--json")
    assert reopened.exit_code == 0 and json.loads(reopened.stdout)["resolved_at"] is None
    log = json.loads(run("notes", a, "--as", "auditor", "--json").stdout)
    assert [n["kind"] for n in log] == [
        "assigned",
        "progress",
        "acknowledged",
        "escalated",
        "resolved",
        "reopened",
    ]
    assert "reopened" in run("notes", a, "--as", "auditor").stdout


def test_the_drill_commands(engine: Engine, world: Any) -> None:
    assert run("drill", "--as", "duty").exit_code == 2  # whose chain?
    refused = run("drill", "--organization", "Acme Hydro", "--as", "duty")
    assert refused.exit_code == 1 and "drill" in refused.stderr
    started = run(
        "drill", "--organization", "Host Protection Unit", "--severity", "critical", "--as", "duty", "--json"
    )
    assert started.exit_code == 0, started.output
    drill = json.loads(started.stdout)
    assert (
        drill["kind"] == "drill" and drill["severity"] == "critical" and drill["details"]["exercise"] is True
    )
    d = str(drill["id"])
    assert run("ack", d, "--as", "admin").exit_code == 0
    report = json.loads(run("drill-report", d, "--as", "duty", "--json").stdout)
    assert report["acknowledged"] == ["admin"] and report["alert_id"] == drill["id"]
    same = json.loads(run("drill", "--report", d, "--as", "duty", "--json").stdout)
    assert same == report
    assert "never acknowledged" in run("drill-report", d, "--as", "duty").stdout
    assert run("drill-report", d, "--as", "liaison").exit_code == 1  # not the embassy's alert
