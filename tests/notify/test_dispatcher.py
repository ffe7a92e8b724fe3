"""The dispatcher against real receivers on 127.0.0.1, on SQLite and PostgreSQL: a 500 then a 200 is one
message with one webhook id, a final answer lays the message dead after one try, a dispatcher stopped after
its claim loses nothing, and two dispatchers racing send each message once. Every attempt is logged and
audited, never with the message's words."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from notify_receivers import WebhookReceiver, smtp_server, webhook_receiver
from sqlalchemy import Engine, select

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.audit.models import AuditRecord
from outrider.http import caller_of
from outrider.notify import deliveries, dispatcher, outbox
from outrider.notify.channels.base import ChannelConfig, Outcome, channel_for
from outrider.notify.directory_models import WebhookEndpoint
from outrider.notify.models import DeliveryAttempt, Notification

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
POLICY = dispatcher.Policy(max_attempts=3, backoff_seconds=30, backoff_cap_seconds=600, concurrency=4)


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as r:
        yield r


def _channels(smtp_port: int | None = None) -> dict[str, Any]:
    config = ChannelConfig(
        smtp_host="127.0.0.1" if smtp_port else None,
        smtp_port=smtp_port,
        smtp_security="none",
        webhook_timeout_seconds=5,
    )
    return {name: channel_for(name, config) for name in ("email", "webhook", "sms")}


def _endpoint(session: Any, organization_id: int, receiver: WebhookReceiver) -> int:
    endpoint = WebhookEndpoint(
        organization_id=organization_id,
        name="ops centre",
        url=receiver.url,
        secret=receiver.secret,
        created_at=T0,
    )
    session.add(endpoint)
    session.flush()
    return endpoint.id


def _webhooks(world: Any, receiver: WebhookReceiver, count: int) -> list[str]:
    """``count`` high alerts of acme, each with one webhook to acme's endpoint; their delivery ids."""
    ids = []
    with db.transaction() as session:
        endpoint_id = _endpoint(session, world.orgs["acme"], receiver)
        for n in range(count):
            alert, _ = alerts_service.raise_alert(
                session,
                kind="test_kind",
                severity=Severity.high,
                subject_type="thing",
                subject_id=f"t{n}",
                title=f"thing {n}",
                organization_id=world.orgs["acme"],
                now=T0,
            )
            row = outbox.enqueue(
                session,
                purpose="alert",
                channel="webhook",
                address=receiver.url,
                target=outbox.webhook_target(endpoint_id),
                organization_id=world.orgs["acme"],
                alert_id=alert.id,
                step=1,
                now=T0,
            )
            assert row is not None
            ids.append(row.delivery_id)
    return ids


def _pass(at: datetime, worker: str = "w1", **kw: Any) -> dispatcher.DispatchReport:
    return dispatcher.dispatch_once(
        db.session_factory(),
        now=at,
        worker_id=worker,
        limit=kw.pop("limit", 20),
        channels=kw.pop("channels", None) or _channels(),
        policy=POLICY,
        **kw,
    )


def _log(session: Any, delivery_id: str) -> tuple[Notification, list[tuple[int, str, str]]]:
    row = session.scalars(select(Notification).where(Notification.delivery_id == delivery_id)).one()
    attempts = session.scalars(
        select(DeliveryAttempt).where(DeliveryAttempt.notification_id == row.id).order_by(DeliveryAttempt.id)
    )
    return row, [(a.attempt, a.status, a.detail) for a in attempts]


def test_a_500_then_a_200_is_one_message_with_one_webhook_id(
    engine: Engine, world: Any, receiver: WebhookReceiver
) -> None:
    receiver.script(500, 200)
    [delivery_id] = _webhooks(world, receiver, 1)
    first = _pass(T0)
    assert (first.claimed, first.sent, first.retried) == (1, 0, 1)
    assert _pass(T0 + timedelta(seconds=10)).claimed == 0  # the backoff holds it (at least 15 s)
    second = _pass(T0 + timedelta(seconds=31))
    assert (second.claimed, second.sent) == (1, 1)
    assert [h.status for h in receiver.hooks] == [500, 200]
    assert all(h.verified for h in receiver.hooks)
    assert {h.webhook_id for h in receiver.hooks} == {delivery_id}
    assert receiver.delivered() == {delivery_id: 1}
    with db.transaction() as session:
        row, log = _log(session, delivery_id)
        assert (row.status, row.attempts, row.last_error) == (outbox.SENT, 2, "")
        assert [(a, s) for a, s, _ in log] == [(1, "failed"), (2, "sent")]
        assert log[0][2].startswith("500")
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "notify.delivery")).all()
        assert [r.details["status"] for r in audit] == ["failed", "sent"]
        assert all(r.details["target"] == row.target and r.details["alert_id"] == row.alert_id for r in audit)
        assert all("thing" not in str(r.details) for r in audit)  # never the message's words


def test_a_final_answer_is_dead_after_one_try_with_its_error_in_the_log(
    engine: Engine, world: Any, receiver: WebhookReceiver
) -> None:
    receiver.script(410)
    [delivery_id] = _webhooks(world, receiver, 1)
    assert _pass(T0).dead == 1
    assert _pass(T0 + timedelta(days=1)).claimed == 0
    with db.transaction() as session:
        row, log = _log(session, delivery_id)
        assert (row.status, row.attempts, row.last_error) == (outbox.DEAD, 1, "410 Gone")
        assert log == [(1, "dead", "410 Gone")]
        admin = caller_of(session.get_one(User, world["acme_admin"].user_id))
        [shown] = deliveries.views_of(session, caller=admin, rows=[row])
        assert (shown.target_name, shown.address) == ("ops centre", "http://127.0.0.1/…")


def test_retries_end_dead_after_the_last_try(engine: Engine, world: Any, receiver: WebhookReceiver) -> None:
    receiver.script(503, 503, 503)
    [delivery_id] = _webhooks(world, receiver, 1)
    for hours in range(3):
        _pass(T0 + timedelta(hours=hours))
    with db.transaction() as session:
        row, log = _log(session, delivery_id)
        assert (row.status, row.attempts) == (outbox.DEAD, 3)
        assert [s for _, s, _ in log] == ["failed", "failed", "dead"]


def test_a_dispatcher_stopped_after_its_claim_loses_nothing(
    engine: Engine, world: Any, receiver: WebhookReceiver
) -> None:
    receiver.script()
    ids = _webhooks(world, receiver, 3)
    with db.transaction() as session:  # the first dispatcher claims, then dies before sending
        claimed = dispatcher._claim(
            session,
            now=T0,
            worker_id="dead-worker",
            limit=10,
            lease=lambda count: timedelta(minutes=2),
            report=dispatcher.DispatchReport(),
        )
        assert len(claimed) == 3
    assert _pass(T0 + timedelta(minutes=1), "w2").claimed == 0  # the claim still holds
    report = _pass(T0 + timedelta(minutes=3), "w2")
    assert (report.lapsed, report.sent) == (3, 3)
    assert receiver.delivered() == dict.fromkeys(ids, 1)
    with db.transaction() as session:
        _row, log = _log(session, ids[0])
        assert [(a, s) for a, s, _ in log] == [(1, "lost"), (2, "sent")]
        assert "dead-worker" in log[0][2]


def test_two_dispatchers_racing_send_each_message_once(
    engine: Engine, world: Any, receiver: WebhookReceiver
) -> None:
    receiver.script()
    ids = _webhooks(world, receiver, 30)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            while _pass(T0, name, limit=4).claimed:
                pass
        except BaseException as error:  # a failure in a thread must fail the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert receiver.delivered() == dict.fromkeys(ids, 1)
    with db.transaction() as session:
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "notify.delivery")).all()
        assert sorted(r.details["delivery_id"] for r in audit) == sorted(ids)


def test_an_email_reaches_a_real_smtp_server_with_the_delivery_id(engine: Engine, world: Any) -> None:
    with db.transaction() as session:
        alert, _ = alerts_service.raise_alert(
            session,
            kind="test_kind",
            severity=Severity.critical,
            subject_type="thing",
            subject_id="x",
            title="Gate 3 <b>unmanned</b>",
            organization_id=world.orgs["host"],
            now=T0,
        )
        row = outbox.enqueue(
            session,
            purpose="alert",
            channel="email",
            address="duty@example.org",
            target=outbox.user_target(world["duty"].user_id),
            user_id=world["duty"].user_id,
            alert_id=alert.id,
            step=1,
            now=T0,
        )
        assert row is not None
        delivery_id = row.delivery_id
    with smtp_server() as (mailbox, port):
        assert _pass(T0, channels=_channels(port)).sent == 1
        [mail] = mailbox.mails
    assert mail["Message-ID"] == f"<{delivery_id}@outrider>"
    assert mail["To"] == "duty@example.org"
    assert mail["Subject"] == "[CRITICAL] Gate 3 <b>unmanned</b>"
    html = next(p for p in mail.walk() if p.get_content_type() == "text/html").get_payload(decode=True)
    assert b"Gate 3 &lt;b&gt;unmanned&lt;/b&gt;" in html


@given(st.integers(1, 40), st.floats(0, 0.999))
def test_the_backoff_doubles_within_its_cap_and_jitter(attempt: int, jitter: float) -> None:
    delay = dispatcher.retry_delay(attempt, base=30, cap=1800, jitter=jitter)
    full = min(1800, 30 * 2 ** (attempt - 1))
    assert full / 2 <= delay <= full


answers = st.lists(st.sampled_from(["ok", "retry", "final"]), min_size=1, max_size=12)


@given(answers, st.integers(1, 8), st.floats(0, 0.999))
def test_a_message_is_tried_until_sent_or_dead_and_never_beyond_its_tries(
    script: list[str], max_attempts: int, jitter: float
) -> None:
    policy = dispatcher.Policy(max_attempts=max_attempts, backoff_seconds=30, backoff_cap_seconds=1800)
    outcomes = {
        "ok": Outcome(ok=True, retryable=False, detail="250 accepted"),
        "retry": Outcome(ok=False, retryable=True, detail="503 Service Unavailable"),
        "final": Outcome(ok=False, retryable=False, detail="410 Gone"),
    }
    states, waits = [], []
    for attempt, answer in enumerate(script, start=1):
        state, wait = dispatcher.verdict(attempt, outcomes[answer], policy, jitter=jitter)
        states.append(state)
        waits.append(wait)
        if state != "failed":
            break
    *before, last = states
    assert all(s == "failed" for s in before) and last in ("sent", "dead", "failed")
    assert len(states) <= max_attempts  # never a try beyond the last
    tried = script[: len(states)]
    if last == "sent":
        assert tried[-1] == "ok"
    if last == "dead":
        assert tried[-1] == "final" or len(states) == max_attempts
    if last == "failed":  # the script ran out while the message still waits for its next try
        assert len(states) == len(script) < max_attempts
    for n, wait in enumerate(waits[: len(before)], start=1):
        full = min(1800, 30 * 2 ** (n - 1))
        assert full / 2 <= wait <= full


def test_a_verification_code_is_erased_once_its_message_is_out(engine: Engine, world: Any) -> None:
    with db.transaction() as session:
        row = outbox.enqueue(
            session,
            purpose="verify",
            channel="email",
            address="duty@example.org",
            target=outbox.user_target(world["duty"].user_id),
            user_id=world["duty"].user_id,
            body={"subject": "Outrider verification code", "text": "Your code is 482913.", "code": "482913"},
            now=T0,
        )
        assert row is not None
        delivery_id = row.delivery_id
    with smtp_server() as (mailbox, port):
        assert _pass(T0, channels=_channels(port)).sent == 1
        [mail] = mailbox.mails
    assert "482913" in mail.get_content()
    with db.transaction() as session:
        sent, attempts = _log(session, delivery_id)
        assert sent.body == {} and [s for _, s, _ in attempts] == ["sent"]
