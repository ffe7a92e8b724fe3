"""The cordon detectors' compiled path: exactly the alerts of `detectors.CordonMonitor`, much faster.

`CompiledMonitor` has the reference's interface (`push`, `flush`, `snapshot`, `restore`, the counters)
plus `push_events` and `push_columns` for batches. It gives plates, zones, sites and places integer codes
(a dict lookup per value), keeps the detectors' state in numpy arrays and runs `kernel.run` over each
batch in arrival order: every event is released when the watermark passes it, exactly as the reference
releases it, and the alerts it raises name it (its arrival number, its time). A batch is whatever has
arrived, one event or many: batching only saves the cost of a call, it never delays an alert past the
call that pushed its event. The state expires when the reference's does; codes the expired state no
longer refers to are given to new values and the tables shrink, so memory stays bounded on an endless
stream. Snapshots have the reference's format (version 1): either monitor resumes from the other's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from outrider.cordon import detectors
from outrider.cordon import kernel as k
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event, Inspection, Sighting, event_from_mapping, event_to_json
from outrider.cordon.zones import Zone, ZoneIndex

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
_RING = {"inner": k.INNER, "outer": k.OUTER, "corridor": k.CORRIDOR}
_KIND = {k.DWELL: "dwell", k.RECON: "reconnaissance", k.LOITER: "loiter"}
_MIN_ROWS = 1024
_NAN_BITS = int(np.array([np.nan]).view(np.int64)[0])
_NEG_INF_BITS = int(np.array([-np.inf]).view(np.int64)[0])


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class _CodeDict(dict[str, int]):
    """name -> code; a missing name gets a new code."""

    def __init__(self, owner: _Codes) -> None:
        super().__init__()
        self.owner = owner

    def __missing__(self, key: str) -> int:
        return self.owner.add(key)


class _Codes:
    """Strings as dense integer codes; codes the state no longer refers to are given to new strings."""

    def __init__(self, permanent: Iterable[str] = (), limit: int = 1 << 36) -> None:
        self.names: list[str | None] = []
        self._free: list[int] = []
        self._limit = limit
        self.code: dict[str, int] = _CodeDict(self)
        for name in permanent:
            _ = self.code[name]
        self.permanent = len(self.names)

    def add(self, name: str) -> int:
        if self._free:
            c = self._free.pop()
            self.names[c] = name
        else:
            c = len(self.names)
            if c >= self._limit:
                raise ValueError(f"more than {self._limit} distinct values held at once")
            self.names.append(name)
        self.code[name] = c
        return c

    def encode(self, names: Sequence[str]) -> I8:
        return np.fromiter(map(self.code.__getitem__, names), np.int64, count=len(names))

    def release(self, live: npt.NDArray[np.bool_]) -> None:
        names, code = self.names, self.code
        for c in np.flatnonzero(~live[: len(names)]).tolist():
            name = names[c]
            if c >= self.permanent and name is not None:
                del code[name]
                names[c] = None
                self._free.append(c)


class _ZoneLookup(dict[str, int]):
    """zone id -> code; -1 for a zone that does not exist."""

    def __missing__(self, key: str) -> int:
        return -1


@dataclass(frozen=True, slots=True)
class Coded:
    """A dictionary-encoded column, as Arrow, pandas and polars categoricals are: row i is
    ``values[codes[i]]``. Only the values a batch uses are looked up, once each."""

    codes: npt.NDArray[np.integer[Any]]
    values: Sequence[str]

    def via(self, lookup: Callable[[str], int]) -> I8:
        """The column with each value replaced by ``lookup(value)``."""
        codes = np.asarray(self.codes, np.int64)
        if len(codes) and (codes.min() < 0 or codes.max() >= len(self.values)):
            raise ValueError("a code points outside the values")
        used = np.zeros(len(self.values), np.bool_)
        used[codes] = True
        idx = np.flatnonzero(used)
        table = np.zeros(len(self.values), np.int64)
        table[idx] = np.fromiter((lookup(self.values[i]) for i in idx.tolist()), np.int64, count=len(idx))
        return table[codes]


Column = Sequence[str] | Coded


def _via(column: Column, lookup: Callable[[str], int]) -> I8:
    if isinstance(column, Coded):
        return column.via(lookup)
    return np.fromiter(map(lookup, column), np.int64, count=len(column))


@dataclass(frozen=True, slots=True)
class AlertTable:
    """The alerts of a batch as columns, in the order they were raised (one row per alert)."""

    kinds: list[str]  # dwell, reconnaissance, loiter
    events: I8  # arrival number of the event that raised each (the first event pushed is 0)
    plates: list[str]
    zone_ids: list[str | None]
    times: F8  # seconds since the epoch of the event that raised each
    starts: F8  # dwell: when the episode began
    counts: I8  # dwell and loiter: sightings; reconnaissance: places
    places: dict[int, list[tuple[str, float]]]  # reconnaissance rows: (place, last sighting) each

    def __len__(self) -> int:
        return len(self.kinds)


def _pow2(n: int) -> int:
    return 1 << max(10, (max(n, 1) - 1).bit_length())


def _table(n: int, columns: int = 4) -> I8:
    return np.full((n, columns), k.EMPTY, np.int64)


def _plate_rows(n: int) -> I8:
    rows = np.zeros((n, 4), np.int64)
    rows[:, k.P_HEAD] = k.EMPTY
    rows[:, k.P_RECON] = _NAN_BITS
    rows[:, k.P_LATEST] = _NEG_INF_BITS
    return rows


def _grown(a: npt.NDArray[Any], n: int, fresh: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``fresh`` (n rows) with the first rows of ``a`` copied in."""
    m = min(len(a), n)
    fresh[:m] = a[:m]
    return fresh


def _rehashed(tab: I8, size: int) -> I8:
    fresh = _table(size, tab.shape[1])
    k.rehash(tab, fresh)
    return fresh


# The kernel's state arrays, in the order `kernel.run` takes them after its first six arguments.
_STATE = (
    "_iv",
    "_fv",
    "_zi",
    "_zf",
    "_c_start",
    "_c_zones",
    "_buf",
    "_tab",
    "_ptab",
    "_pls",
    "_pool",
    "_out",
    "_ev",
)


class _State:
    """One of the kernel's state arrays: an attribute kept in the monitor's list of them, so that a call
    passes them all at once (a single push is dominated by the cost of the call)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.index = _STATE.index(name)

    def __get__(self, obj: CompiledMonitor, owner: type | None = None) -> npt.NDArray[Any]:
        return obj._state[self.index]

    def __set__(self, obj: CompiledMonitor, value: npt.NDArray[Any]) -> None:
        obj._state[self.index] = value


class CompiledMonitor:
    """`CordonMonitor`'s behaviour with a compiled hot loop: `push`, `push_events`, `push_columns`."""

    _iv, _fv, _zi, _zf, _c_start, _c_zones = _State(), _State(), _State(), _State(), _State(), _State()
    _buf, _tab, _ptab, _pls, _pool, _out, _ev = (
        _State(),
        _State(),
        _State(),
        _State(),
        _State(),
        _State(),
        _State(),
    )

    def __init__(self, zones: ZoneIndex, config: Config | None = None) -> None:
        self._state: list[npt.NDArray[Any]] = [np.empty(0)] * len(_STATE)
        self.zones = zones
        self.config = cfg = config or Config()
        zl = zones.zones
        self._zone_ids: list[str] = [z.id for z in zl]  # then the ghosts a restored snapshot names
        self._zone_code: dict[str, int] = _ZoneLookup({z.id: i for i, z in enumerate(zl)})
        self._ghosts: dict[str, int] = {}
        self._places = _Codes((z.place for z in zl), limit=1 << k.CODE_BITS)
        self._sites = _Codes((z.site_id or "" for z in zl), limit=1 << k.CODE_BITS)
        self._plates = _Codes()
        place, site = self._places.code, self._sites.code
        self._zi = np.array(
            [[_RING.get(z.ring, k.INNER), place[z.place], site[z.site_id or ""]] for z in zl], np.int64
        ).reshape(-1, 3)
        self._zf = np.array(
            [[z.dwell_threshold_s, z.window[1].timestamp() if z.window else np.inf] for z in zl], np.float64
        ).reshape(-1, 2)
        self._combos: dict[tuple[int, ...], int] = {}
        self._c_start = np.zeros(1, np.int64)
        self._c_zones = np.zeros(0, np.int64)
        iv = self._iv = np.zeros(k.N_IV, np.int64)
        every = detectors._EXPIRE_EVERY  # read when built, as the reference reads it
        iv[k.NEXT_EXPIRE], iv[k.POOL_FREE], iv[k.EXPIRE_EVERY] = every, k.EMPTY, every
        iv[k.RECON_PLACES], iv[k.LOITER_N] = cfg.recon_places, cfg.loiter_sightings
        self._fv = np.zeros(k.N_FV, np.float64)
        self._fv[[k.MAX_SEEN, k.RELEASED_UPTO]] = -np.inf
        self._fv[[k.LATENESS, k.GAP, k.PRE, k.WINDOW]] = (
            cfg.lateness_s,
            cfg.presence_gap_s,
            cfg.pre_clear_s,
            cfg.recon_window_s,
        )
        self._buf = np.zeros((256, 4), np.int64)
        self._tab = _table(_MIN_ROWS)
        self._ptab = _table(_MIN_ROWS, 2)
        self._pls = _plate_rows(_MIN_ROWS)
        self._pool = np.zeros((_MIN_ROWS, 2), np.int64)
        self._out = np.zeros((64, 8), np.int64)
        self._ev = np.zeros((64, 2), np.int64)
        self._arrived = 0  # events pushed so far: the next one's arrival number
        self._events: dict[int, Event] = {}  # events pushed as values, while they may be buffered
        self._expiries = 0
        self._events_limit = 256  # prune the held events when there are more
        self._grew = False

    # --- counters, as on the reference -------------------------------------------------------------

    @property
    def late(self) -> int:
        """Events that arrived later than the lateness allows (dropped)."""
        return int(self._iv[k.LATE])

    @property
    def unknown_zone(self) -> int:
        """Sightings naming a zone that does not exist."""
        return int(self._iv[k.UNKNOWN])

    @property
    def processed(self) -> int:
        """Events released through the detectors."""
        return int(self._iv[k.PROCESSED])

    @property
    def released_upto(self) -> float:
        """The time of the last released event."""
        return float(self._fv[k.RELEASED_UPTO])

    def state_size(self) -> int:
        """How many keys the detectors hold, counted as the reference counts them."""
        iv = self._iv
        return int(iv[k.N_EP] + iv[k.N_IN] + iv[k.N_PLATES] + iv[k.N_LO] + iv[k.BUF_N])

    def memory_bytes(self) -> int:
        """The bytes of the state arrays (not the codes' strings nor buffered event values)."""
        arrays = (
            self._buf,
            self._tab,
            self._ptab,
            self._pls,
            self._pool,
            self._out,
            self._ev,
            self._zi,
            self._zf,
        )
        return sum(a.nbytes for a in arrays)

    def codes_held(self) -> int:
        """Plate and site codes in use or free for reuse (bounded on an endless stream)."""
        return len(self._plates.names) + len(self._sites.names)

    # --- input -------------------------------------------------------------------------------------

    def push(self, event: Event) -> list[CordonAlert]:
        """Accept one event; the alerts raised by the events this releases (as `CordonMonitor.push`)."""
        # The lean path of `_run` and `_housekeeping`: a single push is dominated by Python's costs.
        ts, plate, code = event.at.timestamp(), self._plates.code[event.plate], self._encode(event)
        base = self._arrived
        self._events[base] = event
        if plate >= len(self._pls):
            self._grow_plates()
        status, i = k.run_one(ts, plate, code, 0, base, *self._state)
        while status != k.DONE:
            self._grow()
            status, i = k.run_one(ts, plate, code, i, base, *self._state)
        self._arrived = base + 1
        alerts = self._collect_alerts()
        if self._iv[k.EXPIRIES] != self._expiries or self._grew or len(self._events) > self._events_limit:
            self._housekeeping()
        return alerts

    def flush(self) -> list[CordonAlert]:
        """Release everything still buffered (end of a file, or a shutdown)."""
        return self.push_events((), flush=True)

    def push_events(self, events: Sequence[Event], *, flush: bool = False) -> list[CordonAlert]:
        """Accept events in arrival order (then release all with ``flush``): the alerts in raised order,
        the same as pushing them one by one."""
        n = len(events)
        ts = np.fromiter((e.at.timestamp() for e in events), np.float64, count=n)
        plates = self._plates.encode([e.plate for e in events])
        codes = np.fromiter(map(self._encode, events), np.int64, count=n)
        self._events.update(zip(range(self._arrived, self._arrived + n), events, strict=True))
        self._run(ts, plates, codes, flush)
        alerts = self._collect_alerts()
        self._housekeeping()
        return alerts

    def push_columns(
        self,
        times: F8,
        plates: Column,
        where: Column,
        inspection: npt.NDArray[np.bool_] | None = None,
        cleared: npt.NDArray[np.bool_] | None = None,
        *,
        flush: bool = False,
    ) -> AlertTable:
        """A batch as columns in arrival order: seconds since the epoch, normalised plates, and zone ids
        (sightings) or site ids (rows marked in ``inspection``, cleared unless ``cleared`` says not).
        Plates and places are sequences of strings or dictionary-encoded (`Coded`).

        Columns carry no source or checkpoint: a snapshot taken while such rows are buffered writes them
        as camera sightings and inspections at checkpoint "unrecorded" (the detectors use neither)."""
        times = np.ascontiguousarray(times, np.float64)
        n = len(times)
        lengths = {len(plates.codes if isinstance(plates, Coded) else plates)}
        lengths.add(len(where.codes if isinstance(where, Coded) else where))
        if lengths != {n}:
            raise ValueError("columns must have the same length")
        if np.isnan(times).any():
            raise ValueError("times must be numbers")
        zone = _via(where, self._zone_code.__getitem__)
        codes = np.where(zone >= 0, (zone << 8) | k.IN_ZONE, k.UNKNOWN_ZONE)
        if inspection is not None:
            idx = np.flatnonzero(inspection)
            if len(idx):
                sites_of: Column = (
                    Coded(np.asarray(where.codes)[idx], where.values)
                    if isinstance(where, Coded)
                    else [where[i] for i in idx.tolist()]
                )
                sites = _via(sites_of, self._sites.code.__getitem__)
                ok = np.asarray(cleared, np.bool_)[idx] if cleared is not None else True
                codes[idx] = (sites << 8) | np.where(ok, k.CLEARED, k.NOT_CLEARED)
        self._run(times, _via(plates, self._plates.code.__getitem__), codes, flush)
        table = self._collect()
        self._housekeeping()
        return table

    def _encode(self, e: Event) -> int:
        """An event's ``code << 8 | action``."""
        if isinstance(e, Inspection):
            return (self._sites.code[e.site_id] << 8) | (
                k.CLEARED if e.result == "cleared" else k.NOT_CLEARED
            )
        if e.zone_id is not None:  # a zone id given by the input is a dict lookup
            z = self._zone_code[e.zone_id]
            return (z << 8) | k.IN_ZONE if z >= 0 else k.UNKNOWN_ZONE
        assert e.lat is not None and e.lon is not None
        hits = tuple(self._zone_code[z.id] for z in self.zones.at(e.lon, e.lat, e.at))
        if not hits:
            return k.NO_ZONE
        if len(hits) == 1:
            return (hits[0] << 8) | k.IN_ZONE
        combo = self._combos.get(hits)
        if combo is None:  # a new set of overlapping zones (a handful, fixed by the zones' geometry)
            combo = self._combos[hits] = len(self._combos)
            self._c_zones = np.concatenate([self._c_zones, np.array(hits, np.int64)])
            self._c_start = np.append(self._c_start, len(self._c_zones))
        return (combo << 8) | k.IN_ZONES

    # --- the kernel calls ----------------------------------------------------------------------------

    def _grow_plates(self) -> None:
        size = _pow2(len(self._plates.names))
        self._pls = _grown(self._pls, size, _plate_rows(size))

    def _run(self, ts: F8, plates: I8, codes: I8, flush: bool) -> None:
        if len(self._pls) < len(self._plates.names):
            self._grow_plates()
        base, i = self._arrived, 0
        while True:
            status, i = k.run(ts, plates, codes, i, base, flush, *self._state)
            if status == k.DONE:
                break
            self._grow()
        self._arrived = base + len(ts)

    def _grow(self) -> None:
        """Room for the event the kernel stopped at (it tells how many zones and places it needs)."""
        iv = self._iv
        need = max(1, int(iv[k.NEED_K]))
        if iv[k.BUF_N] >= len(self._buf):
            self._set_buffer(2 * len(self._buf))
        if 2 * (iv[k.N_TAB] + need) > len(self._tab):
            self._tab = _rehashed(self._tab, _pow2(3 * (int(iv[k.N_TAB]) + need)))
        if 2 * (iv[k.N_PTAB] + need) > len(self._ptab):
            self._ptab = _rehashed(self._ptab, _pow2(3 * (int(iv[k.N_PTAB]) + need)))
        pool = self._pool
        if iv[k.POOL_FREE_N] + len(pool) - iv[k.POOL_USED] < need:
            size = _pow2(2 * (len(pool) + need))
            self._pool = _grown(pool, size, np.zeros((size, 2), np.int64))
        if iv[k.A_N] + need + 1 > len(self._out):
            size = _pow2(2 * (len(self._out) + need))
            self._out = _grown(self._out, size, np.zeros((size, 8), np.int64))
        if iv[k.NEED_EV] > len(self._ev):
            size = _pow2(2 * int(iv[k.NEED_EV]))
            self._ev = _grown(self._ev, size, np.zeros((size, 2), np.int64))
        iv[k.NEED_K] = iv[k.NEED_EV] = 0
        self._grew = True

    def _buffer_rows(self) -> I8:
        """The buffered events' rows, in release order."""
        iv, buf = self._iv, self._buf
        rows: I8 = buf[(iv[k.BUF_HEAD] + np.arange(iv[k.BUF_N])) & (len(buf) - 1)]
        return rows

    def _set_buffer(self, size: int) -> None:
        rows = self._buffer_rows()
        self._buf = np.zeros((size, 4), np.int64)
        self._buf[: len(rows)] = rows
        self._iv[k.BUF_HEAD] = 0

    def _collect_alerts(self) -> list[CordonAlert]:
        """The alerts the last call raised, as values (read before any code is given away)."""
        iv = self._iv
        a_n = int(iv[k.A_N])
        if not a_n:
            return []
        rows = self._out[:a_n]
        cfg, by_id, events = self.config, self.zones.by_id, self._events
        names, zone_ids = self._plates.names, self._zone_ids
        alerts = []
        for (kind, eid, plate, zone, count, evidence), (ts, start) in zip(
            rows[:, : k.O_TIME].tolist(), rows.view(np.float64)[:, k.O_TIME :].tolist(), strict=True
        ):
            event = events.get(eid)
            at = event.at if event is not None else _dt(ts)
            name = names[plate] or ""
            if kind == k.DWELL:
                alerts.append(_dwell_alert(cfg, by_id[zone_ids[zone]], name, at, ts, start, count))
            elif kind == k.LOITER:
                alerts.append(_loiter_alert(by_id[zone_ids[zone]], name, at, count))
            else:
                alerts.append(_recon_alert(cfg, name, at, self._evidence(evidence, count)))
        iv[k.A_N] = iv[k.EV_N] = 0
        return alerts

    def _evidence(self, offset: int, count: int) -> list[tuple[str, float]]:
        """The places (and last sightings) a reconnaissance alert lists."""
        ev, place_names = self._ev[offset : offset + count], self._places.names
        return [
            (place_names[p] or "", t)
            for p, t in zip(ev[:, 0].tolist(), ev.view(np.float64)[:, 1].tolist(), strict=True)
        ]

    def _collect(self) -> AlertTable:
        """The alerts the last call raised, as columns (read before any code is given away)."""
        iv = self._iv
        a_n = int(iv[k.A_N])
        rows = self._out[:a_n]
        rows_f = rows.view(np.float64)
        names, zone_ids = self._plates.names, self._zone_ids
        kinds = rows[:, k.O_KIND].tolist()
        places = {
            a: self._evidence(int(rows[a, k.O_EVIDENCE]), int(rows[a, k.O_COUNT]))
            for a in np.flatnonzero(rows[:, k.O_KIND] == k.RECON).tolist()
        }
        table = AlertTable(
            [_KIND[x] for x in kinds],
            rows[:, k.O_EVENT].copy(),
            [names[p] or "" for p in rows[:, k.O_PLATE].tolist()],
            [zone_ids[z] if z >= 0 else None for z in rows[:, k.O_ZONE].tolist()],
            rows_f[:, k.O_TIME].copy(),
            rows_f[:, k.O_START].copy(),
            rows[:, k.O_COUNT].copy(),
            places,
        )
        iv[k.A_N] = iv[k.EV_N] = 0
        return table

    def _housekeeping(self) -> None:
        """After a call: give away codes the expired state let go, shrink what grew, drop released events."""
        iv = self._iv
        if iv[k.EXPIRIES] != self._expiries:
            self._expiries = int(iv[k.EXPIRIES])
            plates, sites = k.live_codes(
                len(self._plates.names), len(self._sites.names), iv, self._tab, self._pls, self._buf
            )
            self._plates.release(plates)
            self._sites.release(sites)
            if len(self._tab) > 16 * max(int(iv[k.N_TAB]), _MIN_ROWS // 4):
                self._tab = _rehashed(self._tab, _pow2(4 * int(iv[k.N_TAB])))
            if len(self._ptab) > 16 * max(int(iv[k.N_PTAB]), _MIN_ROWS // 4):
                self._ptab = _rehashed(self._ptab, _pow2(4 * int(iv[k.N_PTAB])))
            if len(self._buf) > 8 * max(int(iv[k.BUF_N]), _MIN_ROWS // 4):
                self._set_buffer(_pow2(2 * int(iv[k.BUF_N])))
        if self._grew:
            self._grew = False
            if len(self._out) > 4 * _MIN_ROWS:
                self._out = np.zeros((64, 8), np.int64)
            if len(self._ev) > 4 * _MIN_ROWS:
                self._ev = np.zeros((64, 2), np.int64)
        if len(self._events) > self._events_limit:  # amortised: the limit is twice what was kept
            held = set((self._buffer_rows()[:, 1] & k.ORDER_MASK).tolist())
            self._events = {e: v for e, v in self._events.items() if e in held}
            self._events_limit = 2 * len(self._events) + 256

    # --- alerts as values ------------------------------------------------------------------------------

    def alerts(self, table: AlertTable) -> list[CordonAlert]:
        """A table's alerts as `CordonAlert` values with their evidence (times in UTC for columns)."""
        return self._alerts(table)

    def _alerts(self, table: AlertTable) -> list[CordonAlert]:
        cfg, by_id = self.config, self.zones.by_id
        alerts = []
        events = self._events
        for a, kind in enumerate(table.kinds):
            ts = float(table.times[a])
            event = events.get(int(table.events[a]))
            at = event.at if event is not None else _dt(ts)
            plate, zone_id = table.plates[a], table.zone_ids[a]
            if kind == "dwell":
                assert zone_id is not None
                start = float(table.starts[a])
                alerts.append(_dwell_alert(cfg, by_id[zone_id], plate, at, ts, start, int(table.counts[a])))
            elif kind == "loiter":
                assert zone_id is not None
                alerts.append(_loiter_alert(by_id[zone_id], plate, at, int(table.counts[a])))
            else:
                alerts.append(_recon_alert(cfg, plate, at, table.places[a]))
        return alerts

    # --- restarts ------------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The whole state in the reference's snapshot format (version 1)."""
        iv, fv = self._iv, self._fv
        plates, sites, places, zone_ids = (
            self._plates.names,
            self._sites.names,
            self._places.names,
            self._zone_ids,
        )
        tab = self._tab[self._tab[:, 0] != k.EMPTY]
        tab_f = tab.view(np.float64)
        key = tab[:, 0]
        kind, plate, code = key & 3, key >> k.PLATE_SHIFT, (key >> 2) & k.CODE_MASK
        pick = kind == k.EPISODE
        episodes = [
            [plates[p], zone_ids[z], a, b, bool(c & 1), c >> 1]
            for p, z, a, b, c in zip(
                plate[pick].tolist(),
                code[pick].tolist(),
                tab_f[pick, 1].tolist(),
                tab_f[pick, 2].tolist(),
                tab[pick, 3].tolist(),
                strict=True,
            )
        ]
        pick = kind == k.INSPECTED
        inspections = [
            [plates[p], sites[s], [t] if t != -math.inf else []]
            for p, s, t in zip(
                plate[pick].tolist(), code[pick].tolist(), tab_f[pick, 1].tolist(), strict=True
            )
        ]
        pick = kind == k.LOITERING
        loiter = [
            [plates[p], zone_ids[z], c]
            for p, z, c in zip(plate[pick].tolist(), code[pick].tolist(), tab[pick, 1].tolist(), strict=True)
        ]
        ptab = self._ptab[self._ptab[:, 0] != k.EMPTY]
        at: dict[str, dict[str, float]] = {}
        for p, x, t in zip(
            (ptab[:, 0] >> k.PLATE_SHIFT).tolist(),
            ((ptab[:, 0] >> 2) & k.CODE_MASK).tolist(),
            ptab.view(np.float64)[:, 1].tolist(),
            strict=True,
        ):
            at.setdefault(plates[p] or "", {})[places[x] or ""] = t
        recon = self._pls.view(np.float64)[:, k.P_RECON]
        alerted = np.flatnonzero(~np.isnan(recon))
        return {
            "version": 1,
            "max_seen": float(fv[k.MAX_SEEN]) if fv[k.MAX_SEEN] != -np.inf else None,
            "released_upto": float(fv[k.RELEASED_UPTO]) if fv[k.RELEASED_UPTO] != -np.inf else None,
            "counters": {"late": self.late, "unknown_zone": self.unknown_zone, "processed": self.processed},
            "next_expire": int(iv[k.NEXT_EXPIRE]),
            "buffer": [event_to_json(e) for e in self._buffered()],
            "episodes": episodes,
            "inspections": inspections,
            "places": [[p, dict(sorted(v.items()))] for p, v in at.items()],
            "recon_alerted": dict(
                zip([plates[p] for p in alerted.tolist()], recon[alerted].tolist(), strict=True)
            ),
            "loiter": loiter,
        }

    def _buffered(self) -> list[Event]:
        """The buffered events in release order (pushed as columns: rebuilt from their codes)."""
        events: list[Event] = []
        rows = self._buffer_rows()
        for (order, plate, code_act), ts in zip(
            rows[:, 1:].tolist(), rows.view(np.float64)[:, 0].tolist(), strict=True
        ):
            event = self._events.get(order & k.ORDER_MASK)
            if event is None:
                name, at = self._plates.names[plate] or "", _dt(ts)
                act, code = code_act & 255, code_act >> 8
                if act in (k.CLEARED, k.NOT_CLEARED):
                    result = "cleared" if act == k.CLEARED else "refused"
                    event = Inspection(name, at, "unrecorded", self._sites.names[code] or "", result)
                else:
                    zone_id = self._zone_ids[code] if act == k.IN_ZONE else "?unknown-zone"
                    event = Sighting(name, at, "camera", zone_id)
            events.append(event)
        return events

    @classmethod
    def restore(cls, zones: ZoneIndex, data: dict[str, Any], config: Config | None = None) -> CompiledMonitor:
        """A monitor that continues exactly where a snapshot (of either monitor) left off."""
        if data.get("version") != 1:
            raise ValueError("unknown cordon snapshot version")
        m = cls(zones, config)
        iv, fv = m._iv, m._fv
        fv[k.MAX_SEEN] = data["max_seen"] if data["max_seen"] is not None else -np.inf
        fv[k.RELEASED_UPTO] = data["released_upto"] if data["released_upto"] is not None else -np.inf
        counters = data["counters"]
        iv[k.LATE], iv[k.UNKNOWN], iv[k.PROCESSED] = (
            counters[x] for x in ("late", "unknown_zone", "processed")
        )
        iv[k.NEXT_EXPIRE] = int(data.get("next_expire", m.processed + iv[k.EXPIRE_EVERY]))
        plate, site, place = m._plates.code, m._sites.code, m._places.code
        # The detectors' entries: rows [key, a, b, c] (floats through a view).
        keys: list[int] = []
        floats: list[tuple[float, float]] = []
        ints: list[int] = []
        for p, z, start, last, alerted, count in data["episodes"]:
            keys.append(k.table_key(plate[p], m._zone_or_ghost(z), k.EPISODE))
            floats.append((start, last))
            ints.append((int(count) << 1) | bool(alerted))
        for p, s, times in data["inspections"]:  # only the latest cleared inspection matters
            keys.append(k.table_key(plate[p], site[s], k.INSPECTED))
            floats.append((max(times) if times else -math.inf, 0.0))
            ints.append(0)
        n_lo = len(data["loiter"])
        for p, z, _ in data["loiter"]:
            keys.append(k.table_key(plate[p], m._zone_or_ghost(z), k.LOITERING))
            floats.append((0.0, 0.0))
            ints.append(0)
        rows = np.zeros((len(keys), 4), np.int64)
        rows[:, 0] = keys
        rows.view(np.float64)[:, 1:3] = np.array(floats, np.float64).reshape(-1, 2)
        rows[:, 3] = ints
        if n_lo:
            rows[len(keys) - n_lo :, 1] = [c for *_, c in data["loiter"]]
        m._tab = _table(_pow2(4 * len(rows)))
        k.put_rows(m._tab, rows)
        iv[k.N_EP], iv[k.N_IN], iv[k.N_LO] = len(data["episodes"]), len(data["inspections"]), n_lo
        iv[k.N_TAB] = len(rows)
        # The places of each plate: pool nodes chained per plate; a place entry holds its node and time.
        nodes = [(plate[p], place[x], t) for p, v in data["places"] for x, t in v.items()]
        m._pool = np.zeros((_pow2(len(nodes) + 1), 2), np.int64)
        m._pls = _plate_rows(_pow2(len(m._plates.names) + len(data["recon_alerted"]) + 1))
        pool, pls, pls_f = m._pool, m._pls, m._pls.view(np.float64)
        place_rows = np.zeros((len(nodes), 2), np.int64)
        for node, (p, x, t) in enumerate(nodes):
            pool[node, k.N_PLACE], pool[node, k.N_NEXT] = x, pls[p, k.P_HEAD]
            if pls[p, k.P_HEAD] == k.EMPTY:
                iv[k.N_PLATES] += 1
            pls[p, k.P_HEAD] = node
            pls[p, k.P_COUNT] += 1
            pls_f[p, k.P_LATEST] = max(pls_f[p, k.P_LATEST], t)
            place_rows[node, 0] = k.table_key(p, x, k.PLACE)
            place_rows.view(np.float64)[node, 1] = t
        iv[k.POOL_USED], iv[k.N_PTAB] = len(nodes), len(nodes)
        m._ptab = _table(_pow2(4 * len(nodes)), 2)
        k.put_rows(m._ptab, place_rows)
        for p, t in data["recon_alerted"].items():
            code = plate[p]
            if code >= len(m._pls):
                m._pls = _grown(m._pls, _pow2(code + 1), _plate_rows(_pow2(code + 1)))
            m._pls.view(np.float64)[code, k.P_RECON] = t
        # The buffer goes straight into the reorder buffer, as in the reference: no lateness check.
        for raw in data["buffer"]:
            event = event_from_mapping(raw)
            code = m._encode(event)
            if iv[k.BUF_N] >= len(m._buf):
                m._set_buffer(2 * len(m._buf))
            order = ((0 if code & 255 <= k.NOT_CLEARED else 1) << 62) | m._arrived
            k.buffer_push(m._buf, iv, event.at.timestamp(), order, plate[event.plate], code)
            m._events[m._arrived] = event
            m._arrived += 1
        return m

    def _zone_or_ghost(self, zone_id: str) -> int:
        """A zone's code; a zone a snapshot names that no longer exists gets a ghost code no sighting hits."""
        z = self._zone_code[zone_id]
        if z >= 0:
            return z
        ghost = self._ghosts.get(zone_id)
        if ghost is None:
            ghost = self._ghosts[zone_id] = len(self._zone_ids)
            self._zone_ids.append(zone_id)
            self._zi = np.vstack([self._zi, np.array([[k.GHOST, 0, 0]], np.int64)])
            self._zf = np.vstack([self._zf, np.array([[np.inf, -np.inf]])])
        return ghost


def _dwell_alert(
    cfg: Config, zone: Zone, plate: str, at: datetime, ts: float, start: float, count: int
) -> CordonAlert:
    due = [t for t in zone.movements_due if at <= t <= at + timedelta(seconds=cfg.due_window_s)]
    minutes = int((ts - start) // 60)
    return CordonAlert(
        "dwell",
        plate,
        at,
        "critical" if due else "high",
        zone.id,
        zone.place,
        f"{plate} has been inside the outer cordon for {minutes} min without inspection"
        + ("; a protected movement is due" if due else ""),  # its time stays out of the title
        {
            "first_seen": _dt(start).isoformat(),
            "last_seen": at.isoformat(),
            "sightings": count,
            "missing_inspection": {
                "site_id": zone.site_id,
                "checkpoints": sorted(zone.checkpoints),
                "since": _dt(start - cfg.pre_clear_s).isoformat(),
            },
            "movement_due": min(due).isoformat() if due else None,
        },
    )


def _loiter_alert(zone: Zone, plate: str, at: datetime, count: int) -> CordonAlert:
    return CordonAlert(
        "loiter",
        plate,
        at,
        "high",
        zone.id,
        zone.place,
        f"{plate} seen {count} times along a planned route before the movement",
        {"sightings": count, "window": [w.isoformat() for w in zone.window] if zone.window else None},
    )


def _recon_alert(cfg: Config, plate: str, at: datetime, places: list[tuple[str, float]]) -> CordonAlert:
    seen = sorted(places)
    return CordonAlert(
        "reconnaissance",
        plate,
        at,
        "high",
        None,
        None,
        f"{plate} seen near {len(seen)} protected places within {cfg.recon_window_s // 3600} h",
        {"places": [{"place": p, "first_seen": _dt(t).isoformat()} for p, t in seen]},
    )
