"""Reads of what might be shared: intelligence as plain values for the release policy and STIX.

Reports that are a movement's own (and the incidents and events they feed) are never read here: they
tell where a protected movement was, which no policy can release.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.intel.models import IntelActor, IntelEvent, IntelIncident, IntelReport
from outrider.sharing.markings import Tlp
from outrider.sharing.markings import parse as parse_marking
from outrider.sharing.policy import FIELDS, Releasable
from outrider.sharing.reading import RECEIVER_ONLY

_EVENT_FIELDS = sorted(FIELDS["event"])
_INCIDENT_OWN = sorted(FIELDS["incident"] - {"outlet", "url", "published"})
_SHARED_STATES = ("proposed", "confirmed")


def releasables(session: Session, *, default: Tlp, partner_org_id: int | None = None) -> list[Releasable]:
    """Every report, incident, event and actor that may be considered for release (to ``partner_org_id``),
    with its marking."""

    def _ours_to_give(row: Any, default: Tlp) -> bool:
        """What a partner sent TLP:AMBER+STRICT or TLP:RED stays within the holder: it goes back only to
        the partner that sent it."""
        mine = row.source_org_id is None or row.source_org_id == partner_org_id
        return mine or _marking(row, default) < RECEIVER_ONLY

    reports = {
        r.id: r
        for r in session.scalars(
            select(IntelReport).where(IntelReport.movement_id.is_(None)).order_by(IntelReport.id)
        )
        if _ours_to_give(r, default)
    }
    incidents = list(
        session.scalars(
            select(IntelIncident).where(IntelIncident.status.in_(_SHARED_STATES)).order_by(IntelIncident.id)
        )
    )
    # every event a movement's own report fed, whatever became of that report's incident
    firsthand = set(
        session.scalars(
            select(IntelIncident.event_id)
            .join(IntelReport, IntelReport.id == IntelIncident.report_id)
            .where(IntelReport.movement_id.is_not(None))
        )
    )
    events = [
        e
        for e in session.scalars(
            select(IntelEvent).where(IntelEvent.status.in_(_SHARED_STATES)).order_by(IntelEvent.id)
        )
        if e.id not in firsthand and _ours_to_give(e, default)
    ]
    event_ids = {e.id for e in events}
    incidents = [
        i
        for i in incidents
        if i.report_id in reports and i.event_id in event_ids and _ours_to_give(i, default)
    ]
    actors = [
        a for a in session.scalars(select(IntelActor).order_by(IntelActor.id)) if _ours_to_give(a, default)
    ]
    out = [_actor(a, default) for a in actors]
    out += [_event(e, actors, default) for e in events]
    out += [_incident(i, reports[i.report_id], default) for i in incidents]
    links: dict[int, list[tuple[str, int]]] = {}
    for i in incidents:
        links.setdefault(i.report_id, []).extend([("event", i.event_id), ("incident", i.id)])
    out += [_report(r, links.get(r.id, []), default) for r in reports.values()]
    return out


def stix_ids(session: Session) -> dict[tuple[str, int], str]:
    """The STIX ids that intelligence imported from partners came with, by kind and Outrider id."""
    found: dict[tuple[str, int], str] = {}
    for kind, model in (
        ("report", IntelReport),
        ("incident", IntelIncident),
        ("event", IntelEvent),
        ("actor", IntelActor),
    ):
        rows = session.execute(select(model.id, model.stix_id).where(model.stix_id.is_not(None)))
        found |= {(kind, ident): str(stix) for ident, stix in rows}
    return found


def _marking(row: Any, default: Tlp) -> Tlp:
    return parse_marking(row.marking) if row.marking else default


def _stamp(value: datetime | None) -> datetime:
    return value if value is not None else datetime(1970, 1, 1, tzinfo=UTC)


def _actor(a: IntelActor, default: Tlp) -> Releasable:
    values = {"name": a.name, "kind": a.kind, "aliases": list(a.aliases or []), "notes": a.notes or None}
    return Releasable(
        "actor", a.id, _marking(a, default), values, _stamp(a.updated_at), frozenset(a.ntk_groups)
    )


def _names(actor: IntelActor) -> set[str]:
    return {n.casefold() for n in [actor.name, *(actor.aliases or [])] if n}


def _event(e: IntelEvent, actors: Iterable[IntelActor], default: Tlp) -> Releasable:
    values = {k: getattr(e, k) for k in _EVENT_FIELDS}
    who = (e.perpetrator or "").casefold()
    links = tuple(("actor", a.id) for a in actors if who and who in _names(a))
    return Releasable(
        "event", e.id, _marking(e, default), values, _stamp(e.updated_at), frozenset(e.ntk_groups), links
    )


def _incident(i: IntelIncident, r: IntelReport, default: Tlp) -> Releasable:
    values: dict[str, Any] = {k: getattr(i, k) for k in _INCIDENT_OWN}
    values |= {"outlet": r.outlet, "url": _url(r.source), "published": r.published}
    stamp = _stamp(i.reviewed_at or i.created_at)
    links = (("event", i.event_id), ("report", r.id))
    return Releasable("incident", i.id, _marking(i, default), values, stamp, frozenset(i.ntk_groups), links)


def _report(r: IntelReport, links: list[tuple[str, int]], default: Tlp) -> Releasable:
    values = {
        "title": r.title,
        "outlet": r.outlet,
        "url": _url(r.source),
        "published": r.published,
        "language": r.language,
    }
    ordered = tuple(sorted(set(links)))
    return Releasable(
        "report", r.id, _marking(r, default), values, _stamp(r.ingested_at), frozenset(r.ntk_groups), ordered
    )


def _url(source: str) -> str | None:
    # Only a web address is a reference a partner can follow; a file name or feed label stays home.
    return source if source.startswith(("https://", "http://")) else None
