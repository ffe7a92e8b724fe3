"""HTTP routes of alerts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from outrider.access.registry_rules import Caller
from outrider.alerts import service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertAck, AlertRead, Severity
from outrider.db import utcnow
from outrider.errors import NotFound
from outrider.http import CallerDep, PageDep, SessionDep, require_roles
from outrider.registry.schemas import Page

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])

ALERT_READERS = ("admin", "coordinator", "duty_officer", "liaison", "auditor")
ALERT_ACKERS = ("admin", "coordinator", "duty_officer")


def alert_scope(caller: Caller) -> tuple[set[int] | None, bool]:
    """Organisations whose alerts the caller sees (None: all) and whether unowned ones too."""
    if caller.org_kind == "host_security" or "auditor" in caller.roles:
        return None, True
    return {caller.organization_id}, False


def _visible_alert(session: Any, caller: Caller, alert_id: int) -> Alert:
    alert = service.get_alert(session, alert_id=alert_id)
    orgs, unowned = alert_scope(caller)
    if orgs is not None and not (
        alert.organization_id in orgs or (unowned and alert.organization_id is None)
    ):
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
    require_roles(caller, *ALERT_READERS)
    orgs, unowned = alert_scope(caller)
    rows, total = service.list_alerts(
        session, organization_ids=orgs, include_unowned=unowned, status=status, kind=kind,
        severity=severity, limit=page.limit, offset=page.offset,
    )
    return {"items": [AlertRead.model_validate(a) for a in rows], "total": total,
            "limit": page.limit, "offset": page.offset}


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: int, caller: CallerDep, session: SessionDep) -> AlertRead:
    """One alert."""
    require_roles(caller, *ALERT_READERS)
    return AlertRead.model_validate(_visible_alert(session, caller, alert_id))


@router.post("/{alert_id}/acknowledge", response_model=AlertRead)
def acknowledge(alert_id: int, data: AlertAck, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Take charge of an alert."""
    require_roles(caller, *ALERT_ACKERS)
    alert = _visible_alert(session, caller, alert_id)
    return AlertRead.model_validate(
        service.acknowledge(session, alert=alert, user_id=caller.user_id, note=data.note, now=utcnow())
    )
