"""An alert's call plan on SQLite and PostgreSQL: frozen when it fires (and unchanged when the policy is
edited after), step 1 called at once, step 2 after its delay and not before, the partner's liaison reached
for a movement, an acknowledged alert never escalating, two ticks on PostgreSQL calling each step once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

import pytest
from sqlalchemy import Engine, func, select

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts import work
from outrider.alerts.models import Alert
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.cordon import alert_desk
from outrider.http import caller_of
from outrider.notify import plans, policy_service
from outrider.notify.directory_models import ContactPoint, EscalationPolicy, Roster, Shift
from outrider.notify.directory_schemas import PolicyCreate
from outrider.notify.models import AlertPlan, Notification

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
ARRANGEMENT = [(0, ["duty_officer"]), (15, ["coordinator", "liaison"]), (30, ["admin"])]


def verified(world: World, *names: str) -> None:
    with db.transaction() as session:
        for name in names:
            session.add(
                ContactPoint(
                    user_id=world[name].user_id,
                    channel="email",
                    address=f"{name}@example.org",
                    verified_at=T0,
                    created_at=T0,
                )
            )


def raise_movement_alert(
    world: World, *, at: datetime = T0, subject: str = "1", severity: Severity = Severity.high
) -> int:
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="overdue",
            severity=severity,
            subject_type="movement",
            subject_id=subject,
            title="Movement is overdue",
            organization_id=world.orgs["acme"],
            audience=[world.orgs["host"], world.orgs["embassy"]],
            now=at,
        )
        return alert.id


def calls(alert_id: int) -> list[tuple[int, int, str]]:
    with db.transaction() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.alert_id == alert_id, Notification.purpose == "alert")
            .order_by(Notification.round, Notification.step, Notification.target)
        ).all()
        return sorted((r.round, r.step, r.address) for r in rows)


def tick(at: datetime) -> int:
    with db.transaction() as session:
        return plans.escalation_tick(session, now=at)


@pytest.fixture
def joint(world: World) -> World:
    with db.transaction() as session:
        policy_service.install_joint_default(session, escalation=ARRANGEMENT, now=T0 - timedelta(days=1))
    verified(world, "duty", "coord", "liaison", "admin", "other_coord", "acme_admin")
    return world


def test_the_plan_is_frozen_at_raise_and_walked_by_the_clock(joint: World) -> None:
    alert_id = raise_movement_alert(joint)
    assert calls(alert_id) == [(0, 1, "duty@example.org")]  # step 1 at once: the host's duty officer
    with db.transaction() as session:
        plan = session.get_one(AlertPlan, alert_id)
        frozen = plan.steps
        assert [t["via"] for t in frozen[1]["targets"]] == ["role:coordinator", "role:liaison"]
        assert session.get_one(Alert, alert_id).escalation_level == 1
        record = session.scalars(select(AuditRecord).where(AuditRecord.action == "alert.plan")).one()
        assert record.details["due"][1]["at"] == (T0 + timedelta(minutes=15)).isoformat()
        assert record.details["due"][1]["user_ids"] == [joint["coord"].user_id, joint["liaison"].user_id]
    # the policy is edited after the alert fired: the plan in flight does not change
    with db.transaction() as session:
        policy_service.install_joint_default(
            session, escalation=[(0, ["auditor"])], now=T0 + timedelta(minutes=1)
        )
    assert tick(T0 + timedelta(minutes=14, seconds=59)) == 0
    assert tick(T0 + timedelta(minutes=15)) == 1
    assert calls(alert_id)[1:] == [(0, 2, "coord@example.org"), (0, 2, "liaison@example.org")]
    assert tick(T0 + timedelta(minutes=15)) == 0  # a repeat calls nobody twice
    assert tick(T0 + timedelta(hours=5)) == 1
    assert calls(alert_id)[-1] == (0, 3, "admin@example.org")  # host security's administrator
    with db.transaction() as session:
        assert session.get_one(AlertPlan, alert_id).steps == frozen
        assert session.get_one(Alert, alert_id).escalation_level == 3
    # an alert raised now takes the new version
    other = raise_movement_alert(joint, subject="2", at=T0 + timedelta(minutes=2))
    with db.transaction() as session:
        assert [t["via"] for t in session.get_one(AlertPlan, other).steps[0]["targets"]] == ["role:auditor"]


def test_an_acknowledged_alert_never_escalates_and_a_refresh_calls_nobody(joint: World) -> None:
    alert_id = raise_movement_alert(joint)
    raise_movement_alert(joint, at=T0 + timedelta(minutes=1))  # the same condition again: refreshed
    assert len(calls(alert_id)) == 1
    with db.transaction() as session:
        duty = caller_of(session.get_one(User, joint["duty"].user_id))
        alert_desk.acknowledge(
            session, caller=duty, alert_id=alert_id, note="on it", now=T0 + timedelta(minutes=2)
        )
    assert tick(T0 + timedelta(hours=3)) == 0
    assert len(calls(alert_id)) == 1
    with db.transaction() as session:
        assert session.get_one(Alert, alert_id).escalation_level == 1
    second = raise_movement_alert(joint, subject="9")
    with db.transaction() as session:  # the arrangement's clock leaves an alert with a plan alone
        assert alert_desk.escalation_tick(session, now=T0 + timedelta(hours=3), skip_kinds=()) == 0
        assert session.get_one(Alert, second).escalation_level == 1


def test_an_organisations_roster_policy_calls_whoever_is_on_duty(world: World) -> None:
    verified(world, "duty", "admin")
    with db.transaction() as session:
        roster = Roster(
            organization_id=world.orgs["host"], name="desk", timezone="Asia/Karachi", created_at=T0
        )
        session.add(roster)
        session.flush()
        session.add(
            Shift(
                roster_id=roster.id,
                user_id=world["duty"].user_id,
                weekdays=[1, 2, 3, 4, 5, 6, 7],
                start_time=time(8, 0),
                end_time=time(20, 0),
                created_at=T0,
            )
        )
        admin = caller_of(session.get_one(User, world["admin"].user_id))
        steps = [
            {"after_minutes": 0, "channels": ["email"], "targets": [{"roster": "desk"}]},
            {"after_minutes": 10, "channels": ["email"], "targets": [{"user_id": world["admin"].user_id}]},
        ]
        policy_service.create(
            session,
            caller=admin,
            data=PolicyCreate(name="cordon", steps=steps, kinds=["cordon_dwell"]),
            now=T0,
        )

    def cordon(at: datetime, subject: str) -> int:
        with db.transaction() as session:
            alert, _ = alerts_service.raise_alert(
                session,
                kind="cordon_dwell",
                severity=Severity.high,
                subject_type="vehicle",
                subject_id=subject,
                title="waiting",
                organization_id=world.orgs["host"],
                now=at,
            )
            return alert.id

    day = cordon(datetime(2026, 11, 2, 6, 0, tzinfo=UTC), "A")  # 11:00 in Karachi: the duty officer's shift
    night = cordon(datetime(2026, 11, 2, 18, 0, tzinfo=UTC), "B")  # 23:00: nobody on the roster
    assert calls(day) == [(0, 1, "duty@example.org")]
    assert calls(night) == []
    assert tick(datetime(2026, 11, 2, 18, 10, tzinfo=UTC)) == 2
    assert calls(night) == [(0, 2, "admin@example.org")]


@pytest.mark.postgres
def test_two_ticks_on_postgresql_call_each_step_once(joint: World, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one embedded worker; the concurrency claim is PostgreSQL's")
    raise_movement_alert(joint)
    factory = db.session_factory()
    first, second = factory(), factory()
    try:
        at = T0 + timedelta(minutes=20)
        assert plans.escalation_tick(first, now=at) == 1  # holds the alert's row
        assert plans.escalation_tick(second, now=at) == 0  # skips the locked row
        first.commit()
        second.commit()
        assert plans.escalation_tick(second, now=at) == 0
        second.commit()
    finally:
        first.close()
        second.close()
    with db.transaction() as session:
        n = session.scalar(select(func.count()).select_from(Notification).where(Notification.step == 2))
        assert n == 2


def test_a_lapsed_acknowledgement_calls_the_next_round_and_an_assignee_is_told(joint: World) -> None:
    alert_id = raise_movement_alert(joint)
    assert tick(T0 + timedelta(minutes=40)) == 2  # steps 2 and 3: the single round is spent
    with db.transaction() as session:
        duty = caller_of(session.get_one(User, joint["duty"].user_id))
        alert_desk.acknowledge(
            session, caller=duty, alert_id=alert_id, note="", now=T0 + timedelta(minutes=41)
        )
        alert = session.get_one(Alert, alert_id)
        assert alert.ack_expires_at is not None
        lapsed_at = alert.ack_expires_at
    assert tick(lapsed_at) == 0
    with db.transaction() as session:
        assert len(work.lapse_acknowledgements(session, now=lapsed_at)) == 1
    assert (1, 1, "duty@example.org") in calls(alert_id)  # called again at once, round 1
    assert tick(lapsed_at + timedelta(minutes=15)) == 1
    assert tick(lapsed_at + timedelta(days=1)) == 1  # round 1 ends; no round 2 (repeat 0)
    assert tick(lapsed_at + timedelta(days=2)) == 0
    with db.transaction() as session:
        duty = caller_of(session.get_one(User, joint["duty"].user_id))
        admin = caller_of(session.get_one(User, joint["admin"].user_id))
        work.assign(
            session, caller=duty, alert_id=alert_id, user_id=admin.user_id, assignee=admin, now=lapsed_at
        )
        told = session.scalars(
            select(Notification).where(Notification.purpose == "assigned", Notification.alert_id == alert_id)
        ).all()
        assert [(n.user_id, n.address) for n in told] == [(joint["admin"].user_id, "admin@example.org")]
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_id == str(alert_id))
        ).all()
        assert "alert.plan_restart" in actions


def test_an_enacted_arrangement_makes_the_next_version_of_the_joint_default(
    world: World, enact: Callable[[str, dict[str, Any]], dict[str, Any]]
) -> None:
    escalation = [
        {"after_minutes": 0, "level": 1, "roles": ["duty_officer"]},
        {"after_minutes": 5, "level": 2, "roles": ["admin"]},
    ]
    enact("arrangement", {"document": {"escalation": escalation}, "comment": "faster"})
    with db.transaction() as session:
        joint = session.scalars(
            select(EscalationPolicy).where(EscalationPolicy.organization_id.is_(None))
        ).all()
        assert [(p.version, p.active) for p in joint] == [(1, True)]
        assert [s["after_minutes"] for s in joint[0].steps] == [0, 5]
        assert joint[0].steps[1]["targets"] == [{"role": "admin"}]


def test_who_signals_a_silent_duress_is_never_called_about_it(client: Any, joint: World) -> None:
    """The duress alert calls the desk, never the escort who gave the duress PIN: a message to their phone
    would tell whoever forced the check-in that the alarm was raised."""
    from field_scenes import on_the_road, set_pins

    mid = on_the_road(client, joint)  # duty (a host duty officer) escorts it
    set_pins(client, joint, "duty", "1234", "9876")
    resp = client.post(
        f"/api/v1/movements/{mid}/checkins",
        json={"idempotency_key": "forced", "pin": "9876"},
        headers=joint["duty"].headers,
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["status"] == "ok"  # answered as an ordinary check-in
    with db.transaction() as session:
        alert = session.scalars(select(Alert).where(Alert.kind == "movement_duress")).one()
        alert_id, steps = alert.id, session.get_one(AlertPlan, alert.id).steps
        alert.assigned_to = joint["duty"].user_id
        assert plans.tell_assignee(session, alert, now=db.utcnow()) == 0
    planned = {t["user_id"] for step in steps for t in step["targets"]}
    assert joint["duty"].user_id not in planned and joint["coord"].user_id in planned
    tick(db.utcnow() + timedelta(hours=5))
    called = {address for _, _, address in calls(alert_id)}
    assert "coord@example.org" in called and "duty@example.org" not in called
    with db.transaction() as session:  # nor any other message about it
        sent_to_duty = session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.alert_id == alert_id, Notification.user_id == joint["duty"].user_id)
        )
        assert sent_to_duty == 0


def test_who_signals_after_the_plan_was_frozen_is_never_called_nor_sent_what_was_queued(
    client: Any, joint: World
) -> None:
    """The lead signals duress too, after the plan (frozen at the escort's signal) has queued a call to them:
    the queued message is never sent (a dead letter at once), and no later step or round calls them; the
    next step's administrator is still reached, through a real SMTP server."""
    from notify_receivers import smtp_server

    from field_scenes import on_the_road, set_pins
    from outrider.notify import dispatcher
    from outrider.notify.channels.base import ChannelConfig, channel_for

    mid = on_the_road(client, joint)
    for who in ("duty", "coord"):
        set_pins(client, joint, who, "1234", "9876")
    start = db.utcnow()

    def duress(who: str, key: str) -> None:
        resp = client.post(
            f"/api/v1/movements/{mid}/checkins",
            json={"idempotency_key": key, "pin": "9876"},
            headers=joint[who].headers,
        )
        assert resp.status_code == 201 and resp.json()["status"] == "ok", resp.text

    duress("duty", "escort-forced")
    with db.transaction() as session:
        alert_id = session.scalars(select(Alert.id).where(Alert.kind == "movement_duress")).one()
    tick(start + timedelta(minutes=16))  # step 2: the coordinators (the liaisons: none for these nationals)
    assert {address for _, _, address in calls(alert_id)} == {"coord@example.org"}
    duress("coord", "lead-forced")
    with smtp_server() as (mailbox, port):
        config = ChannelConfig(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")

        def send(at: datetime) -> None:
            dispatcher.dispatch_once(
                db.session_factory(),
                now=at,
                worker_id="t",
                limit=20,
                channels={"email": channel_for("email", config)},
            )

        send(start + timedelta(minutes=17))
        tick(start + timedelta(hours=5))  # every later step and round
        send(start + timedelta(hours=5, minutes=1))
        received = [m["To"] for m in mailbox.mails]
    assert "admin@example.org" in received  # step 3
    assert "coord@example.org" not in received and "duty@example.org" not in received
    with db.transaction() as session:
        to_coord = session.scalars(
            select(Notification).where(
                Notification.alert_id == alert_id, Notification.user_id == joint["coord"].user_id
            )
        ).all()
        assert [(n.status, n.last_error) for n in to_coord] == [("dead", dispatcher.SILENCED)]
