"""Working an alert: assign it to a person, post progress, let an acknowledgement with no progress lapse,
reopen a resolved alert; its log; the count of alerts nobody has taken, for every page's header.

The state rules are `lifecycle`'s; who may is `access.policy`'s; the alert desk (above) audits each act.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import listeners, views
from outrider.alerts.lifecycle import Act, ack_expiry
from outrider.alerts.models import Alert, AlertNote
from outrider.alerts.notes import add_note, notes_of
from outrider.alerts.schemas import AlertNoteRead, Severity
from outrider.alerts.service import (
    STATUS_FILTERS,
    allowed,
    audience_of,
    find_open,
    get_alert,
    readable,
    required_reason,
)
from outrider.errors import Conflict, Forbidden, InvalidInput

# The kinds of entry whose text a person wrote (the others are the lifecycle's own words).
WRITTEN = frozenset({"progress", "acknowledged", "escalated", "resolved", "reopened"})


def assign(
    session: Session, *, caller: Caller, alert_id: int, user_id: int, assignee: Caller | None, now: datetime
) -> Alert:
    """Give an alert the caller may read to a person who may read it and take charge of it (``assignee``:
    user ``user_id`` as the policy sees them, None when no such active user exists)."""
    if not policy.may_assign_alert(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_ACKERS))
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    allowed(alert, Act.assign)
    audience = audience_of(session, alert.id)
    if (
        assignee is None
        or assignee.user_id in views.silent_to(alert)  # to them it does not exist
        or not policy.may_be_assigned_alert(
            assignee, organization_id=alert.organization_id, audience=audience
        )
    ):
        raise not_assignable(user_id, alert.id)
    if alert.assigned_to == assignee.user_id:
        raise Conflict(f"alert {alert.id} is already assigned to user {assignee.user_id}")
    alert.assigned_to, alert.assigned_by, alert.assigned_at = assignee.user_id, caller.user_id, now
    alert.updated_at = now
    text = f"user {assignee.user_id}"
    add_note(session, alert_id=alert.id, kind="assigned", text=text, user_id=caller.user_id, now=now)
    listeners.tell(session, alert, "assigned", now)
    return alert


def not_assignable(user_id: int, alert_id: int) -> InvalidInput:
    """The one refusal of an assignee, whether missing, inactive or not allowed (it tells no more)."""
    msg = (
        f"user {user_id} may not read and take charge of alert {alert_id} (an active user who may is needed)"
    )
    return InvalidInput(msg, errors=[{"loc": ["user_id"], "msg": msg}])


def post_progress(
    session: Session,
    *,
    caller: Caller,
    alert_id: int,
    text: str,
    now: datetime,
    ack_timeout: timedelta = timedelta(minutes=30),
) -> AlertNote:
    """Say what is being done about an open alert; an acknowledgement's time for progress starts again."""
    if not policy.may_post_alert_progress(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_ACKERS))
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    allowed(alert, Act.progress)
    said = required_reason(text, "text")
    if alert.acknowledged_at is not None:
        alert.ack_expires_at = ack_expiry(now, ack_timeout)
    alert.updated_at = now
    return add_note(session, alert_id=alert.id, kind="progress", text=said, user_id=caller.user_id, now=now)


def lapse_acknowledgements(session: Session, *, now: datetime) -> list[tuple[Alert, int | None]]:
    """Open again every acknowledged alert whose time for progress is over, so the chain calls again.

    Rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL (two workers never lapse one alert twice).
    Returns each lapsed alert with who had acknowledged it.
    """
    stmt = select(Alert).where(
        Alert.resolved_at.is_(None),
        Alert.acknowledged_at.is_not(None),
        Alert.ack_expires_at.is_not(None),
        Alert.ack_expires_at <= now,
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    done: list[tuple[Alert, int | None]] = []
    for alert in session.scalars(stmt.order_by(Alert.id)).all():
        allowed(alert, Act.expire)
        was = alert.acknowledged_by
        since = alert.acknowledged_at.isoformat() if alert.acknowledged_at else ""
        alert.acknowledged_by, alert.acknowledged_at, alert.acknowledge_note = None, None, ""
        alert.ack_expires_at, alert.updated_at = None, now
        text = f"acknowledged by user {was} at {since}, no progress since"
        add_note(session, alert_id=alert.id, kind="ack_expired", text=text, user_id=None, now=now)
        listeners.tell(session, alert, "ack_expired", now)
        done.append((alert, was))
    return done


def reopen(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Open a resolved alert again, saying why; not while another alert is open on its subject and kind."""
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    if not policy.may_reopen_alert(caller, kind=alert.kind, organization_id=alert.organization_id):
        raise Forbidden("an alert is reopened by those who may resolve it")
    allowed(alert, Act.reopen)
    why = required_reason(reason)
    _refuse_twin(session, alert)
    try:
        with session.begin_nested():  # a detector may open the same condition at this very moment
            alert.resolved_at, alert.resolved_by, alert.resolution_reason = None, None, ""
            alert.acknowledged_by, alert.acknowledged_at, alert.acknowledge_note = None, None, ""
            alert.ack_expires_at = None
            alert.reopened_at, alert.reopened_by, alert.updated_at = now, caller.user_id, now
            session.flush()
    except IntegrityError:
        session.refresh(alert)
        _refuse_twin(session, alert)
        raise
    add_note(session, alert_id=alert.id, kind="reopened", text=why, user_id=caller.user_id, now=now)
    listeners.tell(session, alert, "reopened", now)
    return alert


def _refuse_twin(session: Session, alert: Alert) -> None:
    twin = find_open(session, alert.kind, alert.subject_type, alert.subject_id)
    if twin is not None and twin.id != alert.id:
        raise Conflict(f"alert {twin.id} is open for the same subject and kind: work on that one")


def notes(session: Session, *, caller: Caller, alert_id: int, now: datetime) -> list[AlertNoteRead]:
    """The log of an alert the caller may read, oldest first. What people wrote on an alert about movements
    is withheld from a reader off the need-to-know list of any of them (a note may tell where or when)."""
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    concerned = views.movements_of(alert)
    known = views.known_movements(session, caller, [alert], now) if concerned else {}
    withhold = not concerned <= set(known)
    out = []
    for note in notes_of(session, alert_id):
        read = AlertNoteRead.model_validate(note)
        if withhold and read.kind in WRITTEN and read.text:
            read = read.model_copy(update={"text": "", "withheld": True})
        out.append(read)
    return out


def unacknowledged_count(session: Session, *, caller: Caller) -> int:
    """How many open alerts the caller may read nobody has taken (0 for a caller who reads none)."""
    if not policy.may_read_alerts(caller):
        return 0
    stmt = select(func.count(Alert.id)).where(readable(session, caller), *STATUS_FILTERS["unacknowledged"])
    return int(session.scalar(stmt) or 0)


def critical_after(session: Session, *, caller: Caller, after_id: int, limit: int = 5) -> list[Alert]:
    """Open, unacknowledged critical alerts the caller may read raised after ``after_id``, oldest first."""
    if not policy.may_read_alerts(caller):
        return []
    stmt = select(Alert).where(
        readable(session, caller),
        *STATUS_FILTERS["unacknowledged"],
        Alert.severity == Severity.critical.value,
        Alert.id > after_id,
    )
    return list(session.scalars(stmt.order_by(Alert.id).limit(limit)))


def newest_id(session: Session, *, caller: Caller) -> int:
    """The highest id of an alert the caller may read, 0 for a caller who reads none (a page remembers it:
    only alerts raised after it are news). Only readable ones: a cursor moved by an alert hidden from the
    caller (a silent duress it signalled) or out of its scope would tell that one was raised."""
    if not policy.may_read_alerts(caller):
        return 0
    return int(session.scalar(select(func.max(Alert.id)).where(readable(session, caller))) or 0)
