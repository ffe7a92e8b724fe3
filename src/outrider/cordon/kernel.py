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

from outrider.cordon import kernel_layout as kl
from outrider.cordon.kernel_layout import _buffer_push, _home, slot, table_key
from outrider.cordon.kernel_rules import (
    _dwell_due,
    _loiter,
    _new_place,
    _recon,
    expire,
)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def run(
    r_ts: kl.F8,
    r_plate: kl.I8,
    r_code: kl.I8,
    start: int,
    base: int,
    flush: bool,
    iv: kl.I8,
    fv: kl.F8,
    zi: kl.I8,
    zf: kl.F8,
    c_start: kl.I8,
    c_zones: kl.I8,
    zd_start: kl.I8,
    zd: kl.F8,
    lk_start: kl.I8,
    lk: kl.I8,
    buf: kl.I8,
    tab: kl.I8,
    ptab: kl.I8,
    pls: kl.I8,
    pool: kl.I8,
    out: kl.I8,
    ev: kl.I8,
) -> tuple[int, int]:
    """Push events ``start:`` (arrival numbers ``base + i``) in order, releasing as the watermark passes.

    ``r_code`` is ``code << 8 | action``: a site (inspections), a zone (kl.IN_ZONE), a set of zones
    (kl.IN_ZONES: ``c_zones[c_start[c]:c_start[c + 1]]``). Returns (kl.DONE, n) or (kl.NEED_ROOM, next event).
    The common steps are written out here: a call with arrays costs numba more than the step itself.
    """
    buff, tabf, ptabf = buf.view(np.float64), tab.view(np.float64), ptab.view(np.float64)
    plsf, outf = pls.view(np.float64), out.view(np.float64)
    mask, tab_mask, ptab_mask = len(buf) - 1, len(tab) - 1, len(ptab) - 1
    # Reconnaissance is looked at from two places when movements link places, else from ``recon_places``.
    recon_from = min(iv[kl.RECON_PLACES], 2) if len(lk) else iv[kl.RECON_PLACES]
    gap = fv[kl.GAP]
    n = len(r_ts)
    i = start
    lateness = fv[kl.LATENESS]
    watermark = fv[kl.MAX_SEEN] - lateness
    flushing = False
    while True:
        # Release every buffered event up to the watermark, in time order.
        while iv[kl.BUF_N] > 0 and buff[iv[kl.BUF_HEAD], 0] <= watermark:
            top = iv[kl.BUF_HEAD]
            plate, code_act = buf[top, 2], buf[top, 3]
            act, code = code_act & 255, code_act >> 8
            k = c_start[code + 1] - c_start[code] if act == kl.IN_ZONES else 1
            places = pls[plate, kl.P_COUNT] + k
            # Each zone adds at most an entry, a place and an alert, and the evidence lists the places.
            if (
                2 * (iv[kl.N_TAB] + k) > len(tab)
                or 2 * (iv[kl.N_PTAB] + k) > len(ptab)
                or iv[kl.POOL_FREE_N] + len(pool) - iv[kl.POOL_USED] < k
                or iv[kl.A_N] + k + 1 > len(out)
                or (places >= recon_from and iv[kl.EV_N] + places > len(ev))
            ):
                iv[kl.NEED_K], iv[kl.NEED_EV] = k, iv[kl.EV_N] + places
                return kl.NEED_ROOM, i
            ts, eid = buff[top, 0], buf[top, 1] & kl.ORDER_MASK
            iv[kl.BUF_HEAD] = (top + 1) & mask
            iv[kl.BUF_N] -= 1
            fv[kl.RELEASED_UPTO] = ts
            iv[kl.PROCESSED] += 1
            if iv[kl.PROCESSED] >= iv[kl.NEXT_EXPIRE]:
                expire(ts, iv, fv, zf, tab, ptab, pls, pool)
                # The reference's spacing: expiring costs the size of the state, so O(1) per event.
                size = iv[kl.N_EP] + iv[kl.N_IN] + iv[kl.N_PLATES] + iv[kl.N_LO] + iv[kl.BUF_N]
                iv[kl.NEXT_EXPIRE] = iv[kl.PROCESSED] + max(iv[kl.EXPIRE_EVERY], size)
            if act in (kl.IN_ZONE, kl.IN_ZONES):
                first, last = (c_start[code], c_start[code + 1]) if act == kl.IN_ZONES else (0, 1)
                for z in range(first, last):
                    zone = c_zones[z] if act == kl.IN_ZONES else code
                    ring = zi[zone, kl.Z_RING]
                    if ring == kl.OUTER:  # presence and dwell
                        key = table_key(plate, zone, kl.EPISODE)
                        j = _home(key, tab_mask)
                        while tab[j, 0] != key and tab[j, 0] != kl.EMPTY:
                            j = (j + 1) & tab_mask
                        if tab[j, 0] == kl.EMPTY:
                            tab[j, 0] = key
                            tabf[j, 2] = -np.inf
                            iv[kl.N_EP] += 1
                            iv[kl.N_TAB] += 1
                        if ts - tabf[j, 2] > gap:  # a longer gap: the vehicle left and came back
                            tabf[j, 1] = ts
                            tab[j, 3] = 0  # WAITING, no severity, no sightings
                            tabf[j, 4] = 0.0
                        tabf[j, 2] = ts
                        tab[j, 3] += 1 << kl.COUNT_SHIFT
                        phase = tab[j, 3] & 3  # WAITING, LIVE (alerted: updates) or DONE (inspected)
                        if phase == 1 or (phase == 0 and ts - tabf[j, 1] >= zf[zone, kl.Z_THRESHOLD]):
                            _dwell_due(
                                iv, fv, zi, zd_start, zd, tab, tabf, out, outf, j, plate, zone, eid, ts
                            )
                    elif ring == kl.CORRIDOR:
                        _loiter(iv, tab, out, outf, plate, zone, eid, ts)
                for z in range(first, last):  # the last sighting at each place (for reconnaissance)
                    place = zi[c_zones[z] if act == kl.IN_ZONES else code, kl.Z_PLACE]
                    plsf[plate, kl.P_LATEST] = ts  # events are released in time order
                    key = table_key(plate, place, kl.PLACE)
                    j = _home(key, ptab_mask)
                    while ptab[j, 0] != key and ptab[j, 0] != kl.EMPTY:
                        j = (j + 1) & ptab_mask
                    if ptab[j, 0] == key:
                        ptabf[j, 1] = ts
                    else:
                        _new_place(iv, ptab, ptabf, pls, pool, j, key, place, ts)
                if pls[plate, kl.P_COUNT] >= recon_from:
                    _recon(iv, fv, ptab, ptabf, pls, plsf, pool, lk_start, lk, out, outf, ev, plate, eid, ts)
            elif act == kl.CLEARED:  # only the latest cleared inspection of a plate at a site matters
                key = table_key(plate, code, kl.INSPECTED)
                j = slot(tab, key)
                if tab[j, 0] == kl.EMPTY:
                    tab[j, 0] = key
                    iv[kl.N_IN] += 1
                    iv[kl.N_TAB] += 1
                tabf[j, 1] = ts
            elif act == kl.UNKNOWN_ZONE:
                iv[kl.UNKNOWN] += 1
        if i >= n:
            if flush and not flushing:
                flushing, watermark = True, np.inf
                continue
            return kl.DONE, n
        # Push the next event: dropped when earlier than what was already released.
        ts = r_ts[i]
        if ts < fv[kl.RELEASED_UPTO]:  # the same instant as the last released event is not late
            iv[kl.LATE] += 1
        else:
            if iv[kl.BUF_N] >= len(buf):
                return kl.NEED_ROOM, i
            sighting = 0 if r_code[i] & 255 <= kl.NOT_CLEARED else 1  # inspections first at one instant
            order = (sighting << 62) | (base + i)
            tail = (iv[kl.BUF_HEAD] + iv[kl.BUF_N]) & mask
            back = (tail - 1) & mask
            if iv[kl.BUF_N] == 0 or buff[back, 0] < ts or (buff[back, 0] == ts and buf[back, 1] < order):
                buff[tail, 0] = ts  # in order: appended
                buf[tail, 1] = order
                buf[tail, 2] = r_plate[i]
                buf[tail, 3] = r_code[i]
                iv[kl.BUF_N] += 1
            else:
                _buffer_push(buf, buff, iv, ts, order, r_plate[i], r_code[i])
            if ts > fv[kl.MAX_SEEN]:
                fv[kl.MAX_SEEN] = ts
            watermark = fv[kl.MAX_SEEN] - lateness
        i += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def run_one(
    ts: float,
    plate: int,
    code: int,
    start: int,
    base: int,
    iv: kl.I8,
    fv: kl.F8,
    zi: kl.I8,
    zf: kl.F8,
    c_start: kl.I8,
    c_zones: kl.I8,
    zd_start: kl.I8,
    zd: kl.F8,
    lk_start: kl.I8,
    lk: kl.I8,
    buf: kl.I8,
    tab: kl.I8,
    ptab: kl.I8,
    pls: kl.I8,
    pool: kl.I8,
    out: kl.I8,
    ev: kl.I8,
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
        zd_start,
        zd,
        lk_start,
        lk,
        buf,
        tab,
        ptab,
        pls,
        pool,
        out,
        ev,
    )  # type: ignore[no-any-return]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def live_codes(
    n_plates: int, n_sites: int, iv: kl.I8, tab: kl.I8, pls: kl.I8, buf: kl.I8
) -> tuple[kl.B1, kl.B1]:
    """Which plate and site codes the state still refers to (the others can be given to new values)."""
    plates = np.zeros(n_plates, np.bool_)
    sites = np.zeros(n_sites, np.bool_)
    plsf = pls.view(np.float64)
    for r in range(len(tab)):
        key = tab[r, 0]
        if key != kl.EMPTY:
            plates[key >> kl.PLATE_SHIFT] = True
            if key & 3 == kl.INSPECTED:
                sites[(key >> 2) & kl.CODE_MASK] = True
    for p in range(min(n_plates, len(pls))):  # a plate with places is in ``pls``
        if pls[p, kl.P_HEAD] != kl.EMPTY or not np.isnan(plsf[p, kl.P_RECON]):
            plates[p] = True
    mask = len(buf) - 1
    for r in range(iv[kl.BUF_N]):
        row = (iv[kl.BUF_HEAD] + r) & mask
        plates[buf[row, 2]] = True
        if buf[row, 3] & 255 <= kl.NOT_CLEARED:
            sites[buf[row, 3] >> 8] = True
    return plates, sites
