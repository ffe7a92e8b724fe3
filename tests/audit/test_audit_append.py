"""An entry built beforehand and appended (`append`, as a domain's short audit call does) is the record
`record` and `record_many` write for it, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.audit import service as audit
from outrider.audit.models import AuditRecord

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="cli", request_id="r-2")
ENTRIES = [
    audit.Entry(ACTOR, "intel.incident.edited", "intel_incident", 5, ("killed", "city"), {"n": 1}),
    audit.Entry(ACTOR, "intel.dataset.imported", "intel_dataset", "gtd", (), None),
]
SHOWN = ("seq", "at", "action", "object_type", "object_id", "fields", "details", "prev_hash", "hash")


def _chain(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
    return [{k: getattr(r, k) for k in SHOWN} for r in rows]


def test_an_appended_entry_is_the_record_written_for_it_otherwise(engine: Engine) -> None:
    session = db.session_factory()()
    try:  # what the same entries appended together write (one `record` call each would), then rolled back
        audit.record_many(session, ENTRIES, now=T0)
        session.flush()
        expected = _chain(session)
    finally:
        session.rollback()
        session.close()
    with db.transaction() as session:
        rows = [audit.append(session, e, now=T0) for e in ENTRIES]
        assert [r.seq for r in rows] == [1, 2]
    with db.transaction() as session:
        assert _chain(session) == expected
        assert expected[0]["fields"] == ["city", "killed"] and expected[1]["details"] == {}
        assert audit.verify(session).ok
