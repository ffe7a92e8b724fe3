"""`outrider cordon simulate` and `replay`: the planted scenario is found; bad lines are counted."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from outrider.cli import app
from outrider.cordon.simulate import demo_zones
from outrider.cordon.zones import zones_to_geojson

runner = CliRunner()


def test_simulated_traffic_yields_exactly_the_planted_alerts(tmp_path: Path) -> None:
    sim = tmp_path / "sim.jsonl"
    assert runner.invoke(app, ["cordon", "simulate", "--out", str(sim), "--seed", "11"]).exit_code == 0
    result = runner.invoke(app, ["cordon", "replay", str(sim), "--json"])
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    first = [a for a in alerts if not a["evidence"].get("update")]
    assert sorted((a["kind"], a["plate"]) for a in first) == [
        ("dwell", "HOSTILE1"),
        ("reconnaissance", "RECON01"),
    ]
    assert {a["plate"] for a in alerts} == {"HOSTILE1", "RECON01"}  # the hostile's alert stays live
    again = runner.invoke(app, ["cordon", "replay", str(sim), "--json"])
    assert again.stdout == result.stdout  # replaying the same input gives the same alerts


def test_zones_file_and_bad_lines(tmp_path: Path) -> None:
    zones = tmp_path / "zones.geojson"
    zones.write_text(json.dumps(zones_to_geojson(demo_zones())), encoding="utf-8")
    data = tmp_path / "in.csv"
    rows = ["plate,at,zone_id", "BAD", "X1,2026-11-23T05:00:00Z,site:gwadar-port:outer"]
    rows += [f"X1,2026-11-23T05:{m:02d}:00Z,site:gwadar-port:outer" for m in range(5, 30, 5)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["cordon", "replay", str(data), "--zones", str(zones), "--json"])
    assert result.exit_code == 0
    assert "line 2:" in result.stderr and "1 bad record(s)" in result.stderr
    alert, update = [json.loads(x) for x in result.stdout.splitlines()]
    assert alert["plate"] == "X1" and alert["zone_id"] == "site:gwadar-port:outer"
    assert update["evidence"]["duration_min"] == 25 and update["evidence"]["update"]
    broken = tmp_path / "z.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}')
    bad = runner.invoke(app, ["cordon", "replay", str(data), "--zones", str(broken)])
    assert bad.exit_code == 1 and "feature 0 is invalid" in bad.stderr


def test_a_start_that_is_no_time_is_a_usage_error(tmp_path: Path) -> None:
    """`simulate --start` is read like every other time option: a one-line answer and exit code 2 for a
    value that is not an ISO 8601 time (it used to end with exit code 1 and Python's own message) or has
    no zone; nothing is written."""
    out = tmp_path / "sim.jsonl"
    for value, said in (("yesterday", "not an ISO 8601 time"), ("2026-11-23T00:00:00", "time zone")):
        result = runner.invoke(app, ["cordon", "simulate", "--out", str(out), "--start", value])
        assert result.exit_code == 2 and said in result.stderr and "--start" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()
