"""Shared fixtures: a database on SQLite and on a real PostgreSQL that the suite starts itself."""

from __future__ import annotations

import os
import secrets
import subprocess
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings
from sqlalchemy import Engine

from fresh_databases import BACKENDS, EMPTY, Snapshot, migrated_database, reset, snapshot
from outrider import db
from outrider.settings import get_settings
from shared_material import IN_CI, SHARED, shared_dir  # noqa: F401  (shared_dir: for the modules that import it)
from throwaway_postgres import start_postgres
from world_users import World, build_world

# Property tests judge behaviour, not speed: no per-example deadline (hypothesis's default 200 ms is a timing
# assertion that a loaded 2-core CI machine fails at random). Speed is measured in benchmarks/.
settings.register_profile("outrider", deadline=None)
settings.load_profile("outrider")


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test runs with its own data directory, the test environment and the test cost of password
    hashes (argon2id in 8 MiB and one pass: each sign-in or PIN costs 6 ms of CPU, not 0.2 s); the servers
    and commands the tests start inherit them with os.environ."""
    data_dir = tmp_path_factory.mktemp("outrider-data")
    os.environ["OUTRIDER_DATA_DIR"] = str(data_dir)
    os.environ["OUTRIDER_ENV"] = "test"
    os.environ["OUTRIDER_PASSWORD_HASH_COST"] = "test"
    os.environ["OUTRIDER_SECRET_KEY"] = secrets.token_urlsafe(48)
    os.environ.pop("OUTRIDER_DATABASE_URL", None)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _composed() -> None:
    """The domains wired as every program wires them (the protocol gate, the party authority)."""
    from outrider.compose import compose

    compose()


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a PostgreSQL started for this test session (never skipped under CI=true)."""
    try:
        server = start_postgres()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        message = f"cannot start PostgreSQL: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server.url
    finally:
        server.stop()


# --- engines ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """An engine on a database migrated to head, shared by the tests of one module and backend."""
    engine = migrated_database(str(request.param), request, tmp_path_factory.mktemp("db"))
    yield engine
    engine.dispose()


@pytest.fixture
def engine(request: pytest.FixtureRequest, migrated_engine: Engine) -> Iterator[Engine]:
    """A clean, migrated database installed as the application's engine for one test (holding the world's
    rows when the test asks for `world`)."""
    reset(migrated_engine, _world_of(migrated_engine)[1] if "world" in request.fixturenames else EMPTY)
    db.set_engine(migrated_engine)
    yield migrated_engine
    db.set_engine(None)


# --- a small world of organisations, users and clients -------------------------------------------


@pytest.fixture
def world(engine: Engine) -> World:
    """Four organisations (host, embassy, two companies) and one user per role, each with a token."""
    return _world_of(engine)[0]


# Each module's database (and backend) builds the world through the services once; its rows are put back
# before each test that asks for it (`engine`): the same rows in under half the time of building them again.
_worlds: weakref.WeakKeyDictionary[Engine, tuple[World, Snapshot]] = weakref.WeakKeyDictionary()


def _world_of(engine: Engine) -> tuple[World, Snapshot]:
    found = _worlds.get(engine)
    if found is None:
        reset(engine)
        db.set_engine(engine)
        try:
            world = build_world()
        finally:
            db.set_engine(None)
        found = _worlds[engine] = (world, snapshot(engine))
    return found


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    """An HTTP client of the application on the test's engine."""
    from outrider.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def enact(world: World) -> Callable[[str, dict[str, Any]], dict[str, Any]]:
    """Propose a change to what the founding parties agreed and have both of their admins approve it."""
    from outrider.accounts.models import User
    from outrider.governance import service as governance_service
    from outrider.governance.rules import Kind
    from outrider.http import caller_of

    def run(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        now = db.utcnow()
        with db.transaction() as session:
            host, partner = (
                caller_of(session.get_one(User, world[n].user_id)) for n in ("admin", "embassy_admin")
            )
            row = governance_service.propose(session, caller=host, kind=Kind(kind), payload=payload, now=now)
            for who in (host, partner):
                row = governance_service.approve(
                    session, caller=who, proposal_id=row.id, payload_hash=row.payload_hash, now=now
                )
            assert row.state == "enacted", row.state
            return dict(row.result)

    return run


# --- order: the longest modules first ----------------------------------------------------------------

# The workers take tests in collection order; a long test taken last keeps one worker busy while the other
# has nothing left. These modules hold the suite's longest tests (minutes each under load): they go first.
FIRST = ("tests/test_schemathesis.py", "tests/test_serve_end_to_end.py", "tests/web/test_web_demo_walk.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in FIRST)  # stable: order kept within


def pytest_collection_finish(session: pytest.Session) -> None:
    """Each test process keeps what it imported and collected out of the collector's walks, as a server
    does (`app.served_app`): a worker holds the whole application, the test libraries and thousands of
    collected items, and every full collection walked them all (an eighth of the CPU of an API test
    module); young collections wait for 20,000 allocations. Cycles are still collected."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
