"""The detectors of a cordon batch: the zones they watch, and their state, moved forward one batch at a time.

A batch's detectors resume from the state the last batch saved, in the write turn (SQLite) or under the
state's row lock (PostgreSQL). That state is kept per plate (`saved_state`): a batch restores only the
buffered events it releases and the states of their plates and its own, so its cost follows the batch,
not everything the watch has seen (a whole document restored, or a monitor kept per process, cost 0.1 s
for 1,300 buffered events and grew with every plate). The zones are read before the lock; their index is
built again only when they changed.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider import db
from outrider.access.policy import Caller
from outrider.cordon import saved_state
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event, Sighting
from outrider.cordon.models import DetectorState
from outrider.cordon.zones import Zone, ZoneIndex, corridor_zone, site_zones
from outrider.errors import Forbidden
from outrider.movements import nearby
from outrider.registry.models import Site

CORRIDOR_WIDTH_M = 500.0
CORRIDOR_LEAD = timedelta(hours=6)  # a route is watched from this long before departure until arrival
DUE_HORIZON = timedelta(hours=24)


def require_feeder(caller: Caller) -> None:
    """Forbidden unless the caller feeds cordon events: host security's duty officers and administrators."""
    if caller.org_kind != "host_security" or not caller.roles & {"admin", "duty_officer"}:
        raise Forbidden("cordon events come from host security (duty officers, or their integration tokens)")


# The sites watched, as the columns of their rings (loading each site as an object cost more than its zones).
_SITES = (
    select(
        Site.id,
        Site.lon,
        Site.lat,
        Site.inner_radius_m,
        Site.outer_radius_m,
        Site.inner_polygon,
        Site.outer_polygon,
    )
    .where(Site.kind != "checkpoint")
    .order_by(Site.id)
)


def build_zones(session: Session, *, now: datetime) -> list[Zone]:
    """Zones from every site's rings and from the corridors of the live movements due around now."""
    # Live: approved, under way or overdue (`lifecycle.LIVE`, the read's default); their columns only.
    active = nearby.due_near(session, start=now - timedelta(hours=1), end=now + DUE_HORIZON)
    due: dict[int, list[datetime]] = {}
    for row in active:
        if row.origin_site_id:
            due.setdefault(row.origin_site_id, []).append(row.planned_departure)
        if row.destination_site_id:
            due.setdefault(row.destination_site_id, []).append(row.planned_arrival)
    zones: list[Zone] = []
    for site in session.execute(_SITES):
        zones += site_zones(
            site_id=str(site.id),
            lon=site.lon,
            lat=site.lat,
            inner_radius_m=site.inner_radius_m,
            outer_radius_m=site.outer_radius_m,
            inner_polygon=site.inner_polygon,
            outer_polygon=site.outer_polygon,
            movements_due=due.get(site.id, ()),
        )
    for row in active:
        window = (row.planned_departure - CORRIDOR_LEAD, row.planned_arrival)
        zones.append(
            corridor_zone(
                movement_id=str(row.id),
                route=row.route["coordinates"],
                width_m=CORRIDOR_WIDTH_M,
                window=window,
                ends=(row.origin_site_id, row.destination_site_id),  # reconnaissance at its two ends
            )
        )
    return zones


_HEAD = select(DetectorState.updated_at, DetectorState.snapshot).where(DetectorState.id == 1)
_TICK = timedelta(microseconds=1)


@dataclass
class Ahead:
    """A batch run through the detectors under the lock, from the state's version ``version`` (None: no
    state yet), before the batch's other writes; ``loaded``: the part of the saved state it read."""

    version: datetime | None
    zones: list[Zone]
    monitor: CompiledMonitor
    found: list[CordonAlert]
    late_before: int
    unknown_before: int
    loaded: saved_state.Loaded


# The zones' index of the last batch, per engine: an unchanged site or route gives the very same (cached)
# zone, and then the same index serves (building it, with its tree and the corridors' arrays, is work).
_indexes: weakref.WeakKeyDictionary[Engine, tuple[list[Zone], ZoneIndex]] = weakref.WeakKeyDictionary()
_indexes_guard = threading.Lock()


def _same_zones(a: list[Zone], b: list[Zone]) -> bool:
    # Zones compare without their geometry; an unchanged site or route gives the very same (cached) one.
    return len(a) == len(b) and all(x == y and x.geometry is y.geometry for x, y in zip(a, b, strict=True))


def _index(session: Session, zones: list[Zone]) -> ZoneIndex:
    engine = session.get_bind().engine
    with _indexes_guard:
        kept = _indexes.get(engine)
    if kept is not None and _same_zones(kept[0], zones):
        return kept[1]
    index = ZoneIndex(zones)
    with _indexes_guard:
        _indexes[engine] = (zones, index)
    return index


def run_ahead(
    session: Session,
    *,
    caller: Caller,
    events: Sequence[Event],
    now: datetime,
    flush: bool = False,
    config: Config | None = None,
) -> Ahead:
    """The detectors on a batch: the zones read first, then the write turn (SQLite) and the state's row
    lock (PostgreSQL) taken, the monitor resumed (see the module) and the batch pushed."""
    require_feeder(caller)
    zones = build_zones(session, now=now)
    _kernels_loaded()
    db.write_turn(session)  # what follows decides the writes: it is read within the turn (SQLite)
    return _run(session, events, zones, _lock(session, now=now), flush, config or Config())


@functools.cache
def _kernels_loaded() -> None:
    """Load the detectors' compiled kernels once per process (on a fresh install, compile them) before the
    write turn: a process's first batch spent 1.2 s doing it (10 s uncompiled) in the turn that every
    other writer waits for."""
    warm = [Sighting("WARM", datetime(2000, 1, 1, tzinfo=UTC), "camera", "warm")]
    monitor = CompiledMonitor(ZoneIndex([]), Config())
    monitor.push_events(warm)
    CompiledMonitor.restore(ZoneIndex([]), monitor.snapshot(), Config()).push_events(warm, flush=True)


def _run(
    session: Session,
    events: Sequence[Event],
    zones: list[Zone],
    locked: tuple[datetime | None, dict[str, Any]],
    flush: bool,
    config: Config,
) -> Ahead:
    version, head = locked
    if saved_state.is_whole_document(head):  # saved before the state was kept per plate
        head = saved_state.adopt(session, head)
    snapshot, loaded = saved_state.load(session, head, events, flush=flush, config=config)
    index = _index(session, zones)
    if snapshot is None:
        monitor = CompiledMonitor(index, config)
    else:
        monitor = CompiledMonitor.restore(index, snapshot, config)
    late, unknown = monitor.late, monitor.unknown_zone
    found = monitor.push_events(events, flush=flush)
    return Ahead(version, zones, monitor, found, late, unknown, loaded)


def _lock(session: Session, *, now: datetime) -> tuple[datetime | None, dict[str, Any]]:
    """The version and head of the detectors' saved state, its row locked on PostgreSQL (one batch at a
    time moves the detectors forward; on SQLite the write turn, taken before, does that); created empty by
    the very first batch."""
    dialect = session.get_bind().dialect.name
    stmt = _HEAD.with_for_update() if dialect == "postgresql" else _HEAD
    row = session.execute(stmt).one_or_none()
    if row is None:
        # The first batches ever: each would create the state and all but one fail on its key. Create it
        # empty unless another batch just did, then lock it like any later batch.
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(DetectorState)
            .values(id=1, snapshot={}, updated_at=now)
            .on_conflict_do_nothing(index_elements=[DetectorState.id])
        )
        row = session.execute(stmt).one()
    return row[0], dict(row[1] or {})


def detect(
    session: Session,
    events: Sequence[Event],
    *,
    now: datetime,
    flush: bool,
    config: Config,
    ahead: Ahead | None,
) -> Ahead:
    """The detectors' outcome on the batch: ``ahead``'s (`run_ahead`), else a run now under the lock."""
    if ahead is not None:
        return ahead
    zones = build_zones(session, now=now)
    _kernels_loaded()
    db.write_turn(session)
    return _run(session, events, zones, _lock(session, now=now), flush, config)


def save(session: Session, done: Ahead, *, config: Config, now: datetime) -> None:
    """Save the state the batch left (`saved_state.store`: the events it released and buffered, its plates'
    states that changed) and its head, as a version later than the one it moved forward (versions only
    ever grow, so a version names one state)."""
    head = saved_state.store(session, done.monitor.snapshot(), done.loaded)
    version = now if done.version is None or now > done.version else done.version + _TICK
    session.execute(
        update(DetectorState)
        .where(DetectorState.id == 1)
        .values(snapshot=head, updated_at=version)
        .execution_options(synchronize_session=False)
    )
