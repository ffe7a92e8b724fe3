"""The compiled hot loop of the cordon detectors: the rules of `detectors.CordonMonitor` over integer codes.

`compiled.CompiledMonitor` owns the state and the codes of plates, zones, sites and places; this module
only walks it. `run` takes a batch of events in arrival order and does, for each, what
`CordonMonitor.push` does: the lateness check, the reorder buffer, and the release of every buffered event
the watermark passes, each through the dwell, loiter and reconnaissance rules (`kernel_rules`), writing
the alerts it raises (tied to its arrival number) to an output table. Nothing here allocates per event.
The state's arrays and their layout are described in `kernel_layout`.

A call stops with NEED_ROOM (before touching anything for the event at hand) when a structure could
overflow; the caller grows it and calls again from the returned position.

Numba note: helpers are ordinary compiled functions, each taking the float views it needs; numba's
``inline="always"`` made this loop several times slower, and so do views taken inside a helper.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from outrider.cordon.kernel_layout import (
    A_N,
    B1,
    BUF_HEAD,
    BUF_N,
    CLEARED,
    CODE_MASK,
    CORRIDOR,
    DONE,
    EMPTY,
    EPISODE,
    EV_N,
    EXPIRE_EVERY,
    F8,
    GAP,
    I8,
    IN_ZONE,
    IN_ZONES,
    INSPECTED,
    LATE,
    LATENESS,
    MAX_SEEN,
    N_EP,
    N_IN,
    N_LO,
    N_PLATES,
    N_PTAB,
    N_TAB,
    NEED_EV,
    NEED_K,
    NEED_ROOM,
    NEXT_EXPIRE,
    NOT_CLEARED,
    ORDER_MASK,
    OUTER,
    P_COUNT,
    P_HEAD,
    P_LATEST,
    P_RECON,
    PLACE,
    PLATE_SHIFT,
    POOL_FREE_N,
    POOL_USED,
    PROCESSED,
    RECON_PLACES,
    RELEASED_UPTO,
    UNKNOWN,
    UNKNOWN_ZONE,
    Z_PLACE,
    Z_RING,
    Z_THRESHOLD,
    _buffer_push,
    _home,
    slot,
    table_key,
)
from outrider.cordon.kernel_rules import (
    _dwell_due,
    _loiter,
    _new_place,
    _recon,
    expire,
)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def run(
    r_ts: F8,
    r_plate: I8,
    r_code: I8,
    start: int,
    base: int,
    flush: bool,
    iv: I8,
    fv: F8,
    zi: I8,
    zf: F8,
    c_start: I8,
    c_zones: I8,
    buf: I8,
    tab: I8,
    ptab: I8,
    pls: I8,
    pool: I8,
    out: I8,
    ev: I8,
) -> tuple[int, int]:
    """Push events ``start:`` (arrival numbers ``base + i``) in order, releasing as the watermark passes.

    ``r_code`` is ``code << 8 | action``: a site (inspections), a zone (IN_ZONE), a set of zones
    (IN_ZONES: ``c_zones[c_start[c]:c_start[c + 1]]``). Returns (DONE, n) or (NEED_ROOM, next event).
    The common steps are written out here: a call with arrays costs numba more than the step itself.
    """
    buff, tabf, ptabf = buf.view(np.float64), tab.view(np.float64), ptab.view(np.float64)
    plsf, outf = pls.view(np.float64), out.view(np.float64)
    mask, tab_mask, ptab_mask = len(buf) - 1, len(tab) - 1, len(ptab) - 1
    gap = fv[GAP]
    n = len(r_ts)
    i = start
    lateness = fv[LATENESS]
    watermark = fv[MAX_SEEN] - lateness
    flushing = False
    while True:
        # Release every buffered event up to the watermark, in time order.
        while iv[BUF_N] > 0 and buff[iv[BUF_HEAD], 0] <= watermark:
            top = iv[BUF_HEAD]
            plate, code_act = buf[top, 2], buf[top, 3]
            act, code = code_act & 255, code_act >> 8
            k = c_start[code + 1] - c_start[code] if act == IN_ZONES else 1
            places = pls[plate, P_COUNT] + k
            # Each zone adds at most an entry, a place and an alert, and the evidence lists the places.
            if (
                2 * (iv[N_TAB] + k) > len(tab)
                or 2 * (iv[N_PTAB] + k) > len(ptab)
                or iv[POOL_FREE_N] + len(pool) - iv[POOL_USED] < k
                or iv[A_N] + k + 1 > len(out)
                or (places >= iv[RECON_PLACES] and iv[EV_N] + places > len(ev))
            ):
                iv[NEED_K], iv[NEED_EV] = k, iv[EV_N] + places
                return NEED_ROOM, i
            ts, eid = buff[top, 0], buf[top, 1] & ORDER_MASK
            iv[BUF_HEAD] = (top + 1) & mask
            iv[BUF_N] -= 1
            fv[RELEASED_UPTO] = ts
            iv[PROCESSED] += 1
            if iv[PROCESSED] >= iv[NEXT_EXPIRE]:
                expire(ts, iv, fv, zf, tab, ptab, pls, pool)
                # The reference's spacing: expiring costs the size of the state, so O(1) per event.
                size = iv[N_EP] + iv[N_IN] + iv[N_PLATES] + iv[N_LO] + iv[BUF_N]
                iv[NEXT_EXPIRE] = iv[PROCESSED] + max(iv[EXPIRE_EVERY], size)
            if act in (IN_ZONE, IN_ZONES):
                first, last = (c_start[code], c_start[code + 1]) if act == IN_ZONES else (0, 1)
                for z in range(first, last):
                    zone = c_zones[z] if act == IN_ZONES else code
                    ring = zi[zone, Z_RING]
                    if ring == OUTER:  # presence and dwell
                        key = table_key(plate, zone, EPISODE)
                        j = _home(key, tab_mask)
                        while tab[j, 0] != key and tab[j, 0] != EMPTY:
                            j = (j + 1) & tab_mask
                        if tab[j, 0] == EMPTY:
                            tab[j, 0] = key
                            tabf[j, 2] = -np.inf
                            iv[N_EP] += 1
                            iv[N_TAB] += 1
                        if ts - tabf[j, 2] > gap:  # a longer gap: the vehicle left and came back
                            tabf[j, 1] = ts
                            tab[j, 3] = 0
                        tabf[j, 2] = ts
                        tab[j, 3] += 2
                        if tab[j, 3] & 1 == 0 and ts - tabf[j, 1] >= zf[zone, Z_THRESHOLD]:
                            _dwell_due(iv, fv, zi, tab, tabf, out, outf, j, plate, zone, eid, ts)
                    elif ring == CORRIDOR:
                        _loiter(iv, tab, out, outf, plate, zone, eid, ts)
                for z in range(first, last):  # the last sighting at each place (for reconnaissance)
                    place = zi[c_zones[z] if act == IN_ZONES else code, Z_PLACE]
                    plsf[plate, P_LATEST] = ts  # events are released in time order
                    key = table_key(plate, place, PLACE)
                    j = _home(key, ptab_mask)
                    while ptab[j, 0] != key and ptab[j, 0] != EMPTY:
                        j = (j + 1) & ptab_mask
                    if ptab[j, 0] == key:
                        ptabf[j, 1] = ts
                    else:
                        _new_place(iv, ptab, ptabf, pls, pool, j, key, place, ts)
                if pls[plate, P_COUNT] >= iv[RECON_PLACES]:
                    _recon(iv, fv, ptab, ptabf, pls, plsf, pool, out, outf, ev, plate, eid, ts)
            elif act == CLEARED:  # only the latest cleared inspection of a plate at a site matters
                key = table_key(plate, code, INSPECTED)
                j = slot(tab, key)
                if tab[j, 0] == EMPTY:
                    tab[j, 0] = key
                    iv[N_IN] += 1
                    iv[N_TAB] += 1
                tabf[j, 1] = ts
            elif act == UNKNOWN_ZONE:
                iv[UNKNOWN] += 1
        if i >= n:
            if flush and not flushing:
                flushing, watermark = True, np.inf
                continue
            return DONE, n
        # Push the next event: dropped when earlier than what was already released.
        ts = r_ts[i]
        if ts < fv[RELEASED_UPTO]:  # the same instant as the last released event is not late
            iv[LATE] += 1
        else:
            if iv[BUF_N] >= len(buf):
                return NEED_ROOM, i
            sighting = 0 if r_code[i] & 255 <= NOT_CLEARED else 1  # inspections first at one instant
            order = (sighting << 62) | (base + i)
            tail = (iv[BUF_HEAD] + iv[BUF_N]) & mask
            back = (tail - 1) & mask
            if iv[BUF_N] == 0 or buff[back, 0] < ts or (buff[back, 0] == ts and buf[back, 1] < order):
                buff[tail, 0] = ts  # in order: appended
                buf[tail, 1] = order
                buf[tail, 2] = r_plate[i]
                buf[tail, 3] = r_code[i]
                iv[BUF_N] += 1
            else:
                _buffer_push(buf, buff, iv, ts, order, r_plate[i], r_code[i])
            if ts > fv[MAX_SEEN]:
                fv[MAX_SEEN] = ts
            watermark = fv[MAX_SEEN] - lateness
        i += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def run_one(
    ts: float,
    plate: int,
    code: int,
    start: int,
    base: int,
    iv: I8,
    fv: F8,
    zi: I8,
    zf: F8,
    c_start: I8,
    c_zones: I8,
    buf: I8,
    tab: I8,
    ptab: I8,
    pls: I8,
    pool: I8,
    out: I8,
    ev: I8,
) -> tuple[int, int]:
    """`run` for a single event given as scalars (a call with fewer arrays costs less)."""
    r_ts, r_plate, r_code = np.empty(1), np.empty(1, np.int64), np.empty(1, np.int64)
    r_ts[0], r_plate[0], r_code[0] = ts, plate, code
    return run(
        r_ts,
        r_plate,
        r_code,
        start,
        base,
        False,
        iv,
        fv,
        zi,
        zf,
        c_start,
        c_zones,
        buf,
        tab,
        ptab,
        pls,
        pool,
        out,
        ev,
    )  # type: ignore[no-any-return]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def live_codes(n_plates: int, n_sites: int, iv: I8, tab: I8, pls: I8, buf: I8) -> tuple[B1, B1]:
    """Which plate and site codes the state still refers to (the others can be given to new values)."""
    plates = np.zeros(n_plates, np.bool_)
    sites = np.zeros(n_sites, np.bool_)
    plsf = pls.view(np.float64)
    for r in range(len(tab)):
        key = tab[r, 0]
        if key != EMPTY:
            plates[key >> PLATE_SHIFT] = True
            if key & 3 == INSPECTED:
                sites[(key >> 2) & CODE_MASK] = True
    for p in range(min(n_plates, len(pls))):  # a plate with places is in ``pls``
        if pls[p, P_HEAD] != EMPTY or not np.isnan(plsf[p, P_RECON]):
            plates[p] = True
    mask = len(buf) - 1
    for r in range(iv[BUF_N]):
        row = (iv[BUF_HEAD] + r) & mask
        plates[buf[row, 2]] = True
        if buf[row, 3] & 255 <= NOT_CLEARED:
            sites[buf[row, 3] >> 8] = True
    return plates, sites
