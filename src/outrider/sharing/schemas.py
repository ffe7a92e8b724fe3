"""Pydantic I/O models of sharing: markings, release policies, the exported bundle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from outrider.sharing.markings import LABELS
from outrider.sharing.policy import OBJECT_TYPES

BIG = 2**31 - 1
Name = Annotated[str, Field(min_length=1, max_length=64)]
MarkingLabel = Annotated[str, Field(min_length=3, max_length=24, examples=list(LABELS))]
Kind = Literal["report", "incident", "event", "actor"]


class PolicyCreate(BaseModel):
    """A proposed version of a partner's release policy (``"*"`` allows every field of a type)."""

    model_config = ConfigDict(extra="forbid")

    partner_org_id: int = Field(ge=1, le=BIG)
    max_marking: MarkingLabel
    object_types: list[Kind] = Field(min_length=1, max_length=len(OBJECT_TYPES))
    fields: dict[Kind, list[Name] | Literal["*"]] = Field(default_factory=dict)
    redactions: list[Name] = Field(default_factory=list, max_length=64)
    anonymise_corroborations: bool = True
    ntk_groups: list[Name] = Field(default_factory=list, max_length=20)
    comment: str = Field(default="", max_length=2000)


class Approve(BaseModel):
    """An approval names the hash of the exact terms it approves."""

    model_config = ConfigDict(extra="forbid")

    payload_hash: str = Field(pattern="^[0-9a-f]{64}$")


class Approval(BaseModel):
    """One founding party's approval."""

    user_id: int
    organization_id: int
    payload_hash: str
    at: str


class PolicyRead(BaseModel):
    """A release policy version, its terms, its hash and each founding party's approval."""

    id: int
    partner_org_id: int
    version: int
    status: Literal["proposed", "agreed", "superseded"]
    max_marking: str
    object_types: list[str]
    fields: dict[str, list[str]]
    redactions: list[str]
    anonymise_corroborations: bool
    ntk_groups: list[str]
    payload_hash: str
    approvals: dict[str, Approval]
    awaiting: list[str]
    comment: str
    created_by: int
    created_at: datetime
    agreed_at: datetime | None


class ExportRequest(BaseModel):
    """Whose bundle: the partner organisation (a partner's own users name their own)."""

    model_config = ConfigDict(extra="forbid")

    partner_org_id: int = Field(ge=1, le=BIG)


class BundleRead(BaseModel):
    """A STIX 2.1 bundle."""

    model_config = ConfigDict(extra="allow")

    type: Literal["bundle"]
    id: str
    objects: list[dict[str, Any]]


class MarkingUpdate(BaseModel):
    """A new marking of an object (and optionally its need-to-know groups), and why."""

    model_config = ConfigDict(extra="forbid")

    marking: MarkingLabel
    ntk_groups: list[Name] | None = Field(default=None, max_length=20)
    reason: str = Field(min_length=1, max_length=1000)


class MarkingRead(BaseModel):
    """An object's marking as it is now."""

    kind: str
    id: int
    marking: str
    ntk_groups: list[str]


class DefaultUpdate(BaseModel):
    """An organisation's default marking."""

    model_config = ConfigDict(extra="forbid")

    marking: MarkingLabel


class DefaultRead(BaseModel):
    """The default marking of an organisation's intelligence."""

    organization_id: int
    marking: str


class BundleIn(BaseModel):
    """A partner's STIX 2.1 bundle; each object is judged on its own (a malformed one is refused alone)."""

    model_config = ConfigDict(extra="allow")

    type: Literal["bundle"]
    id: str = Field(max_length=100)
    objects: list[Any] = Field(max_length=10_000)


class ImportedObject(BaseModel):
    """One object of an imported bundle: accepted, rejected or ignored (and why), and what it became."""

    id: str
    type: str
    status: Literal["accepted", "rejected", "ignored"]
    reason: str
    sha256: str = Field(description="SHA-256 of an accepted object in canonical JSON (what arrived)")
    kind: str | None
    outrider_id: int | None
    outcome: str | None
    kept: list[str]


class ImportRead(BaseModel):
    """What an import did: the partner, the bundle, counts, and each object."""

    partner_org_id: int
    bundle_id: str
    sequence: int | None
    accepted: int
    rejected: int
    ignored: int
    objects: list[ImportedObject]


class CeilingUpdate(BaseModel):
    """The most restricted marking accepted from a partner."""

    model_config = ConfigDict(extra="forbid")

    ceiling: MarkingLabel


class CeilingRead(BaseModel):
    """What the holder accepts from a partner, and the last signed feed imported from it."""

    partner_org_id: int
    ceiling: str
    last_sequence: int
    last_bundle_id: str | None
