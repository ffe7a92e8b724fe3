"""A risk pass that finds nothing changed reads alone: on SQLite it never takes the write turn."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from outrider import jobs
from outrider.risk.service import risk_tick
from risk_scenes import kkh_movement


def test_a_pass_with_nothing_changed_takes_no_write_turn(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the write turn is SQLite's")
    kkh_movement(client, world, nationality="DE")
    jobs.run_jobs_once()  # the first snapshot: written, in the turn
    begun: list[str] = []
    inside = [False]

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if inside[0] and statement.lstrip().upper().startswith("BEGIN"):
            begun.append(statement.strip().upper())

    def watched(session: Any, *, now: Any) -> Any:
        inside[0] = True
        try:
            return risk_tick(session, now=now)
        finally:
            inside[0] = False

    monkeypatch.setattr(jobs, "risk_tick", watched)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        done = jobs.run_jobs_once()  # nothing changed: no snapshot, nothing written
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert done["risk_snapshots"] == 0
    assert begun == ["BEGIN"]  # deferred: the pass read without the turn and wrote nothing
