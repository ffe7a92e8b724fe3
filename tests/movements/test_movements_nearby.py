"""The read cordon and risk call: movements due near places between times (facts only, no caller)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from sqlalchemy.orm import Session

from outrider import db
from outrider.movements import nearby
from outrider.movements.lifecycle import LIVE, PLANNED_OR_LIVE, Status
from outrider.movements.models import Movement
from outrider.registry.models import Site

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ROUTE = {"type": "LineString", "coordinates": [[67.16, 24.90], [67.35, 24.78]]}
ALTERNATE = {"type": "LineString", "coordinates": [[67.16, 24.90], [67.30, 24.70], [67.35, 24.78]]}


def _site(session: Session, world: Any, name: str, lat: float, lon: float) -> int:
    site = Site(
        organization_id=world.orgs["host"],
        name=name,
        kind="airport",
        lat=lat,
        lon=lon,
        timezone="Asia/Karachi",
        inner_radius_m=400,
        outer_radius_m=1500,
        created_at=T0,
        updated_at=T0,
    )
    session.add(site)
    session.flush()
    return site.id


def _movement(session: Session, world: Any, ref: str, status: Status, **kw: Any) -> int:
    values: dict[str, Any] = {
        "reference": ref,
        "organization_id": world.orgs["acme"],
        "purpose": "visit the plant",
        "origin_label": "A",
        "origin_lat": 24.90,
        "origin_lon": 67.16,
        "destination_label": "B",
        "destination_lat": 24.78,
        "destination_lon": 67.35,
        "route": ROUTE,
        "alternates": [ALTERNATE],
        "route_length_m": 25_000.0,
        "timezone": "Asia/Karachi",
        "planned_departure": T0,
        "planned_arrival": T0 + timedelta(hours=2),
        "notes": "the guests' names",
        "status": status.value,
        "arrangement_version": 1,
        "created_by": world["coord"].user_id,
        "created_at": T0,
        "updated_at": T0,
    }
    m = Movement(**(values | kw))
    session.add(m)
    session.flush()
    return m.id


def _refs(found: list[nearby.Due]) -> list[str]:
    return [d.reference for d in found]


def test_live_movements_by_default_and_other_sets_when_asked(world: Any) -> None:
    with db.transaction() as session:
        for status in Status:
            _movement(session, world, f"M-{status.value}", status)
        live = _refs(nearby.due_near(session))
        planned_or_live = _refs(nearby.due_near(session, statuses=PLANNED_OR_LIVE))
    assert live == [f"M-{s.value}" for s in Status if s in LIVE]
    assert live == ["M-approved", "M-under_way", "M-overdue"]
    assert planned_or_live == ["M-draft", "M-submitted", "M-approved", "M-under_way", "M-overdue"]


def test_the_window_takes_trips_that_overlap_it_bounds_included(world: Any) -> None:
    with db.transaction() as session:
        _movement(
            session,
            world,
            "EARLY",
            Status.approved,
            planned_departure=T0 - timedelta(hours=5),
            planned_arrival=T0 - timedelta(hours=3),
        )
        _movement(
            session,
            world,
            "ENDS-AT-START",
            Status.approved,
            planned_departure=T0 - timedelta(hours=2),
            planned_arrival=T0,
        )
        _movement(
            session,
            world,
            "ACROSS",
            Status.under_way,
            planned_departure=T0 - timedelta(hours=1),
            planned_arrival=T0 + timedelta(hours=5),
        )
        _movement(
            session,
            world,
            "STARTS-AT-END",
            Status.approved,
            planned_departure=T0 + timedelta(hours=2),
            planned_arrival=T0 + timedelta(hours=3),
        )
        _movement(
            session,
            world,
            "LATE",
            Status.approved,
            planned_departure=T0 + timedelta(hours=3),
            planned_arrival=T0 + timedelta(hours=4),
        )
        window = _refs(nearby.due_near(session, start=T0, end=T0 + timedelta(hours=2)))
        open_end = _refs(nearby.due_near(session, start=T0 + timedelta(hours=3, minutes=30)))
        open_start = _refs(nearby.due_near(session, end=T0 - timedelta(hours=4)))
    assert window == ["ENDS-AT-START", "ACROSS", "STARTS-AT-END"]
    assert open_end == ["ACROSS", "LATE"]
    assert open_start == ["EARLY"]


def test_places_are_sites_left_or_reached_and_points_within_a_radius(world: Any) -> None:
    with db.transaction() as session:
        airport = _site(session, world, "Airport", 24.90, 67.16)
        plant = _site(session, world, "Plant", 24.78, 67.35)
        camp = _site(session, world, "Camp", 25.50, 68.00)
        _movement(session, world, "FROM-AIRPORT", Status.approved, origin_site_id=airport)
        _movement(
            session,
            world,
            "TO-PLANT",
            Status.approved,
            destination_site_id=plant,
            origin_lat=30.0,
            origin_lon=70.0,
        )
        _movement(
            session,
            world,
            "FAR",
            Status.approved,
            origin_lat=31.0,
            origin_lon=71.0,
            destination_lat=31.5,
            destination_lon=71.5,
        )
        by_site = _refs(nearby.due_near(session, sites=[plant]))
        by_sites = _refs(nearby.due_near(session, sites=[airport, plant]))
        none = nearby.due_near(session, sites=[camp])
        empty = nearby.due_near(session, sites=[])
        # 31.0, 71.0 is FAR's origin; 1 km east of it is inside 2 km, outside 500 m.
        east = 71.0 + 1000 / (111_320 * 0.857)
        near = _refs(nearby.due_near(session, points=[nearby.Near(31.0, east, 2000)]))
        not_near = nearby.due_near(session, points=[nearby.Near(31.0, east, 500)])
        either = _refs(nearby.due_near(session, sites=[plant], points=[nearby.Near(31.5, 71.5, 100)]))
    assert by_site == ["TO-PLANT"]
    assert by_sites == ["FROM-AIRPORT", "TO-PLANT"]
    assert none == [] and empty == []
    assert near == ["FAR"] and not_near == []
    assert either == ["TO-PLANT", "FAR"]


def test_alternates_only_when_asked(world: Any) -> None:
    with db.transaction() as session:
        _movement(session, world, "ALT", Status.approved)
        [plain] = nearby.due_near(session)
        [full] = nearby.due_near(session, alternates=True)
    assert plain.alternates == () and full.alternates == (ALTERNATE,)
    assert plain.route == ROUTE and plain.planned_departure == T0


def test_it_returns_facts_for_the_service_and_nothing_about_the_people(world: Any) -> None:
    """No caller goes in, so nothing may come out that a service would then have to hide: who travels,
    in what, with whom, and why are never read; the facts are where, when, which plan, whose."""
    shown = {f.name for f in dataclasses.fields(nearby.Due)}
    assert shown == {
        "id",
        "reference",
        "organization_id",
        "plan_version",
        "origin_site_id",
        "destination_site_id",
        "planned_departure",
        "planned_arrival",
        "route",
        "alternates",
    }
    with db.transaction() as session:
        mid = _movement(session, world, "REF-1", Status.under_way)
        assert nearby.reference_of(session, mid) == "REF-1"
        assert nearby.reference_of(session, mid + 1000) is None
        [due] = nearby.due_near(session)
    assert "the guests' names" not in repr(due) and "visit the plant" not in repr(due)


@pytest.mark.parametrize("radius", [0.0, 1.0])
def test_a_point_on_the_origin_is_near_at_any_radius(world: Any, radius: float) -> None:
    with db.transaction() as session:
        _movement(session, world, "HERE", Status.overdue)
        assert _refs(nearby.due_near(session, points=[nearby.Near(24.90, 67.16, radius)])) == ["HERE"]


def test_a_point_across_the_antimeridian_is_near(world: Any) -> None:
    with db.transaction() as session:
        _movement(session, world, "DATELINE", Status.approved, origin_lat=-16.5, origin_lon=-179.995)
        east = nearby.due_near(session, points=[nearby.Near(-16.5, 179.995, 2000)])
        too_small = nearby.due_near(session, points=[nearby.Near(-16.5, 179.995, 500)])
    assert _refs(east) == ["DATELINE"] and too_small == []


@given(
    lat=st.floats(-89.0, 89.0),
    lon=st.floats(-180.0, 180.0),
    radius_m=st.floats(1.0, 500_000.0),
    bearing=st.floats(0.0, 360.0),
    share=st.floats(0.0, 1.0),
)
@settings(max_examples=300, deadline=None)
def test_the_box_the_database_filters_by_holds_the_whole_circle(
    lat: float, lon: float, radius_m: float, bearing: float, share: float
) -> None:
    """The database keeps only the rows in the box; a place within the radius must never be cut."""
    far_lon, far_lat, _ = Geod(ellps="WGS84").fwd(lon, lat, bearing, radius_m * share)
    (south, north), lon_ranges = nearby.box(nearby.Near(lat, lon, radius_m))
    assert south <= far_lat <= north
    assert any(west <= far_lon <= east for west, east in lon_ranges)


def test_a_route_changed_is_read_as_it_now_is(world: Any) -> None:
    """Routes are decoded once per stored text and shared: a route changed is another text, read at once."""
    with db.transaction() as session:
        mid = _movement(session, world, "M-1", Status.under_way)
        _movement(session, world, "M-2", Status.under_way)
        first, second = nearby.due_near(session)
        assert first.route == second.route == ROUTE
        assert first.route is second.route  # one decoding of the one text
        session.get_one(Movement, mid).route = ALTERNATE
        session.flush()
        changed = nearby.due_near(session)
    assert [d.route for d in changed] == [ALTERNATE, ROUTE]
