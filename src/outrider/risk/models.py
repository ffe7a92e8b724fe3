"""Tables of risk: the snapshot each movement plan carries, and each party's own view of it as last seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class RiskSnapshot(Base):
    """A movement plan's risk as computed at a moment: score, level, parameters, incident-set version."""

    __tablename__ = "risk_snapshots"
    __table_args__ = (Index("ix_risk_snapshots_movement", "movement_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"))
    plan_version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    scored_for: Mapped[datetime] = mapped_column(UTCDateTime())
    score: Mapped[float] = mapped_column(Float)
    level: Mapped[int] = mapped_column(Integer)
    level_name: Mapped[str] = mapped_column(String(16))
    incident_count: Mapped[int] = mapped_column(Integer)
    incident_revision: Mapped[int] = mapped_column(Integer)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    drivers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    alternates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    lowest_alternate: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))


class RiskPartyLevel(Base):
    """A movement's level in one party's own view (the events its organisation may read), as the tick last
    saw it: a rise from it alerts that party. ``view`` names the events withheld from the party that counted
    then (empty: none, its view was the holder's), so a grant or a new marking is noticed without a new
    incident revision."""

    __tablename__ = "risk_party_levels"

    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int] = mapped_column(Integer)
    level_name: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    view: Mapped[str] = mapped_column(String(32))
    plan_version: Mapped[int] = mapped_column(Integer)
    incident_revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
