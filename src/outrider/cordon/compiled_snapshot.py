"""Snapshots of the compiled cordon monitor, in the reference's format, and restarts from them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from outrider.cordon import kernel_layout as k
from outrider.cordon.detectors import SNAPSHOT_VERSION
from outrider.cordon.events import Event, Inspection, Sighting, event_from_mapping, event_to_json
from outrider.cordon.rules import utc

if TYPE_CHECKING:
    from outrider.cordon.compiled import CompiledMonitor


def snapshot(m: CompiledMonitor) -> dict[str, Any]:
    """The whole state in the reference's snapshot format (`detectors.SNAPSHOT_VERSION`)."""
    iv, fv = m._iv, m._fv
    plates, sites, places, zone_ids = (
        m._plates.names,
        m._sites.names,
        m._places.names,
        m._zone_ids,
    )
    tab = m._tab[m._tab[:, 0] != k.EMPTY]
    tab_f = tab.view(np.float64)
    key = tab[:, 0]
    kind, plate, code = key & 3, key >> k.PLATE_SHIFT, (key >> 2) & k.CODE_MASK
    pick = kind == k.EPISODE
    episodes = [  # [plate, zone, start, last, phase, sightings, severity rank, last alert or update]
        [plates[p], zone_ids[z], a, b, c & 3, c >> k.COUNT_SHIFT, (c >> 2) & 3, d]
        for p, z, a, b, c, d in zip(
            plate[pick].tolist(),
            code[pick].tolist(),
            tab_f[pick, 1].tolist(),
            tab_f[pick, 2].tolist(),
            tab[pick, 3].tolist(),
            tab_f[pick, 4].tolist(),
            strict=True,
        )
    ]
    pick = kind == k.INSPECTED
    inspections = [
        [plates[p], sites[s], [t] if t != -math.inf else []]
        for p, s, t in zip(plate[pick].tolist(), code[pick].tolist(), tab_f[pick, 1].tolist(), strict=True)
    ]
    pick = kind == k.LOITERING
    loiter = [
        [plates[p], zone_ids[z], c]
        for p, z, c in zip(plate[pick].tolist(), code[pick].tolist(), tab[pick, 1].tolist(), strict=True)
    ]
    ptab = m._ptab[m._ptab[:, 0] != k.EMPTY]
    at: dict[str, dict[str, float]] = {}
    for p, x, t in zip(
        (ptab[:, 0] >> k.PLATE_SHIFT).tolist(),
        ((ptab[:, 0] >> 2) & k.CODE_MASK).tolist(),
        ptab.view(np.float64)[:, 1].tolist(),
        strict=True,
    ):
        at.setdefault(plates[p] or "", {})[places[x] or ""] = t
    recon = m._pls.view(np.float64)[:, k.P_RECON]
    alerted = np.flatnonzero(~np.isnan(recon))
    return {
        "version": SNAPSHOT_VERSION,
        "max_seen": float(fv[k.MAX_SEEN]) if fv[k.MAX_SEEN] != -np.inf else None,
        "released_upto": float(fv[k.RELEASED_UPTO]) if fv[k.RELEASED_UPTO] != -np.inf else None,
        "counters": {"late": m.late, "unknown_zone": m.unknown_zone, "processed": m.processed},
        "next_expire": int(iv[k.NEXT_EXPIRE]),
        "buffer": [event_to_json(e) for e in buffered(m)],
        "episodes": episodes,
        "inspections": inspections,
        "places": [[p, dict(sorted(v.items()))] for p, v in at.items()],
        "recon_alerted": dict(
            zip([plates[p] for p in alerted.tolist()], recon[alerted].tolist(), strict=True)
        ),
        "loiter": loiter,
    }


def buffered(m: CompiledMonitor) -> list[Event]:
    """The buffered events in release order (pushed as columns: rebuilt from their codes)."""
    events: list[Event] = []
    rows = m._buffer_rows()
    for (order, plate, code_act), ts in zip(
        rows[:, 1:].tolist(), rows.view(np.float64)[:, 0].tolist(), strict=True
    ):
        event = m._events.get(order & k.ORDER_MASK)
        if event is None:
            name, at = m._plates.names[plate] or "", utc(ts)
            act, code = code_act & 255, code_act >> 8
            if act in (k.CLEARED, k.NOT_CLEARED):
                result = "cleared" if act == k.CLEARED else "refused"
                event = Inspection(name, at, "unrecorded", m._sites.names[code] or "", result)
            else:
                zone_id = m._zone_ids[code] if act == k.IN_ZONE else "?unknown-zone"
                event = Sighting(name, at, "camera", zone_id)
        events.append(event)
    return events


def restore(m: CompiledMonitor, data: dict[str, Any]) -> CompiledMonitor:
    """A new monitor ``m`` given a snapshot's state (of either monitor, `detectors.upgrade`d), to continue
    where it left off."""
    iv, fv = m._iv, m._fv
    fv[k.MAX_SEEN] = data["max_seen"] if data["max_seen"] is not None else -np.inf
    fv[k.RELEASED_UPTO] = data["released_upto"] if data["released_upto"] is not None else -np.inf
    counters = data["counters"]
    iv[k.LATE], iv[k.UNKNOWN], iv[k.PROCESSED] = (counters[x] for x in ("late", "unknown_zone", "processed"))
    iv[k.NEXT_EXPIRE] = int(data.get("next_expire", m.processed + iv[k.EXPIRE_EVERY]))
    plate, site, place = m._plates.code, m._sites.code, m._places.code
    # The detectors' entries: rows [key, a, b, c] (floats through a view).
    keys: list[int] = []
    floats: list[tuple[float, float]] = []
    ints: list[int] = []
    emitted: list[float] = []
    for p, z, start, last, phase, count, rank, at in data["episodes"]:
        keys.append(k.table_key(plate[p], zone_or_ghost(m, z), k.EPISODE))
        floats.append((start, last))
        ints.append((int(count) << k.COUNT_SHIFT) | (int(rank) << 2) | int(phase))
        emitted.append(float(at))
    for p, s, times in data["inspections"]:  # only the latest cleared inspection matters
        keys.append(k.table_key(plate[p], site[s], k.INSPECTED))
        floats.append((max(times) if times else -math.inf, 0.0))
        ints.append(0)
        emitted.append(0.0)
    n_lo = len(data["loiter"])
    for p, z, _ in data["loiter"]:
        keys.append(k.table_key(plate[p], zone_or_ghost(m, z), k.LOITERING))
        floats.append((0.0, 0.0))
        ints.append(0)
        emitted.append(0.0)
    rows = np.zeros((len(keys), k.TAB_COLUMNS), np.int64)
    rows[:, 0] = keys
    rows.view(np.float64)[:, 1:3] = np.array(floats, np.float64).reshape(-1, 2)
    rows[:, 3] = ints
    rows.view(np.float64)[:, 4] = emitted
    if n_lo:
        rows[len(keys) - n_lo :, 1] = [c for *_, c in data["loiter"]]
    m._tab = k.table(k.pow2(4 * len(rows)))
    k.put_rows(m._tab, rows)
    iv[k.N_EP], iv[k.N_IN], iv[k.N_LO] = len(data["episodes"]), len(data["inspections"]), n_lo
    iv[k.N_TAB] = len(rows)
    # The places of each plate: pool nodes chained per plate; a place entry holds its node and time.
    nodes = [(plate[p], place[x], t) for p, v in data["places"] for x, t in v.items()]
    m._pool = np.zeros((k.pow2(len(nodes) + 1), 2), np.int64)
    m._pls = k.plate_rows(k.pow2(len(m._plates.names) + len(data["recon_alerted"]) + 1))
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
    m._ptab = k.table(k.pow2(4 * len(nodes)), 2)
    k.put_rows(m._ptab, place_rows)
    for p, t in data["recon_alerted"].items():
        code = plate[p]
        if code >= len(m._pls):
            m._pls = k.grown(m._pls, k.pow2(code + 1), k.plate_rows(k.pow2(code + 1)))
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


def zone_or_ghost(m: CompiledMonitor, zone_id: str) -> int:
    """A zone's code; a zone a snapshot names that no longer exists gets a ghost code no sighting hits."""
    z = m._zone_code[zone_id]
    if z >= 0:
        return z
    ghost = m._ghosts.get(zone_id)
    if ghost is None:
        ghost = m._ghosts[zone_id] = len(m._zone_ids)
        m._zone_ids.append(zone_id)
        m._zi = np.vstack([m._zi, np.array([[k.GHOST, 0, 0]], np.int64)])
        m._zf = np.vstack([m._zf, np.array([[np.inf, -np.inf]])])
    return ghost
