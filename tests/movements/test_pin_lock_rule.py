"""The field PINs' throttle as properties: over any sequence of right, wrong and duress PINs and clock steps,
never a lock after fewer than five wrong PINs in the window, always one from the fifth, the duress PIN always
taken. The pure rule (`pin_lock`) without a database; the stored throttle (`field_pins.check`: the counting,
the refusals' rollback and evidence) on SQLite, its argon2 verification replaced by a plain comparison so that
many sequences run in a few seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from outrider import db
from outrider.access.policy import Caller
from outrider.errors import InvalidInput, OutriderError, TooManyRequests
from outrider.movements import field_pins
from outrider.movements.field_pin_models import FieldPinFailure
from outrider.movements.pin_lock import PinMatch, Throttle, Verdict, locked_until, retry_after, verdict

RULE = Throttle()  # the defaults: 5 wrong PINs within 15 minutes
BASE = datetime(2026, 3, 1, 22, 50, tzinfo=UTC)  # a fixed clock: the outcome never depends on today
PINS = {"right": "1234", "duress": "9876", "wrong": "0000"}
# wrong PINs most often, in bursts and across the window's edge
KINDS = st.sampled_from(["wrong", "wrong", "wrong", "wrong", "right", "duress"])
STEPS = st.lists(st.tuples(KINDS, st.integers(0, 120) | st.integers(700, 1000)), min_size=5, max_size=20)


def _in_window(counted: list[datetime], now: datetime) -> list[datetime]:
    return [t for t in counted if now - timedelta(minutes=15) < t <= now]


@settings(max_examples=300)
@given(
    offsets=st.lists(st.integers(0, 3600), max_size=12),
    at=st.integers(0, 3600),
    match=st.sampled_from([PinMatch.pin, PinMatch.duress, None]),
)
def test_the_rule_locks_exactly_from_the_fifth_wrong_pin_in_the_window(
    offsets: list[int], at: int, match: PinMatch | None
) -> None:
    failures = [BASE + timedelta(seconds=o) for o in offsets]
    now = BASE + timedelta(seconds=at)
    until = locked_until(failures, now, RULE)
    recent = _in_window(failures, now)
    assert (until is not None) == (len(recent) >= 5)
    if until is not None:
        assert now < until <= now + RULE.window and 1 <= retry_after(until, now) <= 900
        assert locked_until(failures, until, RULE) is None or len(_in_window(failures, until)) >= 5
    found = verdict(match, until is not None)
    if match is PinMatch.duress:
        assert found is Verdict.duress  # locked or not
    elif until is not None:
        assert found is Verdict.locked
    else:
        assert found is (Verdict.accepted if match is PinMatch.pin else Verdict.wrong)


@pytest.fixture
def sqlite_only(migrated_engine: Engine) -> None:
    """The rule is decided in Python (test_field_pin_lock counts on both databases): SQLite alone, skipped
    before anything is built."""
    if migrated_engine.dialect.name == "postgresql":
        pytest.skip("decided in Python, the same on both databases")


@pytest.fixture
def cheap_pins(sqlite_only: None, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Caller:
    """A caller whose PINs are compared plainly (the throttle around them is the real one)."""

    def match(session: Any, user_id: int, given: str) -> PinMatch | None:
        return {PINS["right"]: PinMatch.pin, PINS["duress"]: PinMatch.duress}.get(given)

    monkeypatch.setattr(field_pins, "match", match)
    return Caller(user_id=7, organization_id=1, org_kind="host_security", country="PK", roles=frozenset())


def _check(caller: Caller, given: str, now: datetime) -> PinMatch | OutriderError:
    try:
        with db.transaction() as session:
            return field_pins.check(session, caller, given, now=now, movement_id=None)
    except OutriderError as error:
        return error


LOCKED_AND_BACK = [("wrong", 0)] * 4 + [
    ("right", 30),
    ("wrong", 60),
    ("right", 1),
    ("duress", 1),
    ("right", 839),
]


@settings(max_examples=35, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
@example(steps=LOCKED_AND_BACK)
@example(steps=[*LOCKED_AND_BACK, ("right", 1)])
def test_the_stored_throttle_follows_the_rule(cheap_pins: Caller, steps: list[tuple[str, int]]) -> None:
    with db.transaction() as session:
        session.execute(delete(FieldPinFailure))
    counted: list[
        datetime
    ] = []  # the wrong PINs that were refused as wrong (those refused as locked are not)
    now = BASE
    for kind, seconds in steps:
        now += timedelta(seconds=seconds)
        locked = len(_in_window(counted, now)) >= 5
        found = _check(cheap_pins, PINS[kind], now)
        if kind == "duress":
            assert found is PinMatch.duress
        elif locked:
            assert isinstance(found, TooManyRequests) and found.retry_after is not None
            assert 1 <= found.retry_after <= 900
        elif kind == "right":
            assert found is PinMatch.pin
        else:
            assert isinstance(found, InvalidInput) and found.code == "wrong_pin"
            counted.append(now)
