"""The group commit of reads' audit records (`audit.gathered`), on SQLite and on PostgreSQL: every request
handed in gets its record, in the order handed in, those of one group under one signed head, each request
answered only after the commit (and, on SQLite, the log's sync) that holds its record; a group that fails
fails every member and writes nothing; a member that waits too long is refused cleanly; the chain verifies.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from movement_scenes import under_way
from outrider import db
from outrider.audit import gathered
from outrider.audit import service as audit
from outrider.audit.models import AuditCheckpoint, AuditRecord
from outrider.audit.verification import verify
from outrider.movements import need_to_know

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
ACTOR = audit.Actor(user_id=None, organization_id=None, channel="api", request_id="r")


def _prepared(tag: str, k: int = 0) -> audit.Prepared:
    entry = audit.Entry(ACTOR, "movement.read_itinerary", "board", f"{tag}.{k}", names=[("movement", tag)])
    return audit.prepare(entry, T0)


def _started(engine: Engine) -> None:
    with db.transaction() as session:  # a chain with a head to hold
        audit.record(session, actor=ACTOR, action="test.start", object_type="t", object_id=0, now=T0)


def _records(engine: Engine) -> list[tuple[int, str]]:
    with db.optimistic_sqlite(), Session(engine) as session:  # reads beside a holder of the write turn
        rows = session.execute(select(AuditRecord.seq, AuditRecord.object_id).order_by(AuditRecord.seq))
        return [(int(s), str(o)) for s, o in rows if o != "0"]


def _signed(engine: Engine) -> list[int]:
    with db.optimistic_sqlite(), Session(engine) as session:
        return [int(s) for s in session.scalars(select(AuditCheckpoint.seq).order_by(AuditCheckpoint.seq))]


def _verified(engine: Engine) -> None:
    with Session(engine) as session:
        verdict = verify(session)
        assert verdict.ok, verdict


def _request(records: list[audit.Prepared], outcome: dict[str, Any], key: str) -> None:
    """What an API request does: reads, its records deferred, then its commit (`http.commit_now`)."""
    session = db.session_factory()()
    try:
        with db.optimistic_sqlite():  # as the API reads on SQLite: no write turn until it writes
            gathered.gathers(session)
            session.execute(select(func.count()).select_from(AuditRecord)).scalar_one()  # a read first
            gathered.append(session, records)
            gathered.commit(session)
        outcome[key] = "ok"
    except Exception as exc:
        outcome[key] = exc
    finally:
        session.close()


def _queued(engine: Engine) -> int:
    return len(gathered._group(engine)._queue)


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, "the requests never queued"
        time.sleep(0.01)


@pytest.fixture
def head_held(engine: Engine) -> Iterator[Session]:
    """A transaction holding the chain's head (SQLite's write turn, PostgreSQL's row lock) until the test
    rolls it back: the first request to lead waits for it while the others hand their records in."""
    _started(engine)
    blocker = db.session_factory()()
    audit.hold_head(blocker)
    try:
        yield blocker
    finally:
        blocker.rollback()
        blocker.close()


def _run(tickets: dict[str, list[audit.Prepared]], blocker: Session, engine: Engine) -> dict[str, Any]:
    """The requests started one after another, each queued before the next starts; then the head freed."""
    outcome: dict[str, Any] = {}
    threads = []
    for n, (key, records) in enumerate(tickets.items()):
        t = threading.Thread(target=_request, args=(records, outcome, key))
        t.start()
        threads.append(t)
        # the first leads and waits for the head; each after it queues behind (arrival order is fixed)
        _wait_for(lambda n=n: _queued(engine) == n + 1)
    blocker.rollback()
    for t in threads:
        t.join(30)
    return outcome


def test_records_handed_in_together_are_one_commit_under_one_signed_head(
    engine: Engine, head_held: Session
) -> None:
    tickets = {f"q{i}": [_prepared(f"q{i}", k) for k in range(1 + i % 3)] for i in range(8)}
    signed_before = _signed(engine)
    outcome = _run(tickets, head_held, engine)
    assert outcome == dict.fromkeys(tickets, "ok")
    written = [o for _s, o in _records(engine)]
    assert written == [f"{key}.{k}" for key, recs in tickets.items() for k in range(len(recs))]  # in order
    new_heads = _signed(engine)[len(signed_before) :]
    assert new_heads == [max(s for s, _o in _records(engine))]  # one signed head covers the whole group
    _verified(engine)


def test_a_group_that_fails_fails_every_member_and_writes_nothing(engine: Engine, head_held: Session) -> None:
    broken = dataclasses.replace(_prepared("bad"), values={**_prepared("bad").values, "object_type": None})
    tickets = {"a": [_prepared("a")], "b": [_prepared("b"), broken], "c": [_prepared("c")]}
    before, signed = _records(engine), _signed(engine)
    outcome = _run(tickets, head_held, engine)
    assert set(outcome) == {"a", "b", "c"} and all(isinstance(v, Exception) for v in outcome.values())
    assert isinstance(outcome["b"], gathered.NotCommitted) and isinstance(outcome["c"], gathered.NotCommitted)
    assert not isinstance(outcome["a"], gathered.NotCommitted)  # the leader: the database's own error
    assert _records(engine) == before and _signed(engine) == signed  # nothing half-written
    # the next group forms and commits as ever
    again: dict[str, Any] = {}
    _request([_prepared("d")], again, "d")
    assert again == {"d": "ok"} and [o for _s, o in _records(engine)] == ["d.0"]
    _verified(engine)


def test_a_member_whose_group_never_comes_is_refused_and_its_record_withdrawn(
    engine: Engine, head_held: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gathered._group(engine), "wait_s", 0.3)
    outcome: dict[str, Any] = {}
    leader = threading.Thread(target=_request, args=([_prepared("lead")], outcome, "lead"))
    leader.start()
    _wait_for(lambda: _queued(engine) == 1)  # it leads, and waits for the head
    _request([_prepared("late")], outcome, "late")  # queued behind it: no group takes it in time
    assert isinstance(outcome["late"], gathered.NotCommitted) and "no group commit took" in str(
        outcome["late"]
    )
    assert _queued(engine) == 1  # withdrawn: only the leader's own is left
    head_held.rollback()
    leader.join(30)
    assert outcome["lead"] == "ok"
    assert [o for _s, o in _records(engine)] == ["lead.0"]  # the refused request's record was never written
    _verified(engine)


def test_a_member_taken_by_a_leader_waits_for_its_group_past_its_own_wait(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The leader takes the member's record, then its append outlasts the member's wait. Before the fix the
    # member answered an error (500) though its record was then committed: a read recorded as not served.
    _started(engine)
    group = gathered._group(engine)
    monkeypatch.setattr(group, "wait_s", 0.3)
    real_hold, real_append = audit.hold_head, audit.append_prepared_many

    def hold_when_both_queued(session: Session) -> Any:
        head = real_hold(session)
        _wait_for(lambda: _queued(engine) == 2)  # the member has handed its record in: the leader takes it
        return head

    def slow_append(session: Session, records: Any, *, head: Any) -> None:
        time.sleep(1.0)  # the member's wait (0.3 s) runs out meanwhile
        real_append(session, records, head=head)

    monkeypatch.setattr(audit, "hold_head", hold_when_both_queued)
    monkeypatch.setattr(audit, "append_prepared_many", slow_append)
    outcome: dict[str, Any] = {}
    leader = threading.Thread(target=_request, args=([_prepared("lead")], outcome, "lead"))
    leader.start()
    _wait_for(lambda: _queued(engine) == 1)
    _request([_prepared("late")], outcome, "late")
    leader.join(30)
    assert outcome == {"lead": "ok", "late": "ok"}  # answered with its group's outcome, not an error
    assert [o for _s, o in _records(engine)] == ["lead.0", "late.0"]
    _verified(engine)


def test_no_member_is_answered_before_its_commit_is_durable(
    engine: Engine, head_held: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[str] = []
    at_sync: list[list[str]] = []
    real_commit = Session.commit

    def commit(self: Session) -> None:  # the commit returns after its log is synced (SQLite: at the release)
        real_commit(self)
        if self.info.get("probe.leader"):
            at_sync.append(list(answered))

    def lead(self: gathered.Group, session: Session, own: Any) -> None:
        session.info["probe.leader"] = True
        real_lead(self, session, own)

    real_lead = gathered.Group._lead
    monkeypatch.setattr(Session, "commit", commit)
    monkeypatch.setattr(gathered.Group, "_lead", lead)
    synced: list[str] = []
    if engine.dialect.name == "sqlite":
        real_sync = db._sync_log
        monkeypatch.setattr(db, "_sync_log", lambda path: (real_sync(path), synced.append(str(answered))))

    def request(key: str, out: dict[str, Any]) -> None:
        _request([_prepared(key)], out, key)
        answered.append(key)

    outcome: dict[str, Any] = {}
    threads = [threading.Thread(target=request, args=(k, outcome)) for k in ("a", "b", "c")]
    for n, t in enumerate(threads):
        t.start()
        _wait_for(lambda n=n: _queued(engine) == n + 1)
    head_held.rollback()
    for t in threads:
        t.join(30)
    assert outcome == {"a": "ok", "b": "ok", "c": "ok"}
    assert at_sync == [[]]  # one group; when its commit (its sync included) returned, nobody had answered
    if engine.dialect.name == "sqlite":
        assert synced and synced[0] == "[]"


def test_outside_a_group_the_records_go_with_the_transactions_own_commit(engine: Engine) -> None:
    _started(engine)
    with db.transaction() as session:  # not marked (the CLI, the jobs): appended at once
        gathered.append(session, [_prepared("cli")])
        assert session.scalar(select(func.count()).where(AuditRecord.object_id == "cli.0")) == 1
    session = db.session_factory()()
    try:  # marked, committed without `gathered.commit`: appended as the commit begins
        gathered.gathers(session)
        gathered.append(session, [_prepared("plain")])
        session.commit()
        # marked, but it wrote itself: its records go with its own writes, not to a group
        audit.record(session, actor=ACTOR, action="test.own", object_type="t", object_id="own", now=T0)
        gathered.append(session, [_prepared("own")])
        assert db.has_written(session)
        gathered.commit(session)
        gathered.append(session, [_prepared("dropped")])  # rolled back: nothing of it stays
        session.rollback()
        session.commit()
    finally:
        session.close()
    assert [o for _s, o in _records(engine)] == ["cli.0", "plain.0", "own", "own.0"]
    _verified(engine)


@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=10))
def test_any_number_of_readers_at_once_each_get_their_records_once_and_in_order(
    engine: Engine, sizes: list[int]
) -> None:
    tickets = {f"p{i}": [_prepared(f"p{i}", k) for k in range(n)] for i, n in enumerate(sizes)}
    before, signed = _records(engine), _signed(engine)
    outcome: dict[str, Any] = {}
    threads = [threading.Thread(target=_request, args=(recs, outcome, key)) for key, recs in tickets.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcome == dict.fromkeys(tickets, "ok")
    written = [o for _s, o in _records(engine)[len(before) :]]
    assert sorted(written) == sorted(f"{key}.{k}" for key, recs in tickets.items() for k in range(len(recs)))
    for key, recs in tickets.items():  # a request's records together, in its order
        at = written.index(f"{key}.0")
        assert written[at : at + len(recs)] == [f"{key}.{k}" for k in range(len(recs))]
    groups = len(_signed(engine)) - len(signed)
    assert 1 <= groups <= len(tickets)  # a signed head per group, no more
    assert _queued(engine) == 0 and not gathered._group(engine)._leading
    _verified(engine)


def test_concurrent_board_reads_each_get_their_record(client: TestClient, world: Any, engine: Engine) -> None:
    first = under_way(client, world)
    duty = world["duty"]

    def boards() -> int:
        with Session(engine) as session:
            return int(
                session.scalar(
                    select(func.count()).where(
                        AuditRecord.action == need_to_know.READ_ITINERARY, AuditRecord.object_type == "board"
                    )
                )
                or 0
            )

    before = boards()
    statuses: list[int] = []

    def reader() -> None:
        for _ in range(3):
            statuses.append(client.get("/api/v1/movements", headers=duty.headers).status_code)

    threads = [threading.Thread(target=reader) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert statuses == [200] * 30
    assert boards() == before + 30
    report = client.get(f"/api/v1/movements/{first}/who-knew", headers=world["auditor"].headers).json()
    reads = {r["user_id"]: r["reads"] for r in report["readers"]}
    assert reads[duty.user_id] >= 30
    verdict = client.get("/api/v1/audit/verify", headers=world["auditor"].headers).json()
    assert verdict["ok"] is True, verdict
