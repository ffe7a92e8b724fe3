"""Tables of intelligence: reports as received, incidents as extracted and reviewed, events, actors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class Marked:
    """A TLP 2.0 marking and need-to-know groups (sharing); no marking is the holder's default."""

    marking: Mapped[str | None] = mapped_column(String(24))
    ntk_groups: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


class Imported:
    """Provenance of what came from a partner's STIX bundle (sharing's import); empty for our own.

    ``imported`` holds the values as last imported: a value that differs from it now is a local decision
    that a later version from the partner does not overwrite."""

    source_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    stix_id: Mapped[str | None] = mapped_column(String(100), index=True)
    bundle_id: Mapped[str | None] = mapped_column(String(100))
    stix_modified: Mapped[datetime | None] = mapped_column(UTCDateTime())
    imported: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class IntelReport(Marked, Imported, Base):
    """One report as ingested: raw and clean text, where it came from, how its date was found."""

    __tablename__ = "intel_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    doc_id: Mapped[str] = mapped_column(String(300), index=True)
    source: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    published_how: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    raw_text: Mapped[str] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    ingested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the movement whose own report this is (source "movement"); shown only to those who may see it
    movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("movements.id", ondelete="SET NULL"), index=True
    )


class IntelActor(Marked, Imported, Base):
    """An armed group or a state agency, with the spellings reports use."""

    __tablename__ = "intel_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventValues:
    """The columns an incident states and an event chooses from its incidents: when, where, how many, by whom.

    (The attack type, weapon and target type are on both too: an event may lack them, an incident says
    "unknown".)"""

    date: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    location_text: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    suicide: Mapped[bool | None] = mapped_column(Boolean)
    killed: Mapped[int | None] = mapped_column(Integer)
    wounded: Mapped[int | None] = mapped_column(Integer)
    perpetrator: Mapped[str | None] = mapped_column(String(200), index=True)
    claimed: Mapped[bool | None] = mapped_column(Boolean)


class IntelEvent(EventValues, Marked, Imported, Base):
    """One real event; its values are chosen from its incidents (and the analyst's overrides)."""

    __tablename__ = "intel_events"
    __table_args__ = (Index("ix_intel_events_country_date", "country", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # proposed, confirmed, rejected (every incident rejected), merged (into merged_into)
    status: Mapped[str] = mapped_column(String(16), index=True)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("intel_events.id"))
    attack_type: Mapped[str | None] = mapped_column(String(32))
    weapon: Mapped[str | None] = mapped_column(String(32))
    target_type: Mapped[str | None] = mapped_column(String(32))
    reports: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the moment it happened, when a first-hand report gives it (a movement's own report); risk ages by it
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IntelIncident(EventValues, Marked, Imported, Base):
    """One report's record of one event: the extracted values, the analyst's edits, the effective values."""

    __tablename__ = "intel_incidents"
    __table_args__ = (
        Index("ix_intel_incidents_country_date", "country", "date"),
        Index("ix_intel_incidents_lat_lon", "lat", "lon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("intel_reports.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("intel_events.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    # proposed (by the extractor), confirmed, rejected (by an analyst)
    status: Mapped[str] = mapped_column(String(16), index=True)
    # an analyst placed it in its event (merge, split): automatic linking never moves it
    pinned: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=True)
    main_story: Mapped[bool] = mapped_column(default=False)
    date_basis: Mapped[str | None] = mapped_column(String(300))
    attack_type: Mapped[str] = mapped_column(String(32))
    weapon: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(32))
    killed_by_nationality: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    wounded_by_nationality: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extracted: Mapped[dict[str, Any]] = mapped_column(JSON)
    edits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IntelReview(Base):
    """Every analyst decision, in order: confirm, reject, edit, merge, split, and on what."""

    __tablename__ = "intel_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("intel_incidents.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("intel_events.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class IntelRevision(Base):
    """The incident set's version: bumped in the transaction of every change that risk may care about."""

    __tablename__ = "intel_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
