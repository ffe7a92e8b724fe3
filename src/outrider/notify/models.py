"""Tables of alert delivery: an alert's frozen call plan, the outbox of notifications, their attempts, and
the keys of the CAP feed. Contact points, rosters and policies have tables of their own (`directory.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class AlertPlan(Base):
    """The escalation policy as it was resolved against the rosters when the alert fired, frozen.

    ``steps`` is a list of ``{"step": n, "after_minutes": m, "channels": [...], "targets": [{"user_id": u,
    "via": "roster:<name>" | "role:<role>" | "user"}], "webhooks": [endpoint ids]}``; editing the policy
    later never changes it, and the audit shows who was due to be called when.
    """

    __tablename__ = "notify_alert_plans"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    policy_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    policy_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    # The chain's clock: when it (re)started (the alert's opening, an expired acknowledgement, a reopening).
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # How far the chain has called: the round (0-based) and the step (1-based) last enqueued.
    round: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notification(Base):
    """One message due to one target on one channel: the outbox row, written in the transaction that raises
    or escalates the alert; the dispatcher claims and sends it.

    ``target`` names who it goes to (``user:<id>`` or ``webhook:<endpoint id>``); the unique key makes one
    delivery per alert, step, round, target and channel however many workers run. ``status``: pending,
    sending, sent, dead (after the last try), or digest (an info alert kept for the daily digest).
    """

    __tablename__ = "notify_notifications"
    __table_args__ = (
        UniqueConstraint("alert_id", "purpose", "round", "step", "target", "channel", name="uq_notify_once"),
        Index("ix_notify_notifications_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The stable id of this delivery (the webhook-id, the e-mail Message-ID): the same on every retry.
    delivery_id: Mapped[str] = mapped_column(String(64), unique=True)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # Why it is sent: "alert" (a step of the plan), "assigned", "verify" (a contact point's code), "test",
    # "digest", "drill".
    purpose: Mapped[str] = mapped_column(String(16), default="alert")
    round: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    organization_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(500))
    # What is rendered for a purpose that is not an alert (a verification code's text); alerts are rendered
    # at send time for the recipient, through the alerts' need-to-know redaction.
    body: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A claim: who holds the row and until when (a killed dispatcher's claims lapse and are retried).
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class DeliveryAttempt(Base):
    """One try of a notification: when, on which channel, to whom, what came back."""

    __tablename__ = "notify_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notify_notifications.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # sent, failed, dead
    detail: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class FeedKey(Base):
    """A key that reads one organisation's CAP feed without a session (for an operations centre's reader)."""

    __tablename__ = "notify_feed_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
