"""`outrider share`: propose and approve a release policy, mark intelligence, export a bundle to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import stix2
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_policy_agreed_on_the_command_line_then_an_export_to_a_file(world: World, tmp_path: Path) -> None:
    terms = tmp_path / "terms.json"
    terms.write_text(
        json.dumps({"max_marking": "TLP:GREEN", "object_types": ["actor"], "fields": {"actor": "*"}})
    )
    out = tmp_path / "bundle.json"
    refused = run("share", "export", "--partner", "Partner Embassy", "--out", str(out), "--as", "analyst")
    assert refused.exit_code == 1 and "no release policy agreed" in refused.stderr and not out.exists()
    bad = run("share", "policy", "propose", "--partner", "Partner Embassy", str(terms), "--as", "acme_admin")
    assert bad.exit_code == 1 and "founding parties" in bad.stderr
    made = js("share", "policy", "propose", "--partner", "Partner Embassy", str(terms), "--as", "admin")
    assert made["status"] == "proposed" and made["fields"] == {"actor": ["aliases", "kind", "name", "notes"]}
    for who in ("admin", "embassy_admin"):
        done = js("share", "policy", "approve", str(made["id"]), "--hash", made["payload_hash"], "--as", who)
    assert done["status"] == "agreed"
    assert [p["status"] for p in js("share", "policy", "list", "--as", "liaison")] == ["agreed"]
    assert js("share", "policy", "show", str(made["id"]), "--as", "auditor")["version"] == 1
    assert run("share", "policy", "show", str(made["id"]), "--as", "coord").exit_code == 1
    actor = json.loads(
        run("intel", "actors", "add", "Front A", "--kind", "group", "--as", "analyst", "--json").stdout
    )
    assert (
        js("share", "mark", "actor", str(actor["id"]), "TLP:CLEAR", "--reason", "public", "--as", "analyst")[
            "marking"
        ]
        == "TLP:CLEAR"
    )
    summary = js("share", "export", "--partner", "Partner Embassy", "--out", str(out), "--as", "analyst")
    assert summary["released"] == 1 and summary["version"] == 1
    bundle = json.loads(out.read_text(encoding="utf-8"))
    stix2.parse(bundle, allow_custom=True)
    assert [o["name"] for o in bundle["objects"] if o["type"] == "threat-actor"] == ["Front A"]
    assert js("share", "default", "TLP:GREEN", "--as", "admin")["marking"] == "TLP:GREEN"
    # `intel export --format stix` is the same release, to standard output; never without a partner's policy
    again = run("intel", "export", "--format", "stix", "--partner", "Partner Embassy", "--as", "analyst")
    assert again.exit_code == 0, again.output
    now_out = tmp_path / "now.json"
    js("share", "export", "--partner", "Partner Embassy", "--out", str(now_out), "--as", "analyst")
    released_now = json.loads(now_out.read_text(encoding="utf-8"))["objects"]
    assert [o["id"] for o in json.loads(again.stdout)["objects"]] == [o["id"] for o in released_now]
    outsider = run("intel", "export", "--format", "stix", "--partner", "Partner Embassy", "--as", "coord")
    assert outsider.exit_code == 1 and outsider.stdout == ""
