"""Use cases of alerts: raise (de-duplicated), list, acknowledge, escalate, resolve.

The detectors and jobs raise, escalate and resolve; what a signed-in caller asks for (list, read,
acknowledge, follow the changes) takes the `Caller` and is decided here through `access.policy`, so every
face refuses the same way."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.alerts import listeners, views
from outrider.alerts.lifecycle import Act, Standing, ack_expiry, refusal, state_of
from outrider.alerts.models import Alert, AlertAudience, AlertHiddenFrom
from outrider.alerts.notes import add_note
from outrider.alerts.schemas import SEVERITY_RANK, Severity
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound


def raise_alert(
    session: Session,
    *,
    kind: str,
    severity: Severity,
    subject_type: str,
    subject_id: str | int,
    title: str,
    details: dict[str, Any] | None = None,
    organization_id: int | None = None,
    audience: Iterable[int] = (),
    now: datetime,
) -> tuple[Alert, bool]:
    """Open an alert, or refresh the one still open for the same subject and kind.

    Returns the alert and whether it is new. A repeat is the condition as it stands now: it takes the new
    title and details (merged over the old), counts one more occurrence, raises the severity if higher and
    never lowers it. ``audience``: organisations that see it beside the owner (added to, never removed).
    """
    existing = find_open(session, kind, subject_type, subject_id)
    if existing is not None:
        _refresh(session, existing, severity=severity, title=title, details=details, now=now)
        add_audience(session, existing, audience)
        hide_from_signallers(session, existing)
        listeners.tell(session, existing, "refreshed", now)
        return existing, False
    alert = Alert(
        kind=kind,
        severity=severity.value,
        subject_type=subject_type,
        subject_id=str(subject_id),
        organization_id=organization_id,
        title=title,
        details=details or {},
        created_at=now,
        updated_at=now,
        occurrences=1,
        escalation_level=0,
        acknowledge_note="",
    )
    try:
        with session.begin_nested():  # another process may open the same alert at this very moment
            session.add(alert)
    except IntegrityError:
        existing = find_open(session, kind, subject_type, subject_id)
        if existing is None:
            raise
        _refresh(session, existing, severity=severity, title=title, details=details, now=now)
        add_audience(session, existing, audience)
        hide_from_signallers(session, existing)
        listeners.tell(session, existing, "refreshed", now)
        return existing, False
    add_audience(session, alert, audience)
    hide_from_signallers(session, alert)
    listeners.tell(session, alert, "raised", now)
    return alert, True


def add_audience(session: Session, alert: Alert, organization_ids: Iterable[int]) -> None:
    """Let these organisations see the alert too (a repeat or a race adds nothing twice)."""
    wanted = sorted({int(o) for o in organization_ids} - {alert.organization_id})
    if not wanted:
        return
    _insert_new(session, AlertAudience, [{"alert_id": alert.id, "organization_id": o} for o in wanted])


def hide_from_signallers(session: Session, alert: Alert) -> None:
    """Keep the alert from the users its details name ``silent_to`` (who gave a silent duress signal), in
    every list and read: a row each, so the lists filter them in SQL (a repeat adds nothing twice)."""
    users = sorted(views.silent_to(alert))
    if not users:
        return
    _insert_new(session, AlertHiddenFrom, [{"alert_id": alert.id, "user_id": u} for u in users])


def _insert_new(
    session: Session, model: type[AlertAudience] | type[AlertHiddenFrom], rows: list[dict[str, int]]
) -> None:
    """Insert these rows of a table keyed by all its columns (each row names them all), leaving out those
    already there (a repeat or a race adds nothing twice)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(model).values(rows).on_conflict_do_nothing(index_elements=list(rows[0])))


def hidden_from(caller: Caller) -> Select[int]:
    """The ids of the alerts never shown to the caller (those about a silent duress it signalled)."""
    return select(AlertHiddenFrom.alert_id).where(AlertHiddenFrom.user_id == caller.user_id)


def audience_of(session: Session, alert_id: int) -> frozenset[int]:
    """The organisations that see an alert beside its owner."""
    rows = session.scalars(select(AlertAudience.organization_id).where(AlertAudience.alert_id == alert_id))
    return frozenset(rows)


class MovementSubject(Protocol):
    """What an alert about a movement reads of it (alerts import no other domain)."""

    @property
    def id(self) -> int: ...

    @property
    def organization_id(self) -> int: ...


def raise_about_movement(
    session: Session,
    movement: MovementSubject,
    *,
    kind: str,
    severity: Severity,
    title: str,
    details: dict[str, Any],
    now: datetime,
) -> tuple[Alert, bool]:
    """`raise_alert` with a movement as the subject, owned by the movement's organisation and seen by the
    movement's parties (the escorting unit's organisation, the partner whose nationals travel)."""
    return raise_alert(
        session,
        kind=kind,
        severity=severity,
        subject_type="movement",
        subject_id=movement.id,
        title=title,
        details=details,
        organization_id=movement.organization_id,
        audience=views.movement_audience(session, movement.id),
        now=now,
    )


def find_open(session: Session, kind: str, subject_type: str, subject_id: str | int) -> Alert | None:
    """The alert still open for this subject and kind, if any."""
    found: Alert | None = session.scalar(
        select(Alert).where(
            Alert.kind == kind,
            Alert.subject_type == subject_type,
            Alert.subject_id == str(subject_id),
            Alert.resolved_at.is_(None),
        )
    )
    return found


def open_subjects(session: Session, kind: str, subject_type: str) -> frozenset[str]:
    """The subjects (ids) of a type with an alert of this kind open now (one read for a whole job)."""
    is_open = (Alert.kind == kind, Alert.subject_type == subject_type, Alert.resolved_at.is_(None))
    return frozenset(session.scalars(select(Alert.subject_id).where(*is_open)))


def _refresh(
    session: Session,
    existing: Alert,
    *,
    severity: Severity,
    title: str,
    details: dict[str, Any] | None,
    now: datetime,
) -> None:
    existing.occurrences += 1
    existing.updated_at = max(now, existing.updated_at)  # a late repeat never moves the live stream back
    if SEVERITY_RANK[severity] > SEVERITY_RANK[Severity(existing.severity)]:
        existing.severity = severity.value
    existing.title = title  # the condition as it stands now ("inside the outer cordon for 44 min")
    if details:
        merged = {**existing.details, **details}
        silent = views.silent_to(existing) | views.silent_in(merged)
        if silent:  # a second signaller adds to the first: neither is ever shown it nor called about it
            merged[views.SILENT_TO] = sorted(silent)
        existing.details = merged
    session.flush()


# What each ``status`` of a list asks of an alert.
STATUS_FILTERS = {
    "open": (Alert.resolved_at.is_(None),),
    "unacknowledged": (Alert.resolved_at.is_(None), Alert.acknowledged_at.is_(None)),
    "acknowledged": (Alert.acknowledged_at.is_not(None),),
    "resolved": (Alert.resolved_at.is_not(None),),
}


def readable(session: Session, caller: Caller) -> ColumnElement[bool]:
    """The WHERE clause of the alerts the caller may read (never one about a silent duress it signalled);
    Forbidden without a reader's role."""
    if not policy.may_read_alerts(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_READERS))
    # read first, one indexed look-up (nearly always empty): the lists then pay nothing per row for it
    hidden = sorted(session.scalars(hidden_from(caller)))
    scope = policy.alert_scope(caller)
    if scope.everything:
        in_scope: ColumnElement[bool] = true()
    else:
        orgs = sorted(scope.organization_ids)
        seen = select(AlertAudience.alert_id).where(AlertAudience.organization_id.in_(orgs))
        in_scope = or_(Alert.organization_id.in_(orgs), Alert.id.in_(seen))
    return and_(in_scope, Alert.id.not_in(hidden)) if hidden else in_scope


def list_alerts(
    session: Session,
    *,
    caller: Caller,
    status: str | None = None,
    kind: str | None = None,
    severity: Severity | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    """Alerts the caller may see, newest first; ``status``: open, acknowledged, unacknowledged, resolved."""
    stmt = select(Alert).where(readable(session, caller))
    if status in STATUS_FILTERS:
        stmt = stmt.where(*STATUS_FILTERS[status])
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    if severity is not None:
        stmt = stmt.where(Alert.severity == severity.value)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.scalars(
        stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def changed_since(
    session: Session, *, caller: Caller, since: datetime, after_id: int = 0, limit: int = 100
) -> list[Alert]:
    """Alerts the caller may see raised or changed after (``since``, ``after_id``), oldest change first
    (for live streams)."""
    stmt = select(Alert).where(
        readable(session, caller),
        or_(Alert.updated_at > since, and_(Alert.updated_at == since, Alert.id > after_id)),
    )
    return list(session.scalars(stmt.order_by(Alert.updated_at, Alert.id).limit(limit)))


def get_alert(session: Session, *, caller: Caller, alert_id: int) -> Alert:
    """One alert the caller may see (another organisation's answers 404, as a missing one)."""
    if not policy.may_read_alerts(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_READERS))
    alert = session.get(Alert, alert_id)
    if alert is None or not may_read(session, caller, alert):
        raise NotFound(f"alert {alert_id} not found")
    return alert


def may_read(session: Session, caller: Caller, alert: Alert) -> bool:
    """True when the caller may read this alert: in its scope, and not who signalled the silent duress it
    reports (to them it does not exist)."""
    if caller.user_id in views.silent_to(alert):
        return False
    if policy.may_read_alert(caller, organization_id=alert.organization_id):
        return True  # the owner's readers and host security: no need to read the audience
    audience = audience_of(session, alert.id)
    return bool(audience) and policy.may_read_alert(
        caller, organization_id=alert.organization_id, audience=audience
    )


def allowed(alert: Alert, act: Act) -> None:
    """Conflict when the alert's state does not allow ``act`` (the lifecycle's rule, worded for people)."""
    standing = Standing(alert.acknowledged_at, alert.resolved_at, alert.ack_expires_at)
    why = refusal(state_of(standing), act)
    if why is None:
        return
    if act is Act.acknowledge and alert.acknowledged_at is not None and alert.resolved_at is None:
        why = f"was already acknowledged at {alert.acknowledged_at.isoformat()}"
    raise Conflict(f"alert {alert.id} {why}")


def acknowledge(
    session: Session,
    *,
    caller: Caller,
    alert_id: int,
    note: str,
    now: datetime,
    ack_timeout: timedelta = timedelta(minutes=30),
) -> Alert:
    """Record that the caller took charge of an alert they may see; acknowledging twice is a conflict.
    Progress is owed before ``now + ack_timeout``, or the acknowledgement lapses."""
    if not policy.may_acknowledge_alerts(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_ACKERS))
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    allowed(alert, Act.acknowledge)
    alert.acknowledged_by = caller.user_id
    alert.acknowledged_at = now
    alert.acknowledge_note = note
    alert.ack_expires_at = ack_expiry(now, ack_timeout)
    alert.updated_at = now
    add_note(session, alert_id=alert.id, kind="acknowledged", text=note, user_id=caller.user_id, now=now)
    listeners.tell(session, alert, "acknowledged", now)
    return alert


def escalate(session: Session, *, alert: Alert, level: int, now: datetime) -> bool:
    """Raise an alert's escalation level; returns False when it was already there or higher."""
    if level <= alert.escalation_level or alert.resolved_at is not None:
        return False
    alert.escalation_level = level
    alert.updated_at = now
    session.flush()
    listeners.tell(session, alert, "escalated", now)
    return True


def required_reason(reason: str, field: str = "reason") -> str:
    """The text given, stripped; InvalidInput beside ``field`` when there is none."""
    text = reason.strip()
    if not text:
        raise InvalidInput(
            f"a {field} is required", errors=[{"loc": [field], "msg": f"a {field} is required"}]
        )
    return text


def escalate_by_hand(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Raise an alert the caller may read one level, with why; a resolved alert is a conflict."""
    if not policy.may_escalate_alert(caller):
        raise Forbidden(policy.needs_roles(policy.ALERT_ACKERS))
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    allowed(alert, Act.escalate)
    why = required_reason(reason)
    escalate(session, alert=alert, level=alert.escalation_level + 1, now=now)
    alert.escalated_by, alert.escalation_reason = caller.user_id, why
    add_note(session, alert_id=alert.id, kind="escalated", text=why, user_id=caller.user_id, now=now)
    return alert


def resolve_by_hand(session: Session, *, caller: Caller, alert_id: int, reason: str, now: datetime) -> Alert:
    """Close an alert the caller may read and resolve, recording who, when and why."""
    alert = get_alert(session, caller=caller, alert_id=alert_id)
    if not policy.may_resolve_alert(caller, kind=alert.kind, organization_id=alert.organization_id):
        raise Forbidden(
            "cordon alerts are resolved by host security's duty officers and administrators; other alerts "
            "also by the owner organisation's administrators, coordinators and duty officers"
        )
    if alert.resolved_at is not None:
        raise Conflict(f"alert {alert.id} was already resolved at {alert.resolved_at.isoformat()}")
    alert.resolution_reason = required_reason(reason)
    alert.resolved_by, alert.resolved_at, alert.updated_at = caller.user_id, now, now
    alert.ack_expires_at = None
    add_note(
        session,
        alert_id=alert.id,
        kind="resolved",
        text=alert.resolution_reason,
        user_id=caller.user_id,
        now=now,
    )
    listeners.tell(session, alert, "resolved", now)
    return alert


def resolve(session: Session, *, kind: str, subject_type: str, subject_id: str | int, now: datetime) -> int:
    """Close the open alerts of a kind for a subject (the condition is over); returns how many."""
    rows = session.scalars(
        select(Alert).where(
            Alert.kind == kind,
            Alert.subject_type == subject_type,
            Alert.subject_id == str(subject_id),
            Alert.resolved_at.is_(None),
        )
    ).all()
    for alert in rows:
        alert.resolved_at = now
        alert.updated_at = now
    session.flush()
    for alert in rows:
        listeners.tell(session, alert, "resolved", now)
    return len(rows)


def alerts_for(
    session: Session, *, subject_type: str, subject_id: str | int, caller: Caller | None = None
) -> list[Alert]:
    """Every alert, open or not, about one subject (oldest first); with a ``caller``, only those it may read
    (none without a reader's role)."""
    stmt = select(Alert).where(Alert.subject_type == subject_type, Alert.subject_id == str(subject_id))
    if caller is not None:
        if not policy.may_read_alerts(caller):
            return []
        stmt = stmt.where(readable(session, caller))
    return list(session.scalars(stmt.order_by(Alert.created_at, Alert.id)))
