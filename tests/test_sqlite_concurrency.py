"""SQLite that serves a control room: readers never wait for writers, writers take turns, a transaction
whose reads went stale runs again; under concurrent clients no 5xx and no lost write (and the same load on
PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.types import Message, Receive, Scope, Send

from movement_scenes import under_way
from outrider import db, migrate
from outrider.accounts import bearer
from outrider.alerts import service as alerts_service
from outrider.audit import lookup as audit_lookup
from outrider.audit.models import AuditRecord
from outrider.movements import board_names, checkins
from outrider.movements.models import CheckIn
from outrider.stale_rerun import StaleRerun


@pytest.fixture
def file_engine(tmp_path: Path) -> Any:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'outrider.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"))
        conn.execute(text("INSERT INTO t (id, v) VALUES (1, 0)"))
    yield engine
    engine.dispose()


def test_an_open_read_does_not_hold_writers_back(file_engine: Engine) -> None:
    with db.optimistic_sqlite(), file_engine.connect() as reader:
        assert reader.execute(text("SELECT v FROM t")).scalar() == 0  # a read transaction is open
        done = threading.Event()

        def write() -> None:
            with file_engine.begin() as conn:  # before: waited for the reader, then "database is locked"
                conn.execute(text("UPDATE t SET v = 1"))
            done.set()

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=30)
        assert done.is_set()
        assert reader.execute(text("SELECT v FROM t")).scalar() == 0  # its snapshot is stable


def test_a_stale_read_then_write_is_refused_as_stale_and_runs_again_locked(file_engine: Engine) -> None:
    with db.optimistic_sqlite(), file_engine.connect() as stale:
        stale.execute(text("SELECT v FROM t")).scalar()
        with file_engine.begin() as other:
            other.execute(text("UPDATE t SET v = v + 1"))
        with pytest.raises(db.StaleSnapshot):
            stale.execute(text("UPDATE t SET v = v + 10"))  # would lose the other's update
    # outside the optimistic block the write lock comes first: the second run cannot go stale
    with file_engine.begin() as conn:
        v = conn.execute(text("SELECT v FROM t")).scalar()
        conn.execute(text("UPDATE t SET v = :v"), {"v": v + 10})
    with file_engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar() == 11


def test_the_write_turn_taken_after_reads_ends_their_snapshot_and_cannot_go_stale(
    file_engine: Engine,
) -> None:
    with db.optimistic_sqlite(), Session(file_engine) as session:
        assert session.execute(text("SELECT v FROM t")).scalar() == 0  # read without the turn
        with file_engine.begin() as other:  # another writer commits meanwhile
            other.execute(text("UPDATE t SET v = v + 1"))
        db.write_turn(session)  # before: the write below failed as stale and the request ran again
        v = session.execute(text("SELECT v FROM t")).scalar()
        assert v == 1  # read within the turn: current
        blocked = threading.Event()

        def rival() -> None:
            with file_engine.begin() as conn:  # waits for the turn: no lost update
                conn.execute(text("UPDATE t SET v = v * 100"))
            blocked.set()

        waiting = threading.Thread(target=rival)
        waiting.start()
        assert not blocked.wait(timeout=0.5)  # the turn is held until the commit
        session.execute(text("UPDATE t SET v = :v"), {"v": v + 10})
        session.commit()
        waiting.join(timeout=30)
        assert blocked.is_set()
    with file_engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar() == 1100


def test_the_write_turn_keeps_what_the_transaction_wrote(file_engine: Engine) -> None:
    with db.optimistic_sqlite(), Session(file_engine) as session:
        session.execute(text("UPDATE t SET v = 7"))  # the first write took the turn
        db.write_turn(session)  # held already: nothing is ended, nothing lost
        assert session.execute(text("SELECT v FROM t")).scalar() == 7
        session.rollback()
    with file_engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar() == 0  # still one transaction: rolled back whole


def test_writers_of_one_process_take_turns_without_busy_errors(file_engine: Engine) -> None:
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(40):
                with db.optimistic_sqlite(), file_engine.begin() as conn:
                    conn.execute(text("UPDATE t SET v = v + 1"))  # the first statement writes: never stale
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with file_engine.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar() == 320


# --- the rerun of a request whose reads went stale ----------------------------------------------------


def _sqlite_app_engine(tmp_path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'rerun.db'}")
    migrate.upgrade(engine)
    return engine


async def _receive_all(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


def test_writers_of_two_processes_take_turns_through_the_turn_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two engines on one file stand for two server processes: their writers wait for each other on the
    turn file (woken within milliseconds), not in SQLite's busy handler, and no update is lost."""
    url = f"sqlite:///{tmp_path / 'outrider.db'}"
    one, two = db.make_engine(url), db.make_engine(url)
    with one.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"))
        conn.execute(text("INSERT INTO t (id, v) VALUES (1, 0)"))
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT_S", 0.3)
    with one.begin() as holder:
        holder.execute(text("UPDATE t SET v = v + 1"))  # holds the turn of "process" one
        with pytest.raises(OperationalError, match="no write turn"), two.begin() as conn:
            conn.execute(text("UPDATE t SET v = v + 1"))  # refused by the turn, before SQLite's lock
    monkeypatch.setattr(db, "WRITE_LOCK_TIMEOUT_S", 30.0)
    errors: list[BaseException] = []

    def bump(engine: Engine) -> None:
        try:
            for _ in range(25):
                with db.optimistic_sqlite(), engine.begin() as conn:
                    conn.execute(text("UPDATE t SET v = v + 1"))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=bump, args=(e,)) for e in (one, two) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with two.connect() as conn:
        assert conn.execute(text("SELECT v FROM t")).scalar() == 1 + 6 * 25
    one.dispose()
    two.dispose()


def test_a_stale_request_runs_once_more_with_its_body(tmp_path: Path) -> None:
    db.set_engine(_sqlite_app_engine(tmp_path))
    seen: list[tuple[bytes, bool]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = await _receive_all(receive)
        seen.append((body, db._mode.get().optimistic))
        if len(seen) == 1:
            raise db.StaleSnapshot("stale")
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": body})

    try:
        resp = TestClient(StaleRerun(app)).post("/x", content=b"check-in")  # (no lifespan)
        assert resp.status_code == 201 and resp.content == b"check-in"
        assert seen == [(b"check-in", True), (b"check-in", False)]  # the second run takes the lock first
    finally:
        db.set_engine(None)


def test_a_started_response_is_never_run_again(tmp_path: Path) -> None:
    db.set_engine(_sqlite_app_engine(tmp_path))
    runs: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        runs.append({})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise db.StaleSnapshot("stale")

    try:
        TestClient(StaleRerun(app), raise_server_exceptions=False).get("/stream")
        assert len(runs) == 1
    finally:
        db.set_engine(None)


# --- a control room's load through the application (SQLite and PostgreSQL) ----------------------------


def test_a_check_in_is_not_held_back_by_a_slow_read(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = under_way(client, world, hours=2)
    duty = world["duty"].headers
    reading, written = threading.Event(), threading.Event()
    original = alerts_service.list_alerts

    def slow_list(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)  # the read transaction is open from here
        reading.set()
        written.wait(timeout=20)  # a control-room screen that takes its time
        return found

    monkeypatch.setattr(alerts_service, "list_alerts", slow_list)
    answers: dict[str, int] = {}

    def read() -> None:
        answers["read"] = client.get("/api/v1/alerts", headers=duty).status_code

    reader = threading.Thread(target=read)
    reader.start()
    assert reading.wait(timeout=60)
    # before: the read held the write lock to its end, so this waited 5 s and answered 500
    resp = client.post(f"/api/v1/movements/{mid}/checkins", json={"idempotency_key": "k"}, headers=duty)
    written.set()
    reader.join(timeout=60)
    assert resp.status_code == 201, resp.text
    assert answers["read"] == 200


def test_concurrent_readers_and_writers_see_no_5xx_and_lose_no_write(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world, hours=2)
    duty = world["duty"].headers
    statuses: Counter[int] = Counter()
    acknowledged: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(12)

    def reader(n: int) -> None:
        start.wait(timeout=60)
        for i in range(15):
            # an itinerary read writes its audit record: a read that ends in a write
            path = (f"/api/v1/movements/{mid}", "/api/v1/movements", "/api/v1/alerts")[(n + i) % 3]
            resp = client.get(path, headers=duty)
            with lock:
                statuses[resp.status_code] += 1

    def writer(n: int) -> None:
        start.wait(timeout=60)
        for i in range(15):
            key = f"w{n}-{i}"
            resp = client.post(
                f"/api/v1/movements/{mid}/checkins", json={"idempotency_key": key}, headers=duty
            )
            with lock:
                statuses[resp.status_code] += 1
                if resp.status_code == 201:
                    acknowledged.append(key)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert set(statuses) <= {200, 201}, statuses  # before: 500 "database is locked" on SQLite
    assert len(acknowledged) == 60
    with Session(engine) as session:
        keys = set(session.scalars(select(CheckIn.idempotency_key).where(CheckIn.movement_id == mid)))
        assert keys == set(acknowledged)
        audited = session.scalar(
            select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "movement.checkin")
        )
        assert audited == 60
        seqs = list(session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)))
        assert seqs == list(range(1, len(seqs) + 1))  # one chain, no fork, no gap


def _holds_turn(session: Session) -> bool:
    """Whether this session's SQLite connection holds the write turn (PostgreSQL: always False)."""
    conn = session.connection()
    return conn.dialect.name == "sqlite" and bool(conn.connection.record_info.get(db._HOLDS))


def test_a_board_and_a_check_in_take_the_write_turn_only_for_their_work(
    client: TestClient, world: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token is looked up without the turn; the board takes it for its audit record alone (a writer
    committing between its reads and that record does not make it run again), a check-in before reading
    the movement its writes depend on."""
    mid = under_way(client, world, hours=2)
    duty = world["duty"].headers
    seen: dict[str, list[bool]] = {"token": [], "board": [], "checkin": []}
    real_token, real_counts, real_movement = (
        bearer.caller_for_token,
        board_names.links_of,
        checkins._movement,
    )

    def token(session: Session, **kwargs: Any) -> Any:
        seen["token"].append(_holds_turn(session))
        return real_token(session, **kwargs)

    def counts(session: Session, ids: Any) -> Any:
        seen["board"].append(_holds_turn(session))
        with db.transaction() as other:  # another writer commits after the lines were read
            other.execute(text("UPDATE movements SET updated_at = updated_at WHERE id = :id"), {"id": mid})
        return real_counts(session, ids)

    def movement(session: Session, *args: Any) -> Any:
        seen["checkin"].append(_holds_turn(session))
        return real_movement(session, *args)

    monkeypatch.setattr(bearer, "caller_for_token", token)
    monkeypatch.setattr(board_names, "links_of", counts)
    monkeypatch.setattr(checkins, "_movement", movement)
    board = client.get("/api/v1/movements", headers=duty)
    assert board.status_code == 200, board.text
    resp = client.post(f"/api/v1/movements/{mid}/checkins", json={"idempotency_key": "t"}, headers=duty)
    assert resp.status_code == 201, resp.text
    sqlite = engine.dialect.name == "sqlite"
    assert seen["token"] == [False, False]  # never in the turn (a request run again would show twice)
    assert seen["board"] == [False]  # its lines read without the turn, once: it was not run again
    assert seen["checkin"] == [sqlite]  # in the turn from before it reads the movement
    with Session(engine) as session:
        named = audit_lookup.records_about(
            session, object_type="movement", object_id=mid, actions=["movement.read_itinerary"]
        )
        boards = [r for r in named if r.details.get("via") == "board"]
        assert len(boards) == 1  # the board's read, recorded once (the scene's own reads are the others)
