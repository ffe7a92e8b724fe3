"""`outrider movements` commands of the field face: set your field PINs, relay an SOS, list my movements."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, friendly, out, parse_time, session_as
from outrider.db import utcnow
from outrider.movements import field, field_pins
from outrider.movements import field_schemas as f
from outrider.movements.cli_shared import MovementArg, on_movement

app = typer.Typer()


@app.command("field-pin")
@friendly
def field_pin(
    pin: Annotated[str, typer.Option(prompt=True, hide_input=True, help="your check-in PIN, 4 to 8 digits")],
    duress_pin: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            help="your duress PIN: checks in like the other, silently raises the alarm",
        ),
    ],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Set your check-in PIN and duress PIN (asked for when not given; never shown again)."""
    with session_as(as_user) as (session, caller):
        row = field_pins.set_pins(session, caller, pin, duress_pin, now=utcnow())
        read = f.PinsRead(set_at=row.set_at)
    emit(read, as_json, f"field PINs set at {read.set_at.isoformat()}")


@app.command("sos")
@friendly
def sos(
    movement: MovementArg,
    key: Annotated[str, typer.Option("--key", help="idempotency key: a retry with the same key counts once")],
    lat: Annotated[float | None, typer.Option(help="latitude of the caller, if known")] = None,
    lon: Annotated[float | None, typer.Option(help="longitude of the caller, if known")] = None,
    at: Annotated[str | None, typer.Option(help="when, ISO 8601 with zone (default: now)")] = None,
    note: Annotated[str, typer.Option(help="what was said (a duty desk relaying a radio call)")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Raise an SOS for a movement: a critical alert at once, with the position when given."""
    data = f.SosCreate(idempotency_key=key, lat=lat, lon=lon, at=parse_time(at, "--at"), note=note)
    with on_movement(as_user, movement) as (session, caller, mid):
        read, new = field.sos(session, caller=caller, movement_id=mid, data=data, now=utcnow())
    emit(
        {**read.model_dump(mode="json"), "new": new},
        as_json,
        f"SOS {read.id} {'raised' if new else 'already raised'} at {read.at.isoformat()}"
        f"; alert {read.alert_id}",
    )


@app.command("mine")
@friendly
def mine(as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """The movements you lead or escort, as the field app shows them."""
    with session_as(as_user) as (session, caller):
        rows = field.my_movements(session, caller=caller, now=utcnow())
    emit(rows, as_json, lambda: _print(rows))


def _print(rows: list[f.FieldMovement]) -> None:
    if not rows:
        out.print("no movements to lead or escort")
    for r in rows:
        due = r.next_checkin_due_at.isoformat() if r.next_checkin_due_at else "-"
        out.print(
            f"{r.reference} ({r.id}) {r.role} {r.status}: {r.origin.name} → {r.destination.name}; "
            f"next check-in {due}"
        )
