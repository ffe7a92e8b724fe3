"""Cordon batches delivered at the same time: none answers a server error, each is stored once, and the
detectors' saved state is created once and moved forward by every batch."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from outrider import db
from outrider.alerts import service as alerts_service
from outrider.cordon import batches, detecting
from outrider.cordon import service as cordon_service
from outrider.cordon.models import BatchKey, DetectorState, PendingEvent, SightingRow
from outrider.movements import board as movement_board

URL = "/api/v1/cordon/events"
CLIENTS = 6


def _batch(n: int) -> list[dict[str, Any]]:
    at = datetime.now(UTC) - timedelta(minutes=5)
    return [
        {"plate": f"RACE{n:02d}{i:02d}", "at": (at + timedelta(seconds=i)).isoformat(), "zone_id": "z"}
        for i in range(10)
    ]


def _deliver_at_once(client: TestClient, world: Any, rounds: int) -> list[tuple[int, str]]:
    """Every client posts its batches in step with the others (a barrier before each round)."""
    barrier = threading.Barrier(CLIENTS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def deliver(n: int) -> None:
        for r in range(rounds):
            barrier.wait(timeout=60)
            headers = {**world["duty"].headers, "Idempotency-Key": f"race-{n}-{r}"}
            resp = client.post(URL, json={"events": _batch(n * rounds + r)}, headers=headers)
            with lock:
                answers.append((resp.status_code, resp.text[:300]))

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return answers


def test_the_first_batches_at_once_create_the_detector_state_once(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No saved state yet: every batch of the first round finds none and wants to create it (on PostgreSQL
    # the second one used to fail on the state's primary key and answer 500).
    runs: list[int] = []
    ingest = batches.ingest_batch

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return ingest(*args, **kwargs)

    monkeypatch.setattr(batches, "ingest_batch", counted)
    # The token's first use is written on its row; made before, it cannot line the deliveries up.
    assert client.get("/api/v1/alerts", headers=world["duty"].headers).status_code == 200
    answers = _deliver_at_once(client, world, rounds=2)
    assert [a for a in answers if a[0] != 200] == []
    assert len(answers) == CLIENTS * 2
    # Each batch ran once: on SQLite none started optimistically, found its reads stale at its first
    # write and ran a second time (under load that was nearly every batch).
    assert len(runs) == CLIENTS * 2
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(SightingRow)) == CLIENTS * 2 * 10
        assert session.scalar(select(func.count()).select_from(BatchKey)) == CLIENTS * 2
        head = session.scalars(select(DetectorState)).one().snapshot
        # every batch moved the same state forward: none was lost to a concurrent overwrite
        held = session.scalar(select(func.count()).select_from(PendingEvent))
        assert head["counters"]["processed"] + held == CLIENTS * 2 * 10 and head["buffered"] == held


def test_writers_take_their_turn_where_their_writes_begin(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite every request begins optimistic (its token is read without the write turn); a cordon batch
    runs its detectors without the turn and holds it before it reads its key and the detectors' state again
    (`db.write_turn`), a plain read never waits for a writer, and the board takes the turn only for its
    audit record."""
    optimistic: dict[str, bool] = {}
    held: dict[str, bool] = {}
    reals = {"cordon": (batches, "ingest_batch"), "board": (movement_board, "_unrecorded")}
    reals["alerts"] = (alerts_service, "list_alerts")
    reals["ahead"] = (cordon_service, "run_ahead")
    reals["ingest"] = (cordon_service, "ingest")

    def spy(name: str, real: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            optimistic[name] = db._mode.get().optimistic
            if name in ("ahead", "ingest"):
                held[name] = bool(args[0].connection().connection.record_info.get(db._HOLDS))
            return real(*args, **kwargs)

        return run

    h = world["duty"].headers
    # The token's use is written to the minute, at its lookup (a write: in the turn): made before.
    assert client.get("/api/v1/movements?limit=1", headers=h).status_code == 200
    for name, (module, attr) in reals.items():
        monkeypatch.setattr(module, attr, spy(name, getattr(module, attr)))
    assert client.post(URL, json={"events": _batch(0)}, headers=h).status_code == 200
    assert client.get("/api/v1/movements", headers=h).status_code == 200
    assert client.get("/api/v1/alerts", headers=h).status_code == 200
    # (PostgreSQL requests are never optimistic: only SQLite's are run again when stale)
    sqlite = engine.dialect.name == "sqlite"
    assert optimistic == dict.fromkeys(("cordon", "board", "alerts", "ahead", "ingest"), sqlite)
    assert held == {"ahead": False, "ingest": sqlite}


def test_a_process_loads_the_detectors_kernels_before_its_first_write_turn(
    client: TestClient, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the compiled kernels takes a process's first batch a second or more (ten uncompiled): it is
    done before the write turn, not in the turn every other writer waits for (SQLite)."""
    detecting._kernels_loaded.cache_clear()
    steps: list[str] = []
    push, turn = detecting.CompiledMonitor.push_events, db.write_turn
    monkeypatch.setattr(db, "write_turn", lambda session: steps.append("turn") or turn(session))
    monkeypatch.setattr(
        detecting.CompiledMonitor, "push_events", lambda m, *a, **k: steps.append("push") or push(m, *a, **k)
    )
    assert client.post(URL, json={"events": _batch(0)}, headers=world["duty"].headers).status_code == 200
    assert steps == ["push", "push", "turn", "push"]  # the two warm-up pushes, then the batch's in the turn
