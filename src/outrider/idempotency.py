"""Idempotency keys: one rule for every route that takes one (check-ins, cordon batches).

A key is 1 to 128 visible ASCII characters, given in the ``Idempotency-Key`` header or in the body's key
field; when both are given they must be the same. Anything else is a 422 at the edge, never a 500.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header
from pydantic import Field

from outrider.errors import InvalidInput

MAX_LENGTH = 128
# Visible ASCII only: a key travels in an HTTP header, a log line and both databases (PostgreSQL refuses NUL).
PATTERN = r"^[\x21-\x7e]+$"
DESCRIPTION = "1 to 128 visible ASCII characters; a retry with the same key counts once"

IdempotencyKey = Annotated[
    str, Field(min_length=1, max_length=MAX_LENGTH, pattern=PATTERN, description=DESCRIPTION)
]


def is_valid(key: str) -> bool:
    """True when the key keeps the rule (1 to 128 visible ASCII characters)."""
    return len(key) <= MAX_LENGTH and re.fullmatch(PATTERN, key) is not None


async def _header(  # pure: run on the event loop, not handed to a thread
    idempotency_key: Annotated[
        str | None,
        Header(min_length=1, max_length=MAX_LENGTH, pattern=PATTERN, description=DESCRIPTION),
    ] = None,
) -> str | None:
    return idempotency_key


IdempotencyKeyHeader = Annotated[str | None, Depends(_header)]


def resolve(header: str | None, body: str | None, *, field: str, required: bool = True) -> str | None:
    """The key from the header or the body field; 422 when they differ or (when required) both lack one."""
    if header is not None and body is not None and header != body:
        raise InvalidInput(
            f"the Idempotency-Key header and the body's {field} differ; give one, or the same in both",
            errors=[
                {"loc": ["header", "Idempotency-Key"], "msg": f"differs from body.{field}"},
                {"loc": ["body", field], "msg": "differs from the Idempotency-Key header"},
            ],
        )
    key = header if header is not None else body
    if key is None and required:
        raise InvalidInput(
            f"an idempotency key is required: the Idempotency-Key header or the body's {field}",
            errors=[{"loc": ["body", field], "msg": "missing (or send the Idempotency-Key header)"}],
        )
    return key
