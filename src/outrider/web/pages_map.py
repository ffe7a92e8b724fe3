"""The overview: a map of sites and cordons, incidents, movements and the risk surface."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from outrider.intel.queries import parse_bbox
from outrider.movements import service as movements_service
from outrider.web import layers, vocabulary
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.i18n import N_

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PAKISTAN = "60.5,23.5,77.5,37.5"
# the domain's words the maps' popups show (web/vocabulary.py), in the page's language
MAP_TERMS = ("movement_status", "checkin_status", "site_kind", "attack_type")
# the risk domain's level names (risk.parameters.LEVEL_NAMES), marked for translation; shown with the number
LEVEL_LABELS = {1: N_("Low"), 2: N_("Medium"), 3: N_("High"), 4: N_("Very high"), 5: N_("Unacceptable")}


def map_config(web: Web, **extra: Any) -> dict[str, Any]:
    """What every map needs: the tile server (if any), its layers' names and attributions, translated."""
    _ = web.gettext
    return {
        "tileUrl": web.settings.web_tile_url,
        "labels": {
            "sites": _("Sites and cordons"),
            "events": _("Incidents"),
            "movements": _("Movements"),
            "surface": _("Risk surface"),
            "inner": _("inner cordon"),
            "outer": _("outer cordon"),
            "killed": _("killed"),
            "wounded": _("wounded"),
            "risk": _("risk"),
            "not_scored": _("not scored yet"),
            "last_checkin": _("last check-in"),
            "open": _("Open"),
            "boundaries": _("Boundaries: Natural Earth"),
            "towns": _("Towns"),
            "towns_source": _("Towns: GeoNames (CC BY 4.0)"),
            "loading_failed": _("A map layer could not be loaded."),
            "choose_sites": _("Choose the origin and destination sites first."),
        },
        "levels": {str(n): f"{n} · {_(name)}" for n, name in LEVEL_LABELS.items()},
        "terms": vocabulary.labels_of(web.gettext, MAP_TERMS),
        **extra,
    }


def _json(body: object) -> JSONResponse:
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/")
def overview(web: WebDep) -> Response:
    """The map, beside a list of the planned and active movements (their summaries: no itinerary)."""
    rows = movements_service.board_candidates(web.session, caller=web.caller, filters=layers.ACTIVE_ONLY)
    items = [movements_service.board_item(m, itinerary=False) for m in rows[:200]]
    return web.render("overview.html", movements=items, map_config=map_config(web))


@router.get("/map/sites.geojson")
def map_sites(web: WebDep) -> Response:
    """Sites with their cordon rings."""
    return _json(layers.sites(web.session, web.caller))


@router.get("/map/events.geojson")
def map_events(web: WebDep, days: Annotated[int, Query(ge=1, le=36500)] = 3650) -> Response:
    """Placed events with severity and age."""
    return _json(layers.events(web.session, web.caller, now=web.now, days=days))


@router.get("/map/movements.geojson")
def map_movements(web: WebDep) -> Response:
    """Routes and last check-ins of the movements whose itinerary you may read now."""
    return _json(layers.movements(web.session, web.caller, now=web.now))


@router.get("/map/surface.geojson")
def map_surface(
    web: WebDep,
    bbox: Annotated[str, Query(max_length=100)] = PAKISTAN,
    resolution: Annotated[int, Query(ge=0, le=9)] = 5,
) -> Response:
    """The risk surface over the map's view."""
    return _json(layers.surface(web.session, web.caller, parse_bbox(bbox), resolution, web.now))
