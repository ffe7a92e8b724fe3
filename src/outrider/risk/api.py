"""HTTP routes of risk: a route, a site, the surface, a movement's snapshot, the backtest."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from outrider.db import utcnow
from outrider.errors import InvalidInput
from outrider.http import CallerDep, SessionDep
from outrider.inputs import Id, When
from outrider.intel.queries import parse_bbox
from outrider.risk import service

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])


class RouteQuery(BaseModel):
    """A route to score: a GeoJSON LineString (or a Feature holding one), at a time (default now)."""

    model_config = ConfigDict(extra="forbid")

    route: dict[str, Any]
    alternates: list[dict[str, Any]] = Field(default_factory=list, max_length=10)
    at: When | None = Field(default=None, description="ISO 8601 with a zone; default now")
    regions: list[str] = Field(default_factory=list, max_length=50, description="provinces the route crosses")


def _at(value: datetime | None) -> datetime:
    if value is None:
        return utcnow()
    if value.tzinfo is None:
        raise InvalidInput("at needs a time zone", errors=[{"loc": ["at"], "msg": "no time zone"}])
    return value


@router.post("/route")
def route(data: RouteQuery, caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """Score a route (and its alternates: which is lowest) against the stored events."""
    at = _at(data.at)
    result, revision = service.score_route(session, data.route, at, caller=caller, regions=data.regions)
    out = service.result_json(result) | {"at": at.isoformat(), "incident_revision": revision}
    if data.alternates:
        scored = [
            service.score_route(session, alt, at, caller=caller, regions=data.regions)[0]
            for alt in data.alternates
        ]
        everything = [result, *scored]
        lowest = min(range(len(everything)), key=lambda k: (everything[k].score, k))
        out["alternates"] = [
            {"route": k + 1, "score": round(r.score, 4), "level": r.level, "level_name": r.level_name}
            for k, r in enumerate(scored)
        ]
        out["lowest"] = lowest
    return out


@router.get("/sites/{site_id}")
def site(
    site_id: Id,
    caller: CallerDep,
    session: SessionDep,
    at: Annotated[When | None, Query(description="ISO 8601 with a zone; default now")] = None,
    radius_m: Annotated[float | None, Query(gt=0, le=200_000)] = None,
) -> dict[str, Any]:
    """A site's risk within a radius (default from settings)."""
    when = _at(at)
    record, result, revision = service.score_site(
        session, caller=caller, site_id=site_id, at=when, radius_m=radius_m
    )
    return service.result_json(result) | {
        "site_id": record.id,
        "at": when.isoformat(),
        "incident_revision": revision,
    }


@router.get("/surface")
def surface(
    caller: CallerDep,
    session: SessionDep,
    bbox: Annotated[str, Query(description="min_lon,min_lat,max_lon,max_lat")] = "60.5,23.5,77.5,37.5",
    resolution: Annotated[int, Query(ge=0, le=9, description="H3 resolution")] = 4,
    at: Annotated[When | None, Query(description="ISO 8601 with a zone; default now")] = None,
) -> dict[str, Any]:
    """The risk surface: a GeoJSON FeatureCollection of H3 cells with score and level."""
    return service.surface(session, parse_bbox(bbox), resolution, _at(at), caller=caller)


@router.get("/movements/{movement_id}")
def movement(movement_id: Id, caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """A movement's latest risk snapshot; the drivers only for its itinerary's need-to-know list."""
    return service.movement_risk(session, caller=caller, movement_id=movement_id, now=utcnow())


@router.get("/backtest")
def backtest(
    caller: CallerDep,
    session: SessionDep,
    controls: Annotated[int, Query(ge=1, le=50)] = 5,
    seed: int = 0,
) -> dict[str, Any]:
    """Per year: ROC AUC of the risk at that year's attack places (earlier incidents only) vs controls."""
    years = service.run_backtest(session, caller=caller, controls=controls, seed=seed)
    return {"years": [asdict(y) for y in years]}
