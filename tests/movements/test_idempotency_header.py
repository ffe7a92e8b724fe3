"""The idempotency key of a check-in: header or body, 1 to 128 visible ASCII characters, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from outrider import db
from outrider.cli import app
from outrider.movements.models import CheckIn

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.27, 24.83], [67.35, 24.78]]}


def _post(client: TestClient, path: str, body: dict[str, Any], who: Any, code: int = 201) -> dict[str, Any]:
    resp = client.post(f"/api/v1/{path}", json=body, headers=who.headers)
    assert resp.status_code == code, resp.text
    out: dict[str, Any] = resp.json()
    return out


@pytest.fixture
def on_the_road(client: TestClient, world: Any) -> str:
    """The check-in address of a movement under way (a German engineer: host approval alone)."""
    site = {"name": "Airport", "kind": "airport", "lat": 24.9065, "lon": 67.1608}
    airport = _post(client, "sites", site, world["coord"])
    person = _post(client, "persons", {"name": "Engineer DE", "nationality": "DE"}, world["coord"])
    unit = _post(client, "escort-units", {"call_sign": "FALCON-1", "strength": 4}, world["duty"])
    dep = datetime.now(UTC) + timedelta(minutes=30)
    plan = {
        "origin": {"site_id": airport["id"]},
        "destination": {"lat": 24.78, "lon": 67.35},
        "route": ROUTE,
        "planned_departure": dep.isoformat(),
        "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
        "person_ids": [person["id"]],
    }
    m = _post(client, "movements", plan, world["coord"])
    _post(client, f"movements/{m['id']}/submit", {}, world["coord"], 200)
    _post(client, f"movements/{m['id']}/approve", {}, world["duty"], 200)
    _post(client, f"movements/{m['id']}/escort", {"unit_ids": [unit["id"]]}, world["duty"], 200)
    _post(client, f"movements/{m['id']}/depart", {}, world["duty"], 200)
    return f"/api/v1/movements/{m['id']}/checkins"


def _stored() -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(CheckIn)) or 0)


def test_a_header_only_key_is_accepted_and_a_retry_counts_once(
    client: TestClient, world: Any, on_the_road: str
) -> None:
    headers = {**world["duty"].headers, "Idempotency-Key": "device-7:0001"}
    first = client.post(on_the_road, json={"status": "ok"}, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["idempotency_key"] == "device-7:0001"
    again = client.post(on_the_road, json={"status": "ok"}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    same = client.post(on_the_road, json={"idempotency_key": "device-7:0001"}, headers=headers)
    assert same.status_code == 200  # header and body may both say it, when they say the same
    assert _stored() == 1


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("x" * 129, None),  # stored on SQLite, a 500 on PostgreSQL before
        ("with space", None),
        ("tab\there", None),
        (None, "x" * 129),
        (None, "nul\u0000byte"),  # a 500 on PostgreSQL before
        (None, "é"),
        (None, ""),
        ("a", "b"),  # header and body disagree
        (None, None),  # no key at all
    ],
)
def test_bad_keys_are_a_422_problem_and_nothing_is_stored(
    client: TestClient, world: Any, on_the_road: str, header: str | None, body: str | None
) -> None:
    headers = dict(world["duty"].headers)
    if header is not None:
        headers["Idempotency-Key"] = header
    payload = {} if body is None else {"idempotency_key": body}
    resp = client.post(on_the_road, json=payload, headers=headers)
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["errors"]
    assert _stored() == 0


def test_the_longest_key_is_kept_whole(client: TestClient, world: Any, on_the_road: str) -> None:
    key = "~" + "K" * 126 + "!"
    resp = client.post(on_the_road, json={}, headers={**world["duty"].headers, "Idempotency-Key": key})
    assert resp.status_code == 201 and resp.json()["idempotency_key"] == key


def test_the_openapi_document_declares_the_header(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    for path, method in (
        ("/api/v1/movements/{movement_id}/checkins", "post"),
        ("/api/v1/cordon/events", "post"),
    ):
        [header] = [p for p in doc["paths"][path][method]["parameters"] if p["name"] == "idempotency-key"]
        assert header["in"] == "header" and header["schema"]["anyOf"][0]["maxLength"] == 128


def test_cli_refuses_a_bad_key_without_a_traceback(client: TestClient, world: Any, on_the_road: str) -> None:
    mid = on_the_road.split("/")[-2]
    result = CliRunner().invoke(app, ["movements", "checkin", mid, "--key", "x" * 129, "--as", "duty"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _stored() == 0
    ok = CliRunner().invoke(app, ["movements", "checkin", mid, "--key", "cli-1", "--as", "duty"])
    assert ok.exit_code == 0, ok.output
    assert _stored() == 1


def test_a_reused_key_never_swallows_another_report(client: TestClient, world: Any, on_the_road: str) -> None:
    headers = {**world["duty"].headers, "Idempotency-Key": "device-7:0001"}
    assert client.post(on_the_road, json={"status": "ok"}, headers=headers).status_code == 201
    # a device that reset its counter reuses the key for a duress signal: a 409, not "already recorded"
    duress = client.post(on_the_road, json={"status": "duress"}, headers=headers)
    assert duress.status_code == 409, duress.text
    assert duress.headers["content-type"].startswith("application/problem+json")
    arrived = client.post(on_the_road, json={"status": "arrived"}, headers=headers)
    assert arrived.status_code == 409
    assert _stored() == 1
    fresh = {**world["duty"].headers, "Idempotency-Key": "device-7:0002"}
    assert client.post(on_the_road, json={"status": "duress"}, headers=fresh).status_code == 201
    assert _stored() == 2
