"""The two databases every service and API test runs on, and a fresh empty database of either kind: apart from
conftest.py so a test module can import them (`from fresh_databases import BACKENDS, fresh_database`).

`migrated_database` gives a fresh database at the migrations' head without running them again: the first call
of a test process migrates a template (a SQLite file; a PostgreSQL database), every later one copies it (a
file copy; `CREATE DATABASE ... TEMPLATE`), which is what a migration would have built, for a fiftieth of the
time."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Table, text

from outrider import db, migrate
from outrider.audit import chain, witness

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

_serial = itertools.count()
# backend (and server) -> the migrated template of this test process: a SQLite file or a database name
_templates: dict[str, str] = {}


def _database_name() -> str:
    return f"t_{int(time.time() * 1000) % 10**9}_{os.getpid()}_{next(_serial)}"


def _create_database(base_url: str, name: str, template: str | None = None) -> Engine:
    admin = db.make_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()
    return db.make_engine(base_url.rsplit("/", 1)[0] + f"/{name}")


def fresh_database(backend: str, request: pytest.FixtureRequest, tmp: Path) -> Engine:
    """An empty database (no tables), for tests of the migrations themselves."""
    if backend == "sqlite":
        return db.make_engine(f"sqlite:///{tmp / 'outrider.db'}")
    return _create_database(request.getfixturevalue("pg_url"), _database_name())


def migrated_database(backend: str, request: pytest.FixtureRequest, tmp: Path) -> Engine:
    """A new database at the migrations' head, copied from this process's migrated template."""
    if backend == "sqlite":
        template = _templates.get("sqlite")
        if template is None:
            template = str(_migrated_sqlite_template(request.getfixturevalue("tmp_path_factory")))
            _templates["sqlite"] = template
        shutil.copyfile(template, tmp / "outrider.db")
        return db.make_engine(f"sqlite:///{tmp / 'outrider.db'}")
    base_url: str = request.getfixturevalue("pg_url")
    template = _templates.get(base_url)
    if template is None:
        template = _database_name() + "_template"
        engine = _create_database(base_url, template)
        migrate.upgrade(engine)
        engine.dispose()  # a template is copied only while nobody is connected to it
        _templates[base_url] = template
    return _create_database(base_url, _database_name(), template)


def _migrated_sqlite_template(factory: pytest.TempPathFactory) -> Path:
    path = factory.mktemp("template") / "outrider.db"
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    conn = sqlite3.connect(path)  # everything into the main file, so that the file alone is the database
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


# --- a database emptied, or put back to a snapshot, between tests --------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What a database held at one moment: every table's rows, PostgreSQL's sequences, the audit witness."""

    rows: list[tuple[Table, list[dict[str, Any]]]] = field(default_factory=list)
    sequences: list[tuple[str, int]] = field(default_factory=list)
    witness: chain.Checkpoint | None = None


EMPTY = Snapshot()


def snapshot(engine: Engine) -> Snapshot:
    """The rows of a database a module built once (a world, a scene), for `reset` to put back before each
    test: the tests stay independent without each rebuilding what they share through the API."""
    with engine.connect() as conn:
        rows = [(t, [dict(r._mapping) for r in conn.execute(t.select())]) for t in _tables()]
        sequences: list[tuple[str, int]] = []
        if engine.dialect.name == "postgresql":
            found = conn.execute(
                text("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
            )
            sequences = [(str(name), int(last)) for name, last in found if last is not None]
    seen = witness.read(witness.database_identity(engine.url))
    return Snapshot([(t, r) for t, r in reversed(rows) if r], sequences, seen)


def reset(engine: Engine, to: Snapshot = EMPTY) -> None:
    """Empty every table of a migrated database (and restart its sequences), then put back a snapshot's
    rows; the audit witness goes back with them (it speaks for the log the database holds)."""
    witness.forget_all()  # the databases are emptied on purpose: their witnesses go with them
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            _reset_postgresql(conn, to)
        else:
            _reset_sqlite(conn, to)
    if to.witness is not None:
        witness.write(witness.database_identity(engine.url), to.witness)


def _tables() -> list[Table]:
    return list(reversed(migrate.target_metadata().sorted_tables))  # the referring tables first


def _reset_postgresql(conn: Connection, to: Snapshot) -> None:
    # The audit log refuses deletion, whoever asks; the superuser test role switches triggers off (and
    # with them the foreign-key checks of the rows put back, which were consistent when they were read).
    # DELETE, not TRUNCATE: a TRUNCATE of every table gives each new files (0.1-0.3 s a test), while the
    # few rows a test leaves go in milliseconds; then every sequence restarts, as TRUNCATE's did.
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    conn.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in _tables()))
    conn.exec_driver_sql("SELECT setval(seqrelid, seqstart, false) FROM pg_sequence")
    for table, rows in to.rows:
        conn.execute(table.insert(), rows)
    for name, last in to.sequences:
        conn.execute(
            text("SELECT setval(CAST(:name AS regclass), :last, true)"), {"name": name, "last": last}
        )


def _reset_sqlite(conn: Connection, to: Snapshot) -> None:
    # The audit log's append-only triggers are dropped for the cleanup and put back.
    triggers = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _sql in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    for table in _tables():
        conn.execute(table.delete())
    for table, rows in to.rows:
        conn.execute(table.insert(), rows)
    for _name, sql in triggers:
        conn.execute(text(sql))
