"""The field face's server on SQLite and PostgreSQL: my movements, SOS, the silent duress PIN, device order,
replayed keys and late check-ins that supersede an overdue episode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from field_scenes import on_the_road, set_pins
from outrider import db
from outrider.accounts.models import User
from outrider.alerts import listeners
from outrider.alerts.models import Alert, AlertNote
from outrider.http import caller_of
from outrider.movements import checkins, jobs
from outrider.movements import schemas as s
from outrider.movements.models import CheckIn, Movement, OverdueSupersession
from outrider.movements.timeline import timeline


def _count(model: Any, *where: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _post(client: TestClient, world: Any, who: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/{path}", json=body, headers=world[who].headers)


def test_my_movements_are_those_i_lead_or_escort(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)
    for who, role in (("coord", "lead"), ("duty", "escort")):
        resp = client.get("/api/v1/me/movements", headers=world[who].headers)
        assert resp.status_code == 200, resp.text
        [item] = resp.json()
        assert item["id"] == mid and item["role"] == role and item["status"] == "under_way"
        assert item["itinerary_visible"] and item["route"] == [[67.1608, 24.9065], [67.35, 24.78]]
        assert item["next_checkin_due_at"] is not None and item["checkin_interval_minutes"] == 15
        assert item["origin"] == {"name": "Airport", "lat": 24.9065, "lon": 67.1608}
    # host security's analyst (no unit), the embassy's liaison (not its nationals), another company: nothing
    for who in ("analyst", "liaison", "other_coord"):
        resp = client.get("/api/v1/me/movements", headers=world[who].headers)
        assert resp.status_code == 200 and resp.json() == [], who
    assert client.get("/api/v1/me/movements").status_code == 401


def test_an_sos_raises_one_critical_alert_and_a_replay_answers_the_same(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    body = {"idempotency_key": "sos-1", "lat": 24.85, "lon": 67.25, "device_id": "phone-a", "device_seq": 1}
    first = _post(client, world, "duty", f"movements/{mid}/sos", body)
    assert first.status_code == 201, first.text
    again = _post(client, world, "duty", f"movements/{mid}/sos", body)
    assert again.status_code == 200 and again.json() == first.json()
    [alert] = [
        a
        for a in client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"]
        if a["kind"] == "sos"
    ]
    assert alert["id"] == first.json()["alert_id"] and alert["severity"] == "critical"
    assert alert["occurrences"] == 1 and alert["details"]["lat"] == 24.85
    shown = client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()
    assert shown["status"] == "incident"
    # another company's coordinator knows nothing of the movement
    refused = _post(client, world, "other_coord", f"movements/{mid}/sos", {"idempotency_key": "sos-x"})
    assert refused.status_code == 404
    assert _count(CheckIn, CheckIn.movement_id == mid) == 1
    # at the gate, approved and waiting to leave: the alarm is raised, the movement stays approved
    waiting = on_the_road(client, world, call_sign="F-2", depart=False)
    gate = _post(client, world, "duty", f"movements/{waiting}/sos", {"idempotency_key": "sos-2"})
    assert gate.status_code == 201 and gate.json()["alert_id"] not in (None, alert["id"])
    assert (
        client.get(f"/api/v1/movements/{waiting}", headers=world["duty"].headers).json()["status"]
        == "approved"
    )


def _masked(resp: Any) -> bytes:
    body = resp.json()
    for key in ("id", "idempotency_key", "received_at"):
        body[key] = "…"
    return json.dumps(body, sort_keys=True).encode()


def test_the_duress_pin_is_answered_as_an_ok_checkin_and_raises_the_alarm(
    client: TestClient, world: Any
) -> None:
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    at = datetime.now(UTC).isoformat()
    ok = _post(
        client, world, "duty", f"movements/{mid}/checkins", {"idempotency_key": "a", "at": at, "pin": "1234"}
    )
    duress = _post(
        client, world, "duty", f"movements/{mid}/checkins", {"idempotency_key": "b", "at": at, "pin": "9876"}
    )
    assert ok.status_code == duress.status_code == 201, duress.text
    assert _masked(duress) == _masked(ok) and duress.json()["status"] == "ok"
    assert (
        _post(
            client, world, "duty", f"movements/{mid}/checkins", {"idempotency_key": "b", "pin": "9876"}
        ).json()
        == duress.json()
    )
    with db.transaction() as session:
        stored = session.scalar(select(CheckIn).where(CheckIn.idempotency_key == "b"))
        assert stored is not None and stored.status == "duress" and stored.shown_status == "ok"
    kinds = {
        a["kind"]: a for a in client.get("/api/v1/alerts", headers=world["admin"].headers).json()["items"]
    }
    assert kinds["movement_duress"]["severity"] == "critical"
    # never to the escort who signalled it (tests/alerts/test_alerts_silent_duress.py: every face)
    assert client.get("/api/v1/alerts", headers=world["duty"].headers).json()["items"] == []
    # nor the incident it made (tests/movements/test_silent_duress_movement.py); the desk sees it
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()["status"] == "under_way"
    )
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["admin"].headers).json()["status"] == "incident"
    )
    # the phone's page never shows it: still under way, the last check-in ok
    [mine] = client.get("/api/v1/me/movements", headers=world["duty"].headers).json()
    assert mine["status"] == "under_way" and mine["last_checkin"]["status"] == "ok"
    assert mine["next_checkin_due_at"] is not None
    wrong = _post(client, world, "duty", f"movements/{mid}/checkins", {"idempotency_key": "c", "pin": "5555"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["body", "pin"]
    assert _count(CheckIn, CheckIn.movement_id == mid) == 2
    # forced to declare an arrival: answered "arrived", and the movement leaves the phone's list
    body = {"idempotency_key": "d", "status": "arrived", "pin": "9876"}
    forced = _post(client, world, "duty", f"movements/{mid}/checkins", body)
    assert forced.status_code == 201 and forced.json()["status"] == "arrived"
    assert client.get("/api/v1/me/movements", headers=world["duty"].headers).json() == []
    assert client.get(f"/api/v1/movements/{mid}", headers=world["duty"].headers).json()["status"] == "arrived"
    assert (
        client.get(f"/api/v1/movements/{mid}", headers=world["admin"].headers).json()["status"] == "incident"
    )


def test_once_pins_are_set_all_well_needs_a_pin_and_the_alarm_does_not(
    client: TestClient, world: Any
) -> None:
    """Whoever holds the phone or its session must not report "all well" without a PIN once the user has
    PINs: else the duress PIN would protect nothing. Nothing is written; the alarm never needs a PIN."""
    mid = on_the_road(client, world)
    path = f"movements/{mid}/checkins"
    assert _post(client, world, "duty", path, {"idempotency_key": "before"}).status_code == 201  # no PINs yet
    set_pins(client, world, "duty")
    stored = _count(CheckIn, CheckIn.movement_id == mid)
    for i, status in enumerate(("ok", "delayed", "arrived")):
        refused = _post(client, world, "duty", path, {"idempotency_key": f"no-pin-{i}", "status": status})
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["code"] == "pin_required" and problem["errors"][0]["loc"] == ["body", "pin"]
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert _count(CheckIn, CheckIn.movement_id == mid) == stored
    # a retry of a key accepted before the PINs were set still answers the first record
    assert _post(client, world, "duty", path, {"idempotency_key": "before"}).status_code == 200
    assert _post(client, world, "duty", path, {"idempotency_key": "pin", "pin": "1234"}).status_code == 201
    duress = {"idempotency_key": "duress-no-pin", "status": "duress"}
    assert _post(client, world, "duty", path, duress).status_code == 201
    sos = {"idempotency_key": "sos-no-pin", "lat": 24.85, "lon": 67.25}
    assert _post(client, world, "duty", f"movements/{mid}/sos", sos).status_code == 201
    assert _count(CheckIn, CheckIn.movement_id == mid) == stored + 3


def test_device_order_and_replayed_keys(client: TestClient, world: Any) -> None:
    first = on_the_road(client, world, call_sign="F-1")
    second = on_the_road(client, world, call_sign="F-2")

    def send(mid: int, key: str, seq: int, **extra: Any) -> Any:
        body = {"idempotency_key": key, "device_id": "phone-a", "device_seq": seq, **extra}
        return _post(client, world, "duty", f"movements/{mid}/checkins", body)

    assert send(first, "k5", 5).status_code == 201
    for seq, last in ((5, 5), (3, 5)):
        refused = send(first, f"n{seq}", seq)
        assert refused.status_code == 409
        assert refused.json()["detail"] == f"device sequence went backwards (got {seq}, last {last})"
    assert send(first, "k5", 5).status_code == 200  # a replay of a taken key is answered, whatever its seq
    other = send(second, "k5", 9)
    assert other.status_code == 409 and other.json()["detail"] == f"this key was used for movement {first}"
    assert _count(CheckIn, CheckIn.movement_id.in_([first, second])) == 1
    # a device clock an hour ahead is not believed: recorded at the arrival, the device's time kept
    ahead = send(first, "k6", 6, at=(datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert ahead.status_code == 201
    assert ahead.json()["at"] == ahead.json()["received_at"]
    with db.transaction() as session:
        row = session.scalar(select(CheckIn).where(CheckIn.idempotency_key == "k6"))
        assert row is not None and row.device_at is not None and row.device_seq == 6
    bad = _post(
        client, world, "duty", f"movements/{first}/checkins", {"idempotency_key": "k7", "device_id": "p"}
    )
    assert bad.status_code == 422


@pytest.fixture
def heard() -> Iterator[list[tuple[int, str]]]:
    events: list[tuple[int, str]] = []
    listeners.register("test-field-late", lambda _s, alert, event, _now: events.append((alert.id, event)))
    yield events
    listeners.unregister("test-field-late")


def test_a_late_checkin_supersedes_the_overdue_episode(
    client: TestClient, world: Any, heard: list[tuple[int, str]]
) -> None:
    mid = on_the_road(client, world)
    with db.transaction() as session:
        t = session.get_one(Movement, mid).departed_at
        assert t is not None
    with db.transaction() as session:  # 15 minutes' interval and 10 of grace: overdue from t+25
        [found] = jobs.overdue_tick(session, now=t + timedelta(minutes=26))
        assert found.newly_overdue
    data = s.CheckInCreate(
        idempotency_key="queued", at=t + timedelta(minutes=12), device_id="phone-a", device_seq=1
    )
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world["duty"].user_id))
        record, new = checkins.check_in(
            session, caller=caller, movement_id=mid, data=data, now=t + timedelta(minutes=30)
        )
        assert new and record.status == "ok"
    with db.transaction() as session:
        [alert] = session.scalars(select(Alert).where(Alert.kind == "movement_overdue")).all()
        assert alert.resolved_at is not None and alert.resolution_reason == "superseded by a late check-in"
        assert (alert.id, "resolved") in heard
        notes = session.scalars(select(AlertNote.text).where(AlertNote.alert_id == alert.id)).all()
        assert "superseded by a late check-in" in notes
        [mark] = session.scalars(select(OverdueSupersession)).all()
        assert mark.checkin_id == record.id
        movement = session.get_one(Movement, mid)
        assert movement.status == "under_way"
        duty = caller_of(session.get_one(User, world["duty"].user_id))
        kinds = [e.kind for e in timeline(session, movement, duty)]
        assert "overdue" in kinds and "overdue_superseded" in kinds and "checkin_ok" in kinds
    # the same report again marks nothing twice; a report made after the episode began supersedes nothing
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, world["duty"].user_id))
        checkins.check_in(session, caller=caller, movement_id=mid, data=data, now=t + timedelta(minutes=31))
        later = s.CheckInCreate(
            idempotency_key="later", at=t + timedelta(minutes=27), device_id="phone-a", device_seq=2
        )
        checkins.check_in(session, caller=caller, movement_id=mid, data=later, now=t + timedelta(minutes=32))
    assert _count(OverdueSupersession) == 1
