"""Keys of the CAP feed: an organisation's administrators create, list and revoke them (each change
audited); a key reads the organisation's alerts at ``/api/v1/alerts/cap.atom?key=...`` without a session.

A key is shown once; the table keeps its keyed digest (as API tokens), its first characters to tell keys
apart, and when it was last used. A key reads as its organisation (`access.policy.FEED_KEY_ROLE`): the
alerts its readers see, and never an itinerary fact; less any alert hidden from the key's creator (a silent
duress they signalled), as their own session is, since they hold the key. The key's caller carries its
creator's user id for that rule alone: the feed reads nothing else by user.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts import passwords
from outrider.accounts import service as accounts_service
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from outrider.notify.models import FeedKey

FEED_PATH = "/api/v1/alerts/cap.atom"
KEY_PREFIX = "ofk_"  # an Outrider feed key; a public marker, not a secret
NAME_MAX = 120
USE_PRECISION = timedelta(minutes=1)  # how fresh last_used_at is kept: a read is not a write every time
REFUSED = "invalid or revoked feed key"


class FeedKeyRead(BaseModel):
    """A feed key as listed (never its value)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    prefix: str
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


def _organization(caller: Caller, organization_id: int | None) -> int:
    org = organization_id if organization_id is not None else caller.organization_id
    if not policy.may_manage_feed_keys(caller, organization_id=org):
        raise Forbidden("an organisation's administrators manage the keys of its CAP feed")
    return org


def _audit(session: Session, caller: Caller, action: str, row: FeedKey, now: datetime) -> None:
    details: dict[str, Any] = {"organization_id": row.organization_id, "name": row.name, "prefix": row.prefix}
    audit_service.record(
        session,
        actor=caller,
        action=action,
        object_type="feed_key",
        object_id=row.id,
        details=details,
        now=now,
    )


def create_key(
    session: Session, *, caller: Caller, name: str, now: datetime, organization_id: int | None = None
) -> tuple[FeedKey, str]:
    """A new key of the caller's organisation (its administrators only); returns the row and the key,
    shown this once."""
    org = _organization(caller, organization_id)
    label = " ".join(name.split())
    if not label or len(label) > NAME_MAX:
        raise InvalidInput(
            "a feed key needs a name", errors=[{"loc": ["name"], "msg": f"1 to {NAME_MAX} characters"}]
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = FeedKey(
        organization_id=org,
        name=label,
        key_hash=passwords.token_digest(key),
        prefix=key[:10],
        created_by=caller.user_id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    _audit(session, caller, "notify.feed_key.create", row, now)
    return row, key


def list_keys(session: Session, *, caller: Caller, organization_id: int | None = None) -> list[FeedKey]:
    """The keys of the caller's organisation, revoked ones too (metadata only)."""
    org = _organization(caller, organization_id)
    stmt = select(FeedKey).where(FeedKey.organization_id == org).order_by(FeedKey.id)
    return list(session.scalars(stmt))


def revoke_key(session: Session, *, caller: Caller, key_id: int, now: datetime) -> FeedKey:
    """Revoke a key of the caller's organisation at once (another organisation's answers 404)."""
    row = session.get(FeedKey, key_id)
    if row is None or not policy.may_manage_feed_keys(caller, organization_id=row.organization_id):
        if row is not None and row.organization_id == caller.organization_id:
            raise Forbidden("an organisation's administrators manage the keys of its CAP feed")
        raise NotFound(f"feed key {key_id} not found")
    if row.revoked_at is not None:
        raise Conflict(f"feed key {key_id} was already revoked at {row.revoked_at.isoformat()}")
    row.revoked_at = now
    session.flush()
    _audit(session, caller, "notify.feed_key.revoke", row, now)
    return row


def reader(session: Session, *, key: str, now: datetime) -> Caller:
    """The principal a presented key reads as (its organisation, with its creator's id: see above);
    Unauthorized when unknown, revoked or its organisation gone."""
    if not key.startswith(KEY_PREFIX):
        raise Unauthorized(REFUSED)
    row = session.scalar(select(FeedKey).where(FeedKey.key_hash == passwords.token_digest(key)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized(REFUSED)
    try:
        org = accounts_service.get_organization(session, org_id=row.organization_id)
    except NotFound:
        raise Unauthorized(REFUSED) from None
    if row.last_used_at is None or now - row.last_used_at >= USE_PRECISION:
        row.last_used_at = now
    # the organisation's alerts, but never one hidden from the key's creator (a silent duress they signalled):
    # a key is as much in its creator's hands as their session (`alerts.service.hidden_from`)
    return Caller(
        user_id=row.created_by or 0,
        organization_id=org.id,
        org_kind=org.kind,
        country=org.country,
        roles=frozenset({policy.FEED_KEY_ROLE}),
        channel="feed",
    )
