"""A risk surface for the map: H3 cells over a bounding box, each scored as a site."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import h3

from outrider.risk.index import IncidentIndex
from outrider.risk.parameters import RiskParameters
from outrider.risk.scoring import site_risk

MAX_CELLS = 20_000


def bbox_cells(west: float, south: float, east: float, north: float, resolution: int) -> list[str]:
    """H3 cells whose centres lie in a lon/lat bounding box."""
    if not (-180.0 <= west < east <= 180.0 and -90.0 <= south < north <= 90.0):
        raise ValueError(
            f"bbox must be west < east and south < north in degrees, got {(west, south, east, north)}"
        )
    if not 0 <= resolution <= 15:
        raise ValueError(f"H3 resolution must be 0..15, got {resolution}")
    ring = [(south, west), (south, east), (north, east), (north, west)]
    return sorted(h3.geo_to_cells(h3.LatLngPoly(ring), resolution))


def risk_surface(
    cells: Iterable[str], at: datetime, index: IncidentIndex, params: RiskParameters
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of H3 cells with score and level (site risk within the corridor radius)."""
    features: list[dict[str, Any]] = []
    for cell in cells:
        if not h3.is_valid_cell(cell):
            raise ValueError(f"{cell!r} is not an H3 cell")
        if len(features) >= MAX_CELLS:
            raise ValueError(f"a surface is limited to {MAX_CELLS} cells; use a coarser resolution")
        lat, lon = h3.cell_to_latlng(cell)
        result = site_risk(lat, lon, params.corridor_m, at, index, params)
        boundary = [[lng, lat_] for lat_, lng in h3.cell_to_boundary(cell)]
        boundary.append(boundary[0])
        features.append(
            {
                "type": "Feature",
                "id": cell,
                "geometry": {"type": "Polygon", "coordinates": [boundary]},
                "properties": {
                    "cell": cell,
                    "score": round(result.score, 4),
                    "level": result.level,
                    "level_name": result.level_name,
                    "incidents": result.incident_count,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
