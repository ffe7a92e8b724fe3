"""The periodic jobs (overdue scan, alert escalation, risk snapshots, cordon retention), run by
`outrider serve` or `worker`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session, configure_mappers

import outrider.models  # noqa: F401  - every table mapped before a job thread can query
from outrider.committee.jobs import commitments_overdue_tick
from outrider.compose import compose
from outrider.cordon import alert_desk
from outrider.cordon import batches as cordon_batches
from outrider.cordon import service as cordon_service
from outrider.db import is_stale_snapshot, optimistic_sqlite, transaction, utcnow
from outrider.movements.jobs import overdue_due, overdue_tick
from outrider.notify import plans
from outrider.notify.worker import DispatcherThread
from outrider.risk.movement_risk import warm_up as risk_warm_up
from outrider.risk.service import risk_tick
from outrider.settings import get_settings

log = logging.getLogger("outrider.jobs")
T = TypeVar("T")

# Movements handled in one transaction of the overdue job: each takes some 40 statements and 20 ms of CPU
# (the mark through the protocol gate, its event, the alert, its escalation, their audit), so a batch holds
# SQLite's write turn for about a tenth of a second of CPU, whatever the backlog (a server started after a
# while finds many movements newly overdue at once).
OVERDUE_BATCH = 5


def run_jobs_once() -> dict[str, int]:
    """One tick of every job, each in its own transaction; returns what each did."""
    now = utcnow()
    overdue = overdue_in_batches(now)
    with transaction() as session:
        # every other open alert nobody took charge of climbs the arrangement's steps by its age
        escalated = alert_desk.escalation_tick(session, now=now)
    with transaction() as session:
        called = plans.escalation_tick(session, now=now)  # alerts with a frozen plan call its due steps
    with transaction() as session:
        lapsed = alert_desk.ack_expiry_tick(session, now=now)  # no progress in time: the chain calls again
    with transaction() as session:
        sightings, inspections = cordon_service.purge(
            session, now=now, retention_days=get_settings().cordon_retention_days
        )
        keys = cordon_batches.purge_keys(
            session, now=now, keep=timedelta(hours=get_settings().cordon_batch_key_hours)
        )
    with optimistic_sqlite(), transaction() as session:  # reads alone: no write turn (SQLite)
        risk_warm_up(session, now=now)
    risk = _reads_first(lambda session: risk_tick(session, now=now))
    with transaction() as session:
        commitments = commitments_overdue_tick(session, now=now)  # open commitments past their deadline
    return {
        "overdue_marked_or_escalated": overdue,
        "alerts_escalated": escalated,
        "alert_steps_called": called,
        "acknowledgements_lapsed": lapsed,
        "risk_snapshots": sum(r.snapshot for r in risk),  # not a party's own view judged again alone
        "risk_alerts": sum(r.alerted for r in risk),
        "sightings_purged": sightings,
        "inspections_purged": inspections,
        "cordon_batch_keys_purged": keys,
        "commitments_overdue_alerted": len(commitments.raised),
        "commitment_alerts_resolved": len(commitments.resolved),
    }


def overdue_in_batches(now: datetime) -> int:
    """The overdue job: which movements are due, read without the write turn, then handled `OVERDUE_BATCH`
    at a time, each batch committed on its own; returns how many were handled.

    A batch scans its movements again in its transaction, so one another worker handled meanwhile is left
    alone; a failure between batches loses nothing (the next tick finds the rest still due)."""
    with optimistic_sqlite(), transaction() as session:  # reads alone: no write turn (SQLite)
        due = overdue_due(session, now=now)
    handled = 0
    for start in range(0, len(due), OVERDUE_BATCH):
        with transaction() as session:
            handled += len(overdue_tick(session, now=now, only=due[start : start + OVERDUE_BATCH]))
    return handled


def _reads_first(work: Callable[[Session], T]) -> T:
    """Run ``work`` in a transaction that takes SQLite's write turn at its first write, not at BEGIN, so a
    pass that only reads (most of the risk tick's: no plan or event changed) never takes it; if what it read
    went stale before that write, once more with the turn from BEGIN (`db.optimistic_sqlite`)."""
    try:
        with optimistic_sqlite(), transaction() as session:
            return work(session)
    except Exception as exc:
        if not is_stale_snapshot(exc):
            raise
    with transaction() as session:
        return work(session)


class JobRunner:
    """Runs the periodic jobs in a background thread."""

    def __init__(self, interval_seconds: float = 60.0) -> None:
        compose()  # the jobs move movements: with the protocol gate attached, as everywhere else
        # Map every table now, in the starting thread: `outrider serve` starts these threads and then imports
        # the app, whose modules define more tables; a query in a job thread while a model module is half
        # imported would configure the mappers then, fail on a class not yet defined, and keep failing.
        configure_mappers()
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # alert delivery runs on its own short interval (OUTRIDER_NOTIFY_DISPATCH_SECONDS), beside the jobs
        self.dispatcher = DispatcherThread()

    def run_once(self) -> dict[str, int]:
        """One tick of every job."""
        return run_jobs_once()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.run_once()
                if any(done.values()):
                    log.info("jobs: %s", done)
            except Exception:
                log.exception("a periodic job failed; retrying at the next tick")
            self._stop.wait(self.interval)

    def start(self) -> None:
        """Start ticking in a daemon thread."""
        self._thread = threading.Thread(target=self._loop, name="outrider-jobs", daemon=True)
        self._thread.start()
        self.dispatcher.start()

    def stop(self) -> None:
        """Ask the loop to stop and wait for it."""
        self._stop.set()
        self.dispatcher.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)
