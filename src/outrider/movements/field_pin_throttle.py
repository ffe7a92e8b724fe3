"""The throttle of field PINs, as stored: wrong PINs counted per user (and per unknown or unsigned SMS
sender), the lock they make, its refusals audited, the duty desk alerted when a lock begins.

The rule is the pure core `pin_lock`. A wrong PIN is refused, and its refusal rolls back what the check-in
began: the failure is kept by the refusal's `after_rollback`, in a transaction of its own (or, on the SMS
path that answers a refusal without rolling back, in the request's own). The checks of one user are taken
one at a time (the user's PIN row locked on PostgreSQL, the write turn on SQLite), so two workers see each
other's verdicts; see docs/field.md for what a burst of parallel guesses can still gain.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.alerts.schemas import Severity
from outrider.audit import service as audit_service
from outrider.audit.service import Principal
from outrider.errors import InvalidInput, TooManyRequests
from outrider.movements.field_pin_models import FieldPinFailure
from outrider.movements.models import FieldPin, Movement
from outrider.movements.pin_lock import Throttle, locked_until, retry_after
from outrider.movements.tracking import raise_on
from outrider.settings import get_settings

WRONG_AUDIT = "movement.field_pin_wrong"  # a wrong PIN (or an unknown sender's message), counted
LOCKED_AUDIT = "movement.field_pin_locked"  # a lock begins, and every PIN check-in refused during it
LOCK_KIND = "field_pin_lock"  # the alert to the duty desk when a user's PINs lock
WRONG_PIN = "wrong_pin"  # the refusals' codes (problem+json `code`)
PIN_LOCKED = "pin_locked"


def throttle() -> Throttle:
    """The deployment's throttle (OUTRIDER_FIELD_PIN_MAX_FAILURES, OUTRIDER_FIELD_PIN_WINDOW_MINUTES)."""
    s = get_settings()
    return Throttle(s.field_pin_max_failures, timedelta(minutes=s.field_pin_window_minutes))


def user_subject(user_id: int) -> str:
    """Whose wrong PINs these are: a user's."""
    return f"user:{user_id}"


def sender_subject(number: str) -> str:
    """Whose failures these are: a sender number's, as a keyed digest (the number itself is never kept)."""
    key = get_settings().secret_key.encode()
    return "sms:" + hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:40]


def take_turn(session: Session, user_id: int) -> None:
    """Check one user's PINs one request at a time: their PIN row locked until the transaction ends
    (PostgreSQL; SQLite's write turn, taken by every check-in, serialises already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(FieldPin.user_id).where(FieldPin.user_id == user_id).with_for_update())


def lock_end(session: Session, subject: str, now: datetime, rule: Throttle) -> datetime | None:
    """Until when the subject's PIN check-ins are refused (None: they are not): one indexed read."""
    times = session.scalars(
        select(FieldPinFailure.at)
        .where(FieldPinFailure.subject == subject, FieldPinFailure.at > now - rule.window)
        .order_by(FieldPinFailure.at.desc())
        .limit(rule.max_failures)
    )
    return locked_until(list(times), now, rule)


def count_failure(
    session: Session,
    *,
    subject: str,
    actor: Principal,
    now: datetime,
    rule: Throttle,
    movement_id: int | None = None,
    channel: str = "api",
) -> datetime | None:
    """Keep a failure (the older ones out of the window are dropped), audit it; when it makes a lock, audit
    the lock and alert the duty desk (about the movement, when there is one). Returns the lock's end."""
    session.execute(
        delete(FieldPinFailure).where(
            FieldPinFailure.subject == subject, FieldPinFailure.at <= now - rule.window
        )
    )
    session.add(FieldPinFailure(subject=subject, at=now))
    session.flush()
    until = lock_end(session, subject, now, rule)
    kind, _, who = subject.partition(":")
    object_type, object_id = ("user", who) if kind == "user" else ("sms", "inbound")
    details = {"channel": channel, "movement_id": movement_id, "locked": until is not None}
    audit_service.record(
        session,
        actor=actor,
        action=WRONG_AUDIT,
        object_type=object_type,
        object_id=object_id,
        details=details,
        now=now,
    )
    if until is not None:
        _lock_began(session, actor, (object_type, object_id), movement_id, until, rule, now)
    return until


def _lock_began(
    session: Session,
    actor: Principal,
    target: tuple[str, str],
    movement_id: int | None,
    until: datetime,
    rule: Throttle,
    now: datetime,
) -> None:
    minutes = int(rule.window.total_seconds() // 60)
    audit_service.record(
        session,
        actor=actor,
        action=LOCKED_AUDIT,
        object_type=target[0],
        object_id=target[1],
        details={"began": True, "until": until.isoformat(), "movement_id": movement_id},
        now=now,
    )
    movement = session.get(Movement, movement_id) if movement_id is not None else None
    if movement is None or target[0] != "user":
        return
    raise_on(
        session,
        movement,
        LOCK_KIND,
        Severity.high,
        f"field PINs locked after {rule.max_failures} wrong PINs within {minutes} minutes",
        now,
        user_id=int(target[1]),
        until=until.isoformat(),
    )


def wrong_pin(caller: Caller, *, movement_id: int | None, channel: str, now: datetime) -> InvalidInput:
    """The refusal of a wrong PIN; its failure is counted once the refused check-in has rolled back."""
    rule, subject = throttle(), user_subject(caller.user_id)

    def keep(session: Session) -> None:
        count_failure(
            session,
            subject=subject,
            actor=caller,
            now=now,
            rule=rule,
            movement_id=movement_id,
            channel=channel,
        )

    return InvalidInput(
        "the PIN is not your check-in PIN (set your PINs first if you have none)",
        errors=[{"loc": ["body", "pin"], "msg": "wrong PIN"}],
        after_rollback=keep,
        code=WRONG_PIN,
    )


def locked(
    actor: Principal,
    *,
    target: tuple[str, str],
    until: datetime,
    now: datetime,
    movement_id: int | None = None,
    channel: str = "api",
) -> TooManyRequests:
    """The refusal of a PIN check-in during a lock (429, `Retry-After`), audited after its rollback."""

    def keep(session: Session) -> None:
        audit_service.record(
            session,
            actor=actor,
            action=LOCKED_AUDIT,
            object_type=target[0],
            object_id=target[1],
            details={"until": until.isoformat(), "movement_id": movement_id, "channel": channel},
            now=now,
        )

    return TooManyRequests(
        f"too many wrong PINs: PIN check-ins are refused until {until.isoformat(timespec='seconds')}",
        errors=[{"loc": ["body", "pin"], "msg": "locked after too many wrong PINs"}],
        after_rollback=keep,
        code=PIN_LOCKED,
        retry_after=retry_after(until, now),
    )
