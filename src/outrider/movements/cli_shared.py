"""What the movement commands share: the movement argument, the session on one movement, its summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.console import emit, out, session_as
from outrider.db import utcnow
from outrider.movements import need_to_know, service
from outrider.movements import schemas as s
from outrider.movements.models import Movement

MovementArg = Annotated[str, typer.Argument(help="movement id or reference")]
M = TypeVar("M", bound=BaseModel)


@contextmanager
def on_movement(as_user: str | None, movement: str) -> Iterator[tuple[Session, Caller, int]]:
    """A transaction, its caller and the id of the movement named by id or reference."""
    with session_as(as_user) as (session, caller):
        yield session, caller, service.movement_id_of(session, caller, movement)


def change(
    as_user: str | None, movement: str, use_case: Callable[..., object], shape: type[M], **arguments: Any
) -> M:
    """Run a use case on the movement named by id or reference, as the acting user; its row as ``shape``."""
    with on_movement(as_user, movement) as (session, caller, mid):
        return shape.model_validate(
            use_case(session, caller=caller, movement_id=mid, now=utcnow(), **arguments)
        )


def show(session: Session, caller: Caller, movement: Movement, as_json: bool) -> None:
    """Print a movement as the caller may read it: JSON, or a few lines."""
    read = need_to_know.view_of(session, caller=caller, movement=movement, now=utcnow())
    emit(read, as_json, lambda: print_read(read))


def print_read(read: s.MovementRead) -> None:
    """A movement as a few lines: where, when, who approved; the itinerary only when it may be read."""
    given = [f"{a.org_kind}:{a.decision}" for a in read.approvals if a.plan_version == read.plan_version]
    lines = [
        f"[bold]{read.reference}[/bold] ({read.id}) {read.status.value}: "
        f"{read.origin.label} → {read.destination.label} on {read.day.isoformat()}",
        f"  {len(read.person_ids)} person(s); approvals needed: {', '.join(read.required_approvals)}; "
        f"given: {', '.join(given) or '-'}",
    ]
    if read.planned_departure and read.planned_arrival:
        lines.append(
            f"  departs {read.planned_departure.isoformat()}  arrives {read.planned_arrival.isoformat()}"
            f"  ({read.timezone}); vehicles {read.vehicle_ids}; "
            f"escort units {read.escort_unit_ids or '-'}"
        )
    else:
        lines.append(f"  itinerary withheld: {read.itinerary_note}")
    for line in lines:
        out.print(line, highlight=False)
    if read.next_checkin_due:
        out.print(f"  next check-in due {read.next_checkin_due.isoformat()}")
