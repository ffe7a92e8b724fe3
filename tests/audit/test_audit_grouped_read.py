"""Reading the stored chain by groups gives the verdict the row-by-row read gives, on SQLite and PostgreSQL.

The grouped read (audit/bulk.py) hashes a group of records in bulk and hands the walk a span; any group
that does not check out whole is read again row by row. Hypothesis tampers with a stored log by direct
SQL (records altered, re-chained, removed, moved; hashes and links edited; values holding the separator
the aggregates use; signed heads altered, unchained, removed, doubled), with groups of three records so
that tamperings fall inside groups and at their seams, and both reads, in one process and in two, must
give the same verdict field for field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, text

from outrider import db
from outrider.audit import bulk, canonical_form, chain, verification
from outrider.audit import service as audit

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=7, organization_id=3, channel="api", request_id="req")
RECORDS = 16
TABLES = ("audit_records", "audit_checkpoints", "audit_head")
TAMPERINGS = [
    "UPDATE audit_records SET channel = 'web' WHERE seq = {s}",
    "UPDATE audit_records SET object_id = 'a,b' WHERE seq = {s}",
    "UPDATE audit_records SET prev_hash = hash WHERE seq = {s}",
    "UPDATE audit_records SET prev_hash = substr(prev_hash, 1, 63) || ',' WHERE seq = {s}",
    "UPDATE audit_records SET hash = upper(hash) WHERE seq = {s}",
    "UPDATE audit_records SET hash = prev_hash WHERE seq = {s}",
    "DELETE FROM audit_records WHERE seq = {s}",
    "UPDATE audit_records SET seq = seq + 100 WHERE seq = {s}",
    "UPDATE audit_checkpoints SET hash = 'x' WHERE seq = {s}",
    "UPDATE audit_checkpoints SET prev_seq = NULL WHERE seq = {s}",
    "UPDATE audit_checkpoints SET prev_seq = prev_seq + 1 WHERE seq = {s}",
    "UPDATE audit_checkpoints SET public_key = 'k,1' WHERE seq = {s}",
    "DELETE FROM audit_checkpoints WHERE seq = {s}",
    "INSERT INTO audit_checkpoints (seq, hash, at, signature, public_key, prev_seq) "
    "SELECT seq, hash, at, signature, public_key, prev_seq FROM audit_checkpoints WHERE seq = {s}",
    "rechain",
]


def _fill() -> None:
    for i in range(1, RECORDS + 1, 2):  # two records a transaction: a signed head every second record
        with db.transaction() as session:
            for k in (i, i + 1):
                audit.record(
                    session,
                    actor=ACTOR,
                    action="movement.read_itinerary",
                    object_type="movement",
                    object_id=k % 4,
                    fields=["route"],
                    details={"i": k},
                    now=T0 + timedelta(minutes=k),
                )


@contextmanager
def _as_dba(conn: Connection) -> Iterator[None]:
    """Run the body with the append-only guards out of the way, as an administrator could."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, statement in triggers:
        conn.execute(text(statement))


def _rechain(conn: Connection, from_seq: int) -> None:
    """Alter a record and recompute every hash after it, as someone without the signing key can."""
    conn.execute(text("UPDATE audit_records SET channel = 'web' WHERE seq = :s"), {"s": from_seq})
    prev = chain.GENESIS
    for row in conn.execute(text("SELECT * FROM audit_records ORDER BY seq")).mappings().all():
        rec = dict(row)
        if rec["seq"] >= from_seq:
            at = rec["at"] if isinstance(rec["at"], datetime) else datetime.fromisoformat(rec["at"])
            rec["at"] = at if at.tzinfo else at.replace(tzinfo=UTC)
            rec["fields"], rec["details"] = _json(rec["fields"]), _json(rec["details"])
            digest = canonical_form.link_hash(prev, rec)
            conn.execute(
                text("UPDATE audit_records SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": rec["seq"]},
            )
            prev = digest
        else:
            prev = rec["hash"]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _verdicts(workers: int) -> tuple[chain.Verdict, chain.Verdict]:
    with db.transaction() as session:
        verification._GROUPED = True
        try:
            grouped = audit.verify(session, workers=workers, min_parallel=0)
        finally:
            verification._GROUPED = False
        try:
            by_rows = audit.verify(session, workers=workers, min_parallel=0)
        finally:
            verification._GROUPED = True
    return grouped, by_rows


@pytest.fixture
def stored_log(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setattr(bulk, "GROUP", 3)  # groups of three: tamperings fall inside groups and at seams
    _fill()
    return engine


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    tamperings=st.lists(
        st.tuples(st.sampled_from(TAMPERINGS), st.integers(1, RECORDS)), min_size=0, max_size=2
    ),
    workers=st.sampled_from([1, 2]),
)
def test_grouped_and_row_by_row_reads_agree(
    stored_log: Engine, tamperings: list[tuple[str, int]], workers: int
) -> None:
    engine = stored_log
    if workers > 1 and engine.url.database in (None, "", ":memory:"):
        workers = 1
    with engine.connect() as conn:
        saved = {t: [dict(r) for r in conn.execute(text(f"SELECT * FROM {t}")).mappings()] for t in TABLES}
    try:
        with engine.begin() as conn, _as_dba(conn):
            for sql, seq in tamperings:
                if sql == "rechain":
                    _rechain(conn, seq)
                else:
                    conn.execute(text(sql.format(s=seq)))
        grouped, by_rows = _verdicts(workers)
        assert grouped == by_rows
        if not tamperings:
            assert grouped.ok and grouped.records == RECORDS
    finally:
        with engine.begin() as conn, _as_dba(conn):
            for table in TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
                if saved[table]:
                    columns = list(saved[table][0])
                    names, values = ", ".join(columns), ", ".join(f":{c}" for c in columns)
                    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"), saved[table])


def test_a_tampered_record_is_named_in_each_group_and_at_the_seams(engine: Engine) -> None:
    """With groups of three, altering the first, a middle and the last record of a group is found alike."""
    _fill()
    for seq in (1, 2, 3, 4, 8, 9, 16):
        with engine.begin() as conn, _as_dba(conn):
            conn.execute(text("UPDATE audit_records SET request_id = 'other' WHERE seq = :s"), {"s": seq})
        saved, bulk.GROUP = bulk.GROUP, 3
        try:
            grouped, by_rows = _verdicts(1)
        finally:
            bulk.GROUP = saved
        assert grouped == by_rows
        assert not grouped.ok and grouped.first_broken_seq == seq
        assert grouped.problem == f"record {seq} was altered (its hash does not match)"
        with engine.begin() as conn, _as_dba(conn):
            conn.execute(text("UPDATE audit_records SET request_id = 'req' WHERE seq = :s"), {"s": seq})


@pytest.mark.parametrize("value", ['x"y', "x\\y", "x\ty"])
def test_a_hash_over_unescaped_json_is_not_taken_for_the_record(engine: Engine, value: str) -> None:
    """A record whose stored hash covers its strings written without JSON escapes is altered, by groups too.

    PostgreSQL's grouped read writes the strings between plain quotes, which is their JSON only when
    none needs an escape: a group holding such a string must be read row by row, or a forged hash over
    the unescaped bytes would pass there and be caught one record later, with another verdict.
    """
    _fill()
    with engine.begin() as conn, _as_dba(conn):
        conn.execute(text("UPDATE audit_records SET object_id = :v WHERE seq = 5"), {"v": value})
        row = conn.execute(text(f"{verification._RECORDS} WHERE seq = 5")).one()
        escaped = canonical_form.quote_string(value).encode()
        plain = verification._python_body(row).replace(escaped, f'"{value}"'.encode())
        forged = hashlib.sha256(row[1].encode() + b"\n" + plain).hexdigest()
        conn.execute(text("UPDATE audit_records SET hash = :h WHERE seq = 5"), {"h": forged})
    grouped, by_rows = _verdicts(1)
    assert grouped == by_rows
    assert not grouped.ok and grouped.first_broken_seq == 5 and "altered" in (grouped.problem or "")
