"""Pydantic I/O models of alert delivery's directory: contact points, rosters and shifts, escalation
policies, webhook endpoints."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from outrider.alerts.schemas import Severity
from outrider.inputs import When

Name = Field(min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$")


class ContactCreate(BaseModel):
    """A new contact point of the caller: an e-mail address or a phone number (E.164)."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["email", "sms"]
    address: str = Field(min_length=1, max_length=320)


class ContactVerify(BaseModel):
    """The code sent to the contact point."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=16)


class ContactRead(BaseModel):
    """A contact point as its owner sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    channel: str
    address: str
    verified_at: datetime | None
    code_expires_at: datetime | None
    created_at: datetime
    disabled_at: datetime | None


class RosterCreate(BaseModel):
    """A new duty roster of an organisation (the caller's when not given)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Name
    timezone: str = Field(min_length=1, max_length=64)
    site_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class ShiftCreate(BaseModel):
    """A shift: weekly (weekdays 1 Monday .. 7 Sunday, local start and end; an end at or before the start is
    the next day) or one-off (two instants with zones): one of the two, not both."""

    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(ge=1, le=2**31 - 1)
    rank: Literal["primary", "backup"] = "primary"
    weekdays: list[int] = Field(default_factory=list, max_length=7)
    start_time: time | None = None
    end_time: time | None = None
    starts_at: When | None = None
    ends_at: When | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ShiftCreate:
        weekly = bool(self.weekdays) or self.start_time is not None or self.end_time is not None
        once = self.starts_at is not None or self.ends_at is not None
        if weekly == once:
            raise ValueError("give weekdays with start_time and end_time, or starts_at and ends_at")
        if weekly:
            if any(t is not None and t.tzinfo is not None for t in (self.start_time, self.end_time)):
                raise ValueError("start_time and end_time are local times of the roster's zone: no offset")
            if not self.weekdays or self.start_time is None or self.end_time is None:
                raise ValueError("a weekly shift needs weekdays, start_time and end_time")
            if any(d < 1 or d > 7 for d in self.weekdays) or len(set(self.weekdays)) != len(self.weekdays):
                raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), each once")
        elif self.starts_at is None or self.ends_at is None or self.ends_at <= self.starts_at:
            raise ValueError("a one-off shift needs starts_at before ends_at")
        return self


class ShiftRead(BaseModel):
    """A shift as stored (one-off instants in UTC)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    roster_id: int
    user_id: int
    rank: str
    weekdays: list[int]
    start_time: time | None
    end_time: time | None
    starts_at: datetime | None
    ends_at: datetime | None


class RosterRead(BaseModel):
    """A roster with its shifts."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    site_id: int | None
    name: str
    timezone: str
    created_at: datetime
    shifts: list[ShiftRead] = []


class OnDutyRead(BaseModel):
    """A person on duty at the instant asked."""

    user_id: int
    username: str
    rank: str
    until: datetime
    override: bool


class OnDutyAnswer(BaseModel):
    """Who is on a roster's duty at an instant, primaries first."""

    roster_id: int
    at: datetime
    on_duty: list[OnDutyRead]


class PolicyCreate(BaseModel):
    """A new escalation policy, or the next version of the organisation's policy of that name."""

    model_config = ConfigDict(extra="forbid")

    name: str = Name
    kinds: list[str] = Field(default_factory=list, max_length=50)
    min_severity: Severity = Severity.info
    steps: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    repeat: int = 0
    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class PolicyRead(BaseModel):
    """One version of an escalation policy (``organization_id`` null: the joint default)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int | None
    name: str
    version: int
    kinds: list[str]
    min_severity: str
    steps: list[dict[str, Any]]
    repeat: int
    active: bool
    superseded_by: int | None
    created_by: int | None
    created_at: datetime


class EndpointCreate(BaseModel):
    """A new webhook endpoint of an organisation (the caller's when not given)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Name
    url: str = Field(min_length=1, max_length=500)
    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class EndpointRead(BaseModel):
    """A webhook endpoint; its secret is never listed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    url: str
    active: bool
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


class EndpointCreated(EndpointRead):
    """A new endpoint with its signing secret, shown this once."""

    secret: str
