"""Alerts, live: the list, a server-sent event stream of new and changed alerts, acknowledgement, and
escalation and resolution by hand with a reason."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from outrider.access import policy
from outrider.access.policy import Caller, RecordKind
from outrider.accounts import service as accounts_service
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.schemas import AlertRead, Severity
from outrider.cordon import alert_desk
from outrider.db import transaction, utcnow
from outrider.errors import NotFound, Unauthorized
from outrider.http import SESSION_COOKIE, caller_of, csrf_token
from outrider.inputs import Id
from outrider.movements import service as movements_service
from outrider.registry import service as registry_service
from outrider.settings import get_settings
from outrider.web import alert_titles, i18n
from outrider.web.context import SignInRequired, Web, WebDep, WebRoute, language_of
from outrider.web.templating import environment

router = APIRouter(route_class=WebRoute, include_in_schema=False)
POLL_SECONDS = 2.0
STREAM_SECONDS = 60.0  # then the browser reconnects (EventSource); a server stopping waits at most this long
RECHECK_SECONDS = 30.0
LIST_LIMIT = 200


def zone_of(session: Session, caller: Caller, alert: AlertRead, cache: dict[str, str]) -> str:
    """The zone of an alert's times: its movement's or site's, when the caller may see it; else UTC."""
    key = f"{alert.subject_type}:{alert.subject_id}"
    if key in cache:
        return cache[key]
    zone = "UTC"
    try:
        if alert.subject_type == "movement":
            zone = movements_service.get_movement(
                session, caller=caller, movement_id=int(alert.subject_id)
            ).timezone
        elif isinstance(alert.details, dict) and str(alert.details.get("place", "")).startswith("site:"):
            site_id = int(str(alert.details["place"]).split(":")[1])
            zone = registry_service.get_record(
                session, kind=RecordKind.site, caller=caller, record_id=site_id
            ).timezone
    except (NotFound, ValueError):
        zone = "UTC"
    if zone == "UTC" and isinstance(alert.details, dict) and alert.details.get("timezone"):
        zone = str(alert.details["timezone"])  # the place's zone, stored with the alert
    cache[key] = zone
    return zone


# Details that are no fact for a person: the evidence window's start (UTC, for retention), the time zone;
# and those the row already shows in the reader's language (kind, severity, title).
_NOT_FACTS = frozenset({"evidence_since", "timezone", "kind", "severity", "title"})


def facts(alert: AlertRead) -> list[tuple[str, str]]:
    """A few plain facts from the details (as the reader may see them), and the movements due with their
    local times for readers on their need-to-know list; none for movements (their page shows the rest)."""
    if alert.subject_type == "movement" or not isinstance(alert.details, dict):
        return []
    plain = [
        (k, v) for k, v in alert.details.items() if isinstance(v, str | int | float) and k not in _NOT_FACTS
    ]
    shown = [(key, str(value)[:120]) for key, value in plain[:6]]  # keys: the `alert_fact` vocabulary
    for entry in alert.details.get("itinerary") or ():
        shown.append((str(entry.get("reference")), str(entry.get("due"))))
    return shown


def row_values(
    session: Session,
    caller: Caller,
    alert: AlertRead,
    cache: dict[str, str],
    csrf: str,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What an alert's row shows and offers this caller (the list, the stream, the alert's own page)."""
    live = alert.resolved_at is None
    return {
        "a": alert,
        "csrf": csrf,
        "tz": zone_of(session, caller, alert, cache),
        "facts": facts(alert),
        "may_ack": policy.may_acknowledge_alerts(caller) and alert.acknowledged_at is None and live,
        "may_escalate": policy.may_escalate_alert(caller) and live,
        "may_resolve": live
        and policy.may_resolve_alert(caller, kind=alert.kind, organization_id=alert.organization_id),
        "errors": errors or {},
    }


@router.get("/alerts")
def alerts_page(
    web: WebDep,
    status: Annotated[str, Query(pattern="^(open|unacknowledged|acknowledged|resolved|all)$")] = "open",
    severity: Severity | None = None,
) -> Response:
    """Alerts you may see, newest first, kept current by the live stream."""
    rows, total = alerts_service.list_alerts(
        web.session,
        caller=web.caller,
        status=None if status == "all" else status,
        severity=severity,
        limit=LIST_LIMIT,
    )
    cache: dict[str, str] = {}
    shown = views.views(web.session, caller=web.caller, alerts=rows, now=web.now)
    items = [row_values(web.session, web.caller, a, cache, web.csrf) for a in shown]
    return web.render(
        "alerts.html", items=items, total=total, status=status, severity=severity, started=web.now.isoformat()
    )


def _row(
    web: Web, alert_id: int, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    """One alert's row, as the caller sees it (after an act, or with a message beside a field)."""
    alert = alerts_service.get_alert(web.session, caller=web.caller, alert_id=alert_id)
    shown = views.view(web.session, caller=web.caller, alert=alert, now=web.now)
    values = row_values(web.session, web.caller, shown, {}, web.csrf, errors)
    return web.render("fragments/alert_row.html", status_code=status_code, **values)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge(web: WebDep, alert_id: Id, note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Take charge of an alert (the service checks, as for the API)."""
    alert_desk.acknowledge(web.session, caller=web.caller, alert_id=alert_id, note=note, now=web.now)
    if web.is_htmx:
        return _row(web, alert_id)
    return web.redirect("/alerts", done="acknowledged")


def _by_hand(web: WebDep, alert_id: int, act: str, reason: str) -> Response:
    """Escalate or resolve with a reason; without one, the row again with the message beside the field."""
    if not reason.strip():
        errors = {act: web.gettext("Say why (a reason is required).")}
        if web.is_htmx:
            return _row(web, alert_id, errors=errors, status_code=422)
        rows, total = alerts_service.list_alerts(
            web.session, caller=web.caller, status=None, limit=LIST_LIMIT
        )
        shown = views.views(web.session, caller=web.caller, alerts=rows, now=web.now)
        items = [
            row_values(web.session, web.caller, a, {}, web.csrf, errors if a.id == alert_id else None)
            for a in shown
        ]
        return web.render(
            "alerts.html",
            status_code=422,
            items=items,
            total=total,
            status="all",
            severity=None,
            started=web.now.isoformat(),
        )
    action = alert_desk.escalate if act == "escalate" else alert_desk.resolve
    action(web.session, caller=web.caller, alert_id=alert_id, reason=reason, now=web.now)
    if web.is_htmx:
        return _row(web, alert_id)
    return web.redirect("/alerts", done="escalated" if act == "escalate" else "resolved")


@router.post("/alerts/{alert_id}/escalate")
def escalate(web: WebDep, alert_id: Id, reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Escalate an alert one level by hand, with a reason (the service checks, as for the API)."""
    return _by_hand(web, alert_id, "escalate", reason)


@router.post("/alerts/{alert_id}/resolve")
def resolve(web: WebDep, alert_id: Id, reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Close an alert by hand, with a reason (the service checks, as for the API)."""
    return _by_hand(web, alert_id, "resolve", reason)


# --- the live stream ------------------------------------------------------------------------------------


def _caller_for(token: str | None) -> Caller:
    """The caller behind a session cookie (a short transaction of its own: the stream holds none)."""
    if not token:
        raise SignInRequired
    with transaction() as session:
        try:
            user = accounts_service.user_for_token(session, token=token, now=utcnow())
        except Unauthorized:
            raise SignInRequired from None
        return caller_of(user, channel="web")


def _cursor(value: str | None, default: datetime) -> tuple[datetime, int]:
    if value and "|" in value:
        stamp, _, ident = value.partition("|")
        try:
            return datetime.fromisoformat(stamp), int(ident)
        except ValueError:
            pass
    return default, 0


def _changes(
    caller: Caller, lang: str, csrf: str, since: datetime, after_id: int
) -> tuple[list[str], datetime, int]:
    """Server-sent events for the alerts changed since the cursor, and the new cursor."""
    template = environment(lang).get_template("fragments/alert_row.html")
    gettext = i18n.translations(lang).gettext
    events: list[str] = []
    with transaction() as session:
        rows = alerts_service.changed_since(session, caller=caller, since=since, after_id=after_id)
        cache: dict[str, str] = {}
        for alert in views.views(session, caller=caller, alerts=rows, now=utcnow()):
            html = template.render(**row_values(session, caller, alert, cache, csrf))
            since, after_id = alert.updated_at, alert.id
            payload = {
                "id": alert.id,
                "severity": alert.severity,
                "title": alert_titles.alert_title(gettext, alert.kind, alert.title),
                "new": alert.created_at == alert.updated_at,
                "html": html,
            }
            cursor = f"{since.isoformat()}|{after_id}"
            events.append(f"id: {cursor}\nevent: alert\ndata: {json.dumps(payload)}\n\n")
    return events, since, after_id


@router.get("/alerts/stream")
async def stream(request: Request, since: Annotated[str | None, Query(max_length=80)] = None) -> Response:
    """New and changed alerts as server-sent events, for as long as the session is valid."""
    token = request.cookies.get(SESSION_COOKIE)
    caller = await run_in_threadpool(_caller_for, token)
    lang = language_of(request)
    csrf = csrf_token(get_settings().secret_key, token or "")
    cursor, after_id = _cursor(request.headers.get("last-event-id") or since, utcnow())
    # The first batch is read before the stream starts: a caller the service refuses gets its answer (403).
    first, cursor, after_id = await run_in_threadpool(_changes, caller, lang, csrf, cursor, after_id)

    async def events() -> AsyncIterator[str]:
        nonlocal cursor, after_id
        yield "retry: 3000\n\n"
        batch = first
        started = checked = time.monotonic()
        while True:
            for event in batch:
                yield event
            if not batch:
                yield ": keep-alive\n\n"
            await asyncio.sleep(POLL_SECONDS)
            if time.monotonic() - started >= STREAM_SECONDS:
                return
            if time.monotonic() - checked > RECHECK_SECONDS:
                try:
                    await run_in_threadpool(_caller_for, token)
                except SignInRequired:
                    yield "event: signed-out\ndata: {}\n\n"
                    return
                checked = time.monotonic()
            batch, cursor, after_id = await run_in_threadpool(_changes, caller, lang, csrf, cursor, after_id)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
