"""Password hashing with argon2id, bearer-token generation, and the keyed digests and seals of the second
factor's secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken

# The strength rule of every new password: at creation, change and reset.
from outrider.accounts.schemas import PASSWORD_MAX as PASSWORD_MAX
from outrider.accounts.schemas import PASSWORD_MIN as PASSWORD_MIN
from outrider.settings import get_settings

# The argon2id parameters of each OUTRIDER_PASSWORD_HASH_COST. A hash carries its own parameters, so a hash
# made under either verifies under both; nothing rehashes a stored hash to the current cost.
HASH_COSTS: dict[str, Parameters] = {
    "standard": profiles.RFC_9106_LOW_MEMORY,  # 64 MiB, 3 passes, 4 lanes
    "test": Parameters(
        type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1, memory_cost=8 * 1024, parallelism=1
    ),
}
TOKEN_PREFIX = "otr_"  # noqa: S105 - a public marker, not a secret


@cache
def _hasher_of(cost: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(HASH_COSTS[cost])


@cache
def _dummy_hash(cost: str) -> str:
    # A hash of a random password, verified against when the user does not exist so that unknown and known
    # usernames take the same time; made at the first sign-in, not at import.
    return _hasher_of(cost).hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Argon2id hash of a password, at the configured cost."""
    return _hasher_of(get_settings().password_hash_cost).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; constant work whether or not the user exists."""
    cost = get_settings().password_hash_cost
    try:
        return _hasher_of(cost).verify(password_hash or _dummy_hash(cost), password) and bool(password_hash)
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


def code_digest(kind: str, code: str) -> str:
    """HMAC-SHA-256 of a one-time code (a recovery or reset code, normalised) under the server's key."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{kind}\0{code}".encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"outrider.totp\0" + get_settings().secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: bytes) -> str:
    """A TOTP secret sealed (encrypted and authenticated) under the server's key, for the database."""
    return _fernet().encrypt(secret).decode()


def unseal(sealed: str) -> bytes | None:
    """The secret of ``seal``; None when it was sealed under another key (the key changed)."""
    try:
        return _fernet().decrypt(sealed.encode())
    except InvalidToken:
        return None
