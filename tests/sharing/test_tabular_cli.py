"""`outrider intel export --format gtd|acled|geojson|stix` on a database: what went in comes back out."""

from __future__ import annotations

import io
import json
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from test_tabular import INCIDENT, REGISTRY, UNPLACED
from typer.testing import CliRunner

from outrider.cli import app
from outrider.intel.dataset_rows import DatasetRecord
from outrider.intel.datasets import DatasetFile
from outrider.sharing import tabular

runner = CliRunner()
ROWS = [INCIDENT | {"killed_by_nationality": {}, "target_type": "business"}, UNPLACED]


def records(text: str) -> list[DatasetRecord]:
    rows = list(DatasetFile(io.StringIO(text)).rows(actors=REGISTRY))
    return [r for r in rows if isinstance(r, DatasetRecord)]


def comparable(r: DatasetRecord) -> tuple[Any, ...]:
    """What an import stores of a row (not its id, line or text)."""
    return astuple(replace(r, source_id="", line=0, text=""))


def test_export_formats_return_what_was_imported(engine: Engine, world: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(tabular.gtd_csv(ROWS), encoding="utf-8")
    imported = runner.invoke(app, ["intel", "import", str(source), "--as", "analyst"])
    assert imported.exit_code == 0, imported.output
    span = ["--from", "2026-09-01", "--to", "2026-10-31", "--as", "analyst"]

    gtd = runner.invoke(app, ["intel", "export", "--format", "gtd", *span])
    assert gtd.exit_code == 0, gtd.output
    assert gtd.stdout.splitlines()[0] == ",".join(tabular.GTD_COLUMNS)
    back = records(gtd.stdout)
    assert all(r.source_id.startswith("outrider-incident-") for r in back)
    assert sorted(map(comparable, back), key=str) == sorted(
        map(comparable, records(source.read_text())), key=str
    )

    acled = records(runner.invoke(app, ["intel", "export", "--format", "acled", *span]).stdout)
    assert sorted((r.date, r.country, r.city, r.killed) for r in acled) == sorted(
        (r.date, r.country, r.city, r.killed) for r in back
    )

    events = runner.invoke(app, ["intel", "export", "--format", "geojson", "--events", *span])
    assert events.exit_code == 0, events.output
    collection = json.loads(events.stdout)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    points = [f["geometry"] for f in collection["features"] if f["geometry"]]
    assert points == [{"type": "Point", "coordinates": [67.16, 24.9]}]
    assert {f["properties"]["kind"] for f in collection["features"]} == {"event"}

    stix = runner.invoke(app, ["intel", "export", "--format", "stix", *span])
    assert stix.exit_code == 2 and "needs --partner" in stix.stderr
    filtered = runner.invoke(
        app, ["intel", "export", "--format", "stix", "--partner", "x", "--country", "PK"]
    )
    assert filtered.exit_code == 2 and "filters do not apply" in filtered.stderr
    partner_csv = runner.invoke(app, ["intel", "export", "--format", "gtd", "--partner", "x"])
    assert partner_csv.exit_code == 2 and "only with --format stix" in partner_csv.stderr
    jsonl = runner.invoke(app, ["intel", "export", *span])
    assert jsonl.exit_code == 0 and len(jsonl.stdout.splitlines()) == 2
