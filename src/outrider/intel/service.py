"""Intelligence service: ingest reports, store incidents, link them to events, analyst review, actors.

The caller owns the transaction. Every change bumps the incident-set revision (risk snapshots cite it)
and goes to the audit chain. Analyst decisions (confirm, reject, edit, merge, split) are kept on the
incidents and events themselves, so re-ingesting or re-extracting a report never undoes them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, text
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.intel import actors as actor_registry
from outrider.intel import pipeline
from outrider.intel.cleaning import decode
from outrider.intel.datasets import FORMATS, DatasetRecord, record_values
from outrider.intel.extract import build_incidents
from outrider.intel.linking import PRECISION, best_match, event_values
from outrider.intel.models import (
    IntelActor,
    IntelEvent,
    IntelIncident,
    IntelReport,
    IntelReview,
    IntelRevision,
)
from outrider.intel.schemas import (
    ActorCreate,
    ActorUpdate,
    EventEdit,
    IncidentEdit,
    IngestOutcome,
)

INCIDENT_FIELDS = (
    "required",
    "main_story",
    "date",
    "date_precision",
    "date_basis",
    "country",
    "admin1",
    "city",
    "location_text",
    "lat",
    "lon",
    "attack_type",
    "weapon",
    "suicide",
    "target_type",
    "killed",
    "wounded",
    "killed_by_nationality",
    "wounded_by_nationality",
    "perpetrator",
    "claimed",
)
LINK_WINDOW_DAYS = 40
REVIEWERS = frozenset({"analyst"})


# ---------------------------------------------------------------- access


def may_review(caller: Caller) -> bool:
    """Analysts, and administrators of host security, review incidents and edit actors."""
    return "analyst" in caller.roles or ("admin" in caller.roles and caller.org_kind == "host_security")


def _require_reviewer(caller: Caller) -> None:
    if not may_review(caller):
        raise Forbidden("only analysts and host-security administrators may change intelligence")


def _actor(caller: Caller) -> audit_service.Actor:
    return audit_service.Actor(caller.user_id, caller.organization_id, caller.channel, caller.request_id)


# ---------------------------------------------------------------- revision and actors


def revision(session: Session) -> int:
    """The incident set's version (0 before anything was stored)."""
    row = session.get(IntelRevision, 1)
    return row.value if row else 0


def revision_stamp(session: Session) -> tuple[int, datetime | None]:
    """The revision and when it was reached: together they tell one database's incident set from another's."""
    row = session.get(IntelRevision, 1)
    return (row.value, row.updated_at) if row else (0, None)


def _bump(session: Session, now: datetime) -> None:
    row = session.get(IntelRevision, 1, with_for_update=True)
    if row is None:
        session.add(IntelRevision(id=1, value=1, updated_at=now))
    else:
        row.value += 1
        row.updated_at = now


def _ensure_actors(session: Session, now: datetime) -> None:
    """Seed the packaged actors the first time intelligence is written (an empty, never-used store)."""
    if session.get(IntelRevision, 1) is not None:
        return
    if session.scalar(select(func.count()).select_from(IntelActor)):
        return
    for entry in actor_registry.packaged_entries():
        session.add(IntelActor(name=entry.name, kind=entry.kind, aliases=list(entry.aliases), updated_at=now))
    _bump(session, now)
    session.flush()


def registry(session: Session) -> actor_registry.ActorRegistry:
    """The actor registry as stored (the packaged one while nothing is stored)."""
    rows = session.scalars(select(IntelActor).order_by(IntelActor.id)).all()
    if not rows and session.get(IntelRevision, 1) is None:
        return actor_registry.ActorRegistry(actor_registry.packaged_entries())
    return actor_registry.ActorRegistry(
        actor_registry.ActorEntry(r.name, r.kind, tuple(r.aliases)) for r in rows
    )


def list_actors(session: Session, *, caller: Caller, now: datetime) -> list[IntelActor]:
    """Every group and agency, by name (the packaged ones are stored on first use)."""
    _ensure_actors(session, now)
    return list(session.scalars(select(IntelActor).order_by(IntelActor.name)))


def _alias_clash(session: Session, names: Iterable[str], own_id: int | None) -> None:
    wanted = {n.strip().lower() for n in names}
    for row in session.scalars(select(IntelActor)):
        if row.id == own_id:
            continue
        taken = {row.name.lower(), *(a.lower() for a in row.aliases)}
        clash = wanted & taken
        if clash:
            raise Conflict(f"{sorted(clash)[0]!r} already names actor {row.name!r} (id {row.id})")


def create_actor(session: Session, *, caller: Caller, data: ActorCreate, now: datetime) -> IntelActor:
    """Add a group or agency; its name and aliases must not name another actor."""
    _require_reviewer(caller)
    _ensure_actors(session, now)
    _alias_clash(session, [data.name, *data.aliases], None)
    row = IntelActor(
        name=data.name.strip(), kind=data.kind, aliases=data.aliases, notes=data.notes, updated_at=now
    )
    session.add(row)
    session.flush()
    _bump(session, now)
    audit_service.record(
        session,
        actor=_actor(caller),
        action="intel.actor.create",
        object_type="intel_actor",
        object_id=row.id,
        fields=["name", "kind", "aliases"],
        now=now,
    )
    return row


def update_actor(
    session: Session, *, caller: Caller, actor_id: int, data: ActorUpdate, now: datetime
) -> IntelActor:
    """Rename, re-kind or re-alias an actor; incidents naming the old name follow the rename."""
    _require_reviewer(caller)
    _ensure_actors(session, now)
    row = session.get(IntelActor, actor_id)
    if row is None:
        raise NotFound(f"no actor {actor_id}")
    changes = data.model_dump(exclude_unset=True)
    names = [changes.get("name") or row.name, *(changes.get("aliases") or row.aliases)]
    _alias_clash(session, names, row.id)
    old_name = row.name
    for key, value in changes.items():
        if value is not None:
            setattr(row, key, value.strip() if key == "name" else value)
    row.updated_at = now
    if row.name != old_name:
        for inc in session.scalars(select(IntelIncident).where(IntelIncident.perpetrator == old_name)):
            inc.perpetrator = row.name
        for ev in session.scalars(select(IntelEvent).where(IntelEvent.perpetrator == old_name)):
            ev.perpetrator = row.name
    _bump(session, now)
    audit_service.record(
        session,
        actor=_actor(caller),
        action="intel.actor.update",
        object_type="intel_actor",
        object_id=row.id,
        fields=sorted(changes),
        now=now,
    )
    session.flush()
    return row


# ---------------------------------------------------------------- ingest


@dataclass(frozen=True)
class IngestItem:
    """One input: where it came from, its document id (file name without extension) and its bytes."""

    source: str
    doc_id: str
    data: bytes


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _extracted(inc: dict[str, Any]) -> dict[str, Any]:
    return {k: inc.get(k) for k in INCIDENT_FIELDS}


def _apply(row: IntelIncident, extracted: dict[str, Any], edits: dict[str, Any]) -> None:
    values = {**extracted, **edits}
    for key in INCIDENT_FIELDS:
        value = values.get(key)
        if key == "date":
            value = date.fromisoformat(value) if value else None
        elif key in ("killed_by_nationality", "wounded_by_nationality"):
            value = value or {}
        elif key in ("attack_type", "weapon", "target_type") or key == "date_precision":
            value = value or "unknown"
        elif key in ("required", "main_story"):
            value = bool(value)
        setattr(row, key, value)


def _as_dict(row: IntelIncident, published: date | None = None) -> dict[str, Any]:
    out = {k: getattr(row, k) for k in INCIDENT_FIELDS}
    out["date"] = row.date.isoformat() if row.date else None
    out["doc_id"] = f"report-{row.report_id}"
    out["published"] = published.isoformat() if published else None
    return out


def _candidates(session: Session, members: Sequence[dict[str, Any]]) -> list[IntelIncident]:
    """Stored, unrejected incidents that blocking lets through: same country, dates within the window."""
    countries = {m.get("country") for m in members if m.get("country")}
    if not countries:
        return []
    dates = [date.fromisoformat(m["date"]) for m in members if m.get("date")]
    stmt = select(IntelIncident).where(
        IntelIncident.country.in_(countries), IntelIncident.status != "rejected"
    )
    if dates:
        lo, hi = min(dates) - timedelta(days=LINK_WINDOW_DAYS), max(dates) + timedelta(days=LINK_WINDOW_DAYS)
        stmt = stmt.where(or_(IntelIncident.date.is_(None), IntelIncident.date.between(lo, hi)))
    else:
        cities = {m.get("city") for m in members if m.get("city")}
        if not cities:
            return []
        stmt = stmt.where(IntelIncident.city.in_(cities), IntelIncident.date.is_not(None))
    return list(session.scalars(stmt.order_by(IntelIncident.id)))


def _event_for(session: Session, members: Sequence[dict[str, Any]], exclude_report: int | None) -> int | None:
    """The stored event most of the new cluster's incidents match, or None for a new event."""
    stored = [c for c in _candidates(session, members) if c.report_id != exclude_report]
    if not stored:
        return None
    as_dicts = [_as_dict(c) for c in stored]
    votes: dict[int, int] = {}
    for member in members:
        idx = best_match({**member, "doc_id": "new"}, as_dicts)
        if idx is not None:
            votes[stored[idx].event_id] = votes.get(stored[idx].event_id, 0) + 1
    if not votes:
        return None
    return max(sorted(votes), key=lambda e: votes[e])


def _new_event(session: Session, now: datetime) -> IntelEvent:
    ev = IntelEvent(status="proposed", date_precision="unknown", reports=0, confidence=0.0, updated_at=now)
    session.add(ev)
    session.flush()
    return ev


def refresh_event(session: Session, event_id: int, now: datetime) -> IntelEvent | None:
    """Re-choose an event's values from its incidents and the analyst's overrides."""
    ev = session.get(IntelEvent, event_id)
    if ev is None or ev.status == "merged":
        return ev
    rows = session.execute(
        select(IntelIncident, IntelReport.published)
        .join(IntelReport, IntelReport.id == IntelIncident.report_id)
        .where(IntelIncident.event_id == event_id)
        .order_by(IntelIncident.id)
    ).all()
    if not rows:
        session.delete(ev)
        session.flush()
        return None
    live = [(inc, pub) for inc, pub in rows if inc.status != "rejected"]
    chosen = event_values([_as_dict(inc, pub) for inc, pub in (live or rows)])
    chosen.update(ev.overrides or {})
    for key, value in chosen.items():
        if key == "date":
            value = date.fromisoformat(value) if value else None
        setattr(ev, key, value)
    ev.reports = len({inc.report_id for inc, _ in live})
    ev.status, ev.confidence = event_standing(
        [inc.status for inc, _ in live], any(inc.required for inc, _ in live), ev.reports
    )
    ev.updated_at = now
    return ev


def event_standing(live_statuses: Collection[str], required: bool, reports: int) -> tuple[str, float]:
    """An event's status and confidence from its unrejected incidents' statuses and its number of reports.

    1.0 once an incident is confirmed; else 0.6 for a required record (0.3 for a passing mention) plus
    0.15 per further report, at most 0.95; rejected (0.0) when every incident is."""
    if not live_statuses:
        return "rejected", 0.0
    if "confirmed" in live_statuses:
        return "confirmed", 1.0
    base = 0.6 if required else 0.3
    return "proposed", round(min(0.95, base + 0.15 * (reports - 1)), 2)


def ingest(
    session: Session,
    *,
    caller: Caller,
    items: Iterable[IngestItem],
    now: datetime,
    published: date | None = None,
    reextract: bool = False,
    on_item: Callable[[IngestOutcome], None] | None = None,
) -> list[IngestOutcome]:
    """Store reports and their incidents, linked to events; a bad input is reported and writes nothing.

    Idempotent by content hash: a report already stored is a duplicate unless ``reextract`` is set, in
    which case its incidents are extracted again and matched to the stored ones, keeping the analyst's
    decisions (status, edits, event placement) on every matched or reviewed incident."""
    _require_reviewer(caller)
    _ensure_actors(session, now)
    reg = registry(session)
    outcomes: list[IngestOutcome] = []
    # (result, input, content hash, stored report if any, raw text to keep)
    fresh: list[tuple[pipeline.DocumentResult, IngestItem, str, IntelReport | None, str]] = []

    def done(outcome: IngestOutcome) -> None:
        outcomes.append(outcome)
        if on_item:
            on_item(outcome)

    with actor_registry.using(reg):
        for item in items:
            digest = _hash(item.data)
            existing = session.scalar(select(IntelReport).where(IntelReport.content_hash == digest))
            if existing is not None and not reextract:
                done(
                    IngestOutcome(
                        source=item.source, doc_id=item.doc_id, status="duplicate", report_id=existing.id
                    )
                )
                continue
            results = list(pipeline.process_bytes(item.doc_id, item.data, published))
            errors = [r.error for r in results if r.error]
            if errors or not results:
                done(
                    IngestOutcome(
                        source=item.source,
                        doc_id=item.doc_id,
                        status="error",
                        error=errors[0] if errors else "no report",
                    )
                )
                continue
            for res in results:
                key = digest if len(results) == 1 else _hash(f"{digest}\n{res.doc_id}".encode())
                stored = (
                    existing
                    if len(results) == 1
                    else session.scalar(select(IntelReport).where(IntelReport.content_hash == key))
                )
                if stored is not None and not reextract:
                    done(
                        IngestOutcome(
                            source=item.source, doc_id=res.doc_id, status="duplicate", report_id=stored.id
                        )
                    )
                    continue
                raw = decode(item.data) if len(results) == 1 else res.clean_text
                fresh.append((res, item, key, stored, raw))
        if not fresh:
            return outcomes
        linked, clusters = pipeline.link_documents([f[0] for f in fresh])
    by_cluster: dict[int, list[dict[str, Any]]] = {}
    flat: list[tuple[int, dict[str, Any]]] = []
    for res in linked:
        for inc in res.incidents:
            cluster = clusters[len(flat)]
            flat.append((cluster, inc))
            by_cluster.setdefault(cluster, []).append(inc)
    cluster_event: dict[int, int] = {}
    touched: set[int] = set()
    position = 0
    for res, (_, item, key, stored, raw) in zip(linked, fresh, strict=True):
        count = len(res.incidents)
        mine = flat[position : position + count]
        position += count
        if stored is None:
            report = IntelReport(
                content_hash=key,
                doc_id=res.doc_id[:300],
                source=item.source[:500],
                outlet=res.outlet,
                title=(res.title or "")[:500] or None,
                published=res.published,
                published_how=res.published_how,
                language=res.language,
                raw_text=raw,
                clean_text=res.clean_text,
                related=list(res.related),
                ingested_by=caller.user_id,
                ingested_at=now,
            )
            session.add(report)
            session.flush()
            status = "stored"
            redone = _redate(session, res, mine, by_cluster, report.id, reg)
            if redone is not None:
                # an undated report whose event is already stored with its day: dates re-resolved on that day
                for ordinal, inc in enumerate(redone):
                    target = _event_for(session, [inc], report.id) or _new_event(session, now).id
                    _add_incident(session, report.id, ordinal, target, inc, now)
                    touched.add(target)
                count = len(redone)
            for ordinal, (cluster, inc) in enumerate(mine if redone is None else []):
                event_id = cluster_event.get(cluster)
                if event_id is None:
                    event_id = (
                        _event_for(session, by_cluster[cluster], report.id) or _new_event(session, now).id
                    )
                    cluster_event[cluster] = event_id
                _add_incident(session, report.id, ordinal, event_id, inc, now)
                touched.add(event_id)
        else:
            report = stored
            report.clean_text, report.related = res.clean_text, list(res.related)
            report.title = (res.title or "")[:500] or report.title
            if res.published is not None:
                report.published, report.published_how = res.published, res.published_how
            status = "reextracted"
            touched |= _reextract(session, report, [inc for _, inc in mine], now)
        session.flush()
        audit_service.record(
            session,
            actor=_actor(caller),
            action=f"intel.report.{status}",
            object_type="intel_report",
            object_id=report.id,
            fields=["incidents"],
            details={"incidents": count},
            now=now,
        )
        done(
            IngestOutcome(
                source=item.source, doc_id=res.doc_id, status=status, report_id=report.id, incidents=count
            )
        )
    for event_id in sorted(touched):
        refresh_event(session, event_id, now)
    _bump(session, now)
    session.flush()
    return outcomes


def _redate(
    session: Session,
    res: pipeline.DocumentResult,
    mine: list[tuple[int, dict[str, Any]]],
    by_cluster: dict[int, list[dict[str, Any]]],
    report_id: int,
    reg: actor_registry.ActorRegistry,
) -> list[dict[str, Any]] | None:
    """For a report without publication date whose main event is stored with a day: incidents again."""
    if res.undated is None or not mine or mine[0][1].get("date_precision") == "day":
        return None
    event_id = _event_for(session, by_cluster[mine[0][0]], report_id)
    ev = session.get(IntelEvent, event_id) if event_id is not None else None
    if ev is None or ev.date is None or ev.date_precision != "day":
        return None
    with actor_registry.using(reg):
        fresh = build_incidents(res.undated.lines, None, res.undated.related, bound=res.bound, linked=ev.date)
    for inc in fresh:
        inc["doc_id"] = res.doc_id
    return fresh


def _add_incident(
    session: Session, report_id: int, ordinal: int, event_id: int, inc: dict[str, Any], now: datetime
) -> IntelIncident:
    row = IntelIncident(
        report_id=report_id,
        event_id=event_id,
        ordinal=ordinal,
        status="proposed",
        pinned=False,
        evidence=inc.get("evidence") or {},
        extracted=_extracted(inc),
        edits={},
        created_at=now,
    )
    _apply(row, row.extracted, {})
    session.add(row)
    return row


def _reextract(
    session: Session, report: IntelReport, incidents: list[dict[str, Any]], now: datetime
) -> set[int]:
    """Match new extractions to stored incidents; reviewed incidents survive; returns touched events."""
    from outrider.intel.linking import same_event

    old = list(
        session.scalars(
            select(IntelIncident).where(IntelIncident.report_id == report.id).order_by(IntelIncident.ordinal)
        )
    )
    touched = {o.event_id for o in old}
    used: set[int] = set()
    for ordinal, inc in enumerate(incidents):
        probe = {**inc, "doc_id": "new"}
        match = next(
            (o for o in old if o.id not in used and o.ordinal == ordinal and same_event(probe, _as_dict(o))),
            None,
        ) or next((o for o in old if o.id not in used and same_event(probe, _as_dict(o))), None)
        if match is not None:
            used.add(match.id)
            match.extracted, match.evidence, match.ordinal = (
                _extracted(inc),
                inc.get("evidence") or {},
                ordinal,
            )
            _apply(match, match.extracted, match.edits or {})
            continue
        event_id = _event_for(session, [inc], report.id) or _new_event(session, now).id
        _add_incident(session, report.id, ordinal, event_id, inc, now)
        touched.add(event_id)
    for o in old:
        if o.id in used:
            continue
        if o.status == "proposed" and not o.edits and not o.pinned:
            session.delete(o)
    session.flush()
    return touched


# ---------------------------------------------------------------- public data sets (GTD, ACLED)

IMPORT_CHUNK = 1000  # records written per round of bulk inserts
IN_CHUNK = 500  # content hashes per IN list


@dataclass(frozen=True)
class ImportResult:
    """What a data-set import did: events stored, already stored (skipped), stored as doubtful."""

    dataset: str
    imported: int
    skipped: int
    doubtful: int


def import_dataset(
    session: Session, *, caller: Caller, records: Iterable[DatasetRecord], dataset: str, now: datetime
) -> ImportResult:
    """Store each data-set record as one report, one incident and one event of its own (no linking).

    Idempotent: the report's content hash is that of `<dataset>:<id>`, so a record already stored (or
    repeated in the file) is skipped. Records are curated events: their incidents are `confirmed`
    (confidence 1.0), except GTD's doubtful ones (doubtterr=1), `proposed` (0.6) and so in the review
    queue; an analyst may reject either. One revision bump and one audit record for the whole import."""
    _require_reviewer(caller)
    if dataset not in FORMATS:
        raise InvalidInput(f"unknown data set {dataset!r}: {' or '.join(FORMATS)}")
    _ensure_actors(session, now)
    if session.get_bind().dialect.name == "postgresql":
        # the hash look-up runs as a prepared statement; a generic plan made while the table was small
        # (a sequential scan) would be kept as it grows: plan each look-up for the table as it is
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    imported = skipped = doubtful = 0
    seen: set[str] = set()
    chunk: list[DatasetRecord] = []

    def write() -> None:
        nonlocal imported, skipped, doubtful
        hashes = [r.content_hash for r in chunk]
        stored: set[str] = set()
        for start in range(0, len(hashes), IN_CHUNK):  # bounded IN lists, one query per 500 records
            wanted = hashes[start : start + IN_CHUNK]
            stored.update(
                session.scalars(select(IntelReport.content_hash).where(IntelReport.content_hash.in_(wanted)))
            )
        fresh: list[DatasetRecord] = []
        for record, digest in zip(chunk, hashes, strict=True):
            if digest in stored or digest in seen:
                skipped += 1
            else:
                seen.add(digest)
                fresh.append(record)
        chunk.clear()
        if not fresh:
            return
        _store_records(session, caller, fresh, now)
        imported += len(fresh)
        doubtful += sum(r.doubtful for r in fresh)

    for record in records:
        if record.dataset != dataset:
            raise InvalidInput(f"a {record.dataset} record in a {dataset} import")
        chunk.append(record)
        if len(chunk) >= IMPORT_CHUNK:
            write()
    if chunk:
        write()
    if imported:
        _bump(session, now)
    audit_service.record(
        session,
        actor=_actor(caller),
        action="intel.dataset.imported",
        object_type="intel_dataset",
        object_id=dataset,
        details={"imported": imported, "skipped": skipped, "doubtful": doubtful},
        now=now,
    )
    session.flush()
    return ImportResult(dataset=dataset, imported=imported, skipped=skipped, doubtful=doubtful)


def _store_records(session: Session, caller: Caller, records: Sequence[DatasetRecord], now: datetime) -> None:
    """Bulk-insert the reports, events and incidents of new records (INSERT ... RETURNING, in order)."""
    values = []
    for r in records:
        inc = {
            **record_values(r),
            "required": True,
            "main_story": True,
            "date_basis": "dataset",
            "killed_by_nationality": {},
            "wounded_by_nationality": {},
        }
        values.append(_extracted(inc))
    report_ids = session.scalars(
        insert(IntelReport).returning(IntelReport.id, sort_by_parameter_order=True),
        [
            {
                "content_hash": r.content_hash,
                "doc_id": r.doc_id[:300],
                "source": r.dataset,
                "outlet": None,
                "title": None,
                "published": r.date,
                "published_how": "dataset",
                "language": "en",
                "raw_text": r.text,
                "clean_text": r.text,
                "related": [],
                "ingested_by": caller.user_id,
                "ingested_at": now,
            }
            for r in records
        ],
    ).all()
    event_rows = []
    for r, inc in zip(records, values, strict=True):
        status, confidence = event_standing(["proposed" if r.doubtful else "confirmed"], True, 1)
        chosen = event_values([{**inc, "published": inc["date"]}])
        chosen["date"] = date.fromisoformat(chosen["date"]) if chosen["date"] else None
        event_rows.append(
            {
                **chosen,
                "status": status,
                "reports": 1,
                "confidence": confidence,
                "overrides": {},
                "updated_at": now,
            }
        )
    event_ids = session.scalars(
        insert(IntelEvent).returning(IntelEvent.id, sort_by_parameter_order=True), event_rows
    ).all()
    incident_rows = []
    for r, inc, report_id, event_id in zip(records, values, report_ids, event_ids, strict=True):
        confirmed = not r.doubtful
        columns = {**inc, "date": r.date}
        incident_rows.append(
            {
                **columns,
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
        )
    session.execute(insert(IntelIncident), incident_rows)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class IncidentFilter:
    """Filters of the incident and event lists; None means any."""

    since: date | None = None
    until: date | None = None
    country: str | None = None
    admin1: str | None = None
    city: str | None = None
    actor: str | None = None
    status: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    event_id: int | None = None
    report_id: int | None = None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``min_lon,min_lat,max_lon,max_lat`` as GeoJSON orders a bounding box."""
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        raise InvalidInput("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat") from None
    if len(parts) != 4:
        raise InvalidInput("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    w, s, e, n = parts
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90 and w <= e):
        raise InvalidInput(
            "bbox out of range: need -180<=min_lon<=max_lon<=180 and -90<=min_lat<=max_lat<=90"
        )
    return w, s, e, n


def _filtered(stmt: Any, model: Any, f: IncidentFilter, session: Session) -> Any:
    if f.since:
        stmt = stmt.where(model.date >= f.since)
    if f.until:
        stmt = stmt.where(model.date <= f.until)
    if f.country:
        stmt = stmt.where(model.country == f.country.upper())
    if f.admin1:
        stmt = stmt.where(func.lower(model.admin1) == f.admin1.lower())
    if f.city:
        stmt = stmt.where(func.lower(model.city) == f.city.lower())
    if f.actor:
        name = registry(session).canonical(f.actor) or f.actor
        stmt = stmt.where(func.lower(model.perpetrator) == name.lower())
    if f.status:
        stmt = stmt.where(model.status == f.status)
    if f.bbox:
        w, s, e, n = f.bbox
        stmt = stmt.where(model.lon.between(w, e), model.lat.between(s, n))
    return stmt


def list_incidents(
    session: Session, *, caller: Caller, filters: IncidentFilter, limit: int, offset: int
) -> tuple[list[IntelIncident], int]:
    """Incidents matching the filters, newest event date first."""
    stmt = _filtered(select(IntelIncident), IntelIncident, filters, session)
    if filters.event_id is not None:
        stmt = stmt.where(IntelIncident.event_id == filters.event_id)
    if filters.report_id is not None:
        stmt = stmt.where(IntelIncident.report_id == filters.report_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(IntelIncident.date.desc().nulls_last(), IntelIncident.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def list_events(
    session: Session, *, caller: Caller, filters: IncidentFilter, limit: int, offset: int
) -> tuple[list[IntelEvent], int]:
    """Events matching the filters (merged events left out unless asked for), newest first."""
    stmt = _filtered(select(IntelEvent), IntelEvent, filters, session)
    if filters.status is None:
        stmt = stmt.where(IntelEvent.status != "merged")
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(IntelEvent.date.desc().nulls_last(), IntelEvent.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def list_reports(
    session: Session, *, caller: Caller, limit: int, offset: int
) -> tuple[list[IntelReport], int]:
    """Stored reports, newest ingested first."""
    total = session.scalar(select(func.count()).select_from(IntelReport)) or 0
    rows = session.scalars(select(IntelReport).order_by(IntelReport.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def get_report(session: Session, *, caller: Caller, report_id: int) -> IntelReport:
    """One report."""
    row = session.get(IntelReport, report_id)
    if row is None:
        raise NotFound(f"no report {report_id}")
    return row


def get_incident(session: Session, *, caller: Caller, incident_id: int) -> IntelIncident:
    """One incident."""
    row = session.get(IntelIncident, incident_id)
    if row is None:
        raise NotFound(f"no incident {incident_id}")
    return row


def get_event(session: Session, *, caller: Caller, event_id: int) -> IntelEvent:
    """One event."""
    row = session.get(IntelEvent, event_id)
    if row is None:
        raise NotFound(f"no event {event_id}")
    return row


def evidence_spans(report: IntelReport, incident: IntelIncident) -> list[tuple[int, int, str]]:
    """The stretches of the clean text behind an incident (offsets into ``report.clean_text``)."""
    out = []
    for pair in (incident.evidence or {}).get("mentions", []):
        start, end = int(pair[0]), int(pair[1])
        if 0 <= start < end <= len(report.clean_text):
            out.append((start, end, report.clean_text[start:end]))
    return out


def review_queue(
    session: Session, *, caller: Caller, limit: int, offset: int
) -> tuple[list[IntelIncident], int]:
    """Incidents awaiting a decision: proposed, the main stories and required ones first."""
    _require_reviewer(caller)
    stmt = select(IntelIncident).where(IntelIncident.status == "proposed")
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(
            IntelIncident.required.desc(),
            IntelIncident.main_story.desc(),
            IntelIncident.date.desc().nulls_last(),
            IntelIncident.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


# ---------------------------------------------------------------- review


def _review(
    session: Session,
    caller: Caller,
    action: str,
    now: datetime,
    *,
    incident_id: int | None = None,
    event_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        IntelReview(
            action=action,
            incident_id=incident_id,
            event_id=event_id,
            details=details or {},
            user_id=caller.user_id,
            at=now,
        )
    )
    audit_service.record(
        session,
        actor=_actor(caller),
        action=f"intel.{action}",
        object_type="intel_incident" if incident_id is not None else "intel_event",
        object_id=incident_id if incident_id is not None else event_id or 0,
        fields=sorted(details or {}),
        now=now,
    )


def set_status(
    session: Session, *, caller: Caller, incident_id: int, status: str, reason: str, now: datetime
) -> IntelIncident:
    """Confirm or reject an incident (a rejected one counts nowhere; the event follows its incidents)."""
    _require_reviewer(caller)
    if status not in ("confirmed", "rejected"):
        raise InvalidInput("status must be confirmed or rejected")
    row = get_incident(session, caller=caller, incident_id=incident_id)
    row.status, row.reviewed_by, row.reviewed_at = status, caller.user_id, now
    _review(
        session,
        caller,
        "confirm" if status == "confirmed" else "reject",
        now,
        incident_id=row.id,
        details={"reason": reason} if reason else {},
    )
    session.flush()
    refresh_event(session, row.event_id, now)
    _bump(session, now)
    return row


def edit_incident(
    session: Session, *, caller: Caller, incident_id: int, edit: IncidentEdit, now: datetime
) -> IntelIncident:
    """Correct an incident's values; the edits stay over every later re-extraction."""
    _require_reviewer(caller)
    changes = edit.changes()
    if not changes:
        raise InvalidInput("nothing to change: give at least one field")
    if changes.get("perpetrator"):
        known = registry(session).canonical(changes["perpetrator"])
        if known is None:
            raise InvalidInput(
                f"unknown actor {changes['perpetrator']!r}: add it with the actors registry first"
            )
        changes["perpetrator"] = known
    row = get_incident(session, caller=caller, incident_id=incident_id)
    row.edits = {**(row.edits or {}), **changes}
    _apply(row, row.extracted, row.edits)
    row.reviewed_by, row.reviewed_at = caller.user_id, now
    _review(session, caller, "edit", now, incident_id=row.id, details={"changes": changes})
    session.flush()
    refresh_event(session, row.event_id, now)
    _bump(session, now)
    return row


def edit_event(
    session: Session, *, caller: Caller, event_id: int, edit: EventEdit, now: datetime
) -> IntelEvent:
    """Override an event's chosen values; the override wins over every later reconciliation."""
    _require_reviewer(caller)
    changes = edit.changes()
    if not changes:
        raise InvalidInput("nothing to change: give at least one field")
    ev = get_event(session, caller=caller, event_id=event_id)
    if ev.status == "merged":
        raise Conflict(f"event {event_id} was merged into event {ev.merged_into}; edit that one")
    ev.overrides = {**(ev.overrides or {}), **changes}
    _review(session, caller, "edit_event", now, event_id=ev.id, details={"changes": changes})
    session.flush()
    refresh_event(session, ev.id, now)
    _bump(session, now)
    return ev


def merge_events(
    session: Session, *, caller: Caller, event_id: int, other_event_id: int, reason: str, now: datetime
) -> IntelEvent:
    """Fold ``other_event_id`` into ``event_id``: its incidents move and stay there (pinned)."""
    _require_reviewer(caller)
    if event_id == other_event_id:
        raise InvalidInput("an event cannot be merged into itself")
    target = get_event(session, caller=caller, event_id=event_id)
    other = get_event(session, caller=caller, event_id=other_event_id)
    for ev in (target, other):
        if ev.status == "merged":
            raise Conflict(f"event {ev.id} was already merged into event {ev.merged_into}")
    for inc in session.scalars(
        select(IntelIncident).where(IntelIncident.event_id.in_([target.id, other.id]))
    ):
        inc.event_id, inc.pinned = target.id, True
    other.status, other.merged_into, other.updated_at = "merged", target.id, now
    _review(session, caller, "merge", now, event_id=target.id, details={"merged": other.id, "reason": reason})
    session.flush()
    refresh_event(session, target.id, now)
    _bump(session, now)
    return target


def split_incidents(
    session: Session, *, caller: Caller, incident_ids: Sequence[int], reason: str, now: datetime
) -> IntelEvent:
    """Take incidents out of their event into a new event of their own; they stay there (pinned)."""
    _require_reviewer(caller)
    rows = [get_incident(session, caller=caller, incident_id=i) for i in dict.fromkeys(incident_ids)]
    sources = {r.event_id for r in rows}
    if len(sources) != 1:
        raise InvalidInput("split takes incidents of one event")
    source = sources.pop()
    remaining = session.scalar(
        select(func.count()).where(
            IntelIncident.event_id == source, IntelIncident.id.not_in([r.id for r in rows])
        )
    )
    if not remaining:
        raise InvalidInput("these are all the event's incidents: nothing to split from")
    ev = _new_event(session, now)
    for r in rows:
        r.event_id, r.pinned = ev.id, True
    _review(
        session,
        caller,
        "split",
        now,
        event_id=ev.id,
        details={"from": source, "incidents": [r.id for r in rows], "reason": reason},
    )
    session.flush()
    refresh_event(session, source, now)
    refresh_event(session, ev.id, now)
    _bump(session, now)
    return ev


def reviews_of(
    session: Session, *, incident_id: int | None = None, event_id: int | None = None
) -> list[IntelReview]:
    """The decisions taken on an incident or an event, in order."""
    stmt = select(IntelReview).order_by(IntelReview.id)
    if incident_id is not None:
        stmt = stmt.where(IntelReview.incident_id == incident_id)
    if event_id is not None:
        stmt = stmt.where(IntelReview.event_id == event_id)
    return list(session.scalars(stmt))


# ---------------------------------------------------------------- for risk


def _counting(stmt: Any, min_confidence: float) -> Any:
    return stmt.where(
        IntelEvent.status.in_(["proposed", "confirmed"]),
        IntelEvent.confidence >= min_confidence,
        IntelEvent.lat.is_not(None),
        IntelEvent.lon.is_not(None),
    )


def events_for_risk(
    session: Session, *, min_confidence: float, ids: Collection[int] | None = None
) -> list[IntelEvent]:
    """The events that count for risk: not rejected, not merged, placed, at or above the confidence
    (all of them, or those of the given ids)."""
    if ids is None:
        return list(session.scalars(_counting(select(IntelEvent), min_confidence).order_by(IntelEvent.id)))
    wanted = sorted(ids)
    found: list[IntelEvent] = []
    for start in range(0, len(wanted), 500):  # bounded IN lists
        chunk = IntelEvent.id.in_(wanted[start : start + 500])
        found.extend(session.scalars(_counting(select(IntelEvent), min_confidence).where(chunk)))
    return found


def risk_event_stamps(session: Session, *, min_confidence: float) -> dict[int, datetime]:
    """Id and last change of every event that counts for risk: what a cached index compares to catch up."""
    rows = session.execute(_counting(select(IntelEvent.id, IntelEvent.updated_at), min_confidence))
    return {int(event_id): updated for event_id, updated in rows}


def export_rows(session: Session, *, caller: Caller, filters: IncidentFilter) -> Iterator[dict[str, Any]]:
    """Incidents in the gold-schema field names with `doc_id` and `event_id`, as `intel extract` prints them.

    Each report's own values, with the gaps its event fills: the town when the report names none (and
    the province agrees), and the date when the event knows it more precisely."""
    stmt = _filtered(
        select(IntelIncident, IntelReport.doc_id, IntelEvent)
        .join(IntelReport, IntelReport.id == IntelIncident.report_id)
        .join(IntelEvent, IntelEvent.id == IntelIncident.event_id),
        IntelIncident,
        filters,
        session,
    )
    for inc, doc_id, ev in session.execute(stmt.order_by(IntelIncident.report_id, IntelIncident.ordinal)):
        rec: dict[str, Any] = {"doc_id": doc_id, "event_id": f"ev-{ev.id}", "incident_id": inc.id}
        rec.update(_as_dict(inc))
        rec["doc_id"] = doc_id
        del rec["published"]
        if not rec.get("city") and ev.city and rec.get("admin1") in (None, ev.admin1):
            rec.update(city=ev.city, admin1=ev.admin1, lat=ev.lat, lon=ev.lon)
        if ev.date and PRECISION[ev.date_precision] > PRECISION[rec.get("date_precision") or "unknown"]:
            rec["date"] = ev.date.isoformat()
        rec["status"] = inc.status
        rec["evidence"] = inc.evidence
        yield rec
