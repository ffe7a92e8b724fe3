"""Pure geometry checks for registry records (cordon rings, points)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shapely.geometry import Point, shape
from shapely.validation import explain_validity

MAX_RING_VERTICES = 5000
MAX_RADIUS_M = 100_000.0


def check_lat_lon(lat: float, lon: float) -> None:
    """Raise ValueError unless lat/lon are finite WGS84 degrees."""
    if not (-90.0 <= lat <= 90.0):
        raise ValueError(f"latitude {lat} is outside -90..90")
    if not (-180.0 <= lon <= 180.0):
        raise ValueError(f"longitude {lon} is outside -180..180")


def check_timezone(name: str) -> str:
    """Raise ValueError unless the name is an IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Asia/Karachi") from exc
    return name


def check_polygon(geojson: dict[str, Any], *, label: str) -> dict[str, Any]:
    """Validate a GeoJSON Polygon: type, closed rings, coordinates in range, valid (no self-crossing)."""
    if not isinstance(geojson, dict) or geojson.get("type") != "Polygon":
        raise ValueError(f"{label} must be a GeoJSON Polygon")
    rings = geojson.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise ValueError(f"{label} has no coordinates")
    count = 0
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValueError(f"{label}: each ring needs at least four positions")
        if ring[0] != ring[-1]:
            raise ValueError(f"{label}: a ring must be closed (first position equals last)")
        for pos in ring:
            if (
                not isinstance(pos, list | tuple)
                or len(pos) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in pos[:2])
            ):
                raise ValueError(f"{label}: a position must be [longitude, latitude]")
            check_lat_lon(float(pos[1]), float(pos[0]))
        count += len(ring)
    if count > MAX_RING_VERTICES:
        raise ValueError(f"{label} has {count} positions; at most {MAX_RING_VERTICES} are accepted")
    geom = shape(geojson)
    if not geom.is_valid:
        raise ValueError(f"{label} is not a valid polygon: {explain_validity(geom)}")
    return {"type": "Polygon", "coordinates": [[list(map(float, p[:2])) for p in r] for r in rings]}


def check_rings(
    *,
    lat: float,
    lon: float,
    inner_radius_m: float | None,
    outer_radius_m: float | None,
    inner_polygon: dict[str, Any] | None,
    outer_polygon: dict[str, Any] | None,
) -> None:
    """Each ring is given once (radius or polygon); the outer ring encloses the inner one."""
    for name, radius, poly in (
        ("inner", inner_radius_m, inner_polygon),
        ("outer", outer_radius_m, outer_polygon),
    ):
        if radius is not None and poly is not None:
            raise ValueError(f"give the {name} cordon as a radius or as a polygon, not both")
        if radius is not None and not (0 < radius <= MAX_RADIUS_M):
            raise ValueError(f"{name} radius must be between 0 and {MAX_RADIUS_M:.0f} metres")
    if inner_radius_m is not None and outer_radius_m is not None and outer_radius_m <= inner_radius_m:
        raise ValueError("the outer cordon radius must be larger than the inner one")
    if inner_polygon is not None and not shape(inner_polygon).contains(Point(lon, lat)):
        raise ValueError("the inner cordon polygon must contain the site's point")
    if outer_polygon is not None and not shape(outer_polygon).contains(Point(lon, lat)):
        raise ValueError("the outer cordon polygon must contain the site's point")
    if (
        inner_polygon is not None
        and outer_polygon is not None
        and not shape(outer_polygon).contains(shape(inner_polygon))
    ):
        raise ValueError("the outer cordon polygon must enclose the inner one")
