"""`outrider protocols load|propose|keygen|sign|show|evaluate|waive|report` on a database."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from protocols_world import DEFAULT_TEXT, add_user, scene, with_version
from pypdf import PdfReader
from typer.testing import CliRunner

from outrider.cli import app
from outrider.pdf_fonts import font_files
from outrider.protocols import report_pdf
from pdf_text import drawn

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["protocols", *args], env=env)


def js(*args: str, env: dict[str, str] | None = None) -> Any:
    result = run(*args, "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_app_the_cli_and_the_job_runner_attach_the_gate_and_importing_attaches_nothing() -> None:
    starts = {
        "outrider.app": "outrider.app.create_app()",
        "outrider.cli": "typer.testing.CliRunner().invoke(outrider.cli.app, ['version'])",
        "outrider.jobs": "outrider.jobs.JobRunner(60)",
    }
    for module, start in starts.items():
        code = (
            f"import typer.testing, {module}, outrider.protocols.compliance, outrider.governance.service\n"
            "from outrider.movements import gates\n"
            "assert gates.registered() == ()\n"
            f"{start}\n"
            "assert gates.registered() == ('protocols',)\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True)


def test_agree_evaluate_waive_and_report_from_the_command_line(
    tmp_path: Path, client: TestClient, world: Any
) -> None:
    add_user(world, "emb_admin", "embassy", ["admin"])
    doc = tmp_path / "default.yaml"
    doc.write_text(DEFAULT_TEXT, encoding="utf-8")
    loaded = js("load", str(doc), "--as", "admin")
    assert loaded["state"] == "draft" and [p["party"] for p in loaded["parties"]] == [
        "host-security-force",
        "partner-government",
    ]
    assert js("propose", "default-protection", "--as", "admin")["state"] == "proposed"
    secret = {"OUTRIDER_KEY_PASSPHRASE": "a long passphrase for the test key"}
    key = tmp_path / "admin.pem"
    made = js("keygen", "--out", str(key), "--label", "office", "--as", "admin", env=secret)
    assert made["encrypted"] and b"ENCRYPTED" in key.read_bytes()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    again = run("keygen", "--out", str(key), "--as", "admin")
    assert again.exit_code == 2 and "refusing to overwrite" in again.stderr
    refused = run("keygen", "--out", str(tmp_path / "duty.pem"), "--as", "duty")
    assert refused.exit_code == 1 and not (tmp_path / "duty.pem").exists()
    # A signature needs the passphrase, and binds the text the signer read.
    assert run("sign", "default-protection", "--key", str(key), "--as", "admin").exit_code == 1
    other = tmp_path / "v2.yaml"
    other.write_text(with_version(DEFAULT_TEXT, 2), encoding="utf-8")
    mismatch = run(
        "sign", "default-protection", "--key", str(key), "--file", str(other), "--as", "admin", env=secret
    )
    assert (
        mismatch.exit_code == 1 and "binds document" in mismatch.stderr and "Traceback" not in mismatch.output
    )
    signed = js(
        "sign", "default-protection", "--key", str(key), "--file", str(doc), "--as", "admin", env=secret
    )
    assert signed["awaiting"] == ["partner-government"]
    embassy_key = tmp_path / "embassy.pem"
    js("keygen", "--out", str(embassy_key), "--as", "emb_admin")
    agreed = js("sign", "default-protection", "--key", str(embassy_key), "--as", "emb_admin")
    assert agreed["state"] == "agreed" and all(x["verified"] for x in agreed["signatures"])
    shown = run("show", "default-protection", "--as", "coord")
    assert shown.exit_code == 0 and "effective" in shown.stdout and "verified" in shown.stdout
    assert [v["status"] for v in js("show", "--as", "coord")] == ["effective"]
    assert [k["label"] for k in js("keys", "--as", "admin")] == ["office"]

    sc = scene(client, world)
    mid = str(sc["movement"])
    check = js("evaluate", mid, "--as", "coord")
    assert not check["allowed"] and check["blocking"] == ["escort-ratio"]
    plain = run("evaluate", mid, "--as", "coord")
    assert "BLOCKS approval" in plain.stdout and "FAIL escort-ratio" in " ".join(plain.stdout.split())
    assert run("evaluate", mid, "--as", "analyst").exit_code == 1
    assert [e["trigger"] for e in js("evaluations", mid, "--as", "coord")] == ["manual", "manual", "submit"]
    until = (datetime.now(UTC) + timedelta(hours=4)).isoformat()
    waiver = js(
        "waive",
        "request",
        mid,
        "escort-ratio",
        "--justification",
        "Escort unit diverted to a bomb scene; convoy waits in the inner cordon.",
        "--expires",
        until,
        "--as",
        "duty",
    )
    assert waiver["awaiting"] == ["partner-government"]
    approved = js("waive", "approve", str(waiver["id"]), "--as", "liaison")
    assert approved["state"] == "approved" and approved["valid_now"]
    assert [w["state"] for w in js("waive", "list", mid, "--as", "coord")] == ["approved"]
    naive = run(
        "waive", "request", mid, "escort-ratio", "--justification", "x" * 30, "--expires", "2099-01-01T00:00"
    )
    assert naive.exit_code == 2

    today = datetime.now(UTC).date().isoformat()
    pdf = tmp_path / "report.pdf"
    written = run(
        "report", "--from", today, "--to", today, "--format", "pdf", "--output", str(pdf), "--as", "auditor"
    )
    assert written.exit_code == 0, written.output
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    # Two previews and a check at submission: none is the movement as approved or executed.
    assert "Evaluations 0" in text and "Previews (not counted) 2" in text
    body = js("report", "--from", today, "--to", today, "--as", "auditor")
    assert (body["evaluations"], body["previews"], body["superseded"], body["checks_stored"]) == (0, 2, 1, 3)
    assert body["violations"] == [] and body["refusals"] == []
    csv_out = run("report", "--from", today, "--to", today, "--format", "csv", "--as", "coord")
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("section,")
    raw = run("report", "--from", today, "--to", today, "--format", "pdf", "--lang", "ur", "--as", "coord")
    assert raw.stdout_bytes.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(raw.stdout_bytes)).pages) >= 1
    if "arabic" in font_files():  # the headings in Urdu, drawn from the right
        assert drawn(raw.stdout_bytes)[0][0] == report_pdf.WORDS["title"][2][::-1]
    assert run("report", "--from", today, "--to", today, "--format", "pdf", "--lang", "fr").exit_code == 2
    assert run("report", "--from", today, "--to", today, "--format", "docx", "--as", "coord").exit_code == 2
    assert run("report", "--from", "yesterday", "--to", today, "--as", "coord").exit_code == 2
    assert run("report", "--from", today, "--to", today, "--as", "analyst").exit_code == 1

    reason = "The escort unit is back at full strength."
    assert run("waive", "withdraw", str(waiver["id"]), "--reason", reason, "--as", "analyst").exit_code == 1
    withdrawn = js("waive", "withdraw", str(waiver["id"]), "--reason", reason, "--as", "liaison")
    assert withdrawn["state"] == "withdrawn" and not withdrawn["valid_now"]
    assert run("waive", "withdraw", str(waiver["id"]), "--reason", reason, "--as", "duty").exit_code == 1
    key_id = str(made["key"]["id"])
    assert js("revoke-key", key_id, "--as", "admin")["revoked_at"] is not None
    assert [k["revoked_at"] is not None for k in js("keys", "--as", "admin")] == [True]
    assert run("revoke-key", key_id, "--as", "admin").exit_code == 1
    assert run("sign", "default-protection", "--key", str(key), "--as", "admin", env=secret).exit_code == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("propose", "nothing", "--as", "admin"), 1),
        (("show", "default-protection"), 2),
        (("load", "missing.yaml", "--as", "admin"), 2),
    ],
)
def test_errors_are_one_line(engine: Any, world: Any, args: tuple[str, ...], code: int) -> None:
    result = run(*args)
    assert result.exit_code == code and "Traceback" not in result.output
