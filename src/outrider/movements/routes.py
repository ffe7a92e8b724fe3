"""Routes as GeoJSON LineStrings: validation, GPX/GeoJSON import, length, distance, similarity."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from lxml import etree
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point, shape

MAX_VERTICES = 10_000
MAX_LENGTH_M = 3_000_000.0
SPIKE_ANGLE_DEG = 170.0  # a turn sharper than this is a reversal: an out-and-back spike, not a road
SIMILARITY_TOLERANCE_M = 300.0
SAME_ROUTE_THRESHOLD = 0.8
_GEOD = Geod(ellps="WGS84")
_GPX_NS = "{http://www.topografix.com/GPX/1/1}"

Coords = list[tuple[float, float]]


def _positions(value: Any) -> Coords:
    if not isinstance(value, list) or len(value) < 2:
        raise ValueError("a route needs at least two positions")
    if len(value) > MAX_VERTICES:
        raise ValueError(f"a route has at most {MAX_VERTICES} positions; this one has {len(value)}")
    out: Coords = []
    for i, pos in enumerate(value):
        if (
            not isinstance(pos, list | tuple)
            or len(pos) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in pos[:2])
        ):
            raise ValueError(f"route position {i} must be [longitude, latitude]")
        lon, lat = float(pos[0]), float(pos[1])
        if not (-180 <= lon <= 180) or not (-90 <= lat <= 90) or math.isnan(lon) or math.isnan(lat):
            raise ValueError(f"route position {i} is out of range: [{lon}, {lat}]")
        out.append((lon, lat))
    return out


def check_route(geojson: Any) -> dict[str, Any]:
    """A validated GeoJSON LineString (a Feature holding one is accepted); ValueError names the problem."""
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") != "LineString":
        raise ValueError("a route must be a GeoJSON LineString")
    coords = _positions(geojson.get("coordinates"))
    deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    if len(deduped) < 2:
        raise ValueError("a route needs at least two distinct positions")
    _check_spikes(deduped)
    line = LineString(deduped)
    if not line.is_simple:
        raise ValueError("the route crosses itself; split it into legs or alternates")
    length = length_m(deduped)
    if length > MAX_LENGTH_M:
        raise ValueError(f"the route is {length / 1000:.0f} km long; at most {MAX_LENGTH_M / 1000:.0f} km")
    return {"type": "LineString", "coordinates": [list(c) for c in deduped]}


def _check_spikes(coords: Coords) -> None:
    for i in range(1, len(coords) - 1):
        az_in = _GEOD.inv(*coords[i - 1], *coords[i])[0]
        az_out = _GEOD.inv(*coords[i], *coords[i + 1])[0]
        turn = abs((az_out - az_in + 180) % 360 - 180)
        if turn > SPIKE_ANGLE_DEG:
            raise ValueError(
                f"the route turns back on itself at position {i} (a spike of {turn:.0f} degrees)"
            )


def length_m(coords: Sequence[Sequence[float]]) -> float:
    """Geodesic length of a line of [lon, lat] positions, in metres."""
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return float(_GEOD.line_length(lons, lats))


def parse_route_file(content: bytes, filename: str) -> dict[str, Any]:
    """A route from a GeoJSON or GPX file (the first track or route of a GPX), validated."""
    name = filename.lower()
    if name.endswith(".gpx") or content.lstrip()[:5] in (b"<?xml", b"<gpx ", b"<gpx>"):
        return check_route({"type": "LineString", "coordinates": _gpx_positions(content, filename)})
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"{filename}: not valid GeoJSON ({exc})") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValueError(f"{filename}: a FeatureCollection's features must be a list")
        # Any member may be malformed (not an object, a geometry that is not one): skip it, never fail on it.
        lines = [
            f
            for f in features
            if isinstance(f, dict)
            and isinstance(f.get("geometry"), dict)
            and f["geometry"].get("type") == "LineString"
        ]
        if not lines:
            raise ValueError(f"{filename}: the FeatureCollection holds no LineString")
        data = lines[0]
    try:
        return check_route(data)
    except ValueError as exc:
        raise ValueError(f"{filename}: {exc}") from None


def _gpx_positions(content: bytes, filename: str) -> list[list[float]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{filename}: not valid GPX ({exc})") from None
    ns = _GPX_NS if root.tag.startswith(_GPX_NS) else ""
    for path in (f".//{ns}trkpt", f".//{ns}rtept"):
        points = root.findall(path)
        if points:
            try:
                return [[float(p.get("lon")), float(p.get("lat"))] for p in points]
            except (TypeError, ValueError):
                raise ValueError(f"{filename}: a GPX point lacks a numeric lat or lon") from None
    raise ValueError(f"{filename}: the GPX file holds no track or route points")


def _local(coords: Sequence[Sequence[float]]) -> Transformer:
    """An equidistant projection in metres centred on the positions' mean, to a thousandth of a degree.

    Building a transformer costs milliseconds (a predictability check compares a route with every past
    trip of its pair), so one is kept per centre; moving the centre by under 100 m changes distances of
    a route's scale by less than a millimetre.
    """
    lon0 = round(sum(c[0] for c in coords) / len(coords), 3)
    lat0 = round(sum(c[1] for c in coords) / len(coords), 3)
    return _centred(lon0, lat0)


@functools.lru_cache(maxsize=256)
def _centred(lon0: float, lat0: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m", always_xy=True
    )


def _project(tr: Transformer, coords: Sequence[Sequence[float]]) -> LineString:
    xs, ys = tr.transform([c[0] for c in coords], [c[1] for c in coords])
    return LineString(list(zip(xs, ys, strict=True)))


def distance_to_route_m(route: Sequence[Sequence[float]], lon: float, lat: float) -> float:
    """Distance in metres from a position to the route."""
    tr = _local(route)
    x, y = tr.transform(lon, lat)
    return float(_project(tr, route).distance(Point(x, y)))


def _coverage(a: LineString, b: LineString, tolerance: float, samples: int) -> float:
    steps = np.linspace(0.0, a.length, num=samples)
    points = shapely.line_interpolate_point(a, steps)
    return float(np.mean(shapely.distance(points, b) <= tolerance))


def similarity(
    route_a: Sequence[Sequence[float]],
    route_b: Sequence[Sequence[float]],
    *,
    tolerance_m: float = SIMILARITY_TOLERANCE_M,
    samples: int = 100,
) -> float:
    """Share of each route lying within ``tolerance_m`` of the other, the smaller of the two (0..1).

    Two routes are "the same route" when the similarity reaches SAME_ROUTE_THRESHOLD: at least 80 % of
    each lies within 300 m of the other, which tolerates GPS noise and a different lane or slip road
    but not a different road.
    """
    if _same_positions(route_a, route_b):  # the same line covers itself: nothing to project
        return 1.0
    tr = _local([*route_a, *route_b])
    a, b = _project(tr, route_a), _project(tr, route_b)
    return min(_coverage(a, b, tolerance_m, samples), _coverage(b, a, tolerance_m, samples))


def _same_positions(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> bool:
    return len(a) == len(b) and all(p[0] == q[0] and p[1] == q[1] for p, q in zip(a, b, strict=True))


def cordon_zone(
    *,
    center: tuple[float, float],
    inner_radius_m: float | None,
    outer_radius_m: float | None,
    inner_polygon: dict[str, Any] | None,
    outer_polygon: dict[str, Any] | None,
    lon: float,
    lat: float,
) -> str:
    """Where a point lies in a site's cordon rings: inner, outer or outside."""
    for name, radius, polygon in (
        ("inner", inner_radius_m, inner_polygon),
        ("outer", outer_radius_m, outer_polygon),
    ):
        if polygon is not None and shape(polygon).covers(Point(lon, lat)):
            return name
        if radius is not None and length_m([center, (lon, lat)]) <= radius:
            return name
    return "outside"
