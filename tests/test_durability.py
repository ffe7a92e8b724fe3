"""A write is committed before it is acknowledged: API, web and CLI; a server killed right after an
acknowledgement has kept every acknowledged write (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from outrider.cli import app as cli_app
from outrider.http import csrf_token
from outrider.movements.models import CheckIn, Movement
from outrider.settings import get_settings

ROUTE = {"type": "LineString", "coordinates": [[67.1608, 24.9065], [67.35, 24.78]]}


def _planned(client: TestClient, world: Any) -> int:
    coord = world["coord"].headers
    person = client.post("/api/v1/persons", json={"name": "E", "nationality": "DE"}, headers=coord).json()
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
        headers=coord,
    )
    assert m.status_code == 201, m.text
    return int(m.json()["id"])


def _under_way(client: TestClient, world: Any) -> int:
    mid = _planned(client, world)
    duty = world["duty"].headers
    unit = client.post("/api/v1/escort-units", json={"call_sign": "F-1", "strength": 4}, headers=duty).json()
    for path, who, body in (
        ("submit", world["coord"].headers, {}),
        ("approve", duty, {}),
        ("escort", duty, {"unit_ids": [unit["id"]]}),
        ("depart", duty, {}),
    ):
        resp = client.post(f"/api/v1/movements/{mid}/{path}", json=body, headers=who)
        assert resp.status_code == 200, resp.text
    return mid


def _keys(engine: Engine, mid: int) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(CheckIn.idempotency_key).where(CheckIn.movement_id == mid)))


@pytest.fixture
def failing_commits() -> Iterator[list[int]]:
    """While the list holds a 1, every commit fails (as a full disk or a lost database would)."""
    armed: list[int] = []

    def refuse(_session: Session) -> None:
        if armed:
            raise OperationalError("COMMIT", None, Exception("disk I/O error"))

    event.listen(Session, "before_commit", refuse)
    yield armed
    event.remove(Session, "before_commit", refuse)


def test_api_a_failed_commit_is_never_acknowledged(
    client: TestClient, world: Any, engine: Engine, failing_commits: list[int]
) -> None:
    mid = _under_way(client, world)
    failing_commits.append(1)
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins", json={"idempotency_key": "lost"}, headers=world["duty"].headers
    )
    failing_commits.clear()
    assert resp.status_code >= 500, resp.text  # before: 201 for a check-in that was never stored
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert _keys(engine, mid) == set()


def test_web_a_failed_commit_is_never_acknowledged(
    client: TestClient, world: Any, engine: Engine, failing_commits: list[int]
) -> None:
    mid = _under_way(client, world)
    token = world["duty"].token
    web = TestClient(client.app, base_url="https://testserver", raise_server_exceptions=False)
    web.cookies.set("outrider_session", token)
    failing_commits.append(1)
    resp = web.post(
        f"/movements/{mid}/checkins",
        data={"idempotency_key": "lost-web", "csrf_token": csrf_token(get_settings().secret_key, token)},
        follow_redirects=False,
    )
    failing_commits.clear()
    assert resp.status_code >= 500  # not the 303 "done" of a recorded check-in
    assert _keys(engine, mid) == set()


def test_cli_prints_success_only_after_the_commit(
    client: TestClient, world: Any, engine: Engine, failing_commits: list[int]
) -> None:
    mid = _planned(client, world)
    failing_commits.append(1)
    result = CliRunner().invoke(cli_app, ["movements", "submit", str(mid), "--as", "coord", "--json"])
    failing_commits.clear()
    assert result.exit_code != 0
    assert result.stdout == ""  # before: the submitted movement was printed, then the commit failed
    with Session(engine) as session:
        assert session.get(Movement, mid).status == "draft"  # type: ignore[union-attr]


# --- the real server, killed right after each acknowledgement ------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The server process imports the application once and forks one real uvicorn server per round: killing a
# server costs a fork instead of a full start (imports alone take seconds on a busy machine).
ZYGOTE = """
import os, sys
import uvicorn
from outrider.app import create_app
for line in sys.stdin:
    port = int(line)
    pid = os.fork()
    if pid == 0:
        uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning")
        os._exit(0)
    print(pid, flush=True)
"""


@pytest.fixture
def servers(engine: Engine) -> Iterator[Any]:
    """Start a real server on the test's database: ``start()`` returns its pid and base URL."""
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "OUTRIDER_DATABASE_URL": url, "OUTRIDER_JOBS_EMBEDDED": "false"}
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    children: list[int] = []

    def start() -> tuple[int, str]:
        assert zygote.stdin is not None and zygote.stdout is not None
        port = _free_port()
        zygote.stdin.write(f"{port}\n")
        zygote.stdin.flush()
        pid = int(zygote.stdout.readline())
        children.append(pid)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    return pid, base
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    try:
        yield start
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        zygote.kill()
        zygote.wait(timeout=30)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def test_acknowledged_checkins_survive_a_killed_server(
    client: TestClient, world: Any, engine: Engine, servers: Any
) -> None:
    mid = _under_way(client, world)
    acknowledged: list[str] = []
    for n in range(6):
        pid, base = servers()
        key = f"kill-{n}"
        resp = httpx.post(
            f"{base}/api/v1/movements/{mid}/checkins",
            json={"idempotency_key": key, "note": "x" * 2000},
            headers={**world["duty"].headers, "Idempotency-Key": key},
            timeout=30,
        )
        os.kill(pid, signal.SIGKILL)  # at once: a power cut right after "recorded"
        assert resp.status_code == 201, resp.text
        acknowledged.append(key)
    # what the next server (any reader) finds: every acknowledged check-in
    assert _keys(engine, mid) == set(acknowledged)
