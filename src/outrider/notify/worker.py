"""The dispatcher's own thread, beside the periodic jobs of `outrider serve` and `outrider worker`: every
``OUTRIDER_NOTIFY_DISPATCH_SECONDS`` (2 s) it folds yesterday's info alerts into digests and sends what is
due, pass after pass while passes come back full."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import exists, select

from outrider import db
from outrider.notify import digest, outbox
from outrider.notify.channels.base import Channel
from outrider.notify.dispatcher import DispatchReport, Policy, default_channels, dispatch_once, worker_name
from outrider.notify.models import Notification
from outrider.notify.outbox import DIGEST, PENDING, SENDING
from outrider.settings import get_settings

log = logging.getLogger("outrider.notify")


def anything_due(now: datetime) -> bool:
    """Whether a pass would find work, read without taking SQLite's write turn (idle passes stay cheap)."""
    with db.optimistic_sqlite(), db.transaction() as session:
        stmt = select(
            exists().where(
                ((Notification.status == PENDING) & (Notification.next_attempt_at <= now))
                | ((Notification.status == DIGEST) & (Notification.next_attempt_at < digest.day_start(now)))
                | ((Notification.status == SENDING) & (Notification.claimed_until < now))
            )
        )
        return bool(session.scalar(stmt))


def run_once(
    *, now: datetime | None = None, channels: Mapping[str, Channel] | None = None, limit: int | None = None
) -> DispatchReport:
    """Digests, then passes of the dispatcher until one claims less than a full batch; what was done."""
    settings = get_settings()
    at = now or db.utcnow()
    total = DispatchReport()
    if not anything_due(at):
        return total
    with db.transaction() as session:
        digest.digest_tick(session, now=at)
    batch = limit or settings.notify_batch_size
    policy, channels = Policy.from_settings(settings), channels or default_channels(settings)
    while True:
        report = dispatch_once(
            db.session_factory(),
            now=at,
            worker_id=worker_name(),
            limit=batch,
            channels=channels,
            policy=policy,
        )
        for name in ("claimed", "sent", "retried", "dead", "lapsed"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        if report.claimed < batch:
            return total
        at = now or db.utcnow()


class DispatcherThread:
    """Runs the dispatcher in daemon threads until stopped: every few seconds, and at once when this
    process commits new notifications. Two loops, so that one sends while the other claims and records."""

    LOOPS = 2

    def __init__(self, interval_seconds: float | None = None) -> None:
        self.interval = interval_seconds or get_settings().notify_dispatch_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _loop(self) -> None:
        while not self._stop.is_set():
            outbox.written.clear()  # a commit from here on wakes the next wait
            try:
                done = run_once()
                if done.claimed:
                    log.info("notify: %s", done)
            except Exception:
                log.exception("the dispatcher failed; retrying at the next pass")
            outbox.written.wait(self.interval)

    def start(self) -> None:
        """Start dispatching."""
        for n in range(self.LOOPS):
            thread = threading.Thread(target=self._loop, name=f"outrider-notify-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Ask the loops to stop and wait for the passes under way."""
        self._stop.set()
        outbox.written.set()
        for thread in self._threads:
            thread.join(timeout=30)
