"""Working an alert on both databases: assigning (to whom, by whom), progress notes, acknowledgements that
lapse without progress (the chain is told), reopening (not over a twin), drills and their report; every act
audited, every refusal the same on every face."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import listeners, service
from outrider.alerts.lifecycle import Act, Standing, apply
from outrider.alerts.models import Alert, AlertNote
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.cordon import alert_desk
from outrider.errors import Forbidden, InvalidInput
from outrider.http import caller_of
from outrider.notify import drills
from outrider.notify.models import AlertPlan, Notification

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
API = "/api/v1/alerts"


@pytest.fixture
def told() -> Iterator[list[tuple[int, str]]]:
    """What the alerts service told its listeners: (alert id, event)."""
    heard: list[tuple[int, str]] = []
    listeners.register("test-work", lambda _s, alert, event, _now: heard.append((alert.id, event)))
    yield heard
    listeners.unregister("test-work")


def _acme_alert(world: Any, subject: str = "site-gate", now: datetime = T0) -> int:
    with db.transaction() as session:
        alert, _ = service.raise_alert(
            session,
            kind="risk_rising",
            severity=Severity.high,
            subject_type="site",
            subject_id=subject,
            title="risk rising near the dam",
            organization_id=world.orgs["acme"],
            now=now,
        )
        return alert.id


def _caller(world: Any, who: str) -> Any:
    with db.transaction() as session:
        return caller_of(session.get_one(User, world[who].user_id))


def _actions(alert_id: int) -> list[str]:
    with db.transaction() as session:
        rows = session.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.object_type == "alert", AuditRecord.object_id == str(alert_id))
            .order_by(AuditRecord.seq)
        )
        return list(rows)


def test_assign_and_progress_through_the_api(client: TestClient, world: Any, told: Any) -> None:
    alert_id = _acme_alert(world)
    h = {k: world[k].headers for k in ("coord", "acme_admin", "other_coord", "liaison", "auditor", "duty")}
    url = f"{API}/{alert_id}"
    acme_admin = world["acme_admin"].user_id
    done = client.post(f"{url}/assign", json={"user_id": acme_admin}, headers=h["coord"])
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["assigned_to"], body["assigned_by"]) == (acme_admin, world["coord"].user_id)
    assert (alert_id, "assigned") in told
    again = client.post(f"{url}/assign", json={"user_id": acme_admin}, headers=h["coord"])
    assert again.status_code == 409
    # an assignee must read the alert and may take charge: not an analyst, not another company, not a ghost
    for user_id in (
        world["analyst"].user_id,
        world["other_coord"].user_id,
        world["liaison"].user_id,
        999_999,
    ):
        refused = client.post(f"{url}/assign", json={"user_id": user_id}, headers=h["coord"])
        assert refused.status_code == 422, (user_id, refused.text)
        assert refused.json()["errors"][0]["loc"][-1] == "user_id"
        # one refusal whether the user is missing or not allowed: no probing of who exists with which role
        assert f"user {user_id} may not read and take charge" in refused.json()["detail"]
    with db.transaction() as session:
        session.get_one(User, world["duty"].user_id).is_active = False
    assert (
        client.post(f"{url}/assign", json={"user_id": world["duty"].user_id}, headers=h["coord"]).status_code
        == 422
    )
    # who may not assign: a reader without the role (403), another company (404 as a missing alert)
    assert client.post(f"{url}/assign", json={"user_id": acme_admin}, headers=h["auditor"]).status_code == 403
    assert (
        client.post(f"{url}/assign", json={"user_id": acme_admin}, headers=h["other_coord"]).status_code
        == 404
    )

    posted = client.post(f"{url}/notes", json={"text": "patrol sent to the gate"}, headers=h["acme_admin"])
    assert posted.status_code == 201, posted.text
    assert posted.json()["kind"] == "progress" and posted.json()["user_id"] == acme_admin
    assert client.post(f"{url}/notes", json={"text": "  "}, headers=h["coord"]).status_code == 422
    assert client.post(f"{url}/notes", json={"text": "x"}, headers=h["liaison"]).status_code == 403
    log = client.get(f"{url}/notes", headers=h["auditor"])
    assert [n["kind"] for n in log.json()] == ["assigned", "progress"]
    assert client.get(f"{url}/notes", headers=h["other_coord"]).status_code == 404
    shown = client.get(url, headers=h["auditor"]).json()
    assert shown["assigned_to"] == acme_admin and shown["ack_expires_at"] is None
    assert _actions(alert_id) == ["alert.assign", "alert.progress"]


def test_an_acknowledgement_without_progress_lapses_and_the_chain_is_told(
    engine: Engine, world: Any, told: Any
) -> None:
    alert_id = _acme_alert(world)
    coord = _caller(world, "coord")
    minutes = timedelta(minutes=30)  # OUTRIDER_ALERT_ACK_TIMEOUT_MINUTES' default
    model = Standing(None, None)

    def tick(at: datetime) -> int:
        with db.transaction() as session:
            return alert_desk.ack_expiry_tick(session, now=at)

    with db.transaction() as session:
        alert = alert_desk.acknowledge(session, caller=coord, alert_id=alert_id, note="on it", now=T0)
        model = apply(model, Act.acknowledge, now=T0, timeout=minutes)
        assert alert.ack_expires_at == model.ack_expires_at == T0 + minutes
        later = T0 + timedelta(minutes=20)
        alert_desk.post_progress(
            session, caller=coord, alert_id=alert_id, text="patrol at the gate", now=later
        )
        model = apply(model, Act.progress, now=later, timeout=minutes)
        assert alert.ack_expires_at == model.ack_expires_at == T0 + timedelta(minutes=50)
    assert tick(T0 + timedelta(minutes=49)) == 0  # progress bought time
    assert tick(T0 + timedelta(minutes=50)) == 1
    assert tick(T0 + timedelta(minutes=51)) == 0  # a repeat does nothing
    model = apply(model, Act.expire, now=T0 + timedelta(minutes=50), timeout=minutes)
    with db.transaction() as session:
        row = session.get_one(Alert, alert_id)
        assert Standing(row.acknowledged_at, row.resolved_at, row.ack_expires_at) == model
        assert row.acknowledged_by is None and row.acknowledge_note == ""
        kinds = [n.kind for n in session.scalars(select(AlertNote).where(AlertNote.alert_id == alert_id))]
        assert kinds == ["acknowledged", "progress", "ack_expired"]
    assert (alert_id, "ack_expired") in told
    assert _actions(alert_id) == ["alert.acknowledge", "alert.progress", "alert.ack_expired"]
    with db.transaction() as session:  # taken again: a second acknowledgement is no conflict
        alert_desk.acknowledge(
            session, caller=coord, alert_id=alert_id, note="again", now=T0 + timedelta(hours=1)
        )


def test_reopen_needs_a_reason_and_refuses_over_an_open_twin(
    client: TestClient, world: Any, told: Any
) -> None:
    alert_id = _acme_alert(world)
    h = {k: world[k].headers for k in ("coord", "other_coord", "auditor", "duty")}
    url = f"{API}/{alert_id}"
    assert (
        client.post(f"{url}/reopen", json={"reason": "back"}, headers=h["coord"]).status_code == 409
    )  # open
    client.post(f"{url}/acknowledge", json={}, headers=h["coord"])
    assert (
        client.post(f"{url}/resolve", json={"reason": "patrol checked"}, headers=h["coord"]).status_code
        == 200
    )
    twin = _acme_alert(world, now=db.utcnow())
    clash = client.post(f"{url}/reopen", json={"reason": "it came back"}, headers=h["coord"])
    assert clash.status_code == 409 and f"alert {twin}" in clash.json()["detail"]
    client.post(f"{API}/{twin}/resolve", json={"reason": "duplicate"}, headers=h["duty"])
    assert client.post(f"{url}/reopen", json={"reason": " "}, headers=h["coord"]).status_code == 422
    assert client.post(f"{url}/reopen", json={"reason": "x"}, headers=h["auditor"]).status_code == 403
    assert client.post(f"{url}/reopen", json={"reason": "x"}, headers=h["other_coord"]).status_code == 404
    done = client.post(f"{url}/reopen", json={"reason": "it came back"}, headers=h["coord"])
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["resolved_at"] is None and body["acknowledged_at"] is None and body["reopened_by"] is not None
    assert (alert_id, "reopened") in told
    kinds = [n["kind"] for n in client.get(f"{url}/notes", headers=h["auditor"]).json()]
    assert kinds == ["acknowledged", "resolved", "reopened"]
    assert _actions(alert_id)[-1] == "alert.reopen"
    # open again: counted among the unacknowledged ones
    listed = client.get(f"{API}?status=unacknowledged", headers=h["coord"]).json()
    assert alert_id in {a["id"] for a in listed["items"]}


def test_a_drill_calls_through_the_plan_and_reports_who_never_answered(engine: Engine, world: Any) -> None:
    duty, coord, admin = (_caller(world, w) for w in ("duty", "coord", "admin"))
    # a coordinator runs no drill; nobody drills another organisation
    with pytest.raises(Forbidden), db.transaction() as session:
        drills.start(session, caller=coord, organization_id=world.orgs["acme"], now=T0)
    with pytest.raises(Forbidden), db.transaction() as session:
        drills.start(session, caller=duty, organization_id=world.orgs["acme"], now=T0)
    with pytest.raises(InvalidInput), db.transaction() as session:
        drills.start(session, caller=duty, organization_id=world.orgs["host"], policy_id=999_999, now=T0)
    with db.transaction() as session:
        alert = drills.start(session, caller=duty, organization_id=world.orgs["host"], now=T0)
        assert alert.kind == "drill" and alert.details["exercise"] is True and "EXERCISE" in alert.title
        alert_id = alert.id
        plan = session.get(AlertPlan, alert_id) or AlertPlan(alert_id=alert_id, started_at=T0, created_at=T0)
        users = [world[w].user_id for w in ("duty", "admin")]
        plan.steps = [
            {
                "step": 1,
                "after_minutes": 0,
                "channels": ["email"],
                "targets": [{"user_id": users[0], "via": "user"}],
            },
            {
                "step": 2,
                "after_minutes": 5,
                "channels": ["email"],
                "targets": [{"user_id": users[1], "via": "user"}],
            },
        ]
        session.add(plan)
        session.query(Notification).filter(Notification.alert_id == alert_id).delete()
        for n, user_id in enumerate(users, start=1):
            session.add(
                Notification(
                    delivery_id=f"drill-{alert_id}-{n}",
                    alert_id=alert_id,
                    purpose="alert",
                    step=n,
                    target=f"user:{user_id}",
                    user_id=user_id,
                    channel="email",
                    address="x@example.org",
                    status="sent",
                    next_attempt_at=T0,
                    created_at=T0,
                    sent_at=T0 + timedelta(minutes=5 * (n - 1)),
                )
            )
        session.flush()
        alert_desk.acknowledge(
            session, caller=duty, alert_id=alert_id, note="drill seen", now=T0 + timedelta(minutes=2)
        )
    real = _acme_alert(world)
    with db.transaction() as session:
        found = drills.report(session, caller=admin, alert_id=alert_id)
        with pytest.raises(InvalidInput):
            drills.report(session, caller=admin, alert_id=real)
    people = {p.user_id: p for p in found.people}
    assert people[users[0]].acknowledged_at == T0 + timedelta(minutes=2)
    assert people[users[0]].first_sent_at == T0 and people[users[1]].first_sent_at == T0 + timedelta(
        minutes=5
    )
    assert people[users[1]].acknowledged_at is None and people[users[1]].steps == [2]
    assert found.acknowledged == ["duty"] and found.never_acknowledged == ["admin"]
    assert "alert.drill" in _actions(alert_id)


def test_a_drill_goes_through_the_policy_it_names_and_the_plan_lists_who_it_calls(
    engine: Engine, world: Any
) -> None:
    from outrider.notify import policy_service
    from outrider.notify.directory_schemas import PolicyCreate

    admin, duty = _caller(world, "admin"), _caller(world, "duty")
    step = {"after_minutes": 0, "channels": ["email"]}
    with db.transaction() as session:
        drills_only = policy_service.create(
            session,
            caller=admin,
            data=PolicyCreate(
                name="drills", kinds=["drill"], steps=[{**step, "targets": [{"role": "duty_officer"}]}]
            ),
            now=T0,
        ).id
        everything = policy_service.create(
            session,
            caller=admin,
            data=PolicyCreate(name="all", steps=[{**step, "targets": [{"role": "admin"}]}]),
            now=T0,
        ).id
    with db.transaction() as session:
        usual = drills.start(session, caller=duty, organization_id=world.orgs["host"], now=T0).id
        named = drills.start(
            session, caller=duty, organization_id=world.orgs["host"], policy_id=everything, now=T0
        ).id
    with db.transaction() as session:
        assert session.get_one(AlertPlan, usual).policy_id == drills_only  # the most specific by default
        assert session.get_one(AlertPlan, named).policy_id == everything  # the one the drill names
        found = drills.report(session, caller=duty, alert_id=named)
    assert [p.name for p in found.people] == ["admin"] and found.people[0].steps == [1]
    assert found.policy_id == everything and found.never_acknowledged == []  # no contact point: no call


def test_what_people_wrote_on_a_movement_alert_is_withheld_off_its_need_to_know_list(
    engine: Engine, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outrider.alerts import views, work

    coord, duty = _caller(world, "coord"), _caller(world, "duty")
    on_the_list = {coord.user_id}
    monkeypatch.setitem(
        views._hooks,
        "reader",
        lambda _s, caller, ids, _now: (
            dict.fromkeys(ids, "Asia/Karachi") if caller.user_id in on_the_list else {}
        ),
    )
    with db.transaction() as session:
        alert, _ = service.raise_alert(
            session,
            kind="movement_overdue",
            severity=Severity.high,
            subject_type="movement",
            subject_id=77,
            title="MOV-77 overdue",
            organization_id=world.orgs["acme"],
            now=T0,
        )
        alert_desk.acknowledge(session, caller=coord, alert_id=alert.id, note="convoy at km 40", now=T0)
        alert_desk.post_progress(session, caller=coord, alert_id=alert.id, text="arrives 14:10", now=T0)
        planner = work.notes(session, caller=coord, alert_id=alert.id, now=T0)
        host = work.notes(session, caller=duty, alert_id=alert.id, now=T0)
    assert [n.text for n in planner] == ["convoy at km 40", "arrives 14:10"]
    assert [(n.text, n.withheld) for n in host] == [("", True), ("", True)]


def test_a_second_worker_skips_the_acknowledgements_the_first_is_lapsing(engine: Engine, world: Any) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite deployments run one embedded worker; the concurrency claim is PostgreSQL's")
    from sqlalchemy.orm import Session

    coord = _caller(world, "coord")
    alert_id = _acme_alert(world)
    with db.transaction() as session:
        alert_desk.acknowledge(session, caller=coord, alert_id=alert_id, note="", now=T0)
    when = T0 + timedelta(hours=1)
    with Session(engine) as first, first.begin():
        assert alert_desk.ack_expiry_tick(first, now=when) == 1
        with Session(engine) as second, second.begin():  # the row is locked: skipped, not waited for
            assert alert_desk.ack_expiry_tick(second, now=when) == 0
    with db.transaction() as session:
        assert alert_desk.ack_expiry_tick(session, now=when) == 0
    assert _actions(alert_id).count("alert.ack_expired") == 1
