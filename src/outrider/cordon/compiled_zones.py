"""The zones as the compiled kernel reads them: rings, places, sites, thresholds, due times and links."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from outrider.cordon import kernel_layout as k
from outrider.cordon.codes import Codes
from outrider.cordon.rules import Config
from outrider.cordon.zones import ZoneIndex

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
_RING = {"inner": k.INNER, "outer": k.OUTER, "corridor": k.CORRIDOR}


@dataclass(frozen=True, slots=True)
class ZoneArrays:
    """``zi`` (ring, place as counted, site), ``zf`` (dwell threshold, end of watch window), each zone's
    sorted due times (``zd_start``, ``zd``) and each place's links (``lk_start``, ``lk``)."""

    zi: I8
    zf: F8
    zd_start: I8
    zd: F8
    lk_start: I8
    lk: I8


def zone_arrays(zones: ZoneIndex, cfg: Config, places: Codes, sites: Codes) -> ZoneArrays:
    """The arrays of ``zones`` with the codes of ``places`` and ``sites`` (given by the caller); copies of
    the ones kept with the index when they were built with the same codes and added none (every batch on
    unchanged zones builds a monitor on the very same index: building them was a tenth of a batch)."""
    kept = zones.arrays.get(cfg)
    if kept is not None and kept[0] == places.names and kept[1] == sites.names:
        return ZoneArrays(*(a.copy() for a in kept[2]))
    before = (list(places.names), list(sites.names))
    built = _zone_arrays(zones, cfg, places, sites)
    if before == (places.names, sites.names):  # the codes are as given: the same codes give the same arrays
        zones.arrays[cfg] = (*before, tuple(a.copy() for a in _parts(built)))
    return built


def _parts(za: ZoneArrays) -> tuple[npt.NDArray[np.generic], ...]:
    return za.zi, za.zf, za.zd_start, za.zd, za.lk_start, za.lk


def _zone_arrays(zones: ZoneIndex, cfg: Config, places: Codes, sites: Codes) -> ZoneArrays:
    zl = zones.zones
    same = zones.same_places(cfg.recon_same_place_m)
    place, site = places.code, sites.code
    zi = np.array(
        [[_RING.get(z.ring, k.INNER), place[same[z.place]], site[z.site_id or ""]] for z in zl], np.int64
    ).reshape(-1, 3)
    zf = np.array(
        [[z.dwell_threshold_s, z.window[1].timestamp() if z.window else np.inf] for z in zl], np.float64
    ).reshape(-1, 2)
    due = [zones.due[z.id] for z in zl]
    zd_start = np.zeros(len(zl) + 1, np.int64)
    zd_start[1:] = np.cumsum([len(d) for d in due])
    zd = np.array([t for d in due for t in d], np.float64)
    order = {z.id: i for i, z in enumerate(zl)}
    links = zones.links(same, order, passed=cfg.recon_route_sites) if cfg.links_places else {}
    n_places = len(places.names)
    by_place = [sorted(links.get(places.names[p] or "", ()), key=lambda x: x.zone) for p in range(n_places)]
    lk_start = np.zeros(n_places + 1, np.int64)
    lk_start[1:] = np.cumsum([len(x) for x in by_place])
    lk = np.zeros((int(lk_start[-1]), 4), np.int64)
    lkf = lk.view(np.float64)
    r = 0
    for rows in by_place:
        for link in rows:
            lk[r, 0], lk[r, 1] = place[link.other], link.zone
            lkf[r, 2], lkf[r, 3] = link.start, link.end
            r += 1
    return ZoneArrays(zi, zf, zd_start, zd, lk_start, lk)
