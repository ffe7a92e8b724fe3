"""HTTP routes of alerts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertAck, AlertRead, Severity
from outrider.db import utcnow
from outrider.errors import NotFound
from outrider.http import CallerDep, PageDep, SessionDep, require_roles
from outrider.inputs import Id
from outrider.pages import Page

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


def _visible_alert(session: Any, caller: Caller, alert_id: Id) -> Alert:
    alert = service.get_alert(session, alert_id=alert_id)
    if not policy.may_read_alert(caller, organization_id=alert.organization_id):
        raise NotFound(f"alert {alert_id} not found")
    return alert


@router.get("", response_model=Page[AlertRead])
def list_alerts(
    caller: CallerDep,
    session: SessionDep,
    page: PageDep,
    status: Annotated[str | None, Query(pattern="^(open|unacknowledged|acknowledged|resolved)$")] = None,
    kind: str | None = None,
    severity: Severity | None = None,
) -> dict[str, Any]:
    """Alerts the caller may see, newest first."""
    require_roles(caller, *policy.ALERT_READERS)
    scope = policy.alert_scope(caller)
    rows, total = service.list_alerts(
        session,
        organization_ids=None if scope.everything else scope.organization_ids,
        include_unowned=scope.everything,
        status=status,
        kind=kind,
        severity=severity,
        limit=page.limit,
        offset=page.offset,
    )
    return {
        "items": [AlertRead.model_validate(a) for a in rows],
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
    }


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: Id, caller: CallerDep, session: SessionDep) -> AlertRead:
    """One alert."""
    require_roles(caller, *policy.ALERT_READERS)
    return AlertRead.model_validate(_visible_alert(session, caller, alert_id))


@router.post("/{alert_id}/acknowledge", response_model=AlertRead)
def acknowledge(alert_id: Id, data: AlertAck, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Take charge of an alert."""
    require_roles(caller, *policy.ALERT_ACKERS)
    alert = _visible_alert(session, caller, alert_id)
    return AlertRead.model_validate(
        service.acknowledge(session, alert=alert, user_id=caller.user_id, note=data.note, now=utcnow())
    )
