"""`outrider movements field-pin`, `sos` and `mine`: JSON for scripts, one-line refusals."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from field_scenes import on_the_road
from outrider.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_pins_sos_and_my_movements_from_the_command_line(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)
    ref = client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()["reference"]
    assert "set_at" in js("movements", "field-pin", "--pin", "1234", "--duress-pin", "9876", "--as", "duty")
    prompted = run("movements", "field-pin", "--as", "coord", input="4321\n5678\n")
    assert prompted.exit_code == 0 and "field PINs set" in prompted.stdout and "4321" not in prompted.stdout
    same = run("movements", "field-pin", "--pin", "1234", "--duress-pin", "1234", "--as", "duty")
    assert same.exit_code == 1 and "must differ" in same.stderr and "Traceback" not in same.output
    first = js(
        "movements", "sos", ref, "--key", "radio-1", "--lat", "24.85", "--lon", "67.25", "--as", "duty"
    )
    assert first["new"] is True and first["alert_id"] is not None and first["lat"] == 24.85
    again = js("movements", "sos", ref, "--key", "radio-1", "--as", "duty")
    assert again["new"] is False and again["id"] == first["id"]
    hidden = run("movements", "sos", ref, "--key", "radio-2", "--as", "other_coord")
    assert hidden.exit_code == 1 and "not found" in hidden.stderr
    [mine] = js("movements", "mine", "--as", "coord")
    assert mine["role"] == "lead" and mine["status"] == "incident"
    assert "no movements" in run("movements", "mine", "--as", "analyst").stdout
