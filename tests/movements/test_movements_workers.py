"""Two workers scanning at the same moment raise one alert for one overdue movement (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from outrider.alerts.models import Alert
from outrider.movements import jobs
from outrider.movements.overdue import Finding

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]}


def _under_way(client: TestClient, world: Any) -> int:
    h = {"coord": world["coord"].headers, "duty": world["duty"].headers, "liaison": world["liaison"].headers}
    person = client.post(
        "/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=h["coord"]
    ).json()
    unit = client.post(
        "/api/v1/escort-units", json={"call_sign": "F-1", "strength": 4}, headers=h["duty"]
    ).json()
    dep = datetime.now(UTC)
    m = client.post(
        "/api/v1/movements",
        json={
            "origin": {"lat": 24.9065, "lon": 67.1608, "label": "Airport"},
            "destination": {"lat": 24.78, "lon": 67.35, "label": "Plant"},
            "route": ROUTE,
            "planned_departure": dep.isoformat(),
            "planned_arrival": (dep + timedelta(hours=1)).isoformat(),
            "person_ids": [person["id"]],
            "checkin_interval_min": 15,
        },
        headers=h["coord"],
    ).json()
    mid = int(m["id"])
    for path, who, body in (
        ("submit", "coord", {}),
        ("approve", "duty", {}),
        ("escort", "duty", {"unit_ids": [unit["id"]]}),
        ("depart", "duty", {}),
    ):
        resp = client.post(f"/api/v1/movements/{mid}/{path}", json=body, headers=h[who])
        assert resp.status_code == 200, resp.text
    return mid


def test_two_workers_raise_one_alert(client: TestClient, world: Any, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite deployments run one embedded worker; the concurrency claim is PostgreSQL's")
    mid = _under_way(client, world)
    when = datetime.now(UTC) + timedelta(minutes=40)
    barrier = threading.Barrier(2)
    results: list[list[Finding]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with Session(engine) as session, session.begin():
                barrier.wait(timeout=10)
                results.append(jobs.overdue_tick(session, now=when))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 1]  # one worker claimed it, the other skipped it
    with Session(engine) as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "movement_overdue")).all()
        assert len(alerts) == 1 and alerts[0].subject_id == str(mid) and alerts[0].occurrences == 1
        assert session.scalar(select(func.count()).select_from(Alert)) == 1


def test_racing_inserts_of_the_same_alert_collapse(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from outrider.alerts import service
    from outrider.alerts.schemas import Severity

    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def raise_one() -> None:
        with Session(engine) as session, session.begin():
            barrier.wait(timeout=10)
            _, new = service.raise_alert(
                session,
                kind="dwell",
                severity=Severity.high,
                subject_type="vehicle",
                subject_id="X-1",
                title="t",
                now=datetime.now(UTC),
            )
            outcomes.append(new)

    threads = [threading.Thread(target=raise_one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == [False, True]
    with Session(engine) as session:
        [alert] = session.scalars(select(Alert)).all()
        assert alert.occurrences == 2
