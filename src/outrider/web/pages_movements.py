"""The movement board, a movement's page, and its lifecycle actions (the same services as the API)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from outrider import idempotency
from outrider.access import policy
from outrider.access.policy import RecordKind
from outrider.accounts import service as accounts_service
from outrider.inputs import Id
from outrider.movements import board as board_read
from outrider.movements import (
    board_names,
    checkins,
    gates,
    incidents,
    need_to_know,
    planning,
    silent,
    tracking,
)
from outrider.movements import schemas as ms
from outrider.movements import service as movements_service
from outrider.movements.lifecycle import ON_THE_ROAD, TERMINAL, Status
from outrider.movements.models import Movement
from outrider.movements.timeline import timeline as timeline_of
from outrider.registry import service as registry_service
from outrider.risk import service as risk_service
from outrider.web import layers
from outrider.web import movement_next_step as next_step
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.pages_compliance import WAIVER_HOURS, latest_evaluations, waivable, waivers_of
from outrider.web.pages_map import map_config

router = APIRouter(route_class=WebRoute, include_in_schema=False)
BOARD_LIMIT = 300


def _statuses(status: str | None) -> list[Status] | None:
    if not status or status == "all":
        return None
    if status == "active":
        return [Status(s) for s in layers.ACTIVE]
    return [Status(status)]


def _org_names(web: Web) -> dict[int, str]:
    return {o.id: o.name for o in accounts_service.list_organizations(web.session)}


def _board(web: Web, status: str | None) -> dict[str, Any]:
    statuses = _statuses(status or "active")
    filters = movements_service.BoardFilter(status=statuses)
    page = board_read.board(web.session, caller=web.caller, now=web.now, filters=filters, limit=BOARD_LIMIT)
    # The zone of each movement (part of its summary): times are shown in the site's local time.
    zones = board_read.timezones(web.session, [item.id for item in page.items])
    return {
        "items": page.items,
        "total": page.total,
        "orgs": _org_names(web),
        "status": status or "active",
        "timezones": zones,
    }


StatusQuery = Annotated[str | None, Query(pattern="^(all|active|" + "|".join(s.value for s in Status) + ")$")]


@router.get("/movements")
def board(web: WebDep, status: StatusQuery = None) -> Response:
    """The movement board: status, next check-in due, overdue highlighted (times only with the itinerary)."""
    return web.render("board.html", **_board(web, status), statuses=[s.value for s in Status])


@router.get("/movements/board")
def board_fragment(web: WebDep, status: StatusQuery = None) -> Response:
    """The board's table alone (HTMX refreshes it every minute)."""
    return web.render("fragments/board_table.html", **_board(web, status))


# --- one movement ------------------------------------------------------------------------------------


def _names(web: Web, view: ms.MovementRead) -> tuple[list[str], list[str], list[str]]:
    """The escort, vehicles and persons by name for the itinerary's readers (a person the registry does
    not let the caller read stays an id), as the board names them."""
    if not view.itinerary_visible:
        return [], [], []
    named = board_names.names_of(web.session, web.caller, [view.id])[view.id]

    def words(field: str) -> list[str]:
        return [r["name"] or f"#{r['id']}" for r in named[field]]

    return words("protected_persons"), words("vehicles"), words("escort_units")


def _actions(web: Web, view: ms.MovementRead) -> dict[str, Any]:
    """Which forms to offer (the services still decide and refuse with a reason)."""
    c = web.caller
    status = view.status
    planner = policy.may_plan(c, requesting_org_id=view.organization_id)
    # Governance names who speaks for a party: a host force or partner that is not recognised is offered
    # neither the decision nor the escort (the services refuse them too).
    return {
        "submit": planner and status is Status.draft,
        "decide": next_step.may_decide(web, view),
        "escort": c.org_kind == "host_security"
        and bool(c.roles & policy.ESCORT_ROLES)
        and status in (Status.submitted, Status.approved)
        and gates.refusal_to_speak_for(web.session, caller=c, org_kind=c.org_kind, country=c.country) is None,
        "depart": policy.may_report_progress(c, requesting_org_id=view.organization_id)
        and status is Status.approved,
        "on_road": policy.may_report_progress(c, requesting_org_id=view.organization_id)
        and status in ON_THE_ROAD,
        "cancel": planner and status not in TERMINAL and status not in ON_THE_ROAD,
    }


def _movement_map(
    web: Web, movement: Movement, view: ms.MovementRead, risk: dict[str, Any]
) -> dict[str, Any]:
    features: list[dict[str, Any]] = []
    for name, place in (("origin", view.origin), ("destination", view.destination)):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {"kind": name, "label": place.label},
            }
        )
    if view.itinerary_visible:
        features.extend(
            layers.movement_features(web.session, web.caller, movement, view, with_alternates=True)
        )
        for c in silent.checkins_seen(movements_service.checkins_of(web.session, movement), web.caller):
            if c.lat is not None and c.lon is not None:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                        "properties": {"kind": "checkin_point", "at": c.at.isoformat(), "status": c.status},
                    }
                )
    drivers = [d["event_id"] for d in risk.get("drivers", []) if d.get("event_id")]
    events = layers.events_by_id(web.session, web.caller, drivers, now=web.now)
    return map_config(
        web, movement={"type": "FeatureCollection", "features": features}, drivers=layers.collection(events)
    )


RefusedQuery = Annotated[Literal["approve"] | None, Query()]


@router.get("/movements/{movement_id}")
def movement_page(web: WebDep, movement_id: Id, refused: RefusedQuery = None) -> Response:
    """A movement: summary for everyone who may see it; route, times, check-ins and timeline for its list."""
    movement = movements_service.get_movement(web.session, caller=web.caller, movement_id=movement_id)
    view = need_to_know.view_of(web.session, caller=web.caller, movement=movement, now=web.now)
    risk = risk_service.movement_risk(web.session, caller=web.caller, movement_id=movement_id, now=web.now)
    timeline = timeline_of(web.session, movement, web.caller) if view.itinerary_visible else []
    units: list[Any] = []
    actions = _actions(web, view)
    if actions["escort"]:
        units, _ = registry_service.list_records(
            web.session, kind=RecordKind.unit, caller=web.caller, limit=500
        )
    protocols = latest_evaluations(web, movement_id)
    step = next_step.preview(web, movement_id)
    persons, vehicles, escorts = _names(web, view)
    waivers = waivers_of(web, movement_id)
    return web.render(
        "movement.html",
        m=view,
        risk=risk,
        timeline=timeline,
        orgs=_org_names(web),
        persons=persons,
        vehicles=vehicles,
        escorts=escorts,
        units=units,
        actions=actions,
        checkin_key=f"web-{secrets.token_hex(8)}",
        protocols=protocols,
        waivers=waivers,
        waivable=next_step.waivable_rules(waivable(protocols), step),
        refused=refused,
        **next_step.panel_values(web, view, step, waivers),
        waiver_hours=WAIVER_HOURS,
        risk_computed=datetime.fromisoformat(risk["computed_at"]),
        map_config=_movement_map(web, movement, view, risk),
    )


# --- lifecycle actions --------------------------------------------------------------------------------

Comment = Annotated[str, Form(max_length=2000)]


def _page(movement_id: int) -> str:
    return f"/movements/{movement_id}"


def _decide(decision: str) -> Callable[..., Response]:
    def endpoint(web: WebDep, movement_id: Id, comment: Comment = "") -> Response:
        return next_step.decide(web, movement_id=movement_id, decision=decision, comment=comment)

    endpoint.__name__ = f"web_{decision}"
    endpoint.__doc__ = f"{decision.replace('_', ' ').capitalize()} for your party."
    return endpoint


for _decision in ("approve", "reject", "request_changes"):
    router.add_api_route(
        f"/movements/{{movement_id}}/{_decision.replace('_', '-')}", _decide(_decision), methods=["POST"]
    )


@router.post("/movements/{movement_id}/submit")
def submit(web: WebDep, movement_id: Id) -> Response:
    """Send the plan to the approving parties."""
    return web.act(planning.submit, _page(movement_id), "submitted", movement_id=movement_id)


@router.post("/movements/{movement_id}/escort")
def escort(
    web: WebDep, movement_id: Id, unit_ids: Annotated[list[Id], Form(min_length=1, max_length=20)]
) -> Response:
    """Assign escort units (host security)."""
    return web.act(
        planning.assign_escort, _page(movement_id), "escort", movement_id=movement_id, unit_ids=unit_ids
    )


@router.post("/movements/{movement_id}/depart")
def depart(web: WebDep, movement_id: Id) -> Response:
    """The convoy has left."""
    return web.act(tracking.depart, _page(movement_id), "depart", movement_id=movement_id, at=None)


@router.post("/movements/{movement_id}/arrive")
def arrive(
    web: WebDep, movement_id: Id, persons_counted: Annotated[int | None, Form(ge=0, le=1000)] = None
) -> Response:
    """The convoy has arrived."""
    return web.act(
        tracking.arrive,
        _page(movement_id),
        "arrive",
        movement_id=movement_id,
        at=None,
        persons_counted=persons_counted,
    )


@router.post("/movements/{movement_id}/incident")
def incident(
    web: WebDep,
    movement_id: Id,
    comment: Comment = "",
    lat: Annotated[float | None, Form()] = None,
    lon: Annotated[float | None, Form()] = None,
    attack_type: Annotated[str | None, Form(max_length=32)] = None,
) -> Response:
    """Report an incident on the road (critical alert; an intelligence incident at its position)."""
    return web.act(
        incidents.report_incident,
        _page(movement_id),
        "incident",
        movement_id=movement_id,
        note=comment,
        lat=lat,
        lon=lon,
        attack_type=attack_type or None,
    )


@router.post("/movements/{movement_id}/cancel")
def cancel(web: WebDep, movement_id: Id, comment: Comment = "") -> Response:
    """Call a planned movement off."""
    return web.act(planning.cancel, _page(movement_id), "cancel", movement_id=movement_id, reason=comment)


@router.post("/movements/{movement_id}/checkins")
def check_in(
    web: WebDep,
    movement_id: Id,
    status: Annotated[ms.CheckInStatus, Form()] = ms.CheckInStatus.ok,
    lat: Annotated[float | None, Form(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Form(ge=-180, le=180)] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
    idempotency_key: Annotated[str | None, Form(max_length=128, pattern=idempotency.PATTERN)] = None,
) -> Response:
    """A check-in from the operations room (the form carries a key, so a double submit counts once)."""
    data = ms.CheckInCreate(
        idempotency_key=idempotency_key or f"web-{secrets.token_hex(8)}",
        status=status,
        lat=lat,
        lon=lon,
        note=note,
    )
    return web.act(checkins.check_in, _page(movement_id), "checkin", movement_id=movement_id, data=data)
