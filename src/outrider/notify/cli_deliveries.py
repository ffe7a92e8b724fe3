"""`outrider notify deliveries|test`: what was sent, dead letters sent again, a pass of the dispatcher, and
a test message to oneself (the deliveries service decides who may see and do what)."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.console import (
    AsOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    emit,
    fail,
    friendly,
    out,
    parse_time,
    print_table,
    session_as,
)
from outrider.db import utcnow
from outrider.notify import deliveries, outbox
from outrider.notify.delivery_views import DeliveryPage, DeliveryView

deliveries_app = typer.Typer(
    help="Deliveries of alerts: the outbox, attempts, dead letters.", no_args_is_help=True
)

COLUMNS = ["id", "alert_id", "step", "channel", "target_name", "address", "status", "attempts", "last_error"]


@deliveries_app.command("list")
@friendly
def list_cmd(
    alert_id: Annotated[
        int | None, typer.Option("--alert", help="the delivery log of this alert (readers of the alert)")
    ] = None,
    status: Annotated[str | None, typer.Option(help=", ".join(outbox.STATUSES))] = None,
    since: Annotated[str | None, typer.Option(help="created at or after (ISO 8601 with its zone)")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Your organisation's deliveries, newest first (administrators); with --alert, one alert's log."""
    if status is not None and status not in outbox.STATUSES:
        raise fail(f"--status must be one of {', '.join(outbox.STATUSES)}", code=2)
    after = parse_time(since, "--since")
    with session_as(as_user) as (session, caller):
        if alert_id is not None:
            rows = deliveries.log_for_alert(session, caller=caller, alert_id=alert_id)
            page = DeliveryPage(items=rows, total=len(rows), limit=len(rows), offset=0)
        else:
            page = deliveries.list_deliveries(
                session, caller=caller, status=status, since=after, limit=limit, offset=offset
            )
    emit(page, as_json, lambda: print_table(page.items, COLUMNS, f"Deliveries ({page.total})"))


def _print_one(item: DeliveryView) -> None:
    for key, value in item.model_dump(mode="json", exclude={"log"}).items():
        out.print(f"[bold]{key}[/bold]: {value}", highlight=False)
    for a in item.log:
        out.print(
            f"  try {a.attempt} at {a.at.isoformat()}: {a.status} ({a.duration_ms} ms) {a.detail}",
            highlight=False,
        )


@deliveries_app.command("show")
@friendly
def show_cmd(delivery_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """One delivery with its attempts."""
    with session_as(as_user) as (session, caller):
        item = deliveries.get_delivery(session, caller=caller, delivery_id=delivery_id)
    emit(item, as_json, lambda: _print_one(item))


@deliveries_app.command("retry-dead")
@friendly
def retry_dead_cmd(
    delivery_ids: Annotated[
        list[int] | None, typer.Argument(metavar="ID", help="delivery ids (default: every dead letter)")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Send your organisation's dead letters again, with the same delivery id (administrators)."""
    with session_as(as_user) as (session, caller):
        rows = deliveries.retry_dead(session, caller=caller, now=utcnow(), delivery_ids=delivery_ids or [])
        items = deliveries.views_of(session, caller=caller, rows=rows)
    emit(
        items, as_json, f"{len(items)} dead letter(s) due again: {', '.join(str(i.id) for i in items) or '-'}"
    )


@deliveries_app.command("dispatch")
@friendly
def dispatch_cmd(as_json: bool = JsonOpt) -> None:
    """Send what is due now, pass after pass, as the worker does every few seconds (the operator)."""
    from outrider.notify import worker  # the channels are loaded only by this command

    with out.status("dispatching…"):
        report = worker.run_once()
    done = {k: getattr(report, k) for k in ("claimed", "sent", "retried", "dead", "lapsed")}
    emit(done, as_json, ", ".join(f"{k}: {v}" for k, v in done.items()))


def send_test_cmd(
    channel: Annotated[str, typer.Option(help="email, sms or webhook")] = "email",
    endpoint_id: Annotated[
        int | None, typer.Option("--endpoint", help="the webhook endpoint to test (administrators)")
    ] = None,
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Send a test message to your own verified contact point, or to a webhook endpoint of your
    organisation with --channel webhook --endpoint ID (administrators); five an hour at most."""
    with session_as(as_user) as (session, caller):
        item = deliveries.send_test(
            session, caller=caller, channel=channel, endpoint_id=endpoint_id, now=utcnow()
        )
    emit(item, as_json, f"test message {item.id} to {item.address} is in the outbox (status: {item.status})")
