"""HTTP routes of the accounts domain."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, status
from sqlalchemy.orm import Session

from outrider.accounts import desk, factors, service
from outrider.accounts.events import Recorder
from outrider.accounts.models import User
from outrider.accounts.schemas import (
    MeRead,
    OAuthToken,
    OrganizationCreate,
    OrganizationRead,
    OrganizationSecurity,
    PasswordChange,
    PasswordConfirm,
    PasswordResetIssued,
    PasswordResetRedeem,
    RecoveryCodes,
    RolesUpdate,
    TokenCreate,
    TokenIssued,
    TokenRead,
    TotpCode,
    TotpEnrolment,
    UserCreate,
    UserCreated,
    UserRead,
)
from outrider.audit import service as audit_service
from outrider.db import utcnow
from outrider.governance import service as governance_service
from outrider.http import (
    SESSION_COOKIE,
    CallerDep,
    SessionDep,
    SettingsDep,
    UserDep,
    caller_of,
    oauth2_scheme,
)
from outrider.inputs import Id

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class SignInForm:
    """The OAuth2 password flow's form, with the second factor's code (``otp``) when the account has one."""

    def __init__(
        self,
        username: Annotated[str, Form(max_length=120)],
        password: Annotated[str, Form(max_length=1000)],
        otp: Annotated[str | None, Form(max_length=32, description="a TOTP or recovery code")] = None,
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
    ) -> None:
        self.username, self.password, self.otp = username, password, otp


def _recorder(session: Session, actor: audit_service.Principal) -> Recorder:
    return partial(audit_service.record, session, actor=actor, now=utcnow())


def _as_user(session: Session) -> Callable[[User], Recorder]:
    return lambda user: _recorder(session, caller_of(user))


@router.post(
    "/auth/token",
    response_model=OAuthToken,
    summary="Sign in (OAuth2 password flow)",
)
def login(form: Annotated[SignInForm, Depends()], session: SessionDep, settings: SettingsDep) -> OAuthToken:
    """Exchange a username and password (and, when the account has a second factor, its current code as
    ``otp``) for a bearer token. An account whose organisation requires a second factor not yet enrolled
    is refused with 403 until it signs in once on the web, which enrols it."""
    token = service.sign_in(
        session,
        username=form.username,
        password=form.password,
        otp=form.otp,
        settings=settings,
        now=utcnow(),
        record_as=_as_user(session),
    )
    return OAuthToken(access_token=token, expires_in=settings.token_ttl_hours * 3600)


@router.get("/me", response_model=MeRead)
def me(user: UserDep) -> MeRead:
    """The signed-in user and their organisation."""
    return MeRead.model_validate(user)


@router.get("/me/tokens", response_model=list[TokenRead])
def my_tokens(user: UserDep, session: SessionDep) -> list[TokenRead]:
    """The signed-in user's API tokens (never the tokens themselves)."""
    return [TokenRead.model_validate(t) for t in service.list_tokens(session, user=user)]


@router.post("/me/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
def create_token(
    data: TokenCreate,
    user: UserDep,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> TokenIssued:
    """Issue a named API token; it is shown once. Asked through a web session it ends with that session
    (at its expiry or sign-out); asked with a bearer token it lives at most `OUTRIDER_TOKEN_MAX_TTL_HOURS`."""
    presented = bearer or request.cookies.get(SESSION_COOKIE, "")
    record, token = service.mint_token(
        session,
        user=user,
        data=data,
        now=utcnow(),
        presented=presented,
        max_ttl_hours=settings.token_max_ttl_hours,
    )
    desk.token_issued(_recorder(session, caller_of(user)), record)
    return TokenIssued(id=record.id, name=record.name, token=token, expires_at=record.expires_at)


@router.delete("/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: Id, user: UserDep, caller: CallerDep, session: SessionDep) -> None:
    """Revoke one of your tokens (or web sessions) at once."""
    service.revoke_token(session, user=user, token_id=token_id, now=utcnow())
    desk.own_token_revoked(_recorder(session, caller), user, token_id)


@router.get("/organizations", response_model=list[OrganizationRead])
def list_organizations(caller: CallerDep, session: SessionDep) -> list[OrganizationRead]:
    """Every organisation (names and kinds are not secret between the parties)."""
    return [OrganizationRead.model_validate(o) for o in service.list_organizations(session)]


@router.post("/organizations", response_model=OrganizationRead, status_code=status.HTTP_201_CREATED)
def create_organization(data: OrganizationCreate, caller: CallerDep, session: SessionDep) -> OrganizationRead:
    """Add an organisation (administrators); a partner government only through a governance proposal."""
    org = service.add_organization(session, caller=caller, data=data, now=utcnow())
    governance_service.refuse_outside_proposals(session, org_kind=data.kind.value)
    return OrganizationRead.model_validate(org)


@router.get("/users", response_model=list[UserRead])
def list_users(caller: CallerDep, session: SessionDep) -> list[UserRead]:
    """Users of the administrator's own organisation."""
    return [UserRead.model_validate(u) for u in service.colleagues(session, caller=caller)]


@router.post("/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
def create_user(data: UserCreate, caller: CallerDep, session: SessionDep) -> UserCreated:
    """Add a user to the administrator's organisation; the password is shown once."""
    user, password = service.add_user(session, caller=caller, data=data, now=utcnow())
    governance_service.refuse_outside_proposals(session, roles=[r.value for r in data.roles])
    return UserCreated(**UserRead.model_validate(user).model_dump(), password=password)


# --- your own password and second factor ------------------------------------------------------------


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    data: PasswordChange,
    user: UserDep,
    caller: CallerDep,
    session: SessionDep,
    request: Request,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> None:
    """Change your password (the current one required); your other sessions and tokens end at once."""
    desk.change_password(
        session,
        user=user,
        current=data.current_password,
        new=data.new_password,
        now=utcnow(),
        record=_recorder(session, caller),
        presented=bearer or request.cookies.get(SESSION_COOKIE),
    )


@router.post("/me/totp", response_model=TotpEnrolment, status_code=status.HTTP_201_CREATED)
def start_totp(data: PasswordConfirm, user: UserDep, caller: CallerDep, session: SessionDep) -> TotpEnrolment:
    """Start enrolling a TOTP second factor (your password required): the secret is shown once, and is
    enabled by `POST /me/totp/confirm` with a code from it."""
    desk.confirm_password(user, data.password)
    enrolment = factors.start_enrolment(session, user=user, record=_recorder(session, caller))
    return TotpEnrolment(secret=enrolment.secret, otpauth_uri=enrolment.uri)


@router.post("/me/totp/confirm", response_model=RecoveryCodes)
def confirm_totp(data: TotpCode, user: UserDep, caller: CallerDep, session: SessionDep) -> RecoveryCodes:
    """Enable the pending second factor with a current code; answers the ten recovery codes, shown once."""
    codes = factors.confirm_enrolment(
        session, user=user, code=data.code, now=utcnow(), record=_recorder(session, caller)
    )
    return RecoveryCodes(recovery_codes=codes)


@router.post("/me/totp/disable", status_code=status.HTTP_204_NO_CONTENT)
def disable_totp(data: PasswordConfirm, user: UserDep, caller: CallerDep, session: SessionDep) -> None:
    """Remove your second factor (your password required), unless your organisation requires one."""
    desk.disable_second_factor(session, user=user, password=data.password, record=_recorder(session, caller))


@router.post("/me/recovery-codes", response_model=RecoveryCodes)
def renew_recovery_codes(
    data: PasswordConfirm, user: UserDep, caller: CallerDep, session: SessionDep
) -> RecoveryCodes:
    """Replace your recovery codes with ten new ones (your password required), shown once."""
    desk.confirm_password(user, data.password)
    codes = factors.new_recovery_codes(session, user=user, now=utcnow(), record=_recorder(session, caller))
    return RecoveryCodes(recovery_codes=codes)


@router.post("/password-resets/redeem", status_code=status.HTTP_204_NO_CONTENT)
def redeem_reset(data: PasswordResetRedeem, session: SessionDep) -> None:
    """Set a new password with a one-time reset code from an administrator (no sign-in needed); every
    session and token of the account ends."""
    desk.redeem_reset(
        session, code=data.code, new_password=data.new_password, now=utcnow(), record_as=_as_user(session)
    )


# --- an administrator and the users of their organisation --------------------------------------------


@router.get("/users/{user_id}/tokens", response_model=list[TokenRead])
def user_tokens(user_id: Id, caller: CallerDep, session: SessionDep) -> list[TokenRead]:
    """Another user's web sessions and API tokens (administrators, their own organisation)."""
    return [TokenRead.model_validate(t) for t in desk.user_tokens(session, caller=caller, user_id=user_id)]


@router.delete("/users/{user_id}/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_user_token(user_id: Id, token_id: Id, caller: CallerDep, session: SessionDep) -> None:
    """End another user's web session or API token at once."""
    desk.revoke_user_token(
        session,
        caller=caller,
        user_id=user_id,
        token_id=token_id,
        now=utcnow(),
        record=_recorder(session, caller),
    )


@router.post("/users/{user_id}/password-reset", response_model=PasswordResetIssued, status_code=201)
def issue_reset(user_id: Id, caller: CallerDep, session: SessionDep) -> PasswordResetIssued:
    """A one-time reset code for a user, shown once and valid a day: they redeem it to set a password."""
    row, code = desk.issue_reset(
        session, caller=caller, user_id=user_id, now=utcnow(), record=_recorder(session, caller)
    )
    return PasswordResetIssued(user_id=row.user_id, code=code, expires_at=row.expires_at)


@router.post("/users/{user_id}/deactivate", response_model=UserRead)
def deactivate(user_id: Id, caller: CallerDep, session: SessionDep) -> UserRead:
    """Deactivate a user: they cannot sign in, and their sessions and tokens stop working at once."""
    user = desk.set_active(
        session, caller=caller, user_id=user_id, active=False, now=utcnow(), record=_recorder(session, caller)
    )
    return UserRead.model_validate(user)


@router.post("/users/{user_id}/reactivate", response_model=UserRead)
def reactivate(user_id: Id, caller: CallerDep, session: SessionDep) -> UserRead:
    """Let a deactivated user sign in again (their ended sessions stay ended)."""
    user = desk.set_active(
        session, caller=caller, user_id=user_id, active=True, now=utcnow(), record=_recorder(session, caller)
    )
    return UserRead.model_validate(user)


@router.put("/users/{user_id}/roles", response_model=UserRead)
def set_roles(user_id: Id, data: RolesUpdate, caller: CallerDep, session: SessionDep) -> UserRead:
    """Replace another user's roles in your organisation (the auditor role only by a governance proposal)."""
    user = desk.set_roles(
        session,
        caller=caller,
        user_id=user_id,
        roles=[r.value for r in data.roles],
        record=_recorder(session, caller),
    )
    return UserRead.model_validate(user)


@router.post("/users/{user_id}/second-factor/reset", response_model=UserRead)
def reset_second_factor(user_id: Id, caller: CallerDep, session: SessionDep) -> UserRead:
    """Remove a user's second factor (a lost phone): they enrol again."""
    user = desk.reset_second_factor(
        session, caller=caller, user_id=user_id, record=_recorder(session, caller)
    )
    return UserRead.model_validate(user)


@router.put("/organizations/{organization_id}/security", response_model=OrganizationRead)
def set_security(
    organization_id: Id, data: OrganizationSecurity, caller: CallerDep, session: SessionDep
) -> OrganizationRead:
    """Require a second factor of your organisation's users (they enrol at their next sign-in), or not."""
    org = desk.set_require_totp(
        session,
        caller=caller,
        organization_id=organization_id,
        required=data.require_totp,
        record=_recorder(session, caller),
    )
    return OrganizationRead.model_validate(org)
