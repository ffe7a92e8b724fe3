"""A movement turned into an incident by a silent duress looks ordinary to whoever signalled it, on the API
and the web (SQLite and PostgreSQL): its status, next check-in and the duress check-in itself; everyone else
entitled sees the incident and the duress."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from field_scenes import on_the_road, set_pins


def _check_in(client: TestClient, world: Any, who: str, mid: int, key: str, **body: Any) -> None:
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": key, **body},
        headers=world[who].headers,
    )
    assert resp.status_code == 201 and resp.json()["status"] == body.get("status", "ok"), resp.text


def _web(world: Any, who: str) -> dict[str, str]:
    return {"Cookie": f"outrider_session={world[who].token}"}


def _seen(client: TestClient, world: Any, who: str, mid: int) -> dict[str, Any]:
    """What ``who`` reads of the movement on each face that shows its status or its check-ins."""
    api = world[who].headers
    shown = client.get(f"/api/v1/movements/{mid}", headers=api).json()
    page = client.get(f"/movements/{mid}", headers=_web(world, who)).text
    timeline = client.get(f"/api/v1/movements/{mid}/timeline", headers=api).json()
    checkins = client.get(f"/api/v1/movements/{mid}/checkins", headers=api)
    return {
        "status": shown["status"],
        "due": shown["next_checkin_due"] is not None,
        "checkins": [c["status"] for c in checkins.json()] if checkins.status_code == 200 else None,
        "timeline": sorted(e["kind"] for e in timeline if e["kind"].startswith("checkin_"))
        if isinstance(timeline, list)
        else None,
        "page incident": "status-incident" in page,
        "page duress": "checkin_point" in page and '"status": "duress"' in page,
        "map duress": "duress" in client.get("/map/movements.geojson", headers=_web(world, who)).text,
    }


def test_the_signaller_sees_the_movement_and_its_check_in_as_ordinary(client: TestClient, world: Any) -> None:
    mid = on_the_road(client, world)  # led by coord, escorted by duty
    set_pins(client, world, "duty")
    _check_in(client, world, "duty", mid, "forced", pin="9876", lat=24.9, lon=67.2)
    assert _seen(client, world, "duty", mid) == {
        "status": "under_way",
        "due": True,
        "checkins": ["ok"],
        "timeline": ["checkin_ok"],
        "page incident": False,
        "page duress": False,
        "map duress": False,
    }
    seen = _seen(client, world, "coord", mid)  # the lead, on the need-to-know list
    assert (seen["status"], seen["checkins"], seen["timeline"]) == (
        "incident",
        ["duress"],
        ["checkin_duress"],
    )
    assert seen["page incident"] and seen["page duress"] and seen["map duress"]
    seen = _seen(client, world, "admin", mid)  # the host's admin, off the list: the summary
    assert (seen["status"], seen["page incident"]) == ("incident", True)


def test_another_cause_shows_the_incident_to_the_signaller_too(client: TestClient, world: Any) -> None:
    """An SOS raised aloud makes the incident the signaller's to see; their duress check-in stays ordinary."""
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    _check_in(client, world, "duty", mid, "forced", pin="9876")
    sos = client.post(
        f"/api/v1/movements/{mid}/sos", json={"idempotency_key": "aloud"}, headers=world["coord"].headers
    )
    assert sos.status_code == 201, sos.text
    seen = _seen(client, world, "duty", mid)
    assert (seen["status"], seen["checkins"]) == ("incident", ["ok", "sos"])


def test_another_signallers_duress_is_not_hidden_from_the_first(client: TestClient, world: Any) -> None:
    """Two signal duress silently: each sees the incident the other's signal made, never their own duress."""
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    set_pins(client, world, "coord")
    _check_in(client, world, "duty", mid, "first", pin="9876")
    seen = _seen(client, world, "coord", mid)
    assert (seen["status"], seen["checkins"]) == ("incident", ["duress"])
    _check_in(client, world, "coord", mid, "second", pin="9876")
    assert _seen(client, world, "coord", mid)["checkins"] == ["duress", "ok"]
    assert _seen(client, world, "duty", mid)["status"] == "incident"


def _board(client: TestClient, world: Any, who: str, mid: int, status: str = "") -> dict[str, Any] | None:
    """The board's line of the movement for ``who`` (None: not on it), optionally narrowed to a status."""
    query = f"?status={status}" if status else ""
    items = client.get(f"/api/v1/movements{query}", headers=world[who].headers).json()["items"]
    return next((i for i in items if i["id"] == mid), None)


def test_the_board_shows_the_signaller_the_movement_as_ordinary(client: TestClient, world: Any) -> None:
    """On the board (API and web) the line, and the lines a status filter keeps, are as the signaller would
    have seen them without the duress; the others see the incident."""
    mid = on_the_road(client, world)
    set_pins(client, world, "duty")
    _check_in(client, world, "duty", mid, "forced", pin="9876")
    line = _board(client, world, "duty", mid)
    assert line is not None and line["status"] == "under_way" and line["next_checkin_due"] is not None
    assert _board(client, world, "duty", mid, "under_way") is not None
    assert _board(client, world, "duty", mid, "incident") is None
    for who in ("coord", "admin"):
        assert (_board(client, world, who, mid) or {}).get("status") == "incident", who
        assert _board(client, world, who, mid, "under_way") is None, who
    page = client.get("/movements?status=all", headers=_web(world, "duty")).text
    assert "status-under_way" in page and "status-incident" not in page
    assert "status-incident" in client.get("/movements?status=all", headers=_web(world, "coord")).text
