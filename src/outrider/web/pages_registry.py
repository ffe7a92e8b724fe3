"""The registry pages: persons, sites (with their cordons on a map), vehicles and escort units; list, search,
create, edit, delete, and import CSV or GeoJSON all or nothing, through the registry's services.

The services decide who may see and change what (``access.policy``), as for the API; a page offers the
controls the caller may use, and a change is refused (403, nothing written) when a direct request asks
for one the caller may not make. A form that fails keeps what was typed and shows every error beside
its field (``registry_forms``); a refused import writes nothing and lists every bad row.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.datastructures import FormData

from outrider.access.policy import RecordKind, may_write
from outrider.accounts import service as accounts_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.inputs import MAX_ID, MAX_OFFSET
from outrider.registry import bulk_import, importers
from outrider.registry import service as registry_service
from outrider.registry.models import EscortUnit, Site, Vehicle
from outrider.web import registry_forms as rf
from outrider.web import registry_saving, unit_members
from outrider.web.context import Web, WebDep, WebRoute, require
from outrider.web.i18n import N_
from outrider.web.pages_map import map_config

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PAGE = 50
KindPath = Annotated[str, Path(max_length=20)]
RecordPath = Annotated[int, Path(ge=1, le=MAX_ID)]
IN_USE_AS_BASE = N_("This site is the base of %(n)s escort unit(s): give them another base first.")


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


def _kind(path: str) -> RecordKind:
    kind = rf.PATHS.get(path)
    if kind is None:
        raise NotFound(f"the registry has no list {path!r}")
    return kind


def _may_create(web: Web, kind: RecordKind) -> bool:
    return may_write(web.caller, kind, owner_organization_id=web.caller.organization_id)


def _require_create(web: Web, kind: RecordKind) -> None:
    require(_may_create(web, kind), "your roles do not allow adding to this list of the registry")


def _writable(web: Web, kind: RecordKind, record_id: int) -> Any:
    """A record the caller may see and change: 404 when unseen, 403 when it may only be read."""
    record = registry_service.get_record(web.session, kind=kind, caller=web.caller, record_id=record_id)
    require(
        may_write(web.caller, kind, owner_organization_id=record.organization_id),
        "your roles do not allow changing this record",
    )
    return record


def _site_names(web: Web, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    stmt = registry_service.visible(registry_service.SPECS[RecordKind.site], web.caller, web.session)
    return {s.id: s.name for s in web.session.scalars(stmt.where(Site.id.in_(sorted(ids))))}


def _common(web: Web, kind: RecordKind, path: str) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "path": path,
        "paths": rf.PATH_OF,
        "titles": rf.TITLES,
        "title": web.gettext(rf.TITLES[kind]),
        "singular": web.gettext(rf.SINGULAR[kind]),
        "may_create": _may_create(web, kind),
    }


@router.get("/registry")
def registry_home(web: WebDep) -> Response:
    """The registry opens on its sites."""
    return web.redirect("/registry/sites")


@router.get("/registry/{kind}")
def list_page(
    web: WebDep,
    kind: KindPath,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """The records of one kind the caller may see, searched by name (plate, call sign)."""
    k = _kind(kind)
    rows, total = registry_service.list_records(
        web.session, kind=k, caller=web.caller, search=q.strip() or None, limit=PAGE, offset=offset
    )
    orgs = {o.id: o.name for o in accounts_service.list_organizations(web.session)}
    bases = _site_names(web, {r.base_site_id for r in rows if k is RecordKind.unit and r.base_site_id})
    return web.render(
        "registry/list.html",
        rows=rows,
        total=total,
        q=q,
        offset=offset,
        page=PAGE,
        orgs=orgs,
        bases=bases,
        site_kinds=rf.SITE_KINDS,
        vehicle_kinds=rf.VEHICLE_KINDS,
        **_common(web, k, kind),
    )


# --- one record: its form ------------------------------------------------------------------------------


def _options(web: Web, kind: RecordKind, owner: int) -> dict[str, dict[str, str]]:
    """The choices a form offers that depend on the data: a unit's base site and its vehicles."""
    if kind is not RecordKind.unit:
        return {}
    sites, _ = registry_service.list_records(web.session, kind=RecordKind.site, caller=web.caller, limit=5000)
    vehicles = web.session.scalars(
        select(Vehicle).where(Vehicle.organization_id == owner).order_by(Vehicle.plate)
    )
    return {
        "base_site_id": {str(s.id): s.name for s in sites},
        "vehicle_ids": {str(v.id): f"{v.plate} ({v.seats})" for v in vehicles},
    }


def _form_page(
    web: Web, kind: RecordKind, values: rf.Values, errors: rf.Errors, record: Any | None
) -> Response:
    path = rf.PATH_OF[kind]
    owner = web.caller.organization_id if record is None else record.organization_id
    writable = may_write(web.caller, kind, owner_organization_id=owner)
    orgs = {o.id: o.name for o in accounts_service.list_organizations(web.session)}
    config = None
    if kind is RecordKind.site:
        config = map_config(
            web,
            editable=writable,
            polygons={
                "inner": record.inner_polygon if record is not None else None,
                "outer": record.outer_polygon if record is not None else None,
            },
        )
    members = unit_members.panel(web, record) if kind is RecordKind.unit and record is not None else None
    return web.render(
        "registry/record.html",
        status_code=422 if errors else 200,
        members=members,
        record=record,
        values=values,
        errors=errors,
        fields=rf.FIELDS[kind],
        options=_options(web, kind, owner),
        writable=writable,
        owner_name=orgs.get(owner, ""),
        map_config=config,
        **_common(web, kind, path),
    )


@router.get("/registry/{kind}/new")
def new_page(web: WebDep, kind: KindPath) -> Response:
    """An empty form for a new record of your organisation."""
    k = _kind(kind)
    _require_create(web, k)
    values = rf.data_of(k, {})
    values.update({"timezone": "Asia/Karachi"} if k is RecordKind.site else {})
    return _form_page(web, k, values, {}, None)


@router.post("/registry/{kind}/new")
def create(web: WebDep, kind: KindPath, form: FormDep) -> Response:
    """Add a record of your organisation (the service checks your roles)."""
    k = _kind(kind)
    _require_create(web, k)
    values = rf.values_of_form(k, form, form.getlist)
    data, errors = registry_saving.validated(web, k, values, exclude=None)
    record = None
    if data is not None:
        record = registry_saving.save(
            web,
            k,
            errors,
            lambda: registry_service.create_record(
                web.session, kind=k, caller=web.caller, data=data, now=web.now
            ),
        )
    if record is None:
        return _form_page(web, k, values, errors, None)
    return web.redirect(f"/registry/{kind}/{record.id}", done="created")


# The import form's routes come before the record's: "import" is not a record id.
@router.get("/registry/{kind}/import")
def import_page(web: WebDep, kind: KindPath) -> Response:
    """Upload (or paste) a CSV file, or GeoJSON for sites."""
    k = _kind(kind)
    _require_create(web, k)
    return _import_page(web, k, content="", fmt="csv", problems=[], general=[])


def _import_page(
    web: Web,
    kind: RecordKind,
    *,
    content: str,
    fmt: str,
    problems: list[dict[str, Any]],
    general: list[str],
) -> Response:
    return web.render(
        "registry/import.html",
        status_code=422 if problems or general else 200,
        columns=importers.CSV_COLUMNS[kind],
        required=importers.REQUIRED[kind],
        content=content,
        fmt=fmt,
        problems=problems,
        general=general,
        **_common(web, kind, rf.PATH_OF[kind]),
    )


@router.post("/registry/{kind}/import")
def import_file(web: WebDep, kind: KindPath, form: FormDep) -> Response:
    """Import every row, or none when any row is bad (the checks of the API and the command)."""
    k = _kind(kind)
    _require_create(web, k)
    fmt = "geojson" if form.get("format") == "geojson" and k is RecordKind.site else "csv"
    pasted = form.get("content")
    uploaded = rf.uploaded_file(form, web.settings.max_body_bytes)
    if uploaded is None:
        text = pasted if isinstance(pasted, str) else ""
        uploaded = (text.encode("utf-8"), f"pasted.{fmt}") if text.strip() else None
    if uploaded is None:
        general = [web.gettext("Choose a file or paste its content.")]
        return _import_page(web, k, content="", fmt=fmt, problems=[], general=general)
    content, filename = uploaded
    savepoint = web.session.begin_nested()
    try:
        records = bulk_import.import_records(
            web.session, kind=k, caller=web.caller, filename=filename, content=content, now=web.now
        )
        savepoint.commit()
    except (InvalidInput, Conflict, Forbidden, NotFound) as exc:
        savepoint.rollback()
        problems, general = rf.import_problems(web.gettext, exc)
        shown = content.decode("utf-8-sig", errors="replace") if len(content) <= 2_000_000 else ""
        if filename.lower().endswith((".geojson", ".json")):
            fmt = "geojson"
        return _import_page(web, k, content=shown, fmt=fmt, problems=problems, general=general)
    return web.redirect(f"/registry/{kind}", done="imported", count=len(records))


# --- a record: read, change, delete ---------------------------------------------------------------------


@router.get("/registry/{kind}/{record_id}")
def record_page(web: WebDep, kind: KindPath, record_id: RecordPath) -> Response:
    """A record the caller may see; its form when the caller may change it."""
    k = _kind(kind)
    record = registry_service.get_record(web.session, kind=k, caller=web.caller, record_id=record_id)
    return _form_page(web, k, rf.values_of_record(k, record), {}, record)


@router.post("/registry/{kind}/{record_id}")
def update(web: WebDep, kind: KindPath, record_id: RecordPath, form: FormDep) -> Response:
    """Change a record of your organisation."""
    k = _kind(kind)
    record = _writable(web, k, record_id)
    values = rf.values_of_form(k, form, form.getlist)
    extra: rf.Values = {}
    if k is RecordKind.site:  # a polygon cordon stays unless a radius replaces it
        for ring in ("inner", "outer"):
            polygon = getattr(record, f"{ring}_polygon")
            if polygon is not None and not values.get(f"{ring}_radius_m"):
                extra[f"{ring}_polygon"] = polygon
    created, errors = registry_saving.validated(web, k, values, exclude=record.id, extra=extra)
    saved = None
    if created is not None:
        data = rf.update_of(k, created)
        saved = registry_saving.save(
            web,
            k,
            errors,
            lambda: registry_service.update_record(
                web.session, kind=k, caller=web.caller, record_id=record.id, data=data, now=web.now
            ),
        )
    if saved is None:
        return _form_page(web, k, values, errors, record)
    return web.redirect(f"/registry/{kind}/{record.id}", done="changed")


@router.get("/registry/{kind}/{record_id}/delete")
def delete_page(web: WebDep, kind: KindPath, record_id: RecordPath) -> Response:
    """Ask before deleting."""
    k = _kind(kind)
    record = _writable(web, k, record_id)
    return web.render(
        "registry/delete.html",
        record=record,
        label=rf.label_of(k, record),
        reason=None,
        **_common(web, k, kind),
    )


@router.post("/registry/{kind}/{record_id}/delete")
def delete(web: WebDep, kind: KindPath, record_id: RecordPath) -> Response:
    """Delete a record nothing refers to; otherwise say what keeps it."""
    k = _kind(kind)
    record = _writable(web, k, record_id)
    label = rf.label_of(k, record)
    try:
        registry_service.delete_record(
            web.session, kind=k, caller=web.caller, record_id=record_id, now=web.now
        )
    except Conflict:
        reason = web.gettext(registry_saving.IN_USE)
        if k is RecordKind.site:
            based = web.session.scalar(select(func.count()).where(EscortUnit.base_site_id == record_id))
            reason = web.gettext(IN_USE_AS_BASE, n=based) if based else reason
        return web.render(
            "registry/delete.html",
            status_code=409,
            record=record,
            label=label,
            reason=reason,
            **_common(web, k, kind),
        )
    return web.redirect(f"/registry/{kind}", done="deleted")
