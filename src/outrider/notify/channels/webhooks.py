"""Webhooks per the Standard Webhooks specification: signed POSTs a receiver can verify.

Each request carries ``webhook-id`` (the delivery id, the same on every retry so a receiver drops
duplicates), ``webhook-timestamp`` (Unix seconds of this attempt) and ``webhook-signature``: ``v1,`` and the
base64 HMAC-SHA256, under the secret's key, of ``<id>.<timestamp>.<body>``. A secret is ``whsec_`` and the
base64 of its key (32 random bytes here); `verify` is the receiver's side, for tests and integrators.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from outrider.errors import InvalidInput
from outrider.notify.channels.addresses import webhook_url
from outrider.notify.channels.http_post import post
from outrider.notify.channels.message import ChannelConfig, Message, Outcome, failed

SECRET_PREFIX = "whsec_"  # noqa: S105 - the marker of the format, not a secret
SECRET_BYTES = 32
MIN_SECRET_BYTES = 24  # the specification's lower bound of a key
DEFAULT_TOLERANCE = timedelta(minutes=5)  # the specification's replay window
SIGNATURE_VERSION = "v1"


class WebhookVerificationError(ValueError):
    """A webhook request whose headers or signature do not verify (the receiver answers 401)."""


def new_secret() -> str:
    """A new signing secret: ``whsec_`` and the base64 of 32 random bytes (shown once to its owner)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret, or InvalidInput when it is not one (never echoes the secret)."""
    problem = [{"loc": ["secret"], "msg": f"must be {SECRET_PREFIX} and base64 of 24 to 64 bytes"}]
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise InvalidInput("malformed webhook secret", errors=problem)
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("malformed webhook secret", errors=problem) from None
    if not MIN_SECRET_BYTES <= len(key) <= 64:
        raise InvalidInput("malformed webhook secret", errors=problem)
    return key


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of one request: ``v1,<base64 HMAC-SHA256>``."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signed_headers(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of one signed request."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing header {name}")


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> None:
    """Check a received webhook: its timestamp within ``tolerance`` of ``now`` and one of its ``v1``
    signatures made with ``secret`` over this very body; raises WebhookVerificationError otherwise."""
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise WebhookVerificationError("webhook-timestamp is not Unix seconds")
    if abs(now.timestamp() - int(stamp)) > tolerance.total_seconds():
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance")
    expected = sign(secret, msg_id=msg_id, timestamp=int(stamp), body=body).encode()
    # several signatures (a secret being rotated) are separated by spaces: any that matches will do
    if any(hmac.compare_digest(candidate.encode(), expected) for candidate in signatures.split(" ")):
        return
    raise WebhookVerificationError("no signature matches")


def body_of(payload: Mapping[str, object]) -> bytes:
    """The JSON body of a payload, compact and in a stable key order (the bytes that are signed)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


class WebhookChannel:
    """Posts a message's payload to its URL, signed with its secret."""

    name = "webhook"

    def __init__(self, config: ChannelConfig, *, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))

    def send(self, message: Message) -> Outcome:
        """One attempt: the same webhook-id every time, this attempt's timestamp and signature."""
        try:
            url = webhook_url(message.to, production=self.config.production)
        except InvalidInput as error:
            return failed(f"malformed webhook URL: {error.errors[0]['msg']}", retryable=False)
        if not message.secret:
            return failed("no signing secret for this endpoint", retryable=False)
        body = body_of(message.payload)
        timestamp = int(self.clock().timestamp())
        try:
            headers = signed_headers(
                message.secret, msg_id=message.delivery_id, timestamp=timestamp, body=body
            )
        except InvalidInput:
            return failed("malformed signing secret", retryable=False)
        return post(url, content=body, headers=headers, timeout=self.config.webhook_timeout_seconds)
