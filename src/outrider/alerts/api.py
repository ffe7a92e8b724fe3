"""HTTP routes of alerts (the service decides who may see and act on what; the desk audits the acts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from outrider.alerts import service, views
from outrider.alerts.schemas import AlertAck, AlertEscalate, AlertRead, AlertResolve, Severity
from outrider.cordon import alert_desk
from outrider.db import utcnow
from outrider.http import CallerDep, PageDep, SessionDep
from outrider.inputs import Id
from outrider.pages import Page

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


@router.get("", response_model=Page[AlertRead])
def list_alerts(
    caller: CallerDep,
    session: SessionDep,
    page: PageDep,
    status: Annotated[str | None, Query(pattern="^(open|unacknowledged|acknowledged|resolved)$")] = None,
    kind: str | None = None,
    severity: Severity | None = None,
) -> Page[AlertRead]:
    """Alerts the caller may see, newest first; a movement's reference and times only for its
    need-to-know list, in its local time."""
    rows, total = service.list_alerts(
        session,
        caller=caller,
        status=status,
        kind=kind,
        severity=severity,
        limit=page.limit,
        offset=page.offset,
    )
    items = views.views(session, caller=caller, alerts=rows, now=utcnow())
    return Page[AlertRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: Id, caller: CallerDep, session: SessionDep) -> AlertRead:
    """One alert."""
    alert = service.get_alert(session, caller=caller, alert_id=alert_id)
    return views.view(session, caller=caller, alert=alert, now=utcnow())


@router.post("/{alert_id}/acknowledge", response_model=AlertRead)
def acknowledge(alert_id: Id, data: AlertAck, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Take charge of an alert."""
    now = utcnow()
    alert = alert_desk.acknowledge(session, caller=caller, alert_id=alert_id, note=data.note, now=now)
    return views.view(session, caller=caller, alert=alert, now=now)


@router.post("/{alert_id}/escalate", response_model=AlertRead)
def escalate(alert_id: Id, data: AlertEscalate, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Escalate an alert one level by hand, saying why (a resolved alert is a conflict)."""
    now = utcnow()
    alert = alert_desk.escalate(session, caller=caller, alert_id=alert_id, reason=data.reason, now=now)
    return views.view(session, caller=caller, alert=alert, now=now)


@router.post("/{alert_id}/resolve", response_model=AlertRead)
def resolve(alert_id: Id, data: AlertResolve, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Close an alert, saying why: cordon alerts by host security's duty officers and administrators."""
    now = utcnow()
    alert = alert_desk.resolve(session, caller=caller, alert_id=alert_id, reason=data.reason, now=now)
    return views.view(session, caller=caller, alert=alert, now=now)
