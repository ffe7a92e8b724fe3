"""Issue 17's detector scenarios, in both monitors: a dwell that continues keeps its alert live (duration,
sightings, a severity that rises as the due time nears), an inspection ends it, and reconnaissance
catches a plate at the two ends of a protected movement, counting two records of one airport once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outrider.cordon.compiled import CompiledMonitor
from outrider.cordon.detectors import Config, CordonAlert, CordonMonitor
from outrider.cordon.events import Event, Inspection, Sighting
from outrider.cordon.rules import SEVERITIES
from outrider.cordon.zones import (
    Zone,
    ZoneIndex,
    corridor_zone,
    site_zones,
    zones_from_geojson,
    zones_to_geojson,
)

T0 = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
OUTER = "site:apt:outer"
MONITORS: list[Any] = [CordonMonitor, CompiledMonitor]


def _airport(due: list[datetime], site_id: str = "apt", lon: float = 67.1608) -> list[Zone]:
    return site_zones(
        site_id=site_id,
        lon=lon,
        lat=24.9065,
        inner_radius_m=400,
        outer_radius_m=1500,
        checkpoints=[f"{site_id}-gate"],
        movements_due=due,
    )


PLANT = site_zones(site_id="plant", lon=67.35, lat=24.78, outer_radius_m=2500)
DAM = site_zones(site_id="dam", lon=73.29, lat=35.29, outer_radius_m=3000)


def truck(minutes: range = range(0, 46, 2), plate: str = "PICKUP") -> list[Event]:
    """The pick-up truck of the seed reports: a camera reads it every two minutes."""
    return [Sighting(plate, T0 + timedelta(minutes=m), "camera", OUTER) for m in minutes]


def run(kind: Any, zones: list[Zone], events: list[Event], config: Config | None = None) -> list[CordonAlert]:
    monitor = kind(ZoneIndex(zones), config or Config(lateness_s=0))
    alerts = [a for e in events for a in monitor.push(e)]
    return alerts + list(monitor.flush())


def durations(alerts: list[CordonAlert]) -> list[tuple[int, str]]:
    return [(a.evidence["duration_min"], a.severity) for a in alerts]


@pytest.mark.parametrize("kind", MONITORS)
def test_the_truck_keeps_its_alert_live_and_critical_before_departure(kind: Any) -> None:
    departure = T0 + timedelta(minutes=104)  # an hour after the truck's last sighting
    alerts = run(kind, _airport([departure]), truck())
    # Raised at 20 minutes, then updated at most every 5 minutes, and at once when the severity rises.
    assert durations(alerts) == [(20, "high"), (26, "high"), (32, "high"), (38, "high"), (44, "critical")]
    first, *updates = alerts
    assert not first.evidence["update"] and all(u.evidence["update"] for u in updates)
    assert {(a.kind, a.plate, a.zone_id) for a in alerts} == {("dwell", "PICKUP", OUTER)}
    last = alerts[-1]
    assert last.title == (
        "PICKUP has been inside the outer cordon for 44 min without inspection; a protected movement is due"
    )
    assert (
        last.evidence["sightings"] == 23
        and last.evidence["last_seen"] == (T0 + timedelta(minutes=44)).isoformat()
    )
    assert last.evidence["first_seen"] == T0.isoformat()
    assert "05:" not in last.title and "06:" not in last.title  # no time of the movement in the title
    # Every ten minutes: the updates the issue asks for, the last one because the severity rose.
    ten = run(kind, _airport([departure]), truck(), Config(lateness_s=0, dwell_update_s=600))
    assert durations(ten) == [(20, "high"), (30, "high"), (40, "high"), (44, "critical")]


@pytest.mark.parametrize("kind", MONITORS)
def test_a_severity_ladder_rises_as_the_due_time_nears_and_never_falls(kind: Any) -> None:
    ladder = Config(lateness_s=0, dwell_base_severity="warning", due_high_s=3 * 3600, due_window_s=1800)
    departure = T0 + timedelta(minutes=70)
    alerts = run(kind, _airport([departure]), truck(range(0, 90, 2)), ladder)
    steps = durations(alerts)
    assert steps[0] == (20, "high")  # due in 50 minutes: within 3 hours
    assert (40, "critical") in steps  # due in 30 minutes
    assert [s for _, s in steps[steps.index((40, "critical")) :]] == ["critical"] * (len(steps) - 4)
    # Past the departure nothing is due, yet the vehicle is still there: the alert stays critical.
    assert steps[-1] == (88, "critical") and alerts[-1].evidence["movement_due"] is None
    assert durations(run(kind, _airport([]), truck(range(0, 30, 2)), ladder)) == [
        (20, "warning"),
        (26, "warning"),
    ]


@pytest.mark.parametrize("kind", MONITORS)
def test_the_inspected_car_is_left_alone_and_an_inspection_ends_the_updates(kind: Any) -> None:
    zones = _airport([T0 + timedelta(minutes=50)])
    car: list[Event] = [*truck(plate="CAR")]
    car.insert(4, Inspection("CAR", T0 + timedelta(minutes=7), "apt-gate", "apt"))
    assert run(kind, zones, car) == []
    late: list[Event] = [*truck()]
    late.insert(14, Inspection("PICKUP", T0 + timedelta(minutes=27), "apt-gate", "apt"))
    assert durations(run(kind, zones, late)) == [(20, "critical"), (26, "critical")]
    refused: list[Event] = [*truck()]
    refused.insert(14, Inspection("PICKUP", T0 + timedelta(minutes=27), "apt-gate", "apt", "refused"))
    assert len(run(kind, zones, refused)) == 5  # a refused inspection clears nothing


@pytest.mark.parametrize(("first", "second"), [(a, b) for a in MONITORS for b in MONITORS])
def test_a_live_episode_survives_a_restart_in_either_monitor(first: Any, second: Any) -> None:
    zones = ZoneIndex(_airport([T0 + timedelta(minutes=104)]))
    config = Config(lateness_s=120)
    events = truck()
    whole = CordonMonitor(zones, config)
    expected = [a.to_json() for e in events for a in whole.push(e)] + [a.to_json() for a in whole.flush()]
    head = first(zones, config)
    got = [a.to_json() for e in events[:13] for a in head.push(e)]  # after the first alert
    snapshot = json.loads(json.dumps(head.snapshot()))
    assert snapshot["version"] == 2
    tail = second.restore(zones, snapshot, config)
    got += [a.to_json() for e in events[13:] for a in tail.push(e)] + [a.to_json() for a in tail.flush()]
    assert got == expected and len(got) == 5


@pytest.mark.parametrize("kind", MONITORS)
def test_a_version_1_snapshot_resumes_without_updating_an_alert_it_cannot_tell(kind: Any) -> None:
    zones = ZoneIndex(_airport([]))
    start, last = T0.timestamp(), (T0 + timedelta(minutes=20)).timestamp()
    old = {
        "version": 1,
        "max_seen": last,
        "released_upto": last,
        "counters": {"late": 0, "unknown_zone": 0, "processed": 11},
        "next_expire": 50_000,
        "buffer": [],
        "episodes": [["PICKUP", OUTER, start, last, True, 11], ["VAN", OUTER, start, last, False, 11]],
        "inspections": [],
        "places": [["PICKUP", {"site:apt": last}], ["VAN", {"site:apt": last}]],
        "recon_alerted": {},
        "loiter": [],
    }
    monitor = kind.restore(zones, old, Config(lateness_s=0))
    later = [Sighting(p, T0 + timedelta(minutes=30), "camera", OUTER) for p in ("PICKUP", "VAN")]
    alerts = [a for e in later for a in monitor.push(e)]
    # The alerted one may have been inspected: no update. The other crosses its threshold now.
    assert [(a.plate, a.evidence["update"]) for a in alerts] == [("VAN", False)]
    with pytest.raises(ValueError, match="version"):
        kind.restore(zones, {**old, "version": 9}, Config())


def _route(ends: tuple[object, object], start: datetime, end: datetime) -> Zone:
    return corridor_zone(
        movement_id="m9",
        route=[[67.1608, 24.9065], [67.35, 24.78]],
        width_m=500,
        window=(start, end),
        ends=ends,
    )


def seen_at(plate: str, hours: float, zone: str) -> Sighting:
    return Sighting(plate, T0 + timedelta(hours=hours), "camera", zone)


@pytest.mark.parametrize("kind", MONITORS)
def test_the_airport_one_day_and_the_plant_the_next_is_reconnaissance(kind: Any) -> None:
    route = _route(("apt", "plant"), T0 + timedelta(hours=40), T0 + timedelta(hours=47))
    zones = [*_airport([]), *PLANT, *DAM, route]
    visits = [seen_at("SCOUT", 0, OUTER), seen_at("SCOUT", 26, "site:plant:outer")]
    [alert] = run(kind, zones, visits)
    assert alert.kind == "reconnaissance" and alert.at == T0 + timedelta(hours=26)
    assert [p["place"] for p in alert.evidence["places"]] == ["site:apt", "site:plant"]
    assert alert.evidence["rule"] == "movement" and alert.evidence["movement"] == "movement:m9"
    assert (alert.place, alert.zone_id) == (
        "movement:m9",
        None,
    )  # about the movement; the subject is the plate
    assert (
        alert.title
        == "SCOUT seen near 2 protected places within 72 h; a protected movement between them is due"
    )
    # Either direction; but not two places no movement links, nor a movement not due within the window.
    back = [seen_at("BACK", 0, "site:plant:outer"), seen_at("BACK", 5, OUTER)]
    assert [a.plate for a in run(kind, zones, back)] == ["BACK"]
    other = [seen_at("TOURIST", 0, OUTER), seen_at("TOURIST", 26, "site:dam:outer")]
    assert run(kind, zones, other) == []
    far = _route(("apt", "plant"), T0 + timedelta(hours=120), T0 + timedelta(hours=127))
    assert run(kind, [*_airport([]), *PLANT, far], visits) == []
    gone = _route(("apt", "plant"), T0 - timedelta(hours=10), T0 + timedelta(hours=2))
    assert run(kind, [*_airport([]), *PLANT, gone], visits) == []  # arrived before the second visit
    # Turned off, the rule wants its three places again.
    assert run(kind, zones, visits, Config(lateness_s=0, recon_route_ends=False)) == []


@pytest.mark.parametrize("kind", MONITORS)
def test_two_records_of_the_same_airport_count_once(kind: Any) -> None:
    twin = _airport([], site_id="apt2", lon=67.1658)  # about 500 m east: the same airport entered twice
    zones = [*_airport([]), *twin, *PLANT]
    visits = [
        seen_at("TWICE", 0, OUTER),
        seen_at("TWICE", 1, "site:apt2:outer"),
        seen_at("TWICE", 2, "site:plant:outer"),
    ]
    assert run(kind, zones, visits) == []  # two places, not three
    [alert] = run(kind, zones, visits, Config(lateness_s=0, recon_same_place_m=100))
    assert len(alert.evidence["places"]) == 3
    # The movement between the twin record and the plant links the airport as one place.
    route = _route(("apt2", "plant"), T0, T0 + timedelta(hours=8))
    [pair] = run(kind, [*zones, route], [seen_at("PAIR", 0, OUTER), seen_at("PAIR", 2, "site:plant:outer")])
    assert [p["place"] for p in pair.evidence["places"]] == ["site:apt", "site:plant"]
    index = ZoneIndex([*zones, route])
    assert index.same_places(1000.0)["site:apt2"] == "site:apt"
    assert index.same_places(100.0)["site:apt2"] == "site:apt2"


CAMP = site_zones(site_id="camp", lon=67.2554, lat=24.8428, outer_radius_m=500)  # on the way


@pytest.mark.parametrize("kind", MONITORS)
def test_any_two_places_on_the_way_when_configured(kind: Any) -> None:
    route = _route(("apt", "plant"), T0, T0 + timedelta(hours=8))
    zones = [*_airport([]), *PLANT, *CAMP, *DAM, route]
    visits = [seen_at("WAY", 0, OUTER), seen_at("WAY", 3, "site:camp:outer")]
    assert run(kind, zones, visits) == []  # the camp is no end of the movement
    on_the_way = Config(lateness_s=0, recon_route_sites=True)
    [alert] = run(kind, zones, visits, on_the_way)
    assert [p["place"] for p in alert.evidence["places"]] == ["site:apt", "site:camp"]
    assert alert.evidence["movement"] == "movement:m9"
    off = [seen_at("OFF", 0, OUTER), seen_at("OFF", 3, "site:dam:outer")]
    assert run(kind, zones, off, on_the_way) == []  # the dam is not on its way
    index = ZoneIndex(zones)
    same = index.same_places(1000.0)
    links = index.links(same, {z.id: i for i, z in enumerate(zones)}, passed=True)
    assert sorted(link.other for link in links["site:camp"]) == ["site:apt", "site:plant"]


def test_corridor_ends_go_through_geojson() -> None:
    route = _route(("apt", "plant"), T0, T0 + timedelta(hours=8))
    [back] = zones_from_geojson(json.dumps(zones_to_geojson([route])))
    assert back.ends == ("site:apt", "site:plant") and back.window == route.window
    assert _route((None, "plant"), T0, T0).ends is None  # a movement from a point that is no site
    bad = zones_to_geojson([route])
    bad["features"][0]["properties"]["ends"] = ["site:apt"]
    with pytest.raises(ValueError, match="ends"):
        zones_from_geojson(json.dumps(bad))


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="dwell_base_severity"):
        Config(dwell_base_severity="urgent")
    with pytest.raises(ValueError, match="negative"):
        Config(dwell_update_s=-1)


LIVE_ZONES = ZoneIndex(
    [
        *_airport([T0 + timedelta(minutes=40), T0 + timedelta(minutes=150)]),
        *_airport([], site_id="apt2", lon=67.1658),
        *PLANT,
        *CAMP,
        _route(("apt2", "plant"), T0 + timedelta(hours=1), T0 + timedelta(hours=9)),
    ]
)


@st.composite
def stays(draw: st.DrawFn) -> list[Event]:
    """Vehicles that stay: sightings a minute or a few apart in the outer rings, now and then a longer
    gap, an inspection (cleared or refused) or a visit to the plant, in time order."""
    t, events = 0.0, list[Event]()
    zones = ["site:apt:outer", "site:apt2:outer", "site:plant:outer", "site:camp:outer"]
    plate, zone = "PICKUP", zones[0]
    for _ in range(draw(st.integers(5, 80))):
        gap = draw(st.integers(0, 24)) == 0  # now and then the vehicle leaves
        t += draw(st.sampled_from([1000, 5 * 3600] if gap else [0, 60, 120, 180, 300]))
        at = T0 + timedelta(seconds=t)
        if draw(st.integers(0, 11)) == 0:  # mostly the same vehicle where it was: a stay
            plate, zone = draw(st.sampled_from(["PICKUP", "VAN"])), draw(st.sampled_from(zones))
        if draw(st.integers(0, 14)) == 0:
            result = draw(st.sampled_from(["cleared", "refused"]))
            events.append(
                Inspection(plate, at, "gate", draw(st.sampled_from(["apt", "apt2", "plant"])), result)
            )
        else:
            events.append(Sighting(plate, at, "camera", zone))
    return events


live_configs = st.builds(
    Config,
    lateness_s=st.sampled_from([0, 120]),
    dwell_update_s=st.sampled_from([0, 120, 300, 600]),
    due_window_s=st.sampled_from([1800, 3600]),
    due_high_s=st.sampled_from([0, 7200]),
    dwell_base_severity=st.sampled_from(["high", "warning"]),
    recon_route_ends=st.booleans(),
    recon_route_sites=st.booleans(),
    recon_same_place_m=st.sampled_from([0.0, 1000.0]),
    recon_places=st.sampled_from([3, 5]),  # 5: three places a movement links, and a pair must be chosen
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=stays(), config=live_configs, cut=st.floats(0, 1), batch=st.integers(1, 30))
def test_both_monitors_raise_the_same_alerts_and_updates(
    events: list[Event], config: Config, cut: float, batch: int
) -> None:
    ref, fast = CordonMonitor(LIVE_ZONES, config), CompiledMonitor(LIVE_ZONES, config)
    expected = []
    for event in events:
        raised = [a.to_json() for a in ref.push(event)]
        assert [a.to_json() for a in fast.push(event)] == raised
        expected += raised
    flushed = [a.to_json() for a in ref.flush()]
    assert [a.to_json() for a in fast.flush()] == flushed
    expected += flushed
    # In batches, through a snapshot of the compiled monitor taken anywhere: the same alerts.
    at = int(cut * len(events))
    head = CompiledMonitor(LIVE_ZONES, config)
    got = [a.to_json() for i in range(0, at, batch) for a in head.push_events(events[i : min(at, i + batch)])]
    tail = CordonMonitor.restore(LIVE_ZONES, json.loads(json.dumps(head.snapshot())), config)
    got += [a.to_json() for e in events[at:] for a in tail.push(e)] + [a.to_json() for a in tail.flush()]
    assert got == expected
    # A live alert's severity never falls, and updates come only after a first alert in the episode.
    live: dict[tuple[str, str], int] = {}
    for a in expected:
        if a["kind"] == "dwell":
            key = (a["plate"], a["zone_id"])
            rank = SEVERITIES.index(a["severity"])
            if a["evidence"]["update"]:
                assert key in live and rank >= live[key]
            live[key] = rank


def test_when_several_pairs_qualify_both_monitors_choose_the_same() -> None:
    """A position inside two records of the airport (not merged here) after the plant: three linked places
    at once; the least (corridor, place, place) in the order places first appear among the zones wins."""
    config = Config(lateness_s=0, recon_places=5, recon_route_sites=True, recon_same_place_m=0)
    events: list[Event] = [
        seen_at("MANY", 2, "site:plant:outer"),
        Sighting("MANY", T0 + timedelta(hours=3), "patrol", None, 24.9065, 67.1608),
    ]
    found = [[a.to_json() for a in run(kind, LIVE_ZONES.zones, events, config)] for kind in MONITORS]
    assert found[0] == found[1] and len(found[0]) == 1
    assert [p["place"] for p in found[0][0]["evidence"]["places"]] == ["site:apt", "site:apt2"]
