"""The facts of the moment around a movement: alerts open on its places, sweeps, the itinerary's release.

These are the lessons of the airport attack stated as facts the rules can read: a critical dwell alert
open at the origin while the convoy leaves, a cordon nobody swept, an itinerary read by many people long
before the release time. The alerts are read, never changed: their own domain owns them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from outrider.access.need_to_know import Relationship
from outrider.alerts.models import Alert
from outrider.audit import lookup as audit_lookup
from outrider.movements import need_to_know
from outrider.movements.models import Movement, RouteClearance
from outrider.movements.tracking import ORIGIN_CORDON
from outrider.protocols.facts import OpenAlert

CORDON_KINDS = frozenset({"cordon_dwell", "cordon_loiter", "cordon_reconnaissance"})
# The protocols' own verdict on a movement is not a fact about its surroundings.
_OWN_KINDS = frozenset({"protocol_breach"})


def _cordon_place(movement: Movement, details: dict[str, Any]) -> str | None:
    """Where a cordon alert bears on the movement, from the keys the cordon domain stores."""
    place = str(details.get("place") or "")
    if movement.origin_site_id is not None and place == f"site:{movement.origin_site_id}":
        return "origin"
    if movement.destination_site_id is not None and place == f"site:{movement.destination_site_id}":
        return "destination"
    if place == f"movement:{movement.id}":
        return "route"
    evidence = details.get("evidence")
    concerned = evidence.get("movements") if isinstance(evidence, dict) else None
    if isinstance(concerned, list) and movement.reference in concerned:
        return "route"
    return None


def place_of(movement: Movement, alert: Alert) -> str | None:
    """origin, destination or route when the alert bears on the movement; None when it does not."""
    if alert.kind in _OWN_KINDS:
        return None
    if alert.subject_type == "movement" and alert.subject_id == str(movement.id):
        return "route"
    if alert.kind in CORDON_KINDS:
        return _cordon_place(movement, alert.details or {})
    return None


def open_alerts(session: Session, movement: Movement, *, now: datetime) -> tuple[OpenAlert, ...]:
    """The alerts open now on the movement's origin, destination or route, raised before its window ended
    (its arrival; a movement not arrived yet is still in its window)."""
    cutoff = min(now, movement.arrived_at) if movement.arrived_at is not None else now
    rows = session.scalars(
        select(Alert)
        .where(Alert.resolved_at.is_(None), Alert.created_at <= cutoff)
        .where(
            or_(
                Alert.kind.in_(sorted(CORDON_KINDS)),
                (Alert.subject_type == "movement") & (Alert.subject_id == str(movement.id)),
            )
        )
        .order_by(Alert.id)
    )
    found = []
    for row in rows:
        place = place_of(movement, row)
        if place is None:
            continue
        found.append(
            OpenAlert(
                id=row.id,
                kind=row.kind,
                severity=row.severity,
                place=place,
                age_min=round(max(0.0, (now - row.created_at).total_seconds() / 60), 1),
                acknowledged=row.acknowledged_at is not None,
            )
        )
    return tuple(found)


def alert_counts(alerts: Iterable[OpenAlert]) -> dict[str, int]:
    """The counting facts over the open alerts."""
    items = list(alerts)
    return {
        "open_critical_cordon_alerts_origin_or_route": sum(
            1
            for a in items
            if a.kind in CORDON_KINDS and a.severity == "critical" and a.place in ("origin", "route")
        ),
        "open_cordon_alerts": sum(1 for a in items if a.kind in CORDON_KINDS),
        "open_critical_alerts": sum(1 for a in items if a.severity == "critical"),
        "open_unacknowledged_alerts": sum(1 for a in items if not a.acknowledged),
    }


def hours_before(movement: Movement, at: datetime) -> float:
    """Hours from `at` to the planned departure (negative when after it)."""
    return round((movement.planned_departure - at).total_seconds() / 3600, 3)


def last_origin_sweep(clearances: Iterable[RouteClearance]) -> datetime | None:
    """When the origin's cordon was last swept (a clearance of the segment ``origin-cordon``)."""
    times = [c.cleared_at for c in clearances if c.segment == ORIGIN_CORDON]
    return max(times) if times else None


def itinerary_release(session: Session, movement: Movement, *, now: datetime) -> tuple[datetime | None, int]:
    """The first read of the itinerary outside its planners, and how many such people read it before
    departure (or until now, before departure)."""
    cutoff = min(movement.departed_at or now, now)
    readers = {
        rec.user_id
        for rec in audit_lookup.records_about(
            session,
            object_type="movement",
            object_id=movement.id,
            actions=[need_to_know.READ_ITINERARY],
            before=cutoff,
        )
        if Relationship.planner not in need_to_know.relationships_in(rec, movement.id)
        and rec.user_id is not None
    }
    return need_to_know.first_release(session, movement.id), len(readers)
