"""Incidents and events with their source reports and evidence, and the analyst's review queue."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from outrider.errors import InvalidInput, TooLarge
from outrider.inputs import Id
from outrider.intel import ingest as intel_ingest
from outrider.intel import queries as intel_queries
from outrider.intel import review as intel_review
from outrider.intel import service as intel_service
from outrider.intel.cleaning import MAX_BYTES
from outrider.intel.models import IntelEvent
from outrider.sharing import readers
from outrider.web.context import FromDay, ToDay, WebDep, WebRoute, safe_next
from outrider.web.layers import event_severity

router = APIRouter(route_class=WebRoute, include_in_schema=False)
LIST_LIMIT = 200
CHART_LIMIT = 5000
SEVERITIES = ("critical", "high", "medium", "low")


def _chart(events: list[Any]) -> dict[str, Any]:
    """Events per month by severity, for the chart (and the table beside it)."""
    counts: Counter[tuple[str, str]] = Counter()
    for ev in events:
        if ev.date is not None:
            counts[(ev.date.strftime("%Y-%m"), event_severity(ev.killed, ev.wounded))] += 1
    months = sorted({m for m, _ in counts})
    return {"months": months, "series": {s: [counts[(m, s)] for m in months] for s in SEVERITIES}}


@router.get("/intel")
def incidents_page(
    web: WebDep,
    since: FromDay = None,
    until: ToDay = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    city: Annotated[str | None, Query(max_length=100)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[str | None, Query(pattern="^(|proposed|confirmed|rejected|merged)$")] = None,
) -> Response:
    """Events (one per real-world incident) with filters, and a chart of them by month and severity."""
    filters = intel_queries.IncidentFilter(
        since=since,
        until=until,
        country=country.upper() if country and len(country) == 2 else None,
        city=city or None,
        actor=actor or None,
        status=status or None,
    )
    visible = readers.scope_of(web.session, web.caller).visible(IntelEvent)  # by marking
    rows, total = intel_queries.list_events(
        web.session, caller=web.caller, filters=filters, limit=LIST_LIMIT, offset=0, visible=visible
    )
    charted, _ = intel_queries.list_events(
        web.session, caller=web.caller, filters=filters, limit=CHART_LIMIT, offset=0, visible=visible
    )
    return web.render(
        "intel.html",
        events=rows,
        total=total,
        chart=_chart(charted),
        q={
            "from": since,
            "to": until,
            "country": country or "",
            "city": city or "",
            "actor": actor or "",
            "status": status or "",
        },
        may_review=intel_service.may_review(web.caller),
    )


@router.get("/intel/events/{event_id}")
def event_page(web: WebDep, event_id: Id) -> Response:
    """One event, with the incident each report gave of it."""
    scope = readers.scope_of(web.session, web.caller)
    ev = intel_queries.get_event(web.session, caller=web.caller, event_id=event_id)
    scope.require(ev, "event")
    filters = intel_queries.IncidentFilter(event_id=ev.id)
    incidents, _ = intel_queries.list_incidents(
        web.session,
        caller=web.caller,
        filters=filters,
        limit=500,
        offset=0,
        visible=scope.visible_incidents(),
    )
    reports = {
        i.report_id: intel_queries.get_report(web.session, caller=web.caller, report_id=i.report_id)
        for i in incidents
    }
    return web.render(
        "event.html",
        ev=ev,
        incidents=incidents,
        reports=reports,
        severity=event_severity(ev.killed, ev.wounded),
        provenance=scope.provenance(web.session, ev),
    )


@router.get("/intel/incidents/{incident_id}")
def incident_page(web: WebDep, incident_id: Id) -> Response:
    """One incident: extracted values, the analyst's edits, the report with the evidence highlighted."""
    scope = readers.scope_of(web.session, web.caller)
    row = intel_queries.get_incident(web.session, caller=web.caller, incident_id=incident_id)
    report = intel_queries.get_report(web.session, caller=web.caller, report_id=row.report_id)
    scope.require_incident(row, report)
    spans = [(a, b) for a, b, _ in intel_queries.evidence_spans(report, row)]
    return web.render(
        "incident.html",
        inc=row,
        report=report,
        spans=spans,
        reviews=intel_review.reviews_of(web.session, incident_id=row.id),
        may_review=intel_service.may_review(web.caller),
        provenance=scope.provenance(web.session, row),
        report_provenance=scope.provenance(web.session, report),
    )


@router.get("/intel/review")
def review_page(web: WebDep) -> Response:
    """Incidents awaiting an analyst's decision, main stories first (analysts and host-security admins)."""
    rows, total = intel_queries.review_queue(web.session, caller=web.caller, limit=LIST_LIMIT, offset=0)
    reports = {
        i.report_id: intel_queries.get_report(web.session, caller=web.caller, report_id=i.report_id)
        for i in rows
    }
    return web.render("review.html", incidents=rows, total=total, reports=reports)


@router.post("/intel/reports")
def ingest_report(
    web: WebDep,
    text: Annotated[str, Form(min_length=1, max_length=2_000_000)],
    source: Annotated[str, Form(max_length=500)] = "web",
    published: Annotated[date | None, Form()] = None,
) -> Response:
    """Store a pasted report (plain text, HTML or a feed) and extract its incidents."""
    raw = text.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise TooLarge(f"the report exceeds {MAX_BYTES} bytes")
    item = intel_ingest.IngestItem(source=source or "web", doc_id=source or "web", data=raw)
    outcomes = intel_ingest.ingest(
        web.session, caller=web.caller, items=[item], now=web.now, published=published
    )
    outcome = outcomes[0]
    if outcome.error:
        raise InvalidInput(outcome.error)
    if outcome.report_id is not None:
        found, _ = intel_queries.list_incidents(
            web.session,
            caller=web.caller,
            filters=intel_queries.IncidentFilter(report_id=outcome.report_id),
            limit=1,
            offset=0,
        )
        if found:
            return web.redirect(f"/intel/incidents/{found[0].id}", done="ingested")
    return web.redirect("/intel/review", done="ingested")


def _set_status(status: str) -> Any:
    def endpoint(
        web: WebDep,
        incident_id: Id,
        reason: Annotated[str, Form(max_length=2000)] = "",
        next_url: Annotated[str, Form(alias="next", max_length=500)] = "",
    ) -> Response:
        intel_review.set_status(
            web.session, caller=web.caller, incident_id=incident_id, status=status, reason=reason, now=web.now
        )
        return web.redirect(safe_next(next_url or f"/intel/incidents/{incident_id}"), done=status)

    endpoint.__name__ = f"web_{status}"
    endpoint.__doc__ = f"Mark the incident {status}."
    return endpoint


router.add_api_route("/intel/incidents/{incident_id}/confirm", _set_status("confirmed"), methods=["POST"])
router.add_api_route("/intel/incidents/{incident_id}/reject", _set_status("rejected"), methods=["POST"])
