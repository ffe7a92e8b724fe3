"""Tables of cordon monitoring: sightings and inspections as received, the detectors' saved state (a small
head, the events still buffered, and each plate's own state), and the idempotency keys of batches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint
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
    """The head of the detectors' saved state (the watermark, the counters, the buffered count), so that a
    restart resumes where the last batch ended; its row is the lock one batch at a time holds. The events
    still buffered and each plate's state are rows of their own (`PendingEvent`, `PlateState`)."""

    __tablename__ = "cordon_detector_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PendingEvent(Base):
    """An event in the detectors' reorder buffer: received, not yet released (within the lateness)."""

    __tablename__ = "cordon_pending_events"

    id: Mapped[int] = mapped_column(primary_key=True)  # the arrival order
    at: Mapped[float] = mapped_column(Float, index=True)  # the event's time, seconds since the epoch
    plate: Mapped[str] = mapped_column(String(32))
    event: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlateState(Base):
    """What the detectors hold about one plate: its episodes per zone, cleared inspections per site, places
    seen, last reconnaissance alert and loiter counts per corridor (a batch reads only its plates')."""

    __tablename__ = "cordon_plate_states"

    plate: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class BatchKey(Base):
    """A batch's idempotency key: a retry with the same key and body gets the first answer, nothing twice."""

    __tablename__ = "cordon_batch_keys"
    # Keys are scoped per organisation; a file ingested in parts keeps one key and numbers the parts.
    __table_args__ = (UniqueConstraint("organization_id", "key", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    part: Mapped[int] = mapped_column(Integer, default=0)
    body_sha256: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
