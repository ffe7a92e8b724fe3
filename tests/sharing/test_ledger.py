"""The release ledger: every release (bundle, feed, pull) read back from the audit chain with its record's
sequence number and hash, filtered by partner and period, as JSON, CSV and PDF; who may read it; the
read itself recorded. On SQLite and PostgreSQL (the period compares stored times)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from test_sharing_api import EVERYTHING, _agreed, _mark, _report

from outrider import db
from outrider.accounts.models import Organization
from outrider.audit import service as audit_service
from outrider.audit.models import AuditRecord
from outrider.errors import InvalidInput
from outrider.pdf_fonts import font_files
from outrider.sharing import ledger, ledger_pdf
from outrider.sharing.ledger_pdf import to_pdf
from pdf_text import drawn, page_text

L = "/api/v1/sharing/ledger"
AT = datetime(2026, 11, 1, 8, tzinfo=UTC)


def _releases(client: TestClient, world: World) -> dict[str, int]:
    """A GREEN report, an agreed policy, an export by the host's analyst and a pull by the embassy."""
    ids = _report(client, world, "Quetta", 11)
    for kind in ("event", "incident", "report"):
        assert _mark(client, world, kind, ids[kind], "TLP:GREEN").status_code == 200
    _agreed(client, world, EVERYTHING)
    body = {"partner_org_id": world.orgs["embassy"]}
    assert (
        client.post("/api/v1/sharing/export", json=body, headers=world["analyst"].headers).status_code == 200
    )
    pulled = client.get("/api/v1/sharing/stream", headers=world["embassy_admin"].headers)
    assert pulled.status_code == 200, pulled.text
    return ids


def test_the_ledger_names_each_release_and_its_audit_record(client: TestClient, world: World) -> None:
    ids = _releases(client, world)
    got = client.get(L, headers=world["auditor"].headers)
    assert got.status_code == 200, got.text
    data = got.json()
    assert data["releases"] == 2 and [r["channel"] for r in data["rows"]] == ["bundle", "pull"]
    with db.transaction() as session:
        records = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "sharing.release").order_by(AuditRecord.seq)
        ).all()
        assert audit_service.verify(session).ok
    for row, rec in zip(data["rows"], records, strict=True):
        assert (row["seq"], row["record_hash"]) == (rec.seq, rec.hash)
        assert [[o["kind"], o["id"], o["sha256"]] for o in row["objects"]] == rec.details["objects"]
        assert row["partner"] == "Partner Embassy" and row["policy_version"] == 1
    export, pull = data["rows"]
    assert (export["user"], export["organization"]) == ("analyst", "Host Protection Unit")
    assert (pull["user"], pull["organization"]) == ("embassy_admin", "Partner Embassy")
    assert ["event", ids["event"]] in [[o["kind"], o["id"]] for o in export["objects"]]
    assert data["objects"] == len(export["objects"]) + len(pull["objects"])
    # the period: both ends included, in any zone
    first = datetime.fromisoformat(export["at"])
    before = (first - timedelta(seconds=1)).astimezone(UTC).isoformat()
    for query, count in ((f"until={before}", 0), (f"since={before}", 2), (f"since={export['at']}", 2)):
        page = client.get(f"{L}?{query.replace('+', '%2B')}", headers=world["auditor"].headers).json()
        assert page["releases"] == count, query
    # reading the ledger is itself recorded (one per read, with the period and the format)
    with db.transaction() as session:
        reads = session.scalars(select(AuditRecord).where(AuditRecord.action == "sharing.ledger")).all()
    assert len(reads) == 4 and reads[0].details["format"] == "json" and reads[0].details["releases"] == 2


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("since=yesterday", "since: an ISO 8601"),
        ("since=2026-12-01T00:00:00", "since: give the zone"),
        ("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "after its end"),
        ("format=xml", "format"),
    ],
)
def test_a_bad_period_is_the_one_error_shape(client: TestClient, world: World, query: str, says: str) -> None:
    got = client.get(f"{L}?{query}", headers=world["auditor"].headers)
    assert got.status_code == 422 and got.headers["content-type"].startswith("application/problem+json")
    problem = got.json()
    assert {"type", "title", "status", "detail"} <= set(problem) and says in got.text


def test_who_reads_the_ledger(client: TestClient, world: World) -> None:
    _releases(client, world)
    embassy, acme = world.orgs["embassy"], world.orgs["acme"]
    for who in ("admin", "embassy_admin", "auditor", "analyst"):
        assert client.get(L, headers=world[who].headers).json()["releases"] == 2, who
    mine = client.get(f"{L}?partner_org_id={embassy}", headers=world["liaison"].headers)
    assert mine.status_code == 200 and mine.json()["releases"] == 2
    assert client.get(L, headers=world["liaison"].headers).json()["partner_org_id"] == embassy
    for who, query in (
        ("liaison", f"?partner_org_id={acme}"),
        ("duty", ""),
        ("coord", ""),
        ("other_coord", ""),
    ):
        assert client.get(L + query, headers=world[who].headers).status_code == 403, who
    # the host's analyst asks about a partner that received nothing: an empty ledger, not an error
    assert client.get(f"{L}?partner_org_id={acme}", headers=world["analyst"].headers).json()["rows"] == []


def test_csv_has_a_line_per_object_and_quotes_formulas_and_the_pdf_opens(
    client: TestClient, world: World
) -> None:
    _releases(client, world)
    with db.transaction() as session:  # a partner named like a spreadsheet formula
        session.execute(
            update(Organization).where(Organization.id == world.orgs["embassy"]).values(name="=HYPERLINK(1)")
        )
    got = client.get(f"{L}?format=csv", headers=world["analyst"].headers)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    lines = list(csv.DictReader(io.StringIO(got.text)))
    data = client.get(L, headers=world["analyst"].headers).json()
    assert len(lines) == data["objects"] and list(lines[0]) == ledger.CSV_COLUMNS
    assert {line["partner"] for line in lines} == {"'=HYPERLINK(1)"}
    assert [line["sha256"] for line in lines] == [o["sha256"] for r in data["rows"] for o in r["objects"]]
    pdf = client.get(f"{L}?format=pdf", headers=world["analyst"].headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1500
    urdu = client.get(f"{L}?format=pdf&lang=ur", headers=world["analyst"].headers)  # headings in Urdu
    assert urdu.status_code == 200 and "=HYPERLINK(1)" in page_text(urdu.content)
    if "arabic" in font_files():
        assert drawn(urdu.content)[0][0] == ledger_pdf.WORDS["title"][2][::-1]  # drawn from its last letter
    assert client.get(f"{L}?format=pdf&lang=fr", headers=world["analyst"].headers).status_code == 422


# --- the pure core ------------------------------------------------------------------------------------


def test_moments_need_their_zone() -> None:
    assert ledger.moment("2026-12-01T00:00:00+05:00", "since") == datetime(2026, 11, 30, 19, tzinfo=UTC)
    assert ledger.moment(" ", "since") is None
    for bad in ("2026-12-01", "2026-12-01T00:00", "tomorrow", "2026-13-01T00:00Z"):
        with pytest.raises(InvalidInput, match="since"):
            ledger.moment(bad, "since")


def _record(details: dict[str, Any], seq: int = 7) -> ledger.Record:
    return ledger.Record(seq, "ab" * 32, AT, 3, 1, "5", details)


def test_a_record_written_before_channels_reads_as_a_bundle_and_pdf_is_stable() -> None:
    digest = "cd" * 32
    old = {
        "partner": 2,
        "version": 4,
        "bundle": "bundle--x",
        "objects": [["event", 9, digest]],
        "withheld": 1,
    }
    row = ledger.row_of(_record(old), orgs={2: "Partner Embassy", 1: "Host"}, users={3: "analyst"})
    assert (row.channel, row.policy_id, row.policy_version, row.partner) == (
        "bundle",
        5,
        4,
        "Partner Embassy",
    )
    assert row.objects == (ledger.Released("event", 9, digest),) and row.user == "analyst"
    nothing = ledger.row_of(_record({"partner": 2, "channel": "feed"}, 8), orgs={}, users={})
    report = ledger.Ledger(2, None, AT, AT, (row, nothing))
    text = ledger.to_csv(report)
    assert text.count("\n") == 3 and ",feed," in text and "organisation 2" in text  # an empty release shows
    assert to_pdf(report) == to_pdf(report)  # the same report, the same bytes
    assert ledger.file_name(report, "pdf") == "releases-partner-2-2026-11-01.pdf"


def test_the_command_line_writes_the_ledger(world: World, engine: Engine, tmp_path: Any) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("the command line reads through the same service as the API (tested on both)")
    from test_sharing_cli import js, run

    from outrider.protocols import keys

    refused = run("share", "ledger", "--as", "coord")
    assert refused.exit_code == 1 and "partner" in refused.stderr
    bad = run("share", "ledger", "--since", "2026-12-01", "--as", "auditor")
    assert bad.exit_code == 1 and "since" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    terms = tmp_path / "terms.json"
    terms.write_text('{"max_marking": "TLP:GREEN", "object_types": ["actor"], "fields": {"actor": "*"}}')
    made = js("share", "policy", "propose", "--partner", "Partner Embassy", str(terms), "--as", "admin")
    for who in ("admin", "embassy_admin"):
        js("share", "policy", "approve", str(made["id"]), "--hash", made["payload_hash"], "--as", who)
    actor = js("intel", "actors", "add", "Front A", "--kind", "group", "--as", "analyst")
    js("share", "mark", "actor", str(actor["id"]), "TLP:CLEAR", "--reason", "public", "--as", "analyst")
    js(
        "share",
        "export",
        "--partner",
        "Partner Embassy",
        "--out",
        str(tmp_path / "b.json"),
        "--as",
        "analyst",
    )
    (tmp_path / "key.pem").write_bytes(keys.generate_pem()[0])
    feed = ["--key", str(tmp_path / "key.pem"), "--partner", "Partner Embassy", "--as", "analyst"]
    assert run("share", "feed", "write", str(tmp_path / "feed"), *feed).exit_code == 0
    data = js("share", "ledger", "--partner", "Partner Embassy", "--as", "auditor")
    assert [r["channel"] for r in data["rows"]] == ["bundle", "feed"] and data["objects"] == 2
    assert run("share", "ledger", "--format", "pdf", "--as", "auditor").exit_code == 2  # a PDF needs --out
    out = tmp_path / "ledger.pdf"
    summary = js(
        "share", "ledger", "--format", "pdf", "--lang", "zh-Hans", "--out", str(out), "--as", "liaison"
    )
    assert summary == {
        "partner_org_id": world.orgs["embassy"],
        "releases": 2,
        "objects": 2,
        "file": "ledger.pdf",
        "format": "pdf",
    }
    assert out.read_bytes().startswith(b"%PDF") and "Partner Embassy" in page_text(out.read_bytes())
    if "cjk" in font_files():
        assert "发布台账" in page_text(out.read_bytes())
    text = run("share", "ledger", "--format", "csv", "--as", "analyst")
    assert text.exit_code == 0 and text.stdout.startswith("seq,record_hash,at,")
    table = run("share", "ledger", "--as", "admin")
    assert table.exit_code == 0 and "2 releases, 2 objects" in table.stdout
