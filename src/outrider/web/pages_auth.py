"""Sign in and out, the language switch, and the signed-in user's API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response

from outrider.accounts import service as accounts_service
from outrider.accounts.schemas import TokenCreate
from outrider.db import transaction
from outrider.errors import TooManyRequests, Unauthorized
from outrider.http import SESSION_COOKIE
from outrider.inputs import Id
from outrider.web import i18n
from outrider.web.context import PublicDep, WebDep, WebRoute, cookie_flags, safe_next

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/login")
def login_page(
    web: PublicDep, next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> Response:
    """The sign-in form."""
    return web.render("login.html", next_url=safe_next(next_url), error=None, username="")


@router.post("/login")
def login(
    web: PublicDep,
    username: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(max_length=1000)],
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the password; on success the session token goes into an HttpOnly, SameSite=Strict cookie."""
    settings = web.settings
    try:
        with transaction() as session:  # a refusal is recorded after the rollback (throttling)
            token = accounts_service.sign_in(
                session, username=username, password=password, settings=settings, now=web.now, web=True
            )
    except (Unauthorized, TooManyRequests) as failure:
        message = (
            web.gettext("Too many failed sign-ins: try again later.")
            if isinstance(failure, TooManyRequests)
            else web.gettext("Incorrect user name or password.")
        )
        return web.render(
            "login.html",
            status_code=failure.status,
            next_url=safe_next(next_url),
            error=message,
            username=username,
        )
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.token_ttl_hours * 3600, **cookie_flags(settings)
    )
    return response


@router.post("/logout")
def logout(web: PublicDep) -> Response:
    """Revoke the session token, and every token minted through it, and forget the cookie."""
    token = web.request.cookies.get(SESSION_COOKIE)
    if token:
        with transaction() as session:
            accounts_service.revoke_token_value(session, token=token, now=web.now)
    response = RedirectResponse("/login", status_code=303)
    flags = cookie_flags(web.settings)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=flags["secure"], httponly=True, samesite="strict")
    return response


@router.post("/language")
def language(
    web: PublicDep,
    lang: Annotated[str, Form(max_length=16)],
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Remember the chosen language in a cookie (a year) and go back to the page."""
    response = RedirectResponse(safe_next(next_url), status_code=303)
    if lang in i18n.LANGUAGES:
        flags = cookie_flags(web.settings) | {"max_age": 365 * 24 * 3600}
        response.set_cookie(i18n.LANG_COOKIE, lang, **flags)
    return response


# --- the user's own API tokens -------------------------------------------------------------------


@router.get("/account")
def account(web: WebDep) -> Response:
    """The signed-in user, their organisation and their API tokens (the session ones included)."""
    tokens = accounts_service.list_tokens(web.session, user=web.user)  # type: ignore[arg-type]
    return web.render("account.html", tokens=tokens, issued=None)


@router.post("/account/tokens")
def create_token(
    web: WebDep,
    name: Annotated[str, Form(min_length=1, max_length=120)],
    hours: Annotated[int, Form(ge=1, le=24 * 365)] = 24,
) -> Response:
    """Issue a named API token; it is shown once, on this page. It is bound to this web session: it
    expires with it at the latest and is revoked at sign-out (docs/web.md says why)."""
    assert web.user is not None
    data = TokenCreate(name=name, ttl_hours=hours)
    record, token = accounts_service.mint_token(
        web.session,
        user=web.user,
        data=data,
        now=web.now,
        presented=web.request.cookies.get(SESSION_COOKIE, ""),
        max_ttl_hours=web.settings.token_max_ttl_hours,
    )
    tokens = accounts_service.list_tokens(web.session, user=web.user)
    return web.render("account.html", tokens=tokens, issued={"name": record.name, "token": token})


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(web: WebDep, token_id: Id) -> Response:
    """Revoke one of your tokens at once."""
    assert web.user is not None
    accounts_service.revoke_token(web.session, user=web.user, token_id=token_id, now=web.now)
    return web.redirect("/account", done="token_revoked")
