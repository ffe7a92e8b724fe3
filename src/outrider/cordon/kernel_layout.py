"""The compiled cordon kernel's state: its layout, its hash tables and its reorder buffer.

The state is plain int64 arrays (a float is stored bit for bit through a float64 view):

* ``buf``: the reorder buffer, a ring of rows ``[time, order, plate, code << 8 | action]`` kept sorted by
  time, then inspections before sightings, then arrival (``order = sighting << 62 | arrival``): the
  reference's heap order. An event arriving in order is appended; a late one is moved into place.
* ``tab``: an open-addressing hash table (linear probing, at most half full, deletion by shifting the
  rest of a cluster back) of rows ``[key, a, b, c, d]``, ``key = plate << 26 | code << 2 | kind``:
  an *episode* (plate, zone): a = start, b = last sighting, c = count << 4 | severity rank << 2 | phase
  (`rules.WAITING`, `LIVE`, `DONE`), d = the time of its last alert or update;
  an *inspection* (plate, site): a = the latest cleared inspection (only the latest matters: events are
  released in time order, so every earlier one is older, and the rule asks for one since a bound);
  a *loiter* count (plate, corridor): a = count, -1 once alerted.
  Expiry walks it and deletes what can no longer matter, at the moments the reference expires.
* ``ptab``: the same kind of table, two columns, for the places a plate was seen at: ``[key, last sighting]``.
  ``pool`` chains a plate's places (``[place, next node]``, with a free list) and ``pls`` holds per plate
  ``[first node, places, last reconnaissance alert (NaN: none), last sighting at any place]``, so a
  plate's places are walked when, and only when, they could make the reconnaissance count, and a plate
  whose places are all older than the window is dropped without walking the table.

* ``zd_start``/``zd``: each zone's due times, sorted (zone z's are ``zd[zd_start[z]:zd_start[z + 1]]``);
  ``lk_start``/``lk``: each place's links to the other end of a movement between them, rows
  ``[other place, corridor zone, watch window start, end]`` (the times through a float view).

The numpy helpers at the end size and build these arrays for `compiled.CompiledMonitor`.
"""

from __future__ import annotations

from typing import Any

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
BASE_RANK = 23
N_IV = 24
# Float state and settings (fv).
MAX_SEEN, RELEASED_UPTO, LATENESS, GAP, PRE, WINDOW, UPDATE, DUE, DUE_HIGH = 0, 1, 2, 3, 4, 5, 6, 7, 8
N_FV = 9
# An episode's packed column: count << COUNT_SHIFT | severity rank << 2 | phase.
COUNT_SHIFT = 4
TAB_COLUMNS = 5
# Columns: zones (zi: ring, place, site; zf: dwell threshold, end of watch window), plates, pool, output.
Z_RING, Z_PLACE, Z_SITE = 0, 1, 2
Z_THRESHOLD, Z_WINDOW_END = 0, 1
P_HEAD, P_COUNT, P_RECON, P_LATEST = 0, 1, 2, 3
N_PLACE, N_NEXT = 0, 1
O_KIND, O_EVENT, O_PLATE, O_ZONE, O_COUNT, O_EVIDENCE, O_SEVERITY, O_UPDATE = 0, 1, 2, 3, 4, 5, 6, 7
O_TIME, O_START = 8, 9  # floats last: the integer columns are ``[:O_TIME]``
N_OUT = 10
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


_NAN_BITS = int(np.array([np.nan]).view(np.int64)[0])
_NEG_INF_BITS = int(np.array([-np.inf]).view(np.int64)[0])


def pow2(n: int) -> int:
    """The table size for ``n`` rows: a power of two, at least 1024."""
    return 1 << max(10, (max(n, 1) - 1).bit_length())


def table(n: int, columns: int = TAB_COLUMNS) -> I8:
    """An empty hash table of ``n`` rows."""
    return np.full((n, columns), EMPTY, np.int64)


def plate_rows(n: int) -> I8:
    """``n`` rows of ``pls`` for plates with no place and no reconnaissance alert."""
    rows = np.zeros((n, 4), np.int64)
    rows[:, P_HEAD] = EMPTY
    rows[:, P_RECON] = _NAN_BITS
    rows[:, P_LATEST] = _NEG_INF_BITS
    return rows


def grown(a: npt.NDArray[Any], n: int, fresh: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``fresh`` (n rows) with the first rows of ``a`` copied in."""
    m = min(len(a), n)
    fresh[:m] = a[:m]
    return fresh


def rehashed(tab: I8, size: int) -> I8:
    """The table's entries in a table of ``size`` rows."""
    fresh = table(size, tab.shape[1])
    rehash(tab, fresh)
    return fresh
