"""Tampering with the stored audit log by direct SQL is detected, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from outrider import db
from outrider.audit import chain
from outrider.audit import service as audit
from outrider.cli import app

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=7, organization_id=3, channel="api", request_id="req")


def fill(n: int, *, checkpoint_at: tuple[int, ...] = ()) -> None:
    for i in range(1, n + 1):
        with db.transaction() as session:
            audit.record(
                session,
                actor=ACTOR,
                action="movement.read_itinerary",
                object_type="movement",
                object_id=i % 4,
                fields=["route", "planned_departure"],
                details={"i": i},
                now=T0 + timedelta(minutes=i),
            )
            if i in checkpoint_at:
                audit.checkpoint(session, now=T0 + timedelta(minutes=i))


def verify_cli() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["audit", "verify", "--json"])
    body: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (0 if body["ok"] else 1)
    return body


def as_dba(engine: Engine, sql: Callable[[Connection], None]) -> None:
    """Run SQL as a database administrator would: with the append-only trigger switched off."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_records DISABLE TRIGGER USER"))
        sql(conn)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_records ENABLE TRIGGER USER"))


def test_intact_log_verifies(engine: Engine) -> None:
    fill(12, checkpoint_at=(5, 10))
    body = verify_cli()
    assert body["ok"] and body["records"] == 12 and body["checkpoints_checked"] == 2


def test_edit_a_field(engine: Engine) -> None:
    fill(8)
    as_dba(engine, lambda c: c.execute(text("UPDATE audit_records SET user_id = 99 WHERE seq = 4")))
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 4


def test_delete_a_row(engine: Engine) -> None:
    fill(8)
    as_dba(engine, lambda c: c.execute(text("DELETE FROM audit_records WHERE seq = 6")))
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 6


def test_swap_two_rows(engine: Engine) -> None:
    fill(8)

    def swap(c: Connection) -> None:
        c.execute(text("UPDATE audit_records SET seq = -1 WHERE seq = 2"))
        c.execute(text("UPDATE audit_records SET seq = 2 WHERE seq = 5"))
        c.execute(text("UPDATE audit_records SET seq = 5 WHERE seq = -1"))

    as_dba(engine, swap)
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 2


def test_truncate_the_tail_and_rechain_without_the_key(engine: Engine, tmp_path: Any) -> None:
    fill(15, checkpoint_at=(10,))
    exported = tmp_path / "cps.json"
    assert CliRunner().invoke(app, ["audit", "export-checkpoints", str(exported)]).exit_code == 0

    def cut_and_rechain(c: Connection) -> None:
        c.execute(text("DELETE FROM audit_records WHERE seq > 7"))
        rows = c.execute(text("SELECT * FROM audit_records ORDER BY seq")).mappings().all()
        prev = chain.GENESIS
        for row in rows:
            rec = dict(row)
            rec["fields"] = json.loads(rec["fields"]) if isinstance(rec["fields"], str) else rec["fields"]
            rec["details"] = json.loads(rec["details"]) if isinstance(rec["details"], str) else rec["details"]
            rec["at"] = rec["at"] if isinstance(rec["at"], datetime) else datetime.fromisoformat(rec["at"])
            if rec["at"].tzinfo is None:
                rec["at"] = rec["at"].replace(tzinfo=UTC)
            digest = chain.link_hash(prev, rec)
            c.execute(
                text("UPDATE audit_records SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": rec["seq"]},
            )
            prev = digest
        c.execute(text("UPDATE audit_head SET seq = 7, hash = :h"), {"h": prev})
        c.execute(text("DELETE FROM audit_checkpoints"))  # and hides the stored checkpoints

    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER"))
    as_dba(engine, cut_and_rechain)
    assert verify_cli()["ok"]  # the database alone now looks consistent...
    result = CliRunner().invoke(app, ["audit", "verify", "--checkpoints", str(exported), "--json"])
    body = json.loads(result.stdout)
    assert result.exit_code == 1 and not body["ok"] and "tail was cut" in body["problem"]


def test_postgresql_refuses_updates_and_deletes(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite is the single-user embedded mode")
    fill(3)
    for statement in ("UPDATE audit_records SET user_id = 1", "DELETE FROM audit_records WHERE seq = 1"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert verify_cli()["ok"]


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE audit_records SET channel = 'web' WHERE seq = 17",
        "DELETE FROM audit_records WHERE seq = 11",  # the first record of the second chunk
        "DELETE FROM audit_records WHERE seq = 10",  # the last record of the first chunk
        "DELETE FROM audit_records WHERE seq = 30",  # the tail past the last checkpoint: the head row tells
    ],
)
def test_parallel_verification_agrees_with_a_single_pass(engine: Engine, tamper: str | None) -> None:
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("parallel verification needs a database other processes can open")
    fill(30, checkpoint_at=(25,))
    if tamper:
        as_dba(engine, lambda c: c.execute(text(tamper)))
    with db.transaction() as session:
        single = audit.verify(session)
        parallel = audit.verify(session, workers=3, min_parallel=0)
    assert (parallel.ok, parallel.first_broken_seq, parallel.records) == (
        single.ok,
        single.first_broken_seq,
        single.records,
    )
    assert parallel.ok is (tamper is None)
