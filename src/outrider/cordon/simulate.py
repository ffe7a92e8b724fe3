"""Seeded traffic around the demo sites: commuters, deliveries, waiting taxis, a planted hostile scenario."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.zones import Zone, site_zones
from outrider.demo import scenario


def slug(name: str) -> str:
    """A site name as an id: lower case, dashes."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def demo_zones(movements_due: dict[str, list[datetime]] | None = None) -> list[Zone]:
    """Inner and outer zones of the demo corridor's sites, each with one entry checkpoint."""
    zones: list[Zone] = []
    for _owner, name, _kind, lat, lon, inner, outer, _notes in scenario.SITES:
        sid = slug(name)
        zones += site_zones(
            site_id=sid,
            lon=lon,
            lat=lat,
            inner_radius_m=inner,
            outer_radius_m=outer,
            checkpoints=[f"{sid}-gate"],
            movements_due=(movements_due or {}).get(sid, ()),
        )
    return zones


@dataclass(frozen=True, slots=True)
class Site:
    """A simulated site: id, centre, outer radius, checkpoint."""

    id: str
    lat: float
    lon: float
    outer_m: float


def _sites() -> list[Site]:
    return [
        Site(slug(n), lat, lon, outer)
        for _o, n, k, lat, lon, _i, outer, _x in scenario.SITES
        if k != "checkpoint"
    ]


def _point_near(rng: random.Random, site: Site, fraction: float) -> tuple[float, float]:
    # A point at `fraction` of the outer radius, in a random direction (small-angle metres to degrees).
    r = site.outer_m * fraction
    a = rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(a) / 111_320
    dlon = r * math.sin(a) / (111_320 * math.cos(math.radians(site.lat)))
    return round(site.lat + dlat, 6), round(site.lon + dlon, 6)


def _visit(
    rng: random.Random, plate: str, site: Site, start: datetime, minutes: int, every: int, inspected: bool
) -> list[Event]:
    events: list[Event] = []
    if inspected:
        events.append(
            Inspection(plate, start + timedelta(minutes=rng.randint(0, 3)), f"{site.id}-gate", site.id)
        )
    for m in range(0, minutes + 1, every):
        lat, lon = _point_near(rng, site, rng.uniform(0.3, 0.9))
        events.append(
            Sighting(
                plate, start + timedelta(minutes=m, seconds=rng.randint(0, 50)), "camera", None, lat, lon
            )
        )
    return events


def simulate(*, start: datetime, hours: int = 24, vehicles: int = 400, seed: int = 7) -> list[Event]:
    """Traffic for ``hours`` from ``start``: events in time order (a replay shuffles them itself)."""
    rng = random.Random(seed)
    sites = _sites()
    events: list[Event] = []
    span = hours * 60
    for i in range(vehicles):
        plate = f"SIM{i:05d}"
        site = rng.choice(sites)
        t0 = start + timedelta(minutes=rng.randint(0, max(1, span - 120)))
        kind = rng.random()
        if kind < 0.55:  # commuters passing through
            events += _visit(rng, plate, site, t0, rng.randint(2, 12), 4, inspected=False)
        elif kind < 0.80:  # deliveries: long stay, inspected at the gate
            events += _visit(rng, plate, site, t0, rng.randint(25, 70), 8, inspected=True)
        elif kind < 0.95:  # taxis waiting at the airport, inspected
            airport = sites[0]
            events += _visit(rng, plate, airport, t0, rng.randint(30, 90), 10, inspected=True)
        else:  # short uninspected stops
            events += _visit(rng, plate, site, t0, rng.randint(5, 15), 5, inspected=False)
    # The planted scenario: a pick-up waits 45 minutes near the airport's outer cordon, uninspected,
    # before a convoy leaves; and a car reconnoitres three sites within two days.
    airport = sites[0]
    events += _visit(
        rng, "HOSTILE1", airport, start + timedelta(hours=min(hours - 2, 6)), 45, 5, inspected=False
    )
    for k, site in enumerate(sites[1:4]):
        events += _visit(
            rng, "RECON01", site, start + timedelta(hours=k * 7 % max(hours, 1)), 6, 3, inspected=False
        )
    return sorted(events, key=lambda e: (e.at, isinstance(e, Sighting)))
