"""The hash chain and its checkpoints as pure functions: canonical form, hashing, verification, signing."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "user_id",
    "organization_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "channel",
    "request_id",
    "details",
)


def _time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times must carry a zone")
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _time(value)
    raise TypeError(f"{type(value).__name__} cannot go into the audit log")


_quote = json.encoder.encode_basestring  # type: ignore[attr-defined]
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_default).encode


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON text of a value (how the audit tables store fields and details)."""
    return _encode(value)


def _s(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _encode(value)


def canonical(record: Mapping[str, Any]) -> bytes:
    """The canonical JSON of a record's chained fields: sorted keys, no spaces, UTC times, UTF-8.

    Written out by hand (the same bytes as ``json.dumps(..., sort_keys=True, ensure_ascii=False)`` of
    those fields) because verification runs it a million times. An ``at`` given as a string is taken as
    already canonical (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), and so are ``fields`` and ``details`` given as
    strings (their canonical JSON text): storage layers that keep that text pass it on unparsed, and any
    change to it changes the hash all the same.
    """
    r = record
    at, fields, details = r["at"], r.get("fields") or (), r.get("details")
    fields_text = fields if isinstance(fields, str) else f"[{','.join(map(_quote, fields))}]"
    details_text = details if isinstance(details, str) else _encode(details)
    return (
        f'{{"action":{_s(r.get("action"))},"at":"{at if isinstance(at, str) else _time(at)}",'
        f'"channel":{_s(r.get("channel"))},"details":{details_text},'
        f'"fields":{fields_text},"object_id":{_s(r.get("object_id"))},'
        f'"object_type":{_s(r.get("object_type"))},"organization_id":{_s(r.get("organization_id"))},'
        f'"request_id":{_s(r.get("request_id"))},"seq":{int(r["seq"])},"user_id":{_s(r.get("user_id"))}}}'
    ).encode()


def link_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the record's canonical form (hex)."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(record)).hexdigest()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain's record ``seq`` has hash ``hash``."""

    seq: int
    hash: str
    at: datetime
    signature: str  # base64
    public_key: str  # base64 raw Ed25519


def _message(seq: int, hash_: str, at: datetime) -> bytes:
    return f"outrider-audit-checkpoint\n{seq}\n{hash_}\n{_time(at)}".encode("ascii")


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    """An Ed25519 key from 32 bytes of seed."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest() if len(seed) != 32 else seed)


def public_key_b64(key: Ed25519PrivateKey) -> str:
    """The raw public key, base64."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def sign_checkpoint(key: Ed25519PrivateKey, *, seq: int, hash_: str, at: datetime) -> Checkpoint:
    """Sign the chain's state at ``seq``."""
    signature = base64.b64encode(key.sign(_message(seq, hash_, at))).decode("ascii")
    return Checkpoint(seq=seq, hash=hash_, at=at, signature=signature, public_key=public_key_b64(key))


def checkpoint_valid(cp: Checkpoint, *, trusted_public_key: str) -> bool:
    """True when the checkpoint was signed by the trusted key."""
    if cp.public_key != trusted_public_key:
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(trusted_public_key))
        key.verify(base64.b64decode(cp.signature), _message(cp.seq, cp.hash, cp.at))
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of a verification: how far it went and the first problem, if any."""

    ok: bool
    records: int
    last_seq: int
    last_hash: str
    checkpoints: int
    first_broken_seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Walk:
    """One pass over a run of records: how far the links hold, and the hashes at the wanted seqs."""

    count: int
    first_prev: str | None
    last_seq: int
    last_hash: str
    seen: dict[int, str]
    broken_seq: int | None = None
    problem: str | None = None


def walk(
    records: Iterable[Mapping[str, Any]],
    *,
    start_seq: int = 1,
    start_prev: str | None = GENESIS,
    wanted: frozenset[int] = frozenset(),
) -> Walk:
    """Check every link of a run of records starting at ``start_seq``.

    ``start_prev`` is the hash the first record must link to; None takes the first record's own
    ``prev_hash`` (a chunk verified in parallel: the caller checks the junction with the chunk before).
    """
    seen: dict[int, str] = {}
    prev, expected_seq, count, first_prev = start_prev, start_seq, 0, start_prev
    for rec in records:
        seq = int(rec["seq"])
        if seq != expected_seq:
            what = "missing" if seq > expected_seq else "out of order or duplicated"
            return Walk(
                count,
                first_prev,
                expected_seq - 1,
                prev or "",
                seen,
                expected_seq,
                f"record {expected_seq} is {what}",
            )
        if prev is None:
            prev = first_prev = str(rec["prev_hash"])
        if rec["prev_hash"] != prev:
            return Walk(
                count, first_prev, seq - 1, prev, seen, seq, f"record {seq} does not link to record {seq - 1}"
            )
        computed = link_hash(prev, rec)
        if computed != rec["hash"]:
            return Walk(
                count,
                first_prev,
                seq - 1,
                prev,
                seen,
                seq,
                f"record {seq} was altered (its hash does not match)",
            )
        if seq in wanted:
            seen[seq] = computed
        prev, expected_seq, count = computed, seq + 1, count + 1
    return Walk(count, first_prev, expected_seq - 1, prev or "", seen)


def judge(walks: Sequence[Walk], checkpoints: Sequence[Checkpoint], *, trusted_public_key: str) -> Verdict:
    """Join consecutive walks (each must start where the previous ended) and check the checkpoints."""
    count, seen, last_seq, last_hash = 0, {}, 0, GENESIS
    for w in walks:
        if w.count and w.first_prev != last_hash:
            return Verdict(
                False,
                count,
                last_seq,
                last_hash,
                0,
                last_seq + 1,
                f"record {last_seq + 1} does not link to record {last_seq}",
            )
        count += w.count
        seen.update(w.seen)
        if w.problem is not None:
            return Verdict(False, count, w.last_seq, w.last_hash, 0, w.broken_seq, w.problem)
        if w.count:
            last_seq, last_hash = w.last_seq, w.last_hash
    cps = sorted(checkpoints, key=lambda c: c.seq)
    for cp in cps:
        if not checkpoint_valid(cp, trusted_public_key=trusted_public_key):
            return Verdict(
                False, count, last_seq, last_hash, 0, cp.seq, f"checkpoint at {cp.seq} is not validly signed"
            )
        if cp.seq not in seen:
            return Verdict(
                False,
                count,
                last_seq,
                last_hash,
                0,
                min(cp.seq, last_seq + 1),
                f"checkpoint at {cp.seq} names a record the chain no longer has (the tail was cut)",
            )
        if seen[cp.seq] != cp.hash:
            return Verdict(
                False,
                count,
                last_seq,
                last_hash,
                0,
                cp.seq,
                f"the chain at record {cp.seq} differs from its signed checkpoint (re-chained)",
            )
    return Verdict(True, count, last_seq, last_hash, len(cps))


def verify(
    records: Iterable[Mapping[str, Any]], checkpoints: Iterable[Checkpoint], *, trusted_public_key: str
) -> Verdict:
    """Walk the chain in ``seq`` order and check every link, then every checkpoint against it.

    Each record mapping holds the chained fields plus ``prev_hash`` and ``hash``. Memory stays small:
    only the hashes at checkpointed sequence numbers are kept.
    """
    cps = list(checkpoints)
    w = walk(records, wanted=frozenset(c.seq for c in cps))
    return judge([w], cps, trusted_public_key=trusted_public_key)
