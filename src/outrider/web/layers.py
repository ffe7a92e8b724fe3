"""The map's layers as GeoJSON, assembled from the services with the caller's scope and need-to-know.

Sites come from the registry's read scope, events from intelligence, the risk surface from risk. A
movement is drawn only when the caller may read its itinerary now (the need-to-know view decides,
and the read is recorded in the audit chain like any API read); the others never reach the browser.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.errors import NotFound
from outrider.intel import queries as intel_queries
from outrider.intel.models import IntelEvent
from outrider.movements import need_to_know, silent
from outrider.movements import schemas as ms
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import ON_THE_ROAD, PLANNING
from outrider.movements.models import Movement
from outrider.registry import service as registry_service
from outrider.risk import service as risk_service
from outrider.sharing import readers

ACTIVE = sorted(PLANNING | ON_THE_ROAD)
ACTIVE_ONLY = movements_service.BoardFilter(status=ACTIVE)
EVENTS_LIMIT = 5000
SURFACE_MAX_CELLS = 4000
# Average H3 cell areas in km², resolutions 0..9.
_H3_AREA_KM2 = (4.36e6, 6.1e5, 8.7e4, 1.24e4, 1.77e3, 253.0, 36.1, 5.16, 0.737, 0.105)


def collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection."""
    return {"type": "FeatureCollection", "features": features, **extra}


def sites(session: Session, caller: Caller) -> dict[str, Any]:
    """The sites the caller may read, with their cordon rings (radius or polygon) in the properties."""
    rows, _ = registry_service.list_records(session, kind=RecordKind.site, caller=caller, limit=10_000)
    return collection([registry_service.site_feature(s) for s in rows])


def event_severity(killed: int | None, wounded: int | None) -> str:
    """A coarse severity of an event from its casualties: low, medium, high, critical."""
    k, w = killed or 0, wounded or 0
    if k >= 10 or k + w >= 25:
        return "critical"
    if k >= 3 or k + w >= 10:
        return "high"
    if k + w >= 1:
        return "medium"
    return "low"


def age_class(day: date | None, today: date) -> str:
    """How old an event is: recent (30 days), year, older, or undated."""
    if day is None:
        return "undated"
    age = (today - day).days
    return "recent" if age <= 30 else "year" if age <= 365 else "older"


def event_feature(ev: IntelEvent, today: date) -> dict[str, Any]:
    """An event as a point with what the map colours and the popup shows."""
    return {
        "type": "Feature",
        "id": ev.id,
        "geometry": {"type": "Point", "coordinates": [ev.lon, ev.lat]},
        "properties": {
            "id": ev.id,
            "date": ev.date.isoformat() if ev.date else None,
            "place": ev.city or ev.location_text or ev.admin1 or ev.country or "",
            "attack_type": ev.attack_type,
            "killed": ev.killed,
            "wounded": ev.wounded,
            "perpetrator": ev.perpetrator,
            "status": ev.status,
            "severity": event_severity(ev.killed, ev.wounded),
            "age": age_class(ev.date, today),
            "url": f"/intel/events/{ev.id}",
        },
    }


def events(session: Session, caller: Caller, *, now: datetime, days: int = 3650) -> dict[str, Any]:
    """Placed events of the last ``days`` (rejected ones left out)."""
    filters = intel_queries.IncidentFilter(since=(now - timedelta(days=days)).date())
    visible = readers.scope_of(session, caller).visible(IntelEvent)  # what the caller may read by marking
    rows, total = intel_queries.list_events(
        session, caller=caller, filters=filters, limit=EVENTS_LIMIT, offset=0, visible=visible
    )
    today = now.date()
    features = [
        event_feature(ev, today)
        for ev in rows
        if ev.lat is not None and ev.lon is not None and ev.status != "rejected"
    ]
    return collection(features, total=total)


def events_by_id(session: Session, caller: Caller, ids: list[int], *, now: datetime) -> list[dict[str, Any]]:
    """Placed events by id (the drivers of a risk level)."""
    out = []
    scope = readers.scope_of(session, caller)
    for event_id in dict.fromkeys(ids):
        try:
            ev = intel_queries.get_event(session, caller=caller, event_id=event_id)
            scope.require(ev, "event")
        except NotFound:  # a driver removed since the snapshot (or marked above the caller) is not drawn
            continue
        if ev.lat is not None and ev.lon is not None:
            out.append(event_feature(ev, now.date()))
    return out


def risk_of(session: Session, caller: Caller, movement: Movement) -> tuple[int | None, str | None]:
    """The level of the movement's newest risk snapshot for its current plan, as the caller may read it
    (None: not scored yet)."""
    return risk_service.plan_level(session, caller=caller, movement=movement)


def last_position(session: Session, caller: Caller, movement: Movement) -> dict[str, Any] | None:
    """The newest check-in that carried a position, as the caller sees it (`movements.silent`)."""
    seen = silent.checkins_seen(movements_service.checkins_of(session, movement), caller)
    placed = [c for c in seen if c.lat is not None]
    if not placed:
        return None
    c = placed[-1]
    return {"at": c.at.isoformat(), "lat": c.lat, "lon": c.lon, "status": c.status}


def movement_features(
    session: Session,
    caller: Caller,
    movement: Movement,
    view: ms.MovementRead,
    *,
    with_alternates: bool = False,
) -> list[dict[str, Any]]:
    """The route (and alternates) and the last check-in of a movement whose itinerary the caller may read."""
    if not view.itinerary_visible or view.route is None:
        return []
    level, level_name = risk_of(session, caller, movement)
    props = {
        "id": view.id,
        "reference": view.reference,
        "status": view.status.value,
        "risk_level": level,
        "risk_level_name": level_name,
        "departure": view.planned_departure.isoformat() if view.planned_departure else None,
        "timezone": view.timezone,
        "origin": view.origin.label,
        "destination": view.destination.label,
        "url": f"/movements/{view.id}",
    }
    geometry = view.route.get("geometry", view.route) if view.route.get("type") == "Feature" else view.route
    features = [{"type": "Feature", "geometry": geometry, "properties": {**props, "kind": "route"}}]
    if with_alternates:
        for number, alt in enumerate(view.alternates or [], start=1):
            geo = alt.get("geometry", alt) if alt.get("type") == "Feature" else alt
            features.append(
                {
                    "type": "Feature",
                    "geometry": geo,
                    "properties": {**props, "kind": "alternate", "number": number},
                }
            )
    pos = last_position(session, caller, movement)
    if pos is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [pos["lon"], pos["lat"]]},
                "properties": {**props, "kind": "checkin", "at": pos["at"], "checkin_status": pos["status"]},
            }
        )
    return features


def movements(session: Session, caller: Caller, *, now: datetime) -> dict[str, Any]:
    """Planned and active movements whose itinerary the caller may read now (each read is audited)."""
    features: list[dict[str, Any]] = []
    hidden = 0
    candidates = movements_service.board_candidates(session, caller=caller, filters=ACTIVE_ONLY)
    decided = need_to_know.decisions(session, caller, candidates, now=now)  # at once, not per movement
    for movement in candidates:
        decision = decided[movement.id]
        if not decision.allowed:
            hidden += 1
            continue
        view = need_to_know.listed_view(
            session, caller=caller, movement=movement, decision=decision, now=now, via="map"
        )
        if not view.itinerary_visible:
            hidden += 1
            continue
        features.extend(movement_features(session, caller, movement, view))
    return collection(features, hidden=hidden)


def surface_resolution(bbox: tuple[float, float, float, float], wanted: int) -> int:
    """The finest H3 resolution (up to ``wanted``) that keeps the surface under SURFACE_MAX_CELLS cells."""
    west, south, east, north = bbox
    mid = math.radians((south + north) / 2)
    area = abs(east - west) * 111.32 * math.cos(mid) * abs(north - south) * 110.57
    resolution = max(0, min(wanted, len(_H3_AREA_KM2) - 1))
    while resolution > 0 and area / _H3_AREA_KM2[resolution] > SURFACE_MAX_CELLS:
        resolution -= 1
    return resolution


def surface(
    session: Session, caller: Caller, bbox: tuple[float, float, float, float], resolution: int, now: datetime
) -> dict[str, Any]:
    """The risk surface over a box, only the cells that some incident the caller may read touches."""
    res = surface_resolution(bbox, resolution)
    full = risk_service.surface(session, bbox, res, now, caller=caller)
    cells = [f for f in full["features"] if f["properties"].get("incidents", 0) > 0]
    return collection(cells, resolution=res, incident_revision=full.get("incident_revision"))
