"""The compiled cordon monitor's alerts: as a table of columns, and as `CordonAlert` values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from outrider.cordon import kernel_layout as kl
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event
from outrider.cordon.zones import Zone, ZoneIndex

I8 = npt.NDArray[np.int64]
F8 = npt.NDArray[np.float64]
KINDS = {
    kl.DWELL: "dwell",
    kl.RECON: "reconnaissance",
    kl.LOITER: "loiter",
}  # the kernel's alert kinds by name


def utc(ts: float) -> datetime:
    """Seconds since the epoch as a time in UTC."""
    return datetime.fromtimestamp(ts, tz=UTC)


@dataclass(frozen=True, slots=True)
class AlertTable:
    """The alerts of a batch as columns, in the order they were raised (one row per alert)."""

    kinds: list[str]  # dwell, reconnaissance, loiter
    events: I8  # arrival number of the event that raised each (the first event pushed is 0)
    plates: list[str]
    zone_ids: list[str | None]
    times: F8  # seconds since the epoch of the event that raised each
    starts: F8  # dwell: when the episode began
    counts: I8  # dwell and loiter: sightings; reconnaissance: places
    places: dict[int, list[tuple[str, float]]]  # reconnaissance rows: (place, last sighting) each

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
            start = float(table.starts[a])
            alerts.append(dwell_alert(cfg, by_id[zone_id], plate, at, ts, start, int(table.counts[a])))
        elif kind == "loiter":
            assert zone_id is not None
            alerts.append(loiter_alert(by_id[zone_id], plate, at, int(table.counts[a])))
        else:
            alerts.append(recon_alert(cfg, plate, at, table.places[a]))
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
    by_id, (plates, zone_ids, places) = zones.by_id, names
    alerts = []
    for (kind, eid, plate, zone, count, offset), (ts, start) in zip(
        rows[:, : kl.O_TIME].tolist(), rows.view(np.float64)[:, kl.O_TIME :].tolist(), strict=True
    ):
        event = events.get(eid)
        at = event.at if event is not None else utc(ts)
        name = plates[plate] or ""
        if kind == kl.DWELL:
            alerts.append(dwell_alert(cfg, by_id[zone_ids[zone]], name, at, ts, start, count))
        elif kind == kl.LOITER:
            alerts.append(loiter_alert(by_id[zone_ids[zone]], name, at, count))
        else:
            alerts.append(recon_alert(cfg, name, at, evidence(ev, places, offset, count)))
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
    )


def dwell_alert(
    cfg: Config, zone: Zone, plate: str, at: datetime, ts: float, start: float, count: int
) -> CordonAlert:
    due = [t for t in zone.movements_due if at <= t <= at + timedelta(seconds=cfg.due_window_s)]
    minutes = int((ts - start) // 60)
    return CordonAlert(
        "dwell",
        plate,
        at,
        "critical" if due else "high",
        zone.id,
        zone.place,
        f"{plate} has been inside the outer cordon for {minutes} min without inspection"
        + ("; a protected movement is due" if due else ""),  # its time stays out of the title
        {
            "first_seen": utc(start).isoformat(),
            "last_seen": at.isoformat(),
            "sightings": count,
            "missing_inspection": {
                "site_id": zone.site_id,
                "checkpoints": sorted(zone.checkpoints),
                "since": utc(start - cfg.pre_clear_s).isoformat(),
            },
            "movement_due": min(due).isoformat() if due else None,
        },
    )


def loiter_alert(zone: Zone, plate: str, at: datetime, count: int) -> CordonAlert:
    return CordonAlert(
        "loiter",
        plate,
        at,
        "high",
        zone.id,
        zone.place,
        f"{plate} seen {count} times along a planned route before the movement",
        {"sightings": count, "window": [w.isoformat() for w in zone.window] if zone.window else None},
    )


def recon_alert(cfg: Config, plate: str, at: datetime, places: list[tuple[str, float]]) -> CordonAlert:
    seen = sorted(places)
    return CordonAlert(
        "reconnaissance",
        plate,
        at,
        "high",
        None,
        None,
        f"{plate} seen near {len(seen)} protected places within {cfg.recon_window_s // 3600} h",
        {"places": [{"place": p, "first_seen": utc(t).isoformat()} for p, t in seen]},
    )
