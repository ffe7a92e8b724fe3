"""Properties of the second factor on a real database: whatever the order of the attempts, each recovery
code signs in once, a TOTP code is accepted at most once, and nothing else passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from outrider import db
from outrider.accounts import factors, totp
from outrider.accounts.models import User
from outrider.errors import Unauthorized

START = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _ignore(**_: Any) -> None:
    return None


def _enrolled(username: str) -> tuple[int, bytes, list[str]]:
    with db.transaction() as session:
        user = session.get_one(User, _user_id(session, username))
        enrolment = factors.start_enrolment(session, user=user, record=_ignore)
        key = totp.from_base32(enrolment.secret)
        code = totp.totp(key, (START - timedelta(minutes=10)).timestamp())
        codes = factors.confirm_enrolment(
            session, user=user, code=code, now=START - timedelta(minutes=10), record=_ignore
        )
        return user.id, key, codes


def _user_id(session: Any, username: str) -> int:
    found = session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return int(found)


def _attempt(user_id: int, code: str, now: datetime) -> bool:
    try:
        with db.transaction() as session:
            user = session.get_one(User, user_id)
            factors.verify(session, user=user, code=code, now=now, record=_ignore)
        return True
    except Unauthorized:
        return False


_N = iter(range(10**6))


@pytest.fixture
def fresh_user(world: Any) -> Any:
    def make() -> str:
        name = f"prop{next(_N)}"
        with db.transaction() as session:
            session.add(
                User(
                    username=name,
                    organization_id=world.orgs["acme"],
                    roles=["coordinator"],
                    password_hash="x",
                    is_active=True,
                    created_at=START,
                )
            )
        return name

    return make


@SETTINGS
@given(order=st.lists(st.integers(min_value=0, max_value=11), min_size=1, max_size=14))
def test_each_recovery_code_signs_in_once(engine: Engine, fresh_user: Any, order: list[int]) -> None:
    user_id, _key, codes = _enrolled(fresh_user())
    used: set[int] = set()
    for i in order:
        code = codes[i] if i < len(codes) else "ZZZZZ-ZZZZZ"  # 10 and 11: not a code of this user
        accepted = _attempt(user_id, code, START)
        assert accepted == (i < len(codes) and i not in used), (i, used)
        if accepted:
            used.add(i)


@SETTINGS
@given(offsets=st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=6))
def test_a_totp_code_is_accepted_at_most_once_and_only_near_now(
    engine: Engine, fresh_user: Any, offsets: list[int]
) -> None:
    user_id, key, _codes = _enrolled(fresh_user())
    now = START.timestamp()
    step = totp.step_of(now)
    accepted_steps: list[int] = []
    for offset in offsets:
        code = totp.hotp(key, step + offset)
        if _attempt(user_id, code, START):
            accepted_steps.append(step + offset)
            assert abs(offset) <= 1
    assert len(set(accepted_steps)) == len(accepted_steps)  # never twice
    assert accepted_steps == sorted(accepted_steps)  # only a later step than the last one accepted
