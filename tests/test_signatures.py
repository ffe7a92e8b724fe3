"""The one Ed25519 check: a signature holds for its key and message only; malformed input is no signature."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from outrider.governance.rules import approval_message, verify_approval
from outrider.protocols.agreement import signing_message, verify_signature
from outrider.signatures import ed25519_valid

HASH = "ab" * 32


def _key() -> tuple[Ed25519PrivateKey, bytes]:
    key = Ed25519PrivateKey.generate()
    return key, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_a_signature_holds_for_its_key_and_message_only() -> None:
    key, public = _key()
    _, other = _key()
    signature = key.sign(b"message")
    assert ed25519_valid(public, b"message", signature)
    assert not ed25519_valid(public, b"another message", signature)
    assert not ed25519_valid(other, b"message", signature)


def test_malformed_keys_and_signatures_are_no_signature() -> None:
    key, public = _key()
    signature = key.sign(b"message")
    assert not ed25519_valid(public[:31], b"message", signature)
    assert not ed25519_valid(public, b"message", signature[:63])
    assert not ed25519_valid(b"", b"message", b"")


def test_a_protocol_signature_is_not_a_governance_approval() -> None:
    key, public = _key()
    assert verify_signature(public, HASH, key.sign(signing_message(HASH)))
    assert verify_approval(public, HASH, key.sign(approval_message(HASH)))
    assert not verify_approval(public, HASH, key.sign(signing_message(HASH)))
    assert not verify_signature(public, HASH, key.sign(approval_message(HASH)))
