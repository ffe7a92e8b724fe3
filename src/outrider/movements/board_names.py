"""Names on the board's lines: escort units, vehicles and protected persons by name instead of ids.

Only lines whose itinerary the caller may read carry them: the escort and the vehicles are part of the
itinerary, so whoever reads it reads their call signs and plates. A protected person is named only where
the registry also lets the caller read that person (a company's coordinator never reads the names of
another organisation's people); the others keep their id without a name. The movement's page names them
the same way. For a whole page of lines, whatever its length: one statement for the links and the names
of the records they link, with each person's organisation and nationality (`links_of`); the registry's
read scope of persons (`registry.service.scope_for`, among the page's persons) decides from those which
names the caller reads (`ReadScope.allows`, what its statement selects), read with the page.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Column, bindparam, cast, literal, null, select, union_all
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
# then it names nothing; the names are never null) in one statement (field number, movement, record,
# name, and a person's organisation and nationality, which the registry's read scope decides on): the
# names come with the links instead of one more statement per field. The rows come in no order (sorting
# them in the statement cost more than sorting each line's few ids).
def _owner_columns(scoped: bool) -> tuple[Any, Any]:
    owner = (ProtectedPerson.organization_id, ProtectedPerson.nationality)
    if scoped:
        return owner
    return cast(null(), owner[0].type), cast(null(), owner[1].type)  # typed: PostgreSQL unites the types


_LINK_ROWS = union_all(
    *(
        select(
            literal(n).label("field"),
            link.table.c.movement_id,
            link.label("record_id"),
            name.label("name"),
            *_owner_columns(scoped),
        )
        .select_from(link.table.outerjoin(record_id.table, record_id == link))
        .where(link.table.c.movement_id.in_(_IDS))
        for n, (_, _, link, record_id, name, scoped) in enumerate(_LINKS)
    )
)


@dataclass(frozen=True, slots=True)
class Links:
    """A page's links: per movement, per field, the ids of the records it links (in id order); per field,
    the name of each record found (whether the caller reads it is decided by `names_of`); and of each
    person found, its organisation and nationality (what the registry's read scope decides on)."""

    ids: dict[int, dict[str, list[int]]]
    labels: tuple[dict[int, str], ...]
    owners: dict[int, tuple[int, str | None]]


def links_of(session: Session, movement_ids: Sequence[int]) -> Links:
    """For each of these movements, the ids of its escort units, vehicles and protected persons (in id
    order), and the names of those records: one statement for a whole page of lines (the board counts
    persons and lists escorts from it, and names the lines whose itinerary the caller reads)."""
    out: dict[int, dict[str, list[int]]] = {mid: {field: [] for field in FIELDS} for mid in movement_ids}
    labels: tuple[dict[int, str], ...] = tuple({} for _ in FIELDS)
    owners: dict[int, tuple[int, str | None]] = {}
    if not movement_ids:
        return Links(out, labels, owners)
    session.flush()  # what the ORM would do before a query; the rows are read as plain rows on the
    connection = session.connection()  # connection (the ORM's loading of rows was half their cost)
    rows = connection.execute(_LINK_ROWS, {"ids": list(movement_ids)}).all()
    for n, mid, record_id, name, organization_id, nationality in rows:
        out[mid][FIELDS[n]].append(record_id)
        if name is not None:
            labels[n][record_id] = name
            if organization_id is not None:
                owners[record_id] = (organization_id, nationality)
    for fields in out.values():
        for ids in fields.values():
            ids.sort()
    return Links(out, labels, owners)


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
            readable = _readable_persons(session, caller, ids, links.owners)
        labels = links.labels[n]
        records.append({rid: {"id": rid, "name": labels[rid] if rid in readable else None} for rid in ids})
    # a record named on many lines is one value, and a list of records repeated on many lines (a page's
    # lines share their escorts and protectees) one list, written out on each: nobody changes them
    listed: dict[tuple[int, tuple[int, ...]], list[dict[str, Any]]] = {}
    out: dict[int, Named] = {}
    for mid in movement_ids:
        line: Named = {}
        for n, field in enumerate(FIELDS):
            key = (n, tuple(links.ids[mid][field]))
            found = listed.get(key)
            if found is None:
                found = listed[key] = [records[n][rid] for rid in key[1] if rid in records[n]]
            line[field] = found
        out[mid] = line
    return out


def _readable_persons(
    session: Session, caller: Caller, ids: set[int], owners: dict[int, tuple[int, str | None]]
) -> set[int]:
    """Which of these persons the registry lets the caller read: its read scope of these persons alone (the
    host's escorted protectees are read among them, not across every movement its units ever escorted),
    decided on each person's organisation and nationality as `links_of` read them with the page."""
    scope = registry_service.scope_for(session, caller, RecordKind.person, among=ids)
    return {
        rid
        for rid in ids
        if scope.allows(organization_id=owners[rid][0], nationality=owners[rid][1], record_id=rid)
    }
