"""Names on the board's lines: escort units, vehicles and protected persons by name instead of ids.

Only lines whose itinerary the caller may read carry them: the escort and the vehicles are part of the
itinerary, so whoever reads it reads their call signs and plates. A protected person is named only where
the registry also lets the caller read that person (a company's coordinator never reads the names of
another organisation's people); the others keep their id without a name. The movement's page names them
the same way. Three queries for the whole page of lines, whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Column, Select, bindparam, select, true
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


def _statement(kind: RecordKind, link: Column[Any], name: Any, allowed: Any) -> Select[Any]:
    spec = registry_service.SPECS[kind]
    link_table = link.table
    return (
        select(link_table.c.movement_id, link, name, allowed)
        .join(spec.model, spec.model.id == link)
        .where(link_table.c.movement_id.in_(_IDS))
        .order_by(link_table.c.movement_id, link)
    )


# The statements of names that the itinerary right alone decides, built once (the persons': per caller).
_UNSCOPED = {
    field: _statement(kind, link, name, true()) for field, kind, link, name, scoped in _LINKS if not scoped
}


def _scoped(caller: Caller, session: Session, kind: RecordKind, link: Column[Any], name: Any) -> Select[Any]:
    spec = registry_service.SPECS[kind]  # only the persons' names depend on the registry's read scope
    readable = registry_service.visible(spec, caller, session).with_only_columns(spec.model.id)
    return _statement(kind, link, name, spec.model.id.in_(readable))


def names_of(session: Session, caller: Caller, movement_ids: Sequence[int]) -> dict[int, Named]:
    """For each of these movements (whose itinerary the caller may read), its escort units, vehicles and
    protected persons: ids, and names where readable."""
    out: dict[int, Named] = {mid: {field: [] for field in FIELDS} for mid in movement_ids}
    if not movement_ids:
        return out
    bound = {"ids": list(movement_ids)}  # a page holds at most 500 lines: under every driver's limit
    session.flush()  # what the ORM would do before a query; the rows are then read as plain rows, on the
    connection = session.connection()  # connection (the ORM's loading of rows was half their cost)
    for field, kind, link, name, scoped in _LINKS:
        stmt = _scoped(caller, session, kind, link, name) if scoped else _UNSCOPED[field]
        for mid, record_id, label, allowed in connection.execute(stmt, bound).all():
            # ids and names as the columns give them (integers, text): converting 900 of them again cost more
            out[mid][field].append({"id": record_id, "name": label if allowed else None})
    return out
