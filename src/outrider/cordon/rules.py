"""What the cordon detectors raise, shared by both monitors: the settings, the alert value, the dwell
severity ladder, and the titles and evidence of each kind of alert.

Both monitors decide *when* to raise (each in its own code); what an alert then says is written here once,
so the reference and the compiled monitor cannot drift apart in wording.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from outrider.cordon.zones import Zone

SEVERITIES = ("info", "warning", "high", "critical")  # a dwell alert's severity as its rank here
HIGH, CRITICAL = 2, 3
# Phases of a dwell episode: below the threshold, alerted and still live, ended (inspected).
WAITING, LIVE, DONE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Config:
    """The detectors' settings (all in seconds, metres or counts)."""

    lateness_s: int = 300
    presence_gap_s: int = 900
    pre_clear_s: int = 1800
    due_window_s: int = 3600  # dwell: critical when a protected movement is due within this
    recon_places: int = 3
    recon_window_s: int = 72 * 3600
    loiter_sightings: int = 3
    # A live dwell alert is updated at most this often (and whenever its severity rises).
    dwell_update_s: int = 300
    due_high_s: int = 0  # dwell: high when a movement is due within this (0: no such step)
    dwell_base_severity: str = "high"  # dwell: when no movement is due within those
    # Reconnaissance: two places suffice when they are the two ends of one movement due in the window,
    # or (``recon_route_sites``) any two of its ends and the sites its corridor passes.
    recon_route_ends: bool = True
    recon_route_sites: bool = False
    recon_same_place_m: float = 1000.0  # protected sites closer than this are one place

    def __post_init__(self) -> None:
        if self.dwell_base_severity not in SEVERITIES:
            raise ValueError(f"dwell_base_severity must be one of {', '.join(SEVERITIES)}")
        if self.dwell_update_s < 0 or self.due_high_s < 0 or self.recon_same_place_m < 0:
            raise ValueError("intervals and distances cannot be negative")

    @property
    def links_places(self) -> bool:
        """Whether movements due link places for reconnaissance."""
        return self.recon_route_ends or self.recon_route_sites

    @property
    def base_rank(self) -> int:
        """The rank of `dwell_base_severity`."""
        return SEVERITIES.index(self.dwell_base_severity)


@dataclass(frozen=True, slots=True)
class CordonAlert:
    """What a detector found, with its evidence."""

    kind: str  # dwell, reconnaissance, loiter
    plate: str
    at: datetime
    severity: str
    zone_id: str | None
    place: str | None
    title: str
    evidence: dict[str, Any] = field(compare=False)

    def to_json(self) -> dict[str, Any]:
        """The alert as a JSON object (one line of `outrider cordon replay --json`)."""
        return {
            "kind": self.kind,
            "plate": self.plate,
            "at": self.at.isoformat(),
            "severity": self.severity,
            "zone_id": self.zone_id,
            "place": self.place,
            "title": self.title,
            "evidence": self.evidence,
        }


def utc(ts: float) -> datetime:
    """Seconds since the epoch as a time in UTC."""
    return datetime.fromtimestamp(ts, tz=UTC)


def due_times(zone: Zone) -> list[float]:
    """The times the zone's protected movements are due, as sorted seconds since the epoch."""
    return sorted(t.timestamp() for t in zone.movements_due)


def dwell_rank(cfg: Config, due: Sequence[float], ts: float) -> tuple[int, float | None]:
    """The severity rank of a dwell at ``ts`` and the due time that sets it (None: none due soon).

    ``due`` is sorted; the next movement due at or after ``ts`` counts. The compiled kernel computes the
    same with the same arithmetic (`kernel_rules._rank`)."""
    i = bisect.bisect_left(due, ts)
    if i < len(due):
        ahead = due[i] - ts
        if ahead <= cfg.due_window_s:
            return CRITICAL, due[i]
        if ahead <= cfg.due_high_s:
            return max(HIGH, cfg.base_rank), due[i]
    return cfg.base_rank, None


def dwell_alert(
    cfg: Config,
    zone: Zone,
    plate: str,
    at: datetime,
    episode: tuple[float, float, int],
    rank: int,
    update: bool,
) -> CordonAlert:
    """A dwell alert or its update; ``episode`` is (start, this sighting) in seconds and the sightings."""
    start, ts, count = episode
    _, due = dwell_rank(cfg, due_times(zone), ts)
    due_at = min(t for t in zone.movements_due if t.timestamp() == due) if due is not None else None
    minutes = int((ts - start) // 60)
    return CordonAlert(
        "dwell",
        plate,
        at,
        SEVERITIES[rank],
        zone.id,
        zone.place,
        f"{plate} has been inside the outer cordon for {minutes} min without inspection"
        + ("; a protected movement is due" if due_at else ""),  # its time stays out of the title
        {
            "first_seen": utc(start).isoformat(),
            "last_seen": at.isoformat(),
            "sightings": count,
            "duration_min": minutes,
            "update": update,
            "missing_inspection": {
                "site_id": zone.site_id,
                "checkpoints": sorted(zone.checkpoints),
                "since": utc(start - cfg.pre_clear_s).isoformat(),
            },
            "movement_due": due_at.isoformat() if due_at else None,
        },
    )


def loiter_alert(zone: Zone, plate: str, at: datetime, count: int) -> CordonAlert:
    """A plate seen ``count`` times in a movement's corridor during its watch window."""
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


def recon_alert(
    cfg: Config, plate: str, at: datetime, places: list[tuple[str, float]], movement: Zone | None = None
) -> CordonAlert:
    """A plate seen near several protected places; ``movement``: the corridor whose two ends they are."""
    seen = sorted(places)
    hours = cfg.recon_window_s // 3600
    title = f"{plate} seen near {len(seen)} protected places within {hours} h"
    evidence: dict[str, Any] = {
        "places": [{"place": p, "first_seen": utc(t).isoformat()} for p, t in seen],
        "rule": "places",
    }
    if movement is None:
        return CordonAlert("reconnaissance", plate, at, "high", None, None, title, evidence)
    title += "; a protected movement between them is due"  # which one, and when, stay out
    evidence.update(rule="movement", movement=movement.place)
    # About that movement (its place, as a loiter alert's): its parties and its protocol facts see it.
    return CordonAlert("reconnaissance", plate, at, "high", None, movement.place, title, evidence)
