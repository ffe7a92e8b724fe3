"""The compiled cordon monitor's alerts: as a table of columns, and as `CordonAlert` values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from outrider.cordon import kernel_layout as kl
from outrider.cordon.events import Event
from outrider.cordon.rules import (
    SEVERITIES,
    Config,
    CordonAlert,
    dwell_alert,
    loiter_alert,
    recon_alert,
    utc,
)
from outrider.cordon.zones import ZoneIndex

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
B1 = npt.NDArray[np.bool_]
KINDS = {
    kl.DWELL: "dwell",
    kl.RECON: "reconnaissance",
    kl.LOITER: "loiter",
}  # the kernel's alert kinds by name


@dataclass(frozen=True, slots=True)
class AlertTable:
    """The alerts of a batch as columns, in the order they were raised (one row per alert)."""

    kinds: list[str]  # dwell, reconnaissance, loiter
    events: I8  # arrival number of the event that raised each (the first event pushed is 0)
    plates: list[str]
    # dwell and loiter: the zone; reconnaissance by two places: the corridor of the movement between them
    zone_ids: list[str | None]
    times: F8  # seconds since the epoch of the event that raised each
    starts: F8  # dwell: when the episode began
    counts: I8  # dwell and loiter: sightings; reconnaissance: places
    places: dict[int, list[tuple[str, float]]]  # reconnaissance rows: (place, last sighting) each
    severities: list[str]  # dwell: its severity (the others are high)
    updates: B1  # dwell: an update of the episode's live alert, not its first

    def __len__(self) -> int:
        return len(self.kinds)


Names = tuple[list[str | None], list[str], list[str | None]]  # plates, zone ids and places by code


def alerts_of(
    cfg: Config, zones: ZoneIndex, events: dict[int, Event], table: AlertTable
) -> list[CordonAlert]:
    """A table's alerts as `CordonAlert` values (an alert's time is its event's, if that event is held)."""
    by_id = zones.by_id
    alerts = []
    for a, kind in enumerate(table.kinds):
        ts = float(table.times[a])
        event = events.get(int(table.events[a]))
        at = event.at if event is not None else utc(ts)
        plate, zone_id = table.plates[a], table.zone_ids[a]
        if kind == "dwell":
            assert zone_id is not None
            episode = (float(table.starts[a]), ts, int(table.counts[a]))
            rank = SEVERITIES.index(table.severities[a])
            alerts.append(dwell_alert(cfg, by_id[zone_id], plate, at, episode, rank, bool(table.updates[a])))
        elif kind == "loiter":
            assert zone_id is not None
            alerts.append(loiter_alert(by_id[zone_id], plate, at, int(table.counts[a])))
        else:
            corridor = by_id[zone_id] if zone_id is not None else None
            alerts.append(recon_alert(cfg, plate, at, table.places[a], corridor))
    return alerts


def evidence(ev: I8, places: list[str | None], offset: int, count: int) -> list[tuple[str, float]]:
    """The places (and last sightings) a reconnaissance alert lists, from the kernel's evidence rows."""
    rows = ev[offset : offset + count]
    return [
        (places[p] or "", t)
        for p, t in zip(rows[:, 0].tolist(), rows.view(np.float64)[:, 1].tolist(), strict=True)
    ]


def values_of(
    cfg: Config, zones: ZoneIndex, events: dict[int, Event], rows: I8, ev: I8, names: Names
) -> list[CordonAlert]:
    """The kernel's output rows as `CordonAlert` values (an alert's time is its event's, if held)."""
    zl, (plates, _, places) = zones.zones, names
    alerts = []
    for (kind, eid, plate, zone, count, offset, rank, update), (ts, start) in zip(
        rows[:, : kl.O_TIME].tolist(), rows.view(np.float64)[:, kl.O_TIME :].tolist(), strict=True
    ):
        event = events.get(eid)
        at = event.at if event is not None else utc(ts)
        name = plates[plate] or ""
        if kind == kl.DWELL:
            alerts.append(dwell_alert(cfg, zl[zone], name, at, (start, ts, count), rank, bool(update)))
        elif kind == kl.LOITER:
            alerts.append(loiter_alert(zl[zone], name, at, count))
        else:
            corridor = zl[zone] if zone >= 0 else None
            alerts.append(recon_alert(cfg, name, at, evidence(ev, places, offset, count), corridor))
    return alerts


def table_of(rows: I8, ev: I8, names: Names) -> AlertTable:
    """The kernel's output rows as an `AlertTable`."""
    plates, zone_ids, places = names
    rows_f = rows.view(np.float64)
    recon = np.flatnonzero(rows[:, kl.O_KIND] == kl.RECON).tolist()
    return AlertTable(
        [KINDS[x] for x in rows[:, kl.O_KIND].tolist()],
        rows[:, kl.O_EVENT].copy(),
        [plates[p] or "" for p in rows[:, kl.O_PLATE].tolist()],
        [zone_ids[z] if z >= 0 else None for z in rows[:, kl.O_ZONE].tolist()],
        rows_f[:, kl.O_TIME].copy(),
        rows_f[:, kl.O_START].copy(),
        rows[:, kl.O_COUNT].copy(),
        {a: evidence(ev, places, int(rows[a, kl.O_EVIDENCE]), int(rows[a, kl.O_COUNT])) for a in recon},
        [SEVERITIES[r] if k == kl.DWELL else "high" for k, r in rows[:, [kl.O_KIND, kl.O_SEVERITY]].tolist()],
        rows[:, kl.O_UPDATE] != 0,
    )
