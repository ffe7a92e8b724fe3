"""`outrider demo protocol`: the default protocol agreed on the demo corridor, and the gate at work there."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from outrider import db
from outrider.cli import app
from outrider.committee.commitment_models import Commitment, Evidence

runner = CliRunner()


def js(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_protocol_is_agreed_and_gates_the_waiting_movement(engine: Engine) -> None:
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    done = js("demo", "protocol")
    assert done["agreed"] and done["protocol_id"] == "default-protection" and done["evaluations"] >= 7
    assert done["failed"] >= 1  # the daily shuttle's route is predictable
    assert js("demo", "protocol", "--if-absent") == {"agreed": False}
    # the committee's security arrangement now rests on the protocol's compliance report (a reference to a
    # stored protocol: before it was agreed there was none to name)
    with db.transaction() as session:
        cited = session.execute(
            select(Commitment.kind, Evidence.ref)
            .join(Commitment, Commitment.id == Evidence.commitment_id)
            .where(Evidence.kind == "compliance_report")
        ).all()
    assert [tuple(c) for c in cited] == [("security_arrangement", "default-protection")]
    shown = js("protocols", "show", "default-protection", "--as", "auditor")
    assert shown["status"] == "effective" and [x["username"] for x in shown["signatures"]] == [
        "admin",
        "envoy",
    ]
    waiting = js("movements", "board", "--status", "submitted", "--as", "liaison")["items"][0]
    refused = runner.invoke(app, ["movements", "approve", str(waiting["id"]), "--as", "liaison"])
    assert refused.exit_code == 1 and "escort-ratio" in refused.stderr
    units = js("registry", "units", "list", "--as", "duty")["items"]
    js("movements", "assign-escort", str(waiting["id"]), "--unit", str(units[0]["id"]), "--as", "duty")
    assert js("movements", "approve", str(waiting["id"]), "--as", "liaison")["status"] == "approved"
    today = datetime.now(UTC).date().isoformat()
    report = js("protocols", "report", "--from", today, "--to", today, "--as", "auditor")
    # The approval stands as that movement's plan of record instead of the review; the refused approval
    # (kept as evidence after its rollback) is counted as a refusal, not as a failed check.
    assert report["evaluations"] == done["evaluations"] and report["checks_stored"] == done["evaluations"] + 2
    assert [(r["trigger"], r["rules"]) for r in report["refusals"]] == [("approve", ["escort-ratio"])]
    assert report["superseded"] == 1 and report["previews"] == 0
    assert "route-variation" in {v["rule_id"] for v in report["violations"]}
