"""Tables of cordon monitoring: sightings and inspections as received, and the detectors' saved state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class SightingRow(Base):
    """A vehicle seen; kept for the retention period unless an alert cites it."""

    __tablename__ = "cordon_sightings"
    __table_args__ = (Index("ix_cordon_sightings_plate_at", "plate", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    source: Mapped[str] = mapped_column(String(32))
    zone_id: Mapped[str | None] = mapped_column(String(128))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    evidence: Mapped[bool] = mapped_column(default=False)


class InspectionRow(Base):
    """A vehicle inspected at a checkpoint of a site."""

    __tablename__ = "cordon_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    checkpoint: Mapped[str] = mapped_column(String(128))
    site_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DetectorState(Base):
    """The detectors' snapshot, so that a restart resumes where the last batch ended."""

    __tablename__ = "cordon_detector_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
