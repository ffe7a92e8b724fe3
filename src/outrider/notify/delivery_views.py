"""What a reader sees of deliveries: the notifications of an alert (or an organisation) with their attempts,
targets by name, and addresses masked for anyone but their own recipient."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, Field


class AttemptView(BaseModel):
    """One try of a delivery: when, what came of it, how long it took."""

    attempt: int
    at: datetime
    status: str  # sent, failed, dead, lost (a dispatcher stopped before it could say)
    detail: str
    duration_ms: int


class DeliveryView(BaseModel):
    """One notification: to whom, on which channel, and where it stands."""

    id: int
    delivery_id: str
    alert_id: int | None
    purpose: str
    round: int
    step: int
    channel: str
    target: str  # user:<id> or webhook:<endpoint id>
    target_name: str  # the user's name, the endpoint's name
    address: str  # in full for its own recipient, masked for everyone else
    status: str  # pending, sending, sent, dead, digest, digested
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str
    log: list[AttemptView] = Field(default_factory=list)


class DeliveryPage(BaseModel):
    """A page of an organisation's deliveries, newest first."""

    items: list[DeliveryView]
    total: int
    limit: int
    offset: int


class TestSent(BaseModel):
    """A test message written to the outbox: the dispatcher sends it within seconds."""

    delivery: DeliveryView


def mask_address(channel: str, address: str) -> str:
    """An address as others than its recipient see it: the e-mail's first letter and domain, the phone's
    country code and last two digits, the webhook's scheme and host."""
    if channel == "email":
        local, at, domain = address.rpartition("@")
        return f"{local[:1]}…@{domain}" if at else "…"
    if channel == "sms":
        return f"{address[:3]}…{address[-2:]}" if len(address) > 6 else "…"
    if channel == "webhook":
        parts = urlsplit(address)
        return f"{parts.scheme}://{parts.hostname}/…" if parts.hostname else "…"
    return "…"
