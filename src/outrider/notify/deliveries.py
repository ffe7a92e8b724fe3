"""Use cases of deliveries: the delivery log of an alert, an organisation's deliveries, sending its dead
letters again. Who may see what is decided here, through `access.policy`, for every face."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from outrider import db
from outrider.access import policy
from outrider.access.policy import Caller
from outrider.accounts.models import User
from outrider.alerts import service as alerts_service
from outrider.alerts import views
from outrider.alerts.models import Alert
from outrider.audit import service as audit_service
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.notify import messages, outbox
from outrider.notify.delivery_views import AttemptView, DeliveryPage, DeliveryView, mask_address
from outrider.notify.directory_models import ContactPoint, WebhookEndpoint
from outrider.notify.models import DeliveryAttempt, Notification

OVERSEERS = frozenset({"admin"})


def _attempts(session: Session, ids: Sequence[int]) -> dict[int, list[AttemptView]]:
    found: dict[int, list[AttemptView]] = defaultdict(list)
    if not ids:
        return found
    stmt = (
        select(DeliveryAttempt)
        .where(DeliveryAttempt.notification_id.in_(sorted(set(ids))))
        .order_by(DeliveryAttempt.notification_id, DeliveryAttempt.id)
    )
    for a in session.scalars(stmt):
        found[a.notification_id].append(
            AttemptView(
                attempt=a.attempt, at=a.at, status=a.status, detail=a.detail, duration_ms=a.duration_ms
            )
        )
    return found


def _names(session: Session, rows: Sequence[Notification]) -> dict[str, str]:
    """The name of each target: the user's name, the webhook endpoint's name."""
    user_ids = sorted({r.user_id for r in rows if r.user_id is not None})
    endpoint_ids = sorted(
        {
            i
            for r in rows
            if (i := outbox.parse_target(r.target)[1]) is not None and r.target.startswith("webhook:")
        }
    )
    names = {}
    if user_ids:
        for uid, username in session.execute(select(User.id, User.username).where(User.id.in_(user_ids))):
            names[outbox.user_target(uid)] = username
    if endpoint_ids:
        found = select(WebhookEndpoint.id, WebhookEndpoint.name).where(WebhookEndpoint.id.in_(endpoint_ids))
        for eid, name in session.execute(found):
            names[outbox.webhook_target(eid)] = name
    return names


def views_of(session: Session, *, caller: Caller, rows: Sequence[Notification]) -> list[DeliveryView]:
    """The deliveries as this caller sees them: the address in full only to its own recipient."""
    attempts = _attempts(session, [r.id for r in rows])
    names = _names(session, rows)
    out = []
    for r in rows:
        own = r.user_id is not None and r.user_id == caller.user_id
        out.append(
            DeliveryView(
                id=r.id,
                delivery_id=r.delivery_id,
                alert_id=r.alert_id,
                purpose=r.purpose,
                round=r.round,
                step=r.step,
                channel=r.channel,
                target=r.target,
                target_name=names.get(r.target) or mask_address(r.channel, r.address),
                address=r.address if own else mask_address(r.channel, r.address),
                status=r.status,
                attempts=r.attempts,
                created_at=r.created_at,
                next_attempt_at=r.next_attempt_at,
                sent_at=r.sent_at,
                last_error=r.last_error,
                log=attempts.get(r.id, []),
            )
        )
    return out


def log_for_alert(session: Session, *, caller: Caller, alert_id: int) -> list[DeliveryView]:
    """Every delivery of an alert the caller may read (oldest first), with its attempts."""
    alerts_service.get_alert(session, caller=caller, alert_id=alert_id)  # 404 / 403 as the alert
    rows = session.scalars(
        select(Notification)
        .where(Notification.alert_id == alert_id)
        .order_by(Notification.round, Notification.step, Notification.id)
    ).all()
    return views_of(session, caller=caller, rows=rows)


def _of_organization(organization_id: int) -> ColumnElement[bool]:
    members = select(User.id).where(User.organization_id == organization_id)
    return or_(Notification.organization_id == organization_id, Notification.user_id.in_(members))


def _oversee(caller: Caller) -> None:
    if not policy.may_oversee_deliveries(caller, organization_id=caller.organization_id):
        raise Forbidden(policy.needs_roles(OVERSEERS))


def list_deliveries(
    session: Session,
    *,
    caller: Caller,
    status: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> DeliveryPage:
    """The deliveries to the caller's organisation's people and endpoints, newest first (its admins)."""
    _oversee(caller)
    if status is not None and status not in outbox.STATUSES:
        msg = f"one of {', '.join(outbox.STATUSES)}"
        raise InvalidInput(f"status: {msg}", errors=[{"loc": ["status"], "msg": msg}])
    stmt = select(Notification).where(_of_organization(caller.organization_id), _not_hidden(caller))
    if status is not None:
        stmt = stmt.where(Notification.status == status)
    if since is not None:
        stmt = stmt.where(Notification.created_at >= since)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).offset(offset)
    ).all()
    return DeliveryPage(
        items=views_of(session, caller=caller, rows=rows), total=total, limit=limit, offset=offset
    )


def get_delivery(session: Session, *, caller: Caller, delivery_id: int) -> DeliveryView:
    """One delivery: to its recipient, to its organisation's admins, and to readers of its alert."""
    row = session.get(Notification, delivery_id)
    if row is None or not _may_see(session, caller, row):
        raise NotFound(f"delivery {delivery_id} not found")
    return views_of(session, caller=caller, rows=[row])[0]


def _not_hidden(caller: Caller) -> ColumnElement[bool]:
    """Deliveries of an alert hidden from the caller (a silent duress it signalled) are hidden with it."""
    hidden = alerts_service.hidden_from(caller)
    return or_(Notification.alert_id.is_(None), Notification.alert_id.not_in(hidden))


def _may_see(session: Session, caller: Caller, row: Notification) -> bool:
    if row.alert_id is not None:
        alert = session.get(Alert, row.alert_id)
        if alert is not None and caller.user_id in views.silent_to(alert):
            return False
    if row.user_id is not None and row.user_id == caller.user_id:
        return True
    if policy.may_oversee_deliveries(caller, organization_id=caller.organization_id):
        mine = session.scalar(
            select(Notification.id).where(Notification.id == row.id, _of_organization(caller.organization_id))
        )
        if mine is not None:
            return True
    if row.alert_id is None:
        return False
    try:
        alerts_service.get_alert(session, caller=caller, alert_id=row.alert_id)
    except (NotFound, Forbidden):
        return False
    return True


def retry_dead(
    session: Session, *, caller: Caller, now: datetime, delivery_ids: Sequence[int] = ()
) -> list[Notification]:
    """Send dead letters of the caller's organisation again (all of them, or those named): due now, with
    their tries counted afresh and the same delivery id; audited."""
    _oversee(caller)
    stmt = select(Notification).where(
        _of_organization(caller.organization_id), _not_hidden(caller), Notification.status == outbox.DEAD
    )
    if delivery_ids:
        stmt = stmt.where(Notification.id.in_(sorted(set(delivery_ids))))
    rows = list(session.scalars(stmt.order_by(Notification.id)))
    if delivery_ids and len(rows) != len(set(delivery_ids)):
        missing = sorted(set(delivery_ids) - {r.id for r in rows})
        raise Conflict(f"not dead letters of your organisation: {', '.join(map(str, missing))}")
    for row in rows:
        # the log says who sent it again; its tries are counted afresh from here
        note = f"sent again by user {caller.user_id}; tries counted afresh"
        session.add(
            DeliveryAttempt(
                notification_id=row.id, attempt=row.attempts, at=now, status="retried", detail=note
            )
        )
        row.status, row.attempts, row.next_attempt_at = outbox.PENDING, 0, now
        row.claimed_by, row.claimed_until = None, None
        audit_service.record(
            session,
            actor=caller,
            action="notify.retry",
            object_type="notification",
            object_id=row.id,
            details={"alert_id": row.alert_id, "channel": row.channel, "target": row.target},
            now=now,
        )
    session.flush()
    if rows:
        outbox.wake_on_commit(session)
    return rows


TEST_CHANNELS = ("email", "sms", "webhook")
TESTS_PER_HOUR = 5  # a test message costs (an SMS): a few an hour to each destination are enough


@dataclass(frozen=True, slots=True)
class _Destination:
    channel: str
    address: str
    target: str
    user_id: int | None
    organization_id: int
    words: str  # whom the test reaches, in its text


def _own_point(session: Session, caller: Caller, channel: str) -> _Destination:
    """The caller's own verified contact point of ``channel``, the latest verified first."""
    point = session.scalar(
        select(ContactPoint)
        .where(
            ContactPoint.user_id == caller.user_id,
            ContactPoint.channel == channel,
            ContactPoint.verified_at.is_not(None),
            ContactPoint.disabled_at.is_(None),
        )
        .order_by(ContactPoint.verified_at.desc(), ContactPoint.id.desc())
        .limit(1)
    )
    if point is None:
        msg = f"you have no verified {channel} contact point: add one and confirm its code first"
        raise InvalidInput(msg, errors=[{"loc": ["channel"], "msg": msg}])
    user = session.get_one(User, caller.user_id)
    target = outbox.user_target(caller.user_id)
    words = f"to {user.username}: alerts reach you by {channel}"
    return _Destination(channel, point.address, target, caller.user_id, caller.organization_id, words)


def _endpoint(session: Session, caller: Caller, endpoint_id: int | None) -> _Destination:
    """An active webhook endpoint of an organisation whose policies and endpoints the caller keeps."""
    if endpoint_id is None:
        msg = "name the webhook endpoint to test"
        raise InvalidInput(msg, errors=[{"loc": ["endpoint_id"], "msg": msg}])
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not policy.may_manage_call_policies(
        caller, organization_id=endpoint.organization_id
    ):
        raise NotFound(f"webhook endpoint {endpoint_id} not found")
    if not endpoint.active or endpoint.revoked_at is not None:
        raise Conflict(f"webhook endpoint {endpoint_id} is revoked")
    words = f"to the endpoint {endpoint.name}, asked for by user {caller.user_id}"
    target = outbox.webhook_target(endpoint.id)
    return _Destination("webhook", endpoint.url, target, None, endpoint.organization_id, words)


def send_test(
    session: Session, *, caller: Caller, channel: str, now: datetime, endpoint_id: int | None = None
) -> DeliveryView:
    """Write a test message (audited) to the caller's own verified contact point of ``channel``, or, for
    ``webhook``, to an endpoint of the caller's organisation (its administrators); the dispatcher sends it
    within seconds. At most five an hour to each destination."""
    if channel not in TEST_CHANNELS:
        msg = f"one of {', '.join(TEST_CHANNELS)}"
        raise InvalidInput(f"channel: {msg}", errors=[{"loc": ["channel"], "msg": msg}])
    dest = (
        _endpoint(session, caller, endpoint_id)
        if channel == "webhook"
        else _own_point(session, caller, channel)
    )
    db.write_turn(session)  # the count decides the write
    recent = session.scalar(
        select(func.count()).where(
            Notification.purpose == "test",
            Notification.target == dest.target,
            Notification.created_at > now - timedelta(hours=1),
        )
    )
    if int(recent or 0) >= TESTS_PER_HOUR:
        raise Conflict(f"at most {TESTS_PER_HOUR} test messages an hour to one destination: try again later")
    row = outbox.enqueue(
        session,
        purpose="test",
        channel=dest.channel,
        address=dest.address,
        target=dest.target,
        user_id=dest.user_id,
        organization_id=dest.organization_id,
        body={
            "subject": "Outrider: test message",
            "text": f"A test message from Outrider {dest.words}.",
            "url": messages.page_url("/"),
        },
        now=now,
    )
    assert row is not None  # a test message names no alert: it is never merged with another
    audit_service.record(
        session,
        actor=caller,
        action="notify.test",
        object_type="notification",
        object_id=row.id,
        details={
            "channel": dest.channel,
            "target": dest.target,
            "address": mask_address(dest.channel, dest.address),
        },
        now=now,
    )
    return views_of(session, caller=caller, rows=[row])[0]
