"""The audit records about one object: what "who knew" and the situation's facts read back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.audit import named_index
from outrider.audit.models import AuditRecord, AuditRecordObject


def records_about(
    session: Session,
    *,
    object_type: str,
    object_id: str | int,
    actions: Sequence[str] | None = None,
    before: datetime | None = None,
) -> list[AuditRecord]:
    """The records about one object, oldest first: those of the object itself and those that name it
    among others (a board read names every movement it showed; see `Entry.names`)."""
    ident = str(object_id)
    named = select(AuditRecordObject.seq).where(
        AuditRecordObject.object_type == object_type, AuditRecordObject.object_id == ident
    )
    stmt = select(AuditRecord).where(
        ((AuditRecord.object_type == object_type) & (AuditRecord.object_id == ident))
        | AuditRecord.seq.in_(named)
        | named_index.unindexed()  # the records after the index's last row: read, then judged below
    )
    if actions:
        stmt = stmt.where(AuditRecord.action.in_(list(actions)))
    if before is not None:
        stmt = stmt.where(AuditRecord.at < before)
    rows = session.scalars(stmt.order_by(AuditRecord.seq))
    # An index row alone proves nothing: a record counts only for what it is about or names itself.
    return [r for r in rows if _about(r, object_type, ident)]


def _about(rec: AuditRecord, object_type: str, ident: str) -> bool:
    if rec.object_type == object_type and rec.object_id == ident:
        return True
    return [object_type, ident] in (rec.details or {}).get("names", [])
