"""`outrider alerts`: list, show and acknowledge alerts."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import service
from outrider.alerts.models import Alert
from outrider.alerts.schemas import AlertRead, Severity
from outrider.console import AsOpt, JsonOpt, fail, friendly, out, print_json, print_table, session_as
from outrider.db import utcnow
from outrider.errors import Forbidden, NotFound

app = typer.Typer(help="Alerts from every detector: list, show, acknowledge.", no_args_is_help=True)

STATUSES = ("open", "unacknowledged", "acknowledged", "resolved")


def _visible(session: Session, caller: Caller, alert_id: int) -> Alert:
    alert = service.get_alert(session, alert_id=alert_id)
    if not policy.may_read_alert(caller, organization_id=alert.organization_id):
        raise NotFound(f"alert {alert_id} not found")
    return alert


@app.command("list")
@friendly
def list_cmd(
    status: Annotated[str | None, typer.Option(help="open, unacknowledged, acknowledged or resolved")] = None,
    kind: Annotated[str | None, typer.Option(help="only this detector's alerts")] = None,
    severity: Annotated[Severity | None, typer.Option(help="only this severity")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Alerts you may see, newest first."""
    if status is not None and status not in STATUSES:
        raise fail(f"--status must be one of {', '.join(STATUSES)}", code=2)
    with session_as(as_user) as (session, caller):
        if not caller.roles & policy.ALERT_READERS:
            raise Forbidden(f"this needs one of the roles: {', '.join(sorted(policy.ALERT_READERS))}")
        scope = policy.alert_scope(caller)
        rows, total = service.list_alerts(
            session,
            organization_ids=None if scope.everything else scope.organization_ids,
            include_unowned=scope.everything,
            status=status,
            kind=kind,
            severity=severity,
            limit=limit,
            offset=offset,
        )
        items = [AlertRead.model_validate(a) for a in rows]
    if as_json:
        print_json({"items": items, "total": total, "limit": limit, "offset": offset})
    else:
        print_table(
            items, ["id", "severity", "kind", "title", "created_at", "acknowledged_at"], f"Alerts ({total})"
        )


@app.command("show")
@friendly
def show_cmd(alert_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One alert with its details."""
    with session_as(as_user) as (session, caller):
        item = AlertRead.model_validate(_visible(session, caller, alert_id))
    if as_json:
        print_json(item)
    else:
        for key, value in item.model_dump(mode="json").items():
            out.print(f"[bold]{key}[/bold]: {value}", highlight=False)


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
        if not caller.roles & policy.ALERT_ACKERS:
            raise Forbidden(f"this needs one of the roles: {', '.join(sorted(policy.ALERT_ACKERS))}")
        alert = _visible(session, caller, alert_id)
        item = AlertRead.model_validate(
            service.acknowledge(session, alert=alert, user_id=caller.user_id, note=note, now=utcnow())
        )
    if as_json:
        print_json(item)
    else:
        out.print(f"alert {item.id} acknowledged")
