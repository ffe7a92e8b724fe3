"""One alert's page (its row's acts, who it is assigned to, its log of progress and lifecycle, the log of its
deliveries, and forms to assign it, post progress and reopen it with a reason), and the bell that every
page's header polls: the count of open alerts nobody has taken, and the critical ones raised since."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from outrider.access import policy
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts import views, work
from outrider.cordon import alert_desk
from outrider.errors import Forbidden, InvalidInput
from outrider.http import caller_of
from outrider.inputs import Id
from outrider.notify import deliveries
from outrider.web import alert_titles, i18n
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.pages_alerts import row_values

router = APIRouter(route_class=WebRoute, include_in_schema=False)
BELL_CRITICAL = 5  # the most critical alerts one poll announces


@router.get("/alerts/bell")
def bell(web: WebDep, after: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None) -> Response:
    """The header's count of open unacknowledged alerts the caller may read, and the critical ones raised
    after ``after`` (none on the first call: what was there before the page opened is not news)."""
    count = work.unacknowledged_count(web.session, caller=web.caller)
    newest = work.newest_id(web.session, caller=web.caller)
    critical: list[dict[str, Any]] = []
    if after is not None and policy.may_read_alerts(web.caller):
        rows = work.critical_after(web.session, caller=web.caller, after_id=after, limit=BELL_CRITICAL)
        gettext = i18n.translations(web.lang.code).gettext
        for a in views.views(web.session, caller=web.caller, alerts=rows, now=web.now, record=False):
            critical.append({"id": a.id, "title": alert_titles.alert_title(gettext, a.kind, a.title)})
    body = {"count": count, "after": max(newest, after or 0), "critical": critical}
    response = JSONResponse(body, headers={"Cache-Control": "no-store"})
    web.finish(response)
    return response


def _names(web: Web, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = web.session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(sorted(ids))))
    return {uid: full or username for uid, full, username in rows}


def _candidates(web: Web, alert_id: int) -> list[User]:
    """The caller's colleagues the alert may be given to (read it, may take charge; active)."""
    alert = alerts_service.get_alert(web.session, caller=web.caller, alert_id=alert_id)
    audience = alerts_service.audience_of(web.session, alert.id)
    users = web.session.scalars(
        select(User)
        .where(User.organization_id == web.caller.organization_id, User.is_active.is_(True))
        .order_by(User.username)
    )
    return [
        u
        for u in users
        if u.id not in views.silent_to(alert)
        and policy.may_be_assigned_alert(
            caller_of(u), organization_id=alert.organization_id, audience=audience
        )
    ]


def _page(
    web: Web, alert_id: int, *, errors: dict[str, str] | None = None, kept: dict[str, str] | None = None
) -> Response:
    """The alert's page as the caller may see it (with a message beside a field and the input kept)."""
    alert = alerts_service.get_alert(web.session, caller=web.caller, alert_id=alert_id)
    shown = views.view(web.session, caller=web.caller, alert=alert, now=web.now)
    row = row_values(web.session, web.caller, shown, {}, web.csrf)
    log = work.notes(web.session, caller=web.caller, alert_id=alert_id, now=web.now)
    try:
        sent = deliveries.log_for_alert(web.session, caller=web.caller, alert_id=alert_id)
    except Forbidden:
        sent = []
    live = shown.resolved_at is None
    may_act = policy.may_acknowledge_alerts(web.caller) and live
    ids = {n.user_id for n in log if n.user_id is not None} | {shown.assigned_to or 0}
    ids |= {int(n.text[5:]) for n in log if n.kind == "assigned" and n.text[5:].isdigit()}  # "user 12"
    return web.render(
        "alert.html",
        status_code=422 if errors else 200,
        row=row,
        a=shown,
        tz=row["tz"],
        notes=log,
        sent=sent,
        names=_names(web, ids - {0}),
        candidates=_candidates(web, alert_id) if may_act and policy.may_assign_alert(web.caller) else [],
        may_note=may_act and policy.may_post_alert_progress(web.caller),
        may_reopen=not live
        and policy.may_reopen_alert(web.caller, kind=shown.kind, organization_id=shown.organization_id),
        errors=errors or {},
        kept=kept or {},
    )


@router.get("/alerts/{alert_id}")
def alert_page(web: WebDep, alert_id: Id) -> Response:
    """One alert: what it says, who has it, what was done, who was called."""
    return _page(web, alert_id)


def _said(web: Web, alert_id: int, field: str, text: str, message: str) -> Response | None:
    """The page again with ``message`` beside ``field`` when nothing was said; None when something was."""
    if text.strip():
        return None
    return _page(web, alert_id, errors={field: web.gettext(message)}, kept={field: text})


@router.post("/alerts/{alert_id}/assign")
def assign(web: WebDep, alert_id: Id, user_id: Annotated[str, Form(max_length=12)] = "") -> Response:
    """Give the alert to a colleague (the service checks who may, and who may be given it)."""
    if not user_id.isdigit():
        return _page(web, alert_id, errors={"user_id": web.gettext("Choose who works on it.")})
    try:
        alert_desk.assign(
            web.session, caller=web.caller, alert_id=alert_id, user_id=int(user_id), now=web.now
        )
    except InvalidInput:
        message = web.gettext("This person may not read this alert or take charge of it.")
        return _page(web, alert_id, errors={"user_id": message}, kept={"user_id": user_id})
    return web.redirect(f"/alerts/{alert_id}", done="alert_assigned")


@router.post("/alerts/{alert_id}/notes")
def post_note(web: WebDep, alert_id: Id, text: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Post progress (an acknowledgement's time for progress starts again)."""
    refused = _said(web, alert_id, "text", text, "Say what is being done.")
    if refused is not None:
        return refused
    alert_desk.post_progress(web.session, caller=web.caller, alert_id=alert_id, text=text, now=web.now)
    return web.redirect(f"/alerts/{alert_id}", done="alert_noted")


@router.post("/alerts/{alert_id}/reopen")
def reopen(web: WebDep, alert_id: Id, reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Open a resolved alert again, with a reason."""
    refused = _said(web, alert_id, "reason", reason, "Say why (a reason is required).")
    if refused is not None:
        return refused
    alert_desk.reopen(web.session, caller=web.caller, alert_id=alert_id, reason=reason, now=web.now)
    return web.redirect(f"/alerts/{alert_id}", done="alert_reopened")
