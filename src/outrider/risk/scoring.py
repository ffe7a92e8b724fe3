"""Route and site risk: a pure function of geometry, a time, the incident index and the parameters.

Each counted incident within the corridor weighs
    severity x relevance x 0.5^(age / half-life) x 0.5^(distance / distance half)
and the score is the base rate of the regions crossed plus the sum of those weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from outrider.risk.incident import ATTACK_TYPES, TARGET_TYPES, WEAPONS, day_number
from outrider.risk.index import FloatArray, IncidentIndex, IntArray, project
from outrider.risk.parameters import LEVEL_NAMES, RiskParameters

Coordinates = Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class Driver:
    """One incident behind a score: how far, how old, how much it weighs, on which segment."""

    incident_id: str
    distance_m: float
    age_days: float
    weight: float
    segment: int | None


@dataclass(frozen=True, slots=True)
class RiskResult:
    """A score, its level 1..5 with the UN SRM name, and the incidents that drive it."""

    score: float
    level: int
    level_name: str
    incident_count: int
    base_rate: float
    drivers: tuple[Driver, ...]
    index_version: int


def _table(weights: Mapping[str, float], vocabulary: Sequence[str]) -> FloatArray:
    return np.array([float(weights[name]) for name in vocabulary], dtype=np.float64)


def incident_weights(
    index: IncidentIndex, rows: IntArray, distance_m: FloatArray, at_day: float, params: RiskParameters
) -> tuple[FloatArray, FloatArray]:
    """Weights and ages (days) of index rows at given distances; incidents after `at` or too old weigh 0."""
    c = index.columns
    age = at_day - c.day[rows]
    harm = params.killed_weight * c.killed[rows] + params.wounded_weight * c.wounded[rows]
    # log1p keeps one massacre from drowning a pattern of smaller attacks, yet stays increasing
    severity = _table(params.attack_type_weights, ATTACK_TYPES)[c.attack[rows]] * (1.0 + np.log1p(harm))
    severity = np.where(c.suicide[rows], severity * params.suicide_factor, severity)
    relevance = (
        _table(params.target_weights, TARGET_TYPES)[c.target[rows]]
        * _table(params.weapon_weights, WEAPONS)[c.weapon[rows]]
    )
    recency = np.exp2(-np.maximum(age, 0.0) / params.recency_half_life_days)
    nearness = np.exp2(-distance_m / params.distance_half_m)
    weight = severity * relevance * recency * nearness
    counted = (age >= 0.0) & (age <= params.max_age_days)
    return np.where(counted, weight, 0.0), age


def _base_rate(regions: Sequence[str], params: RiskParameters) -> float:
    # the worst region crossed sets the floor: a long safe stretch must not dilute a bad one
    return max((params.base_rates.get(region, 0.0) for region in regions), default=0.0)


def _result(
    index: IncidentIndex,
    rows: IntArray,
    distance: FloatArray,
    segment: IntArray | None,
    at: datetime,
    params: RiskParameters,
    regions: Sequence[str],
) -> RiskResult:
    at_day = day_number(at)
    weight, age = incident_weights(index, rows, distance, at_day, params)
    base = _base_rate(regions, params)
    score = base + float(weight.sum())
    ids = index.columns.ids
    top = np.argsort(-weight, kind="stable")[: params.explain_top]
    drivers = tuple(
        Driver(
            incident_id=ids[int(rows[k])],
            distance_m=round(float(distance[k]), 1),
            age_days=round(float(age[k]), 2),
            weight=float(weight[k]),
            segment=None if segment is None else int(segment[k]),
        )
        for k in top.tolist()
        if weight[k] > 0.0
    )
    level = params.level(score)
    return RiskResult(
        score=score,
        level=level,
        level_name=LEVEL_NAMES[level - 1],
        incident_count=int(np.count_nonzero(weight > 0.0)),
        base_rate=base,
        drivers=drivers,
        index_version=index.version,
    )


def _check_time(at: datetime) -> None:
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValueError("`at` must be a tz-aware datetime")


def _check_coordinates(coords: Coordinates) -> npt.NDArray[np.float64]:
    try:
        array = np.asarray(coords, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"route coordinates are not numbers: {exc}") from exc
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"route must be a sequence of [lon, lat] pairs, got shape {array.shape}")
    array = array[:, :2]
    if len(array) < 2:
        raise ValueError(f"route needs at least 2 vertices, got {len(array)}")
    if not np.isfinite(array).all():
        raise ValueError("route has a non-finite coordinate (NaN or infinity)")
    bad = np.flatnonzero((np.abs(array[:, 0]) > 180.0) | (np.abs(array[:, 1]) > 90.0))
    if len(bad):
        raise ValueError(f"route vertex {int(bad[0])} is not [lon, lat] in degrees: {array[bad[0]].tolist()}")
    if np.all(array == array[0]):
        raise ValueError("route has zero length: every vertex is the same point")
    return array


# below this many point-segment pairs one dense matrix is cheapest; above it, chunks of the route
DENSE_PAIRS = 20_000
CHUNK = 32


def _point_segment_squared(
    qx: FloatArray, qy: FloatArray, ax: FloatArray, ay: FloatArray, dx: FloatArray, dy: FloatArray
) -> FloatArray:
    """Squared distances from points to segments (a + t*d, 0 <= t <= 1), broadcast."""
    t = ((qx - ax) * dx + (qy - ay) * dy) / (dx * dx + dy * dy)
    np.clip(t, 0.0, 1.0, out=t)
    ex = ax + t * dx - qx
    ey = ay + t * dy - qy
    return np.asarray(ex * ex + ey * ey, dtype=np.float64)


def _nearest_segments(
    px: FloatArray, py: FloatArray, x: FloatArray, y: FloatArray, corridor: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """For points within corridor of the polyline x, y: their positions, nearest segment and distance."""
    ax, ay, dx, dy = x[:-1], y[:-1], np.diff(x), np.diff(y)
    n = len(ax)
    if len(px) * n <= DENSE_PAIRS:
        squared = _point_segment_squared(px[:, None], py[:, None], ax, ay, dx, dy)
        nearest = squared.argmin(axis=1)
        distance = np.sqrt(squared[np.arange(len(px)), nearest])
        within = np.flatnonzero(distance <= corridor)
        return within, nearest[within].astype(np.int64), distance[within]
    # chunks of CHUNK consecutive segments; a point is tested only against chunks whose box,
    # grown by the corridor, holds it, so a point meets ~3 chunks instead of every segment
    chunks = -(-n // CHUNK)
    seg = np.minimum(np.arange(chunks * CHUNK), n - 1).reshape(chunks, CHUNK)  # last chunk repeats its end
    x0 = np.minimum(x[seg], x[seg + 1]).min(axis=1) - corridor
    x1 = np.maximum(x[seg], x[seg + 1]).max(axis=1) + corridor
    y0 = np.minimum(y[seg], y[seg + 1]).min(axis=1) - corridor
    y1 = np.maximum(y[seg], y[seg + 1]).max(axis=1) + corridor
    inside = (px[:, None] >= x0) & (px[:, None] <= x1) & (py[:, None] >= y0) & (py[:, None] <= y1)
    point, chunk = np.nonzero(inside)
    if len(point) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    pair_seg = seg[chunk]
    squared = _point_segment_squared(
        px[point][:, None], py[point][:, None], ax[pair_seg], ay[pair_seg], dx[pair_seg], dy[pair_seg]
    )
    column = squared.argmin(axis=1)
    pairs = np.arange(len(point))
    best, best_seg = squared[pairs, column], pair_seg[pairs, column]
    order = np.lexsort((best, point))  # per point, its nearest chunk's answer first
    first = np.ones(len(order), dtype=bool)
    first[1:] = point[order][1:] != point[order][:-1]
    chosen = order[first]
    distance = np.sqrt(best[chosen])
    within = distance <= corridor
    return point[chosen][within].astype(np.int64), best_seg[chosen][within].astype(np.int64), distance[within]


def route_risk(
    route_lonlat: Coordinates,
    at: datetime,
    index: IncidentIndex,
    params: RiskParameters,
    *,
    regions: Sequence[str] = (),
) -> RiskResult:
    """Risk of a route (a sequence of [lon, lat]) at a time: corridor incidents, weighted, with drivers."""
    _check_time(at)
    coords = _check_coordinates(route_lonlat)
    x, y = project(coords[:, 0], coords[:, 1])
    keep = np.ones(len(x), dtype=bool)
    keep[1:] = (np.diff(x) != 0.0) | (np.diff(y) != 0.0)  # repeated vertices make empty segments
    vertex = np.flatnonzero(keep)
    x, y = x[keep], y[keep]
    corridor = params.corridor_m
    # samples at most one cell apart along the route: every route point lies within half a gap
    # (along the route, so also in a straight line) of a sample, so no corridor cell is missed
    along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    gaps = max(int(np.ceil(along[-1] / index.cell_m)), 1)
    stations = np.linspace(0.0, along[-1], gaps + 1)
    sx, sy = np.interp(stations, along, x), np.interp(stations, along, y)
    half_gap = along[-1] / gaps / 2.0
    rows = index.near_points(sx, sy, corridor + half_gap)
    if len(rows) == 0:
        return _result(index, rows, np.empty(0), np.empty(0, np.int64), at, params, regions)
    c = index.columns
    within, nearest, distance = _nearest_segments(c.x[rows], c.y[rows], x, y, corridor)
    found_rows = rows[within]
    segment_local = nearest
    # report the segment in the caller's vertex numbering, not the de-duplicated one
    segment = vertex[segment_local]
    order = np.argsort(found_rows, kind="stable")
    return _result(index, found_rows[order], distance[order], segment[order], at, params, regions)


def site_risk(
    lat: float,
    lon: float,
    radius_m: float,
    at: datetime,
    index: IncidentIndex,
    params: RiskParameters,
    *,
    regions: Sequence[str] = (),
) -> RiskResult:
    """Risk of a site: incidents within radius_m of it, weighted as for a route (segment is None)."""
    _check_time(at)
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90.0 and abs(lon) <= 180.0):
        raise ValueError(f"site ({lat}, {lon}) is not a latitude/longitude in degrees")
    if not (math.isfinite(radius_m) and radius_m > 0.0):
        raise ValueError(f"radius_m must be a positive number of metres, got {radius_m}")
    x, y = project([lon], [lat])
    rows = index.near_points(x, y, radius_m)
    c = index.columns
    distance = np.hypot(c.x[rows] - x[0], c.y[rows] - y[0])
    inside = distance <= radius_m
    return _result(index, rows[inside], distance[inside], None, at, params, regions)


@dataclass(frozen=True, slots=True)
class Alternates:
    """The results of every alternate route and the position of the lowest score (first on ties)."""

    results: tuple[RiskResult, ...]
    lowest: int


def compare_alternates(
    routes: Sequence[Coordinates], at: datetime, index: IncidentIndex, params: RiskParameters
) -> Alternates:
    """Score each alternate route and say which has the lowest score."""
    if not routes:
        raise ValueError("compare_alternates needs at least one route")
    results = tuple(route_risk(route, at, index, params) for route in routes)
    lowest = min(range(len(results)), key=lambda k: (results[k].score, k))
    return Alternates(results=results, lowest=lowest)
