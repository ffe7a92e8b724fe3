"""Use case: the reads of intelligence. Filtered lists, one report, incident or event, the review queue,
the events that count for risk (what `risk` reads) and the export in the gold-schema field names."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.errors import InvalidInput, NotFound
from outrider.intel.events import as_dict
from outrider.intel.linking import PRECISION
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.intel.service import registry, require_reviewer

Row = TypeVar("Row", IntelReport, IntelIncident, IntelEvent)


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


def _page(
    session: Session, stmt: Any, order: Sequence[Any], limit: int, offset: int, visible: Any = None
) -> tuple[list[Any], int]:
    """One page of a query's rows in the given order, and how many rows the query has in all (only the
    rows the ``visible`` condition keeps: what the reader's organisation may read of marked intelligence)."""
    if visible is not None:
        stmt = stmt.where(visible)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return list(session.scalars(stmt.order_by(*order).limit(limit).offset(offset))), total


def list_incidents(
    session: Session, *, caller: Caller, filters: IncidentFilter, limit: int, offset: int, visible: Any = None
) -> tuple[list[IntelIncident], int]:
    """Incidents matching the filters, newest event date first."""
    stmt = _filtered(select(IntelIncident), IntelIncident, filters, session)
    if filters.event_id is not None:
        stmt = stmt.where(IntelIncident.event_id == filters.event_id)
    if filters.report_id is not None:
        stmt = stmt.where(IntelIncident.report_id == filters.report_id)
    order = (IntelIncident.date.desc().nulls_last(), IntelIncident.id.desc())
    return _page(session, stmt, order, limit, offset, visible)


def list_events(
    session: Session, *, caller: Caller, filters: IncidentFilter, limit: int, offset: int, visible: Any = None
) -> tuple[list[IntelEvent], int]:
    """Events matching the filters (merged events left out unless asked for), newest first."""
    stmt = _filtered(select(IntelEvent), IntelEvent, filters, session)
    if filters.status is None:
        stmt = stmt.where(IntelEvent.status != "merged")
    order = (IntelEvent.date.desc().nulls_last(), IntelEvent.id.desc())
    return _page(session, stmt, order, limit, offset, visible)


def list_reports(
    session: Session, *, caller: Caller, limit: int, offset: int, visible: Any = None
) -> tuple[list[IntelReport], int]:
    """Stored reports, newest ingested first."""
    return _page(session, select(IntelReport), (IntelReport.id.desc(),), limit, offset, visible)


def _one(session: Session, model: type[Row], row_id: int, noun: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"no {noun} {row_id}")
    return row


def get_report(session: Session, *, caller: Caller, report_id: int) -> IntelReport:
    """One report."""
    return _one(session, IntelReport, report_id, "report")


def get_incident(session: Session, *, caller: Caller, incident_id: int) -> IntelIncident:
    """One incident."""
    return _one(session, IntelIncident, incident_id, "incident")


def get_event(session: Session, *, caller: Caller, event_id: int) -> IntelEvent:
    """One event."""
    return _one(session, IntelEvent, event_id, "event")


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
    require_reviewer(caller)
    stmt = select(IntelIncident).where(IntelIncident.status == "proposed")
    order = (
        IntelIncident.required.desc(),
        IntelIncident.main_story.desc(),
        IntelIncident.date.desc().nulls_last(),
        IntelIncident.id,
    )
    return _page(session, stmt, order, limit, offset)


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
        rec.update(as_dict(inc))
        rec["doc_id"] = doc_id
        del rec["published"]
        if not rec.get("city") and ev.city and rec.get("admin1") in (None, ev.admin1):
            rec.update(city=ev.city, admin1=ev.admin1, lat=ev.lat, lon=ev.lon)
        if ev.date and PRECISION[ev.date_precision] > PRECISION[rec.get("date_precision") or "unknown"]:
            rec["date"] = ev.date.isoformat()
        rec["status"] = inc.status
        rec["evidence"] = inc.evidence
        yield rec
