"""The HTTP edge: NUL refused in any text input; every problem+json answer in the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from outrider.inputs import nul_location

PROBLEM = "application/problem+json"
Reject = Callable[..., Response]


class RefuseNul:
    """Answer 422 to a request whose path, query or JSON / form body holds a NUL character.

    PostgreSQL text cannot store NUL, and no name, note or plate needs one: refusing it here, once, keeps
    every field of every domain from answering 500 on PostgreSQL (and from storing it on SQLite).
    """

    def __init__(self, app: ASGIApp, reject: Reject) -> None:
        self.app = app
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loc = _nul_in_url(scope)
        if loc is not None:
            await self._refuse(scope, loc, receive, send)
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0]
        content_type = content_type.strip().lower()
        if content_type not in (b"application/json", b"application/x-www-form-urlencoded"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        loc = _nul_in_body(body, json_body=content_type == b"application/json")
        if loc is not None:
            await self._refuse(scope, loc, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, loc: tuple[str | int, ...], receive: Receive, send: Send) -> None:
        where = ".".join(str(p) for p in loc)
        msg = "the NUL character is not allowed"
        response = self.reject(
            422,
            "Invalid input",
            f"{where}: {msg}",
            slug="invalid-input",
            instance=scope.get("path", ""),
            errors=[{"loc": list(loc), "msg": msg, "type": "nul_character"}],
        )
        await response(scope, receive, send)


def _nul_in_url(scope: Scope) -> tuple[str | int, ...] | None:
    if "\x00" in scope.get("path", ""):
        return ("path",)
    raw = scope.get("query_string", b"")
    if b"%00" not in raw.lower() and b"\x00" not in raw:
        return None
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return ("query", name.replace("\x00", ""))
    return ("query",)


def _nul_in_body(body: bytes, *, json_body: bool) -> tuple[str | int, ...] | None:
    if json_body:
        if b"\\u0000" not in body and b"\x00" not in body:
            return None  # the common case, without decoding
        try:
            return nul_location(json.loads(body), ("body",))
        except ValueError:
            return None  # not JSON: the route's own validation answers
    if b"\x00" not in unquote_to_bytes(body):
        return None
    for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return ("body", name.replace("\x00", ""))
    return ("body",)


# --- the OpenAPI document -----------------------------------------------------------------------------

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem: the one error shape of Outrider.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "urn:outrider:problem:<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "where each problem is"},
        "code": {"type": "string", "description": "a stable name of the refusal, where it has one"},
    },
}
DESCRIPTIONS = {
    400: "The request is malformed",
    401: "No valid credentials",
    403: "Signed in but not allowed",
    404: "No such object, or one the caller may not know of",
    405: "Method not allowed",
    409: "In conflict with the current state, or refused by a rule",
    413: "The body is too large",
    422: "Invalid input: `errors` locate each problem",
    429: "Too many attempts",
}
WRITES = {"post", "put", "patch", "delete"}


def problems_of(method: str, operation: dict[str, Any]) -> set[int]:
    """The problem statuses an operation can answer with, from what it takes and whether it is signed in."""
    codes: set[int] = set()
    signed_in = bool(operation.get("security"))
    if signed_in:
        # 404: an id in the path, query or body that does not exist or may not be seen
        codes |= {401, 403, 404}
    if operation.get("parameters") or operation.get("requestBody"):
        codes.add(422)
    if method in WRITES:
        codes |= {409, 413}
    if operation.get("requestBody"):
        codes.add(400)  # a body that cannot be parsed at all (not JSON, a broken multipart)
    return codes


def declare_problems(document: dict[str, Any], *, extra: dict[tuple[str, str], set[int]]) -> dict[str, Any]:
    """Add the Problem schema and every operation's problem+json responses to an OpenAPI document."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    # FastAPI's own 422 shape is never sent: validation errors are problems too.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(problems_of(method, operation) | extra.get((method, path), set())):
                entry = responses.setdefault(str(code), {"description": DESCRIPTIONS.get(code, "A problem")})
                if code == 422 and entry.get("description") == "Validation Error":
                    entry["description"] = DESCRIPTIONS[422]
                entry["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return document
