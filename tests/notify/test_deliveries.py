"""Deliveries in the API and the CLI: an alert's log for its readers (addresses masked but one's own), an
organisation's deliveries for its administrators only, dead letters sent again with the same id, and a test
message to one's own verified contact point, sent by the dispatcher to a real SMTP server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from notify_receivers import smtp_server, webhook_receiver
from sqlalchemy import select
from typer.testing import CliRunner

from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.cli import app
from outrider.notify import dispatcher, outbox, worker
from outrider.notify.channels.base import ChannelConfig, channel_for
from outrider.notify.directory_models import ContactPoint, WebhookEndpoint
from outrider.notify.models import Notification

runner = CliRunner()
T0 = datetime(2025, 12, 6, 8, 0, tzinfo=UTC)  # in the past: the dispatcher runs on the clock
API = "/api/v1/notify"


def _alert_with_deliveries(world: Any) -> tuple[int, int, int]:
    """An alert of acme e-mailed to its coordinator and its administrator, the first laid dead."""
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="risk_rising",
            severity=Severity.high,
            subject_type="site",
            subject_id="dam",
            title="risk rising near the dam",
            organization_id=world.orgs["acme"],
            now=T0,
        )
        rows = []
        for who in ("coord", "acme_admin"):
            row = outbox.enqueue(
                session,
                purpose="alert",
                channel="email",
                address=f"{who}.person@acme.example",
                target=outbox.user_target(world[who].user_id),
                user_id=world[who].user_id,
                organization_id=world.orgs["acme"],
                alert_id=alert.id,
                step=1,
                now=T0,
            )
            assert row is not None
            rows.append(row)
        rows[0].status, rows[0].last_error = outbox.DEAD, "SMTP 550 (recipient refused)"
        return alert.id, rows[0].id, rows[1].id


def test_an_alerts_log_masks_addresses_but_the_readers_own(client: TestClient, world: Any) -> None:
    alert_id, dead_id, _ = _alert_with_deliveries(world)
    url = f"{API}/alerts/{alert_id}/deliveries"
    mine = client.get(url, headers=world["coord"].headers).json()
    assert [d["address"] for d in mine] == ["coord.person@acme.example", "a…@acme.example"]
    assert [d["target_name"] for d in mine] == ["coord", "acme_admin"]
    assert mine[0]["last_error"] == "SMTP 550 (recipient refused)"
    hosts = client.get(url, headers=world["duty"].headers).json()  # host security reads every alert
    assert [d["address"] for d in hosts] == ["c…@acme.example", "a…@acme.example"]
    for who in ("other_coord", "analyst", "liaison"):
        assert client.get(url, headers=world[who].headers).status_code in (403, 404)
    assert client.get(f"{API}/deliveries/{dead_id}", headers=world["other_coord"].headers).status_code == 404


def test_an_organisations_deliveries_are_for_its_administrators(client: TestClient, world: Any) -> None:
    _alert_with_deliveries(world)
    own = client.get(f"{API}/deliveries", params={"status": "dead"}, headers=world["acme_admin"].headers)
    assert own.status_code == 200 and own.json()["total"] == 1
    assert client.get(f"{API}/deliveries", headers=world["admin"].headers).json()["total"] == 0
    assert client.get(f"{API}/deliveries", headers=world["coord"].headers).status_code == 403
    since = (T0 + timedelta(minutes=1)).isoformat()
    later = client.get(f"{API}/deliveries", params={"since": since}, headers=world["acme_admin"].headers)
    assert later.json()["total"] == 0
    bad = client.get(f"{API}/deliveries", params={"status": "lost"}, headers=world["acme_admin"].headers)
    assert bad.status_code == 422


def test_dead_letters_are_sent_again_with_the_same_id(client: TestClient, world: Any) -> None:
    _, dead_id, live_id = _alert_with_deliveries(world)
    body = {"ids": [live_id]}
    refused = client.post(f"{API}/deliveries/retry-dead", json=body, headers=world["acme_admin"].headers)
    assert refused.status_code == 409 and str(live_id) in refused.json()["detail"]
    other = client.post(f"{API}/deliveries/retry-dead", json={}, headers=world["admin"].headers)
    assert other.json() == []  # host security's administrator has no dead letter of acme's to send
    done = client.post(f"{API}/deliveries/retry-dead", json={}, headers=world["acme_admin"].headers)
    [again] = done.json()
    assert (again["id"], again["status"], again["attempts"]) == (dead_id, "pending", 0)
    assert again["log"][-1]["status"] == "retried"
    with db.transaction() as session:
        stmt = select(AuditRecord.object_id).where(AuditRecord.action == "notify.retry")
        assert list(session.scalars(stmt)) == [str(dead_id)]


def _verified_email(world: Any, who: str) -> None:
    with db.transaction() as session:
        session.add(
            ContactPoint(
                user_id=world[who].user_id,
                channel="email",
                address=f"{who}@host.example",
                verified_at=T0,
                created_at=T0,
            )
        )


def test_a_test_message_reaches_ones_own_verified_address(client: TestClient, world: Any) -> None:
    no_point = client.post(f"{API}/test", json={"channel": "email"}, headers=world["duty"].headers)
    assert no_point.status_code == 422 and no_point.json()["errors"][0]["loc"][-1] == "channel"
    _verified_email(world, "duty")
    made = client.post(f"{API}/test", json={"channel": "email"}, headers=world["duty"].headers)
    assert made.status_code == 201, made.text
    delivery = made.json()["delivery"]
    assert (delivery["address"], delivery["status"]) == ("duty@host.example", "pending")
    with smtp_server() as (mailbox, port):
        config = ChannelConfig(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
        channels = {"email": channel_for("email", config)}
        report = dispatcher.dispatch_once(
            db.session_factory(), now=db.utcnow(), worker_id="t", limit=5, channels=channels
        )
        assert report.sent == 1
        [mail] = mailbox.mails
    assert mail["Subject"] == "Outrider: test message" and mail["To"] == "duty@host.example"
    assert "to duty: alerts reach you by email" in mail.get_body(("plain",)).get_content()
    for _ in range(4):
        client.post(f"{API}/test", json={"channel": "email"}, headers=world["duty"].headers)
    sixth = client.post(f"{API}/test", json={"channel": "email"}, headers=world["duty"].headers)
    assert sixth.status_code == 409


def test_the_commands(engine: Any, world: Any) -> None:
    alert_id, dead_id, _ = _alert_with_deliveries(world)
    log = runner.invoke(
        app, ["notify", "deliveries", "list", "--alert", str(alert_id), "--as", "coord", "--json"]
    )
    assert log.exit_code == 0, log.output
    assert [d["id"] for d in json.loads(log.stdout)["items"]] == [dead_id, dead_id + 1]
    listed = runner.invoke(app, ["notify", "deliveries", "list", "--as", "coord"])
    assert listed.exit_code == 1 and "admin" in listed.output
    bad = runner.invoke(app, ["notify", "deliveries", "list", "--since", "yesterday", "--as", "acme_admin"])
    assert bad.exit_code == 2
    for args in (["list", "--alert", str(2**40)], ["show", str(2**63)], ["retry-dead", "1", str(2**31)]):
        huge = runner.invoke(app, ["notify", "deliveries", *args, "--as", "acme_admin"])
        assert huge.exit_code == 1 and "an id is a whole number" in huge.output
    shown = runner.invoke(app, ["notify", "deliveries", "show", str(dead_id), "--as", "coord"])
    assert shown.exit_code == 0 and "SMTP 550" in shown.output
    retried = runner.invoke(app, ["notify", "deliveries", "retry-dead", "--as", "acme_admin", "--json"])
    assert retried.exit_code == 0 and [d["id"] for d in json.loads(retried.stdout)] == [dead_id]
    untested = runner.invoke(app, ["notify", "test", "--channel", "email", "--as", "coord"])
    assert untested.exit_code == 1 and "no verified email contact point" in untested.output
    _verified_email(world, "coord")
    tested = runner.invoke(app, ["notify", "test", "--as", "coord", "--json"])
    assert tested.exit_code == 0 and json.loads(tested.stdout)["address"] == "coord@host.example"
    # no SMTP server configured: the dispatcher's pass lays the e-mails dead, "not configured"
    passed = runner.invoke(app, ["notify", "deliveries", "dispatch", "--json"])
    assert passed.exit_code == 0, passed.output
    assert json.loads(passed.stdout)["dead"] == 3
    with db.transaction() as session:
        errors = set(session.scalars(select(Notification.last_error).where(Notification.status == "dead")))
        assert errors == {"not configured"}
    assert worker.run_once().claimed == 0  # nothing due: no claim, no write


def test_an_administrator_tests_an_endpoint_of_their_organisation(client: TestClient, world: Any) -> None:
    with webhook_receiver() as receiver:
        with db.transaction() as session:
            endpoint = WebhookEndpoint(
                organization_id=world.orgs["acme"],
                name="ops centre",
                url=receiver.url,
                secret=receiver.secret,
                created_at=T0,
            )
            session.add(endpoint)
            session.flush()
            endpoint_id = endpoint.id
        body = {"channel": "webhook", "endpoint_id": endpoint_id}
        for who in ("coord", "admin", "other_coord"):  # not its organisation's administrator: not found
            refused = client.post(f"{API}/test", json=body, headers=world[who].headers)
            assert refused.status_code == 404, (who, refused.text)
        unnamed = client.post(f"{API}/test", json={"channel": "webhook"}, headers=world["acme_admin"].headers)
        assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["loc"][-1] == "endpoint_id"
        made = client.post(f"{API}/test", json=body, headers=world["acme_admin"].headers)
        assert made.status_code == 201, made.text
        assert made.json()["delivery"]["target_name"] == "ops centre"
        report = dispatcher.dispatch_once(
            db.session_factory(),
            now=db.utcnow(),
            worker_id="t",
            limit=5,
            channels={"webhook": channel_for("webhook", ChannelConfig())},
        )
        assert report.sent == 1
        [hook] = receiver.hooks
    assert hook.verified and json.loads(hook.body) == {
        "type": "notify.test",
        "subject": "Outrider: test message",
    }
