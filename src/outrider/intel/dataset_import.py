"""Use case: import a public incident data set (GTD, ACLED): each record one report, incident and event.

No linking: data-set records are curated events. Idempotent by the content hash of `<dataset>:<id>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.errors import InvalidInput
from outrider.intel.dataset_rows import DatasetRecord
from outrider.intel.datasets import FORMATS
from outrider.intel.events import EVENT_FIELDS, event_standing, extracted
from outrider.intel.linking import event_values
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.intel.service import audit, bump, ensure_actors, require_reviewer

IMPORT_CHUNK = 1000  # records written per round of bulk inserts
IN_CHUNK = 500  # content hashes per IN list


@dataclass(frozen=True)
class ImportResult:
    """What a data-set import did: events stored, already stored (skipped), stored as doubtful."""

    dataset: str
    imported: int
    skipped: int
    doubtful: int


@dataclass
class _Tally:
    """The running counts of an import, and the hashes it has written (a file may repeat a record)."""

    imported: int = 0
    skipped: int = 0
    doubtful: int = 0
    seen: set[str] = field(default_factory=set)


def import_dataset(
    session: Session, *, caller: Caller, records: Iterable[DatasetRecord], dataset: str, now: datetime
) -> ImportResult:
    """Store each data-set record as one report, one incident and one event of its own (no linking).

    Idempotent: the report's content hash is that of `<dataset>:<id>`, so a record already stored (or
    repeated in the file) is skipped. Records are curated events: their incidents are `confirmed`
    (confidence 1.0), except GTD's doubtful ones (doubtterr=1), `proposed` (0.6) and so in the review
    queue; an analyst may reject either. One revision bump and one audit record for the whole import."""
    require_reviewer(caller)
    if dataset not in FORMATS:
        raise InvalidInput(f"unknown data set {dataset!r}: {' or '.join(FORMATS)}")
    ensure_actors(session, now)
    if session.get_bind().dialect.name == "postgresql":
        # the hash look-up runs as a prepared statement; a generic plan made while the table was small
        # (a sequential scan) would be kept as it grows: plan each look-up for the table as it is
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    tally = _Tally()
    chunk: list[DatasetRecord] = []
    for record in records:
        if record.dataset != dataset:
            raise InvalidInput(f"a {record.dataset} record in a {dataset} import")
        chunk.append(record)
        if len(chunk) >= IMPORT_CHUNK:
            _write(session, caller, chunk, tally, now)
            chunk = []
    if chunk:
        _write(session, caller, chunk, tally, now)
    if tally.imported:
        bump(session, now)
    counts = {"imported": tally.imported, "skipped": tally.skipped, "doubtful": tally.doubtful}
    audit(session, caller, "intel.dataset.imported", "intel_dataset", dataset, now, details=counts)
    session.flush()
    return ImportResult(dataset=dataset, **counts)


def _write(
    session: Session, caller: Caller, chunk: Sequence[DatasetRecord], tally: _Tally, now: datetime
) -> None:
    """Store the chunk's records not stored yet (one look-up per 500 hashes), counting the rest skipped."""
    hashes = [r.content_hash for r in chunk]
    stored: set[str] = set()
    for start in range(0, len(hashes), IN_CHUNK):  # bounded IN lists
        wanted = hashes[start : start + IN_CHUNK]
        stored.update(
            session.scalars(select(IntelReport.content_hash).where(IntelReport.content_hash.in_(wanted)))
        )
    fresh: list[DatasetRecord] = []
    for record, digest in zip(chunk, hashes, strict=True):
        if digest in stored or digest in tally.seen:
            tally.skipped += 1
        else:
            tally.seen.add(digest)
            fresh.append(record)
    if not fresh:
        return
    _store_records(session, caller, fresh, now)
    tally.imported += len(fresh)
    tally.doubtful += sum(r.doubtful for r in fresh)


def _store_records(session: Session, caller: Caller, records: Sequence[DatasetRecord], now: datetime) -> None:
    """Bulk-insert the reports, events and incidents of new records (INSERT ... RETURNING, in order)."""
    values = [_incident_values(r) for r in records]
    report_ids = session.scalars(
        insert(IntelReport).returning(IntelReport.id, sort_by_parameter_order=True),
        [_report_row(r, caller, now) for r in records],
    ).all()
    event_ids = session.scalars(
        insert(IntelEvent).returning(IntelEvent.id, sort_by_parameter_order=True),
        [_event_row(r, inc, now) for r, inc in zip(records, values, strict=True)],
    ).all()
    rows = zip(records, values, report_ids, event_ids, strict=True)
    session.execute(insert(IntelIncident), [_incident_row(*row, caller, now) for row in rows])


def _json(value: Any) -> Any:
    return (
        value.isoformat() if isinstance(value, date) else str(value) if isinstance(value, StrEnum) else value
    )


def _incident_values(record: DatasetRecord) -> dict[str, Any]:
    """The record's incident values in the gold-schema names, as JSON values (what `extracted` keeps)."""
    inc = {
        **{k: _json(getattr(record, k)) for k in EVENT_FIELDS},
        "required": True,
        "main_story": True,
        "date_basis": "dataset",
        "killed_by_nationality": {},
        "wounded_by_nationality": {},
    }
    return extracted(inc)


def _report_row(record: DatasetRecord, caller: Caller, now: datetime) -> dict[str, Any]:
    return {
        "content_hash": record.content_hash,
        "doc_id": record.doc_id[:300],
        "source": record.dataset,
        "outlet": None,
        "title": None,
        "published": record.date,
        "published_how": "dataset",
        "language": "en",
        "raw_text": record.text,
        "clean_text": record.text,
        "related": [],
        "ingested_by": caller.user_id,
        "ingested_at": now,
    }


def _event_row(record: DatasetRecord, inc: dict[str, Any], now: datetime) -> dict[str, Any]:
    status, confidence = event_standing(["proposed" if record.doubtful else "confirmed"], True, 1)
    chosen = event_values([{**inc, "published": inc["date"]}])
    chosen["date"] = date.fromisoformat(chosen["date"]) if chosen["date"] else None
    return {
        **chosen,
        "status": status,
        "reports": 1,
        "confidence": confidence,
        "overrides": {},
        "updated_at": now,
    }


def _incident_row(
    record: DatasetRecord, inc: dict[str, Any], report_id: int, event_id: int, caller: Caller, now: datetime
) -> dict[str, Any]:
    confirmed = not record.doubtful
    return {
        **inc,
        "date": record.date,
        "report_id": report_id,
        "event_id": event_id,
        "ordinal": 0,
        "status": "confirmed" if confirmed else "proposed",
        "pinned": False,
        "evidence": {},
        "extracted": inc,
        "edits": {},
        "reviewed_by": caller.user_id if confirmed else None,
        "reviewed_at": now if confirmed else None,
        "created_at": now,
    }
