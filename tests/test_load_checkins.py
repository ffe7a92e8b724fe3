"""The routine check-in as plain statements keeps every rule the unit of work kept: late and out-of-order
reports leave the deadline at the latest, a retry counts once, each new report is audited once, an
overdue movement is under way again, and a session that held the movement sees its new columns."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from movement_scenes import under_way
from outrider import db
from outrider.accounts.models import User
from outrider.audit.models import AuditRecord
from outrider.http import caller_of
from outrider.movements import checkins
from outrider.movements import schemas as s
from outrider.movements.models import CheckIn, Movement

_run = itertools.count()
_movements: dict[int, int] = {}


def _check_in(user_id: int, mid: int, key: str, at: datetime, status: str = "ok") -> bool:
    with db.transaction() as session:
        caller = caller_of(session.get_one(User, user_id))
        data = s.CheckInCreate(idempotency_key=key, status=s.CheckInStatus(status), at=at)
        return checkins.check_in(session, caller=caller, movement_id=mid, data=data, now=db.utcnow())[1]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    reports=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 3600)),  # (key, seconds after departure)
        min_size=1,
        max_size=6,
    )
)
def test_late_reports_and_retries_keep_the_latest_deadline_and_count_once(
    client: TestClient, world: Any, engine: Engine, reports: list[tuple[int, int]]
) -> None:
    run = next(_run)
    # the fixtures live for the whole test, not per example: one movement on the road for all examples
    mid = _movements.get(id(world)) or _movements.setdefault(id(world), under_way(client, world, hours=4))
    with Session(engine) as session:
        departed = session.get_one(Movement, mid).departed_at
        before = session.scalar(select(Movement.last_checkin_at).where(Movement.id == mid))
    assert departed is not None
    first_at: dict[int, datetime] = {}
    for key, offset in reports:
        at = min(departed + timedelta(seconds=offset), datetime.now(UTC))
        new = _check_in(world["duty"].user_id, mid, f"p{run}-{key}", at)
        assert new == (key not in first_at)  # a retry answers the first record
        first_at.setdefault(key, at)
    with Session(engine) as session:
        latest = session.scalar(select(Movement.last_checkin_at).where(Movement.id == mid))
        expected = max([*first_at.values(), *([before] if before else [])])
        assert latest == expected  # only the latest report moves the deadline, whatever the order
        stored = session.scalar(
            select(func.count()).select_from(CheckIn).where(CheckIn.idempotency_key.like(f"p{run}-%"))
        )
        assert stored == len(first_at)
        audited = session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "movement.checkin", AuditRecord.object_id == str(mid))
        )
        ours = session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.movement_id == mid))
        assert audited == ours  # one record per new report, none for a retry


def test_an_overdue_movement_is_under_way_again_and_a_held_movement_sees_it(
    client: TestClient, world: Any, engine: Engine
) -> None:
    mid = under_way(client, world)
    with db.transaction() as session:
        held = session.get_one(Movement, mid)
        held.status, held.overdue_since, held.escalation_level = "overdue", db.utcnow(), 2
    with db.transaction() as session:
        held = session.get_one(Movement, mid)  # loaded before the check-in, in the same session
        assert held.status == "overdue"
        caller = caller_of(session.get_one(User, world["duty"].user_id))
        data = s.CheckInCreate(idempotency_key="back", status=s.CheckInStatus.ok)
        record, new = checkins.check_in(session, caller=caller, movement_id=mid, data=data, now=db.utcnow())
        assert new and record.id is not None
        assert (held.status, held.overdue_since, held.escalation_level) == ("under_way", None, 0)
        assert held.last_checkin_at == record.at
    with Session(engine) as session:
        rec = session.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "movement.checkin")
            .order_by(AuditRecord.seq.desc())
        ).first()
        assert rec is not None and rec.details["status"] == "under_way"
        assert rec.details["checkin_id"] == record.id
