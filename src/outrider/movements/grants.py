"""Need-to-know grants: a planner adds a user to a movement's list (a reason, an expiry) or withdraws one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from outrider.access.need_to_know import may_manage_grants
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.errors import Forbidden, InvalidInput, NotFound
from outrider.movements import service
from outrider.movements.models import MovementGrant
from outrider.movements.need_to_know_schemas import GrantCreate


def grant(
    session: Session, *, caller: Caller, movement_id: int, data: GrantCreate, now: datetime
) -> MovementGrant:
    """Add a user to the need-to-know list (planners only), with a reason and an expiry."""
    movement = service.get_movement(session, caller=caller, movement_id=movement_id)
    if not may_manage_grants(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("only the movement's planners grant need-to-know access")
    if data.expires_at <= now:
        raise InvalidInput(
            "a grant must expire in the future", errors=[{"loc": ["body", "expires_at"], "msg": "past"}]
        )
    if session.get(User, data.user_id) is None:
        raise InvalidInput(
            f"user {data.user_id} not found", errors=[{"loc": ["body", "user_id"], "msg": "unknown"}]
        )
    row = MovementGrant(
        movement_id=movement.id,
        user_id=data.user_id,
        reason=data.reason,
        granted_by=caller.user_id,
        granted_at=now,
        expires_at=data.expires_at,
    )
    session.add(row)
    session.flush()
    service.event(
        session,
        movement,
        "grant",
        caller=caller,
        now=now,
        user_id=data.user_id,
        grant_id=row.id,
        expires_at=data.expires_at.isoformat(),
        reason=data.reason,
    )
    return row


def revoke(
    session: Session, *, caller: Caller, movement_id: int, grant_id: int, now: datetime
) -> MovementGrant:
    """Withdraw a grant at once."""
    movement = service.get_movement(session, caller=caller, movement_id=movement_id)
    if not may_manage_grants(caller, requesting_org_id=movement.organization_id):
        raise Forbidden("only the movement's planners revoke need-to-know access")
    row = session.get(MovementGrant, grant_id)
    if row is None or row.movement_id != movement.id:
        raise NotFound(f"grant {grant_id} not found")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = now, caller.user_id
        service.event(
            session, movement, "revoke", caller=caller, now=now, user_id=row.user_id, grant_id=row.id
        )
    session.flush()
    return row
