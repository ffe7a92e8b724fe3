"""The compiled inner loop of route scoring: the incidents within a corridor of a polyline.

For each segment of the route (cut into pieces no longer than a grid cell, so a long straight
segment does not sweep a large box), the grid cells within the corridor of the piece are one
contiguous key range per grid column, so each column costs two binary searches and a run over
the incidents those cells hold. Every incident met keeps its smallest squared distance and the
first segment that reached it; the squared distance is the same arithmetic as shapely's
point-to-segment distance in the projected plane.

Where the grid's bounding box is small enough (`dense_origin[3] > 0`), a dense table of row starts
per cell replaces the binary searches: the cells of one column are then one run of that table.

Scratch arrays (one slot per indexed incident) are passed in and handed back clean, so a call
allocates nothing proportional to the index.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# The incident grid and the corridor as the kernels take them, in one tuple each call passes down:
# cell keys, cell starts, dense table, dense origin, incident x, incident y, cell size (m), key shift,
# column stride, corridor (m).
Grid = tuple[IntArray, IntArray, IntArray, IntArray, FloatArray, FloatArray, float, int, int, float]
# The scratch arrays, one slot per incident: best squared distance (+inf when clean), best segment,
# and the rows touched.
Scratch = tuple[FloatArray, IntArray, IntArray]
# What the weight kernel reads of the incidents, one array each: day number, killed, wounded, attack type,
# weapon and target codes (vocabulary order), suicide, extent (m: 0 for a point, a city's radius for an
# incident known only to city precision).
WeightInputs = tuple[
    FloatArray,
    FloatArray,
    FloatArray,
    npt.NDArray[np.int8],
    npt.NDArray[np.int8],
    npt.NDArray[np.int8],
    npt.NDArray[np.bool_],
    FloatArray,
]


# consecutive short segments are scanned together, up to this many and one cell's length in all
MAX_GROUP = 16


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _scan_span(
    vx: FloatArray,
    vy: FloatArray,
    s: int,
    e: int,
    box: tuple[float, float, float, float],
    grid: Grid,
    scratch: Scratch,
    n_touched: int,
) -> int:
    """Measure segments s..e-1 against the incidents in the cells within corridor_m of box (the span's
    own bounding box); an incident whose distance to the box already exceeds the corridor or its best
    distance so far is skipped without measuring a segment."""
    cell_keys, cell_start, dense, dense_origin, ix, iy, cell_m, shift, column_stride, corridor_m = grid
    best, best_seg, touched = scratch
    ox, oy, ncx, ncy = dense_origin[0], dense_origin[1], dense_origin[2], dense_origin[3]
    x0, x1, y0, y1 = box
    bx0, bx1, by0, by1 = x0 - corridor_m, x1 + corridor_m, y0 - corridor_m, y1 + corridor_m
    limit = corridor_m * corridor_m
    cx0, cx1 = math.floor(bx0 / cell_m), math.floor(bx1 / cell_m)
    cy0, cy1 = math.floor(by0 / cell_m), math.floor(by1 / cell_m)
    for cx in range(cx0, cx1 + 1):
        if ncy > 0:  # dense table: the column's cells are one run of the start table
            col = cx - ox
            if col < 0 or col >= ncx:
                continue
            a, b = max(cy0 - oy, 0), min(cy1 - oy, ncy - 1)
            if a > b:
                continue
            first, last = dense[col * ncy + a], dense[col * ncy + b + 1]
        else:
            base = (cx + shift) * column_stride + shift
            lo = np.searchsorted(cell_keys, base + cy0)
            hi = np.searchsorted(cell_keys, base + cy1, side="right")
            first, last = cell_start[lo], cell_start[hi]
        for r in range(first, last):
            qx, qy = ix[r], iy[r]
            gx = max(x0 - qx, 0.0, qx - x1)
            gy = max(y0 - qy, 0.0, qy - y1)
            bound = gx * gx + gy * gy  # no segment of the span is nearer than its box
            if bound > limit or bound >= best[r]:
                continue
            for j in range(s, e):
                ax, ay = vx[j], vy[j]
                dx, dy = vx[j + 1] - ax, vy[j + 1] - ay
                den = dx * dx + dy * dy
                t = 0.0 if den == 0.0 else min(max(((qx - ax) * dx + (qy - ay) * dy) / den, 0.0), 1.0)
                ex = ax + t * dx - qx
                ey = ay + t * dy - qy
                d2 = ex * ex + ey * ey
                if d2 < best[r]:
                    if best[r] == np.inf:
                        touched[n_touched] = r
                        n_touched += 1
                    best[r] = d2
                    best_seg[r] = j
    return n_touched


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def corridor_scan(vx: FloatArray, vy: FloatArray, grid: Grid, scratch: Scratch) -> int:
    """Fill best/best_seg for incidents near the polyline vx, vy; return how many rows of touched are set.

    Segments go in order, so among equally near segments the first is kept. Runs of short segments
    (together at most one cell long) share one scan of their cells; a longer segment is scanned in pieces
    of at most a cell, so a long straight segment never sweeps a large box. best must hold +inf in every
    slot on entry; the caller reads the touched rows and resets them.
    """
    n_touched = 0
    if len(grid[0]) == 0:
        return 0
    cell_m = grid[6]
    nseg = len(vx) - 1
    s = 0
    while s < nseg:
        length = math.hypot(vx[s + 1] - vx[s], vy[s + 1] - vy[s])
        if length > cell_m:
            pieces = math.ceil(length / cell_m)
            dx, dy = vx[s + 1] - vx[s], vy[s + 1] - vy[s]
            for p in range(pieces):
                xa, xb = vx[s] + p / pieces * dx, vx[s] + (p + 1) / pieces * dx
                ya, yb = vy[s] + p / pieces * dy, vy[s] + (p + 1) / pieces * dy
                box = (min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb))
                n_touched = _scan_span(vx, vy, s, s + 1, box, grid, scratch, n_touched)
            s += 1
            continue
        e, total = s + 1, length
        while e < nseg and e - s < MAX_GROUP:
            step = math.hypot(vx[e + 1] - vx[e], vy[e + 1] - vy[e])
            if total + step > cell_m:
                break
            total += step
            e += 1
        box = (vx[s : e + 1].min(), vx[s : e + 1].max(), vy[s : e + 1].min(), vy[s : e + 1].max())
        n_touched = _scan_span(vx, vy, s, e, box, grid, scratch, n_touched)
        s = e
    return n_touched


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def spread_nearness(distance: float, extent: float, distance_half: float) -> float:
    """Nearness of an incident whose place is known only to within `extent` of its centre, `distance` from
    the route: the mean of 0.5^(|distance - u| / distance_half) for an offset u across the route uniform
    in [-extent, extent]. Equal to the point nearness 0.5^(distance / distance_half) at extent 0, it never
    grows with distance, is below 1 at the centre (the uncertainty spreads the weight) and, summed over
    all distances, weighs as much as a point."""
    a = math.log(2.0) / distance_half
    ar = a * extent
    if ar < 1e-12:  # no extent, or one far below a metre: a point (and no division by a vanishing ar)
        return math.exp(-a * distance)
    # expm1 keeps the differences exact when the extent is small beside the distance half
    if distance >= extent:
        return -math.exp(-a * (distance - extent)) * math.expm1(-2.0 * ar) / (2.0 * ar)
    return -(math.expm1(-a * (extent - distance)) + math.expm1(-a * (extent + distance))) / (2.0 * ar)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def weigh(
    rows: IntArray, distance: FloatArray, incidents: WeightInputs, tables: FloatArray, at_day: float
) -> tuple[FloatArray, FloatArray]:
    """Weights and ages (days) of incident rows at their distances (see `scoring.incident_weights`).

    tables holds killed_weight, wounded_weight, suicide_factor, half_life_days, distance_half_m,
    max_age_days, the attack, weapon and target weights in vocabulary order, then the attack and
    weapon vocabulary sizes. A point incident's nearness is 0.5^(distance / distance half); one with an
    extent (city precision) weighs by `spread_nearness`.
    """
    day, killed, wounded, attack, weapon, target, suicide, extent = incidents
    n_attack, n_weapon = int(tables[-2]), int(tables[-1])
    kw, ww, sf = tables[0], tables[1], tables[2]
    half_life, distance_half, max_age = tables[3], tables[4], tables[5]
    weights = np.empty(len(rows))
    ages = np.empty(len(rows))
    for k in range(len(rows)):
        r = rows[k]
        age = at_day - day[r]
        ages[k] = age
        if age < 0.0 or age > max_age:
            weights[k] = 0.0
            continue
        harm = kw * killed[r] + ww * wounded[r]
        severity = tables[6 + attack[r]] * (1.0 + math.log1p(harm))
        if suicide[r]:
            severity = severity * sf
        relevance = tables[6 + n_attack + n_weapon + target[r]] * tables[6 + n_attack + weapon[r]]
        recency = 2.0 ** (-max(age, 0.0) / half_life)
        if extent[r] > 0.0:
            nearness = spread_nearness(distance[k], extent[r], distance_half)
        else:
            nearness = 2.0 ** (-distance[k] / distance_half)
        weights[k] = severity * relevance * recency * nearness
    return weights, ages


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def corridor_batch(
    vx: FloatArray,
    vy: FloatArray,
    offsets: IntArray,
    grid: Grid,
    scratch: Scratch,
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """`corridor_scan` of each polyline vx[offsets[k]:offsets[k+1]]: the rows within the corridor of
    each (ordered by row), their nearest segment and distance, concatenated, with each polyline's
    bounds in the result. The scratch arrays are handed back clean."""
    corridor_m = grid[9]
    best, best_seg, touched = scratch
    n_routes = len(offsets) - 1
    size = 1024
    out_rows = np.empty(size, np.int64)
    out_seg = np.empty(size, np.int64)
    out_d = np.empty(size, np.float64)
    bounds = np.zeros(n_routes + 1, np.int64)
    used = 0
    limit = corridor_m * corridor_m
    for k in range(n_routes):
        a, b = offsets[k], offsets[k + 1]
        n = corridor_scan(vx[a:b], vy[a:b], grid, scratch)
        met = np.sort(touched[:n])
        for r in met:
            squared = best[r]
            best[r] = np.inf
            if squared > limit:
                continue
            if used == size:
                size *= 2
                out_rows = np.concatenate((out_rows, np.empty(size - used, np.int64)))
                out_seg = np.concatenate((out_seg, np.empty(size - used, np.int64)))
                out_d = np.concatenate((out_d, np.empty(size - used, np.float64)))
            out_rows[used] = r
            out_seg[used] = best_seg[r]
            out_d[used] = math.sqrt(squared)
            used += 1
        bounds[k + 1] = used
    return out_rows[:used], out_seg[:used], out_d[:used], bounds


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def heaviest(weight: FloatArray, bounds: IntArray, top: int) -> IntArray:
    """Per group weight[bounds[k]:bounds[k+1]], the positions of its at most `top` heaviest positive
    weights, heaviest first (ties in position order), groups in order."""
    out = np.empty(min(len(weight), top * (len(bounds) - 1)), np.int64)
    used = 0
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        if a == b:
            continue
        order = np.argsort(-weight[a:b], kind="mergesort")
        for j in range(min(top, b - a)):
            position = a + order[j]
            if weight[position] <= 0.0:
                break
            out[used] = position
            used += 1
    return out[:used]
