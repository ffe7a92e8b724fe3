"""A spatial index of incidents: a uniform grid over a metric projection, held in numpy arrays.

Why a grid and not an STRtree of points: the queries are "everything within a fixed corridor of
many sample points", which a grid answers with one vectorised `searchsorted`; rebuilding it is
one `argsort`, so incremental change is cheap and memory is a few columns of numbers.

Why this projection: one Lambert conformal conic on WGS84 for Pakistan (standard parallels 25.5 N
and 35.5 N, centre 30 N 69.5 E). It is conformal, so a short distance is scaled the same way in every
direction, and over 23.5 N to 37.5 N the scale stays within 0.4 % of true: a 10 km corridor is off by at
most about 40 m. An azimuthal equidistant projection errs a little less (0.3 %) but is seven times
slower to compute (PROJ solves a geodesic per point), and UTM would split the country over zones 41 to 43.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyproj import Transformer

from outrider.risk.incident import ATTACK_TYPES, TARGET_TYPES, WEAPONS, Incident, day_number
from outrider.risk.kernel import WeightInputs, corridor_batch

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PROJECTION = "+proj=lcc +lat_1=25.5 +lat_2=35.5 +lat_0=30 +lon_0=69.5 +datum=WGS84 +units=m +no_defs"
_TO_METRIC = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
_SHIFT = 1 << 20
_STRIDE = (
    1 << 21
)  # a cell's key: (column + _SHIFT) * _STRIDE + (row + _SHIFT); one grid column is one key range
_ATTACK_CODE = {name: i for i, name in enumerate(ATTACK_TYPES)}
_WEAPON_CODE = {name: i for i, name in enumerate(WEAPONS)}
_TARGET_CODE = {name: i for i, name in enumerate(TARGET_TYPES)}


def project(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Longitudes and latitudes (degrees) to metres in the index's projection."""
    x, y = _TO_METRIC.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def counts(incident: Incident, min_confidence: float) -> bool:
    """Whether an incident counts for risk: not rejected, and confident enough unless confirmed."""
    if incident.status == "rejected":
        return False
    return incident.status == "confirmed" or incident.confidence >= min_confidence


@dataclass(frozen=True, slots=True)
class Columns:
    """The counted incidents as parallel arrays, sorted by grid cell."""

    ids: tuple[str, ...]
    x: FloatArray
    y: FloatArray
    day: FloatArray
    killed: FloatArray
    wounded: FloatArray
    attack: npt.NDArray[np.int8]
    weapon: npt.NDArray[np.int8]
    target: npt.NDArray[np.int8]
    suicide: npt.NDArray[np.bool_]
    admin1: tuple[str | None, ...]
    extent: FloatArray  # 0 for a point; rows with an extent come after every point row

    def weight_inputs(self) -> WeightInputs:
        """What the weight kernel reads of each incident, in its order (`kernel.weigh`)."""
        c = self
        return (c.day, c.killed, c.wounded, c.attack, c.weapon, c.target, c.suicide, c.extent)


def _columns(incidents: list[Incident]) -> Columns:
    x, y = project([i.lon for i in incidents], [i.lat for i in incidents])
    return Columns(
        ids=tuple(i.id for i in incidents),
        x=x,
        y=y,
        day=np.fromiter((day_number(i.date) for i in incidents), np.float64, len(incidents)),
        killed=np.fromiter((i.killed for i in incidents), np.float64, len(incidents)),
        wounded=np.fromiter((i.wounded for i in incidents), np.float64, len(incidents)),
        attack=np.fromiter((_ATTACK_CODE[i.attack_type] for i in incidents), np.int8, len(incidents)),
        weapon=np.fromiter((_WEAPON_CODE[i.weapon] for i in incidents), np.int8, len(incidents)),
        target=np.fromiter((_TARGET_CODE[i.target_type] for i in incidents), np.int8, len(incidents)),
        suicide=np.fromiter((bool(i.suicide) for i in incidents), np.bool_, len(incidents)),
        admin1=tuple(i.admin1 for i in incidents),
        extent=np.fromiter((i.extent_m for i in incidents), np.float64, len(incidents)),
    )


# a dense table of row starts per grid cell replaces binary searches while it stays under this many
# cells (4 Mi cells, 32 MB): Pakistan and its neighbours at 5 km cells need well under 1 Mi
DENSE_CELLS = 1 << 22


_NUMERIC = ("x", "y", "day", "killed", "wounded", "attack", "weapon", "target", "suicide", "extent")


@dataclass(frozen=True, slots=True)
class CellTable:
    """Where the rows of each grid cell lie: sorted cell keys, their row starts (one more than keys), the
    dense table of row starts and its origin (`_dense_table`)."""

    keys: IntArray
    starts: IntArray
    dense: IntArray
    origin: IntArray

    @staticmethod
    def of(sorted_keys: IntArray, first_row: int) -> CellTable:
        """The table of rows first_row.. whose cell keys (sorted) are given."""
        keys, starts = np.unique(sorted_keys, return_index=True)
        dense, origin = _dense_table(sorted_keys)
        return CellTable(
            keys,
            np.append(starts, len(sorted_keys)).astype(np.int64) + first_row,
            dense + first_row,
            origin,
        )


def _dense_table(sorted_keys: IntArray) -> tuple[IntArray, IntArray]:
    """Row starts for every cell of the keys' bounding box (column-major) and the box's
    [column origin, row origin, columns, rows]; rows = 0 when the box is too large (binary search)."""
    if len(sorted_keys) == 0:
        return np.zeros(1, np.int64), np.zeros(4, np.int64)
    column, row = sorted_keys // _STRIDE - _SHIFT, sorted_keys % _STRIDE - _SHIFT
    ox, oy = int(column.min()), int(row.min())
    ncx, ncy = int(column.max()) - ox + 1, int(row.max()) - oy + 1
    if ncx * ncy > DENSE_CELLS:
        return np.zeros(1, np.int64), np.array([ox, oy, ncx, 0], np.int64)
    dense_id = (column - ox) * ncy + (row - oy)  # increasing with the key, so already sorted
    starts = np.searchsorted(dense_id, np.arange(ncx * ncy + 1, dtype=np.int64))
    return starts.astype(np.int64), np.array([ox, oy, ncx, ncy], np.int64)


class IncidentIndex:
    """Counted incidents on a grid; add, replace and remove by id, rebuilt lazily on the next query.

    Point incidents and incidents with an extent (known only to a city's precision) sit on two grids of
    the same cells: a query searches the points within its radius, and the spread ones within its radius
    plus the largest extent, keeping those whose extent reaches the radius. So a city-precision incident
    widens no query over the points."""

    def __init__(
        self, incidents: Iterable[Incident] = (), *, cell_m: float = 5_000.0, min_confidence: float = 0.5
    ):
        if not cell_m > 0:
            raise ValueError(f"cell_m must be > 0, got {cell_m}")
        self.cell_m = float(cell_m)
        self.min_confidence = min_confidence
        # built rows live in numpy columns; changes wait in _pending / _dead until the next rebuild,
        # so a rebuild converts only the new incidents and never walks 200k Python objects again
        self._columns = _columns([])
        self._row_of: dict[str, int] = {}
        self._pending: dict[str, Incident] = {}
        self._dead: list[int] = []
        self._points = CellTable.of(np.empty(0, np.int64), 0)
        self._spread = CellTable.of(np.empty(0, np.int64), 0)
        self._max_extent = 0.0
        self.version = 0
        self._local = threading.local()  # per-thread scratch for the corridor kernel
        self.add(incidents)

    def copy(self) -> IncidentIndex:
        """An index with the same incidents whose changes do not touch this one (built arrays are shared:
        nothing changes them in place), so readers of a published index never see it half-changed."""
        other = IncidentIndex.__new__(IncidentIndex)
        other.cell_m, other.min_confidence, other.version = self.cell_m, self.min_confidence, self.version
        other._columns = self._columns
        other._row_of, other._pending, other._dead = dict(self._row_of), dict(self._pending), list(self._dead)
        other._points, other._spread, other._max_extent = self._points, self._spread, self._max_extent
        other._local = threading.local()
        return other

    def __len__(self) -> int:
        return len(self._row_of) + len(self._pending)

    def __contains__(self, incident_id: object) -> bool:
        return incident_id in self._row_of or incident_id in self._pending

    @property
    def _dirty(self) -> bool:
        return bool(self._pending or self._dead)

    def _forget(self, incident_id: str) -> bool:
        row = self._row_of.pop(incident_id, None)
        if row is not None:
            self._dead.append(row)
        return row is not None or self._pending.pop(incident_id, None) is not None

    def add(self, incidents: Iterable[Incident]) -> None:
        """Add or replace incidents; one that no longer counts (rejected, unsure) leaves the index."""
        changed = False
        for incident in incidents:
            changed = self._forget(incident.id) or changed
            if counts(incident, self.min_confidence):
                self._pending[incident.id] = incident
                changed = True
        if changed:
            self.version += 1

    def remove(self, incident_ids: Iterable[str]) -> None:
        """Remove incidents by id (merged away or deleted); unknown ids are ignored."""
        forgotten = [self._forget(incident_id) for incident_id in incident_ids]  # all, no short-circuit
        if any(forgotten):
            self.version += 1

    def rebuild(self) -> None:
        """Fold pending changes into the arrays and re-sort them by grid cell (points first, then the
        incidents with an extent); queries call it lazily."""
        old, fresh = self._columns, _columns(list(self._pending.values()))
        keep = np.ones(len(old.ids), dtype=bool)
        keep[self._dead] = False
        kept = np.flatnonzero(keep)
        merged = {name: np.concatenate([getattr(old, name)[kept], getattr(fresh, name)]) for name in _NUMERIC}
        ids = [old.ids[i] for i in kept.tolist()] + list(fresh.ids)
        admin1 = [old.admin1[i] for i in kept.tolist()] + list(fresh.admin1)
        keys = self._keys(np.floor(merged["x"] / self.cell_m), np.floor(merged["y"] / self.cell_m))
        spread = merged["extent"] > 0.0
        order = np.lexsort((keys, spread))  # points first, each part by cell (stable)
        listed = order.tolist()
        self._columns = Columns(
            ids=tuple(ids[i] for i in listed),
            admin1=tuple(admin1[i] for i in listed),
            **{name: column[order] for name, column in merged.items()},
        )
        self._row_of = {incident_id: row for row, incident_id in enumerate(self._columns.ids)}
        self._pending, self._dead = {}, []
        n_points = int(len(keys) - np.count_nonzero(spread))
        sorted_keys = keys[order]
        self._points = CellTable.of(sorted_keys[:n_points], 0)
        self._spread = CellTable.of(sorted_keys[n_points:], n_points)
        self._max_extent = float(self._columns.extent.max()) if len(keys) else 0.0

    @property
    def _dense_origin(self) -> IntArray:
        """The point grid's dense-table origin (its rows entry is 0 when the kernel binary-searches)."""
        return self._points.origin

    @property
    def columns(self) -> Columns:
        """The counted incidents as arrays (rebuilt first if needed)."""
        if self._dirty:
            self.rebuild()
        return self._columns

    def nbytes(self) -> int:
        """Bytes held by the numpy arrays of the index (the Python objects come on top)."""
        c = self.columns
        arrays = (c.x, c.y, *c.weight_inputs())
        tables = sum(t.keys.nbytes + t.starts.nbytes + t.dense.nbytes for t in (self._points, self._spread))
        return sum(a.nbytes for a in arrays) + tables

    @staticmethod
    def _keys(ix: FloatArray, iy: FloatArray) -> IntArray:
        return (ix.astype(np.int64) + _SHIFT) * _STRIDE + (iy.astype(np.int64) + _SHIFT)

    def corridor(
        self, x: FloatArray, y: FloatArray, offsets: IntArray, corridor_m: float
    ) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
        """For each polyline x[offsets[k]:offsets[k+1]] (metres, no repeated vertices): the rows of
        incidents within corridor_m (an incident with an extent: within corridor_m plus its extent),
        ordered by row, with their nearest segment (the first on ties) and distance, all polylines
        concatenated, and each one's bounds in that result."""
        extent = self.columns.extent  # rebuilds first when changes wait, so the tables below are current
        points = self._scan(self._points, x, y, offsets, corridor_m)
        if len(self._spread.keys) == 0:
            return points
        rows, seg, distance, bounds = self._scan(self._spread, x, y, offsets, corridor_m + self._max_extent)
        reach = distance <= corridor_m + extent[rows]
        owner = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))[reach]
        point_owner = np.repeat(np.arange(len(points[3]) - 1), np.diff(points[3]))
        # spread rows come after every point row, so (owner, row) order is points then spread per route
        order = np.argsort(np.concatenate([point_owner, owner]), kind="stable")
        merged_bounds = points[3] + np.cumsum([0, *np.bincount(owner, minlength=len(bounds) - 1).tolist()])
        return (
            np.concatenate([points[0], rows[reach]])[order],
            np.concatenate([points[1], seg[reach]])[order],
            np.concatenate([points[2], distance[reach]])[order],
            merged_bounds.astype(np.int64),
        )

    def _scan(
        self, table: CellTable, x: FloatArray, y: FloatArray, offsets: IntArray, corridor_m: float
    ) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
        """The compiled corridor scan of one of the two grids."""
        columns = self.columns
        n = len(columns.ids)
        held = getattr(self._local, "scratch", None)
        if held is None or len(held[0]) != n:
            held = (np.full(n, np.inf), np.zeros(n, np.int64), np.zeros(n, np.int64))
            self._local.scratch = held
        return corridor_batch(  # type: ignore[no-any-return]
            np.ascontiguousarray(x, dtype=np.float64),
            np.ascontiguousarray(y, dtype=np.float64),
            np.ascontiguousarray(offsets, dtype=np.int64),
            (
                table.keys,
                table.starts,
                table.dense,
                table.origin,
                columns.x,
                columns.y,
                float(self.cell_m),
                _SHIFT,
                _STRIDE,
                float(corridor_m),
            ),
            held,
        )

    def near_points(self, x: FloatArray, y: FloatArray, radius_m: float) -> IntArray:
        """Rows of incidents in grid cells that touch a disc of radius_m around any of the points (for
        incidents with an extent, radius_m plus the largest extent): the caller measures and filters."""
        columns = self.columns
        if len(columns.ids) == 0 or len(x) == 0:
            return np.empty(0, np.int64)
        found = self._near(self._points, x, y, radius_m)
        if len(self._spread.keys):
            found = np.concatenate([found, self._near(self._spread, x, y, radius_m + self._max_extent)])
        return found

    def _near(self, table: CellTable, x: FloatArray, y: FloatArray, radius_m: float) -> IntArray:
        c = self.cell_m
        lo_x, hi_x = np.floor((x - radius_m) / c), np.floor((x + radius_m) / c)
        lo_y, hi_y = np.floor((y - radius_m) / c), np.floor((y + radius_m) / c)
        span = int(np.max(np.maximum(hi_x - lo_x, hi_y - lo_y))) + 1
        offsets = np.arange(span, dtype=np.float64)
        cx = lo_x[:, None, None] + offsets[None, :, None]
        cy = lo_y[:, None, None] + offsets[None, None, :]
        inside = (cx <= hi_x[:, None, None]) & (cy <= hi_y[:, None, None])
        cx, cy = np.broadcast_arrays(cx, cy)
        wanted = np.unique(self._keys(cx[inside], cy[inside]))
        pos = np.searchsorted(table.keys, wanted)
        present = pos < len(table.keys)
        pos, wanted = pos[present], wanted[present]
        pos = pos[table.keys[pos] == wanted]
        starts = table.starts[pos]
        lengths = table.starts[pos + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, np.int64)
        shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return shift + np.arange(total, dtype=np.int64)
