"""`outrider intel import`: GTD and ACLED files (invented rows, real layouts) into the store, then risk."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from outrider import db
from outrider.access.policy import Caller
from outrider.audit import lookup as audit_lookup
from outrider.cli import app
from outrider.errors import Forbidden
from outrider.intel import dataset_import, queries, review, service
from outrider.intel.dataset_rows import DatasetRecord
from outrider.intel.datasets import DatasetFile
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport

NOW = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)
runner = CliRunner()

GTD_COLUMNS = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "extended",
    "country",
    "country_txt",
    "region_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "summary",
    "doubtterr",
    "suicide",
    "attacktype1_txt",
    "targtype1_txt",
    "natlty1_txt",
    "gname",
    "claimed",
    "weaptype1_txt",
    "weapsubtype1_txt",
    "nkill",
    "nkillter",
    "nwound",
    "nwoundte",
]
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "notes",
    "fatalities",
    "timestamp",
]


def gtd_row(eventid: str, day: date, lat: float | str, lon: float | str, **more: Any) -> dict[str, Any]:
    row = {
        "eventid": eventid,
        "iyear": day.year,
        "imonth": day.month,
        "iday": day.day,
        "extended": 0,
        "country": 153,
        "country_txt": "Pakistan",
        "region_txt": "South Asia",
        "provstate": "Balochistan",
        "city": "Invented Town",
        "latitude": lat,
        "longitude": lon,
        "specificity": 1,
        "summary": f"Invented event {eventid}.",
        "doubtterr": 0,
        "suicide": 0,
        "attacktype1_txt": "Bombing/Explosion",
        "targtype1_txt": "Police",
        "natlty1_txt": "Pakistan",
        "gname": "Unknown",
        "claimed": 0,
        "weaptype1_txt": "Explosives",
        "weapsubtype1_txt": "Remote Trigger",
        "nkill": 3,
        "nkillter": 0,
        "nwound": 4,
        "nwoundte": 0,
    }
    row.update(more)
    return row


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def small_gtd(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "gtd.csv",
        GTD_COLUMNS,
        [
            gtd_row(
                "203001010001",
                date(2030, 1, 1),
                30.19,
                67.01,
                gname="Baloch Liberation Army (BLA)",
                claimed=1,
            ),
            gtd_row(
                "203002000001",
                date(2030, 2, 1),
                34.01,
                71.57,
                iday=0,
                provstate="Khyber Pakhtunkhwa",
                doubtterr=1,
            ),
            gtd_row("203003030001", date(2030, 3, 3), "", "", specificity=5, summary="Caf\u00e9 attack."),
        ],
        encoding="cp1252",
    )


def small_acled(tmp_path: Path) -> Path:
    base = {
        "event_id_cnty": "PAK990001",
        "event_date": "15 March 2031",
        "year": 2031,
        "time_precision": 1,
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "BLA: Balochistan Liberation Army",
        "inter1": "Rebel group",
        "actor2": "Police Forces of Pakistan (2018-)",
        "inter2": "State forces",
        "iso": 586,
        "country": "Pakistan",
        "admin1": "Balochistan",
        "admin2": "Kech",
        "location": "Turbat",
        "latitude": 26.0,
        "longitude": 63.05,
        "geo_precision": 1,
        "notes": "Invented: a roadside bomb hit a police van.",
        "fatalities": 2,
        "timestamp": 1900000000,
    }
    rows = [
        base,
        {
            **base,
            "event_id_cnty": "PAK990002",
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
        },
        {
            **base,
            "event_id_cnty": "PAK990003",
            "event_date": "2031-04-02",
            "fatalities": 0,
            "location": "Gwadar",
        },
        {**base, "event_id_cnty": "PAK990004", "event_date": "sometime"},
    ]
    return write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, rows)


def caller(world: Any, who: str = "analyst") -> Caller:
    from outrider.accounts.models import User
    from outrider.http import caller_of

    with db.transaction() as session:
        user = session.get(User, world[who].user_id)
        assert user is not None
        return caller_of(user)


def records(path: Path) -> tuple[str, list[DatasetRecord]]:
    with path.open("rb") as fh:
        data = DatasetFile(fh)
        return data.format, [r for r in data.rows() if isinstance(r, DatasetRecord)]


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ---------------------------------------------------------------- service


def test_import_stores_one_report_incident_and_event_per_row_and_is_idempotent(
    engine: Engine, world: Any, tmp_path: Path
) -> None:
    analyst = caller(world)
    fmt, gtd = records(small_gtd(tmp_path))
    with db.transaction() as session:
        result = dataset_import.import_dataset(session, caller=analyst, records=gtd, dataset=fmt, now=NOW)
    assert (result.imported, result.skipped, result.doubtful) == (3, 0, 1)
    with db.transaction() as session:
        reports = session.scalars(select(IntelReport).order_by(IntelReport.doc_id)).all()
        assert [r.doc_id for r in reports] == ["gtd:203001010001", "gtd:203002000001", "gtd:203003030001"]
        first = reports[0]
        assert (first.source, first.published, first.published_how, first.language, first.title) == (
            "gtd",
            date(2030, 1, 1),
            "dataset",
            "en",
            None,
        )
        assert first.content_hash == hashlib.sha256(b"gtd:203001010001").hexdigest()
        assert reports[2].clean_text == "Caf\u00e9 attack."  # read from Windows-1252
        incidents = {i.report_id: i for i in session.scalars(select(IntelIncident))}
        sure, doubtful = incidents[reports[0].id], incidents[reports[1].id]
        assert (sure.status, sure.evidence, sure.date_basis, sure.perpetrator) == (
            "confirmed",
            {},
            "dataset",
            "Balochistan Liberation Army",
        )
        assert (doubtful.status, doubtful.date_precision, doubtful.date) == (
            "proposed",
            "month",
            date(2030, 2, 1),
        )
        assert sure.extracted["killed"] == 3 and sure.reviewed_by == world["analyst"].user_id
        events = {e.id: e for e in session.scalars(select(IntelEvent))}
        assert len(events) == 3 and all(e.reports == 1 for e in events.values())
        assert (events[sure.event_id].status, events[sure.event_id].confidence) == ("confirmed", 1.0)
        assert (events[doubtful.event_id].status, events[doubtful.event_id].confidence) == ("proposed", 0.6)
        counted = queries.events_for_risk(session, min_confidence=0.5)
        assert sorted(e.id for e in counted) == sorted(
            [sure.event_id, doubtful.event_id]
        )  # the third has no place
        queue, total = queries.review_queue(session, caller=analyst, limit=10, offset=0)
        assert [i.id for i in queue] == [doubtful.id] and total == 1
        audit = audit_lookup.records_about(session, object_type="intel_dataset", object_id="gtd")
        assert [a.action for a in audit] == ["intel.dataset.imported"]
        revision = service.revision(session)
    # again: every row is already stored, nothing is written and the revision stays
    with db.transaction() as session:
        again = dataset_import.import_dataset(
            session, caller=analyst, records=gtd + gtd[:1], dataset=fmt, now=NOW
        )
        assert (again.imported, again.skipped) == (0, 4)
        assert session.scalar(select(func.count()).select_from(IntelReport)) == 3
        assert service.revision(session) == revision
    fmt, acled = records(small_acled(tmp_path))
    with db.transaction() as session:
        result = dataset_import.import_dataset(session, caller=analyst, records=acled, dataset=fmt, now=NOW)
        assert (result.imported, result.skipped) == (2, 0)
        assert service.revision(session) == revision + 1  # one bump per import
        with pytest.raises(Exception, match="a gtd record in a acled import"):
            dataset_import.import_dataset(session, caller=analyst, records=gtd, dataset="acled", now=NOW)
    # an analyst may still reject an imported event
    with db.transaction() as session:
        review.set_status(session, caller=analyst, incident_id=sure.id, status="rejected", reason="", now=NOW)
        event = session.get(IntelEvent, sure.event_id)
        assert event is not None and (event.status, event.confidence) == ("rejected", 0.0)


def test_only_reviewers_import(engine: Engine, world: Any, tmp_path: Path) -> None:
    fmt, gtd = records(small_gtd(tmp_path))
    with db.transaction() as session, pytest.raises(Forbidden):
        dataset_import.import_dataset(
            session, caller=caller(world, "duty"), records=gtd, dataset=fmt, now=NOW
        )
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(IntelReport)) == 0


# ---------------------------------------------------------------- CLI


def test_cli_import_summary_bad_rows_and_exit_codes(engine: Engine, world: Any, tmp_path: Path) -> None:
    rows = [
        gtd_row("1", date(2030, 1, 5), 30.19, 67.01),
        gtd_row("2", date(2030, 1, 6), 30.2, 67.0, iday=32),
        gtd_row("3", date(2030, 1, 7), 30.2, 67.0, nkill="several"),
        gtd_row("4", date(2030, 1, 8), 34.5, 69.2, country_txt="Afghanistan", provstate="Kabul"),
    ]
    path = write_csv(tmp_path / "mixed.csv", GTD_COLUMNS, rows)
    result = run("intel", "import", str(path), "--country", "pk", "--json", "--as", "analyst")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "file": "mixed.csv",
        "format": "gtd",
        "imported": 1,
        "skipped": 0,
        "doubtful": 0,
        "bad": 2,
        "filtered_out": 1,
        "filtered": {"another country": 1},
    }
    assert "mixed.csv:3: bad date: 2030-1-32" in result.stderr
    assert "mixed.csv:4: nkill: not a number: 'several'" in result.stderr
    again = run("intel", "import", str(path), "--format", "GTD", "--as", "analyst")
    assert again.exit_code == 0
    assert "1 imported, 1 already present (skipped), 2 bad, 0 filtered out" in again.stdout
    acled = run("intel", "import", str(small_acled(tmp_path)), "--as", "analyst")
    assert acled.exit_code == 0, acled.output
    summary = "2 imported, 0 already present (skipped), 1 bad, 1 filtered out (not an attack: Protests: 1)"
    assert summary in acled.stdout
    events = json.loads(run("intel", "events", "--country", "PK", "--json", "--as", "duty").stdout)
    assert events["total"] == 3  # one from GTD, two from ACLED
    assert "Balochistan Liberation Army" in {e["perpetrator"] for e in events["items"]}

    unknown = write_csv(tmp_path / "other.csv", ["id", "when", "where"], [{"id": 1}])
    refused = run("intel", "import", str(unknown), "--as", "analyst")
    assert refused.exit_code == 2 and "other.csv: not a GTD or ACLED export" in refused.stderr
    all_bad = write_csv(tmp_path / "bad.csv", GTD_COLUMNS, [gtd_row("9", date(2030, 2, 2), 99, 0)])
    assert run("intel", "import", str(all_bad), "--as", "analyst").exit_code == 1
    assert run("intel", "import", str(path), "--format", "ucdp", "--as", "analyst").exit_code == 2
    assert run("intel", "import", str(path), "--country", "PAK", "--as", "analyst").exit_code == 2
    forbidden = run("intel", "import", str(path), "--as", "duty")
    assert forbidden.exit_code == 1 and "only analysts" in forbidden.stderr
    missing = run("intel", "import", str(tmp_path / "absent.csv"), "--as", "analyst")
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_backtest_runs_on_an_imported_file(engine: Engine, world: Any, tmp_path: Path) -> None:
    """Attacks that return to two towns each year: the year's attack places score above random places."""
    rng = random.Random(7)
    hotspots = [("Balochistan", 30.19, 67.01), ("Khyber Pakhtunkhwa", 34.01, 71.57)]
    boxes = {"Balochistan": (26.0, 29.5, 62.5, 68.5), "Khyber Pakhtunkhwa": (31.5, 35.5, 70.0, 73.5)}
    rows = []
    for year in range(2026, 2031):
        for n in range(8):
            province, lat, lon = hotspots[n % 2]
            if n >= 6:  # two scattered attacks a year
                south, north, west, east = boxes[province]
                lat, lon = rng.uniform(south, north), rng.uniform(west, east)
            else:
                lat, lon = lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02)
            day = date(year, 1 + n, 10)
            rows.append(gtd_row(f"{year}{n:04d}", day, round(lat, 4), round(lon, 4), provstate=province))
    path = write_csv(tmp_path / "clustered.csv", GTD_COLUMNS, rows)
    assert run("intel", "import", str(path), "--as", "analyst").exit_code == 0
    result = run("risk", "backtest", "--controls", "10", "--json", "--as", "analyst")
    assert result.exit_code == 0, result.output
    years = json.loads(result.stdout)["years"]
    assert [y["year"] for y in years] == [2027, 2028, 2029, 2030]
    assert all(y["attacks"] == 8 and y["controls"] == 80 for y in years)
    assert all(y["auc"] > 0.7 for y in years), years
