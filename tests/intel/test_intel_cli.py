import json
from pathlib import Path

from typer.testing import CliRunner

from outrider.intel.cli import app

REPORT = (
    "Gunmen storm hotel in Gwadar\n\nGWADAR, Jan 9, 2031 - Gunmen stormed a hotel in Gwadar on Thursday, "
    "killing two guards, police said.\n"
)


def test_extract_jsonl_and_per_file_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["extract", str(good), str(empty), "--jsonl"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 1
    assert rows[0]["doc_id"] == "good" and rows[0]["city"] == "Gwadar" and rows[0]["killed"] == 2
    assert rows[0]["date"] == "2031-01-09" and rows[0]["event_id"]


def test_documents_and_published_override(tmp_path: Path) -> None:
    path = tmp_path / "r1.txt"
    path.write_text(
        "Blast in Quetta market\n\nA bomb exploded in a Quetta market on Monday.", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["extract", str(path), "--documents", "--published", "2031-03-05"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout.splitlines()[0])
    assert doc["published"] == "2031-03-05" and doc["incidents"][0]["date"] == "2031-03-03"


def test_bad_published_option(tmp_path: Path) -> None:
    path = tmp_path / "r2.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert CliRunner().invoke(app, ["extract", str(path), "--published", "soon"]).exit_code == 1


def test_a_folder_gives_the_reports_inside_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(
        "<html><body><article><p>" + REPORT.replace("\n", "</p><p>") + "</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "notes.md").write_text("not a report", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["doc_id"] for r in rows) == ["a", "b"] and len({r["event_id"] for r in rows}) == 1
