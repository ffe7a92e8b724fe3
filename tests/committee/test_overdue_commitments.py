"""The overdue-commitment alert: raised once to both founding parties, kept (not duplicated) while the
commitment stays overdue, resolved when it closes or its deadline moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from outrider import db
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts.models import Alert
from outrider.committee import commitments
from outrider.committee import schemas_commitments as s
from outrider.committee.jobs import OVERDUE_ALERT, commitments_overdue_tick
from outrider.committee.ladder import Stage
from outrider.committee.overdue import Watched, scan
from outrider.errors import NotFound
from outrider.http import caller_of

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _callers(world: Any) -> dict[str, Caller]:
    with db.transaction() as session:
        return {n: caller_of(session.get_one(User, world[n].user_id)) for n in world.actors}


def _commitment(caller: Caller, deadline: date) -> int:
    data = s.CommitmentCreate.model_validate(
        {"title": "Equipment handover", "kind": "capacity_equipment", "deadline": deadline.isoformat()}
    )
    with db.transaction() as session:
        return commitments.create_commitment(session, caller=caller, data=data, now=NOW).id


def _alerts(cid: int) -> list[Alert]:
    with db.transaction() as session:
        rows = session.scalars(select(Alert).where(Alert.kind == OVERDUE_ALERT, Alert.subject_id == str(cid)))
        return list(rows)


def _tick(now: datetime = NOW) -> tuple[tuple[int, ...], tuple[int, ...]]:
    with db.transaction() as session:
        t = commitments_overdue_tick(session, now=now)
    return t.raised, t.resolved


def test_the_scan_alerts_once_and_resolves_what_is_no_longer_overdue() -> None:
    today = date(2026, 11, 2)
    watched = [
        Watched(1, True, date(2026, 11, 1)),  # overdue
        Watched(2, True, today),  # due today: not yet
        Watched(3, False, date(2026, 1, 1)),  # closed
        Watched(4, True, None),
    ]
    assert scan(watched, alerted=[], today=today).overdue == (1,)
    done = scan(watched, alerted=[1, 3], today=today)
    assert (done.overdue, done.resolve) == ((), (3,))


def test_an_overdue_commitment_alerts_both_parties_once_and_closing_resolves_it(world: Any) -> None:
    who = _callers(world)
    cid = _commitment(who["admin"], NOW.date() - timedelta(days=5))
    fresh = _commitment(who["admin"], NOW.date() + timedelta(days=5))
    assert _tick() == ((cid,), ())
    assert _tick(NOW + timedelta(minutes=1)) == ((), ())  # kept, never a second alert
    (alert,) = _alerts(cid)
    assert _alerts(fresh) == []
    assert (alert.severity, alert.organization_id) == ("warning", world.orgs["host"])
    assert alert.details["days_overdue"] == 5 and alert.occurrences == 1
    assert "past its deadline of" in alert.title
    with db.transaction() as session:
        assert alerts_service.audience_of(session, alert.id) == {world.orgs["embassy"]}
        for reader in ("liaison", "embassy_admin", "duty"):  # both parties read it
            alerts_service.get_alert(session, caller=who[reader], alert_id=alert.id)
        for outsider in ("coord", "acme_admin", "other_coord"):
            try:
                alerts_service.get_alert(session, caller=who[outsider], alert_id=alert.id)
            except NotFound:
                continue
            raise AssertionError(f"{outsider} read the commitment's alert")
    move = s.StageMove(stage=Stage.done, date=NOW.date(), title="handed over at the ceremony")
    with db.transaction() as session:
        commitments.move_stage(session, caller=who["liaison"], commitment_id=cid, data=move, now=NOW)
    (alert,) = _alerts(cid)
    assert alert.resolved_at is not None
    assert _tick(NOW + timedelta(minutes=2)) == ((), ())


def test_moving_the_deadline_resolves_the_alert_and_a_past_one_alerts_again(world: Any) -> None:
    who = _callers(world)
    cid = _commitment(who["admin"], NOW.date() - timedelta(days=2))
    _tick()
    later = s.CommitmentChange.model_validate({"deadline": "2027-01-31", "reason": "postponed at the JWG"})
    with db.transaction() as session:
        commitments.change(session, caller=who["embassy_admin"], commitment_id=cid, data=later, now=NOW)
    assert [a.resolved_at is not None for a in _alerts(cid)] == [True]
    assert _tick(NOW + timedelta(minutes=1)) == ((), ())
    assert _tick(datetime(2027, 2, 1, 0, 30, tzinfo=UTC)) == ((cid,), ())  # the new deadline passes too
    assert [a.resolved_at is None for a in _alerts(cid)] == [False, True]


def test_an_alert_left_open_for_a_closed_commitment_is_resolved_by_the_job(world: Any) -> None:
    who = _callers(world)
    cid = _commitment(who["admin"], NOW.date() - timedelta(days=2))
    _tick()
    with db.transaction() as session:  # closed behind the service's back (an older version, by hand)
        row = commitments.get_commitment(session, caller=who["admin"], commitment_id=cid)
        row.status = "closed"
    assert _tick(NOW + timedelta(minutes=1)) == ((), (cid,))
