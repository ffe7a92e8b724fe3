"""Tables of the registry domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import JSON, Column, Float, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outrider.db import Base, UTCDateTime

escort_unit_vehicles = Table(
    "escort_unit_vehicles",
    Base.metadata,
    Column("escort_unit_id", ForeignKey("escort_units.id", ondelete="CASCADE"), primary_key=True),
    Column("vehicle_id", ForeignKey("vehicles.id", ondelete="CASCADE"), primary_key=True),
)


class _Record:
    """What every registry record has: an id, the organisation that owns it, when it was made and changed."""

    # The table's columns keep their order: these first, the kind's own, then the times.
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-100)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True, sort_order=-100)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), sort_order=100)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), sort_order=100)


class ProtectedPerson(_Record, Base):
    """A person owed protection; nationality says which partner government answers for them."""

    __tablename__ = "protected_persons"

    name: Mapped[str] = mapped_column(String(200))
    nationality: Mapped[str] = mapped_column(String(2), index=True)
    role: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Rings(TypedDict):
    """A site's two cordon rings, each a radius or a polygon, as the geometry functions take them."""

    inner_radius_m: float | None
    outer_radius_m: float | None
    inner_polygon: dict[str, Any] | None
    outer_polygon: dict[str, Any] | None


class Site(_Record, Base):
    """A place to protect, with an inner and an outer cordon ring (radius or polygon)."""

    __tablename__ = "sites"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))
    inner_radius_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    outer_radius_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    inner_polygon: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    outer_polygon: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    def rings(self) -> Rings:
        """The site's cordon rings, to pass on as keyword arguments."""
        return Rings(
            inner_radius_m=self.inner_radius_m,
            outer_radius_m=self.outer_radius_m,
            inner_polygon=self.inner_polygon,
            outer_polygon=self.outer_polygon,
        )


class Vehicle(_Record, Base):
    """A vehicle that carries protected persons or escorts them."""

    __tablename__ = "vehicles"

    plate: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    seats: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200), default="")


class EscortUnit(_Record, Base):
    """A unit of the host security force that escorts movements."""

    __tablename__ = "escort_units"

    call_sign: Mapped[str] = mapped_column(String(64), unique=True)
    strength: Mapped[int] = mapped_column(Integer)
    base_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True)

    vehicles: Mapped[list[Vehicle]] = relationship(secondary=escort_unit_vehicles, lazy="selectin")


class UnitMember(Base):
    """A user who serves in an escort unit: the unit's members are on its movements' need-to-know list."""

    __tablename__ = "unit_members"

    unit_id: Mapped[int] = mapped_column(ForeignKey("escort_units.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
