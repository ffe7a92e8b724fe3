"""The FastAPI application: routers, the one error shape (RFC 9457), request limits."""

from __future__ import annotations

import gc
import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from outrider import __version__, access_log
from outrider.accounts.api import router as accounts_router
from outrider.alerts.api import router as alerts_router
from outrider.audit.api import router as audit_router
from outrider.committee.api import router as committee_router
from outrider.committee.api_commitments import router as commitments_router
from outrider.compose import compose
from outrider.cordon.api import router as cordon_router
from outrider.db import get_engine
from outrider.edge import RefuseNul, declare_problems
from outrider.errors import OutriderError
from outrider.governance.api import router as governance_router
from outrider.http import domain_problem, problem, validation_problem
from outrider.intel.api import router as intel_router
from outrider.movements.api import router as movements_router
from outrider.movements.api_field import router as field_router
from outrider.notify.api import router as notify_router
from outrider.notify.api_deliveries import router as notify_deliveries_router
from outrider.notify.api_feed import router as notify_feed_router
from outrider.protocols.api import router as protocols_router
from outrider.registry.api import router as registry_router
from outrider.risk.api import router as risk_router
from outrider.settings import Settings, get_settings
from outrider.sharing.api import router as sharing_router
from outrider.sharing.api_releases import router as sharing_releases_router
from outrider.stale_rerun import StaleRerun
from outrider.web.context import error_page
from outrider.web.field_refusals import speak_sms
from outrider.web.router import router as web_router
from outrider.web.router import static_files

log = logging.getLogger("outrider")


SWAGGER = "/static/vendor/swagger-ui"  # copied from the npm lock by `make web-assets`
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class BodyLimit:
    """Refuse request bodies larger than the configured limit, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            "Payload too large",
            f"the request body exceeds {self.max_bytes} bytes",
            slug="too-large",
            instance=scope.get("path", ""),
        )
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class RequestId:
    """Every request gets an id (the client's, when it is a sane one) that the audit log records and the
    response's `X-Request-ID` header returns. A plain ASGI middleware: the decorator form runs each request
    in a task of its own with streams between, a cost every request paid under load."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id  # what `request.state.request_id` reads
        header = (b"x-request-id", request_id.encode())

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        await self.app(scope, receive, sending)


# Problems an operation answers with beyond what `outrider.edge.problems_of` infers from its signature.
EXTRA_PROBLEMS: dict[tuple[str, str], set[int]] = {
    ("post", "/api/v1/auth/token"): {401, 429},
    # a check-in with a PIN while the user's PINs are locked after too many wrong ones (docs/field.md)
    ("post", "/api/v1/movements/{movement_id}/checkins"): {429},
    ("post", "/api/v1/field/sms"): {429},
}


def _declare_problems(app: FastAPI) -> None:
    """Every operation's problem+json answers in the OpenAPI document (schemathesis holds us to it)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(generate(), extra=EXTRA_PROBLEMS)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# The garbage collector of a serving process (`served_app`). Its default first threshold (700 allocations)
# ran a young collection more than once a request under the load, and every object alive in sixteen
# requests in flight at that moment was kept for the older generations; those filled up and set off a full
# collection every 110-200 requests, each a walk of some 300,000 objects of the imported code (about 180 ms
# of CPU): 1.3-2.4 ms a request in all. The imported code is frozen out of the collector's walks
# (`gc.freeze`) and a young collection waits for 20,000 allocations: 0.06-0.14 ms a request
# (docs/architecture.md, "Storage").
SERVING_GC_THRESHOLDS = (20_000, 10, 10)


def served_app() -> FastAPI:
    """The application as each `outrider serve` process serves it: `create_app`, then the collector set
    for a server (`SERVING_GC_THRESHOLDS`): what the process imported and built is frozen (kept for its
    whole life anyway) and young collections run less often. Reference counting frees everything without
    a cycle as before; cycles wait for a collection a little longer."""
    app = create_app()
    gc.collect()  # what start-up left as garbage is freed, not frozen
    gc.freeze()
    gc.set_threshold(*SERVING_GC_THRESHOLDS)
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application with every router and the error handlers."""
    settings = settings or get_settings()
    compose()
    access_log.install()  # a feed key in a query string never reaches the server's log
    speak_sms()  # SMS replies in the sender's language, from the pages' catalogs
    app = FastAPI(
        title="Outrider",
        version=__version__,
        description="Joint security management: registry, movements, protocols, need-to-know, "
        "intelligence, risk, cordon monitoring and alerts.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served below from the packaged Swagger UI: the docs work without internet
        redoc_url=None,
    )

    @app.exception_handler(OutriderError)
    async def _domain_error(request: Request, exc: OutriderError) -> JSONResponse:
        return domain_problem(exc, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(exc, instance=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized"}.get(exc.status_code, "http")
        titles = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized"}
        path = request.url.path
        browsing = "text/html" in request.headers.get("accept", "")
        if browsing and not path.startswith(("/api/", "/static/", "/docs", "/openapi")):
            # a browser on a page address that does not exist: a page, not JSON
            title = titles.get(exc.status_code, "HTTP error")
            return error_page(request, exc.status_code, title, str(exc.detail))
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "HTTP error"),
            str(exc.detail),
            slug=slug,
            instance=request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        return problem(
            500,
            "Internal error",
            f"an unexpected error occurred (reference {ref})",
            slug="internal",
            instance=request.url.path,
        )

    @app.get("/api/v1/health", tags=["system"])
    def health() -> dict[str, str]:
        """Liveness and the database in use."""
        engine = get_engine()
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "database": engine.dialect.name}

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The interactive API documentation, its script and style from the package (no CDN)."""
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="Outrider API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )

    # Routes are matched in this order, one pattern after another: the movements' (the check-ins and the
    # board, most of a control room's requests) first. No path of theirs overlaps one of the routers they
    # now precede (tests/test_route_order.py).
    app.include_router(movements_router)
    app.include_router(accounts_router)
    app.include_router(registry_router)
    app.include_router(notify_feed_router)  # /api/v1/alerts/cap.atom, before the alerts' /{alert_id}
    app.include_router(alerts_router)
    app.include_router(notify_router)
    app.include_router(notify_deliveries_router)
    app.include_router(field_router)
    app.include_router(audit_router)
    app.include_router(cordon_router)
    app.include_router(intel_router)
    app.include_router(risk_router)
    app.include_router(protocols_router)
    app.include_router(governance_router)
    app.include_router(committee_router)
    app.include_router(commitments_router)
    app.include_router(sharing_router)
    app.include_router(sharing_releases_router)  # the release ledger and the partner's pull stream
    app.include_router(web_router)
    app.mount("/static", static_files(), name="static")
    app.add_middleware(RefuseNul, reject=problem)  # inside BodyLimit, which bounds what it reads
    app.add_middleware(StaleRerun)  # SQLite: a request whose reads went stale runs once more
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestId)  # outermost of ours: every run of a request carries the id
    _declare_problems(app)
    return app
