"""The field app's JSON endpoints: the web session and its CSRF token, answers and refusals in JSON.

The phone's queue (static/field/queue.js) posts check-ins and SOS with the CSRF token it stored with each
action, in the `X-CSRF-Token` header or the body's `csrf_token`. It must tell apart what to keep and what
to send again, so every refusal is a problem+json (RFC 9457) with the reason, as the API answers: 401 when
the session has ended (the queue waits for a new sign-in and drops nothing), 403 when the token does not
match the session, the domain's errors with their status, 422 for a malformed body.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

from outrider.errors import OutriderError
from outrider.http import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, csrf_ok
from outrider.settings import get_settings
from outrider.web.context import CSRF_FIELD, SignInRequired, harden

PROBLEM = "application/problem+json"
SIGN_IN_AGAIN = "your session has ended: sign in again (the waiting actions are kept and sent then)"
FOREIGN_FORM = "the anti-forgery token does not belong to this session: reload the page"


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """A refusal in the API's one error shape."""
    body: dict[str, Any] = {
        "type": f"urn:outrider:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


async def _submitted_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if not request.headers.get("content-type", "").startswith("application/json"):
        return None
    try:
        payload = json.loads(await request.body())
    except ValueError:
        return None
    value = payload.get(CSRF_FIELD) if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None


def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    return problem(
        request, 422, "Invalid input", f"{where}: {first['msg']}", slug="invalid-input", errors=errors
    )


class FieldJsonRoute(APIRoute):
    """A JSON route of the web session: CSRF on every change, refusals as problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            settings = get_settings()
            if request.method not in SAFE_METHODS:
                if not request.cookies.get(SESSION_COOKIE):
                    return harden(
                        problem(request, 401, "Unauthorized", SIGN_IN_AGAIN, slug="unauthorized"), settings
                    )
                submitted = await _submitted_token(request)
                if not csrf_ok(settings.secret_key, request.cookies.get(SESSION_COOKIE), submitted):
                    return harden(problem(request, 403, "Forbidden", FOREIGN_FORM, slug="csrf"), settings)
            try:
                response = await handler(request)
            except SignInRequired:
                response = problem(request, 401, "Unauthorized", SIGN_IN_AGAIN, slug="unauthorized")
            except OutriderError as exc:
                response = problem(
                    request, exc.status, exc.title, exc.detail, slug=exc.type_slug, errors=exc.errors
                )
            except RequestValidationError as exc:
                response = _validation(request, exc)
            return harden(response, settings)

        return guarded
