"""A dispatcher process killed with SIGKILL in the middle of its batch, then another pass: nothing is lost,
every message arrives at least once and always under its own delivery id (the receiver drops repeats)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from notify_receivers import WebhookReceiver, webhook_receiver
from sqlalchemy import Engine, select
from test_dispatcher import T0, _channels, _webhooks

from fresh_databases import migrated_database
from outrider import db
from outrider.notify import dispatcher, outbox
from outrider.notify.models import DeliveryAttempt, Notification

CHILD = """
import sys
from datetime import datetime
from outrider import db, migrate
from outrider.notify import dispatcher
from outrider.notify.channels.base import ChannelConfig, channel_for

db.set_engine(db.make_engine(sys.argv[1]))
channels = {"webhook": channel_for("webhook", ChannelConfig(webhook_timeout_seconds=5))}
dispatcher.dispatch_once(
    db.session_factory(), now=datetime.fromisoformat(sys.argv[2]), worker_id="doomed", limit=10,
    channels=channels, policy=dispatcher.Policy(concurrency=1),
)
"""


@pytest.fixture(scope="module")
def migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """SQLite only (a child process takes seconds to start): the same lapse on both databases is tried
    in-process by `test_dispatcher.py`; here the write turn a killed process held must pass on too."""
    engine = migrated_database("sqlite", request, tmp_path_factory.mktemp("db"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as r:
        yield r


def test_a_killed_dispatcher_loses_nothing(engine: Engine, world: Any, receiver: WebhookReceiver) -> None:
    receiver.script(delay=0.3)
    ids = _webhooks(world, receiver, 5)
    url = engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, T0.isoformat()])
    try:
        deadline = time.monotonic() + 60
        while len(receiver.hooks) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)  # mid-batch: two messages answered, none recorded
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with db.transaction() as session:
        states = set(session.scalars(select(Notification.status)))
        assert states == {outbox.SENDING}  # the claim was committed; nothing was recorded
    receiver.script()
    report = dispatcher.dispatch_once(
        db.session_factory(),
        now=T0 + timedelta(hours=1),  # the lease has lapsed
        worker_id="heir",
        limit=10,
        channels=_channels(),
    )
    assert (report.lapsed, report.sent) == (5, 5)
    assert set(receiver.delivered()) == set(ids)  # every one under its own id, none under another
    with db.transaction() as session:
        lost = session.scalars(select(DeliveryAttempt.detail).where(DeliveryAttempt.status == "lost")).all()
        assert len(lost) == 5 and all(d.startswith("doomed stopped") for d in lost)
