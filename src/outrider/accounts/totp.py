"""One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238), and the codes that stand in for them.

A pure core: values in, values out (the time is given as seconds since the epoch, the secret as bytes).
Outrider's second factor is TOTP with SHA-1, 6 digits and a 30-second step, accepted one step either
side of now; the caller keeps the last step accepted so that a code is never accepted twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1  # steps accepted either side of now (clock drift, a code typed as it turns)
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends for HMAC-SHA-1
RECOVERY_CODES = 10
_HASHES = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """The HOTP value of ``counter`` (RFC 4226 section 5.3: dynamic truncation), zero-padded."""
    mac = hmac.new(key, struct.pack(">Q", counter), _HASHES[algorithm]).digest()
    offset = mac[-1] & 0x0F
    binary = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_of(unix_time: float, *, step: int = STEP_SECONDS) -> int:
    """The TOTP time step T of a moment (RFC 6238 section 4.2, T0 = 0)."""
    return int(unix_time // step)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """The TOTP value at a moment."""
    return hotp(key, step_of(unix_time), digits=digits, algorithm=algorithm)


def accepted_step(key: bytes, code: str, unix_time: float, *, last_step: int | None) -> int | None:
    """The step a submitted code matches within the window, if it is later than ``last_step``.

    None when the code matches no step of the window, or only steps already used (a replay).
    """
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_of(unix_time)
    for candidate in range(now - WINDOW, now + WINDOW + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if hmac.compare_digest(hotp(key, candidate), code):
            return candidate
    return None


def new_secret() -> bytes:
    """A fresh random TOTP secret."""
    return secrets.token_bytes(SECRET_BYTES)


def to_base32(key: bytes) -> str:
    """The secret as people type it into an authenticator app (base32, no padding)."""
    return base64.b32encode(key).decode().rstrip("=")


def from_base32(text: str) -> bytes:
    """The secret from its base32 form (spaces and case ignored)."""
    clean = text.replace(" ", "").upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8))


def otpauth_uri(key: bytes, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads (the Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": to_base32(key),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand


def _grouped(length: int, group: int) -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + group] for i in range(0, length, group))


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Fresh recovery codes (50 bits each), shown once: each stands in for one TOTP code, once."""
    return [_grouped(10, 5) for _ in range(count)]


def new_reset_code() -> str:
    """A one-time password-reset code (100 bits), grouped for reading over the phone."""
    return _grouped(20, 4)


def normal_code(text: str) -> str:
    """A recovery or reset code as stored: upper case, without separators or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
