"""`outrider intel review` and `outrider intel actors`: the analyst's commands, each change printed back."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel

from outrider.console import AsOpt, JsonOpt, emit, friendly, parse_assignments, print_table, session_as
from outrider.db import utcnow
from outrider.intel import queries, review, service
from outrider.intel.cli.reads import QUEUE_COLUMNS, LimitOpt, list_page, plain
from outrider.intel.schemas import (
    ActorCreate,
    ActorRead,
    ActorUpdate,
    EventEdit,
    EventRead,
    IncidentEdit,
    IncidentRead,
)
from outrider.sharing import readers

M = TypeVar("M", bound=BaseModel)
ReasonOpt = typer.Option("", "--reason", help="why")


def act(
    as_user: str | None, as_json: bool, change: Callable[..., Any], model: type[M], line: Callable[[M], str]
) -> None:
    """Make one change in one transaction (``change(session, caller=..., now=...)``, a service call with its
    other arguments bound), then print the changed row: JSON, or a line about it."""
    with session_as(as_user) as (session, caller):
        item = model.model_validate(change(session, caller=caller, now=utcnow()))
    emit(item, as_json, plain(line(item)))


review_app = typer.Typer(help="The analyst's review: queue, confirm, reject, edit, merge, split.")


@review_app.callback(invoke_without_command=True)
@friendly
def review_queue(
    ctx: typer.Context,
    limit: int = LimitOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Without a subcommand: the incidents awaiting a decision, main stories first."""
    if ctx.invoked_subcommand is not None:
        return
    read = partial(queries.review_queue, limit=limit, offset=0)
    list_page(as_user, as_json, read, IncidentRead, (limit, 0), (QUEUE_COLUMNS, "incident(s) to review"))


IncidentArg = Annotated[int, typer.Argument(help="incident id")]


def _decision(status: str, summary: str) -> Callable[..., None]:
    """The command that confirms or rejects an incident (the two differ only in the status they set)."""

    def command(
        incident_id: IncidentArg,
        reason: str = ReasonOpt,
        as_json: bool = JsonOpt,
        as_user: str | None = AsOpt,
    ) -> None:
        change = partial(review.set_status, incident_id=incident_id, status=status, reason=reason)
        act(as_user, as_json, change, IncidentRead, lambda item: f"incident {item.id}: {item.status}")

    command.__doc__ = summary
    return command


review_app.command("confirm")(friendly(_decision("confirmed", "Confirm an incident.")))
review_app.command("reject")(
    friendly(_decision("rejected", "Reject an incident (it counts nowhere from now on)."))
)


def _assignments(pairs: list[str]) -> dict[str, Any]:
    values = parse_assignments(pairs)
    return {k: None if v in ("null", "") else v for k, v in values.items()}


@review_app.command("edit")
@friendly
def review_edit(
    incident_id: IncidentArg,
    pairs: Annotated[list[str], typer.Argument(help="field=value (null clears), e.g. killed=4 city=Dasu")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Correct an incident's values; the edits stay over later re-extractions."""
    edit = IncidentEdit.model_validate(_assignments(pairs))
    change = partial(review.edit_incident, incident_id=incident_id, edit=edit)
    act(
        as_user,
        as_json,
        change,
        IncidentRead,
        lambda i: f"incident {i.id}: edited {', '.join(sorted(i.edits))}",
    )


@review_app.command("edit-event")
@friendly
def review_edit_event(
    event_id: Annotated[int, typer.Argument(help="event id")],
    pairs: Annotated[list[str], typer.Argument(help="field=value, e.g. killed=12")],
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Override an event's chosen values."""
    edit = EventEdit.model_validate(_assignments(pairs))
    change = partial(review.edit_event, event_id=event_id, edit=edit)
    act(
        as_user,
        as_json,
        change,
        EventRead,
        lambda e: f"event {e.id}: overrides {', '.join(sorted(e.overrides))}",
    )


@review_app.command("merge")
@friendly
def review_merge(
    event_id: Annotated[int, typer.Argument(help="the event that stays")],
    other_event_id: Annotated[int, typer.Argument(help="the event folded into it")],
    reason: str = ReasonOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Fold one event into another."""
    change = partial(review.merge_events, event_id=event_id, other_event_id=other_event_id, reason=reason)
    act(
        as_user,
        as_json,
        change,
        EventRead,
        lambda e: f"event {other_event_id} merged into event {e.id} ({e.reports} report(s))",
    )


@review_app.command("split")
@friendly
def review_split(
    incident_ids: Annotated[list[int], typer.Argument(help="incidents to take out of their event")],
    reason: str = ReasonOpt,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Take incidents out of their event into a new event."""
    change = partial(review.split_incidents, incident_ids=incident_ids, reason=reason)
    taken = ", ".join(map(str, incident_ids))
    act(as_user, as_json, change, EventRead, lambda e: f"new event {e.id} with incident(s) {taken}")


actors_app = typer.Typer(help="Armed groups and state agencies with their aliases.")


@actors_app.callback(invoke_without_command=True)
@friendly
def actors_list(ctx: typer.Context, as_json: bool = JsonOpt, as_user: str | None = AsOpt) -> None:
    """Without a subcommand: every actor."""
    if ctx.invoked_subcommand is not None:
        return
    with session_as(as_user) as (session, caller):
        scope = readers.scope_of(session, caller)  # those the caller's organisation may read, by marking
        found = service.list_actors(session, caller=caller, now=utcnow())
        items = [scope.shown(session, ActorRead, a) for a in found if scope.refusal(a) is None]
    emit(
        items,
        as_json,
        lambda: print_table(items, ["id", "name", "kind", "aliases"], title=f"{len(items)} actor(s)"),
    )


@actors_app.command("add")
@friendly
def actors_add(
    name: Annotated[str, typer.Argument(help="canonical name")],
    kind: Annotated[str, typer.Option(help="group or agency")] = "group",
    alias: Annotated[list[str] | None, typer.Option("--alias", help="another spelling (repeat)")] = None,
    notes: Annotated[str, typer.Option(help="notes")] = "",
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Add a group or agency; the next extraction finds it."""
    data = ActorCreate.model_validate({"name": name, "kind": kind, "aliases": alias or [], "notes": notes})
    change = partial(service.create_actor, data=data)
    act(as_user, as_json, change, ActorRead, lambda a: f"actor {a.id}: {a.name} ({a.kind})")


@actors_app.command("edit")
@friendly
def actors_edit(
    actor_id: Annotated[int, typer.Argument(help="actor id")],
    name: Annotated[str | None, typer.Option(help="new canonical name")] = None,
    kind: Annotated[str | None, typer.Option(help="group or agency")] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="the aliases, replacing the old ones")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="notes")] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Rename, re-kind or re-alias an actor."""
    given = {"name": name, "kind": kind, "aliases": alias, "notes": notes}
    data = ActorUpdate.model_validate({k: v for k, v in given.items() if v is not None})
    change = partial(service.update_actor, actor_id=actor_id, data=data)
    act(
        as_user,
        as_json,
        change,
        ActorRead,
        lambda a: f"actor {a.id}: {a.name} ({a.kind}), aliases {', '.join(a.aliases) or '-'}",
    )
