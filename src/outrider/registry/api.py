"""HTTP routes of the registry: persons, sites, vehicles, escort units; CRUD, lists, imports."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel

from outrider.access.policy import RecordKind
from outrider.db import utcnow
from outrider.errors import TooLarge
from outrider.http import CallerDep, PageDep, SessionDep, SettingsDep
from outrider.inputs import Id
from outrider.registry import bulk_import, members, schemas, service

router = APIRouter(prefix="/api/v1", tags=["registry"])
SearchQuery = Annotated[str | None, Query(max_length=100, description="text search")]

PATHS = {
    RecordKind.person: "persons",
    RecordKind.site: "sites",
    RecordKind.vehicle: "vehicles",
    RecordKind.unit: "escort-units",
}
READ = {
    RecordKind.person: schemas.PersonRead,
    RecordKind.site: schemas.SiteRead,
    RecordKind.vehicle: schemas.VehicleRead,
    RecordKind.unit: schemas.UnitRead,
}


@dataclass
class Listing:
    """What every list route takes: who asks, the transaction, the page, the owner and a text search."""

    caller: CallerDep
    session: SessionDep
    page: PageDep
    organization_id: Id | None = None
    q: SearchQuery = None

    def of(self, kind: RecordKind, /, **filters: Any) -> dict[str, Any]:
        """One page of the records of ``kind`` the caller may see, as the list routes answer it."""
        rows, total = service.list_records(
            self.session,
            kind=kind,
            caller=self.caller,
            filters={**filters, "organization_id": self.organization_id},
            search=self.q,
            limit=self.page.limit,
            offset=self.page.offset,
        )
        items = [service.to_read(kind, r).model_dump(mode="json") for r in rows]
        return {"items": items, "total": total, "limit": self.page.limit, "offset": self.page.offset}


ListingDep = Annotated[Listing, Depends()]


@router.get("/persons", response_model=schemas.Page[schemas.PersonRead], tags=["registry"])
def list_persons(listing: ListingDep, nationality: str | None = None) -> dict[str, Any]:
    """Protected persons the caller may see."""
    return listing.of(RecordKind.person, nationality=nationality.upper() if nationality else None)


@router.get("/sites", response_model=schemas.Page[schemas.SiteRead])
def list_sites(listing: ListingDep, kind: schemas.SiteKind | None = None) -> dict[str, Any]:
    """Sites the caller may see."""
    return listing.of(RecordKind.site, kind=kind.value if kind else None)


@router.get("/sites.geojson", summary="Sites as a GeoJSON FeatureCollection")
def sites_geojson(caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    """Every site the caller may see, as GeoJSON points with their rings in properties."""
    rows, _ = service.list_records(session, kind=RecordKind.site, caller=caller, limit=10_000)
    return {"type": "FeatureCollection", "features": [service.site_feature(s) for s in rows]}


@router.get("/vehicles", response_model=schemas.Page[schemas.VehicleRead])
def list_vehicles(listing: ListingDep, kind: schemas.VehicleKind | None = None) -> dict[str, Any]:
    """Vehicles the caller may see."""
    return listing.of(RecordKind.vehicle, kind=kind.value if kind else None)


@router.get("/escort-units", response_model=schemas.Page[schemas.UnitRead])
def list_units(listing: ListingDep, base_site_id: Id | None = None) -> dict[str, Any]:
    """Escort units the caller may see."""
    return listing.of(RecordKind.unit, base_site_id=base_site_id)


def _add_crud(kind: RecordKind, create: type[BaseModel], update: type[BaseModel]) -> None:
    path = PATHS[kind]
    read = READ[kind]

    def get_one(record_id: Id, caller: CallerDep, session: SessionDep) -> Any:
        return service.to_read(
            kind, service.get_record(session, kind=kind, caller=caller, record_id=record_id)
        )

    def create_one(data: create, caller: CallerDep, session: SessionDep) -> Any:  # type: ignore[valid-type]
        record = service.create_record(session, kind=kind, caller=caller, data=data, now=utcnow())
        return service.to_read(kind, record)

    def update_one(record_id: Id, data: update, caller: CallerDep, session: SessionDep) -> Any:  # type: ignore[valid-type]
        record = service.update_record(
            session, kind=kind, caller=caller, record_id=record_id, data=data, now=utcnow()
        )
        return service.to_read(kind, record)

    def delete_one(record_id: Id, caller: CallerDep, session: SessionDep) -> None:
        service.delete_record(session, kind=kind, caller=caller, record_id=record_id, now=utcnow())

    def import_file(
        caller: CallerDep,
        session: SessionDep,
        settings: SettingsDep,
        file: Annotated[UploadFile, File(description="CSV (any kind) or GeoJSON (sites)")],
    ) -> schemas.ImportResult:
        content = file.file.read(settings.max_body_bytes + 1)
        if len(content) > settings.max_body_bytes:
            raise TooLarge(f"the file exceeds {settings.max_body_bytes} bytes")
        records = bulk_import.import_records(
            session,
            kind=kind,
            caller=caller,
            filename=file.filename or "upload",
            content=content,
            now=utcnow(),
        )
        return schemas.ImportResult(kind=kind.value, created=len(records), ids=[r.id for r in records])

    routes: list[tuple[str, Callable[..., Any], list[str], Any, int]] = [
        (f"/{path}/{{record_id}}", get_one, ["GET"], read, 200),
        (f"/{path}", create_one, ["POST"], read, 201),
        (f"/{path}/{{record_id}}", update_one, ["PATCH"], read, 200),
        (f"/{path}/{{record_id}}", delete_one, ["DELETE"], None, 204),
        (f"/{path}/import", import_file, ["POST"], schemas.ImportResult, 201),
    ]
    for route_path, endpoint, methods, model, code in routes:
        router.add_api_route(
            route_path,
            endpoint,
            methods=methods,
            response_model=model,
            status_code=code,
            name=f"{endpoint.__name__}_{kind.value}",
            summary=f"{endpoint.__name__.replace('_', ' ')} ({kind.value})",
        )


_add_crud(RecordKind.person, schemas.PersonCreate, schemas.PersonUpdate)
_add_crud(RecordKind.site, schemas.SiteCreate, schemas.SiteUpdate)
_add_crud(RecordKind.vehicle, schemas.VehicleCreate, schemas.VehicleUpdate)
_add_crud(RecordKind.unit, schemas.UnitCreate, schemas.UnitUpdate)


@router.get("/escort-units/{unit_id}/members", response_model=list[schemas.MemberRead])
def list_members(unit_id: Id, caller: CallerDep, session: SessionDep) -> list[Any]:
    """The members of an escort unit: its movements' itineraries are drawn for them."""
    return [
        schemas.MemberRead.model_validate(m)
        for m in members.list_members(session, caller=caller, unit_id=unit_id)
    ]


@router.post("/escort-units/{unit_id}/members", response_model=schemas.MemberRead, status_code=201)
def add_member(unit_id: Id, data: schemas.MemberCreate, caller: CallerDep, session: SessionDep) -> Any:
    """Put a user of the unit's organisation in the unit (administrators and duty officers; not oneself)."""
    row = members.add_member(session, caller=caller, unit_id=unit_id, user_id=data.user_id, now=utcnow())
    return schemas.MemberRead.model_validate(row)


@router.delete("/escort-units/{unit_id}/members/{user_id}", status_code=204)
def remove_member(unit_id: Id, user_id: Id, caller: CallerDep, session: SessionDep) -> None:
    """Take a user out of the unit."""
    members.remove_member(session, caller=caller, unit_id=unit_id, user_id=user_id, now=utcnow())
