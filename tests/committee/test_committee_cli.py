"""`outrider committee` end to end on the test world: a committee staffed by both parties, a meeting with
its agenda, attendance and minutes, both parties' signatures made from their own key files, an outcome
recording a commitment, and the pack as JSON, HTML and PDF; refusals are one line with exit code 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from outrider.cli import app

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, ["committee", *args])


def js(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_meeting_from_agenda_to_signed_minutes_and_its_pack(
    world: Any, engine: Any, tmp_path: Path
) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("the commands call the services the service tests run on PostgreSQL")
    committee = js("create", "Joint Security Committee", "--as", "admin")
    cid = str(committee["id"])
    for who, role, admin in (
        ("admin", "chair", "admin"),
        ("analyst", "secretariat", "admin"),
        ("liaison", "chair", "embassy_admin"),
    ):
        js("members", cid, "--add", who, "--role", role, "--as", admin)
    refused = run("members", cid, "--add", "coord", "--as", "admin")
    assert refused.exit_code == 1 and "founding parties" in refused.stderr
    assert run("meeting", "1", "--as", "coord").exit_code == 1
    meetings = js(
        "meetings",
        cid,
        "--schedule",
        "First session",
        "--at",
        "2026-11-03T10:00:00+05:00",
        "--zone",
        "Asia/Karachi",
        "--place",
        "Islamabad",
        "--as",
        "analyst",
    )
    mid = str(meetings[0]["id"])
    item = js("agenda", mid, "Police training", "--text", "Training at the academy.", "--as", "analyst")["id"]
    js("attend", mid, "--member", "liaison", "--as", "analyst")
    js("attend", mid, "--guest", "A. Observer", "--affiliation", "Interior ministry", "--as", "analyst")
    js(
        "minutes",
        mid,
        "--text",
        "The partner offered to train 120 officers.",
        "--item",
        str(item),
        "--as",
        "analyst",
    )
    body = tmp_path / "commitment.json"
    body.write_text(
        json.dumps(
            {
                "title": "Train 120 officers",
                "kind": "training",
                "promisor": "partner",
                "beneficiary": "host",
                "stage": "agreed",
            }
        )
    )
    made = js(
        "outcome",
        mid,
        str(item),
        "commitment",
        "Training agreed.",
        "--new-commitment",
        str(body),
        "--as",
        "admin",
    )
    assert made["commitment_id"]
    assert js("meeting", mid, "--held", "--as", "analyst")["status"] == "held"
    host_key, chair_key = tmp_path / "admin.pem", tmp_path / "liaison.pem"
    assert runner.invoke(app, ["protocols", "keygen", "--out", str(host_key), "--as", "admin"]).exit_code == 0
    refused = run("keygen", "--out", str(tmp_path / "analyst.pem"), "--as", "analyst")  # no chair
    assert refused.exit_code == 1 and not (tmp_path / "analyst.pem").exists()
    assert js("keygen", "--out", str(chair_key), "--as", "liaison")["key"]["user_id"]  # the partner's chair
    js("sign", mid, "--key", str(host_key), "--as", "admin")
    signed = js("sign", mid, "--key", str(chair_key), "--as", "liaison")
    assert signed["approved"] is True and {a["party"] for a in signed["approvals"]} == {"host", "partner"}
    frozen = run("minutes", mid, "--text", "Too late.", "--as", "analyst")
    assert (
        frozen.exit_code == 1 and "frozen" in frozen.stderr and len(frozen.stderr.strip().splitlines()) == 1
    )
    pack = js("pack", mid, "--as", "liaison")
    assert pack["approved"] and pack["commitments"][0]["title"] == "Train 120 officers"
    html = run(
        "pack", mid, "--format", "html", "--lang", "zh-Hans", "--document", "minutes", "--as", "liaison"
    )
    assert html.exit_code == 0 and "会议纪要" in html.stdout and "A. Observer" in html.stdout
    pdf = tmp_path / "pack.pdf"
    assert (
        run("pack", mid, "--format", "pdf", "--lang", "ur", "--out", str(pdf), "--as", "liaison").exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
