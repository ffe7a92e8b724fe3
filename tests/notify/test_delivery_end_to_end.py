"""The issue's path from end to end: an overdue alert about a movement fires, the joint default policy calls
its first step in the raising transaction, the dispatcher e-mails each person through a real SMTP server,
and each reads what they may: the planner the due time, host security's administrator (off the movement's
need-to-know list) only that the movement is overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from notify_receivers import smtp_server
from sqlalchemy import Engine, select

from fresh_databases import migrated_database
from movement_scenes import under_way
from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.movements.models import Movement
from outrider.notify import dispatcher, policy_service
from outrider.notify.channels.base import ChannelConfig, channel_for
from outrider.notify.directory_models import ContactPoint
from outrider.notify.models import Notification


@pytest.fixture(scope="module")
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """SQLite only: the databases' differences are tried by the dispatcher's own tests."""
    engine = migrated_database("sqlite", request, tmp_path_factory.mktemp("db"))
    yield engine
    engine.dispose()


def test_an_overdue_alert_reaches_each_person_within_need_to_know(client: TestClient, world: Any) -> None:
    now = db.utcnow()
    movement_id = under_way(client, world)
    with db.transaction() as session:
        policy_service.install_joint_default(
            session, escalation=[(0, ["coordinator", "admin"])], now=now - timedelta(days=1)
        )
        for who in ("coord", "admin"):  # acme's planner, and host security's administrator
            user_id = world[who].user_id
            session.add(
                ContactPoint(
                    user_id=user_id,
                    channel="email",
                    address=f"{who}@example.org",
                    verified_at=now,
                    created_at=now,
                )
            )
    with db.transaction() as session:
        movement = session.get_one(Movement, movement_id)
        ref = movement.reference
        alert, _ = alerts_service.raise_about_movement(
            session,
            movement,
            kind="movement_overdue",
            severity=Severity.high,
            title=f"{ref}: overdue (missed check-in)",
            details={"movement_id": movement.id, "reference": ref, "due_at": now.isoformat()},
            now=now,
        )
        alert_id = alert.id
    with smtp_server() as (mailbox, port):
        config = ChannelConfig(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
        report = dispatcher.dispatch_once(
            db.session_factory(),
            now=db.utcnow(),
            worker_id="e2e",
            limit=10,
            channels={"email": channel_for("email", config)},
        )
        mails = {m["To"]: m for m in mailbox.mails}
    assert report.sent == 2 and set(mails) == {"coord@example.org", "admin@example.org"}
    off, on = (mails[f"{who}@example.org"].get_body(("plain",)) for who in ("admin", "coord"))
    assert off is not None and on is not None
    off_text, on_text = (m.get_content().replace("\r\n", "\n").strip() for m in (off, on))
    assert off_text == f"movement {ref} is overdue, open Outrider\n/alerts/{alert_id}"
    assert "\nDue: " in on_text and on_text.startswith(f"{ref}: overdue (missed check-in)\n")
    with db.transaction() as session:
        audited = session.scalars(select(AuditRecord).where(AuditRecord.action == "notify.delivery")).all()
        assert sorted(r.details["address"] for r in audited) == ["a…@example.org", "c…@example.org"]


def test_a_message_that_carried_an_itinerary_fact_is_a_read_in_who_knew(
    client: TestClient, world: Any
) -> None:
    """The planner learnt the movement's due time by e-mail: once that message is sent (not before, not when
    its sending failed) it is a read of the movement's itinerary in who-knew, naming the recipient, the
    channel, when and which facts; host security's administrator, off the list, got a message with no
    itinerary fact and read nothing."""
    from notify_receivers import _free_port

    now = db.utcnow()
    movement_id = under_way(client, world)
    with db.transaction() as session:
        policy_service.install_joint_default(
            session, escalation=[(0, ["coordinator", "admin"])], now=now - timedelta(days=1)
        )
        for who in ("coord", "admin"):
            session.add(
                ContactPoint(
                    user_id=world[who].user_id,
                    channel="email",
                    address=f"{who}@example.org",
                    verified_at=now,
                    created_at=now,
                )
            )
    with db.transaction() as session:
        movement = session.get_one(Movement, movement_id)
        ref = movement.reference
        alerts_service.raise_about_movement(
            session,
            movement,
            kind="movement_overdue",
            severity=Severity.high,
            title=f"{ref}: overdue (missed check-in)",
            details={"movement_id": movement.id, "reference": ref, "due_at": now.isoformat()},
            now=now,
        )

    def who_knew() -> dict[str, dict[str, Any]]:  # (the second pass is dated an hour on: before two)
        later = {"before": (now + timedelta(hours=2)).isoformat()}
        path = f"/api/v1/movements/{movement_id}/who-knew"
        resp = client.get(path, params=later, headers=world["auditor"].headers)
        assert resp.status_code == 200, resp.text
        return {r["username"]: r for r in resp.json()["readers"]}

    def send(at: Any, port: int) -> dispatcher.DispatchReport:
        config = ChannelConfig(
            smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", smtp_timeout_seconds=2
        )
        return dispatcher.dispatch_once(
            db.session_factory(),
            now=at,
            worker_id="e2e",
            limit=10,
            channels={"email": channel_for("email", config)},
        )

    before = who_knew()
    assert "email" not in before["coord"]["channels"] and "admin" not in before
    failed = send(db.utcnow(), _free_port())  # nobody listens: tried again later, nothing was read
    assert failed.retried == 2 and who_knew() == {**before}
    with smtp_server() as (mailbox, port):
        report = send(db.utcnow() + timedelta(hours=1), port)
        mails = {m["To"]: m for m in mailbox.mails}
    assert report.sent == 2 and set(mails) == {"coord@example.org", "admin@example.org"}
    off_list = mails["admin@example.org"]
    for part in ("plain", "html"):
        body = off_list.get_body((part,))
        assert (
            body is not None
            and "Due" not in body.get_content()
            and now.isoformat()[:16] not in body.get_content()
        )
    after = who_knew()
    assert "admin" not in after  # a message with no itinerary fact is no read
    coord = after["coord"]
    assert coord["channels"] == sorted({*before["coord"]["channels"], "email"})
    assert coord["reads"] == before["coord"]["reads"] + 1 and "due_at" in coord["fields"]
    with db.transaction() as session:
        [read] = session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "movement.read_itinerary", AuditRecord.channel == "email"
            )
        ).all()
        sent = session.scalars(
            select(Notification).where(
                Notification.user_id == world["coord"].user_id, Notification.status == "sent"
            )
        ).one()
        assert (read.user_id, read.object_type) == (world["coord"].user_id, "notification")
        assert read.object_id == str(sent.id)
        assert read.fields == ["due_at"] and read.details["via"] == "notify"
        assert read.details["delivery_id"] == sent.delivery_id and sent.sent_at is not None
        assert read.details["names"] == [["movement", str(movement_id)]]
        assert read.at >= sent.sent_at - timedelta(seconds=1)
