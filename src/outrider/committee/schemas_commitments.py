"""Pydantic I/O models of commitments: create, stage moves, changes, assessments, evidence, proposals."""

from __future__ import annotations

import math
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from outrider.committee.ladder import MAX_REASON, Kind, Party, Stage
from outrider.inputs import Country, Day, Patch

Text = Annotated[str, Field(max_length=2000)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD, PKR, CNY")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, 64 lower-case hex digits")]
# The text of an uploaded document is kept in the timeline when it is this small and UTF-8 text.
KEEP_TEXT_BYTES = 64 * 1024


class EvidenceKind(StrEnum):
    """What an entry of the timeline rests on."""

    minutes = "minutes"  # ref: the meeting whose approved minutes record it
    document = "document"  # an uploaded document: its SHA-256, name and size
    compliance_report = "compliance_report"  # ref: the protocol whose compliance report it is
    news = "news"  # ref: the intelligence report
    note = "note"  # a party's own note


class Status(StrEnum):
    """Open until done or not fulfilled."""

    open = "open"
    closed = "closed"


class Quantity(BaseModel):
    """How much: an amount with a currency, or a number with a unit ("officers trained"), or nothing."""

    amount: float | None = Field(default=None, ge=0, le=1e15)
    currency: Currency | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def _one_measure(self) -> Quantity:
        if self.amount is not None and not math.isfinite(self.amount):
            raise ValueError("the amount must be a finite number")
        if self.currency and self.unit:
            raise ValueError("a quantity is money (currency) or a count (unit), not both")
        if (self.currency or self.unit) and self.amount is None:
            raise ValueError("a currency or a unit needs an amount")
        return self


class CommitmentCreate(Quantity):
    """A new commitment: who promises what to whom, at which stage, by when, and its owners."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    kind: Kind
    promisor: Party | None = None
    beneficiary: Party | None = None
    countries: list[Country] = Field(default_factory=list, max_length=10, description="empty: both parties'")
    object: Text = ""
    group: str | None = Field(default=None, min_length=1, max_length=128)
    stage: Stage = Stage.announced
    deadline: Day | None = None
    host_owner_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    partner_owner_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    link_key: str | None = Field(default=None, min_length=1, max_length=120)
    date: Day | None = Field(default=None, description="the day of the stage reported (default: today)")
    source: Text = ""

    @model_validator(mode="after")
    def _coherent(self) -> CommitmentCreate:
        if self.promisor is not None and self.promisor == self.beneficiary:
            raise ValueError("a party does not promise to itself: promisor and beneficiary differ")
        if self.group and self.kind is not Kind.action_against_group:
            raise ValueError("a group is named only for action_against_group")
        return self

    @field_validator("countries")
    @classmethod
    def _sorted(cls, value: list[str]) -> list[str]:
        return sorted(set(value))


class StageMove(BaseModel):
    """A new stage with the evidence that moved it (a reason when it goes back or is not fulfilled)."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage
    reason: str = Field(default="", max_length=MAX_REASON)
    date: Day
    title: str = Field(min_length=1, max_length=300)
    evidence_kind: EvidenceKind = EvidenceKind.note
    source: Text = ""
    ref: str | None = Field(default=None, min_length=1, max_length=64)


class CommitmentChange(Patch):
    """A new deadline or owner, with the reason kept in the timeline (null clears)."""

    nullable: ClassVar[frozenset[str]] = frozenset({"deadline", "host_owner_id", "partner_owner_id"})

    deadline: Day | None = None
    host_owner_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    partner_owner_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class AssessmentCreate(BaseModel):
    """A party's own view of the implementation: 0 not started, 1 begun, 2 largely done, 3 done."""

    model_config = ConfigDict(extra="forbid")

    party: Party
    score: int = Field(ge=0, le=3)
    note: Text = ""


class EvidenceCreate(BaseModel):
    """An entry of the timeline; a document is uploaded (base64) or named by its SHA-256."""

    model_config = ConfigDict(extra="forbid")

    kind: EvidenceKind
    date: Day
    title: str = Field(min_length=1, max_length=300)
    source: Text = ""
    ref: str | None = Field(default=None, min_length=1, max_length=64)
    sha256: Sha256 | None = None
    file_name: str | None = Field(default=None, min_length=1, max_length=255)
    content_base64: str | None = Field(default=None, max_length=14_000_000)


class AssessmentRead(BaseModel):
    """One party's assessment."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    party: Party
    score: int
    meaning: str
    note: str
    organization_id: int
    user_id: int
    at: datetime


class SideBySide(BaseModel):
    """Each party's latest assessment, never averaged; ``disagree`` when both exist and differ."""

    host: AssessmentRead | None = None
    partner: AssessmentRead | None = None
    disagree: bool = False


class EvidenceRead(BaseModel):
    """One entry of the timeline and what it changed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    commitment_id: int
    kind: EvidenceKind
    date: date
    title: str
    source: str
    ref: str | None
    sha256: str | None
    file_name: str | None
    size: int | None
    content: str | None
    stage_from: Stage | None
    stage_to: Stage | None
    reason: str
    changes: dict[str, Any]
    organization_id: int
    user_id: int
    at: datetime
    marking: str | None = Field(default=None, description="a news entry: the marking of its report")
    withheld: str | None = Field(
        default=None, description="why the title and source of a news entry are not shown to this reader"
    )


class CommitmentRead(BaseModel):
    """A commitment as it stands, with both parties' latest assessments."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    kind: Kind
    promisor: Party | None
    beneficiary: Party | None
    countries: list[str]
    object: str
    amount: float | None
    currency: str | None
    unit: str | None
    group: str | None
    stage: Stage
    deadline: date | None
    overdue: bool
    host_owner_id: int | None
    partner_owner_id: int | None
    status: Status
    link_key: str | None
    created_by: int
    created_at: datetime
    updated_at: datetime
    assessments: SideBySide


class TimelineEntry(BaseModel):
    """An evidence entry or an assessment, in the order they were recorded."""

    type: str  # evidence | assessment
    at: datetime
    evidence: EvidenceRead | None = None
    assessment: AssessmentRead | None = None


class Timeline(BaseModel):
    """A commitment and everything that moved it, oldest first."""

    commitment: CommitmentRead
    entries: list[TimelineEntry]


class ProposalState(StrEnum):
    """Where a proposal from the news stands."""

    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"


class ProposalRead(BaseModel):
    """A cooperation record read from a report, with its evidence spans and the secretariat's decision."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    report_id: int
    seq: int
    kind: str
    stage: str
    link_key: str | None
    record: dict[str, Any]
    evidence: list[Any]
    state: ProposalState
    commitment_id: int | None
    evidence_id: int | None
    reason: str
    decided_by: int | None
    decided_at: datetime | None
    created_at: datetime
    suggested_commitment_id: int | None = Field(
        default=None, description="the commitment it went into, or one a linked report's record went into"
    )
    marking: str | None = Field(default=None, description="the marking of the report it was read from")
    withheld: str | None = Field(
        default=None,
        description="why its record and evidence are not shown to this reader (the report's marking)",
    )


class ProposalAccept(BaseModel):
    """Accept into a new commitment (``commitment_id`` absent) or an existing commitment's timeline."""

    model_config = ConfigDict(extra="forbid")

    commitment_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    move_stage: bool = Field(default=True, description="move an existing commitment forward to the stage")


class ProposalReject(BaseModel):
    """Reject with a reason."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_REASON)


class ProposeFromReport(BaseModel):
    """Read a stored intelligence report for cooperation."""

    model_config = ConfigDict(extra="forbid")

    report_id: int = Field(ge=1, le=2**31 - 1)
