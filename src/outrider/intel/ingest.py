"""Use case: ingest reports: sort the inputs into duplicate, error or fresh; link the batch; store each.

Idempotent by content hash. A bad input is reported and writes nothing. Re-extracting a stored report
matches the new incidents to the stored ones, keeping the analyst's decisions on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.intel import actors as actor_registry
from outrider.intel import events, pipeline
from outrider.intel.cleaning import decode
from outrider.intel.linking import same_event
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.intel.redating import awaits_day, redate
from outrider.intel.schemas import IngestOutcome
from outrider.intel.service import audit, bump, ensure_actors, registry, require_reviewer

Done = Callable[[IngestOutcome], None]
Placed = tuple[int, dict[str, Any]]  # an incident of the batch with its cluster


@dataclass(frozen=True)
class IngestItem:
    """One input: where it came from, its document id (file name without extension) and its bytes."""

    source: str
    doc_id: str
    data: bytes


@dataclass(frozen=True)
class _Fresh:
    """A report to store: its result, its input, its content hash, the stored report to redo, its raw text."""

    res: pipeline.DocumentResult
    item: IngestItem
    key: str
    stored: IntelReport | None
    raw: str


@dataclass
class _Batch:
    """The linked batch: each report's placed incidents, every cluster's members, the events used."""

    linked: list[pipeline.DocumentResult]
    placed: list[list[Placed]]
    by_cluster: dict[int, list[dict[str, Any]]]
    cluster_event: dict[int, int] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest(
    session: Session,
    *,
    caller: Caller,
    items: Iterable[IngestItem],
    now: datetime,
    published: date | None = None,
    reextract: bool = False,
    on_item: Done | None = None,
) -> list[IngestOutcome]:
    """Store reports and their incidents, linked to events; a bad input is reported and writes nothing.

    Idempotent by content hash: a report already stored is a duplicate unless ``reextract`` is set, in
    which case its incidents are extracted again and matched to the stored ones, keeping the analyst's
    decisions (status, edits, event placement) on every matched or reviewed incident."""
    require_reviewer(caller)
    ensure_actors(session, now)
    reg = registry(session)
    outcomes: list[IngestOutcome] = []

    def done(outcome: IngestOutcome) -> None:
        outcomes.append(outcome)
        if on_item:
            on_item(outcome)

    with actor_registry.using(reg):
        fresh = [f for item in items for f in _sort(session, item, published, reextract, done)]
        fresh, repeats = _first_of_each(fresh)
        if not fresh:
            return outcomes
        batch = _link(fresh)
    stored_ids: dict[str, int | None] = {}
    for n, one in enumerate(fresh):
        outcome = _store(session, caller, one, batch, n, reg, now)
        stored_ids[one.key] = outcome.report_id
        done(outcome)
    for again in repeats:  # the same content twice in one batch: the first is stored, the rest are duplicates
        done(
            IngestOutcome(
                source=again.item.source,
                doc_id=again.res.doc_id,
                status="duplicate",
                report_id=stored_ids[again.key],
            )
        )
    for event_id in sorted(batch.touched):
        events.refresh_event(session, event_id, now)
    bump(session, now)
    session.flush()
    return outcomes


# ---------------------------------------------------------------- phase 1: duplicate, error or fresh


def _sort(
    session: Session, item: IngestItem, published: date | None, reextract: bool, done: Done
) -> list[_Fresh]:
    """The input's reports still to store; duplicates and errors are told to ``done`` at once."""
    digest = _hash(item.data)
    existing = session.scalar(select(IntelReport).where(IntelReport.content_hash == digest))
    if existing is not None and not reextract:
        done(IngestOutcome(source=item.source, doc_id=item.doc_id, status="duplicate", report_id=existing.id))
        return []
    results = list(pipeline.process_bytes(item.doc_id, item.data, published))
    errors = [r.error for r in results if r.error]
    if errors or not results:
        error = errors[0] if errors else "no report"
        done(IngestOutcome(source=item.source, doc_id=item.doc_id, status="error", error=error))
        return []
    fresh: list[_Fresh] = []
    for res in results:
        single = len(results) == 1  # a feed's entries are reports of their own, each with its own hash
        key = digest if single else _hash(f"{digest}\n{res.doc_id}".encode())
        stored = (
            existing if single else session.scalar(select(IntelReport).where(IntelReport.content_hash == key))
        )
        if stored is not None and not reextract:
            done(
                IngestOutcome(source=item.source, doc_id=res.doc_id, status="duplicate", report_id=stored.id)
            )
            continue
        fresh.append(_Fresh(res, item, key, stored, decode(item.data) if single else res.clean_text))
    return fresh


def _first_of_each(fresh: list[_Fresh]) -> tuple[list[_Fresh], list[_Fresh]]:
    """The batch's reports with each content once, and the repeats (stored once, told as duplicates)."""
    first: dict[str, _Fresh] = {}
    repeats = []
    for one in fresh:
        if one.key in first:
            repeats.append(one)
        else:
            first[one.key] = one
    return list(first.values()), repeats


# ---------------------------------------------------------------- phase 2: link the batch


def _link(fresh: list[_Fresh]) -> _Batch:
    """Link the batch's incidents across its reports (undated ones re-dated where linking dates them)."""
    linked, clusters = pipeline.link_documents([f.res for f in fresh])
    by_cluster: dict[int, list[dict[str, Any]]] = {}
    placed: list[list[Placed]] = []
    position = 0
    for res in linked:
        mine = list(zip(clusters[position : position + len(res.incidents)], res.incidents, strict=True))
        position += len(res.incidents)
        placed.append(mine)
        for cluster, inc in mine:
            by_cluster.setdefault(cluster, []).append(inc)
    return _Batch(linked, placed, by_cluster)


# ---------------------------------------------------------------- phase 3: store one report


def _store(
    session: Session,
    caller: Caller,
    fresh: _Fresh,
    batch: _Batch,
    n: int,
    reg: actor_registry.ActorRegistry,
    now: datetime,
) -> IngestOutcome:
    """Store the batch's ``n``-th report (or redo its stored one) and audit it."""
    res, mine = batch.linked[n], batch.placed[n]
    if fresh.stored is None:
        report = _new_report(session, caller, fresh, res, now)
        count = _store_incidents(session, report.id, res, mine, batch, reg, now)
        status = "stored"
    else:
        report = _update_report(fresh.stored, res)
        batch.touched |= _reextract(session, report, [inc for _, inc in mine], now)
        count, status = len(mine), "reextracted"
    session.flush()
    details = {"incidents": count}
    audit(
        session,
        caller,
        f"intel.report.{status}",
        "intel_report",
        report.id,
        now,
        fields=["incidents"],
        details=details,
    )
    return IngestOutcome(
        source=fresh.item.source, doc_id=res.doc_id, status=status, report_id=report.id, incidents=count
    )


def _new_report(
    session: Session, caller: Caller, fresh: _Fresh, res: pipeline.DocumentResult, now: datetime
) -> IntelReport:
    report = IntelReport(
        content_hash=fresh.key,
        doc_id=res.doc_id[:300],
        source=fresh.item.source[:500],
        outlet=res.outlet,
        title=(res.title or "")[:500] or None,
        published=res.published,
        published_how=res.published_how,
        language=res.language,
        raw_text=fresh.raw,
        clean_text=res.clean_text,
        related=list(res.related),
        ingested_by=caller.user_id,
        ingested_at=now,
    )
    session.add(report)
    session.flush()
    return report


def _update_report(report: IntelReport, res: pipeline.DocumentResult) -> IntelReport:
    report.clean_text, report.related = res.clean_text, list(res.related)
    report.title = (res.title or "")[:500] or report.title
    if res.published is not None:
        report.published, report.published_how = res.published, res.published_how
    return report


def _store_incidents(
    session: Session,
    report_id: int,
    res: pipeline.DocumentResult,
    mine: list[Placed],
    batch: _Batch,
    reg: actor_registry.ActorRegistry,
    now: datetime,
) -> int:
    """A new report's incidents, each in its cluster's event (stored or new); returns how many."""
    redone = _redated(session, res, mine, batch, report_id, reg, now)
    if redone is not None:
        # an undated report whose event is already stored with its day: dates re-resolved on that day
        for ordinal, inc in enumerate(redone):
            target = events.event_or_new(session, [inc], report_id, now)
            events.add_incident(session, report_id, ordinal, target, inc, now)
            batch.touched.add(target)
        return len(redone)
    for ordinal, (cluster, inc) in enumerate(mine):
        event_id = batch.cluster_event.get(cluster)
        if event_id is None:
            event_id = events.event_or_new(session, batch.by_cluster[cluster], report_id, now)
            batch.cluster_event[cluster] = event_id
        events.add_incident(session, report_id, ordinal, event_id, inc, now)
        batch.touched.add(event_id)
    return len(mine)


def _redated(
    session: Session,
    res: pipeline.DocumentResult,
    mine: list[Placed],
    batch: _Batch,
    report_id: int,
    reg: actor_registry.ActorRegistry,
    now: datetime,
) -> list[dict[str, Any]] | None:
    """For a report without publication date whose main event is stored with a day: incidents again."""
    if not awaits_day(res):
        return None
    event_id = events.event_for(session, batch.by_cluster[mine[0][0]], report_id, now.date())
    ev = session.get(IntelEvent, event_id) if event_id is not None else None
    if ev is None or ev.date is None or ev.date_precision != "day":
        return None
    with actor_registry.using(reg):
        return redate(res, ev.date)


def _reextract(
    session: Session, report: IntelReport, incidents: list[dict[str, Any]], now: datetime
) -> set[int]:
    """Match new extractions to stored incidents; reviewed incidents survive; returns touched events."""
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
            (
                o
                for o in old
                if o.id not in used and o.ordinal == ordinal and same_event(probe, events.as_dict(o))
            ),
            None,
        ) or next((o for o in old if o.id not in used and same_event(probe, events.as_dict(o))), None)
        if match is not None:
            used.add(match.id)
            match.extracted, match.evidence, match.ordinal = (
                events.extracted(inc),
                inc.get("evidence") or {},
                ordinal,
            )
            events.apply(match, match.extracted, match.edits or {})
            continue
        event_id = events.event_or_new(session, [inc], report.id, now)
        events.add_incident(session, report.id, ordinal, event_id, inc, now)
        touched.add(event_id)
    for o in old:
        if o.id not in used and o.status == "proposed" and not o.edits and not o.pinned:
            session.delete(o)
    session.flush()
    return touched
