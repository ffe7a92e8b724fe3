"""Append to the audit chain in the caller's transaction; verify it; sign and export checkpoints."""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.audit import chain
from outrider.audit.models import AuditCheckpoint, AuditHead, AuditRecord
from outrider.db import make_engine
from outrider.settings import get_settings


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted, through which channel, in which request."""

    user_id: int | None
    organization_id: int | None
    channel: str = "api"
    request_id: str = ""


def signing_key() -> Ed25519PrivateKey:
    """The checkpoint key: OUTRIDER_AUDIT_SIGNING_KEY (base64 seed), else derived from the secret key."""
    settings = get_settings()
    if settings.audit_signing_key:
        seed = base64.b64decode(settings.audit_signing_key)
    else:
        seed = hashlib.sha256(b"outrider-audit-checkpoints\n" + settings.secret_key.encode()).digest()
    return chain.private_key_from_seed(seed)


def public_key() -> str:
    """The public half of the checkpoint key (base64), to keep beside exported checkpoints."""
    return chain.public_key_b64(signing_key())


def _head(session: Session) -> AuditHead:
    stmt = select(AuditHead).where(AuditHead.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # appends are serialised on the head row
    head = session.scalar(stmt)
    if head is None:
        head = AuditHead(id=1, seq=0, hash=chain.GENESIS)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    fields: Sequence[str] = (),
    details: dict[str, Any] | None = None,
    now: datetime,
) -> AuditRecord:
    """Append one record to the chain in the caller's transaction (it commits or rolls back with it)."""
    head = _head(session)
    values: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": now,
        "user_id": actor.user_id,
        "organization_id": actor.organization_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "fields": sorted(fields),
        "channel": actor.channel,
        "request_id": actor.request_id,
        "details": details or {},
    }
    digest = chain.link_hash(head.hash, values)
    row = AuditRecord(**values, prev_hash=head.hash, hash=digest)
    session.add(row)
    head.seq, head.hash = row.seq, digest
    every = get_settings().audit_checkpoint_every
    if every and row.seq % every == 0:
        _store_checkpoint(session, seq=row.seq, hash_=digest, now=now)
    session.flush()
    return row


def _store_checkpoint(session: Session, *, seq: int, hash_: str, now: datetime) -> AuditCheckpoint:
    cp = chain.sign_checkpoint(signing_key(), seq=seq, hash_=hash_, at=now)
    row = AuditCheckpoint(
        seq=cp.seq, hash=cp.hash, at=cp.at, signature=cp.signature, public_key=cp.public_key
    )
    session.add(row)
    session.flush()
    return row


def checkpoint(session: Session, *, now: datetime) -> AuditCheckpoint | None:
    """Sign the chain's current head (None when the log is empty)."""
    head = _head(session)
    if head.seq == 0:
        return None
    return _store_checkpoint(session, seq=head.seq, hash_=head.hash, now=now)


def checkpoints(session: Session) -> list[chain.Checkpoint]:
    """The stored checkpoints, oldest first."""
    return [
        chain.Checkpoint(seq=c.seq, hash=c.hash, at=c.at, signature=c.signature, public_key=c.public_key)
        for c in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq, AuditCheckpoint.id))
    ]


_COLUMNS = (*chain.CHAINED_FIELDS, "prev_hash", "hash")


def _as_utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _rows(session: Session, batch: int = 20_000) -> Iterator[dict[str, Any]]:
    # The raw driver cursor, not the ORM: verification reads every record, and a million ORM rows cost
    # far more than the hashing. Values are normalised here the way the column types would.
    sql = f"SELECT {', '.join(_COLUMNS)} FROM audit_records ORDER BY seq"  # noqa: S608 - fixed column names
    yield from _rows_from(session.connection().connection.cursor(), sql, batch)


def _rows_from(cursor: Any, sql: str, batch: int) -> Iterator[dict[str, Any]]:
    cursor.execute(sql)
    try:
        while rows := cursor.fetchmany(batch):
            yield from _normalised(rows)
    finally:
        cursor.close()


def _normalised(rows: Sequence[Sequence[Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        rec = dict(zip(_COLUMNS, row, strict=True))
        at = rec["at"]
        if isinstance(at, str) and len(at) == 26 and at[10] == " ":
            rec["at"] = at[:10] + "T" + at[11:] + "Z"  # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'
        else:
            rec["at"] = _as_utc(at)
        # fields and details stay as their stored canonical text (see chain.canonical)
        yield rec


def verify(
    session: Session,
    *,
    extra_checkpoints: Sequence[chain.Checkpoint] = (),
    workers: int = 1,
    min_parallel: int = 10_000,
) -> chain.Verdict:
    """Check the whole chain and every checkpoint (stored and exported copies) against the key.

    With ``workers`` > 1 (and a database other processes can open) the sequence range is cut into that
    many chunks verified in parallel processes; each chunk's first link is checked against the last hash
    of the chunk before, so the verdict is the same as a single pass.
    """
    cps = list(
        {(c.seq, c.hash, c.signature): c for c in [*checkpoints(session), *extra_checkpoints]}.values()
    )
    wanted = frozenset(c.seq for c in cps)
    url = session.connection().engine.url.render_as_string(hide_password=False)
    head = _head_seq(session)
    if workers <= 1 or head < min_parallel or ":memory:" in url or url.endswith("sqlite://"):
        verdict = chain.judge(
            [chain.walk(_rows(session), wanted=wanted)], cps, trusted_public_key=public_key()
        )
        return _against_head(session, verdict)
    step = -(-head // workers)
    ranges = [(lo, min(head, lo + step - 1)) for lo in range(1, head + 1, step)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        walks = list(pool.map(_walk_chunk, [(url, lo, hi, wanted) for lo, hi in ranges]))
    return _against_head(session, chain.judge(walks, cps, trusted_public_key=public_key()))


def _against_head(session: Session, verdict: chain.Verdict) -> chain.Verdict:
    # The head row moves with every append: a chain that ends before it lost its tail.
    head = session.get(AuditHead, 1)
    if not verdict.ok or head is None or (head.seq, head.hash) == (verdict.last_seq, verdict.last_hash):
        return verdict
    return chain.Verdict(
        False,
        verdict.records,
        verdict.last_seq,
        verdict.last_hash,
        verdict.checkpoints,
        min(verdict.last_seq + 1, head.seq),
        f"the log ends at record {verdict.last_seq} but its head says {head.seq} (records were cut)",
    )


def _head_seq(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(AuditRecord.seq), 0))) or 0)


def _walk_chunk(args: tuple[str, int, int, frozenset[int]]) -> chain.Walk:
    url, lo, hi, wanted = args
    engine = make_engine(url)
    # A bare driver connection: a reader needs no transaction of its own (on SQLite a Session would
    # take the write lock the parent's transaction holds).
    raw = engine.raw_connection()
    try:
        where = f"WHERE seq BETWEEN {int(lo)} AND {int(hi)}"
        sql = f"SELECT {', '.join(_COLUMNS)} FROM audit_records {where} ORDER BY seq"  # noqa: S608 - ints
        return chain.walk(
            _rows_from(raw.cursor(), sql, 20_000),
            start_seq=lo,
            start_prev=chain.GENESIS if lo == 1 else None,
            wanted=frozenset(s for s in wanted if lo <= s <= hi),
        )
    finally:
        raw.close()
        engine.dispose()


def records_about(
    session: Session,
    *,
    object_type: str,
    object_id: str | int,
    actions: Sequence[str] | None = None,
    before: datetime | None = None,
) -> list[AuditRecord]:
    """The records about one object, oldest first."""
    stmt = select(AuditRecord).where(
        AuditRecord.object_type == object_type, AuditRecord.object_id == str(object_id)
    )
    if actions:
        stmt = stmt.where(AuditRecord.action.in_(list(actions)))
    if before is not None:
        stmt = stmt.where(AuditRecord.at < before)
    return list(session.scalars(stmt.order_by(AuditRecord.seq)))
