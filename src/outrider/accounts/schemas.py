"""Pydantic I/O models of the accounts domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from outrider.inputs import Country, Id


class OrgKind(StrEnum):
    """What kind of party an organisation is in the joint arrangement."""

    host_security = "host_security"
    partner_government = "partner_government"
    company = "company"
    other = "other"


class Role(StrEnum):
    """What a user may do; a user may hold several."""

    admin = "admin"
    coordinator = "coordinator"
    duty_officer = "duty_officer"
    liaison = "liaison"
    analyst = "analyst"
    auditor = "auditor"


class OrganizationCreate(BaseModel):
    """A new organisation."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    country: Country


class OrganizationRead(BaseModel):
    """An organisation as returned by the API."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrgKind
    country: str
    created_at: datetime


class UserCreate(BaseModel):
    """A new user; a password is generated when none is given."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=2, max_length=120, pattern=r"^[A-Za-z0-9_.@-]+$")
    full_name: str = Field(default="", max_length=200)
    organization_id: Id
    roles: list[Role] = Field(min_length=1)
    password: str | None = Field(default=None, min_length=12, max_length=200)


class UserRead(BaseModel):
    """A user as returned by the API (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    organization_id: int
    roles: list[Role]
    is_active: bool
    created_at: datetime


class UserCreated(UserRead):
    """A created user with the password, shown once."""

    password: str


class MeRead(UserRead):
    """The signed-in user with their organisation."""

    organization: OrganizationRead


class TokenCreate(BaseModel):
    """Ask for a named API token."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="api", min_length=1, max_length=120)
    ttl_hours: int = Field(default=24 * 30, ge=1, le=24 * 365)


class TokenIssued(BaseModel):
    """A new token: shown once, stored hashed."""

    id: int
    name: str
    token: str
    expires_at: datetime


class TokenRead(BaseModel):
    """A token's metadata (never the token)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class OAuthToken(BaseModel):
    """OAuth2 password-flow answer."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
