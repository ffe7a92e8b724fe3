"""The dispatcher: claims due notifications, sends them outside any transaction, records what came of it.

One pass (`dispatch_once`) is three steps. (1) A short transaction claims the due rows (pending and due, or
sending under a claim that lapsed: its dispatcher died) with FOR UPDATE SKIP LOCKED on PostgreSQL (on SQLite
the write turn serialises the claimers), marks them ``sending`` under a lease, renders each message for its
recipient and commits. (2) The messages are sent, a few at a time, with no transaction open. (3) A second
short transaction records each attempt, marks the row sent, schedules a retry (exponential backoff with
jitter) or lays it dead after the last try or a final answer, and appends one audit record per attempt.

A dispatcher killed between (1) and (3) leaves its rows ``sending``; when the lease lapses another pass sends
them again with the same delivery id (at least once; the webhook-id and Message-ID let a receiver drop the
duplicate). Two dispatchers never claim the same row while a lease holds.
"""

from __future__ import annotations

import logging
import math
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker

from outrider import db
from outrider.accounts.models import User
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.audit import service as audit_service
from outrider.http import caller_of
from outrider.notify import messages, outbox, reads
from outrider.notify.channels.base import CHANNEL_NAMES, Channel, ChannelConfig, Message, Outcome, channel_for
from outrider.notify.channels.message import failed
from outrider.notify.delivery_views import mask_address
from outrider.notify.directory_models import WebhookEndpoint
from outrider.notify.models import DeliveryAttempt, Notification
from outrider.settings import Settings, get_settings

log = logging.getLogger("outrider.notify")

# Purposes whose words carry a secret for their recipient alone (a contact point's verification code).
ONE_TIME = frozenset({"verify"})

# Why a message about a silent duress to the person who signalled it is never sent (a dead letter at once).
SILENCED = "never sent: its recipient gave the silent duress signal it reports"

# The webhook secret of an endpoint id, read at send time (None: no such endpoint, or revoked).
SecretLookup = Callable[[Session, int], "tuple[str, str] | None"]


@dataclass
class DispatchReport:
    """What one pass did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    lapsed: int = 0  # claims of a stopped dispatcher taken over


@dataclass(frozen=True, slots=True)
class Policy:
    """How many tries a message gets and how long to wait between them."""

    max_attempts: int = 6
    backoff_seconds: float = 30.0
    backoff_cap_seconds: float = 1800.0
    concurrency: int = 8

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The deployment's retry policy."""
        return cls(
            max_attempts=settings.notify_max_attempts,
            backoff_seconds=settings.notify_backoff_seconds,
            backoff_cap_seconds=settings.notify_backoff_cap_seconds,
        )


def retry_delay(attempt: int, *, base: float, cap: float, jitter: float) -> float:
    """Seconds before the try after ``attempt`` (1-based): base x 2^(attempt-1), at most ``cap``, times a
    factor between 0.5 and 1 drawn from ``jitter`` in [0, 1) so that failed messages do not return in step."""
    exponent = min(max(attempt - 1, 0), 60)
    return float(min(cap, base * 2.0**exponent) * (0.5 + jitter / 2))


def verdict(attempt: int, outcome: Outcome, policy: Policy, *, jitter: float) -> tuple[str, float]:
    """What an attempt (1-based) comes to: ``sent``; ``failed`` and the seconds before the next try (a
    retryable failure before the last try); or ``dead`` (a final answer, or the last try failed)."""
    if outcome.ok:
        return "sent", 0.0
    if outcome.retryable and attempt < policy.max_attempts:
        delay = retry_delay(
            attempt, base=policy.backoff_seconds, cap=policy.backoff_cap_seconds, jitter=jitter
        )
        return "failed", delay
    return "dead", 0.0


def worker_name() -> str:
    """This dispatcher's name in claims: host, process and thread."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{threading.get_ident() % 100000}"


def endpoint_secret(session: Session, endpoint_id: int) -> tuple[str, str] | None:
    """The URL and secret of an active webhook endpoint, as they are now (a rotated secret signs at once)."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not endpoint.active or endpoint.revoked_at is not None:
        return None
    return endpoint.url, endpoint.secret


def default_channels(settings: Settings | None = None) -> dict[str, Channel]:
    """Every channel, configured by the deployment's settings."""
    config = ChannelConfig.from_settings(settings or get_settings())
    return {name: channel_for(name, config) for name in CHANNEL_NAMES}


@dataclass(frozen=True, slots=True)
class _Job:
    row_id: int
    message: Message | None  # None: nothing can be sent (why in ``refusal``)
    refusal: str = ""
    # The record of the itinerary read the message makes, appended once it is sent (None: it carries none)
    read: audit_service.Entry | None = None


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Notification.status == outbox.PENDING, Notification.next_attempt_at <= now),
        and_(Notification.status == outbox.SENDING, Notification.claimed_until < now),
    )


def _claim(
    session: Session,
    *,
    now: datetime,
    worker_id: str,
    limit: int,
    lease: Callable[[int], timedelta],
    report: DispatchReport,
) -> list[Notification]:
    """Claim up to ``limit`` due rows for ``lease(how many were claimed)``: a small batch's claim lapses
    soon after its dispatcher's death, a large one's only once every message could have timed out."""
    db.write_turn(session)  # SQLite: what is read next decides the writes, so it is read within the turn
    stmt = select(Notification).where(_due(now)).order_by(Notification.next_attempt_at, Notification.id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.scalars(stmt.limit(limit)))
    until = now + lease(len(rows))
    for row in rows:
        if row.status == outbox.SENDING:  # its dispatcher stopped before it could say what happened
            report.lapsed += 1
            detail = f"{row.claimed_by} stopped before reporting; its claim lapsed"
            session.add(
                DeliveryAttempt(
                    notification_id=row.id, attempt=row.attempts, at=now, status="lost", detail=detail
                )
            )
        row.status, row.claimed_by, row.claimed_until = outbox.SENDING, worker_id, until
        row.attempts += 1
    session.flush()
    report.claimed = len(rows)
    return rows


def _preload(session: Session, rows: Sequence[Notification]) -> list[object]:
    """The alerts, users and endpoints a batch renders, in three queries; the caller holds the list so that
    rendering finds them in the session (its identity map keeps only what is referenced)."""
    alert_ids = sorted({r.alert_id for r in rows if r.alert_id is not None})
    user_ids = sorted({r.user_id for r in rows if r.user_id is not None})
    endpoint_ids = sorted(
        {i for r in rows if (i := outbox.parse_target(r.target)[1]) and r.channel == "webhook"}
    )
    held: list[object] = []
    for model, ids in ((Alert, alert_ids), (User, user_ids), (WebhookEndpoint, endpoint_ids)):
        if ids:
            held.extend(session.scalars(select(model).where(model.id.in_(ids))).all())
    return held


def _silent(session: Session, row: Notification) -> bool:
    """Whether the row's recipient signalled the silent duress its alert reports (then it is never sent,
    even if it was queued before they did)."""
    if row.alert_id is None or row.user_id is None:
        return False
    alert = session.get(Alert, row.alert_id)
    return alert is not None and row.user_id in views.silent_to(alert)


def _job(session: Session, row: Notification, *, now: datetime, secrets: SecretLookup) -> _Job:
    to, secret = row.address, None
    if row.channel == "webhook":
        _, endpoint_id = outbox.parse_target(row.target)
        found = secrets(session, endpoint_id) if endpoint_id is not None else None
        if found is None:
            return _Job(row.id, None, "the webhook endpoint is revoked or gone")
        to, secret = found
    if _silent(session, row):
        return _Job(row.id, None, SILENCED)
    try:
        words = messages.render(session, row, now=now)
    except Exception as error:  # a message that cannot be rendered must not hold up the others
        log.exception("notification %s could not be rendered", row.id)
        return _Job(row.id, None, f"could not render: {type(error).__name__}")
    message = Message(
        delivery_id=row.delivery_id,
        channel=row.channel,
        to=to,
        subject=words.subject,
        text=words.text,
        html=words.html,
        payload=words.payload,
        created_at=row.created_at,
        secret=secret,
    )
    return _Job(row.id, message, read=_read(session, row, words, now))


def _read(
    session: Session, row: Notification, words: messages.Rendered, now: datetime
) -> audit_service.Entry | None:
    """The record of the itinerary facts the message shows its recipient (who-knew counts it once sent),
    decided when its words are: the recipient, the channel, the facts, the delivery."""
    if not words.itinerary or row.user_id is None:
        return None
    user = session.get(User, row.user_id)
    if user is None:
        return None
    details = {
        "notification_id": row.id,
        "delivery_id": row.delivery_id,
        "alert_id": row.alert_id,
        "purpose": row.purpose,
    }
    reader = caller_of(user, channel=row.channel)
    return reads.entry(session, reader, words.itinerary, words.itinerary_fields, details, now)


@dataclass(frozen=True, slots=True)
class _Result:
    outcome: Outcome
    started: float  # time.monotonic() when the attempt began
    duration_ms: int


def _send(job: _Job, channels: Mapping[str, Channel]) -> _Result:
    started = time.monotonic()
    if job.message is None:
        return _Result(failed(job.refusal, retryable=False), started, 0)
    channel = channels.get(job.message.channel)
    if channel is None:
        return _Result(failed(f"no channel {job.message.channel!r}", retryable=False), started, 0)
    try:
        outcome = channel.send(job.message)
    except Exception as error:  # a channel must not raise; if one does, the message is tried again
        log.exception("channel %s raised", job.message.channel)
        outcome = failed(f"channel error: {type(error).__name__}", retryable=True)
    return _Result(outcome, started, int((time.monotonic() - started) * 1000))


def _settle(
    session: Session,
    row: Notification,
    outcome: Outcome,
    *,
    at: datetime,
    ms: int,
    policy: Policy,
    report: DispatchReport,
    attempts: list[dict[str, object]],
) -> audit_service.Entry:
    status, delay = verdict(row.attempts, outcome, policy, jitter=random.random())
    if status == "sent":
        row.status, row.sent_at, row.last_error = outbox.SENT, at, ""
        report.sent += 1
    elif status == "failed":
        row.status, row.last_error = outbox.PENDING, outcome.detail
        row.next_attempt_at = at + timedelta(seconds=delay)
        report.retried += 1
    else:
        row.status, row.last_error = outbox.DEAD, outcome.detail
        report.dead += 1
    row.claimed_by, row.claimed_until = None, None
    if row.purpose in ONE_TIME and row.status in (outbox.SENT, outbox.DEAD):
        row.body = {}  # a one-time code is erased once its message is out (or never will be)
    attempts.append(
        {
            "notification_id": row.id,
            "attempt": row.attempts,
            "at": at,
            "status": status,
            "detail": outcome.detail,
            "duration_ms": ms,
        }
    )
    details = {
        "alert_id": row.alert_id,
        "delivery_id": row.delivery_id,
        "purpose": row.purpose,
        "channel": row.channel,
        "target": row.target,
        "address": mask_address(row.channel, row.address),
        "status": status,
        "attempt": row.attempts,
        "detail": outcome.detail,
    }
    names = [("alert", row.alert_id)] if row.alert_id is not None else []
    return audit_service.Entry(
        audit_service.JOB, "notify.delivery", "notification", row.id, details=details, names=names
    )


def _in_transaction(factory: sessionmaker[Session], work: Callable[[Session], object]) -> None:
    session = factory()
    try:
        work(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _lease(config: ChannelConfig, count: int, concurrency: int) -> timedelta:
    """Long enough for every message of a batch to time out in turn (an e-mail: connect, greet, send)."""
    per_message = max(
        3 * config.smtp_timeout_seconds, config.webhook_timeout_seconds, config.sms_timeout_seconds
    )
    return timedelta(seconds=per_message * math.ceil(max(count, 1) / concurrency) + 30)


def dispatch_once(
    session_factory: sessionmaker[Session],
    *,
    now: datetime,
    worker_id: str,
    limit: int,
    channels: Mapping[str, Channel] | None = None,
    policy: Policy | None = None,
    secrets: SecretLookup = endpoint_secret,
) -> DispatchReport:
    """Claim up to ``limit`` due notifications, send them and record the outcome; returns what it did.

    ``now`` is the time of the claim; each attempt is dated ``now`` plus the time the pass has taken."""
    settings = get_settings()
    policy = policy or Policy.from_settings(settings)
    channels = channels if channels is not None else default_channels(settings)
    config = ChannelConfig.from_settings(settings)

    def lease(count: int) -> timedelta:
        return _lease(config, count, policy.concurrency)

    started = time.monotonic()
    report = DispatchReport()
    jobs: list[_Job] = []

    def claim(session: Session) -> None:
        rows = _claim(session, now=now, worker_id=worker_id, limit=limit, lease=lease, report=report)
        held = _preload(session, rows)
        jobs.extend(_job(session, row, now=now, secrets=secrets) for row in rows)
        del held

    _in_transaction(session_factory, claim)
    if not jobs:
        return report
    results = _send_all(jobs, channels, policy.concurrency)

    def at(result: _Result) -> datetime:
        return now + timedelta(seconds=result.started - started)

    def settle(session: Session) -> None:
        ids = [j.row_id for j in jobs]
        rows = {r.id: r for r in session.scalars(select(Notification).where(Notification.id.in_(ids)))}
        attempts: list[dict[str, object]] = []
        entries = [
            _settle(
                session,
                rows[job.row_id],
                res.outcome,
                at=at(res),
                ms=res.duration_ms,
                policy=policy,
                report=report,
                attempts=attempts,
            )
            for job, res in zip(jobs, results, strict=True)
            if job.row_id in rows
        ]
        # a message sent is an itinerary read by its recipient when its words carried itinerary facts
        entries += [
            job.read
            for job in jobs
            if job.read is not None and job.row_id in rows and rows[job.row_id].status == outbox.SENT
        ]
        session.flush()
        if attempts:
            session.execute(insert(DeliveryAttempt), attempts)
        audit_service.record_many(session, entries, now=now + timedelta(seconds=time.monotonic() - started))

    _in_transaction(session_factory, settle)
    return report


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(concurrency: int) -> ThreadPoolExecutor:
    """The senders' threads, started once per process (not for every pass)."""
    with _pools_lock:
        if concurrency not in _pools:
            _pools[concurrency] = ThreadPoolExecutor(
                max_workers=concurrency, thread_name_prefix="outrider-send"
            )
        return _pools[concurrency]


def _send_all(jobs: Sequence[_Job], channels: Mapping[str, Channel], concurrency: int) -> list[_Result]:
    if len(jobs) == 1 or concurrency <= 1:
        return [_send(job, channels) for job in jobs]
    return list(_pool(concurrency).map(lambda job: _send(job, channels), jobs))
