"""Append to the audit chain in the caller's transaction; sign its head as that transaction commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, event, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, SessionTransaction

from outrider import db, pg_commit
from outrider.access import policy
from outrider.access.policy import Caller
from outrider.audit import chain, keys, named_index, witness
from outrider.audit.entries import Entry, Prepared, Principal, link, prepare
from outrider.audit.keys import public_key, signing_key
from outrider.audit.models import AuditCheckpoint, AuditHead, AuditRecord
from outrider.audit.verification import verify
from outrider.db import utcnow
from outrider.errors import Forbidden

__all__ = [
    "JOB",
    "OPERATOR",
    "Actor",
    "Entry",
    "Prepared",
    "Principal",
    "append_prepared",
    "append_prepared_many",
    "checkpoint",
    "checkpoints",
    "export_checkpoints",
    "hold_head",
    "prepare",
    "public_key",
    "record",
    "record_many",
    "require_auditor",
    "rotate_key",
    "signing_key",
    "verify",
    "verify_as",
]

_PENDING = "outrider.audit.pending"  # session.info: records written since the last commit
_WITNESS = "outrider.audit.witness"  # session.info: the head signed in this commit, for the witness
_WITNESSED = "outrider.audit.witnessed"  # session.info: that head, committed, for the witness file


@dataclass(frozen=True, slots=True)
class Actor:
    """One who acts without being a signed-in user: the job runner, the operator at the console."""

    user_id: int | None
    organization_id: int | None
    channel: str = "api"
    request_id: str = ""


# The operator: the command line on the local database, with no user (setting up, verifying, exporting).
OPERATOR = Actor(user_id=None, organization_id=None, channel="cli")
# The job runner (overdue marks, escalations): no user either.
JOB = Actor(user_id=None, organization_id=None, channel="job")


# The statements of every append, built once (an append runs in every audited write: building them again
# each time cost more Python than running them).
_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
_HEAD_LOCKED = _HEAD.with_for_update()
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1).values(seq=bindparam("seq"), hash=bindparam("hash"))
_INSERT_RECORDS = insert(AuditRecord)
_LAST_SIGNED = (
    select(AuditCheckpoint.seq, AuditCheckpoint.public_key)
    .where(AuditCheckpoint.prev_seq.is_not(None))
    .order_by(AuditCheckpoint.seq.desc())
    .limit(1)
)
# SQLite: the head and the last signed head in one statement. A transaction reads in one snapshot there, and
# one that appends holds the write turn to its commit (a read gone stale before its first write is run
# again), so what it read stays true unless it signs a head itself; the commit's signature then reads
# nothing more. (PostgreSQL reads the last signed head as the head moves, under the head's row lock: the
# statement that takes the lock could read, beside its wait, a snapshot from before the lock's last holder.)
_HEAD_AND_SIGNED = _HEAD.add_columns(
    _LAST_SIGNED.with_only_columns(AuditCheckpoint.seq).scalar_subquery(),
    _LAST_SIGNED.with_only_columns(AuditCheckpoint.public_key).scalar_subquery(),
)
# PostgreSQL: the last signed head read as the head moves, under its row lock (a statement after the lock
# was taken reads a snapshot that holds the commit of the lock's previous holder): no read at the commit.
_MOVE_HEAD_SIGNED = _MOVE_HEAD.returning(
    _LAST_SIGNED.with_only_columns(AuditCheckpoint.seq).scalar_subquery(),
    _LAST_SIGNED.with_only_columns(AuditCheckpoint.public_key).scalar_subquery(),
)
_SIGNED = "outrider.audit.signed"  # session.info: the last signed head as the last append read it


def _head(session: Session) -> tuple[int, str]:
    if session.get_bind().dialect.name != "postgresql":
        row = session.execute(_HEAD_AND_SIGNED).first()  # SQLite: the write turn serialises appends
        if row is None:
            session.execute(insert(AuditHead).values(id=1, seq=0, hash=chain.GENESIS))
            session.info.pop(_SIGNED, None)
            return 0, chain.GENESIS
        session.info[_SIGNED] = (0, None) if row[2] is None else (int(row[2]), str(row[3]))
        return int(row[0]), str(row[1])
    pg_commit.flush_after_commit(session)  # the lock is not held through the commit's flush
    row = session.execute(_HEAD_LOCKED).first()  # appends are serialised on the head row
    if row is None:
        # The very first record: two transactions may both find no head. The one that inserts second waits
        # for the first to commit and inserts nothing; both then read (and lock) the one head.
        genesis = postgresql.insert(AuditHead).values(id=1, seq=0, hash=chain.GENESIS)
        session.execute(genesis.on_conflict_do_nothing(index_elements=[AuditHead.id]))
        row = session.execute(_HEAD_LOCKED).one()
    return int(row[0]), str(row[1])


def record(
    session: Session,
    *,
    actor: Principal,
    action: str,
    object_type: str,
    object_id: str | int,
    fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
    now: datetime,
) -> AuditRecord:
    """Append one record to the chain in the caller's transaction (it commits or rolls back with it).

    The head of the chain is signed when that transaction commits (see `_sign_on_commit`), so a record
    is covered by a signature from the moment anyone can see it.
    """
    return append(session, Entry(actor, action, object_type, object_id, fields, details), now=now)


def append(session: Session, entry: Entry, *, now: datetime) -> AuditRecord:
    """`record` of an entry built beforehand (a domain's short audit call builds one from its own terms)."""
    prepared = prepare(entry, now)
    row = append_prepared(session, prepared)
    # the record as written (a plain object: the row is inserted without the unit of work's bookkeeping)
    return AuditRecord(**{**row, "fields": prepared.fields, "details": prepared.details})


def append_prepared(session: Session, prepared: Prepared) -> dict[str, Any]:
    """`append` of an entry made ready before (`prepare`, without the head): under the head, only the
    sequence number, the link and the statements (the board prepares its record before the write turn).
    Returns the row written, its fields and details as their canonical text."""
    return append_prepared_many(session, [prepared])[0]


def hold_head(session: Session) -> tuple[int, str]:
    """Take the chain's head for this transaction's appends (SQLite: the write turn, taken here; PostgreSQL:
    the head's row lock) and return it, for `append_prepared_many`'s ``head``."""
    db.write_turn(session)
    return _head(session)


def append_prepared_many(
    session: Session, prepared: Sequence[Prepared], *, head: tuple[int, str] | None = None
) -> list[dict[str, Any]]:
    """Records made ready before, appended in order (each hashed after the one before), in one insert, the
    head moved once. ``head``: as `hold_head` returned it in this transaction, not read again."""
    if not prepared:
        return []
    seq, prev = head or _head(session)
    first = seq + 1
    rows: list[dict[str, Any]] = []
    for p in prepared:
        seq += 1
        digest = link(p, seq, prev)
        rows.append({**p.values, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    _insert(session, rows)
    _move_head(session, first, seq, prev)
    return rows


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """The records in one statement. The objects they name are indexed later, in bulk (`named_index`)."""
    # Plain statements on the transaction's connection: the ORM's bulk insert spent more Python on each row
    # than the insert itself. (The head's read before, through the session, flushed what was pending.)
    session.connection().execute(_INSERT_RECORDS, rows)


def _move_head(session: Session, first: int, seq: int, digest: str) -> None:
    # after the records: the database lets the head move only to a record it holds
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        row = conn.execute(_MOVE_HEAD_SIGNED, {"seq": seq, "hash": digest}).one()
        session.info[_SIGNED] = (0, None) if row[0] is None else (int(row[0]), str(row[1]))
    else:
        conn.execute(_MOVE_HEAD, {"seq": seq, "hash": digest})
    if named_index.due(first, seq):
        named_index.catch_up(session, first)
    # The head as this transaction left it, for the signature at its commit: the transaction holds the
    # head (SQLite's write turn, PostgreSQL's row lock) from its first append, so nobody else moves it.
    session.info[_PENDING] = (seq, digest)


def record_many(session: Session, entries: Sequence[Entry], *, now: datetime) -> int:
    """Append records in order exactly as one `record` call each would; returns how many.

    Each is hashed into the chain after the one before; they are inserted in one statement and the head
    moves once (a board of a hundred itineraries read is three statements, not three hundred)."""
    return len(append_prepared_many(session, [prepare(entry, now) for entry in entries]))


def _last_signed(session: Session) -> tuple[int, str | None]:
    row = session.execute(_LAST_SIGNED).first()
    return (0, None) if row is None else (int(row[0]), str(row[1]))


_INSERT_CHECKPOINT = insert(AuditCheckpoint).returning(AuditCheckpoint.id)  # run on the connection


def _sign_head(
    session: Session, *, now: datetime, head: tuple[int, str] | None = None
) -> dict[str, Any] | None:
    seq, digest = head or _head(session)
    signed = session.info.pop(_SIGNED, None)  # read by this transaction's last append
    last, last_key = signed if signed is not None and head is not None else _last_signed(session)
    if seq == 0 or last == seq:
        return None
    cp = chain.sign_head(signing_key(), seq=seq, hash_=digest, prev_seq=last, at=now)
    if cp.public_key != last_key:  # the key that signed the last head is in the history already
        keys.ensure_registered(session, cp.public_key, now=now)
    values = {
        "seq": cp.seq,
        "hash": cp.hash,
        "at": cp.at,
        "signature": cp.signature,
        "public_key": cp.public_key,
        "prev_seq": last,
    }
    # written now, in the commit under way, as a plain statement (the unit of work's flush cost more)
    new_id = session.connection().execute(_INSERT_CHECKPOINT, values).scalar_one()
    session.info[_WITNESS] = cp
    return {"id": new_id, **values}  # the signed head as written (an object is built only when asked)


@event.listens_for(Session, "before_commit")
def _sign_on_commit(session: Session) -> None:
    # One signature per transaction that wrote records: Ed25519 costs tens of microseconds, and a
    # head signed before the commit is committed with the records it covers, or not at all.
    pending = session.info.pop(_PENDING, False)
    if pending:
        _sign_head(session, now=utcnow(), head=pending if isinstance(pending, tuple) else None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if _WITNESS in session.info:
        session.info[_WITNESSED] = session.info.pop(_WITNESS)


@event.listens_for(Session, "after_transaction_end")
def _witness_on_commit(session: Session, transaction: SessionTransaction) -> None:
    # Once the transaction has ended and its connection is back in the pool (on SQLite: the write turn is
    # free again): the file write is not held against every other writer. The witness moves forward only,
    # so writers racing to it leave the highest head.
    cp = session.info.pop(_WITNESSED, None) if transaction.parent is None else None
    if cp is not None:
        witness.write(witness.database_identity(session.get_bind().engine.url), cp)


@event.listens_for(Session, "after_transaction_end")
def _reread_after_rollback(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint (or a transaction) rolled back takes its appends with it: the head the last append left may
    # be gone, so the next commit reads the head again. After a savepoint released too: they are rare. (A
    # commit has taken the head already, before it began; after a transaction rolled back, the session's next
    # one has nothing of it to sign, and does not take the head for it.)
    session.info.pop(_SIGNED, None)  # read again with the head, by the next append or the commit
    if transaction.parent is None:  # committed (signed already) or rolled back: nothing left to sign
        session.info.pop(_PENDING, None)
    elif isinstance(session.info.get(_PENDING), tuple):
        session.info[_PENDING] = True


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_WITNESS, None)


def checkpoint(session: Session, *, now: datetime) -> AuditCheckpoint | None:
    """The signed head covering the chain's last record, signing it now if none does (None: empty log)."""
    row = _sign_head(session, now=now)
    if row is not None:
        session.flush()
        return AuditCheckpoint(**row)
    seq, _digest = _head(session)
    if seq == 0:
        return None
    return session.scalars(
        select(AuditCheckpoint).where(AuditCheckpoint.seq == seq).order_by(AuditCheckpoint.id.desc())
    ).first()


def checkpoints(session: Session, *, decisive: bool = False) -> list[chain.Checkpoint]:
    """The stored checkpoints, oldest first; ``decisive``: only those worth keeping elsewhere.

    There is a signed head per transaction; through the hash chain the newest covers every record
    before it, so an export keeps the newest head of each key (and the first-format checkpoints).
    """
    stmt = select(AuditCheckpoint)
    if decisive:
        newest = (
            select(func.max(AuditCheckpoint.seq))
            .where(AuditCheckpoint.prev_seq.is_not(None))
            .group_by(AuditCheckpoint.public_key)
        )
        stmt = stmt.where(AuditCheckpoint.prev_seq.is_(None) | AuditCheckpoint.seq.in_(newest))
    return [
        chain.Checkpoint(c.seq, c.hash, c.at, c.signature, c.public_key, c.prev_seq)
        for c in session.scalars(stmt.order_by(AuditCheckpoint.seq, AuditCheckpoint.id))
    ]


def rotate_key(session: Session, *, actor: Principal, now: datetime) -> tuple[str, str]:
    """Rotate the signing key (see keys.rotate) and record it in the chain; returns (old, new) public keys."""
    _head(session)  # hold the head: no head is signed while the key changes
    old, new = keys.rotate(session, now=now)
    record(
        session,
        actor=actor,
        action="audit.rotate_key",
        object_type="audit",
        object_id="signing_key",
        details={"old_public_key": old, "new_public_key": new},
        now=now,
    )
    return old, new


def verify_as(
    session: Session,
    *,
    caller: Caller | None,
    extra_checkpoints: Sequence[chain.Checkpoint] = (),
    workers: int = 1,
    all_signatures: bool = False,
) -> chain.Verdict:
    """`verify` for an auditor (None: the operator at the console, who holds the database anyway)."""
    require_auditor(caller, "verification of the audit log is for auditors")
    return verify(
        session, extra_checkpoints=extra_checkpoints, workers=workers, all_signatures=all_signatures
    )


def export_checkpoints(session: Session, *, caller: Caller | None, now: datetime) -> dict[str, Any]:
    """The newest signed head of each key and the public key, to keep elsewhere, for an auditor (None: the
    operator); the export is recorded in the chain, whoever asks."""
    require_auditor(caller, "audit checkpoints are for auditors")
    record(
        session,
        actor=OPERATOR if caller is None else caller,
        action="audit.export_checkpoints",
        object_type="audit",
        object_id="checkpoints",
        now=now,
    )
    return {
        "public_key": public_key(),
        "checkpoints": [
            {
                "seq": c.seq,
                "hash": c.hash,
                "at": c.at.isoformat(),
                "signature": c.signature,
                "public_key": c.public_key,
                "prev_seq": c.prev_seq,
            }
            for c in checkpoints(session, decisive=True)
        ],
    }


def require_auditor(caller: Caller | None, refusal: str = "the audit log is for auditors") -> None:
    """Forbidden unless the caller is an auditor (None: the operator at the console)."""
    if caller is not None and not policy.may_audit(caller):
        raise Forbidden(refusal)
