"""The channel interface's values: a message in, an outcome out; the dispatcher retries what is retryable.

A channel never raises for a failed delivery: it answers an `Outcome` whose ``detail`` names what happened
(a status line or an error class) and never a secret or a body, since the attempt log keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from outrider.settings import Settings

CHANNEL_NAMES = ("email", "webhook", "sms")


@dataclass(frozen=True, slots=True)
class Message:
    """One delivery to one address; the same delivery id on every retry."""

    delivery_id: str  # stable across retries: the webhook-id, the e-mail Message-ID's left part
    channel: str  # "email" | "webhook" | "sms"
    to: str  # e-mail address, E.164 phone number, or webhook URL
    subject: str  # e-mail subject / SMS first words
    text: str  # plain text body (SMS: this, cut to the channel's limit)
    html: str | None  # e-mail HTML alternative
    payload: dict[str, Any]  # webhook JSON body (thin: ids, kind, severity, links)
    created_at: datetime  # UTC
    secret: str | None = None  # webhook signing secret (whsec_...), never logged

    def __repr__(self) -> str:
        # a message's repr may reach a log: it names the delivery, never its body or secret
        return f"Message(delivery_id={self.delivery_id!r}, channel={self.channel!r})"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    ok: bool
    retryable: bool  # worth trying again (5xx, timeout, 429, connection refused, SMTP 4xx)
    detail: str  # status line or error, never a secret or a body with itinerary


def sent(detail: str) -> Outcome:
    """A delivered message."""
    return Outcome(ok=True, retryable=False, detail=detail)


def failed(detail: str, *, retryable: bool) -> Outcome:
    """A message not delivered (``retryable``: another attempt may succeed)."""
    return Outcome(ok=False, retryable=retryable, detail=detail[:500])


NOT_CONFIGURED = "not configured"


class Channel(Protocol):
    """Sends one message; answers an outcome, never raises for a failed delivery."""

    name: str

    def send(self, message: Message) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    """The channels' settings: built from `Settings`, or directly (tests, a one-off command)."""

    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "outrider@localhost"
    smtp_timeout_seconds: float = 10.0
    smtp_ca_file: str | None = None  # a PEM bundle to trust instead of the system's (an internal CA)
    sms_gateway_url: str | None = None
    sms_api_key: str | None = None
    sms_sender_id: str = "Outrider"
    sms_timeout_seconds: float = 10.0
    webhook_timeout_seconds: float = 10.0
    # production refuses plain-HTTP webhooks to hosts other than loopback (docs/alerts.md, "Channels")
    production: bool = False

    def __repr__(self) -> str:
        return f"ChannelConfig(smtp_host={self.smtp_host!r}, sms_gateway_url={self.sms_gateway_url!r})"

    @classmethod
    def from_settings(cls, settings: Settings) -> ChannelConfig:
        """The channels as the deployment's settings configure them."""
        return cls(
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            smtp_security=settings.smtp_security,
            smtp_username=settings.smtp_username,
            smtp_password=settings.smtp_password,
            smtp_from=settings.smtp_from,
            smtp_timeout_seconds=settings.smtp_timeout_seconds,
            smtp_ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None,
            sms_gateway_url=settings.sms_gateway_url,
            sms_api_key=settings.sms_api_key,
            sms_sender_id=settings.sms_sender_id,
            sms_timeout_seconds=settings.sms_timeout_seconds,
            webhook_timeout_seconds=settings.webhook_timeout_seconds,
            production=settings.env == "production",
        )
