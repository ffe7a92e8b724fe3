"""Planning a movement: pick sites, draw, paste or upload a route, see its risk and the alternates', save."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from starlette.datastructures import UploadFile as StarletteUpload

from outrider.access import policy
from outrider.access.policy import RecordKind
from outrider.errors import InvalidInput, OutriderError, TooLarge
from outrider.inputs import Id
from outrider.movements import planning
from outrider.movements.routes import check_route, parse_route_file
from outrider.registry import service as registry_service
from outrider.risk import service as risk_service
from outrider.web import layers, plan_form
from outrider.web.context import Web, WebDep, WebRoute, require
from outrider.web.pages_map import map_config
from outrider.web.plan_form import PlanForm

router = APIRouter(route_class=WebRoute, include_in_schema=False)


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


def _page(
    web: Web, form: PlanForm, *, error: str | None = None, errors: dict[str, list[str]] | None = None
) -> Response:
    choices = _choices(web)
    sites = {
        s.id: {"name": s.name, "lat": s.lat, "lon": s.lon, "timezone": s.timezone} for s in choices["sites"]
    }
    return web.render(
        "plan.html",
        status_code=422 if error else 200,
        form=form,
        error=error,
        errors=errors or {},
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
    try:
        return plan_form.alternates(text)
    except ValueError as exc:
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
    result, revision = risk_service.score_route(web.session, geometry, at, caller=web.caller)
    scored = [risk_service.score_route(web.session, alt, at, caller=web.caller)[0] for alt in alts]
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


def _zone_of(web: Web) -> Callable[[int], str | None]:
    def zone(site_id: int) -> str | None:
        try:
            return _zone(web, site_id)
        except OutriderError:  # a site the planner may not read is no choice
            return None

    return zone


def _problem_page(web: Web, form: PlanForm, problems: plan_form.Problems) -> Response:
    errors = {name: [web.gettext(p.message, **p.values) for p in found] for name, found in problems.items()}
    return _page(web, form, error=web.gettext("The plan is not valid."), errors=errors)


FormChoice = Annotated[str, Form(max_length=24)]
FormIds = Annotated[list[str] | None, Form()]


@router.post("/movements/new")
def plan(
    web: WebDep,
    origin_site: FormChoice = "",
    destination_site: FormChoice = "",
    departure: Annotated[str, Form(max_length=40)] = "",
    arrival: Annotated[str, Form(max_length=40)] = "",
    person_ids: FormIds = None,
    reference: Annotated[str, Form(max_length=300)] = "",
    purpose: FormText = "",
    checkin_interval: FormChoice = "30",
    vehicle_ids: FormIds = None,
    route: FormRoute = "",
    alternates: FormRoute = "",
    notes: Annotated[str, Form(max_length=40_000)] = "",
    submit_now: Annotated[bool, Form()] = False,
    route_file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Save the plan as a draft of your organisation, and submit it at once if asked. A plan with problems
    is shown again as typed, every problem beside its field."""
    _require_planner(web)
    form, problems = plan_form.read(
        {
            "reference": reference,
            "purpose": purpose,
            "origin_site": origin_site,
            "destination_site": destination_site,
            "departure": departure,
            "arrival": arrival,
            "checkin_interval": checkin_interval,
            "person_ids": person_ids or [],
            "vehicle_ids": vehicle_ids or [],
            "route": route,
            "alternates": alternates,
            "notes": notes,
            "submit_now": submit_now,
        }
    )
    uploaded = _file_bytes(route_file, web.settings.max_body_bytes)
    data = plan_form.plan_of(form, problems, zone_of=_zone_of(web), uploaded=uploaded)
    if data is None:
        return _problem_page(web, form, problems)
    savepoint = web.session.begin_nested()  # a refused plan leaves nothing behind; the form is shown again
    try:
        movement = planning.plan_movement(web.session, caller=web.caller, data=data, now=web.now)
        savepoint.commit()
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
