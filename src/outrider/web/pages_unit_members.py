"""An escort unit's members on its registry page: who serves in it (and so reads the itineraries of the
movements it escorts), added and removed by its force's administrators and duty officers.

The registry's member services decide (`registry.members`: the unit's organisation's writers, never
oneself); the page offers the form only to them, and lists as candidates the active users of the unit's
organisation who are not members yet, the caller excepted. A refused change shows the unit again with
the reason beside the field, nothing written.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from outrider.errors import Conflict, InvalidInput, NotFound
from outrider.inputs import Id
from outrider.registry import members as unit_members
from outrider.web import pages_registry
from outrider.web.context import Web, WebDep, WebRoute
from outrider.web.unit_members import ERROR_KEY

router = APIRouter(route_class=WebRoute, include_in_schema=False)
UNITS = "escort-units"


def _change(web: Web, unit_id: int, action: Any, done: str, user_id: int) -> Response:
    try:
        return web.act(action, f"/registry/{UNITS}/{unit_id}", done, unit_id=unit_id, user_id=user_id)
    except (InvalidInput, Conflict, NotFound) as exc:
        # Nothing was written: show the unit again with the reason beside the member field.
        web.request.state.web_failed = True
        web.session.rollback()
        setattr(web.request.state, ERROR_KEY, exc.detail)
        response = pages_registry.record_page(web, UNITS, unit_id)
        response.status_code = exc.status
        return response


UserField = Annotated[Id, Form()]


@router.post("/registry/escort-units/{unit_id}/members")
def add_member(web: WebDep, unit_id: Id, user_id: UserField) -> Response:
    """Put a user of the unit's force in the unit (its administrators and duty officers; never oneself)."""
    return _change(web, unit_id, unit_members.add_member, "member_added", user_id)


@router.post("/registry/escort-units/{unit_id}/members/{user_id}/remove")
def remove_member(web: WebDep, unit_id: Id, user_id: Id) -> Response:
    """Take a user out of the unit: its itineraries are no longer drawn for them."""
    return _change(web, unit_id, unit_members.remove_member, "member_removed", user_id)
