"""HTTP routes of alerts (the service decides who may see and acknowledge what)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from outrider.alerts import service
from outrider.alerts.schemas import AlertAck, AlertRead, Severity
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
    """Alerts the caller may see, newest first."""
    rows, total = service.list_alerts(
        session,
        caller=caller,
        status=status,
        kind=kind,
        severity=severity,
        limit=page.limit,
        offset=page.offset,
    )
    items = [AlertRead.model_validate(a) for a in rows]
    return Page[AlertRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: Id, caller: CallerDep, session: SessionDep) -> AlertRead:
    """One alert."""
    return AlertRead.model_validate(service.get_alert(session, caller=caller, alert_id=alert_id))


@router.post("/{alert_id}/acknowledge", response_model=AlertRead)
def acknowledge(alert_id: Id, data: AlertAck, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Take charge of an alert."""
    return AlertRead.model_validate(
        service.acknowledge(session, caller=caller, alert_id=alert_id, note=data.note, now=utcnow())
    )
