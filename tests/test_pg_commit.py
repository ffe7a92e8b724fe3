"""PostgreSQL: a transaction holding the audit head commits without waiting for its log's flush, and the same
connection flushes the log before the commit returns (`pg_commit`): the commit returns once what it wrote is
on disk, a failed flush fails the commit, and a transaction that does not hold the head (or rolls back)
flushes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from outrider import db, pg_commit
from outrider.audit import service as audit

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="api", request_id="r")


@pytest.fixture
def pg(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite syncs its log after the write turn itself (`db`)")
    return engine


def _lsn(engine: Engine, what: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT {what} - '0/0'::pg_lsn")).scalar_one())


def _spy(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Each flush: the end of the log as it began (the commit before it in it) and the log flushed after."""
    seen: list[tuple[int, int]] = []
    flush: Callable[[Any], None] = pg_commit._flush

    def spy(raw: Any) -> None:
        written = _lsn(engine, "pg_current_wal_insert_lsn()")
        flush(raw)
        seen.append((written, _lsn(engine, "pg_current_wal_flush_lsn()")))

    monkeypatch.setattr(pg_commit, "_flush", spy)
    return seen


def _append(session: Any, k: int) -> None:
    audit.record(session, actor=ACTOR, action="test.flush", object_type="t", object_id=k, now=T0)


def test_a_holder_of_the_head_commits_without_waiting_then_flushes(
    pg: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _spy(pg, monkeypatch)
    with db.transaction() as session:
        _append(session, 1)
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
    assert len(seen) == 1
    written, flushed = seen[0]
    assert flushed >= written  # the commit is on disk once the commit has returned
    with db.transaction() as session:  # the setting was the transaction's only
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
        _append(session, 2)
        _append(session, 3)  # one flush a transaction, however many appends
    assert len(seen) == 2
    with pg.begin() as conn:  # a transaction that does not hold the head: the server's own commit
        conn.execute(text("SELECT 1"))
    assert len(seen) == 2


def test_a_failed_flush_fails_the_commit(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as session:  # a connection in the pool, its flush tried as it connected
        _append(session, 0)
    monkeypatch.setattr(pg_commit, "_FLUSH", "SELECT no_such_function_at_all()")
    with pytest.raises(DBAPIError, match="no_such_function_at_all"), db.transaction() as session:
        _append(session, 1)
    monkeypatch.undo()
    with db.transaction() as session:  # the connections are fit for the next transaction
        _append(session, 2)
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "off"


def test_a_holder_rolled_back_flushes_nothing(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(pg, monkeypatch)
    with db.transaction() as session:
        _append(session, 1)
        session.rollback()
    with db.transaction() as session:  # the same connection again (the pool's last in): nothing marked
        session.execute(text("SELECT 1"))
    assert seen == []


def test_a_connection_that_may_not_flush_so_commits_as_before(
    pg: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _spy(pg, monkeypatch)
    monkeypatch.setattr(pg_commit, "_FLUSH", "SELECT no_such_function_at_all()")  # refused as it connects
    engine = db.make_engine(pg.url.render_as_string(hide_password=False))
    try:
        with Session(engine) as session:
            _append(session, 1)
            assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
            session.commit()  # flushed in the commit, as before
    finally:
        engine.dispose()
    assert seen == []
