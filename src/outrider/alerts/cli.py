"""`outrider alerts`: list, show, acknowledge, assign, post progress, escalate, resolve and reopen alerts,
and run drills of an organisation's alert chain (the services decide who may)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from outrider.accounts import service as accounts_service
from outrider.alerts import service, views, work
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertNoteRead, AlertRead, Severity
from outrider.console import (
    AsOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    emit,
    fail,
    friendly,
    out,
    print_table,
    session_as,
)
from outrider.cordon import alert_desk
from outrider.db import utcnow
from outrider.notify import drills
from outrider.pages import Page

app = typer.Typer(
    help="Alerts from every detector: list, show, ack, assign, note, escalate, resolve, reopen, drill.",
    no_args_is_help=True,
)

STATUSES = tuple(service.STATUS_FILTERS)


@app.command("list")
@friendly
def list_cmd(
    status: Annotated[str | None, typer.Option(help="open, unacknowledged, acknowledged or resolved")] = None,
    kind: Annotated[str | None, typer.Option(help="only this detector's alerts")] = None,
    severity: Annotated[Severity | None, typer.Option(help="only this severity")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Alerts you may see, newest first."""
    if status is not None and status not in STATUSES:
        raise fail(f"--status must be one of {', '.join(STATUSES)}", code=2)
    with session_as(as_user) as (session, caller):
        rows, total = service.list_alerts(
            session, caller=caller, status=status, kind=kind, severity=severity, limit=limit, offset=offset
        )
        items = views.views(session, caller=caller, alerts=rows, now=utcnow())
        page = Page[AlertRead](items=items, total=total, limit=limit, offset=offset)
    columns = ["id", "severity", "kind", "title", "created_at", "acknowledged_at"]
    emit(page, as_json, lambda: print_table(page.items, columns, f"Alerts ({total})"))


@app.command("show")
@friendly
def show_cmd(alert_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One alert with its details."""
    with session_as(as_user) as (session, caller):
        alert = service.get_alert(session, caller=caller, alert_id=alert_id)
        item = views.view(session, caller=caller, alert=alert, now=utcnow())

    def human() -> None:
        for key, value in item.model_dump(mode="json").items():
            out.print(f"[bold]{key}[/bold]: {value}", highlight=False)

    emit(item, as_json, human)


@app.command("ack")
@app.command("acknowledge", hidden=True)
@friendly
def ack_cmd(
    alert_id: int,
    note: Annotated[str, typer.Option(help="what you are doing about it")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Acknowledge an alert (take charge of it)."""
    with session_as(as_user) as (session, caller):
        now = utcnow()
        alert = alert_desk.acknowledge(session, caller=caller, alert_id=alert_id, note=note, now=now)
        item = views.view(session, caller=caller, alert=alert, now=now)
    emit(item, as_json, f"alert {item.id} acknowledged")


ReasonOpt = Annotated[str, typer.Option("--reason", help="why (recorded and audited)")]


def _by_hand(
    as_user: str | None,
    alert_id: int,
    reason: str,
    as_json: bool,
    act: Callable[..., Alert],
    said: Callable[[AlertRead], str],
) -> None:
    """Escalate or resolve an alert by hand: a reason is required, the act is the alert desk's."""
    if not reason.strip():
        raise fail("--reason must say why", code=2)
    with session_as(as_user) as (session, caller):
        now = utcnow()
        alert = act(session, caller=caller, alert_id=alert_id, reason=reason, now=now)
        item = views.view(session, caller=caller, alert=alert, now=now)
    emit(item, as_json, said(item))


@app.command("escalate")
@friendly
def escalate_cmd(
    alert_id: int, reason: ReasonOpt, as_user: str | None = AsOpt, as_json: bool = JsonOpt
) -> None:
    """Escalate an alert one level by hand."""
    _by_hand(
        as_user,
        alert_id,
        reason,
        as_json,
        alert_desk.escalate,
        lambda item: f"alert {item.id} escalated to level {item.escalation_level}",
    )


@app.command("resolve")
@friendly
def resolve_cmd(
    alert_id: int, reason: ReasonOpt, as_user: str | None = AsOpt, as_json: bool = JsonOpt
) -> None:
    """Close an alert by hand (cordon alerts: host security's duty officers and administrators)."""
    _by_hand(as_user, alert_id, reason, as_json, alert_desk.resolve, lambda item: f"alert {item.id} resolved")


@app.command("reopen")
@friendly
def reopen_cmd(
    alert_id: int, reason: ReasonOpt, as_user: str | None = AsOpt, as_json: bool = JsonOpt
) -> None:
    """Open a resolved alert again (by those who may resolve it)."""
    _by_hand(as_user, alert_id, reason, as_json, alert_desk.reopen, lambda item: f"alert {item.id} reopened")


@app.command("assign")
@friendly
def assign_cmd(
    alert_id: int,
    user: Annotated[str, typer.Option("--user", help="the username of who works on it")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Give an alert to a person who may read it and take charge of it."""
    with session_as(as_user) as (session, caller):
        now = utcnow()
        assignee = accounts_service.find_user(session, username=user)
        alert = alert_desk.assign(session, caller=caller, alert_id=alert_id, user_id=assignee.id, now=now)
        item = views.view(session, caller=caller, alert=alert, now=now)
    emit(item, as_json, f"alert {item.id} assigned to {user}")


@app.command("note")
@friendly
def note_cmd(
    alert_id: int,
    text: Annotated[str, typer.Option("--text", help="what is being done about it")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Post progress on an open alert (an acknowledgement's time for progress starts again)."""
    if not text.strip():
        raise fail("--text must say what is being done", code=2)
    with session_as(as_user) as (session, caller):
        note = alert_desk.post_progress(session, caller=caller, alert_id=alert_id, text=text, now=utcnow())
        item = AlertNoteRead.model_validate(note)
    emit(item, as_json, f"progress posted on alert {alert_id}")


@app.command("notes")
@friendly
def notes_cmd(alert_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """An alert's log, oldest first: progress and what the lifecycle did."""
    with session_as(as_user) as (session, caller):
        items = work.notes(session, caller=caller, alert_id=alert_id, now=utcnow())
    columns = ["at", "kind", "user_id", "text"]
    emit(items, as_json, lambda: print_table(items, columns, f"Log of alert {alert_id}"))


@app.command("drill")
@friendly
def drill_cmd(
    organization: Annotated[
        str | None, typer.Option("--organization", help="the organisation (id or name) whose chain to test")
    ] = None,
    policy: Annotated[
        int | None, typer.Option("--policy", help="the escalation policy to call through")
    ] = None,
    severity: Annotated[Severity, typer.Option(help="the drill alert's severity")] = Severity.high,
    report: Annotated[int | None, typer.Option("--report", help="report on this drill alert instead")] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Send an Exercise alert through a policy (people are called as for a real one); --report ID: who
    was called, when, who acknowledged and who never did."""
    if report is not None:
        _drill_report(report, as_user, as_json)
        return
    if not organization:
        raise fail("say whose chain to test: --organization ORG (or --report ALERT_ID)", code=2)
    with session_as(as_user) as (session, caller):
        org = accounts_service.find_organization(session, ref=organization)
        now = utcnow()
        alert = drills.start(
            session, caller=caller, organization_id=org.id, severity=severity, policy_id=policy, now=now
        )
        item = views.view(session, caller=caller, alert=alert, now=now)
    emit(item, as_json, f"drill alert {item.id} raised; report: outrider alerts drill-report {item.id}")


@app.command("drill-report")
@friendly
def drill_report_cmd(alert_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Who a drill called, when each call went out, who acknowledged and when, and who never did."""
    _drill_report(alert_id, as_user, as_json)


def _drill_report(alert_id: int, as_user: str | None, as_json: bool) -> None:
    with session_as(as_user) as (session, caller):
        found = drills.report(session, caller=caller, alert_id=alert_id)

    def human() -> None:
        print_table(found.people, ["name", "steps", "first_sent_at", "calls", "acknowledged_at"], found.title)
        never = ", ".join(found.never_acknowledged) or "nobody"
        out.print(f"never acknowledged: {never}", highlight=False)

    emit(found, as_json, human)
