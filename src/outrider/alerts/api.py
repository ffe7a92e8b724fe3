"""HTTP routes of alerts (the service decides who may see and act on what; the desk audits the acts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from outrider.alerts import service, views, work
from outrider.alerts.schemas import (
    AlertAck,
    AlertAssign,
    AlertEscalate,
    AlertNoteCreate,
    AlertNoteRead,
    AlertRead,
    AlertReopen,
    AlertResolve,
    Severity,
)
from outrider.cordon import alert_desk
from outrider.db import utcnow
from outrider.http import CallerDep, PageDep, SessionDep, commit_now
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
    commit_now(session)  # its record of the itineraries shown: the write turn ends here (SQLite)
    return Page[AlertRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: Id, caller: CallerDep, session: SessionDep) -> AlertRead:
    """One alert."""
    alert = service.get_alert(session, caller=caller, alert_id=alert_id)
    shown = views.view(session, caller=caller, alert=alert, now=utcnow())
    commit_now(session)  # as the list
    return shown


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


@router.post("/{alert_id}/assign", response_model=AlertRead)
def assign(alert_id: Id, data: AlertAssign, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Give an alert to a person to work on: an active user who may read it and take charge of it (422
    beside ``user_id`` otherwise; 409 when it is theirs already or resolved)."""
    now = utcnow()
    alert = alert_desk.assign(session, caller=caller, alert_id=alert_id, user_id=data.user_id, now=now)
    return views.view(session, caller=caller, alert=alert, now=now)


@router.post("/{alert_id}/notes", response_model=AlertNoteRead, status_code=201)
def post_note(alert_id: Id, data: AlertNoteCreate, caller: CallerDep, session: SessionDep) -> AlertNoteRead:
    """Post progress on an open alert; an acknowledgement's time for progress starts again."""
    note = alert_desk.post_progress(session, caller=caller, alert_id=alert_id, text=data.text, now=utcnow())
    return AlertNoteRead.model_validate(note)


@router.get("/{alert_id}/notes", response_model=list[AlertNoteRead])
def list_notes(alert_id: Id, caller: CallerDep, session: SessionDep) -> list[AlertNoteRead]:
    """An alert's log, oldest first: progress, and what the lifecycle did, by whom (none for the clock);
    people's words on an alert about a movement only for its need-to-know list (else ``withheld``)."""
    return work.notes(session, caller=caller, alert_id=alert_id, now=utcnow())


@router.post("/{alert_id}/reopen", response_model=AlertRead)
def reopen(alert_id: Id, data: AlertReopen, caller: CallerDep, session: SessionDep) -> AlertRead:
    """Open a resolved alert again, saying why (by those who may resolve it); 409 naming the alert open
    for the same subject and kind when there is one."""
    now = utcnow()
    alert = alert_desk.reopen(session, caller=caller, alert_id=alert_id, reason=data.reason, now=now)
    return views.view(session, caller=caller, alert=alert, now=now)
