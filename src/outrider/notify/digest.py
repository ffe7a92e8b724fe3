"""The daily digest: an ``info`` alert calls nobody on its own; once its day (UTC) is over, each recipient
gets one message per channel listing that day's info alerts, each as that recipient may read it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider import db
from outrider.notify import outbox
from outrider.notify.models import Notification

Recipient = tuple[str, str, str, int | None, int | None]  # target, channel, address, user, organisation


def day_start(now: datetime) -> datetime:
    """The start of ``now``'s day in UTC (a digest carries the days before it)."""
    return datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)


def digest_tick(session: Session, *, now: datetime) -> int:
    """Fold the info alerts' rows of the days before today into one digest message per recipient, channel
    and day; returns how many digests were written. Safe with several workers (the rows are claimed)."""
    db.write_turn(session)
    stmt = (
        select(Notification)
        .where(Notification.status == outbox.DIGEST, Notification.next_attempt_at < day_start(now))
        .order_by(Notification.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    groups: dict[tuple[Recipient, str], list[Notification]] = defaultdict(list)
    for row in session.scalars(stmt):
        who = (row.target, row.channel, row.address, row.user_id, row.organization_id)
        groups[(who, row.created_at.date().isoformat())].append(row)
    for ((target, channel, address, user_id, organization_id), day), rows in groups.items():
        outbox.enqueue(
            session,
            purpose="digest",
            channel=channel,
            address=address,
            target=target,
            user_id=user_id,
            organization_id=organization_id,
            body={"day": day, "alert_ids": sorted({r.alert_id for r in rows if r.alert_id is not None})},
            now=now,
        )
        for row in rows:
            row.status = outbox.DIGESTED
    session.flush()
    return len(groups)
