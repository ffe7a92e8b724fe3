"""Shared FastAPI dependencies: the request's transaction, the caller, pagination."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.db import session_factory, utcnow
from outrider.errors import Forbidden, Unauthorized
from outrider.settings import Settings, get_settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_session() -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    """The user behind the bearer token (or the web session), or 401."""
    if token is None:
        token = request.cookies.get("outrider_session")
    if not token:
        raise Unauthorized("sign in: send 'Authorization: Bearer <token>'")
    user = accounts_service.user_for_token(session, token=token, now=utcnow())
    request.state.user_id = user.id
    return user


UserDep = Annotated[User, Depends(current_user)]


def caller_of(user: User, *, channel: str = "api", request_id: str = "") -> Caller:
    """The policy's view of a user."""
    return Caller(
        user_id=user.id,
        organization_id=user.organization_id,
        org_kind=user.organization.kind,
        country=user.organization.country,
        roles=frozenset(user.roles),
        channel=channel,
        request_id=request_id,
    )


def current_caller(request: Request, user: UserDep) -> Caller:
    """The signed-in caller as the policy sees it, with the request id the audit log records."""
    return caller_of(user, channel="api", request_id=getattr(request.state, "request_id", ""))


CallerDep = Annotated[Caller, Depends(current_caller)]


def require_roles(caller: Caller, *roles: str) -> None:
    """Forbidden unless the caller holds one of the roles."""
    if not caller.roles & set(roles):
        raise Forbidden(f"this needs one of the roles: {', '.join(sorted(roles))}")


@dataclass(frozen=True)
class PageParams:
    """Pagination of list endpoints."""

    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, description="skip this many items")] = 0,
) -> PageParams:
    """Read ``limit`` and ``offset`` from the query string."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
