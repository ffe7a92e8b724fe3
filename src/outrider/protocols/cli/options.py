"""Options and parsers the protocols commands share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

import typer

from outrider.console import fail, session_as
from outrider.db import utcnow
from outrider.movements import service as movements_service

MovementArg = Annotated[str, typer.Argument(help="movement id or reference")]
VersionOpt = Annotated[int | None, typer.Option("--version", "-v", help="version (default: the newest)")]
T = TypeVar("T")


def on_movement(as_user: str | None, movement: str, use: Callable[..., T]) -> T:
    """Run a use case on a movement given by id or reference, as the acting user, in one transaction."""
    with session_as(as_user) as (session, caller):
        mid = movements_service.movement_id_of(session, caller, movement)
        return use(session, caller=caller, movement_id=mid, now=utcnow())


def parse_day(value: str, label: str) -> date:
    """A YYYY-MM-DD day from an option; a one-line error (exit 2) otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{label}: not a date (YYYY-MM-DD): {value!r}", code=2) from None
