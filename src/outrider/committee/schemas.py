"""Pydantic I/O models of the joint committee: committees, members, meetings, agenda, minutes, outcomes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from outrider.committee.ladder import Party as Party  # the founding parties, as commitments name them
from outrider.inputs import Id, When

Text = Annotated[str, Field(max_length=20000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]


class Role(StrEnum):
    """A member's role in the committee (one chair per party)."""

    chair = "chair"
    member = "member"
    secretariat = "secretariat"


class MeetingStatus(StrEnum):
    """Where a meeting stands."""

    planned = "planned"
    held = "held"
    minutes_approved = "minutes_approved"


class Presence(StrEnum):
    """A member's attendance."""

    present = "present"
    absent = "absent"
    apologies = "apologies"


class OutcomeKind(StrEnum):
    """What an agenda item ended in."""

    information = "information"
    decision = "decision"
    commitment = "commitment"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommitteeCreate(_In):
    name: Title


class MemberAdd(_In):
    user_id: Id
    role: Role = Role.member


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    party: Party
    role: Role
    added_at: datetime


class CommitteeRead(BaseModel):
    id: int
    name: str
    host_org_id: int
    partner_org_id: int
    created_at: datetime
    members: list[MemberRead]
    your_seat: str  # what the caller is to the committee: chair, member, secretariat, admin, auditor


class MeetingCreate(_In):
    title: Title
    starts_at: When
    timezone: Annotated[str, Field(min_length=1, max_length=64)] = "UTC"
    place: Annotated[str, Field(max_length=200)] = ""


class MeetingStatusSet(_In):
    status: MeetingStatus


class AgendaItemCreate(_In):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    text: Text = ""
    restricted_to: Annotated[list[Id], Field(max_length=200)] | None = None


class AttendanceSet(_In):
    member_id: Id | None = None
    guest_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    guest_affiliation: Annotated[str, Field(max_length=200)] | None = None
    status: Presence = Presence.present


class SectionWrite(_In):
    text: Annotated[str, Field(min_length=1, max_length=20000)]
    agenda_item_id: Id | None = None
    position: Annotated[int, Field(ge=1, le=10000)] | None = None  # replaces the section at this place


class CommentCreate(_In):
    text: Annotated[str, Field(min_length=1, max_length=4000)]


class OutcomeCreate(_In):
    kind: OutcomeKind
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    protocol_version_id: Id | None = None
    commitment_id: Id | None = None  # link an existing commitment (kind commitment)
    # A new commitment (kind commitment, when no commitment_id): the commitments' create body.
    commitment: dict[str, object] | None = None


class SignMinutes(_In):
    minutes_hash: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    public_key: Annotated[str, Field(min_length=1, max_length=400)]
    signature: Annotated[str, Field(min_length=1, max_length=200)]


class AttendanceRead(BaseModel):
    id: int
    member_id: int | None
    user_id: int | None
    party: str | None
    guest_name: str | None
    guest_affiliation: str | None
    status: Presence


class OutcomeRead(BaseModel):
    id: int
    agenda_item_id: int
    kind: OutcomeKind
    text: str
    protocol_version_id: int | None
    commitment_id: int | None
    created_at: datetime


class CommentRead(BaseModel):
    id: int
    user_id: int
    organization_id: int
    text: str
    at: datetime


class AgendaItemRead(BaseModel):
    id: int
    position: int
    title: str
    restricted: bool
    readable: bool  # false: a restricted item the caller is not named on (text and outcomes hidden)
    generated: str | None
    text: str | None
    outcomes: list[OutcomeRead]
    comments: list[CommentRead]


class SectionRead(BaseModel):
    position: int
    agenda_item_id: int | None
    text: str | None  # None when the section is about a restricted item the caller may not read
    text_sha256: str


class ApprovalRead(BaseModel):
    revision: int
    party: Party
    user_id: int
    organization_id: int
    minutes_hash: str
    fingerprint: str
    signature_verified: bool
    at: datetime


class MinutesRead(BaseModel):
    revision: int
    minutes_hash: str  # of the minutes as stored now: what a party signs
    approved: bool
    awaiting: list[Party]
    tampered: bool  # a party signed this revision, but the stored minutes no longer hash to it
    sections: list[SectionRead]
    approvals: list[ApprovalRead]
    can_sign_for: list[Party]


class MeetingSummary(BaseModel):
    id: int
    committee_id: int
    number: int
    title: str
    starts_at: datetime  # in the meeting's zone
    timezone: str
    place: str
    status: MeetingStatus


class MeetingRead(MeetingSummary):
    committee_name: str
    agenda: list[AgendaItemRead]
    attendance: list[AttendanceRead]
    minutes: MinutesRead


class Revise(_In):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
