"""Late check-ins (the pure core): which overdue episodes a check-in made earlier and received later
supersedes, under any interleaving of device times, arrival times and overdue scans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.movements import late
from outrider.movements.late import Episode, Report, recorded_time, superseded, supersedes
from outrider.movements.overdue import Step, Watched, scan

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
INTERVAL, GRACE = 15, timedelta(minutes=10)
KEEPS = timedelta(minutes=INTERVAL) + GRACE
STEPS = (Step(0, 1),)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_checkin_made_before_the_episode_and_received_after_supersedes_it() -> None:
    episode = Episode(1, start=at(25), detected_at=at(26), reason=late.MISSED_CHECKIN)
    assert supersedes(episode, Report(at(12), at(30)), keeps_for=KEEPS)
    # made after the start: the movement was silent then
    assert not supersedes(episode, Report(at(27), at(30)), keeps_for=KEEPS)
    # received before the scan found it: the scan would have seen it (no episode to supersede)
    assert not supersedes(episode, Report(at(12), at(25.5)), keeps_for=KEEPS)
    # made so long before that it would not have kept the movement in time either
    assert not supersedes(episode, Report(at(-1), at(30)), keeps_for=KEEPS)
    # marked already, a late arrival, or no check-in interval: nothing
    assert not supersedes(
        Episode(1, at(25), at(26), late.MISSED_CHECKIN, True), Report(at(12), at(30)), keeps_for=KEEPS
    )
    assert not supersedes(Episode(1, at(25), at(26), "not_arrived"), Report(at(12), at(30)), keeps_for=KEEPS)
    assert not supersedes(episode, Report(at(12), at(30)), keeps_for=None)


def test_a_device_clock_ahead_of_the_server_is_clamped_and_flagged() -> None:
    assert recorded_time(None, at(10)) == (at(10), False)
    assert recorded_time(at(9), at(10)) == (at(9), False)
    assert recorded_time(at(14), at(10)) == (at(14), False)  # within the tolerance: believed
    assert recorded_time(at(16), at(10)) == (at(10), True)


# --- a movement simulated under random interleavings --------------------------------------------------


@dataclass
class Sim:
    """A movement on the road: the overdue scan (the real one) and late check-ins as they arrive."""

    last: datetime | None = None
    overdue: bool = False
    since: datetime | None = None
    level: int = 0
    episodes: list[Episode] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)  # (episode, check-in)

    def tick(self, now: datetime) -> None:
        w = Watched(1, self.overdue, T0, at(600), INTERVAL, self.last, self.since, self.level)
        for f in scan([w], now=now, grace=GRACE, steps=STEPS):
            if f.newly_overdue:
                self.overdue, self.since = True, f.overdue_since
                self.episodes.append(Episode(len(self.episodes) + 1, f.overdue_since, now, f.reason.value))
            self.level = f.level

    def receive(self, checkin_id: int, report: Report) -> None:
        for eid in superseded(self.episodes, report, keeps_for=KEEPS):
            self.marks.append((eid, checkin_id))
            self.episodes = [
                Episode(e.id, e.start, e.detected_at, e.reason, True) if e.id == eid else e
                for e in self.episodes
            ]
        self.last = report.made_at if self.last is None else max(self.last, report.made_at)
        self.overdue, self.since, self.level = False, None, 0


reports = st.lists(
    st.tuples(st.integers(0, 240), st.integers(0, 120)), min_size=1, max_size=8
)  # (made at minute, delay in minutes)
scans = st.lists(st.integers(1, 400), min_size=1, max_size=12)


def _run(made_delays: list[tuple[int, int]], scan_minutes: list[int]) -> Sim:
    events: list[tuple[datetime, int, int]] = [(at(m), 0, k) for k, m in enumerate(scan_minutes)]
    events += [(at(m + d), 1, k) for k, (m, d) in enumerate(made_delays)]
    sim = Sim()
    for when, kind, k in sorted(events):
        if kind == 0:
            sim.tick(when)
        else:
            made, delay = made_delays[k]
            sim.receive(k, Report(at(made), at(made + delay)))
    return sim


def _oracle(sim: Sim, made_delays: list[tuple[int, int]]) -> set[int]:
    """The episodes some check-in supersedes, judged one pair at a time."""
    fresh = [Episode(e.id, e.start, e.detected_at, e.reason) for e in sim.episodes]
    return {
        e.id
        for e in fresh
        for m, d in made_delays
        if supersedes(e, Report(at(m), at(m + d)), keeps_for=KEEPS)
    }


@settings(max_examples=300, deadline=None)
@given(reports, scans)
def test_no_episode_is_lost_or_counted_twice(
    made_delays: list[tuple[int, int]], scan_minutes: list[int]
) -> None:
    sim = _run(made_delays, scan_minutes)
    marked = [eid for eid, _ in sim.marks]
    assert len(marked) == len(set(marked))  # none double-counted
    assert {e.id for e in sim.episodes} == set(range(1, len(sim.episodes) + 1))  # none lost
    assert {e.id for e in sim.episodes if e.superseded} == set(marked)
    assert set(marked) == _oracle(sim, made_delays)
    for eid, k in sim.marks:  # every mark is a check-in made before its episode began, received after
        episode = next(e for e in sim.episodes if e.id == eid)
        made, delay = made_delays[k]
        assert at(made) < episode.start <= at(made + delay)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_the_marks_do_not_depend_on_the_order_late_checkins_arrive_in(made: list[int], rnd: object) -> None:
    # A movement silent long enough for episodes to be found, then late check-ins all arriving after.
    episodes = [Episode(k + 1, at(25 + 30 * k), at(26 + 30 * k), late.MISSED_CHECKIN) for k in range(3)]
    arrival = at(200)
    orders = [list(made), list(reversed(made)), sorted(made)]
    shuffled = list(made)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    orders.append(shuffled)
    results = []
    for order in orders:
        state = list(episodes)
        marked: set[int] = set()
        for m in order:
            ids = superseded(state, Report(at(m), arrival), keeps_for=KEEPS)
            assert not marked & set(ids)
            marked |= set(ids)
            state = [Episode(e.id, e.start, e.detected_at, e.reason, e.id in marked) for e in state]
        results.append(marked)
    assert all(r == results[0] for r in results)
