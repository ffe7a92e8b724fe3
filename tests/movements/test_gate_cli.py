"""`outrider protocols override check|record|list` and a refused departure from the command line."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from test_gate_alerts import REASON, RULE, agree, approved_from_the_airport, dwell
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_duty_officer_sees_what_holds_the_convoy_and_overrides_it(client: TestClient, world: Any) -> None:
    agree(world)
    m = approved_from_the_airport(client, world)
    ref = m["reference"]
    alert = dwell(m["site"], ref, "LEC-4410")
    plain = run("protocols", "override", "check", ref, "--as", "liaison")
    assert plain.exit_code == 0 and f"HOLDS the departure: {RULE}" in plain.stdout
    assert f"alert {alert} (cordon_dwell, critical) at the origin" in " ".join(plain.stdout.split())
    held = run("movements", "depart", ref, "--as", "duty")
    assert held.exit_code == 1 and f"alert {alert}" in held.stderr and "Traceback" not in held.output
    assert (
        run("protocols", "override", "record", ref, RULE, "--reason", REASON, "--as", "coord").exit_code == 1
    )
    assert (
        run("protocols", "override", "record", ref, RULE, "--reason", REASON, "--as", "liaison").exit_code
        == 1
    )
    made = js("protocols", "override", "record", ref, RULE, "--reason", REASON, "--as", "duty")
    assert made["covers_alert_ids"] == [alert] and made["valid_now"]
    listed = run("protocols", "override", "list", ref, "--as", "coord")
    assert listed.exit_code == 0 and REASON in " ".join(listed.stdout.split())
    check = js("protocols", "override", "check", ref, "--as", "coord")
    assert check["allowed"] and check["overridden"] == [RULE]
    assert js("movements", "depart", ref, "--as", "duty")["status"] == "under_way"
