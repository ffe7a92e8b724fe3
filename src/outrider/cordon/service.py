"""Use cases of cordon monitoring: ingest events, run the detectors from their saved state, raise alerts."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.cordon import alert_desk
from outrider.cordon.detecting import DUE_HORIZON, Ahead, detect, require_feeder, run_ahead, save
from outrider.cordon.detectors import Config, CordonAlert
from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.models import InspectionRow, SightingRow
from outrider.cordon.retention import Hold, alert_hold, incident_hold, keep
from outrider.movements import nearby
from outrider.movements.models import CheckIn, Movement, MovementEvent
from outrider.registry.models import Site

__all__ = ["Ahead", "require_feeder", "run_ahead"]

EVIDENCE_LOOKBACK = timedelta(hours=72)  # an alert without a first sighting holds this much before it
INCIDENT_LOOKBACK = timedelta(hours=72)  # a movement incident holds its places' sightings this far back
INCIDENT_AFTER = timedelta(hours=2)  # and this long after (the attackers' getaway)
INCIDENT_RADIUS_M = 2000.0  # a sighting given by position is near an incident's place within this


@dataclass
class IngestResult:
    """What one batch did."""

    stored: int = 0
    late: int = 0
    unknown_zone: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)


def ingest(
    session: Session,
    *,
    caller: Caller,
    events: Sequence[Event],
    now: datetime,
    flush: bool = False,
    config: Config | None = None,
    ahead: Ahead | None = None,
) -> IngestResult:
    """Store the events, run them through the detectors (resumed from their saved state), raise alerts.

    With ``flush`` the buffer is emptied (the end of a file): events that arrive later than that are late.
    With ``ahead`` (`run_ahead` on the same events, flush and config) the detectors ran before the lock:
    their outcome is kept when the saved state is still the one they ran from."""
    require_feeder(caller)
    cfg = config or Config()
    done = detect(session, events, now=now, flush=flush, config=cfg, ahead=ahead)
    result = IngestResult()
    for alert in done.found:
        result.alerts.append(_raise(session, alert, now=now))
    # The events are stored once the batch's alerts are open, so that each sighting is stored already
    # marked as evidence when an open alert is about its plate (one insert, not an insert and an update).
    windows = _open_alert_windows(session, {e.plate for e in events if isinstance(e, Sighting)})
    rows: dict[type[Any], list[dict[str, Any]]] = {SightingRow: [], InspectionRow: []}
    for e in events:
        # An event's fields are the columns of its table, received now.
        table = InspectionRow if isinstance(e, Inspection) else SightingRow
        row = {f.name: getattr(e, f.name) for f in fields(e)}
        row["received_at"] = now
        if table is SightingRow:
            row["evidence"] = _is_evidence(row["plate"], row["at"], windows)
        rows[table].append(row)
        result.stored += 1
    session.flush()  # what the session holds goes first, as the ORM would; the rows as plain inserts
    connection = session.connection()  # (objects the batch never reads again cost more than the rows)
    for table, values in rows.items():
        if values:
            connection.execute(_INSERTS[table], values)
    result.alerts = _as_seen_by(session, caller, result.alerts, now)
    result.late = done.monitor.late - done.late_before
    result.unknown_zone = done.monitor.unknown_zone - done.unknown_before
    save(session, done, config=cfg, now=now)
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


def _places(alert: CordonAlert) -> tuple[set[int], set[int]]:
    """The sites and movement corridors an alert is about (a reconnaissance lists several)."""
    places = {alert.place} if alert.place else set()
    for seen in alert.evidence.get("places") or ():
        if isinstance(seen, dict) and seen.get("place"):
            places.add(str(seen["place"]))
    sites = {int(p.split(":")[1]) for p in places if p.startswith("site:")}
    corridors = {int(p.split(":")[1]) for p in places if p.startswith("movement:")}
    return sites, corridors


def _concerned(session: Session, alert: CordonAlert, now: datetime) -> dict[int, int | None]:
    """The live movements an alert concerns (due at its sites around now, or watched by its corridor), each
    with the site it is due at (None: its corridor)."""
    sites, corridors = _places(alert)
    due: dict[int, int | None] = dict.fromkeys(corridors)
    if sites:
        for d in nearby.due_near(session, sites=sites, start=now - timedelta(hours=1), end=now + DUE_HORIZON):
            due.setdefault(d.id, d.origin_site_id if d.origin_site_id in sites else d.destination_site_id)
    return due


def _raise(session: Session, alert: CordonAlert, *, now: datetime) -> dict[str, Any]:
    shown = neutral_details(session, alert)
    due = _concerned(session, alert, now)
    owner, zone = None, None
    if alert.place and alert.place.startswith("site:"):
        site = session.get(Site, int(alert.place.split(":")[1]))
        owner, zone = (site.organization_id, site.timezone) if site else (None, None)
    kind = f"cordon_{alert.kind}"
    subject = (
        f"{alert.plate}@{alert.zone_id or 'corridor'}" if alert.kind != "reconnaissance" else alert.plate
    )
    # The sightings behind an alert are evidence from its window on: retention keeps them (see `purge`).
    first = alert.evidence.get("first_seen")
    since = datetime.fromisoformat(first) if first else alert.at - EVIDENCE_LOOKBACK
    before = alerts_service.find_open(session, kind, "vehicle", subject)
    if before is not None and before.details.get("evidence_since"):
        since = min(since, datetime.fromisoformat(str(before.details["evidence_since"])))
    stored = {
        **shown,
        "evidence_since": since.isoformat(),
        "timezone": zone,  # the site's, so every reader sees the alert's times in local time
        # itinerary facts: shown only to each movement's need-to-know list, in its local time
        "itinerary": alert_desk.itinerary(session, due),
    }
    row, _ = alerts_service.raise_alert(
        session,
        kind=kind,
        severity=Severity(alert.severity),
        subject_type="vehicle",
        subject_id=subject,
        title=alert.title,
        details=stored,
        organization_id=owner,
        audience=set().union(*alert_desk.parties(session, due).values()),
        now=now,
    )
    session.execute(
        update(SightingRow)
        .where(SightingRow.plate == alert.plate, SightingRow.at >= since)
        .values(evidence=True)
    )
    return {"alert_id": row.id, **shown, "itinerary": stored["itinerary"]}


def _as_seen_by(
    session: Session, caller: Caller, found: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """The batch's alerts as the feeder may see them: movements' references and times for its list only."""
    ids = {int(e["movement_id"]) for a in found for e in a["itinerary"]}
    known = alert_desk.readable_itineraries(session, caller, ids, now) if ids else {}
    shown: list[dict[str, Any]] = []
    for a in found:
        title, details = views.redact(
            title=a["title"], details=a, subject_type="vehicle", subject_id="", known=known
        )
        shown.append({**details, "title": title})
    return shown


def _open_alert_windows(session: Session, plates: set[str]) -> dict[str, datetime]:
    """For each plate of ``plates`` that an open cordon alert is about, the earliest start of its windows."""
    found: dict[str, datetime] = {}
    if not plates:
        return found
    # Only these plates' alerts (a reconnaissance is about the plate, the others about plate@zone): the
    # open cordon alerts of every plate grow with the watch, a batch names a few.
    named = sorted(plates)
    params = {f"plate{i}": p for i, p in enumerate(named)}
    params.update({f"prefix{i}": _like_escaped(p) + "@%" for i, p in enumerate(named)})
    rows = session.execute(_open_alerts_of(len(named)), params)
    for subject, details, created in rows:
        plate = subject.split("@", 1)[0]
        if plate in plates:
            start = _window_start(details, created)
            found[plate] = min(start, found.get(plate, start))
    return found


@functools.lru_cache(maxsize=16)
def _open_alerts_of(n: int) -> Any:
    """The open cordon alerts about ``n`` plates (bound as ``plate0``.., and ``prefix0``.. as LIKE patterns
    of ``plate@``), a statement built once per count (building it for every batch cost more than its rows)."""
    about = or_(
        *(Alert.subject_id == bindparam(f"plate{i}") for i in range(n)),
        *(Alert.subject_id.like(bindparam(f"prefix{i}"), escape="/") for i in range(n)),
    )
    return select(Alert.subject_id, Alert.details, Alert.created_at).where(
        Alert.kind.startswith("cordon_"), Alert.resolved_at.is_(None), about
    )


def _like_escaped(text: str) -> str:
    """``text`` matched literally in a LIKE pattern escaped with "/" (as `startswith(autoescape=True)`)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _window_start(details: Any, created_at: datetime) -> datetime:
    since = details.get("evidence_since") if isinstance(details, dict) else None
    return datetime.fromisoformat(str(since)) if since else created_at - EVIDENCE_LOOKBACK


def _is_evidence(plate: str, at: datetime, windows: dict[str, datetime]) -> bool:
    """Sightings of a plate under an open alert are evidence, also those arriving after the alert."""
    return plate in windows and at >= windows[plate]


# A batch's events as rows of their tables, one statement each (executed with a row per event).
_INSERTS: dict[type[Any], Any] = {table: insert(table) for table in (SightingRow, InspectionRow)}


def holds(session: Session, *, now: datetime, retention: timedelta) -> list[Hold]:
    """What retention must keep beyond its period: open and recently resolved cordon alerts' plates, and
    the places of movement incidents."""
    found: list[Hold] = []
    alerts = select(Alert.subject_id, Alert.details, Alert.created_at, Alert.resolved_at).where(
        Alert.kind.startswith("cordon_"),
        or_(Alert.resolved_at.is_(None), Alert.resolved_at > now - retention),
    )
    for subject, details, created, resolved in session.execute(alerts):
        start = _window_start(details, created)
        plate = subject.split("@", 1)[0]
        found.append(alert_hold(plate=plate, window_start=start, resolved_at=resolved, retention=retention))
    incidents = (
        select(MovementEvent.at, Movement)
        .join(Movement, Movement.id == MovementEvent.movement_id)
        .where(MovementEvent.kind == "incident")
    )
    for at, m in session.execute(incidents):
        zones = [f"movement:{m.id}:"] + [f"site:{s}:" for s in (m.origin_site_id, m.destination_site_id) if s]
        ends = [(m.origin_lat, m.origin_lon), (m.destination_lat, m.destination_lon)]
        found.append(
            incident_hold(
                at=at,
                zones=zones,
                lookback=INCIDENT_LOOKBACK,
                after=INCIDENT_AFTER,
                near=[*ends, *_last_position(session, m.id, at)],
                radius_m=INCIDENT_RADIUS_M,
            )
        )
    return found


def _last_position(session: Session, movement_id: int, at: datetime) -> list[tuple[float, float]]:
    """The movement's last reported position up to ``at`` (none when no check-in carried one)."""
    row = session.execute(
        select(CheckIn.lat, CheckIn.lon)
        .where(
            CheckIn.movement_id == movement_id,
            CheckIn.at <= at,
            CheckIn.lat.is_not(None),
            CheckIn.lon.is_not(None),
        )
        .order_by(CheckIn.at.desc(), CheckIn.id.desc())
        .limit(1)
    ).first()
    return [] if row is None or row[0] is None or row[1] is None else [(float(row[0]), float(row[1]))]


def purge(session: Session, *, now: datetime, retention_days: int) -> tuple[int, int]:
    """Delete sightings and inspections older than the retention period that nothing holds: never the
    sightings of an open alert's plate, nor those around a movement incident (`retention.keep`)."""
    retention = timedelta(days=retention_days)
    cutoff = now - retention
    by_plate: dict[str | None, list[Hold]] = {}
    for hold in holds(session, now=now, retention=retention):
        by_plate.setdefault(hold.plate, []).append(hold)  # a sighting meets only its plate's holds
    any_plate = by_plate.pop(None, [])
    old = select(
        SightingRow.id,
        SightingRow.plate,
        SightingRow.at,
        SightingRow.zone_id,
        SightingRow.lat,
        SightingRow.lon,
    ).where(SightingRow.at < cutoff)
    sighting_ids = [
        sid
        for sid, plate, at, zone, lat, lon in session.execute(old)
        if not keep(
            plate=plate,
            at=at,
            zone_id=zone,
            holds=[*by_plate.get(plate, ()), *any_plate],
            now=now,
            retention=retention,
            position=(lat, lon) if lat is not None and lon is not None else None,
        )
    ]
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
