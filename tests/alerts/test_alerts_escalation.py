"""Every alert kind escalates by the clock: the pure core's properties, and the job on both databases
(acknowledged alerts stay, overdue alerts keep their own job, a repeat does nothing, audited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service
from outrider.alerts.escalation import Pending, Step, escalations, reached
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.cordon import alert_desk
from outrider.http import caller_of
from outrider.movements.tracking import OVERDUE

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
STEPS = (Step(0, 1, ("duty_officer",)), Step(15, 2, ("duty_officer", "liaison")), Step(30, 3, ("admin",)))

steps_st = st.lists(
    st.tuples(st.integers(0, 600), st.integers(1, 10)), min_size=1, max_size=5, unique_by=lambda t: t[1]
).map(lambda xs: tuple(Step(m, lvl) for m, lvl in xs))
pending_st = st.builds(
    Pending,
    alert_id=st.integers(1, 10**6),
    opened_at=st.just(T0),
    level=st.integers(0, 10),
    acknowledged=st.booleans(),
    resolved=st.booleans(),
)


@given(pending_st, steps_st, st.integers(0, 2000), st.integers(0, 2000))
def test_escalation_only_rises_and_rises_with_time(alert: Pending, steps: Any, a: int, b: int) -> None:
    early, late = sorted((a, b))
    first = escalations([alert], steps, now=T0 + timedelta(minutes=early))
    second = escalations([alert], steps, now=T0 + timedelta(minutes=late))
    for found in (first, second):
        for e in found:
            assert e.level > alert.level  # never lowers, never repeats the level held
            assert not alert.acknowledged and not alert.resolved
    if first:
        assert second and second[0].level >= first[0].level  # later is never lower
    # a stored level at what was reached makes a repeat a no-op
    for e in second:
        again = Pending(alert.alert_id, alert.opened_at, e.level)
        assert escalations([again], steps, now=T0 + timedelta(minutes=late)) == []


@given(steps_st, st.integers(0, 2000))
def test_the_step_reached_is_the_highest_whose_time_has_come(steps: Any, minutes: int) -> None:
    step = reached(steps, minutes)
    due = [s for s in steps if s.after_minutes <= minutes]
    assert (step is None) == (not due)
    if step is not None:
        assert step.level == max(s.level for s in due)


def _alert(session: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "kind": "cordon_dwell",
        "severity": Severity.high,
        "subject_type": "vehicle",
        "subject_id": "PICKUP@site:1:outer",
        "title": "waiting",
        "now": T0,
    }
    args.update(kw)
    return service.raise_alert(session, **args)[0]


def test_the_job_escalates_every_open_unacknowledged_alert_once(engine: Engine, world: Any) -> None:
    with db.transaction() as session:
        dwell = _alert(session)
        risk = _alert(session, kind="risk_rising", subject_type="movement", subject_id=3)
        acked = _alert(session, subject_id="OTHER@site:1:outer")
        overdue = _alert(session, kind=OVERDUE, subject_type="movement", subject_id=4)
        duty = caller_of(session.get_one(User, world["duty"].user_id))
        service.acknowledge(session, caller=duty, alert_id=acked.id, note="patrol sent", now=T0)
        ids = (dwell.id, risk.id, acked.id, overdue.id)

    def levels() -> list[int]:
        with db.transaction() as session:
            return [session.get_one(Alert, i).escalation_level for i in ids]

    def tick(minutes: int) -> int:
        with db.transaction() as session:
            return alert_desk.escalation_tick(
                session, now=T0 + timedelta(minutes=minutes), steps_from=lambda _s: STEPS
            )

    assert tick(1) == 2 and levels() == [1, 1, 0, 0]
    assert tick(1) == 0  # a repeat (another worker, the next tick) does nothing
    assert tick(20) == 2 and levels() == [2, 2, 0, 0]
    assert tick(45) == 2 and levels() == [3, 3, 0, 0]
    assert tick(90) == 0
    with db.transaction() as session:
        row = session.get_one(Alert, dwell.id)
        assert row.details["escalation_roles"] == ["admin"]
        records = session.scalars(select(AuditRecord).where(AuditRecord.action == "alert.escalate")).all()
        assert len(records) == 6 and {r.user_id for r in records} == {None}
        assert {r.details["level"] for r in records} == {1, 2, 3}


def test_the_job_uses_the_arrangement_by_default_and_skips_resolved_alerts(engine: Engine) -> None:
    with db.transaction() as session:
        alert = _alert(session)
        gone = _alert(session, subject_id="GONE@site:1:outer")
        service.resolve(
            session, kind="cordon_dwell", subject_type="vehicle", subject_id="GONE@site:1:outer", now=T0
        )
        alert_id, gone_id = alert.id, gone.id
        assert [s.level for s in alert_desk.arrangement_steps(session)] == [1, 2, 3]
    with db.transaction() as session:
        assert alert_desk.escalation_tick(session, now=T0 + timedelta(minutes=16)) == 1
        assert session.get_one(Alert, alert_id).escalation_level == 2
        assert session.get_one(Alert, gone_id).escalation_level == 0


def test_run_jobs_once_reports_escalated_alerts(engine: Engine) -> None:
    from outrider.jobs import run_jobs_once

    with db.transaction() as session:
        _alert(session, now=db.utcnow() - timedelta(minutes=40))
    done = run_jobs_once()
    assert done["alerts_escalated"] == 1
    assert run_jobs_once()["alerts_escalated"] == 0


def test_a_second_worker_skips_the_alerts_the_first_is_escalating(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite deployments run one embedded worker; the concurrency claim is PostgreSQL's")
    with db.transaction() as session:
        _alert(session)
        _alert(session, subject_id="SECOND@site:1:outer")
    when = T0 + timedelta(minutes=20)
    with Session(engine) as first, first.begin():
        assert alert_desk.escalation_tick(first, now=when, steps_from=lambda _s: STEPS) == 2
        with Session(engine) as second, second.begin():  # the rows are locked: skipped, not waited for
            assert alert_desk.escalation_tick(second, now=when, steps_from=lambda _s: STEPS) == 0
    with db.transaction() as session:  # committed: the stored level makes a repeat a no-op
        assert alert_desk.escalation_tick(session, now=when, steps_from=lambda _s: STEPS) == 0
        levels = session.scalars(select(Alert.escalation_level)).all()
        assert sorted(levels) == [2, 2]
