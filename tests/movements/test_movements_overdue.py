"""The overdue scan: missed check-ins, late arrivals, and escalation without repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from outrider.movements.overdue import Reason, Step, Watched, next_due, scan

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 06:30 in Karachi
STEPS = (Step(0, 1), Step(15, 2), Step(30, 3))
GRACE = timedelta(minutes=10)


def watched(**kw: object) -> Watched:
    base: dict[str, object] = {
        "movement_id": 1,
        "overdue": False,
        "departed_at": T0,
        "planned_arrival": T0 + timedelta(hours=4),
        "checkin_interval_min": 30,
        "last_checkin_at": None,
        "overdue_since": None,
        "escalation_level": 0,
    }
    base.update(kw)
    return Watched(**base)  # type: ignore[arg-type]


def test_on_time_movement_is_not_overdue() -> None:
    assert list(scan([watched()], now=T0 + timedelta(minutes=39), grace=GRACE, steps=STEPS)) == []


def test_missed_checkin_is_overdue_after_grace() -> None:
    [f] = scan([watched()], now=T0 + timedelta(minutes=41), grace=GRACE, steps=STEPS)
    assert f.reason is Reason.missed_checkin and f.newly_overdue and f.level == 1
    assert f.due_at == T0 + timedelta(minutes=30)


def test_a_checkin_moves_the_deadline() -> None:
    w = watched(last_checkin_at=T0 + timedelta(minutes=25))
    assert list(scan([w], now=T0 + timedelta(minutes=60), grace=GRACE, steps=STEPS)) == []
    assert next_due(w)[0] == T0 + timedelta(minutes=55)


def test_late_arrival_without_checkin_plan() -> None:
    w = watched(checkin_interval_min=None)
    [f] = scan([w], now=T0 + timedelta(hours=4, minutes=11), grace=GRACE, steps=STEPS)
    assert f.reason is Reason.not_arrived


def test_escalation_levels_rise_once_each() -> None:
    since = T0 + timedelta(minutes=40)
    w = watched(overdue=True, overdue_since=since, escalation_level=1)
    assert list(scan([w], now=since + timedelta(minutes=14), grace=GRACE, steps=STEPS)) == []
    [f] = scan([w], now=since + timedelta(minutes=16), grace=GRACE, steps=STEPS)
    assert (f.level, f.newly_overdue) == (2, False)
    w3 = watched(overdue=True, overdue_since=since, escalation_level=3)
    assert list(scan([w3], now=since + timedelta(hours=5), grace=GRACE, steps=STEPS)) == []


@given(
    minutes=st.integers(0, 600),
    interval=st.none() | st.integers(5, 120),
    last=st.none() | st.integers(0, 300),
)
def test_scan_agrees_with_next_due(minutes: int, interval: int | None, last: int | None) -> None:
    w = watched(
        checkin_interval_min=interval, last_checkin_at=None if last is None else T0 + timedelta(minutes=last)
    )
    now = T0 + timedelta(minutes=minutes)
    found = list(scan([w], now=now, grace=GRACE, steps=STEPS))
    due, _ = next_due(w)
    assert bool(found) == (now > due + GRACE)
