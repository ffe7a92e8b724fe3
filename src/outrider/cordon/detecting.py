"""The detectors of a cordon batch: the zones they watch, and their state, moved forward one batch at a time.

A batch's detectors resume from the state the last batch saved. Restoring it is most of a batch's work
when it holds every event of the lateness window (0.1 s for 1,300 events), and it was done in the write
turn (SQLite) or under the state's row lock (PostgreSQL) by every batch: a process now keeps the monitor
its last batch left, and its next batch uses it instead when the saved state is still the one that
batch saved (its version, which only ever grows) and the zones are the same; otherwise it restores the
state as before. The zones are read before the lock.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider import db
from outrider.access.policy import Caller
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
    for site in session.scalars(select(Site).where(Site.kind != "checkpoint").order_by(Site.id)):
        zones += site_zones(
            site_id=str(site.id),
            lon=site.lon,
            lat=site.lat,
            **site.rings(),
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


_VERSION = select(DetectorState.updated_at).where(DetectorState.id == 1)
_SNAPSHOT = select(DetectorState.snapshot).where(DetectorState.id == 1)
_TICK = timedelta(microseconds=1)


@dataclass
class Ahead:
    """A batch run through the detectors under the lock, from the state's version ``version`` (None: no
    state yet), before the batch's other writes."""

    version: datetime | None
    zones: list[Zone]
    monitor: CompiledMonitor
    found: list[CordonAlert]
    late_before: int
    unknown_before: int


@dataclass
class _Kept:
    """The monitor this process's last batch left, with the version it saved and what it watched."""

    version: datetime
    zones: list[Zone]
    config: Config
    monitor: CompiledMonitor


# Per engine: a monitor this process holds is the saved state itself, already restored (the restore of a
# state that holds every event of the lateness window costs a batch most of its time: 0.1 s for 1,300).
_kept: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()
_kept_guard = threading.Lock()


def _same_zones(a: list[Zone], b: list[Zone]) -> bool:
    # Zones compare without their geometry; an unchanged site or route gives the very same (cached) one.
    return len(a) == len(b) and all(x == y and x.geometry is y.geometry for x, y in zip(a, b, strict=True))


def _resume(session: Session, zones: list[Zone], version: datetime | None, config: Config) -> CompiledMonitor:
    """The monitor of the saved state at ``version``: the one this process left when it saved that very
    version and watched the same zones, else restored from the snapshot."""
    engine = session.get_bind().engine
    with _kept_guard:
        kept = _kept.pop(engine, None)  # one batch at a time uses (and moves) a monitor
    if (
        kept is not None
        and kept.version == version
        and kept.config == config
        and _same_zones(kept.zones, zones)
    ):
        return kept.monitor
    snapshot = session.execute(_SNAPSHOT).scalar_one_or_none() if version is not None else None
    if not snapshot:  # no state yet, or created empty: nothing to resume
        return CompiledMonitor(ZoneIndex(zones), config)
    return CompiledMonitor.restore(ZoneIndex(zones), snapshot, config)


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
    version: datetime | None,
    flush: bool,
    config: Config,
) -> Ahead:
    monitor = _resume(session, zones, version, config)
    late, unknown = monitor.late, monitor.unknown_zone
    found = monitor.push_events(events, flush=flush)
    return Ahead(version, zones, monitor, found, late, unknown)


def _lock(session: Session, *, now: datetime) -> datetime:
    """The version of the detectors' saved state, its row locked on PostgreSQL (one batch at a time moves
    the detectors forward; on SQLite the write turn, taken before, does that); created empty by the very
    first batch."""
    dialect = session.get_bind().dialect.name
    stmt = _VERSION.with_for_update() if dialect == "postgresql" else _VERSION
    version = session.execute(stmt).scalar_one_or_none()
    if version is None:
        # The first batches ever: each would create the state and all but one fail on its key. Create it
        # empty unless another batch just did, then lock it like any later batch.
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(DetectorState)
            .values(id=1, snapshot={}, updated_at=now)
            .on_conflict_do_nothing(index_elements=[DetectorState.id])
        )
        version = session.execute(stmt).scalar_one()
    return version


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
    """Save the state the batch left, as a version later than the one it moved forward (versions only ever
    grow, so a version names one state), and keep its monitor for this process's next batch."""
    version = now if done.version is None or now > done.version else done.version + _TICK
    session.execute(
        update(DetectorState)
        .where(DetectorState.id == 1)
        .values(snapshot=done.monitor.snapshot(), updated_at=version)
        .execution_options(synchronize_session=False)
    )
    with _kept_guard:
        _kept[session.get_bind().engine] = _Kept(version, done.zones, config, done.monitor)
