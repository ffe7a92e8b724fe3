"""`outrider alerts`: list, show, acknowledge, escalate and resolve alerts (the service decides who may)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from outrider.alerts import service, views
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertRead, Severity
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
from outrider.pages import Page

app = typer.Typer(
    help="Alerts from every detector: list, show, acknowledge, escalate, resolve.", no_args_is_help=True
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
