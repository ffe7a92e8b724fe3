"""Who is on duty, the pure core: around every shift change, across midnight, one-off stand-ins winning over
the weekly pattern, in zones with and without summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.notify.rosters import BACKUP, PRIMARY, ShiftRule, local_instant, on_duty, weekly_interval

ZONES = ["UTC", "Asia/Karachi", "Europe/London", "America/New_York", "Australia/Lord_Howe"]
SECOND = timedelta(seconds=1)

weekly_st = st.builds(
    ShiftRule,
    user_id=st.integers(1, 5),
    rank=st.sampled_from([PRIMARY, BACKUP]),
    weekdays=st.frozensets(st.integers(1, 7), min_size=1),
    start=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    end=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
day_st = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=150, deadline=None)
@given(weekly_st, day_st, st.sampled_from(ZONES))
def test_a_weekly_shift_is_on_from_its_start_to_its_end_and_off_either_side(
    shift: ShiftRule, day: date, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    if day.isoweekday() not in shift.weekdays:
        day += timedelta(days=(min(shift.weekdays) - day.isoweekday()) % 7)
    assert shift.start is not None and shift.end is not None
    begin = local_instant(day, shift.start, zone)
    end = local_instant(day if shift.end > shift.start else day + timedelta(days=1), shift.end, zone)
    if end <= begin:  # a wall-clock interval the summer-time change swallowed: nothing to check
        return
    for at in (begin, end - SECOND, begin + (end - begin) / 2):
        found = on_duty([shift], at, zone)
        assert [p.user_id for p in found] == [shift.user_id], at
        assert found[0].until == end and found[0].rank == shift.rank
    for at in (begin - SECOND, end):
        interval = weekly_interval(shift, at, zone)
        # off just outside, unless the next (or previous) day's shift of the same pattern covers it
        assert interval is None or interval != (begin, end)


@settings(max_examples=100, deadline=None)
@given(st.lists(weekly_st, max_size=6), day_st, st.integers(0, 24 * 60 - 1), st.sampled_from(ZONES))
def test_primaries_come_first_and_nobody_twice(
    shifts: list[ShiftRule], day: date, minute: int, zone_name: str
) -> None:
    at = datetime.combine(day, time(), tzinfo=UTC) + timedelta(minutes=minute)
    found = on_duty(shifts, at, zone_name)
    ranks = [p.rank for p in found]
    assert ranks == sorted(ranks, key=[PRIMARY, BACKUP].index)
    assert len({p.user_id for p in found}) == len(found)
    assert all(p.until > at for p in found)


@given(day_st, st.integers(0, 24 * 60 - 1))
def test_a_one_off_primary_wins_over_the_weekly_primaries_but_not_the_backups(day: date, minute: int) -> None:
    at = datetime.combine(day, time(), tzinfo=UTC) + timedelta(minutes=minute)
    always = ShiftRule(1, PRIMARY, frozenset(range(1, 8)), time(0, 0), time(0, 0))
    backup = ShiftRule(2, BACKUP, frozenset(range(1, 8)), time(0, 0), time(0, 0))
    stand_in = ShiftRule(3, PRIMARY, starts_at=at - timedelta(minutes=5), ends_at=at + timedelta(minutes=5))
    found = on_duty([always, backup, stand_in], at, "Asia/Karachi")
    assert [(p.user_id, p.override) for p in found] == [(3, True), (2, False)]
    later = on_duty([always, backup, stand_in], at + timedelta(minutes=5), "Asia/Karachi")
    assert [p.user_id for p in later] == [1, 2]


def test_a_night_shift_crosses_midnight_in_a_zone_without_summer_time() -> None:
    night = ShiftRule(7, PRIMARY, frozenset({5}), time(22, 0), time(6, 0))  # Fridays 22:00 to Saturday 06:00
    karachi = ZoneInfo("Asia/Karachi")  # UTC+5 all year
    friday = datetime(2026, 12, 4, 22, 0, tzinfo=karachi)
    assert [p.user_id for p in on_duty([night], friday, karachi)] == [7]
    assert on_duty([night], friday - SECOND, karachi) == []
    saturday_morning = datetime(2026, 12, 5, 5, 59, 59, tzinfo=karachi)
    assert [p.until for p in on_duty([night], saturday_morning, karachi)] == [saturday_morning + SECOND]
    assert on_duty([night], saturday_morning + SECOND, karachi) == []


def test_summer_time_repeated_and_skipped_hours_are_read_as_documented() -> None:
    london = ZoneInfo("Europe/London")
    # 25 October 2026: 01:00-02:00 happens twice. A shift ending at 01:30 ends at the first 01:30.
    night = ShiftRule(1, PRIMARY, frozenset({6}), time(22, 0), time(1, 30))
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, the first occurrence
    assert on_duty([night], first - SECOND, london) != []
    assert on_duty([night], first, london) == []
    assert on_duty([night], first + timedelta(hours=1), london) == []  # the second 01:30 stays off
    # 29 March 2026: 01:00-02:00 is skipped. A shift starting at 01:30 starts at 02:30 BST (01:30 UTC).
    early = ShiftRule(2, PRIMARY, frozenset({7}), time(1, 30), time(9, 0))
    assert local_instant(date(2026, 3, 29), time(1, 30), london) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert on_duty([early], datetime(2026, 3, 29, 1, 29, tzinfo=UTC), london) == []
    assert on_duty([early], datetime(2026, 3, 29, 1, 30, tzinfo=UTC), london) != []


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        on_duty([], datetime(2026, 1, 1), "UTC")
