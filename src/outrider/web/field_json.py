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
from fastapi.responses import Response
from fastapi.routing import APIRoute

from outrider.errors import OutriderError
from outrider.http import (
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    csrf_ok,
    domain_problem,
    problem,
    validation_problem,
)
from outrider.settings import get_settings
from outrider.web.context import CSRF_FIELD, SignInRequired, harden

SIGN_IN_AGAIN = "your session has ended: sign in again (the waiting actions are kept and sent then)"
FOREIGN_FORM = "the anti-forgery token does not belong to this session: reload the page"


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


def _signed_out(request: Request) -> Response:
    return problem(401, "Unauthorized", SIGN_IN_AGAIN, slug="unauthorized", instance=request.url.path)


class FieldJsonRoute(APIRoute):
    """A JSON route of the web session: CSRF on every change, refusals as problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            settings = get_settings()
            if request.method not in SAFE_METHODS:
                if not request.cookies.get(SESSION_COOKIE):
                    return harden(
                        problem(
                            401, "Unauthorized", SIGN_IN_AGAIN, slug="unauthorized", instance=request.url.path
                        ),
                        settings,
                    )
                submitted = await _submitted_token(request)
                if not csrf_ok(settings.secret_key, request.cookies.get(SESSION_COOKIE), submitted):
                    return harden(
                        problem(403, "Forbidden", FOREIGN_FORM, slug="csrf", instance=request.url.path),
                        settings,
                    )
            try:
                response = await handler(request)
            except SignInRequired:
                response = problem(
                    401, "Unauthorized", SIGN_IN_AGAIN, slug="unauthorized", instance=request.url.path
                )
            except OutriderError as exc:
                # as WebRoute does: the request's transaction rolls back, keeping the refusal's evidence
                # (a wrong PIN's count, a lock's refusal) in one of its own
                request.state.web_failed = True
                request.state.after_rollback = exc.after_rollback
                response = domain_problem(exc, instance=request.url.path)
            except RequestValidationError as exc:
                response = validation_problem(exc, instance=request.url.path)
            return harden(response, settings)

        return guarded
