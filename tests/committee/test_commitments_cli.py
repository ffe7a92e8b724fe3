"""`outrider commitments` end to end: record, move along the ladder, assess per party, add a document by its
hash, move the deadline, read the timeline; refusals are one line with exit code 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, ["commitments", *args])


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_commitment_through_the_command_line(world: Any, tmp_path: Path) -> None:
    c = js(
        "create", "--title", "Police training", "--kind", "training", "--promisor", "partner",
        "--beneficiary", "host", "--amount", "120", "--unit", "officers trained", "--stage", "pledged",
        "--deadline", "2027-06-30", "--as", "admin",
    )  # fmt: skip
    cid = str(c["id"])
    assert (c["stage"], c["countries"], c["unit"]) == ("pledged", ["CN", "PK"], "officers trained")
    back = run("stage", cid, "announced", "--date", "2026-11-02", "--title", "x", "--as", "liaison")
    assert back.exit_code == 1 and "needs a reason" in back.stderr
    moved = js("stage", cid, "agreed", "--date", "2026-11-02", "--title", "JWG minutes", "--as", "liaison")
    assert (moved["stage_from"], moved["stage_to"]) == ("pledged", "agreed")
    wrong = run("assess", cid, "--party", "host", "--score", "3", "--as", "embassy_admin")
    assert wrong.exit_code == 1 and "only the host party" in wrong.stderr
    js(
        "assess",
        cid,
        "--party",
        "partner",
        "--score",
        "2",
        "--note",
        "first course held",
        "--as",
        "embassy_admin",
    )
    js("assess", cid, "--party", "host", "--score", "1", "--as", "duty")
    doc = tmp_path / "course-plan.txt"
    doc.write_bytes(b"Course plan: 4 courses of 30 officers.")
    entry = js(
        "evidence", cid, "--kind", "document", "--date", "2026-11-03", "--title", "course plan",
        "--file", str(doc), "--as", "duty",
    )  # fmt: skip
    assert entry["sha256"] == hashlib.sha256(doc.read_bytes()).hexdigest()
    changed = js("change", cid, "--deadline", "2027-09-30", "--reason", "courses moved", "--as", "admin")
    assert changed["changes"] == {"deadline": ["2027-06-30", "2027-09-30"]}
    shown = js("show", cid, "--as", "auditor")
    side = shown["commitment"]["assessments"]
    assert (side["host"]["score"], side["partner"]["score"], side["disagree"]) == (1, 2, True)
    assert [e["type"] for e in shown["entries"]].count("evidence") == 4
    human = run("show", cid, "--as", "liaison")
    assert human.exit_code == 0 and "the parties disagree" in human.stdout
    assert [r["id"] for r in js("list", "--kind", "training", "--as", "analyst")] == [c["id"]]
    refused = run("list", "--as", "coord")
    assert refused.exit_code == 1 and "founding parties" in refused.stderr
    assert run("show", cid, "--as", "other_coord").exit_code == 1
    assert js("proposals", "--as", "admin") == []
