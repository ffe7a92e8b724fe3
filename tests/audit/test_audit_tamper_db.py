"""Tampering with the stored audit log by direct SQL is detected, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from typer.testing import CliRunner

from outrider import db
from outrider.audit import canonical_form, chain
from outrider.audit import service as audit
from outrider.cli import app

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=7, organization_id=3, channel="api", request_id="req")


def fill(n: int, *, per_transaction: int = 1, start: int = 1) -> None:
    """Write n records, ``per_transaction`` to a transaction (each commit signs the head)."""
    i = start
    while i < start + n:
        with db.transaction() as session:
            for _ in range(min(per_transaction, start + n - i)):
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
                i += 1


def verify_cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["audit", "verify", "--json", *args])
    body: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (0 if body["ok"] else 1)
    return body


def as_dba(engine: Engine, sql: Callable[[Connection], None]) -> None:
    """Run SQL as a database administrator would: with the append-only triggers out of the way."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            sql(conn)
            return
        triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        sql(conn)
        for _name, statement in triggers:
            conn.execute(text(statement))


def rechain(c: Connection, *, from_seq: int = 1) -> str:
    """Recompute every hash from ``from_seq`` on, as someone without the signing key can; move the head."""
    rows = c.execute(text("SELECT * FROM audit_records ORDER BY seq")).mappings().all()
    prev = chain.GENESIS
    for row in rows:
        rec = dict(row)
        if rec["seq"] >= from_seq:
            rec["at"] = rec["at"] if isinstance(rec["at"], datetime) else datetime.fromisoformat(rec["at"])
            if rec["at"].tzinfo is None:
                rec["at"] = rec["at"].replace(tzinfo=UTC)
            digest = canonical_form.link_hash(prev, rec)
            c.execute(
                text("UPDATE audit_records SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": rec["seq"]},
            )
            prev = digest
        else:
            prev = rec["hash"]
    c.execute(
        text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": rows[-1]["seq"] if rows else 0, "h": prev}
    )
    return prev


def test_intact_log_verifies(engine: Engine) -> None:
    fill(12, per_transaction=3)
    fill(2)
    body = verify_cli()
    # six signed heads, one per transaction, and the witness kept beside the signing key
    assert body["ok"] and body["records"] == 14 and body["checkpoints_checked"] == 7
    assert verify_cli("--all-signatures")["ok"]


def test_every_commit_signs_the_head(engine: Engine) -> None:
    fill(5, per_transaction=2)
    with db.transaction() as session:
        heads = audit.checkpoints(session)
    assert [(h.seq, h.prev_seq) for h in heads] == [(2, 0), (4, 2), (5, 4)]


def test_a_rolled_back_transaction_signs_nothing(engine: Engine) -> None:
    fill(2)

    def fail_after_recording() -> None:
        with db.transaction() as session:
            audit.record(session, actor=ACTOR, action="x", object_type="y", object_id=1, now=T0)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_after_recording()
    fill(1, start=3)
    with db.transaction() as session:
        assert [h.seq for h in audit.checkpoints(session)] == [1, 2, 3]
    assert verify_cli()["ok"]


def test_edit_a_field(engine: Engine) -> None:
    fill(8)
    as_dba(engine, lambda c: c.execute(text("UPDATE audit_records SET user_id = 99 WHERE seq = 4")))
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 4


def test_edit_the_last_records_and_rehash_them(engine: Engine) -> None:
    """Found: records after the last signed checkpoint could be edited undetected (hashes recomputed)."""
    fill(8)

    def edit(c: Connection) -> None:
        c.execute(text("UPDATE audit_records SET user_id = 99 WHERE seq = 8"))
        rechain(c, from_seq=8)

    as_dba(engine, edit)
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 8 and "re-chained" in body["problem"]


def test_delete_a_row(engine: Engine) -> None:
    fill(8)
    as_dba(engine, lambda c: c.execute(text("DELETE FROM audit_records WHERE seq = 6")))
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 6


def test_delete_the_last_records_with_their_heads_and_move_the_head_back(engine: Engine) -> None:
    """Found: records after the last signed checkpoint could be deleted undetected."""
    fill(8)

    def cut(c: Connection) -> None:
        c.execute(text("DELETE FROM audit_records WHERE seq > 6"))
        c.execute(text("DELETE FROM audit_checkpoints WHERE seq > 6"))
        rechain(c, from_seq=7)

    as_dba(engine, cut)
    body = verify_cli()
    assert not body["ok"] and "witness" in body["problem"] and body["first_broken_seq"] == 7


def test_delete_the_signed_heads(engine: Engine) -> None:
    """Found: deleting the stored checkpoints was not detected."""
    fill(6)
    as_dba(engine, lambda c: c.execute(text("DELETE FROM audit_checkpoints WHERE seq = 3")))
    body = verify_cli()
    assert not body["ok"] and "signed heads were deleted" in body["problem"]
    as_dba(engine, lambda c: c.execute(text("DELETE FROM audit_checkpoints")))
    body = verify_cli()
    assert not body["ok"] and "covered by no signed head" in body["problem"]


def test_an_emptied_log_with_its_head_reset_fails(engine: Engine) -> None:
    """Found: an emptied log with its head reset verified "ok, 0 records" without the exported file."""
    fill(5)

    def empty(c: Connection) -> None:
        for table in ("audit_records", "audit_checkpoints", "audit_keys"):
            c.execute(text(f"DELETE FROM {table}"))
        c.execute(text("UPDATE audit_head SET seq = 0, hash = :g"), {"g": chain.GENESIS})

    as_dba(engine, empty)
    body = verify_cli()
    assert not body["ok"] and body["records"] == 0
    assert "witness" in body["problem"] and "emptied" in body["problem"]


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
    fill(15)
    exported = tmp_path / "cps.json"
    assert CliRunner().invoke(app, ["audit", "export-checkpoints", str(exported)]).exit_code == 0

    def cut_and_rechain(c: Connection) -> None:
        c.execute(text("DELETE FROM audit_records WHERE seq > 7"))
        c.execute(text("UPDATE audit_records SET details = :d WHERE seq = 3"), {"d": '{"i":0}'})
        rechain(c)
        c.execute(text("DELETE FROM audit_checkpoints"))  # and hides the stored signed heads

    as_dba(engine, cut_and_rechain)
    body = verify_cli()  # the database alone no longer looks consistent
    assert not body["ok"] and body["first_broken_seq"] == 8 and "witness" in body["problem"]
    result = CliRunner().invoke(app, ["audit", "verify", "--checkpoints", str(exported), "--json"])
    body = json.loads(result.stdout)
    assert result.exit_code == 1 and not body["ok"]


def test_the_database_refuses_changes_to_the_log(engine: Engine) -> None:
    fill(3)
    statements = [
        "UPDATE audit_records SET user_id = 1",
        "DELETE FROM audit_records WHERE seq = 1",
        "UPDATE audit_checkpoints SET hash = 'x'",
        "DELETE FROM audit_checkpoints",
        "DELETE FROM audit_keys",
        "DELETE FROM audit_head",
        f"UPDATE audit_head SET seq = 0, hash = '{chain.GENESIS}'",
        "UPDATE audit_head SET seq = 2, hash = 'made-up'",
    ]
    if engine.dialect.name == "postgresql":
        statements += [
            f"TRUNCATE {t}" for t in ("audit_records", "audit_checkpoints", "audit_keys", "audit_head")
        ]
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    assert verify_cli()["ok"]


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE audit_records SET channel = 'web' WHERE seq = 17",
        "DELETE FROM audit_records WHERE seq = 11",  # the first record of the second chunk
        "DELETE FROM audit_records WHERE seq = 10",  # the last record of the first chunk
        "DELETE FROM audit_records WHERE seq = 30",  # the last record: its signed head tells
        "DELETE FROM audit_checkpoints WHERE seq = 12",  # a signed head in the middle
        "DELETE FROM audit_checkpoints WHERE seq = 20",  # the last signed head of the second chunk
    ],
)
def test_parallel_verification_agrees_with_a_single_pass(engine: Engine, tamper: str | None) -> None:
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("parallel verification needs a database other processes can open")
    fill(30, per_transaction=2)
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


def test_the_database_builds_the_same_canonical_bytes_as_python(engine: Engine) -> None:
    """Verification has each database build the canonical bytes; they must be Python's, byte for byte."""
    from outrider.audit import verification

    odd = [
        '"quoted"',
        "back\\slash",
        "tab\tnew\nline\r",
        "\x01\x1f\x7f",
        "é中文😀",
        "\u2028\u2029",
        "</script>",
    ]
    with db.transaction() as session:
        for i, value in enumerate(odd):
            audit.record(
                session,
                actor=audit.Actor(None if i % 2 else i, None, value[:16], value),
                action=value[:64],
                object_type=value[:64],
                object_id=value,
                fields=[value, "route"],
                details={"v": value, "n": [1, 2.5, None, True]},
                now=datetime(1, 1, 1, tzinfo=UTC) + timedelta(microseconds=i) if i == 3 else T0,
            )
    with db.transaction() as session:
        connection = session.connection().connection
        fast = list(verification._bodies(connection, engine.dialect.name, ""))
        cursor = connection.cursor()
        cursor.execute(f"{verification._RECORDS} ORDER BY seq")
        sure = [verification._python_body(row) for row in cursor.fetchall()]
        cursor.close()
    assert [body for _seq, _prev, _hash, body in fast] == sure
    assert verify_cli()["ok"]


def test_every_signed_head_is_checked_on_request(engine: Engine) -> None:
    """By default the heads that decide are checked whole; --all-signatures checks each one."""
    fill(6)
    as_dba(engine, lambda c: c.execute(text("UPDATE audit_checkpoints SET signature = 'AAAA' WHERE seq = 3")))
    assert verify_cli()["ok"]  # the hash chain and the newest head vouch for records 1..6 all the same
    body = verify_cli("--all-signatures")
    assert not body["ok"] and body["first_broken_seq"] == 3 and "not validly signed" in body["problem"]


def test_verification_leaves_writers_alone(engine: Engine) -> None:
    """Verifying reads on a connection of its own: it neither waits for nor blocks the log's writers."""
    fill(3)
    with db.transaction() as session:
        assert audit.verify(session).ok
        fill(1, start=4)  # another transaction appends while the verifying one is still open
        assert audit.verify(session).records == 4
    assert verify_cli()["ok"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_deciding_head_is_read_whole_and_checked(engine: Engine, workers: int) -> None:
    """Heads are read without their time and signature unless they decide: one that decides is read back."""
    if workers > 1 and engine.url.database in (None, "", ":memory:"):
        pytest.skip("parallel verification needs a database other processes can open")
    fill(8, per_transaction=2)
    # unchained, the head at 4 decides on its own signature, which does not sign that form
    as_dba(engine, lambda c: c.execute(text("UPDATE audit_checkpoints SET prev_seq = NULL WHERE seq = 4")))
    with db.transaction() as session:
        verdict = audit.verify(session, workers=workers, min_parallel=0)
    assert not verdict.ok and verdict.first_broken_seq == 4
    assert verdict.problem is not None and "not validly signed" in verdict.problem


def test_the_heads_read_without_signature_still_count_and_chain(engine: Engine) -> None:
    """Heads read without their signature still count, match the chain and must follow each other."""
    fill(9)
    with db.transaction() as session:
        assert (
            audit.verify(session).checkpoints == audit.verify(session, all_signatures=True).checkpoints >= 9
        )
    as_dba(engine, lambda c: c.execute(text("UPDATE audit_checkpoints SET prev_seq = 3 WHERE seq = 5")))
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 5 and "signed heads were deleted" in body["problem"]
    as_dba(
        engine,
        lambda c: c.execute(text("UPDATE audit_checkpoints SET prev_seq = 4, hash = 'x' WHERE seq = 5")),
    )
    body = verify_cli()
    assert not body["ok"] and body["first_broken_seq"] == 5 and "re-chained" in body["problem"]


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE audit_records SET channel = 'web' WHERE seq = 7",
        "UPDATE audit_records SET details = '{\"i\": 99}' WHERE seq = 12",
        "UPDATE audit_records SET prev_hash = hash WHERE seq = 5",
        "DELETE FROM audit_records WHERE seq = 9",
        "UPDATE audit_checkpoints SET hash = 'x' WHERE seq = 10",
        "UPDATE audit_records SET object_id = E'line\\u2028sep' WHERE seq = 3",
    ],
)
def test_postgresql_hashing_gives_the_verdict_python_gives(
    engine: Engine, tamper: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the server hashes the records; on any tampering the verdict is the Python walk's."""
    from outrider.audit import verification

    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL hashes the records itself")
    fill(14, per_transaction=2)
    if tamper:
        as_dba(engine, lambda c: c.execute(text(tamper)))
    with db.transaction() as session:
        by_server = audit.verify(session)
        monkeypatch.setattr(verification, "_VOUCHED", False)
        by_python = audit.verify(session)
    assert by_server == by_python
    assert by_server.ok is (tamper is None)
