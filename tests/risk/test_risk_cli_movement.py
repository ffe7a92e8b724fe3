"""`outrider risk movement` takes a movement's id or its reference (as the README says)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from outrider.cli import app

ROUTE = {"type": "LineString", "coordinates": [[72.88, 34.94], [73.05, 35.10], [73.29, 35.29]]}
runner = CliRunner()


def _planned(client: TestClient, world: Any) -> dict[str, Any]:
    h = world["coord"].headers
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=h).json()
    departure = datetime.now(UTC) + timedelta(hours=3)
    made = client.post(
        "/api/v1/movements",
        json={
            "reference": "KKH-NORTH-7",
            "origin": {"lat": 34.94, "lon": 72.88, "label": "Bisham"},
            "destination": {"lat": 35.29, "lon": 73.29, "label": "Dasu"},
            "route": ROUTE,
            "planned_departure": departure.isoformat(),
            "planned_arrival": (departure + timedelta(hours=3)).isoformat(),
            "person_ids": [person["id"]],
        },
        headers=h,
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_a_reference_names_the_same_movement_as_its_id(client: TestClient, world: Any) -> None:
    movement = _planned(client, world)
    assert movement["reference"] == "KKH-NORTH-7"
    by_id = runner.invoke(app, ["risk", "movement", str(movement["id"]), "--as", "coord", "--json"])
    assert by_id.exit_code == 0, by_id.output
    by_reference = runner.invoke(app, ["risk", "movement", "KKH-NORTH-7", "--as", "coord", "--json"])
    assert by_reference.exit_code == 0, by_reference.output
    assert json.loads(by_reference.stdout)["movement_id"] == movement["id"]
    assert json.loads(by_reference.stdout)["level"] == json.loads(by_id.stdout)["level"]
    human = runner.invoke(app, ["risk", "movement", "KKH-NORTH-7", "--as", "coord"])
    assert human.exit_code == 0 and "movement KKH-NORTH-7" in human.output


def test_an_unknown_or_hidden_reference_is_a_one_line_error(client: TestClient, world: Any) -> None:
    _planned(client, world)
    for reference, user in (("NO-SUCH-REF", "coord"), ("KKH-NORTH-7", "other_coord")):
        result = runner.invoke(app, ["risk", "movement", reference, "--as", user])
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "not found" in result.stderr
        assert "Traceback" not in result.output
    # what the movements commands answer for the same reference
    shown = runner.invoke(app, ["movements", "show", "NO-SUCH-REF", "--as", "coord"])
    assert shown.exit_code == 1
