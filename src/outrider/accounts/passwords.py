"""Password hashing with argon2id and bearer-token generation."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from outrider.settings import get_settings

_hasher = PasswordHasher()
# A hash of a random password, verified against when the user does not exist so that
# unknown and known usernames take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
TOKEN_PREFIX = "otr_"  # noqa: S105 - a public marker, not a secret


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; constant work whether or not the user exists."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of about 120 bits, readable enough to type."""
    return secrets.token_urlsafe(15)


def new_token() -> str:
    """A new bearer token (shown once to its owner)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """HMAC-SHA-256 of a token under the server's secret key (a copy of the table alone verifies nothing).

    Tokens carry 256 random bits, so a fast keyed hash is enough; changing the secret key revokes them all.
    """
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
