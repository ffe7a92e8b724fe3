"""The index of the objects records name is kept up in bulk: the append that moves the head across a
multiple of `named_index.EVERY` indexes the records since the multiple before. A lookup finds a record that
names an object whether the index holds it yet or not, and a row forged into the index hides nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.audit import lookup, named_index
from outrider.audit import service as audit
from outrider.audit.models import AuditRecordObject

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=7, organization_id=1, channel="api", request_id="r")


def _board(n: int) -> audit.Entry:
    names = [("movement", n), ("movement", 1000 + n)]
    return audit.Entry(
        ACTOR, "movement.read_itinerary", "board", "movements", ("planned_departure",), {}, names
    )


def _plain(n: int) -> audit.Entry:
    return audit.Entry(ACTOR, "movement.checkin", "movement", n, ("at",), {"names": "not a list of names"})


def _indexed(engine: Engine) -> set[tuple[int, str]]:
    with Session(engine) as session:
        rows = session.execute(select(AuditRecordObject.seq, AuditRecordObject.object_id))
        return {(int(seq), str(ident)) for seq, ident in rows}


def _found(engine: Engine, ident: int) -> list[int]:
    with Session(engine) as session:
        return [r.seq for r in lookup.records_about(session, object_type="movement", object_id=ident)]


def test_records_are_found_before_and_after_the_index_holds_them(engine: Engine) -> None:
    every = named_index.EVERY
    with db.transaction() as session:  # a record that names movements, then others up to before a multiple
        audit.append(session, _board(1), now=T0)
        for n in range(2, every - 1):
            audit.append(session, _plain(n), now=T0)
    assert _indexed(engine) == set()  # nothing indexed yet: the head has not crossed a multiple
    assert _found(engine, 1) == [1] and _found(engine, 1001) == [1]  # the index's tail is read
    with db.transaction() as session:  # the append that reaches the multiple indexes everything since 0
        audit.record_many(session, [_board(every - 1), _board(every), _board(every + 1)], now=T0)
    assert _indexed(engine) == {
        (seq, str(m)) for seq in (1, every - 1, every, every + 1) for m in (seq, 1000 + seq)
    }  # the record after the multiple too (its own transaction's), and never a "names" that is no list
    assert _found(engine, 1) == [1]
    assert _found(engine, every + 1) == [every + 1]
    with db.transaction() as session:  # the next crossing skips the rows indexed already
        for n in range(every + 2, 2 * every + 1):
            audit.append(session, _board(n) if n % 9 == 0 else _plain(n), now=T0)
    expected = {(s, str(m)) for s in [1, *range(every - 1, 2 * every + 1)] for m in (s, 1000 + s)}
    assert _indexed(engine) == {
        (s, m) for s, m in expected if s in (1, every - 1, every, every + 1) or s % 9 == 0
    }
    for seq in (1, every, 2 * every - 1 - (2 * every - 1) % 9):
        assert _found(engine, seq) == [seq]
    verdict = db.session_factory()()
    try:
        assert audit.verify(verdict).ok
    finally:
        verdict.close()


def test_a_forged_index_row_hides_no_record(engine: Engine) -> None:
    with db.transaction() as session:
        audit.append(session, _board(5), now=T0)
        # a row naming nothing far ahead: where the index ends is the head's to say, not the index's
        session.add(AuditRecordObject(seq=10**9, object_type="movement", object_id="999"))
    assert _found(engine, 5) == [1]
    assert _found(engine, 999) == []  # and the forged row makes no record count
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditRecordObject)) == 1
