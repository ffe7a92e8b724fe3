"""HTTP routes of the accounts domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from outrider.accounts import service
from outrider.accounts.schemas import (
    MeRead,
    OAuthToken,
    OrganizationCreate,
    OrganizationRead,
    TokenCreate,
    TokenIssued,
    TokenRead,
    UserCreate,
    UserCreated,
    UserRead,
)
from outrider.db import utcnow
from outrider.governance import service as governance_service
from outrider.http import (
    SESSION_COOKIE,
    CallerDep,
    SessionDep,
    SettingsDep,
    UserDep,
    oauth2_scheme,
)
from outrider.inputs import Id

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.post("/auth/token", response_model=OAuthToken, summary="Sign in (OAuth2 password flow)")
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> OAuthToken:
    """Exchange a username and password for a bearer token."""
    token = service.sign_in(
        session, username=form.username, password=form.password, settings=settings, now=utcnow()
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
    return TokenIssued(id=record.id, name=record.name, token=token, expires_at=record.expires_at)


@router.delete("/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: Id, user: UserDep, session: SessionDep) -> None:
    """Revoke one of your tokens at once."""
    service.revoke_token(session, user=user, token_id=token_id, now=utcnow())


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
