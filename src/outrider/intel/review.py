"""Use case: the analyst's review. Confirm, reject or edit an incident; edit, merge or split events.

Every decision is kept on the incidents and events themselves (so re-extracting a report never undoes
it), written to the review log and the audit chain, and re-chooses the values of the events it touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.errors import Conflict, InvalidInput
from outrider.intel import events
from outrider.intel.models import IntelEvent, IntelIncident, IntelReview
from outrider.intel.queries import get_event, get_incident
from outrider.intel.schemas import EventEdit, IncidentEdit
from outrider.intel.service import audit, bump, registry, require_reviewer


def _decided(
    session: Session,
    caller: Caller,
    action: str,
    subject: IntelIncident | IntelEvent,
    details: dict[str, Any],
    now: datetime,
    refresh: Sequence[int],
) -> None:
    """Log the decision on the incident or event, audit it, re-choose the touched events' values and bump
    the revision."""
    on_incident = isinstance(subject, IntelIncident)
    incident_id, event_id = (subject.id, None) if on_incident else (None, subject.id)
    review = IntelReview(
        action=action,
        incident_id=incident_id,
        event_id=event_id,
        details=details,
        user_id=caller.user_id,
        at=now,
    )
    session.add(review)
    object_type = "intel_incident" if on_incident else "intel_event"
    audit(session, caller, f"intel.{action}", object_type, subject.id, now, fields=sorted(details))
    session.flush()
    for touched in refresh:
        events.refresh_event(session, touched, now)
    bump(session, now)


def _reviewed(
    session: Session, caller: Caller, row: IntelIncident, action: str, details: dict[str, Any], now: datetime
) -> IntelIncident:
    """The incident as the analyst left it: marked reviewed, the decision kept, its event re-chosen."""
    row.reviewed_by, row.reviewed_at = caller.user_id, now
    _decided(session, caller, action, row, details, now, refresh=[row.event_id])
    return row


def _changes(edit: IncidentEdit | EventEdit) -> dict[str, Any]:
    changes = edit.changes()
    if not changes:
        raise InvalidInput("nothing to change: give at least one field")
    return changes


def set_status(
    session: Session, *, caller: Caller, incident_id: int, status: str, reason: str, now: datetime
) -> IntelIncident:
    """Confirm or reject an incident (a rejected one counts nowhere; the event follows its incidents)."""
    require_reviewer(caller)
    if status not in ("confirmed", "rejected"):
        raise InvalidInput("status must be confirmed or rejected")
    row = get_incident(session, caller=caller, incident_id=incident_id)
    row.status = status
    details = {"reason": reason} if reason else {}
    return _reviewed(session, caller, row, "confirm" if status == "confirmed" else "reject", details, now)


def edit_incident(
    session: Session, *, caller: Caller, incident_id: int, edit: IncidentEdit, now: datetime
) -> IntelIncident:
    """Correct an incident's values; the edits stay over every later re-extraction."""
    require_reviewer(caller)
    changes = _changes(edit)
    if changes.get("perpetrator"):
        known = registry(session).canonical(changes["perpetrator"])
        if known is None:
            raise InvalidInput(
                f"unknown actor {changes['perpetrator']!r}: add it with the actors registry first"
            )
        changes["perpetrator"] = known
    row = get_incident(session, caller=caller, incident_id=incident_id)
    row.edits = {**(row.edits or {}), **changes}
    events.apply(row, row.extracted, row.edits)
    return _reviewed(session, caller, row, "edit", {"changes": changes}, now)


def edit_event(
    session: Session, *, caller: Caller, event_id: int, edit: EventEdit, now: datetime
) -> IntelEvent:
    """Override an event's chosen values; the override wins over every later reconciliation."""
    require_reviewer(caller)
    changes = _changes(edit)
    ev = get_event(session, caller=caller, event_id=event_id)
    if ev.status == "merged":
        raise Conflict(f"event {event_id} was merged into event {ev.merged_into}; edit that one")
    ev.overrides = {**(ev.overrides or {}), **changes}
    _decided(session, caller, "edit_event", ev, {"changes": changes}, now, refresh=[ev.id])
    return ev


def merge_events(
    session: Session, *, caller: Caller, event_id: int, other_event_id: int, reason: str, now: datetime
) -> IntelEvent:
    """Fold ``other_event_id`` into ``event_id``: its incidents move and stay there (pinned)."""
    require_reviewer(caller)
    if event_id == other_event_id:
        raise InvalidInput("an event cannot be merged into itself")
    target = get_event(session, caller=caller, event_id=event_id)
    other = get_event(session, caller=caller, event_id=other_event_id)
    for ev in (target, other):
        if ev.status == "merged":
            raise Conflict(f"event {ev.id} was already merged into event {ev.merged_into}")
    for inc in session.scalars(
        select(IntelIncident).where(IntelIncident.event_id.in_([target.id, other.id]))
    ):
        inc.event_id, inc.pinned = target.id, True
    other.status, other.merged_into, other.updated_at = "merged", target.id, now
    details = {"merged": other.id, "reason": reason}
    _decided(session, caller, "merge", target, details, now, refresh=[target.id])
    return target


def split_incidents(
    session: Session, *, caller: Caller, incident_ids: Sequence[int], reason: str, now: datetime
) -> IntelEvent:
    """Take incidents out of their event into a new event of their own; they stay there (pinned)."""
    require_reviewer(caller)
    rows = [get_incident(session, caller=caller, incident_id=i) for i in dict.fromkeys(incident_ids)]
    sources = {r.event_id for r in rows}
    if len(sources) != 1:
        raise InvalidInput("split takes incidents of one event")
    source = sources.pop()
    remaining = session.scalar(
        select(func.count()).where(
            IntelIncident.event_id == source, IntelIncident.id.not_in([r.id for r in rows])
        )
    )
    if not remaining:
        raise InvalidInput("these are all the event's incidents: nothing to split from")
    ev = events.new_event(session, now)
    for r in rows:
        r.event_id, r.pinned = ev.id, True
    details = {"from": source, "incidents": [r.id for r in rows], "reason": reason}
    _decided(session, caller, "split", ev, details, now, refresh=[source, ev.id])
    return ev


def reviews_of(
    session: Session, *, incident_id: int | None = None, event_id: int | None = None
) -> list[IntelReview]:
    """The decisions taken on an incident or an event, in order."""
    stmt = select(IntelReview).order_by(IntelReview.id)
    if incident_id is not None:
        stmt = stmt.where(IntelReview.incident_id == incident_id)
    if event_id is not None:
        stmt = stmt.where(IntelReview.event_id == event_id)
    return list(session.scalars(stmt))
