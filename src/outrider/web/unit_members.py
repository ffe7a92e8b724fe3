"""The members panel of an escort unit's registry page (the routes that change it: `pages_unit_members`)."""

from __future__ import annotations

from typing import Any

from outrider.access.policy import RecordKind, may_write
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.registry import members as unit_members
from outrider.registry.models import EscortUnit
from outrider.web.context import Web

ERROR_KEY = "unit_member_error"  # a refused change's reason, shown beside the member field


def panel(web: Web, unit: EscortUnit) -> dict[str, Any]:
    """The members of a unit with since when, and for its writers the users who may be added."""
    rows = unit_members.list_members(web.session, caller=web.caller, unit_id=unit.id)
    members = [(web.session.get_one(User, m.user_id), m.added_at) for m in rows]
    manage = may_write(web.caller, RecordKind.unit, owner_organization_id=unit.organization_id)
    taken = {m.user_id for m in rows} | {web.caller.user_id}
    candidates = (
        [
            u
            for u in accounts_service.list_users(web.session, organization_id=unit.organization_id)
            if u.is_active and u.id not in taken
        ]
        if manage
        else []
    )
    error = getattr(web.request.state, ERROR_KEY, "")
    return {"rows": members, "manage": manage, "candidates": candidates, "error": error}
