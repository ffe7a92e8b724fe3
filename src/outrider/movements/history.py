"""Route history and predictability: how often this route, at this hour, has been used lately."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from outrider.movements.routes import SAME_ROUTE_THRESHOLD, similarity


@dataclass(frozen=True, slots=True)
class PastTrip:
    """A movement between the same origin and destination (any status but cancelled/rejected)."""

    movement_id: int
    departure: datetime
    route: Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class Predictability:
    """Facts about repetition, for the protocols and for the planner."""

    window_days: int
    trips_same_pair: int
    same_route_uses: int
    same_hour_uses: int
    same_route_and_hour_uses: int
    similar_movement_ids: tuple[int, ...]


def predictability(
    *,
    route: Sequence[Sequence[float]],
    departure: datetime,
    timezone: str,
    past: Sequence[PastTrip],
    window_days: int = 7,
    hour_tolerance_min: int = 60,
    threshold: float = SAME_ROUTE_THRESHOLD,
) -> Predictability:
    """Count the recent trips of the same origin–destination pair on the same route and local hour.

    "Same hour" means a local departure time of day within ``hour_tolerance_min`` of this one (across
    midnight too); "same route" means a similarity of at least ``threshold`` (see routes.similarity).
    """
    tz = ZoneInfo(timezone)
    start = departure - timedelta(days=window_days)
    local = departure.astimezone(tz)
    minute_of_day = local.hour * 60 + local.minute
    recent = [t for t in past if start <= t.departure < departure]
    same_route: list[int] = []
    same_hour: list[int] = []
    for trip in recent:
        if similarity(route, trip.route) >= threshold:
            same_route.append(trip.movement_id)
        t_local = trip.departure.astimezone(tz)
        delta = abs(t_local.hour * 60 + t_local.minute - minute_of_day)
        if min(delta, 24 * 60 - delta) <= hour_tolerance_min:
            same_hour.append(trip.movement_id)
    both = sorted(set(same_route) & set(same_hour))
    return Predictability(
        window_days=window_days,
        trips_same_pair=len(recent),
        same_route_uses=len(same_route),
        same_hour_uses=len(same_hour),
        same_route_and_hour_uses=len(both),
        similar_movement_ids=tuple(sorted(same_route)),
    )
