"""Ed25519 signing keys of protocol signers: generate, store encrypted, read, fingerprint (no database).

A signer's private key lives in a file on the signer's machine (PKCS#8 PEM, encrypted with a passphrase
when one is given); only the raw 32-byte public key is registered with the server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from outrider.errors import InvalidInput
from outrider.protocols.agreement import sign_hash

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
PASSPHRASE_ENV = "OUTRIDER_KEY_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret


def generate_pem(passphrase: bytes | None = None) -> tuple[bytes, bytes]:
    """A new private key as PKCS#8 PEM (encrypted when a passphrase is given) and its raw public key."""
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return pem, public_raw(key)


def public_raw(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public key of a private key."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private_pem(pem: bytes, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from PEM; InvalidInput when it is not one or the passphrase is wrong."""
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except TypeError:
        raise InvalidInput(
            "the key file is encrypted: give its passphrase (OUTRIDER_KEY_PASSPHRASE)"
        ) from None
    except ValueError:
        raise InvalidInput("not a readable private key (wrong passphrase, or not PEM)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput("the key file does not hold an Ed25519 private key")
    return key


def passphrase_from_env() -> bytes | None:
    """The passphrase of the signer's key file, from OUTRIDER_KEY_PASSPHRASE (None when unset)."""
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode("utf-8") if value else None


def read_private_key(path: Path) -> Ed25519PrivateKey:
    """The signer's private key file, opened with the passphrase from OUTRIDER_KEY_PASSPHRASE if set."""
    return load_private_pem(path.read_bytes(), passphrase_from_env())


def parse_public_key(text: str) -> bytes:
    """A public key given as PEM, 64 hex digits or base64 of the 32 raw bytes, as raw bytes."""
    value = text.strip()
    if value.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(value.encode("ascii"))
        except ValueError:
            raise InvalidInput("public key: unreadable PEM") from None
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidInput("public key: not an Ed25519 key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = decode_bytes(value, "public key")
    if len(raw) != PUBLIC_KEY_BYTES:
        raise InvalidInput(f"public key: an Ed25519 key has {PUBLIC_KEY_BYTES} bytes, not {len(raw)}")
    return raw


def decode_bytes(value: str, what: str) -> bytes:
    """Hex (preferred) or standard base64 text as bytes."""
    text = value.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{what}: give hex or base64") from None


def fingerprint(public_key: bytes) -> str:
    """A short, stable name of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def sign_document(key: Ed25519PrivateKey, document_hash: str) -> bytes:
    """Sign a protocol document hash (the bytes `agreement.signing_message` defines)."""
    return sign_hash(key, document_hash)
