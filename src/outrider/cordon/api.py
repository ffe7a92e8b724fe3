"""HTTP routes of cordon monitoring: a batch endpoint for sightings and inspections; sightings by plate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from outrider.cordon import service
from outrider.cordon.detectors import Config
from outrider.cordon.events import Event, event_from_mapping, normalise_plate
from outrider.db import utcnow
from outrider.http import CallerDep, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1/cordon", tags=["cordon"])


class EventBatch(BaseModel):
    """Sightings and inspections, in any order within the lateness; bad items are reported, not fatal."""

    events: list[dict[str, Any]] = Field(max_length=10_000)
    flush: bool = Field(default=False, description="release everything buffered (the end of a feed)")


@router.post("/events")
def post_events(
    batch: EventBatch, caller: CallerDep, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Ingest a batch: store it, run the detectors, raise alerts; bad items are listed by index."""
    good: list[Event] = []
    bad: list[dict[str, Any]] = []
    for index, raw in enumerate(batch.events):
        try:
            good.append(event_from_mapping(raw))
        except (ValueError, TypeError) as exc:
            bad.append({"index": index, "reason": str(exc)})
    result = service.ingest(
        session,
        caller=caller,
        events=good,
        now=utcnow(),
        flush=batch.flush,
        config=Config(lateness_s=settings.cordon_lateness_seconds),
    )
    return {
        "stored": result.stored,
        "bad": bad,
        "late": result.late,
        "unknown_zone": result.unknown_zone,
        "alerts": result.alerts,
    }


@router.get("/sightings")
def sightings(
    caller: CallerDep, session: SessionDep, plate: Annotated[str, Query(min_length=1, max_length=32)]
) -> dict[str, Any]:
    """The stored sightings of one plate, newest first (host security)."""
    rows = service.sightings_of(session, caller=caller, plate=normalise_plate(plate))
    return {
        "plate": normalise_plate(plate),
        "items": [
            {
                "at": r.at.isoformat(),
                "source": r.source,
                "zone_id": r.zone_id,
                "lat": r.lat,
                "lon": r.lon,
                "evidence": r.evidence,
            }
            for r in rows
        ],
    }
