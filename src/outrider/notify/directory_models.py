"""Tables of alert delivery's directory: a user's contact points, an organisation's webhook endpoints, duty
rosters and their shifts, and escalation policies (versioned)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class ContactPoint(Base):
    """A user's e-mail address or phone number; used by plans only once verified by its code."""

    __tablename__ = "notify_contact_points"
    __table_args__ = (UniqueConstraint("user_id", "channel", "address", name="uq_notify_contact_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # email, sms
    address: Mapped[str] = mapped_column(String(320))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The verification code, hashed (SHA-256 of the point's id and the code), its expiry and the tries left.
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WebhookEndpoint(Base):
    """An organisation's webhook receiver; its secret signs every delivery and is shown once, at creation."""

    __tablename__ = "notify_webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Roster(Base):
    """A duty roster of an organisation (optionally of one of its sites), in a time zone."""

    __tablename__ = "notify_rosters"
    __table_args__ = (UniqueConstraint("organization_id", "name", name="uq_notify_roster_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # A registry site's id, kept as a plain number: notify sits below the registry and never joins it.
    site_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Shift(Base):
    """A user on a roster: every week on some weekdays between two local times (the end may be past
    midnight), or once between two dated local instants (an override that wins over the weekly pattern)."""

    __tablename__ = "notify_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("notify_rosters.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rank: Mapped[str] = mapped_column(String(16), default="primary")  # primary, backup
    # Weekly: ISO weekdays (1 Monday .. 7 Sunday) on which the shift starts, local start and end times.
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    start_time: Mapped[time | None] = mapped_column(Time(), nullable=True)
    end_time: Mapped[time | None] = mapped_column(Time(), nullable=True)
    # One-off: two instants (stored in UTC).
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EscalationPolicy(Base):
    """One version of an escalation policy (``organization_id`` NULL: the joint default, from the
    arrangement). A new version supersedes the one before; alerts keep the plan frozen when they fired."""

    __tablename__ = "notify_policies"
    __table_args__ = (
        UniqueConstraint("organization_id", "name", "version", name="uq_notify_policy_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any kind
    min_severity: Mapped[str] = mapped_column(String(16), default="info")
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    repeat: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    superseded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
