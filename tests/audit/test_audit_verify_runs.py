"""Signed heads proved plain in the database (runs) give the verdict the heads read one by one give.

Verification hands the walk the signed heads of a group of records as one run when the database shows
them chained, rising and under one key (audit/heads.py); the walk matches their hashes against the
records and reads them one by one wherever the run does not hold. Hypothesis tampers with the signed
heads (and records) of a log written under two keys, with groups small enough that tamperings fall
inside groups and at their seams, with and without an exported checkpoint, in one process and in two,
and the verdicts with and without runs must agree field for field. Also: a NUL character hidden in a
field on SQLite (where the database's format() would stop at it) is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, text
from test_audit_tamper_db import as_dba, fill
from typer.testing import CliRunner

from outrider import db
from outrider.audit import bulk, chain, heads, verification
from outrider.audit import service as audit
from outrider.cli import app
from outrider.settings import get_settings

TABLES = ("audit_records", "audit_checkpoints", "audit_head", "audit_keys")
HEAD_TAMPERINGS = [
    "UPDATE audit_checkpoints SET hash = 'x' WHERE seq = {s}",
    "UPDATE audit_checkpoints SET hash = (SELECT hash FROM audit_records WHERE seq = 1) WHERE seq = {s}",
    "UPDATE audit_checkpoints SET prev_seq = NULL WHERE seq = {s}",
    "UPDATE audit_checkpoints SET prev_seq = prev_seq - 1 WHERE seq = {s}",
    "UPDATE audit_checkpoints SET prev_seq = seq WHERE seq = {s}",
    "UPDATE audit_checkpoints SET seq = seq - 1 WHERE seq = {s}",
    "UPDATE audit_checkpoints SET public_key = (SELECT min(public_key) FROM audit_keys) WHERE seq = {s}",
    "UPDATE audit_checkpoints SET public_key = (SELECT max(public_key) FROM audit_keys) WHERE seq = {s}",
    "UPDATE audit_checkpoints SET public_key = 'k,1' WHERE seq = {s}",
    "UPDATE audit_checkpoints SET signature = 'AAAA' WHERE seq = {s}",
    "DELETE FROM audit_checkpoints WHERE seq = {s}",
    "INSERT INTO audit_checkpoints (seq, hash, at, signature, public_key, prev_seq) "
    "SELECT seq, hash, at, signature, public_key, prev_seq FROM audit_checkpoints WHERE seq = {s}",
    "UPDATE audit_records SET channel = 'web' WHERE seq = {s}",
    "DELETE FROM audit_records WHERE seq = {s}",
]
RECORDS = 18


@pytest.fixture
def two_keys_log(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Engine, list[chain.Checkpoint]]]:
    """18 records, two or three to a transaction, under a key rotated half-way; and its exported heads."""
    monkeypatch.setenv("OUTRIDER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OUTRIDER_AUDIT_SIGNING_KEY", raising=False)
    get_settings.cache_clear()
    fill(8, per_transaction=2)
    assert CliRunner().invoke(app, ["audit", "rotate-key"]).exit_code == 0  # record 9
    fill(9, per_transaction=3, start=10)
    with db.transaction() as session:  # as exported: the newest head of each key; and one inside a group
        kept = [*audit.checkpoints(session, decisive=True), audit.checkpoints(session)[2]]
    yield engine, kept
    get_settings.cache_clear()


def _verdicts(workers: int, extra: list[chain.Checkpoint]) -> tuple[chain.Verdict, chain.Verdict]:
    with db.transaction() as session:
        try:
            by_runs = audit.verify(session, workers=workers, min_parallel=0, extra_checkpoints=extra)
            verification._RUNS = False
            one_by_one = audit.verify(session, workers=workers, min_parallel=0, extra_checkpoints=extra)
        finally:
            verification._RUNS = True
    return by_runs, one_by_one


def _saved(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {t: [dict(r) for r in conn.execute(text(f"SELECT * FROM {t}")).mappings()] for t in TABLES}


def _restore(engine: Engine, saved: dict[str, list[dict[str, Any]]]) -> None:
    def put_back(conn: Connection) -> None:
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
            if saved[table]:
                names = list(saved[table][0])
                columns, values = ", ".join(names), ", ".join(f":{c}" for c in names)
                conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), saved[table])

    as_dba(engine, put_back)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    tamperings=st.lists(
        st.tuples(st.sampled_from(HEAD_TAMPERINGS), st.integers(1, RECORDS + 1)), min_size=0, max_size=2
    ),
    workers=st.sampled_from([1, 2]),
    group=st.sampled_from([3, 5, 8]),
    exported=st.booleans(),
)
def test_runs_and_heads_one_by_one_agree(
    two_keys_log: tuple[Engine, list[chain.Checkpoint]],
    tamperings: list[tuple[str, int]],
    workers: int,
    group: int,
    exported: bool,
) -> None:
    engine, kept = two_keys_log
    if workers > 1 and engine.url.database in (None, "", ":memory:"):
        workers = 1
    saved, bulk.GROUP = bulk.GROUP, group
    before = _saved(engine)
    try:

        def tamper(conn: Connection) -> None:
            for sql, seq in tamperings:
                conn.execute(text(sql.format(s=seq)))

        as_dba(engine, tamper)
        by_runs, one_by_one = _verdicts(workers, kept if exported else [])
        assert by_runs == one_by_one
        if not tamperings:
            assert by_runs.ok and by_runs.records == RECORDS, by_runs
    finally:
        bulk.GROUP = saved
        _restore(engine, before)


def test_runs_are_what_verification_reads_for_an_intact_log(engine: Engine) -> None:
    """On an intact log every group's signed heads come as one run, and count as all of them."""
    fill(24, per_transaction=2)
    raw = engine.raw_connection()
    try:

        def light(where: str) -> list[chain.Mark]:
            return verification._stored_marks(raw, where, False)

        marks = heads.marks(raw, engine.dialect.name, 1, 24, below=-(2**62), external=[], light=light)
        expanded = heads.expander(light)(marks[0])
    finally:
        raw.close()
    assert [m[4] for m in marks] == [chain.RUN] * len(marks) and len(marks) == -(-24 // bulk.GROUP)
    assert sum(m[5][0] for m in marks) == 12
    assert [m[0] for m in expanded] == list(range(2, min(bulk.GROUP, 24) + 1, 2))
    by_runs, one_by_one = _verdicts(1, [])
    assert by_runs == one_by_one and by_runs.ok and by_runs.checkpoints >= 12  # and the witness


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_records SET details = details || char(0) || 'x' WHERE seq = 5",
        "UPDATE audit_records SET fields = fields || char(0) || '[]' WHERE seq = 5",
        "UPDATE audit_records SET at = substr(at, 1, 22) || char(0) || '000' WHERE seq = 5",
        "UPDATE audit_records SET organization_id = organization_id || char(0) || '9' WHERE seq = 5",
        "UPDATE audit_records SET user_id = user_id || char(0) || '9' WHERE seq = 5",
        "UPDATE audit_records SET object_id = object_id || char(0) || '9' WHERE seq = 5",
    ],
)
@pytest.mark.parametrize("grouped", [True, False])
def test_a_nul_character_hidden_in_a_field_is_found(engine: Engine, sql: str, grouped: bool) -> None:
    """Found: SQLite's format() stops a value at a NUL, so what followed it went unhashed and unnoticed."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL text cannot hold a NUL character")
    fill(8, per_transaction=2)
    as_dba(engine, lambda c: c.execute(text(sql)))
    verification._GROUPED = grouped
    try:
        with db.transaction() as session:
            verdict = audit.verify(session)
    finally:
        verification._GROUPED = True
    assert not verdict.ok and verdict.first_broken_seq == 5
    assert verdict.problem == "record 5 was altered (its hash does not match)"
