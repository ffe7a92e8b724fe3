"""The stored events as the risk core sees them: the parameters from settings, an event as an incident, and
the index of every counting event, cached per database and caught up with the incident-set revision.

This is the holder's index (every event that counts); what one reader's organisation may count is
`risk.readers`. The caller owns the transaction.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outrider.errors import InvalidInput
from outrider.intel import queries as intel_queries
from outrider.intel import service as intel_service
from outrider.intel.extents import city_extent_m
from outrider.intel.models import IntelEvent
from outrider.risk.incident import Incident
from outrider.risk.index import IncidentIndex
from outrider.risk.parameters import RiskParameters
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


def coords(geometry: dict[str, Any]) -> list[list[float]]:
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
