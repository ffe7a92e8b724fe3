"""The outbox: one row per alert, purpose, round, step, target and channel however often it is enqueued;
an info alert waits for the digest; the delivery id is new per row and sortable by time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from outrider import db
from outrider.alerts import service as alerts_service
from outrider.alerts.schemas import Severity
from outrider.notify import outbox
from outrider.notify.models import Notification

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _alert(session: object, severity: Severity, subject: str) -> int:
    alert, _ = alerts_service.raise_alert(
        session,  # type: ignore[arg-type]
        kind="test_kind",
        severity=severity,
        subject_type="thing",
        subject_id=subject,
        title=f"{subject} needs a look",
        organization_id=None,
        now=T0,
    )
    return alert.id


def _enqueue(session: object, alert_id: int, *, step: int = 1, channel: str = "email") -> Notification | None:
    return outbox.enqueue(
        session,  # type: ignore[arg-type]
        purpose="alert",
        channel=channel,
        address="duty@example.org",
        target=outbox.user_target(7),
        user_id=7,
        alert_id=alert_id,
        round=0,
        step=step,
        now=T0,
    )


def test_enqueueing_twice_writes_one_row(engine: Engine) -> None:
    with db.transaction() as session:
        alert_id = _alert(session, Severity.high, "a")
        first = _enqueue(session, alert_id)
        assert first is not None and first.status == outbox.PENDING and first.next_attempt_at == T0
        assert _enqueue(session, alert_id) is None
    with db.transaction() as session:  # and again in another transaction (another worker)
        assert _enqueue(session, alert_id) is None
        other_step = _enqueue(session, alert_id, step=2)
        other_channel = _enqueue(session, alert_id, channel="sms")
        assert other_step is not None and other_channel is not None
        ids = {first.delivery_id, other_step.delivery_id, other_channel.delivery_id}
        assert len(ids) == 3 and all(len(i) == 32 for i in ids)
        count = session.scalar(select(func.count()).select_from(Notification))
        assert count == 3


def test_an_info_alert_waits_for_the_digest_and_a_test_message_is_never_merged(engine: Engine) -> None:
    with db.transaction() as session:
        info = _enqueue(session, _alert(session, Severity.info, "b"))
        assert info is not None and info.status == outbox.DIGEST
        tests = [
            outbox.enqueue(
                session,
                purpose="test",
                channel="email",
                address="me@example.org",
                target=outbox.user_target(7),
                now=T0,
                body={"subject": "test"},
            )
            for _ in range(2)
        ]
        # a message that is no alert's step has no alert id: each one asked for is its own
        assert all(t is not None and t.status == outbox.PENDING for t in tests)


def test_delivery_ids_sort_by_time() -> None:
    first = outbox.new_delivery_id()
    later = outbox.new_delivery_id()
    assert first[:12] <= later[:12] and first != later
    assert outbox.parse_target("webhook:12") == ("webhook", 12)
    assert outbox.parse_target("user:x") == ("user", None)
