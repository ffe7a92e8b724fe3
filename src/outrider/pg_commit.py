"""PostgreSQL: a transaction holding the lock every writer waits for commits first and flushes its log after.

Every transaction that appends to the audit chain holds the chain's head row lock (`audit.service`) from its
append to its commit, and the lock is released only once the commit has returned, that is after the server
has flushed the commit's log to disk (3.5-4 ms on the load's machine, the longest part of a check-in's
hold). PostgreSQL flushes the commits of concurrent transactions together, but transactions that queue on
one row never commit concurrently: each waited for the one before it and for its flush. So, as SQLite's
connections sync their log after their write turn (`db`), such a transaction here commits with
`synchronous_commit` off (its commit record is written, its locks released, the next holder goes on) and
the same connection then waits for the flush before the commit returns to its caller: it commits one more
transaction of its own, synchronously, whose one write is an empty message to the log
(`pg_logical_emit_message`, transactional so that it has a transaction id and its commit waits for the
flush). The log is flushed in order, so that flush covers the commit before it; several such flushes
overlap, and the server's group commit does the rest. Durable before acknowledged still holds: the commit
returns only once flushed, and raises if the flush fails (the write may or may not have been kept, as when
a connection breaks during a commit: a request's retry with its idempotency key answers for it). A
connection whose role may not send that message (a server that restricts it) is found out as it connects,
and its transactions commit as before, flushed in the commit.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_SET = "SET LOCAL synchronous_commit = off"
_FLUSH = "SELECT pg_logical_emit_message(true, 'outrider.flush', '')"
# The DBAPI connections whose transaction commits without waiting for the flush (the flush follows it).
_late: weakref.WeakSet[Any] = weakref.WeakSet()
_CAN_FLUSH = "outrider_can_flush"  # a pooled connection's info: it may send the flush's message


def flush_after_commit(session: Session) -> None:
    """This transaction is about to take a lock every writer waits for: commit it without waiting for the
    log's flush, and flush after, before the commit returns (PostgreSQL; elsewhere nothing)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    raw = conn.connection.dbapi_connection
    if raw is None or raw in _late or not conn.connection.info.get(_CAN_FLUSH):
        return
    _late.add(raw)  # first: a mark without the setting costs one flush more, never one less
    conn.exec_driver_sql(_SET)


def _raw(dbapi_connection: Any) -> Any:
    # SQLAlchemy hands the dialect its pooled wrapper of the connection or the connection itself
    return getattr(dbapi_connection, "dbapi_connection", dbapi_connection)


def install(engine: Engine) -> None:
    """Have this PostgreSQL engine's commits flush after a commit made with `flush_after_commit`."""
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        raw = _raw(dbapi_connection)
        late = raw in _late
        _late.discard(raw)
        commit(dbapi_connection)
        if late:
            _flush(raw)

    def do_rollback(dbapi_connection: Any) -> None:
        _late.discard(_raw(dbapi_connection))
        rollback(dbapi_connection)

    setattr(dialect, "do_commit", do_commit)  # noqa: B010 (the engine's own dialect, no other)
    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010
    event.listen(engine, "connect", _try_flush)


def _try_flush(dbapi_connection: Any, record: Any) -> None:
    # A new connection flushes once: if it may not (the message refused), it never commits without the flush.
    try:
        _emit(dbapi_connection)
    except Exception:  # whatever the server refused, its commits stay as they were
        log.warning("PostgreSQL refused the log flush's message: audited commits wait for their flush")
        return
    record.info[_CAN_FLUSH] = True


def _flush(raw: Any) -> None:
    """Wait until the log holding what this connection committed is on disk."""
    _emit(raw)


def _emit(raw: Any) -> None:
    """A transaction of its own, with an id and one write (an empty message to the log), committed
    synchronously, so after the log is flushed past it (autocommit: one round trip)."""
    was, raw.autocommit = raw.autocommit, True
    try:
        raw.execute(_FLUSH)
    finally:
        raw.autocommit = was
