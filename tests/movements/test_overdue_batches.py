"""The overdue job handles a backlog a few movements a transaction, each batch committed before the next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from field_scenes import on_the_road
from outrider import jobs as job_runner
from outrider.alerts.models import Alert
from outrider.movements.models import Movement, MovementEvent
from outrider.movements.overdue import Finding

BACKLOG, BATCH = 10, 4


def _backlog(client: TestClient, world: Any, engine: Engine) -> list[int]:
    """One movement set on the road through the API (15-minute check-ins), copied to a backlog of ten."""
    mid = on_the_road(client, world, member=None)
    keys = [a.key for a in inspect(Movement).column_attrs if a.key != "id"]
    with Session(engine) as session, session.begin():
        first = session.get_one(Movement, mid)
        copies = [
            Movement(**{k: getattr(first, k) for k in keys} | {"reference": f"{first.reference}-{i}"})
            for i in range(BACKLOG - 1)
        ]
        session.add_all(copies)
        session.flush()
        return sorted([mid, *(m.id for m in copies)])


def _overdue(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).where(Movement.status == "overdue")) or 0


def _batches(engine: Engine, monkeypatch: pytest.MonkeyPatch, *, fail_at: int | None = None) -> list[int]:
    """Batches of four; what another connection sees as overdue before each batch begins."""
    seen: list[int] = []
    tick: Callable[..., list[Finding]] = job_runner.overdue_tick

    def counted(session: Session, *, now: datetime, only: Sequence[int] | None = None) -> list[Finding]:
        seen.append(_overdue(engine))
        if len(seen) == fail_at:
            raise RuntimeError("the worker stopped between batches")
        return tick(session, now=now, only=only)

    monkeypatch.setattr(job_runner, "OVERDUE_BATCH", BATCH)
    monkeypatch.setattr(job_runner, "overdue_tick", counted)
    return seen


def _once_each(engine: Engine, ids: list[int]) -> None:
    with Session(engine) as session:
        marks = session.scalars(select(MovementEvent.movement_id).where(MovementEvent.kind == "overdue"))
        assert sorted(marks) == ids  # each movement marked once, its mark on its timeline
        alerts = session.scalars(select(Alert).where(Alert.kind == "movement_overdue")).all()
        assert sorted(int(a.subject_id) for a in alerts) == ids
        assert {a.occurrences for a in alerts} == {1}  # each alert raised once


def test_a_backlog_is_committed_batch_by_batch(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _backlog(client, world, engine)
    seen = _batches(engine, monkeypatch)
    when = datetime.now(UTC) + timedelta(minutes=40)  # 15-minute check-ins missed, past the grace
    assert job_runner.overdue_in_batches(when) == BACKLOG
    assert seen == [0, 4, 8]  # ceil(10 / 4) transactions, each committed before the next began
    assert _overdue(engine) == BACKLOG
    _once_each(engine, ids)
    assert job_runner.overdue_in_batches(when) == 0 and len(seen) == 3  # nothing due: no batch at all


def test_a_tick_stopped_between_batches_finishes_the_rest_next_time(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _backlog(client, world, engine)
    seen = _batches(engine, monkeypatch, fail_at=2)
    when = datetime.now(UTC) + timedelta(minutes=40)
    with pytest.raises(RuntimeError):
        job_runner.overdue_in_batches(when)
    assert _overdue(engine) == BATCH  # the first batch kept
    assert job_runner.overdue_in_batches(when + timedelta(minutes=1)) == BACKLOG - BATCH
    assert seen == [0, 4, 4, 8]
    _once_each(engine, ids)
