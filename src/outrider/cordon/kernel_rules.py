"""The compiled cordon kernel's rules: expiry, and the dwell, loiter and reconnaissance detectors.

Each is an ordinary compiled function over the state arrays of `kernel_layout`, called by `kernel.run`
for an event it releases (or at the moments the reference expires its state), as `CordonMonitor` does.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from outrider.cordon.kernel_layout import (
    A_N,
    CODE_MASK,
    DWELL,
    EMPTY,
    EPISODE,
    EV_N,
    EXPIRIES,
    F8,
    GAP,
    I8,
    INSPECTED,
    LOITER,
    LOITER_N,
    LOITERING,
    N_EP,
    N_IN,
    N_LO,
    N_NEXT,
    N_PLACE,
    N_PLATES,
    N_PTAB,
    N_TAB,
    O_COUNT,
    O_EVENT,
    O_EVIDENCE,
    O_KIND,
    O_PLATE,
    O_START,
    O_TIME,
    O_ZONE,
    P_COUNT,
    P_HEAD,
    P_LATEST,
    P_RECON,
    PLACE,
    PLATE_SHIFT,
    POOL_FREE,
    POOL_FREE_N,
    POOL_USED,
    PRE,
    RECON,
    RECON_PLACES,
    WINDOW,
    Z_SITE,
    Z_WINDOW_END,
    _delete,
    slot,
    table_key,
)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _free_node(pool: I8, iv: I8, node: int) -> None:
    pool[node, N_NEXT] = iv[POOL_FREE]
    iv[POOL_FREE] = node
    iv[POOL_FREE_N] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _keep(now: float, fv: F8, zf: F8, tab: I8, tabf: F8, r: int) -> bool:
    """Whether the entry in row ``r`` can still matter (the horizons of `CordonMonitor._expire`)."""
    kind = tab[r, 0] & 3
    if kind == EPISODE:  # a sighting after a longer gap starts a new episode anyway
        return bool(tabf[r, 2] >= now - fv[GAP])
    if kind == INSPECTED:
        return bool(tabf[r, 1] >= now - max(fv[GAP], fv[PRE]) - 24 * 3600)
    # A corridor's loiter count matters until its watch window closes.
    return bool(zf[(tab[r, 0] >> 2) & CODE_MASK, Z_WINDOW_END] >= now)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def expire(now: float, iv: I8, fv: F8, zf: F8, tab: I8, ptab: I8, pls: I8, pool: I8) -> None:
    """Drop what can no longer raise an alert, in place: one pass over the plates, one over ``tab``."""
    tabf, plsf = tab.view(np.float64), pls.view(np.float64)
    recon_from = now - fv[WINDOW]
    for p in range(len(pls)):
        if plsf[p, P_RECON] < recon_from:  # NaN (never alerted) compares False
            plsf[p, P_RECON] = np.nan
        # A plate's places go when the latest of them is older than the window.
        if pls[p, P_HEAD] != EMPTY and plsf[p, P_LATEST] < recon_from:
            node = pls[p, P_HEAD]
            while node != EMPTY:
                following = pool[node, N_NEXT]
                _delete(ptab, slot(ptab, table_key(p, pool[node, N_PLACE], PLACE)))
                iv[N_PTAB] -= 1
                _free_node(pool, iv, node)
                node = following
            pls[p, P_HEAD], pls[p, P_COUNT] = EMPTY, 0
            iv[N_PLATES] -= 1
    # The pass starts after an empty row, so no cluster wraps around it, and looks at a row again when
    # a deletion moved another into it.
    mask = len(tab) - 1
    origin = 0
    while tab[origin, 0] != EMPTY:
        origin += 1
    i = (origin + 1) & mask
    n_ep = n_in = n_lo = 0
    while i != origin:
        key = tab[i, 0]
        if key == EMPTY:
            i = (i + 1) & mask
        elif _keep(now, fv, zf, tab, tabf, i):
            kind = key & 3
            if kind == EPISODE:
                n_ep += 1
            elif kind == INSPECTED:
                n_in += 1
            else:
                n_lo += 1
            i = (i + 1) & mask
        else:
            _delete(tab, i)
    iv[N_EP], iv[N_IN], iv[N_LO], iv[N_TAB] = n_ep, n_in, n_lo, n_ep + n_in + n_lo
    iv[EXPIRIES] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _new_place(
    iv: I8, ptab: I8, ptabf: F8, pls: I8, pool: I8, j: int, key: int, place: int, ts: float
) -> None:
    """A place the plate was not seen at (within its places): an entry in row ``j`` and a chained node."""
    plate = key >> PLATE_SHIFT
    node = iv[POOL_FREE]
    if node != EMPTY:
        iv[POOL_FREE] = pool[node, N_NEXT]
        iv[POOL_FREE_N] -= 1
    else:
        node = iv[POOL_USED]
        iv[POOL_USED] = node + 1
    pool[node, N_PLACE] = place
    pool[node, N_NEXT] = pls[plate, P_HEAD]
    pls[plate, P_HEAD] = node
    if pls[plate, P_COUNT] == 0:
        iv[N_PLATES] += 1
    pls[plate, P_COUNT] += 1
    ptab[j, 0] = key
    ptabf[j, 1] = ts
    iv[N_PTAB] += 1


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _emit(
    out: I8, outf: F8, iv: I8, kind: int, eid: int, plate: int, zone: int, count: int, ts: float, start: float
) -> int:
    a = iv[A_N]
    iv[A_N] = a + 1
    out[a, O_KIND] = kind
    out[a, O_EVENT] = eid
    out[a, O_PLATE] = plate
    out[a, O_ZONE] = zone
    out[a, O_COUNT] = count
    out[a, O_EVIDENCE] = EMPTY
    outf[a, O_TIME] = ts
    outf[a, O_START] = start
    return int(a)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _recon(
    iv: I8,
    fv: F8,
    ptab: I8,
    ptabf: F8,
    pls: I8,
    plsf: F8,
    pool: I8,
    out: I8,
    outf: F8,
    ev: I8,
    plate: int,
    eid: int,
    ts: float,
) -> None:
    """Reconnaissance, once the plate's places could make the count: ``recon_places`` distinct places
    within the window, at most once per plate per window."""
    # Stale places are dropped only when they could make the count, as in the reference.
    since = ts - fv[WINDOW]
    prev = EMPTY
    node = pls[plate, P_HEAD]
    while node != EMPTY:
        following = pool[node, N_NEXT]
        j = slot(ptab, table_key(plate, pool[node, N_PLACE], PLACE))
        if ptabf[j, 1] < since:
            if prev == EMPTY:
                pls[plate, P_HEAD] = following
            else:
                pool[prev, N_NEXT] = following
            _free_node(pool, iv, node)
            _delete(ptab, j)
            iv[N_PTAB] -= 1
            pls[plate, P_COUNT] -= 1
        else:
            prev = node
        node = following
    last = plsf[plate, P_RECON]
    if pls[plate, P_COUNT] >= iv[RECON_PLACES] and (np.isnan(last) or ts - last >= fv[WINDOW]):
        plsf[plate, P_RECON] = ts
        a = _emit(out, outf, iv, RECON, eid, plate, EMPTY, pls[plate, P_COUNT], ts, 0.0)
        out[a, O_EVIDENCE] = iv[EV_N]
        evf = ev.view(np.float64)
        node = pls[plate, P_HEAD]
        while node != EMPTY:
            e = iv[EV_N]
            ev[e, 0] = pool[node, N_PLACE]
            evf[e, 1] = ptabf[slot(ptab, table_key(plate, pool[node, N_PLACE], PLACE)), 1]
            iv[EV_N] = e + 1
            node = pool[node, N_NEXT]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _dwell_due(
    iv: I8,
    fv: F8,
    zi: I8,
    tab: I8,
    tabf: F8,
    out: I8,
    outf: F8,
    j: int,
    plate: int,
    zone: int,
    eid: int,
    ts: float,
) -> None:
    """The episode in row ``j`` reached the zone's threshold: an alert unless a cleared inspection at the
    zone's site came since ``pre_clear_s`` before the episode began (once per episode)."""
    tab[j, 3] |= 1
    start = tabf[j, 1]
    k = slot(tab, table_key(plate, zi[zone, Z_SITE], INSPECTED))
    if tab[k, 0] == EMPTY or tabf[k, 1] < start - fv[PRE]:
        _emit(out, outf, iv, DWELL, eid, plate, zone, tab[j, 3] >> 1, ts, start)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _loiter(iv: I8, tab: I8, out: I8, outf: F8, plate: int, zone: int, eid: int, ts: float) -> None:
    """Loiter in a movement's corridor."""
    key = table_key(plate, zone, LOITERING)
    j = slot(tab, key)
    if tab[j, 0] == EMPTY:
        tab[j, 0] = key
        tab[j, 1] = 0
        iv[N_LO] += 1
        iv[N_TAB] += 1
    count = tab[j, 1]
    if count >= 0:
        count += 1
        if count >= iv[LOITER_N]:
            tab[j, 1] = -1
            _emit(out, outf, iv, LOITER, eid, plate, zone, count, ts, 0.0)
        else:
            tab[j, 1] = count
