"""Zones: sites' cordon rings and movement corridors as polygons, with a fast point lookup."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Polygon, shape
from shapely.strtree import STRtree

_GEOD = Geod(ellps="WGS84")
DEFAULT_DWELL_S = 20 * 60


@dataclass(frozen=True, slots=True)
class Zone:
    """A watched area: a site's inner or outer ring, or a movement's corridor during its window."""

    id: str
    ring: str  # inner, outer, corridor
    place: str  # the protected place it belongs to: "site:<id>" or "movement:<id>"
    geometry: Any = field(compare=False, repr=False)
    site_id: str | None = None
    dwell_threshold_s: int = DEFAULT_DWELL_S
    checkpoints: frozenset[str] = frozenset()
    window: tuple[datetime, datetime] | None = None  # corridors are watched in the hours before a movement
    movements_due: tuple[datetime, ...] = ()  # protected movements due to pass through this zone
    ends: tuple[str, str] | None = None  # a corridor: the places of its movement's origin and destination


@functools.lru_cache(maxsize=1024)  # every cordon batch draws every site's rings again: sites rarely move
def circle(lon: float, lat: float, radius_m: float, vertices: int = 64) -> Polygon:
    """A geodesic circle as a polygon of ``vertices`` points."""
    azimuths = np.linspace(0.0, 360.0, vertices, endpoint=False)
    lons, lats, _ = _GEOD.fwd(
        np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius_m)
    )
    return Polygon(zip(lons, lats, strict=True))


def site_zones(
    *,
    site_id: str,
    lon: float,
    lat: float,
    inner_radius_m: float | None = None,
    outer_radius_m: float | None = None,
    inner_polygon: dict[str, Any] | None = None,
    outer_polygon: dict[str, Any] | None = None,
    dwell_threshold_s: int = DEFAULT_DWELL_S,
    checkpoints: Iterable[str] = (),
    movements_due: Sequence[datetime] = (),
) -> list[Zone]:
    """The inner and outer zones of a site (each from a polygon, else a radius)."""
    zones = []
    for ring, radius, polygon in (
        ("inner", inner_radius_m, inner_polygon),
        ("outer", outer_radius_m, outer_polygon),
    ):
        geom = shape(polygon) if polygon else circle(lon, lat, radius) if radius else None
        if geom is None:
            continue
        zones.append(
            Zone(
                id=f"site:{site_id}:{ring}",
                ring=ring,
                place=f"site:{site_id}",
                geometry=geom,
                site_id=site_id,
                dwell_threshold_s=dwell_threshold_s,
                checkpoints=frozenset(checkpoints),
                movements_due=tuple(sorted(movements_due)),
            )
        )
    return zones


def corridor_zone(
    *,
    movement_id: str,
    route: Sequence[Sequence[float]],
    width_m: float,
    window: tuple[datetime, datetime],
    ends: tuple[object, object] = (None, None),
) -> Zone:
    """A corridor of ``width_m`` either side of a route, watched during ``window``; ``ends`` are the ids
    of the sites the movement leaves from and goes to (None: a point that is no site)."""
    origin, destination = ends
    return Zone(
        id=f"movement:{movement_id}:corridor",
        ring="corridor",
        place=f"movement:{movement_id}",
        geometry=_corridor(tuple((float(p[0]), float(p[1])) for p in route), float(width_m)),
        window=window,
        ends=(f"site:{origin}", f"site:{destination}")
        if origin is not None and destination is not None
        else None,
    )


# Every cordon batch rebuilds the zones of the movements under way; the two projections of a corridor cost
# milliseconds each, and a route does not change while it is watched. Geometries are immutable: shared.
@functools.lru_cache(maxsize=1024)
def _corridor(route: tuple[tuple[float, float], ...], width_m: float) -> Any:
    line = LineString(route)
    centre = line.centroid
    # Buffer in metres on a local azimuthal equidistant plane centred on the route: distances from
    # the centre are exact, and routes of a few hundred kilometres stay within a fraction of a percent.
    local = f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m"
    to_m = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    to_deg = Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    buffered = shapely.transform(line, to_m.transform, interleaved=False).buffer(width_m)
    return shapely.transform(buffered, to_deg.transform, interleaved=False)


class ZoneIndex:
    """Which zones hold a point (and are watched at a time): an STR-tree over the zone polygons."""

    def __init__(self, zones: Sequence[Zone]) -> None:
        ids = [z.id for z in zones]
        if len(set(ids)) != len(ids):
            raise ValueError("zone ids must be unique")
        self.zones = list(zones)
        self.by_id = {z.id: z for z in zones}
        self._tree = STRtree([z.geometry for z in zones]) if zones else None
        # The times each zone's protected movements are due, sorted, as seconds since the epoch.
        self.due = {z.id: sorted(t.timestamp() for t in z.movements_due) for z in zones}
        self._same: dict[float, dict[str, str]] = {}
        # The kernel's arrays of these zones by detector configuration (`compiled_zones.zone_arrays`).
        self.arrays: dict[Any, tuple[list[str | None], list[str | None], tuple[Any, ...]]] = {}

    def at(self, lon: float, lat: float, when: datetime) -> list[Zone]:
        """Zones containing the point and watched at ``when``."""
        if self._tree is None:
            return []
        hits = self._tree.query(shapely.Point(lon, lat), predicate="within")
        out = []
        for i in sorted(int(x) for x in hits):
            zone = self.zones[i]
            if zone.window is None or zone.window[0] <= when <= zone.window[1]:
                out.append(zone)
        return out

    def same_places(self, distance_m: float) -> dict[str, str]:
        """Every zone's place -> the place it counts as: sites whose centres lie closer than ``distance_m``
        (two records of one airport) are one place, named by the least of their names; corridors are
        their own place. Transitive: a chain of close sites is one place."""
        known = self._same.get(distance_m)
        if known is not None:
            return known
        centres: dict[str, tuple[float, float]] = {}
        for z in sorted(self.zones, key=lambda z: z.ring != "outer"):  # the outer ring's centre first
            if z.ring != "corridor" and z.place not in centres:
                c = z.geometry.centroid
                centres[z.place] = (c.x, c.y)
        names = sorted(centres)
        parent = {n: n for n in names}

        def root(n: str) -> str:
            while parent[n] != n:
                n = parent[n]
            return n

        for a, b in _close_pairs(names, centres, distance_m):
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        same = {z.place: z.place for z in self.zones}
        same.update({n: root(n) for n in names})
        self._same[distance_m] = same
        return same

    def links(
        self, same: dict[str, str], zone_order: dict[str, int], *, passed: bool = False
    ) -> dict[str, list[Link]]:
        """Place -> the movements (corridors) between it and another place, each as a `Link`: between the
        two ends of each movement, and with ``passed`` between any two of its ends and the sites whose
        rings its corridor crosses."""
        out: dict[str, list[Link]] = {}
        for z in self.zones:
            if z.window is None or z.ring != "corridor":
                continue
            places = [p for p in (same.get(e) for e in z.ends or ()) if p is not None]
            if passed:
                places += [same[self.zones[i].place] for i in self._crossing(z)]
            ends = sorted(set(places))
            start, end = z.window[0].timestamp(), z.window[1].timestamp()
            for a in ends:
                out.setdefault(a, []).extend(Link(b, zone_order[z.id], start, end) for b in ends if b != a)
        return out

    def _crossing(self, corridor: Zone) -> list[int]:
        """The site zones (by index) whose rings the corridor crosses."""
        assert self._tree is not None
        hits = self._tree.query(corridor.geometry, predicate="intersects")
        return [int(i) for i in hits if self.zones[int(i)].ring != "corridor"]


@dataclass(frozen=True, slots=True)
class Link:
    """A movement between two places: the other place, its corridor's zone code, its watch window."""

    other: str
    zone: int
    start: float
    end: float


def _close_pairs(
    names: list[str], centres: dict[str, tuple[float, float]], distance_m: float
) -> list[tuple[str, str]]:
    """Pairs of places whose centres lie closer than ``distance_m`` (geodesic)."""
    if distance_m <= 0 or len(names) < 2:
        return []
    points = [shapely.Point(*centres[n]) for n in names]
    tree = STRtree(points)
    deg = distance_m / 110_000.0  # fewer metres than a degree of latitude holds: the box is wide enough
    pairs = []
    for i, p in enumerate(points):
        widen = deg / max(np.cos(np.radians(min(abs(p.y) + deg, 89.9))), 1e-6)
        for j in tree.query(shapely.box(p.x - widen, p.y - deg, p.x + widen, p.y + deg)).tolist():
            if j > i:
                _, _, d = _GEOD.inv(p.x, p.y, points[j].x, points[j].y)
                if d < distance_m:
                    pairs.append((names[i], names[j]))
    return pairs


def zones_to_geojson(zones: Iterable[Zone]) -> dict[str, Any]:
    """Zones as a GeoJSON FeatureCollection (the format `outrider cordon replay --zones` reads)."""
    features = []
    for z in zones:
        props: dict[str, Any] = {
            "id": z.id,
            "ring": z.ring,
            "place": z.place,
            "site_id": z.site_id,
            "dwell_threshold_s": z.dwell_threshold_s,
            "checkpoints": sorted(z.checkpoints),
            "movements_due": [t.isoformat() for t in z.movements_due],
        }
        if z.window:
            props["window"] = [z.window[0].isoformat(), z.window[1].isoformat()]
        if z.ends:
            props["ends"] = list(z.ends)
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(z.geometry), "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def zones_from_geojson(text: str) -> list[Zone]:
    """Zones from a GeoJSON FeatureCollection; ValueError names the feature that is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"zones: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("zones: expected a GeoJSON FeatureCollection")
    zones = []
    for i, f in enumerate(data.get("features") or []):
        try:
            p = f["properties"]
            geom = shape(f["geometry"])
            if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
                raise ValueError("geometry must be a valid Polygon")
            window = p.get("window")
            zones.append(
                Zone(
                    id=str(p["id"]),
                    ring=str(p.get("ring", "outer")),
                    place=str(p.get("place", p["id"])),
                    geometry=geom,
                    site_id=p.get("site_id"),
                    dwell_threshold_s=int(p.get("dwell_threshold_s", DEFAULT_DWELL_S)),
                    checkpoints=frozenset(p.get("checkpoints") or ()),
                    window=(datetime.fromisoformat(window[0]), datetime.fromisoformat(window[1]))
                    if window
                    else None,
                    movements_due=tuple(datetime.fromisoformat(t) for t in p.get("movements_due") or ()),
                    ends=_ends(p.get("ends")),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"zones: feature {i} is invalid: {exc}") from None
    return zones


def _ends(value: Any) -> tuple[str, str] | None:
    """A corridor's ``ends`` property: two place names, or nothing."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value):
        raise ValueError("ends must be two place names")
    return (value[0], value[1])
