"""`outrider registry`: protected persons, sites, vehicles and escort units from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.access.policy import RecordKind
from outrider.console import (
    AsOpt,
    JsonOpt,
    LimitOpt,
    OffsetOpt,
    emit,
    friendly,
    out,
    parse_assignments,
    print_table,
    session_as,
)
from outrider.db import utcnow
from outrider.errors import TooLarge
from outrider.registry import bulk_import, members, schemas, service
from outrider.settings import get_settings

app = typer.Typer(
    help="The registry: protected persons, sites, vehicles, escort units.", no_args_is_help=True
)

_GROUPS: dict[RecordKind, tuple[str, str, list[str]]] = {
    RecordKind.person: (
        "persons",
        "Protected persons.",
        ["id", "name", "nationality", "role", "organization_id"],
    ),
    RecordKind.site: ("sites", "Sites with cordon rings.", ["id", "name", "kind", "lat", "lon", "timezone"]),
    RecordKind.vehicle: ("vehicles", "Vehicles.", ["id", "plate", "kind", "seats", "organization_id"]),
    RecordKind.unit: (
        "units",
        "Escort units.",
        ["id", "call_sign", "strength", "base_site_id", "vehicle_ids"],
    ),
}

FieldsArg = Annotated[list[str], typer.Argument(help="field=value pairs (objects and lists as JSON)")]


def _group(kind: RecordKind) -> typer.Typer:
    name, help_text, columns = _GROUPS[kind]
    spec = service.SPECS[kind]
    group = typer.Typer(help=help_text, no_args_is_help=True)

    @group.command("list")
    @friendly
    def list_cmd(
        q: Annotated[str | None, typer.Option("--q", help="text search")] = None,
        limit: LimitOpt = 50,
        offset: OffsetOpt = 0,
        as_user: str | None = AsOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """List the records you may see."""
        with session_as(as_user) as (session, caller):
            rows, total = service.list_records(
                session, kind=kind, caller=caller, search=q, limit=limit, offset=offset
            )
            items = [service.to_read(kind, r) for r in rows]
        page = {"items": items, "total": total, "limit": limit, "offset": offset}
        emit(page, as_json, lambda: print_table(items, columns, title=f"{name} ({total})"))

    @group.command("show")
    @friendly
    def show_cmd(record_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
        """Show one record."""
        with session_as(as_user) as (session, caller):
            item = service.to_read(
                kind, service.get_record(session, kind=kind, caller=caller, record_id=record_id)
            )
        _print_one(item, as_json)

    @group.command("create")
    @friendly
    def create_cmd(fields: FieldsArg, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
        """Create a record from field=value pairs."""
        data = spec.create.model_validate(parse_assignments(fields))
        with session_as(as_user) as (session, caller):
            record = service.create_record(session, kind=kind, caller=caller, data=data, now=utcnow())
            item = service.to_read(kind, record)
        _print_one(item, as_json)

    @group.command("update")
    @friendly
    def update_cmd(
        record_id: int, fields: FieldsArg, as_user: str | None = AsOpt, as_json: bool = JsonOpt
    ) -> None:
        """Change the given fields of a record."""
        data = spec.update.model_validate(parse_assignments(fields))
        with session_as(as_user) as (session, caller):
            record = service.update_record(
                session, kind=kind, caller=caller, record_id=record_id, data=data, now=utcnow()
            )
            item = service.to_read(kind, record)
        _print_one(item, as_json)

    @group.command("delete")
    @friendly
    def delete_cmd(record_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
        """Delete a record."""
        with session_as(as_user) as (session, caller):
            service.delete_record(session, kind=kind, caller=caller, record_id=record_id, now=utcnow())
        emit({"deleted": record_id}, as_json, f"deleted {spec.label} {record_id}")

    @group.command("import")
    @friendly
    def import_cmd(
        path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        as_user: str | None = AsOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Import CSV (sites also GeoJSON): every row is checked first; nothing is written on error."""
        limit = get_settings().max_body_bytes
        if path.stat().st_size > limit:
            raise TooLarge(f"{path.name} is larger than {limit} bytes; nothing was imported")
        content = path.read_bytes()
        with session_as(as_user) as (session, caller):
            records = bulk_import.import_records(
                session, kind=kind, caller=caller, filename=path.name, content=content, now=utcnow()
            )
            ids = [r.id for r in records]
        done = {"kind": kind.value, "created": len(ids), "ids": ids}
        emit(done, as_json, f"imported {len(ids)} {spec.label} record(s) from {path.name}")

    return group


def _print_one(item: Any, as_json: bool) -> None:
    def human() -> None:
        for key, value in item.model_dump(mode="json").items():
            out.print(f"[bold]{key}[/bold]: {value}", highlight=False)

    emit(item, as_json, human)


for _kind, (_name, _help, _cols) in _GROUPS.items():
    app.add_typer(_group(_kind), name=_name, help=_help)

members_app = typer.Typer(help="Members of escort units (their movements' itineraries are drawn for them).")
app.add_typer(members_app, name="members")


@members_app.command("list")
@friendly
def members_list(unit_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """List the members of an escort unit."""
    with session_as(as_user) as (session, caller):
        rows = [
            schemas.MemberRead.model_validate(m)
            for m in members.list_members(session, caller=caller, unit_id=unit_id)
        ]
    columns = ["unit_id", "user_id", "added_by", "added_at"]
    emit(rows, as_json, lambda: print_table(rows, columns, title=f"members of unit {unit_id}"))


@members_app.command("add")
@friendly
def members_add(unit_id: int, user_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Put a user of the unit's organisation in the unit (never yourself)."""
    with session_as(as_user) as (session, caller):
        row = schemas.MemberRead.model_validate(
            members.add_member(session, caller=caller, unit_id=unit_id, user_id=user_id, now=utcnow())
        )
    _print_one(row, as_json)


@members_app.command("remove")
@friendly
def members_remove(unit_id: int, user_id: int, as_user: str | None = AsOpt, as_json: bool = JsonOpt) -> None:
    """Take a user out of the unit."""
    with session_as(as_user) as (session, caller):
        members.remove_member(session, caller=caller, unit_id=unit_id, user_id=user_id, now=utcnow())
    removed = {"unit_id": unit_id, "removed": user_id}
    emit(removed, as_json, f"user {user_id} is no longer a member of unit {unit_id}")
