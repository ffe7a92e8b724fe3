"""The head a transaction's last append left is the head its commit signs, without reading it again; a
savepoint or a transaction rolled back after an append makes the commit read the head again (the append
is gone with it), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from outrider import db
from outrider.audit import service as audit
from outrider.audit.models import AuditCheckpoint, AuditRecord

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="cli")


def _entry(n: int) -> audit.Entry:
    return audit.Entry(ACTOR, "test.step", "test", n)


@pytest.fixture
def head_reads(engine: Engine) -> Iterator[list[str]]:
    """The statements that read the chain's head, as they run."""
    seen: list[str] = []

    def watch(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM audit_head" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    yield seen
    event.remove(engine, "before_cursor_execute", watch)


def _newest_signed(engine: Engine) -> tuple[int, str, int]:
    with db.transaction() as session:
        cp = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)).one()
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
        assert audit.verify(session).ok
        return cp.seq, cp.hash, last.seq if last.hash == cp.hash else -1


def test_the_commit_signs_the_head_the_append_left_without_reading_it_again(
    engine: Engine, head_reads: list[str]
) -> None:
    with db.transaction() as session:
        audit.append(session, _entry(0), now=T0)  # the chain's first record makes its head (one more read)
    head_reads.clear()
    with db.transaction() as session:
        audit.append(session, _entry(1), now=T0)
        audit.append(session, _entry(2), now=T0)
    assert len(head_reads) == 2  # one per append; none at the commit
    seq, _hash, matching = _newest_signed(engine)
    assert seq == matching and seq >= 2


def test_a_savepoint_rolled_back_after_an_append_is_not_signed(engine: Engine) -> None:
    with db.transaction() as session:
        kept = audit.append(session, _entry(1), now=T0)
        savepoint = session.begin_nested()
        gone = audit.append(session, _entry(2), now=T0)
        savepoint.rollback()
    seq, digest, matching = _newest_signed(engine)
    assert (seq, digest) == (kept.seq, kept.hash) and matching == kept.seq and gone.seq == kept.seq + 1


def test_a_transaction_rolled_back_after_an_append_leaves_no_head_to_sign(engine: Engine) -> None:
    with db.transaction() as session:
        before = audit.append(session, _entry(1), now=T0)
    session = db.session_factory()()
    try:
        audit.append(session, _entry(2), now=T0)
        session.rollback()
        session.execute(select(AuditRecord.seq).limit(1))
        session.commit()  # the same session commits again, having appended nothing since
    finally:
        session.close()
    seq, digest, _ = _newest_signed(engine)
    assert (seq, digest) == (before.seq, before.hash)
