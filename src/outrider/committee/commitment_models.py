"""Tables of commitments: the commitment, each party's assessments, the evidence timeline, proposals.

Nothing here is overwritten in place except a commitment's current state (stage, deadline, status),
and every such change is written first as an evidence row that keeps the value before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from outrider.db import Base, UTCDateTime


class Commitment(Base):
    """A promise between the two parties: who, to whom, what, how much, at which stage, by when."""

    __tablename__ = "committee_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    # Founding parties: "host" / "partner", or null for joint (no single party).
    promisor: Mapped[str | None] = mapped_column(String(16))
    beneficiary: Mapped[str | None] = mapped_column(String(16))
    # The parties' countries (sorted ISO 3166-1 alpha-2), as the cooperation schema names them.
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    object: Mapped[str] = mapped_column(Text, default="")
    # Quantity: an amount with an ISO 4217 currency, or a number with a unit ("officers trained").
    amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    unit: Mapped[str | None] = mapped_column(String(64))
    group: Mapped[str | None] = mapped_column(String(128))
    stage: Mapped[str] = mapped_column(String(16), index=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    host_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    partner_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(8), index=True, default="open")  # open | closed
    # The key linking news reports of this same commitment (the extraction's commitment_id).
    link_key: Mapped[str | None] = mapped_column(String(120), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Assessment(Base):
    """One party's own view of a commitment's implementation, 0-3 with a note; append-only."""

    __tablename__ = "committee_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("committee_commitments.id", ondelete="CASCADE"), index=True
    )
    party: Mapped[str] = mapped_column(String(16))  # host | partner
    score: Mapped[int] = mapped_column(Integer)  # 0 not started, 1 begun, 2 largely done, 3 done
    note: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Evidence(Base):
    """A dated, sourced entry of a commitment's timeline, and the change it made, if any; append-only."""

    __tablename__ = "committee_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("committee_commitments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))  # minutes | document | compliance_report | news | note
    date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(Integer)
    # The text of a small uploaded document, kept so the timeline can show what was hashed.
    content: Mapped[str | None] = mapped_column(Text)
    stage_from: Mapped[str | None] = mapped_column(String(16))
    stage_to: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Other fields this entry changed, {"field": [before, after]} (deadline, status, owners).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CoopProposal(Base):
    """A cooperation record read from a stored news report, waiting for the secretariat's decision."""

    __tablename__ = "committee_coop_proposals"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("intel_reports.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # the record's place among the report's records
    kind: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(16))
    link_key: Mapped[str | None] = mapped_column(String(120), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), index=True, default="proposed")
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_commitments.id", ondelete="SET NULL")
    )
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("committee_evidence.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
