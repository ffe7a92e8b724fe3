"""Tables of sharing: each organisation's default marking, and the release policies per partner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class OrgDefault(Base):
    """The marking an organisation's intelligence carries unless an analyst marked it otherwise."""

    __tablename__ = "sharing_org_defaults"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    marking: Mapped[str] = mapped_column(String(24))
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SharingPolicy(Base):
    """One version of what a partner may receive; in force once both founding parties approved it."""

    __tablename__ = "sharing_policies"
    __table_args__ = (UniqueConstraint("partner_org_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    max_marking: Mapped[str] = mapped_column(String(24))
    object_types: Mapped[list[str]] = mapped_column(JSON)
    fields: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    redactions: Mapped[list[str]] = mapped_column(JSON, default=list)
    ntk_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    anonymise_corroborations: Mapped[bool] = mapped_column(Boolean, default=True)
    # proposed -> agreed (both founding parties approved this hash) -> superseded (a later one agreed)
    status: Mapped[str] = mapped_column(String(16), index=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    # party ("host" | "partner") -> {user_id, organization_id, payload_hash, at}
    approvals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportSource(Base):
    """What the holder accepts from one partner: the marking ceiling, and the last feed imported from it."""

    __tablename__ = "sharing_import_sources"

    partner_org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    # the most restricted marking accepted from this partner (TLP:RED only when configured)
    ceiling: Mapped[str] = mapped_column(String(24))
    # the sequence of the last signed feed imported from this partner (0: none); an older one is a replay
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_bundle_id: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
