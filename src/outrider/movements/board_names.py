"""Names on the board's lines: escort units, vehicles and protected persons by name instead of ids.

Only lines whose itinerary the caller may read carry them: the escort and the vehicles are part of the
itinerary, so whoever reads it reads their call signs and plates. A protected person is named only where
the registry also lets the caller read that person (a company's coordinator never reads the names of
another organisation's people); the others keep their id without a name. The movement's page names them
the same way. For a whole page of lines, whatever its length: one statement for the links and the names
of the records they link (`links_of`), and where the caller's read scope of persons is not everything,
one for the persons on the page it lets the caller read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Column, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from outrider.access.policy import Caller, RecordKind
from outrider.movements.models import movement_escorts, movement_persons, movement_vehicles
from outrider.registry import service as registry_service
from outrider.registry.models import EscortUnit, ProtectedPerson, Vehicle

# The board field, the registry kind, the link column, the record's table and the column that names it,
# and whether the registry's read scope decides who reads the name (else the itinerary right alone).
_LINKS: tuple[tuple[str, RecordKind, Column[Any], Any, Any, bool], ...] = (
    (
        "escort_units",
        RecordKind.unit,
        movement_escorts.c.escort_unit_id,
        EscortUnit.id,
        EscortUnit.call_sign,
        False,
    ),
    ("vehicles", RecordKind.vehicle, movement_vehicles.c.vehicle_id, Vehicle.id, Vehicle.plate, False),
    (
        "protected_persons",
        RecordKind.person,
        movement_persons.c.person_id,
        ProtectedPerson.id,
        ProtectedPerson.name,
        True,
    ),
)
FIELDS = tuple(field for field, *_ in _LINKS)

# Per field, the records as `schemas.NamedRecord` values ({"id", "name"}): plain dicts, validated with the
# board's page in one call (nine hundred models built one by one were a third of a board's cost).
Named = dict[str, list[dict[str, Any]]]
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)  # one list parameter: no coercion id by id


# Every link of a page's movements with the name of the record it links (None where the record is gone:
# then it names nothing) in one statement (field number, movement, record, found, name), in the lines'
# order: the names come with the links instead of one more statement per field.
_LINK_ROWS = union_all(
    *(
        select(
            literal(n).label("field"),
            link.table.c.movement_id,
            link.label("record_id"),
            record_id.label("found"),
            name.label("name"),
        )
        .select_from(link.table.outerjoin(record_id.table, record_id == link))
        .where(link.table.c.movement_id.in_(_IDS))
        for n, (_, _, link, record_id, name, _) in enumerate(_LINKS)
    )
)
_LINK_ROWS_ORDERED = select(_LINK_ROWS.subquery()).order_by("movement_id", "field", "record_id")


@dataclass(frozen=True, slots=True)
class Links:
    """A page's links: per movement, per field, the ids of the records it links (in id order); and per
    field, the name of each record found (whether the caller reads it is decided by `names_of`)."""

    ids: dict[int, dict[str, list[int]]]
    labels: tuple[dict[int, str], ...]


def links_of(session: Session, movement_ids: Sequence[int]) -> Links:
    """For each of these movements, the ids of its escort units, vehicles and protected persons (in id
    order), and the names of those records: one statement for a whole page of lines (the board counts
    persons and lists escorts from it, and names the lines whose itinerary the caller reads)."""
    out: dict[int, dict[str, list[int]]] = {mid: {field: [] for field in FIELDS} for mid in movement_ids}
    labels: tuple[dict[int, str], ...] = tuple({} for _ in FIELDS)
    if not movement_ids:
        return Links(out, labels)
    session.flush()  # what the ORM would do before a query; the rows are read as plain rows on the
    connection = session.connection()  # connection (the ORM's loading of rows was half their cost)
    rows = connection.execute(_LINK_ROWS_ORDERED, {"ids": list(movement_ids)}).all()
    for n, mid, record_id, found, name in rows:
        out[mid][FIELDS[n]].append(record_id)
        if found is not None:
            labels[n][record_id] = name
    return Links(out, labels)


def names_of(
    session: Session,
    caller: Caller,
    movement_ids: Sequence[int],
    links: Links | None = None,
) -> dict[int, Named]:
    """For each of these movements (whose itinerary the caller may read), its escort units, vehicles and
    protected persons: ids, and names where readable. ``links``: `links_of` these movements, when read."""
    links = links if links is not None else links_of(session, movement_ids)
    records: list[dict[int, dict[str, Any]]] = []
    for n, field in enumerate(FIELDS):
        ids = {rid for mid in movement_ids for rid in links.ids[mid][field] if rid in links.labels[n]}
        readable: Collection[int] = ids
        if ids and _LINKS[n][5]:  # only the persons' names depend on the registry's read scope
            # the scope of these records alone: the host's escorted protectees are read among them, not
            # across every movement its units ever escorted (that grew with the history)
            readable = registry_service.readable_ids(session, caller, RecordKind.person, ids)
        labels = links.labels[n]
        records.append({rid: {"id": rid, "name": labels[rid] if rid in readable else None} for rid in ids})
    out: dict[int, Named] = {}
    for mid in movement_ids:
        # a record named on many lines is one value, written out on each (a page repeats few records)
        out[mid] = {
            field: [records[n][rid] for rid in links.ids[mid][field] if rid in records[n]]
            for n, field in enumerate(FIELDS)
        }
    return out
