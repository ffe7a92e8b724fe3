"""The compiled cordon kernel's rules: expiry, and the dwell, loiter and reconnaissance detectors.

Each is an ordinary compiled function over the state arrays of `kernel_layout`, called by `kernel.run`
for an event it releases (or at the moments the reference expires its state), as `CordonMonitor` does.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from outrider.cordon import kernel_layout as kl
from outrider.cordon.kernel_layout import _delete, slot, table_key


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _free_node(pool: kl.I8, iv: kl.I8, node: int) -> None:
    pool[node, kl.N_NEXT] = iv[kl.POOL_FREE]
    iv[kl.POOL_FREE] = node
    iv[kl.POOL_FREE_N] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _keep(now: float, fv: kl.F8, zf: kl.F8, tab: kl.I8, tabf: kl.F8, r: int) -> bool:
    """Whether the entry in row ``r`` can still matter (the horizons of `CordonMonitor._expire`)."""
    kind = tab[r, 0] & 3
    if kind == kl.EPISODE:  # a sighting after a longer gap starts a new episode anyway
        return bool(tabf[r, 2] >= now - fv[kl.GAP])
    if kind == kl.INSPECTED:
        return bool(tabf[r, 1] >= now - max(fv[kl.GAP], fv[kl.PRE]) - 24 * 3600)
    # A corridor's loiter count matters until its watch window closes.
    return bool(zf[(tab[r, 0] >> 2) & kl.CODE_MASK, kl.Z_WINDOW_END] >= now)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def expire(
    now: float, iv: kl.I8, fv: kl.F8, zf: kl.F8, tab: kl.I8, ptab: kl.I8, pls: kl.I8, pool: kl.I8
) -> None:
    """Drop what can no longer raise an alert, in place: one pass over the plates, one over ``tab``."""
    tabf, plsf = tab.view(np.float64), pls.view(np.float64)
    recon_from = now - fv[kl.WINDOW]
    for p in range(len(pls)):
        if plsf[p, kl.P_RECON] < recon_from:  # NaN (never alerted) compares False
            plsf[p, kl.P_RECON] = np.nan
        # A plate's places go when the latest of them is older than the window.
        if pls[p, kl.P_HEAD] != kl.EMPTY and plsf[p, kl.P_LATEST] < recon_from:
            node = pls[p, kl.P_HEAD]
            while node != kl.EMPTY:
                following = pool[node, kl.N_NEXT]
                _delete(ptab, slot(ptab, table_key(p, pool[node, kl.N_PLACE], kl.PLACE)))
                iv[kl.N_PTAB] -= 1
                _free_node(pool, iv, node)
                node = following
            pls[p, kl.P_HEAD], pls[p, kl.P_COUNT] = kl.EMPTY, 0
            iv[kl.N_PLATES] -= 1
    # The pass starts after an empty row, so no cluster wraps around it, and looks at a row again when
    # a deletion moved another into it.
    mask = len(tab) - 1
    origin = 0
    while tab[origin, 0] != kl.EMPTY:
        origin += 1
    i = (origin + 1) & mask
    n_ep = n_in = n_lo = 0
    while i != origin:
        key = tab[i, 0]
        if key == kl.EMPTY:
            i = (i + 1) & mask
        elif _keep(now, fv, zf, tab, tabf, i):
            kind = key & 3
            if kind == kl.EPISODE:
                n_ep += 1
            elif kind == kl.INSPECTED:
                n_in += 1
            else:
                n_lo += 1
            i = (i + 1) & mask
        else:
            _delete(tab, i)
    iv[kl.N_EP], iv[kl.N_IN], iv[kl.N_LO], iv[kl.N_TAB] = n_ep, n_in, n_lo, n_ep + n_in + n_lo
    iv[kl.EXPIRIES] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _new_place(
    iv: kl.I8, ptab: kl.I8, ptabf: kl.F8, pls: kl.I8, pool: kl.I8, j: int, key: int, place: int, ts: float
) -> None:
    """A place the plate was not seen at (within its places): an entry in row ``j`` and a chained node."""
    plate = key >> kl.PLATE_SHIFT
    node = iv[kl.POOL_FREE]
    if node != kl.EMPTY:
        iv[kl.POOL_FREE] = pool[node, kl.N_NEXT]
        iv[kl.POOL_FREE_N] -= 1
    else:
        node = iv[kl.POOL_USED]
        iv[kl.POOL_USED] = node + 1
    pool[node, kl.N_PLACE] = place
    pool[node, kl.N_NEXT] = pls[plate, kl.P_HEAD]
    pls[plate, kl.P_HEAD] = node
    if pls[plate, kl.P_COUNT] == 0:
        iv[kl.N_PLATES] += 1
    pls[plate, kl.P_COUNT] += 1
    ptab[j, 0] = key
    ptabf[j, 1] = ts
    iv[kl.N_PTAB] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _emit(
    out: kl.I8,
    outf: kl.F8,
    iv: kl.I8,
    kind: int,
    eid: int,
    plate: int,
    zone: int,
    count: int,
    ts: float,
    start: float,
) -> int:
    a = iv[kl.A_N]
    iv[kl.A_N] = a + 1
    out[a, kl.O_KIND] = kind
    out[a, kl.O_EVENT] = eid
    out[a, kl.O_PLATE] = plate
    out[a, kl.O_ZONE] = zone
    out[a, kl.O_COUNT] = count
    out[a, kl.O_EVIDENCE] = kl.EMPTY
    out[a, kl.O_SEVERITY] = 0
    out[a, kl.O_UPDATE] = 0
    outf[a, kl.O_TIME] = ts
    outf[a, kl.O_START] = start
    return int(a)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _recon(
    iv: kl.I8,
    fv: kl.F8,
    ptab: kl.I8,
    ptabf: kl.F8,
    pls: kl.I8,
    plsf: kl.F8,
    pool: kl.I8,
    lk_start: kl.I8,
    lk: kl.I8,
    out: kl.I8,
    outf: kl.F8,
    ev: kl.I8,
    plate: int,
    eid: int,
    ts: float,
) -> None:
    """Reconnaissance, once the plate's places could make it: ``recon_places`` distinct places within
    the window, or two that a movement due links (`_route_ends`); once per plate per window."""
    since = ts - fv[kl.WINDOW]
    if pls[plate, kl.P_COUNT] >= iv[kl.RECON_PLACES]:  # stale places go only then, as in the reference
        prev = kl.EMPTY
        node = pls[plate, kl.P_HEAD]
        while node != kl.EMPTY:
            following = pool[node, kl.N_NEXT]
            j = slot(ptab, table_key(plate, pool[node, kl.N_PLACE], kl.PLACE))
            if ptabf[j, 1] < since:
                if prev == kl.EMPTY:
                    pls[plate, kl.P_HEAD] = following
                else:
                    pool[prev, kl.N_NEXT] = following
                _free_node(pool, iv, node)
                _delete(ptab, j)
                iv[kl.N_PTAB] -= 1
                pls[plate, kl.P_COUNT] -= 1
            else:
                prev = node
            node = following
    last = plsf[plate, kl.P_RECON]
    if not np.isnan(last) and ts - last < fv[kl.WINDOW]:
        return
    evf = ev.view(np.float64)
    if pls[plate, kl.P_COUNT] >= iv[kl.RECON_PLACES]:
        plsf[plate, kl.P_RECON] = ts
        a = _emit(out, outf, iv, kl.RECON, eid, plate, kl.EMPTY, pls[plate, kl.P_COUNT], ts, 0.0)
        out[a, kl.O_EVIDENCE] = iv[kl.EV_N]
        node = pls[plate, kl.P_HEAD]
        while node != kl.EMPTY:
            e = iv[kl.EV_N]
            ev[e, 0] = pool[node, kl.N_PLACE]
            evf[e, 1] = ptabf[slot(ptab, table_key(plate, pool[node, kl.N_PLACE], kl.PLACE)), 1]
            iv[kl.EV_N] = e + 1
            node = pool[node, kl.N_NEXT]
    elif len(lk):
        link = _route_ends(fv, ptab, ptabf, pls, pool, lk_start, lk, plate, since, ts)
        if link != kl.EMPTY:
            plsf[plate, kl.P_RECON] = ts
            a = _emit(out, outf, iv, kl.RECON, eid, plate, lk[link, 1], 2, ts, 0.0)
            out[a, kl.O_EVIDENCE] = e = iv[kl.EV_N]
            iv[kl.EV_N] = e + 2
            for r, place in ((e, _owner(lk_start, link)), (e + 1, lk[link, 0])):
                ev[r, 0] = place
                evf[r, 1] = ptabf[slot(ptab, table_key(plate, place, kl.PLACE)), 1]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _owner(lk_start: kl.I8, link: int) -> int:
    """The place whose links hold row ``link``."""
    return int(np.searchsorted(lk_start, link, side="right") - 1)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _route_ends(
    fv: kl.F8,
    ptab: kl.I8,
    ptabf: kl.F8,
    pls: kl.I8,
    pool: kl.I8,
    lk_start: kl.I8,
    lk: kl.I8,
    plate: int,
    since: float,
    ts: float,
) -> int:
    """The link row of two places the plate was seen at within the window that a movement links, its
    watch window beginning within the window and not ended; EMPTY when none. The least (corridor, lower
    place code, higher place code) wins, whatever order the places were seen in (as in the reference)."""
    lkf = lk.view(np.float64)
    until = ts + fv[kl.WINDOW]
    best = kl.EMPTY
    best_zone = best_lo = best_hi = 0
    node = pls[plate, kl.P_HEAD]
    while node != kl.EMPTY:
        place = pool[node, kl.N_PLACE]
        node = pool[node, kl.N_NEXT]
        if place + 1 >= len(lk_start):  # a place only a restored snapshot names: no links
            continue
        if ptabf[slot(ptab, table_key(plate, place, kl.PLACE)), 1] < since:
            continue
        for r in range(lk_start[place], lk_start[place + 1]):
            if lkf[r, 2] > until or ts > lkf[r, 3]:
                continue
            j = slot(ptab, table_key(plate, lk[r, 0], kl.PLACE))
            if ptab[j, 0] == kl.EMPTY or ptabf[j, 1] < since:
                continue
            lo, hi = min(place, lk[r, 0]), max(place, lk[r, 0])
            if best == kl.EMPTY or (lk[r, 1], lo, hi) < (best_zone, best_lo, best_hi):
                best, best_zone, best_lo, best_hi = r, lk[r, 1], lo, hi
    return best


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _rank(fv: kl.F8, iv: kl.I8, zd_start: kl.I8, zd: kl.F8, zone: int, ts: float) -> int:
    """`rules.dwell_rank`: the severity rank of a dwell in ``zone`` at ``ts``."""
    lo, hi = zd_start[zone], zd_start[zone + 1]
    i = lo + np.searchsorted(zd[lo:hi], ts)
    if i < hi:
        ahead = zd[i] - ts
        if ahead <= fv[kl.DUE]:
            return 3
        if ahead <= fv[kl.DUE_HIGH]:
            return max(2, int(iv[kl.BASE_RANK]))
    return int(iv[kl.BASE_RANK])


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _dwell_due(
    iv: kl.I8,
    fv: kl.F8,
    zi: kl.I8,
    zd_start: kl.I8,
    zd: kl.F8,
    tab: kl.I8,
    tabf: kl.F8,
    out: kl.I8,
    outf: kl.F8,
    j: int,
    plate: int,
    zone: int,
    eid: int,
    ts: float,
) -> None:
    """The episode in row ``j`` reached the zone's threshold (or is live): an alert, or an update when the
    interval has passed or the severity rises, unless a cleared inspection at the zone's site came since
    ``pre_clear_s`` before the episode began, which ends the episode."""
    packed = tab[j, 3]
    phase, prev = packed & 3, (packed >> 2) & 3
    start = tabf[j, 1]
    k = slot(tab, table_key(plate, zi[zone, kl.Z_SITE], kl.INSPECTED))
    if tab[k, 0] != kl.EMPTY and tabf[k, 1] >= start - fv[kl.PRE]:
        tab[j, 3] = (packed & ~3) | 2  # DONE
        return
    rank = _rank(fv, iv, zd_start, zd, zone, ts)
    if phase == 1:  # LIVE
        if rank <= prev and ts - tabf[j, 4] < fv[kl.UPDATE]:
            return
        rank = max(rank, prev)
    count = packed >> kl.COUNT_SHIFT
    tab[j, 3] = (count << kl.COUNT_SHIFT) | (rank << 2) | 1
    tabf[j, 4] = ts
    a = _emit(out, outf, iv, kl.DWELL, eid, plate, zone, count, ts, start)
    out[a, kl.O_SEVERITY] = rank
    out[a, kl.O_UPDATE] = phase


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _loiter(
    iv: kl.I8, tab: kl.I8, out: kl.I8, outf: kl.F8, plate: int, zone: int, eid: int, ts: float
) -> None:
    """Loiter in a movement's corridor."""
    key = table_key(plate, zone, kl.LOITERING)
    j = slot(tab, key)
    if tab[j, 0] == kl.EMPTY:
        tab[j, 0] = key
        tab[j, 1] = 0
        iv[kl.N_LO] += 1
        iv[kl.N_TAB] += 1
    count = tab[j, 1]
    if count >= 0:
        count += 1
        if count >= iv[kl.LOITER_N]:
            tab[j, 1] = -1
            _emit(out, outf, iv, kl.LOITER, eid, plate, zone, count, ts, 0.0)
        else:
            tab[j, 1] = count
