"""The detectors as one pure, incremental monitor: events in (any order within a lateness), alerts out.

Rules, exactly (the batch peers in benchmarks/cordon_detectors.py compute the same dwell rule):

* **presence**: the sightings of one plate in one zone form an episode while consecutive sightings
  are at most ``presence_gap_s`` apart; a longer gap starts a new episode (the vehicle left and came back).
* **dwell**: in an *outer* zone, at the first sighting of an episode at least ``zone.dwell_threshold_s``
  after the episode began, an alert is raised unless the plate passed a *cleared* inspection at a
  checkpoint of the zone's site between ``pre_clear_s`` before the episode began and that sighting.
  Severity follows the next protected movement due through the zone: critical when due within
  ``due_window_s``, high within ``due_high_s``, else ``dwell_base_severity`` (`rules.dwell_rank`).
  While the episode lasts the alert stays live: a later sighting re-raises it (an *update*, same kind,
  plate and zone, with the current duration and sightings) when ``dwell_update_s`` have passed since the
  last one or when the severity rises; its severity never falls. Such an inspection ends the episode.
* **reconnaissance**: when one plate has been seen at ``recon_places`` distinct protected places
  (sites or movement corridors) within ``recon_window_s``, or at two places that are the two ends (origin
  and destination sites) of one movement whose watch window begins within ``recon_window_s`` and has
  not ended (``recon_route_ends``; with ``recon_route_sites`` any two of its ends and the sites its
  corridor crosses); at most once per plate per window. Sites closer than
  ``recon_same_place_m`` are one place (`ZoneIndex.same_places`).
* **loiter on route**: when one plate has been seen ``loiter_sightings`` times in one movement's
  corridor during its watch window, once per plate and corridor.

Events are released in time order (inspections before sightings at the same instant) once the
watermark (the latest time seen minus ``lateness_s``) passes them; events earlier than the last released
event on arrival are counted as late and dropped. An alert is raised when the event that triggers it is
released, not at the end of the input. State is a plain JSON-serialisable snapshot that expires with the
watermark.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

from outrider.cordon.events import Event, Inspection, Sighting, event_from_mapping, event_to_json
from outrider.cordon.rules import (
    DONE,
    LIVE,
    WAITING,
    Config,
    CordonAlert,
    dwell_alert,
    dwell_rank,
    loiter_alert,
    recon_alert,
)
from outrider.cordon.zones import Zone, ZoneIndex

__all__ = ["Config", "CordonAlert", "CordonMonitor"]
SNAPSHOT_VERSION = 2

_EXPIRE_EVERY = 50_000  # events between two expiries of the state, at least


class CordonMonitor:
    """Feed events with `push`, end with `flush`; `snapshot`/`restore` carry the state across restarts."""

    def __init__(self, zones: ZoneIndex, config: Config | None = None) -> None:
        self.zones = zones
        self.config = config or Config()
        self._heap: list[tuple[float, int, int, Event]] = []
        self._seq = 0
        self.max_seen = float("-inf")
        self.released_upto = float("-inf")
        self.late = 0
        self.unknown_zone = 0
        self.processed = 0
        self._next_expire = _EXPIRE_EVERY
        # (plate, zone) -> [start, last sighting, phase, sightings, severity rank, last alert or update]
        self._episodes: dict[tuple[str, str], list[Any]] = {}
        self._inspections: dict[
            tuple[str, str], list[float]
        ] = {}  # (plate, site) -> cleared inspection times
        self._places: dict[str, dict[str, float]] = {}  # plate -> place -> last sighting time
        self._recon_alerted: dict[str, float] = {}
        self._loiter: dict[tuple[str, str], int] = {}  # (plate, corridor) -> count, -1 once alerted
        # The place each zone's place counts as, and the movements between places (reconnaissance).
        self._same = zones.same_places(self.config.recon_same_place_m)
        order = {z.id: i for i, z in enumerate(zones.zones)}
        cfg = self.config
        self._links = zones.links(self._same, order, passed=cfg.recon_route_sites) if cfg.links_places else {}
        self._rank = {p: i for i, p in enumerate(dict.fromkeys(z.place for z in zones.zones))}

    # --- input -------------------------------------------------------------------------------------

    def push(self, event: Event) -> list[CordonAlert]:
        """Accept one event; returns the alerts raised by the events this releases."""
        ts = event.at.timestamp()
        if ts < self.released_upto:  # the same instant as the last released event is not late
            self.late += 1
            return []
        self._seq += 1
        # Inspections sort before sightings at the same instant (0 < 1): a gate check clears at once.
        heapq.heappush(self._heap, (ts, 1 if type(event) is Sighting else 0, self._seq, event))
        if ts > self.max_seen:
            self.max_seen = ts
        watermark = self.max_seen - self.config.lateness_s
        if self._heap[0][0] > watermark:
            return []
        return self._release(watermark)

    def flush(self) -> list[CordonAlert]:
        """Release everything still buffered (end of a file, or a shutdown)."""
        return self._release(float("inf"))

    def _release(self, watermark: float) -> list[CordonAlert]:
        alerts: list[CordonAlert] = []
        heap = self._heap
        pop = heapq.heappop
        by_id = self.zones.by_id
        while heap and heap[0][0] <= watermark:
            ts, is_sighting, _, event = pop(heap)
            self.released_upto = ts  # the heap releases in time order, never below what it released before
            self.processed += 1
            if self.processed >= self._next_expire:
                self._expire(ts)
                # Expiring costs the size of the state: spacing it by that size keeps it O(1) per event.
                self._next_expire = self.processed + max(_EXPIRE_EVERY, self.state_size())
            if not is_sighting:
                assert isinstance(event, Inspection)
                if event.result == "cleared":
                    self._inspections.setdefault((event.plate, event.site_id), []).append(ts)
                continue
            assert isinstance(event, Sighting)
            # Hot path: a zone id given by the input is a dict lookup; only positions need the STR-tree.
            if event.zone_id is not None:
                zone = by_id.get(event.zone_id)
                if zone is None:
                    self.unknown_zone += 1
                    continue
                if zone.ring == "outer":
                    self._dwell(event, ts, zone, alerts)
                elif zone.ring == "corridor":
                    self._loiter_check(event, zone, alerts)
                self._recon(event, ts, (self._same[zone.place],), alerts)
            else:
                self._sighting(event, ts, alerts)
        return alerts

    # --- the detectors -----------------------------------------------------------------------------

    def _sighting(self, s: Sighting, ts: float, alerts: list[CordonAlert]) -> None:
        assert s.lat is not None and s.lon is not None
        places: set[str] = set()
        for zone in self.zones.at(s.lon, s.lat, s.at):
            places.add(self._same[zone.place])
            if zone.ring == "outer":
                self._dwell(s, ts, zone, alerts)
            elif zone.ring == "corridor":
                self._loiter_check(s, zone, alerts)
        if places:
            self._recon(s, ts, sorted(places), alerts)

    def _recon(self, s: Sighting, ts: float, places: Iterable[str], alerts: list[CordonAlert]) -> None:
        cfg = self.config
        seen = self._places.get(s.plate)
        if seen is None:
            seen = self._places[s.plate] = {}
        for place in places:
            seen[place] = ts  # the last sighting at each place: places not seen within the window drop out
        if len(seen) < cfg.recon_places and (len(seen) < 2 or not self._links):
            return
        # Stale places are pruned only when they could make the count: the common case stays O(1).
        since = ts - cfg.recon_window_s
        if len(seen) >= cfg.recon_places and any(t < since for t in seen.values()):
            seen = self._places[s.plate] = {p: t for p, t in seen.items() if t >= since}
        last = self._recon_alerted.get(s.plate)
        if last is not None and ts - last < cfg.recon_window_s:
            return
        if len(seen) >= cfg.recon_places:
            self._recon_alerted[s.plate] = ts
            alerts.append(recon_alert(cfg, s.plate, s.at, list(seen.items())))
        elif (pair := self._route_ends(seen, ts)) is not None:
            corridor, a, b = pair
            self._recon_alerted[s.plate] = ts
            alerts.append(recon_alert(cfg, s.plate, s.at, [(a, seen[a]), (b, seen[b])], corridor))

    def _route_ends(self, seen: dict[str, float], ts: float) -> tuple[Zone, str, str] | None:
        """Two places seen within the window that a movement links (its two ends, or with
        ``recon_route_sites`` any sites on its way), its watch window beginning within the window and not
        ended. The least (corridor, lower place rank, higher place rank) wins, ranks being the order in
        which places first appear among the zones (the compiled monitor's place codes)."""
        since, until = ts - self.config.recon_window_s, ts + self.config.recon_window_s
        rank = self._rank
        best: tuple[int, int, int] | None = None
        pair: tuple[str, str] = ("", "")
        for place, t in seen.items():
            if t < since:
                continue
            for link in self._links.get(place, ()):
                other = seen.get(link.other)
                if other is None or other < since or link.start > until or ts > link.end:
                    continue
                a, b = sorted((rank[place], rank[link.other]))
                if best is None or (link.zone, a, b) < best:
                    best, pair = (link.zone, a, b), (place, link.other)
        if best is None:
            return None
        return self.zones.zones[best[0]], pair[0], pair[1]

    def _dwell(self, s: Sighting, ts: float, zone: Zone, alerts: list[CordonAlert]) -> None:
        cfg = self.config
        key = (s.plate, zone.id)
        ep = self._episodes.get(key)
        if ep is None or ts - ep[1] > cfg.presence_gap_s:
            ep = [ts, ts, WAITING, 0, 0, 0.0]
            self._episodes[key] = ep
        ep[1] = ts
        ep[3] += 1
        phase = ep[2]
        if phase == DONE or (phase == WAITING and ts - ep[0] < zone.dwell_threshold_s):
            return
        # A cleared inspection since shortly before the episode began ends it: no alert, or no more updates.
        if any(
            ep[0] - cfg.pre_clear_s <= t <= ts
            for t in self._inspections.get((s.plate, zone.site_id or ""), ())
        ):
            ep[2] = DONE
            return
        rank, _ = dwell_rank(cfg, self.zones.due[zone.id], ts)
        if phase == LIVE:  # an update: when the severity rises, or once the interval has passed
            if rank <= ep[4] and ts - ep[5] < cfg.dwell_update_s:
                return
            rank = max(rank, ep[4])  # a live alert never calms down while the vehicle stays
        ep[2], ep[4], ep[5] = LIVE, rank, ts
        alerts.append(dwell_alert(cfg, zone, s.plate, s.at, (ep[0], ts, ep[3]), rank, phase == LIVE))

    def _loiter_check(self, s: Sighting, zone: Zone, alerts: list[CordonAlert]) -> None:
        key = (s.plate, zone.id)
        count = self._loiter.get(key, 0)
        if count < 0:
            return
        count += 1
        if count >= self.config.loiter_sightings:
            self._loiter[key] = -1
            alerts.append(loiter_alert(zone, s.plate, s.at, count))
        else:
            self._loiter[key] = count

    # --- bounded memory and restarts -----------------------------------------------------------------

    def _expire(self, now_ts: float) -> None:
        cfg = self.config
        horizon = now_ts - max(cfg.presence_gap_s, cfg.pre_clear_s) - 24 * 3600
        self._episodes = {k: v for k, v in self._episodes.items() if v[1] >= now_ts - cfg.presence_gap_s}
        self._inspections = {
            k: kept for k, v in self._inspections.items() if (kept := [t for t in v if t >= horizon])
        }
        recon_from = now_ts - cfg.recon_window_s
        self._places = {k: v for k, v in self._places.items() if v and max(v.values()) >= recon_from}
        self._recon_alerted = {k: t for k, t in self._recon_alerted.items() if t >= recon_from}
        # A corridor's loiter count matters only until its watch window closes (or the zone is gone).
        by_id = self.zones.by_id
        self._loiter = {
            k: c
            for k, c in self._loiter.items()
            if (z := by_id.get(k[1])) is not None and (z.window is None or z.window[1].timestamp() >= now_ts)
        }

    def state_size(self) -> int:
        """How many keys the detectors hold (for the boundedness check)."""
        return (
            len(self._episodes)
            + len(self._inspections)
            + len(self._places)
            + len(self._loiter)
            + len(self._heap)
        )

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-serialisable values."""
        return {
            "version": SNAPSHOT_VERSION,
            "max_seen": self.max_seen if self.max_seen != float("-inf") else None,
            "released_upto": self.released_upto if self.released_upto != float("-inf") else None,
            "counters": {"late": self.late, "unknown_zone": self.unknown_zone, "processed": self.processed},
            "next_expire": self._next_expire,
            "buffer": [event_to_json(e) for _, _, _, e in sorted(self._heap)],
            "episodes": [[p, z, *v] for (p, z), v in self._episodes.items()],
            "inspections": [[p, s, v] for (p, s), v in self._inspections.items()],
            "places": [[p, v] for p, v in self._places.items()],
            "recon_alerted": self._recon_alerted,
            "loiter": [[p, z, c] for (p, z), c in self._loiter.items()],
        }

    @classmethod
    def restore(cls, zones: ZoneIndex, data: dict[str, Any], config: Config | None = None) -> CordonMonitor:
        """A monitor that continues exactly where the snapshot left off."""
        m = cls(zones, config)
        data = upgrade(data, m._same)
        m.max_seen = data["max_seen"] if data["max_seen"] is not None else float("-inf")
        m.released_upto = data["released_upto"] if data["released_upto"] is not None else float("-inf")
        m.late, m.unknown_zone, m.processed = (
            data["counters"][k] for k in ("late", "unknown_zone", "processed")
        )
        m._next_expire = int(data.get("next_expire", m.processed + _EXPIRE_EVERY))
        for raw in data["buffer"]:
            event = event_from_mapping(raw)
            m._seq += 1
            heapq.heappush(
                m._heap, (event.at.timestamp(), 0 if isinstance(event, Inspection) else 1, m._seq, event)
            )
        m._episodes = {(p, z): list(v) for p, z, *v in data["episodes"]}
        m._inspections = {(p, s): list(v) for p, s, v in data["inspections"]}
        m._places = {p: dict(v) for p, v in data["places"]}
        m._recon_alerted = dict(data["recon_alerted"])
        m._loiter = {(p, z): c for p, z, c in data["loiter"]}
        return m


def upgrade(data: dict[str, Any], same: dict[str, str]) -> dict[str, Any]:
    """A snapshot of either version as version 2, its places counted as ``same`` says.

    Version 1 kept whether an episode had alerted, not whether an inspection ended it: such an episode
    is taken as ended (no updates), never as live (no update of an alert that was never raised)."""
    version = data.get("version")
    if version not in (1, SNAPSHOT_VERSION):
        raise ValueError("unknown cordon snapshot version")
    if version == 1:
        episodes = [
            [p, z, a, b, DONE if alerted else WAITING, n, 0, 0.0]
            for p, z, a, b, alerted, n in data["episodes"]
        ]
        data = {**data, "version": SNAPSHOT_VERSION, "episodes": episodes}
    places = []
    for plate, seen in data["places"]:
        merged: dict[str, float] = {}
        for place, t in seen.items():  # sites found to be one place since the snapshot: the latest counts
            name = same.get(place, place)
            merged[name] = max(t, merged.get(name, t))
        places.append([plate, merged])
    return {**data, "places": places}
