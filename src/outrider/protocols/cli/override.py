"""`outrider protocols override`: the host duty officer lets one movement through a rule that allows it."""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, friendly, out
from outrider.protocols import schemas as s
from outrider.protocols.cli.options import MovementArg, on_movement

app = typer.Typer(
    help="Overrides: the host duty officer records one, with a reason; both parties list them.",
    no_args_is_help=True,
)


def _print_override(o: s.OverrideRead) -> None:
    counts = "covers what is open now" if o.valid_now else f"does not cover alerts {o.uncovered_alert_ids}"
    covers = ", ".join(str(i) for i in o.covers_alert_ids) or "none"
    out.print(
        f"override {o.id}: movement {o.movement_id}, {o.protocol_id} v{o.protocol_version} rule {o.rule_id}, "
        f"by {o.recorded_by_name} ({o.organization}) at {o.recorded_at.isoformat()}; alerts covered: "
        f"{covers}; {counts}; reason: {o.reason}",
        highlight=False,
    )


def _print_overrides(rows: list[s.OverrideRead]) -> None:
    if not rows:
        out.print("no overrides")
    for o in rows:
        _print_override(o)


@app.command("record")
@friendly
def override_record(
    movement: MovementArg,
    rule: Annotated[str, typer.Argument(help="the blocking rule to override (one that names the host)")],
    reason: Annotated[str, typer.Option(help="why (at least 10 characters); both parties read it")],
    protocol: Annotated[str | None, typer.Option(help="protocol id, when several are in force")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Record an override of a failed rule for a movement (host security duty officers and admins)."""
    from outrider.protocols import overrides  # the risk kernels: imported when a command runs, not for --help

    data = s.OverrideCreate(rule_id=rule, reason=reason, protocol_id=protocol)
    read = on_movement(as_user, movement, partial(overrides.record_override, data=data))
    emit(read, as_json, lambda: _print_override(read))


@app.command("list")
@friendly
def override_list(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """A movement's overrides, with who recorded each, why, and whether it still covers what is open."""
    from outrider.protocols import overrides  # the risk kernels: imported when a command runs, not for --help

    rows = on_movement(as_user, movement, overrides.overrides_of)
    emit(rows, as_json, lambda: _print_overrides(rows))


def _print_check(c: s.DepartureCheck) -> None:
    if not c.checked:
        out.print("no protocol in force has rules for the departure")
    elif c.allowed:
        out.print("the departure gate lets the convoy leave now", highlight=False)
    for b in c.blocking:
        out.print(f"HOLDS the departure: {b.rule_id} ({b.title}); who can clear it: {b.who_can_clear}")
        for a in b.alerts:
            out.print(f"  alert {a.id} ({a.kind}, {a.severity}) at the {a.place}: {a.title}", highlight=False)
    for w in c.warnings:
        out.print(f"warning: {w}")
    for o in c.overridden:
        out.print(f"overridden: {o}")


@app.command("check")
@friendly
def departure_gate(movement: MovementArg, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """What would hold the departure now (nothing stored), with the open alerts and who can clear them."""
    from outrider.protocols import departure  # the risk kernels: imported when a command runs, not for --help

    read = on_movement(as_user, movement, departure.departure_check)
    emit(read, as_json, lambda: _print_check(read))
