"""Pydantic I/O models of joint governance, and the payload each kind of proposal carries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from outrider.governance.rules import MAX_TTL_DAYS, Kind, State
from outrider.inputs import Country

BIG = 2**31 - 1  # ids fit every database's integer column


class FoundingRead(BaseModel):
    """The founding parties of the joint arrangement (absent until an operator founds it)."""

    founded: bool
    host_org_id: int | None = None
    host_name: str | None = None
    partner_org_id: int | None = None
    partner_name: str | None = None
    partner_country: str | None = None
    founded_at: datetime | None = None
    recognised_partner_ids: list[int] = Field(default_factory=list)


class ArrangementPayload(BaseModel):
    """A new version of the joint arrangement (validated as the arrangement itself)."""

    model_config = ConfigDict(extra="forbid")

    document: dict[str, Any]
    comment: str = Field(default="", max_length=2000)


class ProtocolBindingPayload(BaseModel):
    """A protocol version's parties bound to organisations other than the founding parties."""

    model_config = ConfigDict(extra="forbid")

    protocol_id: str = Field(min_length=1, max_length=64)
    version: int = Field(ge=1, le=BIG)
    document_hash: str = Field(pattern="^[0-9a-f]{64}$")
    parties: dict[Annotated[str, Field(min_length=1, max_length=64)], Annotated[int, Field(ge=1, le=BIG)]] = (
        Field(min_length=1, max_length=16)
    )


class PartnerPayload(BaseModel):
    """A new partner-government organisation, which then approves for its nationals."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    country: Country = Field(min_length=2, max_length=2)


class AuditorPayload(BaseModel):
    """The auditor role for an existing user (who then reads every organisation's records)."""

    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(ge=1, le=BIG)


PAYLOADS: dict[Kind, type[BaseModel]] = {
    Kind.arrangement: ArrangementPayload,
    Kind.protocol_binding: ProtocolBindingPayload,
    Kind.partner: PartnerPayload,
    Kind.auditor: AuditorPayload,
}


class ProposalCreate(BaseModel):
    """A new proposal: what kind, its payload, why, and how long it stays open."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    payload: dict[str, Any]
    comment: str = Field(default="", max_length=2000)
    expires_in_days: int = Field(default=14, ge=1, le=MAX_TTL_DAYS)


class Decide(BaseModel):
    """An approval names the hash of the exact payload it approves."""

    model_config = ConfigDict(extra="forbid")

    payload_hash: str = Field(pattern="^[0-9a-f]{64}$")
    comment: str = Field(default="", max_length=2000)
    public_key: str | None = Field(
        default=None, max_length=4096, description="your registered Ed25519 public key: hex, base64 or PEM"
    )
    signature: str | None = Field(
        default=None,
        max_length=400,
        description="Ed25519 signature of 'outrider.governance.v1:' + payload_hash: hex or base64",
    )


class Comment(BaseModel):
    """A rejection or withdrawal with an optional reason."""

    model_config = ConfigDict(extra="forbid")

    comment: str = Field(default="", max_length=2000)


class DecisionRead(BaseModel):
    """One founding party's decision on a proposal."""

    model_config = ConfigDict(from_attributes=True)

    party: str
    decision: str
    organization_id: int
    user_id: int
    payload_hash: str
    comment: str
    at: datetime
    public_key: str | None = None
    signature: str | None = None
    valid: bool = True  # False when the payload no longer hashes to what was approved
    signature_verified: bool | None = None  # None: not signed


class ProposalRead(BaseModel):
    """A proposal as the API shows it."""

    id: int
    kind: Kind
    state: State
    payload: dict[str, Any]
    payload_hash: str
    comment: str
    proposer_party: str
    proposed_by: int
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    decisions: list[DecisionRead]
    awaiting: list[str]
    result: dict[str, Any]
