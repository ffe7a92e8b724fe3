"""Signed heads, the signing keys' history and its endorsements, as pure functions (no database, no clock)."""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def utc_text(value: datetime) -> str:
    """A zone-aware time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (the audit log's one time format)."""
    if value.tzinfo is None:
        raise ValueError("audit times must carry a zone")
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain's record ``seq`` has hash ``hash``.

    ``prev_seq`` is the sequence number of the signed head before this one (0 for the first): signed
    heads form a chain of their own, so deleting any of them leaves a gap. None marks a checkpoint of
    the first format (signed every 1000 records, not chained). ``source`` says where verification
    found it: stored in the database, in an exported file, or in the witness file beside the key.
    """

    seq: int
    hash: str
    at: datetime
    signature: str  # base64
    public_key: str  # base64 raw Ed25519
    prev_seq: int | None = None
    source: str = "stored"


def message(cp: Checkpoint) -> bytes:
    """The bytes a checkpoint's signature covers."""
    if cp.prev_seq is None:
        return f"outrider-audit-checkpoint\n{cp.seq}\n{cp.hash}\n{utc_text(cp.at)}".encode("ascii")
    return f"outrider-audit-head\n{cp.seq}\n{cp.hash}\n{cp.prev_seq}\n{utc_text(cp.at)}".encode("ascii")


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    """An Ed25519 key from 32 bytes of seed (other lengths are hashed to 32)."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest() if len(seed) != 32 else seed)


# By the key object (the same one signs every commit: `keys.signing_key`); deriving the public half again
# cost more than the signature. A few keys at most are held (a rotation brings a new one).
@lru_cache(maxsize=4)
def public_key_b64(key: Ed25519PrivateKey) -> str:
    """The raw public key, base64."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def _sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode("ascii")


@lru_cache(maxsize=64)
def _public(public_key: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))


def _valid(public_key: str, signature: str, data: bytes) -> bool:
    try:
        _public(public_key).verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_head(key: Ed25519PrivateKey, *, seq: int, hash_: str, prev_seq: int, at: datetime) -> Checkpoint:
    """Sign the chain's head at ``seq``, naming the signed head before it."""
    cp = Checkpoint(seq, hash_, at, "", public_key_b64(key), prev_seq)
    return Checkpoint(seq, hash_, at, _sign(key, message(cp)), cp.public_key, prev_seq)


def sign_checkpoint(key: Ed25519PrivateKey, *, seq: int, hash_: str, at: datetime) -> Checkpoint:
    """Sign a checkpoint of the first format (kept to read logs written before signed heads)."""
    cp = Checkpoint(seq, hash_, at, "", public_key_b64(key))
    return Checkpoint(seq, hash_, at, _sign(key, message(cp)), cp.public_key)


def signature_valid(cp: Checkpoint) -> bool:
    """True when the checkpoint's signature is valid for the key it names."""
    return _valid(cp.public_key, cp.signature, message(cp))


def checkpoint_valid(cp: Checkpoint, *, trusted_public_key: str) -> bool:
    """True when the checkpoint was signed by the trusted key."""
    return cp.public_key == trusted_public_key and signature_valid(cp)


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One signing key of the history: in force from ``valid_from`` until the next key's.

    ``endorsement`` is this key's signature over the key before it (its public key and the two
    validity starts): each key vouches for its predecessor, so the whole history hangs from the key
    the verifier trusts now, and nobody without a private key can slip a key of their own into it.
    """

    public_key: str
    valid_from: datetime
    endorsement: str | None = None


def _endorsement_message(previous: KeyEntry, valid_from: datetime) -> bytes:
    return (
        f"outrider-audit-key-endorsement\n{previous.public_key}\n{utc_text(previous.valid_from)}\n"
        f"{utc_text(valid_from)}"
    ).encode("ascii")


def sign_endorsement(new_key: Ed25519PrivateKey, *, previous: KeyEntry, valid_from: datetime) -> KeyEntry:
    """The history entry of a new key in force from ``valid_from``, endorsing the key before it."""
    return KeyEntry(
        public_key_b64(new_key), valid_from, _sign(new_key, _endorsement_message(previous, valid_from))
    )


@dataclass(frozen=True, slots=True)
class KeyHistory:
    """The validated key history: for each key, the window in which what it signed is accepted."""

    windows: dict[str, tuple[datetime | None, datetime | None]]
    problem: str | None = None

    def valid_at(self, public_key: str, at: datetime) -> bool:
        """True when ``public_key`` was the signing key at ``at``."""
        window = self.windows.get(public_key)
        if window is None:
            return False
        start, end = window
        return (start is None or at >= start) and (end is None or at < end)


def key_history(entries: Iterable[KeyEntry], *, trusted_public_key: str) -> KeyHistory:
    """Check a key history against the key trusted now and compute each key's window.

    The newest key must be the trusted one and each key must endorse the one before it. The first key
    is valid from the beginning (it signed the checkpoints written before the history was kept). An
    empty history trusts the trusted key alone, at any time.
    """
    keys = sorted(entries, key=lambda k: k.valid_from)
    if not keys:
        return KeyHistory({trusted_public_key: (None, None)})
    windows: dict[str, tuple[datetime | None, datetime | None]] = {}
    for i, key in enumerate(keys):
        start = None if i == 0 else key.valid_from
        end = keys[i + 1].valid_from if i + 1 < len(keys) else None
        if key.public_key in windows:
            return KeyHistory({}, f"signing key {key.public_key} appears twice in the key history")
        windows[key.public_key] = (start, end)
    if keys[-1].public_key != trusted_public_key:
        return KeyHistory(
            {},
            "the newest key of the key history is not the key this verifier trusts (a key was added behind "
            "the application's back, or the signing key was changed without `outrider audit rotate-key`)",
        )
    for previous, key in itertools.pairwise(keys):
        if (
            previous.valid_from == key.valid_from
            or key.endorsement is None
            or not _valid(key.public_key, key.endorsement, _endorsement_message(previous, key.valid_from))
        ):
            return KeyHistory(
                {},
                f"signing key {previous.public_key} is not endorsed by the key that followed it "
                "(a forged key, or a key changed without `outrider audit rotate-key`)",
            )
    return KeyHistory(windows)


# A checkpoint as the walk reads it: (seq, hash, prev_seq, public_key, source, at, signature), where
# ``at`` may still be the database's text: it is only parsed for the checkpoints whose signature decides.
# A signature of None is not read yet: ``at`` then holds what the walk's ``complete`` needs to read both
# (a stored head's row id), and only for the heads whose signature decides (a few in 666,667).
Mark = tuple[int, str, int | None, str, str, Any, str | None]


def mark(cp: Checkpoint) -> Mark:
    """A checkpoint as the walk reads it."""
    return cp.seq, cp.hash, cp.prev_seq, cp.public_key, cp.source, cp.at, cp.signature


def _aware(at: Any) -> datetime:
    if isinstance(at, datetime):
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(at))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def checkpoint_of(m: Mark) -> Checkpoint:
    """The checkpoint a mark stands for."""
    seq, hash_, prev_seq, public_key, source, at, signature = m
    if signature is None:  # never read: it cannot vouch for anything (`walk` completes those that decide)
        return Checkpoint(seq, hash_, datetime.min.replace(tzinfo=UTC), "", public_key, prev_seq, source)
    return Checkpoint(seq, hash_, _aware(at), signature, public_key, prev_seq, source)


_WHAT = {"stored": "signed head", "exported": "exported checkpoint", "witness": "witness"}


def mark_problem(m: Mark, computed: str, keys: KeyHistory, decides: bool) -> str | None:
    """What is wrong with a checkpoint met at a record whose hash is ``computed``, if anything."""
    what = _WHAT[m[4]]
    if m[1] != computed:
        return f"the chain at record {m[0]} differs from its {what} (re-chained)"
    unknown = f"the {what} at record {m[0]} is signed by a key the key history does not hold at that time"
    if keys.problem is None and m[3] not in keys.windows:
        return unknown
    if decides:
        cp = checkpoint_of(m)
        if keys.problem is None and not keys.valid_at(cp.public_key, cp.at):
            return unknown
        if not signature_valid(cp):
            return f"the {what} at record {m[0]} is not validly signed"
    return None
