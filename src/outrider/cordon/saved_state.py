"""The detectors' saved state kept per plate: a batch reads only what it can touch and writes what changed.

The detectors' snapshot (`detectors.CordonMonitor.snapshot`'s format) was one document read and written
whole by every batch, and it grew with every plate seen and every event buffered (the reorder buffer
holds the lateness window's events: with sightings arriving live, all of the last five minutes'). It is
kept as rows instead: a head (watermark, counters, when the state next expires, how many events are
buffered: `DetectorState`), the buffered events (`PendingEvent`) and each plate's own state
(`PlateState`: episodes, inspections, places, reconnaissance and loiter entries, all keyed by plate).

A batch's detectors touch only (exactly, not as an approximation):

* the buffered events it releases: those at or before the watermark the batch reaches (the latest time
  seen, with the batch's, minus the lateness; everything with a flush). Events after it stay buffered
  whatever the batch holds, and released events never depend on them (release is in time order);
* the state of the plates of those events and of its own: every rule reads and writes only the state of
  the plate it is applied to;
* all of it when the state may expire during the batch (every 50,000 events released at least): then the
  whole state is read, as before, and the expired entries are deleted.

So the monitor is restored from that part (`load`) and, after the batch, `store` deletes the events it
released, inserts those it buffers, and writes the states of its plates that changed (deleting those left
empty). The outcome is the monitor the whole state would have given: the same alerts and counters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from outrider.cordon import detectors
from outrider.cordon.detectors import SNAPSHOT_VERSION, Config
from outrider.cordon.events import Event
from outrider.cordon.models import PendingEvent, PlateState

HEAD_KEYS = ("max_seen", "released_upto", "counters", "next_expire")


@dataclass
class Loaded:
    """What a batch read of the saved state: the head, the buffered events it releases (their rows) and
    the states of its plates (None: the plate has none)."""

    head: dict[str, Any]
    pending_ids: list[int] = field(default_factory=list)
    plates: dict[str, dict[str, Any] | None] = field(default_factory=dict)


def is_whole_document(snapshot: dict[str, Any]) -> bool:
    """A snapshot stored whole in the head (before the state was kept per plate)."""
    return "buffer" in snapshot


def _reach(head: dict[str, Any], events: Sequence[Event], flush: bool, config: Config) -> float:
    """The watermark the batch reaches (late events never raise the latest time seen)."""
    if flush:
        return math.inf
    seen = head.get("max_seen")
    latest = max([e.at.timestamp() for e in events], default=-math.inf)
    return max(latest, seen if seen is not None else -math.inf) - config.lateness_s


def _may_expire(head: dict[str, Any], events: Sequence[Event]) -> bool:
    """Whether the batch may release enough events to reach the next expiry (as a restore reads it)."""
    processed = int((head.get("counters") or {}).get("processed", 0))
    due = int(head.get("next_expire", processed + detectors._EXPIRE_EVERY))
    return processed + int(head.get("buffered", 0)) + len(events) >= due


def load(
    session: Session, head: dict[str, Any], events: Sequence[Event], *, flush: bool, config: Config
) -> tuple[dict[str, Any] | None, Loaded]:
    """The snapshot the batch's monitor resumes from (None: no state yet) and what was read of it."""
    if not head:
        return None, Loaded({})
    whole = _may_expire(head, events)
    rows = select(PendingEvent.id, PendingEvent.plate, PendingEvent.event).order_by(PendingEvent.id)
    if not whole:
        rows = rows.where(PendingEvent.at <= _reach(head, events, flush, config))
    pending = session.execute(rows).all()
    plates = {e.plate for e in events} | {p for _, p, _ in pending}
    states = select(PlateState.plate, PlateState.state)
    found: dict[str, dict[str, Any] | None] = {}
    for chunk in [None] if whole else _chunks(sorted(plates)):
        stmt = states if chunk is None else states.where(PlateState.plate.in_(chunk))
        found.update((str(p), s) for p, s in session.execute(stmt))
    # the plates read, with None for those that have no state yet
    loaded = Loaded(head, [i for i, _, _ in pending], {**dict.fromkeys(plates), **found})
    return join(head, [e for _, _, e in pending], found), loaded


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[k : k + 900] for k in range(0, len(values), 900)]  # under every driver's limit


def adopt(session: Session, snapshot: dict[str, Any]) -> dict[str, Any]:
    """Keep a snapshot stored whole (before the state was kept per plate) as rows; returns its head."""
    head, buffer, plates = split(snapshot)
    session.execute(delete(PendingEvent))
    session.execute(delete(PlateState))
    if buffer:
        session.execute(insert(PendingEvent), _pending_rows(buffer))
    if plates:
        session.execute(insert(PlateState), [{"plate": p, "state": s} for p, s in plates.items()])
    return head


def join(
    head: dict[str, Any], buffer: list[dict[str, Any]], plates: dict[str, dict[str, Any] | None]
) -> dict[str, Any]:
    """A snapshot in the detectors' format from a head, buffered events and plates' states."""
    out: dict[str, Any] = {"version": SNAPSHOT_VERSION, **{k: head.get(k) for k in HEAD_KEYS}}
    out["counters"] = dict(head.get("counters") or {"late": 0, "unknown_zone": 0, "processed": 0})
    if out["next_expire"] is None:
        out.pop("next_expire")
    out.update(buffer=buffer, episodes=[], inspections=[], places=[], recon_alerted={}, loiter=[])
    for plate, state in plates.items():
        if not state:
            continue
        out["episodes"] += [[plate, *e] for e in state.get("episodes", ())]
        out["inspections"] += [[plate, *i] for i in state.get("inspections", ())]
        if state.get("places"):
            out["places"].append([plate, dict(state["places"])])
        if state.get("recon") is not None:
            out["recon_alerted"][plate] = state["recon"]
        out["loiter"] += [[plate, *lo] for lo in state.get("loiter", ())]
    return out


def split(snapshot: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """A snapshot as its head, its buffered events (release order) and each plate's state."""
    head = {k: snapshot.get(k) for k in HEAD_KEYS}
    head["buffered"] = len(snapshot["buffer"])
    plates: dict[str, dict[str, Any]] = {}

    def of(plate: str) -> dict[str, Any]:
        return plates.setdefault(plate, {})

    for plate, *rest in snapshot["episodes"]:
        of(plate).setdefault("episodes", []).append(rest)
    for plate, *rest in snapshot["inspections"]:
        of(plate).setdefault("inspections", []).append(rest)
    for plate, seen in snapshot["places"]:
        if seen:
            of(plate)["places"] = dict(seen)
    for plate, at in snapshot["recon_alerted"].items():
        of(plate)["recon"] = at
    for plate, *rest in snapshot["loiter"]:
        of(plate).setdefault("loiter", []).append(rest)
    return head, list(snapshot["buffer"]), plates


def store(session: Session, after: dict[str, Any], loaded: Loaded) -> dict[str, Any]:
    """Save the monitor's state after the batch (``after``: its snapshot, of what was loaded and the
    batch); returns the new head. The caller holds the state's lock and writes the head."""
    head, buffer, plates = split(after)
    held = int(loaded.head.get("buffered", 0)) if loaded.head else 0
    head["buffered"] = held - len(loaded.pending_ids) + len(buffer)
    for chunk in range(0, len(loaded.pending_ids), 900):
        ids = loaded.pending_ids[chunk : chunk + 900]
        session.execute(delete(PendingEvent).where(PendingEvent.id.in_(ids)))
    if buffer:  # in release order, after every event buffered before: their arrival order is kept
        session.execute(insert(PendingEvent), _pending_rows(buffer))
    _write_plates(session, plates, loaded)
    return head


def _pending_rows(buffer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    at = [datetime.fromisoformat(str(e["at"])).timestamp() for e in buffer]
    return [{"at": t, "plate": e["plate"], "event": e} for t, e in zip(at, buffer, strict=True)]


def _write_plates(session: Session, plates: dict[str, dict[str, Any]], loaded: Loaded) -> None:
    before = loaded.plates
    gone = sorted(p for p, state in before.items() if state is not None and p not in plates)
    for chunk in _chunks(gone):  # expired, or emptied
        session.execute(delete(PlateState).where(PlateState.plate.in_(chunk)))
    new = [{"plate": p, "state": s} for p, s in plates.items() if before.get(p) is None]
    if new:
        session.execute(insert(PlateState), new)
    changed = [{"plate": p, "state": s} for p, s in plates.items() if before.get(p) not in (None, s)]
    if changed:  # by primary key, in one statement
        session.execute(update(PlateState), changed)
