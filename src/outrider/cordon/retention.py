"""Which stored sightings retention may delete, the pure core: values in, a decision out.

A sighting is kept while it is younger than the retention period, and beyond it while a hold covers it:
- an open alert about its plate holds every sighting of that plate from the alert's window on;
- a resolved alert holds the plate's sightings from its window to its resolution, until the resolution is
  older than the retention period;
- an incident of a movement holds every sighting in the zones of its places (its sites' rings, its
  corridor) around the incident's time, with no end: investigators need exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Hold:
    """Sightings kept beyond retention: of ``plate`` (None: any) in zones starting with one of ``zones``
    (None: any zone), seen from ``seen_from`` to ``seen_until`` (None: open), held until ``held_until``
    (None: for as long as the hold exists)."""

    plate: str | None
    seen_from: datetime
    seen_until: datetime | None = None
    held_until: datetime | None = None
    zones: tuple[str, ...] | None = None

    def covers(self, *, plate: str, at: datetime, zone_id: str | None, now: datetime) -> bool:
        """True when this hold keeps a sighting of ``plate`` at ``at`` in ``zone_id`` at ``now``."""
        if self.held_until is not None and self.held_until <= now:
            return False
        if self.plate is not None and self.plate != plate:
            return False
        if at < self.seen_from or (self.seen_until is not None and at > self.seen_until):
            return False
        return self.zones is None or (zone_id is not None and zone_id.startswith(self.zones))


def alert_hold(
    *, plate: str, window_start: datetime, resolved_at: datetime | None, retention: timedelta
) -> Hold:
    """The hold of an alert about ``plate``: open, everything from its window; resolved, up to the
    resolution and for the retention period after it."""
    if resolved_at is None:
        return Hold(plate, window_start)
    return Hold(plate, window_start, seen_until=resolved_at, held_until=resolved_at + retention)


def incident_hold(*, at: datetime, zones: Sequence[str], lookback: timedelta, after: timedelta) -> Hold:
    """The hold of a movement incident: any plate seen in its places' zones around its time."""
    return Hold(None, at - lookback, seen_until=at + after, zones=tuple(zones))


def keep(
    *,
    plate: str,
    at: datetime,
    zone_id: str | None,
    holds: Iterable[Hold],
    now: datetime,
    retention: timedelta,
) -> bool:
    """True when retention must not delete this sighting at ``now``."""
    if at >= now - retention:
        return True
    return any(h.covers(plate=plate, at=at, zone_id=zone_id, now=now) for h in holds)
