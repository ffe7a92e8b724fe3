"""The audit signing key and its history: where the private key lives, registration, rotation."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.audit import chain
from outrider.audit.models import AuditKey
from outrider.errors import Conflict
from outrider.settings import get_settings

KEY_FILE = "audit-signing-key"


def key_file() -> Path:
    """The file in the data directory that holds the signing key once it has been rotated."""
    return get_settings().data_dir / KEY_FILE


def signing_key() -> Ed25519PrivateKey:
    """The key that signs heads: OUTRIDER_AUDIT_SIGNING_KEY, else the data directory's key file, else
    one derived from the secret key (base64 32-byte seeds)."""
    settings = get_settings()
    if settings.audit_signing_key:
        seed = base64.b64decode(settings.audit_signing_key)
    else:
        try:
            seed = base64.b64decode(key_file().read_text(encoding="ascii").strip())
        except FileNotFoundError:
            seed = hashlib.sha256(b"outrider-audit-checkpoints\n" + settings.secret_key.encode()).digest()
    return _key_of(seed)


# The last key made, by its seed: every commit signs, in the write turn (SQLite) or under the head's row
# lock (PostgreSQL), and making the key object again each time cost more than the signature. The seed is
# read every time, so a rotated key is used at once.
_LAST: dict[bytes, Ed25519PrivateKey] = {}


def _key_of(seed: bytes) -> Ed25519PrivateKey:
    key = _LAST.get(seed)
    if key is None:
        key = chain.private_key_from_seed(seed)
        _LAST.clear()  # one key kept: the one in use
        _LAST[seed] = key
    return key


def public_key() -> str:
    """The public half of the signing key (base64), to keep beside exported checkpoints."""
    return chain.public_key_b64(signing_key())


def history(session: Session) -> list[chain.KeyEntry]:
    """The key history, oldest first."""
    return [
        chain.KeyEntry(k.public_key, k.valid_from, k.endorsement)
        for k in session.scalars(select(AuditKey).order_by(AuditKey.valid_from, AuditKey.id))
    ]


def ensure_registered(session: Session, public: str, *, now: datetime) -> None:
    """Put the signing key in the history before it signs (the caller holds the head lock).

    Only the first key is taken in without an endorsement on trust; a key that appears later without
    `rotate` is registered unendorsed so writes go on, and verification then names the break.
    """
    newest = session.scalars(
        select(AuditKey).order_by(AuditKey.valid_from.desc(), AuditKey.id.desc())
    ).first()
    if newest is not None and newest.public_key == public:
        return
    if newest is not None and session.scalar(select(AuditKey.id).where(AuditKey.public_key == public)):
        return  # an older key signing again: verification reports it against the newest
    session.add(AuditKey(public_key=public, valid_from=now, endorsement=None))
    session.flush()


def rotate(session: Session, *, now: datetime) -> tuple[str, str]:
    """Make a new signing key that endorses the current one; write it to the data directory.

    The caller holds the head lock (no head is signed meanwhile) and commits; the new key signs every
    head from ``now`` on, and the old key's heads stay valid through the endorsement.
    """
    if get_settings().audit_signing_key:
        raise Conflict(
            "the signing key comes from OUTRIDER_AUDIT_SIGNING_KEY: unset it to let Outrider keep the key "
            "in its data directory, then rotate"
        )
    old = signing_key()
    old_public = chain.public_key_b64(old)
    # a key never registered before is the first of the history: in force before the new one
    ensure_registered(session, old_public, now=now - timedelta(microseconds=1))
    entries = history(session)
    if entries[-1].public_key != old_public:
        raise Conflict("the newest key of the history is not the key in use; verify the log before rotating")
    if entries[-1].valid_from >= now:
        raise Conflict("the current key came into force at this very instant; rotate again in a moment")
    seed = secrets.token_bytes(32)
    new = chain.private_key_from_seed(seed)
    entry = chain.sign_endorsement(new, previous=entries[-1], valid_from=now)
    session.add(AuditKey(public_key=entry.public_key, valid_from=now, endorsement=entry.endorsement))
    session.flush()
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(base64.b64encode(seed).decode("ascii") + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    if path.exists():
        os.replace(path, path.with_name(KEY_FILE + ".previous"))
    os.replace(tmp, path)
    return old_public, entry.public_key
