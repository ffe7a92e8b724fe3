"""Engine, sessions and the declarative base. The caller owns the transaction."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from outrider.settings import Settings, get_settings

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every Outrider table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC; SQLite hands it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: times must carry a zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: SAVEPOINTs
    # (session.begin_nested) only work reliably this way.
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front: a transaction that reads and then writes (every audited
    # request) waits its turn instead of failing with "database is locked" when another one writes.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None


def get_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine for the configured database (created on first use)."""
    global _engine, _factory
    if _engine is None:
        s = settings or get_settings()
        if s.database_url is None:
            s.data_dir.mkdir(parents=True, exist_ok=True)
        _engine = make_engine(s.effective_database_url)
        _factory = sessionmaker(bind=_engine, expire_on_commit=False)
    return _engine


def set_engine(engine: Engine | None) -> None:
    """Replace the process-wide engine (tests, embedded runs)."""
    global _engine, _factory
    _engine = engine
    _factory = sessionmaker(bind=engine, expire_on_commit=False) if engine is not None else None


def session_factory() -> sessionmaker[Session]:
    """The session factory bound to the process-wide engine."""
    get_engine()
    assert _factory is not None
    return _factory


@contextlib.contextmanager
def transaction() -> Iterator[Session]:
    """Open a session and a transaction: commit on success, roll back on any error.

    A domain error may carry evidence of the refusal to keep (`OutriderError.after_rollback`, e.g. the
    protocol evaluation that refused an approval): it is recorded in a transaction of its own once the
    refused one has rolled back. Failing to record it is logged and never hides the refusal."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        session.rollback()
        record = getattr(exc, "after_rollback", None)
        if record is not None:
            record_after_rollback(record)
        raise
    finally:
        session.close()


def record_after_rollback(record: Callable[[Session], None]) -> None:
    """Record a refused operation's evidence in a transaction of its own (see `transaction`)."""
    session = session_factory()()
    try:
        record(session)
        session.commit()
    except Exception:
        session.rollback()
        log.exception("could not record the evidence of a refused operation")
    finally:
        session.close()


def utcnow() -> datetime:
    """The current time, aware, in UTC (the one clock of the imperative shell)."""
    return datetime.now(UTC)
