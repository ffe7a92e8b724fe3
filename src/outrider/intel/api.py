"""HTTP routes of intelligence: reports, incidents, events, actors and the analyst's review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, Query, UploadFile, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.db import utcnow
from outrider.errors import TooLarge
from outrider.http import CallerDep, PageDep, PageParams, SessionDep, SettingsDep
from outrider.inputs import Day, Id
from outrider.intel import from_movements, ingest, queries, review, service
from outrider.intel import schemas as s
from outrider.intel.cleaning import MAX_BYTES
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.pages import Page
from outrider.sharing import readers

M = TypeVar("M", bound=BaseModel)

router = APIRouter(prefix="/api/v1/intel", tags=["intelligence"])
MAX_FILES = 200


def _filters(
    since: Annotated[
        Day | None, Query(alias="from", description="event date on or after (YYYY-MM-DD)")
    ] = None,
    until: Annotated[
        Day | None, Query(alias="to", description="event date on or before (YYYY-MM-DD)")
    ] = None,
    country: Annotated[
        str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    ] = None,
    admin1: Annotated[str | None, Query(max_length=100)] = None,
    city: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="perpetrator name or alias")] = None,
    status_: Annotated[
        str | None, Query(alias="status", pattern="^(proposed|confirmed|rejected|merged)$")
    ] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
) -> queries.IncidentFilter:
    bounds = queries.parse_bbox(bbox) if bbox else None
    return queries.IncidentFilter(since, until, country, admin1, city, actor, status_, bounds)


FilterDep = Annotated[queries.IncidentFilter, Depends(_filters)]


def _paged(
    session: Session, scope: readers.Scope, model: type[M], found: tuple[Sequence[Any], int], page: PageParams
) -> Page[M]:
    """One page of rows as the model the route answers with, each with its provenance."""
    rows, total = found
    return Page(
        items=[scope.shown(session, model, r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def _shown(session: Session, caller: Caller, model: type[M], row: Any) -> M:
    """A row the caller changed, with its provenance."""
    return readers.scope_of(session, caller).shown(session, model, row)


# ---------------------------------------------------------------- reports


@router.get("/reports", response_model=Page[s.ReportRead])
def reports(caller: CallerDep, session: SessionDep, page: PageDep) -> Page[s.ReportRead]:
    """Stored reports the caller's organisation may read (by their marking), newest first."""
    scope = readers.scope_of(session, caller)
    rows, total = queries.list_reports(
        session, caller=caller, limit=page.limit, offset=page.offset, visible=scope.visible(IntelReport)
    )
    linked = from_movements.movement_references(session, caller=caller, reports=rows)
    items = [scope.shown(session, s.ReportRead, r, movement_reference=linked.get(r.id)) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/reports", response_model=list[s.IngestOutcome], status_code=status.HTTP_201_CREATED)
def ingest_text(data: s.IngestText, caller: CallerDep, session: SessionDep) -> list[s.IngestOutcome]:
    """Ingest one report given as text (plain, HTML, RSS/Atom); a bad report is an error outcome."""
    raw = data.text.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise TooLarge(f"the report exceeds {MAX_BYTES} bytes")
    item = ingest.IngestItem(source=data.source, doc_id=data.doc_id or data.source, data=raw)
    return ingest.ingest(
        session, caller=caller, items=[item], now=utcnow(), published=data.published, reextract=data.reextract
    )


@router.post("/reports/upload", response_model=list[s.IngestOutcome], status_code=status.HTTP_201_CREATED)
def ingest_files(
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description=".txt, .html, .htm or RSS/Atom files")],
    published: Annotated[Day | None, Query(description="publication date for every file")] = None,
) -> list[s.IngestOutcome]:
    """Ingest uploaded report files; each bad file is an error outcome, the others go through."""
    if len(files) > MAX_FILES:
        raise TooLarge(f"at most {MAX_FILES} files per upload")
    limit = min(MAX_BYTES, settings.max_body_bytes)
    items = []
    for f in files:
        content = f.file.read(limit + 1)
        name = f.filename or "upload"
        if len(content) > limit:
            raise TooLarge(f"{name}: the file exceeds {limit} bytes")
        items.append(ingest.IngestItem(source=name, doc_id=PurePath(name).stem or name, data=content))
    return ingest.ingest(session, caller=caller, items=items, now=utcnow(), published=published)


def _readable_incidents(
    session: Session, caller: Caller, scope: readers.Scope, filters: queries.IncidentFilter
) -> list[IntelIncident]:
    """The first 500 incidents of a report or an event that the caller's organisation may read."""
    rows, _ = queries.list_incidents(
        session, caller=caller, filters=filters, limit=500, offset=0, visible=scope.visible_incidents()
    )
    return rows


@router.get("/reports/{report_id}", response_model=s.ReportDetail)
def report(report_id: Id, caller: CallerDep, session: SessionDep) -> s.ReportDetail:
    """One report with its clean text (evidence offsets point into it), its incidents and provenance."""
    scope = readers.scope_of(session, caller)
    row = queries.get_report(session, caller=caller, report_id=report_id)
    scope.require(row, "report")
    incidents = _readable_incidents(session, caller, scope, queries.IncidentFilter(report_id=row.id))
    linked = from_movements.movement_references(session, caller=caller, reports=[row])
    base = scope.shown(session, s.ReportRead, row, movement_reference=linked.get(row.id)).model_dump()
    return s.ReportDetail(
        **base, clean_text=row.clean_text, related=row.related, incident_ids=sorted(i.id for i in incidents)
    )


# ---------------------------------------------------------------- incidents


@router.get("/incidents", response_model=Page[s.IncidentRead])
def incidents(
    caller: CallerDep,
    session: SessionDep,
    page: PageDep,
    filters: FilterDep,
    event_id: Id | None = None,
    report_id: Id | None = None,
) -> Page[s.IncidentRead]:
    """Incidents by event date, place, actor, status or bounding box; newest first (those the caller's
    organisation may read, with their reports)."""
    scope = readers.scope_of(session, caller)
    f = replace(filters, event_id=event_id, report_id=report_id)
    found = queries.list_incidents(
        session,
        caller=caller,
        filters=f,
        limit=page.limit,
        offset=page.offset,
        visible=scope.visible_incidents(),
    )
    return _paged(session, scope, s.IncidentRead, found, page)


def _detail(session: Session, caller: Caller, row: IntelIncident) -> s.IncidentDetail:
    scope = readers.scope_of(session, caller)
    rep = queries.get_report(session, caller=caller, report_id=row.report_id)
    scope.require_incident(row, rep)
    spans = [s.EvidenceSpan(start=a, end=b, text=t) for a, b, t in queries.evidence_spans(rep, row)]
    return s.IncidentDetail(
        **scope.shown(session, s.IncidentRead, row).model_dump(),
        extracted=row.extracted,
        report_title=rep.title,
        report_published=rep.published,
        spans=spans,
    )


@router.get("/incidents/{incident_id}", response_model=s.IncidentDetail)
def incident(incident_id: Id, caller: CallerDep, session: SessionDep) -> s.IncidentDetail:
    """One incident with the extractor's values, the analyst's edits, the evidence sentences, provenance."""
    return _detail(session, caller, queries.get_incident(session, caller=caller, incident_id=incident_id))


@router.patch("/incidents/{incident_id}", response_model=s.IncidentDetail)
def edit_incident(
    incident_id: Id, data: s.IncidentEdit, caller: CallerDep, session: SessionDep
) -> s.IncidentDetail:
    """Correct an incident's values (kept over later re-extractions)."""
    row = review.edit_incident(session, caller=caller, incident_id=incident_id, edit=data, now=utcnow())
    return _detail(session, caller, row)


@router.post("/incidents/{incident_id}/confirm", response_model=s.IncidentRead)
def confirm(incident_id: Id, data: s.ReviewNote, caller: CallerDep, session: SessionDep) -> s.IncidentRead:
    """Confirm an incident."""
    row = review.set_status(
        session, caller=caller, incident_id=incident_id, status="confirmed", reason=data.reason, now=utcnow()
    )
    return _shown(session, caller, s.IncidentRead, row)


@router.post("/incidents/{incident_id}/reject", response_model=s.IncidentRead)
def reject(incident_id: Id, data: s.ReviewNote, caller: CallerDep, session: SessionDep) -> s.IncidentRead:
    """Reject an incident: it counts nowhere (risk, events) from now on."""
    row = review.set_status(
        session, caller=caller, incident_id=incident_id, status="rejected", reason=data.reason, now=utcnow()
    )
    return _shown(session, caller, s.IncidentRead, row)


@router.get("/review-queue", response_model=Page[s.IncidentRead])
def review_queue(caller: CallerDep, session: SessionDep, page: PageDep) -> Page[s.IncidentRead]:
    """Incidents awaiting an analyst's decision, main stories first."""
    found = queries.review_queue(session, caller=caller, limit=page.limit, offset=page.offset)
    return _paged(session, readers.scope_of(session, caller), s.IncidentRead, found, page)


# ---------------------------------------------------------------- events


@router.get("/events", response_model=Page[s.EventRead])
def events(caller: CallerDep, session: SessionDep, page: PageDep, filters: FilterDep) -> Page[s.EventRead]:
    """Events (one per real event) the caller's organisation may read, newest first; merged events only
    when asked by status."""
    scope = readers.scope_of(session, caller)
    found = queries.list_events(
        session,
        caller=caller,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
        visible=scope.visible(IntelEvent),
    )
    return _paged(session, scope, s.EventRead, found, page)


@router.get("/events.geojson")
def events_geojson(caller: CallerDep, session: SessionDep, filters: FilterDep) -> dict[str, Any]:
    """Placed events as a GeoJSON FeatureCollection (for the map), at most 5,000."""
    scope = readers.scope_of(session, caller)
    rows, total = queries.list_events(
        session, caller=caller, filters=filters, limit=5000, offset=0, visible=scope.visible(IntelEvent)
    )
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": scope.shown(session, s.EventRead, r).model_dump(mode="json"),
        }
        for r in rows
        if r.lat is not None and r.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features, "total": total}


def _event_detail(session: Session, caller: Caller, ev: IntelEvent) -> s.EventDetail:
    scope = readers.scope_of(session, caller)
    scope.require(ev, "event")
    rows = _readable_incidents(session, caller, scope, queries.IncidentFilter(event_id=ev.id))
    return s.EventDetail(
        **scope.shown(session, s.EventRead, ev).model_dump(),
        incidents=[scope.shown(session, s.IncidentRead, r) for r in rows],
    )


@router.get("/events/{event_id}", response_model=s.EventDetail)
def event(event_id: Id, caller: CallerDep, session: SessionDep) -> s.EventDetail:
    """One event with every report's incident (those the caller may read), with provenance."""
    return _event_detail(session, caller, queries.get_event(session, caller=caller, event_id=event_id))


@router.patch("/events/{event_id}", response_model=s.EventDetail)
def edit_event(event_id: Id, data: s.EventEdit, caller: CallerDep, session: SessionDep) -> s.EventDetail:
    """Override an event's chosen values."""
    ev = review.edit_event(session, caller=caller, event_id=event_id, edit=data, now=utcnow())
    return _event_detail(session, caller, ev)


@router.post("/events/{event_id}/merge", response_model=s.EventDetail)
def merge(event_id: Id, data: s.MergeRequest, caller: CallerDep, session: SessionDep) -> s.EventDetail:
    """Fold another event into this one."""
    ev = review.merge_events(
        session,
        caller=caller,
        event_id=event_id,
        other_event_id=data.other_event_id,
        reason=data.reason,
        now=utcnow(),
    )
    return _event_detail(session, caller, ev)


@router.post("/events/split", response_model=s.EventDetail, status_code=status.HTTP_201_CREATED)
def split(data: s.SplitRequest, caller: CallerDep, session: SessionDep) -> s.EventDetail:
    """Take incidents out of their event into a new event."""
    ev = review.split_incidents(
        session, caller=caller, incident_ids=data.incident_ids, reason=data.reason, now=utcnow()
    )
    return _event_detail(session, caller, ev)


# ---------------------------------------------------------------- actors


@router.get("/actors", response_model=list[s.ActorRead])
def actors(caller: CallerDep, session: SessionDep) -> list[s.ActorRead]:
    """Every armed group and state agency with its aliases (those the caller's organisation may read)."""
    scope = readers.scope_of(session, caller)
    found = service.list_actors(session, caller=caller, now=utcnow())
    return [scope.shown(session, s.ActorRead, a) for a in found if scope.refusal(a) is None]


@router.post("/actors", response_model=s.ActorRead, status_code=status.HTTP_201_CREATED)
def create_actor(data: s.ActorCreate, caller: CallerDep, session: SessionDep) -> s.ActorRead:
    """Add a group or agency (used by the next extraction)."""
    row = service.create_actor(session, caller=caller, data=data, now=utcnow())
    return _shown(session, caller, s.ActorRead, row)


@router.patch("/actors/{actor_id}", response_model=s.ActorRead)
def update_actor(actor_id: Id, data: s.ActorUpdate, caller: CallerDep, session: SessionDep) -> s.ActorRead:
    """Rename, re-kind or re-alias an actor."""
    row = service.update_actor(session, caller=caller, actor_id=actor_id, data=data, now=utcnow())
    return _shown(session, caller, s.ActorRead, row)
