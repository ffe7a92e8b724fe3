"""For auditors: verify the audit chain, and ask who knew a movement's itinerary before a time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response

from outrider.audit import service as audit_service
from outrider.errors import InvalidInput
from outrider.movements import need_to_know
from outrider.movements import service as movements_service
from outrider.web.context import Web, WebDep, WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _movements(web: Web) -> list[tuple[int, str, str]]:
    rows = movements_service.board_candidates(web.session, caller=web.caller)
    return [(m.id, m.reference, f"{m.origin_label} → {m.destination_label}") for m in reversed(rows)]


@router.get("/audit")
def audit_page(web: WebDep) -> Response:
    """Choose a movement and a time; verify the chain."""
    audit_service.require_auditor(web.caller, "the audit pages are for auditors")
    return web.render("audit.html", movements=_movements(web), result=None, chosen=None, before="", tz=None)


@router.get("/audit/verify")
def verify(web: WebDep) -> Response:
    """Check the whole chain and its signed checkpoints (a fragment)."""
    return web.render("fragments/verify.html", v=audit_service.verify_as(web.session, caller=web.caller))


@router.get("/audit/who-knew")
def who_knew(
    web: WebDep,
    movement: Annotated[int, Query()],
    before: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Who read the itinerary before the time (read in the movement's zone), and who could have."""
    audit_service.require_auditor(web.caller, "the audit pages are for auditors")
    row = movements_service.get_movement(web.session, caller=web.caller, movement_id=movement)
    cutoff = None
    if before:
        try:
            cutoff = datetime.fromisoformat(before).replace(tzinfo=ZoneInfo(row.timezone))
        except ValueError:
            raise InvalidInput("before: give a date and time") from None
    result = need_to_know.who_knew(
        web.session, caller=web.caller, movement_id=movement, before=cutoff, now=web.now
    )
    return web.render(
        "audit.html",
        movements=_movements(web),
        result=result,
        chosen=movement,
        before=before,
        tz=row.timezone,
    )
