"""Evidence kept: every sighting of an alerted plate from the alert's window until its resolution plus the
retention period, and the sightings around a movement incident; the rest goes after the retention period.
Properties of the pure rule, and the service on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from outrider import db
from outrider.accounts.models import User
from outrider.alerts.models import Alert
from outrider.cordon import alert_desk, service
from outrider.cordon.models import SightingRow
from outrider.cordon.retention import Hold, alert_hold, distance_m, incident_hold, keep
from outrider.http import caller_of
from outrider.movements.models import MovementEvent

T0 = datetime(2026, 1, 1, tzinfo=UTC)
minutes = st.integers(0, 200 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))
retentions = st.integers(1, 90).map(lambda d: timedelta(days=d))
plates = st.sampled_from(["PICKUP", "CAR1", "VAN2"])
zones = st.sampled_from([None, "site:1:outer", "site:2:inner", "movement:3:corridor"])
holds = st.lists(
    st.builds(
        Hold,
        plate=st.one_of(st.none(), plates),
        seen_from=minutes,
        seen_until=st.one_of(st.none(), minutes),
        held_until=st.one_of(st.none(), minutes),
        zones=st.one_of(st.none(), st.just(("site:1:",)), st.just(("movement:3:",))),
    ),
    max_size=4,
)


@given(plates, minutes, zones, minutes, minutes, retentions, holds)
def test_no_sighting_of_an_alerted_plate_in_the_window_is_purged_while_the_alert_is_open(
    plate: str,
    start: datetime,
    zone: str | None,
    at: datetime,
    now: datetime,
    retention: timedelta,
    others: Any,
) -> None:
    hold = alert_hold(plate=plate, window_start=start, resolved_at=None, retention=retention)
    if at >= start:
        assert keep(plate=plate, at=at, zone_id=zone, holds=[*others, hold], now=now, retention=retention)


@given(plates, minutes, st.integers(0, 10**5), zones, minutes, minutes, retentions)
def test_a_resolved_alert_holds_its_window_for_the_retention_period_after_resolution(
    plate: str,
    start: datetime,
    span: int,
    zone: str | None,
    at: datetime,
    now: datetime,
    retention: timedelta,
) -> None:
    resolved = start + timedelta(minutes=span)
    hold = alert_hold(plate=plate, window_start=start, resolved_at=resolved, retention=retention)
    kept = keep(plate=plate, at=at, zone_id=zone, holds=[hold], now=now, retention=retention)
    young = at >= now - retention
    in_window = start <= at <= resolved
    assert kept == (young or (in_window and now < resolved + retention))


@given(plates, minutes, zones, minutes, retentions, holds, holds)
def test_retention_keeps_the_young_and_more_holds_never_purge_more(
    plate: str, at: datetime, zone: str | None, now: datetime, retention: timedelta, some: Any, more: Any
) -> None:
    if at >= now - retention:
        assert keep(plate=plate, at=at, zone_id=zone, holds=some, now=now, retention=retention)
    if keep(plate=plate, at=at, zone_id=zone, holds=some, now=now, retention=retention):
        assert keep(plate=plate, at=at, zone_id=zone, holds=[*some, *more], now=now, retention=retention)


@given(plates, minutes, st.integers(-3000, 3000), minutes, retentions)
def test_an_incident_holds_every_plate_in_its_places_around_its_time(
    plate: str, incident: datetime, offset: int, now: datetime, retention: timedelta
) -> None:
    hold = incident_hold(
        at=incident, zones=["site:1:", "movement:3:"], lookback=timedelta(hours=48), after=timedelta(hours=2)
    )
    at = incident + timedelta(minutes=offset)
    around = -48 * 60 <= offset <= 120
    assert (
        keep(plate=plate, at=at, zone_id="site:1:outer", holds=[hold], now=now, retention=retention)
        or not around
    )
    if around:
        assert keep(
            plate=plate, at=at, zone_id="movement:3:corridor", holds=[hold], now=now, retention=retention
        )
    elif at < now - retention:
        assert not keep(
            plate=plate, at=at, zone_id="site:1:outer", holds=[hold], now=now, retention=retention
        )
    if at < now - retention:
        assert not keep(
            plate=plate, at=at, zone_id="site:2:outer", holds=[hold], now=now, retention=retention
        )


@given(
    st.floats(-60, 60),
    st.floats(-179, 179),
    st.floats(-0.05, 0.05),
    st.floats(-0.05, 0.05),
    st.integers(-3000, 3000),
    minutes,
)
def test_an_incident_holds_the_sightings_given_by_a_position_near_its_points(
    lat: float, lon: float, dlat: float, dlon: float, offset: int, now: datetime
) -> None:
    incident = T0 + timedelta(days=100)
    hold = incident_hold(
        at=incident,
        zones=["movement:3:"],
        lookback=timedelta(hours=48),
        after=timedelta(hours=2),
        near=[(lat, lon)],
        radius_m=2000.0,
    )
    at = incident + timedelta(minutes=offset)
    position = (lat + dlat, lon + dlon)
    retention = timedelta(days=30)
    kept = keep(plate="X", at=at, zone_id=None, holds=[hold], now=now, retention=retention, position=position)
    near = distance_m(position, (lat, lon)) <= 2000.0
    around = -48 * 60 <= offset <= 120
    assert kept == (at >= now - retention or (near and around))


def test_the_distance_is_the_great_circle_one() -> None:
    assert abs(distance_m((24.9065, 67.1608), (24.78, 67.35)) - 23_700) < 300  # airport to the plant road
    assert distance_m((10.0, 20.0), (10.0, 20.0)) == 0.0


# --- the service, on both databases -----------------------------------------------------------------------


def _site(client: TestClient, world: Any) -> int:
    body = {"name": "Airport", "kind": "airport", "lat": 24.9065, "lon": 67.1608, "outer_radius_m": 1500}
    resp = client.post("/api/v1/sites", json=body, headers=world["admin"].headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _feed(client: TestClient, world: Any, plate: str, start: datetime, mins: range, site: int) -> Any:
    events = [
        {"plate": plate, "at": (start + timedelta(minutes=m)).isoformat(), "zone_id": f"site:{site}:outer"}
        for m in mins
    ]
    resp = client.post(
        "/api/v1/cordon/events", json={"events": events, "flush": True}, headers=world["duty"].headers
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def _evidence(plate: str) -> list[bool]:
    with db.transaction() as session:
        rows = session.scalars(select(SightingRow).where(SightingRow.plate == plate).order_by(SightingRow.at))
        return [r.evidence for r in rows]


def _left(plate: str) -> int:
    with db.transaction() as session:
        return len(session.scalars(select(SightingRow.id).where(SightingRow.plate == plate)).all())


def test_sightings_after_the_alert_are_evidence_and_kept_until_resolution_plus_retention(
    client: TestClient, world: Any
) -> None:
    site = _site(client, world)
    start = datetime.now(UTC) - timedelta(hours=3)
    first = _feed(client, world, "PICKUP", start, range(0, 25, 5), site)
    [alert_id] = {a["alert_id"] for a in first["alerts"] if a["kind"] == "dwell"}
    # the truck stays 24 more minutes (up to the ramming), a passer drives by
    _feed(client, world, "PICKUP", start, range(26, 50, 2), site)
    _feed(client, world, "PASSER", start, range(30, 31), site)
    assert all(_evidence("PICKUP")) and len(_evidence("PICKUP")) == 17
    assert _evidence("PASSER") == [False]
    later = datetime.now(UTC) + timedelta(days=60)
    with db.transaction() as session:
        purged, _ = service.purge(session, now=later, retention_days=30)
    assert purged == 1 and _left("PICKUP") == 17 and _left("PASSER") == 0  # the alert is open
    resolved_at = datetime.now(UTC) + timedelta(days=61)
    with db.transaction() as session:
        duty = caller_of(session.get_one(User, world["duty"].user_id))
        alert_desk.resolve(
            session, caller=duty, alert_id=alert_id, reason="handed to investigators", now=resolved_at
        )
        assert session.get_one(Alert, alert_id).resolved_at == resolved_at
    with db.transaction() as session:
        assert service.purge(session, now=resolved_at + timedelta(days=29), retention_days=30)[0] == 0
    assert _left("PICKUP") == 17
    with db.transaction() as session:
        assert service.purge(session, now=resolved_at + timedelta(days=31), retention_days=30)[0] == 17
    assert _left("PICKUP") == 0


def test_retention_never_deletes_the_sightings_around_a_movement_incident(
    client: TestClient, world: Any
) -> None:
    from movement_scenes import under_way

    mid = under_way(client, world)  # from the airport's coordinates (no site): its corridor is its place
    assert (
        client.post(
            f"/api/v1/movements/{mid}/incident", json={"comment": "blast"}, headers=world["duty"].headers
        ).status_code
        == 200
    )
    with db.transaction() as session:
        incident = session.scalars(
            select(MovementEvent).where(MovementEvent.movement_id == mid, MovementEvent.kind == "incident")
        ).one()
        at = incident.at
        for plate, zone, when in (
            ("WATCHER", f"movement:{mid}:corridor", at - timedelta(hours=5)),
            ("LATE", f"movement:{mid}:corridor", at - timedelta(days=5)),
            ("ELSEWHERE", "site:999:outer", at - timedelta(hours=1)),
        ):
            session.add(SightingRow(plate=plate, at=when, source="anpr", zone_id=zone, received_at=when))
        # a patrol's sightings by position: one 300 m from the origin (the airport), one 20 km away
        for plate, lat, lon in (("PATROLLED", 24.909, 67.162), ("FAR", 25.08, 67.2)):
            when = at - timedelta(hours=2)
            session.add(
                SightingRow(plate=plate, at=when, source="patrol", lat=lat, lon=lon, received_at=when)
            )
    with db.transaction() as session:
        purged, _ = service.purge(session, now=at + timedelta(days=90), retention_days=30)
    assert purged == 3 and _left("WATCHER") == 1 and _left("PATROLLED") == 1
    assert _left("LATE") == _left("ELSEWHERE") == _left("FAR") == 0
