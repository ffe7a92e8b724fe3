"""Signed approvals: an approver may sign with the Ed25519 key they registered to sign protocols.

Protocols keep the registered keys and sit above governance, so only the faces (API, CLI) use this
module; the governance service checks the signature itself, given a key found here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.errors import Forbidden, InvalidInput
from outrider.protocols import keys
from outrider.protocols.models import SigningKey


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
    found = session.scalar(
        select(SigningKey.id).where(
            SigningKey.public_key == raw.hex(),
            SigningKey.user_id == caller.user_id,
            SigningKey.revoked_at.is_(None),
        )
    )
    if found is None:
        raise Forbidden("that public key is not a registered signing key of yours")
    return raw, sig
