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
from outrider.intel.models import IntelEvent, IntelIncident
from outrider.pages import Page

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


def _paged(model: type[M], found: tuple[Sequence[Any], int], page: PageParams) -> Page[M]:
    """One page of rows as the model the route answers with."""
    rows, total = found
    return Page(
        items=[model.model_validate(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


# ---------------------------------------------------------------- reports


@router.get("/reports", response_model=Page[s.ReportRead])
def reports(caller: CallerDep, session: SessionDep, page: PageDep) -> Page[s.ReportRead]:
    """Stored reports, newest first."""
    rows, total = queries.list_reports(session, caller=caller, limit=page.limit, offset=page.offset)
    linked = from_movements.movement_references(session, caller=caller, reports=rows)
    items = [
        s.ReportRead.model_validate(r).model_copy(update={"movement_reference": linked.get(r.id)})
        for r in rows
    ]
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


@router.get("/reports/{report_id}", response_model=s.ReportDetail)
def report(report_id: Id, caller: CallerDep, session: SessionDep) -> s.ReportDetail:
    """One report with its clean text (evidence offsets point into it) and its incidents."""
    row = queries.get_report(session, caller=caller, report_id=report_id)
    incidents, _ = queries.list_incidents(
        session, caller=caller, filters=queries.IncidentFilter(report_id=row.id), limit=500, offset=0
    )
    base = s.ReportRead.model_validate(row).model_dump()
    base["movement_reference"] = from_movements.movement_references(
        session, caller=caller, reports=[row]
    ).get(row.id)
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
    """Incidents by event date, place, actor, status or bounding box; newest first."""
    f = replace(filters, event_id=event_id, report_id=report_id)
    found = queries.list_incidents(session, caller=caller, filters=f, limit=page.limit, offset=page.offset)
    return _paged(s.IncidentRead, found, page)


def _detail(session: Session, caller: Caller, row: IntelIncident) -> s.IncidentDetail:
    rep = queries.get_report(session, caller=caller, report_id=row.report_id)
    spans = [s.EvidenceSpan(start=a, end=b, text=t) for a, b, t in queries.evidence_spans(rep, row)]
    return s.IncidentDetail(
        **s.IncidentRead.model_validate(row).model_dump(),
        extracted=row.extracted,
        report_title=rep.title,
        report_published=rep.published,
        spans=spans,
    )


@router.get("/incidents/{incident_id}", response_model=s.IncidentDetail)
def incident(incident_id: Id, caller: CallerDep, session: SessionDep) -> s.IncidentDetail:
    """One incident with the extractor's values, the analyst's edits and the evidence sentences."""
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
    return s.IncidentRead.model_validate(row)


@router.post("/incidents/{incident_id}/reject", response_model=s.IncidentRead)
def reject(incident_id: Id, data: s.ReviewNote, caller: CallerDep, session: SessionDep) -> s.IncidentRead:
    """Reject an incident: it counts nowhere (risk, events) from now on."""
    row = review.set_status(
        session, caller=caller, incident_id=incident_id, status="rejected", reason=data.reason, now=utcnow()
    )
    return s.IncidentRead.model_validate(row)


@router.get("/review-queue", response_model=Page[s.IncidentRead])
def review_queue(caller: CallerDep, session: SessionDep, page: PageDep) -> Page[s.IncidentRead]:
    """Incidents awaiting an analyst's decision, main stories first."""
    found = queries.review_queue(session, caller=caller, limit=page.limit, offset=page.offset)
    return _paged(s.IncidentRead, found, page)


# ---------------------------------------------------------------- events


@router.get("/events", response_model=Page[s.EventRead])
def events(caller: CallerDep, session: SessionDep, page: PageDep, filters: FilterDep) -> Page[s.EventRead]:
    """Events (one per real event), newest first; merged events only when asked by status."""
    found = queries.list_events(session, caller=caller, filters=filters, limit=page.limit, offset=page.offset)
    return _paged(s.EventRead, found, page)


@router.get("/events.geojson")
def events_geojson(caller: CallerDep, session: SessionDep, filters: FilterDep) -> dict[str, Any]:
    """Placed events as a GeoJSON FeatureCollection (for the map), at most 5,000."""
    rows, total = queries.list_events(session, caller=caller, filters=filters, limit=5000, offset=0)
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": s.EventRead.model_validate(r).model_dump(mode="json"),
        }
        for r in rows
        if r.lat is not None and r.lon is not None
    ]
    return {"type": "FeatureCollection", "features": features, "total": total}


def _event_detail(session: Session, caller: Caller, ev: IntelEvent) -> s.EventDetail:
    rows, _ = queries.list_incidents(
        session, caller=caller, filters=queries.IncidentFilter(event_id=ev.id), limit=500, offset=0
    )
    return s.EventDetail(
        **s.EventRead.model_validate(ev).model_dump(),
        incidents=[s.IncidentRead.model_validate(r) for r in rows],
    )


@router.get("/events/{event_id}", response_model=s.EventDetail)
def event(event_id: Id, caller: CallerDep, session: SessionDep) -> s.EventDetail:
    """One event with every report's incident."""
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
    """Every armed group and state agency with its aliases."""
    return [s.ActorRead.model_validate(a) for a in service.list_actors(session, caller=caller, now=utcnow())]


@router.post("/actors", response_model=s.ActorRead, status_code=status.HTTP_201_CREATED)
def create_actor(data: s.ActorCreate, caller: CallerDep, session: SessionDep) -> s.ActorRead:
    """Add a group or agency (used by the next extraction)."""
    return s.ActorRead.model_validate(service.create_actor(session, caller=caller, data=data, now=utcnow()))


@router.patch("/actors/{actor_id}", response_model=s.ActorRead)
def update_actor(actor_id: Id, data: s.ActorUpdate, caller: CallerDep, session: SessionDep) -> s.ActorRead:
    """Rename, re-kind or re-alias an actor."""
    row = service.update_actor(session, caller=caller, actor_id=actor_id, data=data, now=utcnow())
    return s.ActorRead.model_validate(row)
