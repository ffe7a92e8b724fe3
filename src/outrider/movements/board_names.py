"""Names on the board's lines: escort units, vehicles and protected persons by name instead of ids.

Only lines whose itinerary the caller may read carry them: the escort and the vehicles are part of the
itinerary, so whoever reads it reads their call signs and plates. A protected person is named only where
the registry also lets the caller read that person (a company's coordinator never reads the names of
another organisation's people); the others keep their id without a name. The movement's page names them
the same way. For a whole page of lines, whatever its length: one statement for the links (`links_of`)
and one per field for the records they name, each named once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Column, bindparam, literal, select, true, union_all
from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.movements.models import movement_escorts, movement_persons, movement_vehicles
from outrider.registry import service as registry_service
from outrider.registry.models import EscortUnit, ProtectedPerson, Vehicle

# The board field, the registry kind, the link column, the column that names the record, and whether the
# registry's read scope decides who reads the name (else the itinerary right alone).
_LINKS: tuple[tuple[str, RecordKind, Column[Any], Any, bool], ...] = (
    ("escort_units", RecordKind.unit, movement_escorts.c.escort_unit_id, EscortUnit.call_sign, False),
    ("vehicles", RecordKind.vehicle, movement_vehicles.c.vehicle_id, Vehicle.plate, False),
    ("protected_persons", RecordKind.person, movement_persons.c.person_id, ProtectedPerson.name, True),
)
FIELDS = tuple(field for field, *_ in _LINKS)

# Per field, the records as `schemas.NamedRecord` values ({"id", "name"}): plain dicts, validated with the
# board's page in one call (nine hundred models built one by one were a third of a board's cost).
Named = dict[str, list[dict[str, Any]]]
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)  # one list parameter: no coercion id by id


# Every link of a page's movements in one statement (field number, movement, record), in the lines' order.
_LINK_ROWS = union_all(
    *(
        select(literal(n).label("field"), link.table.c.movement_id, link.label("record_id")).where(
            link.table.c.movement_id.in_(_IDS)
        )
        for n, (_, _, link, _, _) in enumerate(_LINKS)
    )
)
_LINK_ROWS_ORDERED = select(_LINK_ROWS.subquery()).order_by("movement_id", "field", "record_id")


def links_of(session: Session, movement_ids: Sequence[int]) -> dict[int, dict[str, list[int]]]:
    """For each of these movements, the ids of its escort units, vehicles and protected persons (in id
    order): one statement for a whole page of lines (the board counts persons and lists escorts from it)."""
    out: dict[int, dict[str, list[int]]] = {mid: {field: [] for field in FIELDS} for mid in movement_ids}
    if not movement_ids:
        return out
    session.flush()  # what the ORM would do before a query; the rows are read as plain rows on the
    connection = session.connection()  # connection (the ORM's loading of rows was half their cost)
    for n, mid, record_id in connection.execute(_LINK_ROWS_ORDERED, {"ids": list(movement_ids)}).all():
        out[mid][FIELDS[n]].append(record_id)
    return out


def _names(session: Session, caller: Caller, n: int, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The records of one field by id, as `schemas.NamedRecord` values: a name where the caller reads it."""
    _, kind, _, name, scoped = _LINKS[n]
    spec = registry_service.SPECS[kind]
    allowed: Any = true()
    if scoped:  # only the persons' names depend on the registry's read scope
        # the scope of these records alone: the host's escorted protectees are read among them, not
        # across every movement its units ever escorted (that grew with the history)
        readable = registry_service.visible(spec, caller, session, among=ids).with_only_columns(spec.model.id)
        allowed = spec.model.id.in_(readable)
    stmt = select(spec.model.id, name, allowed).where(spec.model.id.in_(sorted(ids)))
    rows = session.connection().execute(stmt)
    return {rid: {"id": rid, "name": label if ok else None} for rid, label, ok in rows}


def names_of(
    session: Session,
    caller: Caller,
    movement_ids: Sequence[int],
    links: dict[int, dict[str, list[int]]] | None = None,
) -> dict[int, Named]:
    """For each of these movements (whose itinerary the caller may read), its escort units, vehicles and
    protected persons: ids, and names where readable. ``links``: `links_of` these movements, when read."""
    links = links if links is not None else links_of(session, movement_ids)
    out: dict[int, Named] = {}
    records: list[dict[int, dict[str, Any]]] = []
    for n, field in enumerate(FIELDS):
        ids = {rid for mid in movement_ids for rid in links[mid][field]}
        records.append(_names(session, caller, n, ids) if ids else {})
    for mid in movement_ids:
        # a record named on many lines is one value, written out on each (a page repeats few records)
        out[mid] = {
            field: [records[n][rid] for rid in links[mid][field] if rid in records[n]]
            for n, field in enumerate(FIELDS)
        }
    return out
