"""Use cases of the registry: CRUD with visibility, and all-or-nothing imports."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, bindparam, column, exists, func, or_, select, table, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access.policy import (
    GUARD_ROLES,
    SHARED_PLACE_KINDS,
    Caller,
    ReadScope,
    RecordKind,
    may_write,
    read_scope,
)
from outrider.accounts import service as accounts_service
from outrider.accounts.models import Organization
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.registry import audit_trail, schemas
from outrider.registry.models import EscortUnit, ProtectedPerson, Site, Vehicle
from outrider.shapes import read_of

Record = ProtectedPerson | Site | Vehicle | EscortUnit


@dataclass(frozen=True)
class KindSpec:
    """How one kind of record is stored, validated and named."""

    kind: RecordKind
    model: type[Any]
    create: type[BaseModel]
    update: type[BaseModel]
    label: str
    unique: str | None


SPECS: dict[RecordKind, KindSpec] = {
    RecordKind.person: KindSpec(
        RecordKind.person, ProtectedPerson, schemas.PersonCreate, schemas.PersonUpdate, "person", None
    ),
    RecordKind.site: KindSpec(RecordKind.site, Site, schemas.SiteCreate, schemas.SiteUpdate, "site", "name"),
    RecordKind.vehicle: KindSpec(
        RecordKind.vehicle, Vehicle, schemas.VehicleCreate, schemas.VehicleUpdate, "vehicle", "plate"
    ),
    RecordKind.unit: KindSpec(
        RecordKind.unit, EscortUnit, schemas.UnitCreate, schemas.UnitUpdate, "escort unit", "call_sign"
    ),
}


# The movements' link tables, read by name: movements sit above the registry, which may not import them.
_movement_persons = table("movement_persons", column("movement_id"), column("person_id"))
_movement_escorts = table("movement_escorts", column("movement_id"), column("escort_unit_id"))


# Each person asked about: is one of its movements (index by person) escorted by a unit of the organisation?
# Built once (every board asks it of the persons on its page); the organisation and the persons are bound.
_ESCORTED_AMONG = select(ProtectedPerson.id).where(
    ProtectedPerson.id.in_(bindparam("among", expanding=True)),
    exists().where(
        _movement_persons.c.person_id == ProtectedPerson.id,
        _movement_escorts.c.movement_id == _movement_persons.c.movement_id,
        _movement_escorts.c.escort_unit_id.in_(
            select(EscortUnit.id).where(EscortUnit.organization_id == bindparam("organization_id"))
        ),
    ),
)


def escorted_person_ids(
    session: Session, organization_id: int, *, among: Collection[int] | None = None
) -> frozenset[int]:
    """The protectees of the movements escorted by units of this organisation (``among``: only those of
    these persons, read through their own links, so that the cost follows the persons asked about, not
    every movement the organisation ever escorted)."""
    if among is not None:
        params = {"organization_id": organization_id, "among": sorted(among)}
        return frozenset(int(x) for x in session.scalars(_ESCORTED_AMONG, params))
    units = select(EscortUnit.id).where(EscortUnit.organization_id == organization_id)
    stmt = (
        select(_movement_persons.c.person_id)
        .join(_movement_escorts, _movement_escorts.c.movement_id == _movement_persons.c.movement_id)
        .where(_movement_escorts.c.escort_unit_id.in_(units))
        .distinct()
    )
    return frozenset(int(x) for x in session.scalars(stmt))


def shared_place_clause() -> ColumnElement[bool]:
    """Sites every party sees: the public kinds, registered by host security."""
    host = select(Organization.id).where(Organization.kind == "host_security")
    return and_(Site.kind.in_(sorted(SHARED_PLACE_KINDS)), Site.organization_id.in_(host))


def _scope_clause(spec: KindSpec, scope: ReadScope) -> ColumnElement[bool]:
    if scope.everything:
        return true()
    clauses: list[ColumnElement[bool]] = [spec.model.organization_id.in_(sorted(scope.organization_ids))]
    if scope.nationality is not None and spec.kind is RecordKind.person:
        clauses.append(ProtectedPerson.nationality == scope.nationality)
    if scope.record_ids:
        clauses.append(spec.model.id.in_(sorted(scope.record_ids)))
    if scope.shared_places and spec.kind is RecordKind.site:
        clauses.append(shared_place_clause())
    return or_(*clauses)


def scope_for(
    session: Session, caller: Caller, kind: RecordKind, *, among: Collection[int] | None = None
) -> ReadScope:
    """The caller's read scope for ``kind``, with what the policy needs from the database (``among``: a
    scope that answers only for these records, read at the cost of these alone)."""
    escorted: frozenset[int] = frozenset()
    if kind is RecordKind.person and caller.org_kind == "host_security" and caller.roles & GUARD_ROLES:
        escorted = escorted_person_ids(session, caller.organization_id, among=among)
    return read_scope(caller, kind, escorted_person_ids=escorted)


def visible(
    spec: KindSpec, caller: Caller, session: Session, *, among: Collection[int] | None = None
) -> Select[Any]:
    """A select of the records of one kind the caller may see (``among``: of these records alone)."""
    stmt = select(spec.model).where(_scope_clause(spec, scope_for(session, caller, spec.kind, among=among)))
    return stmt if among is None else stmt.where(spec.model.id.in_(sorted(among)))


def list_records(
    session: Session,
    *,
    kind: RecordKind,
    caller: Caller,
    filters: dict[str, Any] | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """A page of the records the caller may see, with the total that match."""
    spec = SPECS[kind]
    stmt = visible(spec, caller, session)
    for field, value in (filters or {}).items():
        if value is not None:
            stmt = stmt.where(getattr(spec.model, field) == value)
    if search:
        text_col = {
            RecordKind.person: ProtectedPerson.name,
            RecordKind.site: Site.name,
            RecordKind.vehicle: Vehicle.plate,
            RecordKind.unit: EscortUnit.call_sign,
        }[kind]
        stmt = stmt.where(func.lower(text_col).contains(search.lower(), autoescape=True))
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.scalars(stmt.order_by(spec.model.id).limit(limit).offset(offset)).all()
    return list(rows), total


def get_record(session: Session, *, kind: RecordKind, caller: Caller, record_id: int) -> Any:
    """One record the caller may see; NotFound otherwise, so that ids reveal nothing."""
    spec = SPECS[kind]
    record = session.scalar(visible(spec, caller, session, among=(record_id,)))
    if record is None:
        raise NotFound(f"{spec.label} {record_id} not found")
    return record


def _check_unique(session: Session, spec: KindSpec, value: Any, *, exclude_id: int | None = None) -> None:
    if spec.unique is None:
        return
    col = getattr(spec.model, spec.unique)
    stmt = select(spec.model.id).where(col == value)
    if exclude_id is not None:
        stmt = stmt.where(spec.model.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise Conflict(f"a {spec.label} with {spec.unique} {value!r} already exists")


def _owner(session: Session, caller: Caller, requested: int | None) -> int:
    if requested is None or requested == caller.organization_id:
        return caller.organization_id
    if "admin" not in caller.roles:
        raise Forbidden("only an administrator may create records for another organisation")
    accounts_service.get_organization(session, org_id=requested)
    return requested


def _unit_links(
    session: Session, caller: Caller, owner: int, base_site_id: int | None, vehicle_ids: Sequence[int]
) -> list[Vehicle]:
    if base_site_id is not None:
        get_record(session, kind=RecordKind.site, caller=caller, record_id=base_site_id)
    vehicles: list[Vehicle] = []
    for vid in dict.fromkeys(vehicle_ids):
        vehicle = session.get(Vehicle, vid)
        if vehicle is None or vehicle.organization_id != owner:
            raise InvalidInput(
                f"vehicle {vid} not found among the unit organisation's vehicles",
                errors=[{"loc": ["body", "vehicle_ids"], "msg": f"unknown vehicle {vid}"}],
            )
        vehicles.append(vehicle)
    return vehicles


def create_record(
    session: Session, *, kind: RecordKind, caller: Caller, data: BaseModel, now: datetime
) -> Any:
    """Add a record owned by the caller's organisation (or another, for administrators)."""
    spec = SPECS[kind]
    values = data.model_dump()
    owner = _owner(session, caller, values.pop("organization_id", None))
    if not may_write(caller, kind, owner_organization_id=owner):
        raise Forbidden(f"your roles do not allow creating a {spec.label}")
    if spec.unique is not None:
        _check_unique(session, spec, values[spec.unique])
    vehicle_ids = values.pop("vehicle_ids", None)
    for key, value in list(values.items()):
        if hasattr(value, "value"):
            values[key] = value.value
    record = spec.model(organization_id=owner, created_at=now, updated_at=now, **values)
    if kind is RecordKind.unit:
        record.vehicles = _unit_links(session, caller, owner, values.get("base_site_id"), vehicle_ids or [])
    session.add(record)
    session.flush()
    audit_trail.audit(
        session,
        caller=caller,
        action="created",
        kind=kind,
        record_id=record.id,
        now=now,
        fields=sorted(data.model_fields_set | {"organization_id"}),
        details={"after": audit_trail.snapshot(kind, record)},
    )
    return record


def update_record(
    session: Session, *, kind: RecordKind, caller: Caller, record_id: int, data: BaseModel, now: datetime
) -> Any:
    """Change the given fields of a record the caller may write."""
    spec = SPECS[kind]
    record = get_record(session, kind=kind, caller=caller, record_id=record_id)
    if not may_write(caller, kind, owner_organization_id=record.organization_id):
        raise Forbidden(f"your roles do not allow changing this {spec.label}")
    changes = data.model_dump(exclude_unset=True)
    before = audit_trail.snapshot(kind, record)
    if kind is RecordKind.site:
        merged = {c: getattr(record, c) for c in schemas.SiteCreate.model_fields if hasattr(record, c)}
        merged.update(changes)
        merged["kind"] = merged["kind"]
        try:
            schemas.SiteCreate.model_validate({k: v for k, v in merged.items() if k != "organization_id"})
        except ValueError as exc:
            raise InvalidInput(f"the site would be invalid: {exc}") from exc
    if spec.unique is not None and changes.get(spec.unique) is not None:
        _check_unique(session, spec, changes[spec.unique], exclude_id=record.id)
    vehicle_ids = changes.pop("vehicle_ids", None)
    for key, value in changes.items():
        setattr(record, key, value.value if hasattr(value, "value") else value)
    if kind is RecordKind.unit and (vehicle_ids is not None or "base_site_id" in changes):
        record.vehicles = _unit_links(
            session,
            caller,
            record.organization_id,
            record.base_site_id,
            vehicle_ids if vehicle_ids is not None else [v.id for v in record.vehicles],
        )
    record.updated_at = now
    session.flush()
    after = audit_trail.snapshot(kind, record)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_trail.audit(
        session,
        caller=caller,
        action="changed",
        kind=kind,
        record_id=record.id,
        now=now,
        fields=sorted(set(changes) | ({"vehicle_ids"} if vehicle_ids is not None else set())),
        details={"changes": changed},
    )
    return record


def delete_record(
    session: Session, *, kind: RecordKind, caller: Caller, record_id: int, now: datetime
) -> None:
    """Remove a record the caller may write; refuse while other records refer to it."""
    spec = SPECS[kind]
    record = get_record(session, kind=kind, caller=caller, record_id=record_id)
    if not may_write(caller, kind, owner_organization_id=record.organization_id):
        raise Forbidden(f"your roles do not allow deleting this {spec.label}")
    if kind is RecordKind.site:
        users = session.scalar(select(func.count()).where(EscortUnit.base_site_id == record.id))
        if users:
            raise Conflict(f"site {record.id} is the base of {users} escort unit(s); reassign them first")
    before = audit_trail.snapshot(kind, record)
    try:
        with session.begin_nested():
            session.delete(record)
    except IntegrityError:
        # Other domains (movements) refer to registry records; history is kept, so the record stays.
        raise Conflict(
            f"{spec.label} {record_id} is referred to by movements or other records; keep it"
        ) from None
    audit_trail.audit(
        session,
        caller=caller,
        action="deleted",
        kind=kind,
        record_id=record_id,
        now=now,
        details={"before": before},
    )


def to_read(kind: RecordKind, record: Any) -> BaseModel:
    """The API shape of a record."""
    if kind is RecordKind.unit:
        return read_of(schemas.UnitRead, record, vehicle_ids=sorted(v.id for v in record.vehicles))
    read_models: dict[RecordKind, type[BaseModel]] = {
        RecordKind.person: schemas.PersonRead,
        RecordKind.site: schemas.SiteRead,
        RecordKind.vehicle: schemas.VehicleRead,
    }
    read_model = read_models[kind]
    return read_model.model_validate(record)


def site_feature(site: Site) -> dict[str, Any]:
    """A site as a GeoJSON Feature (point geometry, rings in properties)."""
    props = schemas.SiteRead.model_validate(site).model_dump(mode="json", exclude={"lat", "lon"})
    return {
        "type": "Feature",
        "id": site.id,
        "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
        "properties": props,
    }
