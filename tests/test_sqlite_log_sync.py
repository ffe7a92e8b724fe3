"""SQLite's log is synced after the write turn, before the commit returns: a write acknowledged after its
commit is durable, and the turn is not held through the sync (`outrider.db`, "Storage")."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from outrider import db


@pytest.fixture
def file_engine(tmp_path: Path) -> Any:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'outrider.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"))
    yield engine
    engine.dispose()


def _turn_is_free(engine: Engine) -> bool:
    fd = os.open(f"{engine.url.database}-turn", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch, file_engine: Engine) -> list[tuple[str, bool, int]]:
    """Each sync of the log: its file, whether the turn was free then, and the rows committed by then
    (read by a plain connection of its own, as another process would see them)."""
    seen: list[tuple[str, bool, int]] = []
    sync = db._sync_log

    def recorded(path: str) -> None:
        with contextlib.closing(sqlite3.connect(str(file_engine.url.database))) as other:
            rows = other.execute("SELECT count(*) FROM t").fetchone()[0]
        seen.append((path, _turn_is_free(file_engine), rows))
        sync(path)

    monkeypatch.setattr(db, "_sync_log", recorded)
    return seen


def test_a_commit_syncs_the_log_after_the_turn_and_before_it_returns(
    file_engine: Engine, syncs: list[tuple[str, bool, int]]
) -> None:
    with Session(file_engine) as session:
        session.execute(text("INSERT INTO t (v) VALUES (1)"))
        assert syncs == []  # nothing is synced before the commit
        session.commit()
        assert syncs == [(f"{file_engine.url.database}-wal", True, 1)]


def test_a_read_syncs_nothing_and_a_write_without_the_session_does(
    file_engine: Engine, syncs: list[tuple[str, bool, int]]
) -> None:
    with file_engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM t")).scalar_one()
    assert syncs == []
    with file_engine.begin() as conn:
        conn.execute(text("INSERT INTO t (v) VALUES (2)"))
    assert [(free, rows) for _path, free, rows in syncs] == [(True, 1)]


def test_the_commit_leaves_the_sync_to_the_turn_s_end_only_for_a_file(tmp_path: Path) -> None:
    on_file = db.make_engine(f"sqlite:///{tmp_path / 'outrider.db'}")
    in_memory = db.make_engine("sqlite://")
    try:
        with on_file.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 1  # NORMAL: synced at release
        with in_memory.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL: SQLite's own
    finally:
        on_file.dispose()
        in_memory.dispose()
