"""A movement's facts for the protocols: assembled here, from the plan, the road and the history."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.intel import service as intel_service
from outrider.movements import routes
from outrider.movements.history_service import predictability_of
from outrider.movements.models import CheckIn, Movement, RouteClearance
from outrider.movements.service import current_arrangement
from outrider.protocols import situation_facts as situation
from outrider.protocols.engine import EvalPhase
from outrider.protocols.facts import Clearance, MovementFacts
from outrider.registry.models import Site
from outrider.risk import service as risk_service


def _zone(site: Site | None, lat: float, lon: float) -> str:
    if site is None:
        return "outside"
    return routes.cordon_zone(
        center=(site.lon, site.lat),
        **site.rings(),
        lon=lon,
        lat=lat,
    )


def _gaps(movement: Movement, times: list[datetime]) -> float | None:
    if movement.departed_at is None:
        return None
    marks = sorted([movement.departed_at, *times])
    end = movement.arrived_at
    if end is not None:
        marks.append(end)
    gaps = [(b - a).total_seconds() / 60 for a, b in itertools.pairwise(marks)]
    return round(max(gaps), 1) if gaps else 0.0


def risk_for(session: Session, movement: Movement, phase: EvalPhase, now: datetime) -> tuple[int, float, int]:
    """The route risk behind the facts: the latest snapshot of this plan, taken now if missing or stale."""
    snap = risk_service.latest_snapshot(session, movement.id)
    fresh = (
        snap is not None
        and snap.plan_version == movement.plan_version
        # Before departure the risk must reflect today's incidents; afterwards, the one it departed with.
        and (phase == "execution" or snap.incident_revision == intel_service.revision(session))
    )
    if not fresh:
        snap = risk_service.snapshot_movement(session, movement, now=now, reason="protocols")
    return int(snap.level), float(snap.score), int(snap.id)


def movement_facts(
    session: Session,
    movement: Movement,
    *,
    risk_level: int,
    risk_score: float,
    now: datetime,
    contributed: Mapping[str, Mapping[str, Any]] | None = None,
) -> MovementFacts:
    """The facts of a movement as the protocols read them at `now`; actual facts stay unknown till known."""
    _, arrangement = current_arrangement(session)
    origin = session.get(Site, movement.origin_site_id) if movement.origin_site_id else None
    destination = session.get(Site, movement.destination_site_id) if movement.destination_site_id else None
    dest_tz = destination.timezone if destination else movement.timezone
    dep_local = movement.planned_departure.astimezone(ZoneInfo(movement.timezone))
    arr_local = movement.planned_arrival.astimezone(ZoneInfo(dest_tz))
    history = predictability_of(session, movement, window_days=7)
    checkins = list(session.scalars(select(CheckIn).where(CheckIn.movement_id == movement.id)))
    clearances = list(
        session.scalars(select(RouteClearance).where(RouteClearance.movement_id == movement.id))
    )
    alerts = situation.open_alerts(session, movement, now=now)
    swept = situation.last_origin_sweep(clearances)
    released, readers = situation.itinerary_release(session, movement, now=now)
    deviations = [c.off_route_m for c in checkins if c.off_route_m is not None]
    return MovementFacts(
        protected_persons=len(movement.persons),
        vehicles=len(movement.vehicles),
        armoured_vehicles=sum(1 for v in movement.vehicles if v.kind == "armoured"),
        escort_units=len(movement.escorts),
        escort_vehicles=sum(len(u.vehicles) for u in movement.escorts),
        departure_local_hour=dep_local.hour,
        departure_local_minute=dep_local.hour * 60 + dep_local.minute,
        arrival_local_hour=arr_local.hour,
        departure_in_night_window=arrangement.in_night_window(movement.planned_departure, movement.timezone),
        arrival_in_night_window=arrangement.in_night_window(movement.planned_arrival, dest_tz),
        route_length_km=round(movement.route_length_m / 1000, 3),
        risk_level=risk_level,
        risk_score=risk_score,
        same_route_uses_7d=history.same_route_uses,
        same_hour_uses_7d=history.same_route_and_hour_uses,
        route_clearances=tuple(
            Clearance(
                unit=str(c.escort_unit_id),
                segment=c.segment,
                hours_before_departure=situation.hours_before(movement, c.cleared_at),
            )
            for c in clearances
        ),
        origin_site_kind=origin.kind if origin else "point",
        destination_site_kind=destination.kind if destination else "point",
        pickup_cordon_zone=_zone(origin, movement.origin_lat, movement.origin_lon),
        checkin_interval_min=movement.checkin_interval_min or 0,
        departure_delay_min=None
        if movement.departed_at is None
        else round((movement.departed_at - movement.planned_departure).total_seconds() / 60, 1),
        max_checkin_gap_min=_gaps(movement, [c.at for c in checkins]),
        max_route_deviation_m=max(deviations) if deviations else (0.0 if movement.departed_at else None),
        escort_present_at_departure=movement.escort_present_at_departure,
        longest_unplanned_stop_min=None,
        persons_counted_at_arrival=movement.persons_counted_at_arrival,
        open_alerts=alerts,
        **situation.alert_counts(alerts),
        origin_cordon_swept_hours_before_departure=None
        if swept is None
        else situation.hours_before(movement, swept),
        itinerary_released_hours_before_departure=None
        if released is None
        else situation.hours_before(movement, released),
        itinerary_release_hours_allowed=arrangement.itinerary_release_hours,
        itinerary_readers_before_departure=readers,
        contributed=contributed or {},
    )
