"""Records appended together (`record_many`, as the movement board does) are the records one `record` call
each would write, hashed into the chain one after another, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.audit import service as audit
from outrider.audit.models import AuditHead, AuditRecord

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="web", request_id="r-1")
ENTRIES = [
    audit.Entry(ACTOR, "movement.read_itinerary", "movement", i, ("route", "planned_departure"), {"i": i})
    for i in range(1, 5)
]
CHAINED = (
    "seq",
    "at",
    "action",
    "object_id",
    "fields",
    "channel",
    "request_id",
    "details",
    "prev_hash",
    "hash",
)


def _chain(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
    return [{k: getattr(r, k) for k in CHAINED} for r in rows]


def _one_by_one(session: Session, entries: list[audit.Entry]) -> None:
    for e in entries:
        audit.record(
            session,
            actor=e.actor,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            fields=e.fields,
            details=e.details,
            now=T0,
        )


def test_records_appended_together_equal_those_appended_one_by_one(engine: Engine) -> None:
    with db.transaction() as session:
        _one_by_one(session, ENTRIES[:1])  # a chain that does not start at the genesis
    session = db.session_factory()()
    try:  # what one `record` call each writes, then rolled back
        _one_by_one(session, ENTRIES[1:])
        session.flush()
        expected = _chain(session)
    finally:
        session.rollback()
        session.close()
    with db.transaction() as session:
        assert audit.record_many(session, ENTRIES[1:], now=T0) == 3
        assert audit.record_many(session, [], now=T0) == 0  # nothing to append: the head stays
    with db.transaction() as session:
        together = _chain(session)
        assert together == expected and len(together) == 4
        head = session.get_one(AuditHead, 1)
        assert (head.seq, head.hash) == (together[-1]["seq"], together[-1]["hash"])
    with db.transaction() as session:
        assert audit.verify(session).ok  # linked, and the head signed at the commit covers all four
