"""The one-statement caller lookup (`accounts.bearer`) answers as the user lookup does, in every state of a
token, its web session and its user: revocation, sign-out, deactivation and role changes count at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from outrider.accounts import bearer
from outrider.accounts import service as accounts_service
from outrider.accounts.models import ApiToken, User
from outrider.accounts.schemas import TokenCreate
from outrider.errors import Unauthorized
from outrider.http import caller_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _both(session: Session, token: str, now: datetime) -> tuple[Any, Any]:
    """What each lookup answers: the caller, or "refused"."""
    try:
        old: Any = caller_of(accounts_service.user_for_token(session, token=token, now=now))
    except Unauthorized:
        old = "refused"
    try:
        new: Any = bearer.caller_for_token(session, token=token, now=now)
    except Unauthorized:
        new = "refused"
    return old, new


@pytest.mark.parametrize(
    "change",
    ["none", "revoked", "expired", "session_signed_out", "session_expired", "inactive", "roles", "unknown"],
)
def test_the_caller_lookup_answers_as_the_user_lookup(engine: Engine, world: Any, change: str) -> None:
    with Session(engine) as session:
        user = session.get_one(User, world["duty"].user_id)
        web, _ = accounts_service.issue_token(
            session, user=user, data=TokenCreate(name="web"), now=NOW, web_session=True
        )
        record, token = accounts_service.issue_token(session, user=user, data=TokenCreate(name="t"), now=NOW)
        record.session_id = web.id
        later = NOW + timedelta(hours=1)
        if change == "revoked":
            record.revoked_at = NOW
        elif change == "expired":
            later = record.expires_at + timedelta(seconds=1)
            web.expires_at = later + timedelta(days=1)
        elif change == "session_signed_out":
            web.revoked_at = NOW
        elif change == "session_expired":
            web.expires_at = NOW
        elif change == "inactive":
            user.is_active = False
        elif change == "roles":
            user.roles = ["auditor"]
        elif change == "unknown":
            token += "x"
        session.flush()
        old, new = _both(session, token, later)
        assert new == old
        assert (new == "refused") == (change not in ("none", "roles"))
        if change == "roles":
            assert new.roles == frozenset({"auditor"})
        session.rollback()


def test_a_token_s_last_use_is_kept_to_the_minute(engine: Engine, world: Any) -> None:
    with Session(engine) as session:
        user = session.get_one(User, world["duty"].user_id)
        record, token = accounts_service.issue_token(session, user=user, data=TokenCreate(), now=NOW)
        session.flush()
        for at, expected in (
            (NOW, NOW),
            (NOW + timedelta(seconds=30), NOW),
            (NOW + timedelta(minutes=1), None),
        ):
            bearer.caller_for_token(session, token=token, now=at)
            session.expire(record)
            assert session.get_one(ApiToken, record.id).last_used_at == (expected or at)
        session.rollback()
