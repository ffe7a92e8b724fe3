"""The dispatcher's threads in `outrider serve` and `outrider worker`: a commit that writes a notification
wakes them at once (not at the next interval), and stopping them waits for the pass under way."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select

from fresh_databases import migrated_database
from outrider import db
from outrider.notify import outbox
from outrider.notify.models import DeliveryAttempt
from outrider.notify.worker import DispatcherThread


@pytest.fixture(scope="module")
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """SQLite only: the wake is the process's own, whatever the database."""
    engine = migrated_database("sqlite", request, tmp_path_factory.mktemp("db"))
    yield engine
    engine.dispose()


def test_a_committed_notification_wakes_the_dispatcher(engine: Engine, world: Any) -> None:
    dispatcher = DispatcherThread(interval_seconds=600)
    dispatcher.start()
    try:
        time.sleep(0.2)  # the loops' first passes, with nothing due, are over: both wait now
        with db.transaction() as session:
            outbox.enqueue(
                session,
                purpose="test",
                channel="email",
                address="duty@host.example",
                target=outbox.user_target(world["duty"].user_id),
                user_id=world["duty"].user_id,
                body={"subject": "Outrider: test message", "text": "a test"},
                now=db.utcnow(),
            )
        deadline = time.monotonic() + 20
        attempts: list[str] = []
        while not attempts and time.monotonic() < deadline:
            time.sleep(0.05)
            with db.optimistic_sqlite(), db.transaction() as session:
                attempts = list(session.scalars(select(DeliveryAttempt.detail)))
    finally:
        dispatcher.stop()
    # no SMTP server is configured: attempted at once and laid dead, "not configured"
    assert attempts == ["not configured"]
