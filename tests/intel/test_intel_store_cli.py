"""`outrider intel ingest | incidents | events | incident | review | actors` on a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


REPORT = (
    "Blast hits convoy near Dasu\n\n"
    "A roadside bomb struck a vehicle carrying engineers near Dasu in Upper Kohistan on Tuesday, killing "
    "three people and wounding five, police said. No group claimed responsibility.\n"
)


def test_ingest_a_folder_review_and_list(engine: Engine, tmp_path: Path) -> None:
    assert run("demo", "load").exit_code == 0
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "dasu-1.txt").write_text(REPORT, encoding="utf-8")
    (folder / "sub" / "dasu-2.html").write_text(
        "<html><head><title>Dasu blast</title></head><body><article><p>"
        + REPORT.replace("\n", "</p><p>")
        + " The toll rose to four on Wednesday.</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    result = run("intel", "ingest", str(folder), "--published", "2024-03-27", "--as", "analyst", "--json")
    assert result.exit_code == 1, result.output  # one input failed
    outcomes = json.loads(result.stdout)
    assert sorted(o["status"] for o in outcomes) == ["error", "stored", "stored"]
    assert next(o for o in outcomes if o["status"] == "error")["error"] == "empty file"
    again = run("intel", "ingest", str(folder / "dasu-1.txt"), "--as", "analyst", "--published", "2024-03-27")
    assert again.exit_code == 0 and "1 already stored" in again.stdout
    # the demo holds invented reports of its own (one near Dasu, dated near the load day): look at 2024 only
    span = ("--from", "2024-01-01", "--to", "2024-12-31")
    incidents = js("intel", "incidents", "--city", "Dasu", *span, "--as", "duty")
    assert incidents["total"] == 2
    assert len({i["event_id"] for i in incidents["items"]}) == 1
    event = js("intel", "events", *span, "--as", "liaison")["items"][0]
    assert event["reports"] == 2 and event["weapon"] == "ied"
    one = js("intel", "incident", str(incidents["items"][0]["id"]), "--as", "duty")
    assert any("roadside bomb" in s["text"] for s in one["spans"])
    queue = js("intel", "review", "--as", "analyst", "--limit", "100")
    queue["items"] = [i for i in queue["items"] if str(i["date"]).startswith("2024")]
    assert len(queue["items"]) == 2
    confirmed = js("intel", "review", "confirm", str(queue["items"][0]["id"]), "--as", "analyst")
    assert confirmed["status"] == "confirmed"
    edited = js("intel", "review", "edit", str(queue["items"][1]["id"]), "killed=4", "--as", "analyst")
    assert edited["killed"] == 4 and edited["edits"] == {"killed": 4}
    refused = run("intel", "review", "confirm", str(queue["items"][1]["id"]), "--as", "coordinator")
    assert refused.exit_code == 1 and "only analysts" in refused.output
    bad = run("intel", "review", "edit", str(queue["items"][1]["id"]), "killed=many", "--as", "analyst")
    assert bad.exit_code == 1 and "killed" in bad.output and "Traceback" not in bad.output


def test_actors_add_edit_and_stdin(engine: Engine) -> None:
    assert run("demo", "load").exit_code == 0
    actors = js("intel", "actors", "--as", "analyst")
    assert any(a["name"] == "Balochistan Liberation Army" for a in actors)
    made = js("intel", "actors", "add", "Dasu Valley Front", "--alias", "DVF", "--as", "analyst")
    clash = run("intel", "actors", "add", "Another", "--alias", "BLA", "--as", "analyst")
    assert clash.exit_code == 1 and "already names" in clash.output
    js(
        "intel",
        "actors",
        "edit",
        str(made["id"]),
        "--alias",
        "DVF",
        "--alias",
        "Dasu Front",
        "--as",
        "analyst",
    )
    text = REPORT.replace("No group claimed responsibility.", "The DVF claimed responsibility.")
    result = run("intel", "ingest", "-", "--published", "2024-03-27", "--as", "analyst", "--json", stdin=text)
    assert result.exit_code == 0, result.output
    got = js("intel", "incidents", "--actor", "Dasu Front", "--as", "analyst")
    assert got["total"] == 1 and got["items"][0]["perpetrator"] == "Dasu Valley Front"
