"""Tables of the field PINs' throttle (wrong PINs counted) and of the language of a user's SMS replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class FieldPinFailure(Base):
    """One wrong PIN (or one message from an unknown or unsigned sender), kept for throttling: whose it is
    (``user:<id>``, or ``sms:<keyed digest of the number>``) and when; never the PIN nor the number."""

    __tablename__ = "field_pin_failures"
    __table_args__ = (Index("ix_field_pin_failures_subject_at", "subject", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FieldProfile(Base):
    """The language the field speaks to a user where no page negotiates it: the replies to their SMS."""

    __tablename__ = "field_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
