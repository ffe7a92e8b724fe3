"""Use cases of cordon monitoring: ingest events, run the detectors from their saved state, raise alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.models import DetectorState, InspectionRow, SightingRow
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
            )
        )
    return zones


@dataclass
class IngestResult:
    """What one batch did."""

    stored: int = 0
    late: int = 0
    unknown_zone: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)


def _monitor(
    session: Session, zones: ZoneIndex, config: Config, *, now: datetime
) -> tuple[CompiledMonitor, DetectorState]:
    dialect = session.get_bind().dialect.name
    stmt = select(DetectorState).where(DetectorState.id == 1)
    if dialect == "postgresql":
        stmt = stmt.with_for_update()  # one batch at a time moves the detectors forward
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
        row = session.scalars(stmt.execution_options(populate_existing=True)).one()
    if not row.snapshot:  # created empty: nothing to resume
        return CompiledMonitor(zones, config), row
    return CompiledMonitor.restore(zones, row.snapshot, config), row


def ingest(
    session: Session,
    *,
    caller: Caller,
    events: Sequence[Event],
    now: datetime,
    flush: bool = False,
    config: Config | None = None,
) -> IngestResult:
    """Store the events, run them through the detectors (resumed from their saved state), raise alerts.

    With ``flush`` the buffer is emptied (the end of a file): events that arrive later than that are late.
    """
    require_feeder(caller)
    cfg = config or Config()
    monitor, state = _monitor(session, ZoneIndex(build_zones(session, now=now)), cfg, now=now)
    late_before, unknown_before = monitor.late, monitor.unknown_zone
    result = IngestResult()
    for e in events:
        # An event's fields are the columns of its table, received now.
        table = InspectionRow if isinstance(e, Inspection) else SightingRow
        session.add(table(**{f.name: getattr(e, f.name) for f in fields(e)}, received_at=now))
        result.stored += 1
    # The compiled detectors take the batch at once; the alerts are those of pushing it event by event.
    found: list[CordonAlert] = monitor.push_events(events, flush=flush)
    session.flush()
    for alert in found:
        result.alerts.append(_raise(session, alert, now=now))
    result.late = monitor.late - late_before
    result.unknown_zone = monitor.unknown_zone - unknown_before
    state.snapshot, state.updated_at = monitor.snapshot(), now
    session.flush()
    return result


def _due_references(session: Session, site_id: int, due: datetime) -> list[str]:
    """The movements due at the site at that time (leaving from it, or arriving at it)."""
    return sorted(
        d.reference
        for d in nearby.due_near(session, sites=[site_id], start=due, end=due)
        if (d.origin_site_id == site_id and d.planned_departure == due)
        or (d.destination_site_id == site_id and d.planned_arrival == due)
    )


def neutral_details(session: Session, alert: CordonAlert) -> dict[str, Any]:
    """What every reader of a cordon alert sees: no itinerary fact (a movement's time or watch window),
    only the references of the movements concerned; their pages answer the rest through need-to-know."""
    evidence = dict(alert.evidence)
    refs: list[str] = []
    due = evidence.pop("movement_due", None)
    if alert.kind == "dwell":
        evidence["movement_due"] = due is not None
        if due is not None and alert.place and alert.place.startswith("site:"):
            refs = _due_references(session, int(alert.place.split(":")[1]), datetime.fromisoformat(due))
    if evidence.pop("window", None) is not None and alert.place and alert.place.startswith("movement:"):
        ref = nearby.reference_of(session, int(alert.place.split(":")[1]))
        refs = [ref] if ref is not None else []
    if refs or alert.kind in ("dwell", "loiter"):
        evidence["movements"] = refs
    return {**alert.to_json(), "evidence": evidence, "plate": alert.plate}


def _raise(session: Session, alert: CordonAlert, *, now: datetime) -> dict[str, Any]:
    shown = neutral_details(session, alert)
    owner = None
    if alert.place and alert.place.startswith("site:"):
        site = session.get(Site, int(alert.place.split(":")[1]))
        owner = site.organization_id if site else None
    row, _ = alerts_service.raise_alert(
        session,
        kind=f"cordon_{alert.kind}",
        severity=Severity(alert.severity),
        subject_type="vehicle",
        subject_id=f"{alert.plate}@{alert.zone_id or 'corridor'}"
        if alert.kind != "reconnaissance"
        else alert.plate,
        title=alert.title,
        details=shown,
        organization_id=owner,
        now=now,
    )
    # The sightings behind an alert are evidence: retention never deletes them.
    first = alert.evidence.get("first_seen")
    since = datetime.fromisoformat(first) if first else alert.at - timedelta(hours=72)
    session.execute(
        update(SightingRow)
        .where(SightingRow.plate == alert.plate, SightingRow.at >= since, SightingRow.at <= alert.at)
        .values(evidence=True)
    )
    return {"alert_id": row.id, **shown}


def purge(session: Session, *, now: datetime, retention_days: int) -> tuple[int, int]:
    """Delete sightings and inspections older than the retention period that no alert cites."""
    cutoff = now - timedelta(days=retention_days)
    old = select(SightingRow.id).where(SightingRow.at < cutoff, SightingRow.evidence.is_(False))
    sighting_ids = list(session.scalars(old))
    inspection_ids = list(session.scalars(select(InspectionRow.id).where(InspectionRow.at < cutoff)))
    for chunk in range(0, len(sighting_ids), 1000):
        session.execute(delete(SightingRow).where(SightingRow.id.in_(sighting_ids[chunk : chunk + 1000])))
    for chunk in range(0, len(inspection_ids), 1000):
        session.execute(
            delete(InspectionRow).where(InspectionRow.id.in_(inspection_ids[chunk : chunk + 1000]))
        )
    return len(sighting_ids), len(inspection_ids)


def sightings_of(session: Session, *, caller: Caller, plate: str, limit: int = 200) -> list[SightingRow]:
    """The stored sightings of a plate, newest first (host security)."""
    require_feeder(caller)
    return list(
        session.scalars(
            select(SightingRow).where(SightingRow.plate == plate).order_by(SightingRow.at.desc()).limit(limit)
        )
    )


def to_sighting(row: SightingRow) -> Sighting:
    """A stored sighting as the detectors' value."""
    return Sighting(row.plate, row.at, row.source, row.zone_id, row.lat, row.lon)
