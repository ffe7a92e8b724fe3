"""`outrider protocols waive`: ask for a waiver of a blocking rule, approve or withdraw one, list them."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, parse_time, session_as
from outrider.db import utcnow
from outrider.protocols import schemas as s
from outrider.protocols import waivers
from outrider.protocols.cli.options import MovementArg, on_movement

app = typer.Typer(help="Waivers: ask for one, approve one, list a movement's.", no_args_is_help=True)
WaiverArg = Annotated[int, typer.Argument(help="waiver id")]


def _print_waiver(w: s.WaiverRead) -> None:
    counts = "counts now" if w.valid_now else f"does not count: {w.problem}"
    out.print(
        f"waiver {w.id}: movement {w.movement_id}, {w.protocol_id} v{w.protocol_version} rule {w.rule_id}, "
        f"{w.state}, expires {w.expires_at.isoformat()}; {counts}",
        highlight=False,
    )


def _print_waivers(rows: list[s.WaiverRead]) -> None:
    for w in rows:
        _print_waiver(w)


@app.command("request")
@friendly
def waive_request(
    movement: MovementArg,
    rule: Annotated[str, typer.Argument(help="the blocking rule to waive")],
    justification: Annotated[str, typer.Option(help="why (at least 20 characters)")],
    expires: Annotated[str, typer.Option(help="expiry, ISO 8601 with a zone")],
    protocol: Annotated[str | None, typer.Option(help="protocol id, when several are in force")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Ask for a waiver; your party's approval is given with the request when you approve for a party."""
    expires_at = parse_time(expires, "--expires")
    if expires_at is None:
        raise fail("--expires: give the expiry, ISO 8601 with a zone", code=2)
    data = s.WaiverCreate(
        rule_id=rule, justification=justification, expires_at=expires_at, protocol_id=protocol
    )
    read = on_movement(as_user, movement, partial(waivers.request_waiver, data=data))
    emit(read, as_json, lambda: _print_waiver(read))


@app.command("approve")
@friendly
def waive_approve(waiver_id: WaiverArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """Approve a waiver for your party."""
    with session_as(as_user) as (session, caller):
        read = waivers.approve_waiver(session, caller=caller, waiver_id=waiver_id, now=utcnow())
    emit(read, as_json, lambda: _print_waiver(read))


@app.command("withdraw")
@friendly
def waive_withdraw(
    waiver_id: WaiverArg,
    reason: Annotated[str, typer.Option(help="why (at least 10 characters)")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Withdraw a waiver: it never counts again (either party, or the movement's planners)."""
    with session_as(as_user) as (session, caller):
        read = waivers.withdraw_waiver(
            session, caller=caller, waiver_id=waiver_id, reason=reason, now=utcnow()
        )
    emit(read, as_json, lambda: _print_waiver(read))


@app.command("list")
@friendly
def waive_list(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """A movement's waivers."""
    rows = on_movement(as_user, movement, waivers.waivers_of)
    emit(rows, as_json, lambda: _print_waivers(rows))
