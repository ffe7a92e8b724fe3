"""Ed25519 signature checks shared by the protocols (document signatures) and governance (approvals)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def ed25519_valid(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``message`` under the raw ``public_key``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):  # a malformed key or signature is no signature
        return False
    return True
