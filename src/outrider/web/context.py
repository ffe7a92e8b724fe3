"""The context of a page: who is signed in, the language, the anti-forgery token; domain errors as pages.

Every web route is a ``WebRoute``: a change (any method but GET and HEAD) must carry the CSRF token
bound to the caller's cookie, whatever the handler does; a domain error rolls the request's
transaction back and answers an error page (or an error fragment to HTMX) with the same status the
API would give; a missing or expired session sends the browser to the sign-in page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.accounts import service as accounts_service
from outrider.accounts.models import User
from outrider.db import transaction, utcnow
from outrider.errors import Forbidden, OutriderError, Unauthorized
from outrider.http import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, caller_of, csrf_ok, csrf_token
from outrider.settings import Settings, get_settings
from outrider.web import i18n
from outrider.web.i18n import N_, Language
from outrider.web.templating import environment

PRE_COOKIE = "outrider_pre"  # a random value that binds the CSRF token of forms shown before sign-in
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """No valid web session: the browser goes to the sign-in page."""


def cookie_flags(settings: Settings) -> dict[str, Any]:
    """HttpOnly, SameSite=Strict, and Secure everywhere but in development (plain http on a laptop)."""
    return {"httponly": True, "samesite": "strict", "secure": settings.env != "development", "path": "/"}


def safe_next(target: str | None) -> str:
    """A local path to go back to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


@dataclass
class Web:
    """What a page handler and its template need about the request."""

    request: Request
    settings: Settings
    lang: Language
    csrf: str
    new_pre: str | None = None
    now: datetime = field(default_factory=utcnow)
    session_: Session | None = None
    user: User | None = None
    caller_: Caller | None = None

    @property
    def session(self) -> Session:
        """The request's database session (signed-in pages only)."""
        assert self.session_ is not None, "a public page has no database session"
        return self.session_

    @property
    def caller(self) -> Caller:
        """The signed-in caller, as the access policy sees it."""
        assert self.caller_ is not None, "a public page has no caller"
        return self.caller_

    @property
    def is_htmx(self) -> bool:
        """True when HTMX asked for a fragment."""
        return self.request.headers.get("HX-Request") == "true"

    def gettext(self, message: str, **values: Any) -> str:
        """A message in the page's language."""
        text = i18n.translations(self.lang.code).gettext(message)
        return text % values if values else text

    def render(self, template: str, *, status_code: int = 200, **values: Any) -> HTMLResponse:
        """A page (or fragment) from a template, in the caller's language."""
        html = environment(self.lang.code).get_template(template).render(web=self, **values)
        response = HTMLResponse(html, status_code=status_code)
        self.finish(response)
        return response

    def redirect(self, path: str, **query: Any) -> Response:
        """After a change: see the result (303), or tell HTMX where to go."""
        params = urlencode({k: v for k, v in query.items() if v is not None})
        target = path + (("&" if "?" in path else "?") + params if params else "")
        response: Response
        if self.is_htmx:
            response = Response(status_code=204, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        self.finish(response)
        return response

    def act(self, action: Callable[..., object], then: str, done: str, **arguments: Any) -> Response:
        """Run a use case as the signed-in caller at this request's time, then show ``then`` with ``done``."""
        action(self.session, caller=self.caller, now=self.now, **arguments)
        return self.redirect(then, done=done)

    def finish(self, response: Response) -> None:
        """Set the pre-sign-in cookie when this request made one."""
        if self.new_pre:
            response.set_cookie(PRE_COOKIE, self.new_pre, **cookie_flags(self.settings))

    def has_role(self, *roles: str) -> bool:
        """True when the caller holds one of the roles (what to offer; the services decide)."""
        return self.caller_ is not None and bool(self.caller_.roles & set(roles))


def language_of(request: Request) -> str:
    """The language of the answer: the cookie's choice, else the browser's, else English."""
    return i18n.negotiate(request.cookies.get(i18n.LANG_COOKIE), request.headers.get("accept-language"))


def _base(request: Request) -> Web:
    settings = get_settings()
    lang = i18n.LANGUAGES[language_of(request)]
    basis = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_COOKIE)
    new_pre = None
    if not basis:
        basis = new_pre = secrets.token_urlsafe(32)
    return Web(
        request=request,
        settings=settings,
        lang=lang,
        csrf=csrf_token(settings.secret_key, basis),
        new_pre=new_pre,
    )


def web_public(request: Request) -> Web:
    """The context of a page anyone may open (sign-in, language)."""
    return _base(request)


class _PageFailed(Exception):
    """The page answered an error: its transaction rolls back (keeping a refusal's evidence) quietly."""

    def __init__(self, after_rollback: Callable[[Session], None] | None) -> None:
        super().__init__("page failed")
        self.after_rollback = after_rollback


def web_user(request: Request) -> Iterator[Web]:
    """The context of a signed-in page, with the request's transaction (committed unless the page failed)."""
    web = _base(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    try:
        with transaction() as session:
            try:
                user = accounts_service.user_for_token(session, token=token, now=web.now)
            except Unauthorized:
                raise SignInRequired from None
            request.state.user_id = user.id
            request.state.web = web  # an error page keeps the navigation of the signed-in user
            web.session_, web.user = session, user
            web.caller_ = caller_of(user, channel="web", request_id=getattr(request.state, "request_id", ""))
            yield web
            # WebRoute turned the page's error into an error page, so no exception reaches here
            if getattr(request.state, "web_failed", False):
                raise _PageFailed(getattr(request.state, "after_rollback", None))
    except _PageFailed:
        pass


# A period of days in a page's query string (`?from=2026-01-01&to=2026-06-30`), either end open.
# A form's empty date field is sent as `from=`: no bound, not an invalid day.
_NoDay = BeforeValidator(lambda v: v or None)
FromDay = Annotated[date | None, _NoDay, Query(alias="from")]
ToDay = Annotated[date | None, _NoDay, Query(alias="to")]

PublicDep = Annotated[Web, Depends(web_public)]
WebDep = Annotated[Web, Depends(web_user, scope="function")]


def require(allowed: bool, message: str = "you may not do this") -> None:
    """Forbidden unless allowed (the same checks the API routes make before calling a service)."""
    if not allowed:
        raise Forbidden(message)


# --- errors and hardening --------------------------------------------------------------------------


def _tile_source(url: str | None) -> str:
    """The origin of the optional tile server, for the content security policy."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}.", ""))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        return ""
    return f" {parts.scheme}://{'*.' if '{s}.' in url else ''}{parts.netloc}"


def _csp(settings: Settings) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:{_tile_source(settings.web_tile_url)}; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


FORM_EXPIRED = N_("The form has expired or did not come from this site: reload the page and try again.")
# The titles of the domain errors, translated where they are shown.
ERROR_TITLES = (
    N_("Not found"),
    N_("Forbidden"),
    N_("Unauthorized"),
    N_("Conflict"),
    N_("Invalid input"),
    N_("Rule violation"),
    N_("Payload too large"),
    N_("Too many requests"),
)


def harden(response: Response, settings: Settings) -> Response:
    """Headers every page carries: no caching of itineraries, no framing, scripts from this server only."""
    response.headers.setdefault("Content-Security-Policy", _csp(settings))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def error_page(
    request: Request, status: int, title: str, detail: str, *, errors: list[str] | None = None
) -> Response:
    """An error as a page (or as a fragment for HTMX, shown in the page's message area)."""
    web = _base(request)
    signed_in = getattr(request.state, "web", None)
    if isinstance(signed_in, Web) and signed_in.user is not None:
        web.user, web.caller_ = signed_in.user, signed_in.caller_
    template = "fragments/error.html" if web.is_htmx else "error.html"
    referer = urlsplit(request.headers.get("referer", ""))
    back = None
    if referer.netloc == request.url.netloc and referer.path != request.url.path:
        back = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    response = web.render(
        template, status_code=status, title=title, detail=detail, errors=errors or [], back=back
    )
    if web.is_htmx:
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _to_sign_in(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in SAFE_METHODS:
        target = "/"
    url = "/login?next=" + quote(safe_next(target), safe="/")
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


async def _csrf_submitted(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


class WebRoute(APIRoute):
    """A page or fragment route: CSRF on every change, errors as pages, sign-in when needed."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            settings = get_settings()
            if request.method not in SAFE_METHODS:
                basis = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_COOKIE)
                if not csrf_ok(settings.secret_key, basis, await _csrf_submitted(request)):
                    return harden(
                        error_page(
                            request,
                            403,
                            N_("Forbidden"),
                            FORM_EXPIRED,
                        ),
                        settings,
                    )
            try:
                response = await handler(request)
            except SignInRequired:
                request.state.web_failed = True
                response = _to_sign_in(request)
            except OutriderError as exc:
                request.state.web_failed = True
                request.state.after_rollback = exc.after_rollback
                response = error_page(request, exc.status, exc.title, exc.detail)
            except RequestValidationError as exc:
                request.state.web_failed = True
                problems = [
                    f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
                    for e in exc.errors()
                ]
                response = error_page(
                    request, 422, N_("Invalid input"), N_("Some fields are not valid."), errors=problems
                )
            return harden(response, settings)

        return guarded
