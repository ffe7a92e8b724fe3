"""Engine, sessions and the declarative base. The caller owns the transaction."""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import logging
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from outrider import pg_commit
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


# --- SQLite: readers never wait, writers take turns (docs/architecture.md, "Storage") ------------------

POOL_SIZE = 16  # connections an engine keeps open (`make_engine`), either database; the load has 16 clients
WRITE_LOCK_TIMEOUT_S = 10.0  # longer than any write transaction; then "database is locked", not a hang
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"})
_HOLDS = "outrider_write_lock"
_WROTE = "outrider_wrote"  # a write statement ran (a schema change counts no changed row)
_SYNCED = "outrider_changes_synced"  # the connection's count of changed rows when its log was last synced
# Each SQLite engine's way to take its write turn (for `write_turn`, which takes it in mid-transaction).
_turns: weakref.WeakKeyDictionary[Engine, Callable[[Connection], None]] = weakref.WeakKeyDictionary()


class _Mode:
    """How this context's SQLite transactions begin (mutable, so a response that starts can flip it)."""

    __slots__ = ("optimistic",)

    def __init__(self, optimistic: bool) -> None:
        self.optimistic = optimistic


_IMMEDIATE = _Mode(False)
_mode: contextvars.ContextVar[_Mode] = contextvars.ContextVar("outrider_sqlite_mode", default=_IMMEDIATE)


class StaleSnapshot(Exception):
    """A deferred SQLite transaction read, another one committed, then it tried to write: run it again."""


@contextlib.contextmanager
def optimistic_sqlite() -> Iterator[_Mode]:
    """Within: SQLite transactions begin deferred and take the write lock at their first write.

    A transaction whose reads went stale before that first write fails with `StaleSnapshot`; the caller
    runs its whole unit of work again outside this block (where every transaction takes the lock at
    BEGIN, so the second run cannot go stale). Set ``optimistic = False`` on the yielded mode to end it
    early (e.g. once a response has started and can no longer be run again)."""
    mode = _Mode(True)
    token = _mode.set(mode)
    try:
        yield mode
    finally:
        _mode.reset(token)


def write_turn(session: Session) -> None:
    """Take the write turn now, before reading what is about to be written from (SQLite; elsewhere nothing).

    A request reads without the turn (the token, the caller, the board's lines); a service calls this just
    before the reads its writes depend on, or just before a write that depends on nothing it read. When
    the transaction has written nothing yet, its read snapshot is ended and a new one begins `IMMEDIATE`:
    everything read from here on is current and cannot go stale, and the turn is held only from here to
    the commit, not across the hand-offs between the event loop and the threads that came before. A
    transaction that has written already holds the turn; then this does nothing."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    record = conn.connection.record_info
    assert record is not None, "a pooled SQLite connection has a record"
    if record.get(_HOLDS):
        return
    take = _turns[conn.engine]  # every SQLite engine is made by make_engine
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if raw.in_transaction:
        raw.execute("COMMIT")  # a read-only snapshot: nothing is lost by ending it
    take(conn)
    raw.execute("BEGIN IMMEDIATE")


def has_written(session: Session) -> bool:
    """Whether this session's transaction has written (or has objects still to flush), or holds the write
    turn (SQLite): such a transaction must commit its own writes itself, never wait for another's commit
    (`audit.gathered`: another transaction that waited for what this one holds would never come)."""
    if session.new or session.dirty or session.deleted:
        return True
    if not session.in_transaction():
        return False
    info = session.connection().connection.record_info
    return info is not None and bool(info.get(_WROTE) or info.get(_HOLDS))


def is_stale_snapshot(exc: BaseException) -> bool:
    """True for the error an optimistic SQLite transaction raises when it must run again."""
    if isinstance(exc, StaleSnapshot):
        return True
    orig = getattr(exc, "orig", None)
    # SQLITE_BUSY (5) with its extended codes, BUSY_SNAPSHOT (517) among them; SQLITE_LOCKED (6)
    return isinstance(exc, OperationalError) and getattr(orig, "sqlite_errorcode", 0) & 0xFF in (5, 6)


class _ProcessTurn:
    """The write turn between processes on one database file (several server workers, a CLI beside them):
    an advisory lock on a file next to it, waited for in steps of a millisecond or two, where SQLite's
    busy handler sleeps up to 100 ms between tries and let a turn pass unused that long."""

    def __init__(self, database: str) -> None:
        self.fd = os.open(f"{database}-turn", os.O_RDWR | os.O_CREAT, 0o600)

    def take(self, deadline: float) -> bool:
        pause = 0.0005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)


def _process_turn(engine: Engine) -> _ProcessTurn | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None  # a database no other process can open
    os.makedirs(os.path.dirname(database) or ".", exist_ok=True)  # a fresh machine's data folder
    turn = _ProcessTurn(database)
    weakref.finalize(engine, os.close, turn.fd)
    return turn


def _log_of(engine: Engine) -> str | None:
    """The write-ahead log of a database file named by its path (None: in memory, or a `file:` URI)."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}-wal"


def _sync_log(path: str) -> None:
    """Make everything written to the log so far durable (what this connection committed with it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # the last connection's checkpoint synced the database and removed the log
        return
    try:
        _datasync(fd)
    finally:
        os.close(fd)


_datasync = getattr(os, "fdatasync", os.fsync)


def _synced_after_the_turn(dbapi_connection: Any, record: Any) -> None:
    # The commit writes its frames to the log and returns; the log is synced after the turn (`release`)
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    record.info[_SYNCED] = dbapi_connection.total_changes


def _sqlite_write_lock(engine: Engine) -> None:
    # One in-process lock per engine serialises the writers of this process: SQLite allows one writer at
    # a time anyway, and a thread waiting on a lock wakes at once where SQLite's busy handler polls. The
    # process's writer then takes the turn between processes (`_ProcessTurn`).
    lock = threading.Lock()
    between = _process_turn(engine)
    log_file = _log_of(engine)
    if log_file is not None:
        event.listen(engine, "connect", _synced_after_the_turn)

    def take(conn: Connection, writing: bool = False) -> None:
        info = conn.connection.record_info
        assert info is not None, "a pooled SQLite connection has a record"
        if writing:
            info[_WROTE] = True
        if info.get(_HOLDS):
            return
        deadline = time.monotonic() + WRITE_LOCK_TIMEOUT_S
        if not lock.acquire(timeout=WRITE_LOCK_TIMEOUT_S):
            raise _no_turn()
        if between is not None and not between.take(deadline):
            lock.release()
            raise _no_turn()
        info[_HOLDS] = True

    def begin(conn: Connection) -> None:
        if _mode.get().optimistic:
            conn.exec_driver_sql("BEGIN")  # reads take no lock; the first write takes one (below)
            return
        # IMMEDIATE: the write lock from the start, so a transaction that reads and then writes can
        # never find its reads stale (the CLI, the jobs, a request run again).
        take(conn)
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    def before_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in _WRITES:
            take(conn, writing=True)

    def release(dbapi_connection: Any, record: Any) -> None:
        # A connection back in the pool has committed or rolled back (the pool resets it): its turn ends.
        held = record.record_info.pop(_HOLDS, False)
        wrote = record.record_info.pop(_WROTE, False)
        if held:
            if between is not None:
                between.release()
            lock.release()
        # Then, before the commit returns to its caller (and so before any answer): what it wrote is
        # synced, outside the turn, where the next writer's work and other syncs overlap this one.
        if log_file is not None and dbapi_connection is not None:
            changes = dbapi_connection.total_changes
            if wrote or changes != record.info.get(_SYNCED):
                record.info[_SYNCED] = changes
                _sync_log(log_file)

    _turns[engine] = take
    event.listen(engine, "begin", begin)
    event.listen(engine, "before_cursor_execute", before_write)
    event.listen(engine, "handle_error", _stale_as_such)
    event.listen(engine.pool, "checkin", release)


def _no_turn() -> OperationalError:
    return OperationalError(
        "BEGIN", None, TimeoutError(f"database is locked: no write turn in {WRITE_LOCK_TIMEOUT_S}s")
    )


def _stale_as_such(context: Any) -> BaseException | None:
    # Only an optimistic transaction may be run again; elsewhere "database is locked" stays what it is.
    if _mode.get().optimistic and is_stale_snapshot(context.sqlalchemy_exception):
        return StaleSnapshot(str(context.original_exception))
    return None


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and one writer at a time."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        # As many connections kept as a server process has requests in flight: beyond the pool's default
        # five, each request under the load opened a connection of its own and closed it (2-4 ms of CPU:
        # SQLite reads the whole schema on a new connection's first statement).
        kwargs.setdefault("pool_size", POOL_SIZE)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        _sqlite_write_lock(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # PostgreSQL too: beyond the pool's default five, a request opened a connection and closed it on its
    # return (a server process forked for it, the sign-in, the dialect's first look, in each such request).
    kwargs.setdefault("pool_size", POOL_SIZE)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        pg_commit.install(engine)  # the audit head's holders flush their log after the lock (`pg_commit`)
    event.listen(engine, "before_cursor_execute", _note_write)  # for `has_written` (SQLite's turn notes it)
    event.listen(engine.pool, "checkin", _forget_write)
    return engine


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip().split(None, 1)[0].upper() in _WRITES:
        info = conn.connection.record_info
        if info is not None:
            info[_WROTE] = True


def _forget_write(_dbapi_connection: Any, record: Any) -> None:
    if record.record_info is not None:
        record.record_info.pop(_WROTE, None)


_engine: Engine | None = None
_factory: sessionmaker[Session] | None = None

# How long a thread may keep the interpreter lock while another waits for it. A writer gives the lock up at
# every statement and at its commit's fsync and must then wait for it while it holds the write turn
# (SQLite) or the audit head's row lock (PostgreSQL), which every other writer waits for. At Python's
# default of 5 ms, a transaction of 12 statements and a commit beside 6 busy request threads took 52-63
# ms at the median; at 1 ms, 15 ms. Under the load (SQLite, 2 workers, load average 8) the mix went from
# 25 and 39 to 43 and 54 requests/s, the board's p99 from 3.7 and 1.9 s to 0.62 and 0.65 s.
SWITCH_INTERVAL_S = 0.001


def _writers_get_the_interpreter_back_promptly() -> None:
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def get_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine for the configured database (created on first use)."""
    global _engine, _factory
    if _engine is None:
        s = settings or get_settings()
        if s.database_url is None:
            s.data_dir.mkdir(parents=True, exist_ok=True)
        _writers_get_the_interpreter_back_promptly()  # the process that serves writes (a server worker)
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
    token = _mode.set(_IMMEDIATE)  # evidence is written once: it must not be refused as stale
    try:
        _record_after_rollback(record)
    finally:
        _mode.reset(token)


def _record_after_rollback(record: Callable[[Session], None]) -> None:
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
