"""Pydantic I/O models of the accounts domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from outrider.inputs import Country, Id

PASSWORD_MIN, PASSWORD_MAX = 12, 200  # the strength rule of every new password (passwords.PASSWORD_MIN)


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
    require_totp: bool = False


class UserCreate(BaseModel):
    """A new user; a password is generated when none is given."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=2, max_length=120, pattern=r"^[A-Za-z0-9_.@-]+$")
    full_name: str = Field(default="", max_length=200)
    organization_id: Id
    roles: list[Role] = Field(min_length=1)
    password: str | None = Field(default=None, min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class UserRead(BaseModel):
    """A user as returned by the API (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    organization_id: int
    roles: list[Role]
    is_active: bool
    totp_enabled: bool = False
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
    web_session: bool = False


class OAuthToken(BaseModel):
    """OAuth2 password-flow answer."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int


class PasswordChange(BaseModel):
    """Change your own password: the current one, and a new one by the same rule as at creation."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class PasswordConfirm(BaseModel):
    """Your password again, before a change to how you sign in."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=1000)


class PasswordResetIssued(BaseModel):
    """A one-time password-reset code: shown once, valid until ``expires_at``, stored as a digest."""

    user_id: int
    code: str
    expires_at: datetime


class PasswordResetRedeem(BaseModel):
    """Set a new password with a reset code an administrator gave you."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=100)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class TotpEnrolment(BaseModel):
    """A new TOTP secret, pending until confirmed: for an authenticator app (URI) or to type in (base32)."""

    secret: str
    otpauth_uri: str


class TotpCode(BaseModel):
    """A current six-digit code of the authenticator app."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=6, max_length=12)


class RecoveryCodes(BaseModel):
    """Ten recovery codes, shown once; each stands in for one TOTP code, once."""

    recovery_codes: list[str]


class RolesUpdate(BaseModel):
    """A user's roles, replaced (the auditor role only by a governance proposal)."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Role] = Field(min_length=1)


class OrganizationSecurity(BaseModel):
    """An organisation's sign-in rule: a second factor required of its users."""

    model_config = ConfigDict(extra="forbid")

    require_totp: bool
