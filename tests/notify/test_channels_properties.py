"""Properties of the address checks and of the webhook signature (hypothesis), and their precise errors."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outrider.errors import InvalidInput
from outrider.notify.channels.addresses import email_address, phone_number, webhook_url
from outrider.notify.channels.webhooks import (
    WebhookVerificationError,
    new_secret,
    secret_key,
    sign,
    signed_headers,
    verify,
)

NOW = datetime(2026, 11, 2, 6, 30, tzinfo=UTC)
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def _one_error(error: InvalidInput, loc: list[str]) -> None:
    assert len(error.errors) == 1
    assert error.errors[0]["loc"] == loc and error.errors[0]["msg"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_a_phone_number_is_e164_or_a_precise_error(value: str) -> None:
    try:
        number = phone_number(value, loc=["body", "phone"])
    except InvalidInput as error:
        _one_error(error, ["body", "phone"])
        return
    assert E164.fullmatch(number)
    assert phone_number(number) == number


@settings(max_examples=100, deadline=None)
@given(
    st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True),
    st.lists(st.sampled_from([" ", "-", ".", "(", ")"]), max_size=6),
)
def test_separators_are_dropped_from_a_number(digits: str, separators: list[str]) -> None:
    spaced = "+" + "".join(d + (separators[i] if i < len(separators) else "") for i, d in enumerate(digits))
    assert phone_number(spaced) == "+" + digits


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("03001234567", "must start with +"),
        ("+0300123456", "E.164"),
        ("+92 300", "E.164"),
        ("+٩٢٣٠٠١٢٣٤٥٦٧", "E.164"),  # other scripts' digits are not 0-9
        ("", "required"),
    ],
)
def test_malformed_numbers(value: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        phone_number(value)
    assert why in raised.value.errors[0]["msg"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.emails()))
def test_an_email_address_is_normalised_once_or_a_precise_error(value: str) -> None:
    try:
        address = email_address(value, loc=["body", "email"])
    except InvalidInput as error:
        _one_error(error, ["body", "email"])
        return
    assert "@" in address and not any(c.isspace() for c in address)
    assert email_address(address) == address


@pytest.mark.parametrize(
    "value", ["duty at example.org", "Duty <duty@example.org>", "duty@example.org\nBcc: x@y.org", "a@b"]
)
def test_malformed_email_addresses(value: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        email_address(value)
    _one_error(raised.value, ["address"])


URL_TEXT = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, rest: f"{scheme}://{rest}",
        st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript"]),
        st.text(alphabet=string.ascii_letters + string.digits + ":/@.#?-[]%", max_size=40),
    ),
)


@settings(max_examples=300, deadline=None)
@given(URL_TEXT, st.booleans())
def test_a_webhook_url_is_http_with_a_host_and_no_credentials_or_a_precise_error(
    value: str, production: bool
) -> None:
    try:
        url = webhook_url(value, loc=["body", "url"], production=production)
    except InvalidInput as error:
        _one_error(error, ["body", "url"])
        return
    parts = urlsplit(url)
    assert parts.scheme.lower() in ("http", "https") and parts.hostname
    assert parts.username is None and parts.password is None and not parts.fragment
    assert not any(c.isspace() for c in url)
    if production and parts.scheme.lower() == "http":
        assert parts.hostname in ("127.0.0.1", "localhost", "::1") or parts.hostname.startswith("127.")


@pytest.mark.parametrize(
    ("value", "production", "why"),
    [
        ("ftp://hooks.example.org/x", False, "http:// or https://"),
        ("https://u:p@hooks.example.org/x", False, "user name or password"),
        ("https://hooks.example.org:99999/x", False, "port"),
        ("https:///x", False, "host"),
        ("https://hooks.example.org/x#frag", False, "fragment"),
        ("http://hooks.example.org/x", True, "https:// in production"),
        ("http://[fe80::1]/x", False, "link-local"),
        # the metadata service's address in spellings the system's resolver reads as 169.254.169.254
        ("http://2852039166/latest/meta-data/", False, "four decimal numbers"),
        ("http://0xa9fea9fe/latest/meta-data/", False, "four decimal numbers"),
        ("http://0251.0376.0251.0376/x", False, "four decimal numbers"),
        ("http://169.254.43518/x", False, "four decimal numbers"),
        ("http://0:8080/x", False, "four decimal numbers"),  # 0.0.0.0: this machine
        ("http://169.254.169.254./x", False, "link-local"),
        ("http://[::ffff:169.254.169.254]/x", False, "link-local"),
        ("http://[::ffff:a9fe:a9fe]/x", False, "link-local"),
    ],
)
def test_malformed_webhook_urls(value: str, production: bool, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        webhook_url(value, production=production)
    assert why in raised.value.errors[0]["msg"]


def test_host_names_that_merely_look_numeric_are_host_names() -> None:
    for url in (
        "https://1e100.net/x",
        "https://cafe.example/x",
        "https://10.0.0.5/x",
        "https://[2001:db8::1]/x",
    ):
        assert webhook_url(url, production=True) == url


def test_loopback_http_is_allowed_in_production() -> None:
    assert webhook_url("http://127.0.0.1:8080/in", production=True) == "http://127.0.0.1:8080/in"
    assert webhook_url("http://localhost/in", production=True) == "http://localhost/in"


# --- the signature --------------------------------------------------------------------------------

IDS = st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(IDS, st.binary(max_size=300), st.integers(min_value=-299, max_value=299))
def test_a_signed_request_verifies_and_any_change_does_not(msg_id: str, body: bytes, skew: int) -> None:
    secret = new_secret()
    stamp = int(NOW.timestamp()) + skew
    headers = signed_headers(secret, msg_id=msg_id, timestamp=stamp, body=body)
    verify(secret, headers, body, now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify(secret, headers, body + b" ", now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify(new_secret(), headers, body, now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify(secret, {**headers, "webhook-id": msg_id + "x"}, body, now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify(secret, headers, body, now=NOW + timedelta(seconds=301 + skew))


HEADER_NAMES = st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "x"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(HEADER_NAMES, st.text()))
def test_any_headers_are_refused_with_a_reason(headers: dict[str, str]) -> None:
    with pytest.raises(WebhookVerificationError, match=r"\w"):
        verify(new_secret(), headers, b"{}", now=NOW)


def test_one_matching_signature_among_several_verifies_and_headers_are_case_blind() -> None:
    secret, old = new_secret(), new_secret()
    stamp = int(NOW.timestamp())
    headers = {
        "Webhook-Id": "msg_1",
        "Webhook-Timestamp": str(stamp),
        "Webhook-Signature": f"{sign(old, msg_id='msg_1', timestamp=stamp, body=b'{}')} "
        f"{sign(secret, msg_id='msg_1', timestamp=stamp, body=b'{}')}",
    }
    verify(secret, headers, b"{}", now=NOW)
    verify(old, headers, b"{}", now=NOW)
    with pytest.raises(WebhookVerificationError, match="missing header webhook-id"):
        verify(secret, {"webhook-timestamp": str(stamp)}, b"{}", now=NOW)
    with pytest.raises(WebhookVerificationError, match="Unix seconds"):
        verify(secret, {**headers, "Webhook-Timestamp": "soon"}, b"{}", now=NOW)


def test_secrets_are_whsec_and_32_random_bytes() -> None:
    secrets = {new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(s.startswith("whsec_") and len(secret_key(s)) == 32 for s in secrets)
    for bad in ("whsec_", "whsec_AAAA", "hunter2-password", "whsec_!!!!"):
        with pytest.raises(InvalidInput) as raised:
            secret_key(bad)
        assert str(raised.value) == "malformed webhook secret"  # never echoes the secret
