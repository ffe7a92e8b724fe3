"""The index of the objects records name (`Entry.names`: the movements a board read showed), kept up in bulk.

A board read names a hundred movements. Indexed as each record was written, its hundred index rows went to
a hundred places of the index (one per movement), and each commit wrote some 135 pages of 4 KB where a
check-in writes 12, in the write turn every writer waits for. Now a record is written alone, and the append
that moves the head across a multiple of `EVERY` indexes, in one statement sorted as the index keeps its
rows, every record from the multiple before: some sixty records' rows land together, each page of the index
written once for all of them. Rows indexed already (the records after the multiple before, which the last
catch-up reached) are skipped.

So the index holds every record up to the last multiple of `EVERY` the head has passed: that append
committed with its catch-up, or not at all. `lookup.records_about` reads the records after it (fewer than
`EVERY`) as well as those the index finds, and still counts a record only for what the record itself names.
Where the index ends is decided by the chain's head alone, never by the index's rows: a row forged into
the index can neither hide a record nor make one count. The index stays append-only like the log.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Text, literal, select, text, type_coerce
from sqlalchemy.orm import Session

from outrider.audit.models import AuditHead, AuditRecord

EVERY = 64  # the append that moves the head across a multiple of this brings the index up to the head

# The rows of the records after ``:start``, sorted as the index keeps them; a record's "names" is a list of
# [kind, id] (anything else there is not indexed: the lookup judges the record itself anyway).
_CATCH_UP = {
    "sqlite": text(
        "INSERT OR IGNORE INTO audit_record_objects (seq, object_type, object_id) "
        "SELECT DISTINCT r.seq, json_extract(n.value, '$[0]') AS kind, "
        "json_extract(n.value, '$[1]') AS ident "
        "FROM audit_records AS r, json_each(r.details, '$.names') AS n "
        "WHERE r.seq > :start AND r.details LIKE '%\"names\":[%' AND n.type = 'array' "
        "AND json_type(n.value, '$[0]') = 'text' AND json_type(n.value, '$[1]') = 'text' "
        "ORDER BY kind, ident, r.seq"
    ),
    "postgresql": text(
        "INSERT INTO audit_record_objects (seq, object_type, object_id) "
        "SELECT DISTINCT r.seq, n ->> 0 AS kind, n ->> 1 AS ident "
        "FROM audit_records AS r CROSS JOIN LATERAL jsonb_array_elements("
        "CASE WHEN jsonb_typeof(CAST(r.details AS jsonb) -> 'names') = 'array' "
        "THEN CAST(r.details AS jsonb) -> 'names' ELSE '[]'::jsonb END) AS n "
        "WHERE r.seq > :start AND r.details LIKE '%\"names\":[%' AND jsonb_typeof(n) = 'array' "
        "AND jsonb_typeof(n -> 0) = 'string' AND jsonb_typeof(n -> 1) = 'string' "
        "ORDER BY kind, ident, r.seq ON CONFLICT DO NOTHING"
    ),
}
# Where the index ends: the last multiple of EVERY the chain's head has passed.
_INDEXED_TO = (
    select(AuditHead.seq).where(AuditHead.id == 1).scalar_subquery() // literal(EVERY) * literal(EVERY)
)


def due(first: int, head: int) -> bool:
    """Whether the appends that moved the head from ``first - 1`` to ``head`` bring the index up to date."""
    return head // EVERY != (first - 1) // EVERY


def catch_up(session: Session, first: int) -> None:
    """Index every record after the last multiple of `EVERY` before ``first`` (the first record of the
    appends that crossed the next one). The caller holds the head (SQLite's write turn, PostgreSQL's row
    lock), so every record up to it is committed or its own."""
    conn = session.connection()
    conn.execute(_CATCH_UP[conn.dialect.name], {"start": (first - 1) // EVERY * EVERY})


def unindexed() -> ColumnElement[bool]:
    """The records after the index's end that may name objects (for a lookup: the index's tail)."""
    named = type_coerce(AuditRecord.details, Text).like('%"names":[%')
    return (AuditRecord.seq > _INDEXED_TO) & named
