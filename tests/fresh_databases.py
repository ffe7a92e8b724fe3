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
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from outrider import db, migrate

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
