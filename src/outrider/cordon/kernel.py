"""The compiled hot loop of the cordon detectors: the rules of `detectors.CordonMonitor` over integer codes.

`compiled.CompiledMonitor` owns the state and the codes of plates, zones, sites and places; this module
only walks it. `run` takes a batch of events in arrival order and does, for each, what
`CordonMonitor.push` does: the lateness check, the reorder buffer, and the release of every buffered event
the watermark passes, each through the dwell, loiter and reconnaissance rules, writing the alerts it
raises (tied to its arrival number) to an output table. Nothing here allocates per event.

The state is plain int64 arrays (a float is stored bit for bit through a float64 view):

* ``buf``: the reorder buffer, a ring of rows ``[time, order, plate, code << 8 | action]`` kept sorted by
  time, then inspections before sightings, then arrival (``order = sighting << 62 | arrival``): the
  reference's heap order. An event arriving in order is appended; a late one is moved into place.
* ``tab``: an open-addressing hash table (linear probing, at most half full, deletion by shifting the
  rest of a cluster back) of rows ``[key, a, b, c]``, ``key = plate << 26 | code << 2 | kind``:
  an *episode* (plate, zone): a = start, b = last sighting, c = count << 1 | alerted;
  an *inspection* (plate, site): a = the latest cleared inspection (only the latest matters: events are
  released in time order, so every earlier one is older, and the rule asks for one since a bound);
  a *loiter* count (plate, corridor): a = count, -1 once alerted.
  Expiry walks it and deletes what can no longer matter, at the moments the reference expires.
* ``ptab``: the same kind of table, two columns, for the places a plate was seen at: ``[key, last sighting]``.
  ``pool`` chains a plate's places (``[place, next node]``, with a free list) and ``pls`` holds per plate
  ``[first node, places, last reconnaissance alert (NaN: none), last sighting at any place]``, so a
  plate's places are walked when, and only when, they could make the reconnaissance count, and a plate
  whose places are all older than the window is dropped without walking the table.

A call stops with NEED_ROOM (before touching anything for the event at hand) when a structure could
overflow; the caller grows it and calls again from the returned position.

Numba note: helpers are ordinary compiled functions, each taking the float views it needs; numba's
``inline="always"`` made this loop several times slower, and so do views taken inside a helper.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
B1 = npt.NDArray[np.bool_]

EMPTY = -1
# Actions (the low byte of an event's code column).
CLEARED, NOT_CLEARED, IN_ZONE, IN_ZONES, UNKNOWN_ZONE, NO_ZONE = 0, 1, 2, 3, 4, 5
# Zone rings; a ghost zone is one a restored snapshot names that no longer exists.
GHOST, INNER, OUTER, CORRIDOR = -1, 0, 1, 2
# Kinds of hash-table entries.
EPISODE, INSPECTED, LOITERING, PLACE = 0, 1, 2, 3
CODE_BITS = 24
CODE_MASK = (1 << CODE_BITS) - 1
PLATE_SHIFT = CODE_BITS + 2
ORDER_MASK = (1 << 62) - 1
# Alert kinds.
DWELL, RECON, LOITER = 0, 1, 2
# Integer state and settings (iv).
LATE, UNKNOWN, PROCESSED, NEXT_EXPIRE = 0, 1, 2, 3
N_EP, N_IN, N_LO, N_TAB, N_PLATES, N_PTAB = 4, 5, 6, 7, 8, 9
BUF_HEAD, BUF_N, POOL_USED, POOL_FREE, POOL_FREE_N = 10, 11, 12, 13, 14
A_N, EV_N, EXPIRIES, RECON_PLACES, LOITER_N, EXPIRE_EVERY, NEED_K, NEED_EV = 15, 16, 17, 18, 19, 20, 21, 22
N_IV = 23
# Float state and settings (fv).
MAX_SEEN, RELEASED_UPTO, LATENESS, GAP, PRE, WINDOW = 0, 1, 2, 3, 4, 5
N_FV = 6
# Columns: zones (zi: ring, place, site; zf: dwell threshold, end of watch window), plates, pool, output.
Z_RING, Z_PLACE, Z_SITE = 0, 1, 2
Z_THRESHOLD, Z_WINDOW_END = 0, 1
P_HEAD, P_COUNT, P_RECON, P_LATEST = 0, 1, 2, 3
N_PLACE, N_NEXT = 0, 1
O_KIND, O_EVENT, O_PLATE, O_ZONE, O_COUNT, O_EVIDENCE, O_TIME, O_START = 0, 1, 2, 3, 4, 5, 6, 7
# Statuses of `run`.
DONE, NEED_ROOM = 0, 1
_GOLDEN = -7046029254386353131  # 0x9E3779B97F4A7C15 as a signed 64-bit integer


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def table_key(plate: int, code: int, kind: int) -> int:
    """The hash-table key of (plate, zone or site or place, kind)."""
    return (plate << PLATE_SHIFT) | (code << 2) | kind


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _home(key: int, mask: int) -> int:
    h = key * _GOLDEN
    return int((h ^ (h >> 32)) & mask)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def slot(tab: I8, key: int) -> int:
    """The row holding ``key``, or the empty row where it would go."""
    mask = len(tab) - 1
    i = _home(key, mask)
    while True:
        k = tab[i, 0]
        if k in (key, EMPTY):
            return i
        i = (i + 1) & mask


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _delete(tab: I8, i: int) -> None:
    """Empty row ``i``, shifting back the rest of its cluster that would no longer be found."""
    mask = len(tab) - 1
    hole, j = i, i
    while True:
        j = (j + 1) & mask
        if tab[j, 0] == EMPTY:
            break
        home = _home(tab[j, 0], mask)
        # The entry at j stays unless its home lies cyclically outside (hole, j].
        if (hole < j and hole < home <= j) or (hole > j and (home > hole or home <= j)):
            continue
        for c in range(tab.shape[1]):
            tab[hole, c] = tab[j, c]
        hole = j
    tab[hole, 0] = EMPTY


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def put_rows(tab: I8, rows: I8) -> None:
    """Insert rows (keys not yet present) into an empty-enough table."""
    for r in range(len(rows)):
        j = slot(tab, rows[r, 0])
        for c in range(tab.shape[1]):
            tab[j, c] = rows[r, c]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def rehash(old: I8, new: I8) -> None:
    """Move every entry of ``old`` into the empty table ``new``."""
    for r in range(len(old)):
        if old[r, 0] != EMPTY:
            j = slot(new, old[r, 0])
            for c in range(old.shape[1]):
                new[j, c] = old[r, c]


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def buffer_push(buf: I8, iv: I8, ts: float, order: int, plate: int, code_act: int) -> None:
    """Put an event into the reorder buffer (the caller made room), in order."""
    _buffer_push(buf, buf.view(np.float64), iv, ts, order, plate, code_act)


@njit(cache=True, nogil=True)  # type: ignore[untyped-decorator]
def _buffer_push(buf: I8, buff: F8, iv: I8, ts: float, order: int, plate: int, code_act: int) -> None:
    mask = len(buf) - 1
    head, n = iv[BUF_HEAD], iv[BUF_N]
    i = (head + n) & mask
    # Later rows move up one until the new one fits: nothing moves for an event that arrives in order.
    while n > 0:
        prev = (i - 1) & mask
        if buff[prev, 0] < ts or (buff[prev, 0] == ts and buf[prev, 1] < order):
            break
        for c in range(4):
            buf[i, c] = buf[prev, c]
        i = prev
        n -= 1
    buff[i, 0] = ts
    buf[i, 1] = order
    buf[i, 2] = plate
    buf[i, 3] = code_act
    iv[BUF_N] += 1


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
