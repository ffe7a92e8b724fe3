"""Tables of joint governance: the founding, proposals and each party's decision on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outrider.db import Base, UTCDateTime


class Founding(Base):
    """The founding parties of the joint arrangement: one row, written once."""

    __tablename__ = "governance_founding"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Always 1 and unique: a second founding cannot be stored, even by a racing operator.
    singleton: Mapped[int] = mapped_column(Integer, unique=True, default=1)
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    partner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    founded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(Text, default="")


class Proposal(Base):
    """A change that takes effect only when each founding party's administrator approved it."""

    __tablename__ = "governance_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    payload_hash: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), index=True)
    proposer_party: Mapped[str] = mapped_column(String(16))
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    decisions: Mapped[list[ProposalDecision]] = relationship(
        order_by="ProposalDecision.id", cascade="all, delete-orphan", lazy="selectin"
    )


class ProposalDecision(Base):
    """A founding party's approval or rejection, with the hash of the payload it decided on."""

    __tablename__ = "governance_decisions"
    __table_args__ = (UniqueConstraint("proposal_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("governance_proposals.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    payload_hash: Mapped[str] = mapped_column(String(64))
    # Optional: the approver's Ed25519 signature of the approval (rules.approval_message), hex.
    public_key: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(128))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
