"""Tables of the alerts domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class Alert(Base):
    """Something a detector wants a person to see and act on."""

    __tablename__ = "alerts"
    __table_args__ = (
        # At most one open alert per subject and kind, even when two workers race to raise it.
        Index(
            "uq_alerts_open_subject",
            "kind",
            "subject_type",
            "subject_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index("ix_alerts_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(128))
    organization_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledge_note: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Who closed it by hand and why (empty when the condition ended by itself: an arrival, a detector).
    resolved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolution_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The last escalation by hand: who and why (the clock's escalations name no one).
    escalated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escalation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who was given the alert to work on, by whom and when.
    assigned_to: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    assigned_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # An acknowledgement not followed by progress before this instant lapses and the chain calls again.
    ack_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The last reopening (a resolved alert opened again, by whom): the reasons are in the notes.
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reopened_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AlertAudience(Base):
    """An organisation that sees an alert beside its owner: a party of the movements it concerns."""

    __tablename__ = "alert_audience"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


class AlertHiddenFrom(Base):
    """A user an alert is never shown to: who gave the silent duress signal it reports (its details'
    ``silent_to``, kept here so every list filters it in SQL). Whoever forced the check-in may hold their
    phone or their session."""

    __tablename__ = "alert_hidden_from"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


class AlertNote(Base):
    """A dated entry on an alert's log: progress posted by a person, or what the lifecycle did (assigned,
    acknowledgement lapsed, reopened), never edited."""

    __tablename__ = "alert_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(32))  # progress, assigned, ack_expired, reopened, ...
    text: Mapped[str] = mapped_column(Text, default="")
