"""Verify the stored chain: stream the records and signed heads through the pure walk, in parallel chunks."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outrider.audit import chain, keys, witness
from outrider.audit.models import AuditHead, AuditRecord
from outrider.audit.signing import utc_text
from outrider.db import make_engine

_RECORDS = (
    "SELECT seq, prev_hash, hash, at, user_id, organization_id, action, object_type, object_id, fields, "
    "channel, request_id, details FROM audit_records"
)
_CHECKPOINTS = "SELECT seq, hash, at, signature, public_key, prev_seq FROM audit_checkpoints"
_BATCH = 20_000
_quote = chain.quote_string


def _at_text(at: Any) -> str:
    if isinstance(at, str) and len(at) == 26 and at[10] == " ":
        return at[:10] + "T" + at[11:] + "Z"  # SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'
    return utc_text(_as_utc(at))


def _as_utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _bodies(cursor: Any, sql: str) -> Iterator[chain.Row]:
    # The raw driver cursor, not the ORM: verification reads every record, and a million ORM rows cost
    # far more than the hashing. The canonical bytes are built here from the stored text (`fields` and
    # `details` are kept as their canonical JSON) exactly as chain.canonical builds them.
    q = _quote
    cursor.execute(sql)
    try:
        while rows := cursor.fetchmany(_BATCH):
            for seq, prev, digest, at, uid, oid, action, otype, obj, fields, channel, req, details in rows:
                body = (
                    f'{{"action":{q(action)},"at":"{_at_text(at)}","channel":{q(channel)},"details":{details},'
                    f'"fields":{fields},"object_id":{q(obj)},"object_type":{q(otype)},'
                    f'"organization_id":{"null" if oid is None else oid},"request_id":{q(req)},"seq":{seq},'
                    f'"user_id":{"null" if uid is None else uid}}}'
                )
                yield seq, prev, digest, body.encode()
    finally:
        cursor.close()


def _stored_checkpoints(cursor: Any, where: str) -> list[chain.Checkpoint]:
    cursor.execute(f"{_CHECKPOINTS} {where} ORDER BY seq, id")
    try:
        return [
            chain.Checkpoint(int(s), h, _as_utc(at), sig, pub, None if p is None else int(p))
            for s, h, at, sig, pub, p in cursor.fetchall()
        ]
    finally:
        cursor.close()


def verify(
    session: Session,
    *,
    extra_checkpoints: Sequence[chain.Checkpoint] = (),
    workers: int = 1,
    min_parallel: int = 10_000,
    all_signatures: bool = False,
) -> chain.Verdict:
    """Check every link, every signed head, the key history and the witness; name the first problem.

    Signed heads must chain to each other and cover the last record; exported checkpoints and the
    witness kept beside the signing key must name records the chain still has, with their hashes.
    With ``workers`` > 1 (and a database other processes can open) the sequence range is cut into
    chunks verified in parallel processes; the verdict is the one a single pass gives.
    """
    history = chain.key_history(keys.history(session), trusted_public_key=keys.public_key())
    url = session.connection().engine.url
    external = [chain.Checkpoint(*_fields(c), source="exported") for c in extra_checkpoints]
    seen = witness.read(witness.database_identity(url))
    if seen is not None:
        external.append(seen)
    head = int(session.scalar(select(func.coalesce(func.max(AuditRecord.seq), 0))) or 0)
    rendered = url.render_as_string(hide_password=False)
    if workers <= 1 or head < min_parallel or ":memory:" in rendered or rendered.endswith("sqlite://"):
        connection = session.connection().connection
        cps = sorted([*_stored_checkpoints(connection.cursor(), ""), *external], key=lambda c: c.seq)
        w = chain.walk(
            _bodies(connection.cursor(), f"{_RECORDS} ORDER BY seq"),
            checkpoints=cps,
            keys=history,
            all_signatures=all_signatures,
        )
        return _against_head(session, chain.judge([w], keys=history))
    step = -(-head // workers)
    ranges = [(lo, min(head, lo + step - 1)) for lo in range(1, head + 1, step)]
    jobs = []
    for i, (lo, hi) in enumerate(ranges):
        low, high = (-(2**62) if i == 0 else lo), (2**62 if i == len(ranges) - 1 else hi)
        mine = [c for c in external if low <= c.seq <= high]
        jobs.append((rendered, lo, hi, low, high, mine, history, all_signatures))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        walks = list(pool.map(_walk_chunk, jobs))
    return _against_head(session, chain.judge(walks, keys=history))


def _fields(c: chain.Checkpoint) -> tuple[int, str, datetime, str, str, int | None]:
    return c.seq, c.hash, c.at, c.signature, c.public_key, c.prev_seq


def _against_head(session: Session, verdict: chain.Verdict) -> chain.Verdict:
    # The head row moves with every append: a chain that ends before it lost its tail.
    head = session.get(AuditHead, 1)
    if not verdict.ok or (head is None and verdict.last_seq == 0):
        return verdict
    if head is not None and (head.seq, head.hash) == (verdict.last_seq, verdict.last_hash):
        return verdict
    said = "is gone" if head is None else f"says {head.seq}"
    return chain.Verdict(
        False,
        verdict.records,
        verdict.last_seq,
        verdict.last_hash,
        verdict.checkpoints,
        verdict.last_seq + 1 if head is None else min(verdict.last_seq + 1, head.seq),
        f"the log ends at record {verdict.last_seq} but its head {said} (records were cut)",
    )


def _walk_chunk(
    args: tuple[str, int, int, int, int, list[chain.Checkpoint], chain.KeyHistory, bool],
) -> chain.Walk:
    url, lo, hi, low, high, external, history, all_signatures = args
    engine = make_engine(url)
    # A bare driver connection: a reader needs no transaction of its own (on SQLite a Session would
    # take the write lock the parent's transaction holds).
    raw = engine.raw_connection()
    try:
        stored = _stored_checkpoints(raw.cursor(), f"WHERE seq BETWEEN {int(low)} AND {int(high)}")
        return chain.walk(
            _bodies(raw.cursor(), f"{_RECORDS} WHERE seq BETWEEN {int(lo)} AND {int(hi)} ORDER BY seq"),
            start_seq=lo,
            start_prev=chain.GENESIS if lo == 1 else None,
            checkpoints=sorted([*stored, *external], key=lambda c: c.seq),
            keys=history,
            all_signatures=all_signatures,
        )
    finally:
        raw.close()
        engine.dispose()
