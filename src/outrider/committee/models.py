"""Tables of the joint committee: committees, members, meetings, agenda items, attendance, minutes, the
parties' signed approvals of the minutes, outcomes and comments.

Minutes are frozen once both parties signed them; a new revision (both sign again) is the only way on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outrider.db import Base, UTCDateTime


class Committee(Base):
    """A joint committee of the two founding parties."""

    __tablename__ = "committee_committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The founding parties when the committee was created (governance fixes them; kept for the record).
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    partner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    members: Mapped[list[Member]] = relationship(
        order_by="Member.id", cascade="all, delete-orphan", lazy="selectin"
    )


class Member(Base):
    """A user sitting on a committee for a party: chair (one per party), member or secretariat."""

    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("committee_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committee_committees.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    party: Mapped[str] = mapped_column(String(16))  # host | partner
    role: Mapped[str] = mapped_column(String(16))  # chair | member | secretariat
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Meeting(Base):
    """A meeting of a committee; its minutes are approved when both parties signed their hash."""

    __tablename__ = "committee_meetings"
    __table_args__ = (UniqueConstraint("committee_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committee_committees.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))  # IANA zone the meeting is held in
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)  # planned | held | minutes_approved
    # Raised when approved minutes are reopened: every revision needs both parties' signatures again.
    minutes_revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AgendaItem(Base):
    """An item of a meeting's agenda; ``restricted_to`` names the only members who read its text."""

    __tablename__ = "committee_agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    # User ids of the members who may read the item's text, minutes and outcomes; null: every reader.
    restricted_to: Mapped[list[int] | None] = mapped_column(JSON)
    # "commitments": put on the agenda by the committee itself (the follow-up of open commitments).
    generated: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendance(Base):
    """Who attended a meeting: a member (present, absent, apologies) or a guest by name."""

    __tablename__ = "committee_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("committee_members.id", ondelete="CASCADE"))
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_affiliation: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # present | absent | apologies


class MinutesSection(Base):
    """A section of a meeting's minutes: about one agenda item, or general (no item)."""

    __tablename__ = "committee_minutes_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_agenda_items.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MinutesApproval(Base):
    """A party's signature of the SHA-256 of one revision of a meeting's canonical minutes."""

    __tablename__ = "committee_minutes_approvals"
    __table_args__ = (UniqueConstraint("meeting_id", "revision", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("committee_meetings.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(16))  # host | partner
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key_id: Mapped[int] = mapped_column(ForeignKey("protocol_signing_keys.id"))
    minutes_hash: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, hex
    signature: Mapped[str] = mapped_column(String(128))  # 64 bytes, hex
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Outcome(Base):
    """What an agenda item ended in: information, a decision (maybe on a protocol version), a commitment."""

    __tablename__ = "committee_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("committee_agenda_items.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # information | decision | commitment
    text: Mapped[str] = mapped_column(Text)
    protocol_version_id: Mapped[int | None] = mapped_column(ForeignKey("protocol_versions.id"))
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("committee_commitments.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemComment(Base):
    """A member's comment on an agenda item (partner members read and comment; nothing here commands)."""

    __tablename__ = "committee_item_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("committee_agenda_items.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
