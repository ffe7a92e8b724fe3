"""The last signed head a commit names: read by the transaction's appends (SQLite: with the chain's head;
PostgreSQL: as the head moves, under its row lock), no statement at the commit, and right however the
transaction goes on: a head signed in it, a savepoint rolled back, another transaction's commit in between."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from outrider import db
from outrider.audit import service as audit
from outrider.audit.models import AuditCheckpoint

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="cli")


def _entry(n: int) -> audit.Entry:
    return audit.Entry(ACTOR, "test.step", "test", n)


@pytest.fixture
def signed_reads(engine: Engine) -> Iterator[list[str]]:
    """The statements that read the checkpoints on their own (not as a part of the head's read)."""
    seen: list[str] = []

    def watch(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = statement.lstrip().upper()
        if text.startswith("SELECT") and "FROM AUDIT_HEAD" not in text and "FROM AUDIT_CHECKPOINTS" in text:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    yield seen
    event.remove(engine, "before_cursor_execute", watch)


def _signed_heads_chained() -> list[tuple[int, int | None]]:
    """Every signed head as (seq, prev_seq), after the log verifies whole."""
    with db.transaction() as session:
        assert audit.verify(session).ok
        rows = session.execute(
            select(AuditCheckpoint.seq, AuditCheckpoint.prev_seq).order_by(AuditCheckpoint.seq)
        ).all()
    chained = [(int(s), p) for s, p in rows]
    for (before, _), (_seq, prev) in itertools.pairwise(chained):
        assert prev == before  # each signed head names the one before it
    return chained


def test_a_commit_names_the_last_signed_head_without_reading_it_again(
    engine: Engine, signed_reads: list[str]
) -> None:
    with db.transaction() as session:
        audit.append(session, _entry(0), now=T0)
    signed_reads.clear()
    with db.transaction() as session:
        audit.append(session, _entry(1), now=T0)
        audit.append(session, _entry(2), now=T0)
    assert signed_reads == []
    assert _signed_heads_chained()[-1][0] >= 3


def test_a_head_signed_within_the_transaction_is_the_one_its_commit_names(engine: Engine) -> None:
    with db.transaction() as session:
        audit.append(session, _entry(1), now=T0)
        mid = audit.checkpoint(session, now=T0)  # signs the head now, within the transaction
        audit.append(session, _entry(2), now=T0)
    assert mid is not None
    heads = _signed_heads_chained()
    assert (mid.seq, mid.prev_seq) in heads and heads[-1] == (mid.seq + 1, mid.seq)


def test_after_a_savepoint_rolled_back_the_commit_reads_the_last_signed_head_again(engine: Engine) -> None:
    with db.transaction() as session:
        kept = audit.append(session, _entry(1), now=T0)
        savepoint = session.begin_nested()
        audit.append(session, _entry(2), now=T0)
        audit.checkpoint(session, now=T0)  # a head signed in the savepoint, gone with it
        savepoint.rollback()
    heads = _signed_heads_chained()
    assert heads[-1][0] == kept.seq


def test_transactions_one_after_the_other_each_name_the_one_before(engine: Engine) -> None:
    for n in range(4):
        with db.transaction() as session:
            audit.record_many(session, [_entry(10 * n), _entry(10 * n + 1)], now=T0)
    heads = _signed_heads_chained()
    assert len(heads) >= 4 and heads[-1][0] - heads[-4][0] == 6
