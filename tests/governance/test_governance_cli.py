"""`outrider governance` on the demo: found once, propose, approve, reject; the arrangement only by both."""

from __future__ import annotations

import json
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


def test_founding_is_an_operator_act_allowed_once(engine: Engine) -> None:
    assert js("governance", "show")["founded"] is False
    run("orgs", "create", "Host", "--kind", "host_security", "--country", "PK")
    run("orgs", "create", "Embassy", "--kind", "partner_government", "--country", "CN")
    run("orgs", "create", "Builder", "--kind", "company", "--country", "CN")
    assert run("governance", "found", "--host", "Builder", "--partner", "Embassy").exit_code == 1
    founded = js("governance", "found", "--host", "Host", "--partner", "Embassy")
    assert founded["founded"] and founded["partner_country"] == "CN"
    again = run("governance", "found", "--host", "Host", "--partner", "Embassy")
    assert again.exit_code == 1 and "already been founded" in again.stderr
    # After the founding the operator registers partners and auditors only through proposals too.
    refused = run("orgs", "create", "Second", "--kind", "partner_government", "--country", "TR")
    assert refused.exit_code == 1 and "propos" in refused.stderr
    run("users", "create", "h_admin", "--org", "Host", "--role", "admin")
    assert run("users", "create", "aud", "--org", "Host", "--role", "auditor").exit_code == 1


def test_an_uninvolved_partner_cannot_set_the_arrangement_from_the_cli(
    engine: Engine, tmp_path: Path
) -> None:
    assert run("demo", "load").exit_code == 0
    assert js("governance", "show")["founded"] is True
    before = js("movements", "arrangement", "show")
    doc = tmp_path / "arr.json"
    doc.write_text(
        json.dumps({**before["document"], "escort_required": False, "itinerary_release_hours": 720})
    )
    # The CLI refuses a second partner government outside a proposal; a company admin cannot propose.
    assert run("orgs", "create", "Rogue", "--kind", "partner_government", "--country", "TR").exit_code == 1
    assert run("movements", "arrangement", "set", str(doc), "--as", "coordinator").exit_code == 1
    assert run("governance", "propose", "arrangement", str(doc), "--as", "liaison").exit_code == 1
    proposal = js("governance", "propose", "arrangement", str(doc), "--as", "envoy")
    assert js("movements", "arrangement", "show") == before
    assert js("governance", "approve", str(proposal["id"]), "--as", "envoy")["awaiting"] == ["host"]
    assert run("governance", "approve", str(proposal["id"]), "--as", "duty").exit_code == 1
    assert js("governance", "reject", str(proposal["id"]), "--as", "admin")["state"] == "rejected"
    assert js("movements", "arrangement", "show") == before
    listed = js("governance", "proposals", "--as", "auditor")
    assert [p["state"] for p in listed] == ["rejected"]
    # A partner proposed and approved by both becomes a partner that approves for its nationals.
    partner = js("governance", "propose", "partner", "Turkish Embassy", "--country", "TR", "--as", "admin")
    js("governance", "approve", str(partner["id"]), "--as", "admin")
    key = tmp_path / "envoy.pem"
    assert run("protocols", "keygen", "--out", str(key), "--as", "envoy").exit_code == 0
    enacted = js("governance", "approve", str(partner["id"]), "--key", str(key), "--as", "envoy")
    assert [d["signature_verified"] for d in enacted["decisions"]] == [None, True]
    assert (
        enacted["state"] == "enacted"
        and enacted["result"]["organization_id"] in js("governance", "show")["recognised_partner_ids"]
    )
