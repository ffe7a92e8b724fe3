"""A movement's timeline: its events, check-ins and alerts in time order."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts import service as alerts_service
from outrider.movements import schemas as s
from outrider.movements import silent
from outrider.movements.models import CheckIn, Movement, MovementEvent


def timeline(session: Session, movement: Movement, caller: Caller) -> list[s.TimelineEntry]:
    """The movement's events, check-ins and alerts in time order: of the alerts, those the caller may read on
    the alert pages (a rise in the holder's view of the route's risk reaches only the parties that read every
    event counting on it: its levels would hint at the others' withheld events)."""
    entries = [
        s.TimelineEntry(at=e.at, kind=e.kind, user_id=e.user_id, details=e.details)
        for e in session.scalars(select(MovementEvent).where(MovementEvent.movement_id == movement.id))
    ]
    records = session.scalars(select(CheckIn).where(CheckIn.movement_id == movement.id))
    for c in silent.checkins_seen(records, caller):  # the signaller's silent duress as their screen showed
        entries.append(
            s.TimelineEntry(
                at=c.at,
                kind=f"checkin_{c.status}",
                user_id=c.user_id,
                details={"lat": c.lat, "lon": c.lon, "off_route_m": c.off_route_m, "note": c.note},
            )
        )
    for a in alerts_service.alerts_for(
        session, subject_type="movement", subject_id=movement.id, caller=caller
    ):
        entries.append(
            s.TimelineEntry(
                at=a.created_at,
                kind=f"alert_{a.kind}",
                user_id=None,
                details={"alert_id": a.id, "severity": a.severity, "title": a.title},
            )
        )
    return sorted(entries, key=lambda e: (e.at, e.kind))
