"""The compiled monitor raises exactly the reference monitor's alerts, event by event, and stays bounded.

Random streams (hypothesis) mix sightings by zone id and by position (inside several zones at once,
inside none), unknown zones, cleared and refused inspections, equal instants, other time zones, gaps
that end episodes and let state expire, and arrival out of order within and beyond the lateness. Each
push must return the same alerts (kind, plate, zone, time, evidence) from both monitors, with the same
counters and state size; snapshots taken by either monitor resume in either, also when zones changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from outrider.cordon import detectors, kernel_layout
from outrider.cordon.codes import Coded
from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert, CordonMonitor
from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.zones import Zone, ZoneIndex

T0 = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # streams cross midnight
KARACHI = timezone(timedelta(hours=5))


def _zones(with_corridor: bool = True) -> list[Zone]:
    zones = [
        Zone("site:A:inner", "inner", "site:A", box(0, 0, 1, 1), "A", checkpoints=frozenset({"A-gate"})),
        Zone(
            "site:A:outer",
            "outer",
            "site:A",
            box(-1, -1, 2, 2),
            "A",
            dwell_threshold_s=1200,
            checkpoints=frozenset({"A-gate"}),
            movements_due=(T0 + timedelta(minutes=50), T0 + timedelta(hours=30)),
        ),
        Zone("site:B:outer", "outer", "site:B", box(10, 0, 12, 2), "B", dwell_threshold_s=600),
        Zone("site:C:outer", "outer", "site:C", box(20, 0, 22, 2), "C", dwell_threshold_s=1500),
        Zone("free:outer", "outer", "free", box(30, 0, 31, 1), None, dwell_threshold_s=900),
        # A second record of site A (the same centre): one place for reconnaissance unless told otherwise.
        Zone("site:A2:outer", "outer", "site:A2", box(0.49, 0.49, 0.51, 0.51), "A2", dwell_threshold_s=600),
    ]
    if with_corridor:  # movements between A and B (now) and between B and C (in two days)
        window = (T0 - timedelta(hours=1), T0 + timedelta(hours=4))
        zones.append(
            Zone(
                "movement:7:corridor",
                "corridor",
                "movement:7",
                box(1.5, 0.5, 11, 1.5),
                window=window,
                ends=("site:A", "site:B"),
            )
        )
        later = (T0 + timedelta(hours=50), T0 + timedelta(hours=60))
        zones.append(
            Zone(
                "movement:8:corridor",
                "corridor",
                "movement:8",
                box(12, 0.5, 20, 1.5),
                window=later,
                ends=("site:B", "site:C"),
            )
        )
    return zones


ZONES = ZoneIndex(_zones())
FEWER = ZoneIndex(_zones(with_corridor=False))  # the movement ended: its corridor is gone
ZONE_IDS = [z.id for z in ZONES.zones] + ["site:Z:outer"]  # the last one does not exist
POINTS = [
    (0.5, 0.5),
    (-0.5, -0.5),
    (1.7, 1.0),
    (5.0, 1.0),
    (10.5, 1.0),
    (15.0, 1.0),
    (21.0, 1.0),
    (50.0, 50.0),
]
PLATES = ["CAR1", "CAR2", "VAN3", "TAXI4", "BUS5"]
SITES = ["A", "A2", "B", "C", "X"]
STEPS = [0, 0, 30, 60, 120, 300, 420, 600, 1000, 4000, 20 * 3600, 80 * 3600]
DENSE = [0, 30, 60, 60, 120, 120, 180, 1000, 6 * 3600]


@st.composite
def streams(draw: st.DrawFn) -> list[Event]:
    """Events in arrival order: time order shuffled by up to ``jitter`` seconds."""
    n = draw(st.integers(1, 90))
    jitter = draw(st.sampled_from([0, 60, 400]))
    # Narrow streams (two plates, two zones) make the same plate meet the same zone at boundaries.
    narrow = draw(st.booleans())
    # Dense streams (a camera every minute or two) keep vehicles long enough for live dwell alerts' updates.
    steps = DENSE if draw(st.booleans()) else STEPS
    plates, zone_ids = (PLATES[:2], ZONE_IDS[1:3]) if narrow else (PLATES, ZONE_IDS)
    t = 0.0
    keyed: list[tuple[float, int, Event]] = []
    for i in range(n):
        t += draw(st.sampled_from(steps))
        at = T0 + timedelta(seconds=t + draw(st.sampled_from([0.0, 0.0, 0.5, 0.000001])))
        if draw(st.booleans()):
            at = at.astimezone(KARACHI)
        plate = draw(st.sampled_from(plates))
        kind = draw(st.sampled_from(["zone", "zone", "zone", "position", "position", "inspection"]))
        event: Event
        if kind == "zone":
            event = Sighting(plate, at, "camera", draw(st.sampled_from(zone_ids)))
        elif kind == "position":
            x, y = draw(st.sampled_from(POINTS))
            event = Sighting(plate, at, "patrol", None, y, x)
        else:
            result = draw(st.sampled_from(["cleared", "cleared", "refused", "detained"]))
            event = Inspection(plate, at, "gate", draw(st.sampled_from(SITES)), result)
        keyed.append((t + draw(st.integers(0, jitter)), i, event))
    return [e for _, _, e in sorted(keyed, key=lambda x: (x[0], x[1]))]


configs = st.builds(
    Config,
    lateness_s=st.sampled_from([0, 60, 300]),
    presence_gap_s=st.sampled_from([300, 900]),
    pre_clear_s=st.sampled_from([0, 1800]),
    due_window_s=st.just(3600),
    recon_places=st.sampled_from([2, 3]),
    recon_window_s=st.sampled_from([2 * 3600, 72 * 3600]),
    loiter_sightings=st.sampled_from([2, 3]),
    dwell_update_s=st.sampled_from([0, 120, 300, 600]),
    due_high_s=st.sampled_from([0, 7200, 40 * 3600]),
    dwell_base_severity=st.sampled_from(["high", "warning", "info"]),
    recon_route_ends=st.booleans(),
    recon_route_sites=st.booleans(),
    recon_same_place_m=st.sampled_from([0.0, 1000.0]),
)


@contextmanager
def expiring_every(events: int) -> Iterator[None]:
    """Both monitors expire their state after this many released events (50,000 in production)."""
    with mock.patch.object(detectors, "_EXPIRE_EVERY", events):
        yield


def as_json(alerts: list[CordonAlert]) -> list[dict[str, Any]]:
    return [a.to_json() for a in alerts]


def through_json(snapshot: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(snapshot)))


def _counters(m: CordonMonitor | CompiledMonitor) -> tuple[int, int, int, int]:
    return m.late, m.unknown_zone, m.processed, m.state_size()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=streams(), config=configs, every=st.sampled_from([1, 4, 50_000]))
def test_each_push_raises_the_same_alerts(events: list[Event], config: Config, every: int) -> None:
    with expiring_every(every):
        ref, fast = CordonMonitor(ZONES, config), CompiledMonitor(ZONES, config)
        for event in events:
            assert as_json(fast.push(event)) == as_json(ref.push(event))
            assert _counters(fast) == _counters(ref)
        assert as_json(fast.flush()) == as_json(ref.flush())
        assert _counters(fast) == _counters(ref)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=streams(), config=configs, every=st.sampled_from([1, 4, 50_000]), data=st.data())
def test_batches_raise_what_single_pushes_raise(
    events: list[Event], config: Config, every: int, data: st.DataObject
) -> None:
    with expiring_every(every):
        ref, fast = CordonMonitor(ZONES, config), CompiledMonitor(ZONES, config)
        expected = [a for e in events for a in ref.push(e)] + ref.flush()
        got: list[CordonAlert] = []
        rest = events
        while rest:
            size = data.draw(st.integers(1, 40))
            got += fast.push_events(rest[:size])
            rest = rest[size:]
        got += fast.flush()
        assert as_json(got) == as_json(expected)
        assert _counters(fast) == _counters(ref)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=streams(),
    config=configs,
    every=st.sampled_from([1, 4, 50_000]),
    cut=st.floats(0, 1),
    first=st.sampled_from(["reference", "compiled"]),
    second=st.sampled_from(["reference", "compiled"]),
    rezoned=st.booleans(),
)
def test_snapshots_resume_in_either_monitor(
    events: list[Event], config: Config, every: int, cut: float, first: str, second: str, rezoned: bool
) -> None:
    kinds: dict[str, Any] = {"reference": CordonMonitor, "compiled": CompiledMonitor}
    at = int(cut * len(events))
    later = FEWER if rezoned else ZONES  # zones are rebuilt between batches: a corridor may be gone
    with expiring_every(every):
        whole = CordonMonitor(ZONES, config)
        expected = [a for e in events[:at] for a in whole.push(e)]
        whole = CordonMonitor.restore(later, through_json(whole.snapshot()), config)
        expected += [a for e in events[at:] for a in whole.push(e)] + whole.flush()
        head = kinds[first](ZONES, config)
        got = [a for e in events[:at] for a in head.push(e)]
        tail = kinds[second].restore(later, through_json(head.snapshot()), config)
        got += [a for e in events[at:] for a in tail.push(e)] + tail.flush()
        assert as_json(got) == as_json(expected)
        assert _counters(tail) == _counters(whole)


@pytest.mark.parametrize("gap", [899, 900, 901])
def test_an_episode_continues_at_exactly_the_presence_gap(gap: int) -> None:
    config = Config(lateness_s=0, presence_gap_s=900)
    events = [
        Sighting("VAN1", T0 + timedelta(seconds=s), "camera", "site:A:outer") for s in (0, gap, gap + 600)
    ]
    ref, fast = CordonMonitor(ZONES, config), CompiledMonitor(ZONES, config)
    expected = [a for e in events for a in ref.push(e)]
    assert as_json([a for e in events for a in fast.push(e)]) == as_json(expected)
    assert len(expected) == (1 if gap <= 900 else 0)  # 20 minutes in one presence only up to the gap


def test_the_snapshot_has_the_reference_format_and_content() -> None:
    events: list[Event] = [
        Sighting("CAR1", T0, "camera", "site:A:outer"),
        Sighting("CAR1", T0 + timedelta(minutes=5), "camera", "site:B:outer"),
        Sighting("CAR1", T0 + timedelta(minutes=6), "patrol", None, 1.0, 5.0),  # the corridor
        Inspection("CAR1", T0 + timedelta(minutes=7), "A-gate", "A"),
        Sighting("CAR2", T0 + timedelta(minutes=9), "camera", "site:A:outer"),  # still buffered
    ]
    config = Config(lateness_s=120)
    ref, fast = CordonMonitor(ZONES, config), CompiledMonitor(ZONES, config)
    for e in events:
        ref.push(e)
        fast.push(e)
    a, b = through_json(ref.snapshot()), through_json(fast.snapshot())
    assert a.keys() == b.keys()
    for key in ("version", "max_seen", "released_upto", "counters", "next_expire", "buffer", "recon_alerted"):
        assert a[key] == b[key], key
    for key in ("episodes", "inspections", "places", "loiter"):
        assert sorted(json.dumps(x, sort_keys=True) for x in a[key]) == sorted(
            json.dumps(x, sort_keys=True) for x in b[key]
        ), key
    assert len(b["buffer"]) == 1 and b["buffer"][0]["plate"] == "CAR2"


def test_an_alert_comes_back_from_the_push_that_releases_its_sighting() -> None:
    fast = CompiledMonitor(ZONES, Config(lateness_s=0))
    pushes = [
        fast.push(Sighting("PICKUP1", T0 + timedelta(minutes=m), "camera", "site:A:outer")) for m in (0, 10)
    ]
    assert pushes == [[], []]
    [alert] = fast.push(Sighting("PICKUP1", T0 + timedelta(minutes=20), "camera", "site:A:outer"))
    assert (alert.kind, alert.severity, alert.at) == ("dwell", "critical", T0 + timedelta(minutes=20))
    assert alert.evidence["sightings"] == 3
    # With a lateness the sighting waits in the buffer until an event 300 s later releases it.
    late = CompiledMonitor(ZONES, Config(lateness_s=300))
    for m in (0, 10, 20):
        assert late.push(Sighting("PICKUP2", T0 + timedelta(minutes=m), "camera", "site:A:outer")) == []
    [alert] = late.push(Sighting("OTHER", T0 + timedelta(minutes=25), "camera", "site:B:outer"))
    assert alert.plate == "PICKUP2" and alert.at == T0 + timedelta(minutes=20)


@pytest.mark.parametrize("coded", [False, True])
def test_columns_raise_the_alerts_of_events(coded: bool) -> None:
    rng = np.random.default_rng(3)
    n = 20_000
    times = np.sort(rng.integers(0, 3 * 86400, n)).astype(float) + T0.timestamp()
    inspection = rng.random(n) < 0.1
    plates = [f"P{p}" for p in rng.integers(0, 300, n).tolist()]
    zone_ids = ["site:A:outer", "site:B:outer", "site:C:outer", "site:A:inner", "movement:7:corridor", "nope"]
    where = [str(rng.choice(SITES)) if insp else str(rng.choice(zone_ids)) for insp in inspection.tolist()]
    cleared = rng.random(n) < 0.8
    events: list[Event] = []
    for t, p, w, insp, ok in zip(
        times.tolist(), plates, where, inspection.tolist(), cleared.tolist(), strict=True
    ):
        at = datetime.fromtimestamp(t, UTC)
        events.append(
            Inspection(p, at, "gate", w, "cleared" if ok else "refused")
            if insp
            else Sighting(p, at, "camera", w)
        )
    config = Config(lateness_s=60)
    ref = CordonMonitor(ZONES, config)
    expected = [a for e in events for a in ref.push(e)] + ref.flush()
    fast = CompiledMonitor(ZONES, config)
    got: list[CordonAlert] = []
    for lo in range(0, n, 4096):
        hi = min(n, lo + 4096)
        if coded:  # dictionary-encoded, as categoricals are: each batch with all the values
            names, where_names = sorted(set(plates)), sorted(set(where))
            table = fast.push_columns(
                times[lo:hi],
                Coded(np.array([names.index(p) for p in plates[lo:hi]]), names),
                Coded(np.array([where_names.index(w) for w in where[lo:hi]]), where_names),
                inspection[lo:hi],
                cleared[lo:hi],
            )
        else:
            table = fast.push_columns(
                times[lo:hi], plates[lo:hi], where[lo:hi], inspection[lo:hi], cleared[lo:hi]
            )
        got += fast.alerts(table)
        # An alert names the event that raised it: its arrival number and its time.
        assert all(table.times[a] == times[table.events[a]] for a in range(len(table)))
    got += fast.alerts(fast.push_columns(np.zeros(0), [], [], flush=True))
    assert len(expected) > 50 and {a.kind for a in expected} == {"dwell", "reconnaissance", "loiter"}
    # Reconnaissance by a movement's two ends is there (live dwell updates: the dense random streams).
    assert {a.evidence["rule"] for a in expected if a.kind == "reconnaissance"} == {"places", "movement"}
    assert as_json(got) == as_json(expected)
    assert _counters(fast) == _counters(ref)


def test_columns_are_checked() -> None:
    fast = CompiledMonitor(ZONES)
    with pytest.raises(ValueError, match="same length"):
        fast.push_columns(np.zeros(2), ["A"], ["site:A:outer", "site:A:outer"])
    with pytest.raises(ValueError, match="numbers"):
        fast.push_columns(np.array([np.nan]), ["A"], ["site:A:outer"])
    with pytest.raises(ValueError, match="outside the values"):
        fast.push_columns(np.zeros(1), Coded(np.array([-1]), ["A"]), ["site:A:outer"])
    with pytest.raises(ValueError, match="same length"):
        fast.push_columns(np.zeros(1), Coded(np.array([0, 0]), ["A"]), ["site:A:outer"])


def test_memory_stays_bounded_on_an_endless_stream() -> None:
    """Two months of traffic, 400,000 distinct plates each seen a few times: codes and arrays stop growing."""
    fast = CompiledMonitor(ZONES, Config(lateness_s=60))
    rng = np.random.default_rng(11)
    zone_ids = np.array(["site:A:outer", "site:B:outer", "site:C:outer", "site:A:inner"])
    day, per_day, batch = 86_400, 20_000, 20_000
    sizes: list[tuple[int, int, int]] = []
    for d in range(60):
        times = np.sort(rng.integers(0, day, per_day)).astype(float) + T0.timestamp() + d * day
        plates = [
            f"D{d}-{p}" for p in rng.integers(0, per_day // 3, per_day).tolist()
        ]  # new plates every day
        where = zone_ids[rng.integers(0, len(zone_ids), per_day)].tolist()
        for lo in range(0, per_day, batch):
            fast.push_columns(times[lo : lo + batch], plates[lo : lo + batch], where[lo : lo + batch])
        sizes.append((fast.memory_bytes(), fast.codes_held(), fast.state_size()))
    assert fast.processed == 60 * per_day - fast._iv[kernel_layout.BUF_N]  # all but the buffer was released
    settled = sizes[10:]
    assert max(s[0] for s in settled) <= 2 * sizes[9][0]  # the arrays stop growing
    assert max(s[1] for s in settled) <= 2 * sizes[9][1]  # plate codes are reused (400,000 plates seen)
    assert max(s[2] for s in settled) <= 2 * sizes[9][2]
    assert max(s[1] for s in settled) < 60 * per_day // 3 // 8


def test_single_pushes_forget_released_events() -> None:
    fast = CompiledMonitor(ZONES, Config(lateness_s=60))
    for i in range(5000):
        fast.push(Sighting(f"V{i}", T0 + timedelta(seconds=10 * i), "camera", "site:B:outer"))
    assert len(fast._events) <= 2 * 7 + 256 + 1  # what the lateness holds back, plus slack


def test_a_monitor_on_an_index_that_served_before_has_the_arrays_of_a_fresh_one() -> None:
    """The kernel's zone arrays are kept with the index, per configuration, and copied to each monitor: a
    monitor on an index that served before (under another configuration too) reads what a fresh index
    gives, and one monitor's arrays are no other's."""
    index = ZoneIndex(_zones())
    names = ("_zi", "_zf", "_zd_start", "_zd", "_lk_start", "_lk")
    for cfg in (Config(), Config(recon_route_sites=True), Config(recon_same_place_m=0.0), Config()):
        first, again = CompiledMonitor(index, cfg), CompiledMonitor(index, cfg)
        fresh = CompiledMonitor(ZoneIndex(_zones()), cfg)
        for name in names:
            assert np.array_equal(getattr(again, name), getattr(fresh, name)), name
            assert getattr(again, name) is not getattr(first, name)
            assert not np.shares_memory(getattr(again, name), getattr(first, name))
