"""Pydantic I/O models of a movement's need-to-know list: its grants, its members and who knew."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from outrider.inputs import Id, When


class GrantCreate(BaseModel):
    """Add a user to a movement's need-to-know list."""

    model_config = ConfigDict(extra="forbid")

    user_id: Id
    reason: str = Field(min_length=3, max_length=1000)
    expires_at: When


class GrantRead(BaseModel):
    """An explicit grant."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    reason: str
    granted_by: int
    granted_at: datetime
    expires_at: datetime
    revoked_by: int | None
    revoked_at: datetime | None


class Member(BaseModel):
    """A principal on the need-to-know list and why."""

    user_id: int
    username: str
    organization_id: int
    relationships: list[str]
    may_read_now: bool
    reason: str


class NeedToKnowRead(BaseModel):
    """A movement's need-to-know list: computed members and explicit grants."""

    movement_id: int
    release_at: datetime
    members: list[Member]
    grants: list[GrantRead]
    first_release_at: datetime | None


class Reader(BaseModel):
    """Someone who read the itinerary."""

    user_id: int | None
    username: str | None
    reads: int
    first_at: datetime
    last_at: datetime
    channels: list[str]  # api, cli, web, ...; email or sms for a message that carried itinerary facts
    fields: list[str] = []  # the itinerary facts read (or asked for, for a refusal), all reads together


class WhoKnew(BaseModel):
    """Who read a movement's itinerary, and who could have, before a time."""

    movement_id: int
    reference: str
    before: datetime
    readers: list[Reader]
    refused: list[Reader] = Field(default_factory=list, description="refused attempts to read it")
    could_have: list[Member]
    first_release_at: datetime | None
