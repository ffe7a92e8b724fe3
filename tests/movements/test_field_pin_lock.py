"""The field PINs' throttle on SQLite and PostgreSQL: five wrong PINs within fifteen minutes lock a user's PIN
check-ins until the window passes, the duress PIN is taken during the lock (and answered as an ok check-in),
every wrong PIN and every refusal of the lock audited, the duty desk alerted once, counting kept across
concurrent requests. Sequences of every kind and clock steps: test_pin_lock_rule."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.alerts.models import Alert
from outrider.audit.models import AuditRecord
from outrider.errors import InvalidInput, OutriderError, TooManyRequests
from outrider.http import caller_of
from outrider.movements import checkins
from outrider.movements import field_pin_throttle as throttle
from outrider.movements import schemas as s
from outrider.movements.field_pin_models import FieldPinFailure
from outrider.movements.models import CheckIn

RIGHT, DURESS = "1234", "9876"


def _caller(world: Any, who: str = "duty") -> Caller:
    with db.transaction() as session:
        return caller_of(session.get_one(User, world[who].user_id))


def _check_in(caller: Caller, mid: int, pin: str, now: datetime, key: str) -> Any:
    """The status answered, or the refusal (after its transaction rolled back and its evidence was kept)."""
    data = s.CheckInCreate(idempotency_key=key, pin=pin)
    try:
        with db.transaction() as session:
            record, _ = checkins.check_in(session, caller=caller, movement_id=mid, data=data, now=now)
            return record.status
    except OutriderError as error:
        return error


def _audits(action: str) -> list[AuditRecord]:
    with db.transaction() as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def _count(model: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def road(client: TestClient, world: Any) -> tuple[Caller, int, datetime]:
    """Duty (escort member, PINs 1234 / duress 9876) on a movement that departed now; a clock after it."""
    mid = on_the_road(client, world)
    set_pins(client, world, "duty", RIGHT, DURESS)
    return _caller(world), mid, db.utcnow() + timedelta(minutes=1)


def test_five_wrong_pins_lock_until_the_window_passes_and_the_duress_pin_still_works(
    road: tuple[Caller, int, datetime], world: Any
) -> None:
    caller, mid, t0 = road
    for k in range(5):
        wrong = _check_in(caller, mid, "0000", t0 + timedelta(seconds=k), f"w{k}")
        assert isinstance(wrong, InvalidInput) and wrong.code == throttle.WRONG_PIN, wrong
    # locked: the right PIN is refused like any other, with when to come back (the first wrong one + 15 min)
    locked = _check_in(caller, mid, RIGHT, t0 + timedelta(minutes=1), "r1")
    assert isinstance(locked, TooManyRequests) and locked.code == throttle.PIN_LOCKED
    assert locked.retry_after == 14 * 60 and locked.status == 429
    assert isinstance(_check_in(caller, mid, "1111", t0 + timedelta(minutes=2), "w5"), TooManyRequests)
    # the duress PIN is taken during the lock, answered as an ok check-in, stored as duress
    assert _check_in(caller, mid, DURESS, t0 + timedelta(minutes=3), "d1") == "ok"
    with db.transaction() as session:
        stored = session.scalars(select(CheckIn.status).where(CheckIn.movement_id == mid)).all()
    assert stored == ["duress"]
    # refusals during the lock are not counted: it ends 15 minutes after the first wrong PIN
    end = t0 + timedelta(minutes=15)
    assert isinstance(_check_in(caller, mid, RIGHT, end - timedelta(seconds=1), "r2"), TooManyRequests)
    assert _check_in(caller, mid, RIGHT, end, "r3") == "ok"
    assert _count(FieldPinFailure) == 5
    wrong_audits = _audits(throttle.WRONG_AUDIT)
    assert [a.details["locked"] for a in wrong_audits] == [False] * 4 + [True]
    assert {(a.object_type, a.object_id, a.user_id) for a in wrong_audits} == {
        ("user", str(caller.user_id), caller.user_id)
    }
    lock_audits = _audits(throttle.LOCKED_AUDIT)
    assert [a.details.get("began", False) for a in lock_audits] == [True, False, False, False]
    assert not any(p in str(a.details) for a in wrong_audits + lock_audits for p in (RIGHT, DURESS, "0000"))
    with db.transaction() as session:
        [alert] = session.scalars(select(Alert).where(Alert.kind == throttle.LOCK_KIND)).all()
    assert alert.severity == "high" and alert.subject_id == str(mid)
    assert alert.details["user_id"] == caller.user_id and "5 wrong PINs within 15 minutes" in alert.title


def test_concurrent_wrong_pins_are_each_counted(road: tuple[Caller, int, datetime], engine: Engine) -> None:
    """Two workers guessing at once on PostgreSQL (SQLite's write turn serialises every check-in anyway): no
    wrong PIN goes uncounted, and the lock holds once they add up to five."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one write turn at a time")
    caller, mid, t0 = road
    found: list[Any] = []

    def guess(n: int) -> None:
        for k in range(3):
            found.append(_check_in(caller, mid, "0000", t0 + timedelta(seconds=k), f"t{n}-{k}"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 6 and all(isinstance(f, InvalidInput | TooManyRequests) for f in found)
    assert _count(FieldPinFailure) == sum(isinstance(f, InvalidInput) for f in found) >= 5
    assert isinstance(_check_in(caller, mid, RIGHT, t0 + timedelta(seconds=5), "after"), TooManyRequests)
