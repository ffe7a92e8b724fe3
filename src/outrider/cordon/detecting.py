"""The detectors of a cordon batch: the zones they watch, run from the saved state, ahead of the lock.

A batch's detectors resume from the state the last batch saved (its restore, then the batch, are most of a
batch's work). They run first from the state as read without any lock (`run_ahead`); `detect` then takes
the state under the write turn (SQLite) or its row lock (PostgreSQL) and keeps that outcome when the state
is still the one it ran from, compared whole, or runs them again from it: one batch at a time moves the
detectors forward, and other writers no longer wait while a batch restores the state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event
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


_STATE = select(DetectorState.snapshot).where(DetectorState.id == 1)


@dataclass
class Ahead:
    """A batch run through the detectors before the write turn (SQLite) or the state's row lock
    (PostgreSQL), from the state as read then: `ingest` keeps its outcome when the state it then reads
    under the lock is still that one, and runs the detectors again otherwise. The restore of the saved
    state and the detectors are most of a batch's work; every other writer waits while it is done under
    the turn."""

    snapshot: dict[str, Any] | None
    zones: ZoneIndex
    monitor: CompiledMonitor
    found: list[CordonAlert]
    late_before: int
    unknown_before: int


def _resume(zones: ZoneIndex, snapshot: dict[str, Any] | None, config: Config) -> CompiledMonitor:
    if not snapshot:  # no state yet, or created empty: nothing to resume
        return CompiledMonitor(zones, config)
    return CompiledMonitor.restore(zones, snapshot, config)


def run_ahead(
    session: Session,
    *,
    caller: Caller,
    events: Sequence[Event],
    now: datetime,
    flush: bool = False,
    config: Config | None = None,
) -> Ahead:
    """The detectors on a batch from the state as it is now, read without any lock (see `Ahead`)."""
    require_feeder(caller)
    zones = ZoneIndex(build_zones(session, now=now))
    snapshot = session.execute(_STATE).scalar_one_or_none()
    monitor = _resume(zones, snapshot, config or Config())
    late, unknown = monitor.late, monitor.unknown_zone
    found = monitor.push_events(events, flush=flush)
    return Ahead(snapshot, zones, monitor, found, late, unknown)


def _locked_state(session: Session, *, now: datetime) -> DetectorState:
    """The detectors' saved state, locked on PostgreSQL (one batch at a time moves the detectors forward;
    on SQLite the write turn, taken before, does that); created empty by the very first batch."""
    dialect = session.get_bind().dialect.name
    stmt = select(DetectorState).where(DetectorState.id == 1).execution_options(populate_existing=True)
    if dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:
        # The first batches ever: each would create the state and all but one fail on its key. Create it
        # empty unless another batch just did, then lock it like any later batch.
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(DetectorState)
            .values(id=1, snapshot={}, updated_at=now)
            .on_conflict_do_nothing(index_elements=[DetectorState.id])
        )
        row = session.scalars(stmt).one()
    return row


def detect(
    session: Session,
    events: Sequence[Event],
    *,
    now: datetime,
    flush: bool,
    config: Config,
    ahead: Ahead | None,
) -> tuple[Ahead, DetectorState]:
    """The detectors' outcome on the batch from the locked state: the one run ahead when that state is
    still the one it ran from (compared whole), else a run now."""
    state = _locked_state(session, now=now)
    if ahead is not None and (state.snapshot or None) == (ahead.snapshot or None):
        return ahead, state
    zones = ahead.zones if ahead is not None else ZoneIndex(build_zones(session, now=now))
    monitor = _resume(zones, state.snapshot, config)
    late, unknown = monitor.late, monitor.unknown_zone
    found = monitor.push_events(events, flush=flush)
    return Ahead(state.snapshot, zones, monitor, found, late, unknown), state
