"""Planning a movement: pick sites, draw, paste or upload a route, see its risk and the alternates', save."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile as StarletteUpload

from outrider.access import policy
from outrider.access.policy import RecordKind
from outrider.errors import InvalidInput, OutriderError, TooLarge
from outrider.inputs import Id
from outrider.movements import planning
from outrider.movements import schemas as ms
from outrider.movements.routes import check_route, parse_route_file
from outrider.registry import service as registry_service
from outrider.risk import service as risk_service
from outrider.web import layers
from outrider.web.context import Web, WebDep, WebRoute, require
from outrider.web.pages_map import map_config

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass
class PlanForm:
    """What the planner typed, kept to show the form again after an error."""

    reference: str = ""
    purpose: str = ""
    origin_site: int | None = None
    destination_site: int | None = None
    departure: str = ""
    arrival: str = ""
    checkin_interval: int = 30
    person_ids: list[int] = field(default_factory=list)
    vehicle_ids: list[int] = field(default_factory=list)
    route: str = ""
    alternates: str = ""
    notes: str = ""
    submit_now: bool = False


def _require_planner(web: Web) -> None:
    require(bool(web.caller.roles & policy.PLANNERS), "only coordinators and administrators plan movements")


def _choices(web: Web) -> dict[str, Any]:
    """Sites the caller may read; the caller's organisation's persons and vehicles."""
    own = {"organization_id": web.caller.organization_id}
    sites, _ = registry_service.list_records(web.session, kind=RecordKind.site, caller=web.caller, limit=2000)
    persons, _ = registry_service.list_records(
        web.session, kind=RecordKind.person, caller=web.caller, filters=own, limit=2000
    )
    vehicles, _ = registry_service.list_records(
        web.session, kind=RecordKind.vehicle, caller=web.caller, filters=own, limit=2000
    )
    return {"sites": sites, "persons": persons, "vehicles": vehicles}


def _page(web: Web, form: PlanForm, *, error: str | None = None, errors: list[str] | None = None) -> Response:
    choices = _choices(web)
    sites = {
        s.id: {"name": s.name, "lat": s.lat, "lon": s.lon, "timezone": s.timezone} for s in choices["sites"]
    }
    return web.render(
        "plan.html",
        status_code=422 if error else 200,
        form=form,
        error=error,
        errors=errors or [],
        map_config=map_config(web, sites=sites),
        **choices,
    )


@router.get("/movements/new")
def plan_page(web: WebDep) -> Response:
    """The planning form."""
    _require_planner(web)
    return _page(web, PlanForm())


def _file_bytes(upload: UploadFile | None, limit: int) -> tuple[bytes, str] | None:
    if upload is None or not isinstance(upload, StarletteUpload) or not upload.filename:
        return None
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise TooLarge(f"the file exceeds {limit} bytes")
    return (content, upload.filename) if content else None


def _route(text: str, uploaded: tuple[bytes, str] | None) -> dict[str, Any]:
    """The route from an uploaded GeoJSON or GPX file, else from the GeoJSON text (drawn or pasted)."""
    try:
        if uploaded is not None:
            return parse_route_file(uploaded[0], uploaded[1])
        if not text.strip():
            raise InvalidInput(
                "draw the route on the map, paste it as GeoJSON, or upload a GeoJSON or GPX file"
            )
        return check_route(json.loads(text))
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"route: {exc}") from None


def _alternates(text: str) -> list[dict[str, Any]]:
    """Alternates as a JSON list of LineStrings or a FeatureCollection of them (optional)."""
    if not text.strip():
        return []
    try:
        value = json.loads(text)
        items = value.get("features", []) if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise ValueError("give a list of LineStrings or a FeatureCollection")
        return [check_route(item) for item in items]
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"alternates: {exc}") from None


def _zone(web: Web, site_id: Id | None) -> str:
    if site_id is None:
        return "UTC"
    site = registry_service.get_record(
        web.session, kind=RecordKind.site, caller=web.caller, record_id=site_id
    )
    return str(site.timezone)


def _when(value: str, tz: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz))
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidInput(f"{name}: give a date and time") from None


FormText = Annotated[str, Form(max_length=4000)]
FormRoute = Annotated[str, Form(max_length=2_000_000)]


@router.post("/movements/new/risk")
def preview_risk(
    web: WebDep,
    route: FormRoute = "",
    alternates: FormRoute = "",
    departure: Annotated[str, Form(max_length=40)] = "",
    origin_site: Annotated[int | None, Form()] = None,
    route_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The risk of the route and of each alternate, before saving (the risk service, as POST /risk/route)."""
    uploaded = _file_bytes(route_file, web.settings.max_body_bytes)
    try:
        geometry = _route(route, uploaded)
        alts = _alternates(alternates)
        at = _when(departure, _zone(web, origin_site), "departure") if departure else web.now
    except OutriderError as exc:
        return web.render("fragments/risk_preview.html", error=exc.detail, result=None)
    result, revision = risk_service.score_route(web.session, geometry, at)
    scored = [risk_service.score_route(web.session, alt, at)[0] for alt in alts]
    everything = [result, *scored]
    lowest = min(range(len(everything)), key=lambda k: (everything[k].score, k))
    drivers = risk_service.result_json(result)["drivers"]
    events = layers.events_by_id(
        web.session, web.caller, [d["event_id"] for d in drivers if d["event_id"]], now=web.now
    )
    return web.render(
        "fragments/risk_preview.html",
        error=None,
        result=risk_service.result_json(result),
        alternates=[risk_service.result_json(r) for r in scored],
        lowest=lowest,
        revision=revision,
        at=at,
        tz=_zone(web, origin_site),
        preview={"route": geometry, "alternates": alts, "drivers": layers.collection(events)},
    )


@router.post("/movements/new")
def plan(
    web: WebDep,
    origin_site: Annotated[int, Form()],
    destination_site: Annotated[int, Form()],
    departure: Annotated[str, Form(max_length=40)],
    arrival: Annotated[str, Form(max_length=40)],
    person_ids: Annotated[list[int], Form()],
    reference: Annotated[str, Form(max_length=64)] = "",
    purpose: Annotated[str, Form(max_length=300)] = "",
    checkin_interval: Annotated[int, Form(ge=5, le=24 * 60)] = 30,
    vehicle_ids: Annotated[list[int] | None, Form()] = None,
    route: FormRoute = "",
    alternates: FormRoute = "",
    notes: FormText = "",
    submit_now: Annotated[bool, Form()] = False,
    route_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Save the plan as a draft of your organisation, and submit it at once if asked."""
    _require_planner(web)
    form = PlanForm(
        reference,
        purpose,
        origin_site,
        destination_site,
        departure,
        arrival,
        checkin_interval,
        person_ids,
        vehicle_ids or [],
        route,
        alternates,
        notes,
        submit_now,
    )
    uploaded = _file_bytes(route_file, web.settings.max_body_bytes)
    savepoint = (
        web.session.begin_nested()
    )  # a refused plan leaves nothing behind, and the form is shown again
    try:
        tz = _zone(web, origin_site)
        data = ms.MovementCreate.model_validate(
            {
                "reference": reference or None,
                "purpose": purpose,
                "origin": {"site_id": origin_site},
                "destination": {"site_id": destination_site},
                "route": _route(route, uploaded),
                "alternates": _alternates(alternates),
                "planned_departure": _when(departure, tz, "departure"),
                "planned_arrival": _when(arrival, tz, "arrival"),
                "person_ids": person_ids,
                "vehicle_ids": vehicle_ids or [],
                "checkin_interval_min": checkin_interval,
                "notes": notes,
            }
        )
        movement = planning.plan_movement(web.session, caller=web.caller, data=data, now=web.now)
        savepoint.commit()
    except ValidationError as exc:
        savepoint.rollback()
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _page(web, form, error=web.gettext("The plan is not valid."), errors=problems)
    except OutriderError as exc:
        savepoint.rollback()
        return _page(web, form, error=exc.detail)
    if not submit_now:
        return web.redirect(f"/movements/{movement.id}", done="planned")
    savepoint = web.session.begin_nested()
    try:
        planning.submit(web.session, caller=web.caller, movement_id=movement.id, now=web.now)
        savepoint.commit()
    except OutriderError as exc:  # the draft stays; the planner sees why it could not go out
        savepoint.rollback()
        return web.render(
            "error.html",
            status_code=exc.status,
            title=exc.title,
            detail=web.gettext(
                "The plan was saved as draft %(ref)s but could not be submitted:", ref=movement.reference
            )
            + " "
            + exc.detail,
            errors=[],
            back=f"/movements/{movement.id}",
        )
    return web.redirect(f"/movements/{movement.id}", done="submitted")
