"""A group commit of reads' audit records: several requests' records appended and committed in one turn.

A board read and the alert list write one thing, the audit record of the itineraries they showed, made
ready before the chain's head is taken (`entries.prepare`). Taken for that append alone, the head (SQLite's
write turn, PostgreSQL's head row lock) went once to each such request, and every request of the load
queued on it. Here a request of the API (its session marked by `gathers`) defers its records (`append`)
and, at its commit (`commit`), hands them in and waits. The first to arrive while no group is under way
leads: it takes the head on its own session, takes every record handed in until then (its own included,
in the order they came), appends them, commits once (one signed head for all) and only then wakes the
others of its group, whose transactions have nothing left to write. Those who arrive meanwhile wait for
the next group, led by the first of them: no delay is added, the groups are as large as the queue.

Durable before acknowledged: a member wakes only once the leader's commit has returned, and on SQLite the
log is synced before a commit returns (`db`: at the connection's return to the pool). A group whose append
or commit fails fails every member (`NotCommitted`, from the leader's error): nothing of it was written. A
member waits `WAIT_S` for a leader to take its records; if none has by then they are withdrawn (under the
lock a leader takes them by, so never both) and the request is refused; once taken, the member waits for
its group's end however long and answers with its outcome (its records may be committed). A transaction
that has written anything itself (or holds the turn) commits its records with its own writes, never waiting
on another (that one might wait for what it holds); so does any session not marked, and any commit that
does not go through `commit` (`Session`'s commit appends what is still deferred first). The CLI and the
jobs append as they always did.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction

from outrider import db
from outrider.audit import service as audit_service
from outrider.audit.entries import Prepared

GATHERS = "outrider.audit.gathers"  # session.info: its deferred records go to the group commit (the API)
_DEFERRED = "outrider.audit.deferred"  # session.info: records appended at the commit
WAIT_S = db.WRITE_LOCK_TIMEOUT_S + 5.0  # a leader takes the head in WRITE_LOCK_TIMEOUT_S or fails


class NotCommitted(Exception):
    """This request's records were not committed: its group failed, or no group took them in time."""


def gathers(session: Session) -> None:
    """Mark a request's session: its reads' records are committed by `commit`, with other requests'."""
    session.info[GATHERS] = True


def append(session: Session, records: Sequence[Prepared]) -> None:
    """Append records made ready before: deferred to the commit if the session gathers (`gathers`), else
    now (the head taken here: everything before was read without it)."""
    if not records:
        return
    if session.info.get(GATHERS):
        session.connection()  # in the transaction it read in (a rollback of it drops them too)
        session.info.setdefault(_DEFERRED, []).extend(records)
        return
    audit_service.append_prepared_many(session, records, head=audit_service.hold_head(session))


def commit(session: Session) -> None:
    """Commit the session's transaction, its deferred records in a group commit with other requests'."""
    records: list[Prepared] | None = session.info.pop(_DEFERRED, None)
    if not records:
        session.commit()
        return
    if db.has_written(session):
        session.info[_DEFERRED] = records  # its own commit appends them with its writes
        session.commit()
        return
    _group(session.get_bind().engine).commit(session, records)


class _Ticket:
    """One request's records handed in, and how its group ended for it."""

    __slots__ = ("error", "lead", "records", "wake")

    def __init__(self, records: list[Prepared]) -> None:
        self.records = records
        self.wake = threading.Event()  # its group has ended, or it leads the next one (`lead`)
        self.lead = False
        self.error: BaseException | None = None


class Group:
    """The group commit of one engine in this process: the queue of records handed in and who leads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Ticket] = []
        self._leading = False
        self.wait_s = WAIT_S

    def commit(self, session: Session, records: list[Prepared]) -> None:
        """Have these records committed with those handed in beside them; then end the session's own
        (read-only) transaction. Returns once the commit holding them has returned; raises if it failed."""
        ticket = _Ticket(records)
        with self._lock:
            self._queue.append(ticket)
            if not self._leading:
                self._leading = ticket.lead = True
        if not ticket.lead:
            self._follow(ticket)
        if ticket.lead:
            self._lead(session, ticket)  # commits the session, its records and the group's
            return
        if ticket.error is not None:
            raise NotCommitted("the group commit of this request's audit record failed") from ticket.error
        session.commit()  # its reads' snapshot: nothing left to write

    def _follow(self, ticket: _Ticket) -> None:
        if ticket.wake.wait(self.wait_s):
            return
        with self._lock:  # withdrawing and a leader's taking (`_lead`) are one under the other, never both
            if ticket.lead or ticket.wake.is_set():
                return  # handed the lead (or its group ended) as the wait ran out: go on
            if ticket in self._queue:  # no leader took it: withdrawn, nothing of it will be written
                self._queue.remove(ticket)
                raise NotCommitted(f"no group commit took this request's audit record in {self.wait_s:.0f} s")
        # Taken by a leader that has not finished: its commit may still hold this record, so the request
        # answers with the group's outcome, whenever it comes (a leader always ends its group: `_end`).
        ticket.wake.wait()

    def _lead(self, session: Session, own: _Ticket) -> None:
        members: list[_Ticket] | None = None
        try:
            head = audit_service.hold_head(session)
            with self._lock:  # every record handed in until the head was taken: the group
                members, self._queue = self._queue, []
            records = [r for member in members for r in member.records]
            audit_service.append_prepared_many(session, records, head=head)
            session.commit()  # returns once durable (SQLite: the log synced as the connection returns)
        except BaseException as exc:
            session.rollback()
            if members is None:  # failed before taking anyone's records: the others wait for the next leader
                with self._lock:
                    self._queue.remove(own)
            else:
                for member in members:
                    member.error = exc
            raise
        finally:
            self._end(members or [own], own)

    def _end(self, members: list[_Ticket], own: _Ticket) -> None:
        with self._lock:
            for member in members:
                if member is not own:
                    member.wake.set()
            if self._queue:  # arrived while this group ran: the first of them leads the next
                nxt = self._queue[0]
                nxt.lead = True
                nxt.wake.set()
            else:
                self._leading = False


_groups: weakref.WeakKeyDictionary[Engine, Group] = weakref.WeakKeyDictionary()
_groups_lock = threading.Lock()


def _group(engine: Engine) -> Group:
    with _groups_lock:
        found = _groups.get(engine)
        if found is None:
            found = _groups[engine] = Group()
        return found


@event.listens_for(Session, "before_commit", insert=True)  # before the head is signed (`service`)
def _append_deferred(session: Session) -> None:
    # A commit not made by `commit` (or by a session that wrote itself): what is deferred is appended now.
    records: list[Prepared] | None = session.info.pop(_DEFERRED, None)
    if records:
        audit_service.append_prepared_many(session, records, head=audit_service.hold_head(session))


@event.listens_for(Session, "after_transaction_end")
def _forget_deferred(session: Session, transaction: SessionTransaction) -> None:
    # A transaction that ended without its commit (rolled back) takes its deferred records with it.
    if transaction.parent is None:
        session.info.pop(_DEFERRED, None)
