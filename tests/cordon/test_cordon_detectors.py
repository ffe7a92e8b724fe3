"""The cordon detectors with hand-made timelines, late events, restarts and replay determinism."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.cordon.detectors import Config, CordonAlert, CordonMonitor
from outrider.cordon.events import Event, Inspection, Sighting, parse_text
from outrider.cordon.zones import ZoneIndex, corridor_zone, site_zones

T0 = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
AIRPORT = site_zones(
    site_id="apt",
    lon=67.1608,
    lat=24.9065,
    inner_radius_m=400,
    outer_radius_m=1500,
    checkpoints=["apt-gate"],
    movements_due=[T0 + timedelta(minutes=50)],
)
PLANT = site_zones(site_id="plant", lon=67.35, lat=24.78, outer_radius_m=2500)
DAM = site_zones(site_id="dam", lon=73.29, lat=35.29, outer_radius_m=3000)
ZONES = ZoneIndex([*AIRPORT, *PLANT, *DAM])
OUTER = "site:apt:outer"


def seen(plate: str, minutes: float, zone: str = OUTER) -> Sighting:
    return Sighting(plate, T0 + timedelta(minutes=minutes), "camera", zone)


def run(events: list[Event], config: Config | None = None) -> list[CordonAlert]:
    m = CordonMonitor(ZONES, config or Config(lateness_s=0))
    alerts = [a for e in events for a in m.push(e)]
    return alerts + m.flush()


def test_a_vehicle_waiting_unchecked_raises_dwell_then_keeps_it_live() -> None:
    alerts = run([seen("PICKUP1", m) for m in range(0, 45, 5)])
    a, *updates = alerts
    assert (a.kind, a.plate, a.zone_id) == ("dwell", "PICKUP1", OUTER)
    assert a.at == T0 + timedelta(minutes=20)  # raised by the sighting that crossed 20 minutes
    assert a.severity == "critical"  # a protected movement is due through the zone within the hour
    assert a.evidence["sightings"] == 5 and a.evidence["missing_inspection"]["site_id"] == "apt"
    assert not a.evidence["update"]
    # Every later sighting is 5 minutes on: each updates the alert (the interval is 5 minutes).
    assert [u.evidence["duration_min"] for u in updates] == [25, 30, 35, 40]
    assert all(u.evidence["update"] and u.kind == "dwell" and u.zone_id == OUTER for u in updates)


def test_an_inspection_clears_the_vehicle() -> None:
    events: list[Event] = [seen("TAXI1", m) for m in range(0, 60, 5)]
    events.insert(2, Inspection("TAXI1", T0 + timedelta(minutes=8), "apt-gate", "apt"))
    assert run(events) == []
    # an inspection at another site does not clear it
    other = [seen("TAXI2", m) for m in range(0, 30, 5)] + [Inspection("TAXI2", T0, "plant-gate", "plant")]
    alerts = run(sorted(other, key=lambda e: e.at))
    assert [(a.plate, a.evidence["update"]) for a in alerts] == [("TAXI2", False), ("TAXI2", True)]


def test_leaving_and_returning_starts_a_new_episode() -> None:
    # 15 minutes, gone for 20, back for 15: never 20 minutes in one presence
    events = [seen("VAN1", m) for m in (0, 5, 10, 15, 35, 40, 45, 50)]
    assert run(events) == []
    # a long stay after returning does alert
    events += [seen("VAN1", m) for m in (55, 60)]
    assert [a.at for a in run(events) if not a.evidence["update"]] == [T0 + timedelta(minutes=55)]


def test_late_events_within_the_lateness_are_reordered_and_beyond_are_counted() -> None:
    events = [seen("CAR1", m) for m in range(0, 30, 5)]
    shuffled = [events[i] for i in (1, 0, 3, 2, 5, 4)]
    alerts = run(shuffled, Config(lateness_s=600))
    assert [a.at for a in alerts] == [T0 + timedelta(minutes=m) for m in (20, 25)]  # the alert, its update
    m = CordonMonitor(ZONES, Config(lateness_s=60))
    for e in events:
        m.push(e)
    m.push(seen("CAR1", 1))  # 24 minutes late: beyond the lateness
    assert m.late == 1


def test_midnight_and_time_zones() -> None:
    karachi = timezone(timedelta(hours=5))
    start = datetime(2026, 11, 23, 23, 50, tzinfo=karachi)
    events: list[Event] = [
        Sighting("NIGHT1", start + timedelta(minutes=m), "camera", OUTER) for m in range(0, 25, 5)
    ]
    [a] = run(events)
    assert a.at == datetime(2026, 11, 23, 19, 10, tzinfo=UTC)  # 00:10 local, the next day
    mixed: list[Event] = [
        Sighting("MIX1", T0, "camera", OUTER),
        Sighting("MIX1", (T0 + timedelta(minutes=10)).astimezone(karachi), "camera", OUTER),
        Sighting("MIX1", (T0 + timedelta(minutes=21)).astimezone(karachi), "camera", OUTER),
    ]
    assert len(run(mixed)) == 1


def test_positions_are_resolved_to_zones() -> None:
    near = Sighting("POS1", T0, "patrol", None, 24.9100, 67.1608)  # ~390 m north of the airport centre
    far = Sighting("POS2", T0, "patrol", None, 25.2, 67.5)
    m = CordonMonitor(ZONES, Config(lateness_s=0))
    m.push(near)
    m.push(far)
    m.flush()
    assert {k[0] for k in m._episodes} == {"POS1"}
    assert [z.ring for z in ZONES.at(67.1608, 24.9100, T0)] == ["inner", "outer"]


def test_reconnaissance_three_places_in_three_days() -> None:
    events = [
        seen("RECON", 0, "site:apt:outer"),
        seen("RECON", 60 * 20, "site:plant:outer"),
        seen("RECON", 60 * 40, "site:dam:outer"),
    ]
    [a] = run(events)
    assert a.kind == "reconnaissance" and len(a.evidence["places"]) == 3
    spread = [
        seen("SLOW", 0, "site:apt:outer"),
        seen("SLOW", 60 * 50, "site:plant:outer"),
        seen("SLOW", 60 * 80, "site:dam:outer"),
    ]
    assert run(spread) == []  # not within 72 hours


def test_loiter_along_a_route_before_the_movement() -> None:
    dep = T0 + timedelta(hours=4)
    corridor = corridor_zone(
        movement_id="m1",
        route=[[67.16, 24.90], [67.35, 24.78]],
        width_m=500,
        window=(dep - timedelta(hours=6), dep),
    )
    zones = ZoneIndex([corridor])
    m = CordonMonitor(zones, Config(lateness_s=0))
    alerts = []
    for minutes in (0, 40, 90):
        alerts += m.push(Sighting("LOITER", T0 + timedelta(minutes=minutes), "camera", None, 24.84, 67.255))
    assert [a.kind for a in alerts + m.flush()] == ["loiter"]
    assert zones.at(67.255, 24.84, dep + timedelta(hours=1)) == []  # outside the window


def _traffic(seed: int, n: int = 300) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for i in range(n):
        plate = f"P{rng.randint(0, 40)}"
        zone = rng.choice(["site:apt:outer", "site:plant:outer", "site:dam:outer", "site:apt:inner"])
        t = rng.uniform(0, 600)
        if rng.random() < 0.1:
            events.append(Inspection(plate, T0 + timedelta(minutes=t), "g", zone.split(":")[1]))
        else:
            events.append(seen(plate, t, zone))
        _ = i
    return sorted(events, key=lambda e: e.at)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.integers(1, 299))
def test_snapshot_and_restore_give_the_same_alerts(seed: int, cut: int) -> None:
    events = _traffic(seed)
    cfg = Config(lateness_s=120)
    whole = run(events, cfg)
    first = CordonMonitor(ZONES, cfg)
    alerts = [a for e in events[:cut] for a in first.push(e)]
    snapshot = json.loads(json.dumps(first.snapshot()))  # through JSON, as on disk
    second = CordonMonitor.restore(ZONES, snapshot, cfg)
    alerts += [a for e in events[cut:] for a in second.push(e)] + second.flush()
    assert [(a.kind, a.plate, a.at, a.zone_id) for a in alerts] == [
        (a.kind, a.plate, a.at, a.zone_id) for a in whole
    ]


def test_replay_is_deterministic_and_state_stays_bounded() -> None:
    events = _traffic(3, 2000)
    assert run(events) == run(list(events))
    m = CordonMonitor(ZONES, Config(lateness_s=0, recon_window_s=3600))
    for day in range(30):
        for e in events[:200]:
            m.push(type(e)(**{**{f: getattr(e, f) for f in e.__slots__}, "at": e.at + timedelta(days=day)}))
        m._expire(m.released_upto)
        assert m.state_size() < 400


@pytest.mark.parametrize(
    ("text", "fmt", "reason"),
    [
        ('{"plate": "A1"}\n', "jsonl", "time is missing"),
        ('{"plate": "A1", "at": "2026-11-23T05:00:00"}\n', "jsonl", "no zone"),
        ('{"plate": "A1", "at": "2026-11-23T05:00:00Z"}\n', "jsonl", "zone_id or lat"),
        ("not json\n", "jsonl", "Expecting value"),
        ('["a"]\n', "jsonl", "JSON object"),
        (
            '{"kind": "boat", "plate": "A1", "at": "2026-11-23T05:00:00Z", "zone_id": "z"}\n',
            "jsonl",
            "unknown kind",
        ),
        ("plate,at,zone_id\nA1,2026-11-23T05:00:00Z,z,extra\n", "csv", "more fields"),
        ("plate,at,lat,lon\nA1,2026-11-23T05:00:00Z,95,67\n", "csv", "out of range"),
        ("plate,at,lat,lon\nA1,2026-11-23T05:00:00Z,north,67\n", "csv", "not a number"),
    ],
)
def test_bad_records_are_reported_not_fatal(text: str, fmt: str, reason: str) -> None:
    good = '{"plate": "ok-1", "at": "2026-11-23T05:00:00Z", "zone_id": "z"}\n' if fmt == "jsonl" else ""
    items = list(parse_text(text + good if fmt == "jsonl" else text, fmt=fmt))
    bad = [i for _, i in items if not isinstance(i, Sighting | Inspection)]
    assert bad and reason in bad[0].reason  # type: ignore[union-attr]
    if fmt == "jsonl":
        assert isinstance(items[-1][1], Sighting) and items[-1][1].plate == "OK1"
