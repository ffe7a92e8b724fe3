"""Which stored sightings retention may delete, the pure core: values in, a decision out.

A sighting is kept while it is younger than the retention period, and beyond it while a hold covers it:
- an open alert about its plate holds every sighting of that plate from the alert's window on;
- a resolved alert holds the plate's sightings from its window to its resolution, until the resolution is
  older than the retention period;
- an incident of a movement holds every sighting in the zones of its places (its sites' rings, its
  corridor), or given by a position near its ends or its last reported position, around the incident's
  time, with no end: investigators need exactly those.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

EARTH_RADIUS_M = 6_371_008.8


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (lat, lon) points in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Hold:
    """Sightings kept beyond retention: of ``plate`` (None: any) in zones starting with one of ``zones``
    or seen within ``radius_m`` of one of the points ``near`` (``zones`` None: anywhere), seen from
    ``seen_from`` to ``seen_until`` (None: open), held until ``held_until`` (None: as long as it exists)."""

    plate: str | None
    seen_from: datetime
    seen_until: datetime | None = None
    held_until: datetime | None = None
    zones: tuple[str, ...] | None = None
    near: tuple[tuple[float, float], ...] = ()
    radius_m: float = 0.0

    def covers(
        self,
        *,
        plate: str,
        at: datetime,
        zone_id: str | None,
        now: datetime,
        position: tuple[float, float] | None = None,
    ) -> bool:
        """True when this hold keeps a sighting of ``plate`` at ``at`` in ``zone_id`` (or at ``position``,
        (lat, lon)) at ``now``."""
        if self.held_until is not None and self.held_until <= now:
            return False
        if self.plate is not None and self.plate != plate:
            return False
        if at < self.seen_from or (self.seen_until is not None and at > self.seen_until):
            return False
        if self.zones is None or (zone_id is not None and zone_id.startswith(self.zones)):
            return True
        return position is not None and any(distance_m(position, p) <= self.radius_m for p in self.near)


def alert_hold(
    *, plate: str, window_start: datetime, resolved_at: datetime | None, retention: timedelta
) -> Hold:
    """The hold of an alert about ``plate``: open, everything from its window; resolved, up to the
    resolution and for the retention period after it."""
    if resolved_at is None:
        return Hold(plate, window_start)
    return Hold(plate, window_start, seen_until=resolved_at, held_until=resolved_at + retention)


def incident_hold(
    *,
    at: datetime,
    zones: Sequence[str],
    lookback: timedelta,
    after: timedelta,
    near: Sequence[tuple[float, float]] = (),
    radius_m: float = 0.0,
) -> Hold:
    """The hold of a movement incident: any plate seen in its places' zones, or near its points, around
    its time."""
    return Hold(
        None, at - lookback, seen_until=at + after, zones=tuple(zones), near=tuple(near), radius_m=radius_m
    )


def keep(
    *,
    plate: str,
    at: datetime,
    zone_id: str | None,
    holds: Iterable[Hold],
    now: datetime,
    retention: timedelta,
    position: tuple[float, float] | None = None,
) -> bool:
    """True when retention must not delete this sighting (at ``position``, if it gave one) at ``now``."""
    if at >= now - retention:
        return True
    return any(h.covers(plate=plate, at=at, zone_id=zone_id, now=now, position=position) for h in holds)
