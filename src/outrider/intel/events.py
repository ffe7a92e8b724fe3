"""The store side of linking: incidents as rows, the stored event a new incident joins, an event's values.

`INCIDENT_FIELDS` is the one list of what an incident states; the event's values (`EVENT_FIELDS`) and
the gold output (`outrider.intel.gold`) derive from it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from outrider.intel.linking import best_match, event_values
from outrider.intel.models import IntelEvent, IntelIncident, IntelReport

INCIDENT_FIELDS = (
    "required",
    "main_story",
    "date",
    "date_precision",
    "date_basis",
    "country",
    "admin1",
    "city",
    "location_text",
    "lat",
    "lon",
    "attack_type",
    "weapon",
    "suicide",
    "target_type",
    "killed",
    "wounded",
    "killed_by_nationality",
    "wounded_by_nationality",
    "perpetrator",
    "claimed",
)
# what a report says of itself rather than of the event
REPORT_FLAGS = ("required", "main_story", "date_basis")
BY_NATIONALITY = ("killed_by_nationality", "wounded_by_nationality")
EVENT_FIELDS = tuple(f for f in INCIDENT_FIELDS if f not in REPORT_FLAGS + BY_NATIONALITY)
# fields an incident always states, "unknown" when the report does not say
KNOWN_OR_UNKNOWN = ("date_precision", "attack_type", "weapon", "target_type")
LINK_WINDOW_DAYS = 40


def extracted(inc: dict[str, Any]) -> dict[str, Any]:
    """An extracted incident's values, as kept on its row."""
    return {k: inc.get(k) for k in INCIDENT_FIELDS}


def apply(row: IntelIncident, values_extracted: dict[str, Any], edits: dict[str, Any]) -> None:
    """Set a row's columns to the extractor's values with the analyst's edits over them."""
    values = {**values_extracted, **edits}
    for key in INCIDENT_FIELDS:
        value = values.get(key)
        if key == "date":
            value = date.fromisoformat(value) if value else None
        elif key in BY_NATIONALITY:
            value = value or {}
        elif key in KNOWN_OR_UNKNOWN:
            value = value or "unknown"
        elif key in ("required", "main_story"):
            value = bool(value)
        setattr(row, key, value)


def as_dict(row: IntelIncident, published: date | None = None) -> dict[str, Any]:
    """A stored incident as linking sees one (ISO date, its report as document id)."""
    out = {k: getattr(row, k) for k in INCIDENT_FIELDS}
    out["date"] = row.date.isoformat() if row.date else None
    out["doc_id"] = f"report-{row.report_id}"
    out["published"] = published.isoformat() if published else None
    return out


def add_incident(
    session: Session, report_id: int, ordinal: int, event_id: int, inc: dict[str, Any], now: datetime
) -> IntelIncident:
    """Store a freshly extracted incident of a report, proposed, in an event."""
    row = IntelIncident(
        report_id=report_id,
        event_id=event_id,
        ordinal=ordinal,
        status="proposed",
        pinned=False,
        evidence=inc.get("evidence") or {},
        extracted=extracted(inc),
        edits={},
        created_at=now,
    )
    apply(row, row.extracted, {})
    session.add(row)
    return row


def _candidates(
    session: Session, members: Sequence[dict[str, Any]], latest: date | None = None
) -> list[IntelIncident]:
    """Stored, unrejected incidents that blocking lets through: same country, dates within the window.

    Undated members (a report without publication date) meet only incidents dated within the window
    before ``latest``, the day the report was read: the same town and target a year earlier is another
    attack, and re-dating the report on it would put a fresh attack a year back."""
    countries = {m.get("country") for m in members if m.get("country")}
    if not countries:
        return []
    dates = [date.fromisoformat(m["date"]) for m in members if m.get("date")]
    stmt = select(IntelIncident).where(
        IntelIncident.country.in_(countries), IntelIncident.status != "rejected"
    )
    if dates:
        lo, hi = min(dates) - timedelta(days=LINK_WINDOW_DAYS), max(dates) + timedelta(days=LINK_WINDOW_DAYS)
        stmt = stmt.where(or_(IntelIncident.date.is_(None), IntelIncident.date.between(lo, hi)))
    else:
        cities = {m.get("city") for m in members if m.get("city")}
        if not cities:
            return []
        stmt = stmt.where(IntelIncident.city.in_(cities), IntelIncident.date.is_not(None))
        if latest is not None:
            lo = latest - timedelta(days=LINK_WINDOW_DAYS)
            stmt = stmt.where(IntelIncident.date.between(lo, latest))
    return list(session.scalars(stmt.order_by(IntelIncident.id)))


def event_for(
    session: Session,
    members: Sequence[dict[str, Any]],
    exclude_report: int | None,
    latest: date | None = None,
) -> int | None:
    """The stored event most of the new cluster's incidents match, or None for a new event."""
    stored = [c for c in _candidates(session, members, latest) if c.report_id != exclude_report]
    if not stored:
        return None
    as_dicts = [as_dict(c) for c in stored]
    votes: dict[int, int] = {}
    for member in members:
        idx = best_match({**member, "doc_id": "new"}, as_dicts)
        if idx is not None:
            votes[stored[idx].event_id] = votes.get(stored[idx].event_id, 0) + 1
    if not votes:
        return None
    return max(sorted(votes), key=lambda e: votes[e])


def new_event(session: Session, now: datetime) -> IntelEvent:
    """An empty proposed event (its values come from the incidents put in it)."""
    ev = IntelEvent(status="proposed", date_precision="unknown", reports=0, confidence=0.0, updated_at=now)
    session.add(ev)
    session.flush()
    return ev


def event_or_new(
    session: Session, members: Sequence[dict[str, Any]], exclude_report: int | None, now: datetime
) -> int:
    """The stored event the incidents join, or a new one (undated ones only recent events: `_candidates`)."""
    return event_for(session, members, exclude_report, now.date()) or new_event(session, now).id


def refresh_event(session: Session, event_id: int, now: datetime) -> IntelEvent | None:
    """Re-choose an event's values from its incidents and the analyst's overrides."""
    ev = session.get(IntelEvent, event_id)
    if ev is None or ev.status == "merged":
        return ev
    rows = session.execute(
        select(IntelIncident, IntelReport.published)
        .join(IntelReport, IntelReport.id == IntelIncident.report_id)
        .where(IntelIncident.event_id == event_id)
        .order_by(IntelIncident.id)
    ).all()
    if not rows:
        session.delete(ev)
        session.flush()
        return None
    live = [(inc, pub) for inc, pub in rows if inc.status != "rejected"]
    chosen = event_values([as_dict(inc, pub) for inc, pub in (live or rows)])
    chosen.update(ev.overrides or {})
    for key, value in chosen.items():
        if key == "date":
            value = date.fromisoformat(value) if value else None
        setattr(ev, key, value)
    ev.reports = len({inc.report_id for inc, _ in live})
    ev.status, ev.confidence = event_standing(
        [inc.status for inc, _ in live], any(inc.required for inc, _ in live), ev.reports
    )
    ev.updated_at = now
    return ev


def event_standing(live_statuses: Collection[str], required: bool, reports: int) -> tuple[str, float]:
    """An event's status and confidence from its unrejected incidents' statuses and its number of reports.

    1.0 once an incident is confirmed; else 0.6 for a required record (0.3 for a passing mention) plus
    0.15 per further report, at most 0.95; rejected (0.0) when every incident is."""
    if not live_statuses:
        return "rejected", 0.0
    if "confirmed" in live_statuses:
        return "confirmed", 1.0
    base = 0.6 if required else 0.3
    return "proposed", round(min(0.95, base + 0.15 * (reports - 1)), 2)
