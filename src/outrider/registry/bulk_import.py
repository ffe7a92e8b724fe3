"""Importing registry records from a file: every row is checked first, then all are written or none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.registry import schemas
from outrider.registry.importers import ParsedRow, parse_import
from outrider.registry.models import Site, Vehicle
from outrider.registry.service import SPECS, create_record, visible

Problem = dict[str, Any]


def import_records(
    session: Session, *, kind: RecordKind, caller: Caller, filename: str, content: bytes, now: datetime
) -> list[Any]:
    """Validate every row first and write all of them, or nothing when any row is bad."""
    rows = parse_import(kind, content, filename)
    problems = _duplicates(session, kind, rows, filename)
    prepared: list[tuple[ParsedRow, BaseModel]] = []
    for row in rows:
        data = _unit_links(session, caller, row, filename, problems) if kind is RecordKind.unit else row.data
        prepared.append((row, data))
    if problems:
        first = problems[0]
        raise InvalidInput(
            f"{first['loc'][0]} line {first['loc'][1]} field {first['loc'][2]}: {first['msg']}; "
            "nothing was imported",
            errors=problems[:50],
        )
    created: list[Any] = []
    with session.begin_nested():
        for row, data in prepared:
            try:
                created.append(create_record(session, kind=kind, caller=caller, data=data, now=now))
            except (InvalidInput, Conflict, Forbidden, NotFound) as exc:
                raise type(exc)(
                    f"{filename} line {row.line}: {exc.detail}; nothing was imported",
                    errors=[{"loc": [filename, row.line, "row"], "msg": exc.detail}],
                ) from exc
    return created


def _duplicates(session: Session, kind: RecordKind, rows: list[ParsedRow], filename: str) -> list[Problem]:
    # A unique field repeated in the file, or already stored.
    spec = SPECS[kind]
    problems: list[Problem] = []
    if spec.unique is None:
        return problems
    seen: dict[Any, int] = {}
    for row in rows:
        value = getattr(row.data, spec.unique)
        if value in seen:
            problems.append(
                {"loc": [filename, row.line, spec.unique], "msg": f"duplicate of line {seen[value]}"}
            )
        seen[value] = row.line
        col = getattr(spec.model, spec.unique)
        if session.scalar(select(spec.model.id).where(col == value)) is not None:
            problems.append({"loc": [filename, row.line, spec.unique], "msg": f"{value!r} already exists"})
    return problems


def _unit_links(
    session: Session, caller: Caller, row: ParsedRow, filename: str, problems: list[Problem]
) -> BaseModel:
    # An escort unit's row names its base site (name or id) and its vehicles (plates): the ids they stand for.
    updates: dict[str, Any] = {}
    if row.base_site:
        site = session.scalar(
            visible(SPECS[RecordKind.site], caller, session).where(
                or_(
                    Site.name == row.base_site,
                    Site.id == (int(row.base_site) if row.base_site.isdigit() else -1),
                )
            )
        )
        if site is None:
            problems.append(
                {"loc": [filename, row.line, "base_site"], "msg": f"unknown site {row.base_site!r}"}
            )
        else:
            updates["base_site_id"] = site.id
    ids = []
    for plate in row.vehicle_plates:
        vid = session.scalar(select(Vehicle.id).where(Vehicle.plate == schemas._plate(plate)))
        if vid is None:
            problems.append(
                {"loc": [filename, row.line, "vehicle_plates"], "msg": f"unknown vehicle {plate!r}"}
            )
        else:
            ids.append(vid)
    updates["vehicle_ids"] = ids
    return row.data.model_copy(update=updates)
