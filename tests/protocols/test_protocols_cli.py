"""`outrider protocols validate` and `default`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def test_the_default_protocol_validates(tmp_path: Path) -> None:
    text = runner.invoke(app, ["protocols", "default"]).stdout
    doc = tmp_path / "default.yaml"
    doc.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["protocols", "validate", str(doc), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["valid"] and body["rules"] >= 10 and len(body["hash"]) == 64


def test_problems_are_listed_with_rule_and_line(tmp_path: Path) -> None:
    text = runner.invoke(app, ["protocols", "default"]).stdout
    broken = text.replace("armoured_vehicles", "armored_vehicles", 1)
    doc = tmp_path / "broken.yaml"
    doc.write_text(broken, encoding="utf-8")
    result = runner.invoke(app, ["protocols", "validate", str(doc), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert problems and problems[0]["rule"] and problems[0]["line"]
    plain = runner.invoke(app, ["protocols", "validate", str(doc)])
    assert plain.exit_code == 1 and "broken.yaml: line" in plain.stderr and "Traceback" not in plain.output
