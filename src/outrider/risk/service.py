"""Risk service: scores of routes, sites and the surface for a reader, the backtest; movements' snapshots.

The index is built from `intel` events (one per real event, not one per report: a twice-reported attack
counts once) and cached per database and incident-set revision (`risk.stored`), so a new, merged or rejected
incident takes effect on the next query after its transaction commits. What a caller is shown is computed
from the events the caller's organisation may read (`risk.readers`): the holder counts every one. The
caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.errors import InvalidInput
from outrider.intel import queries as intel_queries
from outrider.registry import service as registry_service
from outrider.registry.models import Site
from outrider.risk import readers
from outrider.risk.backtest import YearResult, backtest
from outrider.risk.movement_risk import (
    SnapshotOutcome,
    latest_snapshot,
    movement_risk,
    plan_level,
    risk_tick,
    snapshot_movement,
)
from outrider.risk.scoring import RiskResult, result_json, route_risk, site_risk
from outrider.risk.stored import coords, current_index, forget_cache, parameters, to_incident
from outrider.risk.surface import bbox_cells, risk_surface
from outrider.settings import get_settings

__all__ = [
    "SnapshotOutcome",
    "current_index",
    "forget_cache",
    "latest_snapshot",
    "movement_risk",
    "parameters",
    "plan_level",
    "result_json",
    "risk_tick",
    "run_backtest",
    "score_route",
    "score_site",
    "snapshot_movement",
    "surface",
]


def score_route(
    session: Session, geometry: dict[str, Any], at: datetime, *, caller: Caller, regions: Sequence[str] = ()
) -> tuple[RiskResult, int]:
    """A route's risk at a time against the stored events the caller may read; and the revision used."""
    params = parameters()
    seen = readers.sight(session, params, caller.organization_id)
    try:
        return route_risk(coords(geometry), at, seen.index, params, regions=regions), seen.revision
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def score_site(
    session: Session, *, caller: Caller, site_id: int, at: datetime, radius_m: float | None = None
) -> tuple[Site, RiskResult, int]:
    """A site's risk within a radius (default from settings), from the events the caller may read."""
    site = registry_service.get_record(session, caller=caller, kind=RecordKind.site, record_id=site_id)
    assert isinstance(site, Site)
    params = parameters()
    seen = readers.sight(session, params, caller.organization_id)
    try:
        result = site_risk(
            site.lat, site.lon, radius_m or get_settings().risk_site_radius_m, at, seen.index, params
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return site, result, seen.revision


def surface(
    session: Session,
    bbox: tuple[float, float, float, float],
    resolution: int,
    at: datetime,
    *,
    caller: Caller,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of H3 cells over a bounding box, with score and level, from the events
    the caller may read."""
    params = parameters()
    seen = readers.sight(session, params, caller.organization_id)
    try:
        cells = bbox_cells(*bbox, resolution)
        collection = risk_surface(cells, at, seen.index, params)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    collection["incident_revision"] = seen.revision
    return collection


def run_backtest(session: Session, *, caller: Caller, controls: int = 5, seed: int = 0) -> list[YearResult]:
    """The backtest on the stored events the caller may read (see docs/risk.md)."""
    params = parameters()
    events = intel_queries.events_for_risk(session, min_confidence=params.min_confidence)
    counts = readers.counts_for(session, caller.organization_id)
    incidents = [inc for ev in events if counts(ev.id) and (inc := to_incident(ev)) is not None]
    return backtest(incidents, params, controls_per_attack=controls, seed=seed)
