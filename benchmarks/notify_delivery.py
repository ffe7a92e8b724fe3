"""Alert delivery: 1,000 alerts raised at once (in one transaction), each e-mailed to a duty officer and
posted to a webhook, against an SMTP server and a webhook receiver on this machine (in a process of their
own, so that they do not share this one's interpreter lock).

Prints, for the outbox and its dispatcher (the threads `outrider serve` and `outrider worker` run: two
dispatch loops, eight sends at a time, woken by the raising commit), the p50 and p99 time from each alert's
raising to the first attempt at each of its deliveries, the same from the burst's start (every alert was due
then), the deliveries per second from the burst's start to the last delivery, and how long the raising
transaction took (on SQLite it holds the write lock throughout). Then the same for the named peer, in the
same run on the same data: a naive synchronous sender that renders and sends each message inside the
transaction that raises its alert (no outbox, no retry, the write lock held across every network call, a
message sent about an alert that may yet roll back). Then the ratios. The aim: p99 under 5 s on a 2-core
machine; the load average (other work on the machine) is printed at the start and the end.

The alerts are raised with the composition unwired, so the messages are those the script enqueues (two per
alert), not a policy's; each webhook is signed, each e-mail rendered for its recipient. The receivers
check that every delivery arrived exactly once.

Usage: python benchmarks/notify_delivery.py [--quick] [--alerts N] [--postgres]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from outrider import db, migrate
from outrider.settings import get_settings

CONCURRENCY = 8


# --- the receivers, in a process of their own (they must not share this process's GIL) -----------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _receivers(conn: Connection, http_port: int, smtp_port: int) -> None:
    from aiosmtpd.controller import Controller

    hooks: Counter[str] = Counter()
    mails: Counter[str] = Counter()
    lock = threading.Lock()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                hooks[self.headers.get("webhook-id", "")] += 1
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    class Mail:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            head = envelope.content.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
            ident = next(
                (h.split(":", 1)[1].strip() for h in head.split("\r\n") if h.startswith("Message-ID")), ""
            )
            with lock:
                mails[ident] += 1
            return "250 OK"

    server = ThreadingHTTPServer(("127.0.0.1", http_port), Hook)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    smtp = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    conn.send("ready")
    while conn.recv() == "count":
        with lock:
            conn.send((dict(hooks), dict(mails)))
            hooks.clear()
            mails.clear()
    smtp.stop()
    server.shutdown()


# --- the scene --------------------------------------------------------------------------------------


def _scene(hook_url: str) -> tuple[int, int, int]:
    """An organisation, its duty officer, and its webhook endpoint."""
    from outrider.accounts.models import Organization, User
    from outrider.notify.channels.webhooks import new_secret
    from outrider.notify.directory_models import WebhookEndpoint

    now = db.utcnow()
    with db.transaction() as session:
        org = Organization(name="Bench Hydro", kind="company", country="PK", created_at=now)
        session.add(org)
        session.flush()
        user = User(
            username="duty",
            full_name="Duty Officer",
            organization_id=org.id,
            roles=["duty_officer"],
            password_hash="x",
            is_active=True,
            created_at=now,
        )
        endpoint = WebhookEndpoint(
            organization_id=org.id, name="ops", url=hook_url, secret=new_secret(), created_at=now
        )
        session.add_all([user, endpoint])
        session.flush()
        return org.id, user.id, endpoint.id


def _raise(
    n: int, scene: tuple[int, int, int], run: str, after: Callable[[Any, Any, list[Any]], None]
) -> float:
    """Raise ``n`` alerts in one transaction, two deliveries each; ``after`` sees each alert and its rows
    inside the transaction. Returns the seconds the transaction took (commit included)."""
    from outrider.alerts import service as alerts_service
    from outrider.alerts.schemas import Severity
    from outrider.notify import outbox

    org_id, user_id, endpoint_id = scene
    started = time.perf_counter()
    with db.transaction() as session:
        for i in range(n):
            now = db.utcnow()
            alert, _ = alerts_service.raise_alert(
                session,
                kind="cordon_dwell",
                severity=Severity.high,
                subject_type="vehicle",
                subject_id=f"{run}-{i}",
                title=f"LEA-{i} in the outer cordon of Plant 3 for 40 min",
                organization_id=org_id,
                now=now,
            )
            rows = [
                outbox.enqueue(
                    session,
                    purpose="alert",
                    channel="email",
                    address="duty@bench.example",
                    target=outbox.user_target(user_id),
                    user_id=user_id,
                    organization_id=org_id,
                    alert_id=alert.id,
                    step=1,
                    now=now,
                ),
                outbox.enqueue(
                    session,
                    purpose="alert",
                    channel="webhook",
                    address="(endpoint)",
                    target=outbox.webhook_target(endpoint_id),
                    organization_id=org_id,
                    alert_id=alert.id,
                    step=1,
                    now=now,
                ),
            ]
            after(session, alert, rows)
    return time.perf_counter() - started


def _latencies(run: str, t0: datetime) -> tuple[list[float], list[float], float, int]:
    """Seconds to the first attempt of each delivery from its alert's raising, and from ``t0`` (the burst
    began); from ``t0`` to the last attempt's end; deliveries sent."""
    from outrider.alerts.models import Alert
    from outrider.notify.models import DeliveryAttempt, Notification

    with db.transaction() as session:
        first = (
            select(
                Alert.created_at,
                func.min(DeliveryAttempt.at),
                func.max(DeliveryAttempt.at),
                func.max(DeliveryAttempt.duration_ms),
            )
            .join(Notification, Notification.alert_id == Alert.id)
            .join(DeliveryAttempt, DeliveryAttempt.notification_id == Notification.id)
            .where(Alert.subject_id.like(f"{run}-%"))
            .group_by(Notification.id, Alert.created_at)
        )
        rows = session.execute(first).all()
        sent = session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(Alert, Alert.id == Notification.alert_id)
            .where(Alert.subject_id.like(f"{run}-%"), Notification.status == "sent")
        )
    if not rows:
        return [], [], 0.0, 0
    own = [(at - raised).total_seconds() for raised, at, _, _ in rows]
    burst = [(at - t0).total_seconds() for _, at, _, _ in rows]
    end = max(last for _, _, last, _ in rows)
    span = (end - t0).total_seconds() + max(ms for *_, ms in rows) / 1000
    return own, burst, span, int(sent or 0)


def _unsent() -> int:
    """Deliveries not yet attempted, read as a reader (no write turn, no wait on the dispatcher)."""
    from outrider.notify.models import Notification

    with db.optimistic_sqlite(), db.transaction() as session:
        stmt = select(func.count()).select_from(Notification).where(Notification.attempts == 0)
        return int(session.scalar(stmt) or 0)


def _outbox_run(n: int, scene: tuple[int, int, int]) -> dict[str, float]:
    from outrider.notify.worker import DispatcherThread

    dispatcher = DispatcherThread()  # OUTRIDER_NOTIFY_DISPATCH_SECONDS, 2 s by default
    dispatcher.start()
    try:
        t0 = db.utcnow()
        held = _raise(n, scene, "outbox", lambda *_: None)
        deadline = time.monotonic() + 600
        while _unsent() and time.monotonic() < deadline:
            time.sleep(0.25)
    finally:
        dispatcher.stop()
    return _figures(*_latencies("outbox", t0), held)


def _naive_run(n: int, scene: tuple[int, int, int]) -> dict[str, float]:
    """The peer: each message rendered and sent inside the raising transaction, then marked sent."""
    from outrider.notify import dispatcher, messages
    from outrider.notify.channels.base import Message
    from outrider.notify.models import DeliveryAttempt

    channels = dispatcher.default_channels()

    def send_now(session: Any, alert: Any, rows: list[Any]) -> None:
        for row in rows:
            to, secret = row.address, None
            if row.channel == "webhook":
                found = dispatcher.endpoint_secret(session, scene[2])
                assert found is not None
                to, secret = found
            words = messages.render(session, row, now=db.utcnow())
            at, started = db.utcnow(), time.perf_counter()
            outcome = channels[row.channel].send(
                Message(
                    row.delivery_id,
                    row.channel,
                    to,
                    words.subject,
                    words.text,
                    words.html,
                    words.payload,
                    row.created_at,
                    secret,
                )
            )
            ms = int((time.perf_counter() - started) * 1000)
            row.status, row.attempts = ("sent" if outcome.ok else "dead"), 1
            session.add(
                DeliveryAttempt(
                    notification_id=row.id,
                    attempt=1,
                    at=at,
                    status=row.status,
                    detail=outcome.detail,
                    duration_ms=ms,
                )
            )

    t0 = db.utcnow()
    held = _raise(n, scene, "naive", send_now)
    return _figures(*_latencies("naive", t0), held)


def _figures(own: list[float], burst: list[float], span: float, sent: int, held: float) -> dict[str, float]:
    return {
        "p50": statistics.median(own),
        "p99": statistics.quantiles(own, n=100)[98],
        "burst_p50": statistics.median(burst),
        "burst_p99": statistics.quantiles(burst, n=100)[98],
        "per_s": sent / span,
        "sent": sent,
        "held": held,
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _print(name: str, f: dict[str, float]) -> None:
    print(
        f"{name:>34}: alert raised -> first attempt p50 {_ms(f['p50'])}, p99 {_ms(f['p99'])} "
        f"(from the burst's start: p50 {_ms(f['burst_p50'])}, p99 {_ms(f['burst_p99'])}); "
        f"{f['per_s']:,.0f} deliveries/s ({f['sent']:,.0f} sent); "
        f"the raising transaction took {f['held']:.2f} s"
    )


def _check(conn: Connection, n: int) -> None:
    conn.send("count")
    hooks, mails = conn.recv()
    once = all(c == 1 for c in hooks.values()) and all(c == 1 for c in mails.values())
    print(f"{'receivers':>34}: {len(hooks):,} webhooks, {len(mails):,} e-mails, each exactly once: {once}")
    if len(hooks) != n or len(mails) != n or not once:
        print("  (the receivers did not get every delivery exactly once)")


def bench(engine: Engine, n: int, label: str) -> None:
    http_port, smtp_port = _free_port(), _free_port()
    os.environ.update(
        {
            "OUTRIDER_SMTP_HOST": "127.0.0.1",
            "OUTRIDER_SMTP_PORT": str(smtp_port),
            "OUTRIDER_SMTP_SECURITY": "none",
            "OUTRIDER_WEBHOOK_TIMEOUT_SECONDS": "10",
        }
    )
    get_settings.cache_clear()
    parent, child = multiprocessing.get_context("fork").Pipe()
    receivers = multiprocessing.get_context("fork").Process(
        target=_receivers, args=(child, http_port, smtp_port), daemon=True
    )
    receivers.start()
    assert parent.recv() == "ready"
    migrate.upgrade(engine)
    db.set_engine(engine)
    scene = _scene(f"http://127.0.0.1:{http_port}/hooks")
    print(
        f"{n:,} alerts raised at once, an e-mail and a webhook each ({2 * n:,} deliveries), on {label} "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    ours = _outbox_run(n, scene)
    _print("outbox + dispatcher (Outrider)", ours)
    _check(parent, n)
    peer = _naive_run(n, scene)
    _print("naive sender in the transaction", peer)
    _check(parent, n)
    burst, per_s, held = (peer[k] / ours[k] for k in ("burst_p99", "per_s", "held"))
    print(
        f"{'ratios (peer / Outrider)':>34}: p99 from the burst's start {burst:.2f}x, deliveries/s "
        f"{per_s:.2f}x, raising transaction {held:.1f}x (from each alert's own raising the peer is at "
        f"{peer['p99'] / ours['p99']:.3f}x: it calls people before the alert is committed, so a raise rolled "
        "back would still have called them)"
    )
    print(f"{'load average at the end':>34}: {os.getloadavg()[0]:.1f}")
    print(f"{'aim':>34}: p99 under 5 s: {'met' if ours['p99'] < 5 else 'NOT met'} ({ours['p99']:.2f} s)")
    parent.send("stop")
    receivers.join(timeout=10)
    db.set_engine(None)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="200 alerts")
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="also on a throw-away PostgreSQL")
    args = parser.parse_args()
    n = 200 if args.quick else args.alerts
    with tempfile.TemporaryDirectory() as tmp:
        bench(db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}"), n, "SQLite")
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from throwaway_postgres import start_postgres  # the tests' throw-away cluster

        server = start_postgres(durable=True)
        try:
            bench(db.make_engine(server.url), n, "PostgreSQL")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
