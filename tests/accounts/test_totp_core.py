"""The one-time password core against the RFC test vectors, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.accounts import totp

RFC4226_KEY = b"12345678901234567890"
RFC4226_VALUES = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890" * 6 + b"1234",
}
# RFC 6238 Appendix B: time, algorithm, 8-digit TOTP.
RFC6238 = [
    (59, "SHA1", "94287082"),
    (59, "SHA256", "46119246"),
    (59, "SHA512", "90693936"),
    (1111111109, "SHA1", "07081804"),
    (1111111109, "SHA256", "68084774"),
    (1111111109, "SHA512", "25091201"),
    (1111111111, "SHA1", "14050471"),
    (1111111111, "SHA256", "67062674"),
    (1111111111, "SHA512", "99943326"),
    (1234567890, "SHA1", "89005924"),
    (1234567890, "SHA256", "91819424"),
    (1234567890, "SHA512", "93441116"),
    (2000000000, "SHA1", "69279037"),
    (2000000000, "SHA256", "90698825"),
    (2000000000, "SHA512", "38618901"),
    (20000000000, "SHA1", "65353130"),
    (20000000000, "SHA256", "77737706"),
    (20000000000, "SHA512", "47863826"),
]


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226_VALUES)))
def test_hotp_matches_rfc4226_appendix_d(counter: int, expected: str) -> None:
    assert totp.hotp(RFC4226_KEY, counter) == expected


@pytest.mark.parametrize(("moment", "algorithm", "expected"), RFC6238)
def test_totp_matches_rfc6238_appendix_b(moment: int, algorithm: str, expected: str) -> None:
    assert totp.totp(SEEDS[algorithm], moment, digits=8, algorithm=algorithm) == expected


def test_the_six_digit_code_is_the_last_six_digits_of_the_vector() -> None:
    assert totp.totp(SEEDS["SHA1"], 1111111109) == "081804"


def test_base32_round_trip_and_uri() -> None:
    key = totp.new_secret()
    assert len(key) == 20
    text = totp.to_base32(key)
    assert totp.from_base32(text.lower()) == key
    uri = totp.otpauth_uri(key, account="coord@acme", issuer="Outrider")
    assert uri.startswith("otpauth://totp/Outrider%3Acoord%40acme?secret=" + text)
    assert "digits=6" in uri and "period=30" in uri and "algorithm=SHA1" in uri and "issuer=Outrider" in uri


def test_malformed_codes_are_refused() -> None:
    for code in ("", "12345", "1234567", "abcdef", "12 34 5x"):
        assert totp.accepted_step(RFC4226_KEY, code, 59, last_step=None) is None


def test_recovery_and_reset_codes_are_fresh_and_normalised() -> None:
    codes = totp.new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(totp.normal_code(c)) == 10 for c in codes)
    reset = totp.new_reset_code()
    assert len(totp.normal_code(reset)) == 20
    assert totp.normal_code(reset.lower().replace("-", " ")) == totp.normal_code(reset)


keys = st.binary(min_size=10, max_size=64)
moments = st.integers(min_value=600, max_value=4_000_000_000)


@given(key=keys, moment=moments, offset=st.integers(min_value=-5, max_value=5))
def test_a_code_is_accepted_only_within_one_step_either_side(key: bytes, moment: int, offset: int) -> None:
    step = totp.step_of(moment)
    code = totp.hotp(key, step + offset)
    found = totp.accepted_step(key, code, moment, last_step=None)
    if abs(offset) <= 1:
        assert found is not None and abs(found - step) <= 1
    elif found is not None:
        # A different step of the window happens to have the same six digits (1 in a million).
        assert totp.hotp(key, found) == code and abs(found - step) <= 1


@given(key=keys, moment=moments, later=st.integers(min_value=0, max_value=89))
def test_a_code_is_never_accepted_twice(key: bytes, moment: int, later: int) -> None:
    code = totp.totp(key, moment)
    first = totp.accepted_step(key, code, moment, last_step=None)
    assert first is not None
    # The same code again, at once or while it is still in the window, after its step was recorded: refused,
    # unless a later step of the window happens to have the same six digits (then it is that step's code).
    again = totp.accepted_step(key, code, moment + later, last_step=first)
    assert again is None or (again > first and totp.hotp(key, again) == code)


@given(key=keys, moment=moments)
def test_a_later_code_after_a_used_one_is_accepted(key: bytes, moment: int) -> None:
    used = totp.step_of(moment) - 1
    assert totp.accepted_step(key, totp.totp(key, moment), moment, last_step=used) == totp.step_of(moment)
