"""A board read is one audit record naming every itinerary it showed: who-knew still finds each reader of
each movement, a forged index row proves nothing, the index is append-only, and the chain verifies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from movement_scenes import under_way
from outrider import db
from outrider.access.need_to_know import ItineraryDecision, Relationship
from outrider.access.policy import Caller
from outrider.audit import lookup as audit_lookup
from outrider.audit import named_index
from outrider.audit import service as audit_service
from outrider.audit.models import AuditRecord, AuditRecordObject
from outrider.movements import need_to_know
from outrider.movements.models import Movement

READ = need_to_know.READ_ITINERARY


def _catch_up(engine: Engine, first: int) -> None:
    """Index the records from ``first`` on now (the append crossing the next multiple of EVERY would)."""
    with db.transaction() as session:
        db.write_turn(session)
        named_index.catch_up(session, first)


def _board_records(engine: Engine) -> list[AuditRecord]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(AuditRecord)
                .where(AuditRecord.action == READ, AuditRecord.object_type == "board")
                .order_by(AuditRecord.seq)
            )
        )


def test_a_board_read_is_one_record_naming_each_itinerary_shown(
    client: TestClient, world: Any, engine: Engine
) -> None:
    first = under_way(client, world)
    duty = world["duty"]
    before = len(_board_records(engine))
    board = client.get("/api/v1/movements", headers=duty.headers).json()["items"]
    shown = sorted(i["id"] for i in board if i["itinerary_visible"])
    assert first in shown
    records = _board_records(engine)
    assert len(records) == before + 1  # before: one record per line shown
    rec = records[-1]
    assert rec.user_id == duty.user_id and rec.details["via"] == "board"
    assert sorted(int(k) for k in rec.details["movements"]) == shown
    assert sorted(int(i) for kind, i in rec.details["names"] if kind == "movement") == shown
    assert rec.details["movements"][str(first)]["relationships"]  # why the reader could read it
    _catch_up(engine, rec.seq)  # the index, kept up in bulk, names each movement for the record
    with Session(engine) as session:
        indexed = session.scalars(select(AuditRecordObject.object_id).where(AuditRecordObject.seq == rec.seq))
        assert sorted(int(i) for i in indexed) == shown
    for mid in shown:  # who knew: the board's reader, for each movement it showed
        report = client.get(f"/api/v1/movements/{mid}/who-knew", headers=world["auditor"].headers).json()
        reads = {r["user_id"]: r["reads"] for r in report["readers"]}
        assert reads[duty.user_id] >= 1
    with Session(engine) as session:
        found = audit_lookup.records_about(session, object_type="movement", object_id=first, actions=[READ])
        assert rec.seq in {r.seq for r in found}
    verdict = client.get("/api/v1/audit/verify", headers=world["auditor"].headers).json()
    assert verdict["ok"] is True, verdict


def test_a_board_that_shows_no_itinerary_records_nothing(
    client: TestClient, world: Any, engine: Engine
) -> None:
    under_way(client, world)
    before = len(_board_records(engine))
    items = client.get("/api/v1/movements", headers=world["other_coord"].headers).json()["items"]
    assert not any(i["itinerary_visible"] for i in items)
    assert len(_board_records(engine)) == before


def test_a_forged_index_row_does_not_make_a_reader(client: TestClient, world: Any, engine: Engine) -> None:
    mid = under_way(client, world)
    with Session(engine) as session:
        other = session.scalar(select(func.max(AuditRecord.seq)).where(AuditRecord.object_type != "movement"))
        assert other is not None
        session.add(AuditRecordObject(seq=other, object_type="movement", object_id=str(mid)))
        session.commit()
        found = audit_lookup.records_about(session, object_type="movement", object_id=mid)
        assert other not in {r.seq for r in found}  # the record itself does not name the movement


def test_the_index_of_named_objects_is_append_only(client: TestClient, world: Any, engine: Engine) -> None:
    under_way(client, world)
    client.get("/api/v1/movements", headers=world["duty"].headers)
    _catch_up(engine, _board_records(engine)[-1].seq)
    for statement in (
        "UPDATE audit_record_objects SET object_id = '0'",
        "DELETE FROM audit_record_objects",
    ):
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditRecordObject))


def test_the_relationships_of_a_board_read_are_stated_per_movement() -> None:
    planned = Movement(id=1, reference="MOV-1")
    escorted = Movement(id=2, reference="MOV-2")
    caller = Caller(5, 3, "company", "PK", frozenset({"coordinator"}))
    when = datetime(2026, 12, 5, tzinfo=UTC)
    entry = need_to_know.board_read_entry(
        caller,
        [
            (planned, ItineraryDecision(True, frozenset({Relationship.planner}), "", when)),
            (escorted, ItineraryDecision(True, frozenset({Relationship.escort}), "", when)),
        ],
        ("planned_departure",),
    )
    rec = AuditRecord(details=audit_service.prepare(entry, when).details)
    # the planner of one movement is an outside reader of the other (the first release of its itinerary)
    assert need_to_know.relationships_in(rec, 1) == [Relationship.planner]
    assert need_to_know.relationships_in(rec, 2) == [Relationship.escort]
    single = AuditRecord(details={"reference": "MOV-3", "relationships": ["granted"]})
    assert need_to_know.relationships_in(single, 3) == ["granted"]
