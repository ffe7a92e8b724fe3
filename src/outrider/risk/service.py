"""Risk service: the incident index kept current with stored events, scores, snapshots, rising-level alerts.

The index is built from `intel` events (one per real event, not one per report: a twice-reported attack
counts once) and cached per database and incident-set revision, so a new, merged or rejected incident
takes effect on the next query after its transaction commits. The caller owns the transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.errors import InvalidInput
from outrider.intel import queries as intel_queries
from outrider.intel import service as intel_service
from outrider.intel.extents import city_extent_m
from outrider.intel.models import IntelEvent
from outrider.movements import nearby
from outrider.movements.lifecycle import PLANNED_OR_LIVE
from outrider.registry.models import Site
from outrider.risk.backtest import YearResult, backtest
from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import RiskResult, compare_alternates, route_risk, site_risk
from outrider.risk.surface import bbox_cells, risk_surface
from outrider.settings import Settings, get_settings

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], _Cached] = {}


def parameters(settings: Settings | None = None) -> RiskParameters:
    """The risk parameters from settings (weights tables merge over the documented defaults)."""
    s = settings or get_settings()
    base = RiskParameters()
    try:
        return RiskParameters(
            corridor_m=s.risk_corridor_m,
            recency_half_life_days=s.risk_half_life_days,
            distance_half_m=s.risk_distance_half_m,
            max_age_days=s.risk_max_age_days,
            min_confidence=s.risk_min_confidence,
            level_thresholds=tuple(s.risk_level_thresholds),  # type: ignore[arg-type]
            attack_type_weights={**base.attack_type_weights, **s.risk_attack_type_weights},
            weapon_weights={**base.weapon_weights, **s.risk_weapon_weights},
            target_weights={**base.target_weights, **s.risk_target_weights},
            base_rates=dict(s.risk_base_rates),
        )
    except ValueError as exc:
        raise InvalidInput(f"risk settings: {exc}") from None


def parameters_json(params: RiskParameters) -> dict[str, Any]:
    """The parameters as a JSON object (recorded in every snapshot)."""
    data = asdict(params)
    return {
        k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, tuple) else v)
        for k, v in data.items()
    }


def to_incident(ev: IntelEvent) -> Incident | None:
    """An event as the risk core sees it, or None when it has no place or no date; an event known only to
    its town's precision (placed on the town's centre) carries the town's radius as its extent."""
    if ev.lat is None or ev.lon is None or ev.date is None:
        return None
    return Incident(
        id=f"ev-{ev.id}",
        lat=ev.lat,
        lon=ev.lon,
        date=ev.occurred_at or ev.date,
        killed=ev.killed or 0,
        wounded=ev.wounded or 0,
        attack_type=ev.attack_type if ev.attack_type else "unknown",  # type: ignore[arg-type]
        weapon=ev.weapon if ev.weapon else "unknown",  # type: ignore[arg-type]
        target_type=ev.target_type if ev.target_type else "unknown",  # type: ignore[arg-type]
        suicide=ev.suicide,
        status="confirmed" if ev.status == "confirmed" else "unconfirmed",
        confidence=ev.confidence,
        admin1=ev.admin1,
        extent_m=city_extent_m(ev.city, ev.country, ev.lat, ev.lon),
    )


@dataclass(frozen=True)
class _Cached:
    revision: tuple[int, datetime | None]
    index: IncidentIndex
    stamps: dict[int, datetime]  # event id -> last change, of the events that counted


def current_index(session: Session, params: RiskParameters) -> tuple[IncidentIndex, int]:
    """The index of the counted events at the current incident-set revision (cached per database).

    After a change, the cached index catches up instead of being rebuilt: the ids and last-change times
    of the counting events are compared with those it was built from, only new or changed events are
    read, and the ones that stopped counting (rejected, merged away, deleted) leave it. The new index is a
    copy, published whole, so a query running meanwhile keeps the previous one."""
    stamp = intel_service.revision_stamp(session)
    revision = stamp[0]
    bind = session.get_bind()
    key = (str(bind.engine.url) if hasattr(bind, "engine") else str(id(bind)), repr(params.min_confidence))
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached.revision == stamp:
        return cached.index, revision
    stamps = intel_queries.risk_event_stamps(session, min_confidence=params.min_confidence)
    if cached is None:
        events = intel_queries.events_for_risk(session, min_confidence=params.min_confidence)
        index = IncidentIndex(
            (inc for ev in events if (inc := to_incident(ev)) is not None),
            min_confidence=params.min_confidence,
        )
    else:
        index = cached.index.copy()
        index.remove(f"ev-{event_id}" for event_id in cached.stamps.keys() - stamps.keys())
        changed = [event_id for event_id, at in stamps.items() if cached.stamps.get(event_id) != at]
        events = intel_queries.events_for_risk(session, min_confidence=params.min_confidence, ids=changed)
        index.add(inc for ev in events if (inc := to_incident(ev)) is not None)
        index.remove(f"ev-{ev.id}" for ev in events if to_incident(ev) is None)  # lost its date
    with _LOCK:
        _CACHE[key] = _Cached(stamp, index, stamps)
    return index, revision


def forget_cache() -> None:
    """Drop every cached index (tests that rebuild databases)."""
    with _LOCK:
        _CACHE.clear()


def _coords(geometry: dict[str, Any]) -> list[list[float]]:
    if not isinstance(geometry, dict):
        raise InvalidInput("a route is a GeoJSON LineString object")
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") == "FeatureCollection":
        lines = [f.get("geometry") for f in geometry.get("features", []) if isinstance(f, dict)]
        geometry = next((g for g in lines if isinstance(g, dict) and g.get("type") == "LineString"), {})
    if geometry.get("type") != "LineString":
        raise InvalidInput("a route is a GeoJSON LineString (or a Feature or FeatureCollection holding one)")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        raise InvalidInput("a LineString needs at least two positions")
    try:
        return [[float(p[0]), float(p[1])] for p in coords]
    except (TypeError, ValueError, IndexError):
        raise InvalidInput("every position of the LineString must be [longitude, latitude]") from None


def score_route(
    session: Session, geometry: dict[str, Any], at: datetime, *, regions: Sequence[str] = ()
) -> tuple[RiskResult, int]:
    """A route's risk at a time against the stored events; and the incident-set revision used."""
    params = parameters()
    index, revision = current_index(session, params)
    try:
        return route_risk(_coords(geometry), at, index, params, regions=regions), revision
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def score_site(
    session: Session, *, caller: Caller, site_id: int, at: datetime, radius_m: float | None = None
) -> tuple[Site, RiskResult, int]:
    """A site's risk within a radius (default from settings)."""
    from outrider.access.policy import RecordKind
    from outrider.registry import service as registry_service

    site = registry_service.get_record(session, caller=caller, kind=RecordKind.site, record_id=site_id)
    assert isinstance(site, Site)
    params = parameters()
    index, revision = current_index(session, params)
    try:
        result = site_risk(
            site.lat, site.lon, radius_m or get_settings().risk_site_radius_m, at, index, params
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return site, result, revision


def surface(
    session: Session, bbox: tuple[float, float, float, float], resolution: int, at: datetime
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of H3 cells over a bounding box, with score and level."""
    params = parameters()
    index, revision = current_index(session, params)
    try:
        cells = bbox_cells(*bbox, resolution)
        collection = risk_surface(cells, at, index, params)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    collection["incident_revision"] = revision
    return collection


def result_json(result: RiskResult) -> dict[str, Any]:
    """A result as JSON: score, level, and the drivers with their event ids."""
    return {
        "score": round(result.score, 4),
        "level": result.level,
        "level_name": result.level_name,
        "incident_count": result.incident_count,
        "base_rate": result.base_rate,
        "drivers": [
            {
                "event_id": int(d.incident_id.removeprefix("ev-"))
                if d.incident_id.startswith("ev-")
                else None,
                "incident_id": d.incident_id,
                "distance_m": d.distance_m,
                "age_days": d.age_days,
                "weight": round(d.weight, 4),
                "segment": d.segment,
            }
            for d in result.drivers
        ],
    }


# ---------------------------------------------------------------- movements


@dataclass(frozen=True)
class SnapshotOutcome:
    """A snapshot taken, and the level it replaced (None for the first)."""

    movement_id: int
    level: int
    previous_level: int | None
    alerted: bool


def latest_snapshot(session: Session, movement_id: int) -> Any:
    """The newest snapshot of a movement, or None."""
    from outrider.risk.models import RiskSnapshot

    return session.scalars(
        select(RiskSnapshot)
        .where(RiskSnapshot.movement_id == movement_id)
        .order_by(RiskSnapshot.id.desc())
        .limit(1)
    ).first()


class Plan(Protocol):
    """What a snapshot reads of a movement: a stored movement, or what `movements.nearby` returns of one."""

    @property
    def id(self) -> int: ...
    @property
    def reference(self) -> str: ...
    @property
    def plan_version(self) -> int: ...
    @property
    def planned_departure(self) -> datetime: ...
    @property
    def route(self) -> dict[str, Any]: ...
    @property
    def alternates(self) -> Sequence[dict[str, Any]]: ...


def snapshot_movement(session: Session, movement: Plan, *, now: datetime, reason: str) -> Any:
    """Score a movement's route (and alternates) now and store the snapshot on its plan."""
    from outrider.risk.models import RiskSnapshot

    params = parameters()
    index, revision = current_index(session, params)
    at = max(now, movement.planned_departure)
    try:
        result = route_risk(_coords(movement.route), at, index, params)
        alternates: list[dict[str, Any]] = []
        lowest: int | None = None
        if movement.alternates:
            routes = [_coords(movement.route), *(_coords(a) for a in movement.alternates)]
            compared = compare_alternates(routes, at, index, params)
            alternates = [
                {"route": k, "score": round(r.score, 4), "level": r.level, "level_name": r.level_name}
                for k, r in enumerate(compared.results)
            ]
            lowest = compared.lowest
    except ValueError as exc:
        raise InvalidInput(f"movement {movement.reference}: {exc}") from None
    row = RiskSnapshot(
        movement_id=movement.id,
        plan_version=movement.plan_version,
        computed_at=now,
        scored_for=at,
        score=round(result.score, 4),
        level=result.level,
        level_name=result.level_name,
        incident_count=result.incident_count,
        incident_revision=revision,
        parameters=parameters_json(params),
        drivers=result_json(result)["drivers"],
        alternates=alternates,
        lowest_alternate=lowest,
        reason=reason,
    )
    session.add(row)
    session.flush()
    return row


def risk_tick(session: Session, *, now: datetime) -> list[SnapshotOutcome]:
    """Snapshot every active movement whose plan or incident set changed; alert where the level rose."""
    revision = intel_service.revision(session)
    outcomes: list[SnapshotOutcome] = []
    movements = nearby.due_near(session, statuses=PLANNED_OR_LIVE, alternates=True)
    for movement in movements:
        last = latest_snapshot(session, movement.id)
        if (
            last is not None
            and last.incident_revision == revision
            and last.plan_version == movement.plan_version
        ):
            continue
        reason = (
            "first" if last is None else "plan" if last.plan_version != movement.plan_version else "incidents"
        )
        snap = snapshot_movement(session, movement, now=now, reason=reason)
        rose = last is not None and snap.level > last.level
        if rose:
            alerts_service.raise_about_movement(
                session,
                movement,
                kind="risk_rising",
                severity=Severity.critical if snap.level >= 4 else Severity.warning,
                title=f"{movement.reference}: route risk rose from {last.level_name} to {snap.level_name}",
                details={
                    "previous_level": last.level,
                    "level": snap.level,
                    "score": snap.score,
                    "incident_revision": revision,
                },  # no drivers here: where they lie hints at the route; the snapshot keeps them
                now=now,
            )
        outcomes.append(
            SnapshotOutcome(movement.id, snap.level, None if last is None else last.level, bool(rose))
        )
    return outcomes


def movement_risk(session: Session, *, caller: Caller, movement_id: int, now: datetime) -> dict[str, Any]:
    """The latest snapshot of a movement the caller may see; drivers only with the itinerary."""
    from outrider.movements import need_to_know
    from outrider.movements import service as movements_service

    movement = movements_service.get_movement(session, caller=caller, movement_id=movement_id)
    view = need_to_know.view_of(session, caller=caller, movement=movement, now=now, via="risk")
    snap = latest_snapshot(session, movement_id)
    if snap is None:
        snap = snapshot_movement(session, movement, now=now, reason="first")
    out: dict[str, Any] = {
        "movement_id": movement_id,
        "plan_version": snap.plan_version,
        "computed_at": snap.computed_at.isoformat(),
        "score": snap.score,
        "level": snap.level,
        "level_name": snap.level_name,
        "incident_count": snap.incident_count,
        "incident_revision": snap.incident_revision,
        "current": snap.plan_version == movement.plan_version
        and snap.incident_revision == intel_service.revision(session),
        "parameters": snap.parameters,
    }
    # The drivers locate the route and the time scored for is the departure: only for the need-to-know list.
    if view.itinerary_visible:
        out["scored_for"] = snap.scored_for.isoformat()
        out["drivers"] = snap.drivers
        out["alternates"] = snap.alternates
        out["lowest_alternate"] = snap.lowest_alternate
    return out


def run_backtest(session: Session, *, controls: int = 5, seed: int = 0) -> list[YearResult]:
    """The backtest on the stored events (see docs/risk.md)."""
    params = parameters()
    events = intel_queries.events_for_risk(session, min_confidence=params.min_confidence)
    incidents = [inc for ev in events if (inc := to_incident(ev)) is not None]
    return backtest(incidents, params, controls_per_attack=controls, seed=seed)
