"""Signing keys: each administrator's registered Ed25519 public keys, which sign protocol versions and
governance approvals (the private key stays with its holder; the server keeps only public keys)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access import policy
from outrider.access.policy import Caller
from outrider.errors import Conflict, Forbidden, InvalidInput, NotFound
from outrider.protocols import keys, trail
from outrider.protocols.models import SigningKey


def register_key(
    session: Session, *, caller: Caller, public_key: bytes, label: str, now: datetime, permitted: bool = False
) -> SigningKey:
    """Register the caller's Ed25519 public key (the private key stays with the caller). ``permitted``: a
    domain above allowed a caller who is not an administrator (a committee's chair signs its minutes)."""
    if not (permitted or policy.may_register_signing_key(caller)):
        raise Forbidden("only administrators register protocol signing keys")
    if len(public_key) != keys.PUBLIC_KEY_BYTES:
        raise InvalidInput(f"an Ed25519 public key has {keys.PUBLIC_KEY_BYTES} bytes")
    if session.scalar(select(SigningKey.id).where(SigningKey.public_key == public_key.hex())) is not None:
        raise Conflict("this public key is already registered")
    row = SigningKey(
        user_id=caller.user_id,
        organization_id=caller.organization_id,
        public_key=public_key.hex(),
        fingerprint=keys.fingerprint(public_key),
        label=label,
        created_at=now,
    )
    session.add(row)
    session.flush()
    trail.record(session, caller, "register_key", row, now, ["public_key"])
    return row


def revoke_key(session: Session, *, caller: Caller, key_id: int, now: datetime) -> SigningKey:
    """Revoke a signing key (lost, leaked, or its holder left): it signs nothing again. The signatures it
    made stay, each verifiable with the public key stored beside it. Its holder or an administrator of the
    holder's organisation revokes it."""
    row = session.get(SigningKey, key_id)
    mine = row is not None and row.user_id == caller.user_id
    admin = row is not None and "admin" in caller.roles and row.organization_id == caller.organization_id
    if row is None or not (mine or admin):
        # Another organisation's keys are not disclosed, not even their existence.
        raise NotFound(f"signing key {key_id} not found")
    if row.revoked_at is not None:
        raise Conflict(f"signing key {key_id} was already revoked at {row.revoked_at.isoformat()}")
    row.revoked_at = now
    session.flush()
    trail.record(session, caller, "revoke_key", row, now, ["revoked_at"], holder=row.user_id)
    return row


def keys_of(session: Session, *, caller: Caller) -> list[SigningKey]:
    """The caller's registered signing keys."""
    return list(
        session.scalars(
            select(SigningKey).where(SigningKey.user_id == caller.user_id).order_by(SigningKey.id)
        )
    )


def own_key(session: Session, *, caller: Caller, public_key: bytes) -> SigningKey:
    """The caller's registered, unrevoked key with this public key; Forbidden when there is none."""
    key = session.scalar(
        select(SigningKey).where(
            SigningKey.public_key == public_key.hex(),
            SigningKey.user_id == caller.user_id,
            SigningKey.revoked_at.is_(None),
        )
    )
    if key is None:
        raise Forbidden("that public key is not a registered signing key of yours")
    return key


# A governance approval may be signed with the key its approver registered to sign protocols; the
# governance service checks the signature itself, given a key found here.
def signed_approval(
    session: Session, *, caller: Caller, public_key: str | None, signature: str | None
) -> tuple[bytes, bytes] | None:
    """(public key, signature) when both are given and the key is the caller's, registered and unrevoked."""
    if public_key is None and signature is None:
        return None
    if public_key is None or signature is None:
        raise InvalidInput("a signed approval names both the public key and the signature")
    raw = keys.parse_public_key(public_key)
    sig = keys.decode_bytes(signature, "signature")
    if len(sig) != keys.SIGNATURE_BYTES:
        raise InvalidInput(f"signature: an Ed25519 signature has {keys.SIGNATURE_BYTES} bytes")
    own_key(session, caller=caller, public_key=raw)
    return raw, sig
