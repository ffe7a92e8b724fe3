"""Cordon batches with an idempotency key: a retry is answered again, never stored or alerted twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.cordon import service
from outrider.cordon.detectors import Config
from outrider.cordon.events import Event
from outrider.cordon.models import BatchKey
from outrider.errors import Conflict

DEFAULT_KEEP = timedelta(days=7)


def fingerprint(events: Sequence[Any], *, flush: bool) -> str:
    """The SHA-256 of a batch's body as canonical JSON: the same events and flush give the same digest."""
    body = json.dumps(
        {"events": list(events), "flush": flush},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _answer(result: service.IngestResult, bad: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "stored": result.stored,
        "bad": bad,
        "late": result.late,
        "unknown_zone": result.unknown_zone,
        "alerts": result.alerts,
    }


# The key's row as columns (id, created_at, body_sha256, answer), read on the transaction's connection, and
# the claim and its answer as plain statements: a batch builds no object of its key.
_KEY_ROW = select(BatchKey.id, BatchKey.created_at, BatchKey.body_sha256, BatchKey.answer).where(
    BatchKey.organization_id == bindparam("organization_id"),
    BatchKey.key == bindparam("key"),
    BatchKey.part == bindparam("part"),
)
_CLAIM = insert(BatchKey)
_FORGET = delete(BatchKey).where(BatchKey.id == bindparam("key_id"))
_ANSWERED = update(BatchKey).where(BatchKey.id == bindparam("key_id"))


def _prior(
    session: Session, *, organization_id: int, key: str, part: int, now: datetime, keep: timedelta
) -> Row[Any] | None:
    session.flush()  # what the session holds goes first, as the ORM would before a query
    connection = session.connection()
    row = connection.execute(_KEY_ROW, {"organization_id": organization_id, "key": key, "part": part}).first()
    if row is not None and row.created_at < now - keep:
        connection.execute(_FORGET, {"key_id": row.id})  # past its keeping time the key is free again
        return None
    return row


def _replay(row: Row[Any], digest: str, key: str) -> dict[str, Any]:
    if row.body_sha256 != digest:
        raise Conflict(
            f"idempotency key {key!r} was used for a different batch; use a new key for new events",
            errors=[{"loc": ["header", "Idempotency-Key"], "msg": "already used with another body"}],
        )
    return dict(row.answer)


def ingest_batch(
    session: Session,
    *,
    caller: Caller,
    events: Sequence[Event],
    bad: list[dict[str, Any]],
    digest: str,
    key: str | None,
    now: datetime,
    flush: bool = False,
    config: Config | None = None,
    part: int = 0,
    keep: timedelta = DEFAULT_KEEP,
) -> tuple[dict[str, Any], bool]:
    """Ingest a batch once per key (scoped to the caller's organisation); returns the answer and whether it
    is the stored answer of an earlier delivery. The same key with another body is a conflict (409).

    The zones are read before the write turn (SQLite), which the detectors take with the state's row lock
    (PostgreSQL) before they run (`service.run_ahead`); the key is then read and claimed in that turn."""
    ahead = service.run_ahead(session, caller=caller, events=events, now=now, flush=flush, config=config)
    if key is None:
        result = service.ingest(
            session, caller=caller, events=events, now=now, flush=flush, config=config, ahead=ahead
        )
        return _answer(result, bad), False
    org = caller.organization_id
    prior = _prior(session, organization_id=org, key=key, part=part, now=now, keep=keep)
    if prior is not None:
        return _replay(prior, digest, key), True
    claim = {
        "organization_id": org,
        "key": key,
        "part": part,
        "body_sha256": digest,
        "answer": {},
        "user_id": caller.user_id,
        "created_at": now,
    }
    try:
        # Claim the key first: a concurrent delivery of the same batch waits on the unique key here and,
        # once the first one committed, is answered with its result instead of storing the events again.
        with session.begin_nested():
            key_id = session.connection().execute(_CLAIM.returning(BatchKey.id), claim).scalar_one()
    except IntegrityError:
        prior = _prior(session, organization_id=org, key=key, part=part, now=now, keep=keep)
        if prior is None:
            raise Conflict(f"a batch with idempotency key {key!r} is being stored; retry") from None
        return _replay(prior, digest, key), True
    result = service.ingest(
        session, caller=caller, events=events, now=now, flush=flush, config=config, ahead=ahead
    )
    answer = _answer(result, bad)
    session.flush()
    session.connection().execute(_ANSWERED, {"key_id": key_id, "answer": answer})
    return answer, False


def purge_keys(session: Session, *, now: datetime, keep: timedelta = DEFAULT_KEEP) -> int:
    """Forget batch keys older than their keeping time; returns how many."""
    gone = session.execute(delete(BatchKey).where(BatchKey.created_at < now - keep))
    return int(getattr(gone, "rowcount", 0) or 0)
