"""Shared FastAPI dependencies: the request's transaction, the caller, pagination."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import bearer
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.audit import gathered
from outrider.db import transaction, utcnow
from outrider.errors import Forbidden, OutriderError, Unauthorized
from outrider.inputs import MAX_OFFSET
from outrider.settings import Settings, get_settings

PROBLEM = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    code: str = "",
    retry_after: int | None = None,
) -> JSONResponse:
    """An RFC 9457 problem+json response (``code``: the refusal's stable name, an extension member)."""
    body: dict[str, Any] = {
        "type": f"urn:outrider:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    if code:
        body["code"] = code
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, retry_after))
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_problem(exc: OutriderError, *, instance: str) -> JSONResponse:
    """A domain error as its problem+json response (its code and `Retry-After` included)."""
    return problem(
        exc.status,
        exc.title,
        exc.detail,
        slug=exc.type_slug,
        instance=instance,
        errors=exc.errors,
        code=exc.code,
        retry_after=exc.retry_after,
    )


def validation_problem(exc: RequestValidationError, *, instance: str) -> JSONResponse:
    """A request that failed validation as a 422 problem: every error located, the first in the detail."""
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    return problem(
        422,
        "Invalid input",
        f"{where}: {first['msg']}",
        slug="invalid-input",
        instance=instance,
        errors=errors,
    )


oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_session() -> AsyncIterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error (then the
    refusal's evidence, if the error carries any, is recorded: `outrider.db.transaction`).

    Opening a session reads nothing (it connects at its first statement), so it is opened on the event
    loop; the commit, or the rollback, runs in a thread, unless the handler committed already
    (`commit_now`) and nothing has begun since: then closing it reads and writes nothing either."""
    unit = transaction()
    session = unit.__enter__()
    gathered.gathers(session)  # a read's audit record is committed with others' (`commit_now`)
    try:
        yield session
    except BaseException as exc:
        if not await _ending(unit, exc):
            raise
    else:
        if session.in_transaction():
            await _ending(unit, None)
        else:
            unit.__exit__(None, None, None)


async def _ending(unit: AbstractContextManager[Session], exc: BaseException | None) -> bool | None:
    # As FastAPI ends a dependency: shielded from cancellation, and with a thread of its own rather than
    # one of the pool's, which may all be taken by requests waiting for the write turn this one holds.
    with anyio.CancelScope(shield=True):
        ended = await anyio.to_thread.run_sync(
            unit.__exit__,
            type(exc) if exc else None,
            exc,
            exc.__traceback__ if exc else None,
            limiter=anyio.CapacityLimiter(1),
        )
    return ended


# scope="function": the commit runs when the handler returns, before the response is sent, so a 2xx is
# only ever sent for a committed write and a failed commit answers an error (the default "request" scope
# commits after the response has left).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def commit_now(session: Session) -> None:
    """Commit the request's transaction in the handler's own thread, as soon as its work is done.

    The session dependency commits too, but only after two more hand-offs between the event loop and the
    thread pool (the response's validation, then the dependency's exit), each a wait for a free thread and
    for the interpreter under load, and on SQLite the write turn is held through them. A hot write (a
    check-in, the board's record) commits here instead; the dependency then finds nothing left to commit,
    and an error raised before this line still rolls everything back there. A read's audit record (the
    board's, the alert list's) goes to the group commit (`audit.gathered`): appended and committed with the
    records other requests handed in meanwhile, and this returns once that commit has."""
    gathered.commit(session)


async def _settings() -> Settings:
    return get_settings()  # made once: not handed to a thread


SettingsDep = Annotated[Settings, Depends(_settings)]


SESSION_COOKIE = "outrider_session"  # the web session: an API token in an HttpOnly, SameSite=Strict cookie
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(secret_key: str, basis: str) -> str:
    """The anti-forgery token bound to a cookie value (the session token, or a pre-sign-in nonce)."""
    mac = hmac.new(secret_key.encode(), b"csrf\0" + basis.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_ok(secret_key: str, basis: str | None, submitted: str | None) -> bool:
    """True when the submitted token matches the one bound to ``basis``."""
    if not basis or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret_key, basis), submitted)


def _credential(request: Request, settings: Settings, token: str | None) -> str:
    """The bearer token, or the web session's cookie (then proved to come from our pages); or 401."""
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        # A browser sends the cookie by itself: a change made with it must prove it comes from our pages.
        forged = not csrf_ok(settings.secret_key, token, request.headers.get(CSRF_HEADER))
        if token and request.method not in SAFE_METHODS and forged:
            raise Forbidden(f"a request signed in by the session cookie needs the {CSRF_HEADER} header")
        request.state.channel = "web"
    if not token:
        raise Unauthorized("sign in: send 'Authorization: Bearer <token>'")
    return token


def current_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    """The user behind the bearer token (or the web session), or 401."""
    credential = _credential(request, settings, token)
    user = accounts_service.user_for_token(session, token=credential, now=utcnow())
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
    channel = getattr(request.state, "channel", "api")
    return caller_of(user, channel=channel, request_id=getattr(request.state, "request_id", ""))


def _caller(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Caller:
    # The caller alone, as `current_caller` sees it, read in one statement (`accounts.bearer`): the lookup
    # of nearly every request.
    credential = _credential(request, settings, token)
    caller = bearer.caller_for_token(
        session,
        token=credential,
        now=utcnow(),
        channel=getattr(request.state, "channel", "api"),
        request_id=getattr(request.state, "request_id", ""),
    )
    request.state.user_id = caller.user_id
    return caller


CallerDep = Annotated[Caller, Depends(_caller)]


@dataclass(frozen=True)
class PageParams:
    """Pagination of list endpoints."""

    limit: int
    offset: int


async def page_params(  # pure: run on the event loop, not handed to a thread
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many items")] = 0,
) -> PageParams:
    """Read ``limit`` and ``offset`` from the query string."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
