"""Sign in and out, and the language switch (the account pages: `pages_accounts`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response

from outrider.accounts import factors
from outrider.accounts import service as accounts_service
from outrider.db import transaction
from outrider.errors import OutriderError, TooManyRequests, Unauthorized
from outrider.http import SESSION_COOKIE
from outrider.web import demo_logins, i18n, second_factor
from outrider.web.context import PublicDep, Web, WebRoute, cookie_flags, safe_next

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/login")
def login_page(
    web: PublicDep, next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> Response:
    """The sign-in form."""
    return web.render(
        "login.html",
        next_url=safe_next(next_url),
        error=None,
        username="",
        demo=demo_logins.listed(web.settings),
    )


@router.post("/login")
def login(
    web: PublicDep,
    username: Annotated[str, Form(max_length=120)],
    password: Annotated[str, Form(max_length=1000)],
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    """Check the password; then the second factor when the account has one (or must enrol one), else the
    session token goes into an HttpOnly, SameSite=Strict cookie."""
    settings = web.settings
    try:
        with transaction() as session:  # a refusal is recorded after the rollback (throttling)
            user = accounts_service.check_password(
                session, username=username, password=password, settings=settings, now=web.now
            )
            step = factors.step_after_password(user)
            if step is factors.Step.none:
                token = accounts_service.start_session(
                    session, user=user, settings=settings, now=web.now, web=True
                )
                return second_factor.signed_in(web, token, next_url)
            pending = second_factor.pending_value(settings, user, web.now)
    except (Unauthorized, TooManyRequests) as failure:
        return _refused(web, failure, next_url, username)
    where = "/login/enrol" if step is factors.Step.enrol else "/login/second-factor"
    response = RedirectResponse(f"{where}?next={quote(safe_next(next_url), safe='/')}", status_code=303)
    response.set_cookie(
        second_factor.PENDING_COOKIE, pending, max_age=second_factor.PENDING_SECONDS, **cookie_flags(settings)
    )
    web.finish(response)
    return response


def _refused(web: Web, failure: Exception, next_url: str, username: str) -> Response:
    message = (
        web.gettext("Too many failed sign-ins: try again later.")
        if isinstance(failure, TooManyRequests)
        else web.gettext("Incorrect user name or password.")
    )
    status = failure.status if isinstance(failure, OutriderError) else 401
    return web.render(
        "login.html",
        status_code=status,
        next_url=safe_next(next_url),
        error=message,
        username=username,
        demo=demo_logins.listed(web.settings),
    )


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
