"""Shared pieces of the command line: one-line errors, JSON output, the acting user."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.db import transaction
from outrider.errors import OutriderError
from outrider.http import caller_of
from outrider.inputs import id_problem

P = ParamSpec("P")
R = TypeVar("R")
out = Console()
err = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="print JSON for scripts")
# The page of a list command, as the API's `limit` and `offset` query parameters.
LimitOpt = Annotated[int, typer.Option(min=1, max=1000, help="at most this many items")]
OffsetOpt = Annotated[int, typer.Option(min=0, help="skip this many items first")]
AsOpt = typer.Option(
    None, "--as", envvar="OUTRIDER_USER", help="act as this user (or set OUTRIDER_USER)", show_default=False
)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line to stderr and return the exit to raise."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and database errors into one line on stderr and exit code 1."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        bad = _bad_id(kwargs)
        if bad:
            raise fail(bad)
        try:
            return fn(*args, **kwargs)
        except OutriderError as exc:
            lines = [exc.detail]
            raise fail("; ".join(lines)) from None
        except ValidationError as exc:
            raise fail(validation_message(exc)) from None
        except SQLAlchemyError as exc:
            raise fail(f"database error: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        except (OSError, ValueError) as exc:
            raise fail(str(exc)) from None
        except OverflowError:  # a number no column holds, that no id check caught first
            raise fail("a number is out of range") from None

    return wrapper


def _bad_id(arguments: dict[str, Any]) -> str | None:
    # The API's rule for ids (`outrider.inputs.Id`), applied to every `..._id` argument of a command.
    for name, value in arguments.items():
        values = value if isinstance(value, list | tuple) else [value]
        if not name.endswith(("_id", "_ids")):
            continue
        for item in values:
            problem = id_problem(item) if isinstance(item, int) and not isinstance(item, bool) else None
            if problem:
                return f"{name.replace('_', '-')} {item}: {problem}"
    return None


@contextmanager
def session_as(username: str | None) -> Iterator[tuple[Session, Caller]]:
    """A transaction and the caller acting in it (``--as`` / ``OUTRIDER_USER``)."""
    if not username:
        raise fail("say who acts: --as USERNAME or OUTRIDER_USER", code=2)
    # What the command prints inside the transaction is held until it has committed: "recorded" on the
    # screen must mean recorded in the database (a failed commit shows only the error).
    held = io.StringIO()
    with contextlib.redirect_stdout(held), transaction() as session:
        user = accounts_service.find_user(session, username=username)
        if not user.is_active:
            raise fail(f"user {username!r} is disabled")
        yield session, caller_of(user, channel="cli", request_id=uuid.uuid4().hex)
    sys.stdout.write(held.getvalue())


def to_jsonable(value: Any) -> Any:
    """Pydantic models and lists of them as plain JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    """Print a value as JSON on stdout (no Rich markup)."""
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str) + "\n")


def emit(value: Any, as_json: bool, human: Callable[[], object] | str) -> None:
    """Print ``value`` as JSON for scripts, or the human form: a line of Rich text or a printer to call."""
    if as_json:
        print_json(value)
    elif isinstance(human, str):
        out.print(human)
    else:
        human()


def parse_time(value: str | None, option: str) -> datetime | None:
    """An ISO 8601 time with a zone from an option, or ``None``; a one-line error (exit 2) otherwise."""
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option}: not an ISO 8601 time: {value!r}", code=2) from None
    if parsed.tzinfo is None:
        raise fail(f"{option}: give a time zone, e.g. {value}+05:00", code=2)
    return parsed


def print_table(rows: Sequence[BaseModel], columns: Sequence[str], title: str | None = None) -> None:
    """Print models as a Rich table of the named columns."""
    table = Table(title=title)
    for col in columns:
        table.add_column(col)
    for row in rows:
        data = row.model_dump(mode="json")
        table.add_row(*(str(data.get(c, "")) for c in columns))
    out.print(table)


def is_ci() -> bool:
    """True on a CI runner (progress bars stay quiet there)."""
    return os.environ.get("CI", "").lower() == "true"


def validation_message(exc: ValidationError) -> str:
    """A pydantic validation error as one line: `field: problem; field: problem`."""
    parts = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "value"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def parse_assignments(pairs: Sequence[str]) -> dict[str, Any]:
    """`field=value` words as a dict; values that read as JSON (numbers, lists, objects) are decoded."""
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise fail(f"expected field=value, got {pair!r}", code=2)
        try:
            # pydantic turns "12" into 12 where a number is due; only objects and lists need JSON
            values[key] = json.loads(raw) if raw[:1] in "[{" else raw
        except json.JSONDecodeError as exc:
            raise fail(f"{key}: not valid JSON ({exc.msg})", code=2) from None
    return values


def read_json_file(file: Path) -> Any:
    """A JSON document from a file; a one-line error (exit 1) when it is not UTF-8 JSON."""
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"{file.name}: not valid JSON ({exc})") from None
