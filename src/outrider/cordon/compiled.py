"""The cordon detectors' compiled path: exactly the alerts of `detectors.CordonMonitor`, much faster.

`CompiledMonitor` has the reference's interface (`push`, `flush`, `snapshot`, `restore`, the counters)
plus `push_events` and `push_columns` for batches. It gives plates, zones, sites and places integer codes
(a dict lookup per value), keeps the detectors' state in numpy arrays and runs `kernel.run` over each
batch in arrival order: every event is released when the watermark passes it, exactly as the reference
releases it, and the alerts it raises name it (its arrival number, its time). A batch is whatever has
arrived, one event or many: batching only saves the cost of a call, it never delays an alert past the
call that pushed its event. The state expires when the reference's does; codes the expired state no
longer refers to are given to new values and the tables shrink, so memory stays bounded on an endless
stream. Snapshots have the reference's format (`detectors.SNAPSHOT_VERSION`): either monitor resumes
from the other's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from outrider.cordon import alerting, compiled_snapshot, detectors, kernel
from outrider.cordon import kernel_layout as k
from outrider.cordon.alerting import AlertTable
from outrider.cordon.codes import Coded, Codes, Column, ZoneLookup, via
from outrider.cordon.compiled_zones import zone_arrays
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event, Inspection
from outrider.cordon.zones import ZoneIndex

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
_MIN_ROWS = 1024


# The kernel's state arrays, in the order `kernel.run` takes them after its first six arguments.
_STATE = (
    "_iv",
    "_fv",
    "_zi",
    "_zf",
    "_c_start",
    "_c_zones",
    "_zd_start",
    "_zd",
    "_lk_start",
    "_lk",
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
    _zd_start, _zd, _lk_start, _lk = _State(), _State(), _State(), _State()
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
        self._zone_code: dict[str, int] = ZoneLookup({z.id: i for i, z in enumerate(zl)})
        self._ghosts: dict[str, int] = {}
        self._places = Codes((z.place for z in zl), limit=1 << k.CODE_BITS)
        self._sites = Codes((z.site_id or "" for z in zl), limit=1 << k.CODE_BITS)
        self._plates = Codes()
        za = zone_arrays(zones, cfg, self._places, self._sites)
        self._zi, self._zf = za.zi, za.zf
        self._zd_start, self._zd, self._lk_start, self._lk = za.zd_start, za.zd, za.lk_start, za.lk
        self._combos: dict[tuple[int, ...], int] = {}
        self._c_start = np.zeros(1, np.int64)
        self._c_zones = np.zeros(0, np.int64)
        iv = self._iv = np.zeros(k.N_IV, np.int64)
        every = detectors._EXPIRE_EVERY  # read when built, as the reference reads it
        iv[k.NEXT_EXPIRE], iv[k.POOL_FREE], iv[k.EXPIRE_EVERY] = every, k.EMPTY, every
        iv[k.RECON_PLACES], iv[k.LOITER_N], iv[k.BASE_RANK] = (
            cfg.recon_places,
            cfg.loiter_sightings,
            cfg.base_rank,
        )
        self._fv = np.zeros(k.N_FV, np.float64)
        self._fv[[k.MAX_SEEN, k.RELEASED_UPTO]] = -np.inf
        self._fv[[k.LATENESS, k.GAP, k.PRE, k.WINDOW, k.UPDATE, k.DUE, k.DUE_HIGH]] = (
            cfg.lateness_s,
            cfg.presence_gap_s,
            cfg.pre_clear_s,
            cfg.recon_window_s,
            cfg.dwell_update_s,
            cfg.due_window_s,
            cfg.due_high_s,
        )
        self._buf = np.zeros((256, 4), np.int64)
        self._tab = k.table(_MIN_ROWS)
        self._ptab = k.table(_MIN_ROWS, 2)
        self._pls = k.plate_rows(_MIN_ROWS)
        self._pool = np.zeros((_MIN_ROWS, 2), np.int64)
        self._out = np.zeros((64, k.N_OUT), np.int64)
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
        status, i = kernel.run_one(ts, plate, code, 0, base, *self._state)
        while status != k.DONE:
            self._grow()
            status, i = kernel.run_one(ts, plate, code, i, base, *self._state)
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
        zone = via(where, self._zone_code.__getitem__)
        codes = np.where(zone >= 0, (zone << 8) | k.IN_ZONE, k.UNKNOWN_ZONE)
        if inspection is not None:
            idx = np.flatnonzero(inspection)
            if len(idx):
                sites_of: Column = (
                    Coded(np.asarray(where.codes)[idx], where.values)
                    if isinstance(where, Coded)
                    else [where[i] for i in idx.tolist()]
                )
                sites = via(sites_of, self._sites.code.__getitem__)
                ok = np.asarray(cleared, np.bool_)[idx] if cleared is not None else True
                codes[idx] = (sites << 8) | np.where(ok, k.CLEARED, k.NOT_CLEARED)
        self._run(times, via(plates, self._plates.code.__getitem__), codes, flush)
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
        size = k.pow2(len(self._plates.names))
        self._pls = k.grown(self._pls, size, k.plate_rows(size))

    def _run(self, ts: F8, plates: I8, codes: I8, flush: bool) -> None:
        if len(self._pls) < len(self._plates.names):
            self._grow_plates()
        base, i = self._arrived, 0
        while True:
            status, i = kernel.run(ts, plates, codes, i, base, flush, *self._state)
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
            self._tab = k.rehashed(self._tab, k.pow2(3 * (int(iv[k.N_TAB]) + need)))
        if 2 * (iv[k.N_PTAB] + need) > len(self._ptab):
            self._ptab = k.rehashed(self._ptab, k.pow2(3 * (int(iv[k.N_PTAB]) + need)))
        pool = self._pool
        if iv[k.POOL_FREE_N] + len(pool) - iv[k.POOL_USED] < need:
            size = k.pow2(2 * (len(pool) + need))
            self._pool = k.grown(pool, size, np.zeros((size, 2), np.int64))
        if iv[k.A_N] + need + 1 > len(self._out):
            size = k.pow2(2 * (len(self._out) + need))
            self._out = k.grown(self._out, size, np.zeros((size, k.N_OUT), np.int64))
        if iv[k.NEED_EV] > len(self._ev):
            size = k.pow2(2 * int(iv[k.NEED_EV]))
            self._ev = k.grown(self._ev, size, np.zeros((size, 2), np.int64))
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

    def _names(self) -> alerting.Names:
        return self._plates.names, self._zone_ids, self._places.names

    def _taken(self) -> I8:
        """The output rows of the last call (read before any code is given away); the kernel starts anew."""
        iv = self._iv
        rows: I8 = self._out[: int(iv[k.A_N])]
        iv[k.A_N] = iv[k.EV_N] = 0
        return rows

    def _collect_alerts(self) -> list[CordonAlert]:
        """The alerts the last call raised, as values."""
        rows = self._taken()
        if not len(rows):
            return []
        return alerting.values_of(self.config, self.zones, self._events, rows, self._ev, self._names())

    def _collect(self) -> AlertTable:
        """The alerts the last call raised, as columns."""
        return alerting.table_of(self._taken(), self._ev, self._names())

    def _housekeeping(self) -> None:
        """After a call: give away codes the expired state let go, shrink what grew, drop released events."""
        iv = self._iv
        if iv[k.EXPIRIES] != self._expiries:
            self._expiries = int(iv[k.EXPIRIES])
            plates, sites = kernel.live_codes(
                len(self._plates.names), len(self._sites.names), iv, self._tab, self._pls, self._buf
            )
            self._plates.release(plates)
            self._sites.release(sites)
            if len(self._tab) > 16 * max(int(iv[k.N_TAB]), _MIN_ROWS // 4):
                self._tab = k.rehashed(self._tab, k.pow2(4 * int(iv[k.N_TAB])))
            if len(self._ptab) > 16 * max(int(iv[k.N_PTAB]), _MIN_ROWS // 4):
                self._ptab = k.rehashed(self._ptab, k.pow2(4 * int(iv[k.N_PTAB])))
            if len(self._buf) > 8 * max(int(iv[k.BUF_N]), _MIN_ROWS // 4):
                self._set_buffer(k.pow2(2 * int(iv[k.BUF_N])))
        if self._grew:
            self._grew = False
            if len(self._out) > 4 * _MIN_ROWS:
                self._out = np.zeros((64, k.N_OUT), np.int64)
            if len(self._ev) > 4 * _MIN_ROWS:
                self._ev = np.zeros((64, 2), np.int64)
        if len(self._events) > self._events_limit:  # amortised: the limit is twice what was kept
            held = set((self._buffer_rows()[:, 1] & k.ORDER_MASK).tolist())
            self._events = {e: v for e, v in self._events.items() if e in held}
            self._events_limit = 2 * len(self._events) + 256

    # --- alerts as values ------------------------------------------------------------------------------

    def alerts(self, table: AlertTable) -> list[CordonAlert]:
        """A table's alerts as `CordonAlert` values with their evidence (times in UTC for columns)."""
        return alerting.alerts_of(self.config, self.zones, self._events, table)

    def snapshot(self) -> dict[str, Any]:
        """The whole state in the reference's snapshot format."""
        return compiled_snapshot.snapshot(self)

    @classmethod
    def restore(cls, zones: ZoneIndex, data: dict[str, Any], config: Config | None = None) -> CompiledMonitor:
        """A monitor that continues exactly where a snapshot (of either monitor) left off."""
        m = cls(zones, config)
        return compiled_snapshot.restore(
            m, detectors.upgrade(data, zones.same_places(m.config.recon_same_place_m))
        )
