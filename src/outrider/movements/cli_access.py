"""`outrider movements` commands on who may know the itinerary: grants and the need-to-know list."""

from __future__ import annotations

from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, friendly, out, parse_time
from outrider.db import utcnow
from outrider.movements import grants, need_to_know
from outrider.movements.cli_shared import MovementArg, change, on_movement
from outrider.movements.need_to_know_schemas import GrantCreate, GrantRead

app = typer.Typer()


@app.command("grant")
@friendly
def grant(
    movement: MovementArg,
    user: Annotated[int, typer.Option(help="the user id to add to the need-to-know list")],
    reason: Annotated[str, typer.Option(help="why they need to know")],
    until: Annotated[str, typer.Option(help="expiry, ISO 8601 with zone")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add a user to the movement's need-to-know list (planners)."""
    data = GrantCreate(user_id=user, reason=reason, expires_at=parse_time(until, "--until"))
    row = change(as_user, movement, grants.grant, GrantRead, data=data)
    emit(row, as_json, f"grant {row.id}: user {row.user_id} until {row.expires_at.isoformat()}")


@app.command("revoke")
@friendly
def revoke(
    movement: MovementArg,
    grant_id: Annotated[int, typer.Argument(help="the grant to withdraw")],
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Withdraw a need-to-know grant at once (planners)."""
    row = change(as_user, movement, grants.revoke, GrantRead, grant_id=grant_id)
    emit(row, as_json, f"grant {row.id} revoked")


@app.command("need-to-know")
@friendly
def need_to_know_cmd(movement: MovementArg, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Who is on the movement's need-to-know list and why (planners and auditors)."""
    with on_movement(as_user, movement) as (session, caller, mid):
        report = need_to_know.need_to_know(session, caller=caller, movement_id=mid, now=utcnow())

    def human() -> None:
        out.print(f"released to the list at {report.release_at.isoformat()}")
        for m in report.members:
            out.print(f"  {m.username} ({', '.join(m.relationships)}): {m.reason}", highlight=False)
        for g in report.grants:
            state = "revoked" if g.revoked_at else f"until {g.expires_at.isoformat()}"
            out.print(f"  grant {g.id}: user {g.user_id} {state}: {g.reason}", highlight=False)

    emit(report, as_json, human)
