"""Domain errors: the one error shape of Outrider.

Services raise these; `outrider.app` renders them as RFC 9457 problem+json and the CLI as one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Work a refused operation leaves to be recorded after its transaction rolled back (its evidence), run by
# `outrider.db.transaction` in a transaction of its own; it receives that transaction's session.
AfterRollback = Callable[[Any], None]


class OutriderError(Exception):
    """Base of every domain error; carries an HTTP status and a short title."""

    status: int = 500
    title: str = "Internal error"
    type_slug: str = "internal"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        after_rollback: AfterRollback | None = None,
        code: str = "",
        retry_after: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.after_rollback = after_rollback
        # a stable name of this refusal beside the English detail (faces show it in the user's language)
        self.code = code
        self.retry_after = retry_after  # seconds, for a `Retry-After` header (a throttle's refusal)

    def __init_subclass__(
        cls, *, status: int = 0, title: str = "", type_slug: str = "", **kwargs: Any
    ) -> None:
        # Each kind of error names its status, title and problem type once, in its class line.
        super().__init_subclass__(**kwargs)
        if status:
            cls.status, cls.title, cls.type_slug = status, title, type_slug


class NotFound(OutriderError, status=404, title="Not found", type_slug="not-found"):
    """The object does not exist, or the caller may not know that it exists."""


class Forbidden(OutriderError, status=403, title="Forbidden", type_slug="forbidden"):
    """The caller is known but not allowed to do this."""


class Unauthorized(OutriderError, status=401, title="Unauthorized", type_slug="unauthorized"):
    """No valid credentials were presented."""


class Conflict(OutriderError, status=409, title="Conflict", type_slug="conflict"):
    """The request conflicts with the current state (duplicate, wrong lifecycle state)."""


class InvalidInput(OutriderError, status=422, title="Invalid input", type_slug="invalid-input"):
    """The input is malformed or fails validation; `errors` locate each problem."""


class RuleViolation(OutriderError, status=409, title="Rule violation", type_slug="rule-violation"):
    """A domain rule (protocol, lifecycle guard) forbids the operation."""


class TooLarge(OutriderError, status=413, title="Payload too large", type_slug="too-large"):
    """The request body or uploaded file exceeds the configured limit."""


class TooManyRequests(OutriderError, status=429, title="Too many requests", type_slug="too-many-requests"):
    """The caller is throttled (for example after failed logins)."""
