"""Tables of the protocols domain: versions, parties, signing keys, signatures, evaluations, waivers,
overrides."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outrider.db import Base, UTCDateTime


class ProtocolVersion(Base):
    """One version of a protocol document, verbatim, with its hash and where it stands in the agreement."""

    __tablename__ = "protocol_versions"
    __table_args__ = (UniqueConstraint("protocol_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    document_hash: Mapped[str] = mapped_column(String(64), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    # Stored states: draft, proposed, agreed. Effective and expired are an agreed version seen at a date.
    state: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    parties: Mapped[list[ProtocolParty]] = relationship(
        order_by="ProtocolParty.position", cascade="all, delete-orphan", lazy="selectin"
    )
    signatures: Mapped[list[ProtocolSignature]] = relationship(
        order_by="ProtocolSignature.id", cascade="all, delete-orphan", lazy="selectin"
    )


class ProtocolParty(Base):
    """Which organisation stands for a party named in a protocol version (bound when it is loaded)."""

    __tablename__ = "protocol_parties"
    __table_args__ = (
        UniqueConstraint("version_id", "party"),
        UniqueConstraint("version_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(64))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)


class SigningKey(Base):
    """A user's Ed25519 public key; the private key never reaches the server."""

    __tablename__ = "protocol_signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # raw 32 bytes, hex
    fingerprint: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProtocolSignature(Base):
    """A party's signature of one exact document hash, by a named user with a registered key."""

    __tablename__ = "protocol_signatures"
    __table_args__ = (UniqueConstraint("version_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(64))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key_id: Mapped[int] = mapped_column(ForeignKey("protocol_signing_keys.id"))
    document_hash: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))  # 64 bytes, hex
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolEvaluation(Base):
    """A protocol version evaluated on one movement's facts: the evidence of compliance or breach."""

    __tablename__ = "protocol_evaluations"
    __table_args__ = (
        Index("ix_protocol_evaluations_movement", "movement_id", "id"),
        Index("ix_protocol_evaluations_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"))
    plan_version: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id"))
    protocol_id: Mapped[str] = mapped_column(String(64), index=True)
    protocol_version: Mapped[int] = mapped_column(Integer)
    protocol_hash: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(16))  # plan | departure | execution
    trigger: Mapped[str] = mapped_column(String(16))  # submit|approve|clear|depart|arrive|manual|review
    applicable: Mapped[bool] = mapped_column(Boolean)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    facts_hash: Mapped[str] = mapped_column(String(64))
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    passed: Mapped[bool] = mapped_column(Boolean)
    blocking: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    waived: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Failed blocking rules let through by an override the rule allows (the host duty officer's, alone).
    overridden: Mapped[list[str]] = mapped_column(JSON, default=list)
    risk_snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("risk_snapshots.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolWaiver(Base):
    """A joint exemption of one movement from one blocking rule of one protocol version."""

    __tablename__ = "protocol_waivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id"))
    protocol_hash: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(64))
    justification: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16))  # pending | approved | withdrawn
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    approvals: Mapped[list[WaiverApproval]] = relationship(
        order_by="WaiverApproval.id", cascade="all, delete-orphan", lazy="selectin"
    )


class WaiverApproval(Base):
    """One party's approval of a waiver, by a named user of the party's organisation."""

    __tablename__ = "protocol_waiver_approvals"
    __table_args__ = (UniqueConstraint("waiver_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    waiver_id: Mapped[int] = mapped_column(ForeignKey("protocol_waivers.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(64))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolOverride(Base):
    """An override of one failed blocking rule for one movement, by the party the rule names, with a
    reason. It covers the alerts open when it was recorded: a new alert needs a new look."""

    __tablename__ = "protocol_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("protocol_versions.id"))
    protocol_hash: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    covers_alert_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
