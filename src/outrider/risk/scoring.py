"""Route and site risk: a pure function of geometry, a time, the incident index and the parameters.

Each counted incident within the corridor weighs
    severity x relevance x 0.5^(age / half-life) x 0.5^(distance / distance half)
and the score is the base rate of the regions crossed plus the sum of those weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from outrider.risk.incident import ATTACK_TYPES, TARGET_TYPES, WEAPONS, day_number
from outrider.risk.index import FloatArray, IncidentIndex, IntArray, project
from outrider.risk.kernel import heaviest, weigh
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


def weight_tables(params: RiskParameters) -> FloatArray:
    """The parameters the weight kernel reads, flat (the layout `kernel.weigh` documents)."""
    return np.array(
        [
            params.killed_weight,
            params.wounded_weight,
            params.suicide_factor,
            params.recency_half_life_days,
            params.distance_half_m,
            params.max_age_days,
            *(float(params.attack_type_weights[name]) for name in ATTACK_TYPES),
            *(float(params.weapon_weights[name]) for name in WEAPONS),
            *(float(params.target_weights[name]) for name in TARGET_TYPES),
            len(ATTACK_TYPES),
            len(WEAPONS),
        ],
        dtype=np.float64,
    )


def incident_weights(
    index: IncidentIndex, rows: IntArray, distance_m: FloatArray, at_day: float, params: RiskParameters
) -> tuple[FloatArray, FloatArray]:
    """Weights and ages (days) of index rows at given distances; incidents after `at` or too old weigh 0.

    weight = attack weight x (1 + log1p(killed_weight x killed + wounded_weight x wounded))
             [x suicide factor] x target weight x weapon weight x 0.5^(age / half-life)
             x 0.5^(distance / distance half). log1p keeps one massacre from drowning a pattern of
    smaller attacks, yet stays increasing.
    """
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    distance = np.ascontiguousarray(distance_m, dtype=np.float64)
    return weigh(rows, distance, index.columns.weight_inputs(), weight_tables(params), float(at_day))  # type: ignore[no-any-return]


def _base_rate(regions: Sequence[str], params: RiskParameters) -> float:
    # the worst region crossed sets the floor: a long safe stretch must not dilute a bad one
    return max((params.base_rates.get(region, 0.0) for region in regions), default=0.0)


def _results(
    index: IncidentIndex,
    hits: tuple[IntArray, FloatArray, IntArray | None],
    bounds: IntArray,
    at: datetime,
    params: RiskParameters,
    regions: Sequence[Sequence[str]] | None,
) -> list[RiskResult]:
    """Results of several queries whose hits (rows, distances, segments) are concatenated, query k
    owning hits[bounds[k]:bounds[k+1]]: weighed, summed and explained in whole-array steps."""
    rows, distance, segment = hits
    n = len(bounds) - 1
    weight, age = incident_weights(index, rows, distance, day_number(at), params)
    owner = np.repeat(np.arange(n), np.diff(bounds))
    counted = weight > 0.0
    sums = np.bincount(owner, weights=weight, minlength=n).tolist()
    found = np.bincount(owner, weights=counted, minlength=n).astype(np.int64).tolist()
    # per query, its heaviest incidents first (ties in row order), at most explain_top
    top = heaviest(weight, np.ascontiguousarray(bounds, dtype=np.int64), params.explain_top)
    ids = index.columns.ids
    segments: list[int | None] = [None] * len(top) if segment is None else segment[top].tolist()
    drivers = [
        Driver(incident_id=ids[r], distance_m=d, age_days=a, weight=w, segment=g)
        for r, d, a, w, g in zip(
            rows[top].tolist(),
            np.round(distance[top], 1).tolist(),
            np.round(age[top], 2).tolist(),
            weight[top].tolist(),
            segments,
            strict=True,
        )
    ]
    cut = np.cumsum([0, *np.bincount(owner[top], minlength=n).tolist()]).tolist()
    results = []
    for k in range(n):
        base = _base_rate(() if regions is None else regions[k], params)
        score = base + sums[k]
        level = params.level(score)
        results.append(
            RiskResult(
                score=score,
                level=level,
                level_name=LEVEL_NAMES[level - 1],
                incident_count=found[k],
                base_rate=base,
                drivers=tuple(drivers[cut[k] : cut[k + 1]]),
                index_version=index.version,
            )
        )
    return results


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


def _scored(
    arrays: Sequence[npt.NDArray[np.float64]],
    at: datetime,
    index: IncidentIndex,
    params: RiskParameters,
    regions: Sequence[Sequence[str]] | None,
) -> list[RiskResult]:
    """Score checked [lon, lat] arrays: one projection, one kernel call, one weighing for them all."""
    stacked = np.concatenate(arrays)
    x, y = project(stacked[:, 0], stacked[:, 1])
    starts = np.cumsum([0, *(len(a) for a in arrays)])
    # repeated vertices make empty segments: drop them (the first vertex of each route always stays)
    keep = np.ones(len(x), dtype=bool)
    keep[1:] = (np.diff(x) != 0.0) | (np.diff(y) != 0.0)
    keep[starts[:-1]] = True
    keep[starts[1:] - 1] = True  # a route whose vertices all project to one point keeps a zero-length segment
    vertex = np.flatnonzero(keep)
    kept = np.cumsum([0, *np.add.reduceat(keep, starts[:-1]).tolist()])
    rows, nearest, distance, bounds = index.corridor(x[keep], y[keep], kept, params.corridor_m)
    owner = np.repeat(np.arange(len(arrays)), np.diff(bounds))
    # the segment in the caller's numbering: the one that ends where the de-duplicated one ends
    # (segments before it that start at a repeated vertex have no length)
    segment = vertex[kept[owner] + nearest + 1] - 1 - starts[owner]
    return _results(index, (rows, distance, segment), bounds, at, params, regions)


def _refuse(k: int, route: Coordinates, name_it: bool) -> NoReturn:
    """Raise the precise error of a route the batch checks found wrong."""
    try:
        _check_coordinates(route)
    except ValueError as exc:
        raise ValueError(f"route {k}: {exc}" if name_it else str(exc)) from None
    raise ValueError(f"route {k} is not a usable route")  # the checks above always name the fault


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
    return _scored([_check_coordinates(route_lonlat)], at, index, params, [regions])[0]


def route_risks(
    routes: Sequence[Coordinates],
    at: datetime,
    index: IncidentIndex,
    params: RiskParameters,
    *,
    regions: Sequence[Sequence[str]] | None = None,
) -> list[RiskResult]:
    """`route_risk` of many routes at once (every planned movement after a new incident), checked
    together and scored in one pass; a bad route fails the call, naming it, before any is scored."""
    _check_time(at)
    if regions is not None and len(regions) != len(routes):
        raise ValueError(f"{len(routes)} routes but {len(regions)} region lists")
    if not routes:
        return []
    arrays = []
    for k, route in enumerate(routes):
        try:
            array = np.asarray(route, dtype=np.float64)
        except (TypeError, ValueError):
            _refuse(k, route, True)
        if array.ndim != 2 or array.shape[1] < 2 or len(array) < 2:
            _refuse(k, route, True)
        arrays.append(array[:, :2])
    stacked = np.concatenate(arrays)
    bad = ~np.isfinite(stacked).all(axis=1) | (np.abs(stacked[:, 0]) > 180.0) | (np.abs(stacked[:, 1]) > 90.0)
    if bad.any():
        k = int(np.searchsorted(np.cumsum([len(a) for a in arrays]), int(np.argmax(bad)), side="right"))
        _refuse(k, routes[k], True)
    lengths = np.array([len(a) for a in arrays])
    starts = np.cumsum(lengths) - lengths
    moves = (stacked != np.repeat(stacked[starts], lengths, axis=0)).any(axis=1)
    for k in np.flatnonzero(np.add.reduceat(moves, starts) == 0).tolist():
        _refuse(k, routes[k], True)  # zero length: every vertex the same point
    return _scored(arrays, at, index, params, regions)


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
    """Risk of a site: incidents within radius_m of it (one with an extent: within radius_m plus its
    extent), weighted as for a route (segment is None)."""
    _check_time(at)
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90.0 and abs(lon) <= 180.0):
        raise ValueError(f"site ({lat}, {lon}) is not a latitude/longitude in degrees")
    if not (math.isfinite(radius_m) and radius_m > 0.0):
        raise ValueError(f"radius_m must be a positive number of metres, got {radius_m}")
    x, y = project([lon], [lat])
    rows = index.near_points(x, y, radius_m)
    c = index.columns
    distance = np.hypot(c.x[rows] - x[0], c.y[rows] - y[0])
    inside = distance <= radius_m + c.extent[rows]  # a city-precision incident reaches by its extent
    hits = (rows[inside], distance[inside], None)
    return _results(index, hits, np.array([0, len(hits[0])]), at, params, [regions])[0]


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


def result_json(result: RiskResult) -> dict[str, Any]:
    """A result as JSON: score, level, and the drivers with their event ids."""
    return {
        "score": round(result.score, 4),
        "level": result.level,
        "level_name": result.level_name,
        "incident_count": result.incident_count,
        "base_rate": result.base_rate,
        "drivers": [
            {
                "event_id": int(d.incident_id.removeprefix("ev-"))
                if d.incident_id.startswith("ev-")
                else None,
                "incident_id": d.incident_id,
                "distance_m": d.distance_m,
                "age_days": d.age_days,
                "weight": round(d.weight, 4),
                "segment": d.segment,
            }
            for d in result.drivers
        ],
    }
