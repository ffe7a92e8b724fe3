"""Who a bearer token speaks for, in one statement: the lookup every signed-in API request makes.

`service.user_for_token` loads the token, its web session and the user with the organisation as ORM objects
(three statements, most of their cost the ORM's); a request that needs the caller alone (nearly all) reads
the same rows as plain columns in one statement here. Nothing is cached: a token revoked, a session
signed out, a user deactivated or a role changed counts from the next request on, as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, aliased

from outrider.access.policy import Caller
from outrider.accounts import passwords
from outrider.accounts.models import ApiToken, Organization, User
from outrider.accounts.service import TOKEN_USE_PRECISION
from outrider.errors import Unauthorized

_web_session = aliased(ApiToken)
_LOOKUP = (
    select(
        ApiToken.id,
        ApiToken.expires_at,
        ApiToken.revoked_at,
        ApiToken.last_used_at,
        ApiToken.session_id,
        _web_session.expires_at.label("session_expires_at"),
        _web_session.revoked_at.label("session_revoked_at"),
        User.id.label("user_id"),
        User.is_active,
        User.roles,
        User.organization_id,
        Organization.kind,
        Organization.country,
    )
    .join(User, User.id == ApiToken.user_id)
    .join(Organization, Organization.id == User.organization_id)
    .outerjoin(_web_session, _web_session.id == ApiToken.session_id)
    .where(ApiToken.token_hash == bindparam("digest"))
)
_USED = update(ApiToken).where(ApiToken.id == bindparam("token_id")).values(last_used_at=bindparam("now"))


def caller_for_token(
    session: Session, *, token: str, now: datetime, channel: str = "api", request_id: str = ""
) -> Caller:
    """The caller an active user's live bearer token speaks for (its web session live too), or Unauthorized;
    its last use is written to the minute, as `service.user_for_token` does."""
    # On the transaction's connection (the request's first statement: the session holds nothing to flush):
    # plain rows of columns need none of the ORM's execution around them.
    connection = session.connection()
    row = connection.execute(_LOOKUP, {"digest": passwords.token_digest(token)}).first()
    if row is None or not _live(row, now):
        raise Unauthorized("invalid, expired or revoked token")
    # to the minute: a read must not become a write (on SQLite, a wait for the write turn) on every request
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_PRECISION:
        connection.execute(_USED, {"token_id": row.id, "now": now})
    return Caller(
        user_id=row.user_id,
        organization_id=row.organization_id,
        org_kind=row.kind,
        country=row.country,
        roles=frozenset(row.roles),
        channel=channel,
        request_id=request_id,
    )


def _live(row: Any, now: datetime) -> bool:
    if not row.is_active or row.revoked_at is not None or row.expires_at <= now:
        return False
    if row.session_id is None or row.session_expires_at is None:
        return True  # no web session (as `service.user_for_token`: one that is gone took its tokens along)
    # a token minted through a web session ends with it
    return row.session_revoked_at is None and row.session_expires_at > now
