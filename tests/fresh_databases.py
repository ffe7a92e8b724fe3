"""The two databases every service and API test runs on, and a fresh empty database of either kind: apart from
conftest.py so a test module can import them (`from fresh_databases import BACKENDS, fresh_database`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from outrider import db

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def fresh_database(backend: str, request: pytest.FixtureRequest, tmp: Path) -> Engine:
    if backend == "sqlite":
        return db.make_engine(f"sqlite:///{tmp / 'outrider.db'}")
    base_url: str = request.getfixturevalue("pg_url")
    name = f"t_{int(time.time() * 1000) % 10**9}_{os.getpid()}_{abs(hash(tmp)) % 10**6}"
    admin = db.make_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return db.make_engine(base_url.rsplit("/", 1)[0] + f"/{name}")
