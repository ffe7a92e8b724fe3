"""`outrider movements` commands on who may know: grants, the need-to-know list, the arrangement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import AsOpt, JsonOpt, emit, fail, friendly, out, parse_time, session_as
from outrider.db import transaction, utcnow
from outrider.governance import service as governance_service
from outrider.governance.rules import Kind
from outrider.movements import need_to_know, service
from outrider.movements import schemas as s
from outrider.movements.cli_shared import MovementArg, on_movement

app = typer.Typer()
arrangement_app = typer.Typer(help="The joint arrangement in force.", no_args_is_help=True)
app.add_typer(arrangement_app, name="arrangement")


@arrangement_app.command("show")
@friendly
def arrangement_show(as_json: bool = JsonOpt) -> None:
    """The arrangement in force."""
    with transaction() as session:
        read = service.arrangement_read(session)

    def human() -> None:
        out.print(f"arrangement version {read.version} ({read.comment or 'no comment'})")
        out.print(json.dumps(read.document, indent=2), highlight=False)

    emit(read, as_json, human)


@arrangement_app.command("set")
@friendly
def arrangement_set(
    file: Annotated[Path, typer.Argument(help="the arrangement as JSON", exists=True)],
    comment: Annotated[str, typer.Option(help="why it changed")] = "",
    as_user: str | None = AsOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Propose a new version of the arrangement; it takes effect when both founding parties approve."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{file.name}: not valid JSON ({exc})") from None
    now = utcnow()
    with session_as(as_user) as (session, caller):
        row = governance_service.propose(
            session,
            caller=caller,
            kind=Kind.arrangement,
            payload={"document": document, "comment": comment},
            comment=comment,
            now=now,
        )
        read = governance_service.proposal_read(row, now=now)
    emit(
        read,
        as_json,
        f"proposal {read.id} opened: the arrangement in force stays until both founding parties approve "
        f"(outrider governance approve {read.id})",
    )


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
    data = s.GrantCreate(user_id=user, reason=reason, expires_at=parse_time(until, "--until"))
    with on_movement(as_user, movement) as (session, caller, mid):
        row = s.GrantRead.model_validate(
            need_to_know.grant(session, caller=caller, movement_id=mid, data=data, now=utcnow())
        )
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
    with on_movement(as_user, movement) as (session, caller, mid):
        row = s.GrantRead.model_validate(
            need_to_know.revoke(session, caller=caller, movement_id=mid, grant_id=grant_id, now=utcnow())
        )
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
