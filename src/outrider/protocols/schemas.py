"""Pydantic I/O models of the protocols domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from outrider.inputs import When

Phase = Literal["plan", "execution", "departure"]


class ProtocolLoad(BaseModel):
    """A protocol document to store as a draft, and which organisation stands for each party."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=256 * 1024, description="the YAML document")
    parties: dict[str, str | int] = Field(
        default_factory=dict,
        description="party name -> organisation id or name; a party left out is bound to the one "
        "organisation whose kind its name begins with (host-security-force -> host_security)",
    )


class ProtocolText(BaseModel):
    """A document to validate without storing it."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=256 * 1024)


class PartyRead(BaseModel):
    """A party of a version and the organisation that stands for it."""

    party: str
    organization_id: int
    organization: str


class SignatureRead(BaseModel):
    """A stored signature, verified again when it is read."""

    party: str
    organization_id: int
    user_id: int
    username: str
    document_hash: str
    public_key: str
    fingerprint: str
    signature: str
    at: datetime
    verified: bool


class RuleSummary(BaseModel):
    """A rule as listed with its version."""

    id: str
    title: str
    severity: str
    phase: str


class VersionRead(BaseModel):
    """One protocol version: its hash, its parties, its signatures and where it stands."""

    protocol_id: str
    version: int
    title: str
    document_hash: str
    state: str = Field(description="stored state: draft, proposed or agreed")
    status: str = Field(
        description="on the given day: draft, proposed, agreed (not yet in force), effective, expired, "
        "or superseded (a later agreed version is effective)"
    )
    effective_from: date
    effective_to: date | None
    parties: list[PartyRead]
    signatures: list[SignatureRead]
    awaiting: list[str] = Field(description="parties that have not signed yet")
    rules: list[RuleSummary]
    created_by: int
    created_at: datetime
    proposed_at: datetime | None
    agreed_at: datetime | None
    text: str | None = None


class SignRequest(BaseModel):
    """A signature made by the signer's own key over the document hash they read."""

    model_config = ConfigDict(extra="forbid")
    document_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    public_key: str = Field(description="the signer's registered Ed25519 public key: hex, base64 or PEM")
    signature: str = Field(description="Ed25519 signature of 'outrider.protocol.v1:' + hash: hex or base64")
    party: str | None = Field(default=None, description="the party signed for (default: the caller's)")


class KeyCreate(BaseModel):
    """A public signing key to register for the caller."""

    model_config = ConfigDict(extra="forbid")
    public_key: str = Field(min_length=1, max_length=2000, description="hex, base64 or PEM")
    label: str = Field(default="", max_length=120)


class KeyRead(BaseModel):
    """A registered signing key."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    organization_id: int
    public_key: str
    fingerprint: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class RuleResultRead(BaseModel):
    """One rule's outcome in an evaluation; the facts it read are evidence (need-to-know)."""

    rule_id: str
    title: str
    outcome: str
    severity: str
    message: str = ""
    facts_read: dict[str, Any] | None = None


class EvaluationRead(BaseModel):
    """A stored evaluation: the exact protocol version and facts it used, and the outcomes."""

    id: int
    movement_id: int
    plan_version: int
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    phase: str
    trigger: str
    applicable: bool
    passed: bool
    blocking: list[str]
    warnings: list[str]
    waived: list[str]
    overridden: list[str] = Field(default_factory=list)
    results: list[RuleResultRead]
    facts_hash: str = Field(
        description="SHA-256 of the canonical JSON of the facts snapshot as its reader is shown it (the "
        "stored one in the holder's organisation; elsewhere without the facts in facts_withheld)"
    )
    facts: dict[str, Any] | None = Field(
        default=None, description="the facts snapshot; withheld from those who may not read the itinerary"
    )
    facts_withheld: list[str] = Field(
        default_factory=list,
        description="facts left out of this reader's evidence: the route risk, outside the holder's "
        "organisation (it counts intelligence not every organisation may read); the outcomes stand",
    )
    evidence_visible: bool
    risk_snapshot_id: int | None
    at: datetime


class CheckRead(BaseModel):
    """The outcome of evaluating a movement against every protocol in force for it."""

    movement_id: int
    phase: str
    day: date
    allowed: bool
    blocking: list[str]
    waived: list[str]
    overridden: list[str] = Field(default_factory=list)
    warnings: list[str]
    waiver_problems: dict[str, list[str]] = Field(default_factory=dict)
    note: str
    evaluations: list[EvaluationRead]


class EvaluateRequest(BaseModel):
    """A manual evaluation of a movement."""

    model_config = ConfigDict(extra="forbid")
    phase: Phase | None = Field(
        default=None,
        description="default: plan before departure, else execution; departure: the rules of the moment",
    )


class WaiverCreate(BaseModel):
    """A request to exempt a movement from one blocking rule."""

    model_config = ConfigDict(extra="forbid")
    rule_id: str = Field(min_length=1, max_length=64)
    justification: str = Field(min_length=20, max_length=4000)
    expires_at: When
    protocol_id: str | None = Field(default=None, description="needed when several protocols are in force")


class WaiverWithdraw(BaseModel):
    """Why a waiver is withdrawn."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=10, max_length=4000)


class WaiverApprovalRead(BaseModel):
    """A party's approval of a waiver."""

    party: str
    organization_id: int
    user_id: int
    at: datetime


class WaiverRead(BaseModel):
    """A waiver with its approvals and whether it counts now."""

    id: int
    movement_id: int
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    rule_id: str
    justification: str
    expires_at: datetime
    state: str
    valid_now: bool
    problem: str | None
    approvals: list[WaiverApprovalRead]
    awaiting: list[str]
    requested_by: int
    requested_at: datetime
    withdrawn_by: int | None = None
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None


class OverrideCreate(BaseModel):
    """An override of a failed blocking rule that names who may override it (the host duty officer)."""

    model_config = ConfigDict(extra="forbid")
    rule_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=10, max_length=4000)
    protocol_id: str | None = Field(default=None, description="needed when several protocols are in force")


class OverrideRead(BaseModel):
    """An override, who recorded it and why, and whether it still covers the alerts open now."""

    id: int
    movement_id: int
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    rule_id: str
    reason: str
    covers_alert_ids: list[int]
    organization_id: int
    organization: str
    recorded_by: int
    recorded_by_name: str
    recorded_at: datetime
    valid_now: bool
    uncovered_alert_ids: list[int] = Field(
        default_factory=list, description="alerts open now that the override did not cover"
    )


class AlertNamed(BaseModel):
    """An open alert as a refusal or the departure check names it."""

    id: int
    kind: str
    severity: str
    place: str
    title: str


class DepartureBlock(BaseModel):
    """A rule that holds the departure now, the alerts behind it, and who can clear it."""

    rule_id: str
    title: str
    protocol_id: str
    alerts: list[AlertNamed]
    who_can_clear: str
    overridable: bool


class DepartureCheck(BaseModel):
    """What the departure gate would decide now (nothing stored): the blocks, warnings and overrides."""

    movement_id: int
    departed: bool = Field(description="the movement has left: the gate's decision is history")
    checked: bool = Field(description="false when no protocol in force has rules for the departure")
    allowed: bool
    blocking: list[DepartureBlock]
    warnings: list[str]
    overridden: list[str]
    may_override: bool = Field(description="the caller may record an override of an overridable block")
    overrides: list[OverrideRead]
