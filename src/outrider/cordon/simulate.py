"""Seeded traffic around the demo sites: commuters, deliveries, waiting taxis, a planted hostile scenario."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.zones import Zone, site_zones


@dataclass(frozen=True, slots=True)
class Site:
    """A demo site: id, name, centre, cordon radii in metres; its entry checkpoint is ``<id>-gate``."""

    id: str
    name: str
    lat: float
    lon: float
    inner_m: float
    outer_m: float

    @property
    def checkpoint(self) -> str:
        """The id of the site's entry checkpoint."""
        return f"{self.id}-gate"


# The demo corridor's protected places (real coordinates): the default zones of `outrider cordon replay`.
DEMO_SITES: tuple[Site, ...] = (
    Site(
        "jinnah-international-airport", "Jinnah International Airport, Karachi", 24.9065, 67.1608, 400, 1500
    ),
    Site("port-qasim-coal-power-plant", "Port Qasim Coal Power Plant", 24.78, 67.35, 600, 2500),
    Site("dasu-hydropower-project", "Dasu Hydropower Project", 35.29, 73.29, 800, 3000),
    Site("bisham-staff-camp", "Bisham Staff Camp", 34.80, 72.93, 200, 1000),
    Site("gwadar-port", "Gwadar Port", 25.12, 62.33, 500, 2000),
    Site("islamabad-liaison-office", "Islamabad Liaison Office", 33.72, 73.06, 100, 500),
)


def demo_zones(movements_due: dict[str, list[datetime]] | None = None) -> list[Zone]:
    """Inner and outer zones of the demo corridor's sites, each with one entry checkpoint."""
    zones: list[Zone] = []
    for site in DEMO_SITES:
        zones += site_zones(
            site_id=site.id,
            lon=site.lon,
            lat=site.lat,
            inner_radius_m=site.inner_m,
            outer_radius_m=site.outer_m,
            checkpoints=[site.checkpoint],
            movements_due=(movements_due or {}).get(site.id, ()),
        )
    return zones


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
            Inspection(plate, start + timedelta(minutes=rng.randint(0, 3)), site.checkpoint, site.id)
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
    sites = list(DEMO_SITES)
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
