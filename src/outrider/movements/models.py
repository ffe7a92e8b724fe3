"""Tables of the movements domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outrider.db import Base, UTCDateTime
from outrider.registry.models import EscortUnit, ProtectedPerson, Vehicle

movement_persons = Table(
    "movement_persons",
    Base.metadata,
    Column("movement_id", ForeignKey("movements.id", ondelete="CASCADE"), primary_key=True),
    # indexed by person too: whether a person was escorted by a unit is read per person asked about
    # (`registry.service.escorted_person_ids`), at the cost of that person's movements, not of all
    Column("person_id", ForeignKey("protected_persons.id"), primary_key=True, index=True),
)
movement_vehicles = Table(
    "movement_vehicles",
    Base.metadata,
    Column("movement_id", ForeignKey("movements.id", ondelete="CASCADE"), primary_key=True),
    Column("vehicle_id", ForeignKey("vehicles.id"), primary_key=True),
)
movement_escorts = Table(
    "movement_escorts",
    Base.metadata,
    Column("movement_id", ForeignKey("movements.id", ondelete="CASCADE"), primary_key=True),
    Column("escort_unit_id", ForeignKey("escort_units.id"), primary_key=True),
)


class Arrangement(Base):
    """One version of the joint arrangement document; the newest is in force."""

    __tablename__ = "arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Movement(Base):
    """A trip of protected persons outside a site: the plan, its state and what happened."""

    __tablename__ = "movements"
    __table_args__ = (Index("ix_movements_status_departure", "status", "planned_departure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(300), default="")
    origin_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    origin_label: Mapped[str] = mapped_column(String(200))
    origin_lat: Mapped[float] = mapped_column(Float)
    origin_lon: Mapped[float] = mapped_column(Float)
    destination_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    destination_label: Mapped[str] = mapped_column(String(200))
    destination_lat: Mapped[float] = mapped_column(Float)
    destination_lon: Mapped[float] = mapped_column(Float)
    route: Mapped[dict[str, Any]] = mapped_column(JSON)
    alternates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    route_length_m: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))
    planned_departure: Mapped[datetime] = mapped_column(UTCDateTime())
    planned_arrival: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_interval_min: Mapped[int | None] = mapped_column(Integer)
    checkin_waypoints: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    plan_version: Mapped[int] = mapped_column(Integer, default=1)
    approved_version: Mapped[int | None] = mapped_column(Integer)
    arrangement_version: Mapped[int] = mapped_column(Integer)
    escort_required: Mapped[bool] = mapped_column(default=True)
    required_parties: Mapped[list[list[str | None]]] = mapped_column(JSON, default=list)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escort_present_at_departure: Mapped[bool | None] = mapped_column()
    persons_counted_at_arrival: Mapped[int | None] = mapped_column(Integer)

    persons: Mapped[list[ProtectedPerson]] = relationship(
        secondary=movement_persons, order_by="ProtectedPerson.id"
    )
    vehicles: Mapped[list[Vehicle]] = relationship(secondary=movement_vehicles, order_by="Vehicle.id")
    escorts: Mapped[list[EscortUnit]] = relationship(secondary=movement_escorts, order_by="EscortUnit.id")


class MovementApproval(Base):
    """A party's decision on one version of a movement's plan."""

    __tablename__ = "movement_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    plan_version: Mapped[int] = mapped_column(Integer)
    org_kind: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckIn(Base):
    """A report from the road; the idempotency key makes a retried report count once."""

    __tablename__ = "movement_checkins"
    __table_args__ = (
        UniqueConstraint("movement_id", "idempotency_key"),
        # a device's key names one report whatever movement it is replayed against
        Index("ix_movement_checkins_user_key", "user_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    off_route_m: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The field face: the device that queued it and its sequence number there; the device's own clock when
    # it was ahead of the server beyond the tolerance (``at`` is then the time of arrival).
    device_id: Mapped[str | None] = mapped_column(String(64))
    device_seq: Mapped[int | None] = mapped_column(Integer)
    device_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The status the reporter was answered with when it differs from the stored one: a duress signalled
    # silently by the duress PIN is stored as duress and answered as the ok (or delayed) the screen showed.
    shown_status: Mapped[str | None] = mapped_column(String(16))


class FieldDevice(Base):
    """The last sequence number a user's device sent: device order is strictly increasing per device."""

    __tablename__ = "field_devices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FieldPin(Base):
    """A user's check-in PIN and duress PIN (argon2 hashes): the duress PIN checks in and raises the alarm."""

    __tablename__ = "field_pins"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    duress_hash: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OverdueSupersession(Base):
    """The mark that an overdue episode (its ``overdue`` timeline event) was superseded by a check-in made
    before it began and received after: both stay on the timeline; an episode is marked once."""

    __tablename__ = "movement_overdue_supersessions"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("movement_events.id", ondelete="CASCADE"), primary_key=True
    )
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("movement_checkins.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MovementEvent(Base):
    """One line of a movement's timeline (planned, submitted, approved, escort assigned, …)."""

    __tablename__ = "movement_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MovementGrant(Base):
    """An explicit addition to a movement's need-to-know list: who, why, until when, by whom."""

    __tablename__ = "movement_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RouteClearance(Base):
    """A clearance (sweep) of a movement's route, or a named segment of it, by a unit at a time."""

    __tablename__ = "route_clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id", ondelete="CASCADE"), index=True)
    escort_unit_id: Mapped[int] = mapped_column(ForeignKey("escort_units.id"))
    segment: Mapped[str] = mapped_column(String(200), default="")
    cleared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
