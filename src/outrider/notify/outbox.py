"""The outbox: a notification is a row written in the transaction that raises or escalates the alert, so
it is sent if and only if that transaction commits; the dispatcher claims and sends it afterwards.

One delivery per alert, purpose, round, step, target and channel, however many workers run: the unique key
(`uq_notify_once`) turns a second `enqueue` of the same delivery into nothing (INSERT ... ON CONFLICT DO
NOTHING on SQLite and PostgreSQL alike). An ``info`` alert is not sent on its own: its rows wait, in the
status ``digest``, for the daily digest (`notify.digest`).
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outrider.alerts.models import Alert
from outrider.notify.models import Notification

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"
DIGEST = "digest"  # an info alert's row, waiting for the daily digest
DIGESTED = "digested"  # an info alert's row that a digest message has carried
STATUSES = (PENDING, SENDING, SENT, DEAD, DIGEST, DIGESTED)

_UNIQUE = ("alert_id", "purpose", "round", "step", "target", "channel")

# Set when a transaction that wrote notifications commits: this process's dispatcher starts at once instead
# of at its next interval (another process's dispatcher finds them within its interval).
written = threading.Event()
_WAKE = "outrider.notify.wake"


def _wake(session: Session) -> None:
    session.info.pop(_WAKE, None)
    written.set()


def wake_on_commit(session: Session) -> None:
    """Wake this process's dispatcher when the session's transaction commits (due rows written)."""
    if not session.info.get(_WAKE):
        session.info[_WAKE] = True
        event.listen(session, "after_commit", _wake, once=True)


def new_delivery_id() -> str:
    """A new delivery id: 32 hex digits, the first 12 the milliseconds since the epoch (sortable by time,
    as a UUIDv7), the rest random; it stays the same on every retry of the delivery."""
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(10).hex()}"


def user_target(user_id: int) -> str:
    """The ``target`` of a notification to a user."""
    return f"user:{user_id}"


def webhook_target(endpoint_id: int) -> str:
    """The ``target`` of a notification to a webhook endpoint."""
    return f"webhook:{endpoint_id}"


def parse_target(target: str) -> tuple[str, int | None]:
    """A target's kind (``user``, ``webhook``) and id (None when it names none)."""
    kind, _, ident = target.partition(":")
    return kind, int(ident) if ident.isdigit() else None


# INSERT ... ON CONFLICT (the unique key) DO NOTHING RETURNING the row, for SQLite and for PostgreSQL.
_INSERTS = {
    postgres: (postgresql.insert if postgres else sqlite.insert)(Notification)
    .on_conflict_do_nothing(index_elements=list(_UNIQUE))
    .returning(Notification)
    for postgres in (False, True)
}


def _initial_status(session: Session, purpose: str, alert_id: int | None) -> str:
    if purpose != "alert" or alert_id is None:
        return PENDING
    alert = session.get(Alert, alert_id)
    return DIGEST if alert is not None and alert.severity == "info" else PENDING


def enqueue(
    session: Session,
    *,
    purpose: str,
    channel: str,
    address: str,
    target: str,
    now: datetime,
    alert_id: int | None = None,
    round: int = 0,
    step: int = 0,
    user_id: int | None = None,
    organization_id: int | None = None,
    body: dict[str, Any] | None = None,
) -> Notification | None:
    """Write one notification in the caller's transaction, due now; None when the same delivery (alert,
    purpose, round, step, target, channel) is already in the outbox. An info alert's row waits for the
    digest instead of being sent."""
    values = {
        "delivery_id": new_delivery_id(),
        "alert_id": alert_id,
        "purpose": purpose,
        "round": round,
        "step": step,
        "target": target,
        "user_id": user_id,
        "organization_id": organization_id,
        "channel": channel,
        "address": address,
        "body": body or {},
        "status": _initial_status(session, purpose, alert_id),
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": "",
    }
    stmt = _INSERTS[session.get_bind().dialect.name == "postgresql"]
    # the values as parameters of one prepared statement (cheaper than `.values()`), and the ORM object
    # itself back: no second query
    row = session.scalars(stmt, [values]).one_or_none()
    if row is not None and row.status == PENDING:
        wake_on_commit(session)
    return row
