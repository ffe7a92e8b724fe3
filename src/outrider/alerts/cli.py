"""`outrider alerts`: list, show and acknowledge alerts (the service decides who may)."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.alerts import service
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
from outrider.db import utcnow
from outrider.pages import Page

app = typer.Typer(help="Alerts from every detector: list, show, acknowledge.", no_args_is_help=True)

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
        page = Page[AlertRead](
            items=[AlertRead.model_validate(a) for a in rows], total=total, limit=limit, offset=offset
        )
    columns = ["id", "severity", "kind", "title", "created_at", "acknowledged_at"]
    emit(page, as_json, lambda: print_table(page.items, columns, f"Alerts ({total})"))


@app.command("show")
@friendly
def show_cmd(alert_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One alert with its details."""
    with session_as(as_user) as (session, caller):
        item = AlertRead.model_validate(service.get_alert(session, caller=caller, alert_id=alert_id))

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
        alert = service.acknowledge(session, caller=caller, alert_id=alert_id, note=note, now=utcnow())
        item = AlertRead.model_validate(alert)
    emit(item, as_json, f"alert {item.id} acknowledged")
