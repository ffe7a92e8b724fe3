"""Use case: an incident reported on a movement becomes an intelligence incident at once.

The composition registers `record_movement_incident` as a listener of `movements.incidents`; it runs in the
reporter's transaction. The movement's own report is stored as one report (source `movement`), one
confirmed incident (first-hand, from the escort) and one confirmed event at the position and on the day
of the event, with a neutral text: what happened, where and when, never the movement's plan (route,
times, origin or destination, reference, the reporter's note). Every signed-in user reads intelligence,
so the record holds only what the attack itself revealed. The link to the movement is kept in
`intel_reports.movement_id` and shown (as the movement's reference) only to callers who may see that
movement; to everyone else the report is an incident reported from the road.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.intel.events import extracted
from outrider.intel.extents import nearest_town
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport
from outrider.intel.service import audit, bump, ensure_actors
from outrider.movements import service as movements_service
from outrider.movements.incidents import ReportedIncident
from outrider.movements.models import Movement

SOURCE = "movement"  # the source kind of a movement's own report (news files, gtd and acled are the others)
LOCATION_TEXT = "position reported from the road"
NEAREST_TOWN_M = 50_000.0  # the country and province come from the nearest town within this distance


def _text(incident: ReportedIncident) -> str:
    kind = incident.attack_type.replace("_", " ")
    return (
        f"Incident reported from the road by the escort of a protected movement at "
        f"{incident.at.isoformat(timespec='minutes')}: {kind}, at {incident.lat:.5f}, {incident.lon:.5f}."
    )


def _values(incident: ReportedIncident, day: str) -> dict[str, Any]:
    """The incident's values in the gold-schema names: the reported place and day, the rest unknown."""
    town = nearest_town(incident.lat, incident.lon, within_m=NEAREST_TOWN_M)
    return extracted(
        {
            "required": True,
            "main_story": True,
            "date": day,
            "date_precision": "day",
            "date_basis": "movement report",
            "country": town.country if town else None,
            "admin1": town.admin1 if town else None,
            "city": None,  # a position, not a town: never spread over a town's extent
            "location_text": LOCATION_TEXT,
            "lat": incident.lat,
            "lon": incident.lon,
            "attack_type": incident.attack_type,
            "weapon": "unknown",
            "target_type": "unknown",
            "killed_by_nationality": {},
            "wounded_by_nationality": {},
        }
    )


def _report(
    incident: ReportedIncident, movement: Movement, day: date, caller: Caller, now: datetime
) -> IntelReport:
    """The movement's own report as an intelligence report: a neutral text, no itinerary."""
    digest = hashlib.sha256(f"{SOURCE}:{incident.movement_id}:{incident.at.isoformat()}".encode()).hexdigest()
    text = _text(incident)
    return IntelReport(
        content_hash=digest,
        doc_id=f"movement-incident-{digest[:12]}",
        source=SOURCE,
        outlet=None,
        title="Incident reported from the road",
        published=day,
        published_how=SOURCE,
        language="en",
        raw_text=text,
        clean_text=text,
        related=[],
        ingested_by=caller.user_id,
        ingested_at=now,
        movement_id=movement.id,
    )


def _event(incident: ReportedIncident, values: dict[str, Any], day: date, now: datetime) -> IntelEvent:
    """The confirmed event; the first-hand position stays its place when news reports of the attack join
    it later."""
    columns = {k: v for k, v in values.items() if k not in ("required", "main_story", "date_basis")}
    columns.pop("killed_by_nationality")
    columns.pop("wounded_by_nationality")
    columns["date"] = day
    return IntelEvent(
        **columns,
        status="confirmed",
        reports=1,
        confidence=1.0,
        overrides={"lat": incident.lat, "lon": incident.lon},
        occurred_at=incident.at,
        updated_at=now,
    )


def record_movement_incident(
    session: Session, incident: ReportedIncident, *, caller: Caller, now: datetime
) -> IntelIncident:
    """Store a movement's incident as intelligence (report, confirmed incident and event), bump the
    incident set's revision (risk catches up on its next query) and audit it."""
    ensure_actors(session, now)
    movement = session.get_one(Movement, incident.movement_id)
    day = incident.at.astimezone(ZoneInfo(movement.timezone)).date()
    report = _report(incident, movement, day, caller, now)
    values = _values(incident, day.isoformat())
    event = _event(incident, values, day, now)
    session.add_all([report, event])
    session.flush()
    row = IntelIncident(
        **{**values, "date": day},
        report_id=report.id,
        event_id=event.id,
        ordinal=0,
        status="confirmed",
        pinned=False,
        evidence={},
        extracted=values,
        edits={},
        created_at=now,
    )
    session.add(row)
    session.flush()
    bump(session, now)
    details = {
        "report_id": report.id,
        "event_id": event.id,
        "position_source": incident.position_source,
        "attack_type": incident.attack_type,
    }
    audit(session, caller, "intel.incident.from_movement", "intel_incident", row.id, now, details=details)
    return row


def movement_references(
    session: Session, *, caller: Caller, reports: Iterable[IntelReport]
) -> dict[int, str]:
    """The movement reference of each report that came from a movement the caller may see (others: none)."""
    linked = {r.id: r.movement_id for r in reports if r.movement_id is not None}
    if not linked:
        return {}
    visible = movements_service.visible_ids(caller).where(Movement.id.in_(set(linked.values())))
    rows = session.execute(
        select(Movement.id, Movement.reference).where(Movement.id.in_(visible.scalar_subquery()))
    )
    reference = {int(mid): str(ref) for mid, ref in rows}
    return {report_id: reference[mid] for report_id, mid in linked.items() if mid in reference}
